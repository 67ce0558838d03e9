// SPDX-License-Identifier: MIT
/*
 * -m's choice of decoder for a module's memory map, as ethtool 6.1 makes
 * it: by the SFF-8024 identifier byte on the netlink path, by the kernel's
 * ETH_MODULE_* type on the ioctl path.  SFP (SFF-8079/8472: sfp.c,
 * sfp_diag.c) and QSFP (SFF-8636: sff8636.c) are decoded; CMIS modules
 * (QSFP-DD, OSFP, DSFP) get the hex table instead, which is also 6.1's
 * own fallback for an identifier it does not know.
 */
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <linux/ethtool.h>

#include "embnet/ethtool_module.h"
#include "et.h"
#include "sfp.h"

#define SFP_HALF 128 /* 6.1 reads the lower half of A0h and of A2h */

/* SFF-8636: the lower page, upper page 00h, and 03h unless flat. */
static int qsfp_nl(struct et_ctx *c)
{
	struct nl_ethtool_module_req req = { .length = ET_QSFP_PAGE,
					     .i2c_address = 0x50 };
	uint8_t lower[ET_QSFP_PAGE], up0[ET_QSFP_PAGE], up3[ET_QSFP_PAGE];
	int err;

	err = et_module_page(c, &req, lower);
	req.offset = ET_QSFP_PAGE;
	if (err == 0)
		err = et_module_page(c, &req, up0);
	req.page = 3;
	if (err == 0 && et_qsfp_has_page3(lower))
		err = et_module_page(c, &req, up3);
	if (err < 0)
		return err;
	et_qsfp_show(lower, up0, et_qsfp_has_page3(lower) ? up3 : NULL);
	return 0;
}

int et_sff_show_nl(struct et_ctx *c, uint8_t id)
{
	struct nl_ethtool_module_req req = { .length = SFP_HALF,
					     .i2c_address = 0x50 };
	uint8_t a0[SFP_HALF], a2[SFP_HALF];
	int err;

	if (id == ET_SFF_ID_QSFP || id == ET_SFF_ID_QSFP_PLUS ||
	    id == ET_SFF_ID_QSFP28)
		return qsfp_nl(c);
	if (id != ET_SFF_ID_SFP)
		return -EOPNOTSUPP;
	err = et_module_page(c, &req, a0);
	if (err < 0)
		return err;
	et_sfp_show_id(a0, sizeof(a0));
	if (!et_sfp_has_diag(a0, sizeof(a0)))
		return 0;
	req.i2c_address = 0x51;
	err = et_module_page(c, &req, a2);
	if (err < 0)
		return err;
	et_sfp_show_diag(a0, sizeof(a0), a2, sizeof(a2));
	return 0;
}

/* The kernel's flat SFF-8636 image: lower page, upper page 00h, then the
 * upper halves of pages 01h-03h when it is 640 bytes long.  A CMIS module
 * behind this type has no decoder here. */
static int qsfp_ioctl(const uint8_t *data, size_t len)
{
	uint8_t img[ETH_MODULE_SFF_8636_MAX_LEN];
	int p3;

	if (len > 0 && (data[0] == 0x18 || data[0] == 0x19 || data[0] == 0x1b))
		return -EOPNOTSUPP;
	memset(img, 0, sizeof(img));
	memcpy(img, data, len < sizeof(img) ? len : sizeof(img));
	p3 = len == ETH_MODULE_SFF_8636_MAX_LEN && et_qsfp_has_page3(img);
	et_qsfp_show(img, img + ET_QSFP_PAGE,
		     p3 ? img + 4 * ET_QSFP_PAGE : NULL);
	return 0;
}

int et_sff_show_ioctl(uint32_t type, const uint8_t *data, size_t len)
{
	switch (type) {
	case ETH_MODULE_SFF_8079:
		et_sfp_show_id(data, len);
		return 0;
	case ETH_MODULE_SFF_8472:
		et_sfp_show_id(data, len);
		et_sfp_show_diag(data, len, data + ET_SFP_PAGE,
				 len > ET_SFP_PAGE ? len - ET_SFP_PAGE : 0);
		return 0;
	case ETH_MODULE_SFF_8436:
	case ETH_MODULE_SFF_8636:
		return qsfp_ioctl(data, len);
	default:
		return -EOPNOTSUPP;
	}
}

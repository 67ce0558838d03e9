// SPDX-License-Identifier: MIT
/* ETHTOOL_MSG_MODULE_EEPROM_GET: one page of a transceiver module's memory. */
#include <errno.h>
#include <stdint.h>
#include <string.h>

#include <linux/ethtool_netlink.h>
#include <linux/genetlink.h>
#include <libmnl/libmnl.h>

#include "embnet/ethtool.h"
#include "embnet/ethtool_module.h"
#include "embnet/genl.h"
#include "embnet/nl.h"

int nl_ethtool_module_put(struct nlmsghdr *nlh, size_t buf_len,
			  const struct nl_ethtool_module_req *req)
{
	if (!mnl_attr_put_u32_check(nlh, buf_len,
				    ETHTOOL_A_MODULE_EEPROM_LENGTH,
				    req->length) ||
	    !mnl_attr_put_u32_check(nlh, buf_len,
				    ETHTOOL_A_MODULE_EEPROM_OFFSET,
				    req->offset) ||
	    !mnl_attr_put_u8_check(nlh, buf_len, ETHTOOL_A_MODULE_EEPROM_PAGE,
				   req->page) ||
	    !mnl_attr_put_u8_check(nlh, buf_len, ETHTOOL_A_MODULE_EEPROM_BANK,
				   req->bank) ||
	    !mnl_attr_put_u8_check(nlh, buf_len,
				   ETHTOOL_A_MODULE_EEPROM_I2C_ADDRESS,
				   req->i2c_address))
		return -EMSGSIZE;
	return 0;
}

static const struct nl_policy module_pol[ETHTOOL_A_MODULE_EEPROM_DATA + 1] = {
	[ETHTOOL_A_MODULE_EEPROM_HEADER] = { .kind = NL_A_NESTED },
	[ETHTOOL_A_MODULE_EEPROM_DATA] = { .kind = NL_A_BINARY },
};

int nl_ethtool_module_parse(const struct nlmsghdr *nlh, uint8_t *out,
			    size_t out_len, size_t *len)
{
	const struct nlattr *tb[ETHTOOL_A_MODULE_EEPROM_DATA + 1];
	const struct nlattr *d;

	if (nl_parse_attrs(nlh, GENL_HDRLEN, tb, ETHTOOL_A_MODULE_EEPROM_DATA,
			   module_pol) < 0)
		return -EBADMSG;
	d = tb[ETHTOOL_A_MODULE_EEPROM_DATA];
	if (!d)
		return -EBADMSG;
	*len = mnl_attr_get_payload_len(d);
	if (*len > out_len)
		return -EMSGSIZE;
	memcpy(out, mnl_attr_get_payload(d), *len);
	return 0;
}

struct module_ctx {
	uint16_t family;
	uint8_t *out;
	size_t out_len, len;
	int err; /* 1 until a reply was parsed */
};

static int module_cb(const struct nlmsghdr *nlh, void *data)
{
	struct module_ctx *ctx = data;

	if (nlh->nlmsg_type != ctx->family || ctx->err <= 0)
		return MNL_CB_OK;
	ctx->err =
		nl_ethtool_module_parse(nlh, ctx->out, ctx->out_len, &ctx->len);
	return ctx->err < 0 ? MNL_CB_ERROR : MNL_CB_OK;
}

int nl_ethtool_module_get(struct nl_sock *ns, const struct nl_genl_family *fam,
			  const struct nl_ethtool_dev *dev,
			  const struct nl_ethtool_module_req *req, uint8_t *out,
			  size_t out_len, size_t *len)
{
	char buf[MNL_SOCKET_BUFFER_SIZE] NL_ALIGNED;
	struct module_ctx ctx = {
		.family = fam->id, .out = out, .out_len = out_len, .err = 1
	};
	struct nlmsghdr *nlh;
	int err;

	*len = 0;
	err = nl_ethtool_msg(buf, sizeof(buf), fam,
			     ETHTOOL_MSG_MODULE_EEPROM_GET, dev, 0, &nlh);
	if (err == 0)
		err = nl_ethtool_module_put(nlh, sizeof(buf), req);
	if (err == 0)
		err = nl_talk(ns, nlh, module_cb, &ctx);
	if (err < 0)
		return ctx.err < 0 ? ctx.err : err;
	if (ctx.err > 0)
		return -EBADMSG;
	*len = ctx.len;
	return 0;
}

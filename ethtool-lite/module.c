// SPDX-License-Identifier: MIT
/*
 * -m / --dump-module-eeprom / --module-info: a transceiver module's EEPROM,
 * over netlink (ETHTOOL_MSG_MODULE_EEPROM_GET, one page at a time) or,
 * as ethtool 6.1 falls back for a whole hex or raw dump, over ioctl
 * (ETHTOOL_GMODULEINFO, ETHTOOL_GMODULEEEPROM).  sff.c decodes the pages.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linux/ethtool.h>
#include <linux/ethtool_netlink.h>

#include "embnet/ethtool_module.h"
#include "et.h"
#include "print.h"

#define I2C_LOW 0x50
#define I2C_MAX 0x7f

enum { P_HEX, P_RAW, P_OFFSET, P_LENGTH, P_PAGE, P_BANK, P_I2C, N_P };
static const char *const pnames[N_P] = { "hex",	 "raw",	 "offset", "length",
					 "page", "bank", "i2c" };

/* 6.1's nl_parser() over getmodule_params; -EINVAL after its one line. */
static int mparse(const struct et_ctx *c, uint32_t *v)
{
	uint32_t seen = 0;
	unsigned int k;
	const char *s;
	int i;

	for (i = 0; i < c->argc; i += 2) {
		for (k = 0; k < N_P && strcmp(pnames[k], c->argv[i]); k++)
			;
		if (k == N_P) {
			fprintf(stderr,
				"ethtool (-m): unknown parameter '%s'\n",
				c->argv[i]);
			return -EINVAL;
		}
		if (seen & (1u << k)) {
			fprintf(stderr,
				"ethtool (-m): duplicate parameter '%s'\n",
				pnames[k]);
			return -EINVAL;
		}
		seen |= 1u << k;
		if (i + 1 >= c->argc) {
			fprintf(stderr,
				"ethtool (-m): no value for parameter '%s'\n",
				pnames[k]);
			return -EINVAL;
		}
		s = c->argv[i + 1];
		if (k <= P_RAW && (!strcmp(s, "on") || !strcmp(s, "off")))
			v[k] = !strcmp(s, "on");
		else if (k <= P_RAW || et_nl_u32(s, &v[k]) < 0) {
			fprintf(stderr,
				"ethtool (-m): invalid value '%s' for parameter '%s'\n",
				s, pnames[k]);
			return -EINVAL;
		}
	}
	return 0;
}

int et_module_page(struct et_ctx *c, const struct nl_ethtool_module_req *req,
		   uint8_t *out)
{
	size_t len;
	int err;

	/* 6.1 refuses these itself, silently */
	if (req->i2c_address > I2C_MAX ||
	    req->length > NL_ETHTOOL_MODULE_PAGE_MAX)
		return -EINVAL;
	err = nl_ethtool_module_get(&c->ns, &c->fam, &c->dev, req, out,
				    req->length, &len);
	if (err < 0) {
		et_nl_perror(c, err);
		return err;
	}
	if (len < req->length) /* 6.1 would read past the reply */
		memset(out + len, 0, req->length - len);
	return 0;
}

/* No page asked for: decode what the identifier byte names. */
static int module_decode(struct et_ctx *c)
{
	struct nl_ethtool_module_req req = { .length = 1,
					     .i2c_address = I2C_LOW };
	uint8_t id, page[128];
	int err;

	err = et_module_page(c, &req, &id);
	if (err < 0)
		return err;
	err = et_sff_show_nl(c, id);
	if (err != -EOPNOTSUPP)
		return err;
	req.length = 128;
	err = et_module_page(c, &req, page);
	if (err == 0)
		et_dump_hex(page, req.length, req.offset);
	return err;
}

static int module_dump(struct et_ctx *c, const uint32_t *v)
{
	struct nl_ethtool_module_req req = {
		.offset = v[P_OFFSET],
		.length = v[P_LENGTH] ? v[P_LENGTH] : 128,
		.page = (uint8_t)v[P_PAGE],
		.bank = (uint8_t)v[P_BANK],
		.i2c_address = (uint8_t)(v[P_I2C] ? v[P_I2C] : I2C_LOW),
	};
	uint8_t buf[NL_ETHTOOL_MODULE_PAGE_MAX];
	int err;

	if (v[P_I2C] > I2C_MAX)
		return -EINVAL;
	if (req.page && !req.offset)
		req.offset = 128;
	err = et_module_page(c, &req, buf);
	if (err < 0)
		return err;
	if (v[P_RAW])
		fwrite(buf, 1, req.length, stdout);
	else
		et_dump_hex(buf, req.length, req.offset);
	return 0;
}

int et_nl_module(struct et_ctx *c)
{
	uint32_t v[N_P] = { 0 };

	if (et_nl_missing(c, ETHTOOL_MSG_MODULE_EEPROM_GET))
		return -EOPNOTSUPP;
	if (mparse(c, v) < 0)
		return 1;
	if (v[P_HEX] && v[P_RAW]) {
		fprintf(stderr,
			"Hex and raw dump cannot be specified together\n");
		return 1;
	}
	/* a whole hex or raw dump: 6.1 takes the ioctl path (by value:
	 * "page 0" counts as no page) */
	if ((v[P_HEX] || v[P_RAW]) && !v[P_PAGE] && !v[P_BANK] && !v[P_I2C]) {
		c->ioctl_fallback = true;
		return -EOPNOTSUPP;
	}
	if (v[P_PAGE] || v[P_BANK] || v[P_OFFSET] || v[P_LENGTH])
		v[P_HEX] = 1;
	if (!v[P_HEX] && !v[P_RAW])
		return module_decode(c) < 0 ? 1 : 0;
	return module_dump(c, v) < 0 ? 1 : 0;
}

static int io_module_read(struct et_ctx *c, struct ethtool_eeprom *ee)
{
	int err = ethtool_ioctl(c->devname, ee);

	if (err < 0) {
		et_perror("Cannot get Module EEPROM data", err);
		if (err == -ENODEV || err == -EIO || err == -ENXIO)
			fprintf(stderr, "SFP module not in cage?\n");
	}
	return err;
}

static void io_module_show(const struct ethtool_modinfo *mi,
			   const struct ethtool_eeprom *ee, bool raw, bool hex)
{
	if (raw) {
		fwrite(ee->data, 1, ee->len, stdout);
		return;
	}
	if (ee->offset != 0 || ee->len != mi->eeprom_len)
		hex = true;
	if (hex || et_sff_show_ioctl(mi->type, ee->data, ee->len) < 0)
		et_dump_hex(ee->data, ee->len, ee->offset);
}

int et_io_module(struct et_ctx *c)
{
	uint32_t offset = 0, length = 0;
	bool raw = false, hex = false;
	struct et_arg args[] = {
		{ "offset", ET_ARG_U32, &offset, false },
		{ "length", ET_ARG_U32, &length, false },
		{ "raw", ET_ARG_BOOL, &raw, false },
		{ "hex", ET_ARG_BOOL, &hex, false },
	};
	struct ethtool_modinfo mi = { .cmd = ETHTOOL_GMODULEINFO };
	struct ethtool_eeprom *ee;
	int err;

	if (et_args_parse(c, args, 4) < 0)
		return et_bad_args();
	if (hex && raw) {
		/* on stdout here, as 6.1's do_getmodule() prints it */
		printf("Hex and raw dump cannot be specified together\n");
		return 1;
	}
	err = ethtool_ioctl(c->devname, &mi);
	if (err < 0) {
		et_perror("Cannot get module EEPROM information", err);
		return 1;
	}
	if (!args[1].seen)
		length = mi.eeprom_len;
	if (mi.eeprom_len < offset + length)
		length = mi.eeprom_len - offset;
	/* the kernel writes at most eeprom_len bytes (it refuses more) */
	ee = calloc(1, sizeof(*ee) + (length < mi.eeprom_len ? length
							     : mi.eeprom_len));
	if (!ee) {
		et_perror("Cannot allocate memory for Module EEPROM data",
			  -ENOMEM);
		return 1;
	}
	ee->cmd = ETHTOOL_GMODULEEEPROM;
	ee->len = length;
	ee->offset = offset;
	err = io_module_read(c, ee);
	if (err == 0)
		io_module_show(&mi, ee, raw, hex);
	free(ee);
	return err < 0 ? 1 : 0;
}

// SPDX-License-Identifier: MIT
/*
 * -e / --eeprom-dump and -E / --change-eeprom: the NIC's own EEPROM
 * (ETHTOOL_GEEPROM, ETHTOOL_SEEPROM), sized by ETHTOOL_GDRVINFO's
 * eedump_len, as ethtool 6.1 reads and writes it.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include <linux/ethtool.h>

#include "et.h"
#include "print.h"

static int drvinfo(const struct et_ctx *c, struct ethtool_drvinfo *d)
{
	int err;

	d->cmd = ETHTOOL_GDRVINFO;
	err = ethtool_ioctl(c->devname, d);
	if (err < 0)
		et_perror("Cannot get driver information", err);
	return err;
}

/*
 * A struct ethtool_eeprom for @len bytes.  The kernel writes data only
 * when offset + len fits its EEPROM (eedump_len bytes), so no more than
 * @cap bytes are allocated; 6.1 allocates @len, even 4 GiB.
 */
static struct ethtool_eeprom *ee_alloc(uint32_t len, uint32_t cap)
{
	return calloc(1,
		      sizeof(struct ethtool_eeprom) + (len < cap ? len : cap));
}

int et_io_geeprom(struct et_ctx *c)
{
	uint32_t offset = 0, length = 0;
	bool raw = false;
	struct et_arg args[] = {
		{ "offset", ET_ARG_U32, &offset, false },
		{ "length", ET_ARG_U32, &length, false },
		{ "raw", ET_ARG_BOOL, &raw, false },
	};
	struct ethtool_drvinfo d;
	struct ethtool_eeprom *ee;
	int err;

	if (et_args_parse(c, args, 3) < 0)
		return et_bad_args();
	if (drvinfo(c, &d) < 0)
		return 74;
	if (!args[1].seen)
		length = d.eedump_len;
	if (d.eedump_len < offset + length)
		length = d.eedump_len - offset;
	ee = ee_alloc(length, d.eedump_len);
	if (!ee) {
		et_perror("Cannot allocate memory for EEPROM data", -ENOMEM);
		return 75;
	}
	ee->cmd = ETHTOOL_GEEPROM;
	ee->len = length;
	ee->offset = offset;
	err = ethtool_ioctl(c->devname, ee);
	if (err < 0) {
		et_perror("Cannot get EEPROM data", err);
		free(ee);
		return 74;
	}
	if (raw)
		fwrite(ee->data, 1, ee->len, stdout);
	else
		et_dump_hex(ee->data, ee->len, ee->offset);
	free(ee);
	return 0;
}

/* -E's bytes: VALUE, or exactly ee->len bytes on stdin. */
static int seeprom_data(struct ethtool_eeprom *ee, bool value_seen)
{
	if (value_seen)
		return 0;
	if (fread(ee->data, ee->len, 1, stdin) != 1) {
		fprintf(stderr, "not enough data from stdin\n");
		return -1;
	}
	if (fgetc(stdin) != EOF || !feof(stdin)) {
		fprintf(stderr, "too much data from stdin\n");
		return -1;
	}
	return 0;
}

static int seeprom_run(struct et_ctx *c, struct ethtool_eeprom *ee,
		       bool value_seen)
{
	int err;

	if (seeprom_data(ee, value_seen) < 0)
		return 75;
	err = ethtool_ioctl(c->devname, ee);
	if (err < 0) {
		et_perror("Cannot set EEPROM data", err);
		return 87;
	}
	return 0;
}

int et_io_seeprom(struct et_ctx *c)
{
	uint32_t magic = 0, offset = 0, length = 0;
	uint8_t value = 0;
	struct et_arg args[] = {
		{ "magic", ET_ARG_U32, &magic, false },
		{ "offset", ET_ARG_U32, &offset, false },
		{ "length", ET_ARG_U32, &length, false },
		{ "value", ET_ARG_U8, &value, false },
	};
	struct ethtool_drvinfo d;
	struct ethtool_eeprom *ee;
	int ret;

	if (et_args_parse(c, args, 4) < 0)
		return et_bad_args();
	if (drvinfo(c, &d) < 0)
		return 74;
	if (!args[2].seen)
		length = args[3].seen ? 1 : d.eedump_len;
	if (args[3].seen && length != 1) {
		fprintf(stderr, "value requires length 1\n");
		return 1;
	}
	if (d.eedump_len < offset + length) {
		fprintf(stderr, "offset & length out of bounds\n");
		return 1;
	}
	ee = calloc(1, sizeof(*ee) + length);
	if (!ee) {
		et_perror("Cannot allocate memory for EEPROM data", -ENOMEM);
		return 75;
	}
	ee->cmd = ETHTOOL_SEEPROM;
	ee->len = length;
	ee->offset = offset;
	ee->magic = magic;
	if (length)
		ee->data[0] = value;
	ret = seeprom_run(c, ee, args[3].seen);
	free(ee);
	return ret;
}

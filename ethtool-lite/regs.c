// SPDX-License-Identifier: MIT
/*
 * -d / --register-dump: the driver's registers (ETHTOOL_GREGS), raw or as
 * ethtool 6.1's hex table.  6.1 decodes the registers of some drivers
 * (e1000e, igb, vmxnet3, ...); ethtool-lite prints the hex table for
 * every driver, which is what 6.1 prints with "hex on".
 */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <linux/ethtool.h>

#include "et.h"
#include "print.h"

/* "file NAME": the dump read back from a file, as 6.1 does. */
static int regs_from_file(struct ethtool_regs **regs, const char *path)
{
	struct ethtool_regs *n;
	struct stat st;
	FILE *f = fopen(path, "r");
	size_t got;

	if (!f || fstat(fileno(f), &st) < 0) {
		fprintf(stderr, "Can't open '%s': %s\n", path, strerror(errno));
		if (f)
			fclose(f);
		return 75;
	}
	n = realloc(*regs, sizeof(*n) + (size_t)st.st_size);
	if (!n) {
		fclose(f);
		et_perror("Cannot allocate memory for register dump", -ENOMEM);
		return 73;
	}
	*regs = n;
	n->len = (uint32_t)st.st_size;
	got = fread(n->data, n->len, 1, f);
	fclose(f);
	return got == 1 ? 0 : 75;
}

static int regs_get(struct et_ctx *c, struct ethtool_regs **out)
{
	struct ethtool_drvinfo d = { .cmd = ETHTOOL_GDRVINFO };
	struct ethtool_regs *regs;
	int err;

	err = ethtool_ioctl(c->devname, &d);
	if (err < 0) {
		et_perror("Cannot get driver information", err);
		return 72;
	}
	regs = calloc(1, sizeof(*regs) + d.regdump_len);
	if (!regs) {
		et_perror("Cannot allocate memory for register dump", -ENOMEM);
		return 73;
	}
	regs->cmd = ETHTOOL_GREGS;
	regs->len = d.regdump_len;
	err = ethtool_ioctl(c->devname, regs);
	if (err < 0) {
		et_perror("Cannot get register dump", err);
		free(regs);
		return 74;
	}
	*out = regs;
	return 0;
}

int et_io_gregs(struct et_ctx *c)
{
	bool raw = false, hex = false;
	const char *file = NULL;
	struct et_arg args[] = {
		{ "raw", ET_ARG_BOOL, &raw, false },
		{ "hex", ET_ARG_BOOL, &hex, false },
		{ "file", ET_ARG_STR, &file, false },
	};
	struct ethtool_regs *regs = NULL;
	int ret;

	if (et_args_parse(c, args, 3) < 0)
		return et_bad_args();
	ret = regs_get(c, &regs);
	if (ret == 0 && !raw && file)
		ret = regs_from_file(&regs, file);
	if (ret == 0 && raw)
		fwrite(regs->data, regs->len, 1, stdout);
	else if (ret == 0)
		et_dump_hex(regs->data, regs->len, 0);
	free(regs);
	return ret;
}

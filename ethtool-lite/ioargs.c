// SPDX-License-Identifier: MIT
/*
 * What the ioctl-era commands (-d, -e, -E, -m) share in ethtool 6.1:
 * parse_generic_cmdline()'s "NAME VALUE" arguments and dump_hex().
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "et.h"

static int arg_value(struct et_arg *a, const char *s)
{
	unsigned long long v;

	switch (a->type) {
	case ET_ARG_BOOL:
		if (strcmp(s, "on") && strcmp(s, "off"))
			return -EINVAL;
		*(bool *)a->val = !strcmp(s, "on");
		return 0;
	case ET_ARG_U8:
	case ET_ARG_U32:
		if (et_strtou(s, 0, a->type == ET_ARG_U8 ? 0xff : 0xffffffff,
			      &v) < 0)
			return -EINVAL;
		if (a->type == ET_ARG_U8)
			*(uint8_t *)a->val = (uint8_t)v;
		else
			*(uint32_t *)a->val = (uint32_t)v;
		return 0;
	default:
		*(const char **)a->val = s;
		return 0;
	}
}

int et_args_parse(const struct et_ctx *c, struct et_arg *args, size_t n)
{
	size_t k;
	int i;

	for (i = 0; i < c->argc; i++) {
		for (k = 0; k < n && strcmp(args[k].name, c->argv[i]); k++)
			;
		if (k == n || ++i >= c->argc)
			return -EINVAL;
		args[k].seen = true;
		if (arg_value(&args[k], c->argv[i]) < 0)
			return -EINVAL;
	}
	return 0;
}

void et_dump_hex(const uint8_t *data, size_t len, uint32_t offset)
{
	size_t i;

	printf("Offset\t\tValues\n------\t\t------");
	for (i = 0; i < len; i++) {
		if (i % 16 == 0)
			printf("\n0x%04x:\t\t", (unsigned int)(i + offset));
		printf("%02x ", data[i]);
	}
	putchar('\n');
}

// SPDX-License-Identifier: MIT
/* -h and --version: ethtool 6.1's usage text, byte for byte. */
#include <stdio.h>
#include <string.h>

#include "et.h"

/*
 * The usage text of ethtool 6.1 (the tests compare it), kept in
 * ethtool-lite/usage.txt and packed at build time by scripts/lzpack (8.5
 * KB to 3.6 KB); the token format is described there.
 */
#include "usage.h"

int et_help(struct et_ctx *c)
{
	static char out[usage_len];
	const unsigned char *p = usage_lz, *end = p + sizeof(usage_lz);
	size_t n = 0, len, back;

	(void)c;
	while (p < end) {
		if (*p < 0x80) {
			len = *p++ + 1u;
			if (len > (size_t)(end - p) || len > usage_len - n)
				break;
			memcpy(out + n, p, len);
			p += len;
		} else {
			if (end - p < 2)
				break;
			len = ((*p >> 3) & 15u) + 3;
			back = ((*p & 7u) << 8 | p[1]) + 1u;
			p += 2;
			if (back > n || len > usage_len - n)
				break;
			for (size_t k = 0; k < len; k++)
				out[n + k] = out[n + k - back];
		}
		n += len;
	}
	fputs("ethtool version 6.1\n", stdout);
	fwrite(out, 1, n, stdout);
	return 0;
}

int et_version(struct et_ctx *c)
{
	(void)c;
	fputs("ethtool version 6.1\n", stdout);
	return 0;
}

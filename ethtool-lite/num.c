// SPDX-License-Identifier: MIT
/*
 * Numbers and WoL letters as ethtool 6.1's ioctl path reads them: strtoull
 * or strtoll in the given base (0: "010" is octal 8, "0x10" is 16), the
 * whole string consumed, the range checked.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <linux/ethtool.h>

#include "et.h"

int et_strtou(const char *s, int base, unsigned long long max,
	      unsigned long long *v)
{
	char *end;

	if (!s)
		return -EINVAL;
	errno = 0;
	*v = strtoull(s, &end, base);
	if (errno || *end || *v > max)
		return -EINVAL;
	return 0;
}

int et_strtoi(const char *s, int base, long long min, long long max,
	      long long *v)
{
	char *end;

	if (!s)
		return -EINVAL;
	errno = 0;
	*v = strtoll(s, &end, base);
	if (errno || *end || *v < min || *v > max)
		return -EINVAL;
	return 0;
}

int et_parse_wol(const char *s, uint32_t *opts)
{
	static const char letters[] = "pumbagsf";
	const char *p;

	*opts = 0;
	for (; *s; s++) {
		p = strchr(letters, *s);
		if (*s == 'd')
			*opts = 0;
		else if (p)
			*opts |= 1u << (p - letters);
		else
			return -EINVAL;
	}
	return 0;
}

/* ethtool 6.1's netlink parse_u32(): "0x" then hex, else decimal. */
int et_nl_u32(const char *s, uint32_t *v)
{
	unsigned long long u;
	int base = 10;

	if (!s || !s[0])
		return -EINVAL;
	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		s += 2;
		base = 16;
		if (!s[0])
			return -EINVAL;
	}
	if (et_strtou(s, base, UINT32_MAX, &u) < 0)
		return -EINVAL;
	*v = (uint32_t)u;
	return 0;
}

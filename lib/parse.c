// SPDX-License-Identifier: MIT
/*
 * Our own digit loops instead of strtoul(): strtoul() skips spaces, takes
 * a sign (and negates "-1" into ULONG_MAX), depends on errno being reset
 * by the caller and on the size of long.  Here every byte is checked.
 */
#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <strings.h>

#include "embnet/parse.h"

int parse_hex_digit(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Digits of @base (10 or 16) up to NUL, at most @max. */
static int parse_digits(const char *s, unsigned int base, uint64_t max,
			uint64_t *v)
{
	uint64_t acc = 0;
	bool range = false;
	int d;

	if (!s || !*s)
		return -EINVAL;
	for (; *s; s++) {
		d = parse_hex_digit(*s);
		if (d < 0 || (unsigned int)d >= base)
			return -EINVAL;
		if (acc > (max - (unsigned int)d) / base)
			range = true; /* keep going: junk still wins */
		else
			acc = acc * base + (unsigned int)d;
	}
	if (range)
		return -ERANGE;
	*v = acc;
	return 0;
}

int parse_u64(const char *s, uint64_t *v)
{
	return parse_digits(s, 10, UINT64_MAX, v);
}

int parse_u32(const char *s, uint32_t *v)
{
	return parse_u32_base(s, 10, v);
}

int parse_u32_base(const char *s, int base, uint32_t *v)
{
	bool prefix = s && s[0] == '0' && (s[1] == 'x' || s[1] == 'X');
	uint64_t acc;
	int err;

	if (base == 0)
		base = prefix ? 16 : 10;
	if (base != 10 && base != 16)
		return -EINVAL;
	if (base == 16 && prefix)
		s += 2;
	err = parse_digits(s, (unsigned int)base, UINT32_MAX, &acc);
	if (err)
		return err;
	*v = (uint32_t)acc;
	return 0;
}

int parse_int(const char *s, int min, int max, int *v)
{
	bool neg = s && *s == '-';
	uint64_t mag;
	int64_t val;
	int err;

	err = parse_digits(neg ? s + 1 : s, 10, (uint64_t)INT64_MAX, &mag);
	if (err)
		return err;
	val = neg ? -(int64_t)mag : (int64_t)mag;
	if (val < min || val > max)
		return -ERANGE;
	*v = (int)val;
	return 0;
}

int parse_mac(const char *s, uint8_t mac[6])
{
	uint8_t tmp[6];
	char sep;
	int i, hi, lo;

	if (!s)
		return -EINVAL;
	sep = s[0] && s[1] ? s[2] : 0;
	if (sep != ':' && sep != '-')
		return -EINVAL;
	for (i = 0; i < 6; i++, s += 3) {
		hi = parse_hex_digit(s[0]);
		lo = hi < 0 ? -1 : parse_hex_digit(s[1]);
		if (lo < 0)
			return -EINVAL;
		if (s[2] != (i < 5 ? sep : '\0'))
			return -EINVAL;
		tmp[i] = (uint8_t)(hi << 4 | lo);
	}
	for (i = 0; i < 6; i++)
		mac[i] = tmp[i];
	return 0;
}

int parse_hwaddr(const char *s, uint8_t *addr, size_t addr_max)
{
	size_t n = 0;
	int hi, lo;

	if (!s)
		return -EINVAL;
	for (;;) {
		hi = parse_hex_digit(*s++);
		if (hi < 0 || n >= addr_max)
			return -EINVAL;
		lo = parse_hex_digit(*s);
		if (lo >= 0) {
			hi = hi * 16 + lo;
			s++;
		}
		addr[n++] = (uint8_t)hi;
		if (*s == '\0')
			return (int)n;
		if (*s++ != ':')
			return -EINVAL;
	}
}

int parse_bool(const char *s, bool *v)
{
	static const char *const yes[] = { "on", "yes", "true", "1" };
	static const char *const no[] = { "off", "no", "false", "0" };
	size_t i;

	if (!s)
		return -EINVAL;
	for (i = 0; i < sizeof(yes) / sizeof(yes[0]); i++) {
		if (!strcasecmp(s, yes[i])) {
			*v = true;
			return 0;
		}
		if (!strcasecmp(s, no[i])) {
			*v = false;
			return 0;
		}
	}
	return -EINVAL;
}

bool parse_str_clean(const char *s, size_t len)
{
	size_t i;

	if (!s)
		return false;
	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c < 0x20 || c == 0x7f)
			return false;
	}
	return true;
}

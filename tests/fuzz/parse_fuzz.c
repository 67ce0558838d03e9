// SPDX-License-Identifier: MIT
// fuzz-covers: lib/parse.c
/*
 * libFuzzer target for lib/parse.c: every parser gets a NUL-terminated
 * copy of the input, and whatever it accepts must print back to the
 * canonical form of that input.
 */
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "embnet/parse.h"

/* @s without leading zeros (one digit kept). */
static const char *strip_zeros(const char *s)
{
	while (s[0] == '0' && s[1])
		s++;
	return s;
}

static bool all_digits(const char *s, int (*is)(int))
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (!is((unsigned char)*s))
			return false;
	return true;
}

static void check_unsigned(const char *s)
{
	char buf[32];
	uint32_t v32;
	uint64_t v64;
	int e32 = parse_u32(s, &v32), e64 = parse_u64(s, &v64);

	CHECK(e32 == 0 || e32 == -EINVAL || e32 == -ERANGE);
	CHECK(e64 == 0 || e64 == -EINVAL || e64 == -ERANGE);
	CHECK((e32 == -EINVAL) == (e64 == -EINVAL));
	CHECK((e32 == -EINVAL) == !all_digits(s, isdigit));
	if (e64 == 0) {
		snprintf(buf, sizeof(buf), "%" PRIu64, v64);
		CHECK(!strcmp(buf, strip_zeros(s)));
		CHECK(e32 == 0 ? v32 == v64 : v64 > UINT32_MAX);
	}
	if (e32 == 0) {
		snprintf(buf, sizeof(buf), "%" PRIu32, v32);
		CHECK(!strcmp(buf, strip_zeros(s)));
	}
}

static void check_hex(const char *s)
{
	const char *d = s;
	char buf[16], low[16];
	uint32_t v, w;
	size_t i;

	if (parse_u32_base(s, 16, &v) == 0) {
		if (d[0] == '0' && (d[1] == 'x' || d[1] == 'X'))
			d += 2;
		d = strip_zeros(d);
		CHECK(strlen(d) < sizeof(low));
		for (i = 0; d[i]; i++)
			low[i] = (char)tolower((unsigned char)d[i]);
		low[i] = '\0';
		snprintf(buf, sizeof(buf), "%" PRIx32, v);
		CHECK(!strcmp(buf, low));
	}
	if (parse_u32_base(s, 0, &v) == 0 &&
	    !(s[0] == '0' && (s[1] == 'x' || s[1] == 'X')))
		CHECK(parse_u32(s, &w) == 0 && w == v);
}

static void check_int(const char *s)
{
	char buf[32];
	const char *mag = *s == '-' ? s + 1 : s;
	int v;

	if (parse_int(s, INT_MIN, INT_MAX, &v) == 0) {
		snprintf(buf, sizeof(buf), "%d", v);
		mag = strip_zeros(mag);
		if (v < 0)
			CHECK(buf[0] == '-' && !strcmp(buf + 1, mag));
		else
			CHECK(!strcmp(buf, mag));
	}
	if (parse_int(s, -100, 100, &v) == 0)
		CHECK(v >= -100 && v <= 100);
}

static void check_mac(const char *s)
{
	uint8_t m[6];
	char buf[18];
	size_t i;

	if (parse_mac(s, m))
		return;
	CHECK(strlen(s) == 17);
	snprintf(buf, sizeof(buf), "%02x:%02x:%02x:%02x:%02x:%02x", m[0], m[1],
		 m[2], m[3], m[4], m[5]);
	for (i = 0; i < 17; i++) {
		char c = (char)tolower((unsigned char)s[i]);

		CHECK(buf[i] == (c == '-' ? ':' : c));
	}
}

/* Any-length link-layer addresses: what parses prints back the same,
 * each byte as the one or two hex digits it was written with. */
static void check_hwaddr(const char *s)
{
	uint8_t a[8];
	char buf[3 * sizeof(a)], *p = buf;
	int n = parse_hwaddr(s, a, sizeof(a));

	if (n < 0)
		return;
	CHECK(n >= 1 && n <= (int)sizeof(a));
	for (int i = 0; i < n; i++)
		p += sprintf(p, i ? ":%x" : "%x", a[i]);
	/* "0a" and "a" are one byte: compare without leading zeros */
	for (const char *q = s, *r = buf; *q || *r;) {
		if (*q == '0' && isxdigit((unsigned char)q[1]) &&
		    (q == s || q[-1] == ':')) {
			q++;
			continue;
		}
		CHECK(tolower((unsigned char)*q) == *r);
		q++;
		r++;
	}
}

static void check_misc(const char *s, const uint8_t *data, size_t size)
{
	bool b, clean = true;
	size_t i;

	if (parse_bool(s, &b) == 0)
		CHECK(strlen(s) >= 1 && strlen(s) <= 5);
	for (i = 0; i < size; i++)
		if (data[i] < 0x20 || data[i] == 0x7f)
			clean = false;
	CHECK(parse_str_clean((const char *)data, size) == clean);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1);

	if (!s)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';
	check_unsigned(s);
	check_hex(s);
	check_int(s);
	check_mac(s);
	check_hwaddr(s);
	check_misc(s, data, size);
	free(s);
	return 0;
}

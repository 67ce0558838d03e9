// SPDX-License-Identifier: MIT
// sources: ethtool-lite/rxfh.c ethtool-lite/print.c ethtool-lite/num.c
/*
 * ethtool-lite/rxfh.c's pure parts: -X's "hkey" bytes read by glibc's
 * sscanf("%2x%n") rules whatever the C library (checked against glibc's
 * own sscanf where the test runs on glibc, against cases everywhere),
 * the indirection table of "equal"/"weight" in 6.1's u32 arithmetic, and
 * the order of 6.1's refusals.  No sockets.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "capture.h"

/* glibc's answers, whatever the C library the test runs on. */
static const struct {
	const char *s;
	int ok, byte;
} bytes[] = {
	{ "ab", 1, 0xab }, { "AB", 1, 0xab }, { "a", 0, 0 },
	{ "a:", 0, 0 },	   { " a", 1, 0x0a }, { "\ta", 1, 0x0a },
	{ "  a", 0, 0 },   { " ab", 0, 0 },   { " 0x", 0, 0 },
	{ " 0", 1, 0 },	   { "-1", 1, 0xff }, { "+f", 1, 0x0f },
	{ "-f", 1, 0xf1 }, { "0x", 1, 0 },    { "0X1", 1, 0 },
	{ "x1", 0, 0 },	   { "-", 0, 0 },     { "--", 0, 0 },
	{ " -1", 0, 0 },   { "1g", 0, 0 },    { "g1", 0, 0 },
	{ ":1", 0, 0 },	   { "", 0, 0 },      { "\n1", 1, 1 },
	{ "-0", 1, 0 },	   { " +", 0, 0 },    { "00", 1, 0 },
	{ "ff", 1, 0xff }, { "0xf", 1, 0 },   { "1x", 0, 0 },
};

static void test_hex_byte_cases(void **state)
{
	uint8_t b;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bytes) / sizeof(bytes[0]); i++) {
		b = 0x5a;
		assert_int_equal(hex_byte(bytes[i].s, &b) == 0, bytes[i].ok);
		if (bytes[i].ok)
			assert_int_equal(b, bytes[i].byte);
	}
}

/* Every three characters of an alphabet against glibc's sscanf(), which
 * 6.1 runs: accepted when it reads exactly two, with its value. */
static void test_hex_byte_glibc(void **state)
{
#ifdef __GLIBC__
	static const char al[] = " \t\n+-0189afAFxXg:";
	char s[4] = { 0 };
	size_t a, b, c, n = sizeof(al);
	int v, len, ok;
	uint8_t got;

	(void)state;
	for (a = 0; a < n; a++)
		for (b = 0; b < n; b++)
			for (c = 0; c < n; c++) {
				s[0] = al[a];
				s[1] = al[b];
				s[2] = al[c];
				ok = sscanf(s, "%2x%n", &v, &len) == 1 &&
				     len == 2;
				assert_int_equal(hex_byte(s, &got) == 0, ok);
				if (ok)
					assert_int_equal(got, (uint8_t)v);
			}
#else
	/* no glibc to ask: its answers are the cases above */
	test_hex_byte_cases(state);
#endif
}

static void key_is(const char *s, uint32_t len, int ret, const char *err,
		   const uint8_t *want)
{
	uint8_t out[8];

	capture(2);
	assert_int_equal(parse_key(s, out, len), ret);
	assert_string_equal(captured(), err);
	if (want)
		assert_memory_equal(out, want, len);
}

static void test_parse_key(void **state)
{
	static const uint8_t k[] = { 0x01, 0xab, 0xff, 0x0a };

	(void)state;
	key_is("01:ab:-1: a", 4, 0, "", k);
	key_is("01:ab:ff:0a:", 4, 0, "", k);
	key_is("01:ab:ff", 4, 2, "Key is too short for device (3 < 4)\n", NULL);
	key_is("01:ab:ff:0a:00", 4, 2, "Key is too long for device (5 > 4)\n",
	       NULL);
	key_is("01ab", 2, 2, "Invalid RSS hash key format\n", NULL);
	key_is("01::ab", 2, 2, "Invalid RSS hash key format\n", NULL);
	key_is("", 1, 2, "Invalid RSS hash key format\n", NULL);
}

static char *w13_words[] = { "1", "3", NULL };

static void test_fill(void **state)
{
	struct rxfh_args a = { .w = w13_words, .n_w = 2, .start = 2 };
	uint32_t t[9], size = 9;
	static const uint32_t w13[9] = { 2, 2, 3, 3, 3, 3, 3, 3, 3 };
	static const uint32_t eq[9] = { 0, 1, 2, 0, 1, 2, 0, 1, 2 };

	(void)state;
	assert_int_equal(fill(&a, &size, t), 0);
	assert_memory_equal(t, w13, sizeof(t));
	a = (struct rxfh_args){ .equal = 3 };
	assert_int_equal(fill(&a, &size, t), 0);
	assert_memory_equal(t, eq, sizeof(t));
	a = (struct rxfh_args){ .flags = A_DEFAULT };
	assert_int_equal(fill(&a, &size, t), 0);
	assert_int_equal(size, 0);
	a = (struct rxfh_args){ 0 };
	assert_int_equal(fill(&a, &size, t), 0);
	assert_int_equal(size, ETH_RXFH_INDIR_NO_CHANGE);
}

/* 6.1's u32 sums: 2^31 + 2^31 + 1 is 1, and the table goes to the third. */
static void test_fill_wraps(void **state)
{
	static char *w[] = { "2147483648", "2147483648", "1", NULL };
	struct rxfh_args a = { .w = w, .n_w = 3 };
	uint32_t t[4], size = 4;
	static const uint32_t want[4] = { 2, 2, 2, 2 };

	(void)state;
	assert_int_equal(fill(&a, &size, t), 0);
	assert_memory_equal(t, want, sizeof(t));
}

static void fill_fails(char **w, uint32_t n_w, uint32_t size, const char *err)
{
	struct rxfh_args a = { .w = w, .n_w = n_w };
	uint32_t t[4];

	capture(2);
	assert_int_equal(fill(&a, &size, t), 1);
	assert_string_equal(captured(), err);
}

static void test_fill_refusals(void **state)
{
	static char *zero[] = { "0", "0", NULL };
	static char *big[] = { "3", "2", NULL };
	static char *bad[] = { "1x", NULL };
	static char *past[] = { "1", "hkey", NULL }; /* "weight 1 weight 1" */
	const char *bad_args = "ethtool: bad command line argument(s)\n"
			       "For more information run ethtool -h\n";

	(void)state;
	fill_fails(zero, 2, 4, "At least one weight must be non-zero\n");
	fill_fails(big, 2, 4,
		   "Total weight exceeds the size of the indirection table\n");
	fill_fails(bad, 1, 4, bad_args);
	fill_fails(past, 2, 4, bad_args);
}

static void conflict_is(unsigned int flags, const char *err)
{
	struct rxfh_args a = { .flags = flags };

	capture(2);
	assert_int_equal(conflict(&a), err[0] != 0);
	assert_string_equal(captured(), err);
}

static void test_conflicts(void **state)
{
	(void)state;
	conflict_is(A_EQUAL | A_WEIGHT | A_DEFAULT,
		    "Equal and weight options are mutually exclusive\n");
	conflict_is(A_START, "Start must be used with equal or weight "
			     "options\n");
	conflict_is(A_START | A_WEIGHT, "");
	conflict_is(A_DELETE | A_KEY, "Delete option requires context "
				      "option\n");
	conflict_is(A_DELETE | A_KEY | A_CTX,
		    "Delete and hkey options are mutually exclusive\n");
	conflict_is(A_CTX | A_EQUAL | A_KEY, "");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_hex_byte_cases),
		cmocka_unit_test(test_hex_byte_glibc),
		cmocka_unit_test(test_parse_key),
		cmocka_unit_test(test_fill),
		cmocka_unit_test(test_fill_wraps),
		cmocka_unit_test(test_fill_refusals),
		cmocka_unit_test(test_conflicts),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

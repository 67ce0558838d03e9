// SPDX-License-Identifier: MIT
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "embnet/parse.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

struct num_case {
	const char *in;
	int err;
	uint64_t v;
};

static void test_u32(void **state)
{
	static const struct num_case t[] = {
		{ "0", 0, 0 },
		{ "1", 0, 1 },
		{ "007", 0, 7 },
		{ "4294967295", 0, UINT32_MAX },
		{ "0000000000000000000000000000000004294967295", 0,
		  UINT32_MAX },
		{ "4294967296", -ERANGE, 0 },
		{ "99999999999999999999999999999999999999999", -ERANGE, 0 },
		{ "", -EINVAL, 0 },
		{ " 1", -EINVAL, 0 },
		{ "1 ", -EINVAL, 0 },
		{ "\t1", -EINVAL, 0 },
		{ "1\n", -EINVAL, 0 },
		{ "+1", -EINVAL, 0 },
		{ "-1", -EINVAL, 0 },
		{ "-0", -EINVAL, 0 },
		{ "1x", -EINVAL, 0 },
		{ "0x10", -EINVAL, 0 },
		{ "1e3", -EINVAL, 0 },
		{ "1.0", -EINVAL, 0 },
		{ "1,000", -EINVAL, 0 },
		{ "a", -EINVAL, 0 },
		/* overflow and junk: junk is the better message */
		{ "99999999999999999999x", -EINVAL, 0 },
	};
	size_t i;

	(void)state;
	for (i = 0; i < N(t); i++) {
		uint32_t v = 0xdeadbeef;
		int err = parse_u32(t[i].in, &v);

		if (err != t[i].err)
			fail_msg("parse_u32(\"%s\") = %d, want %d", t[i].in,
				 err, t[i].err);
		if (!err)
			assert_int_equal(v, t[i].v);
		else
			assert_int_equal(v, 0xdeadbeef); /* untouched */
	}
	assert_int_equal(parse_u32(NULL, &(uint32_t){ 0 }), -EINVAL);
}

static void test_u64(void **state)
{
	static const struct num_case t[] = {
		{ "0", 0, 0 },
		{ "4294967296", 0, 4294967296ULL },
		{ "18446744073709551615", 0, UINT64_MAX },
		{ "18446744073709551616", -ERANGE, 0 },
		{ "18446744073709551620", -ERANGE, 0 },
		{ "184467440737095516150", -ERANGE, 0 },
		{ "", -EINVAL, 0 },
		{ "-1", -EINVAL, 0 },
		{ "1 ", -EINVAL, 0 },
	};
	size_t i;

	(void)state;
	for (i = 0; i < N(t); i++) {
		uint64_t v = 42;
		int err = parse_u64(t[i].in, &v);

		if (err != t[i].err)
			fail_msg("parse_u64(\"%s\") = %d", t[i].in, err);
		assert_true(v == (err ? 42 : t[i].v));
	}
}

static void test_u32_base(void **state)
{
	static const struct {
		const char *in;
		int base, err;
		uint32_t v;
	} t[] = {
		{ "10", 10, 0, 10 },
		{ "0x10", 10, -EINVAL, 0 },
		{ "10", 16, 0, 16 },
		{ "0x10", 16, 0, 16 },
		{ "0X1f", 16, 0, 31 },
		{ "ffffffff", 16, 0, UINT32_MAX },
		{ "0x100000000", 16, -ERANGE, 0 },
		{ "0x", 16, -EINVAL, 0 },
		{ "0x", 0, -EINVAL, 0 },
		{ "0x0x1", 16, -EINVAL, 0 },
		{ "x1", 16, -EINVAL, 0 },
		{ "0x10", 0, 0, 16 },
		{ "010", 0, 0, 10 }, /* never octal */
		{ "ff", 0, -EINVAL, 0 },
		{ "-0x1", 0, -EINVAL, 0 },
		{ "10", 8, -EINVAL, 0 },
		{ "10", 2, -EINVAL, 0 },
		{ "10", -1, -EINVAL, 0 },
	};
	size_t i;

	(void)state;
	for (i = 0; i < N(t); i++) {
		uint32_t v = 7;
		int err = parse_u32_base(t[i].in, t[i].base, &v);

		if (err != t[i].err)
			fail_msg("parse_u32_base(\"%s\", %d) = %d", t[i].in,
				 t[i].base, err);
		assert_int_equal(v, err ? 7 : t[i].v);
	}
}

static void test_int(void **state)
{
	static const struct {
		const char *in;
		int min, max, err, v;
	} t[] = {
		{ "0", 0, 10, 0, 0 },
		{ "10", 0, 10, 0, 10 },
		{ "11", 0, 10, -ERANGE, 0 },
		{ "-1", 0, 10, -ERANGE, 0 },
		{ "-1", -5, 5, 0, -1 },
		{ "-0", -5, 5, 0, 0 },
		{ "-5", -5, 5, 0, -5 },
		{ "-6", -5, 5, -ERANGE, 0 },
		{ "2147483647", INT_MIN, INT_MAX, 0, INT_MAX },
		{ "-2147483648", INT_MIN, INT_MAX, 0, INT_MIN },
		{ "2147483648", INT_MIN, INT_MAX, -ERANGE, 0 },
		{ "-2147483649", INT_MIN, INT_MAX, -ERANGE, 0 },
		{ "-99999999999999999999999", INT_MIN, INT_MAX, -ERANGE, 0 },
		{ "+1", 0, 10, -EINVAL, 0 },
		{ "--1", -5, 5, -EINVAL, 0 },
		{ "-", -5, 5, -EINVAL, 0 },
		{ "", 0, 10, -EINVAL, 0 },
		{ " 1", 0, 10, -EINVAL, 0 },
		{ "1 ", 0, 10, -EINVAL, 0 },
		{ "- 1", -5, 5, -EINVAL, 0 },
		{ "1x", 0, 10, -EINVAL, 0 },
		{ "0x1", 0, 10, -EINVAL, 0 },
	};
	size_t i;

	(void)state;
	for (i = 0; i < N(t); i++) {
		int v = 1234;
		int err = parse_int(t[i].in, t[i].min, t[i].max, &v);

		if (err != t[i].err)
			fail_msg("parse_int(\"%s\") = %d", t[i].in, err);
		assert_int_equal(v, err ? 1234 : t[i].v);
	}
}

static void test_mac(void **state)
{
	static const char *const bad[] = {
		"",
		"00:11:22:33:44",
		"00:11:22:33:44:55:66",
		"00:11:22:33:44:55:",
		"00:11:22:33:44:5",
		"0:11:22:33:44:55",
		"00:11:22:33:44:5g",
		"00-11:22:33:44:55",
		"00:11:22:33:44-55",
		"00.11.22.33.44.55",
		"001122334455",
		" 00:11:22:33:44:55",
		"00:11:22:33:44:55 ",
		"00::11:22:33:44:55",
		"0x:11:22:33:44:55",
		"+0:11:22:33:44:55",
		"0",
		"00",
		"00:",
	};
	uint8_t want[6] = { 0x00, 0x1a, 0x2B, 0xc3, 0xff, 0x05 };
	uint8_t mac[6];
	size_t i;

	(void)state;
	assert_int_equal(parse_mac("00:1a:2B:c3:FF:05", mac), 0);
	assert_memory_equal(mac, want, 6);
	memset(mac, 0, sizeof(mac));
	assert_int_equal(parse_mac("00-1A-2b-C3-ff-05", mac), 0);
	assert_memory_equal(mac, want, 6);
	for (i = 0; i < N(bad); i++) {
		memset(mac, 0x77, sizeof(mac));
		if (parse_mac(bad[i], mac) != -EINVAL)
			fail_msg("parse_mac(\"%s\") accepted", bad[i]);
		assert_int_equal(mac[0], 0x77);
	}
	assert_int_equal(parse_mac(NULL, mac), -EINVAL);
}

static void test_bool(void **state)
{
	static const char *const yes[] = { "on", "yes", "true", "1",
					   "ON", "Yes", "TRUE" };
	static const char *const no[] = { "off", "no", "false", "0",
					  "OFF", "No", "False" };
	static const char *const bad[] = {
		"", "2", "y", "n", "onn", " on", "on ", "truee", "01", "enable"
	};
	size_t i;
	bool v;

	(void)state;
	for (i = 0; i < N(yes); i++) {
		v = false;
		assert_int_equal(parse_bool(yes[i], &v), 0);
		assert_true(v);
	}
	for (i = 0; i < N(no); i++) {
		v = true;
		assert_int_equal(parse_bool(no[i], &v), 0);
		assert_false(v);
	}
	for (i = 0; i < N(bad); i++) {
		if (parse_bool(bad[i], &v) != -EINVAL)
			fail_msg("parse_bool(\"%s\") accepted", bad[i]);
	}
	assert_int_equal(parse_bool(NULL, &v), -EINVAL);
}

static void test_str_clean(void **state)
{
	(void)state;
	assert_true(parse_str_clean("eth0", 4));
	assert_true(parse_str_clean("", 0));
	assert_true(parse_str_clean("a b $(x) `y`; 'z'", 17));
	assert_true(parse_str_clean("caf\xc3\xa9", 5));
	assert_false(parse_str_clean("a\0b", 3));
	assert_false(parse_str_clean("a\nb", 3));
	assert_false(parse_str_clean("a\tb", 3));
	assert_false(parse_str_clean("a\rb", 3));
	assert_false(parse_str_clean("\x1b[31m", 5));
	assert_false(parse_str_clean("a\x7f", 2));
	assert_false(parse_str_clean(NULL, 0));
	/* only @len bytes are looked at */
	assert_true(parse_str_clean("ab\n", 2));
}

static void test_hwaddr(void **state)
{
	static const uint8_t mac[6] = { 0x02, 0, 0x5e, 0x10, 0xab, 0xff };
	uint8_t out[32];

	(void)state;
	assert_int_equal(parse_hwaddr("02:00:5E:10:ab:ff", out, 32), 6);
	assert_memory_equal(out, mac, 6);
	assert_int_equal(parse_hwaddr("2:0:5e:10:ab:ff", out, 32), 6);
	assert_memory_equal(out, mac, 6);
	assert_int_equal(parse_hwaddr("", out, 32), -EINVAL);
	assert_int_equal(parse_hwaddr("02:", out, 32), -EINVAL);
	assert_int_equal(parse_hwaddr(":02", out, 32), -EINVAL);
	assert_int_equal(parse_hwaddr("02::03", out, 32), -EINVAL);
	assert_int_equal(parse_hwaddr("023", out, 32), -EINVAL);
	assert_int_equal(parse_hwaddr("0g", out, 32), -EINVAL);
	assert_int_equal(parse_hwaddr("01:02:03", out, 2), -EINVAL);
	assert_int_equal(parse_hwaddr("01:02", out, 2), 2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_hwaddr),
		cmocka_unit_test(test_u32), /* numbers */
		cmocka_unit_test(test_u64),
		cmocka_unit_test(test_u32_base),
		cmocka_unit_test(test_int),
		cmocka_unit_test(test_mac), /* other values */
		cmocka_unit_test(test_bool),
		cmocka_unit_test(test_str_clean),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

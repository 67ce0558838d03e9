// SPDX-License-Identifier: MIT
/* netperf's authentication formats: token plaintext, hash, users file. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "../../netperf/authfmt.c"

/* Decrypted from a real iperf3 3.12 token (anchors/iperf3.md). */
static const char real_plain[] = "user: alice\npwd:  s3cret\nts:   1795308815";

static void test_plain_real(void **state)
{
	struct np_auth_cred c;
	char buf[NP_AUTH_PLAIN_MAX];

	(void)state;
	assert_int_equal(
		np_auth_plain_parse(real_plain, strlen(real_plain), &c), 0);
	assert_string_equal(c.user, "alice");
	assert_string_equal(c.pwd, "s3cret");
	assert_true(c.ts == 1795308815);
	assert_int_equal(np_auth_plain_build(&c, buf, sizeof(buf)),
			 (int)strlen(real_plain));
	assert_memory_equal(buf, real_plain, strlen(real_plain));
}

static void test_plain_bad(void **state)
{
	static const char *const bad[] = {
		"",
		"user: alice",
		"user: alice\npwd: s3cret\nts:   1",   /* one space */
		"user:  alice\npwd:  s3cret\nts:   1", /* two spaces */
		"user: alice\npwd:  s3cret\nts:   ",
		"user: alice\npwd:  s3cret\nts:   12x",
		"user: alice\npwd:  s3cret\nts:   1\n",
		"user: alice\npwd:  s3cret\nts:   1234567890123456789",
		"user: \npwd:  s3cret\nts:   1",
		"user: alice\npwd:  \nts:   1",
	};
	struct np_auth_cred c;

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_equal(
			np_auth_plain_parse(bad[i], strlen(bad[i]), &c),
			-EINVAL);
	/* An embedded NUL ends the user name: the label no longer matches. */
	assert_int_equal(
		np_auth_plain_parse("user: al\0ce\npwd:  x\nts:   1", 27, &c),
		-EINVAL);
}

static void test_plain_build_bad(void **state)
{
	struct np_auth_cred c = { .user = "a b", .pwd = "x", .ts = 1 };
	char buf[64];

	(void)state;
	assert_int_equal(np_auth_plain_build(&c, buf, sizeof(buf)), -EINVAL);
	strcpy(c.user, "alice");
	c.pwd[0] = 0;
	assert_int_equal(np_auth_plain_build(&c, buf, sizeof(buf)), -EINVAL);
	strcpy(c.pwd, "x");
	assert_int_equal(np_auth_plain_build(&c, buf, 10), -ENOSPC);
	c.ts = -5;
	assert_true(np_auth_plain_build(&c, buf, sizeof(buf)) > 0);
	assert_int_equal(np_auth_plain_parse(buf, strlen(buf), &c), 0);
	assert_true(c.ts == -5);
}

static void test_hash(void **state)
{
	char hex[NP_AUTH_HASH_LEN + 1];

	(void)state;
	/* iperf3(1)'s example: mario/rossi. */
	np_auth_hash("mario", "rossi", hex);
	assert_string_equal(
		hex,
		"bf7a49a846d44b454a5d11e7acfaf13d138bbe0b7483aa3e050879700572709b");
}

static void test_users(void **state)
{
	static const char f[] =
		"# comment,bf7a49a846d44b454a5d11e7acfaf13d138bbe0b7483aa3e050879700572709b\n"
		"nocomma\n"
		"\n"
		"luigi,0000000000000000000000000000000000000000000000000000000000000000\n"
		"MARIO,BF7A49A846D44B454A5D11E7ACFAF13D138BBE0B7483AA3E050879700572709B\r\n"
		"mario,bf7a49a846d44b454a5d11e7acfaf13d138bbe0b7483aa3e050879700572709\n"
		"mario,BF7A49A846D44B454A5D11E7ACFAF13D138BBE0B7483AA3E050879700572709B\r\n";
	char hex[NP_AUTH_HASH_LEN + 1];

	(void)state;
	np_auth_hash("mario", "rossi", hex);
	assert_true(np_auth_users_match(f, sizeof(f) - 1, "mario", hex));
	/* Without the last line only a short hash is left for mario. */
	assert_false(np_auth_users_match(f, sizeof(f) - 1 - 72, "mario", hex));
	assert_false(np_auth_users_match(f, sizeof(f) - 1, "luigi", hex));
	assert_false(np_auth_users_match(f, sizeof(f) - 1, "# comment", hex));
	assert_false(np_auth_users_match(f, sizeof(f) - 1, "", hex));
	np_auth_hash("mario", "rossi2", hex);
	assert_false(np_auth_users_match(f, sizeof(f) - 1, "mario", hex));
}

static void test_ts(void **state)
{
	(void)state;
	assert_true(np_auth_ts_ok(1000, 1010, 10));
	assert_true(np_auth_ts_ok(1010, 1000, 10));
	assert_false(np_auth_ts_ok(1000, 1011, 10));
	assert_false(np_auth_ts_ok(1011, 1000, 10));
	assert_true(np_auth_ts_ok(1000, 1000, 0));
	assert_false(np_auth_ts_ok(-999999999999999999, 1000, 86400));
}

static void test_b64(void **state)
{
	(void)state;
	assert_true(np_auth_b64_valid("QUJD", 8));
	assert_true(np_auth_b64_valid("QUI=", 8));
	assert_true(np_auth_b64_valid("QQ==", 8));
	assert_true(np_auth_b64_valid("a+/9", 8));
	assert_false(np_auth_b64_valid("", 8));
	assert_false(np_auth_b64_valid("QUJ", 8));
	assert_false(np_auth_b64_valid("Q===", 8));
	assert_false(np_auth_b64_valid("Q=JD", 8));
	assert_false(np_auth_b64_valid("QU\nJ", 8));
	assert_false(np_auth_b64_valid("QU-_", 8));
	assert_false(np_auth_b64_valid("QUJDQUJD", 4));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_plain_real),
		cmocka_unit_test(test_plain_bad),
		cmocka_unit_test(test_plain_build_bad),
		cmocka_unit_test(test_hash),
		cmocka_unit_test(test_users),
		cmocka_unit_test(test_ts),
		cmocka_unit_test(test_b64),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

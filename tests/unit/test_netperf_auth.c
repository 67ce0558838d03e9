// SPDX-License-Identifier: MIT
// sources: netperf/authfmt.c netperf/auth.c
/*
 * netperf's authentication: token plaintext, hash, users file (authfmt.c);
 * the limiter of failures per source on a fake clock, and the server's
 * key and users file as loaded, reloaded and used (auth.c).
 */
#include <errno.h>
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "tmpdir.h"

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

/* ---- the limiter, on a fake clock ------------------------------------ */

static void src(const char *host, struct np_auth_src *s)
{
	np_auth_src(host, s);
}

static void test_src(void **state)
{
	struct np_auth_src a, b;

	(void)state;
	src("192.0.2.1", &a);
	assert_int_equal(a.family, AF_INET);
	src("::ffff:192.0.2.1", &b);
	assert_memory_equal(&a, &b, sizeof(a));
	src("192.0.2.2", &b);
	assert_memory_not_equal(&a, &b, sizeof(a));
	/* one IPv6 /64 is one source, the next /64 another */
	src("2001:db8:1:2::1", &a);
	src("2001:db8:1:2:ffff:ffff:ffff:ffff", &b);
	assert_int_equal(a.family, AF_INET6);
	assert_memory_equal(&a, &b, sizeof(a));
	src("2001:db8:1:3::1", &b);
	assert_memory_not_equal(&a, &b, sizeof(a));
	src("", &a);
	src("not an address", &b);
	assert_int_equal(a.family, 0);
	assert_memory_equal(&a, &b, sizeof(a));
	src(NULL, &b);
	assert_memory_equal(&a, &b, sizeof(a));
}

static void test_lim_backoff(void **state)
{
	static struct np_auth_lim l;
	struct np_auth_src a, b;
	int64_t now = 1000, want = NP_AUTH_LIM_WAIT_MS;

	(void)state;
	src("192.0.2.1", &a);
	src("192.0.2.2", &b);
	for (int i = 1; i < NP_AUTH_LIM_FREE; i++) {
		np_auth_lim_fail(&l, &a, now++);
		assert_true(np_auth_lim_wait(&l, &a, now) == 0);
	}
	np_auth_lim_fail(&l, &a, now);
	assert_true(np_auth_lim_wait(&l, &a, now) == NP_AUTH_LIM_WAIT_MS);
	assert_true(np_auth_lim_wait(&l, &a, now + want - 1) == 1);
	assert_true(np_auth_lim_wait(&l, &b, now) == 0);
	/* each failure after its wait doubles the next, up to the cap */
	for (int i = 0; i < 10; i++) {
		now += want;
		assert_true(np_auth_lim_wait(&l, &a, now) == 0);
		np_auth_lim_fail(&l, &a, now);
		want = want * 2 > NP_AUTH_LIM_WAIT_MAX_MS
			       ? NP_AUTH_LIM_WAIT_MAX_MS
			       : want * 2;
		assert_true(np_auth_lim_wait(&l, &a, now) == want);
	}
	assert_true(want == NP_AUTH_LIM_WAIT_MAX_MS);
	/* a success forgets the source */
	np_auth_lim_ok(&l, &a);
	assert_true(np_auth_lim_wait(&l, &a, now) == 0);
	for (int i = 1; i < NP_AUTH_LIM_FREE; i++)
		np_auth_lim_fail(&l, &a, now);
	assert_true(np_auth_lim_wait(&l, &a, now) == 0);
	np_auth_lim_ok(&l, &b); /* unknown: nothing */
}

static void test_lim_forget(void **state)
{
	static struct np_auth_lim l;
	struct np_auth_src a;
	int64_t now = 0;

	(void)state;
	src("2001:db8::7", &a);
	/* failures further apart than the window never add up */
	for (int i = 0; i < 3 * NP_AUTH_LIM_FREE; i++) {
		now += NP_AUTH_LIM_FORGET_MS + 1;
		np_auth_lim_fail(&l, &a, now);
		assert_true(np_auth_lim_wait(&l, &a, now) == 0);
	}
	for (int i = 1; i < NP_AUTH_LIM_FREE; i++)
		np_auth_lim_fail(&l, &a, now + i * (NP_AUTH_LIM_FORGET_MS / 2));
	assert_true(np_auth_lim_wait(&l, &a, now + 2 * NP_AUTH_LIM_FORGET_MS) >
		    0);
}

static void test_lim_table_full(void **state)
{
	static struct np_auth_lim l;
	struct np_auth_src a, b, first;
	char host[IP_STRLEN];
	int64_t now = 5000;

	(void)state;
	src("198.51.100.1", &a);
	for (int i = 0; i < NP_AUTH_LIM_FREE; i++)
		np_auth_lim_fail(&l, &a, now);
	/* the table holds a and 63 others: a keeps its back-off */
	for (int i = 0; i < NP_AUTH_LIM_SLOTS - 1; i++) {
		snprintf(host, sizeof(host), "203.0.113.%d", i);
		src(host, &b);
		np_auth_lim_fail(&l, &b, now + 1 + i);
	}
	assert_true(np_auth_lim_wait(&l, &a, now + 100) > 0);
	/* one more source takes the oldest entry, a's */
	src("192.0.2.99", &b);
	np_auth_lim_fail(&l, &b, now + 100);
	assert_true(np_auth_lim_wait(&l, &a, now + 100) == 0);
	src("203.0.113.0", &first);
	assert_non_null(lim_find(&l, &first));
	for (int i = 0; i < NP_AUTH_LIM_SLOTS; i++)
		assert_true(l.e[i].used);
	/* and then the next oldest */
	np_auth_lim_fail(&l, &a, now + 101);
	assert_null(lim_find(&l, &first));
}

/* ---- the server's key and users file (auth.c) ------------------------ */

/* RSA-1024 pairs made with openssl for these tests only: key 1 in PKCS#8,
 * key 2 in the traditional format. */
static const char key1[] =
	"-----BEGIN PRIVATE KEY-----\n"
	"MIICdwIBADANBgkqhkiG9w0BAQEFAASCAmEwggJdAgEAAoGBANXEoEkJr0vVlk06\n"
	"7Afs8zwAktUD4YK6mueSIXR64HarsxiikzbbTe1kmZmXdUP2k/5MVYMgpfytClAi\n"
	"eMDJgedpyk3U/6cingv70H0AzNrrwnuTSHJsosQKxTRcJUBCtDd9O5Hcfu0dMmgg\n"
	"us4j9Wk+IRTzM1XCVgQuCxJ+Cus/AgMBAAECgYEAnoUT83WKF6tIrPavx2TQLsOi\n"
	"HvKkzUPB0U2NH4prX7UNt4v/rSNNk2gRe1NUc1SsBFzo4LdaP5i2WBxn/Vawy+ar\n"
	"+6bOumYqzJ15bdbrrjf0ii8/RFkT7+FJRe8pUrJxbf7IbkTci9czgyOUl7uXCY+z\n"
	"6Vnz9mnmNu7YuvVbZYECQQDtPGik9a7wzkM4rTP9lsGS84XjDnQtb9W8JjiyGMvL\n"
	"0fOR38o+DDYGgJZYA32Bb9qu33TivRUOiTLMsc5Y+V//AkEA5q0JHSBS+L3P9NOs\n"
	"oasg5bUZsDKkR511Lssby1gCQ5u+4+x28FmFlyHxmukTilAjKkjXcXqYuYHAD2Gh\n"
	"1XZ0wQJAWyUZYz9NDhGA/BZ3Yhd4mZfcOacE9awA5v+cSriCG/W26bWcQwh3/TmM\n"
	"CZaVspQh5YvOoYpZu7L0hHZPvBlbSwJARLaSmmyAirvv8FwFdnsFZ6eUqVnMedC7\n"
	"kV7LPr1On1kLedV8cIgaNTTVRXHccj0A3J2qH5GHYOr3jR1mGbIZgQJBALbm6pCO\n"
	"mUrCQJpVQxx7wVyJaDf0ckzOPCCmSJ9RGdcHK2pzjukkZ8ELUd6u15rmoREi+2uL\n"
	"P9K494PyQYUIP6k=\n"
	"-----END PRIVATE KEY-----\n";
static const char pub1[] =
	"-----BEGIN PUBLIC KEY-----\n"
	"MIGfMA0GCSqGSIb3DQEBAQUAA4GNADCBiQKBgQDVxKBJCa9L1ZZNOuwH7PM8AJLV\n"
	"A+GCuprnkiF0euB2q7MYopM2203tZJmZl3VD9pP+TFWDIKX8rQpQInjAyYHnacpN\n"
	"1P+nIp4L+9B9AMza68J7k0hybKLECsU0XCVAQrQ3fTuR3H7tHTJoILrOI/VpPiEU\n"
	"8zNVwlYELgsSfgrrPwIDAQAB\n"
	"-----END PUBLIC KEY-----\n";
static const char key2[] =
	"-----BEGIN RSA PRIVATE KEY-----\n"
	"MIICXQIBAAKBgQC/bHpK0J5f76nLtAIKfmFgDpSCh54AaEtsflcdkrSGXZvg0UMP\n"
	"wXVzJf+whH5dtMyRp3pHMCR6NMmS8/YuPmEbdsoND2Y1GyAJNK0OHTkDDAgKDyzw\n"
	"VMOCX2oK+q8xGmmSIJBUiHjpMBqEVy07ldxWUAVnWqNreBxMaK9GWj7HtQIDAQAB\n"
	"AoGAXAV48JhDWlkrJfrd9E923ieEKw+o3AdHItvFYzkQQXukoLnYZC2bGYTN2vyG\n"
	"huOQaAC73pb9IiZYNKXE1cw0/5rL0wBTDBdICyrNwgXWXd8pYHXA+4stZyMvune5\n"
	"1495tyYAQOITAvOz2iBcpPeaqqai5C5f4YNam+sw0cJ1Ic0CQQDoun+YeUHviLRw\n"
	"t7SCMZAYxYpn1bvBW9V2421JBurG9g6hBGaxgF1OWDL1l0V2V5v95YzoBq/CTCpL\n"
	"UBs+ERCzAkEA0pCjlvC/1FguxV1gZuZMbh5E7Z/SgWgxYoSah4XoqJT2Ss69TWMy\n"
	"KQf28MMrjCuL1uCrXYJh7XDGqWNBivkp9wJBALYC/b2KwAWNPcmV8ueLya2F+Qvi\n"
	"PbgokVcs4RCnB0DZuXE2lvYldVPLaPdn+lxmgkpcmAnzCMyFcuJ54QR2pj8CQAJh\n"
	"ekgJntGi0ZyPqrhfIDwagYMCTJoD+JL5ltmzbOcDECnWXpOSbI3ENkmQm1xxXZpn\n"
	"Xeinwb2yibx+j84ndQ8CQQCrVMPtO0g5Z+KlulKYPqGg97UNfIqyuUvx+5ihrPty\n"
	"AzbOe/5QfI2ZMTkN/ngTYUX3lA8vl9ZDknaENRYHYcrb\n"
	"-----END RSA PRIVATE KEY-----\n";
static const char pub2[] =
	"-----BEGIN PUBLIC KEY-----\n"
	"MIGfMA0GCSqGSIb3DQEBAQUAA4GNADCBiQKBgQC/bHpK0J5f76nLtAIKfmFgDpSC\n"
	"h54AaEtsflcdkrSGXZvg0UMPwXVzJf+whH5dtMyRp3pHMCR6NMmS8/YuPmEbdsoN\n"
	"D2Y1GyAJNK0OHTkDDAgKDyzwVMOCX2oK+q8xGmmSIJBUiHjpMBqEVy07ldxWUAVn\n"
	"WqNreBxMaK9GWj7HtQIDAQAB\n"
	"-----END PUBLIC KEY-----\n";

/* mario/rossi (iperf3(1)'s example) */
static const char users1[] =
	"mario,bf7a49a846d44b454a5d11e7acfaf13d138bbe0b7483aa3e050879700572709b\n";

struct fx {
	char priv[96], pub1[96], pub2[96], users[96], tmp[96];
	struct np_opts o;
};

static void put(const char *path, const void *buf, size_t len)
{
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	assert_int_equal(fwrite(buf, 1, len, f), len);
	assert_int_equal(fclose(f), 0);
}

/* Writes @buf to @path as a new file (a new inode, as editors do). */
static void replace(struct fx *x, const char *path, const void *buf, size_t len)
{
	put(x->tmp, buf, len);
	assert_int_equal(rename(x->tmp, path), 0);
}

/* Forgets what the server loaded and counted (auth.c's state). */
static void srv_forget(void)
{
	mbedtls_pk_free(&srv.pk);
	mbedtls_pk_init(&srv.pk);
	free(srv.users);
	srv.users = NULL;
	srv.users_len = 0;
	memset(&srv.key_f, 0, sizeof(srv.key_f));
	memset(&srv.users_f, 0, sizeof(srv.users_f));
	memset(&srv.lim, 0, sizeof(srv.lim));
}

static int fx_setup(void **state)
{
	struct fx *x = calloc(1, sizeof(*x));

	assert_non_null(x);
	assert_int_equal(tmpdir_make("np-auth"), 0);
	tmpdir_path(x->priv, sizeof(x->priv), "priv.pem");
	tmpdir_path(x->pub1, sizeof(x->pub1), "pub1.pem");
	tmpdir_path(x->pub2, sizeof(x->pub2), "pub2.pem");
	tmpdir_path(x->users, sizeof(x->users), "users.csv");
	tmpdir_path(x->tmp, sizeof(x->tmp), "new");
	put(x->priv, key1, sizeof(key1) - 1);
	put(x->pub1, pub1, sizeof(pub1) - 1);
	put(x->pub2, pub2, sizeof(pub2) - 1);
	put(x->users, users1, sizeof(users1) - 1);
	x->o.rsa_priv = x->priv;
	x->o.authorized_users = x->users;
	x->o.skew = 10;
	srv_forget();
	*state = x;
	return 0;
}

static int fx_teardown(void **state)
{
	struct fx *x = *state;

	tmpdir_remove();
	srv_forget();
	free(x);
	return 0;
}

/* A token of @user with @pwd under the public key at @pub, as a client
 * with @x's padding makes it. */
static void token(struct fx *x, const char *pub, const char *user,
		  const char *pwd, char *out, size_t len)
{
	struct np_opts c = x->o;

	c.username = user;
	c.rsa_pub = pub;
	setenv("IPERF3_PASSWORD", pwd, 1);
	assert_int_equal(np_auth_token(&c, out, len), 0);
}

/* np_auth_check() of @tok from @peer: 0 or -EACCES, the reason in *@why. */
static int check_tok(struct fx *x, const char *peer, const char *tok,
		     const char **why)
{
	*why = NULL;
	return np_auth_check(&x->o, peer, tok, why);
}

static void test_srv_reload(void **state)
{
	struct fx *x = *state;
	char t1[NP_TOKEN_MAX], t2[NP_TOKEN_MAX], tl[NP_TOKEN_MAX];
	char hex[NP_AUTH_HASH_LEN + 1], text[256];
	const char *why, *peer = "192.0.2.10";
	const char *garbage = "-----BEGIN PRIVATE KEY-----\nxx\n";

	assert_int_equal(np_auth_server_ready(&x->o), 0);
	token(x, x->pub1, "mario", "rossi", t1, sizeof(t1));
	token(x, x->pub2, "mario", "rossi", t2, sizeof(t2));
	token(x, x->pub1, "luigi", "verdi", tl, sizeof(tl));
	assert_int_equal(check_tok(x, peer, t1, &why), 0);
	assert_null(why);
	/* loaded once: gone, or garbage, the key in memory serves */
	assert_int_equal(unlink(x->priv), 0);
	assert_int_equal(check_tok(x, peer, t1, &why), 0);
	replace(x, x->priv, garbage, strlen(garbage));
	assert_int_equal(check_tok(x, peer, t1, &why), 0);
	assert_true(srv.key_f.have_bad);
	/* a new key replaces it */
	replace(x, x->priv, key2, sizeof(key2) - 1);
	assert_int_equal(check_tok(x, peer, t2, &why), 0);
	assert_int_equal(check_tok(x, peer, t1, &why), -EACCES);
	assert_string_equal(why, refused);
	replace(x, x->priv, key1, sizeof(key1) - 1);
	/* a user added while the server runs; a file gone keeps the users */
	assert_int_equal(check_tok(x, peer, tl, &why), -EACCES);
	assert_string_equal(why, refused);
	np_auth_hash("luigi", "verdi", hex);
	snprintf(text, sizeof(text), "%sluigi,%s\n", users1, hex);
	replace(x, x->users, text, strlen(text));
	assert_int_equal(check_tok(x, peer, tl, &why), 0);
	assert_int_equal(unlink(x->users), 0);
	assert_int_equal(check_tok(x, peer, tl, &why), 0);
	assert_int_equal(check_tok(x, peer, t1, &why), 0);
}

/* The private key in DER (PKCS#8), as iperf3 reads it too. */
static void test_srv_der(void **state)
{
	struct fx *x = *state;
	unsigned char der[1024];
	char b64[sizeof(key1)], tok[NP_TOKEN_MAX];
	const char *why, *p = strchr(key1, '\n') + 1;
	size_t n = 0, der_len;

	for (; strncmp(p, "-----END", 8); p++)
		if (*p != '\n')
			b64[n++] = *p;
	assert_int_equal(mbedtls_base64_decode(der, sizeof(der), &der_len,
					       (unsigned char *)b64, n),
			 0);
	put(x->priv, der, der_len);
	assert_int_equal(np_auth_server_ready(&x->o), 0);
	token(x, x->pub1, "mario", "rossi", tok, sizeof(tok));
	assert_int_equal(check_tok(x, "192.0.2.11", tok, &why), 0);
}

static void test_srv_ready_fails(void **state)
{
	struct fx *x = *state;

	x->o.rsa_priv = "/nonexistent/priv.pem";
	assert_int_equal(np_auth_server_ready(&x->o), -ENOENT);
	x->o.rsa_priv = x->priv;
	put(x->priv, pub1, sizeof(pub1) - 1);
	assert_int_equal(np_auth_server_ready(&x->o), -EINVAL);
	put(x->priv, key1, sizeof(key1) - 1);
	x->o.authorized_users = tmpdir; /* a directory */
	assert_int_equal(np_auth_server_ready(&x->o), -EISDIR);
}

/* @tok with one bit of its ciphertext flipped, or its last byte cut. */
static void corrupt(char *tok, bool cut)
{
	unsigned char ct[MBEDTLS_MPI_MAX_SIZE];
	size_t n, len;

	assert_int_equal(mbedtls_base64_decode(ct, sizeof(ct), &n,
					       (unsigned char *)tok,
					       strlen(tok)),
			 0);
	if (cut)
		n--;
	else
		ct[n / 2] ^= 0x10;
	assert_int_equal(mbedtls_base64_encode((unsigned char *)tok,
					       NP_TOKEN_MAX, &len, ct, n),
			 0);
}

/* A token that does not decrypt is refused with a wrong password's reason,
 * both paddings. */
static void test_srv_implicit_rejection(void **state)
{
	struct fx *x = *state;
	char good[NP_TOKEN_MAX], wrong[NP_TOKEN_MAX], bad[NP_TOKEN_MAX];
	const char *why_wrong, *why;

	for (int pkcs1 = 0; pkcs1 < 2; pkcs1++) {
		x->o.pkcs1 = pkcs1;
		srv_forget();
		assert_int_equal(np_auth_server_ready(&x->o), 0);
		token(x, x->pub1, "mario", "rossi", good, sizeof(good));
		token(x, x->pub1, "mario", "verdi", wrong, sizeof(wrong));
		assert_int_equal(check_tok(x, "192.0.2.12", good, &why), 0);
		assert_int_equal(check_tok(x, "192.0.2.12", wrong, &why_wrong),
				 -EACCES);
		for (int cut = 0; cut < 2; cut++) {
			strcpy(bad, good);
			corrupt(bad, cut);
			assert_int_equal(check_tok(x, "192.0.2.12", bad, &why),
					 -EACCES);
			assert_ptr_equal(why, why_wrong);
		}
		/* the padding the key is not used with */
		x->o.pkcs1 = !pkcs1;
		token(x, x->pub1, "mario", "rossi", bad, sizeof(bad));
		x->o.pkcs1 = pkcs1;
		assert_int_equal(check_tok(x, "192.0.2.12", bad, &why),
				 -EACCES);
		assert_ptr_equal(why, why_wrong);
	}
}

/* The synthetic plaintext: a token of the ciphertext alone, that parses,
 * is of now, and names a user with a password no file holds. */
static void test_synth_plain(void **state)
{
	struct fx *x = *state;
	unsigned char ct[128] = { 1, 2, 3 };
	char a[NP_AUTH_PLAIN_MAX], b[NP_AUTH_PLAIN_MAX];
	char hex[NP_AUTH_HASH_LEN + 1];
	struct np_auth_cred c;
	size_t n, m;

	assert_int_equal(np_auth_server_ready(&x->o), 0);
	n = synth_plain(ct, sizeof(ct), a, sizeof(a));
	m = synth_plain(ct, sizeof(ct), b, sizeof(b));
	assert_true(n > 0 && n == m);
	assert_memory_equal(a, b, n);
	assert_int_equal(np_auth_plain_parse(a, n, &c), 0);
	assert_true(np_auth_ts_ok(c.ts, wall_s(), 1));
	assert_in_range(strlen(c.user), 4, 16);
	assert_in_range(strlen(c.pwd), 6, 32);
	np_auth_hash(c.user, c.pwd, hex);
	assert_false(
		np_auth_users_match(users1, sizeof(users1) - 1, c.user, hex));
	ct[127] ^= 1;
	m = synth_plain(ct, sizeof(ct), b, sizeof(b));
	assert_false(m == n && !memcmp(a, b, n));
	assert_true(ok_mask(0) == SIZE_MAX);
	assert_true(ok_mask(-1) == 0 && ok_mask(-0x4100) == 0);
	assert_true(ok_mask(1) == 0 && ok_mask(INT_MIN) == 0);
}

/* Failures from one source hold it back before any decryption; others
 * and the right password after the wait are let in. */
static void test_srv_rate_limit(void **state)
{
	struct fx *x = *state;
	char good[NP_TOKEN_MAX], wrong[NP_TOKEN_MAX];
	const char *why;

	assert_int_equal(np_auth_server_ready(&x->o), 0);
	token(x, x->pub1, "mario", "rossi", good, sizeof(good));
	token(x, x->pub1, "mario", "verdi", wrong, sizeof(wrong));
	for (int i = 0; i < NP_AUTH_LIM_FREE; i++)
		assert_int_equal(check_tok(x, "2001:db8:5::1", wrong, &why),
				 -EACCES);
	/* the same /64, with the right password: still waiting */
	assert_int_equal(check_tok(x, "2001:db8:5::2", good, &why), -EACCES);
	assert_non_null(strstr(why, "too many failures"));
	/* no decryption: not even a key is needed */
	srv.key_f.have = false;
	assert_int_equal(check_tok(x, "2001:db8:5::3", good, &why), -EACCES);
	assert_non_null(strstr(why, "too many failures"));
	srv.key_f.have = true;
	assert_int_equal(check_tok(x, "2001:db8:6::1", good, &why), 0);
	assert_int_equal(check_tok(x, "192.0.2.13", good, &why), 0);
	/* the wait over (here: moved back), a success forgets the failures */
	for (int i = 0; i < NP_AUTH_LIM_SLOTS; i++)
		srv.lim.e[i].until_ms = 0;
	assert_int_equal(check_tok(x, "2001:db8:5::1", good, &why), 0);
	assert_int_equal(check_tok(x, "2001:db8:5::1", wrong, &why), -EACCES);
	assert_int_equal(check_tok(x, "2001:db8:5::1", good, &why), 0);
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
		cmocka_unit_test(test_src),
		cmocka_unit_test(test_lim_backoff),
		cmocka_unit_test(test_lim_forget),
		cmocka_unit_test(test_lim_table_full),
		cmocka_unit_test_setup_teardown(test_srv_reload, fx_setup,
						fx_teardown),
		cmocka_unit_test_setup_teardown(test_srv_der, fx_setup,
						fx_teardown),
		cmocka_unit_test_setup_teardown(test_srv_ready_fails, fx_setup,
						fx_teardown),
		cmocka_unit_test_setup_teardown(test_srv_implicit_rejection,
						fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_synth_plain, fx_setup,
						fx_teardown),
		cmocka_unit_test_setup_teardown(test_srv_rate_limit, fx_setup,
						fx_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

// SPDX-License-Identifier: MIT
// sources: dhcpc/packet.c dhcpc/env.c dhcpc/d6_packet.c dhcpc/d6_env.c
// sources: dhcpc/d6_duid.c
/* dhcpc/d6_packet.c, d6_env.c and d6_duid.c: the DHCPv6 codec, the
 * script environment and the DUID file's text, all pure. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

static struct d6_msg m;
static uint8_t b[D6_MAX_LEN];
static size_t n;

static const uint8_t A1[16] = { 0xfd, 0, 0, 0x77, [15] = 0x60 };
static const uint8_t A2[16] = { 0xfd, 0, 0, 0x77, [15] = 0x53 };
static const uint8_t DUID[] = { 0, 3, 0, 1, 2, 0, 0, 0, 0, 0xaa };

static void start(uint8_t type)
{
	b[0] = type;
	b[1] = 0x12, b[2] = 0x34, b[3] = 0x56;
	n = 4;
}

static void put(uint8_t *p, size_t *len, uint16_t code, const void *v,
		size_t vlen)
{
	p[*len] = (uint8_t)(code >> 8);
	p[*len + 1] = (uint8_t)code;
	p[*len + 2] = (uint8_t)(vlen >> 8);
	p[*len + 3] = (uint8_t)vlen;
	if (vlen)
		memcpy(p + *len + 4, v, vlen);
	*len += 4 + vlen;
}

static void opt(uint16_t code, const void *v, size_t vlen)
{
	put(b, &n, code, v, vlen);
}

static void u32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24), p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8), p[3] = (uint8_t)v;
}

/* IA_NA (or IA_PD) with one IAADDR (IAPREFIX /@plen) and @inner_extra. */
static void ia(bool pd, uint32_t t1, uint32_t t2, uint32_t pref, uint32_t valid,
	       uint8_t plen)
{
	uint8_t v[128], a[25];
	size_t k = 12;

	u32(v, 0xa1b2c3d4);
	u32(v + 4, t1);
	u32(v + 8, t2);
	if (pd) {
		u32(a, pref);
		u32(a + 4, valid);
		a[8] = plen;
		memcpy(a + 9, A1, 16);
		put(v, &k, D6_OPT_IAPREFIX, a, 25);
	} else {
		memcpy(a, A1, 16);
		u32(a + 16, pref);
		u32(a + 20, valid);
		put(v, &k, D6_OPT_IAADDR, a, 24);
	}
	opt(pd ? D6_OPT_IA_PD : D6_OPT_IA_NA, v, k);
}

static int parse(void)
{
	const char *why;

	return d6_parse(b, n, &m, &why);
}

static void reply(void)
{
	static const uint8_t dom[] = "\3lab\4test\0\1a\4test";
	uint8_t two[32];

	memcpy(two, A2, 16);
	memcpy(two + 16, A1, 16);
	start(D6_REPLY);
	opt(D6_OPT_CLIENTID, DUID, sizeof(DUID));
	opt(D6_OPT_SERVERID, DUID, sizeof(DUID));
	ia(false, 30, 48, 60, 90, 128);
	ia(true, 0, 0, 100, 200, 56);
	opt(D6_OPT_DNS_SERVERS, two, 32);
	opt(D6_OPT_DOMAIN_LIST, dom, sizeof(dom));
	opt(D6_OPT_PREFERENCE, "\xff", 1);
	opt(D6_OPT_RAPID_COMMIT, NULL, 0);
	opt(D6_OPT_UNICAST, A2, 16);
}

static void test_parse_reply(void **state)
{
	(void)state;
	reply();
	assert_int_equal(parse(), 0);
	assert_int_equal(m.type, D6_REPLY);
	assert_int_equal(m.xid, 0x123456);
	assert_int_equal(m.clientid.len, sizeof(DUID));
	assert_memory_equal(m.serverid.p, DUID, sizeof(DUID));
	assert_true(m.na.present && m.pd.present);
	assert_int_equal(m.na.iaid, 0xa1b2c3d4);
	assert_int_equal(m.na.t1, 30);
	assert_int_equal(m.na.t2, 48);
	assert_int_equal(m.na.n_a, 1);
	assert_memory_equal(m.na.a[0].addr, A1, 16);
	assert_int_equal(m.na.a[0].pref, 60);
	assert_int_equal(m.na.a[0].valid, 90);
	assert_int_equal(m.pd.a[0].plen, 56);
	assert_int_equal(m.n_dns, 2);
	assert_memory_equal(m.dns[1], A1, 16);
	assert_true(m.has_pref && m.pref == 255);
	assert_true(m.rapid_commit && m.has_unicast);
	assert_int_equal(m.n_bad, 0);
}

/* Each option of a fixed length or shape, a byte off: skipped and
 * counted, the rest of the message kept. */
static void test_parse_bad_lengths(void **state)
{
	static const struct {
		uint16_t code;
		size_t len;
	} bad[] = {
		{ D6_OPT_PREFERENCE, 2 },   { D6_OPT_PREFERENCE, 0 },
		{ D6_OPT_UNICAST, 15 },	    { D6_OPT_RAPID_COMMIT, 1 },
		{ D6_OPT_DNS_SERVERS, 17 }, { D6_OPT_DNS_SERVERS, 0 },
		{ D6_OPT_STATUS_CODE, 1 },  { D6_OPT_SERVERID, 2 },
		{ D6_OPT_SERVERID, 131 },   { D6_OPT_IA_NA, 11 },
		{ D6_OPT_SNTP_SERVERS, 8 }, { D6_OPT_INFO_REFRESH, 3 },
		{ D6_OPT_ELAPSED_TIME, 3 }, { D6_OPT_ORO, 3 },
	};
	uint8_t junk[200] = { 0 };

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		start(D6_REPLY);
		opt(D6_OPT_CLIENTID, DUID, sizeof(DUID));
		opt(bad[i].code, junk, bad[i].len);
		ia(false, 1, 2, 3, 4, 128);
		assert_int_equal(parse(), 0);
		assert_int_equal(m.n_bad, 1);
		assert_int_equal(m.bad_code, bad[i].code);
		assert_false(m.has_pref || m.has_unicast || m.rapid_commit ||
			     m.n_dns || m.has_status || m.serverid.p);
		assert_int_equal(m.na.n_a, 1);
	}
	/* inside an IA: a short IAADDR, a prefix longer than 128 */
	start(D6_REPLY);
	ia(true, 0, 0, 1, 2, 129);
	assert_int_equal(parse(), 0);
	assert_int_equal(m.pd.n_a, 0);
	assert_int_equal(m.bad_code, D6_OPT_IAPREFIX);
	start(D6_REPLY);
	{
		uint8_t v[12 + 4 + 23] = { 0 };
		size_t k = 12;

		put(v, &k, D6_OPT_IAADDR, junk, 23);
		opt(D6_OPT_IA_NA, v, k);
	}
	assert_int_equal(parse(), 0);
	assert_true(m.na.present);
	assert_int_equal(m.na.n_a, 0);
	assert_int_equal(m.n_bad, 1);
}

static void test_parse_structure(void **state)
{
	uint8_t v[40] = { 0 };
	size_t k = 12;

	(void)state;
	n = 3;
	assert_int_equal(parse(), -EBADMSG);
	reply();
	n--; /* the last option runs past the end */
	assert_int_equal(parse(), -EBADMSG);
	reply();
	opt(D6_OPT_SERVERID, DUID, sizeof(DUID));
	assert_int_equal(parse(), -EBADMSG);
	/* a suboption running past its IA */
	put(v, &k, D6_OPT_STATUS_CODE, "\0\0", 2);
	v[15] = 9;
	start(D6_REPLY);
	opt(D6_OPT_IA_NA, v, k);
	assert_int_equal(parse(), -EBADMSG);
	/* a header only is a message */
	start(D6_ADVERTISE);
	assert_int_equal(parse(), 0);
	assert_int_equal(m.type, D6_ADVERTISE);
}

static void test_dname_ok(void **state)
{
	uint8_t big[300] = { 0 };

	(void)state;
	assert_true(d6_dname_ok((const uint8_t *)"\1a\0\2bc\0", 7));
	assert_false(d6_dname_ok((const uint8_t *)"\1a", 2)); /* no root */
	assert_false(d6_dname_ok((const uint8_t *)"\1a\xc0\0", 4)); /* ptr */
	assert_false(d6_dname_ok((const uint8_t *)"\5a\0", 3));	    /* short */
	assert_false(d6_dname_ok(big, 0));
	memset(big, 0, sizeof(big));
	big[0] = 64;
	assert_false(d6_dname_ok(big, 66));
	for (size_t i = 0; i < 260; i += 2)
		big[i] = 1, big[i + 1] = 'a';
	big[260] = 0;
	assert_false(d6_dname_ok(big, 261)); /* a name of 261 bytes */
	big[254] = 0;
	assert_true(d6_dname_ok(big, 255));
}

/* A Solicit byte for byte, then a Request read back by d6_parse(). */
static void test_build(void **state)
{
	static const uint16_t oro[] = { 23, 24 };
	static const uint8_t solicit[] = {
		1, 0xab, 0xcd, 0xef, 0,	   1, 0,  10, 0,  3, 0,	 1, 2,
		0, 0,	 0,    0,    0xaa, 0, 3,  0,  12, 0, 0,	 0, 7,
		0, 0,	 0,    0,    0,	   0, 0,  0,  0,  8, 0,	 2, 0,
		5, 0,	 6,    0,    4,	   0, 23, 0,  24, 0, 14, 0, 0,
	};
	struct d6_req r = { .type = D6_SOLICIT,
			    .xid = 0xabcdef,
			    .elapsed_cs = 5,
			    .clientid = DUID,
			    .clientid_len = sizeof(DUID),
			    .oro = oro,
			    .n_oro = 2,
			    .rapid_commit = true };
	uint8_t out[512];
	int len;

	(void)state;
	r.na.present = true;
	r.na.iaid = 7;
	len = d6_build(&r, out, sizeof(out));
	assert_int_equal(len, sizeof(solicit));
	assert_memory_equal(out, solicit, sizeof(solicit));
	assert_int_equal(d6_build(&r, out, sizeof(solicit) - 1), -ENOSPC);

	r.type = D6_REQUEST;
	r.serverid = DUID;
	r.serverid_len = sizeof(DUID);
	r.na.n_a = 1;
	memcpy(r.na.a[0].addr, A1, 16);
	r.pd.present = true;
	r.pd.n_a = 1;
	r.pd.a[0].plen = 60;
	r.rapid_commit = false;
	r.extra = (const uint8_t *)"\0\x29\0\1x";
	r.extra_len = 5;
	len = d6_build(&r, out, sizeof(out));
	assert_true(len > 0);
	assert_int_equal(d6_parse(out, (size_t)len, &m, &(const char *){ 0 }),
			 0);
	assert_int_equal(m.type, D6_REQUEST);
	assert_int_equal(m.serverid.len, sizeof(DUID));
	assert_int_equal(m.na.iaid, 7);
	assert_memory_equal(m.na.a[0].addr, A1, 16);
	assert_int_equal(m.pd.a[0].plen, 60);
	assert_int_equal(m.n_other, 1);
	assert_int_equal(m.other[0].code, 41);
	assert_false(m.rapid_commit);
	assert_int_equal(m.n_bad, 0);
}

static const char *var(const struct spawn_env *e, const char *key)
{
	size_t k = strlen(key);

	for (unsigned i = 0; i < e->n_vars; i++)
		if (!strncmp(e->vars[i], key, k) && e->vars[i][k] == '=')
			return e->vars[i] + k + 1;
	return NULL;
}

static void test_env(void **state)
{
	static struct spawn_env e;

	(void)state;
	log_syslog(true, false);
	reply();
	assert_int_equal(parse(), 0);
	assert_int_equal(d6_env_fill(&e, "eth0", &m), 0);
	assert_string_equal(var(&e, "interface"), "eth0");
	assert_string_equal(var(&e, "ipv6"),
			    "fd00:0077:0000:0000:0000:0000:0000:0060");
	assert_string_equal(var(&e, "lease"), "90");
	assert_string_equal(var(&e, "ipv6_preferred"), "60");
	assert_string_equal(var(&e, "ipv6prefix"),
			    "fd00:0077:0000:0000:0000:0000:0000:0060/56");
	assert_string_equal(var(&e, "ipv6prefix_lease"), "200");
	assert_string_equal(var(&e, "dns"),
			    "fd00:0077:0000:0000:0000:0000:0000:0053 "
			    "fd00:0077:0000:0000:0000:0000:0000:0060");
	assert_string_equal(var(&e, "search"), "lab.test a.test");
	assert_null(var(&e, "message"));
	assert_int_equal(d6_env_fill(&e, "eth0", NULL), 0);
	assert_int_equal(e.n_vars, 1);
}

static void test_env_hostile(void **state)
{
	static const uint8_t dom[] = "\2ok\0\3b\na\0\3-xy\0";
	static const uint8_t ptr[] = "\2ok\0\1a\xc0\0";
	static struct spawn_env e;

	(void)state;
	log_syslog(true, false);
	start(D6_REPLY);
	opt(D6_OPT_DOMAIN_LIST, dom, sizeof(dom) - 1);
	opt(D6_OPT_TZ_POSIX, "EST\x1b", 4);
	opt(D6_OPT_TZ_NAME, "a\0b", 3);
	opt(D6_OPT_BOOT_URL, "() { :;}; x", 11);
	opt(D6_OPT_BOOT_PARAM, "$(id)", 5);
	opt(D6_OPT_STATUS_CODE, "\0\3no\nbind", 10);
	assert_int_equal(parse(), 0);
	/* the names left out of search count once */
	assert_int_equal(d6_env_fill(&e, "eth0", &m), 5);
	assert_string_equal(var(&e, "search"), "ok");
	assert_null(var(&e, "tz"));
	assert_null(var(&e, "tz_name"));
	assert_null(var(&e, "bootfile_url"));
	assert_string_equal(var(&e, "bootfile_param"), "$(id)");
	assert_null(var(&e, "message"));
	start(D6_REPLY);
	opt(D6_OPT_DOMAIN_LIST, ptr, sizeof(ptr) - 1);
	assert_int_equal(parse(), 0);
	assert_int_equal(d6_env_fill(&e, "eth0", &m), 1);
	assert_null(var(&e, "search"));
}

static void test_duid(void **state)
{
	static const uint8_t mac[6] = { 2, 0, 0, 0, 0, 0xaa };
	uint8_t d[D6_DUID_MAX], back[D6_DUID_MAX];
	char text[3 * D6_DUID_MAX + 8];
	size_t len;

	(void)state;
	assert_int_equal(d6_duid_ll(mac, d), 10);
	assert_memory_equal(d, DUID, 10);
	len = d6_duid_format(d, 10, text, sizeof(text));
	assert_string_equal(text, "00:03:00:01:02:00:00:00:00:aa\n");
	assert_int_equal(len, strlen(text));
	assert_int_equal(d6_duid_parse(text, len, back, sizeof(back)), 10);
	assert_memory_equal(back, d, 10);
	assert_int_equal(d6_duid_parse("00:01:AB", 8, back, 130), 3);
	assert_int_equal(d6_duid_parse("00:01", 5, back, 130), -EINVAL);
	assert_int_equal(d6_duid_parse("00:01:0", 7, back, 130), -EINVAL);
	assert_int_equal(d6_duid_parse("00:01:0g", 8, back, 130), -EINVAL);
	assert_int_equal(d6_duid_parse("00-01-02", 8, back, 130), -EINVAL);
	assert_int_equal(d6_duid_parse("", 0, back, 130), -EINVAL);
	memset(text, 0, sizeof(text));
	for (int i = 0; i < 131; i++)
		memcpy(text + (i ? 3 * i - 1 : 0), i ? ":00" : "00", i ? 3 : 2);
	/* 131 bytes, then 130: the longest DUID (11.1) */
	assert_int_equal(d6_duid_parse(text, strlen(text), back, 130), -EINVAL);
	assert_int_equal(d6_duid_parse(text, strlen(text) - 3, back, 130), 130);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_reply),
		cmocka_unit_test(test_parse_bad_lengths),
		cmocka_unit_test(test_parse_structure),
		cmocka_unit_test(test_dname_ok),
		cmocka_unit_test(test_build),
		cmocka_unit_test(test_env),
		cmocka_unit_test(test_env_hostile),
		cmocka_unit_test(test_duid),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

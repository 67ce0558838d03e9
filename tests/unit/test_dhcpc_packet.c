// SPDX-License-Identifier: MIT
// sources: dhcpc/packet.c dhcpc/env.c dhcpc/frame.c
/* dhcpc/packet.c, env.c formatting and frame.c: pure codec tests. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

static struct dhcp_msg msg;

/* A BOOTREPLY with @opts (options field) appended after the cookie. */
static size_t mk(uint8_t *b, const uint8_t *opts, size_t n)
{
	memset(b, 0, 240);
	b[0] = 2;
	b[1] = 1;
	b[2] = 6;
	b[4] = 0x12, b[5] = 0x34, b[6] = 0x56, b[7] = 0x78;
	b[16] = 10, b[17] = 0, b[18] = 0, b[19] = 5;
	b[236] = 0x63, b[237] = 0x82, b[238] = 0x53, b[239] = 0x63;
	memcpy(b + 240, opts, n);
	return 240 + n;
}

static int parse(const uint8_t *opts, size_t n)
{
	static uint8_t b[DHCP_MAX_LEN];
	const char *why;

	return dhcp_parse(b, mk(b, opts, n), &msg, &why);
}

static void test_parse_ok(void **state)
{
	static const uint8_t o[] = {
		53, 1, 5,  1, 4, 255, 255, 255, 0, 0, 0,
		3,  8, 10, 0, 0, 1,   10,  0,	0, 2, 255
	};
	size_t n;

	(void)state;
	assert_int_equal(parse(o, sizeof(o)), 0);
	assert_int_equal(msg.type, DHCPACK);
	assert_int_equal(msg.xid, 0x12345678);
	assert_non_null(dhcp_opt(&msg, 3, &n));
	assert_int_equal(n, 8);
	assert_null(dhcp_opt(&msg, 6, &n));
}

static void test_parse_bad(void **state)
{
	static const uint8_t trunc[] = { 53, 1, 5, 12, 10, 'a' };
	static const uint8_t no53[] = { 1, 4, 255, 255, 255, 0, 255 };
	static const uint8_t dup53[] = { 53, 1, 5, 53, 1, 5, 255 };
	static const uint8_t ov0[] = { 53, 1, 5, 52, 1, 0, 255 };
	static const uint8_t ov2x[] = { 53, 1, 5, 52, 1, 1, 52, 1, 1, 255 };
	static const uint8_t ovlen[] = { 53, 1, 5, 52, 2, 1, 1, 255 };

	(void)state;
	assert_int_equal(parse(trunc, sizeof(trunc)), -EBADMSG);
	assert_int_equal(parse(no53, sizeof(no53)), -EBADMSG);
	assert_int_equal(parse(dup53, sizeof(dup53)), -EBADMSG);
	assert_int_equal(parse(ov0, sizeof(ov0)), -EBADMSG);
	assert_int_equal(parse(ov2x, sizeof(ov2x)), -EBADMSG);
	assert_int_equal(parse(ovlen, sizeof(ovlen)), -EBADMSG);
	assert_int_equal(parse(trunc, 2), -EBADMSG);
}

/* RFC 3396 joins across fields; 52 inside file is a loop: rejected.
 * Option 52 itself is consumed, no option of the lease: udhcpc's script
 * gets no opt52 (nor sname or boot_file, overloaded). */
static void test_overload(void **state)
{
	static uint8_t b[DHCP_MAX_LEN];
	static struct spawn_env e;
	static const uint8_t o[] = { 53, 1, 5, 52, 1, 3, 15, 2, 'a', 'b', 255 };
	const char *why;
	size_t n, len = mk(b, o, sizeof(o));
	const uint8_t *v;

	(void)state;
	memcpy(b + 108, (const uint8_t[]){ 15, 2, 'c', 'd', 255 }, 5);
	memcpy(b + 44, (const uint8_t[]){ 15, 1, 'e', 255 }, 4);
	assert_int_equal(dhcp_parse(b, len, &msg, &why), 0);
	v = dhcp_opt(&msg, 15, &n);
	assert_int_equal(n, 5);
	assert_memory_equal(v, "abcde", 5);
	assert_int_equal(msg.overload, 3);
	assert_null(dhcp_opt(&msg, DHO_OVERLOAD, &n));
	assert_int_equal(env_fill(&e, "eth0", &msg), 0);
	for (unsigned i = 0; i < e.n_vars; i++) {
		assert_false(!strncmp(e.vars[i], "opt52=", 6));
		assert_false(!strncmp(e.vars[i], "sname=", 6));
		assert_false(!strncmp(e.vars[i], "boot_file=", 10));
	}
	memcpy(b + 108, (const uint8_t[]){ 52, 1, 1, 255 }, 4);
	assert_int_equal(dhcp_parse(b, len, &msg, &why), -EBADMSG);
}

static void fmt(uint8_t code, const void *v, size_t n, int err,
		const char *want)
{
	char out[512];

	assert_int_equal(env_format_opt(code, v, n, out, sizeof(out)), err);
	assert_string_equal(out, want);
}

static void test_format(void **state)
{
	(void)state;
	fmt(3, "\x0a\x00\x00\x01\x0a\x00\x00\x02", 8, 0, "10.0.0.1 10.0.0.2");
	fmt(1, "\xff\xff\xff", 3, -EBADMSG, "");
	fmt(26, "\x05\xdc", 2, 0, "1500");
	fmt(51, "\x00\x00\x0e\x10", 4, 0, "3600");
	fmt(2, "\xff\xff\xf1\xf0", 4, 0, "-3600");
	fmt(33, "\x0a\x01\x00\x00\x0a\x00\x00\x01", 8, 0, "10.1.0.0/10.0.0.1");
	fmt(121, "\x10\x0a\x0a\x0a\x63\x00\xfe\x00\x0a\x63\x00\x01", 12, 0,
	    "10.10.0.0/16 10.99.0.254 0.0.0.0/0 10.99.0.1");
	fmt(121, "\x21\x0a\x0a\x0a\x0a\x0a\x0a\x0a\x0a\x0a", 10, -EBADMSG, "");
	fmt(121, "\x18\x0a\x0a\x0a\x63\x00", 6, -EBADMSG, "");
	fmt(12, "host-1.lan", 10, 0, "host-1.lan");
	fmt(12, "-rf", 3, 0, "ba");
	fmt(12, "a;b", 3, 0, "ba");
	fmt(15, "a.test b.test", 13, 0, "bad");
	fmt(252, "'&touch /tmp/pwn #", 18, 0, "'&touch /tmp/pwn #");
	fmt(224, "\x01\xab", 2, 0, "01ab");
	fmt(119,
	    "\x01"
	    "a\x04test\x00\x01"
	    "b\xc0\x02",
	    12, 0, "a.test b.test");
	fmt(212, "\x08\x20\x20\x01\x0d\xb8\0\0\0\0\0\0\0\0\0\0\0\0\x0a\0\0\x01",
	    22, 0, "8 32 2001:0db8:0000:0000:0000:0000:0000:0000 10.0.0.1");
}

/* Pointer loops, forward pointers, long labels: all rejected. */
static void test_dname_hostile(void **state)
{
	char out[512];

	(void)state;
	assert_int_equal(env_dname_list((const uint8_t *)"\xc0\x00", 2, out,
					sizeof(out)),
			 -EBADMSG);
	assert_int_equal(env_dname_list((const uint8_t *)"\x01"
							 "a\xc0\x00",
					4, out, sizeof(out)),
			 -EBADMSG);
	assert_int_equal(env_dname_list((const uint8_t *)"\xc0\x04\x00\x00"
							 "\x01"
							 "a\x00",
					7, out, sizeof(out)),
			 -EBADMSG);
	assert_int_equal(
		env_dname_list((const uint8_t *)"\x40", 1, out, sizeof(out)),
		-EBADMSG);
	assert_int_equal(env_dname_list((const uint8_t *)"\x05"
							 "ab",
					3, out, sizeof(out)),
			 -EBADMSG);
}

/* Control bytes and NULs never reach the environment. */
/* A control byte drops the variable; a NUL ends a string as in udhcpc
 * (RFC 2132 section 2: dnsmasq NUL-terminates 66 and 67), and the checks
 * of host names then apply to what is before it. */
static void test_env_sanitize(void **state)
{
	static const uint8_t o[] = { 53,  1,   5,   12,	 4,   'a',  0,
				     'b', 'c', 56,  3,	 'x', '\n', 'y',
				     67,  5,   '`', 'i', 'd', '`',  0,
				     66,  4,   't', 'f', 't', 0,    15,
				     5,	  'a', '!', 0,	 'x', 'y',  255 };
	static struct spawn_env e;

	(void)state;
	assert_int_equal(parse(o, sizeof(o)), 0);
	memcpy(msg.sname, "srv\x01", 4);
	assert_int_equal(env_fill(&e, "eth0", &msg), 2);
	for (unsigned i = 0; i < e.n_vars; i++) {
		assert_true(strncmp(e.vars[i], "message=", 8) != 0);
		assert_true(strncmp(e.vars[i], "sname=", 6) != 0);
		assert_null(memchr(e.vars[i], '\n', strlen(e.vars[i])));
	}
	assert_true(env_has(&e, "hostname=a"));
	assert_true(env_has(&e, "bootfile=`id`"));
	assert_true(env_has(&e, "tftp=tft"));
	assert_true(env_has(&e, "domain=bad"));
	assert_true(env_has(&e, "ip=10.0.0.5"));
	assert_true(env_has(&e, "opt53=05"));
}

/* @kv, key and value, is in @e. */
static bool env_is(const struct spawn_env *e, const char *kv)
{
	for (unsigned i = 0; i < e->n_vars; i++)
		if (!strcmp(e->vars[i], kv))
			return true;
	return false;
}

/* 32-bit option values print as udhcpc's: a u32 unsigned ("%lu" of an
 * unsigned long, 32 bits on armhf), an s32 signed, whatever long is. */
static void test_env_u32(void **state)
{
	static const uint8_t o[] = {
		53,  1, 5,			/* ACK */
		51,  4, 0xff, 0xff, 0xff, 0xff, /* lease */
		58,  4, 0x80, 0,    0,	  0,	/* T1 */
		59,  4, 0x7f, 0xff, 0xff, 0xff, /* T2 */
		255,
	};
	static struct spawn_env e;

	(void)state;
	fmt(51, "\xff\xff\xff\xff", 4, 0, "4294967295");
	fmt(51, "\xff\xff\xff\xfe", 4, 0, "4294967294");
	fmt(51, "\x80\x00\x00\x00", 4, 0, "2147483648");
	fmt(51, "\x7f\xff\xff\xff", 4, 0, "2147483647");
	fmt(211, "\xff\xff\xff\xff", 4, 0, "4294967295");
	fmt(2, "\x80\x00\x00\x00", 4, 0, "-2147483648");
	fmt(2, "\x7f\xff\xff\xff", 4, 0, "2147483647");
	fmt(2, "\xff\xff\xff\xff", 4, 0, "-1");
	assert_int_equal(parse(o, sizeof(o)), 0);
	assert_int_equal(env_fill(&e, "eth0", &msg), 0);
	assert_true(env_is(&e, "lease=4294967295"));
	assert_true(env_is(&e, "opt58=80000000"));
	assert_true(env_is(&e, "opt59=7fffffff"));
}

static void test_build(void **state)
{
	static struct dhcp_out o;
	static const uint8_t mac[6] = { 2, 0, 0, 0, 0, 1 };
	uint8_t big[600];
	const char *why;

	(void)state;
	memset(big, 'x', sizeof(big));
	dhcp_build_init(&o, DHCPDISCOVER, 0xabcd, 0, 0x8000, 0, mac);
	dhcp_put(&o, 77, big, sizeof(big));
	assert_int_equal(dhcp_build_end(&o), 0);
	o.buf[0] = 2; /* parse it back as a reply */
	assert_int_equal(dhcp_parse(o.buf, o.len, &msg, &why), 0);
	assert_int_equal(msg.type, DHCPDISCOVER);
	assert_int_equal(msg.opt_len[77], 600);
	assert_int_equal(msg.flags, 0x8000);
}

/* Option 80 has no value: dhcp_put(o, 80, NULL, 0) must not memcpy() from
 * NULL (undefined; UBSan report found by dhcpc_fsm_fuzz). */
static void test_build_empty_option(void **state)
{
	static struct dhcp_out o;
	static const uint8_t mac[6] = { 2, 0, 0, 0, 0, 1 };
	const char *why;

	(void)state;
	dhcp_build_init(&o, DHCPDISCOVER, 1, 0, 0, 0, mac);
	dhcp_put(&o, DHO_RAPID_COMMIT, NULL, 0);
	assert_int_equal(dhcp_build_end(&o), 0);
	assert_int_equal(o.buf[243], DHO_RAPID_COMMIT);
	assert_int_equal(o.buf[244], 0);
	o.buf[0] = 2;
	assert_int_equal(dhcp_parse(o.buf, o.len, &msg, &why), 0);
	assert_true(msg.rapid_commit);
}

static void test_frame(void **state)
{
	uint8_t f[FRAME_HDR_LEN + 300] = { 0 };
	const uint8_t *p;
	size_t n, len;
	const char *why;

	(void)state;
	len = frame_wrap(f, 300, 0, 0xffffffff, 67, 68);
	assert_int_equal(frame_unwrap(f, len, 68, false, &p, &n, &why), 0);
	assert_int_equal(n, 300);
	f[40] ^= 1;
	assert_int_equal(frame_unwrap(f, len, 68, false, &p, &n, &why),
			 -EBADMSG);
	assert_int_equal(frame_unwrap(f, len, 68, true, &p, &n, &why), 0);
	f[3] = 20; /* tot_len below IP+UDP (CVE-2026-88833 class) */
	assert_int_equal(frame_unwrap(f, len, 68, true, &p, &n, &why),
			 -EBADMSG);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_ok),
		cmocka_unit_test(test_parse_bad),
		cmocka_unit_test(test_overload),
		cmocka_unit_test(test_format),
		cmocka_unit_test(test_dname_hostile),
		cmocka_unit_test(test_env_sanitize),
		cmocka_unit_test(test_env_u32),
		cmocka_unit_test(test_build),
		cmocka_unit_test(test_build_empty_option),
		cmocka_unit_test(test_frame),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

// SPDX-License-Identifier: MIT
// sources: dhcpc/packet.c dhcpc/env.c
/*
 * dhcpc/env.c beyond udhcpc: names of options 119 and 120 that are not
 * host names left out, an MTU below 576 left out, each logged once per
 * lease.  udhcpc 1.35 passes all of these to the script as they come.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "capture.h"

static struct dhcp_msg msg;
static struct spawn_env env;

/* Parses a BOOTREPLY whose options are @opts into msg. */
static void parse(const uint8_t *opts, size_t n)
{
	static uint8_t b[DHCP_MAX_LEN];
	const char *why;

	memset(b, 0, 240);
	b[0] = 2;
	b[1] = 1;
	b[2] = 6;
	b[16] = 10, b[19] = 5;
	b[236] = 0x63, b[237] = 0x82, b[238] = 0x53, b[239] = 0x63;
	memcpy(b + 240, opts, n);
	assert_int_equal(dhcp_parse(b, 240 + n, &msg, &why), 0);
}

static void names(const void *v, size_t n, int ret, const char *want)
{
	char out[1024];

	assert_int_equal(env_dname_list(v, n, out, sizeof(out)), ret);
	assert_string_equal(out, want);
}

static void fmt(uint8_t code, const void *v, size_t n, int ret,
		const char *want)
{
	char out[1024];

	assert_int_equal(env_format_opt(code, v, n, out, sizeof(out)), ret);
	assert_string_equal(out, want);
}

/* RFC 1123 2.1 labels; '_' taken as udhcpc's good_hostname() takes it. */
static void test_labels(void **state)
{
	(void)state;
	names("\x03"
	      "A-1\x01z\x00",
	      7, 0, "A-1.z");
	names("\x04_dns\x05my_ad\x00", 12, 0, "_dns.my_ad");
	names("\x03"
	      "b\x00"
	      "c\x04test\x00",
	      10, 1, ""); /* a NUL in a label: the name goes */
	names("\x03-ab\x00", 5, 1, "");
	names("\x03"
	      "ab-\x00",
	      5, 1, "");
	names("\x03"
	      "a.b\x00",
	      5, 1, ""); /* a '.' inside a label */
	names("\x03"
	      "a b\x00",
	      5, 1, "");
	names("\x03"
	      "a\nb\x00",
	      5, 1, "");
	names("\x04$(x)\x00", 6, 1, "");
	names("\x02\\n\x00", 4, 1, "");
	names("\x02\xc3\xa9\x00", 4, 1, ""); /* UTF-8: no IDNA here */
}

/* Only the bad names go: no stray separator, and a pointer into a bad
 * name's good suffix still makes a good name. */
static void test_list_left_out(void **state)
{
	(void)state;
	names("\x03"
	      "a b\x04test\x00"
	      "\x02ok\xc0\x04",
	      15, 1, "ok.test");
	names("\x04good\x04test\x00"
	      "\x03-ab\x00"
	      "\x03"
	      "bad\xc0\x0b"
	      "\x04last\x00",
	      28, 2, "good.test last");
	names("\x03-ab\x00\x03"
	      "c d\x00",
	      10, 2, "");
	fmt(119,
	    "\x01"
	    "a\x04test\x00\x01"
	    "b\xc0\x02",
	    12, 0, "a.test b.test");
	fmt(119, "\x03-ab\x00\x01z\x00", 8, 1, "z");
	fmt(119, "\x01-\x00", 3, 1, "");
}

/* 63-byte labels; 253 characters in all, and no more, although the
 * wire allows 254 (255 with the root label, RFC 1035 2.3.4). */
static void test_lengths(void **state)
{
	uint8_t v[300], *p = v;
	char want[300];

	(void)state;
	for (int i = 0; i < 4; i++) {
		*p++ = i < 3 ? 63 : 61;
		memset(p, 'a' + i, p[-1]);
		p += p[-1];
	}
	*p++ = 0;
	snprintf(want, sizeof(want), "%.63s.%.63s.%.63s.%.61s", (char *)v + 1,
		 (char *)v + 65, (char *)v + 129, (char *)v + 193);
	assert_int_equal(strlen(want), 253);
	names(v, (size_t)(p - v), 0, want);
	v[192] = 62; /* 254 characters: a name on the wire, no host name */
	memset(v + 193, 'd', 62);
	v[255] = 0;
	names(v, 256, 1, "");
	names("\x40", 1, -EBADMSG, ""); /* a 64-byte label: malformed */
}

/* RFC 3361: names (encoding 0) vetted, addresses (1) as they were. */
static void test_sip(void **state)
{
	(void)state;
	fmt(120,
	    "\x00\x03sip\x04test\x00\x09$(reboot)\x00\x02-x\x00"
	    "\x04sip2\xc0\x04",
	    33, 2, "sip.test sip2.test");
	fmt(120, "\x01\x0a\x00\x00\x01\x0a\x00\x00\x02", 9, 0,
	    "10.0.0.1 10.0.0.2");
	fmt(120, "\x00\x02-x\x00", 5, 1, "");
}

static bool is_var(const char *kv)
{
	for (unsigned i = 0; i < env.n_vars; i++)
		if (!strcmp(env.vars[i], kv))
			return true;
	return false;
}

static bool has_var(const char *key)
{
	size_t n = strlen(key);

	for (unsigned i = 0; i < env.n_vars; i++)
		if (!strncmp(env.vars[i], key, n) && env.vars[i][n] == '=')
			return true;
	return false;
}

/* How many lines of the captured log hold @what. */
static int lines_with(const char *log, const char *what)
{
	int n = 0;

	for (const char *p = log; (p = strstr(p, what)); p += strlen(what))
		n++;
	return n;
}

/* Option 26: below 576 no mtu (logged); 576 and up as udhcpc. */
static void test_mtu(void **state)
{
	static const uint8_t o575[] = { 53, 1, 5, 26, 2, 2, 0x3f, 255 };
	static const uint8_t o576[] = { 53, 1, 5, 26, 2, 2, 0x40, 255 };
	static const uint8_t o68[] = { 53, 1, 5, 26, 2, 0, 68, 255 };
	const char *log;

	(void)state;
	capture(STDERR_FILENO);
	parse(o575, sizeof(o575));
	assert_int_equal(env_fill(&env, "eth0", &msg), 0);
	assert_false(has_var("mtu"));
	assert_true(is_var("opt53=05"));
	parse(o68, sizeof(o68));
	env_fill(&env, "eth0", &msg);
	assert_false(has_var("mtu"));
	parse(o576, sizeof(o576));
	env_fill(&env, "eth0", &msg);
	assert_true(is_var("mtu=576"));
	log = captured();
	assert_int_equal(lines_with(log, "option 26: MTU 575 below 576: "
					 "ignored, no mtu\n"),
			 1);
	assert_int_equal(lines_with(log, "option 26: MTU 68 below 576"), 1);
	assert_int_equal(lines_with(log, "\n"), 2);
	fmt(26, "\x00\x44", 2, 0, "68"); /* the formatting stays udhcpc's */
}

/* One line per option, not per name; once per lease: again only for a
 * changed value, or after deconfig (env_fill() with no message). */
static void test_logged_once(void **state)
{
	static const uint8_t bad[] = { 53,  1, 5,  119, 13,  3,	  '-', 'a',
				       'b', 0, 3,  'c', ' ', 'd', 0,   1,
				       'z', 0, 26, 2,	1,   0,	  255 };
	static const uint8_t other[] = { 53,  1,   5,	119, 5,	 3,
					 '-', 'x', 'y', 0,   255 };
	const char *log;

	(void)state;
	env_fill(&env, "eth0", NULL);
	capture(STDERR_FILENO);
	parse(bad, sizeof(bad));
	env_fill(&env, "eth0", &msg);
	assert_true(is_var("search=z"));
	env_fill(&env, "eth0", &msg); /* renew */
	log = captured();
	assert_int_equal(lines_with(log, "option 119: 2 bad host name(s) "
					 "left out of search"),
			 1);
	assert_int_equal(lines_with(log, "option 26: MTU 256 below 576"), 1);
	assert_int_equal(lines_with(log, "\n"), 2);

	capture(STDERR_FILENO);
	parse(other, sizeof(other));
	env_fill(&env, "eth0", &msg); /* a renewal with other names */
	parse(bad, sizeof(bad));
	env_fill(&env, "eth0", NULL); /* deconfig: a new lease next */
	env_fill(&env, "eth0", &msg);
	log = captured();
	assert_int_equal(lines_with(log, "option 119: 1 bad"), 1);
	assert_int_equal(lines_with(log, "option 119: 2 bad"), 1);
	assert_int_equal(lines_with(log, "option 26: MTU 256"), 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_labels),
		cmocka_unit_test(test_list_left_out),
		cmocka_unit_test(test_lengths),
		cmocka_unit_test(test_sip),
		cmocka_unit_test(test_mtu),
		cmocka_unit_test(test_logged_once),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

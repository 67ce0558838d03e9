// SPDX-License-Identifier: MIT
/*
 * IP address parsing and formatting: accept/reject tables, CIDR and netmask
 * rules, masks and broadcast; addresses as netlink attributes.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <arpa/inet.h>
#include <sys/socket.h>

#include <linux/netlink.h>
#include <libmnl/libmnl.h>
#include <cmocka.h>

#include "embnet/ip.h"
#include "embnet/nl.h"

static void test_parse_v4_accept(void **state)
{
	static const struct {
		const char *s;
		uint32_t host;
	} ok[] = {
		{ "0.0.0.0", 0 },
		{ "1.2.3.4", 0x01020304 },
		{ "255.255.255.255", 0xffffffff },
		{ "10.0.0.1", 0x0a000001 },
		{ "192.0.2.0", 0xc0000200 },
	};
	struct ip_addr a;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		assert_int_equal(ip_parse(ok[i].s, AF_INET, &a), 0);
		assert_int_equal(a.family, AF_INET);
		assert_int_equal(ntohl(a.v4.s_addr), ok[i].host);
		assert_int_equal(ip_parse(ok[i].s, AF_UNSPEC, &a), 0);
		assert_int_equal(a.family, AF_INET);
	}
}

static void test_parse_v4_reject(void **state)
{
	static const char *const bad[] = {
		"",	      " 1.2.3.4",  "1.2.3.4 ",	"1.2.3.4x",
		"1.2.3",      "1.2.3.4.5", "1.2.3.",	".1.2.3",
		"1..2.3",     "256.1.1.1", "1.2.3.256", "01.2.3.4",
		"1.2.3.04",   "0x1.2.3.4", "1.2.3.0x4", "1000.1.1.1",
		"0001.2.3.4", "-1.2.3.4",  "+1.2.3.4",	"1.2.3.4/24",
		"1",	      "16909060",  "1.2.3.4\n", "a.b.c.d",
		"::1",	      "1.2.3.-4",
	};
	struct ip_addr a;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		memset(&a, 0xa5, sizeof(a));
		assert_int_equal(ip_parse(bad[i], AF_INET, &a), -EINVAL);
		assert_int_equal(a.family, AF_UNSPEC);
		if (!strchr(bad[i], ':'))
			assert_int_equal(ip_parse(bad[i], AF_UNSPEC, &a),
					 -EINVAL);
	}
}

static void test_parse_v6(void **state)
{
	static const char *const ok[] = {
		"::",
		"::1",
		"2001:db8::1",
		"fe80::1",
		"::ffff:10.0.0.1",
		"2001:db8:0:0:1:0:0:1",
		"ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff",
	};
	static const char *const bad[] = {
		"",
		":",
		":::",
		"2001:db8::1::2",
		"2001:db8::g",
		" ::1",
		"::1 ",
		"::1/64",
		"fe80::1%eth0",
		"1:2:3:4:5:6:7:8:9",
		"12345::",
		"::ffff:1.2.3",
		"::ffff:01.2.3.4",
	};
	struct ip_addr a;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		assert_int_equal(ip_parse(ok[i], AF_INET6, &a), 0);
		assert_int_equal(a.family, AF_INET6);
		assert_int_equal(ip_parse(ok[i], AF_UNSPEC, &a), 0);
		assert_int_equal(a.family, AF_INET6);
		assert_int_equal(ip_parse(ok[i], AF_INET, &a), -EINVAL);
	}
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_equal(ip_parse(bad[i], AF_INET6, &a), -EINVAL);
	assert_int_equal(ip_parse("1.2.3.4", AF_INET6, &a), -EINVAL);
	assert_int_equal(ip_parse("1.2.3.4", AF_PACKET, &a), -EINVAL);
}

static void test_parse_cidr(void **state)
{
	struct ip_addr a;
	int p;

	(void)state;
	assert_int_equal(ip_parse_cidr("10.0.0.1/24", AF_INET, &a, &p), 0);
	assert_int_equal(p, 24);
	assert_int_equal(ntohl(a.v4.s_addr), 0x0a000001);
	assert_int_equal(ip_parse_cidr("10.0.0.1", AF_UNSPEC, &a, &p), 0);
	assert_int_equal(p, -1);
	assert_int_equal(ip_parse_cidr("0.0.0.0/0", AF_INET, &a, &p), 0);
	assert_int_equal(p, 0);
	assert_int_equal(ip_parse_cidr("1.2.3.4/32", AF_INET, &a, &p), 0);
	assert_int_equal(p, 32);
	assert_int_equal(ip_parse_cidr("::1/128", AF_UNSPEC, &a, &p), 0);
	assert_int_equal(p, 128);
	assert_int_equal(a.family, AF_INET6);
	assert_int_equal(ip_parse_cidr("2001:db8::/32", AF_INET6, &a, &p), 0);
	assert_int_equal(p, 32);
}

static void test_parse_cidr_reject(void **state)
{
	static const char *const bad[] = {
		"",
		"/24",
		"1.2.3.4/",
		"1.2.3.4/33",
		"1.2.3.4/-1",
		"1.2.3.4/+1",
		"1.2.3.4/ 24",
		"1.2.3.4/24 ",
		"1.2.3.4/024",
		"1.2.3.4/00",
		"1.2.3.4/0x18",
		"1.2.3.4/24/1",
		"1.2.3/24",
		"::1/129",
		"::1/1000",
		"::1/",
		"1.2.3.4//24",
		"1.2.3.4/2a",
		" 1.2.3.4/24",
		"::1/0128",
		"1.2.3.4/4294967320",
		"1111:2222:3333:4444:5555:6666:7777:8888:9999/64",
	};
	struct ip_addr a;
	size_t i;
	int p;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		p = 7;
		assert_int_equal(ip_parse_cidr(bad[i], AF_UNSPEC, &a, &p),
				 -EINVAL);
		assert_int_equal(a.family, AF_UNSPEC);
		assert_int_equal(p, -1);
	}
	/* family mismatch */
	assert_int_equal(ip_parse_cidr("::1/64", AF_INET, &a, &p), -EINVAL);
	assert_int_equal(ip_parse_cidr("1.2.3.4/8", AF_INET6, &a, &p), -EINVAL);
}

static void test_parse_netmask(void **state)
{
	(void)state;
	assert_int_equal(ip_parse_netmask("255.255.255.0"), 24);
	assert_int_equal(ip_parse_netmask("255.255.255.255"), 32);
	assert_int_equal(ip_parse_netmask("0.0.0.0"), 0);
	assert_int_equal(ip_parse_netmask("255.255.128.0"), 17);
	assert_int_equal(ip_parse_netmask("255.255.255.254"), 31);
	assert_int_equal(ip_parse_netmask("24"), 24);
	assert_int_equal(ip_parse_netmask("0"), 0);
	assert_int_equal(ip_parse_netmask("32"), 32);
	assert_int_equal(ip_parse_netmask("255.0.255.0"), -EINVAL);
	assert_int_equal(ip_parse_netmask("0.255.255.255"), -EINVAL);
	assert_int_equal(ip_parse_netmask("255.255.255.1"), -EINVAL);
	assert_int_equal(ip_parse_netmask("33"), -EINVAL);
	assert_int_equal(ip_parse_netmask("024"), -EINVAL);
	assert_int_equal(ip_parse_netmask("-1"), -EINVAL);
	assert_int_equal(ip_parse_netmask(""), -EINVAL);
	assert_int_equal(ip_parse_netmask("255.255.255"), -EINVAL);
	assert_int_equal(ip_parse_netmask("255.255.255.0 "), -EINVAL);
	assert_int_equal(ip_parse_netmask("ffff:ff00::"), -EINVAL);
}

static void test_mask(void **state)
{
	struct in_addr m;
	int i;

	(void)state;
	assert_int_equal(ip_mask(0).s_addr, 0);
	assert_int_equal(ntohl(ip_mask(1).s_addr), 0x80000000);
	assert_int_equal(ntohl(ip_mask(24).s_addr), 0xffffff00);
	assert_int_equal(ip_mask(32).s_addr, 0xffffffff);
	assert_int_equal(ip_mask(-5).s_addr, 0);
	assert_int_equal(ip_mask(40).s_addr, 0xffffffff);
	for (i = 0; i <= 32; i++)
		assert_int_equal(ip_mask_len(ip_mask(i)), i);
	m.s_addr = htonl(0xff00ff00);
	assert_int_equal(ip_mask_len(m), -EINVAL);
	m.s_addr = htonl(0x00000001);
	assert_int_equal(ip_mask_len(m), -EINVAL);
	m.s_addr = htonl(0xfffffffe);
	assert_int_equal(ip_mask_len(m), 31);
}

static void test_broadcast(void **state)
{
	struct in_addr a;

	(void)state;
	a.s_addr = htonl(0x0a000001);
	assert_int_equal(ntohl(ip_broadcast(a, 24).s_addr), 0x0a0000ff);
	assert_int_equal(ntohl(ip_broadcast(a, 8).s_addr), 0x0affffff);
	assert_int_equal(ntohl(ip_broadcast(a, 0).s_addr), 0xffffffff);
	assert_int_equal(ntohl(ip_broadcast(a, 31).s_addr), 0x0a000001);
	assert_int_equal(ntohl(ip_broadcast(a, 32).s_addr), 0x0a000001);
	a.s_addr = htonl(0xc0000281);
	assert_int_equal(ntohl(ip_broadcast(a, 25).s_addr), 0xc00002ff);
}

static void test_format(void **state)
{
	char buf[IP_STRLEN];
	char small[4];
	struct ip_addr a;

	(void)state;
	assert_int_equal(ip_parse("10.0.0.1", AF_INET, &a), 0);
	assert_string_equal(ip_format(&a, buf, sizeof(buf)), "10.0.0.1");
	assert_int_equal(ip_parse("2001:0db8:0:0::1", AF_INET6, &a), 0);
	assert_string_equal(ip_format(&a, buf, sizeof(buf)), "2001:db8::1");
	assert_int_equal(ip_parse("::ffff:10.0.0.1", AF_INET6, &a), 0);
	assert_string_equal(ip_format(&a, buf, sizeof(buf)), "::ffff:10.0.0.1");
	assert_ptr_equal(ip_format(&a, small, sizeof(small)), small);
	assert_string_equal(small, "");
	memset(&a, 0, sizeof(a));
	assert_string_equal(ip_format(&a, buf, sizeof(buf)), "");
	a.family = AF_PACKET;
	assert_string_equal(ip_format(&a, buf, sizeof(buf)), "");
}

static void test_equal_len_bytes(void **state)
{
	static const uint8_t b4[] = { 10, 0, 0, 1 };
	struct ip_addr a, b;

	(void)state;
	assert_int_equal(ip_len(AF_INET), 4);
	assert_int_equal(ip_len(AF_INET6), 16);
	assert_int_equal(ip_len(AF_UNSPEC), 0);
	assert_int_equal(ip_prefix_max(AF_INET), 32);
	assert_int_equal(ip_prefix_max(AF_INET6), 128);
	assert_int_equal(ip_prefix_max(AF_UNSPEC), -EAFNOSUPPORT);
	assert_int_equal(ip_parse("10.0.0.1", AF_INET, &a), 0);
	assert_int_equal(ip_from_bytes(AF_INET, b4, 4, &b), 0);
	assert_true(ip_equal(&a, &b));
	assert_int_equal(ip_from_bytes(AF_INET, b4, 3, &b), -EINVAL);
	assert_int_equal(b.family, AF_UNSPEC);
	assert_int_equal(ip_from_bytes(AF_INET6, b4, 4, &b), -EINVAL);
	assert_int_equal(ip_from_bytes(AF_UNSPEC, b4, 0, &b), -EINVAL);
	assert_int_equal(ip_parse("10.0.0.2", AF_INET, &b), 0);
	assert_false(ip_equal(&a, &b));
	assert_int_equal(ip_parse("::ffff:10.0.0.1", AF_INET6, &b), 0);
	assert_false(ip_equal(&a, &b));
	memset(&a, 0, sizeof(a));
	memset(&b, 0, sizeof(b));
	assert_true(ip_equal(&a, &b));
}

/* An address put as an attribute reads back; a length off its family's
 * does not; an absent attribute is AF_UNSPEC. */
static void test_attr(void **state)
{
	uint8_t buf[MNL_SOCKET_BUFFER_SIZE] __attribute__((aligned(4)));
	struct nlmsghdr *nlh = nl_msg(buf, 20, 0);
	const struct nlattr *a = mnl_nlmsg_get_payload_tail(nlh);
	struct ip_addr in, out;

	(void)state;
	assert_int_equal(ip_parse("2001:db8::1", AF_INET6, &in), 0);
	assert_true(ip_put_attr(nlh, 1, &in));
	assert_int_equal(mnl_attr_get_type(a), 1);
	assert_int_equal(mnl_attr_get_payload_len(a), 16);
	assert_int_equal(ip_from_attr(a, AF_INET6, &out), 0);
	assert_true(ip_equal(&in, &out));
	assert_int_equal(ip_from_attr(a, AF_INET, &out), -EBADMSG);
	assert_int_equal(out.family, AF_UNSPEC);
	assert_int_equal(ip_from_attr(NULL, AF_INET, &out), 0);
	assert_int_equal(out.family, AF_UNSPEC);
	nlh->nlmsg_len = MNL_SOCKET_BUFFER_SIZE - 8; /* no room left */
	assert_false(ip_put_attr(nlh, 1, &in));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_v4_accept),
		cmocka_unit_test(test_parse_v4_reject),
		cmocka_unit_test(test_parse_v6),
		cmocka_unit_test(test_parse_cidr),
		cmocka_unit_test(test_parse_cidr_reject),
		cmocka_unit_test(test_parse_netmask),
		cmocka_unit_test(test_mask),
		cmocka_unit_test(test_broadcast),
		cmocka_unit_test(test_format),
		cmocka_unit_test(test_equal_len_bytes),
		cmocka_unit_test(test_attr),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

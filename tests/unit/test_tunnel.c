// SPDX-License-Identifier: MIT
/*
 * Unit tests of lib/tunnel.c: iproute2's tunnel mode names and their
 * defaults, and the exact bytes of the RTM_NEWLINK that makes each kind.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <net/if.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <linux/if_link.h>
#include <linux/if_tunnel.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <libmnl/libmnl.h>
#include <cmocka.h>

#include "embnet/ip.h"
#include "embnet/tunnel.h"
#include "nlfix.h"

#define BUF_LEN 8192

/* Addresses and u8 values inside: only the headers are converted. */
static const struct nlfix_attr none[] = {
	NLFIX_END,
};
static const struct nlfix_attr info[] = {
	NLFIX_NEST(IFLA_INFO_DATA, none),
	NLFIX_END,
};
static const struct nlfix_attr attrs[] = {
	NLFIX_NEST(IFLA_LINKINFO, info),
	NLFIX_END,
};
static const struct nlfix_fam fam = { .hdr = "112444", .attrs = attrs };

static void check(struct nlmsghdr *nlh, uint8_t *want, size_t len)
{
	nlfix_msgs(want, len, &fam);
	assert_non_null(nlh);
	assert_int_equal(nlh->nlmsg_len, len);
	assert_memory_equal(nlh, want, len);
}

static void test_modes(void **state)
{
	struct nl_tunnel t;

	(void)state;
	assert_int_equal(nl_tunnel_mode("gre", false, &t), 0);
	assert_string_equal(t.kind, "gre");
	assert_int_equal(t.family, AF_INET);
	assert_int_equal(t.ttl, 0);
	assert_int_equal(nl_tunnel_mode("ipv6/ip", false, &t), 0);
	assert_string_equal(t.kind, "sit");
	assert_int_equal(nl_tunnel_mode("ip/ip", false, &t), 0);
	assert_string_equal(t.kind, "ipip");
	assert_int_equal(nl_tunnel_mode("ip6gre", true, &t), 0);
	assert_string_equal(t.kind, "ip6gre");
	assert_int_equal(t.family, AF_INET6);
	assert_int_equal(t.ttl, 64);
	assert_int_equal(t.encaplimit, 4);
	assert_int_equal(nl_tunnel_mode("ipip6", true, &t), 0);
	assert_string_equal(t.kind, "ip6tnl");
	assert_int_equal(t.proto, IPPROTO_IPIP);
	assert_int_equal(nl_tunnel_mode("ip6ip6", true, &t), 0);
	assert_int_equal(t.proto, IPPROTO_IPV6);
	assert_int_equal(nl_tunnel_mode("any", true, &t), 0);
	assert_int_equal(t.proto, 0);
	/* each command knows only its own, by exact name */
	assert_int_equal(nl_tunnel_mode("ip6gre", false, &t), -EINVAL);
	assert_int_equal(nl_tunnel_mode("gre", true, &t), -EINVAL);
	assert_int_equal(nl_tunnel_mode("GRE", false, &t), -EINVAL);
	assert_int_equal(nl_tunnel_mode("", false, &t), -EINVAL);
}

static void test_gre_msg(void **state)
{
	/* clang-format off */
	uint8_t want[] = {
		/* nlmsghdr: len 88, RTM_NEWLINK, REQUEST|EXCL|CREATE */
		0x58, 0, 0, 0, 0x10, 0, 0x01, 0x06, 0, 0, 0, 0, 0, 0, 0, 0,
		0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
		/* IFLA_IFNAME "t4" */
		0x07, 0, 0x03, 0, 't', '4', 0, 0,
		/* IFLA_LINKINFO { IFLA_INFO_KIND "gre" */
		0x30, 0, 0x12, 0x80, 0x08, 0, 0x01, 0, 'g', 'r', 'e', 0,
		/* IFLA_INFO_DATA { LOCAL 192.0.2.1, REMOTE 192.0.2.2,
		 * TTL 64, PMTUDISC 1 } } */
		0x24, 0, 0x02, 0x80,
		0x08, 0, 0x06, 0, 192, 0, 2, 1,
		0x08, 0, 0x07, 0, 192, 0, 2, 2,
		0x05, 0, 0x08, 0, 64, 0, 0, 0,
		0x05, 0, 0x0a, 0, 1, 0, 0, 0,
	};
	/* clang-format on */
	uint8_t buf[BUF_LEN] __attribute__((aligned(4)));
	struct nl_tunnel t;

	(void)state;
	assert_int_equal(nl_tunnel_mode("gre", false, &t), 0);
	assert_int_equal(ip_parse("192.0.2.1", AF_INET, &t.local), 0);
	assert_int_equal(ip_parse("192.0.2.2", AF_INET, &t.remote), 0);
	t.ttl = 64;
	check(nl_tunnel_add_msg(buf, "t4", &t), want, sizeof(want));
	/* an endpoint of the other family, a bad name: nothing sent */
	assert_int_equal(ip_parse("2001:db8::1", AF_INET6, &t.local), 0);
	assert_null(nl_tunnel_add_msg(buf, "t4", &t));
	t.local.family = AF_UNSPEC;
	assert_null(nl_tunnel_add_msg(buf, "", &t));
	assert_null(nl_tunnel_add_msg(buf, "0123456789abcdef", &t));
}

static void test_sit_any_msg(void **state)
{
	/* clang-format off */
	uint8_t want[] = {
		/* nlmsghdr: len 80 */
		0x50, 0, 0, 0, 0x10, 0, 0x01, 0x06, 0, 0, 0, 0, 0, 0, 0, 0,
		0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
		/* IFLA_IFNAME "s6" */
		0x07, 0, 0x03, 0, 's', '6', 0, 0,
		/* IFLA_LINKINFO { KIND "sit" DATA { IPTUN_LOCAL 192.0.2.1,
		 * TTL 0 (inherit), PMTUDISC 1; no REMOTE: any } } */
		0x28, 0, 0x12, 0x80, 0x08, 0, 0x01, 0, 's', 'i', 't', 0,
		0x1c, 0, 0x02, 0x80,
		0x08, 0, 0x02, 0, 192, 0, 2, 1,
		0x05, 0, 0x04, 0, 0, 0, 0, 0,
		0x05, 0, 0x0a, 0, 1, 0, 0, 0,
	};
	/* clang-format on */
	uint8_t buf[BUF_LEN] __attribute__((aligned(4)));
	struct nl_tunnel t;

	(void)state;
	assert_int_equal(nl_tunnel_mode("sit", false, &t), 0);
	assert_int_equal(ip_parse("192.0.2.1", AF_INET, &t.local), 0);
	check(nl_tunnel_add_msg(buf, "s6", &t), want, sizeof(want));
}

static void test_ip6tnl_msg(void **state)
{
	/* clang-format off */
	uint8_t want[] = {
		/* nlmsghdr: len 104 */
		0x68, 0, 0, 0, 0x10, 0, 0x01, 0x06, 0, 0, 0, 0, 0, 0, 0, 0,
		0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
		/* IFLA_IFNAME "t6" */
		0x07, 0, 0x03, 0, 't', '6', 0, 0,
		/* IFLA_LINKINFO { KIND "ip6tnl" */
		0x40, 0, 0x12, 0x80, 0x0b, 0, 0x01, 0,
		'i', 'p', '6', 't', 'n', 'l', 0, 0,
		/* DATA { REMOTE 2001:db8::2, TTL 64, ENCAP_LIMIT 4,
		 * PROTO IPIP } } */
		0x30, 0, 0x02, 0x80,
		0x14, 0, 0x03, 0, 0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0,
		0, 0, 0, 0, 0, 0, 0, 2,
		0x05, 0, 0x04, 0, 64, 0, 0, 0,
		0x05, 0, 0x06, 0, 4, 0, 0, 0,
		0x05, 0, 0x09, 0, 4, 0, 0, 0,
	};
	/* clang-format on */
	uint8_t buf[BUF_LEN] __attribute__((aligned(4)));
	struct nl_tunnel t;

	(void)state;
	assert_int_equal(nl_tunnel_mode("ipip6", true, &t), 0);
	assert_int_equal(ip_parse("2001:db8::2", AF_INET6, &t.remote), 0);
	check(nl_tunnel_add_msg(buf, "t6", &t), want, sizeof(want));
}

static void test_ip6gre_msg(void **state)
{
	uint8_t buf[BUF_LEN] __attribute__((aligned(4)));
	struct nlattr *tb[IFLA_GRE_MAX + 1] = { 0 };
	struct nlmsghdr *nlh;
	struct nlattr *a, *d = NULL;
	struct nl_tunnel t;

	(void)state;
	assert_int_equal(nl_tunnel_mode("ip6gre", true, &t), 0);
	assert_int_equal(ip_parse("2001:db8::1", AF_INET6, &t.local), 0);
	assert_int_equal(ip_parse("2001:db8::2", AF_INET6, &t.remote), 0);
	t.encaplimit = 0;
	nlh = nl_tunnel_add_msg(buf, "g6", &t);
	assert_non_null(nlh);
	mnl_attr_for_each(a, nlh, sizeof(struct ifinfomsg)) {
		if (mnl_attr_get_type(a) != IFLA_LINKINFO)
			continue;
		mnl_attr_for_each_nested(d, a) {
			if (mnl_attr_get_type(d) == IFLA_INFO_DATA)
				break;
		}
	}
	assert_non_null(d);
	mnl_attr_for_each_nested(a, d) {
		tb[mnl_attr_get_type(a)] = a;
	}
	/* GRE's own numbering, no IFLA_IPTUN_PROTO (9: IFLA_GRE_TOS) */
	assert_int_equal(mnl_attr_get_payload_len(tb[IFLA_GRE_LOCAL]), 16);
	assert_int_equal(mnl_attr_get_payload_len(tb[IFLA_GRE_REMOTE]), 16);
	assert_int_equal(mnl_attr_get_u8(tb[IFLA_GRE_TTL]), 64);
	assert_int_equal(mnl_attr_get_u8(tb[IFLA_GRE_ENCAP_LIMIT]), 0);
	assert_null(tb[IFLA_GRE_TOS]);
	assert_null(tb[IFLA_GRE_PMTUDISC]);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_modes),
		cmocka_unit_test(test_gre_msg),
		cmocka_unit_test(test_sit_any_msg),
		cmocka_unit_test(test_ip6tnl_msg),
		cmocka_unit_test(test_ip6gre_msg),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

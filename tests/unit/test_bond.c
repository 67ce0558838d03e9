// SPDX-License-Identifier: MIT
/*
 * Unit tests of lib/bond.c: option text parsed as the kernel's sysfs
 * parses it, the exact bytes of every request (as `ip link` sends them),
 * decoding of bond and bond-slave RTM_NEWLINK messages, and malformed ones.
 */
#include <errno.h>
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <arpa/inet.h>
#include <net/if.h>
#include <sys/socket.h>

#include <linux/if_link.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <libmnl/libmnl.h>
#include <cmocka.h>

#include "embnet/bond.h"
#include "embnet/nl.h"
#include "nlfix.h"

#define BUF_LEN 8192

/* ARP targets are addresses (network order): never converted. */
static const struct nlfix_attr none[] = {
	NLFIX_END,
};

static const struct nlfix_attr data[] = {
	NLFIX_NEST(IFLA_BOND_ARP_IP_TARGET, none),
	NLFIX_INT(NLFIX_ANY),
	NLFIX_END,
};

static const struct nlfix_attr info[] = {
	NLFIX_NEST(IFLA_INFO_DATA, data),
	NLFIX_END,
};

static const struct nlfix_attr attrs[] = {
	NLFIX_INT(IFLA_MASTER),
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

static uint32_t parsed(uint16_t attr, const char *text)
{
	uint32_t v = 0xdeadbeef;

	assert_int_equal(nl_bond_value_parse(attr, text, &v), 0);
	return v;
}

static void bad(uint16_t attr, const char *text)
{
	uint32_t v = 0xdeadbeef;

	assert_int_equal(nl_bond_value_parse(attr, text, &v), -EINVAL);
	assert_int_equal(v, 0xdeadbeef);
}

static void test_value_names(void **state)
{
	(void)state;
	assert_int_equal(parsed(IFLA_BOND_MODE, "balance-rr"), 0);
	assert_int_equal(parsed(IFLA_BOND_MODE, "active-backup"), 1);
	assert_int_equal(parsed(IFLA_BOND_MODE, "802.3ad"), 4);
	assert_int_equal(parsed(IFLA_BOND_MODE, "balance-alb"), 6);
	assert_int_equal(parsed(IFLA_BOND_MODE, "default"), 0);
	/* sscanf %32s: the first word counts, the rest is ignored */
	assert_int_equal(parsed(IFLA_BOND_MODE, "broadcast junk"), 3);
	assert_int_equal(parsed(IFLA_BOND_XMIT_HASH_POLICY, "layer3+4"), 1);
	assert_int_equal(parsed(IFLA_BOND_XMIT_HASH_POLICY, "vlan+srcmac"), 5);
	assert_int_equal(parsed(IFLA_BOND_AD_LACP_RATE, "fast"), 1);
	assert_int_equal(parsed(IFLA_BOND_AD_LACP_RATE, "slow"), 0);
	assert_int_equal(parsed(IFLA_BOND_MIIMON, "off"), 0);
	assert_int_equal(parsed(IFLA_BOND_MIIMON, "maxval"), INT_MAX);
	bad(IFLA_BOND_MODE, "active_backup");
	bad(IFLA_BOND_MODE, "Balance-rr");
	bad(IFLA_BOND_AD_LACP_RATE, "medium");
	bad(IFLA_BOND_XMIT_HASH_POLICY, "layer4");
	bad(IFLA_BOND_MIIMON, "100ms");
	bad(IFLA_BOND_MIIMON, "-1");
}

static void test_value_numbers(void **state)
{
	uint32_t v;

	(void)state;
	assert_int_equal(parsed(IFLA_BOND_MODE, "4"), 4);
	assert_int_equal(parsed(IFLA_BOND_MODE, " 6 "), 6);
	assert_int_equal(parsed(IFLA_BOND_MIIMON, "100"), 100);
	assert_int_equal(parsed(IFLA_BOND_UPDELAY, "0"), 0);
	assert_int_equal(parsed(IFLA_BOND_DOWNDELAY, "2147483647"), INT_MAX);
	assert_int_equal(parsed(IFLA_BOND_ARP_INTERVAL, "100 200"), 100);
	bad(IFLA_BOND_MODE, "7");
	bad(IFLA_BOND_AD_LACP_RATE, "2");
	bad(IFLA_BOND_XMIT_HASH_POLICY, "6");
	bad(IFLA_BOND_MIIMON, "2147483648");
	bad(IFLA_BOND_MIIMON, "99999999999999999999999");
	bad(IFLA_BOND_MIIMON, "");
	assert_int_equal(nl_bond_value_parse(IFLA_BOND_PRIMARY, "1", &v),
			 -EOPNOTSUPP);
}

static void test_add_msg(void **state)
{
	/* clang-format off */
	uint8_t want[] = {
		/* nlmsghdr: len 60, RTM_NEWLINK, REQUEST|EXCL|CREATE */
		0x3c, 0, 0, 0, 0x10, 0, 0x01, 0x06, 0, 0, 0, 0, 0, 0, 0, 0,
		/* ifinfomsg: all zero */
		0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
		/* IFLA_IFNAME "bond0" */
		0x0a, 0, 0x03, 0, 'b', 'o', 'n', 'd', '0', 0, 0, 0,
		/* IFLA_LINKINFO|NLA_F_NESTED { IFLA_INFO_KIND "bond" } */
		0x10, 0, 0x12, 0x80, 0x09, 0, 0x01, 0,
		'b', 'o', 'n', 'd', 0, 0, 0, 0,
	};
	/* clang-format on */
	uint8_t buf[BUF_LEN] __attribute__((aligned(4)));

	(void)state;
	check(nl_bond_add_msg(buf, "bond0"), want, sizeof(want));
	assert_null(nl_bond_add_msg(buf, ""));
	assert_null(nl_bond_add_msg(buf, "0123456789abcdef"));
}

static void test_set_msg(void **state)
{
	/* clang-format off */
	uint8_t mode[] = {
		/* nlmsghdr: len 60, RTM_NEWLINK, REQUEST */
		0x3c, 0, 0, 0, 0x10, 0, 0x01, 0, 0, 0, 0, 0, 0, 0, 0, 0,
		/* ifinfomsg: index 7 */
		0, 0, 0, 0, 7, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
		/* IFLA_LINKINFO { IFLA_INFO_KIND "bond" */
		0x1c, 0, 0x12, 0x80, 0x09, 0, 0x01, 0,
		'b', 'o', 'n', 'd', 0, 0, 0, 0,
		/* IFLA_INFO_DATA { IFLA_BOND_MODE u8 1 } } */
		0x0c, 0, 0x02, 0x80, 0x05, 0, 0x01, 0, 1, 0, 0, 0,
	};
	uint8_t miimon[] = {
		0x3c, 0, 0, 0, 0x10, 0, 0x01, 0, 0, 0, 0, 0, 0, 0, 0, 0,
		0, 0, 0, 0, 7, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
		0x1c, 0, 0x12, 0x80, 0x09, 0, 0x01, 0,
		'b', 'o', 'n', 'd', 0, 0, 0, 0,
		/* IFLA_BOND_MIIMON u32 100 */
		0x0c, 0, 0x02, 0x80, 0x08, 0, 0x03, 0, 100, 0, 0, 0,
	};
	uint8_t primary[] = {
		0x3c, 0, 0, 0, 0x10, 0, 0x01, 0, 0, 0, 0, 0, 0, 0, 0, 0,
		0, 0, 0, 0, 7, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
		0x1c, 0, 0x12, 0x80, 0x09, 0, 0x01, 0,
		'b', 'o', 'n', 'd', 0, 0, 0, 0,
		/* IFLA_BOND_PRIMARY u32 ifindex 3 */
		0x0c, 0, 0x02, 0x80, 0x08, 0, 0x0b, 0, 3, 0, 0, 0,
	};
	uint8_t rate[] = {
		0x3c, 0, 0, 0, 0x10, 0, 0x01, 0, 0, 0, 0, 0, 0, 0, 0, 0,
		0, 0, 0, 0, 7, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
		0x1c, 0, 0x12, 0x80, 0x09, 0, 0x01, 0,
		'b', 'o', 'n', 'd', 0, 0, 0, 0,
		/* IFLA_BOND_AD_LACP_RATE u8 1 */
		0x0c, 0, 0x02, 0x80, 0x05, 0, 0x15, 0, 1, 0, 0, 0,
	};
	/* clang-format on */
	uint8_t buf[BUF_LEN] __attribute__((aligned(4)));

	(void)state;
	check(nl_bond_set_msg(buf, 7, IFLA_BOND_MODE, 1), mode, sizeof(mode));
	check(nl_bond_set_msg(buf, 7, IFLA_BOND_MIIMON, 100), miimon,
	      sizeof(miimon));
	check(nl_bond_set_msg(buf, 7, IFLA_BOND_PRIMARY, 3), primary,
	      sizeof(primary));
	check(nl_bond_set_msg(buf, 7, IFLA_BOND_AD_LACP_RATE, 1), rate,
	      sizeof(rate));
	assert_null(nl_bond_set_msg(buf, 7, IFLA_BOND_ACTIVE_SLAVE, 1));
	assert_null(nl_bond_set_msg(buf, 7, IFLA_BOND_ARP_IP_TARGET, 1));
}

static void test_targets_msg(void **state)
{
	/* clang-format off */
	uint8_t two[] = {
		/* nlmsghdr: len 72, RTM_NEWLINK, REQUEST */
		0x48, 0, 0, 0, 0x10, 0, 0x01, 0, 0, 0, 0, 0, 0, 0, 0, 0,
		0, 0, 0, 0, 7, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
		0x28, 0, 0x12, 0x80, 0x09, 0, 0x01, 0,
		'b', 'o', 'n', 'd', 0, 0, 0, 0,
		/* IFLA_INFO_DATA { IFLA_BOND_ARP_IP_TARGET { 0: 192.0.2.1,
		 * 1: 192.0.2.9 } } */
		0x18, 0, 0x02, 0x80, 0x14, 0, 0x08, 0x80,
		0x08, 0, 0x00, 0, 192, 0, 2, 1,
		0x08, 0, 0x01, 0, 192, 0, 2, 9,
	};
	uint8_t clear[] = {
		0x38, 0, 0, 0, 0x10, 0, 0x01, 0, 0, 0, 0, 0, 0, 0, 0, 0,
		0, 0, 0, 0, 7, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
		0x18, 0, 0x12, 0x80, 0x09, 0, 0x01, 0,
		'b', 'o', 'n', 'd', 0, 0, 0, 0,
		/* an empty list clears the kernel's */
		0x08, 0, 0x02, 0x80, 0x04, 0, 0x08, 0x80,
	};
	/* clang-format on */
	uint8_t buf[BUF_LEN] __attribute__((aligned(4)));
	uint32_t t[NL_BOND_MAX_TARGETS + 1];

	(void)state;
	t[0] = htonl(0xc0000201);
	t[1] = htonl(0xc0000209);
	check(nl_bond_targets_msg(buf, 7, t, 2), two, sizeof(two));
	check(nl_bond_targets_msg(buf, 7, NULL, 0), clear, sizeof(clear));
	assert_null(nl_bond_targets_msg(buf, 7, t, NL_BOND_MAX_TARGETS + 1));
}

static void test_enslave_msg(void **state)
{
	/* clang-format off */
	uint8_t want[] = {
		/* nlmsghdr: len 40, RTM_SETLINK, REQUEST */
		0x28, 0, 0, 0, 0x13, 0, 0x01, 0, 0, 0, 0, 0, 0, 0, 0, 0,
		/* ifinfomsg: index 3 */
		0, 0, 0, 0, 3, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
		/* IFLA_MASTER 5 */
		0x08, 0, 0x0a, 0, 5, 0, 0, 0,
	};
	/* clang-format on */
	uint8_t buf[BUF_LEN] __attribute__((aligned(4)));

	(void)state;
	check(nl_bond_enslave_msg(buf, 3, 5), want, sizeof(want));
}

/* An RTM_NEWLINK of bond @name with the kernel's attributes, built here
 * in host order. */
static struct nlmsghdr *bond_link(void *buf, bool bad_mode, bool bad_target)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct ifinfomsg *ifi;
	struct nlattr *li, *d, *t;
	uint32_t a = htonl(0xc0000201), b = htonl(0xc0000209);

	nlh->nlmsg_type = RTM_NEWLINK;
	ifi = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifi));
	ifi->ifi_index = 9;
	ifi->ifi_flags = IFF_UP | IFF_MASTER;
	mnl_attr_put_strz(nlh, IFLA_IFNAME, "bond0");
	mnl_attr_put_u32(nlh, 0x7fff, 1); /* unknown: skipped */
	li = mnl_attr_nest_start(nlh, IFLA_LINKINFO);
	mnl_attr_put_strz(nlh, IFLA_INFO_KIND, "bond");
	d = mnl_attr_nest_start(nlh, IFLA_INFO_DATA);
	if (bad_mode)
		mnl_attr_put_u32(nlh, IFLA_BOND_MODE, 1);
	else
		mnl_attr_put_u8(nlh, IFLA_BOND_MODE, 4);
	mnl_attr_put_u32(nlh, IFLA_BOND_MIIMON, 100);
	mnl_attr_put_u32(nlh, IFLA_BOND_UPDELAY, 200);
	mnl_attr_put_u32(nlh, IFLA_BOND_DOWNDELAY, 300);
	mnl_attr_put_u32(nlh, IFLA_BOND_ARP_INTERVAL, 0);
	mnl_attr_put_u8(nlh, IFLA_BOND_XMIT_HASH_POLICY, 2);
	mnl_attr_put_u8(nlh, IFLA_BOND_AD_LACP_RATE, 1);
	mnl_attr_put_u32(nlh, IFLA_BOND_PRIMARY, 4);
	t = mnl_attr_nest_start(nlh, IFLA_BOND_ARP_IP_TARGET);
	mnl_attr_put(nlh, 0, 4, &a);
	mnl_attr_put(nlh, 1, bad_target ? 2 : 4, &b);
	mnl_attr_nest_end(nlh, t);
	mnl_attr_nest_end(nlh, d);
	mnl_attr_nest_end(nlh, li);
	return nlh;
}

static void test_parse_bond(void **state)
{
	uint8_t buf[BUF_LEN] __attribute__((aligned(4))) = { 0 };
	struct nl_bond_link l;

	(void)state;
	assert_int_equal(nl_bond_parse(bond_link(buf, false, false), &l), 0);
	assert_string_equal(l.name, "bond0");
	assert_int_equal(l.index, 9);
	assert_true(l.is_bond);
	assert_false(l.is_slave);
	assert_int_equal(l.mode, 4);
	assert_int_equal(l.miimon, 100);
	assert_int_equal(l.updelay, 200);
	assert_int_equal(l.downdelay, 300);
	assert_int_equal(l.xmit_hash_policy, 2);
	assert_int_equal(l.lacp_rate, 1);
	assert_int_equal(l.primary, 4);
	assert_int_equal(l.n_targets, 2);
	assert_int_equal(l.targets[0], htonl(0xc0000201));
	assert_int_equal(l.targets[1], htonl(0xc0000209));
	assert_true(l.flags & IFF_UP);
}

static void test_parse_malformed(void **state)
{
	uint8_t buf[BUF_LEN] __attribute__((aligned(4))) = { 0 };
	struct nl_bond_link l;
	struct nlmsghdr *nlh;

	(void)state;
	assert_int_equal(nl_bond_parse(bond_link(buf, true, false), &l),
			 -EBADMSG);
	memset(buf, 0, sizeof(buf));
	assert_int_equal(nl_bond_parse(bond_link(buf, false, true), &l),
			 -EBADMSG);
	memset(buf, 0, sizeof(buf));
	nlh = bond_link(buf, false, false);
	nlh->nlmsg_type = RTM_NEWADDR;
	assert_int_equal(nl_bond_parse(nlh, &l), -EPROTO);
	nlh->nlmsg_type = RTM_NEWLINK;
	nlh->nlmsg_len = sizeof(*nlh) + 4; /* short of an ifinfomsg */
	assert_int_equal(nl_bond_parse(nlh, &l), -EBADMSG);
}

static void test_parse_slave(void **state)
{
	uint8_t buf[BUF_LEN] __attribute__((aligned(4))) = { 0 };
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct ifinfomsg *ifi;
	struct nlattr *li;
	struct nl_bond_link l;

	(void)state;
	nlh->nlmsg_type = RTM_NEWLINK;
	ifi = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifi));
	ifi->ifi_index = 4;
	mnl_attr_put_strz(nlh, IFLA_IFNAME, "eth1");
	mnl_attr_put_u32(nlh, IFLA_MASTER, 9);
	li = mnl_attr_nest_start(nlh, IFLA_LINKINFO);
	mnl_attr_put_strz(nlh, IFLA_INFO_KIND, "veth");
	mnl_attr_put_strz(nlh, IFLA_INFO_SLAVE_KIND, "bond");
	mnl_attr_nest_end(nlh, li);
	assert_int_equal(nl_bond_parse(nlh, &l), 0);
	assert_false(l.is_bond);
	assert_true(l.is_slave);
	assert_int_equal(l.master, 9);
	assert_int_equal(l.n_targets, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_value_names),
		cmocka_unit_test(test_value_numbers),
		cmocka_unit_test(test_add_msg),
		cmocka_unit_test(test_set_msg),
		cmocka_unit_test(test_targets_msg),
		cmocka_unit_test(test_enslave_msg),
		cmocka_unit_test(test_parse_bond),
		cmocka_unit_test(test_parse_malformed),
		cmocka_unit_test(test_parse_slave),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

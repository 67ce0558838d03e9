// SPDX-License-Identifier: MIT
/*
 * Unit tests of lib/bridge.c: the exact bytes of every request (as `ip
 * link` sends them), decoding of bridge and bridge-port RTM_NEWLINK
 * messages, and malformed ones.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <net/if.h>
#include <sys/socket.h>

#include <linux/if_link.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <libmnl/libmnl.h>
#include <cmocka.h>

#include "embnet/bridge.h"
#include "embnet/nl.h"
#include "nlfix.h"

#define BUF_LEN 8192

/* The requests' nests hold integers only (strings are not converted). */
static const struct nlfix_attr ints[] = {
	NLFIX_INT(NLFIX_ANY),
	NLFIX_END,
};

static const struct nlfix_attr info[] = {
	NLFIX_NEST(IFLA_INFO_DATA, ints),
	NLFIX_NEST(IFLA_INFO_SLAVE_DATA, ints),
	NLFIX_END,
};

static const struct nlfix_attr af_spec[] = {
	NLFIX_NEST(AF_INET6, ints),
	NLFIX_END,
};

static const struct nlfix_attr attrs[] = {
	NLFIX_INT(IFLA_MASTER),
	NLFIX_NEST(IFLA_LINKINFO, info),
	NLFIX_NEST(IFLA_AF_SPEC, af_spec),
	NLFIX_END,
};

static const struct nlfix_fam fam = { .hdr = "112444", .attrs = attrs };

static void test_add_msg(void **state)
{
	/* clang-format off */
	uint8_t want[] = {
		/* nlmsghdr: len 56, RTM_NEWLINK, REQUEST|EXCL|CREATE */
		0x38, 0, 0, 0, 0x10, 0, 0x01, 0x06, 0, 0, 0, 0, 0, 0, 0, 0,
		/* ifinfomsg: all zero */
		0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
		/* IFLA_IFNAME "br0" */
		0x08, 0, 0x03, 0, 'b', 'r', '0', 0,
		/* IFLA_LINKINFO|NLA_F_NESTED { IFLA_INFO_KIND "bridge" } */
		0x10, 0, 0x12, 0x80, 0x0b, 0, 0x01, 0,
		'b', 'r', 'i', 'd', 'g', 'e', 0, 0,
	};
	/* clang-format on */
	uint8_t buf[BUF_LEN] __attribute__((aligned(4)));

	(void)state;
	nlfix_assert_msg(nl_bridge_add_msg(buf, "br0"), want, sizeof(want),
			 &fam);
	assert_null(nl_bridge_add_msg(buf, ""));
	assert_null(nl_bridge_add_msg(buf, "0123456789abcdef"));
}

static void test_set_msg(void **state)
{
	/* clang-format off */
	uint8_t fd[] = {
		/* nlmsghdr: len 60, RTM_NEWLINK, REQUEST */
		0x3c, 0, 0, 0, 0x10, 0, 0x01, 0, 0, 0, 0, 0, 0, 0, 0, 0,
		/* ifinfomsg: index 7 */
		0, 0, 0, 0, 7, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
		/* IFLA_LINKINFO { IFLA_INFO_KIND "bridge" */
		0x1c, 0, 0x12, 0x80, 0x0b, 0, 0x01, 0,
		'b', 'r', 'i', 'd', 'g', 'e', 0, 0,
		/* IFLA_INFO_DATA { IFLA_BR_FORWARD_DELAY 1500 } } */
		0x0c, 0, 0x02, 0x80, 0x08, 0, 0x01, 0, 0xdc, 0x05, 0, 0,
	};
	uint8_t prio[] = {
		0x3c, 0, 0, 0, 0x10, 0, 0x01, 0, 0, 0, 0, 0, 0, 0, 0, 0,
		0, 0, 0, 0, 7, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
		0x1c, 0, 0x12, 0x80, 0x0b, 0, 0x01, 0,
		'b', 'r', 'i', 'd', 'g', 'e', 0, 0,
		/* IFLA_BR_PRIORITY: u16 4464 (70000 cut as sysfs does) */
		0x0c, 0, 0x02, 0x80, 0x06, 0, 0x06, 0, 0x70, 0x11, 0, 0,
	};
	uint8_t vlan[] = {
		0x3c, 0, 0, 0, 0x10, 0, 0x01, 0, 0, 0, 0, 0, 0, 0, 0, 0,
		0, 0, 0, 0, 7, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
		0x1c, 0, 0x12, 0x80, 0x0b, 0, 0x01, 0,
		'b', 'r', 'i', 'd', 'g', 'e', 0, 0,
		/* IFLA_BR_VLAN_FILTERING: u8 1 */
		0x0c, 0, 0x02, 0x80, 0x05, 0, 0x07, 0, 1, 0, 0, 0,
	};
	/* clang-format on */
	uint8_t buf[BUF_LEN] __attribute__((aligned(4)));

	(void)state;
	nlfix_assert_msg(nl_bridge_set_msg(buf, 7, IFLA_BR_FORWARD_DELAY, 1500),
			 fd, sizeof(fd), &fam);
	nlfix_assert_msg(nl_bridge_set_msg(buf, 7, IFLA_BR_PRIORITY, 70000),
			 prio, sizeof(prio), &fam);
	nlfix_assert_msg(nl_bridge_set_msg(buf, 7, IFLA_BR_VLAN_FILTERING, 1),
			 vlan, sizeof(vlan), &fam);
	assert_null(nl_bridge_set_msg(buf, 7, IFLA_BR_ROOT_ID, 1));
	assert_non_null(nl_bridge_set_msg(buf, 7, IFLA_BR_HELLO_TIME, 1));
	assert_non_null(nl_bridge_set_msg(buf, 7, IFLA_BR_MAX_AGE, 1));
	assert_non_null(nl_bridge_set_msg(buf, 7, IFLA_BR_AGEING_TIME, 1));
	assert_non_null(nl_bridge_set_msg(buf, 7, IFLA_BR_STP_STATE, 1));
}

static void test_port_set_msg(void **state)
{
	/* clang-format off */
	uint8_t prio[] = {
		/* nlmsghdr: len 60, RTM_NEWLINK, REQUEST */
		0x3c, 0, 0, 0, 0x10, 0, 0x01, 0, 0, 0, 0, 0, 0, 0, 0, 0,
		/* ifinfomsg: index 3 */
		0, 0, 0, 0, 3, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
		/* IFLA_LINKINFO { IFLA_INFO_SLAVE_KIND "bridge" */
		0x1c, 0, 0x12, 0x80, 0x0b, 0, 0x04, 0,
		'b', 'r', 'i', 'd', 'g', 'e', 0, 0,
		/* IFLA_INFO_SLAVE_DATA { IFLA_BRPORT_PRIORITY u16 7 } } */
		0x0c, 0, 0x05, 0x80, 0x06, 0, 0x02, 0, 7, 0, 0, 0,
	};
	uint8_t cost[] = {
		0x3c, 0, 0, 0, 0x10, 0, 0x01, 0, 0, 0, 0, 0, 0, 0, 0, 0,
		0, 0, 0, 0, 3, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
		0x1c, 0, 0x12, 0x80, 0x0b, 0, 0x04, 0,
		'b', 'r', 'i', 'd', 'g', 'e', 0, 0,
		/* IFLA_BRPORT_COST u32 77 */
		0x0c, 0, 0x05, 0x80, 0x08, 0, 0x03, 0, 77, 0, 0, 0,
	};
	/* clang-format on */
	uint8_t buf[BUF_LEN] __attribute__((aligned(4)));

	(void)state;
	nlfix_assert_msg(
		nl_bridge_port_set_msg(buf, 3, IFLA_BRPORT_PRIORITY, 7), prio,
		sizeof(prio), &fam);
	nlfix_assert_msg(nl_bridge_port_set_msg(buf, 3, IFLA_BRPORT_COST, 77),
			 cost, sizeof(cost), &fam);
	assert_null(nl_bridge_port_set_msg(buf, 3, IFLA_BRPORT_STATE, 1));
}

static void test_master_msg(void **state)
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
	nlfix_assert_msg(nl_bridge_master_msg(buf, 3, 5), want, sizeof(want),
			 &fam);
}

static void test_addrgen_msg(void **state)
{
	/* clang-format off */
	uint8_t want[] = {
		/* nlmsghdr: len 48, RTM_SETLINK, REQUEST */
		0x30, 0, 0, 0, 0x13, 0, 0x01, 0, 0, 0, 0, 0, 0, 0, 0, 0,
		/* ifinfomsg: index 3 */
		0, 0, 0, 0, 3, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
		/* IFLA_AF_SPEC { AF_INET6 { IFLA_INET6_ADDR_GEN_MODE 1 } } */
		0x10, 0, 0x1a, 0x80, 0x0c, 0, 0x0a, 0x80,
		0x05, 0, 0x08, 0, 1, 0, 0, 0,
	};
	/* clang-format on */
	uint8_t buf[BUF_LEN] __attribute__((aligned(4)));

	(void)state;
	nlfix_assert_msg(nl_bridge_addrgen_msg(buf, 3, IN6_ADDR_GEN_MODE_NONE),
			 want, sizeof(want), &fam);
}

/* ---- decoding ------------------------------------------------------- */

/* An RTM_NEWLINK of @name (index 4, master @master unless 0) with
 * IFLA_LINKINFO { @kind_attr @kind, @data_attr { @attr: @len bytes } }. */
static struct nlmsghdr *link_of(void *buf, const char *name, int master,
				uint16_t kind_attr, const char *kind,
				uint16_t data_attr, uint16_t attr, size_t len,
				uint32_t value)
{
	struct ifinfomsg ifi = { .ifi_index = 4, .ifi_flags = IFF_UP };
	struct nlmsghdr *nlh;
	struct nlattr *nest, *data;

	nlh = nlfix_msg_start(buf, BUF_LEN, RTM_NEWLINK, &ifi, sizeof(ifi));
	mnl_attr_put_u32(nlh, IFLA_MTU, 1500); /* not read */
	mnl_attr_put_strz(nlh, IFLA_IFNAME, name);
	if (master)
		mnl_attr_put_u32(nlh, IFLA_MASTER, (uint32_t)master);
	nest = mnl_attr_nest_start(nlh, IFLA_LINKINFO);
	mnl_attr_put_strz(nlh, kind_attr, kind);
	data = mnl_attr_nest_start(nlh, data_attr);
	mnl_attr_put_u32(nlh, IFLA_BR_HELLO_TIME, 200); /* not read */
	if (len == 1)
		mnl_attr_put_u8(nlh, attr, (uint8_t)value);
	else if (len == 2)
		mnl_attr_put_u16(nlh, attr, (uint16_t)value);
	else
		mnl_attr_put_u32(nlh, attr, value);
	mnl_attr_nest_end(nlh, data);
	mnl_attr_nest_end(nlh, nest);
	mnl_attr_put_u32(nlh, 0x7ff0, 1); /* a newer kernel's: skipped */
	return nlh;
}

static void test_parse_bridge(void **state)
{
	uint8_t buf[BUF_LEN] __attribute__((aligned(4)));
	struct nl_bridge_link l;

	(void)state;
	assert_int_equal(
		nl_bridge_parse(link_of(buf, "br0", 0, IFLA_INFO_KIND, "bridge",
					IFLA_INFO_DATA, IFLA_BR_FORWARD_DELAY,
					4, 1500),
				&l),
		0);
	assert_string_equal(l.name, "br0");
	assert_int_equal(l.index, 4);
	assert_int_equal(l.flags, IFF_UP);
	assert_int_equal(l.master, 0);
	assert_true(l.is_bridge);
	assert_false(l.is_port);
	assert_int_equal(l.forward_delay, 1500);
}

static void test_parse_port(void **state)
{
	uint8_t buf[BUF_LEN] __attribute__((aligned(4)));
	struct nl_bridge_link l;

	(void)state;
	assert_int_equal(
		nl_bridge_parse(link_of(buf, "veth0", 9, IFLA_INFO_SLAVE_KIND,
					"bridge", IFLA_INFO_SLAVE_DATA,
					IFLA_BRPORT_STATE, 1, 3),
				&l),
		0);
	assert_string_equal(l.name, "veth0");
	assert_int_equal(l.master, 9);
	assert_true(l.is_port);
	assert_false(l.is_bridge);
	assert_int_equal(l.port_state, 3);
	/* a bond's port: its data is not read as a bridge port's */
	assert_int_equal(
		nl_bridge_parse(link_of(buf, "veth0", 9, IFLA_INFO_SLAVE_KIND,
					"bond", IFLA_INFO_SLAVE_DATA,
					IFLA_BRPORT_STATE, 4, 3),
				&l),
		0);
	assert_false(l.is_port);
	assert_int_equal(l.port_state, 0);
	/* "bridgex" and "bridg" are other kinds */
	assert_int_equal(nl_bridge_parse(link_of(buf, "b", 0, IFLA_INFO_KIND,
						 "bridgex", IFLA_INFO_DATA,
						 IFLA_BR_FORWARD_DELAY, 4, 1),
					 &l),
			 0);
	assert_false(l.is_bridge);
	assert_int_equal(nl_bridge_parse(link_of(buf, "b", 0, IFLA_INFO_KIND,
						 "bridg", IFLA_INFO_DATA,
						 IFLA_BR_FORWARD_DELAY, 4, 1),
					 &l),
			 0);
	assert_false(l.is_bridge);
}

static void test_parse_malformed(void **state)
{
	uint8_t buf[BUF_LEN] __attribute__((aligned(4)));
	struct nl_bridge_link l;
	struct nlmsghdr *nlh;

	(void)state;
	/* forward delay of 2 bytes, port state of 4 */
	nlh = link_of(buf, "br0", 0, IFLA_INFO_KIND, "bridge", IFLA_INFO_DATA,
		      IFLA_BR_FORWARD_DELAY, 2, 1500);
	assert_int_equal(nl_bridge_parse(nlh, &l), -EBADMSG);
	nlh = link_of(buf, "p", 1, IFLA_INFO_SLAVE_KIND, "bridge",
		      IFLA_INFO_SLAVE_DATA, IFLA_BRPORT_STATE, 4, 3);
	assert_int_equal(nl_bridge_parse(nlh, &l), -EBADMSG);
	/* a name without its NUL */
	nlh = link_of(buf, "br0", 0, IFLA_INFO_KIND, "bridge", IFLA_INFO_DATA,
		      IFLA_BR_FORWARD_DELAY, 4, 1500);
	memset((uint8_t *)nlh + 16 + 16 + 8 + 4 + 3, 'x', 1);
	assert_int_equal(nl_bridge_parse(nlh, &l), -EBADMSG);
	/* an attribute running past the message */
	nlh = link_of(buf, "br0", 0, IFLA_INFO_KIND, "bridge", IFLA_INFO_DATA,
		      IFLA_BR_FORWARD_DELAY, 4, 1500);
	nlh->nlmsg_len -= 12; /* into IFLA_LINKINFO */
	assert_int_equal(nl_bridge_parse(nlh, &l), -EBADMSG);
	/* no room for the ifinfomsg */
	nlh = nlfix_msg_start(buf, BUF_LEN, RTM_NEWLINK, NULL, 8);
	assert_int_equal(nl_bridge_parse(nlh, &l), -EBADMSG);
	/* not a link message */
	nlh->nlmsg_type = RTM_NEWADDR;
	assert_int_equal(nl_bridge_parse(nlh, &l), -EPROTO);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_add_msg),
		cmocka_unit_test(test_set_msg),
		cmocka_unit_test(test_port_set_msg),
		cmocka_unit_test(test_master_msg),
		cmocka_unit_test(test_addrgen_msg),
		cmocka_unit_test(test_parse_bridge),
		cmocka_unit_test(test_parse_port),
		cmocka_unit_test(test_parse_malformed),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

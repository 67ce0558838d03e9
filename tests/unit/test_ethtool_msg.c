// SPDX-License-Identifier: MIT
/*
 * lib/ethtool_msg.c, lib/ethtool_features.c, lib/ethtool_perm.c: replies
 * recorded from a 6.18 kernel (veth0 ifindex 3, tap0 ifindex 5, family
 * 21), truncated and hostile replies, and the SET builders.  No sockets.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <linux/ethtool.h>
#include <linux/ethtool_netlink.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>
#include <libmnl/libmnl.h>
#include <cmocka.h>

#include "embnet/ethtool.h"
#include "embnet/genl.h"
#include "embnet/nl.h"
#include "nlfix_genl.h"

/* Recorded with tests/nltool "ethtool raw" (CHANNELS_GET veth0 ...). */
static uint8_t channels_veth[] __attribute__((aligned(4))) = {
	0x4c, 0x00, 0x00, 0x00, 0x15, 0x00, 0x00, 0x00, 0x02, 0x22, 0x73,
	0x00, 0x22, 0x73, 0x00, 0x00, 0x12, 0x01, 0x00, 0x00, 0x18, 0x00,
	0x01, 0x80, 0x08, 0x00, 0x01, 0x00, 0x03, 0x00, 0x00, 0x00, 0x0a,
	0x00, 0x02, 0x00, 0x76, 0x65, 0x74, 0x68, 0x30, 0x00, 0x00, 0x00,
	0x08, 0x00, 0x02, 0x00, 0x02, 0x00, 0x00, 0x00, 0x08, 0x00, 0x06,
	0x00, 0x01, 0x00, 0x00, 0x00, 0x08, 0x00, 0x03, 0x00, 0x02, 0x00,
	0x00, 0x00, 0x08, 0x00, 0x07, 0x00, 0x01, 0x00, 0x00, 0x00,
};
static uint8_t coalesce_tap[] __attribute__((aligned(4))) = {
	0x34, 0x00, 0x00, 0x00, 0x15, 0x00, 0x00, 0x00, 0x02, 0x25, 0x73,
	0x00, 0x25, 0x73, 0x00, 0x00, 0x14, 0x01, 0x00, 0x00, 0x18, 0x00,
	0x01, 0x80, 0x08, 0x00, 0x01, 0x00, 0x05, 0x00, 0x00, 0x00, 0x09,
	0x00, 0x02, 0x00, 0x74, 0x61, 0x70, 0x30, 0x00, 0x00, 0x00, 0x00,
	0x08, 0x00, 0x03, 0x00, 0x00, 0x00, 0x00, 0x00,
};
static uint8_t linkmodes_veth[] __attribute__((aligned(4))) = {
	0x80, 0x00, 0x00, 0x00, 0x15, 0x00, 0x00, 0x00, 0x02, 0x28, 0x73, 0x00,
	0x28, 0x73, 0x00, 0x00, 0x04, 0x01, 0x00, 0x00, 0x18, 0x00, 0x01, 0x80,
	0x08, 0x00, 0x01, 0x00, 0x03, 0x00, 0x00, 0x00, 0x0a, 0x00, 0x02, 0x00,
	0x76, 0x65, 0x74, 0x68, 0x30, 0x00, 0x00, 0x00, 0x05, 0x00, 0x02, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x34, 0x00, 0x03, 0x80, 0x08, 0x00, 0x02, 0x00,
	0x79, 0x00, 0x00, 0x00, 0x14, 0x00, 0x04, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x14, 0x00, 0x05, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x08, 0x00, 0x05, 0x00,
	0x10, 0x27, 0x00, 0x00, 0x05, 0x00, 0x06, 0x00, 0x01, 0x00, 0x00, 0x00,
	0x05, 0x00, 0x0a, 0x00, 0x00, 0x00, 0x00, 0x00,
};
static uint8_t linkinfo_veth[] __attribute__((aligned(4))) = {
	0x54, 0x00, 0x00, 0x00, 0x15, 0x00, 0x00, 0x00, 0x02, 0x2b, 0x73, 0x00,
	0x2b, 0x73, 0x00, 0x00, 0x02, 0x01, 0x00, 0x00, 0x18, 0x00, 0x01, 0x80,
	0x08, 0x00, 0x01, 0x00, 0x03, 0x00, 0x00, 0x00, 0x0a, 0x00, 0x02, 0x00,
	0x76, 0x65, 0x74, 0x68, 0x30, 0x00, 0x00, 0x00, 0x05, 0x00, 0x02, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x05, 0x00, 0x03, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x05, 0x00, 0x04, 0x00, 0x00, 0x00, 0x00, 0x00, 0x05, 0x00, 0x05, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x05, 0x00, 0x06, 0x00, 0x00, 0x00, 0x00, 0x00,
};
static uint8_t debug_tap[] __attribute__((aligned(4))) = {
	0x44, 0x00, 0x00, 0x00, 0x15, 0x00, 0x00, 0x00, 0x02, 0x2e, 0x73, 0x00,
	0x2e, 0x73, 0x00, 0x00, 0x07, 0x01, 0x00, 0x00, 0x18, 0x00, 0x01, 0x80,
	0x08, 0x00, 0x01, 0x00, 0x05, 0x00, 0x00, 0x00, 0x09, 0x00, 0x02, 0x00,
	0x74, 0x61, 0x70, 0x30, 0x00, 0x00, 0x00, 0x00, 0x18, 0x00, 0x02, 0x80,
	0x04, 0x00, 0x01, 0x00, 0x08, 0x00, 0x02, 0x00, 0x0f, 0x00, 0x00, 0x00,
	0x08, 0x00, 0x04, 0x00, 0x01, 0x00, 0x00, 0x00,
};

/* A recorded message in place: the fixtures above are 4-aligned. */
#define NLH(a) ((const struct nlmsghdr *)(const void *)(a))

static uint8_t work[8192] __attribute__((aligned(8)));

static void test_channels(void **state)
{
	struct nl_ethtool_attrs a;

	(void)state;
	assert_int_equal(nl_ethtool_attrs_parse(NLH(channels_veth),
						ETHTOOL_MSG_CHANNELS_GET, &a),
			 0);
	assert_string_equal(a.dev.ifname, "veth0");
	assert_int_equal(a.dev.ifindex, 3);
	assert_true(nl_ethtool_attr_has(&a, ETHTOOL_A_CHANNELS_RX_MAX));
	assert_int_equal(a.val[ETHTOOL_A_CHANNELS_RX_MAX], 2);
	assert_int_equal(a.val[ETHTOOL_A_CHANNELS_TX_COUNT], 1);
	assert_false(nl_ethtool_attr_has(&a, ETHTOOL_A_CHANNELS_OTHER_MAX));
}

static void test_linkmodes(void **state)
{
	struct nl_ethtool_attrs a;

	(void)state;
	assert_int_equal(nl_ethtool_attrs_parse(NLH(linkmodes_veth),
						ETHTOOL_MSG_LINKMODES_GET, &a),
			 0);
	assert_int_equal(a.val[ETHTOOL_A_LINKMODES_SPEED], 10000);
	assert_int_equal(a.val[ETHTOOL_A_LINKMODES_DUPLEX], DUPLEX_FULL);
	assert_int_equal(a.val[ETHTOOL_A_LINKMODES_AUTONEG], 0);
	assert_true(nl_ethtool_attr_has(&a, ETHTOOL_A_LINKMODES_OURS));
	assert_int_equal(a.bits[0].n_bits, 121);
	assert_false(nl_ethtool_bitset_in_mask(&a.bits[0], 0));
}

static void test_debug_and_coalesce(void **state)
{
	struct nl_ethtool_attrs a;

	(void)state;
	assert_int_equal(nl_ethtool_attrs_parse(NLH(debug_tap),
						ETHTOOL_MSG_DEBUG_GET, &a),
			 0);
	assert_true(nl_ethtool_attr_has(&a, ETHTOOL_A_DEBUG_MSGMASK));
	assert_int_equal(a.bits[0].n_bits, 15);
	assert_int_equal(nl_ethtool_attrs_parse(NLH(coalesce_tap),
						ETHTOOL_MSG_COALESCE_GET, &a),
			 0);
	assert_int_equal(a.present, 1u << ETHTOOL_A_COALESCE_RX_MAX_FRAMES);
	assert_int_equal(nl_ethtool_attrs_parse(NLH(linkinfo_veth),
						ETHTOOL_MSG_LINKINFO_GET, &a),
			 0);
	assert_int_equal(a.val[ETHTOOL_A_LINKINFO_PORT], PORT_TP);
}

static void test_hostile(void **state)
{
	struct nl_ethtool_attrs a;
	struct nlmsghdr *nlh;
	struct nlattr rx_max;

	(void)state;
	/* A u32 attribute cut to 2 bytes (RX_MAX of the veth reply). */
	nlh = nlfix_aligned(channels_veth, sizeof(channels_veth));
	memcpy(&rx_max, (uint8_t *)nlh + 44, sizeof(rx_max));
	assert_int_equal(rx_max.nla_type, ETHTOOL_A_CHANNELS_RX_MAX);
	rx_max.nla_len = 6;
	memcpy((uint8_t *)nlh + 44, &rx_max, sizeof(rx_max));
	assert_int_equal(
		nl_ethtool_attrs_parse(nlh, ETHTOOL_MSG_CHANNELS_GET, &a),
		-EBADMSG);
	/* Truncated: the message claims more than it has. */
	nlh = nlfix_aligned(channels_veth, sizeof(channels_veth));
	nlh->nlmsg_len = sizeof(channels_veth) - 3;
	assert_true(nl_ethtool_attrs_parse(nlh, ETHTOOL_MSG_CHANNELS_GET, &a) <
		    0);
	/* A message we do not handle. */
	assert_int_equal(nl_ethtool_attrs_parse(NLH(channels_veth), 200, &a),
			 -EINVAL);
	/* A bitset in a u8 slot: link modes' OURS parsed as PAUSE_GET. */
	assert_int_equal(nl_ethtool_attrs_parse(NLH(linkmodes_veth),
						ETHTOOL_MSG_PAUSE_GET, &a),
			 -EBADMSG);
}

static void test_put_round_trip(void **state)
{
	struct nl_ethtool_attrs in, out;
	struct nlmsghdr *nlh;

	(void)state;
	memset(&in, 0, sizeof(in));
	nl_ethtool_attr_set(&in, ETHTOOL_A_RINGS_RX, 512);
	nl_ethtool_attr_set(&in, ETHTOOL_A_RINGS_TX_PUSH, 1);
	nlh = nlfix_msg_start(work, sizeof(work), 0, NULL, GENL_HDRLEN);
	assert_int_equal(nl_ethtool_attrs_put(nlh, sizeof(work),
					      ETHTOOL_MSG_RINGS_SET, &in),
			 0);
	assert_int_equal(nlh->nlmsg_len, 20 + 8 + 8);
	assert_int_equal(
		nl_ethtool_attrs_parse(nlh, ETHTOOL_MSG_RINGS_GET, &out), 0);
	assert_int_equal(out.present, in.present);
	assert_int_equal(out.val[ETHTOOL_A_RINGS_RX], 512);
	assert_int_equal(
		nl_ethtool_attrs_put(nlh, 40, ETHTOOL_MSG_RINGS_SET, &in),
		-EMSGSIZE);
	assert_int_equal(nl_ethtool_attr_set(&in, NL_ETHTOOL_MAX_ATTRS, 1),
			 -EINVAL);
	assert_int_equal(nl_ethtool_attr_bitset_slot(ETHTOOL_MSG_LINKMODES_SET,
						     ETHTOOL_A_LINKMODES_PEER),
			 1);
}

static void test_diff_and_perm_reject(void **state)
{
	struct nl_ethtool_features_diff d;
	struct nl_ethtool_permaddr pa;

	(void)state;
	/* Not a SET_REPLY: no WANTED/ACTIVE. */
	assert_int_equal(nl_ethtool_features_diff_parse(NLH(channels_veth), &d),
			 -EBADMSG);
	assert_false(d.replied);
	/* Not an RTM_NEWLINK. */
	assert_int_equal(nl_ethtool_permaddr_parse(NLH(channels_veth), &pa),
			 -EBADMSG);
}

/* Recorded on a little-endian kernel: in host order first. */
static int recorded_to_host(void **state)
{
	(void)state;
	nlfix_msgs(channels_veth, sizeof(channels_veth), &nlfix_eth_ints);
	nlfix_msgs(coalesce_tap, sizeof(coalesce_tap), &nlfix_eth_ints);
	nlfix_msgs(linkmodes_veth, sizeof(linkmodes_veth),
		   &nlfix_eth_linkmodes);
	nlfix_msgs(linkinfo_veth, sizeof(linkinfo_veth), &nlfix_eth_ints);
	nlfix_msgs(debug_tap, sizeof(debug_tap), &nlfix_eth_debug);
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_channels),
		cmocka_unit_test(test_linkmodes),
		cmocka_unit_test(test_debug_and_coalesce),
		cmocka_unit_test(test_hostile),
		cmocka_unit_test(test_put_round_trip),
		cmocka_unit_test(test_diff_and_perm_reject),
	};

	return cmocka_run_group_tests(tests, recorded_to_host, NULL);
}

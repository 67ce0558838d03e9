// SPDX-License-Identifier: MIT
/*
 * lib/ethtool_bitlist.c and lib/ethtool_tsinfo.c: TSINFO_GET replies
 * recorded from a 6.18 kernel (ifb0, ifindex 5, family 21; verbose and
 * compact), synthetic ones with every attribute, and hostile bitsets.
 * No sockets.
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

#include "embnet/ethtool_bitlist.h"
#include "embnet/ethtool_tsinfo.h"
#include "nlfix_genl.h"

/* Recorded with tests/nltool "ethtool raw ifb0 25" (and flags 1). */
static uint8_t tsinfo_ifb[] __attribute__((aligned(4))) = {
	0x8c, 0x00, 0x00, 0x00, 0x15, 0x00, 0x00, 0x00, 0x02, 0x28, 0x19, 0x00,
	0x28, 0x19, 0x00, 0x00, 0x1a, 0x01, 0x00, 0x00, 0x18, 0x00, 0x01, 0x80,
	0x08, 0x00, 0x01, 0x00, 0x05, 0x00, 0x00, 0x00, 0x09, 0x00, 0x02, 0x00,
	0x69, 0x66, 0x62, 0x30, 0x00, 0x00, 0x00, 0x00, 0x60, 0x00, 0x02, 0x80,
	0x04, 0x00, 0x01, 0x00, 0x08, 0x00, 0x02, 0x00, 0x13, 0x00, 0x00, 0x00,
	0x50, 0x00, 0x03, 0x80, 0x24, 0x00, 0x01, 0x80, 0x08, 0x00, 0x01, 0x00,
	0x03, 0x00, 0x00, 0x00, 0x15, 0x00, 0x02, 0x00, 0x73, 0x6f, 0x66, 0x74,
	0x77, 0x61, 0x72, 0x65, 0x2d, 0x72, 0x65, 0x63, 0x65, 0x69, 0x76, 0x65,
	0x00, 0x00, 0x00, 0x00, 0x28, 0x00, 0x01, 0x80, 0x08, 0x00, 0x01, 0x00,
	0x04, 0x00, 0x00, 0x00, 0x1a, 0x00, 0x02, 0x00, 0x73, 0x6f, 0x66, 0x74,
	0x77, 0x61, 0x72, 0x65, 0x2d, 0x73, 0x79, 0x73, 0x74, 0x65, 0x6d, 0x2d,
	0x63, 0x6c, 0x6f, 0x63, 0x6b, 0x00, 0x00, 0x00,
};
static uint8_t tsinfo_ifb_compact[] __attribute__((aligned(4))) = {
	0x44, 0x00, 0x00, 0x00, 0x15, 0x00, 0x00, 0x00, 0x02, 0x29, 0x19, 0x00,
	0x29, 0x19, 0x00, 0x00, 0x1a, 0x01, 0x00, 0x00, 0x18, 0x00, 0x01, 0x80,
	0x08, 0x00, 0x01, 0x00, 0x05, 0x00, 0x00, 0x00, 0x09, 0x00, 0x02, 0x00,
	0x69, 0x66, 0x62, 0x30, 0x00, 0x00, 0x00, 0x00, 0x18, 0x00, 0x02, 0x80,
	0x04, 0x00, 0x01, 0x00, 0x08, 0x00, 0x02, 0x00, 0x13, 0x00, 0x00, 0x00,
	0x08, 0x00, 0x04, 0x00, 0x18, 0x00, 0x00, 0x00,
};
static const struct nlfix_attr tsinfo_attrs[] = {
	NLFIX_ETH_HEADER,
	NLFIX_NEST(ETHTOOL_A_TSINFO_TIMESTAMPING, nlfix_eth_bitset),
	NLFIX_NEST(ETHTOOL_A_TSINFO_TX_TYPES, nlfix_eth_bitset),
	NLFIX_NEST(ETHTOOL_A_TSINFO_RX_FILTERS, nlfix_eth_bitset),
	NLFIX_INT(ETHTOOL_A_TSINFO_PHC_INDEX),
	NLFIX_END,
};
static const struct nlfix_fam tsinfo_fam = { .hdr = "112",
					     .attrs = tsinfo_attrs };

static uint8_t work[8192] __attribute__((aligned(8)));
static struct nl_ethtool_tsinfo ts;

static int setup(void **state)
{
	(void)state;
	nlfix_msgs(tsinfo_ifb, sizeof(tsinfo_ifb), &tsinfo_fam);
	nlfix_msgs(tsinfo_ifb_compact, sizeof(tsinfo_ifb_compact), &tsinfo_fam);
	return 0;
}

static void test_recorded_verbose(void **state)
{
	(void)state;
	assert_int_equal(
		nl_ethtool_tsinfo_parse(
			nlfix_aligned(tsinfo_ifb, sizeof(tsinfo_ifb)), &ts),
		0);
	assert_string_equal(ts.dev.ifname, "ifb0");
	assert_int_equal(ts.dev.ifindex, 5);
	assert_true(ts.has_ts);
	assert_false(ts.has_tx || ts.has_rx || ts.has_phc);
	assert_false(ts.ts.compact);
	assert_int_equal(ts.ts.n_bits, 19);
	assert_int_equal(ts.ts.n, 2);
	assert_int_equal(ts.ts.bits[0].index, 3);
	assert_true(ts.ts.bits[0].on); /* NOMASK: listed means on */
	assert_string_equal(ts.ts.bits[0].name, "software-receive");
	assert_int_equal(ts.ts.bits[1].index, 4);
	assert_string_equal(ts.ts.bits[1].name, "software-system-clock");
	assert_false(nl_ethtool_bitlist_empty(&ts.ts));
}

static void test_recorded_compact(void **state)
{
	uint32_t i;

	(void)state;
	assert_int_equal(nl_ethtool_tsinfo_parse(
				 nlfix_aligned(tsinfo_ifb_compact,
					       sizeof(tsinfo_ifb_compact)),
				 &ts),
			 0);
	assert_true(ts.ts.compact);
	assert_int_equal(ts.ts.n, 19);
	for (i = 0; i < 19; i++) {
		assert_int_equal(ts.ts.bits[i].index, i);
		assert_int_equal(ts.ts.bits[i].on, i == 3 || i == 4);
		assert_string_equal(ts.ts.bits[i].name, "");
	}
}

/* A TSINFO reply; each bitset verbose with a mask, or compact. */
static struct nlmsghdr *reply(void)
{
	struct genlmsghdr g = { .cmd = ETHTOOL_MSG_TSINFO_GET_REPLY };

	return nlfix_msg_start(work, sizeof(work), 21, &g, sizeof(g));
}

static void put_bit(struct nlmsghdr *nlh, uint32_t idx, const char *name,
		    bool value)
{
	struct nlattr *b = mnl_attr_nest_start(nlh, ETHTOOL_A_BITSET_BITS_BIT);

	mnl_attr_put_u32(nlh, ETHTOOL_A_BITSET_BIT_INDEX, idx);
	if (name)
		mnl_attr_put_strz(nlh, ETHTOOL_A_BITSET_BIT_NAME, name);
	if (value)
		mnl_attr_put(nlh, ETHTOOL_A_BITSET_BIT_VALUE, 0, NULL);
	mnl_attr_nest_end(nlh, b);
}

static void test_synthetic_all(void **state)
{
	struct nlmsghdr *nlh = reply();
	struct nlattr *n, *bits;
	uint32_t words[2] = { 0x5, 0x80000000u };

	(void)state;
	n = mnl_attr_nest_start(nlh, ETHTOOL_A_TSINFO_TX_TYPES);
	mnl_attr_put_u32(nlh, ETHTOOL_A_BITSET_SIZE, 4);
	bits = mnl_attr_nest_start(nlh, ETHTOOL_A_BITSET_BITS);
	put_bit(nlh, 0, "off", false);
	put_bit(nlh, 2, "onestep-sync", true);
	mnl_attr_nest_end(nlh, bits);
	mnl_attr_nest_end(nlh, n);
	n = mnl_attr_nest_start(nlh, ETHTOOL_A_TSINFO_RX_FILTERS);
	mnl_attr_put(nlh, ETHTOOL_A_BITSET_NOMASK, 0, NULL);
	mnl_attr_put_u32(nlh, ETHTOOL_A_BITSET_SIZE, 64);
	mnl_attr_put(nlh, ETHTOOL_A_BITSET_VALUE, sizeof(words), words);
	mnl_attr_nest_end(nlh, n);
	mnl_attr_put_u32(nlh, ETHTOOL_A_TSINFO_PHC_INDEX, 7);
	mnl_attr_put_u32(nlh, 99, 1); /* newer kernel: skipped */
	assert_int_equal(nl_ethtool_tsinfo_parse(nlh, &ts), 0);
	assert_false(ts.has_ts);
	assert_true(ts.has_tx && ts.has_rx && ts.has_phc);
	assert_int_equal(ts.phc_index, 7);
	assert_int_equal(ts.tx.n, 2);
	assert_false(ts.tx.bits[0].on); /* with a mask: VALUE says */
	assert_true(ts.tx.bits[1].on);
	assert_int_equal(ts.rx.n, 64);
	assert_true(ts.rx.bits[0].on && ts.rx.bits[2].on && ts.rx.bits[63].on);
	assert_false(ts.rx.bits[1].on || ts.rx.bits[32].on);
}

static void test_empty_lists(void **state)
{
	struct nl_ethtool_bitlist l = { .n = 3 };

	(void)state;
	assert_true(nl_ethtool_bitlist_empty(&l));
	l.bits[2].on = true;
	assert_false(nl_ethtool_bitlist_empty(&l));
}

/* One bitset attribute built by @fill, parsed as TIMESTAMPING. */
static int parse_with(void (*fill)(struct nlmsghdr *nlh))
{
	struct nlmsghdr *nlh = reply();
	struct nlattr *n;

	n = mnl_attr_nest_start(nlh, ETHTOOL_A_TSINFO_TIMESTAMPING);
	fill(nlh);
	mnl_attr_nest_end(nlh, n);
	return nl_ethtool_tsinfo_parse(nlh, &ts);
}

static void no_size(struct nlmsghdr *nlh)
{
	mnl_attr_put(nlh, ETHTOOL_A_BITSET_NOMASK, 0, NULL);
}

static void index_past_size(struct nlmsghdr *nlh)
{
	struct nlattr *b;

	mnl_attr_put_u32(nlh, ETHTOOL_A_BITSET_SIZE, 3);
	b = mnl_attr_nest_start(nlh, ETHTOOL_A_BITSET_BITS);
	put_bit(nlh, 3, "x", true);
	mnl_attr_nest_end(nlh, b);
}

static void no_name(struct nlmsghdr *nlh)
{
	struct nlattr *b;

	mnl_attr_put_u32(nlh, ETHTOOL_A_BITSET_SIZE, 3);
	b = mnl_attr_nest_start(nlh, ETHTOOL_A_BITSET_BITS);
	put_bit(nlh, 1, NULL, true);
	mnl_attr_nest_end(nlh, b);
}

static void name_unterminated(struct nlmsghdr *nlh)
{
	struct nlattr *b, *bit;

	mnl_attr_put_u32(nlh, ETHTOOL_A_BITSET_SIZE, 3);
	b = mnl_attr_nest_start(nlh, ETHTOOL_A_BITSET_BITS);
	bit = mnl_attr_nest_start(nlh, ETHTOOL_A_BITSET_BITS_BIT);
	mnl_attr_put_u32(nlh, ETHTOOL_A_BITSET_BIT_INDEX, 1);
	mnl_attr_put(nlh, ETHTOOL_A_BITSET_BIT_NAME, 3, "abc");
	mnl_attr_nest_end(nlh, bit);
	mnl_attr_nest_end(nlh, b);
}

static void name_too_long(struct nlmsghdr *nlh)
{
	char name[NL_ETHTOOL_NAME_LEN + 1];
	struct nlattr *b;

	memset(name, 'n', sizeof(name) - 1);
	name[sizeof(name) - 1] = 0;
	mnl_attr_put_u32(nlh, ETHTOOL_A_BITSET_SIZE, 3);
	b = mnl_attr_nest_start(nlh, ETHTOOL_A_BITSET_BITS);
	put_bit(nlh, 1, name, true);
	mnl_attr_nest_end(nlh, b);
}

static void too_many_bits(struct nlmsghdr *nlh)
{
	struct nlattr *b;
	uint32_t i;

	mnl_attr_put_u32(nlh, ETHTOOL_A_BITSET_SIZE, 1000);
	b = mnl_attr_nest_start(nlh, ETHTOOL_A_BITSET_BITS);
	for (i = 0; i <= NL_ETHTOOL_BITLIST_MAX; i++)
		put_bit(nlh, i, "b", true);
	mnl_attr_nest_end(nlh, b);
}

static void compact_too_big(struct nlmsghdr *nlh)
{
	uint32_t w[3] = { 0 };

	mnl_attr_put_u32(nlh, ETHTOOL_A_BITSET_SIZE, 96);
	mnl_attr_put(nlh, ETHTOOL_A_BITSET_VALUE, sizeof(w), w);
}

static void compact_short_value(struct nlmsghdr *nlh)
{
	uint32_t w = 1;

	mnl_attr_put_u32(nlh, ETHTOOL_A_BITSET_SIZE, 40);
	mnl_attr_put(nlh, ETHTOOL_A_BITSET_VALUE, sizeof(w), &w);
}

static void compact_no_value(struct nlmsghdr *nlh)
{
	mnl_attr_put_u32(nlh, ETHTOOL_A_BITSET_SIZE, 8);
}

static void size_wrong_width(struct nlmsghdr *nlh)
{
	mnl_attr_put_u8(nlh, ETHTOOL_A_BITSET_SIZE, 8);
}

static void test_hostile_bitsets(void **state)
{
	(void)state;
	assert_int_equal(parse_with(no_size), -EBADMSG);
	assert_int_equal(parse_with(index_past_size), -EBADMSG);
	assert_int_equal(parse_with(no_name), -EBADMSG);
	assert_int_equal(parse_with(name_unterminated), -EBADMSG);
	assert_int_equal(parse_with(name_too_long), -EBADMSG);
	assert_int_equal(parse_with(too_many_bits), -E2BIG);
	assert_int_equal(parse_with(compact_too_big), -E2BIG);
	assert_int_equal(parse_with(compact_short_value), -EBADMSG);
	assert_int_equal(parse_with(compact_no_value), -EBADMSG);
	assert_int_equal(parse_with(size_wrong_width), -EBADMSG);
}

static void test_hostile_reply(void **state)
{
	struct nlmsghdr *nlh = reply();

	(void)state;
	mnl_attr_put_u8(nlh, ETHTOOL_A_TSINFO_PHC_INDEX, 1);
	assert_int_equal(nl_ethtool_tsinfo_parse(nlh, &ts), -EBADMSG);
	nlh = reply();
	mnl_attr_put_u32(nlh, ETHTOOL_A_TSINFO_TX_TYPES, 1); /* not a nest */
	assert_int_equal(nl_ethtool_tsinfo_parse(nlh, &ts), -EBADMSG);
	nlh = reply();
	nlh->nlmsg_len = MNL_NLMSG_HDRLEN + 2; /* no genlmsghdr */
	assert_int_equal(nl_ethtool_tsinfo_parse(nlh, &ts), -EBADMSG);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_recorded_verbose),
		cmocka_unit_test(test_recorded_compact),
		cmocka_unit_test(test_synthetic_all),
		cmocka_unit_test(test_empty_lists),
		cmocka_unit_test(test_hostile_bitsets),
		cmocka_unit_test(test_hostile_reply),
	};

	return cmocka_run_group_tests(tests, setup, NULL);
}

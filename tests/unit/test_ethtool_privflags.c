// SPDX-License-Identifier: MIT
// sources: ethtool-lite/privflags.c ethtool-lite/print.c ethtool-lite/num.c
// sources: ethtool-lite/nlctx.c
/*
 * lib/ethtool_privflags.c and ethtool-lite/privflags.c: PRIVFLAGS_GET
 * replies (synthetic, in the kernel's verbose form), the SET bitset in
 * both forms, 6.1's numeric bitset argument, and the table as 6.1 lays it
 * out.  No sockets.
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

#include "capture.h"
#include "embnet/ethtool_privflags.h"
#include "nlfix.h"

static uint8_t work[8192] __attribute__((aligned(8)));
static struct nl_ethtool_privflags pf;

static struct nlmsghdr *reply(void)
{
	struct genlmsghdr g = { .cmd = ETHTOOL_MSG_PRIVFLAGS_GET_REPLY };
	struct nlmsghdr *nlh =
		nlfix_msg_start(work, sizeof(work), 21, &g, sizeof(g));
	struct nlattr *h = mnl_attr_nest_start(nlh, ETHTOOL_A_PRIVFLAGS_HEADER);

	mnl_attr_put_u32(nlh, ETHTOOL_A_HEADER_DEV_INDEX, 7);
	mnl_attr_put_strz(nlh, ETHTOOL_A_HEADER_DEV_NAME, "eth1");
	mnl_attr_nest_end(nlh, h);
	return nlh;
}

/* FLAGS as the kernel sends it: every flag listed, VALUE on those on. */
static void put_flags(struct nlmsghdr *nlh, const char *const *names,
		      uint32_t n, uint32_t on)
{
	struct nlattr *f, *bits, *b;
	uint32_t i;

	f = mnl_attr_nest_start(nlh, ETHTOOL_A_PRIVFLAGS_FLAGS);
	mnl_attr_put_u32(nlh, ETHTOOL_A_BITSET_SIZE, n);
	bits = mnl_attr_nest_start(nlh, ETHTOOL_A_BITSET_BITS);
	for (i = 0; i < n; i++) {
		b = mnl_attr_nest_start(nlh, ETHTOOL_A_BITSET_BITS_BIT);
		mnl_attr_put_u32(nlh, ETHTOOL_A_BITSET_BIT_INDEX, i);
		mnl_attr_put_strz(nlh, ETHTOOL_A_BITSET_BIT_NAME, names[i]);
		if (on & (1u << i))
			mnl_attr_put(nlh, ETHTOOL_A_BITSET_BIT_VALUE, 0, NULL);
		mnl_attr_nest_end(nlh, b);
	}
	mnl_attr_nest_end(nlh, bits);
	mnl_attr_nest_end(nlh, f);
}

static const char *const names[] = { "MFP", "legacy-rx", "rs-fec" };

static void test_get_reply(void **state)
{
	struct nlmsghdr *nlh = reply();

	(void)state;
	put_flags(nlh, names, 3, 0x5);
	assert_int_equal(nl_ethtool_privflags_parse(nlh, &pf), 0);
	assert_string_equal(pf.dev.ifname, "eth1");
	assert_true(pf.has_flags);
	assert_int_equal(pf.flags.n, 3);
	assert_true(pf.flags.bits[0].on);
	assert_false(pf.flags.bits[1].on);
	assert_true(pf.flags.bits[2].on);
	assert_string_equal(pf.flags.bits[1].name, "legacy-rx");
	capture(1);
	flags_show("eth1", &pf.flags);
	assert_string_equal(captured(), "Private flags for eth1:\n"
					"MFP      : on\n"
					"legacy-rx: off\n"
					"rs-fec   : on\n");
}

static void test_get_reply_odd(void **state)
{
	struct nlmsghdr *nlh = reply();
	uint32_t w = 0x2;

	(void)state;
	assert_int_equal(nl_ethtool_privflags_parse(nlh, &pf), 0);
	assert_false(pf.has_flags); /* 6.1 prints nothing then */
	/* Compact: no names, so 6.1's "bitN" labels. */
	nlh = reply();
	{
		struct nlattr *f =
			mnl_attr_nest_start(nlh, ETHTOOL_A_PRIVFLAGS_FLAGS);

		mnl_attr_put(nlh, ETHTOOL_A_BITSET_NOMASK, 0, NULL);
		mnl_attr_put_u32(nlh, ETHTOOL_A_BITSET_SIZE, 11);
		mnl_attr_put(nlh, ETHTOOL_A_BITSET_VALUE, sizeof(w), &w);
		mnl_attr_nest_end(nlh, f);
	}
	assert_int_equal(nl_ethtool_privflags_parse(nlh, &pf), 0);
	assert_int_equal(pf.flags.n, 11);
	capture(1);
	flags_show("eth1", &pf.flags);
	assert_non_null(strstr(captured(), "bit0 : off\nbit1 : on\n"));
	/* A FLAGS that is not a nest. */
	nlh = reply();
	mnl_attr_put_u32(nlh, ETHTOOL_A_PRIVFLAGS_FLAGS, 1);
	assert_int_equal(nl_ethtool_privflags_parse(nlh, &pf), -EBADMSG);
}

/* The SET request's FLAGS, parsed back as the kernel would list it. */
static const struct nlattr *set_flags(const struct nl_ethtool_named_bit *b,
				      size_t n,
				      const struct nl_ethtool_bitset *bs)
{
	struct genlmsghdr g = { .cmd = ETHTOOL_MSG_PRIVFLAGS_SET };
	struct nlmsghdr *nlh =
		nlfix_msg_start(work, sizeof(work), 21, &g, sizeof(g));

	assert_int_equal(nl_ethtool_privflags_put(nlh, sizeof(work), b, n, bs),
			 0);
	return mnl_nlmsg_get_payload_offset(nlh, GENL_HDRLEN);
}

static void test_set_put(void **state)
{
	const struct nl_ethtool_named_bit bits[] = { { "MFP", true },
						     { "rs-fec", false } };
	struct nl_ethtool_bitset bs = { .n_bits = 5,
					.value = { 0x10 },
					.mask = { 0x11 } };
	struct nl_ethtool_bitset got;
	const struct nlattr *a;
	int n = 0;

	(void)state;
	a = set_flags(bits, 2, NULL);
	assert_int_equal(mnl_attr_get_type(a), ETHTOOL_A_PRIVFLAGS_FLAGS);
	a = mnl_attr_get_payload(a); /* BITS */
	assert_int_equal(mnl_attr_get_type(a), ETHTOOL_A_BITSET_BITS);
	{
		const struct nlattr *b, *c;

		mnl_attr_for_each_nested(b, a) {
			mnl_attr_for_each_nested(c, b) {
				if (mnl_attr_get_type(c) ==
				    ETHTOOL_A_BITSET_BIT_NAME)
					assert_string_equal(mnl_attr_get_str(c),
							    bits[n].name);
				if (mnl_attr_get_type(c) ==
				    ETHTOOL_A_BITSET_BIT_VALUE)
					assert_true(bits[n].on);
			}
			n++;
		}
	}
	assert_int_equal(n, 2);
	a = set_flags(NULL, 0, &bs);
	assert_int_equal(nl_ethtool_bitset_parse(a, NULL, &got), 0);
	assert_int_equal(got.n_bits, 5);
	assert_false(got.nomask);
	assert_int_equal(got.value[0], 0x10);
	assert_int_equal(got.mask[0], 0x11);
}

struct num_case {
	const char *arg;
	int ret;
	uint32_t n_bits, v0, v1, m0;
	bool nomask;
	const char *shown;
};

static const struct num_case nums[] = {
	{ "0x10/0x11", 0, 5, 0x10, 0, 0x11, false, "10/0x11" },
	{ "16", 0, 5, 16, 0, 0, true, "16" },
	{ "010", 0, 4, 10, 0, 0, true, "010" },	  /* decimal first */
	{ "ff", 0, 8, 0xff, 0, 0, true, "ff" },	  /* then hex */
	{ "0x10", 0, 5, 0x10, 0, 0, true, "10" }, /* 0x: hex only */
	{ "0", 0, 0, 0, 0, 0, true, "0" },
	{ "4294967295", 0, 32, 0xffffffffu, 0, 0, true, "4294967295" },
	{ "4294967296", 0, 39, 0x94967296u, 0x42, 0, true, "4294967296" },
	{ "99999999999", 0, 44, 0x99999999u, 0x999, 0, true, "99999999999" },
	{ "8/c", 0, 4, 8, 0, 12, false, "8/c" },
	{ "0x+1", 0, 1, 1, 0, 0, true, "+1" }, /* strtoul's sign */
	{ "0x", -EINVAL, 0, 0, 0, 0, true, "" },
	{ "1/", -EINVAL, 0, 0, 0, 0, true, "1/" },
	{ "/1", -EINVAL, 0, 0, 0, 0, true, "/1" },
	{ "0x1/0x3/4", -EINVAL, 0, 0, 0, 0, true, "1/0x3/4" },
	{ "0xzz", -EINVAL, 0, 0, 0, 0, true, "zz" },
};

static void test_numeric_bitset(void **state)
{
	struct nl_ethtool_bitset bs;
	const char *shown;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(nums) / sizeof(nums[0]); i++) {
		const struct num_case *c = &nums[i];

		assert_int_equal(et_num_bitset(c->arg, false, &bs, &shown),
				 c->ret);
		assert_string_equal(shown, c->shown);
		if (c->ret)
			continue;
		assert_int_equal(bs.n_bits, c->n_bits);
		assert_int_equal(bs.value[0], c->v0);
		assert_int_equal(bs.value[1], c->v1);
		assert_int_equal(bs.mask[0], c->m0);
		assert_int_equal(bs.nomask, c->nomask);
	}
}

static void test_numeric_limits(void **state)
{
	char big[NL_ETHTOOL_MAX_BITS / 4 + 2], zeros[3 * NL_ETHTOOL_MAX_BITS];
	struct nl_ethtool_bitset bs;
	const char *shown;

	(void)state;
	memset(big, '1', sizeof(big) - 1);
	big[sizeof(big) - 1] = 0;
	assert_int_equal(et_num_bitset(big, false, &bs, &shown), -E2BIG);
	big[sizeof(big) - 2] = 0; /* exactly the cap */
	assert_int_equal(et_num_bitset(big, false, &bs, &shown), 0);
	assert_int_equal(bs.n_bits, NL_ETHTOOL_MAX_BITS - 3);
	/* leading zeros of any length, as 6.1 takes them */
	memset(zeros, '0', sizeof(zeros) - 2);
	zeros[sizeof(zeros) - 2] = '5';
	zeros[sizeof(zeros) - 1] = 0;
	assert_int_equal(et_num_bitset(zeros, false, &bs, &shown), 0);
	assert_int_equal(bs.n_bits, 3);
	assert_int_equal(bs.value[0], 5);
	zeros[0] = '1'; /* a word past ours: 6.1 sends it, the kernel refuses */
	assert_int_equal(et_num_bitset(zeros, false, &bs, &shown), -E2BIG);
	assert_true(et_num_is_bitset("0x1/0X2"));
	assert_true(et_num_is_bitset("a/0xb"));
	assert_false(et_num_is_bitset("1/2/3"));
	assert_false(et_num_is_bitset("-1"));
	assert_false(et_num_is_bitset("gro"));
	/* hex only: "10" is 0x10, not ten */
	assert_int_equal(et_num_bitset("10", true, &bs, &shown), 0);
	assert_int_equal(bs.value[0], 0x10);
	assert_int_equal(bs.n_bits, 5);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_get_reply),
		cmocka_unit_test(test_get_reply_odd),
		cmocka_unit_test(test_set_put),
		cmocka_unit_test(test_numeric_bitset),
		cmocka_unit_test(test_numeric_limits),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

// SPDX-License-Identifier: MIT
// sources: ethtool-lite/fec.c ethtool-lite/print.c ethtool-lite/nlctx.c
/*
 * --show-fec / --set-fec (ethtool-lite/fec.c) and what they use in lib/:
 * the EEE and FEC rows of lib/ethtool_msg.c's table and
 * nl_ethtool_bitlist_put().  Synthetic replies in the kernel's verbose
 * form; the text and JSON output as 6.1 lays them out.  No sockets.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <linux/ethtool.h>
#include <linux/ethtool_netlink.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>
#include <libmnl/libmnl.h>
#include <cmocka.h>

#include "capture.h"
#include "embnet/ethtool.h"
#include "embnet/ethtool_bitlist.h"
#include "nlfix.h"

static uint8_t work[8192] __attribute__((aligned(8)));
static struct nl_ethtool_attrs at;

static struct nlmsghdr *reply(uint8_t cmd)
{
	struct genlmsghdr g = { .cmd = cmd };

	return nlfix_msg_start(work, sizeof(work), 21, &g, sizeof(g));
}

/* A verbose bitset of @n bits: @idx listed, VALUE where @on. */
static void put_bits(struct nlmsghdr *nlh, uint16_t type, uint32_t n,
		     bool nomask, const uint32_t *idx, const bool *on, size_t k)
{
	struct nlattr *s, *bits, *b;
	size_t i;

	s = mnl_attr_nest_start(nlh, type);
	if (nomask)
		mnl_attr_put(nlh, ETHTOOL_A_BITSET_NOMASK, 0, NULL);
	mnl_attr_put_u32(nlh, ETHTOOL_A_BITSET_SIZE, n);
	bits = mnl_attr_nest_start(nlh, ETHTOOL_A_BITSET_BITS);
	for (i = 0; i < k; i++) {
		b = mnl_attr_nest_start(nlh, ETHTOOL_A_BITSET_BITS_BIT);
		mnl_attr_put_u32(nlh, ETHTOOL_A_BITSET_BIT_INDEX, idx[i]);
		mnl_attr_put_strz(nlh, ETHTOOL_A_BITSET_BIT_NAME, "x");
		if (on && on[i])
			mnl_attr_put(nlh, ETHTOOL_A_BITSET_BIT_VALUE, 0, NULL);
		mnl_attr_nest_end(nlh, b);
	}
	mnl_attr_nest_end(nlh, bits);
	mnl_attr_nest_end(nlh, s);
}

static void test_eee_reply(void **state)
{
	struct nlmsghdr *nlh = reply(ETHTOOL_MSG_EEE_GET_REPLY);
	const uint32_t ours[] = { 1, 3, 5, 12 }, peer[] = { 3 };
	const bool adv[] = { false, true, true, false };

	(void)state;
	put_bits(nlh, ETHTOOL_A_EEE_MODES_OURS, 121, false, ours, adv, 4);
	put_bits(nlh, ETHTOOL_A_EEE_MODES_PEER, 121, true, peer, NULL, 1);
	mnl_attr_put_u8(nlh, ETHTOOL_A_EEE_ACTIVE, 1);
	mnl_attr_put_u8(nlh, ETHTOOL_A_EEE_ENABLED, 1);
	mnl_attr_put_u8(nlh, ETHTOOL_A_EEE_TX_LPI_ENABLED, 0);
	mnl_attr_put_u32(nlh, ETHTOOL_A_EEE_TX_LPI_TIMER, 17);
	assert_int_equal(nl_ethtool_attrs_parse(nlh, ETHTOOL_MSG_EEE_GET, &at),
			 0);
	assert_int_equal(at.val[ETHTOOL_A_EEE_TX_LPI_TIMER], 17);
	assert_int_equal(at.val[ETHTOOL_A_EEE_ACTIVE], 1);
	assert_true(nl_ethtool_attr_has(&at, ETHTOOL_A_EEE_TX_LPI_ENABLED));
	assert_int_equal(nl_ethtool_attr_bitset_slot(ETHTOOL_MSG_EEE_GET,
						     ETHTOOL_A_EEE_MODES_PEER),
			 1);
	assert_true(nl_ethtool_bitset_in_mask(&at.bits[0], 12));
	assert_false(nl_ethtool_bitset_test(&at.bits[0], 12));
	assert_true(nl_ethtool_bitset_test(&at.bits[0], 5));
	assert_true(at.bits[1].nomask);
	assert_true(nl_ethtool_bitset_test(&at.bits[1], 3));
	/* A timer of the wrong width is refused. */
	nlh = reply(ETHTOOL_MSG_EEE_GET_REPLY);
	mnl_attr_put_u8(nlh, ETHTOOL_A_EEE_TX_LPI_TIMER, 1);
	assert_int_equal(nl_ethtool_attrs_parse(nlh, ETHTOOL_MSG_EEE_GET, &at),
			 -EBADMSG);
}

/* FEC_GET: RS and BASER configured, auto on, RS active, and stats. */
static struct nlmsghdr *fec_reply(void)
{
	struct nlmsghdr *nlh = reply(ETHTOOL_MSG_FEC_GET_REPLY);
	const uint32_t modes[] = { ETHTOOL_LINK_MODE_FEC_RS_BIT,
				   ETHTOOL_LINK_MODE_FEC_BASER_BIT };
	uint64_t corrected[2] = { 5, 5 };
	struct nlattr *st;

	put_bits(nlh, ETHTOOL_A_FEC_MODES, 121, true, modes, NULL, 2);
	mnl_attr_put_u8(nlh, ETHTOOL_A_FEC_AUTO, 1);
	mnl_attr_put_u32(nlh, ETHTOOL_A_FEC_ACTIVE,
			 ETHTOOL_LINK_MODE_FEC_RS_BIT);
	st = mnl_attr_nest_start(nlh, ETHTOOL_A_FEC_STATS);
	mnl_attr_put(nlh, ETHTOOL_A_FEC_STAT_CORRECTED, sizeof(corrected),
		     corrected);
	mnl_attr_nest_end(nlh, st);
	return nlh;
}

static void test_fec_reply(void **state)
{
	(void)state;
	assert_int_equal(
		nl_ethtool_attrs_parse(fec_reply(), ETHTOOL_MSG_FEC_GET, &at),
		0);
	assert_int_equal(at.val[ETHTOOL_A_FEC_ACTIVE],
			 ETHTOOL_LINK_MODE_FEC_RS_BIT);
	assert_int_equal(at.val[ETHTOOL_A_FEC_AUTO], 1);
	assert_true(nl_ethtool_bitset_test(&at.bits[0],
					   ETHTOOL_LINK_MODE_FEC_BASER_BIT));
	assert_false(nl_ethtool_attr_has(&at, ETHTOOL_A_FEC_STATS));
}

/* The kernel's link-mode names, as et_strset() would have fetched them. */
static void fake_names(struct et_ctx *c)
{
	struct nl_ethtool_strset *lm;

	lm = calloc(1, sizeof(*lm) + 80 * sizeof(lm->names[0]));
	assert_non_null(lm);
	lm->id = ETH_SS_LINK_MODES;
	lm->count = 80;
	strcpy(lm->names[ETHTOOL_LINK_MODE_FEC_NONE_BIT], "None");
	strcpy(lm->names[ETHTOOL_LINK_MODE_FEC_RS_BIT], "RS");
	strcpy(lm->names[ETHTOOL_LINK_MODE_FEC_BASER_BIT], "BASER");
	strcpy(lm->names[ETHTOOL_LINK_MODE_FEC_LLRS_BIT], "LLRS");
	nl_ethtool_strset_free(sets[ETH_SS_LINK_MODES]);
	sets[ETH_SS_LINK_MODES] = lm;
	c->nl_ok = true; /* et_strset() then uses the cache alone */
}

static void test_fec_show(void **state)
{
	struct et_ctx c = { .devname = "eth0" };

	(void)state;
	fake_names(&c);
	assert_int_equal(
		nl_ethtool_attrs_parse(fec_reply(), ETHTOOL_MSG_FEC_GET, &at),
		0);
	capture(1);
	fec_show(&c, &at);
	assert_string_equal(
		captured(),
		"FEC parameters for eth0:\n"
		"Supported/Configured FEC encodings: Auto RS BaseR\n"
		"Active FEC encoding: RS\n");
	c.json = true;
	capture(1);
	fec_show(&c, &at);
	assert_string_equal(captured(), "[ {\n"
					"        \"ifname\": \"eth0\",\n"
					"        \"config\": [ \"Auto\",\"RS\","
					"\"BaseR\" ],\n"
					"        \"active\": [ \"RS\" ]\n"
					"    } ]\n");
	/* Nothing configured, nothing active: None, twice. */
	memset(&at, 0, sizeof(at));
	c.json = false;
	capture(1);
	fec_show(&c, &at);
	assert_string_equal(captured(),
			    "FEC parameters for eth0:\n"
			    "Supported/Configured FEC encodings: None\n"
			    "Active FEC encoding: None\n");
	nl_ethtool_strset_free(sets[ETH_SS_LINK_MODES]);
	sets[ETH_SS_LINK_MODES] = NULL;
}

static void test_set_parse(void **state)
{
	char *argv[] = { "encoding", "rs", "Off", "AUTO", "llrs", "--", NULL };
	char *dup[] = { "encoding", "rs", "--", "encoding", "off", NULL };
	char *unknown[] = { "encoding", "--", "x", NULL };
	char *novalue[] = { "encoding", NULL };
	char longname[60];
	char *cut[] = { "encoding", longname, NULL };
	struct et_ctx c = { .argc = 6, .argv = argv };
	static struct sfec f;

	(void)state;
	assert_int_equal(sfec_parse(&c, &f), 0);
	assert_int_equal(f.n, 3);
	assert_true(f.fec_auto);
	assert_string_equal(f.names[0], "RS");
	assert_string_equal(f.names[1], "None");
	assert_string_equal(f.names[2], "LLRS");
	memset(&f, 0, sizeof(f));
	c.argv = dup;
	c.argc = 5;
	capture(2);
	assert_int_equal(sfec_parse(&c, &f), -EINVAL);
	assert_string_equal(captured(), "ethtool (--set-fec): duplicate "
					"parameter 'encoding'\n");
	memset(&f, 0, sizeof(f));
	c.argv = unknown;
	c.argc = 3;
	capture(2);
	assert_int_equal(sfec_parse(&c, &f), -EINVAL);
	assert_string_equal(captured(),
			    "ethtool (--set-fec): unknown parameter 'x'\n");
	memset(&f, 0, sizeof(f));
	c.argv = novalue;
	c.argc = 1;
	capture(2);
	assert_int_equal(sfec_parse(&c, &f), -EINVAL);
	assert_string_equal(captured(), "ethtool (--set-fec): no value for "
					"parameter 'encoding'\n");
	memset(&f, 0, sizeof(f));
	memset(longname, 'a', sizeof(longname) - 1);
	longname[sizeof(longname) - 1] = 0;
	c.argv = cut;
	c.argc = 2;
	assert_int_equal(sfec_parse(&c, &f), 0);
	assert_int_equal(strlen(f.names[0]), ETH_GSTRING_LEN - 1);
}

static void test_bitlist_put(void **state)
{
	const char *names[] = { "RS", "None" };
	const char *bad[] = { "" };
	struct genlmsghdr g = { .cmd = ETHTOOL_MSG_FEC_SET };
	struct nlmsghdr *nlh =
		nlfix_msg_start(work, sizeof(work), 21, &g, sizeof(g));
	const struct nlattr *a, *b, *c;
	int n = 0;
	bool nomask = false;

	(void)state;
	assert_int_equal(nl_ethtool_bitlist_put(nlh, sizeof(work),
						ETHTOOL_A_FEC_MODES, names, 2),
			 0);
	a = mnl_nlmsg_get_payload_offset(nlh, GENL_HDRLEN);
	assert_int_equal(mnl_attr_get_type(a), ETHTOOL_A_FEC_MODES);
	mnl_attr_for_each_nested(b, a) {
		if (mnl_attr_get_type(b) == ETHTOOL_A_BITSET_NOMASK)
			nomask = true;
		if (mnl_attr_get_type(b) != ETHTOOL_A_BITSET_BITS)
			continue;
		mnl_attr_for_each_nested(c, b) {
			assert_string_equal(
				mnl_attr_get_str(mnl_attr_get_payload(c)),
				names[n]);
			n++;
		}
	}
	assert_true(nomask);
	assert_int_equal(n, 2);
	assert_int_equal(nl_ethtool_bitlist_put(nlh, sizeof(work), 2, bad, 1),
			 -EINVAL);
	assert_int_equal(
		nl_ethtool_bitlist_put(nlh, nlh->nlmsg_len + 12, 2, names, 2),
		-EMSGSIZE);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_eee_reply),
		cmocka_unit_test(test_fec_reply),
		cmocka_unit_test(test_fec_show),
		cmocka_unit_test(test_set_parse),
		cmocka_unit_test(test_bitlist_put),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

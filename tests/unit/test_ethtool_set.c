// SPDX-License-Identifier: MIT
// sources: ethtool-lite/print.c ethtool-lite/nlctx.c ethtool-lite/num.c
// sources: ethtool-lite/params.c ethtool-lite/setmsg.c ethtool-lite/sset_bits.c
// sources: ethtool-lite/sset.c
/*
 * ethtool-lite's SET requests as ethtool 6.1 builds them: the attributes
 * of -C, -L, -G, -A and -s in command-line order (the kernel's extended
 * ack gives the offset of the one it refuses), and the messages of -s in
 * 6.1's fixed order: link info, link modes, WoL, message level.  No
 * sockets: requests are built in a buffer and read back.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <linux/ethtool.h>
#include <linux/ethtool_netlink.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>
#include <libmnl/libmnl.h>
#include <cmocka.h>

static char buf[8192] __attribute__((aligned(8)));

/* Builds @m and returns its top-level attribute types after the header. */
static size_t built_types(const struct et_setmsg *m, uint16_t *types,
			  size_t max)
{
	static const struct nl_genl_family fam = { .id = 21 };
	const struct nl_ethtool_dev dev = { .ifname = "tap0" };
	const struct nlattr *a;
	struct nlmsghdr *nlh;
	size_t n = 0;

	memset(buf, 0, sizeof(buf));
	assert_int_equal(
		nl_ethtool_msg(buf, sizeof(buf), &fam, m->cmd, &dev, 0, &nlh),
		0);
	assert_int_equal(et_setmsg_put(nlh, sizeof(buf), m), 0);
	mnl_attr_for_each(a, nlh, GENL_HDRLEN) {
		if (mnl_attr_get_type(a) == 1) /* ETHTOOL_A_*_HEADER */
			continue;
		assert_true(n < max);
		types[n++] = mnl_attr_get_type(a);
	}
	return n;
}

static void add(struct et_setmsg *m, uint16_t type, uint32_t v)
{
	assert_int_equal(nl_ethtool_attr_set(&m->a, type, v), 0);
	assert_int_equal(et_setmsg_add(m, type), 0);
}

/* -C tap0 rx-frames 5 rx-usecs 3: 6.1 sends RX_MAX_FRAMES first. */
static void test_order_scalars(void **state)
{
	static struct et_setmsg m;
	uint16_t t[8];

	(void)state;
	et_setmsg_init(&m, ETHTOOL_MSG_COALESCE_SET);
	add(&m, ETHTOOL_A_COALESCE_RX_MAX_FRAMES, 5);
	add(&m, ETHTOOL_A_COALESCE_RX_USECS, 3);
	assert_int_equal(built_types(&m, t, 8), 2);
	assert_int_equal(t[0], ETHTOOL_A_COALESCE_RX_MAX_FRAMES);
	assert_int_equal(t[1], ETHTOOL_A_COALESCE_RX_USECS);

	et_setmsg_init(&m, ETHTOOL_MSG_CHANNELS_SET);
	add(&m, ETHTOOL_A_CHANNELS_TX_COUNT, 9);
	add(&m, ETHTOOL_A_CHANNELS_RX_COUNT, 9);
	add(&m, ETHTOOL_A_CHANNELS_TX_COUNT, 9); /* keeps its place */
	assert_int_equal(built_types(&m, t, 8), 2);
	assert_int_equal(t[0], ETHTOOL_A_CHANNELS_TX_COUNT);
	assert_int_equal(t[1], ETHTOOL_A_CHANNELS_RX_COUNT);
}

/* Bitsets, named bits and an attribute never added (it goes last). */
static void test_order_bitsets(void **state)
{
	static struct et_setmsg m;
	uint16_t t[8];

	(void)state;
	et_setmsg_init(&m, ETHTOOL_MSG_LINKMODES_SET);
	m.named.type = ETHTOOL_A_LINKMODES_OURS;
	m.named.bits[0].name = "10baseT/Full";
	m.named.bits[0].on = true;
	m.named.n = 1;
	assert_int_equal(et_setmsg_add(&m, ETHTOOL_A_LINKMODES_OURS), 0);
	add(&m, ETHTOOL_A_LINKMODES_SPEED, 10);
	assert_int_equal(nl_ethtool_attr_set(&m.a, ETHTOOL_A_LINKMODES_DUPLEX,
					     DUPLEX_FULL),
			 0);
	assert_int_equal(built_types(&m, t, 8), 3);
	assert_int_equal(t[0], ETHTOOL_A_LINKMODES_OURS);
	assert_int_equal(t[1], ETHTOOL_A_LINKMODES_SPEED);
	assert_int_equal(t[2], ETHTOOL_A_LINKMODES_DUPLEX);

	et_setmsg_init(&m, ETHTOOL_MSG_LINKMODES_SET);
	add(&m, ETHTOOL_A_LINKMODES_MASTER_SLAVE_CFG,
	    MASTER_SLAVE_CFG_MASTER_FORCE);
	add(&m, ETHTOOL_A_LINKMODES_AUTONEG, AUTONEG_ENABLE);
	m.a.bits[0].n_bits = 8;
	m.a.bits[0].nomask = true;
	m.a.present |= 1u << ETHTOOL_A_LINKMODES_OURS;
	assert_int_equal(et_setmsg_add(&m, ETHTOOL_A_LINKMODES_OURS), 0);
	assert_int_equal(built_types(&m, t, 8), 3);
	assert_int_equal(t[0], ETHTOOL_A_LINKMODES_MASTER_SLAVE_CFG);
	assert_int_equal(t[1], ETHTOOL_A_LINKMODES_AUTONEG);
	assert_int_equal(t[2], ETHTOOL_A_LINKMODES_OURS);
}

/* The used messages of @argv in the order et_nl_sset() sends them. */
static size_t sset_cmds(char **argv, int argc, struct et_setmsg *m,
			uint8_t *cmds)
{
	struct et_ctx c = { .devname = "tap0", .argc = argc, .argv = argv };
	size_t i, n = 0;

	assert_int_equal(sset_parse(&c, m), 0);
	for (i = 0; i < MAX_MSGS; i++) {
		if (m[i].cmd)
			cmds[n++] = m[i].cmd;
	}
	return n;
}

static void test_sset_groups(void **state)
{
	static struct et_setmsg m[MAX_MSGS];
	char *lvl_wol[] = { "msglvl", "3", "wol", "g" };
	char *all[] = { "msglvl", "1",	   "wol", "g",	  "speed",
			"100",	  "phyad", "2",	  "mdix", "on" };
	char *ms[] = { "master-slave", "forced-master", "speed", "100" };
	uint8_t cmds[MAX_MSGS];

	(void)state;
	/* WoL before the message level: a refused WoL leaves it alone. */
	assert_int_equal(sset_cmds(lvl_wol, 4, m, cmds), 2);
	assert_int_equal(cmds[0], ETHTOOL_MSG_WOL_SET);
	assert_int_equal(cmds[1], ETHTOOL_MSG_DEBUG_SET);

	assert_int_equal(sset_cmds(all, 10, m, cmds), 4);
	assert_int_equal(cmds[0], ETHTOOL_MSG_LINKINFO_SET);
	assert_int_equal(cmds[1], ETHTOOL_MSG_LINKMODES_SET);
	assert_int_equal(cmds[2], ETHTOOL_MSG_WOL_SET);
	assert_int_equal(cmds[3], ETHTOOL_MSG_DEBUG_SET);
	assert_int_equal(m[0].n_order, 2); /* phyad, then mdix */
	assert_int_equal(m[0].order[0], ETHTOOL_A_LINKINFO_PHYADDR);
	assert_int_equal(m[0].order[1], ETHTOOL_A_LINKINFO_TP_MDIX_CTRL);

	assert_int_equal(sset_cmds(ms, 4, m, cmds), 1);
	assert_int_equal(m[1].n_order, 2);
	assert_int_equal(m[1].order[0], ETHTOOL_A_LINKMODES_MASTER_SLAVE_CFG);
	assert_int_equal(m[1].order[1], ETHTOOL_A_LINKMODES_SPEED);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_order_scalars),
		cmocka_unit_test(test_order_bitsets),
		cmocka_unit_test(test_sset_groups),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

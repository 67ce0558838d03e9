// SPDX-License-Identifier: MIT
/*
 * -s over netlink, as ethtool 6.1's nl_sset(): parameters grouped into
 * LINKINFO_SET, LINKMODES_SET, WOL_SET and DEBUG_SET, always sent in that
 * order whatever the command line's, up to the first one refused; in each
 * message the attributes follow the command line.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <linux/ethtool.h>
#include <linux/ethtool_netlink.h>

#include "et.h"

enum { V_U8, V_U32, V_LOOKUP, V_WOL, V_MASK, V_XCVR, V_ADV, V_SOPASS };

struct lookup {
	const char *arg;
	uint8_t val;
};

static const struct lookup port_v[] = {
	{ "tp", PORT_TP },   { "aui", PORT_AUI },
	{ "mii", PORT_MII }, { "fibre", PORT_FIBRE },
	{ "bnc", PORT_BNC }, { "da", PORT_DA },
	{ NULL, 0 },
};
static const struct lookup mdix_v[] = {
	{ "auto", ETH_TP_MDI_AUTO },
	{ "on", ETH_TP_MDI_X },
	{ "off", ETH_TP_MDI },
	{ NULL, 0 },
};
static const struct lookup autoneg_v[] = { { "off", AUTONEG_DISABLE },
					   { "on", AUTONEG_ENABLE },
					   { NULL, 0 } };
static const struct lookup duplex_v[] = { { "half", DUPLEX_HALF },
					  { "full", DUPLEX_FULL },
					  { NULL, 0 } };
static const struct lookup ms_v[] = {
	{ "preferred-master", MASTER_SLAVE_CFG_MASTER_PREFERRED },
	{ "preferred-slave", MASTER_SLAVE_CFG_SLAVE_PREFERRED },
	{ "forced-master", MASTER_SLAVE_CFG_MASTER_FORCE },
	{ "forced-slave", MASTER_SLAVE_CFG_SLAVE_FORCE },
	{ NULL, 0 },
};

static const struct sparam {
	const char *arg;
	uint8_t msg;
	uint16_t type;
	uint8_t kind;
	const struct lookup *lk;
} sparams[] = {
	{ "port", ETHTOOL_MSG_LINKINFO_SET, ETHTOOL_A_LINKINFO_PORT, V_LOOKUP,
	  port_v },
	{ "mdix", ETHTOOL_MSG_LINKINFO_SET, ETHTOOL_A_LINKINFO_TP_MDIX_CTRL,
	  V_LOOKUP, mdix_v },
	{ "phyad", ETHTOOL_MSG_LINKINFO_SET, ETHTOOL_A_LINKINFO_PHYADDR, V_U8,
	  NULL },
	{ "xcvr", ETHTOOL_MSG_LINKINFO_SET, 0, V_XCVR, NULL },
	{ "autoneg", ETHTOOL_MSG_LINKMODES_SET, ETHTOOL_A_LINKMODES_AUTONEG,
	  V_LOOKUP, autoneg_v },
	{ "speed", ETHTOOL_MSG_LINKMODES_SET, ETHTOOL_A_LINKMODES_SPEED, V_U32,
	  NULL },
	{ "lanes", ETHTOOL_MSG_LINKMODES_SET, ETHTOOL_A_LINKMODES_LANES, V_U32,
	  NULL },
	{ "duplex", ETHTOOL_MSG_LINKMODES_SET, ETHTOOL_A_LINKMODES_DUPLEX,
	  V_LOOKUP, duplex_v },
	{ "master-slave", ETHTOOL_MSG_LINKMODES_SET,
	  ETHTOOL_A_LINKMODES_MASTER_SLAVE_CFG, V_LOOKUP, ms_v },
	{ "advertise", ETHTOOL_MSG_LINKMODES_SET, ETHTOOL_A_LINKMODES_OURS,
	  V_ADV, NULL },
	{ "wol", ETHTOOL_MSG_WOL_SET, ETHTOOL_A_WOL_MODES, V_WOL, NULL },
	{ "sopass", ETHTOOL_MSG_WOL_SET, ETHTOOL_A_WOL_SOPASS, V_SOPASS, NULL },
	{ "msglvl", ETHTOOL_MSG_DEBUG_SET, ETHTOOL_A_DEBUG_MSGMASK, V_MASK,
	  NULL },
};
#define N_SPARAMS (sizeof(sparams) / sizeof(sparams[0]))

/* 6.1's order of the messages (its groups, as its table lists them). */
static const uint8_t sset_msgs[] = {
	ETHTOOL_MSG_LINKINFO_SET,
	ETHTOOL_MSG_LINKMODES_SET,
	ETHTOOL_MSG_WOL_SET,
	ETHTOOL_MSG_DEBUG_SET,
};
#define MAX_MSGS (sizeof(sset_msgs) / sizeof(sset_msgs[0]))

static int wol_bits(const char *s, struct nl_ethtool_bitset *bs)
{
	static const char letters[] = "pumbagsf";
	const char *p;

	memset(bs, 0, sizeof(*bs));
	bs->n_bits = 8;
	bs->mask[0] = 0xff;
	for (; *s; s++) {
		if (*s == 'd') {
			bs->value[0] = 0;
			continue;
		}
		p = strchr(letters, *s);
		if (!p)
			return -EINVAL;
		bs->value[0] |= 1u << (p - letters);
	}
	return 0;
}

/* A number "N[/M]" of msglvl (decimal up to 10 characters, else hex) or
 * advertise (@hex), as 6.1's parse_numeric_bitset() takes it, of any
 * length: a compact bitset of the significant bits, the kernel refusing
 * those past its own.  (A list of names goes verbose.) */
static int num_bits(const char *s, bool hex, struct nl_ethtool_bitset *bs)
{
	const char *shown;

	return et_num_bitset(s, hex, bs, &shown);
}

static int lookup(const struct lookup *lk, const char *s, uint32_t *v)
{
	for (; lk->arg; lk++) {
		if (!strcmp(lk->arg, s)) {
			*v = lk->val;
			return 0;
		}
	}
	return -EINVAL;
}

static int value(const struct sparam *p, const char *s,
		 struct nl_ethtool_attrs *a)
{
	int slot = nl_ethtool_attr_bitset_slot(p->msg, p->type);
	uint32_t v = 0;
	int err;

	switch (p->kind) {
	case V_U8:
		err = et_nl_u32(s, &v);
		if (err == 0 && v > UINT8_MAX)
			err = -ERANGE;
		break;
	case V_U32:
		err = et_nl_u32(s, &v);
		break;
	case V_LOOKUP:
		err = lookup(p->lk, s, &v);
		break;
	case V_SOPASS:
		err = et_sset_sopass(s, a->bin);
		a->bin_len = SOPASS_MAX;
		a->present |= 1u << p->type;
		return err;
	case V_ADV:
		a->present |= 1u << p->type;
		return num_bits(s, true, &a->bits[slot]);
	default:
		if (slot < 0)
			return -EINVAL;
		err = p->kind == V_WOL ? wol_bits(s, &a->bits[slot])
				       : num_bits(s, false, &a->bits[slot]);
		a->present |= 1u << p->type;
		return err;
	}
	return err < 0 ? err : nl_ethtool_attr_set(a, p->type, v);
}

/* The message of @cmd in @m (MAX_MSGS, in sset_msgs order), now used. */
static struct et_setmsg *msg_for(struct et_setmsg *m, uint8_t cmd)
{
	size_t i;

	for (i = 0; i < MAX_MSGS - 1 && sset_msgs[i] != cmd; i++)
		;
	m[i].cmd = cmd;
	return &m[i];
}

static const struct sparam *find(const char *arg)
{
	size_t i;

	for (i = 0; i < N_SPARAMS; i++) {
		if (!strcmp(sparams[i].arg, arg))
			return &sparams[i];
	}
	return NULL;
}

static int bad_value(const struct sparam *p, const char *v)
{
	if ((p->kind == V_ADV || p->kind == V_MASK) &&
	    (!strncmp(v, "0x", 2) || !strncmp(v, "0X", 2)))
		v += 2; /* 6.1 names what follows the prefix */
	fprintf(stderr, "ethtool (-s): invalid value '%s' %s parameter '%s'\n",
		v, p->kind == V_SOPASS ? "of" : "for", p->arg);
	return -EINVAL;
}

static bool is_names(const struct sparam *p, const char *v)
{
	return (p->kind == V_ADV || p->kind == V_MASK) && !et_num_is_bitset(v);
}

static int check_param(const struct et_ctx *c, int i, const struct sparam *p)
{
	if (!p) {
		fprintf(stderr, "ethtool (-s): unknown parameter '%s'\n",
			c->argv[i]);
		return -EINVAL;
	}
	if (i + 1 >= c->argc) {
		fprintf(stderr, "ethtool (-s): no value for parameter '%s'\n",
			p->arg);
		return -EINVAL;
	}
	if (p->kind == V_XCVR) {
		fprintf(stderr,
			"ethtool (-s): deprecated parameter '%s' not supported by kernel\n",
			p->arg);
		return -EINVAL;
	}
	return 0;
}

/* One parameter at argv[i]: returns the words it took, or -EINVAL. */
static int sparse_one(struct et_ctx *c, int i, struct et_setmsg *m)
{
	const struct sparam *p = find(c->argv[i]);
	struct et_setmsg *msg;
	int used;

	if (check_param(c, i, p) < 0)
		return -EINVAL;
	msg = msg_for(m, p->msg);
	if (nl_ethtool_attr_has(&msg->a, p->type) ||
	    (msg->named.n && msg->named.type == p->type)) {
		fprintf(stderr, "ethtool (-s): duplicate parameter '%s'\n",
			p->arg);
		return -EINVAL;
	}
	if (is_names(p, c->argv[i + 1])) {
		used = et_sset_names(&msg->named, p->type, c->argv + i + 1,
				     c->argc - i - 1, "-s", p->arg);
		if (used >= 0 && et_setmsg_add(msg, p->type) < 0)
			used = -E2BIG;
		return used < 0 ? used : used + 1;
	}
	if (value(p, c->argv[i + 1], &msg->a) < 0)
		return bad_value(p, c->argv[i + 1]);
	return et_setmsg_add(msg, p->type) < 0 ? -E2BIG : 2;
}

/* The command line into @m (MAX_MSGS, unused ones with cmd 0). */
static int sset_parse(struct et_ctx *c, struct et_setmsg *m)
{
	int i, used;

	memset(m, 0, MAX_MSGS * sizeof(*m));
	for (i = 0; i < c->argc; i += used) {
		used = sparse_one(c, i, m);
		if (used < 0)
			return used;
	}
	return 0;
}

int et_nl_sset(struct et_ctx *c)
{
	static struct et_setmsg m[MAX_MSGS];
	size_t i;
	int err;

	if (sset_parse(c, m) < 0)
		return 1;
	for (i = 0; i < MAX_MSGS; i++) {
		if (!m[i].cmd)
			continue;
		err = 0;
		if (m[i].cmd == ETHTOOL_MSG_LINKMODES_SET)
			err = et_sset_compat(c, &m[i]);
		if (err == 0)
			err = et_setmsg_send(c, &m[i]);
		if (err < 0) {
			et_nl_perror(c, err);
			return 75;
		}
	}
	return 0;
}

// SPDX-License-Identifier: MIT
/*
 * -g/-G rings, -l/-L channels, -c/-C coalesce, -a/-A pause: one table per
 * command of parameter names and attributes, as ethtool 6.1's
 * netlink/{rings,channels,coalesce,pause}.c print and parse them; and the
 * SET requests these and -s send, attributes in command-line order.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <linux/ethtool.h>
#include <linux/ethtool_netlink.h>

#include "et.h"
#include "print.h"

struct param {
	const char *arg;
	uint16_t type;
	bool is_bool;
};

struct pcmd {
	const char *opt; /* "-G" */
	uint8_t get, set;
	int fail_rc; /* SET failed in the kernel */
	const struct param *params;
};

#define A(x) ETHTOOL_A_##x
static const struct param ring_params[] = {
	{ "rx", A(RINGS_RX), false },
	{ "rx-mini", A(RINGS_RX_MINI), false },
	{ "rx-jumbo", A(RINGS_RX_JUMBO), false },
	{ "tx", A(RINGS_TX), false },
	{ "rx-buf-len", A(RINGS_RX_BUF_LEN), false },
	{ "cqe-size", A(RINGS_CQE_SIZE), false },
	{ "tx-push", A(RINGS_TX_PUSH), true },
	{ NULL, 0, false },
};
static const struct param channel_params[] = {
	{ "rx", A(CHANNELS_RX_COUNT), false },
	{ "tx", A(CHANNELS_TX_COUNT), false },
	{ "other", A(CHANNELS_OTHER_COUNT), false },
	{ "combined", A(CHANNELS_COMBINED_COUNT), false },
	{ NULL, 0, false },
};
static const struct param pause_params[] = {
	{ "autoneg", A(PAUSE_AUTONEG), true },
	{ "rx", A(PAUSE_RX), true },
	{ "tx", A(PAUSE_TX), true },
	{ NULL, 0, false },
};
static const struct param coalesce_params[] = {
	{ "adaptive-rx", A(COALESCE_USE_ADAPTIVE_RX), true },
	{ "adaptive-tx", A(COALESCE_USE_ADAPTIVE_TX), true },
	{ "rx-usecs", A(COALESCE_RX_USECS), false },
	{ "rx-frames", A(COALESCE_RX_MAX_FRAMES), false },
	{ "rx-usecs-irq", A(COALESCE_RX_USECS_IRQ), false },
	{ "rx-frames-irq", A(COALESCE_RX_MAX_FRAMES_IRQ), false },
	{ "tx-usecs", A(COALESCE_TX_USECS), false },
	{ "tx-frames", A(COALESCE_TX_MAX_FRAMES), false },
	{ "tx-usecs-irq", A(COALESCE_TX_USECS_IRQ), false },
	{ "tx-frames-irq", A(COALESCE_TX_MAX_FRAMES_IRQ), false },
	{ "stats-block-usecs", A(COALESCE_STATS_BLOCK_USECS), false },
	{ "pkt-rate-low", A(COALESCE_PKT_RATE_LOW), false },
	{ "rx-usecs-low", A(COALESCE_RX_USECS_LOW), false },
	{ "rx-frames-low", A(COALESCE_RX_MAX_FRAMES_LOW), false },
	{ "tx-usecs-low", A(COALESCE_TX_USECS_LOW), false },
	{ "tx-frames-low", A(COALESCE_TX_MAX_FRAMES_LOW), false },
	{ "pkt-rate-high", A(COALESCE_PKT_RATE_HIGH), false },
	{ "rx-usecs-high", A(COALESCE_RX_USECS_HIGH), false },
	{ "rx-frames-high", A(COALESCE_RX_MAX_FRAMES_HIGH), false },
	{ "tx-usecs-high", A(COALESCE_TX_USECS_HIGH), false },
	{ "tx-frames-high", A(COALESCE_TX_MAX_FRAMES_HIGH), false },
	{ "sample-interval", A(COALESCE_RATE_SAMPLE_INTERVAL), false },
	{ "cqe-mode-rx", A(COALESCE_USE_CQE_MODE_RX), true },
	{ "cqe-mode-tx", A(COALESCE_USE_CQE_MODE_TX), true },
	{ NULL, 0, false },
};

static const struct pcmd rings = { "-G", ETHTOOL_MSG_RINGS_GET,
				   ETHTOOL_MSG_RINGS_SET, 81, ring_params };
static const struct pcmd channels = { "-L", ETHTOOL_MSG_CHANNELS_GET,
				      ETHTOOL_MSG_CHANNELS_SET, 1,
				      channel_params };
static const struct pcmd coalesce = { "-C", ETHTOOL_MSG_COALESCE_GET,
				      ETHTOOL_MSG_COALESCE_SET, 1,
				      coalesce_params };
static const struct pcmd pausec = { "-A", ETHTOOL_MSG_PAUSE_GET,
				    ETHTOOL_MSG_PAUSE_SET, 76, pause_params };

/* ---- GET --------------------------------------------------------------- */

static void show_u32(const struct nl_ethtool_attrs *a, uint16_t t,
		     const char *label)
{
	if (nl_ethtool_attr_has(a, t))
		printf("%s%u\n", label, a->val[t]);
	else
		printf("%sn/a\n", label);
}

static const char *onoff(const struct nl_ethtool_attrs *a, uint16_t t)
{
	if (!nl_ethtool_attr_has(a, t))
		return "n/a";
	return a->val[t] ? "on" : "off";
}

static void rings_show(struct et_ctx *c, const struct nl_ethtool_attrs *a)
{
	uint32_t split = a->val[A(RINGS_TCP_DATA_SPLIT)];

	printf("Ring parameters for %s:\nPre-set maximums:\n", c->devname);
	show_u32(a, A(RINGS_RX_MAX), "RX:\t\t");
	show_u32(a, A(RINGS_RX_MINI_MAX), "RX Mini:\t");
	show_u32(a, A(RINGS_RX_JUMBO_MAX), "RX Jumbo:\t");
	show_u32(a, A(RINGS_TX_MAX), "TX:\t\t");
	printf("Current hardware settings:\n");
	show_u32(a, A(RINGS_RX), "RX:\t\t");
	show_u32(a, A(RINGS_RX_MINI), "RX Mini:\t");
	show_u32(a, A(RINGS_RX_JUMBO), "RX Jumbo:\t");
	show_u32(a, A(RINGS_TX), "TX:\t\t");
	show_u32(a, A(RINGS_RX_BUF_LEN), "RX Buf Len:\t\t");
	show_u32(a, A(RINGS_CQE_SIZE), "CQE Size:\t\t");
	printf("TX Push:\t%s\n", onoff(a, A(RINGS_TX_PUSH)));
	printf("TCP data split:\t");
	if (split == ETHTOOL_TCP_DATA_SPLIT_UNKNOWN)
		printf("n/a\n");
	else if (split == ETHTOOL_TCP_DATA_SPLIT_DISABLED)
		printf("off\n");
	else if (split == ETHTOOL_TCP_DATA_SPLIT_ENABLED)
		printf("on\n");
	else
		printf("unknown(%d)\n", (int)split);
}

static void channels_show(struct et_ctx *c, const struct nl_ethtool_attrs *a)
{
	printf("Channel parameters for %s:\nPre-set maximums:\n", c->devname);
	show_u32(a, A(CHANNELS_RX_MAX), "RX:\t\t");
	show_u32(a, A(CHANNELS_TX_MAX), "TX:\t\t");
	show_u32(a, A(CHANNELS_OTHER_MAX), "Other:\t\t");
	show_u32(a, A(CHANNELS_COMBINED_MAX), "Combined:\t");
	printf("Current hardware settings:\n");
	show_u32(a, A(CHANNELS_RX_COUNT), "RX:\t\t");
	show_u32(a, A(CHANNELS_TX_COUNT), "TX:\t\t");
	show_u32(a, A(CHANNELS_OTHER_COUNT), "Other:\t\t");
	show_u32(a, A(CHANNELS_COMBINED_COUNT), "Combined:\t");
}

/* Groups of -c lines, each group ended by a blank line. */
static const struct {
	uint16_t type;
	const char *label;
} coal_lines[] = {
	{ A(COALESCE_STATS_BLOCK_USECS), "stats-block-usecs: " },
	{ A(COALESCE_RATE_SAMPLE_INTERVAL), "sample-interval: " },
	{ A(COALESCE_PKT_RATE_LOW), "pkt-rate-low: " },
	{ A(COALESCE_PKT_RATE_HIGH), "pkt-rate-high: " },
	{ 0, NULL },
	{ A(COALESCE_RX_USECS), "rx-usecs: " },
	{ A(COALESCE_RX_MAX_FRAMES), "rx-frames: " },
	{ A(COALESCE_RX_USECS_IRQ), "rx-usecs-irq: " },
	{ A(COALESCE_RX_MAX_FRAMES_IRQ), "rx-frames-irq: " },
	{ 0, NULL },
	{ A(COALESCE_TX_USECS), "tx-usecs: " },
	{ A(COALESCE_TX_MAX_FRAMES), "tx-frames: " },
	{ A(COALESCE_TX_USECS_IRQ), "tx-usecs-irq: " },
	{ A(COALESCE_TX_MAX_FRAMES_IRQ), "tx-frames-irq: " },
	{ 0, NULL },
	{ A(COALESCE_RX_USECS_LOW), "rx-usecs-low: " },
	{ A(COALESCE_RX_MAX_FRAMES_LOW), "rx-frame-low: " },
	{ A(COALESCE_TX_USECS_LOW), "tx-usecs-low: " },
	{ A(COALESCE_TX_MAX_FRAMES_LOW), "tx-frame-low: " },
	{ 0, NULL },
	{ A(COALESCE_RX_USECS_HIGH), "rx-usecs-high: " },
	{ A(COALESCE_RX_MAX_FRAMES_HIGH), "rx-frame-high: " },
	{ A(COALESCE_TX_USECS_HIGH), "tx-usecs-high: " },
	{ A(COALESCE_TX_MAX_FRAMES_HIGH), "tx-frame-high: " },
	{ 0, NULL },
};

static void coalesce_show(struct et_ctx *c, const struct nl_ethtool_attrs *a)
{
	size_t i;

	printf("Coalesce parameters for %s:\n", c->devname);
	printf("Adaptive RX: %s  ", onoff(a, A(COALESCE_USE_ADAPTIVE_RX)));
	printf("TX: %s\n", onoff(a, A(COALESCE_USE_ADAPTIVE_TX)));
	for (i = 0; i < sizeof(coal_lines) / sizeof(coal_lines[0]); i++) {
		if (coal_lines[i].label)
			show_u32(a, coal_lines[i].type, coal_lines[i].label);
		else
			putchar('\n');
	}
	printf("CQE mode RX: %s  ", onoff(a, A(COALESCE_USE_CQE_MODE_RX)));
	printf("TX: %s\n\n", onoff(a, A(COALESCE_USE_CQE_MODE_TX)));
}

/* With autoneg on: IEEE 802.3 table 28B-3 on our and the peer's modes. */
static int pause_negotiated(struct et_ctx *c, bool *rx, bool *tx)
{
	const uint32_t p = ETHTOOL_LINK_MODE_Pause_BIT;
	const uint32_t ap = ETHTOOL_LINK_MODE_Asym_Pause_BIT;
	struct nl_ethtool_attrs lm;
	const struct nl_ethtool_bitset *o = &lm.bits[0], *q = &lm.bits[1];

	if (nl_ethtool_attrs_get(&c->ns, &c->fam, &c->dev,
				 ETHTOOL_MSG_LINKMODES_GET,
				 ETHTOOL_FLAG_COMPACT_BITSETS, &lm) < 0 ||
	    !nl_ethtool_attr_has(&lm, A(LINKMODES_OURS)) ||
	    !nl_ethtool_attr_has(&lm, A(LINKMODES_PEER)))
		return -ENODATA;
	*rx = *tx = false;
	if (nl_ethtool_bitset_test(o, p) && nl_ethtool_bitset_test(q, p)) {
		*rx = *tx = true;
	} else if (nl_ethtool_bitset_test(o, ap) &&
		   nl_ethtool_bitset_test(q, ap)) {
		*rx = nl_ethtool_bitset_test(o, p);
		*tx = !*rx && nl_ethtool_bitset_test(q, p);
	}
	return 0;
}

static void pause_show(struct et_ctx *c, const struct nl_ethtool_attrs *a)
{
	static const uint16_t t[] = { A(PAUSE_AUTONEG), A(PAUSE_RX),
				      A(PAUSE_TX) };
	static const char *const key[] = { "autonegotiate", "rx", "tx" };
	bool an = nl_ethtool_attr_has(a, t[0]) && a->val[t[0]];
	bool rx, tx, neg = an && pause_negotiated(c, &rx, &tx) == 0;
	size_t i;

	if (!c->json) {
		printf("Pause parameters for %s:\n", c->devname);
		printf("Autonegotiate:\t%s\n", onoff(a, t[0]));
		printf("RX:\t\t%s\n", onoff(a, t[1]));
		printf("TX:\t\t%s\n", onoff(a, t[2]));
		if (neg)
			printf("RX negotiated:\t%s\nTX negotiated:\t%s\n",
			       rx ? "on" : "off", tx ? "on" : "off");
		printf("\n");
		return;
	}
	/* 6.1 prints true for any present boolean; we print the value. */
	et_json_open(c->devname);
	for (i = 0; i < 3; i++) {
		if (nl_ethtool_attr_has(a, t[i]))
			et_json_bool(key[i], a->val[t[i]]);
	}
	if (neg) {
		et_json_bool("rx-negotiated", rx);
		et_json_bool("tx-negotiated", tx);
	}
	et_json_close();
}

/* JSON members (ethtool 6.2's keys); attributes not sent are left out. */
struct jkey {
	uint16_t type;
	const char *key;
	bool is_bool;
};

static const struct jkey ring_json[] = {
	{ A(RINGS_RX_MAX), "rx-max", false },
	{ A(RINGS_RX_MINI_MAX), "rx-mini-max", false },
	{ A(RINGS_RX_JUMBO_MAX), "rx-jumbo-max", false },
	{ A(RINGS_TX_MAX), "tx-max", false },
	{ A(RINGS_RX), "rx", false },
	{ A(RINGS_RX_MINI), "rx-mini", false },
	{ A(RINGS_RX_JUMBO), "rx-jumbo", false },
	{ A(RINGS_TX), "tx", false },
	{ A(RINGS_RX_BUF_LEN), "rx-buf-len", false },
	{ A(RINGS_CQE_SIZE), "cqe-size", false },
	{ A(RINGS_TX_PUSH), "tx-push", true },
	{ A(RINGS_TCP_DATA_SPLIT), "tcp-data-split", false },
	{ 0, NULL, false },
};
static const struct jkey channel_json[] = {
	{ A(CHANNELS_RX_MAX), "rx-max", false },
	{ A(CHANNELS_TX_MAX), "tx-max", false },
	{ A(CHANNELS_OTHER_MAX), "other-max", false },
	{ A(CHANNELS_COMBINED_MAX), "combined-max", false },
	{ A(CHANNELS_RX_COUNT), "rx", false },
	{ A(CHANNELS_TX_COUNT), "tx", false },
	{ A(CHANNELS_OTHER_COUNT), "other", false },
	{ A(CHANNELS_COMBINED_COUNT), "combined", false },
	{ 0, NULL, false },
};

/* The -C argument name of coalesce attribute @type (its JSON key). */
static const char *param_name(const struct param *p, uint16_t type)
{
	for (; p->arg; p++) {
		if (p->type == type)
			return p->arg;
	}
	return "?";
}

static void json_show(struct et_ctx *c, const struct nl_ethtool_attrs *a,
		      const struct jkey *k, const struct param *bools)
{
	const struct param *p;
	size_t i;

	et_json_open(c->devname);
	for (; k && k->key; k++) {
		if (!nl_ethtool_attr_has(a, k->type))
			continue;
		if (k->is_bool)
			et_json_bool(k->key, a->val[k->type]);
		else
			et_json_u32(k->key, a->val[k->type]);
	}
	for (p = bools; p && p->arg; p++) {
		if (nl_ethtool_attr_has(a, p->type) && p->is_bool)
			et_json_bool(p->arg, a->val[p->type]);
	}
	for (i = 0; bools && i < sizeof(coal_lines) / sizeof(coal_lines[0]);
	     i++) {
		if (coal_lines[i].label &&
		    nl_ethtool_attr_has(a, coal_lines[i].type))
			et_json_u32(param_name(bools, coal_lines[i].type),
				    a->val[coal_lines[i].type]);
	}
	et_json_close();
}

static void rings_json(struct et_ctx *c, const struct nl_ethtool_attrs *a)
{
	json_show(c, a, ring_json, NULL);
}

static void channels_json(struct et_ctx *c, const struct nl_ethtool_attrs *a)
{
	json_show(c, a, channel_json, NULL);
}

static void coalesce_json(struct et_ctx *c, const struct nl_ethtool_attrs *a)
{
	json_show(c, a, NULL, coalesce_params);
}

typedef void (*show_fn)(struct et_ctx *c, const struct nl_ethtool_attrs *a);

static int pget(struct et_ctx *c, uint8_t cmd, show_fn show, show_fn json)
{
	struct nl_ethtool_attrs a;
	int err;

	err = et_nl_show_start(c, cmd);
	if (err)
		return err;
	err = nl_ethtool_attrs_get(&c->ns, &c->fam, &c->dev, cmd, 0, &a);
	if (err < 0)
		return et_nl_show_fail(c, err);
	if (c->json && json)
		json(c, &a);
	else
		show(c, &a);
	return 0;
}

int et_nl_gring(struct et_ctx *c)
{
	return pget(c, ETHTOOL_MSG_RINGS_GET, rings_show, rings_json);
}

int et_nl_gchannels(struct et_ctx *c)
{
	return pget(c, ETHTOOL_MSG_CHANNELS_GET, channels_show, channels_json);
}

int et_nl_gcoalesce(struct et_ctx *c)
{
	return pget(c, ETHTOOL_MSG_COALESCE_GET, coalesce_show, coalesce_json);
}

int et_nl_gpause(struct et_ctx *c)
{
	return pget(c, ETHTOOL_MSG_PAUSE_GET, pause_show, NULL);
}

static const struct param *find_param(const struct param *p, const char *arg)
{
	for (; p->arg; p++) {
		if (!strcmp(p->arg, arg))
			return p;
	}
	return NULL;
}

static int parse_value(const struct param *p, const char *s, uint32_t *v)
{
	if (!p->is_bool)
		return et_nl_u32(s, v);
	if (!strcmp(s, "on") || !strcmp(s, "off")) {
		*v = !strcmp(s, "on");
		return 0;
	}
	return -EINVAL;
}

/* 6.1's nl_parser(): NAME VALUE pairs, the attributes in their order;
 * one line per error, -EINVAL. */
static int pparse(struct et_ctx *c, const struct pcmd *pc, struct et_setmsg *m)
{
	struct nl_ethtool_attrs *a = &m->a;
	const struct param *p;
	uint32_t v;
	int i;

	for (i = 0; i < c->argc; i += 2) {
		p = find_param(pc->params, c->argv[i]);
		if (!p) {
			fprintf(stderr,
				"ethtool (%s): unknown parameter '%s'\n",
				pc->opt, c->argv[i]);
			return -EINVAL;
		}
		if (nl_ethtool_attr_has(a, p->type)) {
			fprintf(stderr,
				"ethtool (%s): duplicate parameter '%s'\n",
				pc->opt, p->arg);
			return -EINVAL;
		}
		if (i + 1 >= c->argc) {
			fprintf(stderr,
				"ethtool (%s): no value for parameter '%s'\n",
				pc->opt, p->arg);
			return -EINVAL;
		}
		if (parse_value(p, c->argv[i + 1], &v) < 0) {
			fprintf(stderr,
				"ethtool (%s): invalid value '%s' for parameter '%s'\n",
				pc->opt, c->argv[i + 1], p->arg);
			return -EINVAL;
		}
		if (nl_ethtool_attr_set(a, p->type, v) < 0 ||
		    et_setmsg_add(m, p->type) < 0)
			return -E2BIG;
	}
	return 0;
}

static int pset(struct et_ctx *c, const struct pcmd *pc)
{
	static struct et_setmsg m;
	int err;

	if (et_nl_missing(c, pc->set))
		return -EOPNOTSUPP;
	et_setmsg_init(&m, pc->set);
	if (pparse(c, pc, &m) < 0)
		return 1;
	err = et_setmsg_send(c, &m);
	if (err < 0) {
		et_nl_perror(c, err);
		return pc->fail_rc;
	}
	return 0;
}

int et_nl_sring(struct et_ctx *c)
{
	return pset(c, &rings);
}

int et_nl_schannels(struct et_ctx *c)
{
	return pset(c, &channels);
}

int et_nl_scoalesce(struct et_ctx *c)
{
	return pset(c, &coalesce);
}

int et_nl_spause(struct et_ctx *c)
{
	return pset(c, &pausec);
}

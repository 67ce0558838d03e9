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

/*
 * A table of parameters: their attribute types (| JBOOL: a bool, "on" or
 * "off"), 0-ended, and their names packed in the same order.
 */
#define JBOOL 0x80

struct pcmd {
	const char *opt; /* "-G" */
	uint8_t get, set;
	int fail_rc; /* SET failed in the kernel */
	const uint8_t *types;
	const char *names;
};

#define A(x) ETHTOOL_A_##x
static const uint8_t ring_params_t[] = {
	A(RINGS_RX),
	A(RINGS_RX_MINI),
	A(RINGS_RX_JUMBO),
	A(RINGS_TX),
	A(RINGS_RX_BUF_LEN),
	A(RINGS_CQE_SIZE),
	A(RINGS_TX_PUSH) | JBOOL,
	0,
};
static const char ring_params_n[] =
	"rx\0rx-mini\0rx-jumbo\0tx\0rx-buf-len\0cqe-size\0tx-push\0";
static const uint8_t channel_params_t[] = {
	A(CHANNELS_RX_COUNT),
	A(CHANNELS_TX_COUNT),
	A(CHANNELS_OTHER_COUNT),
	A(CHANNELS_COMBINED_COUNT),
	0,
};
static const char channel_params_n[] = "rx\0tx\0other\0combined\0";
static const uint8_t pause_params_t[] = {
	A(PAUSE_AUTONEG) | JBOOL,
	A(PAUSE_RX) | JBOOL,
	A(PAUSE_TX) | JBOOL,
	0,
};
static const char pause_params_n[] = "autoneg\0rx\0tx\0";
static const uint8_t coalesce_params_t[] = {
	A(COALESCE_USE_ADAPTIVE_RX) | JBOOL,
	A(COALESCE_USE_ADAPTIVE_TX) | JBOOL,
	A(COALESCE_RX_USECS),
	A(COALESCE_RX_MAX_FRAMES),
	A(COALESCE_RX_USECS_IRQ),
	A(COALESCE_RX_MAX_FRAMES_IRQ),
	A(COALESCE_TX_USECS),
	A(COALESCE_TX_MAX_FRAMES),
	A(COALESCE_TX_USECS_IRQ),
	A(COALESCE_TX_MAX_FRAMES_IRQ),
	A(COALESCE_STATS_BLOCK_USECS),
	A(COALESCE_PKT_RATE_LOW),
	A(COALESCE_RX_USECS_LOW),
	A(COALESCE_RX_MAX_FRAMES_LOW),
	A(COALESCE_TX_USECS_LOW),
	A(COALESCE_TX_MAX_FRAMES_LOW),
	A(COALESCE_PKT_RATE_HIGH),
	A(COALESCE_RX_USECS_HIGH),
	A(COALESCE_RX_MAX_FRAMES_HIGH),
	A(COALESCE_TX_USECS_HIGH),
	A(COALESCE_TX_MAX_FRAMES_HIGH),
	A(COALESCE_RATE_SAMPLE_INTERVAL),
	A(COALESCE_USE_CQE_MODE_RX) | JBOOL,
	A(COALESCE_USE_CQE_MODE_TX) | JBOOL,
	0,
};
static const char coalesce_params_n[] =
	"adaptive-rx\0adaptive-tx\0rx-usecs\0rx-frames\0rx-usecs-irq\0"
	"rx-frames-irq\0tx-usecs\0tx-frames\0tx-usecs-irq\0tx-frames-irq\0"
	"stats-block-usecs\0pkt-rate-low\0rx-usecs-low\0rx-frames-low\0"
	"tx-usecs-low\0tx-frames-low\0pkt-rate-high\0rx-usecs-high\0"
	"rx-frames-high\0tx-usecs-high\0tx-frames-high\0sample-interval\0"
	"cqe-mode-rx\0cqe-mode-tx\0";

static const struct pcmd rings = {
	"-G", ETHTOOL_MSG_RINGS_GET, ETHTOOL_MSG_RINGS_SET,
	81,   ring_params_t,	     ring_params_n
};
static const struct pcmd channels = {
	"-L", ETHTOOL_MSG_CHANNELS_GET, ETHTOOL_MSG_CHANNELS_SET,
	1,    channel_params_t,		channel_params_n
};
static const struct pcmd coalesce = {
	"-C", ETHTOOL_MSG_COALESCE_GET, ETHTOOL_MSG_COALESCE_SET,
	1,    coalesce_params_t,	coalesce_params_n
};
static const struct pcmd pausec = {
	"-A", ETHTOOL_MSG_PAUSE_GET, ETHTOOL_MSG_PAUSE_SET,
	76,   pause_params_t,	     pause_params_n
};

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

/* Groups of -c lines, each group ended by a blank line (type 0); the
 * labels, one per nonzero type, in coal_labels. */
static const uint8_t coal_types[] = {
	A(COALESCE_STATS_BLOCK_USECS),
	A(COALESCE_RATE_SAMPLE_INTERVAL),
	A(COALESCE_PKT_RATE_LOW),
	A(COALESCE_PKT_RATE_HIGH),
	0,
	A(COALESCE_RX_USECS),
	A(COALESCE_RX_MAX_FRAMES),
	A(COALESCE_RX_USECS_IRQ),
	A(COALESCE_RX_MAX_FRAMES_IRQ),
	0,
	A(COALESCE_TX_USECS),
	A(COALESCE_TX_MAX_FRAMES),
	A(COALESCE_TX_USECS_IRQ),
	A(COALESCE_TX_MAX_FRAMES_IRQ),
	0,
	A(COALESCE_RX_USECS_LOW),
	A(COALESCE_RX_MAX_FRAMES_LOW),
	A(COALESCE_TX_USECS_LOW),
	A(COALESCE_TX_MAX_FRAMES_LOW),
	0,
	A(COALESCE_RX_USECS_HIGH),
	A(COALESCE_RX_MAX_FRAMES_HIGH),
	A(COALESCE_TX_USECS_HIGH),
	A(COALESCE_TX_MAX_FRAMES_HIGH),
	0,
};
static const char coal_labels[] =
	"stats-block-usecs\0sample-interval\0pkt-rate-low\0pkt-rate-high\0"
	"rx-usecs\0rx-frames\0rx-usecs-irq\0rx-frames-irq\0tx-usecs\0"
	"tx-frames\0tx-usecs-irq\0tx-frames-irq\0rx-usecs-low\0rx-frame-low\0"
	"tx-usecs-low\0tx-frame-low\0rx-usecs-high\0rx-frame-high\0"
	"tx-usecs-high\0tx-frame-high\0";

static void coalesce_show(struct et_ctx *c, const struct nl_ethtool_attrs *a)
{
	const char *l = coal_labels;
	size_t i;

	printf("Coalesce parameters for %s:\n", c->devname);
	printf("Adaptive RX: %s  ", onoff(a, A(COALESCE_USE_ADAPTIVE_RX)));
	printf("TX: %s\n", onoff(a, A(COALESCE_USE_ADAPTIVE_TX)));
	for (i = 0; i < sizeof(coal_types); i++) {
		if (!coal_types[i]) {
			putchar('\n');
			continue;
		}
		printf("%s: ", l);
		show_u32(a, coal_types[i], "");
		l += strlen(l) + 1;
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

/* JSON members (ethtool 6.2's keys), tables as the parameters';
 * attributes not sent are left out. */
static const uint8_t ring_json_t[] = {
	A(RINGS_RX_MAX),
	A(RINGS_RX_MINI_MAX),
	A(RINGS_RX_JUMBO_MAX),
	A(RINGS_TX_MAX),
	A(RINGS_RX),
	A(RINGS_RX_MINI),
	A(RINGS_RX_JUMBO),
	A(RINGS_TX),
	A(RINGS_RX_BUF_LEN),
	A(RINGS_CQE_SIZE),
	A(RINGS_TX_PUSH) | JBOOL,
	A(RINGS_TCP_DATA_SPLIT),
	0,
};
static const char ring_json_k[] =
	"rx-max\0rx-mini-max\0rx-jumbo-max\0tx-max\0rx\0rx-mini\0rx-jumbo\0"
	"tx\0rx-buf-len\0cqe-size\0tx-push\0tcp-data-split\0";
static const uint8_t channel_json_t[] = {
	A(CHANNELS_RX_MAX),
	A(CHANNELS_TX_MAX),
	A(CHANNELS_OTHER_MAX),
	A(CHANNELS_COMBINED_MAX),
	A(CHANNELS_RX_COUNT),
	A(CHANNELS_TX_COUNT),
	A(CHANNELS_OTHER_COUNT),
	A(CHANNELS_COMBINED_COUNT),
	0,
};
static const char channel_json_k[] =
	"rx-max\0tx-max\0other-max\0combined-max\0rx\0tx\0other\0combined\0";

/* The -C argument name of coalesce attribute @type (its JSON key). */
static const char *param_name(uint16_t type)
{
	const uint8_t *t = coalesce_params_t;
	const char *n = coalesce_params_n;

	for (; *t && (*t & ~JBOOL) != type; t++)
		n += strlen(n) + 1;
	return *t ? n : "?";
}

/* The members of table @t, @k (with @coal: its bools, then the -c
 * numbers in their text order). */
static void json_show(struct et_ctx *c, const struct nl_ethtool_attrs *a,
		      const uint8_t *t, const char *k, bool coal)
{
	size_t i;

	et_json_open(c->devname);
	for (; *t; k += strlen(k) + 1, t++) {
		if (!nl_ethtool_attr_has(a, *t & ~JBOOL) ||
		    (coal && !(*t & JBOOL)))
			continue;
		if (*t & JBOOL)
			et_json_bool(k, a->val[*t & ~JBOOL]);
		else
			et_json_u32(k, a->val[*t]);
	}
	for (i = 0; coal && i < sizeof(coal_types); i++) {
		if (coal_types[i] && nl_ethtool_attr_has(a, coal_types[i]))
			et_json_u32(param_name(coal_types[i]),
				    a->val[coal_types[i]]);
	}
	et_json_close();
}

static void rings_json(struct et_ctx *c, const struct nl_ethtool_attrs *a)
{
	json_show(c, a, ring_json_t, ring_json_k, false);
}

static void channels_json(struct et_ctx *c, const struct nl_ethtool_attrs *a)
{
	json_show(c, a, channel_json_t, channel_json_k, false);
}

static void coalesce_json(struct et_ctx *c, const struct nl_ethtool_attrs *a)
{
	json_show(c, a, coalesce_params_t, coalesce_params_n, true);
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

/* The type (| JBOOL) of @pc's parameter @arg, its name into *@name; 0 if
 * it has none. */
static uint8_t find_param(const struct pcmd *pc, const char *arg,
			  const char **name)
{
	const uint8_t *t = pc->types;
	const char *n = pc->names;

	for (; *t && strcmp(n, arg); t++)
		n += strlen(n) + 1;
	*name = n;
	return *t;
}

static int parse_value(uint8_t type, const char *s, uint32_t *v)
{
	if (!(type & JBOOL))
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
	const char *name;
	uint32_t v;
	uint8_t t;
	int i;

	for (i = 0; i < c->argc; i += 2) {
		t = find_param(pc, c->argv[i], &name);
		if (!t) {
			fprintf(stderr,
				"ethtool (%s): unknown parameter '%s'\n",
				pc->opt, c->argv[i]);
			return -EINVAL;
		}
		if (nl_ethtool_attr_has(a, t & ~JBOOL)) {
			fprintf(stderr,
				"ethtool (%s): duplicate parameter '%s'\n",
				pc->opt, name);
			return -EINVAL;
		}
		if (i + 1 >= c->argc) {
			fprintf(stderr,
				"ethtool (%s): no value for parameter '%s'\n",
				pc->opt, name);
			return -EINVAL;
		}
		if (parse_value(t, c->argv[i + 1], &v) < 0) {
			fprintf(stderr,
				"ethtool (%s): invalid value '%s' for parameter '%s'\n",
				pc->opt, c->argv[i + 1], name);
			return -EINVAL;
		}
		t &= ~JBOOL;
		if (nl_ethtool_attr_set(a, t, v) < 0 || et_setmsg_add(m, t) < 0)
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

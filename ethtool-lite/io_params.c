// SPDX-License-Identifier: MIT
/*
 * -g/-G, -l/-L, -a/-A, -c/-C over ioctl, as ethtool 6.1's do_gring(),
 * do_sring() and friends: one table per command of argument names and
 * struct fields (all u32), read-modify-write, "X unmodified, ignoring".
 */
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include <linux/ethtool.h>

#include "et.h"
#include "print.h"

struct ioparam {
	const char *arg;
	uint16_t off; /* of a u32 field */
	bool is_bool;
};

struct iocmd {
	const char *banner, *get_err, *nochange, *set_err;
	uint32_t gcmd, scmd;
	int show_rc, get_rc, nochange_rc, set_rc;
	const struct ioparam *params;
	void (*show)(const uint32_t *s);
};

union iobuf {
	uint32_t w[64];
	struct ethtool_ringparam ring;
	struct ethtool_channels ch;
	struct ethtool_coalesce coal;
	struct ethtool_pauseparam pause;
};

#define F(s, f) (uint16_t)(offsetof(struct s, f) / 4)
#define R(f) F(ethtool_ringparam, f)
#define CH(f) F(ethtool_channels, f)
#define CO(f) F(ethtool_coalesce, f)
#define P(f) F(ethtool_pauseparam, f)

static const struct ioparam ring_p[] = {
	{ "rx", R(rx_pending), false },
	{ "rx-mini", R(rx_mini_pending), false },
	{ "rx-jumbo", R(rx_jumbo_pending), false },
	{ "tx", R(tx_pending), false },
	{ NULL, 0, false },
};
static const struct ioparam chan_p[] = {
	{ "rx", CH(rx_count), false },
	{ "tx", CH(tx_count), false },
	{ "other", CH(other_count), false },
	{ "combined", CH(combined_count), false },
	{ NULL, 0, false },
};
static const struct ioparam pause_p[] = {
	{ "autoneg", P(autoneg), true },
	{ "rx", P(rx_pause), true },
	{ "tx", P(tx_pause), true },
	{ NULL, 0, false },
};
static const struct ioparam coal_p[] = {
	{ "adaptive-rx", CO(use_adaptive_rx_coalesce), true },
	{ "adaptive-tx", CO(use_adaptive_tx_coalesce), true },
	{ "sample-interval", CO(rate_sample_interval), false },
	{ "stats-block-usecs", CO(stats_block_coalesce_usecs), false },
	{ "pkt-rate-low", CO(pkt_rate_low), false },
	{ "pkt-rate-high", CO(pkt_rate_high), false },
	{ "rx-usecs", CO(rx_coalesce_usecs), false },
	{ "rx-frames", CO(rx_max_coalesced_frames), false },
	{ "rx-usecs-irq", CO(rx_coalesce_usecs_irq), false },
	{ "rx-frames-irq", CO(rx_max_coalesced_frames_irq), false },
	{ "tx-usecs", CO(tx_coalesce_usecs), false },
	{ "tx-frames", CO(tx_max_coalesced_frames), false },
	{ "tx-usecs-irq", CO(tx_coalesce_usecs_irq), false },
	{ "tx-frames-irq", CO(tx_max_coalesced_frames_irq), false },
	{ "rx-usecs-low", CO(rx_coalesce_usecs_low), false },
	{ "rx-frames-low", CO(rx_max_coalesced_frames_low), false },
	{ "tx-usecs-low", CO(tx_coalesce_usecs_low), false },
	{ "tx-frames-low", CO(tx_max_coalesced_frames_low), false },
	{ "rx-usecs-high", CO(rx_coalesce_usecs_high), false },
	{ "rx-frames-high", CO(rx_max_coalesced_frames_high), false },
	{ "tx-usecs-high", CO(tx_coalesce_usecs_high), false },
	{ "tx-frames-high", CO(tx_max_coalesced_frames_high), false },
	{ NULL, 0, false },
};

static void ring_show(const uint32_t *s)
{
	printf("Pre-set maximums:\nRX:\t\t%u\nRX Mini:\t%u\nRX Jumbo:\t%u\n"
	       "TX:\t\t%u\n",
	       s[R(rx_max_pending)], s[R(rx_mini_max_pending)],
	       s[R(rx_jumbo_max_pending)], s[R(tx_max_pending)]);
	printf("Current hardware settings:\nRX:\t\t%u\nRX Mini:\t%u\n"
	       "RX Jumbo:\t%u\nTX:\t\t%u\n\n",
	       s[R(rx_pending)], s[R(rx_mini_pending)], s[R(rx_jumbo_pending)],
	       s[R(tx_pending)]);
}

static void chan_show(const uint32_t *s)
{
	printf("Pre-set maximums:\nRX:\t\t%u\nTX:\t\t%u\nOther:\t\t%u\n"
	       "Combined:\t%u\n",
	       s[CH(max_rx)], s[CH(max_tx)], s[CH(max_other)],
	       s[CH(max_combined)]);
	printf("Current hardware settings:\nRX:\t\t%u\nTX:\t\t%u\n"
	       "Other:\t\t%u\nCombined:\t%u\n\n",
	       s[CH(rx_count)], s[CH(tx_count)], s[CH(other_count)],
	       s[CH(combined_count)]);
}

static void coal_show(const uint32_t *s)
{
	size_t i;

	printf("Adaptive RX: %s  TX: %s\n",
	       s[CO(use_adaptive_rx_coalesce)] ? "on" : "off",
	       s[CO(use_adaptive_tx_coalesce)] ? "on" : "off");
	/* 6.1 prints sample-interval second, then the table order. */
	printf("stats-block-usecs: %u\nsample-interval: %u\n",
	       s[CO(stats_block_coalesce_usecs)], s[CO(rate_sample_interval)]);
	for (i = 4; coal_p[i].arg; i++) {
		printf("%s: %u\n", coal_p[i].arg, s[coal_p[i].off]);
		if (i == 5 || i == 9 || i == 13 || i == 17 || i == 21)
			putchar('\n');
	}
}

static const struct iocmd ring_c = {
	"Ring parameters for %s:\n",
	"Cannot get device ring settings",
	"no ring parameters changed, aborting",
	"Cannot set device ring parameters",
	ETHTOOL_GRINGPARAM,
	ETHTOOL_SRINGPARAM,
	76,
	76,
	80,
	81,
	ring_p,
	ring_show,
};
static const struct iocmd chan_c = {
	"Channel parameters for %s:\n",
	"Cannot get device channel parameters",
	NULL,
	"Cannot set device channel parameters",
	ETHTOOL_GCHANNELS,
	ETHTOOL_SCHANNELS,
	1,
	1,
	0,
	1,
	chan_p,
	chan_show,
};
static const struct iocmd coal_c = {
	"Coalesce parameters for %s:\n",
	"Cannot get device coalesce settings",
	"no coalesce parameters changed, aborting",
	"Cannot set device coalesce parameters",
	ETHTOOL_GCOALESCE,
	ETHTOOL_SCOALESCE,
	82,
	76,
	80,
	81,
	coal_p,
	coal_show,
};
static const struct iocmd pause_c = {
	"Pause parameters for %s:\n",
	"Cannot get device pause settings",
	"no pause parameters changed, aborting",
	"Cannot set device pause parameters",
	ETHTOOL_GPAUSEPARAM,
	ETHTOOL_SPAUSEPARAM,
	76,
	77,
	78,
	79,
	pause_p,
	NULL,
};

static int ioget(struct et_ctx *c, const struct iocmd *ic, union iobuf *b)
{
	memset(b, 0, sizeof(*b));
	b->w[0] = ic->gcmd;
	return ethtool_ioctl(c->devname, b);
}

static int show(struct et_ctx *c, const struct iocmd *ic)
{
	union iobuf b;
	int err;

	if (c->argc != 0)
		return et_bad_args();
	printf(ic->banner, c->devname);
	err = ioget(c, ic, &b);
	if (err < 0) {
		et_perror(ic->get_err, err);
		return ic->show_rc;
	}
	ic->show(b.w);
	return 0;
}

int et_io_gring(struct et_ctx *c)
{
	return show(c, &ring_c);
}

int et_io_gchannels(struct et_ctx *c)
{
	return show(c, &chan_c);
}

int et_io_gcoalesce(struct et_ctx *c)
{
	return show(c, &coal_c);
}

/* IEEE 802.3 table 28B-3 on the legacy GSET masks. */
static void pause_negotiated(uint32_t adv, uint32_t lp)
{
	bool rx = false, tx = false;

	if (adv & lp & ADVERTISED_Pause) {
		rx = tx = true;
	} else if (adv & lp & ADVERTISED_Asym_Pause) {
		rx = adv & ADVERTISED_Pause;
		tx = !rx && (lp & ADVERTISED_Pause);
	}
	printf("RX negotiated:\t%s\nTX negotiated:\t%s\n", rx ? "on" : "off",
	       tx ? "on" : "off");
}

int et_io_gpause(struct et_ctx *c)
{
	struct ethtool_cmd e = { .cmd = ETHTOOL_GSET };
	union iobuf b;
	int err;

	if (c->argc != 0)
		return et_bad_args();
	printf("Pause parameters for %s:\n", c->devname);
	err = ioget(c, &pause_c, &b);
	if (err < 0) {
		et_perror(pause_c.get_err, err);
		return 76;
	}
	if (b.pause.autoneg) {
		err = ethtool_ioctl(c->devname, &e);
		if (err < 0) {
			et_perror("Cannot get device settings", err);
			return 1;
		}
	}
	printf("Autonegotiate:\t%s\nRX:\t\t%s\nTX:\t\t%s\n",
	       b.pause.autoneg ? "on" : "off", b.pause.rx_pause ? "on" : "off",
	       b.pause.tx_pause ? "on" : "off");
	if (b.pause.autoneg && e.lp_advertising)
		pause_negotiated(e.advertising, e.lp_advertising);
	printf("\n");
	return 0;
}

/* 6.1's parse_generic_cmdline(): any error is a bad command line. */
static int parse(const struct et_ctx *c, const struct ioparam *p, int64_t *want)
{
	long long v;
	int i, k;

	for (i = 0; i < c->argc; i += 2) {
		for (k = 0; p[k].arg && strcmp(p[k].arg, c->argv[i]); k++)
			;
		if (!p[k].arg || i + 1 >= c->argc)
			return -EINVAL;
		if (p[k].is_bool && (!strcmp(c->argv[i + 1], "on") ||
				     !strcmp(c->argv[i + 1], "off")))
			want[k] = !strcmp(c->argv[i + 1], "on");
		else if (!p[k].is_bool &&
			 et_strtoi(c->argv[i + 1], 0, INT32_MIN, INT32_MAX,
				   &v) == 0)
			want[k] = v;
		else
			return -EINVAL;
	}
	return 0;
}

/* 6.1's do_generic_set(): true if any wanted value differs. */
static bool apply(const struct ioparam *p, const int64_t *want, union iobuf *b)
{
	bool changed = false;
	int k;

	for (k = 0; p[k].arg; k++) {
		if (want[k] < 0)
			continue;
		if (b->w[p[k].off] == (uint32_t)want[k]) {
			fprintf(stderr, "%s unmodified, ignoring\n", p[k].arg);
			continue;
		}
		b->w[p[k].off] = (uint32_t)want[k];
		changed = true;
	}
	return changed;
}

static int set(struct et_ctx *c, const struct iocmd *ic)
{
	int64_t want[32];
	union iobuf b;
	bool changed;
	int err, k;

	for (k = 0; k < 32; k++)
		want[k] = -1;
	if (parse(c, ic->params, want) < 0)
		return et_bad_args();
	err = ioget(c, ic, &b);
	if (err < 0) {
		et_perror(ic->get_err, err);
		return ic->get_rc;
	}
	changed = apply(ic->params, want, &b);
	if (!changed && ic->nochange) {
		fprintf(stderr, "%s\n", ic->nochange);
		return ic->nochange_rc;
	}
	if (!changed) {
		fprintf(stderr,
			"no channel parameters changed.\n"
			"current values: rx %u tx %u other %u combined %u\n",
			b.ch.rx_count, b.ch.tx_count, b.ch.other_count,
			b.ch.combined_count);
		return 0;
	}
	b.w[0] = ic->scmd;
	err = ethtool_ioctl(c->devname, &b);
	if (err < 0) {
		et_perror(ic->set_err, err);
		return ic->set_rc;
	}
	return 0;
}

int et_io_sring(struct et_ctx *c)
{
	return set(c, &ring_c);
}

int et_io_schannels(struct et_ctx *c)
{
	return set(c, &chan_c);
}

int et_io_scoalesce(struct et_ctx *c)
{
	return set(c, &coal_c);
}

int et_io_spause(struct et_ctx *c)
{
	return set(c, &pause_c);
}

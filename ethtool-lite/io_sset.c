// SPDX-License-Identifier: MIT
/*
 * -s over ioctl, as ethtool 6.1's do_sset(): any bad argument is a bad
 * command line; failures print and the exit status stays 0.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include <linux/ethtool.h>

#include "et.h"
#include "print.h"

/* The real link modes ethtool 6.1 knows (bits 0..76, speeds only). */
#define KNOWN_MODES 77

struct kv {
	const char *k;
	int v;
};

static const struct kv duplex_v[] = { { "half", DUPLEX_HALF },
				      { "full", DUPLEX_FULL },
				      { NULL, 0 } };
static const struct kv port_v[] = {
	{ "tp", PORT_TP },   { "aui", PORT_AUI },     { "bnc", PORT_BNC },
	{ "mii", PORT_MII }, { "fibre", PORT_FIBRE }, { NULL, 0 }
};
static const struct kv mdix_v[] = { { "auto", ETH_TP_MDI_AUTO },
				    { "on", ETH_TP_MDI_X },
				    { "off", ETH_TP_MDI },
				    { NULL, 0 } };
static const struct kv an_v[] = { { "on", AUTONEG_ENABLE },
				  { "off", AUTONEG_DISABLE },
				  { NULL, 0 } };
static const struct kv xcvr_v[] = { { "internal", XCVR_INTERNAL },
				    { "external", XCVR_EXTERNAL },
				    { NULL, 0 } };

struct req {
	int v[7]; /* speed duplex port mdix autoneg phyad xcvr; -1: unset */
	bool gset, gwol, wol_change, sopass_change, msglvl, full_adv;
	uint32_t wol, msg_wanted, msg_mask;
	uint8_t sopass[SOPASS_MAX];
	uint32_t adv[ETHTOOL_IOCTL_LM_WORDS];
};
enum { SPEED, DUPLEX, PORT, MDIX, AUTONEG, PHYAD, XCVR };
/* 6.1's order of the "  not setting X" lines. */
static const struct {
	uint8_t idx;
	const char *name;
} not_setting[] = {
	{ SPEED, "speed" },	  { DUPLEX, "duplex" },
	{ PORT, "port" },	  { AUTONEG, "autoneg" },
	{ PHYAD, "phy_address" }, { XCVR, "transceiver" },
	{ MDIX, "mdix" },
};

static int lookup(const struct kv *t, const char *s)
{
	for (; s && t->k; t++) {
		if (!strcmp(t->k, s))
			return t->v;
	}
	return -1;
}

/* ethtool's hex link-mode bitmap: optional 0x, at most 8 digits a word. */
static int parse_hex_mask(const char *s, uint32_t *m)
{
	size_t len = strlen(s), i, shift;
	const char *d, *hex = "0123456789abcdef";

	if (len > 2 && !strncasecmp(s, "0x", 2)) {
		s += 2;
		len -= 2;
	}
	if (len > 8 * ETHTOOL_IOCTL_LM_WORDS)
		return -EINVAL;
	memset(m, 0, ETHTOOL_IOCTL_LM_WORDS * sizeof(*m));
	for (i = 0; i < len; i++) {
		d = s[i] ? strchr(hex, s[i] | 0x20) : NULL;
		if (!d || (s[i] >= 'g' && s[i] <= 'z'))
			return -EINVAL;
		shift = (len - 1 - i) * 4;
		m[shift / 32] |= (uint32_t)(d - hex) << (shift % 32);
	}
	return 0;
}

/* msglvl NAME on|off ... to the end of the arguments. */
static int parse_msg_names(struct req *r, char **argv, int argc)
{
	int i, k;

	for (i = 0; i < argc; i += 2) {
		for (k = 0; k < ET_N_MSGLVL; k++) {
			if (!strcmp(argv[i], et_msglvl_names[k]))
				break;
		}
		if (k == ET_N_MSGLVL || i + 1 >= argc ||
		    lookup(an_v, argv[i + 1]) < 0)
			return -EINVAL;
		r->msglvl = true;
		r->msg_mask |= 1u << k;
		if (!strcmp(argv[i + 1], "on"))
			r->msg_wanted |= 1u << k;
	}
	return 0;
}

static int parse_misc(struct et_ctx *c, struct req *r, const char *k,
		      const char *v)
{
	unsigned int b[SOPASS_MAX];
	unsigned long long u;
	int i;

	if (!strcmp(k, "wol")) {
		r->gwol = r->wol_change = true;
		return et_parse_wol(v, &r->wol);
	}
	if (!strcmp(k, "sopass")) {
		if (sscanf(v, "%2x:%2x:%2x:%2x:%2x:%2x", &b[0], &b[1], &b[2],
			   &b[3], &b[4], &b[5]) != SOPASS_MAX)
			return -EINVAL;
		for (i = 0; i < SOPASS_MAX; i++)
			r->sopass[i] = (uint8_t)b[i];
		r->gwol = r->sopass_change = true;
		return 0;
	}
	if (!strcmp(k, "msglvl")) {
		c->stale_errno = 0; /* 6.1's get_uint_range() */
		if (et_strtou(v, 0, UINT32_MAX, &u) < 0)
			return -EINVAL;
		r->msglvl = true;
		r->msg_mask = UINT32_MAX;
		r->msg_wanted = (uint32_t)u;
		return 0;
	}
	return -EINVAL;
}

static int parse_one(struct et_ctx *c, struct req *r, const char *k,
		     const char *v)
{
	static const char *const names[] = { "speed", "duplex",	 "port",
					     "mdix",  "autoneg", "phyad",
					     "xcvr" };
	static const struct kv *const tab[] = { NULL, duplex_v, port_v, mdix_v,
						an_v, NULL,	xcvr_v };
	long long n;
	int i;

	if (!strcmp(k, "advertise")) {
		r->gset = r->full_adv = true;
		return parse_hex_mask(v, r->adv);
	}
	for (i = 0; i < 7; i++) {
		if (strcmp(k, names[i]))
			continue;
		r->gset = true;
		if (tab[i]) {
			r->v[i] = lookup(tab[i], v);
			return r->v[i] < 0 ? -EINVAL : 0;
		}
		c->stale_errno = 0; /* 6.1's get_int() */
		if (et_strtoi(v, i == SPEED ? 10 : 0, INT_MIN, INT_MAX, &n))
			return -EINVAL;
		r->v[i] = (int)n;
		return 0;
	}
	return parse_misc(c, r, k, v);
}

static int parse(struct et_ctx *c, struct req *r)
{
	int i;

	for (i = 0; i < c->argc; i += 2) {
		if (!strcmp(c->argv[i], "master-slave")) {
			fprintf(stderr,
				"ethtool: parameter '%s' can be used "
				"only with netlink\n",
				c->argv[i]);
			return -ENOTSUP;
		}
		if (i + 1 >= c->argc)
			return -EINVAL;
		if (!strcmp(c->argv[i], "msglvl") &&
		    !(c->argv[i + 1][0] >= '0' && c->argv[i + 1][0] <= '9'))
			return parse_msg_names(r, c->argv + i + 1,
					       c->argc - i - 1);
		if (parse_one(c, r, c->argv[i], c->argv[i + 1]) < 0)
			return -EINVAL;
	}
	return 0;
}

/* The one link mode "speed N duplex D" stands for, or -1. */
static int adv_bit(const struct req *r)
{
	static const int t[][3] = {
		{ 10, DUPLEX_HALF, ETHTOOL_LINK_MODE_10baseT_Half_BIT },
		{ 10, DUPLEX_FULL, ETHTOOL_LINK_MODE_10baseT_Full_BIT },
		{ 100, DUPLEX_HALF, ETHTOOL_LINK_MODE_100baseT_Half_BIT },
		{ 100, DUPLEX_FULL, ETHTOOL_LINK_MODE_100baseT_Full_BIT },
		{ 1000, DUPLEX_HALF, ETHTOOL_LINK_MODE_1000baseT_Half_BIT },
		{ 1000, DUPLEX_FULL, ETHTOOL_LINK_MODE_1000baseT_Full_BIT },
		{ 2500, DUPLEX_FULL, ETHTOOL_LINK_MODE_2500baseX_Full_BIT },
		{ 10000, DUPLEX_FULL, ETHTOOL_LINK_MODE_10000baseT_Full_BIT },
	};
	size_t i;

	for (i = 0; !r->full_adv && i < sizeof(t) / sizeof(t[0]); i++) {
		if (r->v[SPEED] == t[i][0] && r->v[DUPLEX] == t[i][1])
			return t[i][2];
	}
	return -1;
}

static bool known_mode(uint32_t bit)
{
	return bit < KNOWN_MODES && et_lm_class(bit) == ET_LM_REAL;
}

/* autoneg on alone: advertise every supported mode 6.1 knows. */
static void adv_all(struct ethtool_ioctl_lsettings *s)
{
	uint32_t i, m;
	bool unknown = false;

	for (i = 0; i < ETHTOOL_IOCTL_LM_WORDS * 32; i++) {
		m = 1u << (i % 32);
		if (known_mode(i))
			s->advertising[i / 32] = (s->advertising[i / 32] & ~m) |
						 (s->supported[i / 32] & m);
		else if ((s->supported[i / 32] & m) &&
			 (i >= KNOWN_MODES || et_lm_class(i) == ET_LM_REAL))
			unknown = true;
	}
	if (unknown)
		fprintf(stderr, "Driver supports one or more unknown flags\n");
}

static void adv_apply(const struct req *r, struct ethtool_ioctl_lsettings *s)
{
	int bit = adv_bit(r);
	uint32_t i;

	if ((r->v[SPEED] != -1 || r->v[DUPLEX] != -1) && s->base.autoneg &&
	    bit < 0) {
		fprintf(stderr, "Cannot advertise");
		if (r->v[SPEED] >= 0)
			fprintf(stderr, " speed %d", r->v[SPEED]);
		if (r->v[DUPLEX] >= 0)
			fprintf(stderr, " duplex %s",
				r->v[DUPLEX] ? "full" : "half");
		fprintf(stderr, "\n");
	}
	if (r->v[AUTONEG] == AUTONEG_ENABLE && bit < 0 && !r->full_adv) {
		adv_all(s);
	} else if (bit >= 0) {
		for (i = 0; i < KNOWN_MODES; i++) {
			if (known_mode(i))
				s->advertising[i / 32] &= ~(1u << (i % 32));
		}
		s->advertising[bit / 32] |= 1u << (bit % 32);
	} else if (r->full_adv) {
		memcpy(s->advertising, r->adv, sizeof(s->advertising));
	}
}

/*
 * 6.1's do_ioctl_slinksettings() refuses a transceiver before any ioctl,
 * so its perror() names the errno left from before.  (Its do_ioctl_sset()
 * refuses link modes past 32 bits too, after a failed GLINKSETTINGS whose
 * errno the library does not keep: that one stays the library's.)
 */
static int set_link(struct et_ctx *c, const struct ethtool_ioctl_lsettings *s)
{
	int err;

	if (!s->legacy && s->transceiver) {
		et_perror("Cannot set new settings", -c->stale_errno);
		return -EINVAL;
	}
	err = ethtool_ioctl_lsettings_set(c->devname, s);
	if (err < 0)
		et_perror("Cannot set new settings", err);
	return err;
}

static int apply_link(struct et_ctx *c, const struct req *r)
{
	static struct ethtool_ioctl_lsettings s;
	struct ethtool_link_settings *b = &s.base;
	int err = ethtool_ioctl_lsettings_get(c->devname, &s);

	if (err < 0) {
		et_perror("Cannot get current device settings", err);
		return err;
	}
	b->speed = r->v[SPEED] != -1 ? (uint32_t)r->v[SPEED] : b->speed;
	b->duplex = r->v[DUPLEX] != -1 ? (uint8_t)r->v[DUPLEX] : b->duplex;
	b->port = r->v[PORT] != -1 ? (uint8_t)r->v[PORT] : b->port;
	if (r->v[MDIX] != -1 && b->eth_tp_mdix_ctrl != ETH_TP_MDI_INVALID)
		b->eth_tp_mdix_ctrl = (uint8_t)r->v[MDIX];
	else if (r->v[MDIX] != -1)
		fprintf(stderr, "setting MDI not supported\n");
	b->autoneg = r->v[AUTONEG] != -1 ? (uint8_t)r->v[AUTONEG] : b->autoneg;
	if (r->v[PHYAD] != -1)
		b->phy_address = (uint8_t)r->v[PHYAD];
	if (r->v[XCVR] != -1)
		s.transceiver = (uint8_t)r->v[XCVR];
	adv_apply(r, &s);
	return set_link(c, &s);
}

static void apply_wol(const struct req *r, const char *ifname)
{
	struct ethtool_wolinfo w = { .cmd = ETHTOOL_GWOL };
	int err = ethtool_ioctl(ifname, &w);

	if (err < 0) {
		et_perror("Cannot get current wake-on-lan settings", err);
	} else {
		if (r->wol_change)
			w.wolopts = r->wol;
		if (r->sopass_change)
			memcpy(w.sopass, r->sopass, SOPASS_MAX);
		w.cmd = ETHTOOL_SWOL;
		err = ethtool_ioctl(ifname, &w);
		if (err < 0)
			et_perror("Cannot set new wake-on-lan settings", err);
	}
	if (err < 0 && r->wol_change)
		fprintf(stderr, "  not setting wol\n");
	if (err < 0 && r->sopass_change)
		fprintf(stderr, "  not setting sopass\n");
}

static void apply_msglvl(const struct req *r, const char *ifname)
{
	struct ethtool_value v = { .cmd = ETHTOOL_GMSGLVL };
	int err = ethtool_ioctl(ifname, &v);

	if (err < 0) {
		et_perror("Cannot get msglvl", err);
		return;
	}
	v.cmd = ETHTOOL_SMSGLVL;
	v.data = (v.data & ~r->msg_mask) | r->msg_wanted;
	err = ethtool_ioctl(ifname, &v);
	if (err < 0)
		et_perror("Cannot set new msglvl", err);
}

int et_io_sset(struct et_ctx *c)
{
	struct req r;
	size_t i;
	int err;

	memset(&r, 0, sizeof(r));
	for (i = 0; i < 7; i++)
		r.v[i] = -1;
	err = parse(c, &r);
	if (err < 0)
		return err == -ENOTSUP ? 1 : et_bad_args();
	if (r.gset && apply_link(c, &r) < 0) {
		for (i = 0; i < 7; i++) {
			if (r.v[not_setting[i].idx] != -1)
				fprintf(stderr, "  not setting %s\n",
					not_setting[i].name);
		}
	}
	if (r.gwol)
		apply_wol(&r, c->devname);
	if (r.msglvl)
		apply_msglvl(&r, c->devname);
	return 0;
}

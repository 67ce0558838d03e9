// SPDX-License-Identifier: MIT
/*
 * "ethtool DEV" over ioctl, as ethtool 6.1's do_gset(): link settings
 * (GLINKSETTINGS, else GSET), WoL, message level and link, each skipped
 * silently when the driver lacks it.  Link-mode names come from the
 * kernel's ETH_SS_LINK_MODES set (GSTRINGS), in bit order.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linux/ethtool.h>

#include "et.h"
#include "print.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

/* ethtool's message classes, NETIF_MSG_* bit order (-s msglvl NAME). */
const char *const et_msglvl_names[ET_N_MSGLVL] = {
	"drv",	   "probe",	"link",	   "timer",	"ifdown",
	"ifup",	   "rx_err",	"tx_err",  "tx_queued", "intr",
	"tx_done", "rx_status", "pktdata", "hw",	"wol",
};

struct lm_ctx {
	const char *ifname;
	struct nl_ethtool_strset *names; /* fetched on first use */
	bool tried;
};

static const char *lm_name(struct lm_ctx *l, uint32_t bit)
{
	if (!l->tried) {
		l->tried = true;
		if (ethtool_ioctl_strset(l->ifname, ETH_SS_LINK_MODES,
					 &l->names) < 0)
			l->names = NULL;
	}
	return l->names ? nl_ethtool_strset_name(l->names, bit) : NULL;
}

/* "\tPREFIX link modes:" then "NAME " per mode, Half/Full pairs on a line. */
static void lm_modes(struct lm_ctx *l, const char *prefix, const uint32_t *m)
{
	int indent = (int)strlen(prefix) + 14;
	uint32_t i, prev = UINT32_MAX - 1;
	const char *name;
	char buf[16];
	bool first = true;

	indent = indent < 24 ? 24 : indent;
	printf("\t%s link modes:%*s", prefix, indent - (int)strlen(prefix) - 12,
	       "");
	for (i = 0; i < ETHTOOL_IOCTL_LM_WORDS * 32; i++) {
		if (!ethtool_ioctl_lm_test(m, i) ||
		    et_lm_class(i) != ET_LM_REAL)
			continue;
		name = lm_name(l, i);
		if (!name || !*name) {
			snprintf(buf, sizeof(buf), "BIT%u", i);
			name = buf;
		}
		if (!first && !(i == prev + 1 && et_lm_half(prev)))
			printf("\n\t%*s", indent, "");
		et_print_str(stdout, name, SIZE_MAX);
		putchar(' ');
		first = false;
		prev = i;
	}
	printf("%s\n", first ? "Not reported" : "");
}

void et_io_lm_modes(const char *ifname, const char *prefix, const uint32_t *m)
{
	struct lm_ctx l = { .ifname = ifname };

	lm_modes(&l, prefix, m);
	nl_ethtool_strset_free(l.names);
}

static void lm_caps(struct lm_ctx *l, const char *prefix, const char *an,
		    const uint32_t *m)
{
	static const struct {
		uint8_t bit;
		const char *name;
	} fec[] = {
		{ ETHTOOL_LINK_MODE_FEC_NONE_BIT, " None" },
		{ ETHTOOL_LINK_MODE_FEC_BASER_BIT, " BaseR" },
		{ ETHTOOL_LINK_MODE_FEC_RS_BIT, " RS" },
		{ ETHTOOL_LINK_MODE_FEC_LLRS_BIT, " LLRS" },
	};
	bool p = ethtool_ioctl_lm_test(m, ETHTOOL_LINK_MODE_Pause_BIT);
	bool a = ethtool_ioctl_lm_test(m, ETHTOOL_LINK_MODE_Asym_Pause_BIT);
	bool any = false;
	size_t i;

	lm_modes(l, prefix, m);
	printf("\t%s pause frame use: %s\n", prefix,
	       p ? (a ? "Symmetric Receive-only" : "Symmetric")
		 : (a ? "Transmit-only" : "No"));
	printf("\t%s auto-negotiation: %s\n", an,
	       ethtool_ioctl_lm_test(m, ETHTOOL_LINK_MODE_Autoneg_BIT) ? "Yes"
								       : "No");
	printf("\t%s FEC modes:", prefix);
	for (i = 0; i < N(fec); i++) {
		if (ethtool_ioctl_lm_test(m, fec[i].bit)) {
			printf("%s", fec[i].name);
			any = true;
		}
	}
	printf("%s\n", any ? "" : " Not reported");
}

static void ports(const uint32_t *m)
{
	static const struct {
		uint8_t bit;
		const char *name;
	} p[] = {
		{ ETHTOOL_LINK_MODE_TP_BIT, "TP " },
		{ ETHTOOL_LINK_MODE_AUI_BIT, "AUI " },
		{ ETHTOOL_LINK_MODE_BNC_BIT, "BNC " },
		{ ETHTOOL_LINK_MODE_MII_BIT, "MII " },
		{ ETHTOOL_LINK_MODE_FIBRE_BIT, "FIBRE " },
		{ ETHTOOL_LINK_MODE_Backplane_BIT, "Backplane " },
	};
	size_t i;

	printf("\tSupported ports: [ ");
	for (i = 0; i < N(p); i++) {
		if (ethtool_ioctl_lm_test(m, p[i].bit))
			printf("%s", p[i].name);
	}
	printf("]\n");
}

static bool lm_empty(const uint32_t *m)
{
	size_t i;

	for (i = 0; i < ETHTOOL_IOCTL_LM_WORDS; i++) {
		if (m[i])
			return false;
	}
	return true;
}

static void lsettings_show(struct lm_ctx *l,
			   const struct ethtool_ioctl_lsettings *s)
{
	const struct ethtool_link_settings *b = &s->base;

	ports(s->supported);
	lm_caps(l, "Supported", "Supports", s->supported);
	lm_caps(l, "Advertised", "Advertised", s->advertising);
	if (!lm_empty(s->lp_advertising))
		lm_caps(l, "Link partner advertised", "Link partner advertised",
			s->lp_advertising);
	if (b->speed == 0 || b->speed == (uint16_t)-1 ||
	    b->speed == (uint32_t)-1)
		printf("\tSpeed: Unknown!\n");
	else
		printf("\tSpeed: %uMb/s\n", b->speed);
	if (b->duplex == DUPLEX_HALF || b->duplex == DUPLEX_FULL)
		printf("\tDuplex: %s\n", b->duplex ? "Full" : "Half");
	else
		printf("\tDuplex: Unknown! (%i)\n", b->duplex);
	et_print_name(et_port_name(b->port), b->port, "Port");
	printf("\tPHYAD: %d\n", b->phy_address);
	printf("\tTransceiver: %s\n",
	       s->transceiver == XCVR_INTERNAL	 ? "internal"
	       : s->transceiver == XCVR_EXTERNAL ? "external"
						 : "Unknown!");
	printf("\tAuto-negotiation: %s\n",
	       b->autoneg == AUTONEG_DISABLE ? "off" : "on");
	if (b->port == PORT_TP)
		et_print_mdix(b->eth_tp_mdix, b->eth_tp_mdix_ctrl);
}

void et_print_msglvl(uint32_t v)
{
	const char *sep = "";
	uint32_t i;

	for (i = 0; i < ET_N_MSGLVL; i++) {
		if (v & (1u << i)) {
			printf("%s%s", sep, et_msglvl_names[i]);
			sep = " ";
			v &= ~(1u << i);
		}
	}
	if (v)
		printf("%s%#x", sep, v);
}

/* WoL, message level and link: 1 if shown, 0 if not supported. */
static int gset_value(struct et_ctx *c, uint32_t cmd, const char *what)
{
	union {
		struct ethtool_wolinfo wol;
		struct ethtool_value v;
	} u;
	char b1[16], b2[16];
	int err, i;

	memset(&u, 0, sizeof(u));
	u.v.cmd = cmd;
	err = ethtool_ioctl(c->devname, &u);
	if (err < 0) {
		if (err != -EOPNOTSUPP)
			et_perror(what, err);
		return 0;
	}
	if (cmd == ETHTOOL_GLINK) {
		printf("\tLink detected: %s\n", u.v.data ? "yes" : "no");
	} else if (cmd == ETHTOOL_GMSGLVL) {
		printf("\tCurrent message level: 0x%08x (%d)\n\t\t\t       ",
		       u.v.data, (int)u.v.data);
		et_print_msglvl(u.v.data);
		printf("\n");
	} else {
		printf("\tSupports Wake-on: %s\n\tWake-on: %s\n",
		       et_wol_letters(u.wol.supported, b1),
		       et_wol_letters(u.wol.wolopts, b2));
		if (!(u.wol.supported & WAKE_MAGICSECURE))
			return 1;
		printf("        SecureOn password: ");
		for (i = 0; i < SOPASS_MAX; i++)
			printf("%s%02x", i ? ":" : "", u.wol.sopass[i]);
		printf("\n");
	}
	return 1;
}

int et_io_gset(struct et_ctx *c)
{
	static struct ethtool_ioctl_lsettings s;
	struct lm_ctx l = { .ifname = c->devname };
	int err, shown = 0;

	if (c->argc != 0)
		return et_bad_args();
	printf("Settings for %s:\n", c->devname);
	err = ethtool_ioctl_lsettings_get(c->devname, &s);
	if (err == 0) {
		lsettings_show(&l, &s);
		shown = 1;
	} else if (err != -EOPNOTSUPP) {
		et_perror("Cannot get device settings", err);
	}
	nl_ethtool_strset_free(l.names);
	shown |= gset_value(c, ETHTOOL_GWOL, "Cannot get wake-on-lan settings");
	shown |= gset_value(c, ETHTOOL_GMSGLVL, "Cannot get message level");
	shown |= gset_value(c, ETHTOOL_GLINK, "Cannot get link status");
	if (!shown) {
		printf("No data available\n");
		return 75;
	}
	return 0;
}

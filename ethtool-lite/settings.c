// SPDX-License-Identifier: MIT
/* "ethtool DEV" over netlink, as ethtool 6.1's netlink/settings.c prints. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <linux/ethtool.h>
#include <linux/ethtool_netlink.h>

#include "et.h"
#include "print.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

const char *const et_names_duplex[ET_N_DUPLEX] = {
	[DUPLEX_HALF] = "Half",
	[DUPLEX_FULL] = "Full",
};
/* PORT_* runs 0..PORT_DA, then PORT_NONE (0xef) and PORT_OTHER (0xff):
 * a function, not a 256-entry table. */
const char *et_port_name(unsigned int port)
{
	static const char *const low[] = {
		[PORT_TP] = "Twisted Pair", [PORT_AUI] = "AUI",
		[PORT_BNC] = "BNC",	    [PORT_MII] = "MII",
		[PORT_FIBRE] = "FIBRE",	    [PORT_DA] = "Direct Attach Copper",
	};

	if (port < sizeof(low) / sizeof(low[0]))
		return low[port];
	return port == PORT_NONE ? "None" : port == PORT_OTHER ? "Other" : NULL;
}
const char *const et_names_xcvr[ET_N_XCVR] = {
	[XCVR_INTERNAL] = "internal",
	[XCVR_EXTERNAL] = "external",
};
const char *const et_names_ms_cfg[ET_N_MS_CFG] = {
	[MASTER_SLAVE_CFG_UNKNOWN] = "unknown",
	[MASTER_SLAVE_CFG_MASTER_PREFERRED] = "preferred master",
	[MASTER_SLAVE_CFG_SLAVE_PREFERRED] = "preferred slave",
	[MASTER_SLAVE_CFG_MASTER_FORCE] = "forced master",
	[MASTER_SLAVE_CFG_SLAVE_FORCE] = "forced slave",
};
const char *const et_names_ms_state[ET_N_MS_STATE] = {
	[MASTER_SLAVE_STATE_UNKNOWN] = "unknown",
	[MASTER_SLAVE_STATE_MASTER] = "master",
	[MASTER_SLAVE_STATE_SLAVE] = "slave",
	[MASTER_SLAVE_STATE_ERR] = "resolution error",
};

struct gset {
	struct et_ctx *c;
	bool banner;
	struct et_gset_data *d; /* --json: replies kept, printed at the end */
};

static void banner(struct gset *g)
{
	if (g->banner)
		return;
	printf("Settings for %s:\n", g->c->devname);
	g->banner = true;
}

/* Bit @i of @bs, from the mask (@mask) or the value. */
static bool lm_bit(const struct nl_ethtool_bitset *bs, bool mask, uint32_t i)
{
	if (mask)
		return !bs->nomask && nl_ethtool_bitset_in_mask(bs, i);
	return nl_ethtool_bitset_test(bs, i);
}

static void lm_dump(struct gset *g, const struct nl_ethtool_bitset *bs,
		    bool mask, enum et_lm_class cls, const char *before,
		    const char *between, const char *after, const char *none)
{
	struct nl_ethtool_strset *names = NULL;
	uint32_t i, prev = UINT32_MAX - 1;
	const char *name;
	char buf[16];
	bool first = true;

	printf("\t%s", before);
	for (i = 0; i < bs->n_bits; i++) {
		if (!lm_bit(bs, mask, i) || et_lm_class(i) != cls)
			continue;
		if (!names)
			names = et_strset(g->c, ETH_SS_LINK_MODES);
		name = names ? nl_ethtool_strset_name(names, i) : NULL;
		if (!name) {
			snprintf(buf, sizeof(buf), "BIT%u", i);
			name = buf;
		}
		if (first)
			first = false;
		else if (cls == ET_LM_REAL && i == prev + 1 && et_lm_half(prev))
			putchar(' ');
		else if (between)
			printf("\t%s", between);
		else
			printf("\n\t%*s", (int)strlen(before), "");
		et_print_str(stdout, name, SIZE_MAX);
		prev = i;
	}
	if (first && none)
		printf("%s", none);
	printf("%s", after);
}

static void pause_dump(const struct nl_ethtool_bitset *bs, bool mask,
		       const char *label)
{
	bool p = lm_bit(bs, mask, ETHTOOL_LINK_MODE_Pause_BIT);
	bool a = lm_bit(bs, mask, ETHTOOL_LINK_MODE_Asym_Pause_BIT);

	printf("\t%s", label);
	if (p)
		printf("%s\n", a ? "Symmetric Receive-only" : "Symmetric");
	else
		printf("%s\n", a ? "Transmit-only" : "No");
}

static void our_modes(struct gset *g, const struct nl_ethtool_bitset *bs)
{
	banner(g);
	lm_dump(g, bs, true, ET_LM_PORT, "Supported ports: [ ", " ", " ]\n",
		NULL);
	lm_dump(g, bs, true, ET_LM_REAL, "Supported link modes:   ", NULL, "\n",
		"Not reported");
	pause_dump(bs, true, "Supported pause frame use: ");
	printf("\tSupports auto-negotiation: %s\n",
	       lm_bit(bs, true, ETHTOOL_LINK_MODE_Autoneg_BIT) ? "Yes" : "No");
	lm_dump(g, bs, true, ET_LM_FEC, "Supported FEC modes: ", " ", "\n",
		"Not reported");
	lm_dump(g, bs, false, ET_LM_REAL, "Advertised link modes:  ", NULL,
		"\n", "Not reported");
	pause_dump(bs, false, "Advertised pause frame use: ");
	printf("\tAdvertised auto-negotiation: %s\n",
	       lm_bit(bs, false, ETHTOOL_LINK_MODE_Autoneg_BIT) ? "Yes" : "No");
	lm_dump(g, bs, false, ET_LM_FEC, "Advertised FEC modes: ", " ", "\n",
		"Not reported");
}

static void peer_modes(struct gset *g, const struct nl_ethtool_bitset *bs)
{
	banner(g);
	lm_dump(g, bs, false, ET_LM_REAL,
		"Link partner advertised link modes:  ", NULL, "\n",
		"Not reported");
	pause_dump(bs, false, "Link partner advertised pause frame use: ");
	printf("\tLink partner advertised auto-negotiation: %s\n",
	       lm_bit(bs, false, ETHTOOL_LINK_MODE_Autoneg_BIT) ? "Yes" : "No");
	lm_dump(g, bs, false, ET_LM_FEC,
		"Link partner advertised FEC modes: ", " ", "\n",
		"Not reported");
}

static void linkmodes_scalars(struct gset *g, const struct nl_ethtool_attrs *a)
{
	uint32_t v;

	if (nl_ethtool_attr_has(a, ETHTOOL_A_LINKMODES_SPEED)) {
		v = a->val[ETHTOOL_A_LINKMODES_SPEED];
		banner(g);
		if (v == 0 || v == (uint16_t)-1 || v == (uint32_t)-1)
			printf("\tSpeed: Unknown!\n");
		else
			printf("\tSpeed: %uMb/s\n", v);
	}
	if (nl_ethtool_attr_has(a, ETHTOOL_A_LINKMODES_LANES)) {
		banner(g);
		printf("\tLanes: %u\n", a->val[ETHTOOL_A_LINKMODES_LANES]);
	}
	if (nl_ethtool_attr_has(a, ETHTOOL_A_LINKMODES_DUPLEX)) {
		banner(g);
		et_print_enum(et_names_duplex, N(et_names_duplex),
			      a->val[ETHTOOL_A_LINKMODES_DUPLEX], "Duplex");
	}
	if (nl_ethtool_attr_has(a, ETHTOOL_A_LINKMODES_AUTONEG)) {
		banner(g);
		printf("\tAuto-negotiation: %s\n",
		       a->val[ETHTOOL_A_LINKMODES_AUTONEG] == AUTONEG_DISABLE
			       ? "off"
			       : "on");
	}
}

static void linkmodes_ms(struct gset *g, const struct nl_ethtool_attrs *a)
{
	if (nl_ethtool_attr_has(a, ETHTOOL_A_LINKMODES_MASTER_SLAVE_CFG)) {
		banner(g);
		et_print_enum(et_names_ms_cfg, N(et_names_ms_cfg),
			      a->val[ETHTOOL_A_LINKMODES_MASTER_SLAVE_CFG],
			      "master-slave cfg");
	}
	if (nl_ethtool_attr_has(a, ETHTOOL_A_LINKMODES_MASTER_SLAVE_STATE)) {
		banner(g);
		et_print_enum(et_names_ms_state, N(et_names_ms_state),
			      a->val[ETHTOOL_A_LINKMODES_MASTER_SLAVE_STATE],
			      "master-slave status");
	}
}

static void linkmodes_show(struct gset *g, const struct nl_ethtool_attrs *a)
{
	if (nl_ethtool_attr_has(a, ETHTOOL_A_LINKMODES_OURS))
		our_modes(g, &a->bits[0]);
	if (nl_ethtool_attr_has(a, ETHTOOL_A_LINKMODES_PEER))
		peer_modes(g, &a->bits[1]);
	linkmodes_scalars(g, a);
	linkmodes_ms(g, a);
}

static void linkinfo_show(struct gset *g, const struct nl_ethtool_attrs *a)
{
	int port = -1;

	if (nl_ethtool_attr_has(a, ETHTOOL_A_LINKINFO_PORT)) {
		port = (int)a->val[ETHTOOL_A_LINKINFO_PORT];
		banner(g);
		et_print_name(et_port_name((unsigned int)port),
			      (unsigned int)port, "Port");
	}
	if (nl_ethtool_attr_has(a, ETHTOOL_A_LINKINFO_PHYADDR)) {
		banner(g);
		printf("\tPHYAD: %u\n", a->val[ETHTOOL_A_LINKINFO_PHYADDR]);
	}
	if (nl_ethtool_attr_has(a, ETHTOOL_A_LINKINFO_TRANSCEIVER)) {
		banner(g);
		et_print_enum(et_names_xcvr, N(et_names_xcvr),
			      a->val[ETHTOOL_A_LINKINFO_TRANSCEIVER],
			      "Transceiver");
	}
	if (nl_ethtool_attr_has(a, ETHTOOL_A_LINKINFO_TP_MDIX) &&
	    nl_ethtool_attr_has(a, ETHTOOL_A_LINKINFO_TP_MDIX_CTRL) &&
	    port == PORT_TP) {
		banner(g);
		et_print_mdix((uint8_t)a->val[ETHTOOL_A_LINKINFO_TP_MDIX],
			      (uint8_t)a->val[ETHTOOL_A_LINKINFO_TP_MDIX_CTRL]);
	}
}

static void wol_show(struct gset *g, const struct nl_ethtool_attrs *a)
{
	const struct nl_ethtool_bitset *bs = &a->bits[0];
	uint32_t supported = 0, opts = 0, i;
	char b1[16], b2[16];

	for (i = 0; i < 32 && nl_ethtool_attr_has(a, ETHTOOL_A_WOL_MODES);
	     i++) {
		if (nl_ethtool_bitset_in_mask(bs, i))
			supported |= 1u << i;
		if (nl_ethtool_bitset_test(bs, i))
			opts |= 1u << i;
	}
	banner(g);
	printf("\tSupports Wake-on: %s\n", et_wol_letters(supported, b1));
	printf("\tWake-on: %s\n", et_wol_letters(opts, b2));
	if (!(supported & WAKE_MAGICSECURE))
		return;
	printf("        SecureOn password: ");
	for (i = 0; i < SOPASS_MAX; i++)
		printf("%s%02x", i ? ":" : "",
		       a->bin_len == SOPASS_MAX ? a->bin[i] : 0);
	printf("\n");
}

static void debug_show(struct gset *g, const struct nl_ethtool_attrs *a)
{
	const struct nl_ethtool_bitset *bs = &a->bits[0];
	struct nl_ethtool_strset *names = NULL;
	uint32_t mask = 0, i;
	const char *name;

	if (!nl_ethtool_attr_has(a, ETHTOOL_A_DEBUG_MSGMASK))
		return;
	for (i = 0; i < 32; i++) {
		if (nl_ethtool_bitset_test(bs, i))
			mask |= 1u << i;
	}
	banner(g);
	printf("        Current message level: 0x%08x (%u)\n"
	       "                              ",
	       mask, mask);
	for (i = 0; i < bs->n_bits; i++) {
		if (!nl_ethtool_bitset_test(bs, i))
			continue;
		if (!names)
			names = et_strset(g->c, ETH_SS_MSG_CLASSES);
		name = names ? nl_ethtool_strset_name(names, i) : NULL;
		putchar(' ');
		et_print_str(stdout, name ? name : "", SIZE_MAX);
	}
	fputc('\n', stdout);
}

/* " (State[, Substate])", numbers where 6.1 knows no name. */
static void ext_state_show(const struct nl_ethtool_linkstate *ls)
{
	const char *n = et_ext_state_name(ls->ext_state);

	if (n)
		printf(" (%s", n);
	else
		printf(" (%u", ls->ext_state);
	if (ls->present & (1u << ETHTOOL_A_LINKSTATE_EXT_SUBSTATE)) {
		n = et_ext_substate_name(ls->ext_state, ls->ext_substate);
		if (n)
			printf(", %s", n);
		else
			printf(", %u", ls->ext_substate);
	}
	printf(")");
}

static void linkstate_show(struct gset *g, const struct nl_ethtool_attrs *a,
			   const struct nl_ethtool_linkstate *ls)
{
	(void)a;
	if (ls->present & (1u << ETHTOOL_A_LINKSTATE_LINK)) {
		banner(g);
		printf("\tLink detected: %s", ls->link ? "yes" : "no");
		if (ls->present & (1u << ETHTOOL_A_LINKSTATE_EXT_STATE))
			ext_state_show(ls);
		printf("\n");
	}
	if (ls->present & (1u << ETHTOOL_A_LINKSTATE_SQI)) {
		banner(g);
		printf("\tSQI: %u", ls->sqi);
		if (ls->present & (1u << ETHTOOL_A_LINKSTATE_SQI_MAX))
			printf("/%u\n", ls->sqi_max);
		else
			printf("\n");
	}
}

/* One GET of the report; errors print like 6.1's (not EOPNOTSUPP). */
static int gset_one(struct gset *g, uint8_t cmd, uint32_t flags)
{
	struct et_ctx *c = g->c;
	struct nl_ethtool_attrs a;
	struct nl_ethtool_linkstate ls;
	int err;

	if (cmd == ETHTOOL_MSG_LINKSTATE_GET)
		err = nl_ethtool_linkstate_get(&c->ns, &c->fam, &c->dev, &ls);
	else
		err = nl_ethtool_attrs_get(&c->ns, &c->fam, &c->dev, cmd, flags,
					   &a);
	if (err < 0) {
		if (err != -EOPNOTSUPP)
			et_nl_perror(c, err);
		return err;
	}
	if (g->d) {
		et_gset_keep(g->d, cmd, &a, &ls);
		return 0;
	}
	if (cmd == ETHTOOL_MSG_LINKMODES_GET)
		linkmodes_show(g, &a);
	else if (cmd == ETHTOOL_MSG_LINKINFO_GET)
		linkinfo_show(g, &a);
	else if (cmd == ETHTOOL_MSG_WOL_GET)
		wol_show(g, &a);
	else if (cmd == ETHTOOL_MSG_DEBUG_GET)
		debug_show(g, &a);
	else
		linkstate_show(g, &a, &ls);
	return 0;
}

int et_nl_gset(struct et_ctx *c)
{
	static const uint8_t cmds[] = {
		ETHTOOL_MSG_LINKMODES_GET, ETHTOOL_MSG_LINKINFO_GET,
		ETHTOOL_MSG_WOL_GET,	   ETHTOOL_MSG_DEBUG_GET,
		ETHTOOL_MSG_LINKSTATE_GET,
	};
	static struct et_gset_data d;
	struct gset g = { .c = c, .d = c->json ? &d : NULL };
	size_t i;

	for (i = 0; i < N(cmds); i++) {
		if (et_nl_missing(c, cmds[i]))
			return -EOPNOTSUPP;
	}
	memset(&d, 0, sizeof(d));
	for (i = 0; i < N(cmds); i++)
		gset_one(&g, cmds[i], ETHTOOL_FLAG_COMPACT_BITSETS);
	if (g.d)
		return et_gset_json(c, &d);
	if (!g.banner) {
		printf("No data available\n");
		return 75;
	}
	return 0;
}

void et_lm_dump_real(struct et_ctx *c, const struct nl_ethtool_bitset *bs,
		     bool mask, const char *before)
{
	struct gset g = { .c = c };

	lm_dump(&g, bs, mask, ET_LM_REAL, before, NULL, "\n", "Not reported");
}

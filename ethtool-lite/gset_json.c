// SPDX-License-Identifier: MIT
/*
 * "ethtool --json DEV" (ethtool 6.1 has none): the replies of the DEV
 * report as one object in 6.1's layout; keys are documented in JSON.md.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <linux/ethtool.h>
#include <linux/ethtool_netlink.h>

#include "et.h"
#include "print.h"

void et_gset_keep(struct et_gset_data *d, uint8_t cmd,
		  const struct nl_ethtool_attrs *a,
		  const struct nl_ethtool_linkstate *ls)
{
	/* As the text report: a reply without members shows nothing. */
	if (cmd == ETHTOOL_MSG_LINKSTATE_GET
		    ? !(ls->present & ((1u << ETHTOOL_A_LINKSTATE_LINK) |
				       (1u << ETHTOOL_A_LINKSTATE_SQI)))
		    : !a->present)
		return;
	d->have |= 1u << cmd;
	if (cmd == ETHTOOL_MSG_LINKMODES_GET)
		d->modes = *a;
	else if (cmd == ETHTOOL_MSG_LINKINFO_GET)
		d->info = *a;
	else if (cmd == ETHTOOL_MSG_WOL_GET)
		d->wol = *a;
	else if (cmd == ETHTOOL_MSG_DEBUG_GET)
		d->debug = *a;
	else
		d->ls = *ls;
}

static const char *enum_name(const char *const *t, unsigned int n, uint32_t v)
{
	return v < n && t[v] ? t[v] : NULL;
}

/* A list of the set bits of class @cls, by their kernel names. */
static void modes(struct et_ctx *c, const char *key,
		  const struct nl_ethtool_bitset *bs, bool mask,
		  enum et_lm_class cls)
{
	const struct nl_ethtool_strset *names = NULL;
	const char *name;
	bool first = true, bit;
	uint32_t i;

	et_json_list_open(key);
	for (i = 0; i < bs->n_bits; i++) {
		bit = mask ? !bs->nomask && nl_ethtool_bitset_in_mask(bs, i)
			   : nl_ethtool_bitset_test(bs, i);
		if (!bit || et_lm_class(i) != cls)
			continue;
		if (!names)
			names = et_strset(c, ETH_SS_LINK_MODES);
		name = names ? nl_ethtool_strset_name(names, i) : NULL;
		et_json_list_item(first, name ? name : "");
		first = false;
	}
	et_json_list_close(first);
}

static const char *pause_name(const struct nl_ethtool_bitset *bs, bool mask)
{
	uint32_t p = ETHTOOL_LINK_MODE_Pause_BIT;
	uint32_t a = ETHTOOL_LINK_MODE_Asym_Pause_BIT;
	bool sym = mask ? nl_ethtool_bitset_in_mask(bs, p)
			: nl_ethtool_bitset_test(bs, p);
	bool asym = mask ? nl_ethtool_bitset_in_mask(bs, a)
			 : nl_ethtool_bitset_test(bs, a);

	if (sym)
		return asym ? "Symmetric Receive-only" : "Symmetric";
	return asym ? "Transmit-only" : "No";
}

/* "supported-*", "advertised-*" or "link-partner-advertised-*". */
static void mode_group(struct et_ctx *c, const char *pfx,
		       const struct nl_ethtool_bitset *bs, bool mask)
{
	char k[64];
	uint32_t an = ETHTOOL_LINK_MODE_Autoneg_BIT;

	snprintf(k, sizeof(k), "%s-link-modes", pfx);
	modes(c, k, bs, mask, ET_LM_REAL);
	snprintf(k, sizeof(k), "%s-pause-frame-use", pfx);
	et_json_string(k, pause_name(bs, mask));
	snprintf(k, sizeof(k), "%s-auto-negotiation", pfx);
	et_json_bool(k, mask ? nl_ethtool_bitset_in_mask(bs, an)
			     : nl_ethtool_bitset_test(bs, an));
	snprintf(k, sizeof(k), "%s-fec-modes", pfx);
	modes(c, k, bs, mask, ET_LM_FEC);
}

static void linkmodes_json(struct et_ctx *c, const struct nl_ethtool_attrs *a)
{
	const uint32_t *v = a->val;
	uint32_t speed = v[ETHTOOL_A_LINKMODES_SPEED];

	if (nl_ethtool_attr_has(a, ETHTOOL_A_LINKMODES_OURS)) {
		modes(c, "supported-ports", &a->bits[0], true, ET_LM_PORT);
		mode_group(c, "supported", &a->bits[0], true);
		mode_group(c, "advertised", &a->bits[0], false);
	}
	if (nl_ethtool_attr_has(a, ETHTOOL_A_LINKMODES_PEER))
		mode_group(c, "link-partner-advertised", &a->bits[1], false);
	if (nl_ethtool_attr_has(a, ETHTOOL_A_LINKMODES_SPEED)) {
		if (speed == 0 || speed == (uint16_t)-1 || speed == UINT32_MAX)
			et_json_string("speed", NULL);
		else
			et_json_u32("speed", speed);
	}
	if (nl_ethtool_attr_has(a, ETHTOOL_A_LINKMODES_LANES))
		et_json_u32("lanes", v[ETHTOOL_A_LINKMODES_LANES]);
	if (nl_ethtool_attr_has(a, ETHTOOL_A_LINKMODES_DUPLEX))
		et_json_string("duplex",
			       enum_name(et_names_duplex, ET_N_DUPLEX,
					 v[ETHTOOL_A_LINKMODES_DUPLEX]));
	if (nl_ethtool_attr_has(a, ETHTOOL_A_LINKMODES_AUTONEG))
		et_json_bool("auto-negotiation",
			     v[ETHTOOL_A_LINKMODES_AUTONEG] != AUTONEG_DISABLE);
	if (nl_ethtool_attr_has(a, ETHTOOL_A_LINKMODES_MASTER_SLAVE_CFG))
		et_json_string(
			"master-slave-cfg",
			enum_name(et_names_ms_cfg, ET_N_MS_CFG,
				  v[ETHTOOL_A_LINKMODES_MASTER_SLAVE_CFG]));
	if (nl_ethtool_attr_has(a, ETHTOOL_A_LINKMODES_MASTER_SLAVE_STATE))
		et_json_string(
			"master-slave-status",
			enum_name(et_names_ms_state, ET_N_MS_STATE,
				  v[ETHTOOL_A_LINKMODES_MASTER_SLAVE_STATE]));
}

static const char *mdix_name(uint32_t mdix, uint32_t ctrl)
{
	if (ctrl == ETH_TP_MDI)
		return "off (forced)";
	if (ctrl == ETH_TP_MDI_X)
		return "on (forced)";
	if (mdix == ETH_TP_MDI)
		return ctrl == ETH_TP_MDI_AUTO ? "off (auto)" : "off";
	if (mdix == ETH_TP_MDI_X)
		return ctrl == ETH_TP_MDI_AUTO ? "on (auto)" : "on";
	return ctrl == ETH_TP_MDI_AUTO ? "Unknown (auto)" : "Unknown";
}

static void linkinfo_json(const struct nl_ethtool_attrs *a)
{
	const uint32_t *v = a->val;

	if (nl_ethtool_attr_has(a, ETHTOOL_A_LINKINFO_PORT))
		et_json_string("port",
			       et_port_name(v[ETHTOOL_A_LINKINFO_PORT]));
	if (nl_ethtool_attr_has(a, ETHTOOL_A_LINKINFO_PHYADDR))
		et_json_u32("phyad", v[ETHTOOL_A_LINKINFO_PHYADDR]);
	if (nl_ethtool_attr_has(a, ETHTOOL_A_LINKINFO_TRANSCEIVER))
		et_json_string("transceiver",
			       enum_name(et_names_xcvr, ET_N_XCVR,
					 v[ETHTOOL_A_LINKINFO_TRANSCEIVER]));
	/* As the text: only for a port the kernel said is twisted pair. */
	if (nl_ethtool_attr_has(a, ETHTOOL_A_LINKINFO_TP_MDIX) &&
	    nl_ethtool_attr_has(a, ETHTOOL_A_LINKINFO_TP_MDIX_CTRL) &&
	    nl_ethtool_attr_has(a, ETHTOOL_A_LINKINFO_PORT) &&
	    v[ETHTOOL_A_LINKINFO_PORT] == PORT_TP)
		et_json_string("mdi-x",
			       mdix_name(v[ETHTOOL_A_LINKINFO_TP_MDIX],
					 v[ETHTOOL_A_LINKINFO_TP_MDIX_CTRL]));
}

static void wol_json(const struct nl_ethtool_attrs *a)
{
	uint32_t sup = 0, opts = 0, i;
	char b[16], pass[3 * SOPASS_MAX];

	for (i = 0; i < 32; i++) {
		sup |= nl_ethtool_bitset_in_mask(&a->bits[0], i) ? 1u << i : 0;
		opts |= nl_ethtool_bitset_test(&a->bits[0], i) ? 1u << i : 0;
	}
	et_json_string("supports-wake-on", et_wol_letters(sup, b));
	et_json_string("wake-on", et_wol_letters(opts, b));
	if (!(sup & WAKE_MAGICSECURE))
		return;
	/* "xx:" per byte; the last one's NUL ends the string */
	for (i = 0; i < SOPASS_MAX; i++)
		snprintf(pass + 3 * i, sizeof(pass) - 3 * i, "%02x%s",
			 a->bin_len == SOPASS_MAX ? a->bin[i] : 0,
			 i + 1 < SOPASS_MAX ? ":" : "");
	et_json_string("secureon-password", pass);
}

static void debug_json(struct et_ctx *c, const struct nl_ethtool_attrs *a)
{
	const struct nl_ethtool_bitset *bs = &a->bits[0];
	const struct nl_ethtool_strset *names;
	uint32_t mask = 0, i;
	const char *name;
	bool first = true;

	if (!nl_ethtool_attr_has(a, ETHTOOL_A_DEBUG_MSGMASK))
		return;
	for (i = 0; i < 32; i++)
		mask |= nl_ethtool_bitset_test(bs, i) ? 1u << i : 0;
	et_json_u32("current-message-level", mask);
	names = et_strset(c, ETH_SS_MSG_CLASSES);
	et_json_list_open("message-level");
	for (i = 0; i < bs->n_bits; i++) {
		if (!nl_ethtool_bitset_test(bs, i))
			continue;
		name = names ? nl_ethtool_strset_name(names, i) : NULL;
		et_json_list_item(first, name ? name : "");
		first = false;
	}
	et_json_list_close(first);
}

static void linkstate_json(const struct nl_ethtool_linkstate *ls)
{
	const char *sub;

	if (ls->present & (1u << ETHTOOL_A_LINKSTATE_LINK))
		et_json_bool("link-detected", ls->link);
	if (ls->present & (1u << ETHTOOL_A_LINKSTATE_EXT_STATE)) {
		et_json_string("link-extended-state",
			       et_ext_state_name(ls->ext_state));
		sub = ls->present & (1u << ETHTOOL_A_LINKSTATE_EXT_SUBSTATE)
			      ? et_ext_substate_name(ls->ext_state,
						     ls->ext_substate)
			      : NULL;
		if (sub)
			et_json_string("link-extended-substate", sub);
	}
	if (ls->present & (1u << ETHTOOL_A_LINKSTATE_SQI))
		et_json_u32("sqi", ls->sqi);
	if (ls->present & (1u << ETHTOOL_A_LINKSTATE_SQI_MAX))
		et_json_u32("sqi-max", ls->sqi_max);
}

int et_gset_json(struct et_ctx *c, const struct et_gset_data *d)
{
	if (!d->have) {
		printf("[ ]\n");
		return 75;
	}
	et_json_open(c->devname);
	if (d->have & (1u << ETHTOOL_MSG_LINKMODES_GET))
		linkmodes_json(c, &d->modes);
	if (d->have & (1u << ETHTOOL_MSG_LINKINFO_GET))
		linkinfo_json(&d->info);
	if (d->have & (1u << ETHTOOL_MSG_WOL_GET))
		wol_json(&d->wol);
	if (d->have & (1u << ETHTOOL_MSG_DEBUG_GET))
		debug_json(c, &d->debug);
	if (d->have & (1u << ETHTOOL_MSG_LINKSTATE_GET))
		linkstate_json(&d->ls);
	et_json_close();
	return 0;
}

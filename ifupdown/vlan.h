/* SPDX-License-Identifier: MIT */
/*
 * VLANs by `vlan-raw-device` as the vlan package's ifupdown hooks make
 * them (names vlanNN, vlan00NN, RAW.NN, RAW.00NN, ethN.NN, ...), over
 * netlink.
 */
#ifndef IFUPDOWN_VLAN_H
#define IFUPDOWN_VLAN_H

#include <stdbool.h>
#include <stddef.h>

#include "ifupdown.h"

/* What the hook makes of an interface's name and options. */
struct vlan_name {
	char raw[IFUD_NAME_LEN];  /* the raw device, "" for none */
	char vid[IFUD_NAME_LEN];  /* the VLAN id as the script computes it */
	char name[IFUD_NAME_LEN]; /* the link it creates: not always IFACE */
};

/*
 * The vlan package's if-pre-up.d/vlan on interface @iface with
 * IF_VLAN_RAW_DEVICE @raw (NULL: unset) and IF_BRIDGE_PORTS set or not
 * (@bridge): fills @out and returns true when the hook acts on @iface
 * (it has a raw device), false when it leaves it alone.  A name the hook
 * would pad (vlan0NN, RAW.0NN) gets a 4-digit id.  Pure.
 */
bool vlan_name_parse(const char *iface, const char *raw, bool bridge,
		     struct vlan_name *out);

/*
 * Runs the vlan hook of @st for the run-parts directory @dir ("pre-up",
 * "post-down"; nothing for others), where its script sorts among the
 * hooks.  Returns 0, or -ECANCELED when the hook failed and errors are
 * not ignored.
 */
int vlan_hook(struct ifud_run *r, struct ifud_stanza *st, const char *dir);

#endif

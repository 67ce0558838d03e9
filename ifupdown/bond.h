/* SPDX-License-Identifier: MIT */
/*
 * Bonds as ifenslave 2.13's interfaces(5) options make them (bond-slaves,
 * bond-master, bond-mode, bond-miimon, ...): what its if-pre-up.d and
 * if-post-down.d hooks do with ip and /sys/class/net/BOND/bonding/, done
 * over netlink.
 */
#ifndef IFUPDOWN_BOND_H
#define IFUPDOWN_BOND_H

#include "ifupdown.h"

/*
 * Runs ifenslave's hook of @st for the run-parts directory @dir
 * ("pre-up", "post-down"; nothing for others), where its script sorts
 * among the hooks.  A master (bond-slaves or bond-mode) has its options
 * checked before anything is made: a bad one is one line naming @st's
 * interface and the option.  Returns 0, or -ECANCELED when the hook
 * failed and errors are not ignored.
 */
int bond_hook(struct ifud_run *r, struct ifud_stanza *st, const char *dir);

#endif

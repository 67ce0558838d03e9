/* SPDX-License-Identifier: MIT */
/*
 * Bridges as bridge-utils' interfaces(5) options make them (bridge_ports,
 * bridge_stp, bridge_fd, ...): what its if-pre-up.d, if-down.d and
 * if-post-down.d hook does with brctl and ip, done over netlink.
 */
#ifndef IFUPDOWN_BRIDGE_H
#define IFUPDOWN_BRIDGE_H

#include <stdbool.h>
#include <stddef.h>

#include "ifupdown.h"

/*
 * Runs the bridge hook of @st for the run-parts directory @dir ("pre-up",
 * "down", "post-down"; nothing for others or without bridge_ports), where
 * bridge-utils' script sorts among the hooks: call it where run-parts of
 * @dir would start.  Returns 0, or -ECANCELED when the hook failed and
 * errors are not ignored (the run-parts that follows must not run).
 */
int bridge_hook(struct ifud_run *r, struct ifud_stanza *st, const char *dir);

/*
 * bridge-utils' bridge_parse_ports(): the words of @spec (literal names;
 * `regex` ... `noregex` for POSIX EREs matched whole against the names
 * @all[@n_all]; `all` for the regexes eth.* em.* en.* p[0-9].*), giving
 * each port name to @cb in order.  Returns 0, or -ENOMEM.
 */
int bridge_parse_ports(const char *spec, const char *const *all, size_t n_all,
		       void (*cb)(void *arg, const char *port), void *arg);

#endif

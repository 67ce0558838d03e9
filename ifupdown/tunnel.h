/* SPDX-License-Identifier: MIT */
/*
 * Debian ifupdown 0.8's `inet tunnel`, `inet6 tunnel` and `inet6 6to4`
 * methods over netlink (the `ip tunnel add ...` lines of its inet.defn
 * and inet6.defn), and `inet ppp`, which runs pon and poff as Debian does.
 */
#ifndef IFUPDOWN_TUNNEL_H
#define IFUPDOWN_TUNNEL_H

#include <stdbool.h>

#include "ifupdown.h"

/* True when @st's method is one of this file's (they make their link, so
 * meth_up() must not look it up first). */
bool tunnel_method(const struct ifud_stanza *st);

/* The method's up steps: 0, or -errno after one line (the caller rolls
 * back what the journal holds). */
int tunnel_up(struct ifud_run *r, struct ifud_stanza *st);

/* The method's down steps; errors are reported and ignored, as
 * Debian's ifdown does, except for ppp's poff status. */
int tunnel_down(struct ifud_run *r, struct ifud_stanza *st);

#endif

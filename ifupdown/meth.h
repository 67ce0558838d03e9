/* SPDX-License-Identifier: MIT */
/* meth.c: the steps the method files (inet.c, inet6.c) share. */
#ifndef IFUPDOWN_METH_H
#define IFUPDOWN_METH_H

#include <stdbool.h>
#include <stddef.h>

#include "embnet/addr.h"
#include "ifupdown.h"
#include "embnet/route.h"

#define ACT_LEN 512

/* First line of option @name in @buf, or NULL when unset or empty. */
const char *meth_var(const struct ifud_stanza *st, const char *name, char *buf,
		     size_t len);

/* Debian's var_true(): a non-zero number, on, true or yes. */
bool meth_var_true(const struct ifud_stanza *st, const char *name);

/* True for a physical link: no '.' (VLAN) and no ':' (alias) in @iface. */
bool meth_is_link(const char *iface);

/* Reports a failed @act on @iface with the kernel's reason; returns @err. */
int meth_fail(struct ifud_run *r, int err, const char *iface, const char *act);

/* 0 if the journal can take one more entry; else -ENOSPC after one line
 * naming @iface and @act: the change must not be made. */
int meth_journal_room(const struct ifud_run *r, const char *iface,
		      const char *act);

/* Adds (@add) or deletes address @a; the text @act is shown first. */
int meth_addr(struct ifud_run *r, struct ifud_stanza *st, struct nl_addr *a,
	      const char *act, bool add);

/* `ip link set dev I [mtu M] [address H] up` (@mtu: with mtu). */
int meth_link_set(struct ifud_run *r, struct ifud_stanza *st, int idx,
		  bool mtu);

/* `ip link set dev I address @hw` on link @idx: 0 or -errno, said. */
int meth_hwaddr(struct ifud_run *r, struct ifud_stanza *st, int idx,
		const char *hw);

/* `ip link set dev I up`, journalled if it was down (st->link_flags when
 * st->link_known): 0, -ENOSPC when the journal is full, or -errno. */
int meth_link_up(struct ifud_run *r, struct ifud_stanza *st, int idx);

/* Link down, as `ip link set dev I down`; errors are ignored. */
void meth_link_down(struct ifud_run *r, struct ifud_stanza *st, int idx);

/* Default route via the `gateway` option (add, replace or delete). */
int meth_gateway(struct ifud_run *r, struct ifud_stanza *st, int idx,
		 int family, int how);
#define GW_ADD 0
#define GW_REPLACE 1
#define GW_DEL 2

/* Deletes the addresses of @family on @idx with scope @scope (-1: any)
 * or carrying flag @flag (0: any).  Shown as @act. */
void meth_flush(struct ifud_run *r, int idx, int family, int scope,
		unsigned int flag, const char *act);

/* inet6.c: the inet6 methods, for meth_up() and meth_down() (inet.c). */
int inet6_up(struct ifud_run *r, struct ifud_stanza *st, int idx);
int inet6_down(struct ifud_run *r, struct ifud_stanza *st, int idx);

#endif

/* SPDX-License-Identifier: MIT */
/*
 * The steps the method files (inet.c, inet6.c) share, declared in meth.h:
 * options as values, addresses, link settings, the default route and
 * flushes over netlink, each shown as the `ip` command it replaces and
 * journalled for rollback (iflink.c) before it is made.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <linux/rtnetlink.h>

#include "embnet/link.h"
#include "embnet/log.h"
#include "meth.h"
#include "embnet/parse.h"

const char *meth_var(const struct ifud_stanza *st, const char *name, char *buf,
		     size_t len)
{
	const char *v = ifp_opt_get(&st->opts, name);
	size_t n;

	if (!v || !*v)
		return NULL;
	n = strcspn(v, "\n");
	if (n >= len)
		n = len - 1;
	memcpy(buf, v, n);
	buf[n] = '\0';
	return buf;
}

bool meth_var_true(const struct ifud_stanza *st, const char *name)
{
	char buf[64];
	const char *v = meth_var(st, name, buf, sizeof(buf));

	return v && (atoi(v) || !strcasecmp(v, "on") ||
		     !strcasecmp(v, "true") || !strcasecmp(v, "yes"));
}

bool meth_is_link(const char *iface)
{
	return !strchr(iface, '.') && !strchr(iface, ':');
}

int meth_fail(struct ifud_run *r, int err, const char *iface, const char *act)
{
	const char *ext = r->nl_open ? nl_ext_msg(&r->nl) : "";

	log_err(err, "%s: %s%s%s%s", iface, act, *ext ? " (" : "", ext,
		*ext ? ")" : "");
	return err;
}

int meth_journal_room(const struct ifud_run *r, const char *iface,
		      const char *act)
{
	if (r->n_journal < IFUD_JOURNAL_MAX)
		return 0;
	log_warn("%s: %s: not done: more than %d changes to undo", iface, act,
		 IFUD_JOURNAL_MAX);
	return -ENOSPC;
}

int meth_addr(struct ifud_run *r, struct ifud_stanza *st, struct nl_addr *a,
	      const char *act, bool add)
{
	int err;

	hook_show(r, "%s", act);
	if (r->o->no_act)
		return 0;
	if (add && (err = meth_journal_room(r, st->iface, act)) < 0)
		return err;
	err = add ? nl_addr_add(&r->nl, a) : nl_addr_del(&r->nl, a);
	if (!add && err == -EADDRNOTAVAIL)
		return 0; /* already gone (IPv6 goes with the link) */
	if (err)
		return meth_fail(r, err, st->iface, act);
	if (add)
		journal_add(r, JR_ADDR, a->index, a, sizeof(*a));
	return 0;
}

int meth_hwaddr(struct ifud_run *r, struct ifud_stanza *st, int idx,
		const char *hw)
{
	uint8_t mac[NL_LINK_ADDR_MAX];
	int n = parse_hwaddr(hw, mac, sizeof(mac));

	if (n < 0) {
		log_warn("%s: invalid hwaddress \"%s\"", st->iface, hw);
		return n;
	}
	n = nl_link_set_addr(&r->nl, idx, mac, (size_t)n);
	return n ? meth_fail(r, n, st->iface, "ip link set address") : 0;
}

int meth_link_up(struct ifud_run *r, struct ifud_stanza *st, int idx)
{
	struct nl_link l = { .flags = st->link_flags };
	int err = st->link_known ? 0 : nl_link_get(&r->nl, idx, NULL, &l);

	if (!err && !(l.flags & IFF_UP) &&
	    meth_journal_room(r, st->iface, "ip link set up") < 0)
		return -ENOSPC;
	if (!err)
		err = nl_link_set_up(&r->nl, idx, true);
	if (err)
		return meth_fail(r, err, st->iface, "ip link set up");
	if (!(l.flags & IFF_UP))
		journal_add(r, JR_LINK_UP, idx, NULL, 0);
	st->link_flags = l.flags | IFF_UP;
	return 0;
}

int meth_link_set(struct ifud_run *r, struct ifud_stanza *st, int idx, bool mtu)
{
	char m[32], hw[64];
	const char *mv = mtu ? meth_var(st, "mtu", m, sizeof(m)) : NULL;
	const char *hv = meth_var(st, "hwaddress", hw, sizeof(hw));
	uint32_t n;
	int err;

	hook_show(r, "ip link set dev %s%s%s%s%s up", st->iface,
		  mv ? " mtu " : "", mv ? mv : "", hv ? " address " : "",
		  hv ? hv : "");
	if (r->o->no_act)
		return 0;
	if (mv) {
		err = parse_u32(mv, &n);
		if (!err)
			err = nl_link_set_mtu(&r->nl, idx, n);
		if (err)
			return meth_fail(r, err, st->iface, "ip link set mtu");
	}
	if (hv && (err = meth_hwaddr(r, st, idx, hv)) < 0)
		return err;
	return meth_link_up(r, st, idx);
}

void meth_link_down(struct ifud_run *r, struct ifud_stanza *st, int idx)
{
	hook_show(r, "ip link set dev %s down", st->iface);
	if (!r->o->no_act && idx > 0)
		nl_link_set_up(&r->nl, idx, false);
}

int meth_gateway(struct ifud_run *r, struct ifud_stanza *st, int idx,
		 int family, int how)
{
	static const char *const verb[] = { "add", "replace", "del" };
	struct nl_route rt = { .family = family, .oif = idx };
	char gw[64], met[32], act[ACT_LEN];
	const char *g = meth_var(st, "gateway", gw, sizeof(gw));
	const char *m = meth_var(st, "metric", met, sizeof(met));
	int err;

	if (!g)
		return 0;
	snprintf(act, sizeof(act), "ip %sroute %s default via %s%s%s dev %s%s",
		 family == AF_INET6 ? "-6 " : "", verb[how], g,
		 m ? " metric " : "", m ? m : "", st->iface,
		 how == GW_DEL ? "" : " onlink");
	hook_show(r, "%s", act);
	if (r->o->no_act)
		return 0;
	if (ip_parse(g, family, &rt.gateway) < 0 ||
	    (m && parse_u32(m, &rt.metric) < 0))
		return meth_fail(r, -EINVAL, st->iface, act);
	if (how == GW_DEL)
		return nl_route_del(&r->nl, &rt) ? -1 : 0;
	if ((err = meth_journal_room(r, st->iface, act)) < 0)
		return err;
	rt.flags = RTNH_F_ONLINK;
	err = how == GW_ADD ? nl_route_add(&r->nl, &rt)
			    : nl_route_replace(&r->nl, &rt);
	if (err)
		return meth_fail(r, err, st->iface, act);
	rt.flags = 0;
	journal_add(r, JR_ROUTE, idx, &rt, sizeof(rt));
	return 0;
}

void meth_flush(struct ifud_run *r, int idx, int family, int scope,
		unsigned int flag, const char *act)
{
	struct nl_addr a[NL_ADDR_FLUSH_BATCH];
	size_t n = 0;

	hook_show(r, "%s", act);
	if (r->o->no_act)
		return;
	if (scope < 0 && !flag) {
		nl_addr_flush(&r->nl, family, idx);
		return;
	}
	nl_addr_dump(&r->nl, family, idx, a, NL_ADDR_FLUSH_BATCH, &n);
	for (size_t i = 0; i < n; i++)
		if ((scope < 0 || a[i].scope == scope) &&
		    (!flag || (a[i].flags & flag)))
			nl_addr_del(&r->nl, &a[i]);
}

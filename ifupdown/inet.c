/* SPDX-License-Identifier: MIT */
/*
 * The inet methods (Debian inet.defn for Linux) over netlink: loopback,
 * static, manual and dhcp (busybox ifup's udhcpc, run by dhcp.c), with
 * the steps of meth.c; meth_up() and meth_down() hand the inet6 methods to
 * inet6.c.  No ip, ifconfig or route is run.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/if_addr.h>
#include <linux/rtnetlink.h>

#include "embnet/link.h"
#include "embnet/log.h"
#include "dhcp.h"
#include "meth.h"
#include "tunnel.h"
#include "embnet/parse.h"

/* `ip addr add A/MASK [broadcast B] [peer P] [scope S] dev I label I`. */
static int v4_addr(struct ifud_stanza *st, int idx, struct nl_addr *a,
		   char *act)
{
	char ab[64], mb[64], bb[64], pb[64], sb[32];
	const char *addr = meth_var(st, "address", ab, sizeof(ab));
	const char *mask = meth_var(st, "netmask", mb, sizeof(mb));
	const char *bc = meth_var(st, "broadcast", bb, sizeof(bb));
	const char *peer = meth_var(st, "pointopoint", pb, sizeof(pb));
	const char *scope = meth_var(st, "scope", sb, sizeof(sb));
	int p = 32;

	memset(a, 0, sizeof(*a));
	a->family = AF_INET;
	a->index = idx;
	snprintf(a->label, sizeof(a->label), "%s", st->iface);
	snprintf(act, ACT_LEN, "ip addr add %s%s%s%s%s%s%s%s%s dev %s label %s",
		 addr ? addr : "", mask ? "/" : "", mask ? mask : "",
		 bc ? " broadcast " : "", bc ? bc : "", peer ? " peer " : "",
		 peer ? peer : "", scope ? " scope " : "", scope ? scope : "",
		 st->iface, st->iface);
	if (!addr || ip_parse(addr, AF_INET, &a->local) < 0 ||
	    (mask && (p = ip_parse_netmask(mask)) < 0) ||
	    (peer && ip_parse(peer, AF_INET, &a->address) < 0) ||
	    (scope && nl_route_scope_parse(scope, &a->scope) < 0))
		return -EINVAL;
	if (peer) /* as ip: the prefix is the peer's, /32 by default */
		p = 32;
	a->prefixlen = (uint8_t)p;
	if (bc && (bc[0] == '+' || bc[0] == '-') && !bc[1]) {
		a->broadcast.family = AF_INET;
		a->broadcast.v4 = ip_broadcast(a->local.v4, p);
		if (bc[0] == '-')
			a->broadcast.v4.s_addr =
				a->local.v4.s_addr & ip_mask(p).s_addr;
	} else if (bc && ip_parse(bc, AF_INET, &a->broadcast) < 0) {
		return -EINVAL;
	}
	return 0;
}

static int static4_up(struct ifud_run *r, struct ifud_stanza *st, int idx)
{
	struct nl_addr a;
	char act[ACT_LEN];
	int err;

	if (v4_addr(st, idx, &a, act) < 0)
		return meth_fail(r, -EINVAL, st->iface, act);
	err = meth_addr(r, st, &a, act, true);
	if (!err)
		err = meth_link_set(r, st, idx, true);
	if (!err)
		err = meth_gateway(r, st, idx, AF_INET, GW_ADD);
	return err;
}

static int static4_down(struct ifud_run *r, struct ifud_stanza *st, int idx)
{
	struct nl_addr a;
	char act[ACT_LEN];

	meth_gateway(r, st, idx, AF_INET, GW_DEL);
	if (v4_addr(st, idx, &a, act) == 0) {
		memcpy(act + 8, "del", 3); /* "ip addr add" -> "ip addr del" */
		meth_addr(r, st, &a, act, false);
	}
	snprintf(act, sizeof(act), "ip -4 addr flush dev %s", st->iface);
	meth_flush(r, idx, AF_INET, -1, 0, act);
	if (meth_is_link(st->iface))
		meth_link_down(r, st, idx);
	return 0;
}

/* inet manual and inet6 manual: failures to bring the link up are ignored. */
static int manual_up(struct ifud_run *r, struct ifud_stanza *st, int idx)
{
	char m[32], hw[64];
	const char *mv = meth_var(st, "mtu", m, sizeof(m));
	const char *hv = meth_var(st, "hwaddress", hw, sizeof(hw));
	uint32_t n;
	int err = 0;

	if (mv)
		hook_show(r, "ip link set dev %s mtu %s", st->iface, mv);
	if (mv && !r->o->no_act) {
		err = parse_u32(mv, &n);
		if (!err)
			err = nl_link_set_mtu(&r->nl, idx, n);
		if (err)
			return meth_fail(r, err, st->iface, "ip link set mtu");
	}
	if (hv)
		hook_show(r, "ip link set dev %s address %s", st->iface, hv);
	if (hv && !r->o->no_act && (err = meth_hwaddr(r, st, idx, hv)) < 0)
		return err;
	hook_show(r, "ip link set dev %s up 2>/dev/null || true", st->iface);
	/* errors are ignored, as Debian's `|| true`, but not a full journal */
	if (!r->o->no_act && meth_link_up(r, st, idx) == -ENOSPC)
		return -ENOSPC;
	return 0;
}

/* busybox ifup's udhcpc: -x hostname:H -c C -s S -V V -x lease:L, then
 * the words of udhcpc_opts. */
static const char *const udhcpc_opts[][2] = {
	{ "hostname", "-x hostname:" },
	{ "client", "-c " },
	{ "script", "-s " },
	{ "vendor", "-V " },
	{ "leasetime", "-x lease:" },
	{ NULL, NULL },
};

static const struct dhcp_client udhcpc = {
	.prog = "udhcpc",
	.opts = udhcpc_opts,
	.extra = "udhcpc_opts",
	.missing = "No DHCP client software found!",
};

static int dhcp_up(struct ifud_run *r, struct ifud_stanza *st, int idx)
{
	int err = meth_link_set(r, st, idx, false);

	return err ? err : dhcp_client_up(r, st, &udhcpc, "");
}

static int dhcp_down(struct ifud_run *r, struct ifud_stanza *st, int idx)
{
	char act[ACT_LEN];

	dhcp_client_stop(r, st, &udhcpc);
	snprintf(act, sizeof(act), "ip addr flush dev %s", st->iface);
	meth_flush(r, idx, AF_INET, -1, 0, act);
	if (meth_is_link(st->iface))
		meth_link_down(r, st, idx);
	return 0;
}

int meth_check(struct ifud_stanza *st)
{
	int err = 0;

	for (const char *const *q = st->m->required; *q; q++) {
		const char *v = ifp_opt_get(&st->opts, *q);

		if (!v || !*v) {
			log_warn("missing required variable: %s", *q);
			err = -EINVAL;
		}
	}
	return err;
}

int meth_check_down(struct ifud_stanza *st)
{
	return tunnel_method(st) ? 0 : meth_check(st);
}

/* The index of @st's link, and its flags for meth_link_up(). */
static int dev_index(struct ifud_run *r, struct ifud_stanza *st, int *idx)
{
	struct nl_sock *ns;
	struct nl_link l;
	int err;

	*idx = 0;
	if (r->o->no_act)
		return 0;
	err = run_nl(r, &ns);
	if (err)
		return err;
	err = nl_link_get(ns, 0, st->iface, &l);
	if (!err && l.index > 0) {
		*idx = l.index;
		st->link_flags = l.flags;
		st->link_known = true;
		return 0;
	}
	log_warn("%s: Cannot find device \"%s\"", st->iface, st->iface);
	return err < 0 ? err : -ENODEV;
}

int meth_up(struct ifud_run *r, struct ifud_stanza *st)
{
	bool lo = strcmp(st->iface, "lo") == 0;
	int idx, err;

	if (st->m->kind == IFM_UNSUPPORTED) {
		log_warn("%s: method %s %s is not supported", st->iface,
			 st->addrfam, st->method);
		return -EOPNOTSUPP;
	}
	if (tunnel_method(st))
		return tunnel_up(r, st);
	if ((st->m->kind == IFM_INET_LOOPBACK ||
	     st->m->kind == IFM_INET6_LOOPBACK) &&
	    lo)
		return 0;
	if ((err = dev_index(r, st, &idx)) < 0)
		return err;
	switch (st->m->kind) {
	case IFM_INET_LOOPBACK:
		return meth_link_set(r, st, idx, false);
	case IFM_INET_STATIC:
		return static4_up(r, st, idx);
	case IFM_INET_MANUAL:
		return manual_up(r, st, idx);
	case IFM_INET_DHCP:
		return dhcp_up(r, st, idx);
	default:
		return inet6_up(r, st, idx);
	}
}

int meth_down(struct ifud_run *r, struct ifud_stanza *st)
{
	bool lo = strcmp(st->iface, "lo") == 0;
	int idx;

	if (st->m->kind == IFM_UNSUPPORTED)
		return 0;
	if (tunnel_method(st))
		return tunnel_down(r, st);
	if ((st->m->kind == IFM_INET_LOOPBACK ||
	     st->m->kind == IFM_INET6_LOOPBACK) &&
	    lo)
		return 0;
	if (dev_index(r, st, &idx) < 0)
		return 0;
	switch (st->m->kind) {
	case IFM_INET_LOOPBACK:
		meth_link_down(r, st, idx);
		return 0;
	case IFM_INET_STATIC:
		return static4_down(r, st, idx);
	case IFM_INET_MANUAL:
		if (meth_is_link(st->iface) && !r->o->all)
			meth_link_down(r, st, idx);
		return 0;
	case IFM_INET_DHCP:
		return dhcp_down(r, st, idx);
	default:
		return inet6_down(r, st, idx);
	}
}

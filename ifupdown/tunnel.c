// SPDX-License-Identifier: MIT
/*
 * The tunnel methods of Debian ifupdown 0.8 over netlink, in the order of
 * its inet.defn and inet6.defn:
 *   inet tunnel:  ip tunnel add I mode M remote E [local L] [ttl T];
 *                 ip link set I up [mtu M]; ip addr add A/N dev I [peer D];
 *                 [ip route add default via G [metric M] dev I onlink]
 *   inet6 tunnel: the same with `ip -6 tunnel` ([encaplimit E]); address
 *                 and gateway are IPv4 for mode ipip6, else IPv6, and
 *                 the address is added only with a netmask
 *   inet6 6to4:   ip tunnel add I mode sit remote any local L [ttl T];
 *                 ip link set I up [mtu M]; ip addr add 2002:HEX::1/16;
 *                 ip route add 2000::/3 via ::192.88.99.1 [metric M] dev I
 * Down deletes the tunnel (6to4 first flushes its routes and takes it
 * down).  Each change is journalled, so a failed ifup deletes what it
 * made.  `inet ppp` runs `pon [PROVIDER] [unit N] [OPTIONS]` and
 * `poff [PROVIDER]` through the shell, as Debian does.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "embnet/addr.h"
#include "embnet/ip.h"
#include "embnet/link.h"
#include "embnet/log.h"
#include "embnet/parse.h"
#include "embnet/route.h"
#include "embnet/tunnel.h"
#include "meth.h"
#include "tunnel.h"

/* The first line of option NAME, in the buffer b_NAME of the caller. */
#define V(name) meth_var(st, #name, b_##name, sizeof(b_##name))

bool tunnel_method(const struct ifud_stanza *st)
{
	switch (st->m->kind) {
	case IFM_INET_TUNNEL:
	case IFM_INET_PPP:
	case IFM_INET6_TUNNEL:
	case IFM_INET6_6TO4:
		return true;
	default:
		return false;
	}
}

/* `ttl`: a number up to 255, or inherit (0), as ip tunnel reads it. */
static int parse_ttl(const char *s, uint8_t *v)
{
	int n;

	if (strcmp(s, "inherit") == 0) {
		*v = 0;
		return 0;
	}
	if (parse_int(s, 0, 255, &n) < 0)
		return -EINVAL;
	*v = (uint8_t)n;
	return 0;
}

static int bad(const struct ifud_stanza *st, const char *opt, const char *v)
{
	log_warn("%s: %s: invalid value \"%s\"", st->iface, opt, v);
	return -EINVAL;
}

/* The tunnel of @st's options: mode (6to4: sit), endpoint, local, ttl,
 * encaplimit, checked before anything is made. */
static int tunnel_of(const struct ifud_stanza *st, bool v6, bool sixto4,
		     struct nl_tunnel *t)
{
	char b_mode[32], b_endpoint[64], b_local[64], b_ttl[16];
	char b_encaplimit[16];
	const char *mode = sixto4 ? "sit" : V(mode), *ep = V(endpoint);
	const char *local = V(local), *ttl = V(ttl), *el = V(encaplimit);
	int family = v6 ? AF_INET6 : AF_INET, n;

	if (!mode || nl_tunnel_mode(mode, v6, t) < 0)
		return bad(st, "mode", mode ? mode : "");
	if (!sixto4 && (!ep || ip_parse(ep, family, &t->remote) < 0))
		return bad(st, "endpoint", ep ? ep : "");
	if (local && ip_parse(local, family, &t->local) < 0)
		return bad(st, "local", local);
	if (ttl && parse_ttl(ttl, &t->ttl) < 0)
		return bad(st, "ttl", ttl);
	if (v6 && el && parse_int(el, 0, 255, &n) < 0)
		return bad(st, "encaplimit", el);
	if (v6 && el)
		t->encaplimit = (uint8_t)n;
	return 0;
}

/* Makes the tunnel (journalled) and returns its index, or -errno. */
static int make(struct ifud_run *r, struct ifud_stanza *st, bool v6,
		bool sixto4)
{
	char b_mode[32], b_endpoint[64], b_local[64], b_ttl[16];
	char b_encaplimit[16], act[ACT_LEN];
	const char *ttl = V(ttl), *local = V(local), *el = V(encaplimit);
	struct nl_tunnel t;
	int err;

	if ((err = tunnel_of(st, v6, sixto4, &t)) < 0)
		return err;
	snprintf(act, sizeof(act),
		 "ip %stunnel add %s mode %s remote %s%s%s%s%s%s%s",
		 v6 ? "-6 " : "", st->iface, sixto4 ? "sit" : V(mode),
		 sixto4 ? "any" : V(endpoint), local ? " local " : "",
		 local ? local : "", ttl ? " ttl " : "", ttl ? ttl : "",
		 el && v6 ? " encaplimit " : "", el && v6 ? el : "");
	hook_show(r, "%s", act);
	if (r->o->no_act)
		return 0;
	if ((err = meth_journal_room(r, st->iface, act)) < 0)
		return err;
	err = nl_tunnel_add(&r->nl, st->iface, &t);
	if (!err && (err = nl_link_index(&r->nl, st->iface)) > 0) {
		journal_add(r, JR_VLAN, err, NULL, 0);
		return err;
	}
	return meth_fail(r, err < 0 ? err : -ENODEV, st->iface, act);
}

/* `ip link set I up [mtu M]`: the MTU first, as the kernel applies it. */
static int tun_link_up(struct ifud_run *r, struct ifud_stanza *st, int idx)
{
	char b_mtu[16];
	const char *mtu = V(mtu);
	uint32_t m;
	int err;

	hook_show(r, "ip link set %s up%s%s", st->iface, mtu ? " mtu " : "",
		  mtu ? mtu : "");
	if (r->o->no_act)
		return 0;
	if (mtu && parse_u32(mtu, &m) < 0)
		return bad(st, "mtu", mtu);
	if (mtu && (err = nl_link_set_mtu(&r->nl, idx, m)) < 0)
		return meth_fail(r, err, st->iface, "ip link set mtu");
	return meth_link_up(r, st, idx);
}

/* `ip [-4|-6] addr add A/N dev I [peer D]` into @na and @act: N a
 * prefix or a netmask.  With a peer, ip takes the prefix length from the
 * peer (D/L, or the whole address), not from A/N.  1 when there is no
 * address to add (it needs both options), 0, or -EINVAL after a line. */
static int addr_of(const struct ifud_stanza *st, int family, struct nl_addr *na,
		   char *act)
{
	char b_address[64], b_netmask[64], b_dstaddr[64];
	const char *a = V(address), *n = V(netmask), *d = V(dstaddr);
	int p, pp = -1;

	memset(na, 0, sizeof(*na));
	na->family = family;
	if (!a || !n)
		return 1;
	snprintf(act, ACT_LEN, "ip %saddr add %s/%s dev %s%s%s",
		 st->m->kind == IFM_INET_TUNNEL ? ""
		 : family == AF_INET		? "-4 "
						: "-6 ",
		 a, n, st->iface, d ? " peer " : "", d ? d : "");
	if (ip_parse(a, family, &na->local) < 0)
		return bad(st, "address", a);
	if (parse_int(n, 0, ip_prefix_max(family), &p) < 0 &&
	    (family != AF_INET || (p = ip_parse_netmask(n)) < 0))
		return bad(st, "netmask", n);
	if (d && ip_parse_cidr(d, family, &na->address, &pp) < 0)
		return bad(st, "dstaddr", d);
	if (pp < 0) /* ip_parse_cidr(): no /LEN */
		pp = ip_prefix_max(family);
	na->prefixlen = (uint8_t)(d ? pp : p);
	if (!d)
		na->address = na->local;
	return 0;
}

/* Every option the up steps use after the tunnel's own, checked before
 * anything is made. */
static int check(const struct ifud_stanza *st, int family, bool sixto4)
{
	char b_mtu[16], b_gateway[64], b_metric[16], b_lft[32];
	char act[ACT_LEN];
	const char *mtu = V(mtu), *g = V(gateway), *met = V(metric);
	const char *lft =
		meth_var(st, "preferred-lifetime", b_lft, sizeof(b_lft));
	struct nl_addr na;
	struct ip_addr ga;
	uint32_t v;

	if (mtu && parse_u32(mtu, &v) < 0)
		return bad(st, "mtu", mtu);
	if (!sixto4 && addr_of(st, family, &na, act) < 0)
		return -EINVAL;
	if (!sixto4 && g && ip_parse(g, family, &ga) < 0)
		return bad(st, "gateway", g);
	if (met && parse_u32(met, &v) < 0)
		return bad(st, "metric", met);
	if (sixto4 && lft && strcmp(lft, "forever") != 0 &&
	    parse_u32(lft, &v) < 0)
		return bad(st, "preferred-lifetime", lft);
	return 0;
}

static int tun_up(struct ifud_run *r, struct ifud_stanza *st, bool v6)
{
	char b_mode[32], act[ACT_LEN];
	int family = !v6 || (V(mode) && strcmp(V(mode), "ipip6") == 0)
			     ? AF_INET
			     : AF_INET6;
	struct nl_tunnel t;
	struct nl_addr na;
	int idx, err;

	if ((err = tunnel_of(st, v6, false, &t)) < 0 ||
	    (err = check(st, family, false)) < 0)
		return err;
	if ((idx = make(r, st, v6, false)) < 0 ||
	    (err = tun_link_up(r, st, idx)) < 0)
		return idx < 0 ? idx : err;
	if (addr_of(st, family, &na, act) == 0) {
		na.index = idx;
		if ((err = meth_addr(r, st, &na, act, true)) < 0)
			return err;
	}
	return meth_gateway(r, st, idx, family, GW_ADD);
}

/* 6to4's fixed address and route. */
static int sixto4_up(struct ifud_run *r, struct ifud_stanza *st)
{
	char b_hexaddress[32], b_metric[16], b_preferredlifetime[32];
	char act[ACT_LEN];
	const char *hex =
		meth_var(st, "hexaddress", b_hexaddress, sizeof(b_hexaddress));
	const char *lft =
		meth_var(st, "preferred-lifetime", b_preferredlifetime,
			 sizeof(b_preferredlifetime));
	const char *met = V(metric);
	struct nl_route rt = { .family = AF_INET6, .dst_len = 3 };
	struct nl_addr a = { .family = AF_INET6, .prefixlen = 16 };
	char text[64];
	struct nl_tunnel t;
	int idx, err;

	if ((err = tunnel_of(st, false, true, &t)) < 0 ||
	    (err = check(st, AF_INET6, true)) < 0)
		return err;
	if ((idx = make(r, st, false, true)) < 0 ||
	    (err = tun_link_up(r, st, idx)) < 0)
		return idx < 0 ? idx : err;
	snprintf(text, sizeof(text), "2002:%s::1", hex ? hex : "");
	snprintf(act, sizeof(act), "ip addr add %s/16 dev %s%s%s", text,
		 st->iface, lft ? " preferred_lft " : "", lft ? lft : "");
	a.index = rt.oif = idx;
	if (ip_parse(text, AF_INET6, &a.local) < 0)
		return meth_fail(r, -EINVAL, st->iface, act);
	if (lft)
		a.preferred_lft = strcmp(lft, "forever") == 0
					  ? NL_ADDR_FOREVER
					  : (uint32_t)strtoul(lft, NULL, 10);
	a.address = a.local;
	if (lft)
		a.valid_lft = NL_ADDR_FOREVER;
	if ((err = meth_addr(r, st, &a, act, true)) < 0)
		return err;
	snprintf(act, sizeof(act),
		 "ip route add 2000::/3 via ::192.88.99.1%s%s dev %s",
		 met ? " metric " : "", met ? met : "", st->iface);
	hook_show(r, "%s", act);
	if (r->o->no_act)
		return 0;
	ip_parse("2000::", AF_INET6, &rt.dst);
	ip_parse("::192.88.99.1", AF_INET6, &rt.gateway);
	if (met && parse_u32(met, &rt.metric) < 0)
		return meth_fail(r, -EINVAL, st->iface, act);
	if ((err = meth_journal_room(r, st->iface, act)) < 0)
		return err;
	if ((err = nl_route_add(&r->nl, &rt)) < 0)
		return meth_fail(r, err, st->iface, act);
	journal_add(r, JR_ROUTE, idx, &rt, sizeof(rt));
	return 0;
}

/* `pon [PROVIDER] [unit N] [OPTIONS]` / `poff [PROVIDER]`. */
static int ppp(struct ifud_run *r, struct ifud_stanza *st, bool up)
{
	char b_provider[256], b_unit[32], b_options[1024], cmd[1400];
	const char *p = V(provider), *u = V(unit), *o = V(options);
	int status = 0, err;

	if (up)
		snprintf(cmd, sizeof(cmd), "pon%s%s%s%s%s%s", p ? " " : "",
			 p ? p : "", u ? " unit " : "", u ? u : "",
			 o ? " " : "", o ? o : "");
	else
		snprintf(cmd, sizeof(cmd), "poff%s%s", p ? " " : "",
			 p ? p : "");
	hook_show(r, "%s", cmd);
	if (r->o->no_act)
		return 0;
	hook_pidfile(r, st);
	fflush(NULL);
	err = spawn_shell(cmd, spawn_env_vars(&st->env), &status);
	if (err)
		log_err(err, "executing '%s' failed", cmd);
	return err || status ? -ECANCELED : 0;
}

int tunnel_up(struct ifud_run *r, struct ifud_stanza *st)
{
	struct nl_sock *ns;
	int err;

	if (st->m->kind == IFM_INET_PPP)
		return ppp(r, st, true);
	if (!r->o->no_act && (err = run_nl(r, &ns)) < 0)
		return err;
	if (st->m->kind == IFM_INET6_6TO4)
		return sixto4_up(r, st);
	return tun_up(r, st, st->m->kind == IFM_INET6_TUNNEL);
}

int tunnel_down(struct ifud_run *r, struct ifud_stanza *st)
{
	bool v6 = st->m->kind == IFM_INET6_TUNNEL;
	struct nl_sock *ns;
	int idx;

	if (st->m->kind == IFM_INET_PPP)
		return ppp(r, st, false);
	if (st->m->kind == IFM_INET6_6TO4) {
		hook_show(r, "ip -6 route flush dev %s", st->iface);
		hook_show(r, "ip link set dev %s down", st->iface);
	}
	hook_show(r, "ip %stunnel del %s", v6 ? "-6 " : "", st->iface);
	if (r->o->no_act || run_nl(r, &ns) < 0)
		return 0;
	/* the routes and the address go with the link */
	idx = nl_link_index(ns, st->iface);
	if (idx > 0 && st->m->kind == IFM_INET6_6TO4)
		nl_link_set_up(ns, idx, false);
	if (idx < 0 || (idx = nl_link_del(ns, idx)) < 0)
		log_err(idx, "%s: ip tunnel del", st->iface);
	return 0;
}

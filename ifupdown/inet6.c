/* SPDX-License-Identifier: MIT */
/*
 * The inet6 methods (Debian inet6.defn for Linux) over netlink and
 * /proc/sys: static (sysctls, link up, address with nodad and
 * preferred_lft, default route, settle DAD), auto (SLAAC sysctls, then a
 * default route awaited for ll-attempts x ll-interval; udhcpc6 with
 * `dhcp`), dhcp (sysctls, link up, a link-local address out of DAD, then
 * udhcpc6, run by dhcp.c), manual, loopback.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <linux/if_addr.h>
#include <linux/rtnetlink.h>

#include "embnet/link.h"
#include "embnet/log.h"
#include "dhcp.h"
#include "meth.h"
#include "embnet/mono.h"
#include "embnet/parse.h"
#include "embnet/sysctl.h"

/* `sysctl -q -e -w net.ipv6.conf.IFACE.KEY=VALUE`; errors ignored. */
static void v6_sysctl(struct ifud_run *r, struct ifud_stanza *st,
		      const char *key, const char *value)
{
	char name[128], ifn[IFUD_NAME_LEN];

	if (!value)
		return;
	snprintf(ifn, sizeof(ifn), "%s", st->iface);
	for (char *p = ifn; *p; p++)
		if (*p == '.')
			*p = '/';
	snprintf(name, sizeof(name), "net.ipv6.conf.%s.%s", ifn, key);
	hook_show(r, "sysctl -q -e -w %s=%s", name, value);
	if (!r->o->no_act)
		sysctl_write(name, value);
}

static void v6_sysctl_opt(struct ifud_run *r, struct ifud_stanza *st,
			  const char *key, const char *opt)
{
	char buf[64];

	v6_sysctl(r, st, key, meth_var(st, opt, buf, sizeof(buf)));
}

/* `ip addr flush dev I mngtmpaddr` when accept_ra is set and false. */
static void v6_flush_mngtmp(struct ifud_run *r, struct ifud_stanza *st, int idx)
{
	char act[ACT_LEN], buf[16];

	if (!meth_var(st, "accept_ra", buf, sizeof(buf)) ||
	    meth_var_true(st, "accept_ra"))
		return;
	snprintf(act, sizeof(act), "ip addr flush dev %s mngtmpaddr",
		 st->iface);
	meth_flush(r, idx, AF_INET6, -1, IFA_F_MANAGETEMPADDR, act);
}

static int lifetime(const char *s, uint32_t *v)
{
	if (strcmp(s, "forever") == 0)
		return *v = NL_ADDR_FOREVER, 0;
	return parse_u32(s, v);
}

/* `ip -6 addr add A[/N] [scope S] dev I [preferred_lft P] [nodad]` */
static int v6_addr(struct ifud_stanza *st, int idx, struct nl_addr *a,
		   char *act, bool add)
{
	char ab[64], nb[16], sb[32], lb[32];
	const char *addr = meth_var(st, "address", ab, sizeof(ab));
	const char *mask = meth_var(st, "netmask", nb, sizeof(nb));
	const char *scope = meth_var(st, "scope", sb, sizeof(sb));
	const char *lft =
		add ? meth_var(st, "preferred-lifetime", lb, sizeof(lb)) : NULL;
	bool nodad = add && ifp_opt_get(&st->opts, "dad-attempts") &&
		     *ifp_opt_get(&st->opts, "dad-attempts") &&
		     !meth_var_true(st, "dad-attempts");
	int p = 128;

	memset(a, 0, sizeof(*a));
	a->family = AF_INET6;
	a->index = idx;
	snprintf(act, ACT_LEN, "ip -6 addr %s %s%s%s%s%s dev %s%s%s%s",
		 add ? "add" : "del", addr ? addr : "", mask ? "/" : "",
		 mask ? mask : "", scope ? " scope " : "", scope ? scope : "",
		 st->iface, lft ? " preferred_lft " : "", lft ? lft : "",
		 nodad ? " nodad" : "");
	if (!addr || ip_parse(addr, AF_INET6, &a->local) < 0 ||
	    (mask && parse_int(mask, 0, 128, &p) < 0) ||
	    (lft && lifetime(lft, &a->preferred_lft) < 0) ||
	    (scope && nl_route_scope_parse(scope, &a->scope) < 0))
		return -EINVAL;
	a->prefixlen = (uint8_t)p;
	if (lft)
		a->valid_lft = NL_ADDR_FOREVER;
	if (nodad)
		a->flags |= IFA_F_NODAD;
	return 0;
}

/* settle-dad.sh: waits dad-attempts x dad-interval for DAD to finish. */
static int v6_settle_dad(struct ifud_run *r, struct ifud_stanza *st, int idx,
			 const struct nl_addr *want)
{
	char ib[32];
	const char *iv = meth_var(st, "dad-interval", ib, sizeof(ib));
	int attempts = atoi(ifp_opt_get(&st->opts, "dad-attempts"));
	int step = iv ? (int)(atof(iv) * 1000) : 100;

	for (int i = 0; i <= attempts; i++) {
		struct nl_addr a[16];
		size_t n = 0;
		bool tentative = false;

		nl_addr_dump(&r->nl, AF_INET6, idx, a, 16, &n);
		for (size_t j = 0; j < n; j++) {
			if (!ip_equal(&a[j].local, &want->local))
				continue;
			if (a[j].flags & IFA_F_DADFAILED) {
				log_warn("%s: duplicate address detected",
					 st->iface);
				return -EADDRINUSE;
			}
			tentative = a[j].flags & IFA_F_TENTATIVE;
		}
		if (!tentative)
			return 0;
		usleep((useconds_t)(step > 0 ? step : 100) * 1000);
	}
	log_warn("%s: timed out waiting for DAD", st->iface);
	return 0;
}

static int static6_up(struct ifud_run *r, struct ifud_stanza *st, int idx)
{
	struct nl_addr a;
	char act[ACT_LEN];
	int err;

	v6_sysctl_opt(r, st, "use_tempaddr", "privext");
	v6_sysctl_opt(r, st, "accept_ra", "accept_ra");
	v6_sysctl_opt(r, st, "autoconf", "autoconf");
	v6_sysctl_opt(r, st, "mtu", "mtu");
	v6_flush_mngtmp(r, st, idx);
	if ((err = meth_link_set(r, st, idx, false)) < 0)
		return err;
	if (v6_addr(st, idx, &a, act, true) < 0)
		return meth_fail(r, -EINVAL, st->iface, act);
	if ((err = meth_addr(r, st, &a, act, true)) < 0)
		return err;
	if ((err = meth_gateway(r, st, idx, AF_INET6, GW_REPLACE)) < 0)
		return err;
	if (r->o->no_act || !meth_var_true(st, "dad-attempts"))
		return 0;
	return v6_settle_dad(r, st, idx, &a);
}

static int static6_down(struct ifud_run *r, struct ifud_stanza *st, int idx)
{
	struct nl_addr a;
	char act[ACT_LEN];

	meth_gateway(r, st, idx, AF_INET6, GW_DEL);
	if (v6_addr(st, idx, &a, act, false) == 0)
		meth_addr(r, st, &a, act, false);
	snprintf(act, sizeof(act), "ip -6 addr flush dev %s", st->iface);
	meth_flush(r, idx, AF_INET6, -1, 0, act);
	if (meth_is_link(st->iface))
		meth_link_down(r, st, idx);
	return 0;
}

static bool has_default6(struct ifud_run *r, int idx)
{
	struct nl_route rt[16];
	size_t n = 0;

	nl_route_dump(&r->nl, AF_INET6, 0, idx, rt, 16, &n);
	for (size_t i = 0; i < n; i++)
		if (rt[i].dst_len == 0)
			return true;
	return false;
}

/* No option of the method becomes a flag but udhcpc6_opts's words. */
static const char *const udhcpc6_opts[][2] = { { NULL, NULL } };

static const struct dhcp_client udhcpc6 = {
	.prog = "udhcpc6",
	.opts = udhcpc6_opts,
	.extra = "udhcpc6_opts",
	.missing = "No DHCPv6 client software found!",
};

static int bad_opt(struct ifud_stanza *st, const char *name, const char *v)
{
	log_warn("%s: invalid %s \"%s\"", st->iface, name, v);
	return -EINVAL;
}

/* ll-attempts and ll-interval, wait-for-ll6.sh's IF_LL_ATTEMPTS and
 * IF_LL_INTERVAL (60 and 0.1 s): 0, or -EINVAL said. */
static int ll_params(struct ifud_stanza *st, int *attempts, int *step_ms)
{
	char ab[32], ib[32];
	const char *at = meth_var(st, "ll-attempts", ab, sizeof(ab));
	const char *iv = meth_var(st, "ll-interval", ib, sizeof(ib));
	char *end = NULL;
	double sec = iv ? strtod(iv, &end) : 0.1;

	*attempts = 60;
	if (at && parse_int(at, 0, 1000000, attempts) < 0)
		return bad_opt(st, "ll-attempts", at);
	if (iv && (end == iv || *end || !(sec >= 0) || sec > 3600))
		return bad_opt(st, "ll-interval", iv);
	*step_ms = (int)(sec * 1000);
	return 0;
}

/* A link-local address whose DAD is done: `ip -6 -o a s dev I scope link
 * -tentative` of wait-for-ll6.sh. */
static bool has_ll6(struct ifud_run *r, int idx)
{
	struct nl_addr a[NL_ADDR_FLUSH_BATCH];
	size_t n = 0;

	nl_addr_dump(&r->nl, AF_INET6, idx, a, NL_ADDR_FLUSH_BATCH, &n);
	for (size_t i = 0; i < n; i++)
		if (a[i].scope == RT_SCOPE_LINK &&
		    !(a[i].flags & IFA_F_TENTATIVE))
			return true;
	return false;
}

/* wait-for-ll6.sh: up to @attempts checks @step_ms apart. */
static int wait_ll6(struct ifud_run *r, struct ifud_stanza *st, int idx,
		    int attempts, int step_ms)
{
	hook_show(r, "/lib/ifupdown/wait-for-ll6.sh");
	if (r->o->no_act || attempts == 0)
		return 0;
	for (int i = 0; i < attempts; i++) {
		if (has_ll6(r, idx))
			return 0;
		usleep((useconds_t)step_ms * 1000);
	}
	log_warn("%s: Could not get a link-local address", st->iface);
	return -ETIMEDOUT;
}

/* The link-local wait, then udhcpc6 with @flags. */
static int dhcp6_client(struct ifud_run *r, struct ifud_stanza *st, int idx,
			const char *flags)
{
	int attempts, step, err = ll_params(st, &attempts, &step);

	if (!err)
		err = wait_ll6(r, st, idx, attempts, step);
	return err ? err : dhcp_client_up(r, st, &udhcpc6, flags);
}

/* SLAAC: sysctls, link up, then a default route within ll-attempts; with
 * `dhcp`, udhcpc6 stateless (dhclient -6 -S), or for a prefix only with
 * request_prefix (dhclient -6 -P). */
static int auto6_up(struct ifud_run *r, struct ifud_stanza *st, int idx)
{
	char ib[32];
	const char *iv = meth_var(st, "ll-interval", ib, sizeof(ib));
	const char *at = ifp_opt_get(&st->opts, "ll-attempts");
	int attempts = at ? atoi(at) : 60;
	int step = iv ? (int)(atof(iv) * 1000) : 100;
	int err;

	v6_sysctl_opt(r, st, "use_tempaddr", "privext");
	v6_sysctl_opt(r, st, "accept_ra", "accept_ra");
	v6_sysctl(r, st, "autoconf", "1");
	v6_flush_mngtmp(r, st, idx);
	if ((err = meth_link_set(r, st, idx, false)) < 0)
		return err;
	for (int i = 0; !r->o->no_act && i < attempts && !has_default6(r, idx);
	     i++)
		usleep((useconds_t)(step > 0 ? step : 100) * 1000);
	if (!meth_var_true(st, "dhcp"))
		return 0;
	return dhcp6_client(r, st, idx,
			    meth_var_true(st, "request_prefix") ? "-r no -d"
								: "-l");
}

/* Stateful DHCPv6 (Debian's dhclient -6 [-P -N]): sysctls (and the
 * mngtmpaddr flush when accept_ra is false, as for static), link up, a
 * link-local address, then udhcpc6, with -d for request_prefix. */
static int dhcp6_up(struct ifud_run *r, struct ifud_stanza *st, int idx)
{
	int attempts, step, err = ll_params(st, &attempts, &step);

	if (err) /* checked before anything is changed */
		return err;
	v6_sysctl_opt(r, st, "accept_ra", "accept_ra");
	v6_sysctl_opt(r, st, "autoconf", "autoconf");
	v6_flush_mngtmp(r, st, idx);
	if ((err = meth_link_set(r, st, idx, false)) < 0)
		return err;
	return dhcp6_client(r, st, idx,
			    meth_var_true(st, "request_prefix") ? "-d" : "");
}

static int manual6_up(struct ifud_run *r, struct ifud_stanza *st, int idx)
{
	char hw[64];
	const char *hv = meth_var(st, "hwaddress", hw, sizeof(hw));

	v6_sysctl_opt(r, st, "mtu", "mtu");
	if (hv)
		hook_show(r, "ip link set dev %s address %s", st->iface, hv);
	hook_show(r, "ip link set dev %s up 2>/dev/null || true", st->iface);
	if (r->o->no_act)
		return 0;
	if (hv) {
		uint8_t mac[32];
		int n = parse_hwaddr(hv, mac, sizeof(mac));

		if (n < 0 || nl_link_set_addr(&r->nl, idx, mac, (size_t)n))
			return meth_fail(r, n < 0 ? n : -EINVAL, st->iface,
					 "ip link set address");
	}
	nl_link_set_up(&r->nl, idx, true);
	return 0;
}

int inet6_up(struct ifud_run *r, struct ifud_stanza *st, int idx)
{
	struct nl_addr a = { .family = AF_INET6,
			     .index = idx,
			     .prefixlen = 128 };

	switch (st->m->kind) {
	case IFM_INET6_STATIC:
		return static6_up(r, st, idx);
	case IFM_INET6_AUTO:
		return auto6_up(r, st, idx);
	case IFM_INET6_MANUAL:
		return manual6_up(r, st, idx);
	case IFM_INET6_DHCP:
		return dhcp6_up(r, st, idx);
	default: /* loopback on another link: errors ignored */
		hook_show(r, "ip link set dev %s up 2>/dev/null", st->iface);
		hook_show(r, "ip addr add dev %s ::1 2>/dev/null", st->iface);
		if (r->o->no_act)
			return 0;
		nl_link_set_up(&r->nl, idx, true);
		ip_parse("::1", AF_INET6, &a.local);
		nl_addr_add(&r->nl, &a);
		return 0;
	}
}

int inet6_down(struct ifud_run *r, struct ifud_stanza *st, int idx)
{
	char act[ACT_LEN];
	bool link = meth_is_link(st->iface);

	switch (st->m->kind) {
	case IFM_INET6_STATIC:
		return static6_down(r, st, idx);
	case IFM_INET6_AUTO:
		if (meth_var_true(st, "dhcp"))
			dhcp_client_stop(r, st, &udhcpc6);
		snprintf(act, sizeof(act),
			 "ip -6 addr flush dev %s scope global", st->iface);
		meth_flush(r, idx, AF_INET6, RT_SCOPE_UNIVERSE, 0, act);
		if (link)
			meth_link_down(r, st, idx);
		return 0;
	case IFM_INET6_DHCP:
		dhcp_client_stop(r, st, &udhcpc6); /* -R: it releases */
		if (link)
			meth_link_down(r, st, idx);
		return 0;
	case IFM_INET6_MANUAL:
		if (link || !r->o->all)
			meth_link_down(r, st, idx);
		return 0;
	default:
		meth_link_down(r, st, idx);
		return 0;
	}
}

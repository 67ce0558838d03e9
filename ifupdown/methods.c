/* SPDX-License-Identifier: MIT */
/*
 * The method table: which families and methods Debian ifupdown 0.8 knows
 * (inet.defn, inet6.defn, can.defn, ipx.defn), their required options and
 * defaults, and the computed options (conversions) its commands and hooks
 * see.  Pure.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>

#include "embnet/ip.h"
#include "interfaces.h"

static const char *const req_none[] = { NULL };
static const char *const req_addr[] = { "address", NULL };
/* in the order of their first use in the method's up commands */
static const char *const req_tun4[] = { "mode", "endpoint", "address",
					"netmask", NULL };
static const char *const req_tun6[] = { "mode", "endpoint", NULL };
static const char *const req_v4tun[] = { "address", "endpoint", NULL };
static const char *const req_6to4[] = { "local", NULL };
static const char *const req_can[] = { "bitrate", NULL };

static const struct ifm_default def_none[] = { { NULL, NULL } };
static const struct ifm_default def_static4[] = { { "broadcast", "+" },
						  { NULL, NULL } };
static const struct ifm_default def_auto6[] = {
	{ "accept_ra", "2" },	 { "request_prefix", "0" },
	{ "ll-attempts", "60" }, { "ll-interval", "0.1" },
	{ NULL, NULL },
};
static const struct ifm_default def_static6[] = {
	{ "autoconf", "0" },	  { "preferred-lifetime", "" },
	{ "dad-attempts", "60" }, { "dad-interval", "0.1" },
	{ NULL, NULL },
};
static const struct ifm_default def_dhcp6[] = {
	{ "accept_ra", "1" },	 { "request_prefix", "0" },
	{ "ll-attempts", "60" }, { "ll-interval", "0.1" },
	{ NULL, NULL },
};
static const struct ifm_default def_lft[] = { { "preferred-lifetime", "" },
					      { NULL, NULL } };

#define M(f, n, k, r, d)                                                       \
	{                                                                      \
		f, n, k, r, d                                                  \
	}
static const struct ifm_method methods[] = {
	M("inet", "loopback", IFM_INET_LOOPBACK, req_none, def_none),
	M("inet", "static", IFM_INET_STATIC, req_addr, def_static4),
	M("inet", "manual", IFM_INET_MANUAL, req_none, def_none),
	M("inet", "dhcp", IFM_INET_DHCP, req_none, def_none),
	M("inet", "bootp", IFM_UNSUPPORTED, req_none, def_none),
	M("inet", "tunnel", IFM_INET_TUNNEL, req_tun4, def_none),
	M("inet", "ppp", IFM_INET_PPP, req_none, def_none),
	M("inet", "wvdial", IFM_UNSUPPORTED, req_none, def_none),
	M("inet", "ipv4ll", IFM_UNSUPPORTED, req_none, def_none),
	M("inet6", "auto", IFM_INET6_AUTO, req_none, def_auto6),
	M("inet6", "loopback", IFM_INET6_LOOPBACK, req_none, def_none),
	M("inet6", "static", IFM_INET6_STATIC, req_addr, def_static6),
	M("inet6", "manual", IFM_INET6_MANUAL, req_none, def_none),
	M("inet6", "dhcp", IFM_INET6_DHCP, req_none, def_dhcp6),
	M("inet6", "v4tunnel", IFM_UNSUPPORTED, req_v4tun, def_lft),
	M("inet6", "6to4", IFM_INET6_6TO4, req_6to4, def_lft),
	M("inet6", "tunnel", IFM_INET6_TUNNEL, req_tun6, def_none),
	M("can", "static", IFM_UNSUPPORTED, req_can, def_none),
	M("ipx", "static", IFM_UNSUPPORTED, req_none, def_none),
	M("ipx", "dynamic", IFM_UNSUPPORTED, req_none, def_none),
};
#undef M

const struct ifm_method *ifm_find(const char *family, const char *name)
{
	for (size_t i = 0; i < sizeof(methods) / sizeof(methods[0]); i++)
		if (strcmp(methods[i].family, family) == 0 &&
		    strcmp(methods[i].name, name) == 0)
			return &methods[i];
	return NULL;
}

bool ifm_family_known(const char *family)
{
	for (size_t i = 0; i < sizeof(methods) / sizeof(methods[0]); i++)
		if (strcmp(methods[i].family, family) == 0)
			return true;
	return false;
}

/* Copies the first line of @v, cut at @stop, into @buf. */
static void first_part(const char *v, char stop, char *buf, size_t len)
{
	size_t n = 0;

	while (v[n] && v[n] != '\n' && v[n] != stop && n + 1 < len)
		n++;
	memcpy(buf, v, n);
	buf[n] = '\0';
}

/* compute_v4_mask: /N of the address, else its class (A, B, C, else /32). */
static int v4_prefix(const char *address)
{
	const char *slash = strchr(address, '/');
	struct ip_addr a;
	char buf[64];

	if (slash) {
		first_part(slash + 1, '/', buf, sizeof(buf));
		return ip_parse_netmask(buf);
	}
	first_part(address, '/', buf, sizeof(buf));
	if (ip_parse(buf, AF_INET, &a) < 0)
		return -EINVAL;
	if (a.b[0] < 128)
		return 8;
	if (a.b[0] < 192)
		return 16;
	return a.b[0] < 224 ? 24 : 32;
}

/* compute_v4_broadcast: '+' and '-' with a dotted netmask. */
static int v4_broadcast(struct ifp_opts *o)
{
	const char *b = ifp_opt_get(o, "broadcast");
	const char *mask = ifp_opt_get(o, "netmask");
	const char *addr = ifp_opt_get(o, "address");
	char buf[INET_ADDRSTRLEN], tmp[64];
	struct ip_addr a;
	struct in_addr r;
	int p;

	if (!b || !mask || !addr || (strcmp(b, "+") && strcmp(b, "-")))
		return 0;
	first_part(addr, '/', tmp, sizeof(tmp));
	if (!strchr(mask, '.') || ip_parse(tmp, AF_INET, &a) < 0)
		return 0;
	p = ip_parse_netmask(mask);
	if (p < 0)
		return 0;
	r = ip_broadcast(a.v4, p);
	if (b[0] == '-')
		r.s_addr = a.v4.s_addr & ip_mask(p).s_addr;
	inet_ntop(AF_INET, &r, buf, sizeof(buf));
	return ifp_opt_set(o, "broadcast", buf, false);
}

/* Keeps the part of option @name before the first '/'. */
static int cut_prefix(struct ifp_opts *o, const char *name)
{
	const char *v = ifp_opt_get(o, name);
	char *d, *slash;
	int err;

	if (!v || !(slash = strchr(v, '/')))
		return 0;
	d = strndup(v, (size_t)(slash - v));
	if (!d)
		return -ENOMEM;
	err = ifp_opt_set(o, name, d, false);
	free(d);
	return err;
}

static int conv_static4(struct ifp_opts *o)
{
	const char *addr = ifp_opt_get(o, "address");
	char buf[INET_ADDRSTRLEN];
	int p, err;

	if (addr && !ifp_opt_get(o, "netmask") && (p = v4_prefix(addr)) >= 0) {
		struct in_addr m = ip_mask(p);

		inet_ntop(AF_INET, &m, buf, sizeof(buf));
		err = ifp_opt_set(o, "netmask", buf, true);
		if (err < 0)
			return err;
	}
	err = v4_broadcast(o);
	return err < 0 ? err : cut_prefix(o, "address");
}

static int conv_static6(struct ifp_opts *o)
{
	const char *addr = ifp_opt_get(o, "address");
	const char *slash;
	char buf[64] = "";
	int err;

	if (addr) {
		slash = strchr(addr, '/');
		if (slash)
			first_part(slash + 1, '/', buf, sizeof(buf));
		err = ifp_opt_set(o, "netmask", buf, true);
		if (err < 0 || (err = cut_prefix(o, "address")) < 0)
			return err;
	}
	if (ifp_opt_get(o, "gateway"))
		return ifp_opt_set(o, "accept_ra", "0", true);
	return 0;
}

/* make_hex_address (6to4): local a.b.c.d as hexaddress "aabb:ccdd". */
static int conv_6to4(struct ifp_opts *o)
{
	const char *local = ifp_opt_get(o, "local");
	struct ip_addr a;
	char buf[16];

	if (!local || ip_parse(local, AF_INET, &a) < 0)
		return 0;
	snprintf(buf, sizeof(buf), "%02x%02x:%02x%02x", a.b[0], a.b[1], a.b[2],
		 a.b[3]);
	return ifp_opt_set(o, "hexaddress", buf, false);
}

/* cleanup_hwaddress: "ether X" is X; "random" a local unicast MAC. */
static int conv_hwaddr(struct ifp_opts *o, const unsigned char rnd[6])
{
	const char *v = ifp_opt_get(o, "hwaddress");
	char buf[32];

	if (!v)
		return 0;
	if (strncmp(v, "ether ", 6) == 0) {
		snprintf(buf, sizeof(buf), "%s", v + 6);
		return ifp_opt_set(o, "hwaddress", v + 6 + strspn(v + 6, " "),
				   false);
	}
	if (strcmp(v, "random") != 0)
		return 0;
	snprintf(buf, sizeof(buf), "%02x:%02x:%02x:%02x:%02x:%02x",
		 (rnd[0] & 0xfe) | 0x02, rnd[1], rnd[2], rnd[3], rnd[4],
		 rnd[5]);
	return ifp_opt_set(o, "hwaddress", buf, false);
}

static int apply_extra(struct ifp_opts *o, const struct ifp_opts *extra)
{
	for (size_t i = 0; extra && i < extra->n; i++) {
		const struct ifp_opt *e = &extra->v[i];
		int err;

		if (!e->value[0]) {
			if (!ifp_is_hook(e->name))
				ifp_opt_del(o, e->name);
			continue;
		}
		err = ifp_opt_set(o, e->name, e->value, false);
		if (err < 0)
			return err;
	}
	return 0;
}

int ifm_compute(const struct ifm_method *m, struct ifp_opts *o,
		const struct ifp_opts *extra, const unsigned char rnd[6])
{
	int err = 0;

	for (const struct ifm_default *d = m->defaults; d->name && !err; d++)
		err = ifp_opt_set(o, d->name, d->value, true);
	if (err < 0 || (err = apply_extra(o, extra)) < 0)
		return err;
	if (m->kind != IFM_INET_LOOPBACK && m->kind != IFM_INET6_LOOPBACK &&
	    (err = conv_hwaddr(o, rnd)) < 0)
		return err;
	if (m->kind == IFM_INET_STATIC)
		return conv_static4(o);
	if (m->kind == IFM_INET6_STATIC)
		return conv_static6(o);
	if (m->kind == IFM_INET6_6TO4)
		return conv_6to4(o);
	return 0;
}

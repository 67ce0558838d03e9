// SPDX-License-Identifier: MIT
/*
 * nltool route: add|replace|del DST[/LEN]|default [via GW] [dev DEV]
 *                   [metric N] [table N] [scope S] [onlink] [src A]
 *                   [proto N] [-6]
 *               dump [4|6] [table N] [dev DEV]
 */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include <linux/rtnetlink.h>

#include "embnet/ip.h"
#include "embnet/link.h"
#include "embnet/nl.h"
#include "nltool.h"
#include "embnet/parse.h"
#include "embnet/route.h"

#define DUMP_MAX 512

static int usage(void)
{
	fprintf(stderr, "usage: nltool route add|replace|del DST/LEN [opts]"
			" | dump [4|6] [table N] [dev DEV]\n");
	return 2;
}

static int parse_u8(const char *s, uint8_t *out)
{
	uint32_t v;

	if (parse_u32(s, &v) < 0 || v > 255)
		return -EINVAL;
	*out = (uint8_t)v;
	return 0;
}

static int parse_dev(struct nl_sock *ns, const char *name, int *oif)
{
	*oif = nl_link_index(ns, name);
	return *oif < 0 ? *oif : 0;
}

/* One option with a value at argv[*i], argv[*i + 1]. */
static int parse_opt(struct nl_sock *ns, char **argv, int *i,
		     struct nl_route *r)
{
	const char *k = argv[*i], *v = argv[*i + 1];

	if (strcmp(k, "onlink") == 0) {
		r->flags |= RTNH_F_ONLINK;
		return 0;
	}
	if (!v)
		return -EINVAL;
	++*i;
	if (strcmp(k, "via") == 0)
		return ip_parse(v, AF_UNSPEC, &r->gateway);
	if (strcmp(k, "src") == 0)
		return ip_parse(v, AF_UNSPEC, &r->prefsrc);
	if (strcmp(k, "dev") == 0)
		return parse_dev(ns, v, &r->oif);
	if (strcmp(k, "metric") == 0)
		return parse_u32(v, &r->metric);
	if (strcmp(k, "table") == 0)
		return parse_u32(v, &r->table);
	if (strcmp(k, "scope") == 0)
		return nl_route_scope_parse(v, &r->scope);
	if (strcmp(k, "proto") == 0)
		return parse_u8(v, &r->protocol);
	return -EINVAL;
}

/* The family: the destination's, else the gateway's, else -6 or IPv4. */
static int parse_route(struct nl_sock *ns, int argc, char **argv,
		       struct nl_route *r)
{
	bool v6 = false;
	int i, len, err;

	memset(r, 0, sizeof(*r));
	if (argc < 1)
		return -EINVAL;
	if (strcmp(argv[0], "default") != 0) {
		if (ip_parse_cidr(argv[0], AF_UNSPEC, &r->dst, &len) < 0)
			return -EINVAL;
		r->dst_len =
			(uint8_t)(len < 0 ? ip_prefix_max(r->dst.family) : len);
	}
	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "-6") == 0) {
			v6 = true;
			continue;
		}
		err = parse_opt(ns, argv, &i, r);
		if (err < 0)
			return err;
	}
	if (r->dst.family)
		r->family = r->dst.family;
	else if (r->gateway.family)
		r->family = r->gateway.family;
	else
		r->family = v6 ? AF_INET6 : AF_INET;
	return 0;
}

static void print_route(const struct nl_route *r)
{
	char d[IP_STRLEN], g[IP_STRLEN], s[IP_STRLEN];

	if (r->dst.family == AF_UNSPEC && r->dst_len == 0)
		strcpy(d, "default");
	else
		ip_format(&r->dst, d, sizeof(d));
	printf("family=%s\ndst=%s\ndst_len=%u\ngateway=%s\nprefsrc=%s\n"
	       "oif=%d\nmetric=%u\ntable=%u\nscope=%u\nprotocol=%u\n"
	       "type=%u\nflags=0x%x\n\n",
	       r->family == AF_INET ? "inet" : "inet6", d, r->dst_len,
	       ip_format(&r->gateway, g, sizeof(g)),
	       ip_format(&r->prefsrc, s, sizeof(s)), r->oif, r->metric,
	       r->table, r->scope, r->protocol, r->type, r->flags);
}

static int parse_dump_args(struct nl_sock *ns, int argc, char **argv,
			   int *family, uint32_t *table, int *oif)
{
	int i, err = 0;

	for (i = 0; i < argc; i++) {
		const char *v = i + 1 < argc ? argv[i + 1] : NULL;

		if (strcmp(argv[i], "4") == 0)
			*family = AF_INET;
		else if (strcmp(argv[i], "6") == 0)
			*family = AF_INET6;
		else if (strcmp(argv[i], "table") == 0 && v && ++i)
			err = parse_u32(v, table);
		else if (strcmp(argv[i], "dev") == 0 && v && ++i)
			err = parse_dev(ns, v, oif);
		else
			return -EINVAL;
		if (err < 0)
			return err == -ERANGE ? -EINVAL : err;
	}
	return 0;
}

static int do_dump(struct nl_sock *ns, int argc, char **argv)
{
	struct nl_route out[DUMP_MAX];
	int family = AF_UNSPEC, oif = 0;
	uint32_t table = 0;
	size_t i, n;
	int err;

	err = parse_dump_args(ns, argc, argv, &family, &table, &oif);
	if (err == -EINVAL)
		return usage();
	if (err < 0)
		return nltool_fail(ns, err, "dev");
	err = nl_route_dump(ns, family, table, oif, out, DUMP_MAX, &n);
	if (err < 0)
		return nltool_fail(ns, err, "route dump");
	for (i = 0; i < n; i++)
		print_route(&out[i]);
	return 0;
}

static int do_change(struct nl_sock *ns, const char *op, int argc, char **argv)
{
	struct nl_route r;
	int err;

	err = parse_route(ns, argc, argv, &r);
	if (err == -EINVAL)
		return usage();
	if (err < 0)
		return nltool_fail(ns, err, "dev");
	if (strcmp(op, "add") == 0)
		err = nl_route_add(ns, &r);
	else if (strcmp(op, "replace") == 0)
		err = nl_route_replace(ns, &r);
	else
		err = nl_route_del(ns, &r);
	return err < 0 ? nltool_fail(ns, err, op) : 0;
}

int nltool_route(int argc, char **argv)
{
	struct nl_sock ns;
	const char *op;
	int err, ret;

	if (argc < 2)
		return usage();
	op = argv[1];
	if (strcmp(op, "add") && strcmp(op, "replace") && strcmp(op, "del") &&
	    strcmp(op, "dump"))
		return usage();
	err = nl_open(&ns, NETLINK_ROUTE);
	if (err < 0)
		return nltool_fail(NULL, err, "open");
	if (strcmp(op, "dump") == 0)
		ret = do_dump(&ns, argc - 2, argv + 2);
	else
		ret = do_change(&ns, op, argc - 2, argv + 2);
	nl_close(&ns);
	return ret;
}

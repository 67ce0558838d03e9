// SPDX-License-Identifier: MIT
/*
 * nltool addr: add|replace DEV CIDR [broadcast B|+] [peer P[/LEN]] [scope S]
 *                  [label L] [valid N|forever] [preferred N|forever] [nodad]
 *                  [noprefixroute]
 *              del DEV CIDR [peer P[/LEN]] [label L]
 *              flush DEV [4|6]
 *              dump [DEV] [4|6]
 */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include <linux/if_addr.h>
#include <linux/rtnetlink.h>

#include "embnet/addr.h"
#include "embnet/route.h"
#include "embnet/ip.h"
#include "embnet/link.h"
#include "embnet/nl.h"
#include "nltool.h"
#include "embnet/parse.h"

#define DUMP_MAX 256

static int usage(void)
{
	fprintf(stderr, "usage: nltool addr add|replace|del DEV CIDR [opts]"
			" | flush DEV [4|6] | dump [DEV] [4|6]\n");
	return 2;
}

static int parse_lft(const char *s, uint32_t *v)
{
	if (strcmp(s, "forever") == 0) {
		*v = NL_ADDR_FOREVER;
		return 0;
	}
	return parse_u32(s, v);
}

static int parse_peer(const char *s, struct nl_addr *a)
{
	int len;

	if (ip_parse_cidr(s, a->family, &a->address, &len) < 0)
		return -EINVAL;
	/* as ip: the prefix is the peer's, a host route by default */
	a->prefixlen = (uint8_t)(len < 0 ? ip_prefix_max(a->family) : len);
	return 0;
}

static int parse_label(const char *v, struct nl_addr *a)
{
	if (strlen(v) >= sizeof(a->label))
		return -EINVAL;
	strcpy(a->label, v);
	return 0;
}

/* One option at argv[*i], its value if any at argv[*i + 1]. */
static int parse_opt(char **argv, int *i, struct nl_addr *a, bool *brd_plus)
{
	const char *k = argv[*i], *v = argv[*i + 1];

	if (strcmp(k, "nodad") == 0) {
		a->flags |= IFA_F_NODAD;
		return 0;
	}
	if (strcmp(k, "noprefixroute") == 0) {
		a->flags |= IFA_F_NOPREFIXROUTE;
		return 0;
	}
	if (!v)
		return -EINVAL;
	++*i;
	if (strcmp(k, "broadcast") == 0 && strcmp(v, "+") == 0)
		*brd_plus = true;
	else if (strcmp(k, "broadcast") == 0)
		return ip_parse(v, AF_INET, &a->broadcast);
	else if (strcmp(k, "peer") == 0)
		return parse_peer(v, a);
	else if (strcmp(k, "scope") == 0)
		return nl_route_scope_parse(v, &a->scope);
	else if (strcmp(k, "label") == 0)
		return parse_label(v, a);
	else if (strcmp(k, "valid") == 0)
		return parse_lft(v, &a->valid_lft);
	else if (strcmp(k, "preferred") == 0)
		return parse_lft(v, &a->preferred_lft);
	else
		return -EINVAL;
	return 0;
}

/* argv: DEV CIDR [opts]; fills @a (index resolved with @ns). */
static int parse_addr(struct nl_sock *ns, int argc, char **argv,
		      struct nl_addr *a)
{
	bool brd_plus = false;
	int i, len;

	memset(a, 0, sizeof(*a));
	a->preferred_lft = NL_ADDR_FOREVER;
	if (argc < 2 || ip_parse_cidr(argv[1], AF_UNSPEC, &a->local, &len) < 0)
		return -EINVAL;
	a->family = a->local.family;
	a->prefixlen = (uint8_t)(len < 0 ? ip_prefix_max(a->family) : len);
	for (i = 2; i < argc; i++) {
		if (parse_opt(argv, &i, a, &brd_plus) < 0)
			return -EINVAL;
	}
	if (brd_plus && a->family == AF_INET) {
		a->broadcast.family = AF_INET;
		a->broadcast.v4 = ip_broadcast(a->local.v4, a->prefixlen);
	}
	a->index = nl_link_index(ns, argv[0]);
	return a->index < 0 ? a->index : 0;
}

static void print_addr(const struct nl_addr *a)
{
	char l[IP_STRLEN], p[IP_STRLEN], b[IP_STRLEN];

	printf("index=%d\nfamily=%s\nlocal=%s\nprefixlen=%u\naddress=%s\n"
	       "broadcast=%s\nscope=%u\nflags=0x%x\nlabel=%s\nvalid_lft=%u\n"
	       "preferred_lft=%u\n\n",
	       a->index, a->family == AF_INET ? "inet" : "inet6",
	       ip_format(&a->local, l, sizeof(l)), a->prefixlen,
	       ip_format(&a->address, p, sizeof(p)),
	       ip_format(&a->broadcast, b, sizeof(b)), a->scope, a->flags,
	       a->label, a->valid_lft, a->preferred_lft);
}

static int parse_family(const char *s, int *family)
{
	if (strcmp(s, "4") == 0)
		*family = AF_INET;
	else if (strcmp(s, "6") == 0)
		*family = AF_INET6;
	else
		return -EINVAL;
	return 0;
}

static int do_dump(struct nl_sock *ns, int argc, char **argv)
{
	struct nl_addr out[DUMP_MAX];
	int family = AF_UNSPEC, index = 0;
	size_t i, n;
	int err;

	for (i = 0; i < (size_t)argc; i++) {
		if (parse_family(argv[i], &family) == 0)
			continue;
		index = nl_link_index(ns, argv[i]);
		if (index < 0)
			return nltool_fail(ns, index, argv[i]);
	}
	err = nl_addr_dump(ns, family, index, out, DUMP_MAX, &n);
	if (err < 0)
		return nltool_fail(ns, err, "addr dump");
	for (i = 0; i < n; i++)
		print_addr(&out[i]);
	return 0;
}

static int do_flush(struct nl_sock *ns, int argc, char **argv)
{
	int family = AF_UNSPEC, index, err;

	if (argc < 1 || argc > 2 ||
	    (argc == 2 && parse_family(argv[1], &family) < 0))
		return usage();
	index = nl_link_index(ns, argv[0]);
	if (index < 0)
		return nltool_fail(ns, index, argv[0]);
	err = nl_addr_flush(ns, family, index);
	return err < 0 ? nltool_fail(ns, err, "addr flush") : 0;
}

static int do_change(struct nl_sock *ns, const char *op, int argc, char **argv)
{
	struct nl_addr a;
	int err;

	err = parse_addr(ns, argc, argv, &a);
	if (err == -EINVAL)
		return usage();
	if (err < 0)
		return nltool_fail(ns, err, argv[0]);
	if (strcmp(op, "add") == 0)
		err = nl_addr_add(ns, &a);
	else if (strcmp(op, "replace") == 0)
		err = nl_addr_replace(ns, &a);
	else
		err = nl_addr_del(ns, &a);
	return err < 0 ? nltool_fail(ns, err, op) : 0;
}

int nltool_addr(int argc, char **argv)
{
	struct nl_sock ns;
	const char *op;
	int err, ret;

	if (argc < 2)
		return usage();
	op = argv[1];
	if (strcmp(op, "add") && strcmp(op, "replace") && strcmp(op, "del") &&
	    strcmp(op, "flush") && strcmp(op, "dump"))
		return usage();
	err = nl_open(&ns, NETLINK_ROUTE);
	if (err < 0)
		return nltool_fail(NULL, err, "open");
	if (strcmp(op, "dump") == 0)
		ret = do_dump(&ns, argc - 2, argv + 2);
	else if (strcmp(op, "flush") == 0)
		ret = do_flush(&ns, argc - 2, argv + 2);
	else
		ret = do_change(&ns, op, argc - 2, argv + 2);
	nl_close(&ns);
	return ret;
}

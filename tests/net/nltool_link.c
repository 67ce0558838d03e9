// SPDX-License-Identifier: MIT
/*
 * nltool link: the link operations of lib/link.h on the command line.
 *
 *   get NAME | dump | index NAME | up NAME | down NAME | mtu NAME N |
 *   mac NAME XX:XX:.. | rename OLD NEW | alias NAME TEXT |
 *   vlan-add NAME PARENT VID | del NAME
 *
 * Links print as key=value lines, records separated by a blank line.
 */
#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <net/if.h>

#include <linux/netlink.h>
#include <libmnl/libmnl.h>

#include "embnet/link.h"
#include "embnet/parse.h"
#include "embnet/nl.h"
#include "nltool.h"

/* Prints @s with bytes outside printable ASCII as \xNN. */
static void print_escaped(const char *key, const char *s)
{
	printf("%s=", key);
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c < 0x20 || c >= 0x7f || c == '\\')
			printf("\\x%02x", c);
		else
			putchar(c);
	}
	putchar('\n');
}

static void print_link(const struct nl_link *l)
{
	char mac[NL_LINK_MAC_STRLEN];

	printf("index=%d\n", l->index);
	print_escaped("name", l->name);
	printf("flags=0x%x\nup=%d\nmtu=%u\n", l->flags, !!(l->flags & IFF_UP),
	       l->mtu);
	printf("addr=%s\n",
	       nl_link_format_addr(l->addr, l->addr_len, mac, sizeof(mac)));
	printf("operstate=%s\ncarrier=%d\ntype=%u\n",
	       nl_link_oper_name(l->operstate), nl_link_carrier_ok(l), l->type);
	printf("kind=%s\nlink=%d\n", l->kind, l->link);
	if (strcmp(l->kind, "vlan") == 0)
		printf("vlan_id=%u\n", l->vlan_id);
	print_escaped("alias", l->alias);
}

/* Resolves @name, reporting failure; returns the index or -1. */
static int index_of(struct nl_sock *ns, const char *name)
{
	int index = nl_link_index(ns, name);

	if (index < 0) {
		nltool_fail(ns, index, name);
		return -1;
	}
	return index;
}

static int op_get(struct nl_sock *ns, char **argv)
{
	struct nl_link l;
	int err;

	err = nl_link_get(ns, 0, argv[0], &l);
	if (err < 0)
		return nltool_fail(ns, err, "link get");
	print_link(&l);
	return 0;
}

static int dump_cb(const struct nl_link *l, void *data)
{
	int *n = data;

	if ((*n)++)
		putchar('\n');
	print_link(l);
	return MNL_CB_OK;
}

static void dump_restart(void *data)
{
	int *n = data;

	if (*n)
		printf("\nrestart=1\n");
}

static int op_dump(struct nl_sock *ns, char **argv)
{
	int n = 0;
	int err;

	(void)argv;
	err = nl_link_dump(ns, dump_cb, dump_restart, &n);
	if (err < 0)
		return nltool_fail(ns, err, "link dump");
	return 0;
}

static int op_index(struct nl_sock *ns, char **argv)
{
	int index = index_of(ns, argv[0]);

	if (index < 0)
		return 1;
	printf("index=%d\n", index);
	return 0;
}

static int op_updown(struct nl_sock *ns, char **argv, bool up)
{
	int index = index_of(ns, argv[0]);
	int err;

	if (index < 0)
		return 1;
	err = nl_link_set_up(ns, index, up);
	if (err < 0)
		return nltool_fail(ns, err,
				   up ? "link set up" : "link set down");
	return 0;
}

static int op_up(struct nl_sock *ns, char **argv)
{
	return op_updown(ns, argv, true);
}

static int op_down(struct nl_sock *ns, char **argv)
{
	return op_updown(ns, argv, false);
}

static int op_mtu(struct nl_sock *ns, char **argv)
{
	uint32_t mtu;
	int index, err;

	if (parse_u32(argv[1], &mtu) < 0) {
		fprintf(stderr, "nltool: link mtu: bad MTU \"%s\"\n", argv[1]);
		return 2;
	}
	index = index_of(ns, argv[0]);
	if (index < 0)
		return 1;
	err = nl_link_set_mtu(ns, index, mtu);
	if (err < 0)
		return nltool_fail(ns, err, "link set mtu");
	return 0;
}

static int op_mac(struct nl_sock *ns, char **argv)
{
	uint8_t addr[NL_LINK_ADDR_MAX];
	int len, index, err;

	len = parse_hwaddr(argv[1], addr, sizeof(addr));
	if (len < 0) {
		fprintf(stderr, "nltool: link mac: bad address \"%s\"\n",
			argv[1]);
		return 2;
	}
	index = index_of(ns, argv[0]);
	if (index < 0)
		return 1;
	err = nl_link_set_addr(ns, index, addr, (size_t)len);
	if (err < 0)
		return nltool_fail(ns, err, "link set mac");
	return 0;
}

static int op_rename(struct nl_sock *ns, char **argv)
{
	int index = index_of(ns, argv[0]);
	int err;

	if (index < 0)
		return 1;
	err = nl_link_set_name(ns, index, argv[1]);
	if (err < 0)
		return nltool_fail(ns, err, "link rename");
	return 0;
}

static int op_alias(struct nl_sock *ns, char **argv)
{
	int index = index_of(ns, argv[0]);
	int err;

	if (index < 0)
		return 1;
	err = nl_link_set_alias(ns, index, argv[1]);
	if (err < 0)
		return nltool_fail(ns, err, "link set alias");
	return 0;
}

static int op_vlan_add(struct nl_sock *ns, char **argv)
{
	uint32_t vid;
	int parent, err;

	if (parse_u32(argv[2], &vid) < 0 || vid > UINT16_MAX) {
		fprintf(stderr, "nltool: link vlan-add: bad VID \"%s\"\n",
			argv[2]);
		return 2;
	}
	parent = index_of(ns, argv[1]);
	if (parent < 0)
		return 1;
	err = nl_link_add_vlan(ns, argv[0], parent, (uint16_t)vid);
	if (err < 0)
		return nltool_fail(ns, err, "link add vlan");
	return 0;
}

static int op_del(struct nl_sock *ns, char **argv)
{
	int index = index_of(ns, argv[0]);
	int err;

	if (index < 0)
		return 1;
	err = nl_link_del(ns, index);
	if (err < 0)
		return nltool_fail(ns, err, "link del");
	return 0;
}

static const struct {
	const char *name;
	int n_args;
	int (*fn)(struct nl_sock *ns, char **argv);
} ops[] = {
	{ "get", 1, op_get },	  { "dump", 0, op_dump },
	{ "index", 1, op_index }, { "up", 1, op_up },
	{ "down", 1, op_down },	  { "mtu", 2, op_mtu },
	{ "mac", 2, op_mac },	  { "rename", 2, op_rename },
	{ "alias", 2, op_alias }, { "vlan-add", 3, op_vlan_add },
	{ "del", 1, op_del },
};

int nltool_link(int argc, char **argv)
{
	struct nl_sock ns;
	size_t i;
	int err;

	for (i = 0; argc >= 2 && i < sizeof(ops) / sizeof(ops[0]); i++) {
		if (strcmp(argv[1], ops[i].name) != 0)
			continue;
		if (argc - 2 != ops[i].n_args)
			break;
		err = nl_open(&ns, NETLINK_ROUTE);
		if (err < 0)
			return nltool_fail(NULL, err, "netlink open");
		err = ops[i].fn(&ns, argv + 2);
		nl_close(&ns);
		fflush(stdout);
		return err;
	}
	fprintf(stderr, "usage: nltool link get NAME | dump | index NAME | "
			"up NAME | down NAME | mtu NAME N | mac NAME ADDR | "
			"rename OLD NEW | alias NAME TEXT | "
			"vlan-add NAME PARENT VID | del NAME\n");
	return 2;
}

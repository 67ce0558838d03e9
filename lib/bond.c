// SPDX-License-Identifier: MIT
/*
 * Linux bonding over rtnetlink (see bond.h): the requests `ip link add
 * type bond`, `ip link set ... type bond OPT VAL` and `ip link set master`
 * send, the kernel's sysfs value tables (bond_options.c of Linux 6.1) for
 * parsing option text, and the bond and bond-slave data of RTM_NEWLINK.
 * Requests start, and are sent, with link.c's nl_link_msg()/nl_link_talk().
 */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <net/if.h>
#include <sys/socket.h>

#include <linux/if_link.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <libmnl/libmnl.h>

#include "embnet/bond.h"
#include "embnet/link.h"
#include "embnet/nl.h"

#define KIND "bond"

struct bond_val {
	const char *name;
	uint32_t value;
};

/* The kernel's value tables: names a sysfs write may use, in its order. */
static const struct bond_val modes[] = {
	{ "balance-rr", 0 },  { "active-backup", 1 },
	{ "balance-xor", 2 }, { "broadcast", 3 },
	{ "802.3ad", 4 },     { "balance-tlb", 5 },
	{ "balance-alb", 6 }, { NULL, 0 },
};
static const struct bond_val hashes[] = {
	{ "layer2", 0 },   { "layer3+4", 1 }, { "layer2+3", 2 },
	{ "encap2+3", 3 }, { "encap3+4", 4 }, { "vlan+srcmac", 5 },
	{ NULL, 0 },
};
static const struct bond_val rates[] = {
	{ "slow", 0 },
	{ "fast", 1 },
	{ NULL, 0 },
};
/* bond_intmax_tbl: the timers take 0..INT_MAX or these two names */
static const struct bond_val intmax[] = {
	{ "off", 0 },
	{ "maxval", INT_MAX },
	{ NULL, 0 },
};

static const struct bond_val *table(uint16_t attr, bool *range)
{
	*range = false;
	switch (attr) {
	case IFLA_BOND_MODE:
		return modes;
	case IFLA_BOND_XMIT_HASH_POLICY:
		return hashes;
	case IFLA_BOND_AD_LACP_RATE:
		return rates;
	case IFLA_BOND_MIIMON:
	case IFLA_BOND_UPDELAY:
	case IFLA_BOND_DOWNDELAY:
	case IFLA_BOND_ARP_INTERVAL:
		*range = true;
		return intmax;
	default:
		return NULL;
	}
}

/* The text is a number when it holds only digits and blanks (then the
 * kernel's sscanf %llu reads its first number). */
static bool numeric(const char *s)
{
	for (; *s; s++)
		if (!isdigit((unsigned char)*s) && !isspace((unsigned char)*s))
			return false;
	return true;
}

static int by_number(const struct bond_val *t, bool range, const char *text,
		     uint32_t *value)
{
	unsigned long long v;
	char *end;

	errno = 0;
	v = strtoull(text, &end, 10);
	if (end == text || errno)
		return -EINVAL;
	if (range) {
		if (v > INT_MAX)
			return -EINVAL;
		*value = (uint32_t)v;
		return 0;
	}
	for (; t->name; t++)
		if (t->value == v) {
			*value = t->value;
			return 0;
		}
	return -EINVAL;
}

int nl_bond_value_parse(uint16_t attr, const char *text, uint32_t *value)
{
	bool range;
	const struct bond_val *t = table(attr, &range);
	char word[33];

	if (!t)
		return -EOPNOTSUPP;
	if (numeric(text))
		return by_number(t, range, text, value);
	if (sscanf(text, "%32s", word) != 1)
		return -EINVAL;
	if (strcmp(word, "default") == 0) { /* the first entry, as in 6.1 */
		*value = t->value;
		return 0;
	}
	for (; t->name; t++)
		if (strcmp(word, t->name) == 0) {
			*value = t->value;
			return 0;
		}
	return -EINVAL;
}

/* The attributes we read: nl_attr_strcpy() checks the name's NUL. */
static const struct nl_policy link_pol[IFLA_MAX + 1] = {
	[IFLA_IFNAME] = { NL_A_BINARY, 2, IFNAMSIZ },
	[IFLA_MASTER] = { .kind = NL_A_U32 },
};

/* The kinds are compared byte for byte by is_kind(). */
static const struct nl_policy info_pol[IFLA_INFO_MAX + 1] = {
	[IFLA_INFO_KIND] = { NL_A_BINARY, 1, 64 },
	[IFLA_INFO_SLAVE_KIND] = { NL_A_BINARY, 1, 64 },
};

static const struct nl_policy bond_pol[IFLA_BOND_MAX + 1] = {
	[IFLA_BOND_MODE] = { .kind = NL_A_U8 },
	[IFLA_BOND_XMIT_HASH_POLICY] = { .kind = NL_A_U8 },
	[IFLA_BOND_AD_LACP_RATE] = { .kind = NL_A_U8 },
	[IFLA_BOND_MIIMON] = { .kind = NL_A_U32 },
	[IFLA_BOND_UPDELAY] = { .kind = NL_A_U32 },
	[IFLA_BOND_DOWNDELAY] = { .kind = NL_A_U32 },
	[IFLA_BOND_ARP_INTERVAL] = { .kind = NL_A_U32 },
	[IFLA_BOND_PRIMARY] = { .kind = NL_A_U32 },
	[IFLA_BOND_ARP_IP_TARGET] = { .kind = NL_A_NESTED },
};

static bool is_kind(const struct nlattr *a)
{
	return a && mnl_attr_get_payload_len(a) == sizeof(KIND) &&
	       memcmp(mnl_attr_get_payload(a), KIND, sizeof(KIND)) == 0;
}

/* IFLA_BOND_ARP_IP_TARGET: one be32 per nested attribute. */
static int target_cb(const struct nlattr *a, void *data)
{
	struct nl_bond_link *out = data;

	if (mnl_attr_get_payload_len(a) != 4)
		return -EBADMSG;
	if (out->n_targets < NL_BOND_MAX_TARGETS)
		memcpy(&out->targets[out->n_targets++], mnl_attr_get_payload(a),
		       4);
	return 0;
}

static uint8_t u8_or(const struct nlattr *a)
{
	return a ? mnl_attr_get_u8(a) : 0;
}

static int parse_data(const struct nlattr *data, struct nl_bond_link *out)
{
	const struct nlattr *tb[IFLA_BOND_MAX + 1];

	if (nl_parse_nested(data, tb, IFLA_BOND_MAX, bond_pol) < 0)
		return -EBADMSG;
	out->mode = u8_or(tb[IFLA_BOND_MODE]);
	out->xmit_hash_policy = u8_or(tb[IFLA_BOND_XMIT_HASH_POLICY]);
	out->lacp_rate = u8_or(tb[IFLA_BOND_AD_LACP_RATE]);
	out->miimon = nl_attr_u32_or(tb[IFLA_BOND_MIIMON], 0);
	out->updelay = nl_attr_u32_or(tb[IFLA_BOND_UPDELAY], 0);
	out->downdelay = nl_attr_u32_or(tb[IFLA_BOND_DOWNDELAY], 0);
	out->arp_interval = nl_attr_u32_or(tb[IFLA_BOND_ARP_INTERVAL], 0);
	out->primary = (int)nl_attr_u32_or(tb[IFLA_BOND_PRIMARY], 0);
	if (tb[IFLA_BOND_ARP_IP_TARGET])
		return nl_nest_walk(tb[IFLA_BOND_ARP_IP_TARGET], target_cb, out)
			       ? -EBADMSG
			       : 0;
	return 0;
}

int nl_bond_parse(const struct nlmsghdr *nlh, struct nl_bond_link *out)
{
	const struct nlattr *tb[IFLA_MAX + 1], *ti[IFLA_INFO_MAX + 1];
	struct ifinfomsg ifi;

	memset(out, 0, sizeof(*out));
	if (nlh->nlmsg_type != RTM_NEWLINK && nlh->nlmsg_type != RTM_DELLINK)
		return -EPROTO;
	if (nl_parse_attrs(nlh, sizeof(ifi), tb, IFLA_MAX, link_pol) < 0)
		return -EBADMSG;
	memcpy(&ifi, mnl_nlmsg_get_payload(nlh), sizeof(ifi));
	out->index = ifi.ifi_index;
	out->flags = ifi.ifi_flags;
	if (tb[IFLA_IFNAME] &&
	    nl_attr_strcpy(tb[IFLA_IFNAME], out->name, sizeof(out->name)) < 0)
		return -EBADMSG;
	out->master = (int)nl_attr_u32_or(tb[IFLA_MASTER], 0);
	if (!tb[IFLA_LINKINFO])
		return 0;
	if (nl_parse_nested(tb[IFLA_LINKINFO], ti, IFLA_INFO_MAX, info_pol) < 0)
		return -EBADMSG;
	out->is_bond = is_kind(ti[IFLA_INFO_KIND]);
	out->is_slave = is_kind(ti[IFLA_INFO_SLAVE_KIND]);
	if (out->is_bond && ti[IFLA_INFO_DATA])
		return parse_data(ti[IFLA_INFO_DATA], out);
	return 0;
}

struct nlmsghdr *nl_bond_add_msg(void *buf, const char *name)
{
	struct nlattr *info;
	struct nlmsghdr *nlh = nl_link_new_msg(buf, name, KIND, &info);

	if (nlh)
		mnl_attr_nest_end(nlh, info);
	return nlh;
}

static size_t width(uint16_t attr)
{
	bool range;

	if (attr == IFLA_BOND_PRIMARY)
		return 4;
	if (!table(attr, &range))
		return 0;
	return range ? 4 : 1;
}

/* IFLA_LINKINFO { KIND "bond", DATA { ... } }: the nests it opens. */
static struct nlmsghdr *data_start(void *buf, int index, struct nlattr **info,
				   struct nlattr **data)
{
	struct nlmsghdr *nlh = nl_link_msg(buf, RTM_NEWLINK, 0, index);
	size_t sz = MNL_SOCKET_BUFFER_SIZE;

	if (!(*info = mnl_attr_nest_start_check(nlh, sz, IFLA_LINKINFO)) ||
	    !mnl_attr_put_strz_check(nlh, sz, IFLA_INFO_KIND, KIND) ||
	    !(*data = mnl_attr_nest_start_check(nlh, sz, IFLA_INFO_DATA)))
		return NULL;
	return nlh;
}

struct nlmsghdr *nl_bond_set_msg(void *buf, int index, uint16_t attr,
				 uint32_t value)
{
	struct nlattr *info, *data;
	struct nlmsghdr *nlh;
	uint8_t v8 = (uint8_t)value;
	size_t w = width(attr);

	if (w == 0 || !(nlh = data_start(buf, index, &info, &data)) ||
	    !mnl_attr_put_check(nlh, MNL_SOCKET_BUFFER_SIZE, attr, w,
				w == 1 ? (const void *)&v8 : &value))
		return NULL;
	mnl_attr_nest_end(nlh, data);
	mnl_attr_nest_end(nlh, info);
	return nlh;
}

struct nlmsghdr *nl_bond_targets_msg(void *buf, int index,
				     const uint32_t *targets, size_t n)
{
	size_t sz = MNL_SOCKET_BUFFER_SIZE;
	struct nlattr *info, *data, *list;
	struct nlmsghdr *nlh;

	if (n > NL_BOND_MAX_TARGETS ||
	    !(nlh = data_start(buf, index, &info, &data)) ||
	    !(list = mnl_attr_nest_start_check(nlh, sz,
					       IFLA_BOND_ARP_IP_TARGET)))
		return NULL;
	for (size_t i = 0; i < n; i++)
		if (!mnl_attr_put_check(nlh, sz, (uint16_t)i, 4, &targets[i]))
			return NULL;
	mnl_attr_nest_end(nlh, list);
	mnl_attr_nest_end(nlh, data);
	mnl_attr_nest_end(nlh, info);
	return nlh;
}

struct nlmsghdr *nl_bond_enslave_msg(void *buf, int index, int master)
{
	return nl_link_set_master_msg(buf, index, master);
}

int nl_bond_add(struct nl_sock *ns, const char *name)
{
	char buf[MNL_SOCKET_BUFFER_SIZE] NL_ALIGNED;

	return nl_link_talk(ns, nl_bond_add_msg(buf, name));
}

int nl_bond_set(struct nl_sock *ns, int index, uint16_t attr, uint32_t value)
{
	char buf[MNL_SOCKET_BUFFER_SIZE] NL_ALIGNED;

	return nl_link_talk(ns, nl_bond_set_msg(buf, index, attr, value));
}

int nl_bond_set_targets(struct nl_sock *ns, int index, const uint32_t *targets,
			size_t n)
{
	char buf[MNL_SOCKET_BUFFER_SIZE] NL_ALIGNED;

	return nl_link_talk(ns, nl_bond_targets_msg(buf, index, targets, n));
}

int nl_bond_enslave(struct nl_sock *ns, int index, int master)
{
	char buf[MNL_SOCKET_BUFFER_SIZE] NL_ALIGNED;

	return nl_link_talk(ns, nl_bond_enslave_msg(buf, index, master));
}

static int reply(const struct nlmsghdr *nlh, void *out)
{
	return nl_bond_parse(nlh, out);
}

int nl_bond_get(struct nl_sock *ns, const char *name, struct nl_bond_link *out)
{
	return nl_link_get_with(ns, 0, name, reply, out);
}

struct slaves_ctx {
	int master;
	struct nl_bond_link *v;
	size_t max, n;
};

static int slaves_cb(const struct nlmsghdr *nlh, void *data)
{
	struct slaves_ctx *c = data;
	struct nl_bond_link l;
	int err = nl_bond_parse(nlh, &l);

	if (err)
		return err;
	if (!l.is_slave || l.master != c->master)
		return MNL_CB_OK;
	if (c->n == c->max)
		return -E2BIG;
	c->v[c->n++] = l;
	return MNL_CB_OK;
}

static void slaves_restart(void *data)
{
	((struct slaves_ctx *)data)->n = 0;
}

int nl_bond_slaves(struct nl_sock *ns, int index, struct nl_bond_link *slaves,
		   size_t max, size_t *n)
{
	char buf[MNL_SOCKET_BUFFER_SIZE] NL_ALIGNED;
	struct nlmsghdr *nlh = nl_link_msg(buf, RTM_GETLINK, NLM_F_DUMP, 0);
	struct slaves_ctx c = { .master = index, .v = slaves, .max = max };
	int err;

	if (!mnl_attr_put_u32_check(nlh, sizeof(buf), IFLA_EXT_MASK,
				    RTEXT_FILTER_SKIP_STATS))
		return -EINVAL;
	err = nl_dump(ns, nlh, slaves_cb, slaves_restart, &c);
	*n = err ? 0 : c.n;
	return err;
}

// SPDX-License-Identifier: MIT
/*
 * Linux bridges over rtnetlink (see bridge.h): the requests `ip link add
 * type bridge`, `ip link set ... type bridge[_slave]`, `ip link set master`
 * send, and the bridge and port data of RTM_NEWLINK replies (attribute
 * policies link_pol, info_pol, br_pol and port_pol).  Requests start, and
 * are sent, with link.c's nl_link_msg()/nl_link_talk().
 */
#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <net/if.h>
#include <sys/socket.h>

#include <linux/if_link.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <libmnl/libmnl.h>

#include "embnet/bridge.h"
#include "embnet/link.h"
#include "embnet/nl.h"

#define KIND "bridge"

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

static const struct nl_policy br_pol[IFLA_BR_MAX + 1] = {
	[IFLA_BR_FORWARD_DELAY] = { .kind = NL_A_U32 },
};

static const struct nl_policy port_pol[IFLA_BRPORT_MAX + 1] = {
	[IFLA_BRPORT_STATE] = { .kind = NL_A_U8 },
};

/* A kind attribute is "bridge": the kernel sends it with its NUL. */
static bool is_kind(const struct nlattr *a)
{
	return a && mnl_attr_get_payload_len(a) == sizeof(KIND) &&
	       memcmp(mnl_attr_get_payload(a), KIND, sizeof(KIND)) == 0;
}

static int parse_info(const struct nlattr *info, struct nl_bridge_link *out)
{
	const struct nlattr *ti[IFLA_INFO_MAX + 1], *tb[IFLA_BR_MAX + 1];
	const struct nlattr *tp[IFLA_BRPORT_MAX + 1];

	if (nl_parse_nested(info, ti, IFLA_INFO_MAX, info_pol) < 0)
		return -EBADMSG;
	out->is_bridge = is_kind(ti[IFLA_INFO_KIND]);
	out->is_port = is_kind(ti[IFLA_INFO_SLAVE_KIND]);
	if (out->is_bridge && ti[IFLA_INFO_DATA]) {
		if (nl_parse_nested(ti[IFLA_INFO_DATA], tb, IFLA_BR_MAX,
				    br_pol) < 0)
			return -EBADMSG;
		if (tb[IFLA_BR_FORWARD_DELAY])
			out->forward_delay =
				mnl_attr_get_u32(tb[IFLA_BR_FORWARD_DELAY]);
	}
	if (out->is_port && ti[IFLA_INFO_SLAVE_DATA]) {
		if (nl_parse_nested(ti[IFLA_INFO_SLAVE_DATA], tp,
				    IFLA_BRPORT_MAX, port_pol) < 0)
			return -EBADMSG;
		if (tp[IFLA_BRPORT_STATE])
			out->port_state =
				mnl_attr_get_u8(tp[IFLA_BRPORT_STATE]);
	}
	return 0;
}

int nl_bridge_parse(const struct nlmsghdr *nlh, struct nl_bridge_link *out)
{
	const struct nlattr *tb[IFLA_MAX + 1];
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
	if (tb[IFLA_MASTER])
		out->master = (int)mnl_attr_get_u32(tb[IFLA_MASTER]);
	return tb[IFLA_LINKINFO] ? parse_info(tb[IFLA_LINKINFO], out) : 0;
}

struct nlmsghdr *nl_bridge_add_msg(void *buf, const char *name)
{
	struct nlattr *info;
	struct nlmsghdr *nlh = nl_link_new_msg(buf, name, KIND, &info);

	if (nlh)
		mnl_attr_nest_end(nlh, info);
	return nlh;
}

/* Width in bytes of the attributes we set: 0 for any other. */
static size_t br_width(uint16_t attr)
{
	switch (attr) {
	case IFLA_BR_FORWARD_DELAY:
	case IFLA_BR_HELLO_TIME:
	case IFLA_BR_MAX_AGE:
	case IFLA_BR_AGEING_TIME:
	case IFLA_BR_STP_STATE:
		return 4;
	case IFLA_BR_PRIORITY:
		return 2;
	case IFLA_BR_VLAN_FILTERING:
		return 1;
	default:
		return 0;
	}
}

static size_t port_width(uint16_t attr)
{
	switch (attr) {
	case IFLA_BRPORT_COST:
		return 4;
	case IFLA_BRPORT_PRIORITY:
		return 2;
	default:
		return 0;
	}
}

/* IFLA_LINKINFO { @kind_attr "bridge", @data_attr { @attr: @value } }. */
static struct nlmsghdr *info_msg(void *buf, int index, uint16_t kind_attr,
				 uint16_t data_attr, uint16_t attr,
				 size_t width, uint32_t value)
{
	struct nlmsghdr *nlh = nl_link_msg(buf, RTM_NEWLINK, 0, index);
	size_t sz = MNL_SOCKET_BUFFER_SIZE;
	struct nlattr *info, *data;
	uint16_t v16 = (uint16_t)value;
	uint8_t v8 = (uint8_t)value;
	const void *v = &value;

	if (width == 2)
		v = &v16;
	else if (width == 1)
		v = &v8;
	if (width == 0 ||
	    !(info = mnl_attr_nest_start_check(nlh, sz, IFLA_LINKINFO)) ||
	    !mnl_attr_put_strz_check(nlh, sz, kind_attr, KIND) ||
	    !(data = mnl_attr_nest_start_check(nlh, sz, data_attr)) ||
	    !mnl_attr_put_check(nlh, sz, attr, width, v))
		return NULL;
	mnl_attr_nest_end(nlh, data);
	mnl_attr_nest_end(nlh, info);
	return nlh;
}

struct nlmsghdr *nl_bridge_set_msg(void *buf, int index, uint16_t attr,
				   uint32_t value)
{
	return info_msg(buf, index, IFLA_INFO_KIND, IFLA_INFO_DATA, attr,
			br_width(attr), value);
}

struct nlmsghdr *nl_bridge_port_set_msg(void *buf, int index, uint16_t attr,
					uint32_t value)
{
	return info_msg(buf, index, IFLA_INFO_SLAVE_KIND, IFLA_INFO_SLAVE_DATA,
			attr, port_width(attr), value);
}

struct nlmsghdr *nl_bridge_master_msg(void *buf, int index, int master)
{
	return nl_link_set_master_msg(buf, index, master);
}

struct nlmsghdr *nl_bridge_addrgen_msg(void *buf, int index, uint8_t mode)
{
	struct nlmsghdr *nlh = nl_link_msg(buf, RTM_SETLINK, 0, index);
	size_t sz = MNL_SOCKET_BUFFER_SIZE;
	struct nlattr *spec, *af;

	if (!(spec = mnl_attr_nest_start_check(nlh, sz, IFLA_AF_SPEC)) ||
	    !(af = mnl_attr_nest_start_check(nlh, sz, AF_INET6)) ||
	    !mnl_attr_put_u8_check(nlh, sz, IFLA_INET6_ADDR_GEN_MODE, mode))
		return NULL;
	mnl_attr_nest_end(nlh, af);
	mnl_attr_nest_end(nlh, spec);
	return nlh;
}

int nl_bridge_add(struct nl_sock *ns, const char *name)
{
	char buf[MNL_SOCKET_BUFFER_SIZE] NL_ALIGNED;

	return nl_link_talk(ns, nl_bridge_add_msg(buf, name));
}

int nl_bridge_set(struct nl_sock *ns, int index, uint16_t attr, uint32_t value)
{
	char buf[MNL_SOCKET_BUFFER_SIZE] NL_ALIGNED;

	return nl_link_talk(ns, nl_bridge_set_msg(buf, index, attr, value));
}

int nl_bridge_port_set(struct nl_sock *ns, int index, uint16_t attr,
		       uint32_t value)
{
	char buf[MNL_SOCKET_BUFFER_SIZE] NL_ALIGNED;

	return nl_link_talk(ns,
			    nl_bridge_port_set_msg(buf, index, attr, value));
}

int nl_bridge_set_master(struct nl_sock *ns, int index, int master)
{
	char buf[MNL_SOCKET_BUFFER_SIZE] NL_ALIGNED;

	return nl_link_talk(ns, nl_bridge_master_msg(buf, index, master));
}

int nl_bridge_set_addrgen(struct nl_sock *ns, int index, uint8_t mode)
{
	char buf[MNL_SOCKET_BUFFER_SIZE] NL_ALIGNED;

	return nl_link_talk(ns, nl_bridge_addrgen_msg(buf, index, mode));
}

static int reply(const struct nlmsghdr *nlh, void *out)
{
	return nl_bridge_parse(nlh, out);
}

int nl_bridge_get(struct nl_sock *ns, const char *name,
		  struct nl_bridge_link *out)
{
	return nl_link_get_with(ns, 0, name, reply, out);
}

_Static_assert(sizeof(struct nl_bridge_link) <= NL_ELEM_MAX, "nl_dump_array()");

/* Keeps the ports of bridge *@data. */
static int port_cb(const struct nlmsghdr *nlh, void *elem, void *data)
{
	struct nl_bridge_link *l = elem;
	int err = nl_bridge_parse(nlh, l);

	if (err)
		return err;
	return l->is_port && l->master == *(const int *)data;
}

static int by_name(const void *a, const void *b)
{
	return strcmp(((const struct nl_bridge_link *)a)->name,
		      ((const struct nl_bridge_link *)b)->name);
}

int nl_bridge_ports(struct nl_sock *ns, int index, struct nl_bridge_link *ports,
		    size_t max, size_t *n)
{
	char buf[MNL_SOCKET_BUFFER_SIZE] NL_ALIGNED;
	struct nlmsghdr *nlh = nl_link_msg(buf, RTM_GETLINK, NLM_F_DUMP, 0);
	int err;

	*n = 0;
	if (!mnl_attr_put_u32_check(nlh, sizeof(buf), IFLA_EXT_MASK,
				    RTEXT_FILTER_SKIP_STATS))
		return -EINVAL;
	err = nl_dump_array(ns, nlh, port_cb, &index, ports, sizeof(*ports),
			    max, n);
	if (err < 0) {
		*n = 0;
		return err == -ENOSPC ? -E2BIG : err;
	}
	qsort(ports, *n, sizeof(*ports), by_name);
	return 0;
}

// SPDX-License-Identifier: MIT
/*
 * rtnetlink links (see link.h): the reply parser with its attribute
 * policies (link_pol, info_pol, vlan_pol), the request builders and the
 * operations built on them; nl_link_msg(), nl_link_new_msg(),
 * nl_link_set_master_msg(), nl_link_name_ok(), nl_link_talk() and
 * nl_link_get_with() also start, build, check, send and read the requests
 * of bridge.c, bond.c and tunnel.c.
 */
#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <net/if.h>
#include <sys/socket.h>

#include <linux/if_link.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <libmnl/libmnl.h>

#include "embnet/link.h"
#include "embnet/nl.h"

/* glibc's <net/if.h> stops at IFF_DYNAMIC; <linux/if.h> would clash. */
#ifndef IFF_LOWER_UP
#define IFF_LOWER_UP 0x10000
#endif

/* The attributes we read; the strings go through attr_str() too. */
static const struct nl_policy link_pol[IFLA_MAX + 1] = {
	[IFLA_ADDRESS] = { NL_A_BINARY, 1, NL_LINK_ADDR_MAX },
	[IFLA_IFNAME] = { NL_A_STRING, 2, IFNAMSIZ },
	[IFLA_MTU] = { .kind = NL_A_U32 },
	[IFLA_LINK] = { .kind = NL_A_U32 },
	[IFLA_OPERSTATE] = { .kind = NL_A_U8 },
	[IFLA_CARRIER] = { .kind = NL_A_U8 },
	[IFLA_IFALIAS] = { NL_A_STRING, 1, NL_LINK_ALIAS_LEN },
	[IFLA_LINKINFO] = { .kind = NL_A_NESTED },
};

static const struct nl_policy info_pol[IFLA_INFO_MAX + 1] = {
	[IFLA_INFO_KIND] = { NL_A_STRING, 2, NL_LINK_KIND_LEN },
	/* IFLA_INFO_DATA: parsed as a nest for a vlan only */
};

static const struct nl_policy vlan_pol[IFLA_VLAN_MAX + 1] = {
	[IFLA_VLAN_ID] = { .kind = NL_A_U16 },
};

/* A string attribute whose only NUL is its last byte. */
static int attr_str(const struct nlattr *a, char *out, size_t out_len)
{
	const char *s = mnl_attr_get_payload(a);
	uint16_t len = mnl_attr_get_payload_len(a);

	if (len == 0 || memchr(s, '\0', len) != s + len - 1)
		return -EBADMSG;
	return nl_attr_strcpy(a, out, out_len);
}

static int link_info(const struct nlattr *info, struct nl_link *out)
{
	const struct nlattr *tb[IFLA_INFO_MAX + 1];
	const struct nlattr *vtb[IFLA_VLAN_MAX + 1];
	int err;

	err = nl_parse_nested(info, tb, IFLA_INFO_MAX, info_pol);
	if (err < 0)
		return err;
	if (!tb[IFLA_INFO_KIND])
		return 0;
	err = attr_str(tb[IFLA_INFO_KIND], out->kind, sizeof(out->kind));
	if (err < 0 || strcmp(out->kind, "vlan") != 0 || !tb[IFLA_INFO_DATA])
		return err;
	err = nl_parse_nested(tb[IFLA_INFO_DATA], vtb, IFLA_VLAN_MAX, vlan_pol);
	if (err == 0 && vtb[IFLA_VLAN_ID])
		out->vlan_id = mnl_attr_get_u16(vtb[IFLA_VLAN_ID]);
	return err;
}

static int link_attrs(const struct nlattr **tb, struct nl_link *out)
{
	int err = 0;

	if (tb[IFLA_IFNAME])
		err = attr_str(tb[IFLA_IFNAME], out->name, sizeof(out->name));
	if (err == 0 && tb[IFLA_IFALIAS])
		err = attr_str(tb[IFLA_IFALIAS], out->alias,
			       sizeof(out->alias));
	if (err == 0 && tb[IFLA_LINKINFO])
		err = link_info(tb[IFLA_LINKINFO], out);
	if (err < 0)
		return err;
	if (tb[IFLA_MTU])
		out->mtu = mnl_attr_get_u32(tb[IFLA_MTU]);
	if (tb[IFLA_LINK])
		out->link = (int)mnl_attr_get_u32(tb[IFLA_LINK]);
	if (tb[IFLA_OPERSTATE])
		out->operstate = mnl_attr_get_u8(tb[IFLA_OPERSTATE]);
	if (tb[IFLA_CARRIER]) {
		out->has_carrier = true;
		out->carrier = mnl_attr_get_u8(tb[IFLA_CARRIER]) != 0;
	}
	if (tb[IFLA_ADDRESS]) {
		out->addr_len = mnl_attr_get_payload_len(tb[IFLA_ADDRESS]);
		memcpy(out->addr, mnl_attr_get_payload(tb[IFLA_ADDRESS]),
		       out->addr_len);
	}
	return 0;
}

int nl_link_parse(const struct nlmsghdr *nlh, struct nl_link *out)
{
	const struct nlattr *tb[IFLA_MAX + 1];
	struct ifinfomsg ifi;
	int err;

	memset(out, 0, sizeof(*out));
	if (nlh->nlmsg_len < NLMSG_HDRLEN)
		return -EBADMSG;
	if (nlh->nlmsg_type != RTM_NEWLINK && nlh->nlmsg_type != RTM_DELLINK)
		return -EPROTO;
	err = nl_parse_attrs(nlh, sizeof(ifi), tb, IFLA_MAX, link_pol);
	if (err < 0)
		return err;
	memcpy(&ifi, mnl_nlmsg_get_payload(nlh), sizeof(ifi));
	out->index = ifi.ifi_index;
	out->family = ifi.ifi_family;
	out->flags = ifi.ifi_flags;
	out->type = ifi.ifi_type;
	err = link_attrs(tb, out);
	if (err < 0)
		memset(out, 0, sizeof(*out));
	return err;
}

bool nl_link_carrier_ok(const struct nl_link *link)
{
	if (!(link->flags & IFF_UP))
		return false;
	return (link->flags & IFF_LOWER_UP) ||
	       (link->has_carrier && link->carrier);
}

const char *nl_link_oper_name(uint8_t operstate)
{
	/* Indexed by IF_OPER_* (RFC 2863 ifOperStatus - 1, roughly). */
	static const char *const names[] = {
		"UNKNOWN", "NOTPRESENT", "DOWN", "LOWERLAYERDOWN",
		"TESTING", "DORMANT",	 "UP",
	};

	if (operstate >= sizeof(names) / sizeof(names[0]))
		return "UNKNOWN";
	return names[operstate];
}

char *nl_link_format_addr(const uint8_t *addr, size_t len, char *buf,
			  size_t buf_len)
{
	size_t i, off = 0;

	if (buf_len == 0)
		return buf;
	buf[0] = '\0';
	for (i = 0; i < len && off + 3 + (i > 0) <= buf_len; i++)
		off += snprintf(buf + off, buf_len - off, "%s%02x",
				i ? ":" : "", addr[i]);
	return buf;
}

bool nl_link_name_ok(const char *name)
{
	return name && name[0] && strnlen(name, IFNAMSIZ) < IFNAMSIZ;
}

struct nlmsghdr *nl_link_msg(void *buf, uint16_t type, uint16_t flags,
			     int index)
{
	struct ifinfomsg ifi = { .ifi_family = AF_UNSPEC, .ifi_index = index };
	struct nlmsghdr *nlh;

	nlh = nl_msg(buf, type, flags);
	memcpy(mnl_nlmsg_put_extra_header(nlh, sizeof(ifi)), &ifi, sizeof(ifi));
	return nlh;
}

/* Statistics make each link reply about 1 KiB bigger; we never read them. */
static struct nlmsghdr *put_ext_mask(struct nlmsghdr *nlh)
{
	if (!mnl_attr_put_u32_check(nlh, MNL_SOCKET_BUFFER_SIZE, IFLA_EXT_MASK,
				    RTEXT_FILTER_SKIP_STATS))
		return NULL;
	return nlh;
}

struct nlmsghdr *nl_link_get_msg(void *buf, int index, const char *name)
{
	struct nlmsghdr *nlh = nl_link_msg(buf, RTM_GETLINK, 0, index);

	if (index == 0) {
		if (!nl_link_name_ok(name) ||
		    !mnl_attr_put_strz_check(nlh, MNL_SOCKET_BUFFER_SIZE,
					     IFLA_IFNAME, name))
			return NULL;
	}
	return put_ext_mask(nlh);
}

struct nlmsghdr *nl_link_dump_msg(void *buf)
{
	return put_ext_mask(nl_link_msg(buf, RTM_GETLINK, NLM_F_DUMP, 0));
}

struct nlmsghdr *nl_link_set_up_msg(void *buf, int index, bool up)
{
	struct nlmsghdr *nlh = nl_link_msg(buf, RTM_SETLINK, 0, index);
	struct ifinfomsg ifi = {
		.ifi_family = AF_UNSPEC,
		.ifi_index = index,
		.ifi_flags = up ? IFF_UP : 0,
		.ifi_change = IFF_UP,
	};

	memcpy(mnl_nlmsg_get_payload(nlh), &ifi, sizeof(ifi));
	return nlh;
}

struct nlmsghdr *nl_link_set_mtu_msg(void *buf, int index, uint32_t mtu)
{
	struct nlmsghdr *nlh = nl_link_msg(buf, RTM_SETLINK, 0, index);

	if (!mnl_attr_put_u32_check(nlh, MNL_SOCKET_BUFFER_SIZE, IFLA_MTU, mtu))
		return NULL;
	return nlh;
}

struct nlmsghdr *nl_link_set_addr_msg(void *buf, int index, const uint8_t *addr,
				      size_t len)
{
	struct nlmsghdr *nlh = nl_link_msg(buf, RTM_SETLINK, 0, index);

	if (len == 0 || len > NL_LINK_ADDR_MAX ||
	    !mnl_attr_put_check(nlh, MNL_SOCKET_BUFFER_SIZE, IFLA_ADDRESS, len,
				addr))
		return NULL;
	return nlh;
}

struct nlmsghdr *nl_link_set_name_msg(void *buf, int index, const char *name)
{
	struct nlmsghdr *nlh = nl_link_msg(buf, RTM_SETLINK, 0, index);

	if (!nl_link_name_ok(name) ||
	    !mnl_attr_put_strz_check(nlh, MNL_SOCKET_BUFFER_SIZE, IFLA_IFNAME,
				     name))
		return NULL;
	return nlh;
}

struct nlmsghdr *nl_link_set_alias_msg(void *buf, int index, const char *alias)
{
	struct nlmsghdr *nlh = nl_link_msg(buf, RTM_SETLINK, 0, index);
	size_t len = strnlen(alias, NL_LINK_ALIAS_LEN);

	/*
	 * dev_set_alias() wants the length without a NUL below IFALIASZ;
	 * the attribute policy refuses an empty string, but one NUL byte
	 * gives an empty alias, which the kernel then no longer reports.
	 */
	if (len >= NL_LINK_ALIAS_LEN)
		return NULL;
	if (!mnl_attr_put_check(nlh, MNL_SOCKET_BUFFER_SIZE, IFLA_IFALIAS,
				len ? len : 1, alias))
		return NULL;
	return nlh;
}

static bool put_vlan_info(struct nlmsghdr *nlh, uint16_t vid)
{
	size_t sz = MNL_SOCKET_BUFFER_SIZE;
	struct nlattr *info, *data;

	info = mnl_attr_nest_start_check(nlh, sz, IFLA_LINKINFO);
	if (!info || !mnl_attr_put_strz_check(nlh, sz, IFLA_INFO_KIND, "vlan"))
		return false;
	data = mnl_attr_nest_start_check(nlh, sz, IFLA_INFO_DATA);
	if (!data || !mnl_attr_put_u16_check(nlh, sz, IFLA_VLAN_ID, vid))
		return false;
	mnl_attr_nest_end(nlh, data);
	mnl_attr_nest_end(nlh, info);
	return true;
}

struct nlmsghdr *nl_link_add_vlan_msg(void *buf, const char *name, int parent,
				      uint16_t vid)
{
	struct nlmsghdr *nlh =
		nl_link_msg(buf, RTM_NEWLINK, NLM_F_CREATE | NLM_F_EXCL, 0);
	size_t sz = MNL_SOCKET_BUFFER_SIZE;

	if (!nl_link_name_ok(name) ||
	    !mnl_attr_put_strz_check(nlh, sz, IFLA_IFNAME, name) ||
	    !mnl_attr_put_u32_check(nlh, sz, IFLA_LINK, (uint32_t)parent) ||
	    !put_vlan_info(nlh, vid))
		return NULL;
	return nlh;
}

struct nlmsghdr *nl_link_new_msg(void *buf, const char *name, const char *kind,
				 struct nlattr **info)
{
	struct nlmsghdr *nlh =
		nl_link_msg(buf, RTM_NEWLINK, NLM_F_CREATE | NLM_F_EXCL, 0);
	size_t sz = MNL_SOCKET_BUFFER_SIZE;

	if (!nl_link_name_ok(name) ||
	    !mnl_attr_put_strz_check(nlh, sz, IFLA_IFNAME, name) ||
	    !(*info = mnl_attr_nest_start_check(nlh, sz, IFLA_LINKINFO)) ||
	    !mnl_attr_put_strz_check(nlh, sz, IFLA_INFO_KIND, kind))
		return NULL;
	return nlh;
}

struct nlmsghdr *nl_link_set_master_msg(void *buf, int index, int master)
{
	struct nlmsghdr *nlh = nl_link_msg(buf, RTM_SETLINK, 0, index);

	if (!mnl_attr_put_u32_check(nlh, MNL_SOCKET_BUFFER_SIZE, IFLA_MASTER,
				    (uint32_t)master))
		return NULL;
	return nlh;
}

struct nlmsghdr *nl_link_del_msg(void *buf, int index)
{
	return nl_link_msg(buf, RTM_DELLINK, 0, index);
}

int nl_link_talk(struct nl_sock *ns, struct nlmsghdr *nlh)
{
	if (!nlh)
		return -EINVAL;
	return nl_talk(ns, nlh, NULL, NULL);
}

struct get_ctx {
	nl_link_reply_fn parse;
	void *out;
	bool found;
};

static int get_cb(const struct nlmsghdr *nlh, void *data)
{
	struct get_ctx *ctx = data;
	int err;

	if (ctx->found)
		return MNL_CB_OK; /* only one link was asked for */
	err = ctx->parse(nlh, ctx->out);
	if (err < 0)
		return err;
	ctx->found = true;
	return MNL_CB_OK;
}

int nl_link_get_with(struct nl_sock *ns, int index, const char *name,
		     nl_link_reply_fn parse, void *out)
{
	char buf[MNL_SOCKET_BUFFER_SIZE] NL_ALIGNED;
	struct nlmsghdr *nlh = nl_link_get_msg(buf, index, name);
	struct get_ctx ctx = { .parse = parse, .out = out };
	int err;

	if (!nlh)
		return -EINVAL;
	err = nl_talk(ns, nlh, get_cb, &ctx);
	if (err == 0 && !ctx.found)
		err = -ENODEV;
	return err;
}

static int link_reply(const struct nlmsghdr *nlh, void *out)
{
	return nl_link_parse(nlh, out);
}

int nl_link_get(struct nl_sock *ns, int index, const char *name,
		struct nl_link *out)
{
	return nl_link_get_with(ns, index, name, link_reply, out);
}

struct dump_ctx {
	nl_link_cb_t cb;
	void (*restart)(void *data);
	void *data;
};

static int dump_cb(const struct nlmsghdr *nlh, void *data)
{
	struct dump_ctx *ctx = data;
	struct nl_link link;
	int err;

	err = nl_link_parse(nlh, &link);
	if (err < 0)
		return err;
	return ctx->cb(&link, ctx->data);
}

static void dump_restart(void *data)
{
	struct dump_ctx *ctx = data;

	if (ctx->restart)
		ctx->restart(ctx->data);
}

int nl_link_dump(struct nl_sock *ns, nl_link_cb_t cb,
		 void (*restart)(void *data), void *data)
{
	char buf[MNL_SOCKET_BUFFER_SIZE] NL_ALIGNED;
	struct dump_ctx ctx = { .cb = cb, .restart = restart, .data = data };
	struct nlmsghdr *nlh = nl_link_dump_msg(buf);

	if (!nlh)
		return -EINVAL;
	return nl_dump(ns, nlh, dump_cb, dump_restart, &ctx);
}

int nl_link_index(struct nl_sock *ns, const char *name)
{
	struct nl_link link;
	int err;

	err = nl_link_get(ns, 0, name, &link);
	return err < 0 ? err : link.index;
}

int nl_link_set_up(struct nl_sock *ns, int index, bool up)
{
	char buf[MNL_SOCKET_BUFFER_SIZE] NL_ALIGNED;

	return nl_link_talk(ns, nl_link_set_up_msg(buf, index, up));
}

int nl_link_set_mtu(struct nl_sock *ns, int index, uint32_t mtu)
{
	char buf[MNL_SOCKET_BUFFER_SIZE] NL_ALIGNED;

	return nl_link_talk(ns, nl_link_set_mtu_msg(buf, index, mtu));
}

int nl_link_set_addr(struct nl_sock *ns, int index, const uint8_t *addr,
		     size_t len)
{
	char buf[MNL_SOCKET_BUFFER_SIZE] NL_ALIGNED;

	return nl_link_talk(ns, nl_link_set_addr_msg(buf, index, addr, len));
}

int nl_link_set_name(struct nl_sock *ns, int index, const char *name)
{
	char buf[MNL_SOCKET_BUFFER_SIZE] NL_ALIGNED;

	return nl_link_talk(ns, nl_link_set_name_msg(buf, index, name));
}

int nl_link_set_alias(struct nl_sock *ns, int index, const char *alias)
{
	char buf[MNL_SOCKET_BUFFER_SIZE] NL_ALIGNED;

	return nl_link_talk(ns, nl_link_set_alias_msg(buf, index, alias));
}

int nl_link_add_vlan(struct nl_sock *ns, const char *name, int parent,
		     uint16_t vid)
{
	char buf[MNL_SOCKET_BUFFER_SIZE] NL_ALIGNED;

	return nl_link_talk(ns, nl_link_add_vlan_msg(buf, name, parent, vid));
}

int nl_link_del(struct nl_sock *ns, int index)
{
	char buf[MNL_SOCKET_BUFFER_SIZE] NL_ALIGNED;

	return nl_link_talk(ns, nl_link_del_msg(buf, index));
}

// SPDX-License-Identifier: MIT
/*
 * rtnetlink routes (see route.h): the request builder with ip's defaults,
 * the reply parser with its attribute policy (route_pol), the operations
 * (add, replace, delete, dump through nl_dump_array()) and scope names.
 */
#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>

#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <libmnl/libmnl.h>

#include "embnet/ip.h"
#include "embnet/nl.h"
#include "embnet/parse.h"
#include "embnet/route.h"

/* The attributes we read; newer ones are skipped by nl_parse_attrs(). */
#define ROUTE_ATTR_MAX RTA_TABLE

static bool put_u32(struct nlmsghdr *nlh, uint16_t type, uint32_t v)
{
	return mnl_attr_put_u32_check(nlh, MNL_SOCKET_BUFFER_SIZE, type, v);
}

static bool ip_ok(const struct ip_addr *a, int family)
{
	return a->family == AF_UNSPEC || a->family == family;
}

static int route_check(const struct nl_route *r)
{
	int max = ip_prefix_max(r->family);

	if (max < 0 || r->dst_len > max || r->oif < 0)
		return -EINVAL;
	if (!ip_ok(&r->dst, r->family) || !ip_ok(&r->gateway, r->family) ||
	    !ip_ok(&r->prefsrc, r->family))
		return -EINVAL;
	if (r->dst.family == AF_UNSPEC && r->dst_len != 0)
		return -EINVAL;
	return 0;
}

/* The scope `ip route` picks when none is given (iproute2 iproute_modify). */
static uint8_t route_scope(uint16_t type, const struct nl_route *r, uint8_t rtn)
{
	if (r->scope != RT_SCOPE_UNIVERSE || r->family == AF_INET6)
		return r->scope;
	switch (rtn) {
	case RTN_LOCAL:
	case RTN_NAT:
		return RT_SCOPE_HOST;
	case RTN_BROADCAST:
	case RTN_MULTICAST:
	case RTN_ANYCAST:
		return RT_SCOPE_LINK;
	case RTN_UNICAST:
	case RTN_UNSPEC:
		if (type == RTM_DELROUTE)
			return RT_SCOPE_NOWHERE; /* matches any scope */
		if (r->gateway.family == AF_UNSPEC)
			return RT_SCOPE_LINK;
		return RT_SCOPE_UNIVERSE;
	default:
		return r->scope;
	}
}

static void route_hdr(struct rtmsg *rtm, uint16_t type,
		      const struct nl_route *r)
{
	bool del = type == RTM_DELROUTE;
	uint32_t table = r->table ? r->table : RT_TABLE_MAIN;

	rtm->rtm_family = (uint8_t)r->family;
	rtm->rtm_dst_len = r->dst_len;
	rtm->rtm_table = table > 255 ? RT_TABLE_UNSPEC : (uint8_t)table;
	if (r->protocol)
		rtm->rtm_protocol = r->protocol;
	else
		rtm->rtm_protocol = del ? RTPROT_UNSPEC : RTPROT_BOOT;
	rtm->rtm_type = r->type ? r->type : del ? RTN_UNSPEC : RTN_UNICAST;
	rtm->rtm_scope = route_scope(type, r, rtm->rtm_type);
	rtm->rtm_flags = r->flags;
}

static bool route_put_attrs(struct nlmsghdr *nlh, const struct nl_route *r)
{
	if (r->dst.family != AF_UNSPEC && !ip_put_attr(nlh, RTA_DST, &r->dst))
		return false;
	if (r->table > 255 && !put_u32(nlh, RTA_TABLE, r->table))
		return false;
	if (r->prefsrc.family != AF_UNSPEC &&
	    !ip_put_attr(nlh, RTA_PREFSRC, &r->prefsrc))
		return false;
	if (r->gateway.family != AF_UNSPEC &&
	    !ip_put_attr(nlh, RTA_GATEWAY, &r->gateway))
		return false;
	if (r->metric && !put_u32(nlh, RTA_PRIORITY, r->metric))
		return false;
	if (r->oif && !put_u32(nlh, RTA_OIF, (uint32_t)r->oif))
		return false;
	return true;
}

int nl_route_msg(void *buf, uint16_t type, uint16_t flags,
		 const struct nl_route *r, struct nlmsghdr **out)
{
	struct nlmsghdr *nlh;
	struct rtmsg *rtm;
	int err;

	*out = NULL;
	err = route_check(r);
	if (err < 0)
		return err;
	nlh = nl_msg(buf, type, flags);
	rtm = mnl_nlmsg_put_extra_header(nlh, sizeof(*rtm));
	route_hdr(rtm, type, r);
	if (!route_put_attrs(nlh, r))
		return -EMSGSIZE;
	*out = nlh;
	return 0;
}

int nl_route_dump_msg(void *buf, int family, struct nlmsghdr **out)
{
	struct nlmsghdr *nlh = nl_msg(buf, RTM_GETROUTE, NLM_F_DUMP);
	struct rtmsg *rtm;

	rtm = mnl_nlmsg_put_extra_header(nlh, sizeof(*rtm));
	rtm->rtm_family = (uint8_t)family;
	*out = nlh;
	return 0;
}

/* Shapes that need no family; ip_from_attr() checks the exact length. */
static const struct nl_policy route_pol[ROUTE_ATTR_MAX + 1] = {
	[RTA_DST] = { .kind = NL_A_INADDR },
	[RTA_GATEWAY] = { .kind = NL_A_INADDR },
	[RTA_PREFSRC] = { .kind = NL_A_INADDR },
	[RTA_OIF] = { .kind = NL_A_U32 },
	[RTA_PRIORITY] = { .kind = NL_A_U32 },
	[RTA_TABLE] = { .kind = NL_A_U32 },
};

static int route_fill(const struct nlattr **tb, const struct rtmsg *rtm,
		      struct nl_route *out)
{
	uint32_t oif = nl_attr_u32_or(tb[RTA_OIF], 0);

	if (ip_from_attr(tb[RTA_DST], out->family, &out->dst) < 0 ||
	    ip_from_attr(tb[RTA_GATEWAY], out->family, &out->gateway) < 0 ||
	    ip_from_attr(tb[RTA_PREFSRC], out->family, &out->prefsrc) < 0)
		return -EBADMSG;
	if (oif > INT32_MAX)
		return -EBADMSG;
	out->oif = (int)oif;
	out->metric = nl_attr_u32_or(tb[RTA_PRIORITY], 0);
	out->table = nl_attr_u32_or(tb[RTA_TABLE], rtm->rtm_table);
	return 0;
}

int nl_route_parse(const struct nlmsghdr *nlh, struct nl_route *out)
{
	const struct nlattr *tb[ROUTE_ATTR_MAX + 1];
	struct rtmsg rtm;
	int max;

	memset(out, 0, sizeof(*out));
	if (nlh->nlmsg_type != RTM_NEWROUTE && nlh->nlmsg_type != RTM_DELROUTE)
		return -EBADMSG;
	if (nl_parse_attrs(nlh, sizeof(rtm), tb, ROUTE_ATTR_MAX, route_pol) < 0)
		return -EBADMSG;
	memcpy(&rtm, mnl_nlmsg_get_payload(nlh), sizeof(rtm));
	max = ip_prefix_max(rtm.rtm_family);
	if (max < 0)
		return -EAFNOSUPPORT;
	if (rtm.rtm_dst_len > max)
		return -EBADMSG;
	out->family = rtm.rtm_family;
	out->dst_len = rtm.rtm_dst_len;
	out->scope = rtm.rtm_scope;
	out->protocol = rtm.rtm_protocol;
	out->type = rtm.rtm_type;
	out->flags = rtm.rtm_flags;
	if (route_fill(tb, &rtm, out) < 0) {
		memset(out, 0, sizeof(*out));
		return -EBADMSG;
	}
	return 0;
}

static int route_req(struct nl_sock *ns, uint16_t type, uint16_t flags,
		     const struct nl_route *r)
{
	char buf[MNL_SOCKET_BUFFER_SIZE] NL_ALIGNED;
	struct nlmsghdr *nlh;
	int err;

	err = nl_route_msg(buf, type, flags, r, &nlh);
	if (err < 0)
		return err;
	return nl_talk(ns, nlh, NULL, NULL);
}

int nl_route_add(struct nl_sock *ns, const struct nl_route *r)
{
	return route_req(ns, RTM_NEWROUTE, NLM_F_CREATE | NLM_F_EXCL, r);
}

int nl_route_replace(struct nl_sock *ns, const struct nl_route *r)
{
	return route_req(ns, RTM_NEWROUTE, NLM_F_CREATE | NLM_F_REPLACE, r);
}

int nl_route_del(struct nl_sock *ns, const struct nl_route *r)
{
	return route_req(ns, RTM_DELROUTE, 0, r);
}

_Static_assert(sizeof(struct nl_route) <= NL_ELEM_MAX, "nl_dump_array()");

struct route_filter {
	int family;
	uint32_t table;
	int oif;
};

static int keep_cb(const struct nlmsghdr *nlh, void *elem, void *data)
{
	const struct route_filter *f = data;
	struct nl_route *r = elem;
	int err;

	if (nlh->nlmsg_type != RTM_NEWROUTE)
		return 0;
	err = nl_route_parse(nlh, r);
	if (err == -EAFNOSUPPORT)
		return 0; /* multicast routing tables and such */
	if (err < 0)
		return err;
	return (f->family == AF_UNSPEC || r->family == f->family) &&
	       (!f->table || r->table == f->table) &&
	       (!f->oif || r->oif == f->oif);
}

int nl_route_dump(struct nl_sock *ns, int family, uint32_t table, int oif,
		  struct nl_route *out, size_t max, size_t *n)
{
	char buf[MNL_SOCKET_BUFFER_SIZE] NL_ALIGNED;
	struct route_filter f = { family, table, oif };
	struct nlmsghdr *nlh;

	nl_route_dump_msg(buf, family, &nlh);
	return nl_dump_array(ns, nlh, keep_cb, &f, out, sizeof(*out), max, n);
}

int nl_route_scope_parse(const char *s, uint8_t *out)
{
	static const struct {
		const char *name;
		uint8_t v;
	} names[] = {
		{ "global", RT_SCOPE_UNIVERSE },
		{ "universe", RT_SCOPE_UNIVERSE },
		{ "site", RT_SCOPE_SITE },
		{ "link", RT_SCOPE_LINK },
		{ "host", RT_SCOPE_HOST },
		{ "nowhere", RT_SCOPE_NOWHERE },
	};
	uint32_t v;
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		if (strcmp(s, names[i].name) == 0) {
			*out = names[i].v;
			return 0;
		}
	}
	if (parse_u32(s, &v) < 0 || v > 255)
		return -EINVAL;
	*out = (uint8_t)v;
	return 0;
}

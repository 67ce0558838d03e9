// SPDX-License-Identifier: MIT
/*
 * IP tunnels over rtnetlink (see tunnel.h): iproute2's mode names, and the
 * RTM_NEWLINK that makes the link `ip tunnel add` / `ip -6 tunnel add`
 * make through their ioctls, with their defaults (path MTU discovery on
 * for IPv4 tunnels, hop limit 64 and encapsulation limit 4 for IPv6).
 * The request starts, and is sent, with link.c's nl_link_new_msg() and
 * nl_link_talk().
 */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>
#include <net/if.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <linux/if_link.h>
#include <linux/if_tunnel.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <libmnl/libmnl.h>

#include "embnet/link.h"
#include "embnet/nl.h"
#include "embnet/tunnel.h"

struct mode {
	const char *name;
	const char *kind;
	uint8_t proto;
};

/* iptunnel.c and ip6tunnel.c's names for each mode */
static const struct mode modes4[] = {
	{ "gre", "gre", IPPROTO_GRE },
	{ "gre/ip", "gre", IPPROTO_GRE },
	{ "ipip", "ipip", IPPROTO_IPIP },
	{ "ip/ip", "ipip", IPPROTO_IPIP },
	{ "sit", "sit", IPPROTO_IPV6 },
	{ "ipv6/ip", "sit", IPPROTO_IPV6 },
	{ NULL, NULL, 0 },
};
static const struct mode modes6[] = {
	{ "ip6gre", "ip6gre", IPPROTO_GRE },
	{ "gre/ipv6", "ip6gre", IPPROTO_GRE },
	{ "ip6ip6", "ip6tnl", IPPROTO_IPV6 },
	{ "ipv6/ipv6", "ip6tnl", IPPROTO_IPV6 },
	{ "ipip6", "ip6tnl", IPPROTO_IPIP },
	{ "ip4ip6", "ip6tnl", IPPROTO_IPIP },
	{ "ip/ipv6", "ip6tnl", IPPROTO_IPIP },
	{ "ipv4/ipv6", "ip6tnl", IPPROTO_IPIP },
	{ "any", "ip6tnl", 0 },
	{ "any/ipv6", "ip6tnl", 0 },
	{ NULL, NULL, 0 },
};

int nl_tunnel_mode(const char *mode, bool v6, struct nl_tunnel *t)
{
	for (const struct mode *m = v6 ? modes6 : modes4; m->name; m++) {
		if (strcmp(mode, m->name) != 0)
			continue;
		memset(t, 0, sizeof(*t));
		strcpy(t->kind, m->kind);
		t->proto = m->proto;
		t->family = v6 ? AF_INET6 : AF_INET;
		if (v6) {
			t->ttl = NL_TUNNEL6_HOPLIMIT;
			t->encaplimit = NL_TUNNEL6_ENCAPLIMIT;
		}
		return 0;
	}
	return -EINVAL;
}

static bool is_gre(const struct nl_tunnel *t)
{
	return strcmp(t->kind, "gre") == 0 || strcmp(t->kind, "ip6gre") == 0;
}

/* An endpoint of the tunnel's family, when it has one. */
static bool put_addr(struct nlmsghdr *nlh, uint16_t type,
		     const struct ip_addr *a, int family)
{
	size_t len = family == AF_INET6 ? 16 : 4;

	if (a->family == AF_UNSPEC)
		return true;
	if (a->family != family)
		return false;
	return mnl_attr_put_check(nlh, MNL_SOCKET_BUFFER_SIZE, type, len, a->b);
}

/* IFLA_INFO_DATA: IFLA_GRE_* for the gre kinds, IFLA_IPTUN_* for the
 * others (ip6tnl also takes the inner protocol). */
static bool put_data(struct nlmsghdr *nlh, const struct nl_tunnel *t)
{
	bool gre = is_gre(t), v6 = t->family == AF_INET6;
	size_t sz = MNL_SOCKET_BUFFER_SIZE;

	if (!put_addr(nlh, gre ? IFLA_GRE_LOCAL : IFLA_IPTUN_LOCAL, &t->local,
		      t->family) ||
	    !put_addr(nlh, gre ? IFLA_GRE_REMOTE : IFLA_IPTUN_REMOTE,
		      &t->remote, t->family) ||
	    !mnl_attr_put_u8_check(nlh, sz, gre ? IFLA_GRE_TTL : IFLA_IPTUN_TTL,
				   t->ttl))
		return false;
	if (!v6)
		return mnl_attr_put_u8_check(
			nlh, sz, gre ? IFLA_GRE_PMTUDISC : IFLA_IPTUN_PMTUDISC,
			1);
	if (!mnl_attr_put_u8_check(nlh, sz,
				   gre ? IFLA_GRE_ENCAP_LIMIT
				       : IFLA_IPTUN_ENCAP_LIMIT,
				   t->encaplimit))
		return false;
	return gre ||
	       mnl_attr_put_u8_check(nlh, sz, IFLA_IPTUN_PROTO, t->proto);
}

struct nlmsghdr *nl_tunnel_add_msg(void *buf, const char *name,
				   const struct nl_tunnel *t)
{
	struct nlattr *info, *data;
	struct nlmsghdr *nlh = nl_link_new_msg(buf, name, t->kind, &info);

	if (!nlh || !t->kind[0] ||
	    !(data = mnl_attr_nest_start_check(nlh, MNL_SOCKET_BUFFER_SIZE,
					       IFLA_INFO_DATA)) ||
	    !put_data(nlh, t))
		return NULL;
	mnl_attr_nest_end(nlh, data);
	mnl_attr_nest_end(nlh, info);
	return nlh;
}

int nl_tunnel_add(struct nl_sock *ns, const char *name,
		  const struct nl_tunnel *t)
{
	char buf[MNL_SOCKET_BUFFER_SIZE] NL_ALIGNED;
	struct nlmsghdr *nlh = nl_tunnel_add_msg(buf, name, t);

	return nl_link_talk(ns, nlh);
}

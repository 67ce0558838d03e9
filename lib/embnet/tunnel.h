/* SPDX-License-Identifier: MIT */
/*
 * IP tunnels over rtnetlink: the links `ip tunnel add` and `ip -6 tunnel
 * add` make (gre, ipip, sit; ip6gre, ip6tnl for ip6ip6, ipip6 and any),
 * created with RTM_NEWLINK and the same parameters those commands give
 * the kernel, their defaults included, so the link is the same.
 *
 * As in link.h, the request has a pure builder (nl_tunnel_add_msg(), for
 * the unit tests) writing into MNL_SOCKET_BUFFER_SIZE bytes, which returns
 * NULL when an argument does not fit; nl_tunnel_add() then returns
 * -EINVAL.
 */
#ifndef EMBNET_TUNNEL_H
#define EMBNET_TUNNEL_H

#include <stdbool.h>
#include <stdint.h>

#include <linux/netlink.h>

#include "embnet/ip.h"
#include "embnet/nl.h"

/* iproute2's defaults for `ip -6 tunnel add` (ip6tunnel.c) */
#define NL_TUNNEL6_HOPLIMIT 64
#define NL_TUNNEL6_ENCAPLIMIT 4

struct nl_tunnel {
	char kind[8];	      /* "gre", "ipip", "sit", "ip6gre", "ip6tnl" */
	uint8_t proto;	      /* ip6tnl: IPPROTO_IPV6, IPPROTO_IPIP, 0 (any) */
	int family;	      /* of the endpoints: AF_INET or AF_INET6 */
	struct ip_addr local; /* AF_UNSPEC: none ("any") */
	struct ip_addr remote;
	uint8_t ttl;	    /* IPv6: hop limit */
	uint8_t encaplimit; /* IPv6 only */
};

/*
 * Fills @t's kind, proto and family for the mode names of `ip tunnel`
 * (@v6 false: gre, ipip, sit) or `ip -6 tunnel` (@v6: ip6gre, ip6ip6,
 * ipip6, any; ip6tnl's hop and encapsulation limits get iproute2's
 * defaults), case as iproute2 compares them.  Pure.  Returns 0 or
 * -EINVAL for a mode the command does not know.
 */
int nl_tunnel_mode(const char *mode, bool v6, struct nl_tunnel *t);

/* RTM_NEWLINK, NLM_F_CREATE | NLM_F_EXCL, of tunnel @t called @name. */
struct nlmsghdr *nl_tunnel_add_msg(void *buf, const char *name,
				   const struct nl_tunnel *t);

/* Creates tunnel @t called @name.  Returns 0 or -errno (-EEXIST if it
 * exists, -EOPNOTSUPP without the kind's driver). */
int nl_tunnel_add(struct nl_sock *ns, const char *name,
		  const struct nl_tunnel *t);

#endif

/* SPDX-License-Identifier: MIT */
/*
 * rtnetlink routes (RTM_NEWROUTE / RTM_DELROUTE / RTM_GETROUTE), IPv4 and
 * IPv6, single path: pure request builder and reply parser for the unit
 * tests and the fuzzer, and the operations built on them.
 */
#ifndef EMBNET_ROUTE_H
#define EMBNET_ROUTE_H

#include <stddef.h>
#include <stdint.h>

#include <linux/netlink.h>

#include "embnet/ip.h"
#include "embnet/nl.h"

/*
 * A route.  Zero means "default" when building, as with `ip route`: table
 * main, protocol boot, type unicast, scope universe with a gateway and link
 * without one (so a universe-scope route without gateway cannot be asked
 * for; other types get ip's defaults too).  A delete matches any scope,
 * protocol and type left at zero.
 */
struct nl_route {
	int family;		/* AF_INET or AF_INET6 */
	uint8_t dst_len;	/* prefix length of dst */
	struct ip_addr dst;	/* AF_UNSPEC: the default route */
	struct ip_addr gateway; /* RTA_GATEWAY, AF_UNSPEC if none */
	struct ip_addr prefsrc; /* RTA_PREFSRC, AF_UNSPEC if none */
	int oif;		/* RTA_OIF, 0 if none */
	uint32_t metric;	/* RTA_PRIORITY, 0 if none */
	uint32_t table;		/* RT_TABLE_*, RTA_TABLE when > 255 */
	uint8_t scope;		/* RT_SCOPE_* */
	uint8_t protocol;	/* RTPROT_* */
	uint8_t type;		/* RTN_* */
	uint32_t flags;		/* rtm_flags: RTNH_F_ONLINK... */
};

/*
 * Builds in @buf (MNL_SOCKET_BUFFER_SIZE bytes) an RTM_NEWROUTE or
 * RTM_DELROUTE request (@type) with @flags for @r, with ip's defaults (see
 * struct nl_route) and attributes in the order RTA_DST, RTA_TABLE,
 * RTA_PREFSRC, RTA_GATEWAY, RTA_PRIORITY, RTA_OIF.  Sets *@out; returns 0,
 * -EINVAL (family mismatch, dst_len too long) or -EMSGSIZE.
 */
int nl_route_msg(void *buf, uint16_t type, uint16_t flags,
		 const struct nl_route *r, struct nlmsghdr **out);

/* Builds in @buf an RTM_GETROUTE dump request for @family (AF_UNSPEC: all);
 * the kernel does not filter without strict checking.  Sets *@out; 0. */
int nl_route_dump_msg(void *buf, int family, struct nlmsghdr **out);

/*
 * Parses an RTM_NEWROUTE/RTM_DELROUTE message into @out: checks the rtmsg
 * length and each attribute used (exact address length for the family, u32
 * sizes); unknown ones (RTA_MULTIPATH, metrics...) are skipped.  Returns 0,
 * -EAFNOSUPPORT (not IPv4/IPv6) or -EBADMSG.
 */
int nl_route_parse(const struct nlmsghdr *nlh, struct nl_route *out);

/* Adds @r (NLM_F_CREATE | NLM_F_EXCL: -EEXIST if present).  0 or -errno,
 * with the kernel's reason in nl_ext_msg(@ns). */
int nl_route_add(struct nl_sock *ns, const struct nl_route *r);

/*
 * Parses a scope as ip(8) names it (global/universe, site, link, host,
 * nowhere) or as a number 0..255 into *@out.  Returns 0 or -EINVAL.
 */
int nl_route_scope_parse(const char *s, uint8_t *out);

/* Adds or replaces @r (NLM_F_CREATE | NLM_F_REPLACE).  0 or -errno. */
int nl_route_replace(struct nl_sock *ns, const struct nl_route *r);

/* Deletes the route matching @r (-ESRCH if none).  0 or -errno. */
int nl_route_del(struct nl_sock *ns, const struct nl_route *r);

/*
 * Dumps the routes of @family (AF_UNSPEC: IPv4 and IPv6), in table @table (0:
 * all) through interface @oif (0: any) into @out (room for @max); *@n is
 * the number stored.  Returns 0, -ENOSPC when more matched than fit (the
 * first @max are stored), or -errno.
 */
int nl_route_dump(struct nl_sock *ns, int family, uint32_t table, int oif,
		  struct nl_route *out, size_t max, size_t *n);

#endif

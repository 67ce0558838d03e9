/* SPDX-License-Identifier: MIT */
/*
 * rtnetlink addresses (RTM_NEWADDR / RTM_DELADDR / RTM_GETADDR), IPv4 and
 * IPv6: pure request builders and reply parser for the unit tests and the
 * fuzzer, and the operations built on them (builder + nl_talk()/nl_dump()).
 */
#ifndef EMBNET_ADDR_H
#define EMBNET_ADDR_H

#include <stddef.h>
#include <stdint.h>
#include <net/if.h>

#include <linux/netlink.h>

#include "embnet/ip.h"
#include "embnet/nl.h"

/* Most addresses nl_addr_flush() deletes per dump round. */
#define NL_ADDR_FLUSH_BATCH 32

/* Lifetime value meaning "forever" (INFINITY_LIFE_TIME). */
#define NL_ADDR_FOREVER 0xffffffffu

struct nl_addr {
	int family; /* AF_INET or AF_INET6 */
	int index;  /* interface index */
	uint8_t prefixlen;
	uint8_t scope;		  /* RT_SCOPE_* */
	uint32_t flags;		  /* IFA_F_* */
	struct ip_addr local;	  /* IFA_LOCAL: the address itself */
	struct ip_addr address;	  /* IFA_ADDRESS: peer, or == local */
	struct ip_addr broadcast; /* IFA_BROADCAST, AF_UNSPEC if none */
	char label[IFNAMSIZ];	  /* IFA_LABEL, "" if none */
	uint32_t valid_lft;	  /* s, NL_ADDR_FOREVER; 0: not given */
	uint32_t preferred_lft;	  /* s, NL_ADDR_FOREVER */
};

/*
 * Builds in @buf (MNL_SOCKET_BUFFER_SIZE bytes) an RTM_NEWADDR or
 * RTM_DELADDR request (@type) with @flags for @a, attributes as `ip addr add
 * A/P [peer P] [broadcast B] [label L] [valid_lft ..]` sends them: IFA_LOCAL,
 * IFA_ADDRESS (peer or local), IFA_BROADCAST, IFA_FLAGS when flags > 0xff,
 * IFA_LABEL, IFA_CACHEINFO when valid_lft != 0.  Sets *@out; returns 0,
 * -EINVAL (bad family, local of another family) or -EMSGSIZE.
 */
int nl_addr_msg(void *buf, uint16_t type, uint16_t flags,
		const struct nl_addr *a, struct nlmsghdr **out);

/*
 * Builds in @buf an RTM_GETADDR dump request for @family (AF_UNSPEC: both);
 * the kernel does not filter by index without strict checking, so the
 * caller filters.  Sets *@out; returns 0.
 */
int nl_addr_dump_msg(void *buf, int family, struct nlmsghdr **out);

/* The same for the addresses of interface @index (ifa_index; 0: all),
 * which a socket with NETLINK_GET_STRICT_CHK on gets alone.  0, or
 * -EINVAL for a negative @index. */
int nl_addr_dump_index_msg(void *buf, int family, int index,
			   struct nlmsghdr **out);

/*
 * Parses an RTM_NEWADDR/RTM_DELADDR message into @out: checks the ifaddrmsg
 * length and each attribute used (exact length for the family, NUL-ended
 * label); unknown attributes are skipped.  IFA_ADDRESS alone fills local as
 * well.  Returns 0, -EAFNOSUPPORT (not IPv4/IPv6) or -EBADMSG.
 */
int nl_addr_parse(const struct nlmsghdr *nlh, struct nl_addr *out);

/* Adds @a (NLM_F_CREATE | NLM_F_EXCL: -EEXIST if present).  0 or -errno,
 * with the kernel's reason in nl_ext_msg(@ns). */
int nl_addr_add(struct nl_sock *ns, const struct nl_addr *a);

/* Adds or updates @a (NLM_F_CREATE | NLM_F_REPLACE).  0 or -errno. */
int nl_addr_replace(struct nl_sock *ns, const struct nl_addr *a);

/* Deletes @a (matched on index, local, prefix, peer, label).  0 or -errno
 * (-EADDRNOTAVAIL if absent). */
int nl_addr_del(struct nl_sock *ns, const struct nl_addr *a);

/*
 * Dumps the addresses of @family (AF_UNSPEC: all) on interface @index (0:
 * all) into @out (room for @max); *@n is the number stored.  For one
 * interface the kernel is asked for its addresses alone (strict checking,
 * on for the dump's time, where the kernel has it), so a flush of each
 * interface in turn does not read every address of the system each time.
 * Returns 0, or -ENOSPC when more matched than fit (the first @max are
 * stored), or -errno.
 */
int nl_addr_dump(struct nl_sock *ns, int family, int index, struct nl_addr *out,
		 size_t max, size_t *n);

/*
 * Deletes every address of @family (AF_INET, AF_INET6 or AF_UNSPEC for both)
 * on interface @index, IPv6 link-local ones included, like `ip addr flush
 * dev D`.  Addresses that vanish meanwhile are not an error.  0 or -errno.
 */
int nl_addr_flush(struct nl_sock *ns, int family, int index);

#endif

// SPDX-License-Identifier: MIT
/*
 * rtnetlink addresses (see addr.h): the request builders, the reply parser
 * with its attribute policy (addr_pol), and the operations: add, replace,
 * delete, dump (through nl_dump_array(); of one interface, filtered by
 * the kernel under strict checking) and flush.
 */
#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <unistd.h>
#include <net/if.h>
#include <sys/socket.h>

#include <linux/if_addr.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <libmnl/libmnl.h>

#include "embnet/addr.h"
#include "embnet/ip.h"
#include "embnet/nl.h"

#ifndef SOL_NETLINK
#define SOL_NETLINK 270
#endif
#ifndef NETLINK_GET_STRICT_CHK
#define NETLINK_GET_STRICT_CHK 12 /* linux/netlink.h, 4.20 */
#endif

/* The attributes we read; newer ones are skipped by nl_parse_attrs(). */
#define ADDR_ATTR_MAX IFA_FLAGS

/* Family checks: local is required, address/broadcast optional. */
static int addr_check(const struct nl_addr *a)
{
	int max = ip_prefix_max(a->family);

	if (max < 0 || a->local.family != a->family || a->prefixlen > max)
		return -EINVAL;
	if (a->address.family != AF_UNSPEC && a->address.family != a->family)
		return -EINVAL;
	if (a->broadcast.family != AF_UNSPEC &&
	    (a->family != AF_INET || a->broadcast.family != AF_INET))
		return -EINVAL;
	if (strnlen(a->label, sizeof(a->label)) == sizeof(a->label))
		return -EINVAL;
	return 0;
}

/* The attributes, in the order `ip addr add A/P [peer P] [broadcast B]
 * [label L] [valid_lft V preferred_lft P]` puts them. */
static bool addr_put_attrs(struct nlmsghdr *nlh, const struct nl_addr *a)
{
	bool peer = a->address.family != AF_UNSPEC &&
		    !ip_equal(&a->address, &a->local);
	struct ifa_cacheinfo ci = { 0 };

	if (!ip_put_attr(nlh, IFA_LOCAL, &a->local))
		return false;
	if (peer && !ip_put_attr(nlh, IFA_ADDRESS, &a->address))
		return false;
	if (a->broadcast.family != AF_UNSPEC &&
	    !ip_put_attr(nlh, IFA_BROADCAST, &a->broadcast))
		return false;
	if (a->flags > 0xff &&
	    !mnl_attr_put_u32_check(nlh, MNL_SOCKET_BUFFER_SIZE, IFA_FLAGS,
				    a->flags))
		return false;
	if (a->label[0] && !mnl_attr_put_strz_check(nlh, MNL_SOCKET_BUFFER_SIZE,
						    IFA_LABEL, a->label))
		return false;
	if (!peer && !ip_put_attr(nlh, IFA_ADDRESS, &a->local))
		return false;
	if (!a->valid_lft)
		return true;
	ci.ifa_prefered = a->preferred_lft;
	ci.ifa_valid = a->valid_lft;
	return mnl_attr_put_check(nlh, MNL_SOCKET_BUFFER_SIZE, IFA_CACHEINFO,
				  sizeof(ci), &ci);
}

int nl_addr_msg(void *buf, uint16_t type, uint16_t flags,
		const struct nl_addr *a, struct nlmsghdr **out)
{
	struct nlmsghdr *nlh;
	struct ifaddrmsg *ifa;
	int err;

	*out = NULL;
	err = addr_check(a);
	if (err < 0)
		return err;
	nlh = nl_msg(buf, type, flags);
	ifa = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifa));
	ifa->ifa_family = (uint8_t)a->family;
	ifa->ifa_prefixlen = a->prefixlen;
	/* wider flags go in IFA_FLAGS only, as ip does */
	ifa->ifa_flags = a->flags > 0xff ? 0 : (uint8_t)a->flags;
	ifa->ifa_scope = a->scope;
	ifa->ifa_index = (uint32_t)a->index;
	if (!addr_put_attrs(nlh, a))
		return -EMSGSIZE;
	*out = nlh;
	return 0;
}

int nl_addr_dump_index_msg(void *buf, int family, int index,
			   struct nlmsghdr **out)
{
	struct nlmsghdr *nlh = nl_msg(buf, RTM_GETADDR, NLM_F_DUMP);
	struct ifaddrmsg *ifa;

	if (index < 0)
		return -EINVAL;
	ifa = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifa));
	ifa->ifa_family = (uint8_t)family;
	ifa->ifa_index = (uint32_t)index;
	*out = nlh;
	return 0;
}

int nl_addr_dump_msg(void *buf, int family, struct nlmsghdr **out)
{
	return nl_addr_dump_index_msg(buf, family, 0, out);
}

/* Shapes that need no family; ip_from_attr() checks the exact length. */
static const struct nl_policy addr_pol[ADDR_ATTR_MAX + 1] = {
	[IFA_ADDRESS] = { .kind = NL_A_INADDR },
	[IFA_LOCAL] = { .kind = NL_A_INADDR },
	[IFA_BROADCAST] = { .kind = NL_A_INADDR },
	[IFA_CACHEINFO] = { NL_A_BINARY, sizeof(struct ifa_cacheinfo),
			    sizeof(struct ifa_cacheinfo) },
	[IFA_FLAGS] = { .kind = NL_A_U32 },
	/* IFA_LABEL: nl_attr_strcpy() */
};

static int addr_fill(const struct nlattr **tb, struct nl_addr *out)
{
	struct ifa_cacheinfo ci;

	if (ip_from_attr(tb[IFA_LOCAL], out->family, &out->local) < 0 ||
	    ip_from_attr(tb[IFA_ADDRESS], out->family, &out->address) < 0 ||
	    ip_from_attr(tb[IFA_BROADCAST], out->family, &out->broadcast) < 0)
		return -EBADMSG;
	/* IPv6 and plain IPv4 addresses may come with IFA_ADDRESS only */
	if (!tb[IFA_LOCAL])
		out->local = out->address;
	if (!tb[IFA_ADDRESS])
		out->address = out->local;
	if (out->local.family == AF_UNSPEC)
		return -EBADMSG;
	if (tb[IFA_LABEL] &&
	    nl_attr_strcpy(tb[IFA_LABEL], out->label, sizeof(out->label)) < 0)
		return -EBADMSG;
	if (tb[IFA_FLAGS])
		out->flags = mnl_attr_get_u32(tb[IFA_FLAGS]);
	if (tb[IFA_CACHEINFO]) {
		memcpy(&ci, mnl_attr_get_payload(tb[IFA_CACHEINFO]),
		       sizeof(ci));
		out->valid_lft = ci.ifa_valid;
		out->preferred_lft = ci.ifa_prefered;
	}
	return 0;
}

int nl_addr_parse(const struct nlmsghdr *nlh, struct nl_addr *out)
{
	const struct nlattr *tb[ADDR_ATTR_MAX + 1];
	struct ifaddrmsg ifa;
	int max;

	memset(out, 0, sizeof(*out));
	if (nlh->nlmsg_type != RTM_NEWADDR && nlh->nlmsg_type != RTM_DELADDR)
		return -EBADMSG;
	if (nl_parse_attrs(nlh, sizeof(ifa), tb, ADDR_ATTR_MAX, addr_pol) < 0)
		return -EBADMSG;
	memcpy(&ifa, mnl_nlmsg_get_payload(nlh), sizeof(ifa));
	max = ip_prefix_max(ifa.ifa_family);
	if (max < 0)
		return -EAFNOSUPPORT;
	if (ifa.ifa_prefixlen > max || ifa.ifa_index > INT32_MAX)
		return -EBADMSG;
	out->family = ifa.ifa_family;
	out->index = (int)ifa.ifa_index;
	out->prefixlen = ifa.ifa_prefixlen;
	out->scope = ifa.ifa_scope;
	out->flags = ifa.ifa_flags;
	if (addr_fill(tb, out) < 0) {
		memset(out, 0, sizeof(*out));
		return -EBADMSG;
	}
	return 0;
}

static int addr_req(struct nl_sock *ns, uint16_t type, uint16_t flags,
		    const struct nl_addr *a)
{
	char buf[MNL_SOCKET_BUFFER_SIZE] NL_ALIGNED;
	struct nlmsghdr *nlh;
	int err;

	err = nl_addr_msg(buf, type, flags, a, &nlh);
	if (err < 0)
		return err;
	return nl_talk(ns, nlh, NULL, NULL);
}

int nl_addr_add(struct nl_sock *ns, const struct nl_addr *a)
{
	return addr_req(ns, RTM_NEWADDR, NLM_F_CREATE | NLM_F_EXCL, a);
}

int nl_addr_replace(struct nl_sock *ns, const struct nl_addr *a)
{
	return addr_req(ns, RTM_NEWADDR, NLM_F_CREATE | NLM_F_REPLACE, a);
}

int nl_addr_del(struct nl_sock *ns, const struct nl_addr *a)
{
	return addr_req(ns, RTM_DELADDR, 0, a);
}

_Static_assert(sizeof(struct nl_addr) <= NL_ELEM_MAX, "nl_dump_array()");

struct addr_filter {
	int family;
	int index;
};

static int keep_cb(const struct nlmsghdr *nlh, void *elem, void *data)
{
	const struct addr_filter *f = data;
	struct nl_addr *a = elem;
	int err;

	if (nlh->nlmsg_type != RTM_NEWADDR)
		return 0;
	err = nl_addr_parse(nlh, a);
	if (err == -EAFNOSUPPORT)
		return 0;
	if (err < 0)
		return err;
	return (f->family == AF_UNSPEC || a->family == f->family) &&
	       (!f->index || a->index == f->index);
}

/* Strict checking of dump requests (Linux 4.20): the kernel then sends
 * only @index's addresses.  False where it is unknown (keep_cb() filters
 * all the same). */
static bool strict_dumps(struct nl_sock *ns, bool on)
{
	int v = on;

	return setsockopt(nl_fd(ns), SOL_NETLINK, NETLINK_GET_STRICT_CHK, &v,
			  sizeof(v)) == 0;
}

int nl_addr_dump(struct nl_sock *ns, int family, int index, struct nl_addr *out,
		 size_t max, size_t *n)
{
	char buf[MNL_SOCKET_BUFFER_SIZE] NL_ALIGNED;
	struct addr_filter f = { family, index };
	struct nlmsghdr *nlh;
	bool strict = index > 0 && strict_dumps(ns, true);
	int err;

	nl_addr_dump_index_msg(buf, family, strict ? index : 0, &nlh);
	err = nl_dump_array(ns, nlh, keep_cb, &f, out, sizeof(*out), max, n);
	if (strict)
		strict_dumps(ns, false);
	return err;
}

/* Deletes what identifies @a, not its lifetimes or flags. */
static int flush_one(struct nl_sock *ns, const struct nl_addr *a)
{
	struct nl_addr d = { 0 };
	int err;

	d.family = a->family;
	d.index = a->index;
	d.prefixlen = a->prefixlen;
	d.local = a->local;
	d.address = a->address;
	memcpy(d.label, a->label, sizeof(d.label));
	err = nl_addr_del(ns, &d);
	/* an IPv4 primary takes its secondaries with it */
	return err == -EADDRNOTAVAIL ? 0 : err;
}

int nl_addr_flush(struct nl_sock *ns, int family, int index)
{
	struct nl_addr batch[NL_ADDR_FLUSH_BATCH];
	size_t i, n;
	int ret, err;

	if (index <= 0)
		return -EINVAL;
	do {
		ret = nl_addr_dump(ns, family, index, batch,
				   NL_ADDR_FLUSH_BATCH, &n);
		if (ret < 0 && ret != -ENOSPC)
			return ret;
		for (i = 0; i < n; i++) {
			err = flush_one(ns, &batch[i]);
			if (err < 0)
				return err;
		}
	} while (ret == -ENOSPC && n > 0);
	return 0;
}

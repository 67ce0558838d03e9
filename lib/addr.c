// SPDX-License-Identifier: MIT
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

/* The attributes we read; newer ones are skipped by nl_parse_attrs(). */
#define ADDR_ATTR_MAX IFA_FLAGS

static bool put_ip(struct nlmsghdr *nlh, uint16_t type, const struct ip_addr *a)
{
	return mnl_attr_put_check(nlh, MNL_SOCKET_BUFFER_SIZE, type,
				  ip_len(a->family), a->b);
}

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

	if (!put_ip(nlh, IFA_LOCAL, &a->local))
		return false;
	if (peer && !put_ip(nlh, IFA_ADDRESS, &a->address))
		return false;
	if (a->broadcast.family != AF_UNSPEC &&
	    !put_ip(nlh, IFA_BROADCAST, &a->broadcast))
		return false;
	if (a->flags > 0xff &&
	    !mnl_attr_put_u32_check(nlh, MNL_SOCKET_BUFFER_SIZE, IFA_FLAGS,
				    a->flags))
		return false;
	if (a->label[0] && !mnl_attr_put_strz_check(nlh, MNL_SOCKET_BUFFER_SIZE,
						    IFA_LABEL, a->label))
		return false;
	if (!peer && !put_ip(nlh, IFA_ADDRESS, &a->local))
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

int nl_addr_dump_msg(void *buf, int family, struct nlmsghdr **out)
{
	struct nlmsghdr *nlh = nl_msg(buf, RTM_GETADDR, NLM_F_DUMP);
	struct ifaddrmsg *ifa;

	ifa = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifa));
	ifa->ifa_family = (uint8_t)family;
	*out = nlh;
	return 0;
}

/* Shape checks that need no family; exact lengths are checked later. */
static bool addr_attr_ok(const struct nlattr *a)
{
	uint16_t len = mnl_attr_get_payload_len(a);

	switch (mnl_attr_get_type(a)) {
	case IFA_ADDRESS:
	case IFA_LOCAL:
	case IFA_BROADCAST:
		return len == 4 || len == 16;
	case IFA_CACHEINFO:
		return len == sizeof(struct ifa_cacheinfo);
	case IFA_FLAGS:
		return len == sizeof(uint32_t);
	default:
		return true; /* unused here; IFA_LABEL: nl_attr_strcpy() */
	}
}

static int get_ip(const struct nlattr *a, int family, struct ip_addr *out)
{
	memset(out, 0, sizeof(*out));
	if (!a)
		return 0;
	if (ip_from_bytes(family, mnl_attr_get_payload(a),
			  mnl_attr_get_payload_len(a), out) < 0)
		return -EBADMSG;
	return 0;
}

static uint32_t get_u32(const struct nlattr *a)
{
	uint32_t v;

	memcpy(&v, mnl_attr_get_payload(a), sizeof(v));
	return v;
}

static int addr_fill(const struct nlattr **tb, struct nl_addr *out)
{
	struct ifa_cacheinfo ci;

	if (get_ip(tb[IFA_LOCAL], out->family, &out->local) < 0 ||
	    get_ip(tb[IFA_ADDRESS], out->family, &out->address) < 0 ||
	    get_ip(tb[IFA_BROADCAST], out->family, &out->broadcast) < 0)
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
		out->flags = get_u32(tb[IFA_FLAGS]);
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
	if (nl_parse_attrs(nlh, sizeof(ifa), tb, ADDR_ATTR_MAX, addr_attr_ok) <
	    0)
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

struct dump_ctx {
	int family;
	int index;
	struct nl_addr *out;
	size_t max;
	size_t n;
	bool full;
};

static void dump_restart(void *data)
{
	struct dump_ctx *c = data;

	c->n = 0;
	c->full = false;
}

static int dump_cb(const struct nlmsghdr *nlh, void *data)
{
	struct dump_ctx *c = data;
	struct nl_addr a;
	int err;

	if (nlh->nlmsg_type != RTM_NEWADDR)
		return MNL_CB_OK;
	err = nl_addr_parse(nlh, &a);
	if (err == -EAFNOSUPPORT)
		return MNL_CB_OK;
	if (err < 0)
		return err;
	if ((c->family != AF_UNSPEC && a.family != c->family) ||
	    (c->index && a.index != c->index))
		return MNL_CB_OK;
	if (c->n < c->max)
		c->out[c->n++] = a;
	else
		c->full = true;
	return MNL_CB_OK;
}

int nl_addr_dump(struct nl_sock *ns, int family, int index, struct nl_addr *out,
		 size_t max, size_t *n)
{
	char buf[MNL_SOCKET_BUFFER_SIZE] NL_ALIGNED;
	struct dump_ctx c = { family, index, out, max, 0, false };
	struct nlmsghdr *nlh;
	int err;

	*n = 0;
	nl_addr_dump_msg(buf, family, &nlh);
	err = nl_dump(ns, nlh, dump_cb, dump_restart, &c);
	if (err < 0)
		return err;
	*n = c.n;
	return c.full ? -ENOSPC : 0;
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

// SPDX-License-Identifier: MIT
/*
 * The netlink core (see nl.h): the socket, request/ack and dump loops and
 * the reply parser; the one attribute walker, with the policy check every
 * parser's attributes go through (attr_valid); and the collector that
 * dumps objects into a caller's array (nl_dump_array).
 */
#include <errno.h>
#include <stdalign.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/uio.h>

#include <linux/netlink.h>
#include <libmnl/libmnl.h>

#include "embnet/nl.h"

#ifndef SOL_NETLINK
#define SOL_NETLINK 270
#endif

int nl_open(struct nl_sock *ns, int bus)
{
	int one = 1;
	int err;

	memset(ns, 0, sizeof(*ns));
	ns->nl = mnl_socket_open2(bus, SOCK_CLOEXEC);
	if (!ns->nl)
		return -errno;
	/* Both are best effort: kernels before 4.12 lack extended acks. */
	mnl_socket_setsockopt(ns->nl, NETLINK_EXT_ACK, &one, sizeof(one));
	mnl_socket_setsockopt(ns->nl, NETLINK_CAP_ACK, &one, sizeof(one));
	if (mnl_socket_bind(ns->nl, 0, MNL_SOCKET_AUTOPID) < 0) {
		err = -errno;
		goto out;
	}
	ns->portid = mnl_socket_get_portid(ns->nl);
	ns->seq = (uint32_t)getpid() << 8;
	return 0;
out:
	mnl_socket_close(ns->nl);
	ns->nl = NULL;
	return err;
}

void nl_close(struct nl_sock *ns)
{
	if (ns->nl)
		mnl_socket_close(ns->nl);
	ns->nl = NULL;
	free(ns->rx);
	ns->rx = NULL;
	ns->rx_size = 0;
}

int nl_fd(const struct nl_sock *ns)
{
	return mnl_socket_get_fd(ns->nl);
}

struct nlmsghdr *nl_msg(void *buf, uint16_t type, uint16_t flags)
{
	struct nlmsghdr *nlh;

	/* libmnl 1.0.4 leaves attribute padding as it finds it. */
	memset(buf, 0, MNL_SOCKET_BUFFER_SIZE);
	nlh = mnl_nlmsg_put_header(buf);

	nlh->nlmsg_type = type;
	nlh->nlmsg_flags = NLM_F_REQUEST | flags;
	return nlh;
}

const char *nl_ext_msg(const struct nl_sock *ns)
{
	return ns->ext_msg;
}

int nl_attr_strcpy(const struct nlattr *a, char *out, size_t out_len)
{
	size_t len = mnl_attr_get_payload_len(a);
	const char *s = mnl_attr_get_payload(a);
	const char *nul = memchr(s, '\0', len);

	if (!nul || (size_t)(nul - s) >= out_len)
		return -EBADMSG;
	memcpy(out, s, nul - s + 1);
	return 0;
}

uint32_t nl_attr_u32_or(const struct nlattr *a, uint32_t def)
{
	return a ? mnl_attr_get_u32(a) : def;
}

/* Whether @a has the shape @p asks for (see enum nl_attr_kind). */
static bool attr_valid(const struct nlattr *a, const struct nl_policy *p)
{
	uint16_t len = mnl_attr_get_payload_len(a);
	const char *s = mnl_attr_get_payload(a);
	bool fits = len >= p->min_len && (!p->max_len || len <= p->max_len);

	switch (p->kind) {
	case NL_A_U8:
		return len == sizeof(uint8_t);
	case NL_A_U16:
		return len == sizeof(uint16_t);
	case NL_A_U32:
		return len == sizeof(uint32_t);
	case NL_A_FLAG:
		return len == 0;
	case NL_A_NESTED:
		return len == 0 || len >= MNL_ATTR_HDRLEN;
	case NL_A_STRING:
		return fits && len > 0 && s[len - 1] == '\0';
	case NL_A_BINARY:
		return fits;
	case NL_A_INADDR:
		return len == 4 || len == 16;
	default:
		return true;
	}
}

/*
 * Calls @cb for each of the @len bytes of attributes at @p.  Unlike
 * mnl_attr_parse(), a bad attribute length or trailing bytes are an error,
 * not a silent stop.
 */
static int attrs_walk(const void *p, size_t len,
		      int (*cb)(const struct nlattr *a, void *data), void *data)
{
	const struct nlattr *a = p;
	int left = len > INT32_MAX ? INT32_MAX : (int)len;
	int ret;

	while (mnl_attr_ok(a, left)) {
		ret = cb(a, data);
		if (ret < 0)
			return ret;
		left -= MNL_ALIGN(a->nla_len);
		a = mnl_attr_next(a);
	}
	return left > 0 ? -EBADMSG : 0;
}

int nl_nest_walk(const struct nlattr *nest,
		 int (*cb)(const struct nlattr *a, void *data), void *data)
{
	return attrs_walk(mnl_attr_get_payload(nest),
			  mnl_attr_get_payload_len(nest), cb, data);
}

struct table {
	const struct nlattr **tb;
	uint16_t max;
	const struct nl_policy *pol;
};

static int table_cb(const struct nlattr *a, void *data)
{
	struct table *t = data;
	uint16_t type = mnl_attr_get_type(a);

	if (type > t->max)
		return 0; /* newer kernel: skip */
	if (t->pol && !attr_valid(a, &t->pol[type]))
		return -EBADMSG;
	t->tb[type] = a;
	return 0;
}

/* Fills @tb from @len bytes of attributes at @p (see nl_parse_attrs()). */
static int attrs_table(const void *p, size_t len, const struct nlattr **tb,
		       uint16_t max, const struct nl_policy *pol)
{
	struct table t = { tb, max, pol };

	memset(tb, 0, (max + 1) * sizeof(*tb));
	return attrs_walk(p, len, table_cb, &t);
}

int nl_parse_attrs(const struct nlmsghdr *nlh, size_t hdr_len,
		   const struct nlattr **tb, uint16_t max,
		   const struct nl_policy *pol)
{
	size_t payload = mnl_nlmsg_get_payload_len(nlh);

	memset(tb, 0, (max + 1) * sizeof(*tb));
	if (payload < hdr_len)
		return -EBADMSG;
	if (payload <= MNL_ALIGN(hdr_len))
		return 0;
	return attrs_table(mnl_nlmsg_get_payload_offset(nlh, hdr_len),
			   payload - MNL_ALIGN(hdr_len), tb, max, pol);
}

int nl_parse_nested(const struct nlattr *nest, const struct nlattr **tb,
		    uint16_t max, const struct nl_policy *pol)
{
	return attrs_table(mnl_attr_get_payload(nest),
			   mnl_attr_get_payload_len(nest), tb, max, pol);
}

/* Stores the NLMSGERR_ATTR_* TLVs that follow an error or DONE payload. */
static void ext_ack_parse(struct nl_sock *ns, const struct nlmsghdr *nlh,
			  size_t off)
{
	static const struct nl_policy off_pol = { .kind = NL_A_U32 };
	const struct nlattr *tb[NLMSGERR_ATTR_MAX + 1];
	const struct nlattr *a;

	if (!(nlh->nlmsg_flags & NLM_F_ACK_TLVS))
		return;
	if (off > mnl_nlmsg_get_payload_len(nlh))
		return;
	/* No policy: a malformed offset must not cost the text. */
	if (attrs_table(mnl_nlmsg_get_payload_offset(nlh, off),
			mnl_nlmsg_get_payload_len(nlh) - off, tb,
			NLMSGERR_ATTR_MAX, NULL) < 0)
		return; /* the error code still stands */
	a = tb[NLMSGERR_ATTR_MSG];
	if (a && nl_attr_strcpy(a, ns->ext_msg, sizeof(ns->ext_msg)) < 0)
		ns->ext_msg[0] = '\0';
	a = tb[NLMSGERR_ATTR_OFFS];
	if (a && attr_valid(a, &off_pol))
		ns->ext_off = mnl_attr_get_u32(a);
}

static int error_msg(struct nl_sock *ns, const struct nlmsghdr *nlh)
{
	const struct nlmsgerr *e = mnl_nlmsg_get_payload(nlh);
	size_t len = mnl_nlmsg_get_payload_len(nlh);
	size_t off = sizeof(*e);

	if (len < sizeof(*e))
		return -EBADMSG;
	if (e->error > 0 || e->error < -4095)
		return -EBADMSG;
	/* Without NLM_F_CAPPED the request follows the header in full. */
	if (!(nlh->nlmsg_flags & NLM_F_CAPPED)) {
		if (e->msg.nlmsg_len < sizeof(e->msg) ||
		    e->msg.nlmsg_len > len - sizeof(e->error))
			return e->error;
		off = sizeof(e->error) + e->msg.nlmsg_len;
	}
	ext_ack_parse(ns, nlh, MNL_ALIGN(off));
	return e->error;
}

static int done_msg(struct nl_sock *ns, const struct nlmsghdr *nlh)
{
	int32_t err;

	/* A DONE without payload (old kernels) means success. */
	if (mnl_nlmsg_get_payload_len(nlh) < sizeof(err))
		return 0;
	memcpy(&err, mnl_nlmsg_get_payload(nlh), sizeof(err));
	if (err > 0 || err < -4095)
		return -EBADMSG;
	ext_ack_parse(ns, nlh, MNL_ALIGN(sizeof(err)));
	return err;
}

static int data_msg(const struct nlmsghdr *nlh, nl_cb_t cb, void *data)
{
	int ret;

	if (!cb)
		return 1;
	ret = cb(nlh, data);
	if (ret == MNL_CB_OK)
		return 1;
	if (ret == MNL_CB_STOP)
		return 2;
	if (ret == MNL_CB_ERROR || ret >= 0)
		return -EBADMSG;
	return ret;
}

/*
 * mnl_nlmsg_ok() compares (int)nlmsg_len <= len, so a length of 2^31 or more
 * turns negative and passes: check unsigned instead.
 */
static bool msg_ok(const struct nlmsghdr *nlh, size_t left)
{
	return left >= sizeof(*nlh) && nlh->nlmsg_len >= sizeof(*nlh) &&
	       nlh->nlmsg_len <= left;
}

int nl_parse_reply(struct nl_sock *ns, const void *buf, size_t len,
		   uint32_t seq, nl_cb_t cb, void *data)
{
	const struct nlmsghdr *nlh = buf;
	size_t left = len, adv;
	bool stopped = false;
	int ret = 1;

	while (ret == 1 && msg_ok(nlh, left)) {
		/* Notifications carry the seq and port of whoever caused them.
		 */
		if (seq != 0 && nlh->nlmsg_seq != seq)
			return -EPROTO;
		if (seq != 0 && nlh->nlmsg_pid != ns->portid &&
		    nlh->nlmsg_pid != 0)
			return -ESRCH;
		if (nlh->nlmsg_flags & NLM_F_DUMP_INTR)
			ns->intr = true; /* remembered until DONE */
		switch (nlh->nlmsg_type) {
		case NLMSG_NOOP:
			break;
		case NLMSG_ERROR: /* an event socket never asked: no ACK */
			ret = seq ? error_msg(ns, nlh) : -EPROTO;
			break;
		case NLMSG_DONE:
			ret = seq ? done_msg(ns, nlh) : -EPROTO;
			break;
		case NLMSG_OVERRUN:
			ret = -ENOBUFS;
			break;
		default:
			ret = data_msg(nlh, cb, data);
			if (ret == 2) { /* read on to the end, unseen */
				cb = NULL;
				stopped = true;
				ret = 1;
			}
			break;
		}
		adv = NLMSG_ALIGN(nlh->nlmsg_len);
		left = adv < left ? left - adv : 0;
		nlh = (const void *)((const char *)nlh + adv);
	}
	if (ret == 1 && left != 0)
		return -EBADMSG; /* a truncated header or message */
	if (ret == 0 && ns->intr)
		return -EINTR;
	return ret == 1 && stopped ? 2 : ret;
}

/* Peeks at (@flags MSG_PEEK) or drops (0) the next datagram; returns its
 * full length (MSG_TRUNC) or -errno. */
static ssize_t rx_next(const struct nl_sock *ns, int flags)
{
	char byte;
	struct iovec iov = { .iov_base = &byte, .iov_len = 0 };
	struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1 };
	ssize_t n;

	n = recvmsg(nl_fd(ns), &msg, flags | MSG_TRUNC);
	return n < 0 ? -errno : n;
}

static int rx_grow(struct nl_sock *ns, size_t len)
{
	size_t size = (len + 4095) & ~(size_t)4095;
	void *p;

	if (len > NL_RX_MAX)
		return -EMSGSIZE;
	if (size <= ns->rx_size)
		return 0;
	p = realloc(ns->rx, size);
	if (!p)
		return -ENOMEM;
	ns->rx = p;
	ns->rx_size = size;
	return 0;
}

/*
 * Reads the next datagram into @stack (MNL_SOCKET_DUMP_SIZE bytes) or, if
 * larger, into ns->rx; *@buf tells which.  The kernel drops what does not
 * fit in the read (MSG_TRUNC), so the length is peeked first.  A datagram
 * too large or with no memory for it is dropped.  Returns its length or
 * -errno.
 */
static ssize_t rx_read(struct nl_sock *ns, void *stack, void **buf)
{
	size_t size = MNL_SOCKET_DUMP_SIZE;
	ssize_t n;
	int err;

	n = rx_next(ns, MSG_PEEK);
	if (n < 0)
		return n;
	*buf = stack;
	if ((size_t)n > size) {
		err = rx_grow(ns, (size_t)n);
		if (err < 0) {
			rx_next(ns, MSG_DONTWAIT);
			return err;
		}
		*buf = ns->rx;
		size = ns->rx_size;
	}
	n = mnl_socket_recvfrom(ns->nl, *buf, size);
	return n < 0 ? -errno : n;
}

int nl_talk(struct nl_sock *ns, struct nlmsghdr *nlh, nl_cb_t cb, void *data)
{
	char stack[MNL_SOCKET_DUMP_SIZE] NL_ALIGNED;
	void *buf;
	ssize_t n;
	int ret;

	if (++ns->seq == 0)
		ns->seq = 1; /* libmnl skips its checks for seq 0 */
	nlh->nlmsg_seq = ns->seq;
	nlh->nlmsg_flags |= NLM_F_ACK;
	ns->ext_msg[0] = '\0';
	ns->ext_off = 0;
	ns->intr = false;
	if (mnl_socket_sendto(ns->nl, nlh, nlh->nlmsg_len) < 0)
		return -errno;
	do {
		n = rx_read(ns, stack, &buf);
		if (n < 0)
			return (int)n;
		ret = nl_parse_reply(ns, buf, (size_t)n, nlh->nlmsg_seq, cb,
				     data);
		if (ret == 2)
			cb = NULL; /* @cb said stop: drain the rest */
	} while (ret == 1 || ret == 2);
	return ret;
}

int nl_dump(struct nl_sock *ns, struct nlmsghdr *nlh, nl_cb_t cb,
	    void (*restart)(void *data), void *data)
{
	int tries = 0;
	int ret;

	while ((ret = nl_talk(ns, nlh, cb, data)) == -EINTR &&
	       ++tries < NL_DUMP_RETRIES) {
		if (restart)
			restart(data);
	}
	return ret;
}

struct collect {
	int (*cb)(const struct nlmsghdr *nlh, void *elem, void *data);
	void *data;
	char *out;
	size_t size, max, n;
	bool full;
};

static void collect_restart(void *data)
{
	struct collect *c = data;

	c->n = 0;
	c->full = false;
}

static int collect_cb(const struct nlmsghdr *nlh, void *data)
{
	alignas(max_align_t) char elem[NL_ELEM_MAX];
	struct collect *c = data;
	int ret = c->cb(nlh, elem, c->data);

	if (ret <= 0)
		return ret < 0 ? ret : MNL_CB_OK;
	if (c->n < c->max)
		memcpy(c->out + c->n++ * c->size, elem, c->size);
	else
		c->full = true; /* read on: the dump must be drained */
	return MNL_CB_OK;
}

int nl_dump_array(struct nl_sock *ns, struct nlmsghdr *nlh,
		  int (*cb)(const struct nlmsghdr *nlh, void *elem, void *data),
		  void *data, void *out, size_t elem_size, size_t max,
		  size_t *n)
{
	struct collect c = { cb, data, out, elem_size, max, 0, false };
	int err;

	*n = 0;
	if (elem_size > NL_ELEM_MAX)
		return -EINVAL;
	err = nl_dump(ns, nlh, collect_cb, collect_restart, &c);
	if (err < 0)
		return err;
	*n = c.n;
	return c.full ? -ENOSPC : 0;
}

/* SPDX-License-Identifier: MIT */
/*
 * Unit-test helper, included by a test file after <cmocka.h>.  Netlink is
 * in host byte order, and the tests' recorded messages come from a
 * little-endian kernel.  nlfix_msgs() rewrites such a buffer in place into
 * the bytes a kernel on this CPU would send.  It always converts the
 * message, struct and attribute headers.  It converts an attribute payload
 * only where a table below lists it as integers.  Addresses, ports and
 * strings stay as they are.  On a little-endian CPU no byte changes, but
 * the walk still asserts every length.  nlfix_payload() and nlfix_attrs()
 * do the same for a message body or a run of attributes alone.  The
 * rtnetlink tables are here; the generic netlink ones are in nlfix_genl.h.
 *
 * It is also the one place tests build and compare messages:
 * nlfix_aligned() gives recorded bytes the alignment netlink headers
 * need, nlfix_msg_start() starts a synthetic reply (attributes appended
 * with mnl_attr_put_*()), and nlfix_assert_req() / nlfix_assert_msg()
 * compare a built request with recorded or expected bytes.
 */
#ifndef EMBNET_TESTS_NLFIX_H
#define EMBNET_TESTS_NLFIX_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <sys/socket.h>

#include <linux/if_addr.h>
#include <linux/if_link.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <libmnl/libmnl.h>

/*
 * A layout lists field widths in bytes: "112444" is a struct ifinfomsg.  A
 * '*' after a width repeats that width to the end of the payload.  "i" is a
 * single integer of whatever size the payload has (0, 1, 2, 4 or 8 bytes).
 * Bytes after the last field, such as struct padding, stay as they are.
 */
struct nlfix_attr {
	uint16_t type; /* NLFIX_ANY: any type not listed before */
	const char *layout;
	const struct nlfix_attr *nest; /* or: the payload is attributes */
};

/* The fixed header after the nlmsghdr, then attributes. */
struct nlfix_fam {
	const char *hdr;
	const struct nlfix_attr *attrs;
};

#define NLFIX_ANY 0xffff
/* clang-format off */
#define NLFIX_INT(t) { (t), "i", NULL }
#define NLFIX_FIELDS(t, layout) { (t), (layout), NULL }
#define NLFIX_NEST(t, tab) { (t), NULL, (tab) }
#define NLFIX_END { 0, NULL, NULL }
/* clang-format on */

/* Rewrites the little-endian integer of @w bytes at @p in host order. */
static void nlfix_int(uint8_t *p, size_t w)
{
	uint64_t v = 0;
	uint32_t v32;
	uint16_t v16;
	size_t i;

	for (i = w; i > 0; i--)
		v = v << 8 | p[i - 1];
	switch (w) {
	case 0: /* a flag */
	case 1:
		break;
	case 2:
		v16 = (uint16_t)v;
		memcpy(p, &v16, sizeof(v16));
		break;
	case 4:
		v32 = (uint32_t)v;
		memcpy(p, &v32, sizeof(v32));
		break;
	case 8:
		memcpy(p, &v, sizeof(v));
		break;
	default:
		fail_msg("nlfix: no integer is %zu bytes long", w);
	}
}

static void nlfix_fields(uint8_t *p, size_t len, const char *layout)
{
	size_t w, n;

	if (strcmp(layout, "i") == 0) {
		nlfix_int(p, len);
		return;
	}
	for (; *layout; layout++) {
		w = (size_t)(*layout - '0');
		assert_true(w == 1 || w == 2 || w == 4 || w == 8);
		n = 1;
		if (layout[1] == '*') {
			assert_int_equal(len % w, 0);
			n = len / w;
			layout++;
		}
		assert_true(n * w <= len);
		for (; n > 0; n--, p += w, len -= w)
			nlfix_int(p, w);
	}
}

static size_t nlfix_size(const char *layout)
{
	size_t n = 0;

	for (; *layout; layout++)
		n += (size_t)(*layout - '0');
	return n;
}

static const struct nlfix_attr *nlfix_find(const struct nlfix_attr *tab,
					   uint16_t type)
{
	for (; tab && (tab->layout || tab->nest); tab++) {
		if (tab->type == (type & NLA_TYPE_MASK) ||
		    tab->type == NLFIX_ANY)
			return tab;
	}
	return NULL;
}

/* Converts @len bytes of attributes at @buf, payloads as @tab says. */
static void nlfix_attrs(void *buf, size_t len, const struct nlfix_attr *tab)
{
	const struct nlfix_attr *e;
	uint8_t *p = buf;
	struct nlattr a;
	size_t step;

	while (len > 0) {
		assert_true(len >= sizeof(a));
		nlfix_fields(p, sizeof(a), "22");
		memcpy(&a, p, sizeof(a));
		assert_true(a.nla_len >= sizeof(a) && a.nla_len <= len);
		e = nlfix_find(tab, a.nla_type);
		/* A payload flagged network order is big-endian already. */
		if (a.nla_type & NLA_F_NET_BYTEORDER)
			e = NULL;
		if (e && e->nest)
			nlfix_attrs(p + NLA_HDRLEN, a.nla_len - NLA_HDRLEN,
				    e->nest);
		else if (e)
			nlfix_fields(p + NLA_HDRLEN, a.nla_len - NLA_HDRLEN,
				     e->layout);
		step = NLA_ALIGN(a.nla_len);
		if (step >= len)
			break;
		p += step;
		len -= step;
	}
}

/*
 * Converts a message payload of @fam: its fixed header, then attributes.
 * An empty payload (a request for everything) has neither.
 */
static void nlfix_payload(void *buf, size_t len, const struct nlfix_fam *fam)
{
	size_t hdr = nlfix_size(fam->hdr);

	if (len == 0)
		return;
	assert_true(hdr <= len);
	nlfix_fields(buf, hdr, fam->hdr);
	if (NLMSG_ALIGN(hdr) < len)
		nlfix_attrs((uint8_t *)buf + NLMSG_ALIGN(hdr),
			    len - NLMSG_ALIGN(hdr), fam->attrs);
}

static const struct nlfix_attr nlfix_policy[] = {
	NLFIX_INT(NLFIX_ANY), /* NL_POLICY_TYPE_ATTR_*: all integers */
	NLFIX_END,
};

static const struct nlfix_attr nlfix_ext_ack[] = {
	NLFIX_INT(NLMSGERR_ATTR_OFFS),
	NLFIX_NEST(NLMSGERR_ATTR_POLICY, nlfix_policy),
	NLFIX_INT(NLMSGERR_ATTR_MISS_TYPE),
	NLFIX_INT(NLMSGERR_ATTR_MISS_NEST),
	NLFIX_END,
};

/* The extended ack after byte @off of an ERROR or DONE payload. */
static void nlfix_ext(uint8_t *p, size_t len, size_t off, uint16_t flags)
{
	off = NLMSG_ALIGN(off);
	if ((flags & NLM_F_ACK_TLVS) && off < len)
		nlfix_attrs(p + off, len - off, nlfix_ext_ack);
}

/* The error and the request's header; its payload too unless capped. */
static void nlfix_error(uint8_t *p, size_t len, uint16_t flags,
			const struct nlfix_fam *fam)
{
	struct nlmsghdr req;
	size_t off = sizeof(struct nlmsgerr);

	assert_true(len >= off);
	nlfix_fields(p, off, "442244");
	memcpy(&req, p + sizeof(int), sizeof(req));
	if (!(flags & NLM_F_CAPPED)) {
		assert_true(req.nlmsg_len >= sizeof(req) &&
			    req.nlmsg_len <= len - sizeof(int));
		nlfix_payload(p + off, req.nlmsg_len - sizeof(req), fam);
		off = sizeof(int) + req.nlmsg_len;
	}
	nlfix_ext(p, len, off, flags);
}

/*
 * Converts @len bytes of netlink messages at @buf.  Data messages are of
 * @fam, and so is the request that an NLMSG_ERROR echoes.
 */
static void nlfix_msgs(void *buf, size_t len, const struct nlfix_fam *fam)
{
	uint8_t *p = buf;
	struct nlmsghdr h;
	size_t body, step;

	while (len > 0) {
		assert_true(len >= sizeof(h));
		nlfix_fields(p, sizeof(h), "42244");
		memcpy(&h, p, sizeof(h));
		assert_true(h.nlmsg_len >= sizeof(h) && h.nlmsg_len <= len);
		body = h.nlmsg_len - sizeof(h);
		if (h.nlmsg_type == NLMSG_ERROR) {
			nlfix_error(p + sizeof(h), body, h.nlmsg_flags, fam);
		} else if (h.nlmsg_type == NLMSG_DONE && body >= sizeof(int)) {
			nlfix_fields(p + sizeof(h), sizeof(int), "4");
			nlfix_ext(p + sizeof(h), body, sizeof(int),
				  h.nlmsg_flags);
		} else if (h.nlmsg_type >= NLMSG_MIN_TYPE) {
			nlfix_payload(p + sizeof(h), body, fam);
		}
		step = NLMSG_ALIGN(h.nlmsg_len);
		if (step >= len)
			break;
		p += step;
		len -= step;
	}
}

/* ---- building and comparing --------------------------------------------- */

/*
 * A copy of @len recorded bytes at @rec, zero after them, in a buffer
 * aligned for netlink headers (byte arrays are not).  Every call reuses
 * the same buffer.
 */
static inline struct nlmsghdr *nlfix_aligned(const void *rec, size_t len)
{
	static uint8_t buf[8192] __attribute__((aligned(8)));

	assert_true(len <= sizeof(buf));
	memset(buf, 0, sizeof(buf));
	memcpy(buf, rec, len);
	return (struct nlmsghdr *)(void *)buf;
}

/*
 * Starts a message of @type in @buf (@buf_len bytes, zeroed first): the
 * nlmsghdr, then @hdr_len bytes of fixed header copied from @hdr (zeros if
 * @hdr is NULL).  Tests append attributes with mnl_attr_put_*().
 */
static inline struct nlmsghdr *nlfix_msg_start(void *buf, size_t buf_len,
					       uint16_t type, const void *hdr,
					       size_t hdr_len)
{
	struct nlmsghdr *nlh;
	void *extra;

	assert_true(buf_len >= MNL_NLMSG_HDRLEN + MNL_ALIGN(hdr_len));
	memset(buf, 0, buf_len);
	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = type;
	extra = mnl_nlmsg_put_extra_header(nlh, hdr_len);
	if (hdr)
		memcpy(extra, hdr, hdr_len);
	return nlh;
}

/*
 * Asserts that the request @nlh is the recorded one (@len bytes at @rec,
 * already through nlfix_msgs()) but for what nl_talk() adds when it
 * sends: NLM_F_ACK and the sequence number, taken from @rec.
 */
static inline void nlfix_assert_req(const struct nlmsghdr *nlh,
				    const uint8_t *rec, size_t len)
{
	union {
		struct nlmsghdr h;
		uint8_t b[1024];
	} got;

	assert_non_null(nlh);
	assert_int_equal(nlh->nlmsg_len, len);
	assert_true(len <= sizeof(got));
	memcpy(got.b, nlh, len);
	got.h.nlmsg_flags |= NLM_F_ACK;
	memcpy(got.b + offsetof(struct nlmsghdr, nlmsg_seq),
	       rec + offsetof(struct nlmsghdr, nlmsg_seq), sizeof(uint32_t));
	assert_memory_equal(got.b, rec, len);
}

/*
 * Asserts that the built message @nlh is byte for byte the @len
 * little-endian bytes at @want of @fam, which it converts in place.
 */
static inline void nlfix_assert_msg(const struct nlmsghdr *nlh, uint8_t *want,
				    size_t len, const struct nlfix_fam *fam)
{
	nlfix_msgs(want, len, fam);
	assert_non_null(nlh);
	assert_int_equal(nlh->nlmsg_len, len);
	assert_memory_equal(nlh, want, len);
}

/* ---- rtnetlink ---------------------------------------------------------- */

static const struct nlfix_attr nlfix_vlan[] = {
	NLFIX_INT(IFLA_VLAN_ID), NLFIX_FIELDS(IFLA_VLAN_FLAGS, "44"),
	NLFIX_END, /* IFLA_VLAN_PROTOCOL is big-endian */
};

/* IFLA_INFO_DATA depends on the kind: the tests carry a vlan's only. */
static const struct nlfix_attr nlfix_linkinfo[] = {
	NLFIX_NEST(IFLA_INFO_DATA, nlfix_vlan),
	NLFIX_END,
};

static const struct nlfix_attr nlfix_inet[] = {
	NLFIX_FIELDS(IFLA_INET_CONF, "4*"),
	NLFIX_END,
};

static const struct nlfix_attr nlfix_inet6[] = {
	NLFIX_INT(IFLA_INET6_FLAGS),
	NLFIX_FIELDS(IFLA_INET6_CONF, "4*"),
	NLFIX_FIELDS(IFLA_INET6_STATS, "8*"),
	NLFIX_FIELDS(IFLA_INET6_CACHEINFO, "4*"),
	NLFIX_FIELDS(IFLA_INET6_ICMP6STATS, "8*"),
	NLFIX_INT(IFLA_INET6_RA_MTU),
	NLFIX_END,
};

/* IFLA_AF_SPEC holds one nest per address family. */
static const struct nlfix_attr nlfix_af_spec[] = {
	NLFIX_NEST(AF_INET, nlfix_inet),
	NLFIX_NEST(AF_INET6, nlfix_inet6),
	NLFIX_END,
};

static const struct nlfix_attr nlfix_link_attrs[] = {
	NLFIX_INT(IFLA_MTU),
	NLFIX_INT(IFLA_LINK),
	NLFIX_FIELDS(IFLA_STATS, "4*"),
	NLFIX_INT(IFLA_MASTER),
	NLFIX_INT(IFLA_TXQLEN),
	NLFIX_FIELDS(IFLA_MAP, "888211"), /* struct rtnl_link_ifmap */
	NLFIX_NEST(IFLA_LINKINFO, nlfix_linkinfo),
	NLFIX_FIELDS(IFLA_STATS64, "8*"),
	NLFIX_NEST(IFLA_AF_SPEC, nlfix_af_spec),
	NLFIX_INT(IFLA_GROUP),
	NLFIX_INT(IFLA_EXT_MASK),
	NLFIX_INT(IFLA_PROMISCUITY),
	NLFIX_INT(IFLA_NUM_TX_QUEUES),
	NLFIX_INT(IFLA_NUM_RX_QUEUES),
	NLFIX_INT(IFLA_CARRIER_CHANGES),
	NLFIX_INT(IFLA_LINK_NETNSID),
	NLFIX_INT(IFLA_GSO_MAX_SEGS),
	NLFIX_INT(IFLA_GSO_MAX_SIZE),
	NLFIX_INT(IFLA_CARRIER_UP_COUNT),
	NLFIX_INT(IFLA_CARRIER_DOWN_COUNT),
	NLFIX_INT(IFLA_MIN_MTU),
	NLFIX_INT(IFLA_MAX_MTU),
	NLFIX_INT(IFLA_GRO_MAX_SIZE),
	NLFIX_INT(IFLA_TSO_MAX_SIZE),
	NLFIX_INT(IFLA_TSO_MAX_SEGS),
	NLFIX_INT(IFLA_ALLMULTI),
	/*
	 * Newer than our headers: GSO_IPV4_MAX_SIZE, GRO_IPV4_MAX_SIZE,
	 * MAX_PACING_OFFLOAD_HORIZON, HEADROOM and TAILROOM.
	 */
	NLFIX_INT(63),
	NLFIX_INT(64),
	NLFIX_INT(66),
	NLFIX_INT(68),
	NLFIX_INT(69),
	NLFIX_END,
};

static const struct nlfix_attr nlfix_addr_attrs[] = {
	NLFIX_FIELDS(IFA_CACHEINFO, "4*"),
	NLFIX_INT(IFA_FLAGS),
	NLFIX_INT(IFA_RT_PRIORITY),
	NLFIX_INT(IFA_TARGET_NETNSID),
	NLFIX_END,
};

static const struct nlfix_attr nlfix_route_attrs[] = {
	NLFIX_INT(RTA_IIF),
	NLFIX_INT(RTA_OIF),
	NLFIX_INT(RTA_PRIORITY),
	NLFIX_INT(RTA_FLOW),
	NLFIX_FIELDS(RTA_CACHEINFO, "4*"),
	NLFIX_INT(RTA_TABLE),
	NLFIX_INT(RTA_MARK),
	NLFIX_INT(RTA_EXPIRES),
	NLFIX_INT(RTA_UID),
	NLFIX_END,
};

/* Headers: struct ifinfomsg, ifaddrmsg, rtmsg. */
static const struct nlfix_fam nlfix_link = {
	.hdr = "112444",
	.attrs = nlfix_link_attrs,
};
static const struct nlfix_fam nlfix_addr = {
	.hdr = "11114",
	.attrs = nlfix_addr_attrs,
};
static const struct nlfix_fam nlfix_route = {
	.hdr = "111111114",
	.attrs = nlfix_route_attrs,
};

#endif

// SPDX-License-Identifier: MIT
/*
 * Netlink core: reply parsing (recorded kernel replies and malformed ones),
 * attribute parsing and message building.  No sockets.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <linux/rtnetlink.h>
#include <cmocka.h>

#include "embnet/nl.h"
#include "nlfix.h"

#define PORTID 0x1c68
#define SEQ 1234

/*
 * Recorded: reply to RTM_NEWLINK veth0 IFLA_MTU 100000 with NETLINK_CAP_ACK
 * and NETLINK_EXT_ACK (Linux 6.1): -EINVAL, capped, extack message.
 */
static uint8_t rec_mtu_capped[] __attribute__((aligned(4))) = {
	0x48, 0x00, 0x00, 0x00, 0x02, 0x00, 0x00, 0x03, 0xd2, 0x04, 0x00, 0x00,
	0x68, 0x1c, 0x00, 0x00, 0xea, 0xff, 0xff, 0xff, 0x28, 0x00, 0x00, 0x00,
	0x10, 0x00, 0x05, 0x00, 0xd2, 0x04, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x24, 0x00, 0x01, 0x00, 0x6d, 0x74, 0x75, 0x20, 0x67, 0x72, 0x65, 0x61,
	0x74, 0x65, 0x72, 0x20, 0x74, 0x68, 0x61, 0x6e, 0x20, 0x64, 0x65, 0x76,
	0x69, 0x63, 0x65, 0x20, 0x6d, 0x61, 0x78, 0x69, 0x6d, 0x75, 0x6d, 0x00,
};

/* Recorded: the ACK of RTM_NEWLINK veth0 IFLA_MTU 1400 (capped). */
static uint8_t rec_ack[] __attribute__((aligned(4))) = {
	0x24, 0x00, 0x00, 0x00, 0x02, 0x00, 0x00, 0x01, 0xd2, 0x04, 0x00, 0x00,
	0x91, 0x1c, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x28, 0x00, 0x00, 0x00,
	0x10, 0x00, 0x05, 0x00, 0xd2, 0x04, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
};

/*
 * Recorded: IFLA_MTU sent as 2 bytes without NETLINK_CAP_ACK: -ERANGE, the
 * whole request echoed, then message, offset 32 and a policy nest.
 */
static uint8_t rec_policy_uncapped[] __attribute__((aligned(4))) = {
	0x90, 0x00, 0x00, 0x00, 0x02, 0x00, 0x00, 0x02, 0xd2, 0x04, 0x00, 0x00,
	0xcc, 0x1c, 0x00, 0x00, 0xde, 0xff, 0xff, 0xff, 0x28, 0x00, 0x00, 0x00,
	0x10, 0x00, 0x05, 0x00, 0xd2, 0x04, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x03, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x06, 0x00, 0x04, 0x00, 0x78, 0x05, 0x00, 0x00,
	0x27, 0x00, 0x01, 0x00, 0x41, 0x74, 0x74, 0x72, 0x69, 0x62, 0x75, 0x74,
	0x65, 0x20, 0x66, 0x61, 0x69, 0x6c, 0x65, 0x64, 0x20, 0x70, 0x6f, 0x6c,
	0x69, 0x63, 0x79, 0x20, 0x76, 0x61, 0x6c, 0x69, 0x64, 0x61, 0x74, 0x69,
	0x6f, 0x6e, 0x00, 0x00, 0x08, 0x00, 0x02, 0x00, 0x20, 0x00, 0x00, 0x00,
	0x24, 0x00, 0x04, 0x80, 0x0c, 0x00, 0x04, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x0c, 0x00, 0x05, 0x00, 0xff, 0xff, 0xff, 0xff,
	0x00, 0x00, 0x00, 0x00, 0x08, 0x00, 0x01, 0x00, 0x04, 0x00, 0x00, 0x00,
};

static void sock_init(struct nl_sock *ns, uint32_t portid)
{
	memset(ns, 0, sizeof(*ns));
	ns->portid = portid;
}

/*
 * Appends a message to @buf at *@off: header, then @len payload bytes.
 * @buf is 4-aligned, and *@off a sum of NLMSG_SPACE()s.
 */
static struct nlmsghdr *put(uint8_t *buf, size_t *off, uint16_t type,
			    uint16_t flags, const void *payload, size_t len)
{
	struct nlmsghdr *nlh = (void *)(buf + *off);

	memset(nlh, 0, NLMSG_SPACE(len));
	nlh->nlmsg_len = NLMSG_LENGTH(len);
	nlh->nlmsg_type = type;
	nlh->nlmsg_flags = flags;
	nlh->nlmsg_seq = SEQ;
	nlh->nlmsg_pid = PORTID;
	if (len)
		memcpy(NLMSG_DATA(nlh), payload, len);
	*off += NLMSG_SPACE(len);
	return nlh;
}

static struct nlmsghdr *put_link(uint8_t *buf, size_t *off, int index)
{
	struct ifinfomsg ifi = { .ifi_index = index };

	return put(buf, off, RTM_NEWLINK, NLM_F_MULTI, &ifi, sizeof(ifi));
}

static struct nlmsghdr *put_done(uint8_t *buf, size_t *off, int32_t err)
{
	return put(buf, off, NLMSG_DONE, NLM_F_MULTI, &err, sizeof(err));
}

struct seen {
	int n;
	int index[8];
	int ret; /* what the callback returns */
};

static int count_cb(const struct nlmsghdr *nlh, void *data)
{
	struct seen *s = data;
	const struct ifinfomsg *ifi = mnl_nlmsg_get_payload(nlh);

	if (s->n < 8)
		s->index[s->n] = ifi->ifi_index;
	s->n++;
	return s->ret;
}

/* Reads every payload byte, so a length past the buffer trips ASan. */
static int touch_cb(const struct nlmsghdr *nlh, void *data)
{
	const uint8_t *p = mnl_nlmsg_get_payload(nlh);
	size_t i, n = mnl_nlmsg_get_payload_len(nlh);
	unsigned *sum = data;

	for (i = 0; i < n; i++)
		*sum += p[i];
	return MNL_CB_OK;
}

static void test_recorded_ext_ack_capped(void **state)
{
	struct nl_sock ns;

	(void)state;
	sock_init(&ns, PORTID);
	assert_int_equal(nl_parse_reply(&ns, rec_mtu_capped,
					sizeof(rec_mtu_capped), SEQ, NULL,
					NULL),
			 -EINVAL);
	assert_string_equal(nl_ext_msg(&ns), "mtu greater than device maximum");
	assert_int_equal(ns.ext_off, 0);
}

static void test_recorded_ack(void **state)
{
	struct nl_sock ns;

	(void)state;
	sock_init(&ns, 0x1c91);
	assert_int_equal(
		nl_parse_reply(&ns, rec_ack, sizeof(rec_ack), SEQ, NULL, NULL),
		0);
	assert_string_equal(nl_ext_msg(&ns), "");
}

static void test_recorded_ext_ack_uncapped(void **state)
{
	struct nl_sock ns;

	(void)state;
	sock_init(&ns, 0x1ccc);
	assert_int_equal(nl_parse_reply(&ns, rec_policy_uncapped,
					sizeof(rec_policy_uncapped), SEQ, NULL,
					NULL),
			 -ERANGE);
	assert_string_equal(nl_ext_msg(&ns),
			    "Attribute failed policy validation");
	assert_int_equal(ns.ext_off, 32);
}

static void test_error_without_ext_ack(void **state)
{
	uint8_t buf[256] __attribute__((aligned(4)));
	size_t off = 0;
	struct nlmsgerr e = { .error = -ENODEV };
	struct nl_sock ns;

	(void)state;
	e.msg.nlmsg_len = sizeof(e.msg);
	put(buf, &off, NLMSG_ERROR, 0, &e, sizeof(e));
	sock_init(&ns, PORTID);
	assert_int_equal(nl_parse_reply(&ns, buf, off, SEQ, NULL, NULL),
			 -ENODEV);
	assert_string_equal(nl_ext_msg(&ns), "");
}

static void test_error_bad_ext_ack_keeps_errno(void **state)
{
	uint8_t buf[sizeof(rec_mtu_capped)] __attribute__((aligned(4)));
	struct nl_sock ns;
	struct nlattr a;

	(void)state;
	/* The message loses its NUL: the text is dropped, the error stays. */
	memcpy(buf, rec_mtu_capped, sizeof(buf));
	buf[sizeof(buf) - 1] = 'x';
	sock_init(&ns, PORTID);
	assert_int_equal(nl_parse_reply(&ns, buf, sizeof(buf), SEQ, NULL, NULL),
			 -EINVAL);
	assert_string_equal(nl_ext_msg(&ns), "");
	/* An attribute length past the end: same. */
	memcpy(buf, rec_mtu_capped, sizeof(buf));
	memcpy(&a, buf + 36, sizeof(a));
	assert_int_equal(a.nla_type, NLMSGERR_ATTR_MSG);
	a.nla_len = 0x40;
	memcpy(buf + 36, &a, sizeof(a));
	assert_int_equal(nl_parse_reply(&ns, buf, sizeof(buf), SEQ, NULL, NULL),
			 -EINVAL);
	assert_string_equal(nl_ext_msg(&ns), "");
}

static void test_error_short_and_bogus(void **state)
{
	uint8_t buf[256] __attribute__((aligned(4)));
	size_t off = 0;
	int32_t err = -EINVAL;
	struct nlmsgerr e = { .error = 5 };
	struct nl_sock ns;

	(void)state;
	sock_init(&ns, PORTID);
	put(buf, &off, NLMSG_ERROR, 0, &err, sizeof(err));
	assert_int_equal(nl_parse_reply(&ns, buf, off, SEQ, NULL, NULL),
			 -EBADMSG);
	off = 0;
	put(buf, &off, NLMSG_ERROR, NLM_F_CAPPED, &e, sizeof(e));
	assert_int_equal(nl_parse_reply(&ns, buf, off, SEQ, NULL, NULL),
			 -EBADMSG);
	off = 0;
	e.error = -100000;
	put(buf, &off, NLMSG_ERROR, NLM_F_CAPPED, &e, sizeof(e));
	assert_int_equal(nl_parse_reply(&ns, buf, off, SEQ, NULL, NULL),
			 -EBADMSG);
}

static void test_wrong_seq_and_port(void **state)
{
	uint8_t buf[sizeof(rec_ack)] __attribute__((aligned(4)));
	struct nl_sock ns;

	(void)state;
	sock_init(&ns, 0x1c91);
	assert_int_equal(nl_parse_reply(&ns, rec_ack, sizeof(rec_ack), SEQ + 1,
					NULL, NULL),
			 -EPROTO);
	sock_init(&ns, 0x1c92);
	assert_int_equal(
		nl_parse_reply(&ns, rec_ack, sizeof(rec_ack), SEQ, NULL, NULL),
		-ESRCH);
	/* Port 0 is the kernel speaking for itself: accepted. */
	memcpy(buf, rec_ack, sizeof(buf));
	memset(buf + 12, 0, 4);
	assert_int_equal(nl_parse_reply(&ns, buf, sizeof(buf), SEQ, NULL, NULL),
			 0);
}

static void test_events_any_seq(void **state)
{
	uint8_t buf[256] __attribute__((aligned(4)));
	size_t off = 0;
	struct seen s = { .ret = MNL_CB_OK };
	struct nl_sock ns;

	(void)state;
	sock_init(&ns, 77);
	put_link(buf, &off, 4); /* seq SEQ, port PORTID: someone else's */
	assert_int_equal(nl_parse_reply(&ns, buf, off, 0, count_cb, &s), 1);
	assert_int_equal(s.n, 1);
	assert_int_equal(nl_parse_reply(&ns, buf, off, SEQ + 1, count_cb, &s),
			 -EPROTO);
	/* Nobody asked: an ACK or DONE is a protocol error there. */
	off = 0;
	put_done(buf, &off, 0);
	assert_int_equal(nl_parse_reply(&ns, buf, off, 0, count_cb, &s),
			 -EPROTO);
}

static void test_dump_multipart(void **state)
{
	uint8_t buf[512] __attribute__((aligned(4)));
	size_t off = 0;
	struct seen s = { .ret = MNL_CB_OK };
	struct nl_sock ns;

	(void)state;
	sock_init(&ns, PORTID);
	put_link(buf, &off, 1);
	put_link(buf, &off, 2);
	/* First buffer: two links, no DONE yet. */
	assert_int_equal(nl_parse_reply(&ns, buf, off, SEQ, count_cb, &s), 1);
	off = 0;
	put_link(buf, &off, 3);
	put_done(buf, &off, 0);
	assert_int_equal(nl_parse_reply(&ns, buf, off, SEQ, count_cb, &s), 0);
	assert_int_equal(s.n, 3);
	assert_int_equal(s.index[2], 3);
}

static void test_done_with_error(void **state)
{
	uint8_t buf[256] __attribute__((aligned(4)));
	size_t off = 0;
	struct nl_sock ns;
	struct nlmsghdr *nlh;

	(void)state;
	sock_init(&ns, PORTID);
	nlh = put_done(buf, &off, -EOPNOTSUPP);
	nlh->nlmsg_flags |= NLM_F_ACK_TLVS;
	mnl_attr_put_strz(nlh, NLMSGERR_ATTR_MSG, "no dump for you");
	off = NLMSG_ALIGN(nlh->nlmsg_len);
	assert_int_equal(nl_parse_reply(&ns, buf, off, SEQ, NULL, NULL),
			 -EOPNOTSUPP);
	assert_string_equal(nl_ext_msg(&ns), "no dump for you");
	/* An old kernel's DONE without payload ends the dump cleanly. */
	off = 0;
	put(buf, &off, NLMSG_DONE, NLM_F_MULTI, NULL, 0);
	assert_int_equal(nl_parse_reply(&ns, buf, off, SEQ, NULL, NULL), 0);
}

static void test_dump_interrupted(void **state)
{
	uint8_t buf[256] __attribute__((aligned(4)));
	size_t off = 0;
	struct seen s = { .ret = MNL_CB_OK };
	struct nl_sock ns;

	(void)state;
	sock_init(&ns, PORTID);
	put_link(buf, &off, 1)->nlmsg_flags |= NLM_F_DUMP_INTR;
	assert_int_equal(nl_parse_reply(&ns, buf, off, SEQ, count_cb, &s), 1);
	off = 0;
	put_done(buf, &off, 0);
	assert_int_equal(nl_parse_reply(&ns, buf, off, SEQ, count_cb, &s),
			 -EINTR);
}

static void test_truncated(void **state)
{
	uint8_t buf[256] __attribute__((aligned(4)));
	unsigned sum = 0;
	size_t off = 0;
	struct seen s = { .ret = MNL_CB_OK };
	struct nl_sock ns;
	struct nlmsghdr *nlh;

	(void)state;
	sock_init(&ns, PORTID);
	put_link(buf, &off, 1);
	put_done(buf, &off, 0);
	/* Cut inside the second message, inside a header, at one byte. */
	assert_int_equal(nl_parse_reply(&ns, buf, off - 2, SEQ, count_cb, &s),
			 -EBADMSG);
	assert_int_equal(nl_parse_reply(&ns, buf, 10, SEQ, count_cb, &s),
			 -EBADMSG);
	assert_int_equal(nl_parse_reply(&ns, buf, 1, SEQ, count_cb, &s),
			 -EBADMSG);
	/* A header claiming more than there is, or less than a header. */
	nlh = (void *)buf;
	nlh->nlmsg_len = 4000;
	assert_int_equal(nl_parse_reply(&ns, buf, off, SEQ, count_cb, &s),
			 -EBADMSG);
	nlh->nlmsg_len = 0xc7c7c7e4; /* negative as an int: libmnl's trap */
	assert_int_equal(nl_parse_reply(&ns, buf, off, SEQ, touch_cb, &sum),
			 -EBADMSG);
	nlh->nlmsg_len = 8;
	assert_int_equal(nl_parse_reply(&ns, buf, off, SEQ, count_cb, &s),
			 -EBADMSG);
	/* Empty read: nothing complete yet, nothing wrong either. */
	assert_int_equal(nl_parse_reply(&ns, buf, 0, SEQ, count_cb, &s), 1);
}

static void test_callback_results(void **state)
{
	uint8_t buf[512] __attribute__((aligned(4)));
	size_t off = 0;
	struct seen s = { .ret = MNL_CB_STOP };
	struct nl_sock ns;

	(void)state;
	sock_init(&ns, PORTID);
	put_link(buf, &off, 1);
	put_link(buf, &off, 2);
	/* STOP: the rest is read but not shown; more to drain. */
	assert_int_equal(nl_parse_reply(&ns, buf, off, SEQ, count_cb, &s), 2);
	assert_int_equal(s.n, 1);
	put_done(buf, &off, 0);
	s.n = 0;
	assert_int_equal(nl_parse_reply(&ns, buf, off, SEQ, count_cb, &s), 0);
	assert_int_equal(s.n, 1);
	s.ret = MNL_CB_ERROR;
	assert_int_equal(nl_parse_reply(&ns, buf, off, SEQ, count_cb, &s),
			 -EBADMSG);
	s.ret = -ENOMEM;
	assert_int_equal(nl_parse_reply(&ns, buf, off, SEQ, count_cb, &s),
			 -ENOMEM);
}

static void test_overrun_and_noop(void **state)
{
	uint8_t buf[256] __attribute__((aligned(4)));
	size_t off = 0;
	struct nl_sock ns;

	(void)state;
	sock_init(&ns, PORTID);
	put(buf, &off, NLMSG_NOOP, 0, NULL, 0);
	put_done(buf, &off, 0);
	assert_int_equal(nl_parse_reply(&ns, buf, off, SEQ, NULL, NULL), 0);
	off = 0;
	put(buf, &off, NLMSG_OVERRUN, 0, NULL, 0);
	assert_int_equal(nl_parse_reply(&ns, buf, off, SEQ, NULL, NULL),
			 -ENOBUFS);
}

static const struct nl_policy u32_only[IFLA_MTU + 1] = {
	[IFLA_MTU] = { .kind = NL_A_U32 },
};

static void test_parse_attrs(void **state)
{
	uint8_t buf[MNL_SOCKET_BUFFER_SIZE] __attribute__((aligned(4)));
	const struct nlattr *tb[IFLA_MTU + 1];
	struct nlmsghdr *nlh = nl_msg(buf, RTM_NEWLINK, 0);
	struct ifinfomsg *ifi;
	struct nlattr *unknown;

	(void)state;
	ifi = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifi));
	ifi->ifi_index = 7;
	mnl_attr_put_u32(nlh, IFLA_MTU, 1500);
	unknown = mnl_nlmsg_get_payload_tail(nlh);
	mnl_attr_put_u32(nlh, 999, 1); /* unknown: skipped */
	assert_int_equal(
		nl_parse_attrs(nlh, sizeof(*ifi), tb, IFLA_MTU, u32_only), 0);
	assert_non_null(tb[IFLA_MTU]);
	assert_int_equal(mnl_attr_get_u32(tb[IFLA_MTU]), 1500);
	/* Wrong length for the type. */
	mnl_attr_put_u16(nlh, IFLA_MTU, 1);
	assert_int_equal(
		nl_parse_attrs(nlh, sizeof(*ifi), tb, IFLA_MTU, u32_only),
		-EBADMSG);
	/* Trailing bytes that are not an attribute. */
	nlh->nlmsg_len -= 8;
	nlh->nlmsg_len += 2;
	assert_int_equal(nl_parse_attrs(nlh, sizeof(*ifi), tb, IFLA_MTU, NULL),
			 -EBADMSG);
	/* An attribute running past the message. */
	nlh->nlmsg_len -= 2;
	unknown->nla_len = 200;
	assert_int_equal(nl_parse_attrs(nlh, sizeof(*ifi), tb, IFLA_MTU, NULL),
			 -EBADMSG);
	/* Payload shorter than the fixed header; exactly the header. */
	nlh->nlmsg_len = NLMSG_LENGTH(sizeof(*ifi) - 1);
	assert_int_equal(nl_parse_attrs(nlh, sizeof(*ifi), tb, IFLA_MTU, NULL),
			 -EBADMSG);
	nlh->nlmsg_len = NLMSG_LENGTH(sizeof(*ifi));
	assert_int_equal(nl_parse_attrs(nlh, sizeof(*ifi), tb, IFLA_MTU, NULL),
			 0);
	assert_null(tb[IFLA_MTU]);
}

static void test_parse_nested(void **state)
{
	uint8_t buf[MNL_SOCKET_BUFFER_SIZE] __attribute__((aligned(4)));
	const struct nlattr *tb[3];
	struct nlmsghdr *nlh = nl_msg(buf, RTM_NEWLINK, 0);
	struct nlattr *nest;

	(void)state;
	nest = mnl_attr_nest_start(nlh, IFLA_LINKINFO);
	mnl_attr_put_strz(nlh, 1, "vlan");
	mnl_attr_put_u32(nlh, 2, 5);
	mnl_attr_nest_end(nlh, nest);
	assert_int_equal(nl_parse_nested(nest, tb, 2, NULL), 0);
	assert_string_equal(mnl_attr_get_str(tb[1]), "vlan");
	nest->nla_len -= 2; /* cuts the last attribute */
	assert_int_equal(nl_parse_nested(nest, tb, 2, NULL), -EBADMSG);
}

/* Puts one attribute of @len bytes (from @p) and checks it against @pol. */
static int shape(const struct nl_policy *pol, const void *p, uint16_t len)
{
	uint8_t buf[MNL_SOCKET_BUFFER_SIZE] __attribute__((aligned(4)));
	const struct nl_policy tab[2] = { { .kind = NL_A_UNSPEC }, *pol };
	struct nlmsghdr *nlh = nl_msg(buf, RTM_NEWLINK, 0);
	const struct nlattr *tb[2];

	mnl_nlmsg_put_extra_header(nlh, sizeof(struct ifinfomsg));
	mnl_attr_put(nlh, 1, len, p);
	return nl_parse_attrs(nlh, sizeof(struct ifinfomsg), tb, 1, tab);
}

static void test_policy_kinds(void **state)
{
	static const uint8_t z[20];
	static const struct {
		struct nl_policy pol;
		uint16_t ok[3], bad[3]; /* lengths, 0xffff: none */
	} t[] = {
		{ { .kind = NL_A_U8 }, { 1, 0xffff, 0xffff }, { 0, 2, 4 } },
		{ { .kind = NL_A_U16 }, { 2, 0xffff, 0xffff }, { 1, 3, 4 } },
		{ { .kind = NL_A_U32 }, { 4, 0xffff, 0xffff }, { 2, 3, 8 } },
		{ { .kind = NL_A_FLAG },
		  { 0, 0xffff, 0xffff },
		  { 1, 4, 0xffff } },
		{ { .kind = NL_A_NESTED }, { 0, 4, 20 }, { 1, 3, 0xffff } },
		{ { NL_A_BINARY, 2, 4 }, { 2, 3, 4 }, { 0, 1, 5 } },
		{ { NL_A_BINARY, 0, 0 },
		  { 0, 1, 20 },
		  { 0xffff, 0xffff, 0xffff } },
		{ { .kind = NL_A_INADDR }, { 4, 16, 0xffff }, { 0, 5, 15 } },
		{ { .kind = NL_A_UNSPEC },
		  { 0, 3, 20 },
		  { 0xffff, 0xffff, 0xffff } },
	};
	size_t i, j;

	(void)state;
	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		for (j = 0; j < 3; j++) {
			if (t[i].ok[j] != 0xffff)
				assert_int_equal(
					shape(&t[i].pol, z, t[i].ok[j]), 0);
			if (t[i].bad[j] != 0xffff)
				assert_int_equal(
					shape(&t[i].pol, z, t[i].bad[j]),
					-EBADMSG);
		}
	}
}

/* A string ends in its NUL, within its bounds. */
static void test_policy_string(void **state)
{
	const struct nl_policy any = { .kind = NL_A_STRING };
	const struct nl_policy name = { NL_A_STRING, 2, 5 };

	(void)state;
	assert_int_equal(shape(&any, "eth0", 5), 0);
	assert_int_equal(shape(&any, "a\0b", 4), 0); /* libmnl's rule */
	assert_int_equal(shape(&any, "eth0", 4), -EBADMSG);
	assert_int_equal(shape(&any, "", 0), -EBADMSG);
	assert_int_equal(shape(&name, "eth0", 5), 0);
	assert_int_equal(shape(&name, "", 1), -EBADMSG);
	assert_int_equal(shape(&name, "eth01", 6), -EBADMSG);
}

/* A repeated attribute: every instance is checked, the last one kept. */
static void test_policy_repeated(void **state)
{
	uint8_t buf[MNL_SOCKET_BUFFER_SIZE] __attribute__((aligned(4)));
	const struct nlattr *tb[IFLA_MTU + 1];
	struct nlmsghdr *nlh = nl_msg(buf, RTM_NEWLINK, 0);

	(void)state;
	mnl_nlmsg_put_extra_header(nlh, sizeof(struct ifinfomsg));
	mnl_attr_put_u32(nlh, IFLA_MTU, 1400);
	mnl_attr_put_u32(nlh, IFLA_MTU, 1500);
	assert_int_equal(nl_parse_attrs(nlh, sizeof(struct ifinfomsg), tb,
					IFLA_MTU, u32_only),
			 0);
	assert_int_equal(mnl_attr_get_u32(tb[IFLA_MTU]), 1500);
	nlh = nl_msg(buf, RTM_NEWLINK, 0);
	mnl_nlmsg_put_extra_header(nlh, sizeof(struct ifinfomsg));
	mnl_attr_put_u16(nlh, IFLA_MTU, 1400); /* malformed, then good */
	mnl_attr_put_u32(nlh, IFLA_MTU, 1500);
	assert_int_equal(nl_parse_attrs(nlh, sizeof(struct ifinfomsg), tb,
					IFLA_MTU, u32_only),
			 -EBADMSG);
}

static int walk_cb(const struct nlattr *a, void *data)
{
	int *n = data;

	(void)a;
	return ++*n == 2 ? -EPIPE : 0;
}

static void test_nest_walk(void **state)
{
	uint8_t buf[MNL_SOCKET_BUFFER_SIZE] __attribute__((aligned(4)));
	struct nlmsghdr *nlh = nl_msg(buf, RTM_NEWLINK, 0);
	struct nlattr *nest;
	int n = 0;

	(void)state;
	nest = mnl_attr_nest_start(nlh, 1);
	mnl_attr_put_u32(nlh, 1, 1);
	mnl_attr_put_u32(nlh, 2, 2);
	mnl_attr_nest_end(nlh, nest);
	assert_int_equal(nl_nest_walk(nest, walk_cb, &n), -EPIPE);
	assert_int_equal(n, 2);
	nest->nla_len -= 2; /* trailing half attribute */
	n = -10;
	assert_int_equal(nl_nest_walk(nest, walk_cb, &n), -EBADMSG);
}

static void test_attr_u32_or(void **state)
{
	uint8_t buf[MNL_SOCKET_BUFFER_SIZE] __attribute__((aligned(4)));
	struct nlmsghdr *nlh = nl_msg(buf, RTM_NEWLINK, 0);
	struct nlattr *a = mnl_nlmsg_get_payload_tail(nlh);

	(void)state;
	mnl_attr_put_u32(nlh, IFLA_MTU, 1500);
	assert_int_equal(nl_attr_u32_or(a, 7), 1500);
	assert_int_equal(nl_attr_u32_or(NULL, 7), 7);
}

static void test_attr_strcpy(void **state)
{
	uint8_t buf[MNL_SOCKET_BUFFER_SIZE] __attribute__((aligned(4)));
	struct nlmsghdr *nlh = nl_msg(buf, RTM_NEWLINK, 0);
	struct nlattr *a = mnl_nlmsg_get_payload_tail(nlh);
	char out[8];

	(void)state;
	mnl_attr_put_strz(nlh, IFLA_IFNAME, "eth0");
	assert_int_equal(nl_attr_strcpy(a, out, sizeof(out)), 0);
	assert_string_equal(out, "eth0");
	assert_int_equal(nl_attr_strcpy(a, out, 5), 0);
	assert_int_equal(nl_attr_strcpy(a, out, 4), -EBADMSG);
	a = mnl_nlmsg_get_payload_tail(nlh);
	mnl_attr_put(nlh, IFLA_IFNAME, 4, "eth0"); /* no NUL */
	assert_int_equal(nl_attr_strcpy(a, out, sizeof(out)), -EBADMSG);
}

static void test_msg_header(void **state)
{
	uint8_t buf[MNL_SOCKET_BUFFER_SIZE] __attribute__((aligned(4)));
	struct nlmsghdr *nlh;

	(void)state;
	memset(buf, 0xa5, sizeof(buf));
	nlh = nl_msg(buf, RTM_GETLINK, NLM_F_DUMP);
	/* Padding after a 5-byte attribute must be zero, not 0xa5. */
	mnl_attr_put_strz(nlh, IFLA_IFNAME, "lo12");
	assert_memory_equal((uint8_t *)nlh + NLMSG_HDRLEN + 9, "\0\0\0", 3);
	assert_int_equal(nlh->nlmsg_len, NLMSG_HDRLEN + 12);
	assert_int_equal(nlh->nlmsg_type, RTM_GETLINK);
	assert_int_equal(nlh->nlmsg_flags, NLM_F_REQUEST | NLM_F_DUMP);
	assert_int_equal(nlh->nlmsg_seq, 0);
	assert_int_equal(nlh->nlmsg_pid, 0);
}

/* Recorded on a little-endian kernel: in host order first. */
static int recorded_to_host(void **state)
{
	(void)state;
	nlfix_msgs(rec_mtu_capped, sizeof(rec_mtu_capped), &nlfix_link);
	nlfix_msgs(rec_ack, sizeof(rec_ack), &nlfix_link);
	nlfix_msgs(rec_policy_uncapped, sizeof(rec_policy_uncapped),
		   &nlfix_link);
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_recorded_ext_ack_capped),
		cmocka_unit_test(test_recorded_ack),
		cmocka_unit_test(test_recorded_ext_ack_uncapped),
		cmocka_unit_test(test_error_without_ext_ack),
		cmocka_unit_test(test_error_bad_ext_ack_keeps_errno),
		cmocka_unit_test(test_error_short_and_bogus),
		cmocka_unit_test(test_wrong_seq_and_port),
		cmocka_unit_test(test_events_any_seq),
		cmocka_unit_test(test_dump_multipart),
		cmocka_unit_test(test_done_with_error),
		cmocka_unit_test(test_dump_interrupted),
		cmocka_unit_test(test_truncated),
		cmocka_unit_test(test_callback_results),
		cmocka_unit_test(test_overrun_and_noop),
		cmocka_unit_test(test_parse_attrs),
		cmocka_unit_test(test_parse_nested),
		cmocka_unit_test(test_policy_kinds),
		cmocka_unit_test(test_policy_string),
		cmocka_unit_test(test_policy_repeated),
		cmocka_unit_test(test_nest_walk),
		cmocka_unit_test(test_attr_u32_or),
		cmocka_unit_test(test_attr_strcpy),
		cmocka_unit_test(test_msg_header),
	};

	return cmocka_run_group_tests(tests, recorded_to_host, NULL);
}

// SPDX-License-Identifier: MIT
/*
 * Addresses: request bytes against what iproute2 sends, decoding of recorded
 * kernel replies (one multi-part dump through nl_parse_reply()), malformed
 * messages.  No sockets.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <sys/socket.h>

#include <linux/if_addr.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <libmnl/libmnl.h>
#include <cmocka.h>

#include "embnet/addr.h"
#include "embnet/ip.h"
#include "embnet/nl.h"
#include "nlfix.h"

/* Recorded with strace -e write=3 (iproute2 6.1, veth0 = index 3). */
/* ip addr add 10.0.0.1/24 broadcast 10.0.0.255 dev veth0 */
static uint8_t req_addr_plain[] = {
	0x30, 0x00, 0x00, 0x00, 0x14, 0x00, 0x05, 0x06, 0x5b, 0x44, 0x02, 0x6b,
	0x00, 0x00, 0x00, 0x00, 0x02, 0x18, 0x00, 0x00, 0x03, 0x00, 0x00, 0x00,
	0x08, 0x00, 0x02, 0x00, 0x0a, 0x00, 0x00, 0x01, 0x08, 0x00, 0x04, 0x00,
	0x0a, 0x00, 0x00, 0xff, 0x08, 0x00, 0x01, 0x00, 0x0a, 0x00, 0x00, 0x01,
};
/* ip addr add 10.0.1.1/24 peer 10.0.1.2 scope link label veth0:1 valid_lft 100
 * preferred_lft 50 dev veth0 */
static uint8_t req_addr_peer[] = {
	0x48, 0x00, 0x00, 0x00, 0x14, 0x00, 0x05, 0x06, 0x5b, 0x44, 0x02, 0x6b,
	0x00, 0x00, 0x00, 0x00, 0x02, 0x20, 0x00, 0xfd, 0x03, 0x00, 0x00, 0x00,
	0x08, 0x00, 0x02, 0x00, 0x0a, 0x00, 0x01, 0x01, 0x08, 0x00, 0x01, 0x00,
	0x0a, 0x00, 0x01, 0x02, 0x0c, 0x00, 0x03, 0x00, 0x76, 0x65, 0x74, 0x68,
	0x30, 0x3a, 0x31, 0x00, 0x14, 0x00, 0x06, 0x00, 0x32, 0x00, 0x00, 0x00,
	0x64, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
};
/* ip addr add 2001:db8::1/64 nodad dev veth0 */
static uint8_t req_addr_v6_nodad[] = {
	0x40, 0x00, 0x00, 0x00, 0x14, 0x00, 0x05, 0x06, 0x5b, 0x44, 0x02,
	0x6b, 0x00, 0x00, 0x00, 0x00, 0x0a, 0x40, 0x02, 0x00, 0x03, 0x00,
	0x00, 0x00, 0x14, 0x00, 0x02, 0x00, 0x20, 0x01, 0x0d, 0xb8, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01,
	0x14, 0x00, 0x01, 0x00, 0x20, 0x01, 0x0d, 0xb8, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01,
};
/* ip addr add 2001:db8:1::1/64 noprefixroute dev veth0 */
static uint8_t req_addr_v6_noprefixroute[] = {
	0x48, 0x00, 0x00, 0x00, 0x14, 0x00, 0x05, 0x06, 0x5c, 0x44, 0x02, 0x6b,
	0x00, 0x00, 0x00, 0x00, 0x0a, 0x40, 0x00, 0x00, 0x03, 0x00, 0x00, 0x00,
	0x14, 0x00, 0x02, 0x00, 0x20, 0x01, 0x0d, 0xb8, 0x00, 0x01, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01, 0x08, 0x00, 0x08, 0x00,
	0x00, 0x02, 0x00, 0x00, 0x14, 0x00, 0x01, 0x00, 0x20, 0x01, 0x0d, 0xb8,
	0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01,
};
/* ip addr replace 10.0.0.1/24 broadcast 10.0.0.255 label veth0:x dev veth0 */
static uint8_t req_addr_replace[] = {
	0x3c, 0x00, 0x00, 0x00, 0x14, 0x00, 0x05, 0x05, 0x5c, 0x44, 0x02, 0x6b,
	0x00, 0x00, 0x00, 0x00, 0x02, 0x18, 0x00, 0x00, 0x03, 0x00, 0x00, 0x00,
	0x08, 0x00, 0x02, 0x00, 0x0a, 0x00, 0x00, 0x01, 0x08, 0x00, 0x04, 0x00,
	0x0a, 0x00, 0x00, 0xff, 0x0c, 0x00, 0x03, 0x00, 0x76, 0x65, 0x74, 0x68,
	0x30, 0x3a, 0x78, 0x00, 0x08, 0x00, 0x01, 0x00, 0x0a, 0x00, 0x00, 0x01,
};
/* ip addr del 10.0.2.1/24 dev veth0 */
static uint8_t req_addr_del[] = {
	0x28, 0x00, 0x00, 0x00, 0x15, 0x00, 0x05, 0x00, 0x5c, 0x44,
	0x02, 0x6b, 0x00, 0x00, 0x00, 0x00, 0x02, 0x18, 0x00, 0x00,
	0x03, 0x00, 0x00, 0x00, 0x08, 0x00, 0x02, 0x00, 0x0a, 0x00,
	0x02, 0x01, 0x08, 0x00, 0x01, 0x00, 0x0a, 0x00, 0x02, 0x01,
};

/* Recorded RTM_GETADDR/RTM_GETROUTE dump replies (Linux 6.18, seq 4242). */
/* AF_INET addr dump, first buffer: lo 127.0.0.1/8, veth0 10.0.1.1
 * peer 10.0.1.2/32 scope link label veth0:1 valid 100 preferred 50 (then
 * 90/40), veth0 10.0.0.1/24 brd 10.0.0.255 */
static uint8_t rec_addr4_dump[] = {
	0x4c, 0x00, 0x00, 0x00, 0x14, 0x00, 0x02, 0x00, 0x92, 0x10, 0x00, 0x00,
	0xe6, 0x30, 0x00, 0x00, 0x02, 0x08, 0x80, 0xfe, 0x01, 0x00, 0x00, 0x00,
	0x08, 0x00, 0x01, 0x00, 0x7f, 0x00, 0x00, 0x01, 0x08, 0x00, 0x02, 0x00,
	0x7f, 0x00, 0x00, 0x01, 0x07, 0x00, 0x03, 0x00, 0x6c, 0x6f, 0x00, 0x00,
	0x08, 0x00, 0x08, 0x00, 0x80, 0x00, 0x00, 0x00, 0x14, 0x00, 0x06, 0x00,
	0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xb4, 0xd4, 0x00, 0x00,
	0xb4, 0xd4, 0x00, 0x00, 0x50, 0x00, 0x00, 0x00, 0x14, 0x00, 0x02, 0x00,
	0x92, 0x10, 0x00, 0x00, 0xe6, 0x30, 0x00, 0x00, 0x02, 0x20, 0x00, 0xfd,
	0x03, 0x00, 0x00, 0x00, 0x08, 0x00, 0x01, 0x00, 0x0a, 0x00, 0x01, 0x02,
	0x08, 0x00, 0x02, 0x00, 0x0a, 0x00, 0x01, 0x01, 0x0c, 0x00, 0x03, 0x00,
	0x76, 0x65, 0x74, 0x68, 0x30, 0x3a, 0x31, 0x00, 0x08, 0x00, 0x08, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x14, 0x00, 0x06, 0x00, 0x28, 0x00, 0x00, 0x00,
	0x5a, 0x00, 0x00, 0x00, 0xb6, 0xd4, 0x00, 0x00, 0xb6, 0xd4, 0x00, 0x00,
	0x58, 0x00, 0x00, 0x00, 0x14, 0x00, 0x02, 0x00, 0x92, 0x10, 0x00, 0x00,
	0xe6, 0x30, 0x00, 0x00, 0x02, 0x18, 0x80, 0x00, 0x03, 0x00, 0x00, 0x00,
	0x08, 0x00, 0x01, 0x00, 0x0a, 0x00, 0x00, 0x01, 0x08, 0x00, 0x02, 0x00,
	0x0a, 0x00, 0x00, 0x01, 0x08, 0x00, 0x04, 0x00, 0x0a, 0x00, 0x00, 0xff,
	0x0a, 0x00, 0x03, 0x00, 0x76, 0x65, 0x74, 0x68, 0x30, 0x00, 0x00, 0x00,
	0x08, 0x00, 0x08, 0x00, 0x80, 0x00, 0x00, 0x00, 0x14, 0x00, 0x06, 0x00,
	0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x93, 0xd8, 0x00, 0x00,
	0x9a, 0xd8, 0x00, 0x00,
};
/* its second buffer: NLMSG_DONE */
static uint8_t rec_addr4_done[] = {
	0x14, 0x00, 0x00, 0x00, 0x03, 0x00, 0x02, 0x00, 0x92, 0x10,
	0x00, 0x00, 0xe6, 0x30, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
};
/* AF_INET6 2001:db8::1/64 nodad permanent on veth0 */
static uint8_t rec_addr6_nodad[] = {
	0x48, 0x00, 0x00, 0x00, 0x14, 0x00, 0x02, 0x00, 0x92, 0x10, 0x00, 0x00,
	0x10, 0x31, 0x00, 0x00, 0x0a, 0x40, 0x82, 0x00, 0x03, 0x00, 0x00, 0x00,
	0x14, 0x00, 0x01, 0x00, 0x20, 0x01, 0x0d, 0xb8, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01, 0x14, 0x00, 0x06, 0x00,
	0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x97, 0xd8, 0x00, 0x00,
	0x97, 0xd8, 0x00, 0x00, 0x08, 0x00, 0x08, 0x00, 0x82, 0x00, 0x00, 0x00,
};
/* AF_INET6 fe80::b4d9:f9ff:fe58:9f34/64 scope link on veth0 */
static uint8_t rec_addr6_ll[] = {
	0x50, 0x00, 0x00, 0x00, 0x14, 0x00, 0x02, 0x00, 0x92, 0x10, 0x00, 0x00,
	0x10, 0x31, 0x00, 0x00, 0x0a, 0x40, 0x80, 0xfd, 0x03, 0x00, 0x00, 0x00,
	0x14, 0x00, 0x01, 0x00, 0xfe, 0x80, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0xb4, 0xd9, 0xf9, 0xff, 0xfe, 0x58, 0x9f, 0x34, 0x14, 0x00, 0x06, 0x00,
	0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xb4, 0xd4, 0x00, 0x00,
	0xb4, 0xd4, 0x00, 0x00, 0x08, 0x00, 0x08, 0x00, 0x80, 0x00, 0x00, 0x00,
	0x05, 0x00, 0x0b, 0x00, 0x03, 0x00, 0x00, 0x00,
};

#define DUMP_SEQ 4242
#define VETH0 3

static struct nl_addr v4(const char *local, int prefixlen)
{
	struct nl_addr a = { 0 };

	a.family = AF_INET;
	a.index = VETH0;
	a.prefixlen = (uint8_t)prefixlen;
	assert_int_equal(ip_parse(local, AF_INET, &a.local), 0);
	return a;
}

static struct nl_addr v6(const char *local, int prefixlen)
{
	struct nl_addr a = { 0 };

	a.family = AF_INET6;
	a.index = VETH0;
	a.prefixlen = (uint8_t)prefixlen;
	assert_int_equal(ip_parse(local, AF_INET6, &a.local), 0);
	return a;
}

static void test_build_plain(void **state)
{
	char buf[MNL_SOCKET_BUFFER_SIZE] __attribute__((aligned(4)));
	struct nl_addr a = v4("10.0.0.1", 24);
	struct nlmsghdr *nlh;

	(void)state;
	assert_int_equal(ip_parse("10.0.0.255", AF_INET, &a.broadcast), 0);
	assert_int_equal(nl_addr_msg(buf, RTM_NEWADDR,
				     NLM_F_CREATE | NLM_F_EXCL, &a, &nlh),
			 0);
	nlfix_assert_req(nlh, req_addr_plain, sizeof(req_addr_plain));
	/* IFA_ADDRESS equal to local is the same as none */
	a.address = a.local;
	assert_int_equal(nl_addr_msg(buf, RTM_NEWADDR,
				     NLM_F_CREATE | NLM_F_EXCL, &a, &nlh),
			 0);
	nlfix_assert_req(nlh, req_addr_plain, sizeof(req_addr_plain));
}

static void test_build_peer(void **state)
{
	char buf[MNL_SOCKET_BUFFER_SIZE] __attribute__((aligned(4)));
	struct nl_addr a = v4("10.0.1.1", 32);
	struct nlmsghdr *nlh;

	(void)state;
	assert_int_equal(ip_parse("10.0.1.2", AF_INET, &a.address), 0);
	a.scope = RT_SCOPE_LINK;
	strcpy(a.label, "veth0:1");
	a.valid_lft = 100;
	a.preferred_lft = 50;
	assert_int_equal(nl_addr_msg(buf, RTM_NEWADDR,
				     NLM_F_CREATE | NLM_F_EXCL, &a, &nlh),
			 0);
	nlfix_assert_req(nlh, req_addr_peer, sizeof(req_addr_peer));
}

static void test_build_v6(void **state)
{
	char buf[MNL_SOCKET_BUFFER_SIZE] __attribute__((aligned(4)));
	struct nl_addr a = v6("2001:db8::1", 64);
	struct nlmsghdr *nlh;

	(void)state;
	a.flags = IFA_F_NODAD;
	assert_int_equal(nl_addr_msg(buf, RTM_NEWADDR,
				     NLM_F_CREATE | NLM_F_EXCL, &a, &nlh),
			 0);
	nlfix_assert_req(nlh, req_addr_v6_nodad, sizeof(req_addr_v6_nodad));
	a = v6("2001:db8:1::1", 64);
	a.flags = IFA_F_NOPREFIXROUTE; /* > 0xff: IFA_FLAGS only */
	assert_int_equal(nl_addr_msg(buf, RTM_NEWADDR,
				     NLM_F_CREATE | NLM_F_EXCL, &a, &nlh),
			 0);
	nlfix_assert_req(nlh, req_addr_v6_noprefixroute,
			 sizeof(req_addr_v6_noprefixroute));
}

static void test_build_replace_del(void **state)
{
	char buf[MNL_SOCKET_BUFFER_SIZE] __attribute__((aligned(4)));
	struct nl_addr a = v4("10.0.0.1", 24);
	struct nlmsghdr *nlh;

	(void)state;
	assert_int_equal(ip_parse("10.0.0.255", AF_INET, &a.broadcast), 0);
	strcpy(a.label, "veth0:x");
	assert_int_equal(nl_addr_msg(buf, RTM_NEWADDR,
				     NLM_F_CREATE | NLM_F_REPLACE, &a, &nlh),
			 0);
	nlfix_assert_req(nlh, req_addr_replace, sizeof(req_addr_replace));
	a = v4("10.0.2.1", 24);
	assert_int_equal(nl_addr_msg(buf, RTM_DELADDR, 0, &a, &nlh), 0);
	nlfix_assert_req(nlh, req_addr_del, sizeof(req_addr_del));
}

static void test_build_dump_and_errors(void **state)
{
	char buf[MNL_SOCKET_BUFFER_SIZE] __attribute__((aligned(4)));
	struct nl_addr a = v4("10.0.0.1", 24);
	const struct ifaddrmsg *ifa;
	struct nlmsghdr *nlh;
	const uint8_t *p;

	(void)state;
	assert_int_equal(nl_addr_dump_msg(buf, AF_INET6, &nlh), 0);
	assert_int_equal(nlh->nlmsg_len, 24);
	assert_int_equal(nlh->nlmsg_type, RTM_GETADDR);
	assert_int_equal(nlh->nlmsg_flags, NLM_F_REQUEST | NLM_F_DUMP);
	p = mnl_nlmsg_get_payload(nlh);
	assert_int_equal(p[0], AF_INET6);
	ifa = mnl_nlmsg_get_payload(nlh);
	assert_int_equal(ifa->ifa_index, 0);
	/* one interface's: ifa_index, all else as for all */
	assert_int_equal(nl_addr_dump_index_msg(buf, AF_UNSPEC, 7, &nlh), 0);
	assert_int_equal(nlh->nlmsg_len, 24);
	assert_int_equal(nlh->nlmsg_type, RTM_GETADDR);
	assert_int_equal(nlh->nlmsg_flags, NLM_F_REQUEST | NLM_F_DUMP);
	ifa = mnl_nlmsg_get_payload(nlh);
	assert_int_equal(ifa->ifa_family, AF_UNSPEC);
	assert_int_equal(ifa->ifa_index, 7);
	assert_int_equal(ifa->ifa_prefixlen, 0);
	assert_int_equal(ifa->ifa_flags, 0);
	assert_int_equal(ifa->ifa_scope, 0);
	assert_int_equal(nl_addr_dump_index_msg(buf, AF_INET, -1, &nlh),
			 -EINVAL);

	a.prefixlen = 33;
	assert_int_equal(nl_addr_msg(buf, RTM_NEWADDR, 0, &a, &nlh), -EINVAL);
	assert_null(nlh);
	a = v4("10.0.0.1", 24);
	a.family = AF_INET6;
	assert_int_equal(nl_addr_msg(buf, RTM_NEWADDR, 0, &a, &nlh), -EINVAL);
	a = v6("2001:db8::1", 64);
	assert_int_equal(ip_parse("10.0.0.255", AF_INET, &a.broadcast), 0);
	assert_int_equal(nl_addr_msg(buf, RTM_NEWADDR, 0, &a, &nlh), -EINVAL);
	a = v4("10.0.0.1", 24);
	assert_int_equal(ip_parse("::1", AF_INET6, &a.address), 0);
	assert_int_equal(nl_addr_msg(buf, RTM_NEWADDR, 0, &a, &nlh), -EINVAL);
	a = v4("10.0.0.1", 24);
	memset(a.label, 'x', sizeof(a.label)); /* not terminated */
	assert_int_equal(nl_addr_msg(buf, RTM_NEWADDR, 0, &a, &nlh), -EINVAL);
	a = v4("10.0.0.1", 24);
	a.local.family = AF_UNSPEC;
	assert_int_equal(nl_addr_msg(buf, RTM_NEWADDR, 0, &a, &nlh), -EINVAL);
}

struct collect {
	struct nl_addr a[8];
	size_t n;
};

static int collect_cb(const struct nlmsghdr *nlh, void *data)
{
	struct collect *c = data;
	int err;

	assert_true(c->n < 8);
	err = nl_addr_parse(nlh, &c->a[c->n]);
	if (err < 0)
		return err;
	c->n++;
	return MNL_CB_OK;
}

static void assert_ip(const struct ip_addr *a, const char *s)
{
	char buf[IP_STRLEN];

	assert_string_equal(ip_format(a, buf, sizeof(buf)), s);
}

static void test_recorded_dump_v4(void **state)
{
	struct nl_sock ns = { 0 };
	struct collect c = { 0 };
	const struct nlmsghdr *nlh;

	(void)state;
	nlh = nlfix_aligned(rec_addr4_dump, sizeof(rec_addr4_dump));
	ns.portid = nlh->nlmsg_pid;
	assert_int_equal(nl_parse_reply(&ns, nlh, sizeof(rec_addr4_dump),
					DUMP_SEQ, collect_cb, &c),
			 1);
	nlh = nlfix_aligned(rec_addr4_done, sizeof(rec_addr4_done));
	assert_int_equal(nl_parse_reply(&ns, nlh, sizeof(rec_addr4_done),
					DUMP_SEQ, collect_cb, &c),
			 0);
	assert_int_equal(c.n, 3);

	assert_int_equal(c.a[0].index, 1);
	assert_ip(&c.a[0].local, "127.0.0.1");
	assert_int_equal(c.a[0].prefixlen, 8);
	assert_int_equal(c.a[0].scope, RT_SCOPE_HOST);
	assert_string_equal(c.a[0].label, "lo");

	assert_int_equal(c.a[1].family, AF_INET);
	assert_int_equal(c.a[1].index, VETH0);
	assert_ip(&c.a[1].local, "10.0.1.1");
	assert_ip(&c.a[1].address, "10.0.1.2");
	assert_int_equal(c.a[1].prefixlen, 32);
	assert_int_equal(c.a[1].scope, RT_SCOPE_LINK);
	assert_int_equal(c.a[1].flags, 0);
	assert_string_equal(c.a[1].label, "veth0:1");
	assert_int_equal(c.a[1].valid_lft, 90);
	assert_int_equal(c.a[1].preferred_lft, 40);
	assert_int_equal(c.a[1].broadcast.family, AF_UNSPEC);

	assert_ip(&c.a[2].local, "10.0.0.1");
	assert_ip(&c.a[2].address, "10.0.0.1");
	assert_ip(&c.a[2].broadcast, "10.0.0.255");
	assert_int_equal(c.a[2].prefixlen, 24);
	assert_int_equal(c.a[2].scope, RT_SCOPE_UNIVERSE);
	assert_int_equal(c.a[2].flags, IFA_F_PERMANENT);
	assert_string_equal(c.a[2].label, "veth0");
	assert_int_equal(c.a[2].valid_lft, NL_ADDR_FOREVER);
	assert_int_equal(c.a[2].preferred_lft, NL_ADDR_FOREVER);
}

static void test_recorded_v6(void **state)
{
	struct nl_addr a;

	(void)state;
	assert_int_equal(nl_addr_parse(nlfix_aligned(rec_addr6_nodad,
						     sizeof(rec_addr6_nodad)),
				       &a),
			 0);
	assert_int_equal(a.family, AF_INET6);
	assert_int_equal(a.index, VETH0);
	assert_ip(&a.local, "2001:db8::1");
	assert_ip(&a.address, "2001:db8::1");
	assert_int_equal(a.prefixlen, 64);
	assert_int_equal(a.flags, IFA_F_NODAD | IFA_F_PERMANENT);
	assert_string_equal(a.label, "");
	assert_int_equal(a.valid_lft, NL_ADDR_FOREVER);
	assert_int_equal(
		nl_addr_parse(nlfix_aligned(rec_addr6_ll, sizeof(rec_addr6_ll)),
			      &a),
		0);
	assert_ip(&a.local, "fe80::b4d9:f9ff:fe58:9f34");
	assert_int_equal(a.scope, RT_SCOPE_LINK);
}

/* A message of @type with an ifaddrmsg for @family, attributes added after. */
static struct nlmsghdr *mk(uint16_t type, int family, int prefixlen)
{
	static uint8_t buf[4096] __attribute__((aligned(4)));
	struct ifaddrmsg ifa = { .ifa_family = (uint8_t)family,
				 .ifa_prefixlen = (uint8_t)prefixlen,
				 .ifa_index = VETH0 };

	return nlfix_msg_start(buf, sizeof(buf), type, &ifa, sizeof(ifa));
}

static const uint8_t ip4[4] = { 10, 0, 0, 1 };
static const uint8_t ip16[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 1 };

static void test_malformed(void **state)
{
	struct nlmsghdr *nlh;
	struct nl_addr a;

	(void)state;
	/* truncated ifaddrmsg */
	nlh = mk(RTM_NEWADDR, AF_INET, 24);
	nlh->nlmsg_len = sizeof(*nlh) + 4;
	assert_int_equal(nl_addr_parse(nlh, &a), -EBADMSG);
	/* IFA_LOCAL of 3 bytes */
	nlh = mk(RTM_NEWADDR, AF_INET, 24);
	mnl_attr_put(nlh, IFA_LOCAL, 3, ip4);
	assert_int_equal(nl_addr_parse(nlh, &a), -EBADMSG);
	/* a 16-byte address in an IPv4 message, and 4 bytes in IPv6 */
	nlh = mk(RTM_NEWADDR, AF_INET, 24);
	mnl_attr_put(nlh, IFA_ADDRESS, 16, ip16);
	assert_int_equal(nl_addr_parse(nlh, &a), -EBADMSG);
	nlh = mk(RTM_NEWADDR, AF_INET6, 64);
	mnl_attr_put(nlh, IFA_ADDRESS, 4, ip4);
	assert_int_equal(nl_addr_parse(nlh, &a), -EBADMSG);
	/* IFA_LABEL without NUL, and too long for IFNAMSIZ */
	nlh = mk(RTM_NEWADDR, AF_INET, 24);
	mnl_attr_put(nlh, IFA_LOCAL, 4, ip4);
	mnl_attr_put(nlh, IFA_LABEL, 5, "veth0");
	assert_int_equal(nl_addr_parse(nlh, &a), -EBADMSG);
	nlh = mk(RTM_NEWADDR, AF_INET, 24);
	mnl_attr_put(nlh, IFA_LOCAL, 4, ip4);
	mnl_attr_put_strz(nlh, IFA_LABEL, "0123456789abcdef");
	assert_int_equal(nl_addr_parse(nlh, &a), -EBADMSG);
	/* IFA_CACHEINFO and IFA_FLAGS of the wrong size */
	nlh = mk(RTM_NEWADDR, AF_INET, 24);
	mnl_attr_put(nlh, IFA_LOCAL, 4, ip4);
	mnl_attr_put(nlh, IFA_CACHEINFO, 8, ip16);
	assert_int_equal(nl_addr_parse(nlh, &a), -EBADMSG);
	nlh = mk(RTM_NEWADDR, AF_INET, 24);
	mnl_attr_put(nlh, IFA_LOCAL, 4, ip4);
	mnl_attr_put_u16(nlh, IFA_FLAGS, 1);
	assert_int_equal(nl_addr_parse(nlh, &a), -EBADMSG);
	/* no address at all; prefix too long; wrong message type */
	nlh = mk(RTM_NEWADDR, AF_INET, 24);
	assert_int_equal(nl_addr_parse(nlh, &a), -EBADMSG);
	nlh = mk(RTM_NEWADDR, AF_INET, 33);
	mnl_attr_put(nlh, IFA_LOCAL, 4, ip4);
	assert_int_equal(nl_addr_parse(nlh, &a), -EBADMSG);
	nlh = mk(RTM_NEWLINK, AF_INET, 24);
	mnl_attr_put(nlh, IFA_LOCAL, 4, ip4);
	assert_int_equal(nl_addr_parse(nlh, &a), -EBADMSG);
	/* another family: not an error of the message */
	nlh = mk(RTM_NEWADDR, AF_PACKET, 0);
	assert_int_equal(nl_addr_parse(nlh, &a), -EAFNOSUPPORT);
}

static void test_unknown_and_garbage(void **state)
{
	struct nlmsghdr *nlh;
	struct nl_addr a;

	(void)state;
	nlh = mk(RTM_NEWADDR, AF_INET, 24);
	mnl_attr_put(nlh, 200, 3, ip4);		  /* unknown type */
	mnl_attr_put(nlh, IFA_MULTICAST, 1, ip4); /* known, unused */
	mnl_attr_put(nlh, IFA_LOCAL, 4, ip4);
	mnl_attr_put_u32(nlh, IFA_FLAGS, IFA_F_NOPREFIXROUTE | 0x80);
	assert_int_equal(nl_addr_parse(nlh, &a), 0);
	assert_ip(&a.local, "10.0.0.1");
	assert_ip(&a.address, "10.0.0.1");
	assert_int_equal(a.flags, IFA_F_NOPREFIXROUTE | 0x80);
	/* 3 bytes of garbage after the last attribute */
	nlh->nlmsg_len += 3;
	assert_int_equal(nl_addr_parse(nlh, &a), -EBADMSG);
	/* an attribute claiming more than the message holds */
	nlh = mk(RTM_NEWADDR, AF_INET, 24);
	mnl_attr_put(nlh, IFA_LOCAL, 4, ip4);
	nlh->nlmsg_len -= 2;
	assert_int_equal(nl_addr_parse(nlh, &a), -EBADMSG);
}

/* Every truncation and every byte flip of the recorded messages. */
static void test_mutations(void **state)
{
	static const struct {
		const uint8_t *p;
		size_t len;
	} recs[] = {
		{ rec_addr4_dump, 76 }, /* lo: the first message */
		{ rec_addr6_nodad, sizeof(rec_addr6_nodad) },
		{ rec_addr6_ll, sizeof(rec_addr6_ll) },
	};
	struct nlmsghdr *nlh;
	struct nl_addr a;
	size_t i, j;
	int err;

	(void)state;
	for (i = 0; i < sizeof(recs) / sizeof(recs[0]); i++) {
		for (j = sizeof(*nlh); j < recs[i].len; j++) {
			nlh = nlfix_aligned(recs[i].p, recs[i].len);
			nlh->nlmsg_len = (uint32_t)j;
			err = nl_addr_parse(nlh, &a);
			assert_true(err == 0 || err == -EBADMSG);
		}
		for (j = sizeof(*nlh); j < recs[i].len; j++) {
			nlh = nlfix_aligned(recs[i].p, recs[i].len);
			((uint8_t *)nlh)[j] ^= 0xff;
			err = nl_addr_parse(nlh, &a);
			assert_true(err == 0 || err == -EBADMSG ||
				    err == -EAFNOSUPPORT);
		}
	}
}

/* Recorded with a little-endian kernel and ip: in host order first. */
static int recorded_to_host(void **state)
{
	(void)state;
	nlfix_msgs(req_addr_plain, sizeof(req_addr_plain), &nlfix_addr);
	nlfix_msgs(req_addr_peer, sizeof(req_addr_peer), &nlfix_addr);
	nlfix_msgs(req_addr_v6_nodad, sizeof(req_addr_v6_nodad), &nlfix_addr);
	nlfix_msgs(req_addr_v6_noprefixroute, sizeof(req_addr_v6_noprefixroute),
		   &nlfix_addr);
	nlfix_msgs(req_addr_replace, sizeof(req_addr_replace), &nlfix_addr);
	nlfix_msgs(req_addr_del, sizeof(req_addr_del), &nlfix_addr);
	nlfix_msgs(rec_addr4_dump, sizeof(rec_addr4_dump), &nlfix_addr);
	nlfix_msgs(rec_addr4_done, sizeof(rec_addr4_done), &nlfix_addr);
	nlfix_msgs(rec_addr6_nodad, sizeof(rec_addr6_nodad), &nlfix_addr);
	nlfix_msgs(rec_addr6_ll, sizeof(rec_addr6_ll), &nlfix_addr);
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_build_plain),
		cmocka_unit_test(test_build_peer),
		cmocka_unit_test(test_build_v6),
		cmocka_unit_test(test_build_replace_del),
		cmocka_unit_test(test_build_dump_and_errors),
		cmocka_unit_test(test_recorded_dump_v4),
		cmocka_unit_test(test_recorded_v6),
		cmocka_unit_test(test_malformed),
		cmocka_unit_test(test_unknown_and_garbage),
		cmocka_unit_test(test_mutations),
	};

	return cmocka_run_group_tests(tests, recorded_to_host, NULL);
}

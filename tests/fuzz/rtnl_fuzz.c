// SPDX-License-Identifier: MIT
// fuzz-covers: lib/addr.c:addr_fill,nl_addr_parse
// fuzz-covers: lib/route.c:route_fill,nl_route_parse
// fuzz-covers: lib/ip.c:ip_from_attr
/*
 * libFuzzer target: a received rtnetlink buffer through nl_parse_reply(),
 * each address message through nl_addr_parse() and each route message
 * through nl_route_parse(), whose results are then checked for sanity.
 * The port and sequence come from the first header so inputs get past them.
 */
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <linux/rtnetlink.h>
#include <libmnl/libmnl.h>

#include "fuzz.h"
#include "embnet/addr.h"
#include "embnet/ip.h"
#include "embnet/nl.h"
#include "embnet/route.h"

static void check_ip(const struct ip_addr *a, int family)
{
	char buf[IP_STRLEN];

	if (a->family != AF_UNSPEC && a->family != family)
		abort();
	ip_format(a, buf, sizeof(buf));
}

static int addr_cb(const struct nlmsghdr *nlh)
{
	struct nl_addr a;
	int err = nl_addr_parse(nlh, &a);

	if (err < 0)
		return err == -EAFNOSUPPORT ? MNL_CB_OK : err;
	if (a.prefixlen > ip_prefix_max(a.family) || a.local.family != a.family)
		abort();
	if (strnlen(a.label, sizeof(a.label)) == sizeof(a.label))
		abort();
	check_ip(&a.address, a.family);
	check_ip(&a.broadcast, a.family);
	return MNL_CB_OK;
}

static int route_cb(const struct nlmsghdr *nlh)
{
	struct nl_route r;
	int err = nl_route_parse(nlh, &r);

	if (err < 0)
		return err == -EAFNOSUPPORT ? MNL_CB_OK : err;
	if (r.dst_len > ip_prefix_max(r.family) || r.oif < 0)
		abort();
	check_ip(&r.dst, r.family);
	check_ip(&r.gateway, r.family);
	check_ip(&r.prefsrc, r.family);
	return MNL_CB_OK;
}

static int msg_cb(const struct nlmsghdr *nlh, void *arg)
{
	(void)arg;
	switch (nlh->nlmsg_type) {
	case RTM_NEWADDR:
	case RTM_DELADDR:
		return addr_cb(nlh);
	case RTM_NEWROUTE:
	case RTM_DELROUTE:
		return route_cb(nlh);
	default:
		return MNL_CB_OK;
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static uint8_t buf[MNL_SOCKET_DUMP_SIZE] __attribute__((aligned(4)));
	struct nlmsghdr hdr = { 0 };
	struct nl_sock ns;

	if (size > sizeof(buf))
		return 0;
	memcpy(buf, data, size);
	if (size >= sizeof(hdr))
		memcpy(&hdr, buf, sizeof(hdr));
	memset(&ns, 0, sizeof(ns));
	ns.portid = hdr.nlmsg_pid;
	nl_parse_reply(&ns, buf, size, hdr.nlmsg_seq, msg_cb, NULL);
	return 0;
}

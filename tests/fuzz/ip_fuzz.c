// SPDX-License-Identifier: MIT
// fuzz-covers: lib/ip.c
/*
 * libFuzzer target: the input, NUL-terminated, through every ip_parse*()
 * function; whatever parses must format and parse back to the same address,
 * and a parsed netmask must round-trip through ip_mask()/ip_mask_len().  The
 * raw input as an address must round-trip through a netlink attribute.
 */
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <libmnl/libmnl.h>

#include "fuzz.h"
#include "embnet/ip.h"
#include "embnet/nl.h"

static void round_trip(const struct ip_addr *a)
{
	char buf[IP_STRLEN];
	struct ip_addr b;

	ip_format(a, buf, sizeof(buf));
	if (ip_parse(buf, a->family, &b) != 0 || !ip_equal(a, &b))
		abort();
	if (ip_parse(buf, AF_UNSPEC, &b) != 0 || !ip_equal(a, &b))
		abort();
}

static void try_parse(const char *s, int family)
{
	struct ip_addr a;
	int prefix;

	if (ip_parse(s, family, &a) == 0)
		round_trip(&a);
	else if (a.family != AF_UNSPEC)
		abort();
	if (ip_parse_cidr(s, family, &a, &prefix) == 0) {
		if (prefix < -1 || prefix > ip_prefix_max(a.family))
			abort();
		round_trip(&a);
		/* the broadcast address lies in the prefix, with its host
		 * bits set */
		if (a.family == AF_INET && prefix >= 0) {
			struct in_addr b = ip_broadcast(a.v4, prefix);

			if ((b.s_addr & ip_mask(prefix).s_addr) !=
			    (a.v4.s_addr & ip_mask(prefix).s_addr))
				abort();
		}
	} else if (a.family != AF_UNSPEC || prefix != -1) {
		abort();
	}
}

/* @a as attribute 1 reads back as itself, and not as the other family. */
static void attr_round_trip(const struct ip_addr *a)
{
	uint8_t buf[MNL_SOCKET_BUFFER_SIZE] __attribute__((aligned(4)));
	struct nlmsghdr *nlh = nl_msg(buf, RTM_NEWADDR, 0);
	const struct nlattr *at = mnl_nlmsg_get_payload_tail(nlh);
	int other = a->family == AF_INET ? AF_INET6 : AF_INET;
	struct ip_addr b;

	if (!ip_put_attr(nlh, 1, a) || ip_from_attr(at, a->family, &b) != 0 ||
	    !ip_equal(a, &b) || ip_from_attr(at, other, &b) != -EBADMSG ||
	    ip_from_attr(NULL, a->family, &b) != 0 || b.family != AF_UNSPEC)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char s[128];
	int len;

	struct ip_addr raw;

	/* bytes from a netlink attribute: only an address's length fits */
	for (int f = 0; f < 3; f++) {
		static const int fam[] = { AF_INET, AF_INET6, AF_UNSPEC };

		if (ip_from_bytes(fam[f], data, size, &raw) == 0) {
			round_trip(&raw);
			attr_round_trip(&raw);
		}
	}
	if (size >= sizeof(s))
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';
	try_parse(s, AF_UNSPEC);
	try_parse(s, AF_INET);
	try_parse(s, AF_INET6);
	len = ip_parse_netmask(s);
	if (len >= 0 && (len > 32 || ip_mask_len(ip_mask(len)) != len))
		abort();
	return 0;
}

// SPDX-License-Identifier: MIT
// fuzz-covers: lib/bond.c:nl_bond_parse,parse_data,target_cb,u8_or,is_kind
// fuzz-covers: lib/bond.c:nl_bond_value_parse,table,numeric,by_number
/*
 * libFuzzer target: a received netlink buffer through nl_parse_reply(),
 * each data message decoded by nl_bond_parse() (bond and bond-slave data
 * of RTM_NEWLINK); then the input as option text through
 * nl_bond_value_parse() for each option.  A decoded link must hold a
 * terminated name and no more ARP targets than its array.
 */
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <linux/if_link.h>
#include <linux/netlink.h>
#include <libmnl/libmnl.h>

#include "fuzz.h"
#include "embnet/bond.h"
#include "embnet/nl.h"

static int bond_cb(const struct nlmsghdr *nlh, void *arg)
{
	struct nl_bond_link l;
	int err;

	(void)arg;
	err = nl_bond_parse(nlh, &l);
	if (err == -EPROTO)
		return MNL_CB_OK; /* not a link message */
	if (err < 0)
		return err;
	CHECK(strnlen(l.name, sizeof(l.name)) < sizeof(l.name));
	CHECK(l.n_targets <= NL_BOND_MAX_TARGETS);
	return MNL_CB_OK;
}

static void values(const uint8_t *data, size_t size)
{
	static const uint16_t attrs[] = {
		IFLA_BOND_MODE,		IFLA_BOND_MIIMON,
		IFLA_BOND_UPDELAY,	IFLA_BOND_DOWNDELAY,
		IFLA_BOND_ARP_INTERVAL, IFLA_BOND_XMIT_HASH_POLICY,
		IFLA_BOND_AD_LACP_RATE,
	};
	char text[256];
	uint32_t v;

	if (size >= sizeof(text))
		size = sizeof(text) - 1;
	memcpy(text, data, size);
	text[size] = '\0';
	for (size_t i = 0; i < sizeof(attrs) / sizeof(attrs[0]); i++)
		if (nl_bond_value_parse(attrs[i], text, &v) == 0)
			CHECK(v <= 0x7fffffff);
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
	nl_parse_reply(&ns, buf, size, hdr.nlmsg_seq, bond_cb, NULL);
	values(data, size);
	return 0;
}

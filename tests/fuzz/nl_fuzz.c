// SPDX-License-Identifier: MIT
// fuzz-covers: lib/nl.c:nl_attr_strcpy,attrs_walk,table_cb,attrs_table
// fuzz-covers: lib/nl.c:nl_parse_attrs,attr_valid
// fuzz-covers: lib/nl.c:nl_parse_nested,ext_ack_parse,error_msg,done_msg
// fuzz-covers: lib/nl.c:data_msg,msg_ok,nl_parse_reply
/*
 * libFuzzer target: a received netlink buffer through nl_parse_reply(), with
 * each data message's attributes parsed (top level and one nesting level),
 * and checked against a policy with one type of every kind.  The port and
 * sequence come from the first header so inputs get past them.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <linux/rtnetlink.h>
#include <libmnl/libmnl.h>

#include "fuzz.h"
#include "embnet/nl.h"

/* Types 1..8: one of each kind of enum nl_attr_kind. */
static const struct nl_policy kinds[9] = {
	[1] = { .kind = NL_A_U8 },     [2] = { .kind = NL_A_U16 },
	[3] = { .kind = NL_A_U32 },    [4] = { .kind = NL_A_FLAG },
	[5] = { .kind = NL_A_NESTED }, [6] = { NL_A_STRING, 2, 16 },
	[7] = { NL_A_BINARY, 1, 32 },  [8] = { .kind = NL_A_INADDR },
};

static int msg_cb(const struct nlmsghdr *nlh, void *arg)
{
	const struct nlattr *tb[64];
	const struct nlattr *nest[64];
	char name[16];
	int i;

	(void)arg;
	if (nl_parse_attrs(nlh, sizeof(struct ifinfomsg), tb, 63, NULL) < 0)
		return MNL_CB_ERROR;
	for (i = 0; i < 64; i++) {
		if (!tb[i])
			continue;
		nl_attr_strcpy(tb[i], name, sizeof(name));
		nl_parse_nested(tb[i], nest, 63, NULL);
		nl_parse_nested(tb[i], nest, 8, kinds);
	}
	nl_parse_attrs(nlh, sizeof(struct ifinfomsg), tb, 8, kinds);
	return MNL_CB_OK;
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

// SPDX-License-Identifier: MIT
// fuzz-covers: lib/link.c:attr_str,link_info,link_attrs
// fuzz-covers: lib/link.c:nl_link_parse,nl_link_carrier_ok,nl_link_oper_name
// fuzz-covers: lib/link.c:nl_link_format_addr
// fuzz-covers: lib/event.c:nl_event_parse
/*
 * libFuzzer target: a received netlink buffer through nl_parse_reply() and
 * nl_event_parse(), each data message decoded by nl_link_parse().  The port
 * and sequence come from the first header so inputs get past their checks.
 * A decoded link must hold terminated strings and a sane address length.
 */
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <linux/netlink.h>
#include <libmnl/libmnl.h>

#include "fuzz.h"
#include "embnet/event.h"
#include "embnet/link.h"
#include "embnet/nl.h"

static void check_link(const struct nl_link *l)
{
	char mac[NL_LINK_MAC_STRLEN];

	if (strnlen(l->name, sizeof(l->name)) == sizeof(l->name) ||
	    strnlen(l->kind, sizeof(l->kind)) == sizeof(l->kind) ||
	    strnlen(l->alias, sizeof(l->alias)) == sizeof(l->alias) ||
	    l->addr_len > sizeof(l->addr))
		__builtin_trap();
	nl_link_format_addr(l->addr, l->addr_len, mac, sizeof(mac));
	if (strlen(mac) >= sizeof(mac) || !nl_link_oper_name(l->operstate))
		__builtin_trap();
	nl_link_carrier_ok(l);
}

static int link_cb(const struct nlmsghdr *nlh, void *arg)
{
	struct nl_link l;
	int err;

	(void)arg;
	err = nl_link_parse(nlh, &l);
	if (err == -EPROTO)
		return MNL_CB_OK; /* not a link message */
	if (err < 0)
		return err;
	check_link(&l);
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
	nl_parse_reply(&ns, buf, size, hdr.nlmsg_seq, link_cb, NULL);
	nl_event_parse(buf, size, link_cb, NULL);
	return 0;
}

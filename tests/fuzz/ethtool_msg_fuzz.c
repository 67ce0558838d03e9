// SPDX-License-Identifier: MIT
/*
 * libFuzzer target: the reply decoders ethtool-lite adds to lib/: every
 * scalar/bitset message (rings, channels, coalesce, pause, link modes,
 * link info, WoL, debug), the FEATURES_SET_REPLY diff and the rtnetlink
 * permanent address.  The input is a reply buffer read from the kernel.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <linux/ethtool.h>
#include <linux/ethtool_netlink.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>
#include <libmnl/libmnl.h>

#include "ethtool.h"
#include "genl.h"
#include "nl.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const uint8_t cmds[] = {
	ETHTOOL_MSG_LINKINFO_GET, ETHTOOL_MSG_LINKMODES_GET,
	ETHTOOL_MSG_DEBUG_GET,	  ETHTOOL_MSG_WOL_GET,
	ETHTOOL_MSG_RINGS_GET,	  ETHTOOL_MSG_CHANNELS_GET,
	ETHTOOL_MSG_COALESCE_GET, ETHTOOL_MSG_PAUSE_GET,
};

static int reply_cb(const struct nlmsghdr *nlh, void *data)
{
	static struct nl_ethtool_attrs a;
	static struct nl_ethtool_features_diff d;
	struct nl_ethtool_permaddr pa;
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *out;
	size_t i;

	(void)data;
	for (i = 0; i < sizeof(cmds); i++) {
		if (nl_ethtool_attrs_parse(nlh, cmds[i], &a) < 0)
			continue;
		/* What parses must build again (the SET path). */
		memset(buf, 0, sizeof(buf));
		out = mnl_nlmsg_put_header(buf);
		mnl_nlmsg_put_extra_header(out, GENL_HDRLEN);
		nl_ethtool_attrs_put(out, sizeof(buf), (uint8_t)(cmds[i] + 1),
				     &a);
	}
	if (nl_ethtool_features_diff_parse(nlh, &d) == 0)
		nl_ethtool_bitset_test(&d.wanted, 0);
	nl_ethtool_permaddr_parse(nlh, &pa);
	return MNL_CB_OK;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct nl_sock ns;
	uint32_t seq = 0;

	memset(&ns, 0, sizeof(ns));
	if (size >= sizeof(struct nlmsghdr))
		memcpy(&seq, data + offsetof(struct nlmsghdr, nlmsg_seq),
		       sizeof(seq));
	nl_parse_reply(&ns, data, size, seq, reply_cb, NULL);
	return 0;
}

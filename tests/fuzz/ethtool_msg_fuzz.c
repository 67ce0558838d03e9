// SPDX-License-Identifier: MIT
// fuzz-covers: lib/ethtool_msg.c:nl_ethtool_attr_types,nl_ethtool_attr_has
// fuzz-covers: lib/ethtool_msg.c:nl_ethtool_attr_bitset_slot,attr_store
// fuzz-covers: lib/ethtool_msg.c:msg_policy
// fuzz-covers: lib/ethtool_msg.c:nl_ethtool_attrs_parse,attr_put
// fuzz-covers: lib/ethtool_msg.c:nl_ethtool_attrs_put
// fuzz-covers: lib/ethtool_legacy.c:ethtool_ioctl_lsettings_decode
// fuzz-covers: lib/ethtool_legacy.c:ethtool_ioctl_lm_test,block_bits
// fuzz-covers: lib/ethtool_legacy.c:ethtool_ioctl_features_decode
// fuzz-covers: lib/ethtool_perm.c:nl_ethtool_permaddr_parse
// fuzz-covers: lib/ethtool_features.c:nl_ethtool_features_diff_parse
// fuzz-covers: ethtool-lite/num.c:et_strtou,et_strtoi,et_parse_wol
// fuzz-covers: ethtool-lite/sset_bits.c:et_sset_names
// fuzz-covers: ethtool-lite/sset_bits.c:et_sset_sopass
/*
 * libFuzzer target: the reply decoders ethtool-lite adds to lib/: every
 * scalar/bitset message (rings, channels, coalesce, pause, link modes,
 * link info, WoL, debug), the FEATURES_SET_REPLY diff and the rtnetlink
 * permanent address.  The input is a reply buffer read from the kernel.
 * The same bytes also go, raw, to the ioctl reply decoders (link
 * settings, GFEATURES) and, as a string, to ethtool-lite's -s parsers.
 */
// sources: ethtool-lite/sset_bits.c ethtool-lite/num.c
// sources: ethtool-lite/print.c ethtool-lite/linkstate.c
// sources: ethtool-lite/setmsg.c
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <linux/ethtool.h>
#include <linux/ethtool_netlink.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>
#include <libmnl/libmnl.h>

#include "fuzz.h"
#include "embnet/ethtool.h"
#include "embnet/genl.h"
#include "embnet/nl.h"
#include "../../ethtool-lite/et.h"
#include "../../ethtool-lite/print.h"

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

/* The ioctl replies: whatever the kernel (or a liar) wrote back. */
static void ioctl_replies(const uint8_t *data, size_t size)
{
	static struct ethtool_ioctl_lsettings ls;
	static struct nl_ethtool_features f;
	uint32_t n = size ? (uint32_t)data[0] * 8 : 0;

	if (ethtool_ioctl_lsettings_decode(data, size, &ls) == 0)
		ethtool_ioctl_lm_test(ls.advertising, ls.base.speed);
	if (ethtool_ioctl_features_decode(data, size, n, &f) == 0)
		nl_ethtool_bitset_test(&f.active, n ? n - 1 : 0);
}

/* The -s parsers of ethtool-lite on the input as one argument. */
static void cli_parsers(const uint8_t *data, size_t size)
{
	static struct et_sset_named l;
	struct nl_ethtool_bitset bs;
	char arg[256], *argv[3] = { arg, arg, NULL };
	uint8_t pass[SOPASS_MAX];
	unsigned long long u;
	const char *shown;
	long long i;
	uint32_t v;

	if (size >= sizeof(arg))
		size = sizeof(arg) - 1;
	memcpy(arg, data, size);
	arg[size] = 0;
	et_num_is_bitset(arg);
	if (et_num_bitset(arg, size && (data[0] & 1), &bs, &shown) == 0)
		CHECK(bs.n_bits <= NL_ETHTOOL_BITSET_WORDS * 32);
	CHECK(shown >= arg && shown <= arg + size);
	et_sset_sopass(arg, pass);
	et_nl_u32(arg, &v);
	et_strtou(arg, 0, UINT16_MAX, &u);
	et_strtoi(arg, 0, INT16_MIN, INT16_MAX, &i);
	et_parse_wol(arg, &v);
	memset(&l, 0, sizeof(l));
	et_sset_names(&l, 3, argv, 2, "-s", "advertise");
	if (size >= 2) {
		et_ext_state_name(data[0]);
		et_ext_substate_name(data[0], data[1]);
	}
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
	ioctl_replies(data, size);
	cli_parsers(data, size);
	return 0;
}

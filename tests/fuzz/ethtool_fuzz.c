// SPDX-License-Identifier: MIT
// fuzz-covers: lib/nl.c:nl_nest_walk
// fuzz-covers: lib/genl.c:op_cb,grp_cb
// fuzz-covers: lib/genl.c:nl_genl_family_parse,nl_genl_group
// fuzz-covers: lib/ethtool.c:nl_ethtool_bitset_test,bitset_*,bit_*
// fuzz-covers: lib/ethtool.c:nl_ethtool_bitset_parse,nl_ethtool_header_parse
// fuzz-covers: lib/ethtool.c:string*_cb,nl_ethtool_strset_parse
// fuzz-covers: lib/ethtool.c:nl_ethtool_strset_free,nl_ethtool_strset_name
// fuzz-covers: lib/ethtool.c:nl_ethtool_strset_find,reply_header
// fuzz-covers: lib/ethtool.c:nl_ethtool_features_parse,fields_parse
// fuzz-covers: lib/ethtool.c:nl_ethtool_linkstate_parse
// fuzz-covers: lib/ethtool.c:nl_ethtool_linkinfo_parse
/*
 * libFuzzer target: generic netlink and ethtool reply parsers.  The input
 * is a reply buffer read from the kernel; each data message goes through
 * the family, string set, feature, link state/info and bitset parsers.
 */
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

#define TOP_MAX 15

/* Every nested top-level attribute may be a bitset (LINKMODES OURS...). */
static void bitsets(const struct nlmsghdr *nlh,
		    const struct nl_ethtool_strset *names)
{
	const struct nlattr *tb[TOP_MAX + 1];
	struct nl_ethtool_bitset bs;
	int i;

	if (nl_parse_attrs(nlh, GENL_HDRLEN, tb, TOP_MAX, NULL) < 0)
		return;
	for (i = 1; i <= TOP_MAX; i++) {
		if (tb[i] && nl_ethtool_bitset_parse(tb[i], names, &bs) == 0)
			nl_ethtool_bitset_test(&bs,
					       bs.n_bits ? bs.n_bits - 1 : 0);
	}
}

static int reply_cb(const struct nlmsghdr *nlh, void *data)
{
	struct nl_ethtool_features feat;
	struct nl_ethtool_linkstate ls;
	struct nl_ethtool_linkinfo li;
	struct nl_ethtool_strset *set = NULL;
	struct nl_genl_family fam;

	(void)data;
	if (nl_genl_family_parse(nlh, &fam) == 0)
		nl_genl_group(&fam, "monitor");
	if (nl_ethtool_strset_parse(nlh, ETH_SS_FEATURES, &set) == 0 &&
	    set->count)
		nl_ethtool_strset_find(set, nl_ethtool_strset_name(set, 0));
	nl_ethtool_features_parse(nlh, set, &feat);
	bitsets(nlh, set);
	nl_ethtool_strset_free(set);
	nl_ethtool_linkstate_parse(nlh, &ls);
	nl_ethtool_linkinfo_parse(nlh, &li);
	return MNL_CB_OK;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct nl_sock ns;
	uint32_t seq = 0;

	memset(&ns, 0, sizeof(ns)); /* portid 0: the kernel's */
	if (size >= sizeof(struct nlmsghdr))
		memcpy(&seq, data + offsetof(struct nlmsghdr, nlmsg_seq),
		       sizeof(seq));
	nl_parse_reply(&ns, data, size, seq, reply_cb, NULL);
	return 0;
}

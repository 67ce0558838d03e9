/* SPDX-License-Identifier: MIT */
/*
 * Unit-test helper: nlfix.h's tables for generic netlink, the controller
 * and the ethtool family.
 */
#ifndef EMBNET_TESTS_NLFIX_GENL_H
#define EMBNET_TESTS_NLFIX_GENL_H

#include <linux/ethtool_netlink.h>
#include <linux/genetlink.h>

#include "nlfix.h"

static const struct nlfix_attr nlfix_ctrl_op[] = {
	NLFIX_INT(CTRL_ATTR_OP_ID),
	NLFIX_INT(CTRL_ATTR_OP_FLAGS),
	NLFIX_END,
};

static const struct nlfix_attr nlfix_ctrl_grp[] = {
	NLFIX_INT(CTRL_ATTR_MCAST_GRP_ID),
	NLFIX_END,
};

/* OPS and MCAST_GROUPS number their entries 1, 2, ... */
static const struct nlfix_attr nlfix_ctrl_ops[] = {
	NLFIX_NEST(NLFIX_ANY, nlfix_ctrl_op),
	NLFIX_END,
};

static const struct nlfix_attr nlfix_ctrl_grps[] = {
	NLFIX_NEST(NLFIX_ANY, nlfix_ctrl_grp),
	NLFIX_END,
};

static const struct nlfix_attr nlfix_ctrl_attrs[] = {
	NLFIX_INT(CTRL_ATTR_FAMILY_ID),
	NLFIX_INT(CTRL_ATTR_VERSION),
	NLFIX_INT(CTRL_ATTR_HDRSIZE),
	NLFIX_INT(CTRL_ATTR_MAXATTR),
	NLFIX_NEST(CTRL_ATTR_OPS, nlfix_ctrl_ops),
	NLFIX_NEST(CTRL_ATTR_MCAST_GROUPS, nlfix_ctrl_grps),
	NLFIX_END,
};

static const struct nlfix_attr nlfix_eth_header[] = {
	NLFIX_INT(ETHTOOL_A_HEADER_DEV_INDEX),
	NLFIX_INT(ETHTOOL_A_HEADER_FLAGS),
	NLFIX_END,
};

static const struct nlfix_attr nlfix_eth_bit[] = {
	NLFIX_INT(ETHTOOL_A_BITSET_BIT_INDEX),
	NLFIX_END,
};

static const struct nlfix_attr nlfix_eth_bits[] = {
	NLFIX_NEST(ETHTOOL_A_BITSET_BITS_BIT, nlfix_eth_bit),
	NLFIX_END,
};

/* Compact VALUE and MASK are arrays of u32 words. */
static const struct nlfix_attr nlfix_eth_bitset[] = {
	NLFIX_INT(ETHTOOL_A_BITSET_SIZE),
	NLFIX_NEST(ETHTOOL_A_BITSET_BITS, nlfix_eth_bits),
	NLFIX_FIELDS(ETHTOOL_A_BITSET_VALUE, "4*"),
	NLFIX_FIELDS(ETHTOOL_A_BITSET_MASK, "4*"),
	NLFIX_END,
};

static const struct nlfix_attr nlfix_eth_string[] = {
	NLFIX_INT(ETHTOOL_A_STRING_INDEX),
	NLFIX_END,
};

static const struct nlfix_attr nlfix_eth_strings[] = {
	NLFIX_NEST(ETHTOOL_A_STRINGS_STRING, nlfix_eth_string),
	NLFIX_END,
};

static const struct nlfix_attr nlfix_eth_stringset[] = {
	NLFIX_INT(ETHTOOL_A_STRINGSET_ID),
	NLFIX_INT(ETHTOOL_A_STRINGSET_COUNT),
	NLFIX_NEST(ETHTOOL_A_STRINGSET_STRINGS, nlfix_eth_strings),
	NLFIX_END,
};

static const struct nlfix_attr nlfix_eth_stringsets[] = {
	NLFIX_NEST(ETHTOOL_A_STRINGSETS_STRINGSET, nlfix_eth_stringset),
	NLFIX_END,
};

/* Every ethtool message carries its header as attribute 1. */
#define NLFIX_ETH_HEADER NLFIX_NEST(1, nlfix_eth_header)

static const struct nlfix_attr nlfix_eth_strset_attrs[] = {
	NLFIX_ETH_HEADER,
	NLFIX_NEST(ETHTOOL_A_STRSET_STRINGSETS, nlfix_eth_stringsets),
	NLFIX_END,
};

static const struct nlfix_attr nlfix_eth_features_attrs[] = {
	NLFIX_ETH_HEADER,
	NLFIX_NEST(ETHTOOL_A_FEATURES_HW, nlfix_eth_bitset),
	NLFIX_NEST(ETHTOOL_A_FEATURES_WANTED, nlfix_eth_bitset),
	NLFIX_NEST(ETHTOOL_A_FEATURES_ACTIVE, nlfix_eth_bitset),
	NLFIX_NEST(ETHTOOL_A_FEATURES_NOCHANGE, nlfix_eth_bitset),
	NLFIX_END,
};

static const struct nlfix_attr nlfix_eth_linkmodes_attrs[] = {
	NLFIX_ETH_HEADER,
	NLFIX_NEST(ETHTOOL_A_LINKMODES_OURS, nlfix_eth_bitset),
	NLFIX_NEST(ETHTOOL_A_LINKMODES_PEER, nlfix_eth_bitset),
	NLFIX_INT(NLFIX_ANY),
	NLFIX_END,
};

static const struct nlfix_attr nlfix_eth_debug_attrs[] = {
	NLFIX_ETH_HEADER,
	NLFIX_NEST(ETHTOOL_A_DEBUG_MSGMASK, nlfix_eth_bitset),
	NLFIX_END,
};

/* LINKINFO, LINKSTATE, RINGS, CHANNELS, COALESCE: all integers. */
static const struct nlfix_attr nlfix_eth_ints_attrs[] = {
	NLFIX_ETH_HEADER,
	NLFIX_INT(NLFIX_ANY),
	NLFIX_END,
};

/* Header: struct genlmsghdr. */
static const struct nlfix_fam nlfix_ctrl = {
	.hdr = "112",
	.attrs = nlfix_ctrl_attrs,
};
static const struct nlfix_fam nlfix_eth_strset = {
	.hdr = "112",
	.attrs = nlfix_eth_strset_attrs,
};
static const struct nlfix_fam nlfix_eth_features = {
	.hdr = "112",
	.attrs = nlfix_eth_features_attrs,
};
static const struct nlfix_fam nlfix_eth_linkmodes = {
	.hdr = "112",
	.attrs = nlfix_eth_linkmodes_attrs,
};
static const struct nlfix_fam nlfix_eth_debug = {
	.hdr = "112",
	.attrs = nlfix_eth_debug_attrs,
};
static const struct nlfix_fam nlfix_eth_ints = {
	.hdr = "112",
	.attrs = nlfix_eth_ints_attrs,
};

#endif

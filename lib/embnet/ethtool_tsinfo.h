/* SPDX-License-Identifier: MIT */
/*
 * Timestamping capabilities of a device (ethtool -T): the
 * ETHTOOL_MSG_TSINFO_GET reply, and ETHTOOL_GET_TS_INFO over ioctl.
 */
#ifndef EMBNET_ETHTOOL_TSINFO_H
#define EMBNET_ETHTOOL_TSINFO_H

#include <stdbool.h>
#include <stdint.h>

#include <linux/ethtool.h>
#include <libmnl/libmnl.h>

#include "embnet/ethtool.h"
#include "embnet/ethtool_bitlist.h"
#include "embnet/genl.h"
#include "embnet/nl.h"

/* A TSINFO_GET reply; has_* say which attributes came. */
struct nl_ethtool_tsinfo {
	struct nl_ethtool_dev dev;
	bool has_ts, has_tx, has_rx, has_phc;
	uint32_t phc_index;
	struct nl_ethtool_bitlist ts; /* SOF_TIMESTAMPING_* */
	struct nl_ethtool_bitlist tx; /* HWTSTAMP_TX_* */
	struct nl_ethtool_bitlist rx; /* HWTSTAMP_FILTER_* */
};

/*
 * Parses a TSINFO_GET reply (bitsets compact or verbose) into @out (a
 * struct nl_ethtool_tsinfo, zeroed first).  Pure.  Returns 0, -EBADMSG or
 * nl_ethtool_bitlist_parse()'s errors.
 */
int nl_ethtool_tsinfo_parse(const struct nlmsghdr *nlh, void *out);

/*
 * TSINFO_GET of @dev with header @flags (ETHTOOL_FLAG_COMPACT_BITSETS for
 * bits without names).  Returns 0 or -errno (extended ack in
 * nl_ext_msg(ns)).
 */
int nl_ethtool_tsinfo_get(struct nl_sock *ns, const struct nl_genl_family *fam,
			  const struct nl_ethtool_dev *dev, uint32_t flags,
			  struct nl_ethtool_tsinfo *out);

/* ETHTOOL_GET_TS_INFO of @ifname into @out.  Returns 0 or -errno. */
int ethtool_ioctl_tsinfo_get(const char *ifname, struct ethtool_ts_info *out);

#endif

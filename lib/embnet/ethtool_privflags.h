/* SPDX-License-Identifier: MIT */
/*
 * Driver private flags (ethtool --show-priv-flags / --set-priv-flags):
 * ETHTOOL_MSG_PRIVFLAGS_GET and _SET.
 */
#ifndef EMBNET_ETHTOOL_PRIVFLAGS_H
#define EMBNET_ETHTOOL_PRIVFLAGS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <libmnl/libmnl.h>

#include "embnet/ethtool.h"
#include "embnet/ethtool_bitlist.h"
#include "embnet/genl.h"
#include "embnet/nl.h"

/* A PRIVFLAGS_GET reply: the flags, verbose with their names. */
struct nl_ethtool_privflags {
	struct nl_ethtool_dev dev;
	bool has_flags; /* FLAGS was sent */
	struct nl_ethtool_bitlist flags;
};

/*
 * Parses a PRIVFLAGS_GET reply into @out (a struct nl_ethtool_privflags,
 * zeroed first).  Pure.  Returns 0, -EBADMSG or
 * nl_ethtool_bitlist_parse()'s errors.
 */
int nl_ethtool_privflags_parse(const struct nlmsghdr *nlh, void *out);

/* PRIVFLAGS_GET of @dev (verbose bitset).  Returns 0 or -errno. */
int nl_ethtool_privflags_get(struct nl_sock *ns,
			     const struct nl_genl_family *fam,
			     const struct nl_ethtool_dev *dev,
			     struct nl_ethtool_privflags *out);

/*
 * Appends PRIVFLAGS_SET's FLAGS to @nlh: the @n named bits of @bits
 * (verbose) if @bs is NULL, else @bs in compact form.  Pure.  Returns 0,
 * -EINVAL (bad name or size) or -EMSGSIZE.
 */
int nl_ethtool_privflags_put(struct nlmsghdr *nlh, size_t buf_len,
			     const struct nl_ethtool_named_bit *bits, size_t n,
			     const struct nl_ethtool_bitset *bs);

/* PRIVFLAGS_SET of @dev with nl_ethtool_privflags_put()'s FLAGS.
 * Returns 0 or -errno (extended ack in nl_ext_msg(ns)). */
int nl_ethtool_privflags_set(struct nl_sock *ns,
			     const struct nl_genl_family *fam,
			     const struct nl_ethtool_dev *dev,
			     const struct nl_ethtool_named_bit *bits, size_t n,
			     const struct nl_ethtool_bitset *bs);

/* ETHTOOL_GPFLAGS of @ifname into *@flags.  Returns 0 or -errno. */
int ethtool_ioctl_pflags_get(const char *ifname, uint32_t *flags);

/* ETHTOOL_SPFLAGS of @ifname to @flags.  Returns 0 or -errno. */
int ethtool_ioctl_pflags_set(const char *ifname, uint32_t flags);

#endif

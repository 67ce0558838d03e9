/* SPDX-License-Identifier: MIT */
/*
 * rtnetlink events: a socket joined to the link and address multicast
 * groups, reading of what the kernel sends there, and waiting for carrier.
 *
 * Events carry the sequence number and port of whichever request caused
 * them (often 0), so they are not checked; only the kernel (sender port 0)
 * is listened to.  When the socket overflows the kernel drops events and
 * reports ENOBUFS: the caller must then resync with a fresh dump.
 */
#ifndef EMBNET_EVENT_H
#define EMBNET_EVENT_H

#include <stddef.h>

#include "embnet/nl.h"

/* Groups for nl_event_open(), to be or-ed. */
enum nl_event_group {
	NL_EVENT_LINK = 1 << 0, /* RTNLGRP_LINK: RTM_NEWLINK, RTM_DELLINK */
	NL_EVENT_IPV4_ADDR = 1 << 1, /* RTNLGRP_IPV4_IFADDR */
	NL_EVENT_IPV6_ADDR = 1 << 2, /* RTNLGRP_IPV6_IFADDR */
};

/*
 * Opens a NETLINK_ROUTE socket in @ns joined to @groups (NL_EVENT_*).
 * Returns 0 or -errno (-EINVAL for no or unknown groups); on success the
 * caller owns @ns and closes it with nl_close() (harmless after failure).
 */
int nl_event_open(struct nl_sock *ns, unsigned int groups);

/*
 * Walks @len bytes of event messages in @buf, calling @cb for each data
 * message: nl_parse_reply() with seq 0 (NLMSG_NOOP is skipped,
 * NLMSG_ERROR/NLMSG_DONE are -EPROTO).
 * Pure.  Returns 0, -EBADMSG for a truncated message or trailing bytes,
 * -EBADMSG when @cb returns MNL_CB_ERROR, or the negative errno of @cb.
 */
int nl_event_parse(const void *buf, size_t len, nl_cb_t cb, void *data);

/*
 * Receives one datagram from @ns without waiting (poll nl_fd() first) and
 * hands its messages to @cb as nl_event_parse() does.  Returns 0, -EAGAIN
 * when nothing was queued, -ENOBUFS when events were lost (resync with a
 * dump), or another -errno.
 */
int nl_event_read(struct nl_sock *ns, nl_cb_t cb, void *data);

/*
 * Waits until link @index has carrier (nl_link_carrier_ok()) or
 * @timeout_ms (negative: forever) passes.  Subscribes before it reads the
 * current state, so no change is missed.  Returns 0, -ETIMEDOUT, -ENODEV
 * if the link is or goes away, or another -errno.
 */
int nl_event_wait_carrier(int index, int timeout_ms);

#endif

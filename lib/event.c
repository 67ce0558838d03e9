// SPDX-License-Identifier: MIT
#include <errno.h>
#include <poll.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/uio.h>

#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <libmnl/libmnl.h>

#include "embnet/event.h"
#include "embnet/link.h"
#include "embnet/mono.h"
#include "embnet/nl.h"

static const struct {
	unsigned int bit;
	int group;
} event_groups[] = {
	{ NL_EVENT_LINK, RTNLGRP_LINK },
	{ NL_EVENT_IPV4_ADDR, RTNLGRP_IPV4_IFADDR },
	{ NL_EVENT_IPV6_ADDR, RTNLGRP_IPV6_IFADDR },
};

#define N_EVENT_GROUPS (sizeof(event_groups) / sizeof(event_groups[0]))

int nl_event_open(struct nl_sock *ns, unsigned int groups)
{
	unsigned int all =
		NL_EVENT_LINK | NL_EVENT_IPV4_ADDR | NL_EVENT_IPV6_ADDR;
	size_t i;
	int group, err;

	memset(ns, 0, sizeof(*ns)); /* nl_close() is safe on failure */
	if (groups == 0 || (groups & ~all))
		return -EINVAL;
	err = nl_open(ns, NETLINK_ROUTE);
	if (err < 0)
		return err;
	for (i = 0; i < N_EVENT_GROUPS; i++) {
		if (!(groups & event_groups[i].bit))
			continue;
		group = event_groups[i].group;
		if (mnl_socket_setsockopt(ns->nl, NETLINK_ADD_MEMBERSHIP,
					  &group, sizeof(group)) < 0) {
			err = -errno;
			goto out;
		}
	}
	return 0;
out:
	nl_close(ns);
	return err;
}

int nl_event_parse(const void *buf, size_t len, nl_cb_t cb, void *data)
{
	struct nl_sock ns = { 0 };
	int ret;

	/* seq 0: notifications carry their causer's seq and port. */
	ret = nl_parse_reply(&ns, buf, len, 0, cb, data);
	return ret > 0 ? 0 : ret;
}

int nl_event_read(struct nl_sock *ns, nl_cb_t cb, void *data)
{
	char buf[MNL_SOCKET_DUMP_SIZE] NL_ALIGNED;
	struct sockaddr_nl sa;
	struct iovec iov = { .iov_base = buf, .iov_len = sizeof(buf) };
	struct msghdr msg = {
		.msg_name = &sa,
		.msg_namelen = sizeof(sa),
		.msg_iov = &iov,
		.msg_iovlen = 1,
	};
	ssize_t n;

	n = recvmsg(nl_fd(ns), &msg, MSG_DONTWAIT);
	if (n < 0)
		return -errno;
	if (msg.msg_flags & MSG_TRUNC)
		return -ENOSPC;
	/* Any process may send to our port; only the kernel is heard. */
	if (msg.msg_namelen != sizeof(sa) || sa.nl_pid != 0)
		return 0;
	return nl_event_parse(buf, (size_t)n, cb, data);
}

/* Datagrams dropped at most after ENOBUFS before the state is read again. */
#define CARRIER_DRAIN_MAX 1024

struct carrier_ctx {
	int index;
	bool up;
	bool gone;
};

static int carrier_cb(const struct nlmsghdr *nlh, void *data)
{
	struct carrier_ctx *ctx = data;
	struct nl_link link;
	int err;

	if (nlh->nlmsg_type != RTM_NEWLINK && nlh->nlmsg_type != RTM_DELLINK)
		return MNL_CB_OK;
	err = nl_link_parse(nlh, &link);
	if (err < 0)
		return err;
	/* Bridge port notices (AF_BRIDGE) say nothing of the link itself. */
	if (link.index != ctx->index || link.family != AF_UNSPEC)
		return MNL_CB_OK;
	if (nlh->nlmsg_type == RTM_DELLINK)
		ctx->gone = true;
	else
		ctx->up = nl_link_carrier_ok(&link);
	return MNL_CB_OK;
}

/* Reads the current state on a separate socket: the event socket would
 * mix events into the reply. */
static int carrier_query(struct carrier_ctx *ctx)
{
	struct nl_sock rq;
	struct nl_link link;
	int err;

	err = nl_open(&rq, NETLINK_ROUTE);
	if (err < 0)
		return err;
	err = nl_link_get(&rq, ctx->index, NULL, &link);
	nl_close(&rq);
	if (err < 0)
		return err;
	ctx->up = nl_link_carrier_ok(&link);
	return 0;
}

static int ignore_cb(const struct nlmsghdr *nlh, void *data)
{
	(void)nlh;
	(void)data;
	return MNL_CB_OK;
}

/*
 * Events were lost.  What is still queued predates the loss and could be
 * older than a fresh query, so drop it first; whatever arrives after the
 * drain is complete and in order, and ends in the current state.
 */
static int carrier_resync(struct nl_sock *ev, struct carrier_ctx *ctx)
{
	int n, err;

	for (n = 0; n < CARRIER_DRAIN_MAX; n++) {
		err = nl_event_read(ev, ignore_cb, NULL);
		if (err == -EAGAIN)
			break;
		if (err < 0 && err != -ENOBUFS)
			return err;
	}
	return carrier_query(ctx);
}

static int carrier_poll(struct nl_sock *ev, struct carrier_ctx *ctx,
			int64_t deadline)
{
	struct pollfd pfd = { .fd = nl_fd(ev), .events = POLLIN };
	int n, err;

	n = poll(&pfd, 1, mono_left_ms(deadline));
	if (n < 0)
		return errno == EINTR ? 0 : -errno;
	if (n == 0)
		return -ETIMEDOUT;
	err = nl_event_read(ev, carrier_cb, ctx);
	if (err == -ENOBUFS)
		return carrier_resync(ev, ctx);
	if (err == -EAGAIN)
		return 0;
	if (err == 0 && ctx->gone)
		return -ENODEV;
	return err;
}

int nl_event_wait_carrier(int index, int timeout_ms)
{
	int64_t deadline = timeout_ms < 0 ? -1 : mono_ms() + timeout_ms;
	struct carrier_ctx ctx = { .index = index };
	struct nl_sock ev;
	int err;

	if (index <= 0)
		return -EINVAL;
	/* Join first, then read the state: a change in between is queued. */
	err = nl_event_open(&ev, NL_EVENT_LINK);
	if (err < 0)
		return err;
	err = carrier_query(&ctx);
	while (err == 0 && !ctx.up)
		err = carrier_poll(&ev, &ctx, deadline);
	nl_close(&ev);
	return err;
}

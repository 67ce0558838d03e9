// SPDX-License-Identifier: MIT
/*
 * nltool event: lib/event.h on the command line.
 *
 *   wait-carrier NAME TIMEOUT_MS
 *	exit 0 and "carrier=1" once NAME has carrier, 1 on timeout.
 *   monitor COUNT TIMEOUT_MS [RCVBUF [DELAY_MS]]
 *	joins the link and address groups, prints "ready=1", optionally
 *	shrinks the receive buffer to RCVBUF bytes and sleeps DELAY_MS
 *	(to provoke ENOBUFS), then prints COUNT events as key=value records.
 *	After ENOBUFS it prints "enobufs=1" and resyncs with a link dump
 *	("resync=N" links).  Exit 1 if fewer than COUNT came in time.
 */
#include <errno.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/socket.h>

#include <linux/if_addr.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <libmnl/libmnl.h>

#include "embnet/event.h"
#include "embnet/link.h"
#include "embnet/mono.h"
#include "embnet/nl.h"
#include "nltool.h"
#include "embnet/parse.h"

struct monitor {
	uint32_t want;
	uint32_t seen;
};

/* A count or milliseconds: parse_u32(), kept within int for poll(). */
static int parse_count(const char *s, uint32_t *out)
{
	if (parse_u32(s, out) < 0 || *out > INT32_MAX)
		return -EINVAL;
	return 0;
}

static int usage(void)
{
	fprintf(stderr, "usage: nltool event wait-carrier NAME TIMEOUT_MS | "
			"monitor COUNT TIMEOUT_MS [RCVBUF [DELAY_MS]]\n");
	return 2;
}

static int op_wait_carrier(int argc, char **argv)
{
	struct nl_sock ns;
	uint32_t timeout;
	int index, err;

	if (argc != 4 || parse_count(argv[3], &timeout) < 0)
		return usage();
	err = nl_open(&ns, NETLINK_ROUTE);
	if (err < 0)
		return nltool_fail(NULL, err, "netlink open");
	index = nl_link_index(&ns, argv[2]);
	if (index < 0) {
		err = nltool_fail(&ns, index, argv[2]);
		nl_close(&ns);
		return err;
	}
	nl_close(&ns);
	err = nl_event_wait_carrier(index, (int)timeout);
	if (err < 0)
		return nltool_fail(NULL, err, "event wait-carrier");
	printf("carrier=1\n");
	return 0;
}

static int print_link_event(const struct nlmsghdr *nlh)
{
	struct nl_link l;
	int err = nl_link_parse(nlh, &l);

	if (err < 0)
		return err;
	printf("event=%s\nindex=%d\nname=%s\nup=%d\ncarrier=%d\n"
	       "operstate=%s\n",
	       nlh->nlmsg_type == RTM_NEWLINK ? "newlink" : "dellink", l.index,
	       l.name, !!(l.flags & IFF_UP), nl_link_carrier_ok(&l),
	       nl_link_oper_name(l.operstate));
	return 0;
}

static int print_addr_event(const struct nlmsghdr *nlh)
{
	struct ifaddrmsg ifa;

	if (mnl_nlmsg_get_payload_len(nlh) < sizeof(ifa))
		return -EBADMSG;
	memcpy(&ifa, mnl_nlmsg_get_payload(nlh), sizeof(ifa));
	printf("event=%s\nfamily=%s\nindex=%u\nprefixlen=%u\n",
	       nlh->nlmsg_type == RTM_NEWADDR ? "newaddr" : "deladdr",
	       ifa.ifa_family == AF_INET6 ? "inet6" : "inet", ifa.ifa_index,
	       ifa.ifa_prefixlen);
	return 0;
}

static int monitor_cb(const struct nlmsghdr *nlh, void *data)
{
	struct monitor *m = data;
	int err;

	switch (nlh->nlmsg_type) {
	case RTM_NEWLINK:
	case RTM_DELLINK:
		err = print_link_event(nlh);
		break;
	case RTM_NEWADDR:
	case RTM_DELADDR:
		err = print_addr_event(nlh);
		break;
	default:
		return MNL_CB_OK;
	}
	if (err < 0)
		return err;
	printf("\n");
	fflush(stdout);
	return ++m->seen >= m->want ? MNL_CB_STOP : MNL_CB_OK;
}

static int count_cb(const struct nl_link *l, void *data)
{
	(void)l;
	++*(int *)data;
	return MNL_CB_OK;
}

static void count_restart(void *data)
{
	*(int *)data = 0;
}

/* Events were lost: what a real client does, read the whole state again. */
static int resync(void)
{
	struct nl_sock ns;
	int n = 0;
	int err;

	err = nl_open(&ns, NETLINK_ROUTE);
	if (err < 0)
		return err;
	err = nl_link_dump(&ns, count_cb, count_restart, &n);
	nl_close(&ns);
	if (err < 0)
		return err;
	printf("enobufs=1\nresync=%d\n\n", n);
	fflush(stdout);
	return 0;
}

static int monitor_loop(struct nl_sock *ev, struct monitor *m, int64_t deadline)
{
	struct pollfd pfd = { .fd = nl_fd(ev), .events = POLLIN };
	int n, err = 0;

	while (m->seen < m->want) {
		n = poll(&pfd, 1, mono_left_ms(deadline));
		if (n < 0 && errno != EINTR)
			return -errno;
		if (n == 0)
			return -ETIMEDOUT;
		if (n < 0)
			continue;
		err = nl_event_read(ev, monitor_cb, m);
		if (err == -ENOBUFS)
			err = resync();
		if (err < 0 && err != -EAGAIN)
			return err;
	}
	return 0;
}

static int shrink_and_sleep(struct nl_sock *ev, uint32_t rcvbuf,
			    uint32_t delay_ms)
{
	struct timespec ts = { .tv_sec = delay_ms / 1000,
			       .tv_nsec = (long)(delay_ms % 1000) * 1000000 };
	int v = (int)rcvbuf;

	if (v &&
	    setsockopt(nl_fd(ev), SOL_SOCKET, SO_RCVBUF, &v, sizeof(v)) < 0)
		return -errno;
	printf("ready=1\n\n");
	fflush(stdout);
	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
	return 0;
}

static int op_monitor(int argc, char **argv)
{
	uint32_t timeout, rcvbuf = 0, delay = 0;
	struct monitor m = { 0 };
	struct nl_sock ev;
	int64_t deadline;
	int err;

	if (argc < 4 || argc > 6 || parse_count(argv[2], &m.want) < 0 ||
	    parse_count(argv[3], &timeout) < 0 ||
	    (argc > 4 && parse_count(argv[4], &rcvbuf) < 0) ||
	    (argc > 5 && parse_count(argv[5], &delay) < 0))
		return usage();
	err = nl_event_open(&ev, NL_EVENT_LINK | NL_EVENT_IPV4_ADDR |
					 NL_EVENT_IPV6_ADDR);
	if (err < 0)
		return nltool_fail(NULL, err, "event open");
	err = shrink_and_sleep(&ev, rcvbuf, delay);
	deadline = mono_ms() + timeout;
	if (err == 0)
		err = monitor_loop(&ev, &m, deadline);
	nl_close(&ev);
	if (err < 0)
		return nltool_fail(NULL, err, "event monitor");
	return 0;
}

int nltool_event(int argc, char **argv)
{
	if (argc >= 2 && strcmp(argv[1], "wait-carrier") == 0)
		return op_wait_carrier(argc, argv);
	if (argc >= 2 && strcmp(argv[1], "monitor") == 0)
		return op_monitor(argc, argv);
	return usage();
}

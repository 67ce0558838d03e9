// SPDX-License-Identifier: MIT
/*
 * MSG_ZEROCOPY (the kernel's Documentation/networking/msg_zerocopy.rst):
 * the kernel pins the pages of each send instead of copying them, and
 * later queues on the socket's error queue the range [lo, hi] of send
 * calls whose pages it has released, with SO_EE_CODE_ZEROCOPY_COPIED when
 * it had to copy after all (loopback, veth, a device without scatter-
 * gather).  Unread completions are charged to the socket and make sends
 * fail with ENOBUFS, so they are read every few calls.  netperf sends one
 * unchanging buffer, so it never has to wait for a completion to reuse it.
 */
#include <errno.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h> /* struct timespec, for errqueue.h */

#include <linux/errqueue.h>

#include "zc.h"

#ifndef SO_ZEROCOPY
#define SO_ZEROCOPY 60
#endif
#ifndef MSG_ZEROCOPY
#define MSG_ZEROCOPY 0x4000000
#endif
#ifndef SO_EE_ORIGIN_ZEROCOPY
#define SO_EE_ORIGIN_ZEROCOPY 5
#endif
#ifndef SO_EE_CODE_ZEROCOPY_COPIED
#define SO_EE_CODE_ZEROCOPY_COPIED 1
#endif

#define ZC_REAP_EVERY 16

int np_zc_enable(int fd, struct np_zc *z)
{
	int one = 1;

	memset(z, 0, sizeof(*z));
	if (setsockopt(fd, SOL_SOCKET, SO_ZEROCOPY, &one, sizeof(one)) < 0)
		return -errno;
	return 0;
}

/* Accounts one completion message's control data. */
static void zc_account(struct np_zc *z, struct msghdr *m)
{
	for (struct cmsghdr *c = CMSG_FIRSTHDR(m); c; c = CMSG_NXTHDR(m, c)) {
		struct sock_extended_err ee;
		uint64_t n;

		if (!((c->cmsg_level == SOL_IP && c->cmsg_type == IP_RECVERR) ||
		      (c->cmsg_level == SOL_IPV6 &&
		       c->cmsg_type == IPV6_RECVERR)) ||
		    c->cmsg_len < CMSG_LEN(sizeof(ee)))
			continue;
		memcpy(&ee, CMSG_DATA(c), sizeof(ee));
		if (ee.ee_origin != SO_EE_ORIGIN_ZEROCOPY || ee.ee_errno)
			continue;
		/* ee_info..ee_data, inclusive, in a 32-bit space that wraps */
		n = (uint64_t)(uint32_t)(ee.ee_data - ee.ee_info) + 1;
		z->done += n;
		if (ee.ee_code & SO_EE_CODE_ZEROCOPY_COPIED)
			z->copied += n;
	}
}

int np_zc_reap(int fd, struct np_zc *z)
{
	union {
		char buf[CMSG_SPACE(sizeof(struct sock_extended_err)) + 64];
		struct cmsghdr align;
	} ctl;

	for (;;) {
		struct msghdr m = { .msg_control = ctl.buf,
				    .msg_controllen = sizeof(ctl.buf) };

		if (recvmsg(fd, &m, MSG_ERRQUEUE | MSG_DONTWAIT) < 0)
			return errno == EAGAIN ? 0 : -errno;
		zc_account(z, &m);
	}
}

ssize_t np_zc_send(int fd, struct np_zc *z, const void *buf, size_t len)
{
	ssize_t n;

	if (z->calls % ZC_REAP_EVERY == 0)
		np_zc_reap(fd, z);
	n = send(fd, buf, len, MSG_NOSIGNAL | MSG_ZEROCOPY);
	if (n < 0 && errno == ENOBUFS) {
		np_zc_reap(fd, z);
		errno = ENOBUFS; /* the caller retries */
	}
	if (n > 0)
		z->calls++;
	return n;
}

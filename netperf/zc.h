/* SPDX-License-Identifier: MIT */
/* MSG_ZEROCOPY sends and their completions (zc.c). */
#ifndef NETPERF_ZC_H
#define NETPERF_ZC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* One socket's zerocopy bookkeeping, counted in send calls. */
struct np_zc {
	uint64_t calls;	 /* send calls that took the pages */
	uint64_t done;	 /* calls whose pages the kernel released */
	uint64_t copied; /* of those, calls it copied after all */
};

/* Sets SO_ZEROCOPY on @fd and clears @z.  Returns 0 or -errno (kernels
 * before 4.14, sockets that cannot). */
int np_zc_enable(int fd, struct np_zc *z);
/*
 * send(2)s @len bytes of @buf with MSG_ZEROCOPY, first reading the
 * completions when the kernel ran out of room to queue them (ENOBUFS)
 * and every few calls.  The caller never changes @buf.  Returns as send.
 */
ssize_t np_zc_send(int fd, struct np_zc *z, const void *buf, size_t len);
/* Reads the completions queued on @fd's error queue into @z.  Returns
 * 0 or -errno. */
int np_zc_reap(int fd, struct np_zc *z);

#endif

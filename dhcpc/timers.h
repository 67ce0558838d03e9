/* SPDX-License-Identifier: MIT */
/*
 * RFC 2131 4.4.5 timers of the state machine: T1, T2 and expiry of a
 * lease as the server gives them, within floors it cannot abuse, and the
 * retransmissions.  No I/O but log lines; the time is f->now.
 */
#ifndef DHCPC_TIMERS_H
#define DHCPC_TIMERS_H

#include <stdint.h>

#include "fsm.h"

/* f->t1, t2, expiry (-1: infinite) and last_ack for the ACK @m taken
 * now: options 51, 58 and 59, checked and floored (timers.c). */
void timers_lease(struct fsm *f, const struct dhcp_msg *m);

/* The next retransmission, -T from now; while a lease is held, no later
 * than its expiry. */
int64_t timers_retry(const struct fsm *f);

/* RENEWING and REBINDING: half the time left until @end, at least a
 * minute, never past @end. */
int64_t timers_half_left(int64_t now, int64_t end);

#endif

/* SPDX-License-Identifier: MIT */
/* dhcpc6's retransmission times and lease timers (RFC 8415 15, 21.4). */
#ifndef DHCPC_D6_TIMERS_H
#define DHCPC_D6_TIMERS_H

#include <stdbool.h>
#include <stdint.h>

#include "d6_packet.h"

/* @s seconds in ms; 0xffffffff (infinity) is -1.  Pure. */
int64_t d6_secs_ms(uint32_t s);

/*
 * RFC 8415 15: the next retransmission time after @prev (0: the first,
 * from @irt), capped near @mrt (0: no cap), with @rnd_pm, a random
 * number in [-100, 100] per mille.  @solicit makes the first one's
 * randomisation strictly positive.  Pure.
 */
int64_t d6_rt_next(int64_t prev, int64_t irt, int64_t mrt, int rnd_pm,
		   bool solicit);

/*
 * Checks and prunes the IAs of Reply @m as RFC 8415 21.4, 21.6 and 21.22
 * say (T1 > T2 > 0: the IA dropped; preferred > valid or valid 0: the
 * address dropped; a prefix longer than 128 is never kept), and computes
 * T1, T2 and the end of the longest valid lifetime in ms from @now (-1:
 * infinite), T1 and T2 chosen as 0.5 and 0.8 of the shortest preferred
 * lifetime when the server gave 0.  Returns the number of addresses and
 * prefixes left.  Pure.
 */
unsigned d6_lease_times(struct d6_msg *m, int64_t now, int64_t *t1, int64_t *t2,
			int64_t *expiry);

#endif

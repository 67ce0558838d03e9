// SPDX-License-Identifier: MIT
#include <arpa/inet.h>

#include "embnet/log.h"
#include "timers.h"

#define RETRANSMIT_MIN 60000 /* ms, RFC 2131 4.4.5 */

/*
 * Lease timers a server cannot abuse (timers_lease()), in seconds.  A lease
 * under MIN_LEASE is raised to it (udhcpc's floor; dhcpcd's is 20 s).  T1
 * is at least min(RENEW_GAP, lease / 2) after its ACK: two renewals, each
 * a script run and a lease file written, are a minute apart for leases of
 * 2 min and more whatever T1 and T2 say, and a real 60 s lease (ISP
 * modems hand them out while they start) still renews at 30 s, as in
 * udhcpc.  Only the first ACK after a quiet spell (none for QUIET) may
 * have a T1 down to T1_MIN: a server that sets T1 low on purpose gets its
 * first renewal then, and one answering every REQUEST at once, or NAKing
 * each renewal and ACKing the next DISCOVER, gets one round a minute.
 */
#define MIN_LEASE 30
#define T1_MIN 5
#define RENEW_GAP 60
#define QUIET (2 * RENEW_GAP)

static int64_t at(int64_t now, uint32_t s)
{
	return now + (int64_t)s * 1000;
}

/* T1 from @t1 no sooner than the floor at the top; T2 after it (0.875
 * of the lease if not). */
static void floor_t1(struct fsm *f, uint32_t lease, uint32_t *t1, uint32_t *t2)
{
	uint32_t min = T1_MIN;

	if (f->last_ack >= 0 && f->now - f->last_ack < QUIET * 1000LL)
		min = lease / 2 < RENEW_GAP ? lease / 2 : RENEW_GAP;
	if (*t1 >= min)
		return;
	log_warn("T1 of %u s raised to %u s", *t1, min);
	*t1 = min;
	if (*t2 <= *t1)
		*t2 = (uint32_t)((uint64_t)lease * 7 / 8);
}

/* RFC 2131 4.4.5: T1/T2 from options 58/59 when 0 < T1 < T2 < lease,
 * else 0.5 and 0.875 of the lease (a T1 of 0 would renew at once after
 * every ACK; dhcpcd takes it for none); then the floors at the top.
 * 0xffffffff is infinite (3.3): no timer, where udhcpc's signed lease
 * clamps it to INT_MAX s. */
void timers_lease(struct fsm *f, const struct dhcp_msg *m)
{
	uint32_t lease = 3600, t1, t2, v;

	if (dhcp_opt_be32(m, DHO_LEASE, &v))
		lease = ntohl(v);
	else
		log_info("no lease time with ACK, using 1 hour lease");
	if (lease == 0xffffffffu) {
		f->t1 = f->t2 = f->expiry = -1;
		f->last_ack = f->now;
		return;
	}
	if (lease < MIN_LEASE) {
		log_warn("lease of %u s raised to %u s", lease, MIN_LEASE);
		lease = MIN_LEASE;
	}
	t1 = lease / 2;
	t2 = (uint32_t)((uint64_t)lease * 7 / 8);
	if (dhcp_opt_be32(m, DHO_T1, &v))
		t1 = ntohl(v);
	if (dhcp_opt_be32(m, DHO_T2, &v))
		t2 = ntohl(v);
	if (!(t1 && t1 < t2 && t2 < lease)) {
		log_warn("T1 %u, T2 %u, lease %u: using 0.5 and 0.875", t1, t2,
			 lease);
		t1 = lease / 2;
		t2 = (uint32_t)((uint64_t)lease * 7 / 8);
	}
	floor_t1(f, lease, &t1, &t2);
	f->t1 = at(f->now, t1);
	f->t2 = at(f->now, t2);
	f->expiry = at(f->now, lease);
	f->last_ack = f->now;
}

int64_t timers_retry(const struct fsm *f)
{
	int64_t t = at(f->now, f->cfg->timeout);

	return f->have_lease && f->expiry >= 0 && f->expiry < t ? f->expiry : t;
}

int64_t timers_half_left(int64_t now, int64_t end)
{
	int64_t d = (end - now) / 2;

	if (d < RETRANSMIT_MIN)
		d = RETRANSMIT_MIN;
	return now + d < end ? now + d : end;
}

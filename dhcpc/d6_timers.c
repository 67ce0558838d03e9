// SPDX-License-Identifier: MIT
/*
 * dhcpc6's times: the retransmission times of RFC 8415 15, and a Reply's
 * T1, T2 and lifetimes checked and turned into the lease's timers.
 */
#include <stdbool.h>
#include <stdint.h>

#include "d6_timers.h"

#define INF32 0xffffffffu

int64_t d6_rt_next(int64_t prev, int64_t irt, int64_t mrt, int rnd_pm,
		   bool solicit)
{
	int64_t rt;

	if (rnd_pm < -100)
		rnd_pm = -100;
	if (rnd_pm > 100)
		rnd_pm = 100;
	/* 18.2.1: the first Solicit RT is strictly above IRT */
	if (!prev && solicit && rnd_pm <= 0)
		rnd_pm = -rnd_pm + 1;
	if (!prev)
		rt = irt + irt * rnd_pm / 1000;
	else
		rt = 2 * prev + prev * rnd_pm / 1000;
	if (mrt && rt > mrt)
		rt = mrt + mrt * rnd_pm / 1000;
	return rt > 0 ? rt : 1;
}

int64_t d6_secs_ms(uint32_t s)
{
	return s == INF32 ? -1 : (int64_t)s * 1000;
}

/* Drops the addresses 21.6 and 21.22 say to discard; returns the
 * shortest preferred and the longest valid lifetime of those kept. */
static void prune(struct d6_ia *ia, uint32_t *pref_min, uint32_t *valid_max)
{
	unsigned k = 0;

	for (unsigned i = 0; i < ia->n_a; i++) {
		struct d6_lease_addr *a = &ia->a[i];

		if (a->pref > a->valid || !a->valid ||
		    (a->has_status && a->status != D6_ST_SUCCESS))
			continue;
		if (a->pref < *pref_min)
			*pref_min = a->pref;
		if (a->valid > *valid_max)
			*valid_max = a->valid;
		ia->a[k++] = *a;
	}
	ia->n_a = k;
}

static int64_t min_t(int64_t a, int64_t b)
{
	if (a < 0)
		return b;
	if (b < 0)
		return a;
	return a < b ? a : b;
}

/* One IA's T1/T2 (21.4): 0 means the client chooses. */
static void ia_times(struct d6_ia *ia, int64_t *t1, int64_t *t2,
		     int64_t *valid_max)
{
	uint32_t pref = INF32, valid = 0;
	int64_t a, b;

	if (!ia->present)
		return;
	if ((ia->t1 > ia->t2 && ia->t2) ||
	    (ia->has_status && ia->status != D6_ST_SUCCESS)) {
		ia->n_a = 0;
		return;
	}
	prune(ia, &pref, &valid);
	if (!ia->n_a)
		return;
	a = ia->t1 ? d6_secs_ms(ia->t1) : pref == INF32 ? -1 : pref * 500LL;
	b = ia->t2 ? d6_secs_ms(ia->t2) : pref == INF32 ? -1 : pref * 800LL;
	if (a >= 0 && b >= 0 && a > b)
		a = b;
	*t1 = min_t(*t1, a);
	*t2 = min_t(*t2, b);
	if (*valid_max >= 0)
		*valid_max = valid == INF32 ? -1
					    : (d6_secs_ms(valid) > *valid_max
						       ? d6_secs_ms(valid)
						       : *valid_max);
}

unsigned d6_lease_times(struct d6_msg *m, int64_t now, int64_t *t1, int64_t *t2,
			int64_t *expiry)
{
	int64_t a = -1, b = -1, v = 0;

	ia_times(&m->na, &a, &b, &v);
	ia_times(&m->pd, &a, &b, &v);
	/* a server's T1 of a few seconds would have us renew in a loop: at
	 * least 60 s, or half the lease when that is shorter (as dhcpc) */
	if (a >= 0 && v >= 0 && a < 60000 && a < v / 2)
		a = v / 2 < 60000 ? v / 2 : 60000;
	if (b >= 0 && a >= 0 && b < a)
		b = a;
	*t1 = a < 0 ? -1 : now + a;
	*t2 = b < 0 ? -1 : now + b;
	*expiry = v < 0 ? -1 : now + v;
	return m->na.n_a + m->pd.n_a;
}

// SPDX-License-Identifier: MIT
/*
 * The DHCPv6 client's decisions (RFC 8415 18): Solicit and the choice of
 * an Advertise, Request, Renew at T1, Rebind at T2, Release, and the
 * stateless Information-request; retransmissions per section 15.  The
 * script's events are udhcpc6's.
 */
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "d6_fsm.h"
#include "d6_msg.h"
#include "d6_timers.h"
#include "embnet/log.h"

#define NAK_WAIT_MS 3000 /* udhcpc6 sleeps 3 s after a failure status */

static void exchange_over(struct d6_fsm *f);

static int rnd_pm(struct d6_fsm *f)
{
	uint64_t x = f->rnd;

	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	f->rnd = x;
	return (int)(x % 201) - 100;
}

static void enq(struct d6_fsm *f, const struct d6_act *a)
{
	if (f->n_acts < D6_MAX_ACTS)
		f->acts[f->n_acts++] = *a;
}

static void script(struct d6_fsm *f, const char *event, const struct d6_msg *m)
{
	struct d6_act a = { .type = D6_ACT_SCRIPT, .event = event, .msg = m };

	enq(f, &a);
}

const struct d6_act *d6_fsm_next(struct d6_fsm *f)
{
	if (f->head >= f->n_acts) {
		f->head = f->n_acts = 0;
		return NULL;
	}
	return &f->acts[f->head++];
}

/* ---- sending ---------------------------------------------------------- */

static void send_msg(struct d6_fsm *f, uint8_t type, bool with_server)
{
	struct d6_act a = { .type = D6_ACT_SEND, .mcast = true, .buf = f->out };
	int n = d6_msg_make(f, type, with_server, f->out, sizeof(f->out));

	if (n < 0)
		return;
	a.len = (size_t)n;
	/* 18.2.10: unicast only where the server allowed it */
	if (with_server && f->unicast && type != D6_REQUEST) {
		a.mcast = false;
		a.dst = f->server_addr;
	}
	enq(f, &a);
}

static bool has_server(enum d6_state s)
{
	return s == D6_ST_REQUEST || s == D6_ST_RENEW || s == D6_ST_DECLINE;
}

/* Sends the current state's message again, or says the exchange is
 * over (false): MRC sends made, or MRD reached. */
static bool transmit(struct d6_fsm *f)
{
	const struct d6_cfg *c = f->cfg;
	int64_t irt = D6_SOL_TIMEOUT, mrt = D6_SOL_MAX_RT;
	unsigned mrc = 0;

	switch (f->state) {
	case D6_ST_SOLICIT:
	case D6_ST_INFO:
		irt = c->timeout_ms ? c->timeout_ms : D6_SOL_TIMEOUT;
		mrt = f->state == D6_ST_INFO ? f->inf_max_rt : f->sol_max_rt;
		mrc = c->retries;
		break;
	case D6_ST_REQUEST:
		irt = D6_REQ_TIMEOUT, mrt = D6_REQ_MAX_RT, mrc = D6_REQ_MAX_RC;
		break;
	case D6_ST_CONFIRM:
		irt = D6_CNF_TIMEOUT, mrt = D6_CNF_MAX_RT;
		break;
	case D6_ST_DECLINE:
		irt = D6_DEC_TIMEOUT, mrt = 0, mrc = D6_DEC_MAX_RC;
		break;
	default:
		irt = D6_REN_TIMEOUT, mrt = D6_REN_MAX_RT;
		break;
	}
	if ((mrc && f->tries >= mrc) ||
	    (f->mrd_end >= 0 && f->now >= f->mrd_end))
		return false;
	f->rt = d6_rt_next(f->rt, irt, mrt, rnd_pm(f),
			   f->state == D6_ST_SOLICIT);
	if (!f->tries && f->state == D6_ST_SOLICIT)
		f->collect_end = f->now + f->rt;
	f->tries++;
	send_msg(f, d6_msg_type(f->state), has_server(f->state));
	f->deadline = f->now + f->rt;
	if (f->mrd_end >= 0 && f->deadline > f->mrd_end)
		f->deadline = f->mrd_end;
	return true;
}

static void begin(struct d6_fsm *f, enum d6_state s, int64_t mrd_end)
{
	f->state = s;
	f->tries = 0;
	f->rt = 0;
	f->start = f->now;
	f->mrd_end = mrd_end;
	f->xid = (uint32_t)(f->rnd >> 20) & 0xffffff;
	rnd_pm(f);
	if (s == D6_ST_SOLICIT) {
		f->adv_pref = -1;
		f->adv_len = 0;
		f->unicast = false;
	}
	if (!transmit(f))
		exchange_over(f);
}

static void start_over(struct d6_fsm *f)
{
	begin(f, f->cfg->stateless ? D6_ST_INFO : D6_ST_SOLICIT, -1);
}

void d6_fsm_init(struct d6_fsm *f, const struct d6_cfg *cfg,
		 const uint8_t *duid, size_t duid_len, uint32_t iaid,
		 uint64_t seed, int64_t now)
{
	memset(f, 0, sizeof(*f));
	f->cfg = cfg;
	if (duid_len > sizeof(f->duid))
		duid_len = sizeof(f->duid);
	memcpy(f->duid, duid, duid_len);
	f->duid_len = duid_len;
	f->iaid = iaid;
	f->rnd = seed ? seed : 0x9e3779b97f4a7c15ull;
	f->now = now;
	f->deadline = -1;
	f->adv_pref = -1;
	f->sol_max_rt = D6_SOL_MAX_RT;
	f->inf_max_rt = D6_INF_MAX_RT;
	script(f, "deconfig", NULL);
	start_over(f);
}

/* d6_parse(), then an IA of another IAID is as though absent: the only
 * IAs we ask for are ours (parse() keeps the first of each type). */
static int parse_own(const struct d6_fsm *f, const uint8_t *buf, size_t len,
		     struct d6_msg *m)
{
	const char *why;
	int err = d6_parse(buf, len, m, &why);

	if (err) {
		log_debug(1, "bad DHCPv6 message: %s", why);
		return err;
	}
	if (m->na.present && m->na.iaid != f->iaid)
		memset(&m->na, 0, sizeof(m->na));
	if (m->pd.present && m->pd.iaid != f->iaid)
		memset(&m->pd, 0, sizeof(m->pd));
	return 0;
}

/* ---- outcomes --------------------------------------------------------- */

/* Bound again after a Confirm: a T1 or T2 passed meanwhile acts now. */
static void back_to_bound(struct d6_fsm *f)
{
	f->state = D6_ST_BOUND;
	if (f->t2 >= 0 && f->now >= f->t2)
		begin(f, D6_ST_REBIND, f->expiry);
	else if (f->t1 >= 0 && f->now >= f->t1)
		begin(f, D6_ST_RENEW, f->t2);
	else
		f->deadline = f->t1;
}

static void set_deadline(struct d6_fsm *f, int64_t at)
{
	f->deadline = at;
}

/* leasefail: udhcpc6's -b, -n and -A. */
static void lease_fail(struct d6_fsm *f)
{
	const struct d6_cfg *c = f->cfg;

	script(f, "leasefail", NULL);
	if (c->background && !f->forked) {
		struct d6_act a = { .type = D6_ACT_FORK };

		f->forked = true;
		enq(f, &a);
	} else if (c->now && !f->forked) {
		log_err(0, "no lease, failing");
		f->done = true;
		f->exit_code = 1;
		return;
	}
	f->state = D6_ST_WAIT;
	set_deadline(f, f->now + (int64_t)c->tryagain * 1000);
}

static void lose_lease(struct d6_fsm *f)
{
	if (f->bound)
		script(f, "deconfig", NULL);
	f->bound = false;
	f->lease_len = 0;
}

static void went_bound(struct d6_fsm *f, bool info)
{
	const struct d6_cfg *c = f->cfg;

	if (info) {
		uint32_t s = f->lease.has_refresh ? f->lease.refresh : 0;
		int64_t r = s ? d6_secs_ms(s) : D6_IRT_DEFAULT;

		if (r >= 0 && r < D6_IRT_MINIMUM)
			r = D6_IRT_MINIMUM;
		f->state = D6_ST_INFO_BOUND;
		set_deadline(f, r < 0 ? -1 : f->now + r);
	} else {
		f->state = D6_ST_BOUND;
		set_deadline(f, f->t1);
	}
	if (c->quit) {
		f->done = true;
		return;
	}
	if (!c->foreground && !f->forked) {
		struct d6_act a = { .type = D6_ACT_FORK };

		f->forked = true;
		enq(f, &a);
	}
}

/* Takes Reply f->rx as the lease; false when it leaves nothing bound. */
static bool take_lease(struct d6_fsm *f, bool info)
{
	struct d6_msg m;
	int64_t t1 = -1, t2 = -1, exp = -1;
	bool was = f->bound;

	if (parse_own(f, f->rx_raw, f->rx_len, &m))
		return false;
	if (!info && !d6_lease_times(&m, f->now, &t1, &t2, &exp))
		return false;
	f->lease_len = f->rx_len;
	memcpy(f->lease_raw, f->rx_raw, f->lease_len);
	parse_own(f, f->lease_raw, f->lease_len, &f->lease);
	if (!info)
		d6_lease_times(&f->lease, f->now, &f->t1, &f->t2, &f->expiry);
	memcpy(f->server, m.serverid.p, m.serverid.len);
	f->server_len = m.serverid.len;
	f->bound = true;
	script(f, was ? "renew" : "bound", &f->lease);
	return true;
}

static bool ia_status(const struct d6_ia *ia, uint16_t st)
{
	return ia->present && ia->has_status && ia->status == st;
}

/* A failure status in a Reply (18.2.10.1); true when handled. */
static bool reply_status(struct d6_fsm *f)
{
	const struct d6_msg *m = &f->rx;
	bool req = f->state == D6_ST_REQUEST;
	uint16_t st = m->has_status ? m->status : D6_ST_SUCCESS;

	if (st == D6_ST_USE_MULTICAST) {
		f->unicast = false;
		transmit(f);
		return true;
	}
	if ((f->state == D6_ST_RENEW || f->state == D6_ST_REBIND) &&
	    (ia_status(&m->na, D6_ST_NO_BINDING) ||
	     ia_status(&m->pd, D6_ST_NO_BINDING))) {
		/* the server lost our binding: Request it again */
		memcpy(f->server, m->serverid.p, m->serverid.len);
		f->server_len = m->serverid.len;
		begin(f, D6_ST_REQUEST, -1);
		return true;
	}
	if (st == D6_ST_SUCCESS &&
	    !(req && (ia_status(&m->na, D6_ST_NOT_ON_LINK) ||
		      ia_status(&m->pd, D6_ST_NOT_ON_LINK))))
		return false;
	log_warn("%s: status %u", d6_type_name(m->type), st);
	script(f, "nak", m);
	if (!req && st != D6_ST_NOT_ON_LINK)
		return true; /* keep the lease; retransmit on schedule */
	lose_lease(f);
	if (st == D6_ST_NOT_ON_LINK || req) {
		f->state = D6_ST_WAIT;
		set_deadline(f, f->now + NAK_WAIT_MS);
	}
	return true;
}

static void on_reply(struct d6_fsm *f)
{
	bool info = f->state == D6_ST_INFO;

	if (!f->rx.serverid.p)
		return; /* 16.10: a Reply names its server */
	if (!info && reply_status(f))
		return;
	if (!take_lease(f, info)) {
		if (f->state == D6_ST_REQUEST) {
			log_warn("REPLY: no usable address or prefix");
			script(f, "nak", &f->rx);
			f->state = D6_ST_WAIT;
			set_deadline(f, f->now + NAK_WAIT_MS);
		}
		return;
	}
	f->unicast = f->lease.has_unicast;
	memcpy(f->server_addr, f->lease.unicast, 16);
	went_bound(f, info);
}

/* The Reply to a Confirm (18.2.10.2: NotOnLink, the addresses are of
 * another link) or to a Decline (18.2.10.3: whatever it says, Solicit). */
static void on_other_reply(struct d6_fsm *f)
{
	const struct d6_msg *m = &f->rx;

	if (!m->serverid.p)
		return;
	if (f->state == D6_ST_DECLINE) {
		start_over(f);
		return;
	}
	if (m->has_status && m->status == D6_ST_NOT_ON_LINK) {
		log_warn("CONFIRM: not on link, entering init state");
		lose_lease(f);
		start_over(f);
		return;
	}
	back_to_bound(f);
}

/* ---- Advertise ------------------------------------------------------- */

static bool ia_usable(const struct d6_ia *ia)
{
	if (!ia->present || (ia->has_status && ia->status != D6_ST_SUCCESS))
		return false;
	for (unsigned i = 0; i < ia->n_a; i++)
		if (ia->a[i].valid && ia->a[i].pref <= ia->a[i].valid)
			return true;
	return false;
}

/* Request from the Advertise in adv_raw. */
static void choose(struct d6_fsm *f)
{

	memcpy(f->rx_raw, f->adv_raw, f->adv_len);
	f->rx_len = f->adv_len;
	if (parse_own(f, f->rx_raw, f->adv_len, &f->rx))
		return;
	memcpy(f->server, f->rx.serverid.p, f->rx.serverid.len);
	f->server_len = f->rx.serverid.len;
	begin(f, D6_ST_REQUEST, -1);
}

/* 18.2.9: Advertises are gathered for the first RT, the best kept (the
 * highest preference, the first of equals); 255 is taken at once. */
static void on_advertise(struct d6_fsm *f, size_t len)
{
	const struct d6_msg *m = &f->rx;
	const struct d6_cfg *c = f->cfg;
	int pref = m->has_pref ? m->pref : 0;

	if (!m->serverid.p || (m->has_status && m->status != D6_ST_SUCCESS) ||
	    !((c->want_na && ia_usable(&m->na)) ||
	      (c->want_pd && ia_usable(&m->pd))))
		return;
	if (pref > f->adv_pref) {
		memcpy(f->adv_raw, f->rx_raw, len);
		f->adv_len = len;
		f->adv_pref = pref;
	}
	if (pref == 255 || f->now >= f->collect_end)
		choose(f);
}

/* 21.24, 21.25: a server's SOL_MAX_RT and INF_MAX_RT, from 60 s to a
 * day, are kept even from an Advertise that is otherwise ignored. */
static void max_rts(struct d6_fsm *f, const struct d6_msg *m)
{
	if (m->sol_max_rt >= 60 && m->sol_max_rt <= 86400)
		f->sol_max_rt = d6_secs_ms(m->sol_max_rt);
	if (m->inf_max_rt >= 60 && m->inf_max_rt <= 86400)
		f->inf_max_rt = d6_secs_ms(m->inf_max_rt);
}

static bool ours(const struct d6_fsm *f, const struct d6_msg *m)
{
	return m->xid == f->xid && m->clientid.len == f->duid_len &&
	       memcmp(m->clientid.p, f->duid, f->duid_len) == 0;
}

void d6_fsm_packet(struct d6_fsm *f, int64_t now, const uint8_t *buf,
		   size_t len, const uint8_t *src)
{

	(void)src;
	f->now = now;
	if (len > sizeof(f->rx_raw))
		return;
	memcpy(f->rx_raw, buf, len);
	f->rx_len = len;
	if (parse_own(f, f->rx_raw, len, &f->rx))
		return;
	if (!ours(f, &f->rx))
		return;
	max_rts(f, &f->rx);
	if (f->rx.type == D6_ADVERTISE && f->state == D6_ST_SOLICIT) {
		on_advertise(f, len);
		return;
	}
	if (f->rx.type != D6_REPLY)
		return;
	if (f->state == D6_ST_SOLICIT &&
	    !(f->cfg->rapid_commit && f->rx.rapid_commit))
		return;
	if (f->state == D6_ST_BOUND || f->state == D6_ST_INFO_BOUND ||
	    f->state == D6_ST_WAIT || f->state == D6_ST_RELEASED)
		return;
	if (f->state == D6_ST_CONFIRM || f->state == D6_ST_DECLINE)
		on_other_reply(f);
	else
		on_reply(f);
}

/* ---- timers and signals ------------------------------------------------ */

/* An exchange ran out of retransmissions. */
static void exchange_over(struct d6_fsm *f)
{
	switch (f->state) {
	case D6_ST_RENEW: /* 18.2.4: T2 reached */
		begin(f, D6_ST_REBIND, f->expiry);
		break;
	case D6_ST_REBIND: /* 18.2.5: every valid lifetime over */
		log_warn("lease lost, entering init state");
		lose_lease(f);
		start_over(f);
		break;
	case D6_ST_CONFIRM: /* 18.2.3: no answer, the leases stay in use */
		back_to_bound(f);
		break;
	case D6_ST_DECLINE:
		start_over(f);
		break;
	case D6_ST_REQUEST: /* as udhcpc6: back to Solicit, via leasefail */
		f->state = D6_ST_SOLICIT;
		lease_fail(f);
		break;
	default:
		lease_fail(f);
		break;
	}
}

void d6_fsm_timeout(struct d6_fsm *f, int64_t now)
{
	f->now = now;
	switch (f->state) {
	case D6_ST_SOLICIT:
		if (f->adv_pref >= 0) {
			choose(f);
			return;
		}
		/* fall through */
	case D6_ST_REQUEST:
	case D6_ST_RENEW:
	case D6_ST_REBIND:
	case D6_ST_INFO:
	case D6_ST_CONFIRM:
	case D6_ST_DECLINE:
		if (!transmit(f))
			exchange_over(f);
		return;
	case D6_ST_BOUND:
		if (f->t2 >= 0 && now >= f->t2)
			begin(f, D6_ST_REBIND, f->expiry);
		else
			begin(f, D6_ST_RENEW, f->t2);
		return;
	case D6_ST_INFO_BOUND:
	case D6_ST_WAIT:
		start_over(f);
		return;
	case D6_ST_RELEASED:
		f->deadline = -1;
		return;
	}
}

static void release(struct d6_fsm *f)
{
	if (f->bound && !f->cfg->stateless) {
		enum d6_state s = f->state;

		/* 18.2.7: the IAs bound, to the server that gave them */
		f->state = D6_ST_RENEW; /* fill_ias(): the lease's IAs */
		f->xid = (uint32_t)(f->rnd >> 20) & 0xffffff;
		f->start = f->now;
		send_msg(f, D6_RELEASE, true);
		f->state = s;
	}
	script(f, "deconfig", NULL);
	f->bound = false;
	f->state = D6_ST_RELEASED;
	f->deadline = -1;
}

void d6_fsm_signal(struct d6_fsm *f, int64_t now, int sig)
{
	f->now = now;
	switch (sig) {
	case SIGUSR1:
		if (f->state == D6_ST_BOUND || f->state == D6_ST_RENEW ||
		    f->state == D6_ST_REBIND)
			begin(f, D6_ST_RENEW, f->t2);
		else if (f->state == D6_ST_RELEASED || f->state == D6_ST_WAIT ||
			 f->state == D6_ST_INFO_BOUND)
			start_over(f);
		break;
	case SIGUSR2:
		release(f);
		break;
	case SIGTERM:
	case SIGINT:
		if (f->cfg->release)
			release(f);
		f->done = true;
		f->exit_code = 0;
		break;
	}
}

void d6_fsm_carrier(struct d6_fsm *f, int64_t now, bool up)
{
	f->now = now;
	if (!up) {
		f->carrier_lost = true;
		return;
	}
	if (!f->carrier_lost)
		return;
	f->carrier_lost = false;
	switch (f->state) {
	case D6_ST_BOUND:
	case D6_ST_RENEW:
	case D6_ST_REBIND:
	case D6_ST_CONFIRM:
		if (f->lease.na.n_a && f->cfg->want_na)
			begin(f, D6_ST_CONFIRM, now + D6_CNF_MAX_RD);
		else
			begin(f, D6_ST_REBIND, f->expiry);
		break;
	case D6_ST_INFO_BOUND:
	case D6_ST_SOLICIT:
	case D6_ST_INFO:
	case D6_ST_WAIT:
		start_over(f);
		break;
	default:
		break;
	}
}

void d6_fsm_dad_failed(struct d6_fsm *f, int64_t now, const uint8_t *addr)
{
	bool ours = false;

	f->now = now;
	for (unsigned i = 0; f->bound && i < f->lease.na.n_a; i++)
		ours |= !memcmp(f->lease.na.a[i].addr, addr, 16);
	if (!ours || f->state == D6_ST_DECLINE)
		return;
	log_warn("duplicate address detected, declining it");
	memcpy(f->declined, addr, 16);
	lose_lease(f);
	begin(f, D6_ST_DECLINE, -1);
}

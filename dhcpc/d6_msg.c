// SPDX-License-Identifier: MIT
/*
 * What dhcpc6 sends in each state (RFC 8415 18.2): the identifiers, the
 * IAs with the addresses the state concerns, the ORO and -x's options.
 */
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "d6_msg.h"

static void fill_ia(struct d6_ia_req *r, const struct d6_ia *src, uint32_t iaid)
{
	r->present = true;
	r->iaid = iaid;
	r->n_a = 0;
	for (unsigned i = 0; src && i < src->n_a; i++) {
		/* 21.6, 21.22: lifetimes in a client's message are 0 */
		r->a[r->n_a] = src->a[i];
		r->a[r->n_a].pref = r->a[r->n_a].valid = 0;
		r->n_a++;
	}
}

/* The IAs a message of the current state carries. */
static void fill_ias(const struct d6_fsm *f, struct d6_req *r)
{
	const struct d6_msg *from = f->bound ? &f->lease : NULL;
	const struct d6_cfg *c = f->cfg;

	if (f->state == D6_ST_REQUEST && !f->bound)
		from = &f->rx; /* the chosen Advertise */
	if (f->state == D6_ST_DECLINE) {
		fill_ia(&r->na, NULL, f->iaid);
		memcpy(r->na.a[0].addr, f->declined, 16);
		r->na.a[0].plen = 128;
		r->na.n_a = 1;
		return;
	}
	if (c->want_na)
		fill_ia(&r->na, from ? &from->na : NULL, f->iaid);
	/* 18.2.3: a Confirm carries no IA_PD */
	if (c->want_pd && f->state != D6_ST_CONFIRM)
		fill_ia(&r->pd, from ? &from->pd : NULL, f->iaid);
	if (f->state == D6_ST_SOLICIT && c->has_req_addr && c->want_na) {
		memcpy(r->na.a[0].addr, c->req_addr, 16);
		r->na.a[0].plen = 128;
		r->na.n_a = 1;
	}
}

uint8_t d6_msg_type(enum d6_state s)
{
	switch (s) {
	case D6_ST_SOLICIT:
		return D6_SOLICIT;
	case D6_ST_REQUEST:
		return D6_REQUEST;
	case D6_ST_RENEW:
		return D6_RENEW;
	case D6_ST_REBIND:
		return D6_REBIND;
	case D6_ST_CONFIRM:
		return D6_CONFIRM;
	case D6_ST_DECLINE:
		return D6_DECLINE;
	default:
		return D6_INFO_REQUEST;
	}
}

int d6_msg_make(const struct d6_fsm *f, uint8_t type, bool with_server,
		uint8_t *out, size_t cap)
{
	static const uint16_t sol_oro[] = { D6_OPT_SOL_MAX_RT };
	static const uint16_t inf_oro[] = { D6_OPT_INFO_REFRESH,
					    D6_OPT_INF_MAX_RT };
	const struct d6_cfg *c = f->cfg;
	uint16_t oro[D6_MAX_ORO];
	struct d6_req r = { .type = type, .xid = f->xid };
	int64_t el = (f->now - f->start) / 10;
	bool info = type == D6_INFO_REQUEST;

	r.elapsed_cs = (uint16_t)(el > 0xffff ? 0xffff : el);
	r.clientid = f->duid;
	r.clientid_len = f->duid_len;
	if (with_server) {
		r.serverid = f->server;
		r.serverid_len = f->server_len;
	}
	if (!info)
		fill_ias(f, &r);
	memcpy(oro, c->oro, c->n_oro * sizeof(oro[0]));
	r.n_oro = c->n_oro;
	/* 18.2.1, 18.2.6: SOL_MAX_RT and INF_MAX_RT are always asked */
	for (unsigned i = 0; i < (info ? 2u : 1u); i++)
		if (r.n_oro < D6_MAX_ORO)
			oro[r.n_oro++] = info ? inf_oro[i] : sol_oro[i];
	r.oro = oro;
	r.rapid_commit = type == D6_SOLICIT && c->rapid_commit;
	r.extra = c->extra;
	r.extra_len = c->extra_len;
	return d6_build(&r, out, cap);
}

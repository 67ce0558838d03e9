// SPDX-License-Identifier: MIT
/*
 * DHCPv6 messages: d6_parse() reads a reply through a bounded cursor,
 * with each option's length from a table; d6_build() writes requests.
 */
#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "d6_packet.h"

/* A read cursor: every read checks what is left first. */
struct rd6 {
	const uint8_t *p;
	size_t left;
};

static bool rd_take(struct rd6 *r, size_t n, const uint8_t **out)
{
	if (r->left < n)
		return false;
	*out = r->p;
	r->p += n;
	r->left -= n;
	return true;
}

static uint16_t be16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static uint32_t be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	       (uint32_t)p[2] << 8 | p[3];
}

/* Reads one option header and body; false when it runs past the end. */
static bool rd_opt(struct rd6 *r, uint16_t *code, struct d6_bytes *v)
{
	const uint8_t *h;

	if (!rd_take(r, 4, &h))
		return false;
	*code = be16(h);
	v->len = be16(h + 2);
	return rd_take(r, v->len, &v->p);
}

/* Lengths: exact (min == max), at least min, or a multiple of step. */
struct optlen {
	uint16_t code;
	uint16_t min, max, step;
};

static const struct optlen optlens[] = {
	{ D6_OPT_CLIENTID, 3, D6_DUID_MAX, 1 },
	{ D6_OPT_SERVERID, 3, D6_DUID_MAX, 1 },
	{ D6_OPT_IA_NA, 12, UINT16_MAX, 1 },
	{ D6_OPT_IAADDR, 24, UINT16_MAX, 1 },
	{ D6_OPT_ORO, 0, UINT16_MAX, 2 },
	{ D6_OPT_PREFERENCE, 1, 1, 1 },
	{ D6_OPT_ELAPSED_TIME, 2, 2, 1 },
	{ D6_OPT_UNICAST, 16, 16, 1 },
	{ D6_OPT_STATUS_CODE, 2, UINT16_MAX, 1 },
	{ D6_OPT_RAPID_COMMIT, 0, 0, 1 },
	{ D6_OPT_DNS_SERVERS, 16, UINT16_MAX, 16 },
	{ D6_OPT_DOMAIN_LIST, 1, UINT16_MAX, 1 },
	{ D6_OPT_IA_PD, 12, UINT16_MAX, 1 },
	{ D6_OPT_IAPREFIX, 25, UINT16_MAX, 1 },
	{ D6_OPT_SNTP_SERVERS, 16, UINT16_MAX, 16 },
	{ D6_OPT_INFO_REFRESH, 4, 4, 1 },
	{ D6_OPT_NTP_SERVER, 4, UINT16_MAX, 1 },
	{ D6_OPT_SOL_MAX_RT, 4, 4, 1 },
	{ D6_OPT_INF_MAX_RT, 4, 4, 1 },
};

static bool len_ok(uint16_t code, uint16_t len)
{
	for (size_t i = 0; i < sizeof(optlens) / sizeof(optlens[0]); i++)
		if (optlens[i].code == code)
			return len >= optlens[i].min && len <= optlens[i].max &&
			       len % optlens[i].step == 0;
	return true;
}

/* Skips a wrong-length option: counted, the first one named. */
static bool vet(struct d6_msg *m, uint16_t code, uint16_t len)
{
	if (len_ok(code, len))
		return true;
	if (!m->n_bad++)
		m->bad_code = code;
	return false;
}

static void put_status(const struct d6_bytes *v, bool *has, uint16_t *st)
{
	if (*has)
		return;
	*has = true;
	*st = be16(v->p);
}

/* The options inside an IAADDR or IAPREFIX (a status code, 21.6). */
static int parse_addr_opts(struct d6_msg *m, struct rd6 *r,
			   struct d6_lease_addr *a)
{
	uint16_t code;
	struct d6_bytes v;

	while (r->left) {
		if (!rd_opt(r, &code, &v))
			return -EBADMSG;
		if (!vet(m, code, v.len))
			continue;
		if (code == D6_OPT_STATUS_CODE)
			put_status(&v, &a->has_status, &a->status);
	}
	return 0;
}

static int parse_iaaddr(struct d6_msg *m, const struct d6_bytes *v,
			struct d6_ia *ia, bool prefix)
{
	struct d6_lease_addr a = { 0 };
	struct rd6 r = { v->p, v->len };
	const uint8_t *p;

	if (prefix) {
		if (!rd_take(&r, 25, &p))
			return -EBADMSG;
		a.pref = be32(p);
		a.valid = be32(p + 4);
		a.plen = p[8];
		memcpy(a.addr, p + 9, 16);
		if (a.plen > 128) {
			if (!m->n_bad++)
				m->bad_code = D6_OPT_IAPREFIX;
			return 0;
		}
	} else {
		if (!rd_take(&r, 24, &p))
			return -EBADMSG;
		memcpy(a.addr, p, 16);
		a.pref = be32(p + 16);
		a.valid = be32(p + 20);
		a.plen = 128;
	}
	if (parse_addr_opts(m, &r, &a))
		return -EBADMSG;
	if (ia->n_a < D6_MAX_ADDRS)
		ia->a[ia->n_a++] = a;
	return 0;
}

/* IA_NA or IA_PD (21.4, 21.21): the first of each is kept. */
static int parse_ia(struct d6_msg *m, const struct d6_bytes *v, bool pd)
{
	struct d6_ia *ia = pd ? &m->pd : &m->na;
	struct d6_ia tmp = { .present = true };
	struct rd6 r = { v->p, v->len };
	const uint8_t *p;
	uint16_t code;
	struct d6_bytes o;

	if (!rd_take(&r, 12, &p))
		return -EBADMSG;
	tmp.iaid = be32(p);
	tmp.t1 = be32(p + 4);
	tmp.t2 = be32(p + 8);
	while (r.left) {
		if (!rd_opt(&r, &code, &o))
			return -EBADMSG;
		if (!vet(m, code, o.len))
			continue;
		if (code == D6_OPT_STATUS_CODE)
			put_status(&o, &tmp.has_status, &tmp.status);
		else if (code == (pd ? D6_OPT_IAPREFIX : D6_OPT_IAADDR) &&
			 parse_iaaddr(m, &o, &tmp, pd))
			return -EBADMSG;
	}
	if (!ia->present)
		*ia = tmp;
	return 0;
}

static void put_addrs(const struct d6_bytes *v, uint8_t (*out)[16], unsigned *n)
{
	for (size_t off = 0; off + 16 <= v->len; off += 16)
		if (*n < D6_MAX_SERVERS)
			memcpy(out[(*n)++], v->p + off, 16);
}

/* RFC 5908: suboptions 1 (server) and 2 (multicast) are addresses, 3 a
 * name; others are skipped. */
static int parse_ntp(struct d6_msg *m, const struct d6_bytes *v)
{
	struct rd6 r = { v->p, v->len };
	uint16_t code;
	struct d6_bytes o;

	while (r.left) {
		if (!rd_opt(&r, &code, &o))
			return -EBADMSG;
		if ((code == 1 || code == 2) && o.len == 16)
			put_addrs(&o, m->ntp, &m->n_ntp);
		else if (code == 3 && o.len && d6_dname_ok(o.p, o.len)) {
			if (m->n_ntp_fqdn < D6_MAX_NAMES)
				m->ntp_fqdn[m->n_ntp_fqdn++] = o;
		} else if (code >= 1 && code <= 3 && !m->n_bad++)
			m->bad_code = D6_OPT_NTP_SERVER;
	}
	return 0;
}

static int put_id(struct d6_bytes *dst, const struct d6_bytes *v,
		  const char **why)
{
	if (dst->p) {
		*why = "two client or server identifiers";
		return -EBADMSG;
	}
	*dst = *v;
	return 0;
}

static void keep_other(struct d6_msg *m, uint16_t code,
		       const struct d6_bytes *v)
{
	if (m->n_other < D6_MAX_OTHER) {
		m->other[m->n_other].code = code;
		m->other[m->n_other++].v = *v;
	}
}

static int parse_opt(struct d6_msg *m, uint16_t code, const struct d6_bytes *v,
		     const char **why)
{
	switch (code) {
	case D6_OPT_CLIENTID:
		return put_id(&m->clientid, v, why);
	case D6_OPT_SERVERID:
		return put_id(&m->serverid, v, why);
	case D6_OPT_IA_NA:
	case D6_OPT_IA_PD:
		if (parse_ia(m, v, code == D6_OPT_IA_PD)) {
			*why = "IA option runs past its end";
			return -EBADMSG;
		}
		return 0;
	case D6_OPT_STATUS_CODE:
		if (!m->has_status) {
			put_status(v, &m->has_status, &m->status);
			m->status_text.p = v->p + 2;
			m->status_text.len = (uint16_t)(v->len - 2);
		}
		return 0;
	case D6_OPT_PREFERENCE:
		if (!m->has_pref) {
			m->has_pref = true;
			m->pref = v->p[0];
		}
		return 0;
	case D6_OPT_UNICAST:
		m->has_unicast = true;
		memcpy(m->unicast, v->p, 16);
		return 0;
	case D6_OPT_RAPID_COMMIT:
		m->rapid_commit = true;
		return 0;
	case D6_OPT_INFO_REFRESH:
		m->has_refresh = true;
		m->refresh = be32(v->p);
		return 0;
	case D6_OPT_DNS_SERVERS:
		put_addrs(v, m->dns, &m->n_dns);
		return 0;
	case D6_OPT_SNTP_SERVERS:
		put_addrs(v, m->sntp, &m->n_sntp);
		return 0;
	case D6_OPT_NTP_SERVER:
		if (parse_ntp(m, v)) {
			*why = "NTP suboption runs past its end";
			return -EBADMSG;
		}
		return 0;
	case D6_OPT_DOMAIN_LIST:
		if (!m->domains.p)
			m->domains = *v;
		return 0;
	case D6_OPT_SOL_MAX_RT:
		m->sol_max_rt = be32(v->p);
		return 0;
	case D6_OPT_INF_MAX_RT:
		m->inf_max_rt = be32(v->p);
		return 0;
	case D6_OPT_ORO:
	case D6_OPT_ELAPSED_TIME:
		return 0;
	default:
		keep_other(m, code, v);
		return 0;
	}
}

int d6_parse(const uint8_t *buf, size_t len, struct d6_msg *m, const char **why)
{
	struct rd6 r = { buf, len };
	const uint8_t *h;
	uint16_t code;
	struct d6_bytes v;
	int err;

	memset(m, 0, sizeof(*m));
	if (!rd_take(&r, 4, &h)) {
		*why = "shorter than a header";
		return -EBADMSG;
	}
	m->type = h[0];
	m->xid = (uint32_t)h[1] << 16 | (uint32_t)h[2] << 8 | h[3];
	while (r.left) {
		if (!rd_opt(&r, &code, &v)) {
			*why = "option runs past the end";
			return -EBADMSG;
		}
		if (!vet(m, code, v.len))
			continue;
		err = parse_opt(m, code, &v, why);
		if (err)
			return err;
	}
	return 0;
}

bool d6_dname_ok(const uint8_t *v, size_t len)
{
	size_t pos = 0, name = 0;

	while (pos < len) {
		uint8_t l = v[pos];

		if (l > 63 || pos + 1 + l > len)
			return false; /* a pointer (0xc0) or a long label */
		name += 1u + l;
		if (name > 255)
			return false;
		pos += 1u + l;
		if (!l)
			name = 0;
	}
	return len && v[len - 1] == 0 && name == 0;
}

/* ---- building ------------------------------------------------------ */

struct wr6 {
	uint8_t *p;
	size_t left;
	bool full;
};

static uint8_t *wr_take(struct wr6 *w, size_t n)
{
	uint8_t *p = w->p;

	if (w->full || w->left < n) {
		w->full = true;
		return NULL;
	}
	w->p += n;
	w->left -= n;
	return p;
}

static void put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static void put32(uint8_t *p, uint32_t v)
{
	put16(p, (uint16_t)(v >> 16));
	put16(p + 2, (uint16_t)v);
}

/* An option header; returns where its length goes (NULL when full). */
static uint8_t *wr_opt(struct wr6 *w, uint16_t code, const void *v, size_t len)
{
	uint8_t *p = wr_take(w, 4 + len);

	if (!p)
		return NULL;
	put16(p, code);
	put16(p + 2, (uint16_t)len);
	if (len)
		memcpy(p + 4, v, len);
	return p + 2;
}

static void wr_ia(struct wr6 *w, const struct d6_ia_req *ia, bool pd)
{
	uint8_t hdr[12], a[25];
	uint8_t *lenp, *start;

	put32(hdr, ia->iaid);
	put32(hdr + 4, ia->t1);
	put32(hdr + 8, ia->t2);
	lenp = wr_opt(w, pd ? D6_OPT_IA_PD : D6_OPT_IA_NA, hdr, 12);
	if (!lenp)
		return;
	start = lenp + 2;
	for (unsigned i = 0; i < ia->n_a; i++) {
		const struct d6_lease_addr *x = &ia->a[i];

		if (pd) {
			put32(a, x->pref);
			put32(a + 4, x->valid);
			a[8] = x->plen;
			memcpy(a + 9, x->addr, 16);
			wr_opt(w, D6_OPT_IAPREFIX, a, 25);
		} else {
			memcpy(a, x->addr, 16);
			put32(a + 16, x->pref);
			put32(a + 20, x->valid);
			wr_opt(w, D6_OPT_IAADDR, a, 24);
		}
	}
	if (!w->full)
		put16(lenp, (uint16_t)(w->p - start));
}

int d6_build(const struct d6_req *r, uint8_t *buf, size_t cap)
{
	struct wr6 w = { buf, cap, false };
	uint8_t *h = wr_take(&w, 4), el[2], oro[2 * D6_MAX_ORO];
	unsigned n_oro = r->n_oro < D6_MAX_ORO ? r->n_oro : D6_MAX_ORO;

	if (!h)
		return -ENOSPC;
	h[0] = r->type;
	h[1] = (uint8_t)(r->xid >> 16);
	h[2] = (uint8_t)(r->xid >> 8);
	h[3] = (uint8_t)r->xid;
	wr_opt(&w, D6_OPT_CLIENTID, r->clientid, r->clientid_len);
	if (r->serverid)
		wr_opt(&w, D6_OPT_SERVERID, r->serverid, r->serverid_len);
	if (r->na.present)
		wr_ia(&w, &r->na, false);
	if (r->pd.present)
		wr_ia(&w, &r->pd, true);
	put16(el, r->elapsed_cs);
	wr_opt(&w, D6_OPT_ELAPSED_TIME, el, 2);
	for (unsigned i = 0; i < n_oro; i++)
		put16(oro + 2 * i, r->oro[i]);
	if (n_oro)
		wr_opt(&w, D6_OPT_ORO, oro, 2 * n_oro);
	if (r->rapid_commit)
		wr_opt(&w, D6_OPT_RAPID_COMMIT, NULL, 0);
	if (r->extra_len) {
		uint8_t *p = wr_take(&w, r->extra_len);

		if (p)
			memcpy(p, r->extra, r->extra_len);
	}
	return w.full ? -ENOSPC : (int)(w.p - buf);
}

const char *d6_type_name(uint8_t type)
{
	static const char *const names[] = {
		"?",	   "SOLICIT", "ADVERTISE",   "REQUEST",
		"CONFIRM", "RENEW",   "REBIND",	     "REPLY",
		"RELEASE", "DECLINE", "RECONFIGURE", "INFORMATION-REQUEST",
	};

	return type < sizeof(names) / sizeof(names[0]) ? names[type] : "?";
}

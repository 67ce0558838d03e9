// SPDX-License-Identifier: MIT
#include <errno.h>
#include <string.h>
#include <arpa/inet.h>

#include "packet.h"

#define BIG 0xffff

/*
 * The options udhcpc 1.35 names in the script environment (common.c
 * dhcp_optflags and dhcp_option_strings); every other option is exported
 * as opt<N>=hex.  min/max are the lengths we accept before formatting.
 */
static const struct dhcp_optdef optdefs[] = {
	{ 1, DHCP_T_IP, 4, 4, "subnet" },
	{ 2, DHCP_T_S32, 4, 4, "timezone" },
	{ 3, DHCP_T_IP_LIST, 4, BIG, "router" },
	{ 6, DHCP_T_IP_LIST, 4, BIG, "dns" },
	{ 9, DHCP_T_IP_LIST, 4, BIG, "lprsrv" },
	{ 12, DHCP_T_HOST, 1, BIG, "hostname" },
	{ 13, DHCP_T_U16, 2, 2, "bootsize" },
	{ 15, DHCP_T_HOST, 1, BIG, "domain" },
	{ 16, DHCP_T_IP, 4, 4, "swapsrv" },
	{ 17, DHCP_T_STRING, 1, BIG, "rootpath" },
	{ 23, DHCP_T_U8, 1, 1, "ipttl" },
	{ 26, DHCP_T_U16, 2, 2, "mtu" },
	{ 28, DHCP_T_IP, 4, 4, "broadcast" },
	{ 33, DHCP_T_IP_PAIR, 8, BIG, "routes" },
	{ 40, DHCP_T_HOST, 1, BIG, "nisdomain" },
	{ 41, DHCP_T_IP_LIST, 4, BIG, "nissrv" },
	{ 42, DHCP_T_IP_LIST, 4, BIG, "ntpsrv" },
	{ 44, DHCP_T_IP_LIST, 4, BIG, "wins" },
	{ 51, DHCP_T_U32, 4, 4, "lease" },
	{ 54, DHCP_T_IP, 4, 4, "serverid" },
	{ 56, DHCP_T_STRING, 1, BIG, "message" },
	{ 60, DHCP_T_STRING, 1, BIG, "vendor" },
	{ 66, DHCP_T_HOST, 1, BIG, "tftp" },
	{ 67, DHCP_T_STRING, 1, BIG, "bootfile" },
	{ 100, DHCP_T_STRING, 1, BIG, "tzstr" },
	{ 101, DHCP_T_STRING, 1, BIG, "tzdbstr" },
	{ 119, DHCP_T_DNS_LIST, 1, BIG, "search" },
	{ 120, DHCP_T_SIP, 1, BIG, "sipsrv" },
	{ 121, DHCP_T_ROUTES, 5, BIG, "staticroutes" },
	{ 132, DHCP_T_U16, 2, 2, "vlanid" },
	{ 133, DHCP_T_U8, 1, 1, "vlanpriority" },
	{ 209, DHCP_T_STRING, 1, BIG, "pxeconffile" },
	{ 210, DHCP_T_STRING, 1, BIG, "pxepathprefix" },
	{ 211, DHCP_T_U32, 4, 4, "reboottime" },
	{ 212, DHCP_T_6RD, 22, BIG, "ip6rd" },
	{ 249, DHCP_T_ROUTES, 5, BIG, "msstaticroutes" },
	{ 252, DHCP_T_STRING, 1, BIG, "wpad" },
};

#define N_OPTDEFS (sizeof(optdefs) / sizeof(optdefs[0]))

const struct dhcp_optdef *dhcp_optdefs(size_t *n)
{
	*n = N_OPTDEFS;
	return optdefs;
}

const struct dhcp_optdef *dhcp_optdef(uint8_t code)
{
	for (size_t i = 0; i < N_OPTDEFS; i++)
		if (optdefs[i].code == code)
			return &optdefs[i];
	return NULL;
}

const struct dhcp_optdef *dhcp_optdef_by_name(const char *name)
{
	for (size_t i = 0; i < N_OPTDEFS; i++)
		if (!strcmp(optdefs[i].env, name))
			return &optdefs[i];
	return NULL;
}

/* A read cursor that cannot overrun (STYLE.md 6). */
struct rd {
	const uint8_t *p;
	size_t rem;
};

static bool rd_u8(struct rd *r, uint8_t *v)
{
	if (r->rem < 1)
		return false;
	*v = *r->p++;
	r->rem--;
	return true;
}

static bool rd_be16(struct rd *r, uint16_t *v)
{
	if (r->rem < 2)
		return false;
	*v = (uint16_t)(r->p[0] << 8 | r->p[1]);
	r->p += 2;
	r->rem -= 2;
	return true;
}

static bool rd_be32(struct rd *r, uint32_t *v)
{
	if (r->rem < 4)
		return false;
	memcpy(v, r->p, 4);
	*v = ntohl(*v);
	r->p += 4;
	r->rem -= 4;
	return true;
}

static bool rd_raw(struct rd *r, void *v, size_t n)
{
	if (r->rem < n)
		return false;
	memcpy(v, r->p, n);
	r->p += n;
	r->rem -= n;
	return true;
}

/* One option occurrence: where its value sits in the packet. */
struct frag {
	uint8_t code;
	uint8_t len;
	uint16_t off;
};

#define MAX_FRAGS (DHCP_MAX_LEN / 2)

struct scan {
	const uint8_t *base;
	struct frag frags[MAX_FRAGS];
	size_t n_frags;
	uint8_t overload;
	bool seen_overload;
	bool rapid_commit;
};

static int scan_option(struct scan *s, struct rd *r, uint8_t code, bool main,
		       const char **why)
{
	uint8_t len;

	if (!rd_u8(r, &len) || r->rem < len) {
		*why = "option past the end of its field";
		return -EBADMSG;
	}
	if (code == DHO_OVERLOAD) {
		/* RFC 2131 4.1: only in the options field; in file or
		 * sname it would make the parser loop (CVE-2014-6060). */
		if (!main || s->seen_overload || len != 1 || r->p[0] < 1 ||
		    r->p[0] > 3) {
			*why = "bad option 52 (overload)";
			return -EBADMSG;
		}
		s->seen_overload = true;
		s->overload = r->p[0];
		/* consumed here, as udhcp_scan_options() does: it says where
		 * the other options are, and is no option of the lease (no
		 * opt52 in the script's environment) */
		r->p += len;
		r->rem -= len;
		return 0;
	}
	if (code == DHO_RAPID_COMMIT)
		s->rapid_commit = true;
	if (len && s->n_frags < MAX_FRAGS)
		s->frags[s->n_frags++] =
			(struct frag){ code, len, (uint16_t)(r->p - s->base) };
	r->p += len;
	r->rem -= len;
	return 0;
}

/* Walks one field of options up to END or its end (a missing END is
 * tolerated: the field is full). */
static int scan_field(struct scan *s, const uint8_t *p, size_t n, bool main,
		      const char **why)
{
	struct rd r = { p, n };
	uint8_t code;
	int err;

	while (rd_u8(&r, &code)) {
		if (code == DHO_END)
			return 0;
		if (code == DHO_PAD)
			continue;
		err = scan_option(s, &r, code, main, why);
		if (err)
			return err;
	}
	return 0;
}

/* RFC 3396: every occurrence of a code is joined, in scan order. */
static void join_options(const struct scan *s, struct dhcp_msg *m)
{
	uint16_t pos[256];
	size_t i, off = 0;

	memset(m->opt_len, 0, sizeof(m->opt_len));
	for (i = 0; i < s->n_frags; i++)
		m->opt_len[s->frags[i].code] += s->frags[i].len;
	for (i = 0; i < 256; i++) {
		m->opt_off[i] = (uint16_t)off;
		pos[i] = (uint16_t)off;
		off += m->opt_len[i];
	}
	for (i = 0; i < s->n_frags; i++) {
		const struct frag *f = &s->frags[i];

		memcpy(m->data + pos[f->code], s->base + f->off, f->len);
		pos[f->code] += f->len;
	}
	m->data_len = off;
}

static int parse_header(struct rd *r, struct dhcp_msg *m, const char **why)
{
	uint32_t magic;

	if (!rd_u8(r, &m->op) || !rd_u8(r, &m->htype) || !rd_u8(r, &m->hlen) ||
	    !rd_u8(r, &m->hops) || !rd_be32(r, &m->xid) ||
	    !rd_be16(r, &m->secs) || !rd_be16(r, &m->flags) ||
	    !rd_raw(r, &m->ciaddr, 4) || !rd_raw(r, &m->yiaddr, 4) ||
	    !rd_raw(r, &m->siaddr, 4) || !rd_raw(r, &m->giaddr, 4) ||
	    !rd_raw(r, m->chaddr, 16) || !rd_raw(r, m->sname, 64) ||
	    !rd_raw(r, m->file, 128) || !rd_be32(r, &magic)) {
		*why = "shorter than a BOOTP header";
		return -EBADMSG;
	}
	if (magic != DHCP_MAGIC) {
		*why = "bad magic cookie";
		return -EBADMSG;
	}
	return 0;
}

static int parse_options(const uint8_t *buf, struct rd *r, struct dhcp_msg *m,
			 const char **why)
{
	static struct scan s_zero;
	struct scan s = s_zero;
	const uint8_t *file = buf + 108, *sname = buf + 44;
	int err;

	s.base = buf;
	err = scan_field(&s, r->p, r->rem, true, why);
	/* RFC 2131 4.1: file first, then sname */
	if (!err && (s.overload & 1))
		err = scan_field(&s, file, DHCP_FILE_LEN, false, why);
	if (!err && (s.overload & 2))
		err = scan_field(&s, sname, DHCP_SNAME_LEN, false, why);
	if (err)
		return err;
	m->overload = s.overload;
	m->rapid_commit = s.rapid_commit;
	join_options(&s, m);
	return 0;
}

int dhcp_parse(const uint8_t *buf, size_t len, struct dhcp_msg *out,
	       const char **why)
{
	struct rd r = { buf, len };
	size_t n;
	const uint8_t *t;
	int err;

	*why = "";
	if (len > DHCP_MAX_LEN) {
		*why = "longer than we accept";
		return -EBADMSG;
	}
	err = parse_header(&r, out, why);
	if (!err)
		err = parse_options(buf, &r, out, why);
	if (err)
		return err;
	t = dhcp_opt(out, DHO_MSG_TYPE, &n);
	if (!t || n != 1 || !*t || *t > DHCPINFORM) {
		*why = t ? "bad or repeated option 53" : "no option 53";
		return -EBADMSG;
	}
	out->type = *t;
	return 0;
}

const uint8_t *dhcp_opt(const struct dhcp_msg *m, uint8_t code, size_t *len)
{
	if (!m->opt_len[code])
		return NULL;
	*len = m->opt_len[code];
	return m->data + m->opt_off[code];
}

bool dhcp_opt_be32(const struct dhcp_msg *m, uint8_t code, uint32_t *v)
{
	size_t n;
	const uint8_t *p = dhcp_opt(m, code, &n);

	if (!p || n != 4)
		return false;
	memcpy(v, p, 4);
	return true;
}

static void put_bytes(struct dhcp_out *o, const void *p, size_t n)
{
	if (o->overflow || n > DHCP_MAX_LEN - 1 - o->len) {
		o->overflow = true; /* keep room for END */
		return;
	}
	memcpy(o->buf + o->len, p, n);
	o->len += n;
}

void dhcp_build_init(struct dhcp_out *o, uint8_t type, uint32_t xid,
		     uint16_t secs, uint16_t flags, uint32_t ciaddr,
		     const uint8_t mac[6])
{
	uint8_t *b = o->buf;
	uint32_t v;

	memset(o->buf, 0, DHCP_FIXED_LEN + 4);
	o->overflow = false;
	b[0] = 1; /* BOOTREQUEST */
	b[1] = 1; /* Ethernet */
	b[2] = 6;
	v = htonl(xid);
	memcpy(b + 4, &v, 4);
	b[8] = (uint8_t)(secs >> 8);
	b[9] = (uint8_t)secs;
	b[10] = (uint8_t)(flags >> 8);
	b[11] = (uint8_t)flags;
	memcpy(b + 12, &ciaddr, 4);
	memcpy(b + 28, mac, 6);
	v = htonl(DHCP_MAGIC);
	memcpy(b + DHCP_FIXED_LEN, &v, 4);
	o->len = DHCP_FIXED_LEN + 4;
	dhcp_put(o, DHO_MSG_TYPE, &type, 1);
}

void dhcp_put(struct dhcp_out *o, uint8_t code, const void *data, size_t len)
{
	const uint8_t *p = data;

	do {
		uint8_t hdr[2] = { code, (uint8_t)(len > 255 ? 255 : len) };

		put_bytes(o, hdr, 2);
		/* no value (option 80): @data may be NULL, and memcpy() or
		 * arithmetic on NULL is undefined even for 0 bytes */
		if (!hdr[1])
			break;
		put_bytes(o, p, hdr[1]);
		p += hdr[1];
		len -= hdr[1];
	} while (len);
}

int dhcp_build_end(struct dhcp_out *o)
{
	if (o->overflow)
		return -EMSGSIZE;
	o->buf[o->len++] = DHO_END;
	if (o->len < DHCP_MIN_LEN) {
		memset(o->buf + o->len, 0, DHCP_MIN_LEN - o->len);
		o->len = DHCP_MIN_LEN;
	}
	return 0;
}

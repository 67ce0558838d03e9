// SPDX-License-Identifier: MIT
/*
 * The values of -x, -O, -F, -H and -c (see opts.h); -x's hex is busybox's
 * hex2bin(), its digits read by lib/parse.c's parse_hex_digit().
 */
#include <ctype.h>
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>

#include "embnet/ip.h"
#include "embnet/log.h"
#include "embnet/parse.h"
#include "opts.h"
#include "packet.h"

#define X_ARG_MAX 4096 /* one -x argument, and its value encoded */

static const uint8_t default_prl[] = { 1, 3, 6, 12, 15, 28, 42 };

/* udhcpc keeps the PRL as a bitmap: its codes go out sorted, each once,
 * and code 0 never. */
static void prl_add(struct dhcpc_cfg *c, uint8_t code)
{
	size_t i = 0;

	while (i < c->n_prl && c->prl[i] < code)
		i++;
	if (!code || (i < c->n_prl && c->prl[i] == code))
		return;
	memmove(c->prl + i + 1, c->prl + i, c->n_prl - i);
	c->prl[i] = code;
	c->n_prl++;
}

void opts_default_prl(struct dhcpc_cfg *c)
{
	for (size_t i = 0; i < sizeof(default_prl); i++)
		prl_add(c, default_prl[i]);
}

/* busybox's bb_strtou32(): a leading letter or digit, C's prefixes in
 * @base 0 (0x hex, 0 octal), no trailing junk, no overflow. */
static int num_u32(const char *s, int base, uint32_t *v)
{
	unsigned long long x;
	char *end;

	if (!isalnum((unsigned char)s[0]))
		return -EINVAL;
	errno = 0;
	x = strtoull(s, &end, base);
	if (errno || *end || x > UINT32_MAX)
		return -EINVAL;
	*v = (uint32_t)x;
	return 0;
}

/* busybox's bb_strtoi32(s, NULL, 0): as num_u32(), and a leading '-'. */
static int num_s32(const char *s, int32_t *v)
{
	long long x;
	char *end;

	if (s[0] != '-' && !isalnum((unsigned char)s[0]))
		return -EINVAL;
	errno = 0;
	x = strtoll(s, &end, 0);
	if (errno || *end || x < INT32_MIN || x > INT32_MAX)
		return -EINVAL;
	*v = (int32_t)x;
	return 0;
}

int opts_request(struct dhcpc_cfg *c, const char *arg)
{
	const struct dhcp_optdef *d;
	uint32_t v;

	/* udhcpc: a number up to 254 (0 is taken, never sent), else a name */
	if (!num_u32(arg, 0, &v) && v <= 254) {
		prl_add(c, (uint8_t)v);
		return 0;
	}
	d = dhcp_optdef_by_name(arg);
	if (!d)
		return -EINVAL;
	prl_add(c, d->code);
	return 0;
}

/*
 * c->extra is udhcpc's option list: each code at most once, sorted by
 * code, as code, 16-bit big-endian length, value.
 */
static size_t ent_len(const struct dhcpc_cfg *c, size_t i)
{
	return 3 + ((size_t)c->extra[i + 1] << 8 | c->extra[i + 2]);
}

/* The offset of the first entry of @code or above (extra_len if none). */
static size_t extra_at(const struct dhcpc_cfg *c, uint8_t code)
{
	size_t i = 0;

	while (i < c->extra_len && c->extra[i] < code)
		i += ent_len(c, i);
	return i;
}

/* Opens @len bytes at offset @at. */
static void extra_gap(struct dhcpc_cfg *c, size_t at, size_t len)
{
	memmove(c->extra + at + len, c->extra + at, c->extra_len - at);
	c->extra_len += len;
}

static void extra_remove(struct dhcpc_cfg *c, uint8_t code)
{
	size_t i = extra_at(c, code), n;

	if (i == c->extra_len || c->extra[i] != code)
		return;
	n = ent_len(c, i);
	memmove(c->extra + i, c->extra + i + n, c->extra_len - i - n);
	c->extra_len -= n;
}

/*
 * udhcpc's attach_option(): a new code goes in at its place; @v is
 * appended to a list option (@list) already there, and dropped for any
 * other (the first given is kept).  0 or -E2BIG.
 */
static int attach(struct dhcpc_cfg *c, uint8_t code, bool list, const void *v,
		  size_t len)
{
	size_t i = extra_at(c, code), old = 0, hdr = 3;

	if (i < c->extra_len && c->extra[i] == code) {
		if (!list)
			return 0;
		old = ent_len(c, i) - 3;
		hdr = 0;
	}
	if (old + len > 0xffff || hdr + len > DHCPC_EXTRA_LEN - c->extra_len)
		return -E2BIG;
	/* a new entry at @i, or more value at the end of the one there */
	extra_gap(c, hdr ? i : i + 3 + old, hdr + len);
	if (len)
		memcpy(c->extra + i + 3 + old, v, len);
	c->extra[i] = code;
	c->extra[i + 1] = (uint8_t)((old + len) >> 8);
	c->extra[i + 2] = (uint8_t)(old + len);
	if (code == DHO_CLIENT_ID)
		c->clientid_set = true;
	return 0;
}

int opts_add(struct dhcpc_cfg *c, uint8_t code, const void *v, size_t len)
{
	return attach(c, code, false, v, len);
}

static char *trim(char *s)
{
	size_t n;

	while (isspace((unsigned char)*s))
		s++;
	n = strlen(s);
	while (n && isspace((unsigned char)s[n - 1]))
		s[--n] = '\0';
	return s;
}

/* busybox's hex2bin(): digit pairs, or one digit before ':' or the end;
 * one ':' may follow each byte. */
static int hex_value(const char *s, uint8_t *out, size_t cap, size_t *len)
{
	size_t n = 0;

	while (*s) {
		int hi = parse_hex_digit(*s++), lo = parse_hex_digit(*s);

		if (hi < 0 || n >= cap)
			return -EINVAL;
		if (lo >= 0)
			out[n++] = (uint8_t)(hi << 4 | lo);
		else if (*s == ':' || !*s)
			out[n++] = (uint8_t)hi;
		else
			return -EINVAL;
		if (*s)
			s++;
		if (*s == ':')
			s++;
	}
	*len = n;
	return 0;
}

/* -x CODE:VAL: hex bytes, or a string in quotes; nothing if no value. */
static int x_raw(struct dhcpc_cfg *c, uint8_t code, char *val)
{
	uint8_t buf[X_ARG_MAX];
	size_t n, len;

	if (!val)
		return 0;
	val = trim(val);
	n = strlen(val);
	if (n >= 2 && (val[0] == '"' || val[0] == '\'') && val[n - 1] == val[0])
		return n == 2 ? 0 : attach(c, code, false, val + 1, n - 2);
	if (hex_value(val, buf, sizeof(buf), &len))
		return -EINVAL;
	return attach(c, code, false, buf, len);
}

/* An address as udhcpc's udhcp_str2nip() takes it, with its complaint;
 * quietly false for a missing one. */
static bool ip_tok(const char *s, uint8_t *out)
{
	struct ip_addr a;

	if (!s)
		return false;
	if (ip_parse(s, AF_INET, &a)) {
		log_warn("bad address '%s'", s);
		return false;
	}
	memcpy(out, &a.v4, 4);
	return true;
}

/* busybox's dname_enc() of one name, uncompressed: lower-cased labels of
 * 1..63 bytes, then the root label.  0 bytes for a name it refuses
 * ("a..b", ""), which udhcpc then sends as nothing. */
static size_t dname_enc(const char *s, uint8_t *out, size_t cap)
{
	size_t lp = 0, d = 0;

	if (strlen(s) + 2 > cap)
		return 0;
	for (;;) {
		unsigned char ch = (unsigned char)*s++;

		if (ch == '.' || !ch) {
			size_t len = d - lp;

			if (len > 63 || !len || (ch == '.' && *s == '.'))
				return 0;
			out[lp] = (uint8_t)len;
			if (!ch || !*s)
				break;
			lp = ++d;
			continue;
		}
		out[++d] = (uint8_t)tolower(ch);
	}
	out[++d] = 0;
	return d < 255 ? d + 1 : 0; /* RFC 1035 3.1: 255 bytes at most */
}

/* RFC 3442 from udhcpc's "NET/LEN ROUTER": LEN, the significant octets of
 * NET, ROUTER.  0 if malformed. */
static size_t route_enc(char *tok, char **save, uint8_t *out)
{
	char *slash = strchr(tok, '/'), *gw;
	uint8_t net[4];
	uint32_t len;
	size_t n;
	bool ok;

	if (!slash)
		return 0;
	*slash = '\0';
	ok = ip_tok(tok, net);
	ok = !num_u32(slash + 1, 10, &len) && ok;
	gw = strtok_r(NULL, ", \t/-", save);
	if (!ok || !gw || len > 32)
		return 0;
	n = (len + 7) / 8;
	out[0] = (uint8_t)len;
	memcpy(out + 1, net, n);
	return ip_tok(gw, out + 1 + n) ? 1 + n + 4 : 0;
}

static void put_be(uint8_t *out, uint32_t v, size_t len)
{
	for (size_t i = 0; i < len; i++)
		out[i] = (uint8_t)(v >> (8 * (len - 1 - i)));
}

/* One value of a named -x option at @tok (an address pair or a route
 * reads one more token).  False when udhcpc would stop there. */
static bool x_value(uint8_t type, char *tok, char **save, uint8_t *out,
		    size_t *len)
{
	uint32_t v;
	int32_t sv;

	switch (type) {
	case DHCP_T_IP:
	case DHCP_T_IP_LIST:
		*len = 4;
		return ip_tok(tok, out);
	case DHCP_T_IP_PAIR:
		*len = 8;
		return ip_tok(tok, out) &&
		       ip_tok(strtok_r(NULL, ", \t/-", save), out + 4);
	case DHCP_T_STRING:
	case DHCP_T_HOST:
		*len = strlen(tok);
		memcpy(out, tok, *len);
		return true;
	case DHCP_T_DNS_LIST:
		*len = dname_enc(tok, out, X_ARG_MAX);
		return true;
	case DHCP_T_ROUTES:
		*len = route_enc(tok, save, out);
		return *len != 0;
	case DHCP_T_U8:
	case DHCP_T_U16:
	case DHCP_T_U32:
		/* out of range is cut to size, as udhcpc does */
		*len = type == DHCP_T_U8 ? 1 : type == DHCP_T_U16 ? 2 : 4;
		if (num_u32(tok, 0, &v))
			return false;
		put_be(out, v, *len);
		return true;
	case DHCP_T_S32:
		*len = 4;
		if (num_s32(tok, &sv))
			return false;
		put_be(out, (uint32_t)sv, 4);
		return true;
	}
	return false; /* sipsrv, ip6rd: udhcpc has no encoder for them */
}

/* -x NAME:VAL: values split at ", \t"; a list option takes them all. */
static int x_typed(struct dhcpc_cfg *c, const struct dhcp_optdef *d,
		   char **save)
{
	uint8_t buf[X_ARG_MAX];
	bool list = d->type == DHCP_T_IP_LIST || d->type == DHCP_T_IP_PAIR ||
		    d->type == DHCP_T_DNS_LIST || d->type == DHCP_T_ROUTES;
	char *tok;
	size_t len;
	int err = 0;

	while (!err && (tok = strtok_r(NULL, ", \t", save))) {
		if (!x_value(d->type, tok, save, buf, &len))
			break;
		err = attach(c, d->code, list, buf, len);
		if (!list)
			break;
	}
	return err;
}

int opts_extra(struct dhcpc_cfg *c, const char *arg)
{
	char s[X_ARG_MAX], *save = NULL, *name;
	const struct dhcp_optdef *d;
	uint32_t code;

	if (strlen(arg) >= sizeof(s))
		return -E2BIG;
	strcpy(s, arg);
	/* udhcp_str2optset(): the name ends at the first of " \t=:" */
	name = strtok_r(s, " \t=:", &save);
	if (!name)
		return 0;
	if (!num_u32(name, 0, &code) && code < 255)
		return x_raw(c, (uint8_t)code, strtok_r(NULL, "", &save));
	d = dhcp_optdef_by_name(name);
	return d ? x_typed(c, d, &save) : -EINVAL;
}

int opts_fqdn(struct dhcpc_cfg *c, const char *name)
{
	uint8_t buf[3 + 258] = { 0x05, 0, 0 }; /* S and E (RFC 4702 2.1) */
	size_t n = 3, total = strlen(name);
	const char *s = name;

	if (total && name[total - 1] == '.')
		total--;
	if (!total || total > 253)
		return -EINVAL;
	while (*s) {
		size_t w = strcspn(s, ".");

		if (!w || w > 63)
			return -EINVAL;
		buf[n++] = (uint8_t)w;
		memcpy(buf + n, s, w);
		n += w;
		s += w + (s[w] == '.');
	}
	/* a name with a dot is fully qualified: end with the root label;
	 * a bare host name is a partial name (RFC 4702 2.3.1) */
	if (strchr(name, '.'))
		buf[n++] = 0;
	/* udhcpc puts -F in before every -x: the last -F wins, and a -x of
	 * option 81 is dropped */
	extra_remove(c, DHO_FQDN);
	return attach(c, DHO_FQDN, false, buf, n);
}

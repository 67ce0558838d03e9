// SPDX-License-Identifier: MIT
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>

#include "env.h"
#include "embnet/log.h"
#include "embnet/parse.h"

extern char **environ;

/* An output cursor; once full it stays full. */
struct wr {
	char *p;
	size_t rem;
	bool full;
};

static void wr_fmt(struct wr *w, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void wr_fmt(struct wr *w, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (w->full)
		return;
	va_start(ap, fmt);
	n = vsnprintf(w->p, w->rem, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= w->rem) {
		w->full = true;
		return;
	}
	w->p += n;
	w->rem -= (size_t)n;
}

static void wr_ip(struct wr *w, const char *pre, const uint8_t *ip)
{
	wr_fmt(w, "%s%u.%u.%u.%u", pre, ip[0], ip[1], ip[2], ip[3]);
}

static void wr_bytes(struct wr *w, const uint8_t *v, size_t n)
{
	if (w->full || n >= w->rem) {
		w->full = true;
		return;
	}
	memcpy(w->p, v, n);
	w->p += n;
	w->rem -= n;
	*w->p = '\0';
}

/* Options 26, 119 and 120: below 576 the MTU is left out; names that
 * are not host names are left out of the list. */
enum {
	OPT_MTU = 26,
	MTU_MIN = 576,
	DNAME_TEXT_MAX = 253, /* RFC 1035 2.3.4: 255 on the wire */
};

static bool host_char(uint8_t c)
{
	return ((c | 0x20) >= 'a' && (c | 0x20) <= 'z') ||
	       (c >= '0' && c <= '9') || c == '-' || c == '_';
}

/* RFC 1123 2.1 (RFC 952 as relaxed): letters, digits and '-', not first
 * or last; and '_', which udhcpc's good_hostname() takes for options 12
 * and 15 and real search domains carry (_msdcs, AD names).  '.' is the
 * separator, never in a label; a NUL is no host character. */
static bool dname_label_ok(const uint8_t *l, size_t n)
{
	if (l[0] == '-' || l[n - 1] == '-')
		return false;
	for (size_t i = 0; i < n; i++)
		if (!host_char(l[i]))
			return false;
	return true;
}

/* Each pointer must jump strictly before the previous one: no loops.
 * @ok: the name is a host name (labels and total length). */
static int dname_one(const uint8_t *v, size_t len, size_t *pos, struct wr *w,
		     bool *ok)
{
	size_t at = *pos, limit = *pos, name_len = 0;
	bool jumped = false;

	*ok = true;
	for (;;) {
		if (at >= len)
			return -EBADMSG;
		uint8_t c = v[at];

		if ((c & 0xc0) == 0xc0) {
			size_t to;

			if (at + 2 > len)
				return -EBADMSG;
			to = (size_t)(c & 0x3f) << 8 | v[at + 1];
			if (to >= limit)
				return -EBADMSG; /* forward or loop */
			if (!jumped)
				*pos = at + 2;
			jumped = true;
			limit = to;
			at = to;
		} else if (c & 0xc0) {
			return -EBADMSG; /* label over 63 bytes */
		} else if (c) {
			if (at + 1 + c > len || (name_len += c + 1u) > 255)
				return -EBADMSG;
			if (name_len > c + 1u)
				wr_bytes(w, (const uint8_t *)".", 1);
			wr_bytes(w, v + at + 1, c);
			*ok = *ok && dname_label_ok(v + at + 1, c);
			at += 1 + c;
		} else {
			if (!jumped)
				*pos = at + 1;
			*ok = *ok && name_len - 1 <= DNAME_TEXT_MAX;
			return name_len ? 0 : -EBADMSG;
		}
	}
}

int env_dname_list(const uint8_t *v, size_t len, char *out, size_t size)
{
	struct wr w = { out, size, size == 0 };
	size_t pos = 0;
	int n_good = 0, n_bad = 0, err;

	if (size)
		*out = '\0';
	while (pos < len) {
		struct wr mark = w;
		bool ok;

		if (n_good)
			wr_bytes(&w, (const uint8_t *)" ", 1);
		err = dname_one(v, len, &pos, &w, &ok);
		if (err)
			return err;
		if (ok) {
			n_good++;
			continue;
		}
		w = mark; /* left out: back to before its separator */
		if (!w.full)
			*w.p = '\0';
		n_bad++;
	}
	if (w.full)
		return -ENOSPC;
	return pos ? n_bad : -EBADMSG;
}

/* RFC 3442: width, significant octets, router; rendered "net/w gw". */
static int fmt_routes(const uint8_t *v, size_t len, struct wr *w)
{
	size_t i = 0;

	while (i < len) {
		uint8_t width = v[i], ip[4] = { 0 };
		size_t sig = (width + 7u) / 8;

		if (width > 32 || i + 1 + sig + 4 > len)
			return -EBADMSG;
		memcpy(ip, v + i + 1, sig);
		wr_ip(w, i ? " " : "", ip);
		wr_fmt(w, "/%u", width);
		wr_ip(w, " ", v + i + 1 + sig);
		i += 1 + sig + 4;
	}
	return 0;
}

/* RFC 5969 option 212 as udhcpc: "mask plen prefix br [br...]". */
static int fmt_6rd(const uint8_t *v, size_t len, struct wr *w)
{
	if ((len - 22) % 4 || v[0] > 32 || v[1] > 128 || v[1] + 32 - v[0] > 128)
		return -EBADMSG;
	wr_fmt(w, "%u %u ", v[0], v[1]);
	for (int i = 0; i < 8; i++)
		wr_fmt(w, "%s%02x%02x", i ? ":" : "", v[2 + 2 * i],
		       v[3 + 2 * i]);
	for (size_t i = 18; i + 4 <= len; i += 4)
		wr_ip(w, " ", v + i);
	return 0;
}

static int fmt_list(const uint8_t *v, size_t len, size_t step, struct wr *w)
{
	if (len % step)
		return -EBADMSG;
	for (size_t i = 0; i < len; i += step) {
		wr_ip(w, i ? " " : "", v + i);
		if (step == 8)
			wr_ip(w, "/", v + i + 4);
	}
	return 0;
}

/* busybox valid_domain_label()/good_hostname(): [A-Za-z0-9._-], no label
 * starting with '-'. */
static bool good_hostname(const uint8_t *v, size_t len)
{
	bool label_start = true;

	for (size_t i = 0; i < len; i++) {
		uint8_t c = v[i];

		if (c == '-' && label_start)
			return false;
		if (!host_char(c) && c != '.')
			return false;
		label_start = c == '.';
	}
	return true;
}

/* RFC 2132 section 2: a receiver deletes trailing NULs; a NUL ends the
 * string, as in udhcpc (dnsmasq NUL-terminates 66 and 67 for PXE). */
static size_t str_len(const uint8_t *v, size_t len)
{
	const uint8_t *nul = memchr(v, 0, len);

	return nul ? (size_t)(nul - v) : len;
}

/* The string up to its NUL if it is a host name, else udhcpc's
 * safe_strncpy(dest, "bad", len), @len the whole option's. */
static int fmt_host(const uint8_t *v, size_t len, struct wr *w)
{
	size_t n = str_len(v, len);

	if (good_hostname(v, n)) {
		wr_bytes(w, v, n);
		return 0;
	}
	/* udhcpc: safe_strncpy(dest, "bad", len) */
	wr_bytes(w, (const uint8_t *)"bad", len - 1 < 3 ? len - 1 : 3);
	return 0;
}

static int fmt_sip(const uint8_t *v, size_t len, struct wr *w)
{
	if (v[0] == 0)
		return env_dname_list(v + 1, len - 1, w->p, w->rem);
	if (v[0] == 1)
		return fmt_list(v + 1, len - 1, 4, w);
	return -EBADMSG;
}

static int fmt_num(uint8_t type, const uint8_t *v, struct wr *w)
{
	uint32_t u;

	switch (type) {
	case DHCP_T_U8:
		wr_fmt(w, "%u", v[0]);
		return 0;
	case DHCP_T_U16:
		wr_fmt(w, "%u", (unsigned)(v[0] << 8 | v[1]));
		return 0;
	}
	memcpy(&u, v, 4);
	u = ntohl(u);
	if (type == DHCP_T_S32)
		wr_fmt(w, "%ld", (long)(int32_t)u);
	else
		wr_fmt(w, "%lu", (unsigned long)u);
	return 0;
}

static int fmt_typed(const struct dhcp_optdef *d, const uint8_t *v, size_t len,
		     struct wr *w)
{
	switch (d->type) {
	case DHCP_T_IP:
	case DHCP_T_IP_LIST:
		return fmt_list(v, len, 4, w);
	case DHCP_T_IP_PAIR:
		return fmt_list(v, len, 8, w);
	case DHCP_T_STRING:
		wr_bytes(w, v, str_len(v, len));
		return 0;
	case DHCP_T_HOST:
		return fmt_host(v, len, w);
	case DHCP_T_DNS_LIST:
		return env_dname_list(v, len, w->p, w->rem);
	case DHCP_T_SIP:
		return fmt_sip(v, len, w);
	case DHCP_T_ROUTES:
		return fmt_routes(v, len, w);
	case DHCP_T_6RD:
		return fmt_6rd(v, len, w);
	default:
		return fmt_num(d->type, v, w);
	}
}

int env_format_opt(uint8_t code, const uint8_t *v, size_t len, char *out,
		   size_t size)
{
	const struct dhcp_optdef *d = dhcp_optdef(code);
	struct wr w = { out, size, size == 0 };
	int err;

	if (!size)
		return -ENOSPC;
	*out = '\0';
	if (!d) {
		for (size_t i = 0; i < len; i++)
			wr_fmt(&w, "%02x", v[i]);
		return w.full ? -ENOSPC : 0;
	}
	if (len < d->min || len > d->max)
		return -EBADMSG;
	err = fmt_typed(d, v, len, &w);
	if (err >= 0 && w.full)
		err = -ENOSPC;
	if (err < 0)
		*out = '\0';
	return err;
}

/* Adds @key=@val unless @val could harm a script (see env.h). */
int env_add_var(struct spawn_env *e, const char *key, const char *val)
{
	int err;

	if (!parse_str_clean(val, strlen(val)) || !strncmp(val, "() {", 4)) {
		log_warn("dropping %s: control byte or function import in "
			 "the value",
			 key);
		return 1;
	}
	err = spawn_env_add(e, key, val);
	if (err) {
		log_err(err, "dropping %s", key);
		return 1;
	}
	return 0;
}

/* sname/file: up to the first NUL, as udhcpc's "%.64s". */
static int add_field(struct spawn_env *e, const char *key, const uint8_t *f,
		     size_t size)
{
	char buf[DHCP_FILE_LEN + 1];
	size_t n = strnlen((const char *)f, size);

	if (!n)
		return 0;
	memcpy(buf, f, n);
	buf[n] = '\0';
	return env_add_var(e, key, buf);
}

static int add_ip(struct spawn_env *e, const char *key, uint32_t ip)
{
	char buf[16];
	struct wr w = { buf, sizeof(buf), false };

	wr_ip(&w, "", (const uint8_t *)&ip);
	return env_add_var(e, key, buf);
}

/* udhcpc's mton(): the position of the lowest set bit. */
static int add_mask(struct spawn_env *e, const struct dhcp_msg *m)
{
	uint32_t mask;
	char buf[12];
	int n = 0;

	if (!dhcp_opt_be32(m, DHO_SUBNET, &mask))
		return 0;
	for (mask = ntohl(mask); mask; mask <<= 1)
		n++;
	snprintf(buf, sizeof(buf), "%d", n);
	return env_add_var(e, "mask", buf);
}

/* The last value warned about per option, hashed: a renewal with the
 * same value warns no more, so each warning comes once per lease
 * (env_fill() with no message, at deconfig, forgets them). */
static struct {
	uint8_t code;
	uint32_t sum;
} warned[3];

static bool warn_once(uint8_t code, const uint8_t *v, size_t len)
{
	const size_t n = sizeof(warned) / sizeof(warned[0]);
	uint32_t sum = 2166136261u; /* FNV-1a */
	size_t i;

	for (i = 0; i < len; i++)
		sum = (sum ^ v[i]) * 16777619u;
	for (i = 0; i < n && warned[i].code && warned[i].code != code; i++)
		;
	if (i == n)
		return true;
	if (warned[i].code == code && warned[i].sum == sum)
		return false;
	warned[i].code = code;
	warned[i].sum = sum;
	return true;
}

/* Beyond udhcpc, which passes both on: @n_bad names of 119/120 were left
 * out; an MTU below 576 is left out (RFC 2132 allows 68, but every IPv4
 * host must take 576-byte datagrams, RFC 791).  Returns false to leave
 * the variable out. */
static bool opt_vet(uint8_t code, const uint8_t *v, size_t len, int n_bad,
		    const char *name)
{
	unsigned mtu;

	if (n_bad > 0 && warn_once(code, v, len))
		log_warn("option %u: %d bad host name(s) left out of %s", code,
			 n_bad, name);
	if (code != OPT_MTU || len != 2)
		return true;
	mtu = (unsigned)(v[0] << 8 | v[1]);
	if (mtu >= MTU_MIN)
		return true;
	if (warn_once(code, v, len))
		log_warn("option 26: MTU %u below %d: ignored, no %s", mtu,
			 MTU_MIN, name);
	return false;
}

static int add_option(struct spawn_env *e, const struct dhcp_msg *m,
		      unsigned code)
{
	static char val[SPAWN_ENV_BUF];
	const struct dhcp_optdef *d = dhcp_optdef((uint8_t)code);
	char key[8];
	const uint8_t *v;
	size_t len;
	int err;

	v = dhcp_opt(m, (uint8_t)code, &len);
	if (!v)
		return 0;
	if (!d)
		snprintf(key, sizeof(key), "opt%u", code);
	err = env_format_opt((uint8_t)code, v, len, val, sizeof(val));
	if (err == -EBADMSG)
		log_warn("option %u: malformed (%zu bytes): empty %s", code,
			 len, d ? d->env : key);
	else if (err < 0)
		log_err(err, "option %u", code);
	else if (d && !opt_vet((uint8_t)code, v, len, err, d->env))
		return 0;
	return env_add_var(e, d ? d->env : key, val);
}

int env_fill(struct spawn_env *e, const char *ifname, const struct dhcp_msg *m)
{
	int dropped = 0;

	spawn_env_init(e);
	dropped += env_add_var(e, "interface", ifname);
	if (!m) {
		memset(warned, 0, sizeof(warned));
		return dropped;
	}
	dropped += add_ip(e, "ip", m->yiaddr);
	if (m->siaddr)
		dropped += add_ip(e, "siaddr", m->siaddr);
	if (m->giaddr)
		dropped += add_ip(e, "giaddr", m->giaddr);
	if (!(m->overload & 1))
		dropped += add_field(e, "boot_file", m->file, DHCP_FILE_LEN);
	if (!(m->overload & 2))
		dropped += add_field(e, "sname", m->sname, DHCP_SNAME_LEN);
	dropped += add_mask(e, m);
	for (unsigned code = 1; code < 255; code++)
		dropped += add_option(e, m, code);
	return dropped;
}

static bool env_has(const struct spawn_env *e, const char *kv)
{
	size_t klen = strcspn(kv, "=");

	for (unsigned i = 0; i < e->n_vars; i++)
		if (!strncmp(e->vars[i], kv, klen) && e->vars[i][klen] == '=')
			return true;
	return false;
}

int env_run_script(const char *script, const char *event,
		   const struct spawn_env *e)
{
	const char *argv[] = { script, event, NULL };
	const char **envp;
	size_t n = 0, k = 0;
	int status, err;

	while (environ && environ[n])
		n++;
	envp = calloc(n + e->n_vars + 1, sizeof(*envp));
	if (!envp)
		return -ENOMEM;
	for (size_t i = 0; i < n; i++)
		if (!env_has(e, environ[i]))
			envp[k++] = environ[i];
	for (unsigned i = 0; i < e->n_vars; i++)
		envp[k++] = e->vars[i];
	envp[k] = NULL;
	err = spawn_run(argv, envp, &status);
	free(envp);
	return err;
}

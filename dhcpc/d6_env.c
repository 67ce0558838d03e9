// SPDX-License-Identifier: MIT
/* The script environment of a DHCPv6 lease (udhcpc6's option_to_env()),
 * each variable vetted by env.c's env_add_var(). */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "d6_env.h"
#include "env.h"
#include "embnet/log.h"
#include "embnet/parse.h"

#define D6_VAL_LEN 1024

void d6_env_addr(const uint8_t a[16], char *out)
{
	for (int i = 0; i < 8; i++)
		snprintf(out + 5 * i, 6, i < 7 ? "%02x%02x:" : "%02x%02x",
			 a[2 * i], a[2 * i + 1]);
}

static int add_u32(struct spawn_env *e, const char *key, uint32_t v)
{
	char buf[12];

	snprintf(buf, sizeof(buf), "%u", (unsigned)v);
	return env_add_var(e, key, buf);
}

/* A string option as udhcpc6's "%.*s": up to a NUL, vetted by env_add_var(). */
static int add_str(struct spawn_env *e, const char *key,
		   const struct d6_bytes *v)
{
	char buf[D6_VAL_LEN];
	size_t n = v->len < sizeof(buf) - 1 ? v->len : sizeof(buf) - 1;

	memcpy(buf, v->p, n);
	buf[n] = 0;
	if (strlen(buf) != n)
		return env_add_var(e, key, "\x01"); /* a NUL inside: dropped */
	return env_add_var(e, key, buf);
}

static void cat_addrs(char *out, size_t size, const uint8_t (*a)[16],
		      unsigned n)
{
	char one[40];
	size_t len = strlen(out);

	for (unsigned i = 0; i < n && len + 41 < size; i++) {
		d6_env_addr(a[i], one);
		len += (size_t)snprintf(out + len, size - len, "%s%s",
					len ? " " : "", one);
	}
}

/* Wire-form names (no compression, 10) as host names, space-separated. */
static int add_names(struct spawn_env *e, const char *key,
		     const struct d6_bytes *v, char *out, size_t size)
{
	int r;

	if (!d6_dname_ok(v->p, v->len)) {
		log_warn("dropping %s: malformed name list", key);
		return 1;
	}
	r = env_dname_list(v->p, v->len, out, size);
	if (r < 0) {
		log_warn("dropping %s: malformed name list", key);
		return 1;
	}
	if (r)
		log_warn("%s: left out %d name(s) that are no host names", key,
			 r);
	return env_add_var(e, key, out) + (r > 0);
}

static int add_ia(struct spawn_env *e, const struct d6_msg *m)
{
	char buf[48], a[40];
	int n = 0;

	if (m->na.n_a) {
		d6_env_addr(m->na.a[0].addr, a);
		n += env_add_var(e, "ipv6", a);
		n += add_u32(e, "lease", m->na.a[0].valid);
		n += add_u32(e, "ipv6_preferred", m->na.a[0].pref);
	}
	if (m->pd.n_a) {
		d6_env_addr(m->pd.a[0].addr, a);
		snprintf(buf, sizeof(buf), "%s/%u", a, m->pd.a[0].plen);
		n += env_add_var(e, "ipv6prefix", buf);
		n += add_u32(e, "ipv6prefix_lease", m->pd.a[0].valid);
		n += add_u32(e, "ipv6prefix_preferred", m->pd.a[0].pref);
	}
	return n;
}

static int add_ntp(struct spawn_env *e, const struct d6_msg *m)
{
	char out[D6_VAL_LEN] = "", name[300];
	size_t len;

	cat_addrs(out, sizeof(out), m->ntp, m->n_ntp);
	cat_addrs(out, sizeof(out), m->sntp, m->n_sntp);
	for (unsigned i = 0; i < m->n_ntp_fqdn; i++) {
		const struct d6_bytes *v = &m->ntp_fqdn[i];

		if (env_dname_list(v->p, v->len, name, sizeof(name)) != 0 ||
		    !name[0])
			continue;
		len = strlen(out);
		if (len + strlen(name) + 2 < sizeof(out))
			snprintf(out + len, sizeof(out) - len, "%s%s",
				 len ? " " : "", name);
	}
	return out[0] ? env_add_var(e, "ntpsrv", out) : 0;
}

static const struct {
	uint16_t code;
	const char *name;
} strings[] = {
	{ D6_OPT_TZ_POSIX, "tz" },
	{ D6_OPT_TZ_NAME, "tz_name" },
	{ D6_OPT_BOOT_URL, "bootfile_url" },
	{ D6_OPT_BOOT_PARAM, "bootfile_param" },
	{ 209, "pxeconffile" },
	{ 210, "pxepathprefix" },
};

static int add_other(struct spawn_env *e, const struct d6_msg *m)
{
	char out[D6_VAL_LEN];
	int n = 0;

	for (unsigned i = 0; i < m->n_other; i++) {
		const struct d6_option_kept *o = &m->other[i];
		struct d6_bytes v = o->v;

		/* RFC 4704: flags, then the name; udhcpc6 decodes it */
		if (o->code == D6_OPT_FQDN && v.len > 1) {
			v.p++, v.len--;
			n += add_names(e, "fqdn", &v, out, sizeof(out));
			continue;
		}
		for (size_t k = 0; k < sizeof(strings) / sizeof(strings[0]);
		     k++)
			if (strings[k].code == o->code)
				n += add_str(e, strings[k].name, &v);
	}
	return n;
}

int d6_env_fill(struct spawn_env *e, const char *ifname, const struct d6_msg *m)
{
	char out[D6_VAL_LEN] = "";
	int n = 0;

	spawn_env_init(e);
	n += env_add_var(e, "interface", ifname);
	if (!m)
		return n;
	n += add_ia(e, m);
	if (m->n_dns) {
		cat_addrs(out, sizeof(out), m->dns, m->n_dns);
		n += env_add_var(e, "dns", out);
	}
	if (m->domains.p)
		n += add_names(e, "search", &m->domains, out, sizeof(out));
	n += add_ntp(e, m);
	n += add_other(e, m);
	if (m->has_status && m->status != D6_ST_SUCCESS && m->status_text.len)
		n += add_str(e, "message", &m->status_text);
	return n;
}

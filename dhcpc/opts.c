// SPDX-License-Identifier: MIT
#include <errno.h>
#include <stdbool.h>
#include <string.h>
#include <arpa/inet.h>

#include "ip.h"
#include "opts.h"
#include "packet.h"
#include "parse.h"

static const uint8_t default_prl[] = { 1, 3, 6, 12, 15, 28, 42 };

void opts_default_prl(struct dhcpc_cfg *c)
{
	memcpy(c->prl, default_prl, sizeof(default_prl));
	c->n_prl = sizeof(default_prl);
}

static int parse_code(const char *s, size_t n, uint8_t *code)
{
	char buf[32];
	const struct dhcp_optdef *d;
	uint32_t v;

	if (n == 0 || n >= sizeof(buf))
		return -EINVAL;
	memcpy(buf, s, n);
	buf[n] = '\0';
	d = dhcp_optdef_by_name(buf);
	if (d) {
		*code = d->code;
		return 0;
	}
	if (parse_u32_base(buf, 0, &v) || v < 1 || v > 254)
		return -EINVAL;
	*code = (uint8_t)v;
	return 0;
}

int opts_request(struct dhcpc_cfg *c, const char *arg)
{
	uint8_t code;

	if (parse_code(arg, strlen(arg), &code))
		return -EINVAL;
	if (memchr(c->prl, code, c->n_prl))
		return 0;
	if (c->n_prl >= sizeof(c->prl))
		return -E2BIG;
	c->prl[c->n_prl++] = code;
	return 0;
}

int opts_add(struct dhcpc_cfg *c, uint8_t code, const void *v, size_t len)
{
	if (len > 0xffff || 3 + len > DHCPC_EXTRA_LEN - c->extra_len)
		return -E2BIG;
	c->extra[c->extra_len] = code;
	c->extra[c->extra_len + 1] = (uint8_t)(len >> 8);
	c->extra[c->extra_len + 2] = (uint8_t)len;
	memcpy(c->extra + c->extra_len + 3, v, len);
	c->extra_len += 3 + len;
	if (code == DHO_CLIENT_ID)
		c->clientid_set = true;
	return 0;
}

/* RFC 1123 host or domain name: labels of 1..63 letters, digits and
 * '-', not starting or ending with '-'; at most 253 bytes. */
static bool name_ok(const char *s)
{
	size_t n = strlen(s), label = 0;

	if (n && s[n - 1] == '.')
		n--;
	if (!n || n > 253)
		return false;
	for (size_t i = 0; i < n; i++) {
		char ch = s[i];

		if (ch == '.') {
			if (!label || s[i - 1] == '-')
				return false;
			label = 0;
			continue;
		}
		if (!((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
		      (ch >= '0' && ch <= '9') || (ch == '-' && label)))
			return false;
		if (++label > 63)
			return false;
	}
	return s[n - 1] != '-';
}

static int hex_value(const char *s, uint8_t *out, size_t cap, size_t *len)
{
	size_t n = 0;

	while (*s) {
		char pair[3] = { s[0], s[0] ? s[1] : 0, 0 };
		uint32_t v;

		if (*s == ':' || *s == ' ') {
			s++;
			continue;
		}
		if (!pair[1] || n >= cap || parse_u32_base(pair, 16, &v))
			return -EINVAL;
		out[n++] = (uint8_t)v;
		s += 2;
	}
	*len = n;
	return 0;
}

static int ip_value(const char *s, uint8_t *out, size_t cap, size_t *len)
{
	char buf[IP_STRLEN];
	size_t n = 0;

	while (*s) {
		size_t w = strcspn(s, " ,");
		struct ip_addr a;

		if (w && (w >= sizeof(buf) || n + 4 > cap))
			return -EINVAL;
		if (w) {
			memcpy(buf, s, w);
			buf[w] = '\0';
			if (ip_parse(buf, AF_INET, &a))
				return -EINVAL;
			memcpy(out + n, &a.v4, 4);
			n += 4;
		}
		s += w + (s[w] != '\0');
	}
	*len = n;
	return n ? 0 : -EINVAL;
}

static int num_value(const char *s, uint8_t type, uint8_t *out, size_t *len)
{
	uint32_t v;
	int iv;

	if (type == DHCP_T_S32) {
		if (parse_int(s, INT32_MIN, INT32_MAX, &iv))
			return -EINVAL;
		v = (uint32_t)iv;
	} else if (parse_u32(s, &v)) {
		return -EINVAL;
	}
	*len = type == DHCP_T_U8 ? 1 : type == DHCP_T_U16 ? 2 : 4;
	if (*len < 4 && v >> (8 * *len))
		return -EINVAL;
	for (size_t i = 0; i < *len; i++)
		out[i] = (uint8_t)(v >> (8 * (*len - 1 - i)));
	return 0;
}

static int typed_value(const struct dhcp_optdef *d, const char *s, uint8_t *out,
		       size_t cap, size_t *len)
{
	switch (d->type) {
	case DHCP_T_IP:
	case DHCP_T_IP_LIST:
		return ip_value(s, out, d->type == DHCP_T_IP ? 4 : cap, len);
	case DHCP_T_STRING:
	case DHCP_T_HOST:
		if (d->type == DHCP_T_HOST && !name_ok(s))
			return -EINVAL;
		*len = strlen(s);
		if (*len > cap || !parse_str_clean(s, *len))
			return -EINVAL;
		memcpy(out, s, *len);
		return 0;
	case DHCP_T_U8:
	case DHCP_T_U16:
	case DHCP_T_U32:
	case DHCP_T_S32:
		return num_value(s, d->type, out, len);
	default:
		return hex_value(s, out, cap, len);
	}
}

int opts_extra(struct dhcpc_cfg *c, const char *arg)
{
	const char *colon = strchr(arg, ':'), *v;
	const struct dhcp_optdef *d;
	uint8_t code, buf[1024];
	size_t len, vl;
	int err;

	if (!colon || parse_code(arg, (size_t)(colon - arg), &code))
		return -EINVAL;
	v = colon + 1;
	vl = strlen(v);
	if (!*v)
		return 0; /* OpenWrt passes "-x hostname:" with no name */
	d = dhcp_optdef(code);
	if (d && (size_t)(colon - arg) == strlen(d->env) &&
	    !strncmp(arg, d->env, strlen(d->env)))
		err = typed_value(d, v, buf, sizeof(buf), &len);
	else if (vl >= 2 && (v[0] == '"' || v[0] == '\'') && v[vl - 1] == v[0])
		err = (len = vl - 2) > sizeof(buf)
			      ? -EINVAL
			      : (memcpy(buf, v + 1, len), 0);
	else
		err = hex_value(v, buf, sizeof(buf), &len);
	if (err)
		return err;
	return opts_add(c, code, buf, len);
}

int opts_fqdn(struct dhcpc_cfg *c, const char *name)
{
	uint8_t buf[3 + 256] = { 0x05, 0, 0 }; /* S and E (RFC 4702 2.1) */
	size_t n = 3;
	const char *s = name;

	if (!name_ok(name))
		return -EINVAL;
	while (*s) {
		size_t w = strcspn(s, ".");

		buf[n++] = (uint8_t)w;
		memcpy(buf + n, s, w);
		n += w;
		s += w + (s[w] == '.');
	}
	/* a name with a dot is fully qualified: end with the root label;
	 * a bare host name is a partial name (RFC 4702 2.3.1) */
	if (strchr(name, '.'))
		buf[n++] = 0;
	return opts_add(c, DHO_FQDN, buf, n);
}

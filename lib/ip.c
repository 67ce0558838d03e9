// SPDX-License-Identifier: MIT
/*
 * IPv4/IPv6 addresses (see ip.h): parsing and formatting, prefix and mask
 * arithmetic, and addresses as netlink attributes carry them (ip_from_attr,
 * ip_put_attr), which addr.c and route.c share.
 */
#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <linux/netlink.h>
#include <libmnl/libmnl.h>

#include "embnet/ip.h"

size_t ip_len(int family)
{
	if (family == AF_INET)
		return 4;
	if (family == AF_INET6)
		return 16;
	return 0;
}

int ip_prefix_max(int family)
{
	if (family == AF_INET)
		return 32;
	if (family == AF_INET6)
		return 128;
	return -EAFNOSUPPORT;
}

/*
 * Dotted quad, the way inet_pton(AF_INET) reads it on glibc and musl: four
 * parts of 1-3 decimal digits, no leading zero (so no octal surprise as with
 * inet_aton's "010"), each at most 255.  Done here so both libcs agree.
 */
static int parse_v4(const char *s, struct in_addr *out)
{
	uint8_t b[4];
	unsigned int v;
	int i, n;

	for (i = 0; i < 4; i++) {
		v = 0;
		for (n = 0; s[n] >= '0' && s[n] <= '9'; n++) {
			if (n == 3 || (n == 1 && s[0] == '0'))
				return -EINVAL;
			v = v * 10 + (unsigned int)(s[n] - '0');
		}
		if (n == 0 || v > 255)
			return -EINVAL;
		b[i] = (uint8_t)v;
		s += n;
		if (*s != (i == 3 ? '\0' : '.'))
			return -EINVAL;
		s++;
	}
	memcpy(out, b, sizeof(b));
	return 0;
}

int ip_parse(const char *s, int family, struct ip_addr *out)
{
	int ret = -EINVAL;

	memset(out, 0, sizeof(*out));
	if (family == AF_UNSPEC)
		family = strchr(s, ':') ? AF_INET6 : AF_INET;
	if (family == AF_INET)
		ret = parse_v4(s, &out->v4);
	else if (family == AF_INET6 && inet_pton(AF_INET6, s, &out->v6) == 1)
		ret = 0;
	if (ret == 0)
		out->family = family;
	else
		memset(out, 0, sizeof(*out));
	return ret;
}

/* A length: 1-3 decimal digits, no leading zero, at most @max. */
static int parse_len(const char *s, int max)
{
	int v = 0;
	int n;

	for (n = 0; s[n] >= '0' && s[n] <= '9'; n++) {
		if (n == 3 || (n == 1 && s[0] == '0'))
			return -EINVAL;
		v = v * 10 + (s[n] - '0');
	}
	if (n == 0 || s[n] != '\0' || v > max)
		return -EINVAL;
	return v;
}

int ip_parse_cidr(const char *s, int family, struct ip_addr *out, int *prefix)
{
	char host[IP_STRLEN];
	const char *slash = strchr(s, '/');
	size_t n = slash ? (size_t)(slash - s) : strlen(s);
	int len;

	memset(out, 0, sizeof(*out));
	*prefix = -1;
	if (n >= sizeof(host))
		return -EINVAL;
	memcpy(host, s, n);
	host[n] = '\0';
	if (ip_parse(host, family, out) < 0)
		return -EINVAL;
	if (!slash)
		return 0;
	len = parse_len(slash + 1, ip_prefix_max(out->family));
	if (len < 0) {
		memset(out, 0, sizeof(*out));
		return -EINVAL;
	}
	*prefix = len;
	return 0;
}

int ip_parse_netmask(const char *s)
{
	struct ip_addr m;

	if (!strchr(s, '.'))
		return parse_len(s, 32);
	if (ip_parse(s, AF_INET, &m) < 0)
		return -EINVAL;
	return ip_mask_len(m.v4);
}

struct in_addr ip_mask(int prefix)
{
	struct in_addr m;

	if (prefix <= 0)
		m.s_addr = 0;
	else if (prefix >= 32)
		m.s_addr = 0xffffffffu;
	else
		m.s_addr = htonl(~0u << (32 - prefix));
	return m;
}

int ip_mask_len(struct in_addr mask)
{
	uint32_t m = ntohl(mask.s_addr);
	int len = 0;

	while (len < 32 && (m & (0x80000000u >> len)))
		len++;
	/* contiguous: nothing set after the first zero bit */
	if (len < 32 && (m << len) != 0)
		return -EINVAL;
	return len;
}

struct in_addr ip_broadcast(struct in_addr addr, int prefix)
{
	struct in_addr b;

	b.s_addr = addr.s_addr | ~ip_mask(prefix).s_addr;
	return b;
}

char *ip_format(const struct ip_addr *a, char *buf, size_t len)
{
	if (len == 0)
		return buf;
	buf[0] = '\0';
	if (len > INT32_MAX || !ip_len(a->family))
		return buf;
	if (!inet_ntop(a->family, a->b, buf, (socklen_t)len))
		buf[0] = '\0';
	return buf;
}

bool ip_equal(const struct ip_addr *a, const struct ip_addr *b)
{
	if (a->family != b->family)
		return false;
	return memcmp(a->b, b->b, ip_len(a->family)) == 0;
}

int ip_from_bytes(int family, const void *p, size_t len, struct ip_addr *out)
{
	memset(out, 0, sizeof(*out));
	if (!ip_len(family) || len != ip_len(family))
		return -EINVAL;
	out->family = family;
	memcpy(out->b, p, len);
	return 0;
}

int ip_from_attr(const struct nlattr *a, int family, struct ip_addr *out)
{
	memset(out, 0, sizeof(*out));
	if (!a)
		return 0;
	if (ip_from_bytes(family, mnl_attr_get_payload(a),
			  mnl_attr_get_payload_len(a), out) < 0)
		return -EBADMSG;
	return 0;
}

bool ip_put_attr(struct nlmsghdr *nlh, uint16_t type, const struct ip_addr *a)
{
	return mnl_attr_put_check(nlh, MNL_SOCKET_BUFFER_SIZE, type,
				  ip_len(a->family), a->b);
}

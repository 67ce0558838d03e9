/* SPDX-License-Identifier: MIT */
/*
 * IPv4/IPv6 addresses: one tagged type, parsing of addresses, CIDR prefixes
 * and netmasks, and formatting; and addresses as netlink attributes carry
 * them, for addr.c and route.c.  Pure functions; no allocation.
 */
#ifndef EMBNET_IP_H
#define EMBNET_IP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <netinet/in.h>

struct nlattr;
struct nlmsghdr;

struct ip_addr {
	int family; /* AF_INET, AF_INET6, or AF_UNSPEC for "none" */
	union {
		struct in_addr v4;
		struct in6_addr v6;
		uint8_t b[16];
	};
};

/* Longest text ip_format() writes, with its NUL (INET6_ADDRSTRLEN). */
#define IP_STRLEN 46

/* Bytes of an address of @family (4 or 16), 0 for any other family. */
size_t ip_len(int family);

/* Longest prefix of @family (32 or 128), -EAFNOSUPPORT for any other. */
int ip_prefix_max(int family);

/*
 * Parses a dotted-quad IPv4 or an IPv6 address (no prefix, no scope), with
 * inet_pton()'s rules: exactly four decimal parts, no leading zeros, no
 * spaces or trailing junk.  @family AF_UNSPEC accepts either.  Returns 0 or
 * -EINVAL (@out is then cleared to AF_UNSPEC).
 */
int ip_parse(const char *s, int family, struct ip_addr *out);

/*
 * Parses "ADDR/LEN" or "ADDR" (then *@prefix is -1).  LEN is decimal digits
 * only: no sign, no spaces, no leading zero ("024" would be octal to
 * strtoul(0) users), at most 32 or 128.  Returns 0 or -EINVAL.
 */
int ip_parse_cidr(const char *s, int family, struct ip_addr *out, int *prefix);

/*
 * Parses an IPv4 netmask, either dotted ("255.255.255.0") or a length
 * ("24", same rules as a CIDR length); a dotted mask must be contiguous.
 * Returns the prefix length 0..32 or -EINVAL.
 */
int ip_parse_netmask(const char *s);

/* Returns the IPv4 netmask of prefix length @prefix, network order;
 * @prefix is clamped to 0..32. */
struct in_addr ip_mask(int prefix);

/* Returns the prefix length of contiguous mask @mask, or -EINVAL. */
int ip_mask_len(struct in_addr mask);

/* The IPv4 broadcast of @addr/@prefix: the host bits all set (for /31 and
 * /32 that is the host part of @addr itself, as the arithmetic says). */
struct in_addr ip_broadcast(struct in_addr addr, int prefix);

/*
 * Writes @a as text into @buf of @len bytes (IP_STRLEN is enough) and
 * returns @buf; AF_UNSPEC, another family or a short @buf give "".
 */
char *ip_format(const struct ip_addr *a, char *buf, size_t len);

/* True if both are the same family and address (two AF_UNSPEC: true). */
bool ip_equal(const struct ip_addr *a, const struct ip_addr *b);

/*
 * Sets @out to the @family address in the @len bytes at @p (as carried in
 * netlink attributes).  Returns 0, or -EINVAL if @len is not ip_len(@family).
 */
int ip_from_bytes(int family, const void *p, size_t len, struct ip_addr *out);

/*
 * Sets @out to the @family address in attribute @a, or clears it to
 * AF_UNSPEC when @a is NULL (absent).  Pure.  Returns 0, or -EBADMSG if
 * the payload is not ip_len(@family) bytes.
 */
int ip_from_attr(const struct nlattr *a, int family, struct ip_addr *out);

/*
 * Appends @a as attribute @type (ip_len() bytes) to @nlh, a message started
 * by nl_msg() in a buffer of MNL_SOCKET_BUFFER_SIZE bytes.  Returns false
 * if it does not fit.
 */
bool ip_put_attr(struct nlmsghdr *nlh, uint16_t type, const struct ip_addr *a);

#endif

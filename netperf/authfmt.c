// SPDX-License-Identifier: MIT
/*
 * The pure parts of iperf3's authentication: the token's plaintext, the
 * password hash and the authorized users file.  No I/O, no allocation.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <mbedtls/sha256.h>

#include "auth.h"

/* iperf_auth.c auth_text_format: 1, 2 and 3 spaces after the colons. */
static const char *const labels[] = { "user: ", "\npwd:  ", "\nts:   " };

static bool field_ok(const char *s)
{
	if (!*s || strlen(s) >= NP_AUTH_FIELD_MAX)
		return false;
	for (; *s; s++)
		if ((unsigned char)*s <= ' ' || *s == 0x7f)
			return false;
	return true;
}

int np_auth_plain_build(const struct np_auth_cred *c, char *buf, size_t len)
{
	int n;

	if (!field_ok(c->user) || !field_ok(c->pwd))
		return -EINVAL;
	n = snprintf(buf, len, "%s%s%s%s%s%lld", labels[0], c->user, labels[1],
		     c->pwd, labels[2], (long long)c->ts);
	if (n < 0 || (size_t)n >= len)
		return -ENOSPC;
	return n;
}

/* Copies the word at *@p (up to whitespace or the end) into @dst. */
static int take_word(const char **p, const char *end, char *dst)
{
	size_t n = 0;

	while (*p + n < end && (unsigned char)(*p)[n] > ' ' && (*p)[n] != 0x7f)
		n++;
	if (n == 0 || n >= NP_AUTH_FIELD_MAX)
		return -EINVAL;
	memcpy(dst, *p, n);
	dst[n] = 0;
	*p += n;
	return 0;
}

static int take_label(const char **p, const char *end, const char *label)
{
	size_t n = strlen(label);

	if ((size_t)(end - *p) < n || memcmp(*p, label, n))
		return -EINVAL;
	*p += n;
	return 0;
}

/* The timestamp: an optional '-' and 1 to 18 digits, then the end. */
static int take_ts(const char *p, const char *end, int64_t *ts)
{
	bool neg = p < end && *p == '-';
	int64_t v = 0;
	int digits = 0;

	for (p += neg; p < end && *p >= '0' && *p <= '9' && digits < 18;
	     p++, digits++)
		v = v * 10 + (*p - '0');
	if (digits == 0 || digits > 18 || p != end)
		return -EINVAL;
	*ts = neg ? -v : v;
	return 0;
}

int np_auth_plain_parse(const char *buf, size_t len, struct np_auth_cred *c)
{
	const char *p = buf, *end = buf + len;

	memset(c, 0, sizeof(*c));
	if (take_label(&p, end, labels[0]) || take_word(&p, end, c->user) ||
	    take_label(&p, end, labels[1]) || take_word(&p, end, c->pwd) ||
	    take_label(&p, end, labels[2]) || take_ts(p, end, &c->ts)) {
		memset(c, 0, sizeof(*c));
		return -EINVAL;
	}
	return 0;
}

void np_auth_hash(const char *user, const char *pwd, char *hex)
{
	static const char digits[] = "0123456789abcdef";
	unsigned char md[32];
	mbedtls_sha256_context ctx;

	mbedtls_sha256_init(&ctx);
	mbedtls_sha256_starts_ret(&ctx, 0);
	mbedtls_sha256_update_ret(&ctx, (const unsigned char *)"{", 1);
	mbedtls_sha256_update_ret(&ctx, (const unsigned char *)user,
				  strlen(user));
	mbedtls_sha256_update_ret(&ctx, (const unsigned char *)"}", 1);
	mbedtls_sha256_update_ret(&ctx, (const unsigned char *)pwd,
				  strlen(pwd));
	mbedtls_sha256_finish_ret(&ctx, md);
	mbedtls_sha256_free(&ctx);
	for (int i = 0; i < 32; i++) {
		hex[2 * i] = digits[md[i] >> 4];
		hex[2 * i + 1] = digits[md[i] & 15];
	}
	hex[NP_AUTH_HASH_LEN] = 0;
}

/* Compares the 64 hex digits without an early exit, any case. */
static bool hash_eq(const char *a, const char *hex)
{
	unsigned diff = 0;

	for (int i = 0; i < NP_AUTH_HASH_LEN; i++) {
		unsigned char x = (unsigned char)a[i];
		if (x >= 'A' && x <= 'F')
			x = (unsigned char)(x - 'A' + 'a');
		diff |= x ^ (unsigned char)hex[i];
	}
	return diff == 0;
}

/* One line of @n bytes, without its newline. */
static bool line_match(const char *ln, size_t n, const char *user,
		       const char *hex)
{
	const char *comma;
	size_t ulen = strlen(user);

	while (n && (ln[n - 1] == '\r' || ln[n - 1] == ' '))
		n--;
	if (n == 0 || ln[0] == '#')
		return false;
	comma = memchr(ln, ',', n);
	if (!comma || (size_t)(comma - ln) != ulen || memcmp(ln, user, ulen))
		return false;
	if (n - ulen - 1 != NP_AUTH_HASH_LEN)
		return false;
	return hash_eq(comma + 1, hex);
}

bool np_auth_users_match(const char *text, size_t len, const char *user,
			 const char *hex)
{
	const char *p = text, *end = text + len;
	bool found = false;

	if (!*user)
		return false;
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);

		found |= line_match(p, n, user, hex);
		p += n + 1;
	}
	return found;
}

bool np_auth_ts_ok(int64_t ts, int64_t now, int skew)
{
	int64_t d = now - ts;

	return d <= skew && d >= -(int64_t)skew;
}

static bool b64_char(char ch)
{
	return (ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') ||
	       (ch >= '0' && ch <= '9') || ch == '+' || ch == '/';
}

bool np_auth_b64_valid(const char *tok, size_t max)
{
	size_t n = strnlen(tok, max + 1), i = 0;

	if (n == 0 || n > max || n % 4)
		return false;
	while (i < n && b64_char(tok[i]))
		i++;
	if (n - i > 2)
		return false;
	for (; i < n; i++)
		if (tok[i] != '=')
			return false;
	return true;
}

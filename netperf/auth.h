/* SPDX-License-Identifier: MIT */
/*
 * iperf3's RSA authentication (iperf_auth.c): the token is
 * base64(RSA-encrypt("user: %s\npwd:  %s\nts:   %ld")) with the server's
 * public key; the server decrypts it, checks the time skew and looks the
 * user and sha256("{user}password") up in its authorized users file.
 * authfmt.c holds the pure parts, auth.c the mbedtls and file parts.
 */
#ifndef NETPERF_AUTH_H
#define NETPERF_AUTH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define NP_AUTH_FIELD_MAX 128  /* user or password, with the NUL */
#define NP_AUTH_PLAIN_MAX 1024 /* RSA-8192 */
#define NP_AUTH_HASH_LEN 64
#define NP_AUTH_USERS_MAX (1u << 20)

struct np_opts;

/* The decrypted contents of a token. */
struct np_auth_cred {
	char user[NP_AUTH_FIELD_MAX];
	char pwd[NP_AUTH_FIELD_MAX];
	int64_t ts;
};

/* authfmt.c */
/*
 * Writes iperf3's plaintext for @c into @buf (no NUL counted).  Returns its
 * length, or -EINVAL when a field is empty or has whitespace, -ENOSPC.
 */
int np_auth_plain_build(const struct np_auth_cred *c, char *buf, size_t len);
/* Parses a decrypted plaintext of @len bytes.  Returns 0 or -EINVAL. */
int np_auth_plain_parse(const char *buf, size_t len, struct np_auth_cred *c);
/* Lowercase hex sha256 of "{user}pwd" into @hex (65 bytes with the NUL). */
void np_auth_hash(const char *user, const char *pwd, char *hex);
/*
 * Looks @user and @hex up in an authorized users file's @len bytes of
 * "user,sha256hex" lines (# comments, lines without a comma skipped).
 * Returns true on a match.
 */
bool np_auth_users_match(const char *text, size_t len, const char *user,
			 const char *hex);
/* True when |@now - @ts| <= @skew. */
bool np_auth_ts_ok(int64_t ts, int64_t now, int skew);
/*
 * Checks that @tok is base64 as iperf3 writes it: the standard alphabet,
 * '=' padding only at the end, no whitespace, at most @max characters.
 */
bool np_auth_b64_valid(const char *tok, size_t max);

/* auth.c */
/*
 * Builds the base64 token for the client's --username and
 * --rsa-public-key-path (password from IPERF3_PASSWORD, else a no-echo
 * prompt) into @out.  Returns 0 or -errno.
 */
int np_auth_token(const struct np_opts *o, char *out, size_t len);
/*
 * Checks @token against the server's private key and users file.
 * Returns 0, or -EACCES with the reason for the log in *@why.
 */
int np_auth_check(const struct np_opts *o, const char *token, const char **why);
/* Loads the server's private key once to report a bad file at start. */
int np_auth_server_ready(const struct np_opts *o);

#endif

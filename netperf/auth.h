/* SPDX-License-Identifier: MIT */
/*
 * iperf3's RSA authentication (iperf_auth.c): the token is
 * base64(RSA-encrypt("user: %s\npwd:  %s\nts:   %ld")) with the server's
 * public key; the server decrypts it, checks the time skew and looks the
 * user and sha256("{user}password") up in its authorized users file.
 * authfmt.c holds the pure parts, auth.c the mbedtls and file parts and
 * the server's state: the key and users file as loaded, and the limiter
 * of failed authentications per source (pure functions of their table
 * and an explicit clock, so that tests can run it on a fake one).
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
#define NP_AUTH_KEY_MAX (1u << 16) /* a private key file, PEM or DER */

/*
 * Failed authentications per source.  A source is an IPv4 address, or an
 * IPv6 /64: one host picks any address of its /64 (RFC 4941 privacy
 * addresses, or by hand), so counting /128s would stop nobody; a /64 is
 * what one site or link gets.  NP_AUTH_LIM_FREE failures in a row, each
 * within NP_AUTH_LIM_FORGET_MS of the one before, start a back-off of
 * NP_AUTH_LIM_WAIT_MS, doubled with each further failure up to
 * NP_AUTH_LIM_WAIT_MAX_MS; a success forgets the source.  The table has
 * NP_AUTH_LIM_SLOTS entries; a new source takes the one whose last failure
 * is oldest.
 */
#define NP_AUTH_LIM_SLOTS 64
#define NP_AUTH_LIM_FREE 5
#define NP_AUTH_LIM_WAIT_MS 2000
#define NP_AUTH_LIM_WAIT_MAX_MS 60000
#define NP_AUTH_LIM_FORGET_MS (10 * 60 * 1000)

struct np_opts;

/* The decrypted contents of a token. */
struct np_auth_cred {
	char user[NP_AUTH_FIELD_MAX];
	char pwd[NP_AUTH_FIELD_MAX];
	int64_t ts;
};

/* A source of authentications: family 0 for a peer that is no address. */
struct np_auth_src {
	int family;
	uint8_t a[16]; /* IPv4: 4 bytes; IPv6: the /64, then zeros */
};

struct np_auth_lim_ent {
	struct np_auth_src src;
	bool used;
	unsigned n_fail;
	int64_t last_ms;  /* its last failure */
	int64_t until_ms; /* refused before this */
};

struct np_auth_lim {
	struct np_auth_lim_ent e[NP_AUTH_LIM_SLOTS];
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
 * Checks @token from @peer (an address as text) against the server's
 * private key and users file, as loaded; a source in its back-off is
 * refused without a decryption.  Returns 0, or -EACCES with the reason
 * for the log in *@why (a static string).  Thread-safe.
 */
int np_auth_check(const struct np_opts *o, const char *peer, const char *token,
		  const char **why);
/*
 * Loads the server's private key and users file, which np_auth_check()
 * then uses (reloading a file only when its stat() changes).  Returns 0,
 * or -errno after logging why.
 */
int np_auth_server_ready(const struct np_opts *o);

/* The source @host (IPv4 or IPv6 text) counts as, into @s. */
void np_auth_src(const char *host, struct np_auth_src *s);
/* Milliseconds @s must still wait at @now_ms before a try; 0: go ahead. */
int64_t np_auth_lim_wait(const struct np_auth_lim *l,
			 const struct np_auth_src *s, int64_t now_ms);
/* Counts a failed authentication from @s at @now_ms. */
void np_auth_lim_fail(struct np_auth_lim *l, const struct np_auth_src *s,
		      int64_t now_ms);
/* Forgets @s after it authenticated. */
void np_auth_lim_ok(struct np_auth_lim *l, const struct np_auth_src *s);

#endif

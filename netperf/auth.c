// SPDX-License-Identifier: MIT
/*
 * iperf3 RSA authentication with mbedtls (iperf_auth.c).  OAEP (SHA-1,
 * as OpenSSL's default and iperf3 3.17+) unless --use-pkcs1-padding,
 * which iperf3 3.12-3.16 peers need: the padding is not negotiated.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include <mbedtls/base64.h>
#include <mbedtls/ctr_drbg.h>
#include <mbedtls/entropy.h>
#include <mbedtls/pk.h>
#include <mbedtls/platform_util.h>
#include <mbedtls/rsa.h>

#include "auth.h"
#include "log.h"
#include "test.h"
#include "wall.h"

struct rsa {
	mbedtls_pk_context pk;
	mbedtls_entropy_context ent;
	mbedtls_ctr_drbg_context drbg;
};

static void rsa_free(struct rsa *r)
{
	mbedtls_pk_free(&r->pk);
	mbedtls_ctr_drbg_free(&r->drbg);
	mbedtls_entropy_free(&r->ent);
}

/* Loads the public (@priv false) or private key at @path for @o's padding. */
static int rsa_load(struct rsa *r, const struct np_opts *o, const char *path,
		    bool priv)
{
	static const char pers[] = "netperf-auth";
	int err;

	mbedtls_pk_init(&r->pk);
	mbedtls_entropy_init(&r->ent);
	mbedtls_ctr_drbg_init(&r->drbg);
	err = mbedtls_ctr_drbg_seed(&r->drbg, mbedtls_entropy_func, &r->ent,
				    (const unsigned char *)pers,
				    sizeof(pers) - 1);
	if (!err)
		err = priv ? mbedtls_pk_parse_keyfile(&r->pk, path, NULL)
			   : mbedtls_pk_parse_public_keyfile(&r->pk, path);
	if (err || mbedtls_pk_get_type(&r->pk) != MBEDTLS_PK_RSA) {
		log_warn("%s: not a usable RSA %s key (-0x%04x)", path,
			 priv ? "private" : "public", (unsigned)-err);
		rsa_free(r);
		return -EINVAL;
	}
	if (o->pkcs1)
		mbedtls_rsa_set_padding(mbedtls_pk_rsa(r->pk),
					MBEDTLS_RSA_PKCS_V15, MBEDTLS_MD_NONE);
	else
		mbedtls_rsa_set_padding(mbedtls_pk_rsa(r->pk),
					MBEDTLS_RSA_PKCS_V21, MBEDTLS_MD_SHA1);
	return 0;
}

/* iperf3's getpass: IPERF3_PASSWORD, else a prompt on the terminal. */
static int get_password(char *pwd, size_t len)
{
	const char *env = getenv("IPERF3_PASSWORD");
	struct termios old, quiet;
	int fd, n = 0;
	char ch;

	if (env)
		return snprintf(pwd, len, "%s", env) < (int)len ? 0 : -EINVAL;
	fd = open("/dev/tty", O_RDWR | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	tcgetattr(fd, &old);
	quiet = old;
	quiet.c_lflag &= ~(tcflag_t)ECHO;
	tcsetattr(fd, TCSAFLUSH, &quiet);
	if (write(fd, "Password: ", 10) < 0)
		n = -1;
	while (n >= 0 && read(fd, &ch, 1) == 1 && ch != '\n')
		if ((size_t)n + 1 < len)
			pwd[n++] = ch;
	tcsetattr(fd, TCSAFLUSH, &old);
	if (write(fd, "\n", 1) < 0)
		n = -1;
	close(fd);
	if (n < 0)
		return -EIO;
	pwd[n] = 0;
	return 0;
}

static int encrypt_b64(struct rsa *r, const char *plain, size_t n, char *out,
		       size_t len)
{
	unsigned char ct[MBEDTLS_MPI_MAX_SIZE];
	size_t ct_len, b64_len;

	if (mbedtls_pk_encrypt(&r->pk, (const unsigned char *)plain, n, ct,
			       &ct_len, sizeof(ct), mbedtls_ctr_drbg_random,
			       &r->drbg))
		return -EMSGSIZE; /* user and password too long for the key */
	if (mbedtls_base64_encode((unsigned char *)out, len, &b64_len, ct,
				  ct_len))
		return -ENOSPC;
	return 0;
}

int np_auth_token(const struct np_opts *o, char *out, size_t len)
{
	struct np_auth_cred c = { .ts = wall_s() };
	char plain[NP_AUTH_PLAIN_MAX];
	struct rsa r;
	int n, err;

	if (snprintf(c.user, sizeof(c.user), "%s", o->username) >=
	    (int)sizeof(c.user))
		return -EINVAL;
	err = get_password(c.pwd, sizeof(c.pwd));
	n = err ? err : np_auth_plain_build(&c, plain, sizeof(plain));
	mbedtls_platform_zeroize(&c, sizeof(c));
	if (n < 0)
		return n;
	err = rsa_load(&r, o, o->rsa_pub, false);
	if (!err) {
		err = encrypt_b64(&r, plain, (size_t)n, out, len);
		rsa_free(&r);
	}
	mbedtls_platform_zeroize(plain, sizeof(plain));
	return err;
}

/* Reads at most NP_AUTH_USERS_MAX bytes of @path.  Returns a malloc'ed
 * buffer (caller frees) and its length in *@len, or NULL. */
static char *read_users(const char *path, size_t *len)
{
	FILE *f = fopen(path, "re");
	char *buf;

	if (!f)
		return NULL;
	buf = malloc(NP_AUTH_USERS_MAX);
	if (buf)
		*len = fread(buf, 1, NP_AUTH_USERS_MAX, f);
	fclose(f);
	return buf;
}

static bool user_known(const struct np_opts *o, const struct np_auth_cred *c)
{
	char hex[NP_AUTH_HASH_LEN + 1];
	size_t len = 0;
	char *text = read_users(o->authorized_users, &len);
	bool ok;

	if (!text) {
		log_warn("%s: %s", o->authorized_users, strerror(errno));
		return false;
	}
	np_auth_hash(c->user, c->pwd, hex);
	ok = np_auth_users_match(text, len, c->user, hex);
	free(text);
	return ok;
}

/* Decrypts @token into @c.  Returns NULL or a reason for the log. */
static const char *decrypt_token(const struct np_opts *o, const char *token,
				 struct np_auth_cred *c)
{
	unsigned char ct[MBEDTLS_MPI_MAX_SIZE];
	char plain[NP_AUTH_PLAIN_MAX];
	size_t ct_len, n = 0;
	struct rsa r;
	int err;

	if (!np_auth_b64_valid(token, NP_TOKEN_MAX - 1) ||
	    mbedtls_base64_decode(ct, sizeof(ct), &ct_len,
				  (const unsigned char *)token, strlen(token)))
		return "bad base64";
	if (rsa_load(&r, o, o->rsa_priv, true))
		return "no private key";
	err = mbedtls_pk_decrypt(&r.pk, ct, ct_len, (unsigned char *)plain, &n,
				 sizeof(plain), mbedtls_ctr_drbg_random,
				 &r.drbg);
	rsa_free(&r);
	if (!err)
		err = np_auth_plain_parse(plain, n, c);
	mbedtls_platform_zeroize(plain, sizeof(plain));
	return err ? "cannot decrypt or parse the token" : NULL;
}

int np_auth_check(const struct np_opts *o, const char *token, const char **why)
{
	struct np_auth_cred c;

	*why = decrypt_token(o, token, &c);
	if (!*why && !np_auth_ts_ok(c.ts, wall_s(), o->skew))
		*why = "time skew";
	if (!*why && !user_known(o, &c))
		*why = "unknown user or wrong password";
	mbedtls_platform_zeroize(&c, sizeof(c));
	return *why ? -EACCES : 0;
}

int np_auth_server_ready(const struct np_opts *o)
{
	struct rsa r;

	if (rsa_load(&r, o, o->rsa_priv, true))
		return -EINVAL;
	rsa_free(&r);
	if (access(o->authorized_users, R_OK) < 0) {
		int err = -errno;
		log_err(err, "%s", o->authorized_users);
		return err;
	}
	return 0;
}

// SPDX-License-Identifier: MIT
/*
 * iperf3 RSA authentication with mbedtls (iperf_auth.c).  OAEP (SHA-1,
 * as OpenSSL's default and iperf3 3.17+) unless --use-pkcs1-padding,
 * which iperf3 3.12-3.16 peers need: the padding is not negotiated.
 *
 * The server loads its key and users file once and keeps them; before
 * each check a stat() of each tells whether to load it again.  A source
 * with too many failures waits without costing a decryption, and a token
 * that does not decrypt is refused the way a wrong password is.
 */
#include <errno.h>
#include <fcntl.h>
#include <arpa/inet.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include <mbedtls/base64.h>
#include <mbedtls/ctr_drbg.h>
#include <mbedtls/entropy.h>
#include <mbedtls/md.h>
#include <mbedtls/pk.h>
#include <mbedtls/platform_util.h>
#include <mbedtls/rsa.h>

#include "auth.h"
#include "embnet/log.h"
#include "embnet/mono.h"
#include "test.h"
#include "embnet/wall.h"

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

static void set_padding(mbedtls_pk_context *pk, const struct np_opts *o)
{
	if (o->pkcs1)
		mbedtls_rsa_set_padding(mbedtls_pk_rsa(*pk),
					MBEDTLS_RSA_PKCS_V15, MBEDTLS_MD_NONE);
	else
		mbedtls_rsa_set_padding(mbedtls_pk_rsa(*pk),
					MBEDTLS_RSA_PKCS_V21, MBEDTLS_MD_SHA1);
}

/* Loads the public key at @path for @o's padding (the client's). */
static int rsa_load(struct rsa *r, const struct np_opts *o, const char *path)
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
		err = mbedtls_pk_parse_public_keyfile(&r->pk, path);
	if (err || mbedtls_pk_get_type(&r->pk) != MBEDTLS_PK_RSA) {
		log_warn("%s: not a usable RSA public key (-0x%04x)", path,
			 (unsigned)-err);
		rsa_free(r);
		return -EINVAL;
	}
	set_padding(&r->pk, o);
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
	err = rsa_load(&r, o, o->rsa_pub);
	if (!err) {
		err = encrypt_b64(&r, plain, (size_t)n, out, len);
		rsa_free(&r);
	}
	mbedtls_platform_zeroize(plain, sizeof(plain));
	return err;
}

/* ---- failed authentications per source ------------------------------ */

void np_auth_src(const char *host, struct np_auth_src *s)
{
	static const uint8_t mapped[12] = { [10] = 0xff, [11] = 0xff };
	uint8_t a[16];

	memset(s, 0, sizeof(*s));
	if (host && inet_pton(AF_INET, host, a) == 1) {
		s->family = AF_INET;
		memcpy(s->a, a, 4);
	} else if (host && inet_pton(AF_INET6, host, a) == 1) {
		bool v4 = !memcmp(a, mapped, sizeof(mapped));
		s->family = v4 ? AF_INET : AF_INET6;
		memcpy(s->a, v4 ? a + 12 : a, v4 ? 4 : 8);
	}
}

static struct np_auth_lim_ent *lim_find(const struct np_auth_lim *l,
					const struct np_auth_src *s)
{
	for (int i = 0; i < NP_AUTH_LIM_SLOTS; i++)
		if (l->e[i].used && !memcmp(&l->e[i].src, s, sizeof(*s)))
			return (struct np_auth_lim_ent *)&l->e[i];
	return NULL;
}

int64_t np_auth_lim_wait(const struct np_auth_lim *l,
			 const struct np_auth_src *s, int64_t now_ms)
{
	const struct np_auth_lim_ent *e = lim_find(l, s);

	return e && e->until_ms > now_ms ? e->until_ms - now_ms : 0;
}

/* The back-off after @n_fail failures in a row (at least the free ones). */
static int64_t lim_backoff(unsigned n_fail)
{
	int64_t w = NP_AUTH_LIM_WAIT_MS;

	for (unsigned i = NP_AUTH_LIM_FREE; i < n_fail; i++)
		if ((w *= 2) >= NP_AUTH_LIM_WAIT_MAX_MS)
			return NP_AUTH_LIM_WAIT_MAX_MS;
	return w;
}

/* A free entry, else the one whose last failure is oldest. */
static struct np_auth_lim_ent *lim_take(struct np_auth_lim *l)
{
	struct np_auth_lim_ent *old = &l->e[0];

	for (int i = 0; i < NP_AUTH_LIM_SLOTS; i++) {
		if (!l->e[i].used)
			return &l->e[i];
		if (l->e[i].last_ms < old->last_ms)
			old = &l->e[i];
	}
	return old;
}

void np_auth_lim_fail(struct np_auth_lim *l, const struct np_auth_src *s,
		      int64_t now_ms)
{
	struct np_auth_lim_ent *e = lim_find(l, s);

	if (!e) {
		e = lim_take(l);
		memset(e, 0, sizeof(*e));
		e->used = true;
		e->src = *s;
	} else if (now_ms - e->last_ms > NP_AUTH_LIM_FORGET_MS) {
		e->n_fail = 0;
	}
	if (e->n_fail < NP_AUTH_LIM_FREE + 32)
		e->n_fail++;
	e->last_ms = now_ms;
	if (e->n_fail >= NP_AUTH_LIM_FREE)
		e->until_ms = now_ms + lim_backoff(e->n_fail);
}

void np_auth_lim_ok(struct np_auth_lim *l, const struct np_auth_src *s)
{
	struct np_auth_lim_ent *e = lim_find(l, s);

	if (e)
		memset(e, 0, sizeof(*e));
}

/* ---- the server's key and users file, as loaded ---------------------- */

/* What stat() says of a file: a change of any is a new version. */
struct file_id {
	uint64_t dev, ino, size;
	int64_t mtime_s, mtime_ns;
};

/* A file in use: the version loaded, and the last one that failed (not
 * tried again, so that its warning is logged once). */
struct cached {
	struct file_id id, bad;
	bool have, have_bad;
};

/*
 * np_auth_check() runs on the thread of each test's control connection
 * (accept.c starts one per connection, several tests at once), so mu
 * serialises it all: the files as loaded, the limiter, and the key's RSA
 * blinding values and the CTR-DRBG, which mbedtls changes on each
 * decryption and locks only when built with MBEDTLS_THREADING_C (the
 * musl sysroot's is not).  A decryption takes milliseconds.
 */
static struct {
	pthread_mutex_t mu;
	bool seeded;
	mbedtls_entropy_context ent;
	mbedtls_ctr_drbg_context drbg;
	unsigned char secret[32]; /* implicit rejection's HMAC key */
	mbedtls_pk_context pk;
	struct cached key_f, users_f;
	char *users;
	size_t users_len;
	struct np_auth_lim lim;
} srv = { .mu = PTHREAD_MUTEX_INITIALIZER };

static void file_id_of(const struct stat *st, struct file_id *id)
{
	memset(id, 0, sizeof(*id));
	id->dev = st->st_dev;
	id->ino = st->st_ino;
	id->size = (uint64_t)st->st_size;
	id->mtime_s = st->st_mtim.tv_sec;
	id->mtime_ns = st->st_mtim.tv_nsec;
}

/* Whether @path must be loaded: its stat() (all zeros when it fails,
 * into *@seen) is neither the version in use nor the one that failed. */
static bool stale(const struct cached *f, const char *path,
		  struct file_id *seen)
{
	struct stat st;

	memset(seen, 0, sizeof(*seen));
	if (stat(path, &st) == 0)
		file_id_of(&st, seen);
	if (f->have && !memcmp(seen, &f->id, sizeof(*seen)))
		return false;
	return !f->have_bad || memcmp(seen, &f->bad, sizeof(*seen));
}

static void loaded(struct cached *f, int err, const struct file_id *seen,
		   const struct file_id *got)
{
	if (err) {
		f->bad = *seen;
		f->have_bad = true;
		return;
	}
	f->id = *got;
	f->have = true;
	f->have_bad = false;
}

/*
 * Reads at most @max bytes of @path into a malloc'ed buffer (caller
 * frees) with a NUL after them; their count in *@len and the identity
 * of the file read in *@id.  Returns 0 or -errno.
 */
static int read_file(const char *path, size_t max, char **buf, size_t *len,
		     struct file_id *id)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC), err = 0;
	size_t cap = max, n = 0;
	struct stat st;
	ssize_t r;

	if (fd < 0)
		return -errno;
	if (fstat(fd, &st) < 0)
		err = -errno;
	else if (S_ISDIR(st.st_mode))
		err = -EISDIR;
	if (err)
		goto out;
	file_id_of(&st, id);
	/* a file grown since fstat() is read again: its size changed */
	if (S_ISREG(st.st_mode) && (uint64_t)st.st_size < max)
		cap = (size_t)st.st_size;
	*buf = malloc(cap + 1);
	if (!*buf) {
		err = -ENOMEM;
		goto out;
	}
	while (n < cap && (r = read(fd, *buf + n, cap - n)) != 0) {
		if (r < 0 && errno != EINTR) {
			err = -errno;
			mbedtls_platform_zeroize(*buf, n);
			free(*buf);
			goto out;
		}
		n += r > 0 ? (size_t)r : 0;
	}
	(*buf)[n] = 0;
	*len = n;
out:
	close(fd);
	return err;
}

/* Parses the private key in @buf (@len bytes and a NUL) into @pk. */
static int parse_key(mbedtls_pk_context *pk, const char *buf, size_t len)
{
	int err;

	/* as mbedtls_pk_parse_keyfile(): PEM's length counts the NUL */
	if (strstr(buf, "-----BEGIN "))
		len++;
	err = mbedtls_pk_parse_key(pk, (const unsigned char *)buf, len, NULL,
				   0);
	if (!err && mbedtls_pk_get_type(pk) != MBEDTLS_PK_RSA)
		err = MBEDTLS_ERR_PK_TYPE_MISMATCH;
	return err;
}

/* Loads the private key at @path in place of srv.pk.  Returns 0 or -errno,
 * logged ("keeping" the old one when there is one). */
static int key_load(const char *path, const struct file_id *seen)
{
	const char *keep =
		srv.key_f.have ? "; keeping the key loaded before" : "";
	struct file_id got;
	mbedtls_pk_context pk;
	size_t len = 0;
	char *buf = NULL;
	int err = read_file(path, NP_AUTH_KEY_MAX, &buf, &len, &got), code;

	if (err) {
		log_warn("%s: %s%s", path, strerror(-err), keep);
		loaded(&srv.key_f, err, seen, NULL);
		return err;
	}
	mbedtls_pk_init(&pk);
	code = parse_key(&pk, buf, len);
	mbedtls_platform_zeroize(buf, len);
	free(buf);
	if (code) {
		log_warn("%s: not a usable RSA private key (-0x%04x)%s", path,
			 (unsigned)-code, keep);
		mbedtls_pk_free(&pk);
		loaded(&srv.key_f, -EINVAL, seen, NULL);
		return -EINVAL;
	}
	mbedtls_pk_free(&srv.pk);
	srv.pk = pk;
	loaded(&srv.key_f, 0, seen, &got);
	return 0;
}

/* Loads the users file at @path (its first NP_AUTH_USERS_MAX bytes) in
 * place of srv.users.  Returns 0 or -errno, logged. */
static int users_load(const char *path, const struct file_id *seen)
{
	struct file_id got;
	size_t len = 0;
	char *buf = NULL;
	int err = read_file(path, NP_AUTH_USERS_MAX, &buf, &len, &got);

	if (err) {
		log_warn("%s: %s%s", path, strerror(-err),
			 srv.users_f.have ? "; keeping the users loaded before"
					  : "");
		loaded(&srv.users_f, err, seen, NULL);
		return err;
	}
	free(srv.users);
	srv.users = buf;
	srv.users_len = len;
	loaded(&srv.users_f, 0, seen, &got);
	return 0;
}

/* Loads what changed since the last call.  Returns 0 or the first error
 * (the old copy of that file stays in use).  Called with srv.mu held. */
static int refresh(const struct np_opts *o)
{
	struct file_id seen;
	int err = 0, e;

	if (o->rsa_priv && stale(&srv.key_f, o->rsa_priv, &seen))
		err = key_load(o->rsa_priv, &seen);
	if (o->authorized_users &&
	    stale(&srv.users_f, o->authorized_users, &seen)) {
		e = users_load(o->authorized_users, &seen);
		err = err ? err : e;
	}
	return err;
}

/* Seeds the DRBG and draws the implicit rejection key, once. */
static int seed(void)
{
	static const char pers[] = "netperf-auth-server";

	if (srv.seeded)
		return 0;
	mbedtls_pk_init(&srv.pk);
	mbedtls_entropy_init(&srv.ent);
	mbedtls_ctr_drbg_init(&srv.drbg);
	if (mbedtls_ctr_drbg_seed(&srv.drbg, mbedtls_entropy_func, &srv.ent,
				  (const unsigned char *)pers,
				  sizeof(pers) - 1) ||
	    mbedtls_ctr_drbg_random(&srv.drbg, srv.secret,
				    sizeof(srv.secret))) {
		log_warn("authentication: cannot seed the random generator");
		mbedtls_ctr_drbg_free(&srv.drbg);
		mbedtls_entropy_free(&srv.ent);
		return -EIO;
	}
	srv.seeded = true;
	return 0;
}

/* ---- checking a token ------------------------------------------------ */

/* Refused as a wrong password is: the log tells no more than the client
 * learns (a token for another key or padding ends here too). */
static const char refused[] = "unknown user or wrong password";

/*
 * Implicit rejection (the Bleichenbacher and Marvin attacks' remedy, as
 * OpenSSL 3.2 does for PKCS#1 v1.5): the plaintext of a ciphertext that
 * does not decrypt is one of its own, HMAC-SHA256(secret, @ct) written as
 * a token of a user with a password no users file holds, of lengths that
 * vary as real ones do, stamped now.  Writes it into @buf; returns its
 * length, or 0.
 */
static size_t synth_plain(const unsigned char *ct, size_t ct_len, char *buf,
			  size_t len)
{
	static const char hex[] = "0123456789abcdef";
	struct np_auth_cred c = { .ts = wall_s() };
	unsigned char md[32];
	int n;

	if (mbedtls_md_hmac(mbedtls_md_info_from_type(MBEDTLS_MD_SHA256),
			    srv.secret, sizeof(srv.secret), ct, ct_len, md))
		return 0;
	for (int i = 0; i < 8; i++) {
		c.user[2 * i] = hex[md[i] >> 4];
		c.user[2 * i + 1] = hex[md[i] & 15];
	}
	for (int i = 0; i < 16; i++) {
		c.pwd[2 * i] = hex[md[8 + i] >> 4];
		c.pwd[2 * i + 1] = hex[md[8 + i] & 15];
	}
	c.user[4 + md[30] % 13] = 0; /* 4 to 16 characters */
	c.pwd[6 + md[31] % 27] = 0;  /* 6 to 32 */
	n = np_auth_plain_build(&c, buf, len);
	mbedtls_platform_zeroize(&c, sizeof(c));
	mbedtls_platform_zeroize(md, sizeof(md));
	return n > 0 ? (size_t)n : 0;
}

/* All ones when @err is 0, else zero; without a branch. */
static size_t ok_mask(int err)
{
	size_t u = (size_t)(unsigned)err;

	return ((u | (0 - u)) >> (sizeof(u) * 8 - 1)) - 1;
}

/*
 * Decrypts the token's ciphertext @ct into @c; one that does not decrypt
 * yields synth_plain()'s, taken in its place without a branch, and the
 * same parse, time check and lookup follow.  Returns 0 or -EINVAL (a
 * plaintext that does not parse).  Called with srv.mu held.
 */
static int decrypt(const struct np_opts *o, const unsigned char *ct,
		   size_t ct_len, struct np_auth_cred *c)
{
	unsigned char plain[NP_AUTH_PLAIN_MAX] = { 0 };
	char fake[NP_AUTH_PLAIN_MAX] = { 0 };
	size_t n = 0, fake_n = synth_plain(ct, ct_len, fake, sizeof(fake)), m;
	unsigned char mc;
	int err;

	set_padding(&srv.pk, o);
	err = mbedtls_pk_decrypt(&srv.pk, ct, ct_len, plain, &n, sizeof(plain),
				 mbedtls_ctr_drbg_random, &srv.drbg);
	m = ok_mask(err);
	mc = (unsigned char)m;
	for (size_t i = 0; i < sizeof(plain); i++)
		plain[i] = (unsigned char)((plain[i] & mc) |
					   ((unsigned char)fake[i] & ~mc));
	n = (n & m) | (fake_n & ~m);
	err = np_auth_plain_parse((const char *)plain, n, c);
	mbedtls_platform_zeroize(plain, sizeof(plain));
	mbedtls_platform_zeroize(fake, sizeof(fake));
	return err;
}

static bool user_known(const struct np_auth_cred *c)
{
	char hex[NP_AUTH_HASH_LEN + 1];

	np_auth_hash(c->user, c->pwd, hex);
	return srv.users &&
	       np_auth_users_match(srv.users, srv.users_len, c->user, hex);
}

/* The check itself; returns NULL or the reason.  Called with srv.mu held. */
static const char *check(const struct np_opts *o, const char *token)
{
	unsigned char ct[MBEDTLS_MPI_MAX_SIZE];
	struct np_auth_cred c;
	const char *why = NULL;
	size_t ct_len;

	if (!np_auth_b64_valid(token, NP_TOKEN_MAX - 1) ||
	    mbedtls_base64_decode(ct, sizeof(ct), &ct_len,
				  (const unsigned char *)token, strlen(token)))
		return "bad base64";
	if (seed() < 0 || !srv.key_f.have)
		return "no private key";
	if (decrypt(o, ct, ct_len, &c) < 0)
		why = refused;
	else if (!np_auth_ts_ok(c.ts, wall_s(), o->skew))
		why = "time skew";
	else if (!user_known(&c))
		why = refused;
	mbedtls_platform_zeroize(&c, sizeof(c));
	return why;
}

int np_auth_check(const struct np_opts *o, const char *peer, const char *token,
		  const char **why)
{
	struct np_auth_src src;

	np_auth_src(peer, &src);
	pthread_mutex_lock(&srv.mu);
	if (np_auth_lim_wait(&srv.lim, &src, mono_ms()) > 0) {
		/* no decryption, and not counted: the back-off runs on */
		*why = "too many failures from this address; waiting";
	} else {
		if (seed() == 0)
			refresh(o);
		*why = check(o, token);
		if (*why)
			np_auth_lim_fail(&srv.lim, &src, mono_ms());
		else
			np_auth_lim_ok(&srv.lim, &src);
	}
	pthread_mutex_unlock(&srv.mu);
	return *why ? -EACCES : 0;
}

int np_auth_server_ready(const struct np_opts *o)
{
	int err;

	pthread_mutex_lock(&srv.mu);
	err = seed();
	if (!err)
		err = refresh(o);
	pthread_mutex_unlock(&srv.mu);
	return err;
}

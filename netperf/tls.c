// SPDX-License-Identifier: MIT
/*
 * --tls with mbedtls: one session per TCP data stream, on the stream's
 * blocking socket and its 100 ms timeouts (stream.c), so a timeout comes
 * back as WANT_READ/WANT_WRITE and the stream loops keep noticing the end
 * of the test.  Each session has its own random generator and its own
 * copy of the server's key: no mbedtls object is shared between threads,
 * only the DER bytes of the key and certificate, written once.
 */
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>

#include <mbedtls/version.h>
#include <mbedtls/ctr_drbg.h>
#include <mbedtls/ecp.h>
#include <mbedtls/entropy.h>
#include <mbedtls/error.h>
#include <mbedtls/net_sockets.h>
#include <mbedtls/pk.h>
#include <mbedtls/platform_util.h>
#include <mbedtls/ssl.h>
#include <mbedtls/x509_crt.h>
#if defined(MBEDTLS_SSL_PROTO_TLS1_3) || defined(MBEDTLS_USE_PSA_CRYPTO)
#include <psa/crypto.h>
#endif

#include "embnet/log.h"
#include "embnet/mono.h"
#include "tls.h"

#define TLS_TIMEOUT_MS 10000

struct np_tls {
	mbedtls_ssl_context ssl;
	mbedtls_ssl_config conf;
	mbedtls_entropy_context ent;
	mbedtls_ctr_drbg_context drbg;
	mbedtls_x509_crt crt; /* server: its certificate */
	mbedtls_pk_context pk;
	int suites[2];
	int fd;
	int sys_err; /* errno of a failed send() or recv() */
	const atomic_bool *stop;
	bool draining; /* the test is over: read only what was queued */
	size_t left;
};

/* The server's credentials, made at its first --tls test; only read
 * once tls_ready() has returned. */
static pthread_mutex_t cred_mu = PTHREAD_MUTEX_INITIALIZER;
static unsigned char cred_key[256], cred_crt[1024];
static size_t cred_key_len, cred_crt_len;

int np_tls_suite_id(const char *name)
{
	int id = mbedtls_ssl_get_ciphersuite_id(name);

	return id > 0 ? id : -EINVAL;
}

/* Seeds @d from @ent; both initialised by the caller. */
static int rng_seed(mbedtls_entropy_context *ent, mbedtls_ctr_drbg_context *d)
{
	static const unsigned char pers[] = "netperf-tls";

	return mbedtls_ctr_drbg_seed(d, mbedtls_entropy_func, ent, pers,
				     sizeof(pers) - 1);
}

/* A self-signed certificate for @pk into cred_crt. */
static int write_crt(mbedtls_pk_context *pk, mbedtls_ctr_drbg_context *d)
{
	unsigned char buf[sizeof(cred_crt)];
	mbedtls_x509write_cert w;
	mbedtls_mpi serial;
	int n;

	mbedtls_x509write_crt_init(&w);
	mbedtls_mpi_init(&serial);
	mbedtls_x509write_crt_set_version(&w, MBEDTLS_X509_CRT_VERSION_3);
	mbedtls_x509write_crt_set_md_alg(&w, MBEDTLS_MD_SHA256);
	mbedtls_x509write_crt_set_subject_key(&w, pk);
	mbedtls_x509write_crt_set_issuer_key(&w, pk);
	n = mbedtls_mpi_lset(&serial, 1);
	if (!n)
		n = mbedtls_x509write_crt_set_serial(&w, &serial);
	if (!n)
		n = mbedtls_x509write_crt_set_subject_name(&w, "CN=netperf");
	if (!n)
		n = mbedtls_x509write_crt_set_issuer_name(&w, "CN=netperf");
	if (!n)
		n = mbedtls_x509write_crt_set_validity(&w, "20240101000000",
						       "20491231235959");
	if (!n)
		n = mbedtls_x509write_crt_der(&w, buf, sizeof(buf),
					      mbedtls_ctr_drbg_random, d);
	if (n > 0) {
		/* written at the end of the buffer */
		memcpy(cred_crt, buf + sizeof(buf) - (size_t)n, (size_t)n);
		cred_crt_len = (size_t)n;
	}
	mbedtls_mpi_free(&serial);
	mbedtls_x509write_crt_free(&w);
	return n > 0 ? 0 : n;
}

/* An ephemeral ECDSA P-256 key and its certificate into cred_*. */
static int make_creds(void)
{
	unsigned char buf[sizeof(cred_key)];
	mbedtls_entropy_context ent;
	mbedtls_ctr_drbg_context d;
	mbedtls_pk_context pk;
	int n;

	mbedtls_pk_init(&pk);
	mbedtls_entropy_init(&ent);
	mbedtls_ctr_drbg_init(&d);
	n = rng_seed(&ent, &d);
	if (!n)
		n = mbedtls_pk_setup(
			&pk, mbedtls_pk_info_from_type(MBEDTLS_PK_ECKEY));
	if (!n)
		n = mbedtls_ecp_gen_key(MBEDTLS_ECP_DP_SECP256R1,
					mbedtls_pk_ec(pk),
					mbedtls_ctr_drbg_random, &d);
	if (!n)
		n = mbedtls_pk_write_key_der(&pk, buf, sizeof(buf));
	if (n > 0) {
		/* written at the end of the buffer */
		memcpy(cred_key, buf + sizeof(buf) - (size_t)n, (size_t)n);
		cred_key_len = (size_t)n;
		n = write_crt(&pk, &d);
	}
	mbedtls_platform_zeroize(buf, sizeof(buf));
	mbedtls_pk_free(&pk);
	mbedtls_ctr_drbg_free(&d);
	mbedtls_entropy_free(&ent);
	return n;
}

/* Readies the library and, for a @server, makes its credentials, once.
 * Returns 0 or an mbedtls error. */
static int tls_ready(bool server)
{
	int err = 0;

	pthread_mutex_lock(&cred_mu);
#if defined(MBEDTLS_SSL_PROTO_TLS1_3) || defined(MBEDTLS_USE_PSA_CRYPTO)
	/* mbedtls 3: TLS 1.3 runs on PSA crypto (idempotent) */
	if (psa_crypto_init() != PSA_SUCCESS)
		err = MBEDTLS_ERR_SSL_INTERNAL_ERROR;
#endif
	if (!err && server && !cred_crt_len)
		err = make_creds();
	pthread_mutex_unlock(&cred_mu);
	return err;
}

/* Server side: a private copy of the key and certificate for @tls. */
static int own_creds(struct np_tls *tls)
{
	int err = mbedtls_x509_crt_parse_der(&tls->crt, cred_crt, cred_crt_len);

#if MBEDTLS_VERSION_MAJOR >= 3
	if (!err)
		err = mbedtls_pk_parse_key(&tls->pk, cred_key, cred_key_len,
					   NULL, 0, mbedtls_ctr_drbg_random,
					   &tls->drbg);
#else
	if (!err)
		err = mbedtls_pk_parse_key(&tls->pk, cred_key, cred_key_len,
					   NULL, 0);
#endif
	if (!err)
		err = mbedtls_ssl_conf_own_cert(&tls->conf, &tls->crt,
						&tls->pk);
	return err;
}

static bool soft(int e)
{
	return e == EAGAIN || e == EWOULDBLOCK || e == EINTR || e == ENOBUFS;
}

static int bio_send(void *ctx, const unsigned char *buf, size_t len)
{
	struct np_tls *tls = ctx;
	ssize_t n = send(tls->fd, buf, len, MSG_NOSIGNAL);

	if (n >= 0)
		return (int)n;
	if (soft(errno))
		return MBEDTLS_ERR_SSL_WANT_WRITE;
	tls->sys_err = errno;
	return MBEDTLS_ERR_NET_SEND_FAILED;
}

/*
 * At the end of the test the peer keeps sending until TEST_END reaches
 * it, and a reader slower than the sender (decryption) would never see
 * its socket empty, nor return: from the end on, read only what the
 * socket held then, as a plain reader does after shutdown(SHUT_RD).
 */
static ssize_t recv_some(struct np_tls *tls, void *buf, size_t len)
{
	ssize_t n;
	int q = 0;

	if (!tls->draining &&
	    atomic_load_explicit(tls->stop, memory_order_relaxed)) {
		tls->draining = true;
		tls->left = ioctl(tls->fd, FIONREAD, &q) == 0 && q > 0
				    ? (size_t)q
				    : 0;
	}
	if (tls->draining && tls->left < len)
		len = tls->left;
	if (!len)
		return 0;
	n = recv(tls->fd, buf, len, 0);
	if (n > 0 && tls->draining)
		tls->left -= (size_t)n;
	return n;
}

static int bio_recv(void *ctx, unsigned char *buf, size_t len)
{
	struct np_tls *tls = ctx;
	ssize_t n = recv_some(tls, buf, len);

	if (n >= 0)
		return (int)n; /* 0: EOF, MBEDTLS_ERR_SSL_CONN_EOF */
	if (soft(errno))
		return MBEDTLS_ERR_SSL_WANT_READ;
	tls->sys_err = errno;
	return MBEDTLS_ERR_NET_RECV_FAILED;
}

static void tls_init(struct np_tls *tls, const struct np_stream *s)
{
	mbedtls_ssl_init(&tls->ssl);
	mbedtls_ssl_config_init(&tls->conf);
	mbedtls_x509_crt_init(&tls->crt);
	mbedtls_pk_init(&tls->pk);
	mbedtls_entropy_init(&tls->ent);
	mbedtls_ctr_drbg_init(&tls->drbg);
	tls->fd = s->fd;
	tls->stop = &s->t->stop;
}

/* Configures @tls as the client or the server of @s's session. */
static int tls_setup(struct np_tls *tls, const struct np_stream *s, bool server)
{
	const char *suite = s->t->o->tls_cipher;
	int err = rng_seed(&tls->ent, &tls->drbg);

	if (!err)
		err = mbedtls_ssl_config_defaults(
			&tls->conf,
			server ? MBEDTLS_SSL_IS_SERVER : MBEDTLS_SSL_IS_CLIENT,
			MBEDTLS_SSL_TRANSPORT_STREAM,
			MBEDTLS_SSL_PRESET_DEFAULT);
	if (err)
		return err;
#if MBEDTLS_VERSION_NUMBER >= 0x03020000
	mbedtls_ssl_conf_min_tls_version(&tls->conf,
					 MBEDTLS_SSL_VERSION_TLS1_2);
#else
	mbedtls_ssl_conf_min_version(&tls->conf, MBEDTLS_SSL_MAJOR_VERSION_3,
				     MBEDTLS_SSL_MINOR_VERSION_3);
#endif
	mbedtls_ssl_conf_rng(&tls->conf, mbedtls_ctr_drbg_random, &tls->drbg);
	/* a measurement of encryption, not security: no verification */
	mbedtls_ssl_conf_authmode(&tls->conf, MBEDTLS_SSL_VERIFY_NONE);
	if (!server && suite) {
		tls->suites[0] = np_tls_suite_id(suite);
		mbedtls_ssl_conf_ciphersuites(&tls->conf, tls->suites);
	}
	if (server)
		err = own_creds(tls);
	if (!err)
		err = mbedtls_ssl_setup(&tls->ssl, &tls->conf);
	if (!err)
		mbedtls_ssl_set_bio(&tls->ssl, tls, bio_send, bio_recv, NULL);
	return err;
}

/*
 * mbedtls sends each handshake record with its own send(): with Nagle's
 * algorithm the last ones wait for a delayed ACK, 40 ms each, so the
 * handshake runs with TCP_NODELAY, then the socket gets -N's setting back.
 */
static int handshake(struct np_tls *tls, int timeout_ms, bool nodelay)
{
	int64_t end = mono_ms() + timeout_ms;
	int one = 1, back = nodelay, r;

	setsockopt(tls->fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	while ((r = mbedtls_ssl_handshake(&tls->ssl)) != 0) {
		if (r != MBEDTLS_ERR_SSL_WANT_READ &&
		    r != MBEDTLS_ERR_SSL_WANT_WRITE)
			return r;
		if (mono_ms() >= end)
			return MBEDTLS_ERR_SSL_TIMEOUT;
	}
	setsockopt(tls->fd, IPPROTO_TCP, TCP_NODELAY, &back, sizeof(back));
	return 0;
}

/* Errors of a peer that does not speak TLS at all. */
static bool not_tls(int r)
{
#ifdef MBEDTLS_ERR_SSL_BAD_HS_SERVER_HELLO
	if (r == MBEDTLS_ERR_SSL_BAD_HS_SERVER_HELLO)
		return true;
#endif
	return r == MBEDTLS_ERR_SSL_INVALID_RECORD ||
	       r == MBEDTLS_ERR_SSL_UNEXPECTED_MESSAGE;
}

/* One line on why mbedtls error @r happened, into @why.  A client that
 * gets no TLS back is most likely talking to iperf3, which takes the
 * ClientHello for test data (-R: sends test data back). */
static void explain(const struct np_tls *tls, int r, bool server,
		    int timeout_ms, char *why, size_t len)
{
	const char *hint = server ? "" : " (is the server a netperf?)";
	char e[128];

	if (r == MBEDTLS_ERR_SSL_TIMEOUT)
		snprintf(why, len, "no answer within %g s%s", timeout_ms / 1e3,
			 hint);
	else if (r == MBEDTLS_ERR_SSL_CONN_EOF)
		snprintf(why, len, "the peer closed the connection");
	else if (tls && tls->sys_err)
		snprintf(why, len, "%s", strerror(tls->sys_err));
	else {
		mbedtls_strerror(r, e, sizeof(e));
		snprintf(why, len, "%s%s", e, not_tls(r) ? hint : "");
	}
}

static int stream_handshake(struct np_stream *s, bool server, char *why,
			    size_t len)
{
	const struct np_opts *o = s->t->o;
	int ms = o->connect_timeout_ms > 0 ? o->connect_timeout_ms
					   : TLS_TIMEOUT_MS;
	struct np_tls *tls = calloc(1, sizeof(*tls));
	int r;

	if (!tls) {
		snprintf(why, len, "%s", strerror(ENOMEM));
		return -ENOMEM;
	}
	tls_init(tls, s);
	s->tls = tls; /* np_test_free() frees it */
	r = tls_setup(tls, s, server);
	if (!r)
		r = handshake(tls, ms, s->t->p.nodelay);
	if (!r)
		return 0;
	explain(tls, r, server, ms, why, len);
	if (r == MBEDTLS_ERR_SSL_ALLOC_FAILED)
		return -ENOMEM;
	return r == MBEDTLS_ERR_SSL_TIMEOUT ? -ETIMEDOUT : -EPROTO;
}

int np_tls_streams(struct np_test *t)
{
	char why[256];
	int err;

	if (!t->p.tls || t->p.proto != NP_TCP)
		return 0;
	err = tls_ready(t->server);
	if (err) {
		explain(NULL, err, true, 0, why, sizeof(why));
		err = -EPROTO;
	}
	for (int i = 0; !err && i < t->n_streams; i++)
		err = stream_handshake(&t->st[i], t->server, why, sizeof(why));
	if (!err)
		return 0;
	if (t->server)
		log_warn("%s port %d: TLS handshake: %s", t->peer_host,
			 t->peer_port, why);
	else
		np_report_error(t, "TLS handshake: %s", why);
	return err;
}

ssize_t np_tls_send(struct np_stream *s, const void *buf, size_t len)
{
	struct np_tls *tls = s->tls;
	const unsigned char *p = buf;
	size_t done = 0;

	/* mbedtls writes one record (16 KiB) per call: loop for the block.
	 * After WANT_WRITE, the same data must be offered again. */
	while (done < len) {
		int r = mbedtls_ssl_write(&tls->ssl, p + done, len - done);

		if (r >= 0) {
			done += (size_t)r;
			continue;
		}
		if (r != MBEDTLS_ERR_SSL_WANT_WRITE &&
		    r != MBEDTLS_ERR_SSL_WANT_READ) {
			errno = tls->sys_err ? tls->sys_err : EPROTO;
			return done ? (ssize_t)done : -1;
		}
		if (atomic_load_explicit(tls->stop, memory_order_relaxed))
			break;
	}
	if (!done)
		errno = EAGAIN;
	return done ? (ssize_t)done : -1;
}

ssize_t np_tls_recv(struct np_stream *s, void *buf, size_t len)
{
	int r = mbedtls_ssl_read(&s->tls->ssl, buf, len);

	if (r >= 0)
		return r;
	switch (r) {
	case MBEDTLS_ERR_SSL_WANT_READ:
	case MBEDTLS_ERR_SSL_WANT_WRITE:
	case MBEDTLS_ERR_SSL_TIMEOUT:
#ifdef MBEDTLS_ERR_SSL_RECEIVED_NEW_SESSION_TICKET
	case MBEDTLS_ERR_SSL_RECEIVED_NEW_SESSION_TICKET: /* TLS 1.3 */
#endif
		errno = EAGAIN;
		return -1;
	case MBEDTLS_ERR_SSL_CONN_EOF:
	case MBEDTLS_ERR_SSL_PEER_CLOSE_NOTIFY:
		return 0;
	}
	errno = s->tls->sys_err ? s->tls->sys_err : EPROTO;
	return -1;
}

const char *np_tls_version(const struct np_tls *tls)
{
	return mbedtls_ssl_get_version(&tls->ssl);
}

const char *np_tls_suite(const struct np_tls *tls)
{
	return mbedtls_ssl_get_ciphersuite(&tls->ssl);
}

void np_tls_free(struct np_tls *tls)
{
	if (!tls)
		return;
	mbedtls_ssl_free(&tls->ssl);
	mbedtls_ssl_config_free(&tls->conf);
	mbedtls_x509_crt_free(&tls->crt);
	mbedtls_pk_free(&tls->pk);
	mbedtls_ctr_drbg_free(&tls->drbg);
	mbedtls_entropy_free(&tls->ent);
	free(tls);
}

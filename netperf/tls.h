/* SPDX-License-Identifier: MIT */
/*
 * --tls: every TCP data stream of a test between two netperfs runs
 * through its own TLS session (mbedtls: TLS 1.2; TLS 1.3 where the
 * library was built with MBEDTLS_SSL_PROTO_TLS1_3).  The server makes an
 * ephemeral ECDSA P-256 key and self-signed certificate once per process;
 * the client does not verify it.  This measures what encryption costs, it
 * secures nothing.  The control channel stays plain iperf3.
 */
#ifndef NETPERF_TLS_H
#define NETPERF_TLS_H

#include <stddef.h>
#include <sys/types.h>

#include "test.h"

/* Memory one TLS stream adds (a record in and out, the contexts). */
#define NP_TLS_STREAM_MEM (48u << 10)

/* The id of mbedtls ciphersuite @name, or -EINVAL when it has none. */
int np_tls_suite_id(const char *name);

/*
 * With --tls, handshakes every TCP stream of @t in stream order, as the
 * TLS server when t->server, each within the connect timeout (10 s by
 * default).  On failure prints one line ("TLS handshake: why") and
 * returns -ETIMEDOUT, -ENOMEM or -EPROTO.  Returns 0 without --tls.
 */
int np_tls_streams(struct np_test *t);

/*
 * Sends all @len plaintext bytes on @s's session, waiting past timeouts
 * until the test stops.  Returns the bytes sent; or -1 with errno EAGAIN
 * (stopped before a record went out) or EPIPE/EPROTO (session failed).
 */
ssize_t np_tls_send(struct np_stream *s, const void *buf, size_t len);

/*
 * Reads up to @len plaintext bytes (one record at most) from @s's
 * session.  Returns the bytes read, 0 at the end of the stream, or -1
 * with errno EAGAIN (nothing within the socket timeout) or EPROTO.
 */
ssize_t np_tls_recv(struct np_stream *s, void *buf, size_t len);

/* The negotiated version ("TLSv1.2") and ciphersuite of @tls. */
const char *np_tls_version(const struct np_tls *tls);
const char *np_tls_suite(const struct np_tls *tls);

/* Frees a session (NULL is fine); the socket stays open. */
void np_tls_free(struct np_tls *tls);

#endif

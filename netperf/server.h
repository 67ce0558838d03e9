/* SPDX-License-Identifier: MIT */
/* Server internals shared by server.c (tests) and accept.c (connections). */
#ifndef NETPERF_SERVER_H
#define NETPERF_SERVER_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/socket.h>

#include "test.h"

#define NP_SRV_MAX_TESTS 8     /* tests at once (iperf3: 1) */
#define NP_SRV_MAX_PENDING 64  /* connections still sending a cookie */
#define NP_SRV_MAX_STREAMS 512 /* data streams at once */
/* Memory of the tests at once: stream buffers, -Z memfds, TLS sessions,
 * UDP socket buffers set past the system's defaults, kept output. */
#define NP_SRV_MAX_MEM (256u << 20)
/*
 * Per source host (address, any port): one host cannot take every slot.
 * Connections still sending a cookie: a client sends its cookie right
 * after connecting, and even -P 128 opens its streams one at a time, so
 * 16 leaves room; tests at once: half the default --max-tests.
 */
#define NP_SRV_HOST_PENDING 16
#define NP_SRV_HOST_TESTS 4
/* A new connection's cookie: a client writes it right after connecting;
 * 3 s allows a retransmission or two on a slow path (iperf3 3.15 waits
 * 10 s for any read), while stalled connections free their slot soon. */
#define NP_SRV_COOKIE_MS 3000

/* iperf3's i_errno values the server reports. */
#define NP_IE_NEWTEST 100
#define NP_IE_RECVPARAMS 114
#define NP_IE_AUTH 142
#define NP_IE_TOTALRATE 27

/* A peer's address without its port; IPv4-mapped IPv6 as IPv4, so that
 * equal hosts compare equal with memcmp(). */
struct srv_host {
	int family;
	uint8_t a[16];
};

struct srv_slot {
	struct np_test *t;
	struct srv_host peer; /* the control connection's */
	bool accepting;	      /* in CREATE_STREAMS */
	bool udp;	      /* ... of UDP: takes hellos from @peer */
	int n_got, n_want;
	uint64_t seq[NP_MAX_STREAMS];
};

struct srv {
	const struct np_opts *o;
	int lfd;
	int ufd; /* UDP hellos (srvstreams.c), or -1 */
	pthread_mutex_t mu;
	pthread_cond_t cv;
	struct srv_slot slots[NP_SRV_MAX_TESTS];
	struct srv_host pending[NP_SRV_MAX_PENDING]; /* family 0: free */
	int n_tests, n_pending, test_no, streams;
	size_t mem;
	uint64_t seq;
	bool done;
};

/* Runs the control side of one test on @t (accepted, cookie read) and
 * frees it. */
void np_srv_test(struct srv *sv, struct np_test *t);

/* Removes @t from the registry; a test that @counts ends a -1 server (a
 * failed authentication does not, as in iperf3). */
void np_srv_unregister(struct srv *sv, struct np_test *t, bool counts);

/* CREATE_STREAMS: gathers the TCP streams or runs the UDP handshakes. */
int np_srv_create_streams(struct srv *sv, struct np_test *t);

/* Fills @h with the host of @ss. */
void np_srv_host(const struct sockaddr_storage *ss, struct srv_host *h);

/* Reads the UDP hellos waiting on sv->ufd and hands each to the test in
 * UDP CREATE_STREAMS whose control connection has the same source host;
 * any other is dropped unanswered. */
void np_srv_udp_hellos(struct srv *sv);

/* Accepts connections until -1's test is over (or forever). */
int np_srv_accept_loop(struct srv *sv);

#endif

/* SPDX-License-Identifier: MIT */
/* Server internals shared by server.c (tests) and accept.c (connections). */
#ifndef NETPERF_SERVER_H
#define NETPERF_SERVER_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#include "test.h"

#define NP_SRV_MAX_TESTS 8	    /* tests at once (iperf3: 1) */
#define NP_SRV_MAX_PENDING 64	    /* connections still sending a cookie */
#define NP_SRV_MAX_STREAMS 512	    /* data streams at once */
#define NP_SRV_MAX_MEM (256u << 20) /* stream buffers at once */

/* iperf3's i_errno values the server reports. */
#define NP_IE_NEWTEST 100
#define NP_IE_RECVPARAMS 114
#define NP_IE_AUTH 142
#define NP_IE_TOTALRATE 27

struct srv_slot {
	struct np_test *t;
	bool accepting; /* in CREATE_STREAMS, TCP */
	int n_got, n_want;
	uint64_t seq[NP_MAX_STREAMS];
};

struct srv {
	const struct np_opts *o;
	int lfd;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	pthread_mutex_t udp_mu; /* one test at a time sets up UDP streams */
	struct srv_slot slots[NP_SRV_MAX_TESTS];
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

/* Accepts connections until -1's test is over (or forever). */
int np_srv_accept_loop(struct srv *sv);

#endif

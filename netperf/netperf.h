/* SPDX-License-Identifier: MIT */
/*
 * netperf: an iperf3 3.12 compatible throughput tester.  Shared types of
 * the tool's files: the negotiated parameters (proto.c), the per-side
 * results (proto.c), a test and its streams (test.c, stream.c).
 */
#ifndef NETPERF_H
#define NETPERF_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "embnet/ip.h"
#include "zc.h"

#define NP_COOKIE_LEN 37 /* 36 characters and a NUL, as iperf3 sends */
#define NP_MAX_PARALLEL 128
#define NP_MAX_STREAMS (2 * NP_MAX_PARALLEL)
#define NP_PARAMS_MAX 8192	  /* parameter JSON cap (iperf3 3.18) */
#define NP_RESULTS_MAX (4u << 20) /* results JSON (may carry output) */
#define NP_TCP_LEN_MAX (1u << 20)
#define NP_UDP_LEN_MAX 65507
#define NP_UDP_LEN_MIN 16
#define NP_TIME_MAX 86400
#define NP_OMIT_MAX 600
#define NP_WINDOW_MAX (512u << 20)
#define NP_MSS_MAX 9216
#define NP_BURST_MAX 1000
#define NP_NAME_MAX 64
#define NP_TEXT_MAX 256
#define NP_TOKEN_MAX 2048
/* A stream's byte, datagram, loss and retransmit counts from a peer stay
 * within 2^53: a JSON number holds that exactly, and NP_MAX_STREAMS of
 * them add up in an int64_t (the report's sums) whatever it sends. */
#define NP_COUNT_MAX (INT64_C(1) << 53)
#define NP_DEFAULT_PORT 5201
#define NP_UDP_RATE 1048576 /* -u default bit/s */
#define NP_TCP_LEN 131072
#define NP_UDP_LEN 1460
#define NP_VERSION "3.12"

/* Control states: one signed byte on the wire (iperf_api.h). */
enum np_state {
	NP_TEST_START = 1,
	NP_TEST_RUNNING = 2,
	NP_TEST_END = 4,
	NP_PARAM_EXCHANGE = 9,
	NP_CREATE_STREAMS = 10,
	NP_SERVER_TERMINATE = 11,
	NP_CLIENT_TERMINATE = 12,
	NP_EXCHANGE_RESULTS = 13,
	NP_DISPLAY_RESULTS = 14,
	NP_IPERF_DONE = 16,
	NP_ACCESS_DENIED = -1,
	NP_SERVER_ERROR = -2,
};

enum np_proto { NP_TCP = 1, NP_UDP = 2 };

/* The test parameters the client sends (send_parameters in iperf3). */
struct np_params {
	int proto;
	int omit;
	int duration;
	uint64_t bytes;
	uint64_t blocks;
	int parallel;
	uint32_t len;
	uint64_t rate; /* bit/s per stream, 0: unlimited */
	uint32_t burst;
	uint32_t mss;
	uint32_t window;
	int tos;
	uint32_t flowlabel;
	uint64_t fqrate;
	int pacing_timer;
	bool nodelay, reverse, bidir;
	bool get_server_output, udp64, repeating, zerocopy, dont_fragment;
	bool skip_rx_copy;
	bool zc_msg; /* --zerocopy=z: MSG_ZEROCOPY, "zerocopy": 2 */
	bool tls;    /* --tls: data streams in TLS (tls.c) */
	char congestion[NP_NAME_MAX];
	char title[NP_TEXT_MAX];
	char extra_data[NP_TEXT_MAX];
	char client_version[NP_NAME_MAX];
	char authtoken[NP_TOKEN_MAX];
};

/* One stream's entry in the results JSON. */
struct np_stream_result {
	int id;
	uint64_t bytes;
	int64_t retransmits;
	double jitter; /* seconds */
	int64_t errors;
	int64_t packets;
	int64_t omitted_errors, omitted_packets;
	double start_time, end_time;
};

/* The results JSON one side sends at EXCHANGE_RESULTS. */
struct np_results {
	double cpu_total, cpu_user, cpu_system;
	int sender_has_retransmits;
	char congestion[NP_NAME_MAX];
	int n_streams;
	struct np_stream_result st[NP_MAX_STREAMS];
};

/* UDP receive accounting (udp.c): loss, out-of-order, RFC 1889 jitter. */
struct np_udp_rx {
	int64_t packet_count; /* highest sequence number seen */
	int64_t cnt_error;    /* lost packets */
	int64_t ooo;	      /* out-of-order arrivals */
	double jitter;	      /* seconds */
	double prev_transit;
	bool have_transit;
};

struct np_test;
struct np_tls;

/* A data stream: one socket, one thread. */
struct np_stream {
	struct np_test *t;
	int fd;
	int id;
	bool sender;
	pthread_t th;
	bool th_started;
	struct np_tls *tls; /* --tls: the stream's session (tls.c), or NULL */
	char local[IP_STRLEN], remote[IP_STRLEN];
	int lport, rport;
	uint8_t *buf; /* buf_len + NP_BUF_ALIGN bytes: see stream.c */
	size_t buf_len;
	uint64_t pos; /* TCP bytes this stream has moved */
	int zc_fd;    /* -Z: memfd holding the payload, for sendfile(), or -1 */
	bool zc_msg;  /* --zerocopy=z: sends with MSG_ZEROCOPY */
	struct np_zc zc;
	int n_batch;		  /* UDP datagrams per batch */
	_Atomic uint64_t bytes;	  /* counted bytes since TEST_RUNNING */
	_Atomic uint64_t packets; /* UDP datagrams sent */
	pthread_mutex_t mu;	  /* guards rx */
	struct np_udp_rx rx;
	/* Interval bookkeeping, main thread only. */
	uint64_t base_bytes, last_bytes;
	int64_t base_packets, last_packets;
	int64_t base_err, last_err, base_ooo;
	int64_t retr_base, retr_last;
	uint32_t max_cwnd, max_snd_wnd, max_rtt, min_rtt;
	uint64_t sum_rtt, n_rtt;
	double end_time;
	struct np_stream_result peer; /* from the peer's results */
	bool have_peer;
};

/* Parses the 37-byte cookie; true when it is 36 base32 chars and a NUL. */
bool np_cookie_valid(const uint8_t *c, size_t len);

#endif

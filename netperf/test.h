/* SPDX-License-Identifier: MIT */
/*
 * One netperf test, client or server side: options, streams, the running
 * phase and its timers (test.c), the stream threads (stream.c) and the
 * output (report.c's np_report_* API, over json.c, summary.c and
 * verbose.c).
 */
#ifndef NETPERF_TEST_H
#define NETPERF_TEST_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include <cjson/cJSON.h>

#include "netperf.h"
#include "util.h"

/* Command line options (main.c). */
struct np_opts {
	bool server, client;
	const char *host, *bind;
	int port, cport, family;
	struct np_params p;
	bool rate_set, len_set;
	double interval;
	char fmt;
	bool json, json_stream, one_off, daemon, forceflush, verbose;
	const char *timestamps;
	const char *pidfile, *logfile;
	int connect_timeout_ms, rcv_timeout_ms, snd_timeout_ms;
	int idle_timeout_s, server_max_duration, max_tests;
	uint64_t server_rate_limit;
	double server_rate_secs; /* the limit's averaging window */
	bool no_gsro;
	const char *username, *rsa_pub, *rsa_priv, *authorized_users;
	int skew;
	bool pkcs1;
	const char *tls_cipher; /* --tls-cipher */
};

/* Interval and sum bookkeeping of report.c. */
/*
 * A server's output for --get-server-output (text) and for -J: each is
 * made only when asked for and capped, so a long test with many streams
 * stays within the server's memory budget (server.c counts both).
 */
#define NP_OUTPUT_TEXT_MAX (1u << 20)
#define NP_OUTPUT_JSON_MAX (8u << 20)
/* A -J interval's heap per stream, for the cap: cJSON's ~15 items of
 * 64-byte nodes with their keys, and malloc's overhead, rounded up. */
#define NP_JSON_IVAL_MEM 2048

struct np_report {
	bool capture;  /* text for --get-server-output, into @cap */
	bool cap_full; /* ...then "[truncated]" at its end */
	char *cap;
	size_t cap_len, cap_size;
	cJSON *root, *intervals;
	int ival_max; /* intervals the tree keeps (server), or -1 */
	int ival_dropped;
	bool header_done;
	int n_intervals;
	int64_t ival_ns; /* start of the current interval */
};

struct np_test {
	const struct np_opts *o;
	struct np_params p;
	bool server;
	int ctrl;
	char cookie[NP_COOKIE_LEN];
	char peer_host[IP_STRLEN];
	int peer_port, test_no;
	int n_streams;
	struct np_stream *st;
	atomic_bool counting, stop, quit;
	atomic_int send_err, recv_err; /* a stream's first hard error */
	_Atomic uint64_t sent_total, blocks_total;
	int64_t start_ns, t0_ns, end_ns, omit_end_ns;
	bool omitting;
	struct np_cpu cpu0, cpu1;
	struct np_results peer, mine;
	bool have_peer;
	char congestion[NP_NAME_MAX];
	char *server_output;
	int server_output_json;
	struct np_report rep;
	/* a server's: what its budget holds for the test, and whether that
	 * includes UDP socket buffers of np_udp_bufs() (else the system's
	 * defaults) */
	size_t budget_mem;
	bool udp_force;
};

/* test.c */
/* Allocates the streams of @t for its parameters.  Returns 0 or -ENOMEM. */
int np_test_alloc(struct np_test *t);
/* Closes and frees everything @t holds (not @t itself). */
void np_test_free(struct np_test *t);
/*
 * The running phase: starts the stream threads, runs the interval and
 * omit timers, and returns when the test ends (client: time or bytes
 * reached, then it sends TEST_END; server: TEST_END read).  Returns 0 or
 * -errno (the peer vanished or sent an unexpected state).
 */
int np_test_run(struct np_test *t);
/* Fills @r with this side's results. */
void np_test_results(struct np_test *t, struct np_results *r);
/* Joins the stream threads after the test. */
void np_test_join(struct np_test *t);
/* Matches the peer's results to the streams by id. */
void np_test_apply_peer(struct np_test *t);

/* stream.c */
/* Starts the thread of @s.  Returns 0 or -errno. */
int np_stream_start(struct np_stream *s);
/* Prepares @s on connected @fd: buffer, options, names. */
int np_stream_init(struct np_test *t, struct np_stream *s, int fd, int i);
/* The memory np_stream_init() takes for a stream of @t that sends (or
 * receives): its buffer, and with -Z its memfd. */
size_t np_stream_mem(const struct np_test *t, bool sender);

/* report.c */
void np_report_init(struct np_test *t);
void np_report_printf(struct np_test *t, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Prints text that belongs to no test (the server's banner), flushed,
 * unless -J: the same line prefixes as np_report_printf(). */
void np_report_out(const struct np_opts *o, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void np_report_connected(struct np_test *t);
void np_report_start(struct np_test *t);
void np_report_interval(struct np_test *t, int64_t now_ns, bool omitted);
void np_report_error(struct np_test *t, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Ends the output: prints JSON, returns captured text (malloc'ed or NULL). */
char *np_report_finish(struct np_test *t, bool print);
/* summary.c: the summary lines (and -J's end) once both sides' results
 * are in. */
void np_summary_print(struct np_test *t);

/* client.c, server.c */
int np_client_run(const struct np_opts *o);
int np_server_run(const struct np_opts *o);

#endif

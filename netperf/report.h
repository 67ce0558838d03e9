/* SPDX-License-Identifier: MIT */
/* Internals shared by report.c (the np_report_* API: stdout, text lines,
 * errors), summary.c, json.c (the -J tree) and verbose.c. */
#ifndef NETPERF_REPORT_H
#define NETPERF_REPORT_H

#include "test.h"

#define NP_SEPARATOR "- - - - - - - - - - - - - - - - - - - - - - - - -\n"

/* One stream's numbers of one interval, for the JSON. */
struct np_ival {
	uint64_t l_bytes;
	int64_t retr, lost, total;
	double jitter;
	struct np_tcpinfo ti;
};

/* Serialises lines of concurrent tests on stdout. */
void np_report_lock(void);
void np_report_unlock(void);

/*
 * json.c: the -J tree of @t, each a no-op without one.  init makes it
 * (with -J or --json-stream); start adds start{}; error stores an error
 * (true) or leaves it to the caller to print (false); finish prints the
 * tree (when @print) and frees it.
 */
void np_json_init(struct np_test *t);
void np_json_start(struct np_test *t);
bool np_json_error(struct np_test *t, const char *msg);
void np_json_finish(struct np_test *t, bool print);

/* The captured text for --get-server-output (malloc'ed, NUL-terminated,
 * "[truncated]" at its end if it was), which @r no longer holds; NULL if
 * there was none (or no memory). */
char *np_capture_take(struct np_report *r);

/* Tracks the maxima of -J's end.streams[].sender. */
void np_report_tcp_max(struct np_stream *s, const struct np_tcpinfo *ti);

/* Appends one interval to the JSON (or prints it with --json-stream). */
void np_json_interval(struct np_test *t, double a, double b, bool omitted,
		      const struct np_ival *iv);

/* Prints the column header of the summary. */
void np_report_summary_header(struct np_test *t);

/* Adds end{} to the JSON from the streams and the peer's results. */
void np_json_end(struct np_test *t);

/*
 * verbose.c: -V's lines, each a no-op without -V.  In order: the version
 * and uname (a client before it connects, a server before each banner);
 * the client's control MSS and UDP block size once connected; the time
 * (before "Connecting to"/"Accepted connection"); cookie, MSS and target
 * bitrate (after them); "Starting Test" at TEST_START.
 */
void np_verbose_banner(const struct np_opts *o);
void np_verbose_ctrl(struct np_test *t);
void np_verbose_time(struct np_test *t);
void np_verbose_params(struct np_test *t);
void np_verbose_start(struct np_test *t);
/* The summary: its title line, a server's line for a side it lacks
 * (@id < 0: [SUM]), and after each direction's lines the CPU use (when
 * @sending) and the congestion control algorithms. */
void np_verbose_summary(struct np_test *t);
void np_verbose_missing(struct np_test *t, int id, bool sender);
void np_verbose_group_end(struct np_test *t, bool sending);

#endif

// SPDX-License-Identifier: MIT
/*
 * The np_report_* API: all output of a test in iperf3 3.12's formats.
 * Here the stdout lock, the text lines of iperf_locale.c, the capture for
 * --get-server-output and errors; the -J tree is json.c's, the summary
 * summary.c's and -V's lines verbose.c's.
 */
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <time.h>

#include "embnet/mono.h"
#include "report.h"
#include "tls.h"
#include "embnet/wall.h"

enum line_kind { L_TCP_CWND, L_TCP_RETR, L_PLAIN, L_UDP_SEND, L_UDP_RECV };

/* One text line of an interval or the summary. */
struct line {
	bool sum;
	int id;
	const char *role;
	double start, end;
	uint64_t bytes;
	enum line_kind kind;
	int64_t retr;
	uint32_t cwnd;
	double jitter;
	int64_t lost, total;
	const char *tail;
};

static pthread_mutex_t out_mu = PTHREAD_MUTEX_INITIALIZER;

void np_report_lock(void)
{
	pthread_mutex_lock(&out_mu);
}

void np_report_unlock(void)
{
	pthread_mutex_unlock(&out_mu);
}

static bool out_in_line; /* stdout is inside a line; under np_report_lock() */

/* --timestamps, then a client's -T: what 3.12's iperf_printf() puts
 * before its text, here at the start of every line. */
static void put_prefix(const struct np_opts *o)
{
	char ts[128];

	if (o->timestamps &&
	    wall_strftime(ts, sizeof(ts),
			  o->timestamps[0] ? o->timestamps : "%c ", wall_s(),
			  true))
		fputs(ts, stdout);
	if (o->client && o->p.title[0])
		printf("%s:  ", o->p.title);
}

static void put_lines(const struct np_opts *o, const char *s)
{
	while (*s) {
		const char *nl = strchr(s, '\n');
		size_t n = nl ? (size_t)(nl - s) + 1 : strlen(s);

		if (!out_in_line)
			put_prefix(o);
		fwrite(s, 1, n, stdout);
		out_in_line = !nl;
		s += n;
	}
}

/* Formats and prints text of @o's run, each line prefixed. */
static void out_v(const struct np_opts *o, bool flush, const char *fmt,
		  va_list ap)
{
	char buf[512], *s = buf;
	va_list aq;
	int n;

	va_copy(aq, ap);
	n = vsnprintf(buf, sizeof(buf), fmt, aq);
	va_end(aq);
	if (n < 0)
		return;
	if ((size_t)n >= sizeof(buf)) {
		s = malloc((size_t)n + 1);
		if (!s)
			return;
		vsnprintf(s, (size_t)n + 1, fmt, ap);
	}
	np_report_lock();
	put_lines(o, s);
	if (flush)
		fflush(stdout);
	np_report_unlock();
	if (s != buf)
		free(s);
}

#define TRUNCATED "[truncated]\n"

/* Makes room for @need bytes of captured text (NP_OUTPUT_TEXT_MAX at
 * most: the caller checks). */
static bool cap_grow(struct np_report *r, size_t need)
{
	size_t size = r->cap_size ? r->cap_size : 4096;
	char *p;

	while (size < need)
		size *= 2;
	if (size == r->cap_size)
		return true;
	if (size > NP_OUTPUT_TEXT_MAX)
		size = NP_OUTPUT_TEXT_MAX;
	p = realloc(r->cap, size);
	if (!p)
		return false;
	r->cap = p;
	r->cap_size = size;
	return true;
}

/* Appends to the captured text while it stays under NP_OUTPUT_TEXT_MAX;
 * the text that does not fit is dropped, and all that follows it. */
static void cap_printf(struct np_report *r, const char *fmt, va_list ap)
{
	va_list aq;
	size_t need;
	int n;

	if (r->cap_full)
		return;
	va_copy(aq, ap);
	n = vsnprintf(NULL, 0, fmt, aq);
	va_end(aq);
	need = r->cap_len + (size_t)n + sizeof(TRUNCATED);
	if (n < 0 || need > NP_OUTPUT_TEXT_MAX || !cap_grow(r, need)) {
		r->cap_full = true;
		return;
	}
	vsnprintf(r->cap + r->cap_len, r->cap_size - r->cap_len, fmt, ap);
	r->cap_len += (size_t)n;
}

char *np_capture_take(struct np_report *r)
{
	char *s;

	if (!r->capture || (!r->cap && !cap_grow(r, sizeof(TRUNCATED))))
		return NULL;
	s = r->cap; /* cap_printf() left room for TRUNCATED */
	strcpy(s + r->cap_len, r->cap_full ? TRUNCATED : "");
	r->cap = NULL;
	r->cap_len = r->cap_size = 0;
	r->capture = false;
	return s;
}

static void vout(struct np_test *t, const char *fmt, va_list ap)
{
	va_list aq;

	if (t->rep.capture) {
		va_copy(aq, ap);
		cap_printf(&t->rep, fmt, aq);
		va_end(aq);
	}
	if (t->o->json || t->o->json_stream)
		return;
	out_v(t->o, t->o->forceflush || t->server, fmt, ap);
}

void np_report_printf(struct np_test *t, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vout(t, fmt, ap);
	va_end(ap);
}

void np_report_out(const struct np_opts *o, const char *fmt, ...)
{
	va_list ap;

	if (o->json || o->json_stream)
		return;
	va_start(ap, fmt);
	out_v(o, true, fmt, ap);
	va_end(ap);
}

static const char *role_of(const struct np_test *t, bool sender)
{
	if (!t->p.bidir)
		return "";
	if (t->server)
		return sender ? "[TX-S]" : "[RX-S]";
	return sender ? "[TX-C]" : "[RX-C]";
}

static void print_line(struct np_test *t, const struct line *l)
{
	char tb[32], bb[32], id[16], cw[32];
	double secs = l->end - l->start;
	double pct =
		l->total > 0 ? 100.0 * (double)l->lost / (double)l->total : 0;

	np_unit(tb, sizeof(tb), (double)l->bytes, 'A');
	np_unit(bb, sizeof(bb), secs > 0 ? (double)l->bytes / secs : 0,
		t->o->fmt);
	if (l->sum)
		snprintf(id, sizeof(id), "[SUM]");
	else
		snprintf(id, sizeof(id), "[%3d]", l->id);
	np_report_printf(t, "%s%s %6.2f-%-6.2f sec  %ss  %ss/sec", id, l->role,
			 l->start, l->end, tb, bb);
	switch (l->kind) {
	case L_TCP_CWND:
		np_unit(cw, sizeof(cw), l->cwnd, 'A');
		np_report_printf(t, "  %3" PRId64 "   %ss       %s\n", l->retr,
				 cw, l->tail);
		break;
	case L_TCP_RETR:
		np_report_printf(t, "  %3" PRId64 "             %s\n", l->retr,
				 l->tail);
		break;
	case L_PLAIN:
		np_report_printf(t, "                  %s\n", l->tail);
		break;
	case L_UDP_SEND:
		np_report_printf(t, " %s %" PRId64 "  %s\n",
				 t->p.bidir ? "          " : "", l->total,
				 l->tail);
		break;
	case L_UDP_RECV:
		np_report_printf(
			t, "  %5.3f ms  %" PRId64 "/%" PRId64 " (%.2g%%)  %s\n",
			l->jitter * 1000, l->lost, l->total, pct, l->tail);
		break;
	}
}

static bool any_sender(const struct np_test *t)
{
	for (int i = 0; i < t->n_streams; i++)
		if (t->st[i].sender)
			return true;
	return false;
}

static bool any_receiver(const struct np_test *t)
{
	for (int i = 0; i < t->n_streams; i++)
		if (!t->st[i].sender)
			return true;
	return false;
}

static void print_header(struct np_test *t, bool summary)
{
	const char *tail = "";

	if (t->p.proto == NP_TCP && (!t->server || any_sender(t)))
		tail = summary ? "         Retr" : "         Retr  Cwnd";
	else if (t->p.proto == NP_UDP && (summary || any_receiver(t)))
		tail = "         Jitter    Lost/Total Datagrams";
	else if (t->p.proto == NP_UDP)
		tail = "         Total Datagrams";
	np_report_printf(t,
			 "[ ID]%s Interval           Transfer     Bitrate%s\n",
			 t->p.bidir ? "[Role]" : "", tail);
}

/* ---- intervals --------------------------------------------------- */

static void interval_stream(struct np_test *t, struct np_stream *s,
			    struct line *l, struct np_ival *iv)
{
	uint64_t b = atomic_load(&s->bytes);
	struct np_tcpinfo ti;

	l->id = s->fd;
	l->role = role_of(t, s->sender);
	l->bytes = b - s->last_bytes;
	s->last_bytes = b;
	memset(iv, 0, sizeof(*iv));
	if (t->p.proto == NP_TCP && s->sender) {
		np_tcp_info(s->fd, &ti);
		l->kind = L_TCP_CWND;
		l->retr = (int64_t)ti.total_retrans - s->retr_last;
		s->retr_last = ti.total_retrans;
		l->cwnd = ti.snd_cwnd;
		np_report_tcp_max(s, &ti);
		iv->ti = ti;
	} else if (t->p.proto == NP_UDP && s->sender) {
		int64_t p = (int64_t)atomic_load(&s->packets);
		l->kind = L_UDP_SEND;
		l->total = p - s->last_packets;
		s->last_packets = p;
	} else if (t->p.proto == NP_UDP) {
		pthread_mutex_lock(&s->mu);
		l->kind = L_UDP_RECV;
		l->total = s->rx.packet_count - s->last_packets;
		l->lost = s->rx.cnt_error - s->last_err;
		l->jitter = s->rx.jitter;
		s->last_packets = s->rx.packet_count;
		s->last_err = s->rx.cnt_error;
		pthread_mutex_unlock(&s->mu);
	} else {
		l->kind = L_PLAIN;
	}
}

/* Adds @l into the per-direction sum @sum. */
static void sum_add(struct line *sum, const struct line *l, int *n)
{
	sum->bytes += l->bytes;
	sum->retr += l->retr;
	sum->lost += l->lost;
	sum->total += l->total;
	sum->jitter += l->jitter;
	sum->kind = l->kind == L_TCP_CWND ? L_TCP_RETR : l->kind;
	(*n)++;
}

static void interval_sums(struct np_test *t, struct line *sums, int *n_sum,
			  bool print)
{
	for (int g = 0; g < 2; g++) {
		if (!n_sum[g])
			continue;
		sums[g].jitter /= n_sum[g];
		if (print && t->p.parallel > 1)
			print_line(t, &sums[g]);
	}
}

/* True when a stream moved bytes since the last interval.  iperf3 3.12
 * drops a last interval shorter than a tenth of -i only when none did
 * (iperf_print_intermediate); one with bytes is printed, or the
 * intervals would not add up to the totals. */
static bool ival_moved(const struct np_test *t)
{
	for (int i = 0; i < t->n_streams; i++)
		if (atomic_load(&t->st[i].bytes) != t->st[i].last_bytes)
			return true;
	return false;
}

void np_report_interval(struct np_test *t, int64_t now_ns, bool omitted)
{
	double a = np_secs(t->t0_ns, t->rep.ival_ns),
	       b = np_secs(t->t0_ns, now_ns);
	bool print = !t->o->json && !t->o->json_stream;
	struct line sums[2], l;
	struct np_ival iv[NP_MAX_STREAMS];
	int n_sum[2] = { 0, 0 };

	if (t->rep.n_intervals > 0 && !omitted &&
	    now_ns - t->rep.ival_ns < (int64_t)(t->o->interval * 1e8) &&
	    !ival_moved(t))
		return;
	if (t->rep.ival_ns < t->t0_ns)
		a = 0;
	memset(sums, 0, sizeof(sums));
	if (print && !t->rep.header_done)
		print_header(t, false);
	t->rep.header_done = true;
	if (print && t->p.parallel > 1 && t->rep.n_intervals > 0)
		np_report_printf(t, "%s", NP_SEPARATOR);
	for (int i = 0; i < t->n_streams; i++) {
		int g = t->p.bidir && i >= t->p.parallel;
		memset(&l, 0, sizeof(l));
		l.start = a;
		l.end = b;
		l.tail = omitted ? "(omitted)" : "";
		interval_stream(t, &t->st[i], &l, &iv[i]);
		iv[i].l_bytes = l.bytes;
		iv[i].retr = l.retr;
		iv[i].lost = l.lost;
		iv[i].total = l.total;
		iv[i].jitter = l.jitter;
		if (print)
			print_line(t, &l);
		sums[g].sum = true;
		sums[g].start = a;
		sums[g].end = b;
		sums[g].tail = l.tail;
		sums[g].role = l.role;
		sum_add(&sums[g], &l, &n_sum[g]);
	}
	interval_sums(t, sums, n_sum, print);
	np_json_interval(t, a, b, omitted, iv);
	t->rep.n_intervals++;
	t->rep.ival_ns = now_ns;
}

void np_report_summary_header(struct np_test *t)
{
	print_header(t, true);
}

void np_report_init(struct np_test *t)
{
	memset(&t->rep, 0, sizeof(t->rep));
	t->rep.capture = t->server && t->p.get_server_output && !t->o->json &&
			 !t->o->json_stream;
	np_json_init(t);
}

void np_report_connected(struct np_test *t)
{
	for (int i = 0; i < t->n_streams; i++) {
		const struct np_stream *s = &t->st[i];
		np_report_printf(
			t, "[%3d] local %s port %d connected to %s port %d\n",
			s->fd, s->local, s->lport, s->remote, s->rport);
		if (s->tls)
			np_report_printf(t, "[%3d] TLS: %s %s\n", s->fd,
					 np_tls_version(s->tls),
					 np_tls_suite(s->tls));
	}
}

void np_report_start(struct np_test *t)
{
	np_verbose_start(t);
	np_json_start(t);
}

void np_report_error(struct np_test *t, const char *fmt, ...)
{
	char buf[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (np_json_error(t, buf))
		return;
	np_report_lock();
	fprintf(stderr, "netperf: error - %s\n", buf);
	np_report_unlock();
}

char *np_report_finish(struct np_test *t, bool print)
{
	char *s = np_capture_take(&t->rep);

	np_json_finish(t, print);
	return s;
}

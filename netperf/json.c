// SPDX-License-Identifier: MIT
/*
 * The -J document of iperf3 3.12 (start, intervals, end, error) and
 * --json-stream's one object per event; the header lines of the text.
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/utsname.h>
#include <time.h>

#include "report.h"
#include "tls.h"
#include "wall.h"

static pthread_mutex_t out_mu = PTHREAD_MUTEX_INITIALIZER;

void np_report_lock(void)
{
	pthread_mutex_lock(&out_mu);
}

void np_report_unlock(void)
{
	pthread_mutex_unlock(&out_mu);
}

static bool json_on(const struct np_test *t)
{
	return t->o->json || t->o->json_stream;
}

static void emit_event(const char *ev, cJSON *data)
{
	cJSON *o = cJSON_CreateObject();
	char *s;

	cJSON_AddStringToObject(o, "event", ev);
	cJSON_AddItemReferenceToObject(o, "data", data);
	s = cJSON_PrintUnformatted(o);
	cJSON_Delete(o);
	if (!s)
		return;
	np_report_lock();
	puts(s);
	fflush(stdout);
	np_report_unlock();
	free(s);
}

void np_report_init(struct np_test *t)
{
	size_t per = (size_t)t->p.parallel * (t->p.bidir ? 2 : 1) + 2;

	memset(&t->rep, 0, sizeof(t->rep));
	t->rep.capture = t->server && t->p.get_server_output && !json_on(t);
	t->rep.ival_max = t->server && t->o->json && !t->o->json_stream
				  ? (int)(NP_OUTPUT_JSON_MAX /
					  (per * NP_JSON_IVAL_MEM))
				  : -1;
	if (!json_on(t))
		return;
	t->rep.root = cJSON_CreateObject();
	cJSON_AddObjectToObject(t->rep.root, "start");
	t->rep.intervals = cJSON_AddArrayToObject(t->rep.root, "intervals");
	cJSON_AddObjectToObject(t->rep.root, "end");
}

/* A server's tree past rep.ival_max intervals: counts the interval in
 * "intervals_dropped" instead of keeping it. */
static void drop_interval(struct np_test *t)
{
	cJSON *n = cJSON_GetObjectItem(t->rep.root, "intervals_dropped");

	t->rep.ival_dropped++;
	if (n)
		cJSON_SetNumberValue(n, t->rep.ival_dropped);
	else
		cJSON_AddNumberToObject(t->rep.root, "intervals_dropped",
					t->rep.ival_dropped);
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

/* --tls: what the first stream negotiated (all streams offer the same) */
static void start_tls(struct np_test *t, cJSON *start)
{
	const struct np_tls *tls = t->n_streams ? t->st[0].tls : NULL;
	cJSON *o;

	if (!tls)
		return;
	o = cJSON_AddObjectToObject(start, "tls");
	cJSON_AddStringToObject(o, "version", np_tls_version(tls));
	cJSON_AddStringToObject(o, "ciphersuite", np_tls_suite(tls));
}

static void start_connected(struct np_test *t, cJSON *start)
{
	cJSON *a = cJSON_AddArrayToObject(start, "connected");

	for (int i = 0; i < t->n_streams; i++) {
		const struct np_stream *s = &t->st[i];
		cJSON *c = cJSON_CreateObject();
		cJSON_AddNumberToObject(c, "socket", s->fd);
		cJSON_AddStringToObject(c, "local_host", s->local);
		cJSON_AddNumberToObject(c, "local_port", s->lport);
		cJSON_AddStringToObject(c, "remote_host", s->remote);
		cJSON_AddNumberToObject(c, "remote_port", s->rport);
		cJSON_AddItemToArray(a, c);
	}
}

static void start_system(cJSON *start)
{
	struct utsname u;
	char buf[512], ts[64];
	int64_t now = wall_s();
	cJSON *o;

	cJSON_AddStringToObject(start, "version", "iperf 3.12");
	uname(&u);
	snprintf(buf, sizeof(buf), "%s %s %s %s %s", u.sysname, u.nodename,
		 u.release, u.version, u.machine);
	cJSON_AddStringToObject(start, "system_info", buf);
	if (!wall_strftime(ts, sizeof(ts), "%a, %d %b %Y %H:%M:%S GMT", now,
			   false))
		ts[0] = '\0';
	o = cJSON_AddObjectToObject(start, "timestamp");
	cJSON_AddStringToObject(o, "time", ts);
	cJSON_AddNumberToObject(o, "timesecs", (double)now);
}

static void start_bufs(struct np_test *t, cJSON *start)
{
	int snd = 0, rcv = 0, mss = 0;
	socklen_t l = sizeof(int);

	if (t->n_streams) {
		getsockopt(t->st[0].fd, SOL_SOCKET, SO_SNDBUF, &snd, &l);
		l = sizeof(int);
		getsockopt(t->st[0].fd, SOL_SOCKET, SO_RCVBUF, &rcv, &l);
	}
	if (t->p.proto == NP_TCP && !t->server) {
		l = sizeof(int);
		getsockopt(t->ctrl, IPPROTO_TCP, TCP_MAXSEG, &mss, &l);
	}
	if (t->p.proto == NP_TCP && t->p.mss)
		cJSON_AddNumberToObject(start, "tcp_mss", t->p.mss);
	else if (t->p.proto == NP_TCP)
		cJSON_AddNumberToObject(start, "tcp_mss_default", mss);
	cJSON_AddNumberToObject(start, "target_bitrate", (double)t->p.rate);
	cJSON_AddNumberToObject(start, "sock_bufsize", t->p.window);
	cJSON_AddNumberToObject(start, "sndbuf_actual", snd);
	cJSON_AddNumberToObject(start, "rcvbuf_actual", rcv);
}

static void start_test(struct np_test *t, cJSON *start)
{
	cJSON *o = cJSON_AddObjectToObject(start, "test_start");

	cJSON_AddStringToObject(o, "protocol",
				t->p.proto == NP_UDP ? "UDP" : "TCP");
	cJSON_AddNumberToObject(o, "num_streams", t->p.parallel);
	cJSON_AddNumberToObject(o, "blksize", t->p.len);
	cJSON_AddNumberToObject(o, "omit", t->p.omit);
	cJSON_AddNumberToObject(o, "duration", t->p.duration);
	cJSON_AddNumberToObject(o, "bytes", (double)t->p.bytes);
	cJSON_AddNumberToObject(o, "blocks", (double)t->p.blocks);
	cJSON_AddNumberToObject(o, "reverse", t->p.reverse);
	cJSON_AddNumberToObject(o, "tos", t->p.tos);
	cJSON_AddNumberToObject(o, "target_bitrate", (double)t->p.rate);
}

void np_report_start(struct np_test *t)
{
	cJSON *start, *o;

	np_verbose_start(t);
	if (!t->rep.root)
		return;
	start = cJSON_GetObjectItem(t->rep.root, "start");
	start_connected(t, start);
	start_system(start);
	o = cJSON_AddObjectToObject(start, t->server ? "accepted_connection"
						     : "connecting_to");
	cJSON_AddStringToObject(o, "host",
				t->server ? t->peer_host : t->o->host);
	cJSON_AddNumberToObject(o, "port",
				t->server ? t->peer_port : t->o->port);
	cJSON_AddStringToObject(start, "cookie", t->cookie);
	start_bufs(t, start);
	start_test(t, start);
	start_tls(t, start);
	if (t->p.title[0])
		cJSON_AddStringToObject(t->rep.root, "title", t->p.title);
	if (t->p.extra_data[0])
		cJSON_AddStringToObject(t->rep.root, "extra_data",
					t->p.extra_data);
	if (t->o->json_stream)
		emit_event("start", start);
}

static cJSON *ival_obj(int sock, double a, double b, uint64_t bytes)
{
	cJSON *o = cJSON_CreateObject();

	if (sock >= 0)
		cJSON_AddNumberToObject(o, "socket", sock);
	cJSON_AddNumberToObject(o, "start", a);
	cJSON_AddNumberToObject(o, "end", b);
	cJSON_AddNumberToObject(o, "seconds", b - a);
	cJSON_AddNumberToObject(o, "bytes", (double)bytes);
	cJSON_AddNumberToObject(o, "bits_per_second",
				b > a ? (double)bytes * 8 / (b - a) : 0);
	return o;
}

static void udp_rx_keys(cJSON *o, double jitter, int64_t lost, int64_t total)
{
	cJSON_AddNumberToObject(o, "jitter_ms", jitter * 1000);
	cJSON_AddNumberToObject(o, "lost_packets", (double)lost);
	cJSON_AddNumberToObject(o, "packets", (double)total);
	cJSON_AddNumberToObject(o, "lost_percent",
				total > 0 ? 100.0 * (double)lost / (double)total
					  : 0);
}

static cJSON *ival_stream(struct np_test *t, int i, double a, double b,
			  bool omitted, const struct np_ival *iv)
{
	const struct np_stream *s = &t->st[i];
	cJSON *o = ival_obj(s->fd, a, b, iv->l_bytes);

	if (t->p.proto == NP_TCP && s->sender) {
		cJSON_AddNumberToObject(o, "retransmits", (double)iv->retr);
		cJSON_AddNumberToObject(o, "snd_cwnd", iv->ti.snd_cwnd);
		cJSON_AddNumberToObject(o, "snd_wnd", iv->ti.snd_wnd);
		cJSON_AddNumberToObject(o, "rtt", iv->ti.rtt);
		cJSON_AddNumberToObject(o, "rttvar", iv->ti.rttvar);
		cJSON_AddNumberToObject(o, "pmtu", iv->ti.pmtu);
	} else if (t->p.proto == NP_UDP && s->sender) {
		cJSON_AddNumberToObject(o, "packets", (double)iv->total);
	} else if (t->p.proto == NP_UDP) {
		udp_rx_keys(o, iv->jitter, iv->lost, iv->total);
	}
	cJSON_AddBoolToObject(o, "omitted", omitted);
	cJSON_AddBoolToObject(o, "sender", s->sender);
	return o;
}

/* The sum of group @g (streams below/above parallel in --bidir). */
static cJSON *ival_sum(struct np_test *t, int g, double a, double b,
		       bool omitted, const struct np_ival *iv)
{
	uint64_t bytes = 0;
	int64_t retr = 0, lost = 0, total = 0, n = 0;
	double jit = 0;
	bool sender = false;
	cJSON *o;

	for (int i = 0; i < t->n_streams; i++) {
		if ((t->p.bidir && i >= t->p.parallel) != (g == 1))
			continue;
		bytes += iv[i].l_bytes;
		retr += iv[i].retr;
		lost += iv[i].lost;
		total += iv[i].total;
		jit += iv[i].jitter;
		sender = t->st[i].sender;
		n++;
	}
	o = ival_obj(-1, a, b, bytes);
	if (t->p.proto == NP_TCP && sender)
		cJSON_AddNumberToObject(o, "retransmits", (double)retr);
	else if (t->p.proto == NP_UDP && sender)
		cJSON_AddNumberToObject(o, "packets", (double)total);
	else if (t->p.proto == NP_UDP)
		udp_rx_keys(o, n ? jit / (double)n : 0, lost, total);
	cJSON_AddBoolToObject(o, "omitted", omitted);
	cJSON_AddBoolToObject(o, "sender", sender);
	return o;
}

void np_json_interval(struct np_test *t, double a, double b, bool omitted,
		      const struct np_ival *iv)
{
	cJSON *o, *a_st;

	if (!t->rep.root)
		return;
	if (t->rep.ival_max >= 0 && t->rep.n_intervals >= t->rep.ival_max) {
		drop_interval(t);
		return;
	}
	o = cJSON_CreateObject();
	a_st = cJSON_AddArrayToObject(o, "streams");
	for (int i = 0; i < t->n_streams; i++)
		cJSON_AddItemToArray(a_st,
				     ival_stream(t, i, a, b, omitted, &iv[i]));
	cJSON_AddItemToObject(o, "sum", ival_sum(t, 0, a, b, omitted, iv));
	if (t->p.bidir)
		cJSON_AddItemToObject(o, "sum_bidir_reverse",
				      ival_sum(t, 1, a, b, omitted, iv));
	if (t->o->json_stream) {
		emit_event("interval", o);
		cJSON_Delete(o);
		return;
	}
	cJSON_AddItemToArray(t->rep.intervals, o);
}

void np_report_tcp_max(struct np_stream *s, const struct np_tcpinfo *ti)
{
	if (ti->snd_cwnd > s->max_cwnd)
		s->max_cwnd = ti->snd_cwnd;
	if (ti->snd_wnd > s->max_snd_wnd)
		s->max_snd_wnd = ti->snd_wnd;
	if (ti->rtt > s->max_rtt)
		s->max_rtt = ti->rtt;
	if (ti->rtt < s->min_rtt)
		s->min_rtt = ti->rtt;
	s->sum_rtt += ti->rtt;
	s->n_rtt++;
}

void np_report_error(struct np_test *t, const char *fmt, ...)
{
	char buf[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (t && t->rep.root && json_on(t)) {
		cJSON_AddStringToObject(t->rep.root, "error", buf);
		return;
	}
	np_report_lock();
	fprintf(stderr, "netperf: error - %s\n", buf);
	np_report_unlock();
}

char *np_report_finish(struct np_test *t, bool print)
{
	char *s = NULL;

	if (t->rep.root && print && t->o->json) {
		s = cJSON_Print(t->rep.root);
		np_report_lock();
		if (s)
			puts(s);
		fflush(stdout);
		np_report_unlock();
		free(s);
		s = NULL;
	}
	if (t->rep.root && print && t->o->json_stream)
		emit_event("end", cJSON_GetObjectItem(t->rep.root, "end"));
	if (t->rep.capture)
		s = np_capture_take(&t->rep);
	cJSON_Delete(t->rep.root);
	t->rep.root = NULL;
	return s;
}

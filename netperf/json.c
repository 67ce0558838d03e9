// SPDX-License-Identifier: MIT
/*
 * The -J document of iperf3 3.12 (start, intervals, end, error) and
 * --json-stream's one object per event.  report.c decides when; this
 * file only builds and prints the JSON.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/utsname.h>
#include <time.h>

#include "report.h"
#include "tls.h"
#include "embnet/wall.h"

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

void np_json_init(struct np_test *t)
{
	size_t per = (size_t)t->p.parallel * (t->p.bidir ? 2 : 1) + 2;

	t->rep.ival_max = -1;
	if (t->server && t->o->json && !t->o->json_stream)
		t->rep.ival_max =
			(int)(NP_OUTPUT_JSON_MAX / (per * NP_JSON_IVAL_MEM));
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

void np_json_start(struct np_test *t)
{
	cJSON *start, *o;

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

bool np_json_error(struct np_test *t, const char *msg)
{
	if (!t || !t->rep.root || !json_on(t))
		return false;
	cJSON_AddStringToObject(t->rep.root, "error", msg);
	return true;
}

void np_json_finish(struct np_test *t, bool print)
{
	char *s;

	if (t->rep.root && print && t->o->json) {
		s = cJSON_Print(t->rep.root);
		np_report_lock();
		if (s)
			puts(s);
		fflush(stdout);
		np_report_unlock();
		free(s);
	}
	if (t->rep.root && print && t->o->json_stream)
		emit_event("end", cJSON_GetObjectItem(t->rep.root, "end"));
	cJSON_Delete(t->rep.root);
	t->rep.root = NULL;
}

/* ---- end{}: per-stream sender/receiver (TCP) or udp entries,
 * sum_sent/sum_received (and their _bidir_reverse twins), CPU use of both
 * hosts, congestion control names ---------------------------------- */

struct side {
	bool ok;
	struct np_stream_result r;
};

static struct side side_of(const struct np_test *t, int i, bool sender)
{
	struct side s = { false, { 0 } };

	if (t->st[i].sender == sender) {
		s.ok = true;
		s.r = t->mine.st[i];
	} else if (t->st[i].have_peer) {
		s.ok = true;
		s.r = t->st[i].peer;
	}
	return s;
}

static bool has_retr(const struct np_test *t, int i)
{
	return t->p.proto == NP_TCP &&
	       (t->st[i].sender ||
		(!t->server && t->peer.sender_has_retransmits == 1));
}

static cJSON *tcp_stream(const struct np_test *t, int i)
{
	const struct np_stream *st = &t->st[i];
	struct side s = side_of(t, i, true), r = side_of(t, i, false);
	cJSON *e = cJSON_CreateObject(), *o;

	o = ival_obj(st->fd, 0, s.r.end_time, s.r.bytes);
	if (has_retr(t, i)) {
		cJSON_AddNumberToObject(
			o, "retransmits",
			(double)(s.r.retransmits < 0 ? 0 : s.r.retransmits));
		cJSON_AddNumberToObject(o, "max_snd_cwnd", st->max_cwnd);
		cJSON_AddNumberToObject(o, "max_snd_wnd", st->max_snd_wnd);
		cJSON_AddNumberToObject(o, "max_rtt", st->max_rtt);
		cJSON_AddNumberToObject(o, "min_rtt",
					st->n_rtt ? st->min_rtt : 0);
		cJSON_AddNumberToObject(
			o, "mean_rtt",
			st->n_rtt ? (double)(st->sum_rtt / st->n_rtt) : 0);
	}
	cJSON_AddBoolToObject(o, "sender", st->sender);
	cJSON_AddItemToObject(e, "sender", o);
	o = ival_obj(st->fd, 0, r.r.end_time, r.r.bytes);
	cJSON_AddBoolToObject(o, "sender", st->sender);
	cJSON_AddItemToObject(e, "receiver", o);
	return e;
}

static cJSON *udp_stream(const struct np_test *t, int i)
{
	const struct np_stream *st = &t->st[i];
	struct side s = side_of(t, i, true), r = side_of(t, i, false);
	struct side m = s.ok ? s : r;
	cJSON *e = cJSON_CreateObject(), *o;
	int64_t ooo = st->sender ? 0 : st->rx.ooo - st->base_ooo;

	o = ival_obj(st->fd, 0, m.r.end_time, m.r.bytes);
	udp_rx_keys(o, r.ok ? r.r.jitter : 0, r.ok ? r.r.errors : 0,
		    r.ok ? r.r.packets : s.r.packets);
	cJSON_AddNumberToObject(o, "out_of_order", (double)ooo);
	cJSON_AddBoolToObject(o, "sender", st->sender);
	cJSON_AddItemToObject(e, "udp", o);
	return e;
}

struct sums {
	uint64_t bytes[2];
	double end[2], jitter;
	int64_t retr, lost, packets[2];
	int n;
	bool sender, retr_ok;
};

static void sums_of(const struct np_test *t, int g, struct sums *m)
{
	memset(m, 0, sizeof(*m));
	for (int i = 0; i < t->n_streams; i++) {
		struct side s, r;
		if ((t->p.bidir && i >= t->p.parallel) != (g == 1))
			continue;
		s = side_of(t, i, true);
		r = side_of(t, i, false);
		m->bytes[0] += s.r.bytes;
		m->bytes[1] += r.r.bytes;
		m->end[0] = s.r.end_time > m->end[0] ? s.r.end_time : m->end[0];
		m->end[1] = r.r.end_time > m->end[1] ? r.r.end_time : m->end[1];
		m->retr += s.r.retransmits > 0 ? s.r.retransmits : 0;
		m->packets[0] += s.r.packets;
		m->packets[1] += r.r.packets;
		m->lost += r.r.errors;
		m->jitter += r.r.jitter;
		m->sender = t->st[i].sender;
		m->retr_ok = has_retr(t, i);
		m->n++;
	}
	if (m->n)
		m->jitter /= m->n;
}

static void add_sums(const struct np_test *t, cJSON *end, int g)
{
	struct sums m;
	cJSON *o;
	bool udp = t->p.proto == NP_UDP;

	sums_of(t, g, &m);
	if (udp && g == 0) {
		o = ival_obj(-1, 0, m.end[1], m.bytes[0]);
		udp_rx_keys(o, m.jitter, m.lost, m.packets[1]);
		cJSON_AddBoolToObject(o, "sender", m.sender);
		cJSON_AddItemToObject(end, "sum", o);
	}
	o = ival_obj(-1, 0, m.end[0], m.bytes[0]);
	if (m.retr_ok)
		cJSON_AddNumberToObject(o, "retransmits", (double)m.retr);
	if (udp)
		udp_rx_keys(o, 0, 0, m.packets[0]);
	cJSON_AddBoolToObject(o, "sender", m.sender);
	cJSON_AddItemToObject(end, g ? "sum_sent_bidir_reverse" : "sum_sent",
			      o);
	o = ival_obj(-1, 0, m.end[1], m.bytes[1]);
	if (udp)
		udp_rx_keys(o, m.jitter, m.lost, m.packets[1]);
	cJSON_AddBoolToObject(o, "sender", m.sender && !udp);
	cJSON_AddItemToObject(
		end, g ? "sum_received_bidir_reverse" : "sum_received", o);
}

static void add_cpu(const struct np_test *t, cJSON *end)
{
	cJSON *o = cJSON_AddObjectToObject(end, "cpu_utilization_percent");

	cJSON_AddNumberToObject(o, "host_total", t->mine.cpu_total);
	cJSON_AddNumberToObject(o, "host_user", t->mine.cpu_user);
	cJSON_AddNumberToObject(o, "host_system", t->mine.cpu_system);
	cJSON_AddNumberToObject(o, "remote_total", t->peer.cpu_total);
	cJSON_AddNumberToObject(o, "remote_user", t->peer.cpu_user);
	cJSON_AddNumberToObject(o, "remote_system", t->peer.cpu_system);
}

static void add_cc(const struct np_test *t, cJSON *end)
{
	bool local_sends = t->n_streams && t->st[0].sender;
	const char *snd = local_sends ? t->mine.congestion : t->peer.congestion;
	const char *rcv = local_sends ? t->peer.congestion : t->mine.congestion;

	if (t->p.proto != NP_TCP)
		return;
	if (snd[0])
		cJSON_AddStringToObject(end, "sender_tcp_congestion", snd);
	if (rcv[0])
		cJSON_AddStringToObject(end, "receiver_tcp_congestion", rcv);
}

void np_json_end(struct np_test *t)
{
	cJSON *end, *a;

	if (!t->rep.root)
		return;
	end = cJSON_GetObjectItem(t->rep.root, "end");
	a = cJSON_AddArrayToObject(end, "streams");
	for (int i = 0; i < t->n_streams; i++)
		cJSON_AddItemToArray(a, t->p.proto == NP_UDP
						? udp_stream(t, i)
						: tcp_stream(t, i));
	add_sums(t, end, 0);
	if (t->p.bidir)
		add_sums(t, end, 1);
	add_cpu(t, end);
	add_cc(t, end);
}

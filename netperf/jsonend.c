// SPDX-License-Identifier: MIT
/*
 * The end{} object of -J: per-stream sender/receiver (TCP) or udp
 * entries, sum_sent/sum_received (and their _bidir_reverse twins), CPU
 * use of both hosts, congestion control names.
 */
#include <string.h>

#include "report.h"

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

static cJSON *base(int sock, double end, uint64_t bytes)
{
	cJSON *o = cJSON_CreateObject();

	if (sock >= 0)
		cJSON_AddNumberToObject(o, "socket", sock);
	cJSON_AddNumberToObject(o, "start", 0);
	cJSON_AddNumberToObject(o, "end", end);
	cJSON_AddNumberToObject(o, "seconds", end);
	cJSON_AddNumberToObject(o, "bytes", (double)bytes);
	cJSON_AddNumberToObject(o, "bits_per_second",
				end > 0 ? (double)bytes * 8 / end : 0);
	return o;
}

static void udp_keys(cJSON *o, double jitter, int64_t lost, int64_t total)
{
	cJSON_AddNumberToObject(o, "jitter_ms", jitter * 1000);
	cJSON_AddNumberToObject(o, "lost_packets", (double)lost);
	cJSON_AddNumberToObject(o, "packets", (double)total);
	cJSON_AddNumberToObject(o, "lost_percent",
				total > 0 ? 100.0 * (double)lost / (double)total
					  : 0);
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

	o = base(st->fd, s.r.end_time, s.r.bytes);
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
	o = base(st->fd, r.r.end_time, r.r.bytes);
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

	o = base(st->fd, m.r.end_time, m.r.bytes);
	udp_keys(o, r.ok ? r.r.jitter : 0, r.ok ? r.r.errors : 0,
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
		o = base(-1, m.end[1], m.bytes[0]);
		udp_keys(o, m.jitter, m.lost, m.packets[1]);
		cJSON_AddBoolToObject(o, "sender", m.sender);
		cJSON_AddItemToObject(end, "sum", o);
	}
	o = base(-1, m.end[0], m.bytes[0]);
	if (m.retr_ok)
		cJSON_AddNumberToObject(o, "retransmits", (double)m.retr);
	if (udp)
		udp_keys(o, 0, 0, m.packets[0]);
	cJSON_AddBoolToObject(o, "sender", m.sender);
	cJSON_AddItemToObject(end, g ? "sum_sent_bidir_reverse" : "sum_sent",
			      o);
	o = base(-1, m.end[1], m.bytes[1]);
	if (udp)
		udp_keys(o, m.jitter, m.lost, m.packets[1]);
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

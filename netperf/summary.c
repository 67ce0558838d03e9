// SPDX-License-Identifier: MIT
/*
 * The end-of-test text summary (iperf_print_results in 3.12): per stream
 * a sender and a receiver line on the client, this side's line on the
 * server, then [SUM] lines when -P > 1; --bidir prints the client's
 * sending (the server's receiving) direction first, then the other.
 */
#include <inttypes.h>
#include <stdint.h>
#include <string.h>

#include "report.h"

enum line_kind { L_TCP_RETR = 1, L_PLAIN, L_UDP };

struct sline {
	const char *id_fmt;
	int id;
	const char *role;
	double end;
	uint64_t bytes;
	enum line_kind kind;
	int64_t retr, lost, total;
	double jitter;
	const char *tail;
};

/* One side (sender or receiver) of a stream: ours or the peer's. */
static bool side_of(const struct np_test *t, int i, bool sender,
		    struct np_stream_result *r)
{
	const struct np_stream *s = &t->st[i];

	if (s->sender == sender) {
		*r = t->mine.st[i];
		return true;
	}
	if (!s->have_peer)
		return false;
	*r = s->peer;
	return true;
}

static bool sender_retr(const struct np_test *t, int i)
{
	return t->p.proto == NP_TCP &&
	       (t->st[i].sender || t->peer.sender_has_retransmits == 1);
}

static void sline_print(struct np_test *t, const struct sline *l)
{
	char tb[32], bb[32], id[16];
	double pct =
		l->total > 0 ? 100.0 * (double)l->lost / (double)l->total : 0;

	np_unit(tb, sizeof(tb), (double)l->bytes, 'A');
	np_unit(bb, sizeof(bb), l->end > 0 ? (double)l->bytes / l->end : 0,
		t->o->fmt);
	if (l->id < 0)
		snprintf(id, sizeof(id), "[SUM]");
	else
		snprintf(id, sizeof(id), "[%3d]", l->id);
	np_report_printf(t, "%s%s %6.2f-%-6.2f sec  %ss  %ss/sec", id, l->role,
			 0.0, l->end, tb, bb);
	if (l->kind == L_TCP_RETR)
		np_report_printf(t, "  %3" PRId64 "             %s\n", l->retr,
				 l->tail);
	else if (l->kind == L_PLAIN)
		np_report_printf(t, "                  %s\n", l->tail);
	else
		np_report_printf(
			t, "  %5.3f ms  %" PRId64 "/%" PRId64 " (%.2g%%)  %s\n",
			l->jitter * 1000, l->lost, l->total, pct, l->tail);
}

static const char *role_of(const struct np_test *t, int i)
{
	bool tx = t->st[i].sender;

	if (!t->p.bidir)
		return "";
	if (t->server)
		return tx ? "[TX-S]" : "[RX-S]";
	return tx ? "[TX-C]" : "[RX-C]";
}

static void fill(struct np_test *t, int i, bool sender,
		 const struct np_stream_result *r, struct sline *l)
{
	memset(l, 0, sizeof(*l));
	l->id = t->st[i].fd;
	l->role = role_of(t, i);
	l->end = r->end_time;
	l->bytes = r->bytes;
	l->tail = sender ? "sender" : "receiver";
	if (t->p.proto == NP_UDP) {
		l->kind = L_UDP;
		l->total = r->packets;
		l->lost = sender ? 0 : r->errors;
		l->jitter = sender ? 0 : r->jitter;
	} else {
		l->kind = sender && sender_retr(t, i) ? L_TCP_RETR : L_PLAIN;
		l->retr = r->retransmits < 0 ? 0 : r->retransmits;
	}
}

/* Sums saturate: the peer's counts are within NP_COUNT_MAX (proto.c),
 * this side's bytes within UINT64_MAX (stream.c). */
static uint64_t sat_u64(uint64_t a, uint64_t b)
{
	return a > UINT64_MAX - b ? UINT64_MAX : a + b;
}

static int64_t sat_i64(int64_t a, int64_t b)
{
	if (b > 0 && a > INT64_MAX - b)
		return INT64_MAX;
	if (b < 0 && a < INT64_MIN - b)
		return INT64_MIN;
	return a + b;
}

static void sum_into(struct sline *sum, const struct sline *l, int *n)
{
	if (!(*n)++) {
		*sum = *l;
		sum->id = -1;
		return;
	}
	sum->bytes = sat_u64(sum->bytes, l->bytes);
	sum->retr = sat_i64(sum->retr, l->retr);
	sum->lost = sat_i64(sum->lost, l->lost);
	sum->total = sat_i64(sum->total, l->total);
	sum->jitter += l->jitter;
	if (l->end > sum->end)
		sum->end = l->end;
}

static void stream_lines(struct np_test *t, int i, struct sline sums[2],
			 int n[2])
{
	struct np_stream_result r;
	struct sline l;

	for (int side = 1; side >= 0; side--) {
		bool sender = side == 1;
		if (t->server && t->st[i].sender != sender) {
			np_verbose_missing(t, t->st[i].fd, sender);
			continue;
		}
		if (!side_of(t, i, sender, &r))
			continue;
		fill(t, i, sender, &r, &l);
		sline_print(t, &l);
		sum_into(&sums[side], &l, &n[side]);
		if (!sender && t->p.proto == NP_UDP && t->st[i].rx.ooo > 0 &&
		    !t->st[i].sender)
			np_report_printf(t,
					 "[%3d]%s %4.1f-%4.1f sec  %" PRId64
					 " datagrams received out-of-order\n",
					 l.id, l.role, 0.0, l.end,
					 t->st[i].rx.ooo - t->st[i].base_ooo);
	}
}

/* The [SUM] lines of one direction (-P > 1). */
static void sum_lines(struct np_test *t, struct sline sums[2], int n[2])
{
	for (int side = 1; side >= 0; side--) {
		if (n[side]) {
			sums[side].jitter /= n[side];
			sline_print(t, &sums[side]);
		} else if (t->server && t->p.proto == NP_TCP) {
			np_verbose_missing(t, -1, side == 1);
		}
	}
}

/* One direction's lines: group 1 is the streams past -P in --bidir. */
static void group_lines(struct np_test *t, int g)
{
	struct sline sums[2];
	int n[2] = { 0, 0 };
	bool sending = false;

	memset(sums, 0, sizeof(sums));
	for (int i = 0; i < t->n_streams; i++) {
		if ((t->p.bidir && i >= t->p.parallel) != (g == 1))
			continue;
		sending = t->st[i].sender;
		stream_lines(t, i, sums, n);
	}
	if (t->p.parallel > 1)
		sum_lines(t, sums, n);
	np_verbose_group_end(t, sending);
}

/* --zerocopy=z: how many sends the kernel completed, and copied after
 * all (it does on loopback and veth, where the receiver is local). */
static void zc_lines(struct np_test *t)
{
	for (int i = 0; i < t->n_streams; i++) {
		const struct np_stream *s = &t->st[i];
		if (s->zc_msg)
			np_report_printf(
				t,
				"[%3d] MSG_ZEROCOPY: %" PRIu64
				" sends, %" PRIu64 " completed, %" PRIu64
				" copied by the kernel\n",
				s->fd, s->zc.calls, s->zc.done, s->zc.copied);
	}
}

void np_summary_print(struct np_test *t)
{
	bool print = !t->o->json && !t->o->json_stream;

	np_json_end(t);
	if (!print && !t->rep.capture)
		return;
	np_report_printf(t, "%s", NP_SEPARATOR);
	np_verbose_summary(t);
	np_report_summary_header(t);
	for (int g = 0; g < (t->p.bidir ? 2 : 1); g++)
		group_lines(t, g);
	zc_lines(t);
}

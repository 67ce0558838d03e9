// SPDX-License-Identifier: MIT
/*
 * The running phase of a test, shared by client and server: stream
 * threads, the interval (-i) and omit (-O) timers, the end condition, and
 * this side's results (iperf_api.c iperf_stats_callback, send_results).
 */
#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "embnet/log.h"
#include "embnet/mono.h"
#include "test.h"
#include "tls.h"

int np_test_alloc(struct np_test *t)
{
	t->n_streams = 0;
	t->st = calloc(NP_MAX_STREAMS, sizeof(*t->st));
	if (!t->st)
		return -ENOMEM;
	for (int i = 0; i < NP_MAX_STREAMS; i++)
		t->st[i].fd = -1;
	return 0;
}

static void join_stream(struct np_stream *s)
{
	if (s->th_started)
		pthread_join(s->th, NULL);
	s->th_started = false;
}

void np_test_join(struct np_test *t)
{
	atomic_store(&t->stop, true);
	atomic_store(&t->quit, true);
	for (int i = 0; t->st && i < t->n_streams; i++)
		join_stream(&t->st[i]);
}

void np_test_free(struct np_test *t)
{
	np_test_join(t);
	for (int i = 0; t->st && i < t->n_streams; i++) {
		np_tls_free(t->st[i].tls);
		if (t->st[i].fd >= 0)
			close(t->st[i].fd);
		if (t->st[i].buf && t->st[i].zc_fd >= 0)
			close(t->st[i].zc_fd);
		free(t->st[i].buf);
		pthread_mutex_destroy(&t->st[i].mu);
	}
	free(t->st);
	t->st = NULL;
	if (t->ctrl >= 0)
		close(t->ctrl);
	t->ctrl = -1;
	free(t->server_output);
	t->server_output = NULL;
}

static uint64_t total_bytes(struct np_test *t, bool sent)
{
	uint64_t n = 0;

	for (int i = 0; i < t->n_streams; i++)
		if (t->st[i].sender == sent)
			n += atomic_load(&t->st[i].bytes);
	return n;
}

/* The client's -n/-k end: all of the target sent (or received with -R). */
static bool target_reached(struct np_test *t)
{
	uint64_t want = t->p.bytes;

	if (!want && t->p.blocks)
		want = t->p.blocks * t->p.len;
	if (!want)
		return false;
	return total_bytes(t, true) >= want || total_bytes(t, false) >= want;
}

static int start_threads(struct np_test *t)
{
	int64_t now = mono_ns();

	/* Once per test: a second start would overwrite the handles of
	 * running threads (client.c takes TEST_RUNNING once, too). */
	for (int i = 0; i < t->n_streams; i++)
		if (t->st[i].th_started)
			return -EALREADY;

	t->start_ns = t->t0_ns = t->rep.ival_ns = now;
	t->omit_end_ns = now + (int64_t)t->p.omit * 1000000000;
	t->omitting = t->p.omit > 0;
	atomic_store(&t->counting, true);
	np_cpu_sample(&t->cpu0);
	for (int i = 0; i < t->n_streams; i++) {
		int err = np_stream_start(&t->st[i]);
		if (err && !t->server)
			np_report_error(t, "unable to start stream thread: %s",
					strerror(-err));
		if (err)
			return err;
	}
	return 0;
}

/* When the test must end on this side, in mono_ns(); -1: never. */
static int64_t end_deadline(const struct np_test *t)
{
	int64_t d = t->p.omit;

	if (t->server) {
		if (t->o->server_max_duration)
			return t->start_ns +
			       (int64_t)t->o->server_max_duration * 1000000000;
		if (t->p.duration)
			d += t->p.duration + 40;
		else
			d += NP_TIME_MAX;
	} else {
		if (t->p.bytes || t->p.blocks || !t->p.duration)
			return -1;
		d += t->p.duration;
	}
	return t->start_ns + d * 1000000000;
}

/* Omit period over: restart the statistics and the clock. */
static void omit_done(struct np_test *t, int64_t now)
{
	for (int i = 0; i < t->n_streams; i++) {
		struct np_stream *s = &t->st[i];
		struct np_tcpinfo ti;

		s->base_bytes = s->last_bytes = atomic_load(&s->bytes);
		s->base_packets = s->last_packets =
			(int64_t)atomic_load(&s->packets);
		pthread_mutex_lock(&s->mu);
		if (!s->sender) {
			s->base_packets = s->last_packets = s->rx.packet_count;
			s->base_err = s->last_err = s->rx.cnt_error;
			s->base_ooo = s->rx.ooo;
		}
		pthread_mutex_unlock(&s->mu);
		if (t->p.proto == NP_TCP && np_tcp_info(s->fd, &ti) == 0)
			s->retr_base = s->retr_last = ti.total_retrans;
	}
	t->t0_ns = now;
	t->omitting = false;
	np_cpu_sample(&t->cpu0);
}

/* Reads one state byte during the test.  Returns 1 at TEST_END (server),
 * 0 to go on, -errno to abort.  The client reports why, in one line;
 * the server's caller logs. */
static int ctrl_event(struct np_test *t)
{
	int8_t st;
	ssize_t n = recv(t->ctrl, &st, 1, 0);

	if (n < 0 && (errno == EINTR || errno == EAGAIN))
		return 0;
	if (n <= 0) {
		if (!t->server)
			np_report_error(
				t, "control socket has closed unexpectedly");
		return -EPIPE;
	}
	if (t->server && st == NP_TEST_END)
		return 1;
	if (st == NP_SERVER_ERROR || st == NP_ACCESS_DENIED)
		return -ECONNABORTED;
	if (!t->server)
		np_report_error(t, "unexpected state %d from the server", st);
	return -EPROTO;
}

static int next_timeout(struct np_test *t, int64_t now, int64_t tick,
			int64_t end)
{
	int64_t wake = tick;

	if (t->omitting && t->omit_end_ns < wake)
		wake = t->omit_end_ns;
	if (end >= 0 && end < wake)
		wake = end;
	if (!t->server && (t->p.bytes || t->p.blocks) && now + 2000000 < wake)
		wake = now + 2000000;
	/* --idle-timeout, --rcv-timeout: look at the byte counts now and
	 * then, -i 0 too. */
	if (now + 500000000 < wake)
		wake = now + 500000000;
	if (!t->server && now + 100000000 < wake) /* for stream_failed() */
		wake = now + 100000000;
	return wake <= now ? 0 : (int)((wake - now + 999999) / 1000000);
}

static int64_t interval_ns(const struct np_test *t)
{
	return t->o->interval > 0 ? (int64_t)(t->o->interval * 1e9)
				  : INT64_MAX / 4;
}

/* What run_loop() tracks for limits(). */
struct np_watch {
	uint64_t idle_total, rcv_total, rate_base;
	int64_t idle_since, rcv_since, rate_since;
};

/* --idle-timeout (server): true once no stream has moved a byte for
 * that long, so a stuck or silent client does not hold the test. */
static bool idle_expired(struct np_test *t, int64_t now, uint64_t *total,
			 int64_t *since)
{
	uint64_t sum = 0;

	if (!t->server || t->o->idle_timeout_s <= 0)
		return false;
	for (int i = 0; i < t->n_streams; i++)
		sum += atomic_load_explicit(&t->st[i].bytes,
					    memory_order_relaxed);
	if (sum != *total || *since == 0) {
		*total = sum;
		*since = now;
	}
	return now - *since > (int64_t)t->o->idle_timeout_s * 1000000000;
}

/* Client: a TCP stream that failed (--snd-timeout expired, reset) ends
 * the test with iperf3's message.  Returns 0 or -errno. */
static int stream_failed(struct np_test *t)
{
	int e = atomic_load(&t->send_err);
	const char *what = "write to";

	if (t->server)
		return 0;
	if (!e) {
		e = atomic_load(&t->recv_err);
		what = "read from";
	}
	if (e)
		np_report_error(t, "unable to %s stream socket: %s", what,
				strerror(e));
	return -e;
}

/* --rcv-timeout (either side): true once this side's receiving streams
 * have had no data for that long (3.12's IENOMSG). */
static bool rcv_expired(struct np_test *t, int64_t now, uint64_t *total,
			int64_t *since)
{
	uint64_t sum = 0;
	bool rx = false;

	if (t->o->rcv_timeout_ms <= 0)
		return false;
	for (int i = 0; i < t->n_streams; i++)
		if (!t->st[i].sender) {
			rx = true;
			sum += atomic_load_explicit(&t->st[i].bytes,
						    memory_order_relaxed);
		}
	if (!rx)
		return false;
	if (sum != *total || *since == 0) {
		*total = sum;
		*since = now;
	}
	return now - *since > (int64_t)t->o->rcv_timeout_ms * 1000000;
}

/* --server-bitrate-limit: true once all streams together averaged more
 * than the limit over the last window (3.12 iperf_check_total_rate
 * averages its last secs of stats the same way). */
static bool rate_exceeded(struct np_test *t, int64_t now, uint64_t *base,
			  int64_t *since)
{
	uint64_t sum = 0;
	double secs;
	bool over;

	if (!t->server || !t->o->server_rate_limit)
		return false;
	for (int i = 0; i < t->n_streams; i++)
		sum += atomic_load_explicit(&t->st[i].bytes,
					    memory_order_relaxed);
	if (*since == 0) {
		*since = now;
		*base = sum;
	}
	secs = (double)(now - *since) / 1e9;
	if (secs < t->o->server_rate_secs)
		return false;
	over = (double)(sum - *base) * 8 / secs >
	       (double)t->o->server_rate_limit;
	*since = now;
	*base = sum;
	return over;
}

/* Ends the test early on --idle-timeout, --rcv-timeout or
 * --server-bitrate-limit: 0 to go on, else -errno. */
static int limits(struct np_test *t, int64_t now, struct np_watch *w)
{
	if (idle_expired(t, now, &w->idle_total, &w->idle_since))
		return -ETIMEDOUT;
	if (rcv_expired(t, now, &w->rcv_total, &w->rcv_since)) {
		np_report_error(t, "idle timeout for receiving data");
		return -ENOMSG;
	}
	if (rate_exceeded(t, now, &w->rate_base, &w->rate_since)) {
		np_report_error(
			t,
			"total required bandwidth is larger than server limit");
		return -EDQUOT;
	}
	return 0;
}

static int run_loop(struct np_test *t)
{
	int64_t end = end_deadline(t), tick = t->start_ns + interval_ns(t);
	struct np_watch w = { 0 };

	for (;;) {
		int64_t now = mono_ns();
		struct pollfd pfd = { .fd = t->ctrl, .events = POLLIN };
		int n, r;

		if (t->omitting && now >= t->omit_end_ns) {
			np_report_interval(t, now, true);
			omit_done(t, now);
			tick = now + interval_ns(t);
		}
		/* The end before the tick: np_test_run() reports the last
		 * interval, up to when the senders stopped.  After a tick
		 * at the same time, what they sent past it made an interval
		 * of a millisecond more (-t 1 -i 0.25: five intervals),
		 * where iperf3, which sends and ticks in one thread, has
		 * four. */
		if (!t->server &&
		    ((end >= 0 && now >= end) || target_reached(t)))
			return 0;
		if (now >= tick) {
			np_report_interval(t, now, t->omitting);
			tick += interval_ns(t);
		}
		if (t->server && end >= 0 && now >= end)
			return -ETIMEDOUT;
		if ((r = stream_failed(t)) < 0 || (r = limits(t, now, &w)) != 0)
			return r;
		n = poll(&pfd, 1, next_timeout(t, now, tick, end));
		if (n > 0 && (r = ctrl_event(t)) != 0)
			return r > 0 ? 0 : r;
	}
}

int np_test_run(struct np_test *t)
{
	int err = start_threads(t);

	if (!err)
		err = run_loop(t);
	atomic_store(&t->stop, true);
	t->end_ns = mono_ns(); /* a sender may still be in its last send */
	for (int i = 0; i < t->n_streams; i++) {
		struct np_stream *s = &t->st[i];
		if (s->sender) {
			join_stream(s);
			if (s->zc_msg)
				np_zc_reap(s->fd, &s->zc);
			/* iperf3 servers close their streams at TEST_END, and
			 * a 3.12 client in -R may sit in a blocking read until
			 * they do. */
			if (t->server && t->p.proto == NP_TCP)
				shutdown(s->fd, SHUT_WR);
		} else if (t->p.proto == NP_TCP) {
			/* The reader returns what its socket holds, below
			 * the low-water mark too, then sees the end. */
			shutdown(s->fd, SHUT_RD);
			join_stream(s);
		}
	}
	atomic_store(&t->counting, false);
	np_cpu_sample(&t->cpu1);
	if (t->end_ns - t->t0_ns > 0 && !t->omitting)
		np_report_interval(t, t->end_ns, false);
	return err;
}

static void stream_result(struct np_test *t, struct np_stream *s,
			  struct np_stream_result *r)
{
	struct np_tcpinfo ti;

	memset(r, 0, sizeof(*r));
	r->id = s->id;
	r->bytes = atomic_load(&s->bytes) - s->base_bytes;
	r->retransmits = -1;
	r->end_time = np_secs(t->t0_ns, t->end_ns);
	if (t->p.proto == NP_TCP && s->sender && np_tcp_info(s->fd, &ti) == 0)
		r->retransmits = (int64_t)ti.total_retrans - s->retr_base;
	if (t->p.proto != NP_UDP)
		return;
	if (s->sender) {
		r->packets =
			(int64_t)atomic_load(&s->packets) - s->base_packets;
		return;
	}
	pthread_mutex_lock(&s->mu);
	r->packets = s->rx.packet_count - s->base_packets;
	r->errors = s->rx.cnt_error - s->base_err;
	r->jitter = s->rx.jitter;
	r->omitted_packets = s->base_packets;
	r->omitted_errors = s->base_err;
	pthread_mutex_unlock(&s->mu);
}

void np_test_results(struct np_test *t, struct np_results *r)
{
	bool sends = false;

	memset(r, 0, sizeof(*r));
	np_cpu_percent(&t->cpu0, &t->cpu1, &r->cpu_total, &r->cpu_user,
		       &r->cpu_system);
	for (int i = 0; i < t->n_streams; i++) {
		stream_result(t, &t->st[i], &r->st[i]);
		sends |= t->st[i].sender;
	}
	r->n_streams = t->n_streams;
	r->sender_has_retransmits = t->p.proto == NP_TCP && sends ? 1 : -1;
	if (t->p.proto == NP_UDP && sends)
		r->sender_has_retransmits = 0;
	if (t->p.proto == NP_TCP && t->n_streams)
		np_tcp_congestion(t->st[0].fd, r->congestion,
				  sizeof(r->congestion));
	if (t->p.proto == NP_TCP)
		strcpy(t->congestion, r->congestion);
}

void np_test_apply_peer(struct np_test *t)
{
	for (int i = 0; i < t->n_streams; i++) {
		struct np_stream *s = &t->st[i];
		for (int j = 0; j < t->peer.n_streams; j++)
			if (t->peer.st[j].id == s->id) {
				s->peer = t->peer.st[j];
				s->have_peer = true;
			}
	}
}

// SPDX-License-Identifier: MIT
/*
 * CREATE_STREAMS on the server: TCP streams arrive on the listener with
 * the test's cookie (accept.c slots them in, in accept order); UDP
 * streams each send a 4-byte hello to port 5201/udp, where one socket
 * (sv->ufd) takes the hellos of every test, and a new socket on the port,
 * connected to the sender, becomes the stream (iperf_udp.c connects the
 * listener instead).  A hello counts only from the host of a test's
 * control connection, one test per host at a time: a test that never
 * sends its hellos holds up no other host's.
 */
#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "embnet/log.h"
#include "embnet/mono.h"
#include "proto.h"
#include "server.h"

#define STREAMS_TIMEOUT_MS 10000
#define CTRL_CHECK_MS 200 /* how soon a client that left is noticed */

static const uint8_t udp_reply[4] = { '6', '7', '8', '9' };

static struct srv_slot *slot_of(struct srv *sv, struct np_test *t)
{
	for (int i = 0; i < NP_SRV_MAX_TESTS; i++)
		if (sv->slots[i].t == t)
			return &sv->slots[i];
	return NULL;
}

/* Orders the streams by accept sequence: the client connects them one
 * after the other, and --bidir roles follow that order. */
static void sort_streams(struct np_test *t, struct srv_slot *s)
{
	for (int i = 1; i < s->n_got; i++)
		for (int j = i; j > 0 && s->seq[j - 1] > s->seq[j]; j--) {
			uint64_t q = s->seq[j];
			int fd = t->st[j].fd;
			s->seq[j] = s->seq[j - 1];
			t->st[j].fd = t->st[j - 1].fd;
			s->seq[j - 1] = q;
			t->st[j - 1].fd = fd;
		}
}

/* @ms from now on the clock of sv->cv (CLOCK_MONOTONIC, server.c). */
static void deadline(struct timespec *ts, int ms)
{
	int64_t ns = mono_ns() + (int64_t)ms * 1000000;

	ts->tv_sec = (time_t)(ns / 1000000000);
	ts->tv_nsec = (long)(ns % 1000000000);
}

/* The client closed or reset its control connection. */
static bool ctrl_gone(int fd)
{
	struct pollfd p = { .fd = fd, .events = POLLRDHUP };

	return poll(&p, 1, 0) > 0 &&
	       (p.revents & (POLLRDHUP | POLLHUP | POLLERR));
}

/* Waits on sv->cv (held) until @end, or -EPIPE once the client of @t has
 * gone: a test it abandoned frees its slot in CTRL_CHECK_MS, not at the
 * end of STREAMS_TIMEOUT_MS.  Returns 0 after a wakeup, or -errno. */
static int wait_until(struct srv *sv, struct np_test *t,
		      const struct timespec *end)
{
	struct timespec slice;

	deadline(&slice, CTRL_CHECK_MS);
	if (slice.tv_sec > end->tv_sec ||
	    (slice.tv_sec == end->tv_sec && slice.tv_nsec > end->tv_nsec))
		slice = *end;
	if (pthread_cond_timedwait(&sv->cv, &sv->mu, &slice) != ETIMEDOUT)
		return 0;
	if (slice.tv_sec == end->tv_sec && slice.tv_nsec == end->tv_nsec)
		return -ETIMEDOUT;
	return ctrl_gone(t->ctrl) ? -EPIPE : 0;
}

/* Another test from the host of @s takes UDP hellos: a hello carries no
 * cookie, so one test per host at a time. */
static bool udp_busy(struct srv *sv, const struct srv_slot *s)
{
	for (int i = 0; i < NP_SRV_MAX_TESTS; i++) {
		const struct srv_slot *o = &sv->slots[i];

		if (o != s && o->t && o->udp && o->accepting &&
		    !memcmp(&o->peer, &s->peer, sizeof(s->peer)))
			return true;
	}
	return false;
}

/* Sends CREATE_STREAMS and waits for @n streams: TCP connections that
 * accept.c slots in, or UDP hellos that np_srv_udp_hellos() does. */
static int gather(struct srv *sv, struct np_test *t, int n, bool udp)
{
	struct srv_slot *s;
	struct timespec ts;
	int err = 0;

	deadline(&ts, STREAMS_TIMEOUT_MS);
	pthread_mutex_lock(&sv->mu);
	s = slot_of(sv, t);
	while (udp && !err && udp_busy(sv, s))
		err = wait_until(sv, t, &ts);
	s->n_want = n;
	s->n_got = 0;
	s->udp = udp;
	s->accepting = !err;
	pthread_mutex_unlock(&sv->mu);
	if (!err && np_send_state(t->ctrl, NP_CREATE_STREAMS) < 0)
		err = -EPIPE;
	pthread_mutex_lock(&sv->mu);
	while (!err && s->n_got < n)
		err = wait_until(sv, t, &ts);
	s->accepting = false;
	sort_streams(t, s);
	t->n_streams = s->n_got;
	pthread_cond_broadcast(&sv->cv); /* a test waiting in udp_busy() */
	pthread_mutex_unlock(&sv->mu);
	return err;
}

struct hello {
	struct sockaddr_storage ss;
	socklen_t sl;
};

#define HELLO_QUEUE 8

/* The test in UDP CREATE_STREAMS from host @h that still wants a stream,
 * or NULL.  Called with sv->mu held. */
static struct srv_slot *hello_slot(struct srv *sv, const struct srv_host *h)
{
	for (int i = 0; i < NP_SRV_MAX_TESTS; i++) {
		struct srv_slot *s = &sv->slots[i];

		if (s->t && s->udp && s->accepting && s->n_got < s->n_want &&
		    !memcmp(&s->peer, h, sizeof(*h)))
			return s;
	}
	return NULL;
}

/*
 * Datagrams that reached @fd between its bind() and its connect() were
 * sent to the hello socket (of sockets bound alike, Linux gives one to
 * the newest): queues the hellos among them on @q.
 */
static void requeue(int fd, const struct hello *self, struct hello *q, int *n_q)
{
	for (int i = 0; i < HELLO_QUEUE; i++) {
		struct hello h = { .sl = sizeof(h.ss) };
		uint8_t b[8];
		ssize_t n = recvfrom(fd, b, sizeof(b), MSG_DONTWAIT | MSG_TRUNC,
				     (struct sockaddr *)&h.ss, &h.sl);

		if (n < 0)
			return;
		if (n == 4 && *n_q < HELLO_QUEUE &&
		    (h.sl != self->sl || memcmp(&h.ss, &self->ss, h.sl)))
			q[(*n_q)++] = h;
	}
}

/*
 * A stream for hello @h (iperf_udp_accept): a socket on the server's port
 * connected to the sender, which then gets the reply.  Only the host of a
 * test's control connection gets one: no reply goes to a spoofed source,
 * and no stray datagram takes a stream.  Called with sv->mu held.
 */
static void take_hello(struct srv *sv, const struct hello *h, struct hello *q,
		       int *n_q)
{
	struct srv_host host;
	struct srv_slot *s;
	int fd;

	np_srv_host(&h->ss, &host);
	s = hello_slot(sv, &host);
	if (!s)
		return;
	fd = np_listen(sv->o->bind, sv->o->port, sv->o->family, SOCK_DGRAM);
	if (fd < 0)
		return;
	if (s->t->udp_force) /* else the system's defaults */
		np_udp_bufs(fd, &s->t->p,
			    np_stream_sends(&s->t->p, true, s->n_got));
	if (connect(fd, (const struct sockaddr *)&h->ss, h->sl) < 0) {
		close(fd);
		return;
	}
	requeue(fd, h, q, n_q);
	if (send(fd, udp_reply, 4, 0) != 4) {
		close(fd);
		return;
	}
	s->t->st[s->n_got].fd = fd;
	s->seq[s->n_got++] = sv->seq++;
	pthread_cond_broadcast(&sv->cv);
}

void np_srv_udp_hellos(struct srv *sv)
{
	struct hello q[HELLO_QUEUE];
	int n_q = 0;

	/* a bounded batch: the accept loop polls again */
	for (int i = 0; i < 32 && n_q < HELLO_QUEUE; i++) {
		uint8_t b[8];
		ssize_t n;

		q[n_q].sl = sizeof(q[n_q].ss);
		n = recvfrom(sv->ufd, b, sizeof(b), MSG_DONTWAIT | MSG_TRUNC,
			     (struct sockaddr *)&q[n_q].ss, &q[n_q].sl);
		if (n < 0)
			break;
		if (n == 4) /* else a stray datagram of an older stream */
			n_q++;
	}
	pthread_mutex_lock(&sv->mu);
	for (int i = 0; i < n_q; i++)
		take_hello(sv, &q[i], q, &n_q);
	pthread_mutex_unlock(&sv->mu);
}

int np_srv_create_streams(struct srv *sv, struct np_test *t)
{
	int n = t->p.parallel * (t->p.bidir ? 2 : 1);

	if (t->p.proto == NP_UDP && sv->ufd < 0)
		return -EADDRNOTAVAIL;
	return gather(sv, t, n, t->p.proto == NP_UDP);
}

// SPDX-License-Identifier: MIT
/*
 * CREATE_STREAMS on the server: TCP streams arrive on the listener with
 * the test's cookie (accept.c slots them in, in accept order); UDP
 * streams each send 4 bytes to port 5201/udp, and the socket that got
 * them is connected to the sender and becomes the stream (iperf_udp.c).
 */
#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "log.h"
#include "mono.h"
#include "server.h"

#define STREAMS_TIMEOUT_MS 10000

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

static int tcp_streams(struct srv *sv, struct np_test *t, int n)
{
	struct srv_slot *s;
	struct timespec ts;
	int err = 0;

	pthread_mutex_lock(&sv->mu);
	s = slot_of(sv, t);
	s->n_want = n;
	s->n_got = 0;
	s->accepting = true;
	pthread_mutex_unlock(&sv->mu);
	if (np_send_state(t->ctrl, NP_CREATE_STREAMS) < 0)
		err = -EPIPE;
	deadline(&ts, STREAMS_TIMEOUT_MS);
	pthread_mutex_lock(&sv->mu);
	while (!err && s->n_got < n)
		if (pthread_cond_timedwait(&sv->cv, &sv->mu, &ts) == ETIMEDOUT)
			err = -ETIMEDOUT;
	s->accepting = false;
	sort_streams(t, s);
	t->n_streams = s->n_got;
	pthread_mutex_unlock(&sv->mu);
	return err;
}

/* Waits for one 4-byte hello on @lfd, connects it to the sender (who
 * waits for the reply: udp_streams() sends it). */
static int udp_accept(int lfd, int64_t end)
{
	for (;;) {
		struct pollfd pfd = { .fd = lfd, .events = POLLIN };
		struct sockaddr_storage ss;
		socklen_t sl = sizeof(ss);
		uint8_t b[8];
		ssize_t n;

		if (poll(&pfd, 1, mono_left_ms(end)) <= 0)
			return -ETIMEDOUT;
		n = recvfrom(lfd, b, sizeof(b), MSG_TRUNC,
			     (struct sockaddr *)&ss, &sl);
		if (n != 4)
			continue; /* a stray datagram of an older stream */
		if (connect(lfd, (struct sockaddr *)&ss, sl) < 0)
			return -errno;
		return 0;
	}
}

static int udp_streams(struct srv *sv, struct np_test *t, int n)
{
	int64_t end = mono_ms() + STREAMS_TIMEOUT_MS;
	int lfd, err = 0;

	pthread_mutex_lock(&sv->udp_mu);
	lfd = np_listen(sv->o->bind, sv->o->port, sv->o->family, SOCK_DGRAM);
	if (lfd < 0) {
		pthread_mutex_unlock(&sv->udp_mu);
		return lfd;
	}
	err = np_send_state(t->ctrl, NP_CREATE_STREAMS);
	for (int i = 0; !err && i < n; i++) {
		np_udp_bufs(lfd, &t->p);
		err = udp_accept(lfd, end);
		if (err)
			break;
		t->st[i].fd = lfd;
		t->n_streams = i + 1;
		/* The next listener first: the client sends the next hello as
		 * soon as it has the reply (3.12 iperf_udp_accept). */
		lfd = np_listen(sv->o->bind, sv->o->port, sv->o->family,
				SOCK_DGRAM);
		if (lfd < 0)
			err = lfd;
		else if (send(t->st[i].fd, udp_reply, 4, 0) != 4)
			err = -errno;
	}
	if (lfd >= 0)
		close(lfd);
	pthread_mutex_unlock(&sv->udp_mu);
	return err;
}

int np_srv_create_streams(struct srv *sv, struct np_test *t)
{
	int n = t->p.parallel * (t->p.bidir ? 2 : 1);

	if (t->p.proto == NP_UDP)
		return udp_streams(sv, t, n);
	return tcp_streams(sv, t, n);
}

// SPDX-License-Identifier: MIT
/*
 * Server connections: the accept loop, a short-lived thread per new
 * connection that reads its cookie (NP_SRV_COOKIE_MS), and the registry
 * that hands a data connection to the test whose cookie it carries.  A
 * cookie nobody knows starts a new test, up to --max-tests (and
 * NP_SRV_HOST_TESTS per host); a refused client gets iperf3's busy byte.
 */
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "embnet/log.h"
#include "embnet/mono.h"
#include "proto.h"
#include "server.h"

struct conn {
	struct srv *sv;
	int fd;
	int pend; /* its entry in sv->pending */
	uint64_t seq;
};

static struct srv_slot *find_cookie(struct srv *sv, const char *cookie)
{
	for (int i = 0; i < NP_SRV_MAX_TESTS; i++)
		if (sv->slots[i].t && !strcmp(sv->slots[i].t->cookie, cookie))
			return &sv->slots[i];
	return NULL;
}

/* A data stream for a test in CREATE_STREAMS: slot it in.  Returns true
 * when @fd now belongs to the test.  Called with sv->mu held. */
static bool add_stream(struct srv *sv, struct srv_slot *s, int fd, uint64_t seq)
{
	if (!s->accepting || s->udp || s->n_got >= s->n_want)
		return false;
	s->t->st[s->n_got].fd = fd;
	s->seq[s->n_got++] = seq;
	pthread_cond_broadcast(&sv->cv);
	return true;
}

void np_srv_host(const struct sockaddr_storage *ss, struct srv_host *h)
{
	static const uint8_t mapped[12] = { [10] = 0xff, [11] = 0xff };
	const struct sockaddr_in6 *s6 = (const struct sockaddr_in6 *)ss;
	const struct sockaddr_in *s4 = (const struct sockaddr_in *)ss;

	memset(h, 0, sizeof(*h));
	if (ss->ss_family == AF_INET6 &&
	    !memcmp(s6->sin6_addr.s6_addr, mapped, sizeof(mapped))) {
		h->family = AF_INET;
		memcpy(h->a, s6->sin6_addr.s6_addr + 12, 4);
	} else if (ss->ss_family == AF_INET6) {
		h->family = AF_INET6;
		memcpy(h->a, s6->sin6_addr.s6_addr, 16);
	} else if (ss->ss_family == AF_INET) {
		h->family = AF_INET;
		memcpy(h->a, &s4->sin_addr, 4);
	}
}

static struct np_test *new_test(struct srv *sv, int fd, const char *cookie,
				const struct srv_host *peer)
{
	struct np_test *t;
	int i, n;

	/* --max-tests (iperf3: one); a refused client gets iperf3's busy
	 * answer from conn_main() */
	if (sv->n_tests >= NP_SRV_MAX_TESTS ||
	    sv->n_tests >= sv->o->max_tests || sv->done ||
	    (sv->o->one_off && sv->n_tests > 0))
		return NULL;
	for (i = 0, n = 0; i < NP_SRV_MAX_TESTS; i++)
		if (sv->slots[i].t &&
		    !memcmp(&sv->slots[i].peer, peer, sizeof(*peer)))
			n++;
	if (n >= NP_SRV_HOST_TESTS)
		return NULL;
	for (i = 0; i < NP_SRV_MAX_TESTS && sv->slots[i].t; i++)
		;
	t = calloc(1, sizeof(*t));
	if (!t || np_test_alloc(t) < 0) {
		free(t);
		return NULL;
	}
	t->o = sv->o;
	t->server = true;
	t->ctrl = fd;
	memcpy(t->cookie, cookie, NP_COOKIE_LEN);
	memset(&sv->slots[i], 0, sizeof(sv->slots[i]));
	sv->slots[i].t = t;
	sv->slots[i].peer = *peer;
	sv->n_tests++;
	return t;
}

void np_srv_unregister(struct srv *sv, struct np_test *t, bool counts)
{
	pthread_mutex_lock(&sv->mu);
	for (int i = 0; i < NP_SRV_MAX_TESTS; i++)
		if (sv->slots[i].t == t) {
			sv->slots[i].t = NULL;
			sv->n_tests--;
		}
	if (sv->o->one_off && counts)
		sv->done = true;
	pthread_mutex_unlock(&sv->mu);
}

static void deny(int fd)
{
	int8_t st = NP_ACCESS_DENIED;

	np_write_full(fd, &st, 1);
	close(fd);
}

static void *conn_main(void *arg)
{
	struct conn *c = arg;
	struct srv *sv = c->sv;
	char cookie[NP_COOKIE_LEN];
	struct sockaddr_storage ss;
	socklen_t sl = sizeof(ss);
	struct np_test *t = NULL;
	struct srv_host peer;
	struct srv_slot *s;
	bool taken = false;
	int err = np_read_full(c->fd, cookie, NP_COOKIE_LEN, NP_SRV_COOKIE_MS,
			       NP_SRV_COOKIE_MS);

	memset(&ss, 0, sizeof(ss));
	getpeername(c->fd, (struct sockaddr *)&ss, &sl);
	np_srv_host(&ss, &peer);
	pthread_mutex_lock(&sv->mu);
	sv->n_pending--;
	sv->pending[c->pend].family = 0;
	if (!err && np_cookie_valid((const uint8_t *)cookie, NP_COOKIE_LEN)) {
		s = find_cookie(sv, cookie);
		if (s)
			taken = add_stream(sv, s, c->fd, c->seq);
		else
			t = new_test(sv, c->fd, cookie, &peer);
	}
	pthread_mutex_unlock(&sv->mu);
	if (t) {
		int one = 1;
		setsockopt(c->fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
		np_ctrl_user_timeout(c->fd, sv->o->snd_timeout_ms);
		np_addr_str(&ss, t->peer_host, sizeof(t->peer_host),
			    &t->peer_port);
		np_srv_test(sv, t);
	} else if (!taken) {
		if (err)
			close(c->fd);
		else
			deny(c->fd);
	}
	free(c);
	return NULL;
}

/* Whether @h has a test on this server: its streams (up to 256 with -P
 * 128 --bidir, each a connection until its cookie is read) come from it. */
static bool host_has_test(const struct srv *sv, const struct srv_host *h)
{
	for (int i = 0; i < NP_SRV_MAX_TESTS; i++)
		if (sv->slots[i].t &&
		    !memcmp(&sv->slots[i].peer, h, sizeof(*h)))
			return true;
	return false;
}

/* A free entry of sv->pending for a connection from @h, or -1 when the
 * server or @h has its fill (NP_SRV_HOST_PENDING, unless @h runs a test
 * whose streams are coming).  Called with sv->mu held. */
static int pending_take(struct srv *sv, const struct srv_host *h)
{
	int free_i = -1, n = 0;

	for (int i = 0; i < NP_SRV_MAX_PENDING; i++)
		if (!sv->pending[i].family)
			free_i = free_i < 0 ? i : free_i;
		else if (!memcmp(&sv->pending[i], h, sizeof(*h)))
			n++;
	if (free_i < 0 || (n >= NP_SRV_HOST_PENDING && !host_has_test(sv, h)))
		return -1;
	sv->pending[free_i] = *h;
	sv->n_pending++;
	return free_i;
}

static void spawn_conn(struct srv *sv, int fd,
		       const struct sockaddr_storage *ss)
{
	struct conn *c = malloc(sizeof(*c));
	struct srv_host h;
	pthread_attr_t a;
	pthread_t th;
	bool ok;

	np_srv_host(ss, &h);
	pthread_mutex_lock(&sv->mu);
	ok = c && h.family && (c->pend = pending_take(sv, &h)) >= 0;
	if (ok) {
		c->sv = sv;
		c->fd = fd;
		c->seq = sv->seq++;
	}
	pthread_mutex_unlock(&sv->mu);
	pthread_attr_init(&a);
	pthread_attr_setdetachstate(&a, PTHREAD_CREATE_DETACHED);
	pthread_attr_setstacksize(&a, 512 << 10);
	if (ok && pthread_create(&th, &a, conn_main, c) != 0) {
		pthread_mutex_lock(&sv->mu);
		sv->n_pending--;
		sv->pending[c->pend].family = 0;
		pthread_mutex_unlock(&sv->mu);
		ok = false;
	}
	pthread_attr_destroy(&a);
	if (!ok) {
		free(c);
		deny(fd); /* iperf3's busy answer, cookie unread as there */
	}
}

static bool finished(struct srv *sv)
{
	bool done;

	pthread_mutex_lock(&sv->mu);
	done = sv->done && sv->n_tests == 0 && sv->n_pending == 0;
	pthread_mutex_unlock(&sv->mu);
	return done;
}

#define ACCEPT_BACKOFF_MIN_MS 50
#define ACCEPT_BACKOFF_MAX_MS 1000

/*
 * Out of file descriptors (EMFILE, ENFILE) or kernel memory, accept()
 * fails with the connection still queued, so the listener stays readable:
 * stop polling it for a while, doubling the pause while it lasts, instead
 * of spinning.  Queued clients are served once fds free up.
 */
static int accept_backoff(int err, int wait_ms)
{
	if (err != EMFILE && err != ENFILE && err != ENOBUFS && err != ENOMEM)
		return 0;
	if (!wait_ms) {
		log_warn("accept: %s; pausing", strerror(err));
		return ACCEPT_BACKOFF_MIN_MS;
	}
	return wait_ms * 2 > ACCEPT_BACKOFF_MAX_MS ? ACCEPT_BACKOFF_MAX_MS
						   : wait_ms * 2;
}

int np_srv_accept_loop(struct srv *sv)
{
	int64_t resume = 0;
	int wait_ms = 0;

	while (!finished(sv)) {
		bool paused = mono_ms() < resume;
		struct pollfd pfd[2] = { { .fd = paused ? -1 : sv->lfd,
					   .events = POLLIN },
					 { .fd = sv->ufd, .events = POLLIN } };
		struct sockaddr_storage ss;
		socklen_t sl;
		int fd;

		if (poll(pfd, 2, paused ? mono_left_ms(resume) : 200) <= 0)
			continue;
		if (pfd[1].revents)
			np_srv_udp_hellos(sv);
		if (!pfd[0].revents)
			continue;
		sl = sizeof(ss);
		fd = accept4(sv->lfd, (struct sockaddr *)&ss, &sl,
			     SOCK_CLOEXEC);
		if (fd < 0) {
			wait_ms = accept_backoff(errno, wait_ms);
			resume = mono_ms() + wait_ms;
			continue;
		}
		wait_ms = 0;
		spawn_conn(sv, fd, &ss);
	}
	return 0;
}

// SPDX-License-Identifier: MIT
/*
 * Server connections: the accept loop, a short-lived thread per new
 * connection that reads its cookie (10 s), and the registry that hands a
 * data connection to the test whose cookie it carries.  A cookie nobody
 * knows starts a new test, up to NP_SRV_MAX_TESTS.
 */
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "log.h"
#include "mono.h"
#include "proto.h"
#include "server.h"

struct conn {
	struct srv *sv;
	int fd;
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
	if (!s->accepting || s->n_got >= s->n_want)
		return false;
	s->t->st[s->n_got].fd = fd;
	s->seq[s->n_got++] = seq;
	pthread_cond_broadcast(&sv->cv);
	return true;
}

static struct np_test *new_test(struct srv *sv, int fd, const char *cookie)
{
	struct np_test *t;
	int i;

	if (sv->n_tests >= NP_SRV_MAX_TESTS || sv->done ||
	    (sv->o->one_off && sv->n_tests > 0))
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
	struct np_test *t = NULL;
	struct srv_slot *s;
	bool taken = false;
	int err = np_read_full(c->fd, cookie, NP_COOKIE_LEN, NP_IO_TIMEOUT_MS,
			       NP_IO_TIMEOUT_MS);

	pthread_mutex_lock(&sv->mu);
	sv->n_pending--;
	if (!err && np_cookie_valid((const uint8_t *)cookie, NP_COOKIE_LEN)) {
		s = find_cookie(sv, cookie);
		if (s)
			taken = add_stream(sv, s, c->fd, c->seq);
		else
			t = new_test(sv, c->fd, cookie);
	}
	pthread_mutex_unlock(&sv->mu);
	if (t) {
		struct sockaddr_storage ss;
		int one = 1;
		setsockopt(c->fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
		np_user_timeout(c->fd, sv->o->snd_timeout_ms);
		socklen_t sl = sizeof(ss);
		memset(&ss, 0, sizeof(ss));
		getpeername(c->fd, (struct sockaddr *)&ss, &sl);
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

static void spawn_conn(struct srv *sv, int fd)
{
	struct conn *c = malloc(sizeof(*c));
	pthread_attr_t a;
	pthread_t th;
	bool ok;

	pthread_mutex_lock(&sv->mu);
	ok = c && sv->n_pending < NP_SRV_MAX_PENDING;
	if (ok) {
		sv->n_pending++;
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
		pthread_mutex_unlock(&sv->mu);
		ok = false;
	}
	pthread_attr_destroy(&a);
	if (!ok) {
		free(c);
		close(fd);
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

int np_srv_accept_loop(struct srv *sv)
{
	while (!finished(sv)) {
		struct pollfd pfd = { .fd = sv->lfd, .events = POLLIN };
		int fd;

		if (poll(&pfd, 1, 200) <= 0)
			continue;
		fd = accept4(sv->lfd, NULL, NULL, SOCK_CLOEXEC);
		if (fd < 0)
			continue;
		spawn_conn(sv, fd);
	}
	return 0;
}

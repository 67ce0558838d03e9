// SPDX-License-Identifier: MIT
// sources: netperf/proto.c netperf/stream.c netperf/udp.c netperf/zc.c
/*
 * netperf's sending threads (stream.c) under a -n target, on a socket
 * pair whose reader stays away for a while: the sends the socket's
 * 100 ms timeout cuts short, or that send nothing, must not lose the
 * blocks they had reserved of the target.  And its receiving threads,
 * whose peer keeps sending after the end: they stop all the same.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

/* What stream.c reaches in net.c, util.c and tls.c; only
 * np_stream_init(), which these tests do not call, and --tls use them. */
void np_fill_payload(uint8_t *buf, size_t len, bool repeating)
{
	(void)repeating;
	memset(buf, 'x', len);
}

void np_user_timeout(int fd, int ms)
{
	(void)fd;
	(void)ms;
}

void np_sock_names(int fd, char *local, int *lport, char *remote, int *rport)
{
	(void)fd;
	local[0] = remote[0] = 0;
	*lport = *rport = 0;
}

ssize_t np_tls_send(struct np_stream *s, const void *buf, size_t len)
{
	(void)s;
	(void)buf;
	(void)len;
	errno = ENOTSUP;
	return -1;
}

ssize_t np_tls_recv(struct np_stream *s, void *buf, size_t len)
{
	(void)s;
	(void)buf;
	(void)len;
	errno = ENOTSUP;
	return -1;
}

#define AWAY_MS 350 /* the reader's absence: several send timeouts */

struct fix {
	struct np_opts o;
	struct np_test t;
	struct np_stream s;
	int peer;
};

/* A sending stream of @proto on one end of a socket pair of @type, with
 * the 100 ms send timeout of np_stream_init() and a small buffer. */
static struct fix *fix_new(int proto, int type, uint32_t len, uint64_t bytes)
{
	struct fix *f = calloc(1, sizeof(*f));
	struct timeval tv = { .tv_sec = 0, .tv_usec = 100000 };
	int sv[2], small = 16384;

	assert_non_null(f);
	assert_int_equal(socketpair(AF_UNIX, type, 0, sv), 0);
	assert_int_equal(
		setsockopt(sv[0], SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv)), 0);
	assert_int_equal(
		setsockopt(sv[0], SOL_SOCKET, SO_SNDBUF, &small, sizeof(small)),
		0);
	f->t.o = &f->o;
	np_params_default(&f->t.p);
	f->t.p.proto = proto;
	f->t.p.len = len;
	f->t.p.bytes = bytes;
	f->t.n_streams = 1;
	f->t.st = &f->s;
	f->s.t = &f->t;
	f->s.fd = sv[0];
	f->s.zc_fd = -1;
	f->s.sender = true;
	f->s.n_batch = udp_batch_max(len);
	f->s.buf_len = stream_buf_len(&f->t, true);
	assert_int_equal(posix_memalign((void **)&f->s.buf, NP_BUF_ALIGN,
					f->s.buf_len + NP_BUF_ALIGN),
			 0);
	memset(f->s.buf, 'x', f->s.buf_len + NP_BUF_ALIGN);
	pthread_mutex_init(&f->s.mu, NULL);
	f->peer = sv[1];
	return f;
}

static void fix_free(struct fix *f)
{
	close(f->s.fd);
	close(f->peer);
	free(f->s.buf);
	pthread_mutex_destroy(&f->s.mu);
	free(f);
}

static void nap_ms(int ms)
{
	struct timespec ts = { .tv_sec = ms / 1000,
			       .tv_nsec = (long)(ms % 1000) * 1000000 };

	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

/* Reads from @fd until @want bytes came or none for 2 s; returns the
 * bytes read.  @last_seq, if set, gets the last datagram's sequence. */
static uint64_t drain(int fd, uint64_t want, uint64_t *last_seq, bool *order)
{
	static uint8_t buf[1 << 16];
	struct pollfd p = { .fd = fd, .events = POLLIN };
	uint64_t got = 0;

	while (got < want && poll(&p, 1, 2000) == 1) {
		ssize_t n = recv(fd, buf, sizeof(buf), 0);
		int64_t sent;
		uint64_t seq;

		if (n <= 0)
			break;
		got += (uint64_t)n;
		if (last_seq &&
		    np_udp_hdr_get(buf, (size_t)n, false, &sent, &seq) == 0) {
			*order &= seq == *last_seq + 1;
			*last_seq = seq;
		}
	}
	return got;
}

/* TCP -n 2M in blocks of 128 KiB, three to a send: 2 MiB sent, and the
 * thread ends.  The sends cut short lost the rest of their blocks, so the
 * target was never reached and the client waited for it forever. */
static void test_tcp_short_sends(void **state)
{
	struct fix *f = fix_new(NP_TCP, SOCK_STREAM, 128 << 10, 2u << 20);

	(void)state;
	assert_int_equal(np_stream_start(&f->s), 0);
	nap_ms(AWAY_MS);
	assert_true(drain(f->peer, 2u << 20, NULL, NULL) == 2u << 20);
	pthread_join(f->s.th, NULL);
	assert_true(atomic_load(&f->s.bytes) == 2u << 20);
	assert_true(f->s.pos == 2u << 20);
	assert_int_equal(atomic_load(&f->t.send_err), 0);
	fix_free(f);
}

/* UDP -n 200000 -l 1000: 200 datagrams, numbered 1 to 200, though the
 * full socket sent none of some batches (EAGAIN) and part of others. */
static void test_udp_full_socket(void **state)
{
	struct fix *f = fix_new(NP_UDP, SOCK_DGRAM, 1000, 200000);
	uint64_t seq = 0;
	bool order = true;

	(void)state;
	assert_int_equal(np_stream_start(&f->s), 0);
	nap_ms(AWAY_MS);
	assert_true(drain(f->peer, 200000, &seq, &order) == 200000);
	pthread_join(f->s.th, NULL);
	assert_true(atomic_load(&f->s.packets) == 200);
	assert_true(atomic_load(&f->s.bytes) == 200000);
	assert_true(seq == 200 && order);
	fix_free(f);
}

/* A connected TCP pair on loopback into @sv. */
static void tcp_pair(int sv[2])
{
	struct sockaddr_in a = { .sin_family = AF_INET };
	socklen_t alen = sizeof(a);
	int l = socket(AF_INET, SOCK_STREAM, 0);

	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	assert_true(l >= 0);
	assert_int_equal(bind(l, (struct sockaddr *)&a, sizeof(a)), 0);
	assert_int_equal(listen(l, 1), 0);
	assert_int_equal(getsockname(l, (struct sockaddr *)&a, &alen), 0);
	sv[1] = socket(AF_INET, SOCK_STREAM, 0);
	assert_int_equal(connect(sv[1], (struct sockaddr *)&a, sizeof(a)), 0);
	sv[0] = accept(l, NULL, NULL);
	assert_true(sv[0] >= 0);
	close(l);
}

/* A server's receiving stream of @proto on sv[0] (the 100 ms receive
 * timeout of np_stream_init()), counting; its peer sv[1] floods. */
static struct fix *rx_new(int proto, bool skip_rx_copy)
{
	struct fix *f = calloc(1, sizeof(*f));
	struct timeval tv = { .tv_sec = 0, .tv_usec = 100000 };
	int sv[2];

	assert_non_null(f);
	if (proto == NP_TCP)
		tcp_pair(sv);
	else
		assert_int_equal(socketpair(AF_UNIX, SOCK_DGRAM, 0, sv), 0);
	assert_int_equal(
		setsockopt(sv[0], SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)), 0);
	assert_int_equal(
		setsockopt(sv[1], SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv)), 0);
	f->t.o = &f->o;
	f->t.server = true;
	np_params_default(&f->t.p);
	f->t.p.proto = proto;
	f->t.p.len = proto == NP_TCP ? NP_TCP_LEN : 1000;
	f->t.p.skip_rx_copy = skip_rx_copy;
	f->t.n_streams = 1;
	f->t.st = &f->s;
	atomic_store(&f->t.counting, true);
	f->s.t = &f->t;
	f->s.fd = sv[0];
	f->s.zc_fd = -1;
	f->s.n_batch = udp_batch_max(f->t.p.len);
	f->s.buf_len = stream_buf_len(&f->t, false);
	assert_int_equal(posix_memalign((void **)&f->s.buf, NP_BUF_ALIGN,
					f->s.buf_len + NP_BUF_ALIGN),
			 0);
	pthread_mutex_init(&f->s.mu, NULL);
	f->peer = sv[1];
	return f;
}

struct flood {
	int fd;
	size_t len;
	atomic_bool done;
	uint64_t sent;
};

/* Sends datagrams (numbered from 1) or blocks of @fl->len until done. */
static void *flood_main(void *arg)
{
	struct flood *fl = arg;
	uint8_t buf[1 << 16];
	uint64_t seq = 1;

	memset(buf, 'x', sizeof(buf));
	while (!atomic_load(&fl->done)) {
		ssize_t n;

		np_udp_hdr_put(buf, mono_ns(), seq, false);
		n = send(fl->fd, buf, fl->len, MSG_NOSIGNAL);
		if (n > 0) {
			fl->sent += (uint64_t)n;
			seq++;
		}
	}
	return NULL;
}

/* The receiver of @proto ends within 2 s of the test's end (stop, not
 * quit; no shutdown(SHUT_RD) either) while its peer goes on sending, and
 * counted no more than came.  It went on reading until quit: a peer
 * faster than the reader (a slow device's) held up the results for good. */
static void rx_stops(int proto, bool skip_rx_copy)
{
	struct fix *f = rx_new(proto, skip_rx_copy);
	struct flood fl = { .fd = f->peer,
			    .len = proto == NP_TCP ? 65536 : 1000 };
	struct timespec ts;
	pthread_t th;
	int joined;

	assert_int_equal(pthread_create(&th, NULL, flood_main, &fl), 0);
	assert_int_equal(np_stream_start(&f->s), 0);
	nap_ms(200);
	atomic_store(&f->t.stop, true);
	clock_gettime(CLOCK_REALTIME, &ts);
	ts.tv_sec += 2;
	joined = pthread_timedjoin_np(f->s.th, NULL, &ts);
	if (joined) { /* let it go, then fail */
		atomic_store(&f->t.quit, true);
		pthread_join(f->s.th, NULL);
	}
	atomic_store(&fl.done, true);
	pthread_join(th, NULL);
	assert_int_equal(joined, 0);
	assert_true(atomic_load(&f->s.bytes) > 0);
	assert_true(atomic_load(&f->s.bytes) <= fl.sent);
	assert_int_equal(atomic_load(&f->t.recv_err), 0);
	fix_free(f);
}

static void test_tcp_rx_stops(void **state)
{
	(void)state;
	rx_stops(NP_TCP, false);
}

static void test_tcp_rx_stops_skip_copy(void **state)
{
	(void)state;
	rx_stops(NP_TCP, true);
}

static void test_udp_rx_stops(void **state)
{
	(void)state;
	rx_stops(NP_UDP, false);
}

/* A sender's byte and datagram counts stop at UINT64_MAX. */
static void test_count_saturates(void **state)
{
	_Atomic uint64_t c = UINT64_MAX - 5;

	(void)state;
	count_add(&c, 5);
	assert_true(atomic_load(&c) == UINT64_MAX);
	count_add(&c, 1);
	assert_true(atomic_load(&c) == UINT64_MAX);
	atomic_store(&c, 1);
	count_add(&c, UINT64_MAX);
	assert_true(atomic_load(&c) == UINT64_MAX);
	atomic_store(&c, 0);
	count_add(&c, UINT64_MAX - 1);
	assert_true(atomic_load(&c) == UINT64_MAX - 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_tcp_short_sends),
		cmocka_unit_test(test_udp_full_socket),
		cmocka_unit_test(test_tcp_rx_stops),
		cmocka_unit_test(test_tcp_rx_stops_skip_copy),
		cmocka_unit_test(test_udp_rx_stops),
		cmocka_unit_test(test_count_saturates),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

// SPDX-License-Identifier: MIT
// sources: netperf/client.c netperf/proto.c netperf/test.c
// sources: netperf/report.c netperf/json.c
// sources: netperf/summary.c netperf/verbose.c netperf/util.c
// sources: netperf/tls.c netperf/tcpinfo.c netperf/zc.c
// sources: netperf/auth.c netperf/authfmt.c
// fuzz-covers: netperf/client.c
// fuzz-covers: netperf/proto.c:np_len_check,np_state_ok,np_results_*,stream_*
// fuzz-covers: netperf/proto.c:results_*,num_of,np_json_i64
// fuzz-covers: netperf/util.c:np_recv_json,np_read_full,wait_fd
// fuzz-covers: netperf/test.c:np_test_apply_peer
// fuzz-covers: netperf/json.c:np_json_end,side_of,has_retr,*_stream,*sums*
// fuzz-covers: netperf/json.c:add_cpu,add_cc
// fuzz-covers: netperf/summary.c
/*
 * The client's side of the control protocol against a hostile server:
 * np_client_run() itself, its control connection one end of a
 * socketpair() whose other end a thread feeds the server's bytes from the
 * input (then shuts down, and reads whatever the client sends).
 *
 * This file stands in for netperf/net.c and netperf/stream.c: np_connect()
 * hands out socketpair() ends (the control connection first, then one per
 * data stream, a UDP one with the server's reply queued), and a stream's
 * "thread" moves its share of the -n target at once, without a thread, so
 * that the test ends at its first look.  Nothing touches the network or
 * waits on a timer.
 *
 * Input: three bytes of options, then the server's bytes.
 *   0: bit 0 -u; bits 1-2 -R, --bidir; bits 3-4 -P 1..4; bit 5 -J;
 *      bit 6 --json-stream; bit 7 -V
 *   1: bit 0 -n 1000 (else -t 0: the test ends when the server speaks);
 *      bit 1 --get-server-output; bit 2 --udp-counters-64bit; bit 3 -i;
 *      bit 4 -T and --timestamps; bits 5-6 -C reno / -C none-such
 *   2: bit 0 3.11's UDP reply; bit 1 a stray datagram before it; bit 2
 *      -f m; bit 3 -O 1; bit 4 the second stream fails (TCP: its connect,
 *      UDP: the handshake); bit 5 the control connect fails; bit 6 an
 *      authentication user too long; bit 7 the server reads the cookie,
 *      then nothing (every later write of the client fails)
 * A server of 3.12 sends PARAM_EXCHANGE (9), CREATE_STREAMS (10),
 * TEST_START (1), TEST_RUNNING (2), EXCHANGE_RESULTS (13) and its results
 * JSON (be32 length, text), DISPLAY_RESULTS (14); SERVER_ERROR (-2) is
 * followed by two be32 error numbers.
 *
 * Invariants: no crash, leak or UB; the client succeeds only for that
 * exchange in that order; every socket it was given is closed when it
 * returns; its heap (ASan builds) peaks at most 4 MiB + 64 bytes per input
 * byte above the largest single block (np_recv_json's buffer): a flood of
 * TEST_START to a -J client took 3.4 KiB a byte; the slack is for the
 * indented prints of a server_output_json 1000 levels deep (cJSON's
 * limit), 2.2 MiB.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "fuzz.h"
#include "../../netperf/proto.h"
#include "../../netperf/test.h"

#define MAX_FDS 64
#define HEAP_SLACK (4 << 20)
#define HEAP_PER_BYTE 64

/* ASan's hooks; absent (NULL) in the replay and coverage builds. */
void __sanitizer_install_malloc_and_free_hooks(
	void (*malloc_hook)(const volatile void *, size_t),
	void (*free_hook)(const volatile void *)) __attribute__((weak));
size_t __sanitizer_get_allocated_size(const volatile void *p)
	__attribute__((weak));

static atomic_bool heap_on;
static atomic_llong heap_live, heap_peak, heap_max_block;

static void malloc_hook(const volatile void *p, size_t n)
{
	long long live, peak;

	(void)p;
	if (!atomic_load(&heap_on))
		return;
	live = atomic_fetch_add(&heap_live, (long long)n) + (long long)n;
	peak = atomic_load(&heap_peak);
	while (live > peak &&
	       !atomic_compare_exchange_weak(&heap_peak, &peak, live))
		;
	peak = atomic_load(&heap_max_block);
	while ((long long)n > peak &&
	       !atomic_compare_exchange_weak(&heap_max_block, &peak,
					     (long long)n))
		;
}

static void free_hook(const volatile void *p)
{
	if (atomic_load(&heap_on) && p)
		atomic_fetch_sub(&heap_live,
				 (long long)__sanitizer_get_allocated_size(p));
}

/* What the stand-in of net.c hands out for one run. */
static struct {
	int ctrl;	    /* the client's end of the control connection */
	int fds[MAX_FDS];   /* every socket given to the client */
	int peers[MAX_FDS]; /* and their other ends */
	int n_fds, n_streams;
	uint8_t opt2;
} run;

static char long_user[NP_TEXT_MAX * 2];

static bool remember(int fd, int peer)
{
	if (run.n_fds == MAX_FDS)
		return false;
	run.fds[run.n_fds] = fd;
	run.peers[run.n_fds++] = peer;
	return true;
}

/* The server's reply to the client's UDP "9876" (3.12's or 3.11's). */
static void udp_reply(int peer)
{
	static const uint8_t r312[4] = { '6', '7', '8', '9' };
	static const uint8_t r311[4] = { 0xb1, 0x68, 0xde, 0x3a };

	if (run.opt2 & 2)
		send(peer, "stray", 5, 0);
	send(peer, run.opt2 & 1 ? r311 : r312, 4, 0);
}

int np_connect(const char *host, int port, int family, int type,
	       const char *bind, int cport, int timeout_ms,
	       void (*pre)(int fd, void *arg), void *arg)
{
	int sv[2];

	(void)host, (void)port, (void)family, (void)bind, (void)cport;
	(void)timeout_ms;
	if (!pre) /* client_connect() */
		return run.opt2 & 32 ? -ECONNREFUSED : run.ctrl;
	if (++run.n_streams == 2 && (run.opt2 & 16) && type == SOCK_STREAM)
		return -ECONNREFUSED;
	if (socketpair(AF_UNIX, type | SOCK_CLOEXEC, 0, sv) < 0)
		return -errno;
	if (!remember(sv[0], sv[1])) {
		close(sv[0]);
		close(sv[1]);
		return -EMFILE;
	}
	pre(sv[0], arg);
	if (type == SOCK_DGRAM && run.n_streams == 2 && (run.opt2 & 16))
		shutdown(sv[1], SHUT_RD); /* the client's "9876" fails */
	else if (type == SOCK_DGRAM)
		udp_reply(sv[1]);
	return sv[0];
}

void np_sock_opts(int fd, const struct np_params *p, bool tcp)
{
	(void)fd, (void)p, (void)tcp;
}

void np_udp_bufs(int fd, const struct np_params *p, bool sender)
{
	(void)fd, (void)p, (void)sender;
}

void np_user_timeout(int fd, int ms)
{
	(void)fd, (void)ms;
}

void np_ctrl_user_timeout(int fd, int ms)
{
	(void)fd, (void)ms;
}

void np_cpu_sample(struct np_cpu *c)
{
	memset(c, 0, sizeof(*c));
}

void np_cpu_percent(const struct np_cpu *a, const struct np_cpu *b,
		    double *total, double *user, double *sys)
{
	(void)a, (void)b;
	*user = 1.5;
	*sys = 0.5;
	*total = 2;
}

/* The stand-in of stream.c: what np_stream_init() sets, and a "thread"
 * that has moved the -n target (UDP: its datagrams) once started. */
int np_stream_init(struct np_test *t, struct np_stream *s, int fd, int i)
{
	s->t = t;
	s->fd = fd;
	s->zc_fd = -1;
	s->id = np_stream_id(i);
	s->sender = np_stream_sends(&t->p, t->server, i);
	s->buf_len = 64;
	s->n_batch = 1;
	s->buf = malloc(s->buf_len);
	if (!s->buf)
		return -ENOMEM;
	pthread_mutex_init(&s->mu, NULL);
	strcpy(s->local, "192.0.2.1");
	strcpy(s->remote, "192.0.2.2");
	s->lport = 40000 + i;
	s->rport = 5201;
	s->min_rtt = UINT32_MAX;
	return 0;
}

int np_stream_start(struct np_stream *s)
{
	const struct np_params *p = &s->t->p;
	int64_t k = (int64_t)(p->bytes / p->len) + 1;

	atomic_fetch_add(&s->bytes, p->bytes);
	if (p->proto == NP_UDP && s->sender) {
		atomic_fetch_add(&s->packets, (uint64_t)k);
	} else if (p->proto == NP_UDP) {
		pthread_mutex_lock(&s->mu);
		s->rx.packet_count += k + 1;
		s->rx.cnt_error += 1;
		s->rx.ooo += 1;
		s->rx.jitter = 0.000125;
		pthread_mutex_unlock(&s->mu);
	}
	return 0;
}

/* The server: its bytes out, then what the client says until it closes. */
struct server {
	int fd;
	const uint8_t *buf;
	size_t len;
	bool deaf;
};

/* Reads the client's cookie, then shuts reading down, so that each later
 * write of the client fails (EPIPE), whatever the timing. */
static void go_deaf(int fd)
{
	uint8_t cookie[NP_COOKIE_LEN];

	if (np_read_full(fd, cookie, sizeof(cookie), 10000, 10000) == 0)
		shutdown(fd, SHUT_RD);
}

static void *server_main(void *arg)
{
	struct server *sv = arg;
	uint8_t sink[4096];
	size_t off = 0;
	bool wr = true;

	if (sv->deaf) {
		go_deaf(sv->fd);
		np_write_full(sv->fd, sv->buf, sv->len);
		shutdown(sv->fd, SHUT_WR);
		return NULL;
	}
	if (!sv->len) {
		shutdown(sv->fd, SHUT_WR);
		wr = false;
	}
	for (;;) {
		struct pollfd pfd = { .fd = sv->fd,
				      .events = POLLIN | (wr ? POLLOUT : 0) };
		ssize_t n;

		if (poll(&pfd, 1, -1) < 0 && errno != EINTR)
			break;
		if (wr && (pfd.revents & (POLLOUT | POLLERR | POLLHUP))) {
			n = send(sv->fd, sv->buf + off, sv->len - off,
				 MSG_NOSIGNAL | MSG_DONTWAIT);
			if (n > 0)
				off += (size_t)n;
			if ((n < 0 && errno != EAGAIN) || off == sv->len) {
				shutdown(sv->fd, SHUT_WR);
				wr = false;
			}
		}
		if (pfd.revents & (POLLIN | POLLHUP | POLLERR)) {
			n = recv(sv->fd, sink, sizeof(sink), MSG_DONTWAIT);
			if (n == 0 || (n < 0 && errno != EAGAIN))
				break;
		}
	}
	return NULL;
}

static void options(struct np_opts *o, const uint8_t *c)
{
	static const char *const cc[] = { "", "reno", "none-such", "" };

	memset(o, 0, sizeof(*o));
	np_params_default(&o->p);
	o->client = true;
	o->host = "192.0.2.2";
	o->port = NP_DEFAULT_PORT;
	o->fmt = c[2] & 4 ? 'm' : 'a';
	o->p.proto = c[0] & 1 ? NP_UDP : NP_TCP;
	o->p.reverse = (c[0] >> 1 & 3) == 1;
	o->p.bidir = (c[0] >> 1 & 3) == 2;
	o->p.parallel = (c[0] >> 3 & 3) + 1;
	o->json = c[0] & 32;
	o->json_stream = c[0] & 64;
	o->verbose = c[0] & 128;
	o->p.duration = 0;
	o->p.bytes = c[1] & 1 ? 1000 : 0;
	o->p.get_server_output = c[1] & 2;
	o->p.udp64 = c[1] & 4;
	o->interval = c[1] & 8 ? 1e-9 : 0;
	if (c[1] & 16) {
		strcpy(o->p.title, "fuzz");
		o->timestamps = "";
	}
	strcpy(o->p.congestion, cc[c[1] >> 5 & 3]);
	o->p.omit = c[2] & 8 ? 1 : 0;
	if (c[2] & 64) {
		o->username = long_user;
		o->rsa_pub = "/nonexistent";
	}
}

static uint32_t be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	       (uint32_t)p[2] << 8 | p[3];
}

/* True when @s starts as a 3.12 server's whole exchange does. */
static bool exchange_ok(const uint8_t *s, size_t len)
{
	static const uint8_t states[] = { 9, 10, 1, 2, 13 };
	uint32_t n;

	if (len < 9 || memcmp(s, states, sizeof(states)))
		return false;
	n = be32(s + 5);
	return n <= len - 10 && s[9 + n] == 14;
}

static void check_closed(void)
{
	for (int i = 0; i < run.n_fds; i++)
		if (fcntl(run.fds[i], F_GETFD) != -1 || errno != EBADF)
			abort(); /* a data socket the client did not close */
}

static void heap_check(size_t size)
{
	long long over = atomic_load(&heap_peak) - atomic_load(&heap_max_block);

	if (over > HEAP_SLACK + (long long)size * HEAP_PER_BYTE)
		abort(); /* the report grew with repeated states */
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc, (void)argv;
	signal(SIGPIPE, SIG_IGN);
	memset(long_user, 'u', sizeof(long_user) - 1);
	/* the report's text and JSON */
	if (!freopen("/dev/null", "w", stdout))
		abort();
	if (__sanitizer_install_malloc_and_free_hooks &&
	    __sanitizer_get_allocated_size)
		__sanitizer_install_malloc_and_free_hooks(malloc_hook,
							  free_hook);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct server sv;
	struct np_opts o;
	pthread_t th;
	int sp[2], rc;

	if (size < 3 || size > (64u << 10))
		return 0;
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sp) < 0)
		abort();
	options(&o, data);
	memset(&run, 0, sizeof(run));
	run.ctrl = sp[0];
	run.opt2 = data[2];
	if (!(run.opt2 & 32))
		remember(sp[0], -1);
	sv = (struct server){ sp[1], data + 3, size - 3, data[2] & 128 };
	if (pthread_create(&th, NULL, server_main, &sv))
		abort();
	atomic_store(&heap_live, 0);
	atomic_store(&heap_peak, 0);
	atomic_store(&heap_max_block, 0);
	atomic_store(&heap_on, true);
	rc = np_client_run(&o);
	atomic_store(&heap_on, false);
	if (run.opt2 & 32) /* never the client's */
		close(sp[0]);
	pthread_join(th, NULL);
	close(sp[1]);
	for (int i = 0; i < run.n_fds; i++)
		if (run.peers[i] >= 0)
			close(run.peers[i]);
	check_closed();
	heap_check(size);
	if (rc == 0 && !exchange_ok(data + 3, size - 3))
		abort(); /* a protocol violation accepted */
	return 0;
}

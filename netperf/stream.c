// SPDX-License-Identifier: MIT
/*
 * Data streams: one thread per stream, blocking sockets with a 100 ms
 * timeout so the thread notices the end of the test.  Senders pace -b
 * with a token bucket on absolute-time sleeps, or when unpaced send TCP
 * in calls of several blocks; -Z sends TCP with
 * sendfile() from a memfd (as iperf3 does from its mmapped file), or
 * with MSG_ZEROCOPY for --zerocopy=z (zc.c); UDP
 * sends in batches (UDP_SEGMENT, else sendmmsg) and receives with
 * recvmmsg, coalesced by UDP_GRO where the kernel has it; TCP receives
 * into a buffer as iperf3 does, or with MSG_TRUNC (no copy to user space)
 * when the client asked for --skip-rx-copy.
 */
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <netinet/udp.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/sendfile.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "embnet/mono.h"
#include "proto.h"
#include "test.h"
#include "tls.h"
#include "udp.h"

#ifndef UDP_SEGMENT
#define UDP_SEGMENT 103
#endif
#ifndef UDP_GRO
#define UDP_GRO 104
#endif

#define UDP_BATCH 32
#define GRO_SLOT (64u << 10) /* one coalesced message at most */
#define GRO_SLOTS 4
#define TCP_RX_MIN (256u << 10)
#define TCP_RX_MAX (1u << 20)
#define TCP_RX_BUDGET (4u << 20)  /* receive buffers of one test */
#define TCP_TX_CHUNK (384u << 10) /* bytes per unpaced send call */
#define TCP_TX_IOV 64		  /* blocks per send call at most */
#define NP_BUF_ALIGN 4096u	  /* see buf_at() */
#define LOWAT_PERIOD_NS 10000000  /* re-measure the rate every 10 ms */
#define PACE_SLACK_NS 10000000	  /* catch up at most 10 ms of backlog */
#define PACE_NAP_NS 20000000	  /* longest sleep between looks at stop */

struct pacer {
	const atomic_bool *stop;
	int64_t next_ns;
	double ns_per_byte;
	uint32_t burst, in_burst;
};

static void pacer_init(struct pacer *pc, const struct np_test *t)
{
	const struct np_params *p = &t->p;

	pc->stop = &t->stop;
	pc->next_ns = mono_ns();
	pc->ns_per_byte = p->rate ? 8e9 / (double)p->rate : 0;
	pc->burst = p->burst;
	pc->in_burst = 0;
}

/* Accounts @n bytes sent and sleeps until the bucket allows more, in
 * naps short enough that the end of the test is not held up. */
static void pace(struct pacer *pc, size_t n)
{
	struct timespec ts;
	int64_t now, wake;

	if (pc->ns_per_byte == 0)
		return;
	pc->next_ns += (int64_t)(pc->ns_per_byte * (double)n);
	if (pc->burst && ++pc->in_burst < pc->burst)
		return;
	pc->in_burst = 0;
	now = mono_ns();
	if (pc->next_ns < now - PACE_SLACK_NS)
		pc->next_ns = now - PACE_SLACK_NS;
	while (pc->next_ns > now &&
	       !atomic_load_explicit(pc->stop, memory_order_relaxed)) {
		wake = pc->next_ns - now > PACE_NAP_NS ? now + PACE_NAP_NS
						       : pc->next_ns;
		ts.tv_sec = wake / 1000000000;
		ts.tv_nsec = wake % 1000000000;
		clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL);
		now = mono_ns();
	}
}

/* Reserves up to @want blocks (datagrams for UDP) of a -n/-k target, one
 * at a time as the streams share it; returns how many it got, 0 once the
 * target is used up. */
static int reserve(struct np_test *t, int want)
{
	int i;

	if (!t->p.bytes && !t->p.blocks)
		return want;
	for (i = 0; i < want; i++) {
		if (t->p.bytes &&
		    atomic_fetch_add(&t->sent_total, t->p.len) >= t->p.bytes)
			break;
		if (t->p.blocks &&
		    atomic_fetch_add(&t->blocks_total, 1) >= t->p.blocks)
			break;
	}
	return i;
}

/* Adds @n to counter @c of a stream, which only the stream's thread
 * writes: saturates at UINT64_MAX rather than wrap. */
static void count_add(_Atomic uint64_t *c, uint64_t n)
{
	uint64_t v = atomic_load_explicit(c, memory_order_relaxed);

	v = v > UINT64_MAX - n ? UINT64_MAX : v + n;
	atomic_store_explicit(c, v, memory_order_relaxed);
}

static bool soft_err(void)
{
	return errno == EAGAIN || errno == EINTR || errno == ENOBUFS;
}

/* Keeps errno as the first hard error in @slot (the client fails on it,
 * as iperf3 does: IESTREAMWRITE, IESTREAMREAD). */
static void hard_err(atomic_int *slot)
{
	int none = 0;

	atomic_compare_exchange_strong(slot, &none, errno);
}

/*
 * Where in the buffer the TCP byte at stream offset @pos is copied from or
 * to: at @pos's own offset in a 4 KiB page.  On loopback and veth the
 * kernel copies between our buffer and the sender's pages, where byte @pos
 * sits at that same page offset (a sending thread's page frags fill from
 * offset 0 in stream order; -Z sends pages of a file from offset 0).  The
 * copy is `rep movsb`, which on AMD Zen 3 runs 25 times slower when the
 * destination is 1 to 31 bytes past the source modulo 4 KiB (40 GB/s
 * against 1.5, measured here): malloc's 16-byte header and reads of whole
 * pages kept every receive at that distance, 9 Gbit/s instead of 30 on
 * loopback.  Equal offsets were the fastest distance measured.
 */
static uint8_t *buf_at(const struct np_stream *s, uint64_t pos)
{
	return s->buf + (pos & (NP_BUF_ALIGN - 1));
}

/* @n bytes of the buffer in one sendmsg(), in pieces of at most a block
 * (-l), each where buf_at() has its stream offset. */
static ssize_t tcp_send_bytes(struct np_stream *s, size_t n)
{
	struct iovec iov[TCP_TX_IOV];
	struct msghdr mh = { .msg_iov = iov };
	size_t len = s->t->p.len, done = 0;

	while (done < n && mh.msg_iovlen < TCP_TX_IOV) {
		size_t l = n - done < len ? n - done : len;

		iov[mh.msg_iovlen].iov_base = buf_at(s, s->pos + done);
		iov[mh.msg_iovlen++].iov_len = l;
		done += l;
	}
	return sendmsg(s->fd, &mh, MSG_NOSIGNAL);
}

/*
 * Blocks per send call when unpaced: about 384 KiB.  While the sender is
 * inside sendmsg() it owns the socket, so the peer's ACKs queue to its
 * backlog and are processed on the sender's CPU; between short calls the
 * receiver's CPU processes them and transmits from there too, and on
 * veth those packets then race the sender's (reordering, spurious fast
 * retransmits).  Measured on veth with -P 2: 1.6-1.8x the throughput of
 * one 128 KiB block per call.  The bytes on the wire are the same.
 */
/* Blocks per unpaced send call of @p's TCP streams (one when paced). */
static int batch_blocks(const struct np_params *p)
{
	size_t k;

	if (p->rate)
		return 1;
	k = TCP_TX_CHUNK / p->len;
	return k < 1 ? 1 : k > TCP_TX_IOV ? TCP_TX_IOV : (int)k;
}

static int tcp_batch(const struct np_stream *s)
{
	return s->zc_msg || s->tls ? 1 : batch_blocks(&s->t->p);
}

/* @n bytes (at most a block for --zerocopy=z and --tls): sendfile()
 * from the memfd with -Z, send(MSG_ZEROCOPY) with --zerocopy=z, else
 * sendmsg(). */
static ssize_t tcp_send_one(struct np_stream *s, size_t n)
{
	if (s->zc_msg)
		return np_zc_send(s->fd, &s->zc, s->buf, n);
	if (s->tls)
		return np_tls_send(s, s->buf, n);
	if (s->zc_fd >= 0) {
		off_t off = (off_t)(s->pos & (NP_BUF_ALIGN - 1)); /* buf_at() */
		ssize_t r = sendfile(s->fd, s->zc_fd, &off, n);
		if (r >= 0 || soft_err())
			return r;
		close(s->zc_fd); /* not for this socket: copy from now on */
		s->zc_fd = -1;
	}
	return tcp_send_bytes(s, n);
}

static void tcp_send_loop(struct np_stream *s)
{
	struct np_test *t = s->t;
	int batch = tcp_batch(s);
	size_t left = 0; /* bytes of the blocks reserved, not yet sent */
	struct pacer pc;

	pacer_init(&pc, t);
	while (!atomic_load_explicit(&t->stop, memory_order_relaxed)) {
		ssize_t n;

		/* A send the socket's timeout cut short, or that sent
		 * nothing, leaves the rest of its blocks to this stream: a
		 * -n/-k target has counted them, and the test ends only once
		 * they are sent. */
		if (!left)
			left = (size_t)reserve(t, batch) * t->p.len;
		if (!left)
			break;
		n = tcp_send_one(s, left);
		if (n < 0 && soft_err())
			continue;
		if (n < 0)
			hard_err(&t->send_err);
		if (n <= 0)
			break;
		left -= (size_t)n;
		s->pos += (uint64_t)n;
		/* Senders count all they send: the test ends only once they
		 * have stopped, so receivers never count more. */
		count_add(&s->bytes, (uint64_t)n);
		pace(&pc, (size_t)n);
	}
}

/*
 * SO_RCVLOWAT tracking about 1 ms of the measured rate.  On loopback and
 * veth the sender's CPU runs the whole receive path, waking the reader
 * for every segment; a reader that wakes once per large chunk spares it
 * most of those wake-ups and copies in bigger runs.  Capped at 3/4 of the
 * buffer so one wake-up fills most of it; the kernel caps it further at
 * half the receive buffer.  At low rates it falls to 1 byte, so interval
 * counts lag by at most about a millisecond of data; at the end of the
 * test, shutdown(SHUT_RD) hands the reader what is left (np_test_run).
 * Not for TLS: mbedtls reads whole records through its own read-ahead,
 * and a mark above what a record needs would only delay it.
 */
struct rx_lowat {
	int64_t since_ns;
	uint64_t bytes;
	int cur, cap;
};

static void rx_lowat_init(struct rx_lowat *lw, const struct np_stream *s)
{
	lw->since_ns = mono_ns();
	lw->bytes = 0;
	lw->cur = 1;
	lw->cap = s->tls ? 0 : (int)(s->buf_len / 4 * 3);
}

static void rx_lowat_update(struct rx_lowat *lw, int fd, size_t n)
{
	int64_t now, dt;
	uint64_t per_ms;
	int want;

	if (!lw->cap)
		return;
	lw->bytes += n;
	now = mono_ns();
	dt = now - lw->since_ns;
	if (dt < LOWAT_PERIOD_NS)
		return;
	per_ms = lw->bytes * 1000000 / (uint64_t)dt;
	want = per_ms >= (uint64_t)lw->cap ? lw->cap : (int)(per_ms & ~4095u);
	if (want < 4096)
		want = 1;
	lw->since_ns = now;
	lw->bytes = 0;
	if (want == lw->cur || (want > lw->cur && want - lw->cur < lw->cur / 8))
		return;
	if (setsockopt(fd, SOL_SOCKET, SO_RCVLOWAT, &want, sizeof(want)) == 0)
		lw->cur = want;
}

/*
 * From the end of the test on (stop), a plain TCP reader takes what its
 * socket held then (FIONREAD), without waiting, and stops: a peer that
 * keeps sending past TEST_END, faster than this side reads, would hold
 * it, and with it the results, for ever.  TLS streams do the same below
 * mbedtls (tls.c recv_some).
 */
struct rx_end {
	bool draining;
	size_t left; /* bytes of the snapshot not read yet */
};

/* How many bytes the next read of @s may take, at most @want; 0: stop. */
static size_t rx_end_limit(struct rx_end *e, const struct np_stream *s,
			   size_t want)
{
	int q = 0;

	if (s->tls)
		return want;
	if (!e->draining &&
	    atomic_load_explicit(&s->t->stop, memory_order_relaxed)) {
		e->draining = true;
		e->left = ioctl(s->fd, FIONREAD, &q) == 0 && q > 0 ? (size_t)q
								   : 0;
	}
	return e->draining && e->left < want ? e->left : want;
}

/* One read of at most @want bytes: into the buffer, or dropped by the
 * kernel with --skip-rx-copy (MSG_TRUNC), without waiting once draining. */
static ssize_t tcp_recv_some(struct np_stream *s, size_t want, bool draining)
{
	int flags = s->t->p.skip_rx_copy ? MSG_TRUNC : 0;

	if (s->tls)
		return np_tls_recv(s, s->buf, want);
	return recv(s->fd, buf_at(s, s->pos), want,
		    flags | (draining ? MSG_DONTWAIT : 0));
}

static void tcp_recv_loop(struct np_stream *s)
{
	struct np_test *t = s->t;
	struct rx_end end = { 0 };
	struct rx_lowat lw;

	rx_lowat_init(&lw, s);
	while (!atomic_load_explicit(&t->quit, memory_order_relaxed)) {
		size_t want = rx_end_limit(&end, s, s->buf_len);
		ssize_t n = want ? tcp_recv_some(s, want, end.draining) : 0;

		if (n < 0 && soft_err()) {
			if (end.draining || (s->tls && atomic_load(&t->stop)))
				break;
			rx_lowat_update(&lw, s->fd, 0);
			continue;
		}
		if (n < 0)
			hard_err(&t->recv_err);
		if (n <= 0)
			break;
		if (end.draining)
			end.left -= (size_t)n;
		s->pos += (uint64_t)n;
		if (atomic_load_explicit(&t->counting, memory_order_relaxed))
			count_add(&s->bytes, (uint64_t)n);
		rx_lowat_update(&lw, s->fd, (size_t)n);
	}
}

/* Writes the headers of @k datagrams starting at sequence @seq. */
static void udp_fill(struct np_stream *s, int k, uint64_t seq)
{
	int64_t now = mono_ns();

	for (int i = 0; i < k; i++)
		np_udp_hdr_put(s->buf + (size_t)i * s->t->p.len, now, seq + i,
			       s->t->p.udp64);
}

/* Sends @k datagrams; returns how many went out, or -1 on a hard error. */
static int udp_send_batch(struct np_stream *s, int k, bool *gso)
{
	size_t len = s->t->p.len;
	struct mmsghdr mm[UDP_BATCH * 2];
	struct iovec iov[UDP_BATCH * 2];
	int n;

	if (*gso && k > 1) {
		ssize_t r = send(s->fd, s->buf, len * (size_t)k, MSG_NOSIGNAL);
		if (r >= 0)
			return k;
		if (soft_err())
			return 0;
		*gso = false; /* the kernel or the route said no: sendmmsg */
	}
	memset(mm, 0, sizeof(mm[0]) * (size_t)k);
	for (int i = 0; i < k; i++) {
		iov[i].iov_base = s->buf + (size_t)i * len;
		iov[i].iov_len = len;
		mm[i].msg_hdr.msg_iov = &iov[i];
		mm[i].msg_hdr.msg_iovlen = 1;
	}
	n = sendmmsg(s->fd, mm, (unsigned)k, MSG_NOSIGNAL);
	if (n < 0)
		return soft_err() || errno == ECONNREFUSED ? 0 : -1;
	return n;
}

static int udp_batch_size(const struct np_stream *s, bool gso)
{
	size_t len = s->t->p.len;
	int k;

	if (s->t->p.rate)
		return 1;
	k = gso ? (int)(65000 / len) : UDP_BATCH;
	if (k > s->n_batch)
		k = s->n_batch;
	return k < 1 ? 1 : k;
}

static void udp_send_loop(struct np_stream *s)
{
	struct np_test *t = s->t;
	bool gso = false;
	uint64_t seq = 1;
	struct pacer pc;
	int k, left = 0;

	if (!t->p.rate && !t->o->no_gsro && t->p.len * 2 <= 65000) {
		int seg = (int)t->p.len;
		gso = setsockopt(s->fd, IPPROTO_UDP, UDP_SEGMENT, &seg,
				 sizeof(seg)) == 0;
	}
	pacer_init(&pc, t);
	while (!atomic_load_explicit(&t->stop, memory_order_relaxed)) {
		/* Datagrams a full socket buffer kept back stay reserved
		 * for this stream, as a short TCP send's bytes do. */
		if (!left)
			left = reserve(t, udp_batch_size(s, gso));
		if (!left)
			break;
		udp_fill(s, left, seq);
		k = udp_send_batch(s, left, &gso);
		if (k < 0)
			break;
		left -= k;
		seq += (uint64_t)k;
		count_add(&s->bytes, (uint64_t)k * t->p.len);
		count_add(&s->packets, (uint64_t)k);
		pace(&pc, t->p.len * (size_t)k);
	}
}

/* The segment size of a message UDP_GRO coalesced, else 0. */
static size_t gro_size(struct msghdr *m)
{
	for (struct cmsghdr *c = CMSG_FIRSTHDR(m); c; c = CMSG_NXTHDR(m, c)) {
		int v;
		if (c->cmsg_level != SOL_UDP || c->cmsg_type != UDP_GRO ||
		    c->cmsg_len < CMSG_LEN(sizeof(v)))
			continue;
		memcpy(&v, CMSG_DATA(c), sizeof(v));
		return v > 0 ? (size_t)v : 0;
	}
	return 0;
}

static void udp_account(struct np_stream *s, struct mmsghdr *mm, int n)
{
	int64_t now = mono_ns();
	uint64_t bytes = 0;

	if (!atomic_load_explicit(&s->t->counting, memory_order_relaxed))
		return;
	pthread_mutex_lock(&s->mu);
	for (int i = 0; i < n; i++)
		bytes += np_udp_rx_msg(&s->rx, mm[i].msg_hdr.msg_iov->iov_base,
				       mm[i].msg_len, gro_size(&mm[i].msg_hdr),
				       s->t->p.udp64, now);
	pthread_mutex_unlock(&s->mu);
	count_add(&s->bytes, bytes);
}

union gro_ctl {
	char buf[CMSG_SPACE(sizeof(int))];
	struct cmsghdr align;
};

/* Points @nb messages at slots of @slot bytes of the stream's buffer. */
static void udp_rx_setup(struct np_stream *s, struct mmsghdr *mm,
			 struct iovec *iov, union gro_ctl *ctl, int nb,
			 size_t slot)
{
	memset(mm, 0, sizeof(*mm) * (size_t)nb);
	for (int i = 0; i < nb; i++) {
		iov[i].iov_base = s->buf + (size_t)i * slot;
		iov[i].iov_len = slot;
		mm[i].msg_hdr.msg_iov = &iov[i];
		mm[i].msg_hdr.msg_iovlen = 1;
		mm[i].msg_hdr.msg_control = ctl ? ctl[i].buf : NULL;
	}
}

static void udp_recv_loop(struct np_stream *s)
{
	struct np_test *t = s->t;
	struct mmsghdr mm[UDP_BATCH];
	struct iovec iov[UDP_BATCH];
	union gro_ctl ctl[GRO_SLOTS];
	int one = 1, nb = s->n_batch < UDP_BATCH ? s->n_batch : UDP_BATCH;
	bool gro = !t->o->no_gsro &&
		   setsockopt(s->fd, SOL_UDP, UDP_GRO, &one, sizeof(one)) == 0;

	if (gro)
		nb = GRO_SLOTS;
	udp_rx_setup(s, mm, iov, gro ? ctl : NULL, nb,
		     gro ? GRO_SLOT : t->p.len);
	/* Counting ends with the test (np_test_run), so what the socket
	 * holds then would not count: stop, however fast the peer sends. */
	while (!atomic_load_explicit(&t->stop, memory_order_relaxed)) {
		int n;

		for (int i = 0; gro && i < nb; i++)
			mm[i].msg_hdr.msg_controllen = sizeof(ctl[i].buf);
		n = recvmmsg(s->fd, mm, (unsigned)nb, MSG_WAITFORONE, NULL);
		if (n < 0 && (soft_err() || errno == ECONNREFUSED))
			continue;
		if (n <= 0)
			break;
		udp_account(s, mm, n);
	}
}

static void *stream_main(void *arg)
{
	struct np_stream *s = arg;
	bool udp = s->t->p.proto == NP_UDP;

	if (s->sender)
		udp ? udp_send_loop(s) : tcp_send_loop(s);
	else
		udp ? udp_recv_loop(s) : tcp_recv_loop(s);
	return NULL;
}

int np_stream_start(struct np_stream *s)
{
	pthread_attr_t a;
	int err;

	pthread_attr_init(&a);
	pthread_attr_setstacksize(&a, 256 << 10);
	err = pthread_create(&s->th, &a, stream_main, s);
	pthread_attr_destroy(&a);
	if (err)
		return -err;
	s->th_started = true;
	return 0;
}

/* Datagrams per batch buffer: at most 64 and about 256 KiB. */
static int udp_batch_max(uint32_t len)
{
	int k = (int)((256u << 10) / len);

	return k < 1 ? 1 : k > UDP_BATCH * 2 ? UDP_BATCH * 2 : k;
}

static size_t stream_buf_len(const struct np_test *t, bool sender)
{
	size_t n = (size_t)t->p.len * (size_t)udp_batch_max(t->p.len);

	if (t->p.proto == NP_UDP)
		return sender || n >= GRO_SLOTS * GRO_SLOT
			       ? n
			       : GRO_SLOTS * GRO_SLOT;
	if (!sender) {
		/* larger reads are cheaper; bounded per test */
		int par = t->p.parallel > 1 ? t->p.parallel : 1;
		size_t rx = TCP_RX_BUDGET / (size_t)par;

		rx = rx < TCP_RX_MIN ? TCP_RX_MIN : rx;
		rx = rx > TCP_RX_MAX ? TCP_RX_MAX : rx;
		return t->p.len > rx ? t->p.len : rx;
	}
	return t->p.len;
}

size_t np_stream_mem(const struct np_test *t, bool sender)
{
	const struct np_params *p = &t->p;
	size_t n = stream_buf_len(t, sender) + NP_BUF_ALIGN;

	/* -Z: zc_memfd()'s pages */
	if (sender && p->zerocopy && !p->zc_msg && p->proto == NP_TCP)
		n += (size_t)batch_blocks(p) * p->len + NP_BUF_ALIGN;
	return n;
}

/* A memfd for sendfile() of @k blocks of @len bytes from any offset in its
 * first page (see buf_at()): @k copies of @buf's first @len bytes and one
 * page more; or -1. */
static int zc_memfd(const uint8_t *buf, size_t len, int k)
{
	int fd = memfd_create("netperf", MFD_CLOEXEC);

	if (fd < 0)
		return -1;
	for (int i = 0; i <= k; i++) {
		size_t n = i < k ? len : NP_BUF_ALIGN;

		if (write(fd, buf, n) != (ssize_t)n) {
			close(fd);
			return -1;
		}
	}
	return fd;
}

int np_stream_init(struct np_test *t, struct np_stream *s, int fd, int i)
{
	struct timeval tv = { .tv_sec = 0, .tv_usec = 100000 };

	s->t = t;
	s->fd = fd;
	s->zc_fd = -1;
	s->id = np_stream_id(i);
	s->sender = np_stream_sends(&t->p, t->server, i);
	s->buf_len = stream_buf_len(t, s->sender);
	s->n_batch = udp_batch_max(t->p.len);
	if (posix_memalign((void **)&s->buf, NP_BUF_ALIGN,
			   s->buf_len + NP_BUF_ALIGN) != 0)
		return -ENOMEM;
	np_fill_payload(s->buf, s->buf_len + NP_BUF_ALIGN, t->p.repeating);
	if (s->sender && t->p.zerocopy && t->p.proto == NP_TCP) {
		if (t->p.zc_msg)
			s->zc_msg = np_zc_enable(fd, &s->zc) == 0;
		else
			s->zc_fd = zc_memfd(s->buf, s->buf_len, tcp_batch(s));
	}
	pthread_mutex_init(&s->mu, NULL);
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
	if (t->p.proto == NP_TCP) /* unacknowledged data fails the stream */
		np_user_timeout(fd, t->o->snd_timeout_ms);
	np_sock_names(fd, s->local, &s->lport, s->remote, &s->rport);
	s->min_rtt = UINT32_MAX;
	return 0;
}

// SPDX-License-Identifier: MIT
/*
 * nl_talk()'s receive path against a fake kernel: this file defines
 * sendto() and recvmsg(), which the linker binds before libc's, for one
 * AF_UNIX socket handed to libmnl.  recvmsg() keeps netlink's datagram
 * semantics: MSG_PEEK leaves the datagram queued, a short buffer gets its
 * head and MSG_TRUNC, and the rest is gone (what made `ethtool -S` fail
 * with ENOSPC on a NIC whose string set reply passed 32 KiB).  Also the
 * dump collector nl_dump_array() on the same fake kernel.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/uio.h>

#include <linux/netlink.h>
#include <libmnl/libmnl.h>
#include <cmocka.h>

#include "embnet/nl.h"

#define PORTID 0x1c68
#define N_DGRAMS 4
#define MSG_TYPE 0x10 /* any data message */
#define STR_LEN 32    /* ETH_GSTRING_LEN */

/* ---- the fake kernel ---------------------------------------------------- */

static struct {
	int fd;
	uint32_t seq; /* of the last request */
	uint8_t *dgram[N_DGRAMS];
	size_t len[N_DGRAMS];
	size_t head, tail;
	size_t max_read; /* largest buffer a non-peeking read offered */
} k = { .fd = -1 };

#ifdef __GLIBC__
#define SOCKADDR_ARG __CONST_SOCKADDR_ARG /* a transparent union */
#else
#define SOCKADDR_ARG const struct sockaddr *
#endif

ssize_t sendto(int fd, const void *buf, size_t len, int flags,
	       SOCKADDR_ARG addr, socklen_t addr_len)
{
	struct nlmsghdr nlh;

	(void)flags;
	(void)addr;
	(void)addr_len;
	if (fd != k.fd || len < sizeof(nlh)) {
		errno = EBADF;
		return -1;
	}
	memcpy(&nlh, buf, sizeof(nlh));
	k.seq = nlh.nlmsg_seq;
	return (ssize_t)len;
}

ssize_t recvmsg(int fd, struct msghdr *msg, int flags)
{
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };
	size_t len, n;

	if (fd != k.fd || msg->msg_iovlen != 1) {
		errno = EBADF;
		return -1;
	}
	if (k.head == k.tail) {
		errno = EAGAIN; /* the kernel would block: a test bug */
		return -1;
	}
	len = k.len[k.head];
	n = len < msg->msg_iov[0].iov_len ? len : msg->msg_iov[0].iov_len;
	memcpy(msg->msg_iov[0].iov_base, k.dgram[k.head], n);
	msg->msg_flags = n < len ? MSG_TRUNC : 0;
	if (msg->msg_name && msg->msg_namelen >= sizeof(sa)) {
		memcpy(msg->msg_name, &sa, sizeof(sa));
		msg->msg_namelen = sizeof(sa);
	}
	if (!(flags & MSG_PEEK)) {
		if (msg->msg_iov[0].iov_len > k.max_read)
			k.max_read = msg->msg_iov[0].iov_len;
		free(k.dgram[k.head]);
		k.head = (k.head + 1) % N_DGRAMS;
	}
	return (ssize_t)((flags & MSG_TRUNC) ? len : n);
}

/* Queues a datagram of the messages at @buf; their seq is the request's,
 * set when the test sends it (the next one after ns->seq). */
static void queue(const void *buf, size_t len)
{
	assert_true((k.tail + 1) % N_DGRAMS != k.head);
	k.dgram[k.tail] = malloc(len);
	assert_non_null(k.dgram[k.tail]);
	memcpy(k.dgram[k.tail], buf, len);
	k.len[k.tail] = len;
	k.tail = (k.tail + 1) % N_DGRAMS;
}

static int setup(void **state)
{
	struct nl_sock *ns = calloc(1, sizeof(*ns));
	int fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);

	if (!ns || fd < 0)
		return -1;
	ns->nl = mnl_socket_fdopen(fd);
	if (!ns->nl)
		return -1;
	ns->portid = PORTID;
	ns->seq = 100;
	k.fd = fd;
	k.head = k.tail = 0;
	k.max_read = 0;
	*state = ns;
	return 0;
}

static int teardown(void **state)
{
	struct nl_sock *ns = *state;

	while (k.head != k.tail) {
		free(k.dgram[k.head]);
		k.head = (k.head + 1) % N_DGRAMS;
	}
	nl_close(ns); /* closes the fd too */
	k.fd = -1;
	free(ns);
	return 0;
}

/* ---- replies ------------------------------------------------------------ */

/* One data message of @n attributes of STR_LEN-byte names, as a string set
 * reply carries them (ETHTOOL_A_STRING_VALUE), seq 101 (the next request). */
static size_t put_strings(void *buf, size_t size, uint32_t n)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	char name[STR_LEN];
	uint32_t i;

	nlh->nlmsg_type = MSG_TYPE;
	nlh->nlmsg_seq = 101;
	nlh->nlmsg_pid = PORTID;
	for (i = 0; i < n; i++) {
		memset(name, 0, sizeof(name));
		snprintf(name, sizeof(name), "rx_queue_%u_packets", i);
		assert_true(
			mnl_attr_put_check(nlh, size, 2, sizeof(name), name));
	}
	return nlh->nlmsg_len;
}

static void queue_ack(void)
{
	uint8_t buf[64] __attribute__((aligned(4))) = { 0 };
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct nlmsgerr *e = mnl_nlmsg_put_extra_header(nlh, sizeof(*e));

	nlh->nlmsg_type = NLMSG_ERROR;
	nlh->nlmsg_flags = NLM_F_CAPPED;
	nlh->nlmsg_seq = 101;
	nlh->nlmsg_pid = PORTID;
	e->error = 0;
	e->msg.nlmsg_len = sizeof(e->msg);
	queue(buf, nlh->nlmsg_len);
}

struct count {
	uint32_t n_strings;
	size_t bytes;
	char last[STR_LEN];
};

static int count_cb(const struct nlmsghdr *nlh, void *data)
{
	struct count *c = data;
	const struct nlattr *a;

	c->bytes += nlh->nlmsg_len;
	mnl_attr_for_each(a, nlh, 0) {
		c->n_strings++;
		memcpy(c->last, mnl_attr_get_payload(a), sizeof(c->last));
	}
	return MNL_CB_OK;
}

static struct nlmsghdr *request(void *buf)
{
	return nl_msg(buf, MSG_TYPE, 0);
}

/* ---- tests -------------------------------------------------------------- */

/*
 * 2,000 names (the string set of a NIC with a few dozen queues): one
 * message of 72 KiB, more than MNL_SOCKET_DUMP_SIZE.  It used to fail
 * with -ENOSPC; now the socket's buffer grows and every name arrives.
 */
static void test_reply_larger_than_dump_size(void **state)
{
	struct nl_sock *ns = *state;
	char req[MNL_SOCKET_BUFFER_SIZE] NL_ALIGNED;
	size_t size = 128 * 1024, len;
	void *big = calloc(1, size);
	struct count c = { 0 };

	assert_non_null(big);
	len = put_strings(big, size, 2000);
	assert_true(len > MNL_SOCKET_DUMP_SIZE);
	queue(big, len);
	queue_ack();
	assert_int_equal(nl_talk(ns, request(req), count_cb, &c), 0);
	assert_int_equal(c.n_strings, 2000);
	assert_int_equal(c.bytes, len);
	assert_string_equal(c.last, "rx_queue_1999_packets");
	assert_true(ns->rx_size >= len && ns->rx_size <= NL_RX_MAX);
	assert_int_equal(k.seq, 101);
	free(big);
}

/* The common case: the reply fits the stack buffer, nothing is allocated. */
static void test_small_reply_no_allocation(void **state)
{
	struct nl_sock *ns = *state;
	char req[MNL_SOCKET_BUFFER_SIZE] NL_ALIGNED;
	uint8_t buf[4096] __attribute__((aligned(4)));
	struct count c = { 0 };

	queue(buf, put_strings(buf, sizeof(buf), 10));
	queue_ack();
	assert_int_equal(nl_talk(ns, request(req), count_cb, &c), 0);
	assert_int_equal(c.n_strings, 10);
	assert_null(ns->rx);
	assert_int_equal(k.max_read, MNL_SOCKET_DUMP_SIZE);
}

/* Past NL_RX_MAX: -EMSGSIZE, and the datagram is gone, not read later. */
static void test_reply_past_cap(void **state)
{
	struct nl_sock *ns = *state;
	char req[MNL_SOCKET_BUFFER_SIZE] NL_ALIGNED;
	size_t size = NL_RX_MAX + 4096, len;
	void *big = calloc(1, size);
	struct count c = { 0 };

	assert_non_null(big);
	len = put_strings(big, size, (NL_RX_MAX + 1024) / (STR_LEN + 4));
	assert_true(len > NL_RX_MAX);
	queue(big, len);
	queue_ack();
	assert_int_equal(nl_talk(ns, request(req), count_cb, &c), -EMSGSIZE);
	assert_int_equal(c.n_strings, 0);
	assert_null(ns->rx);
	assert_int_equal(k.len[k.head], 36); /* the ACK is next */
	free(big);
}

/* ---- nl_dump_array() ---------------------------------------------------- */

/* One datagram: data messages carrying u32 @v[i] as attribute 1, then
 * DONE, all with sequence @seq and @flags added. */
static void queue_dump_seq(const uint32_t *v, size_t n, uint32_t seq,
			   uint16_t flags)
{
	uint8_t buf[1024] __attribute__((aligned(4))) = { 0 };
	struct nlmsghdr *nlh;
	size_t off = 0, i;

	for (i = 0; i <= n; i++) {
		nlh = mnl_nlmsg_put_header(buf + off);
		nlh->nlmsg_type = i < n ? MSG_TYPE : NLMSG_DONE;
		nlh->nlmsg_flags = NLM_F_MULTI | flags;
		nlh->nlmsg_seq = seq;
		nlh->nlmsg_pid = PORTID;
		if (i < n)
			mnl_attr_put_u32(nlh, 1, v[i]);
		else
			memset(mnl_nlmsg_put_extra_header(nlh, 4), 0, 4);
		off += nlh->nlmsg_len;
	}
	queue(buf, off);
}

static void queue_dump(const uint32_t *v, size_t n)
{
	queue_dump_seq(v, n, 101, 0);
}

/* Keeps odd values, fails on 13. */
static int odd_cb(const struct nlmsghdr *nlh, void *elem, void *data)
{
	const struct nlattr *a = mnl_nlmsg_get_payload(nlh);
	uint32_t v = mnl_attr_get_u32(a);

	(void)data;
	if (v == 13)
		return -EPROTO;
	memcpy(elem, &v, sizeof(v));
	return v % 2;
}

static void test_dump_array(void **state)
{
	static const uint32_t v[] = { 1, 2, 3, 4, 5 };
	struct nl_sock *ns = *state;
	char req[MNL_SOCKET_BUFFER_SIZE] NL_ALIGNED;
	uint32_t out[4] = { 0 };
	size_t n = 99;

	queue_dump(v, 5);
	assert_int_equal(nl_dump_array(ns, request(req), odd_cb, NULL, out,
				       sizeof(out[0]), 4, &n),
			 0);
	assert_int_equal(n, 3);
	assert_int_equal(out[0], 1);
	assert_int_equal(out[2], 5);
	assert_int_equal(out[3], 0);
}

/* More kept than fit: the first @max, -ENOSPC, and the dump is drained. */
static void test_dump_array_full(void **state)
{
	static const uint32_t v[] = { 1, 3, 5, 7 };
	static const uint32_t bad[] = { 1, 13 };
	struct nl_sock *ns = *state;
	char req[MNL_SOCKET_BUFFER_SIZE] NL_ALIGNED;
	uint32_t out[2] = { 0 };
	size_t n = 99;

	queue_dump(v, 4);
	assert_int_equal(nl_dump_array(ns, request(req), odd_cb, NULL, out,
				       sizeof(out[0]), 2, &n),
			 -ENOSPC);
	assert_int_equal(n, 2);
	assert_int_equal(out[1], 3);
	assert_int_equal(k.head, k.tail);
	ns->seq = 100;
	queue_dump(bad, 2);
	assert_int_equal(nl_dump_array(ns, request(req), odd_cb, NULL, out,
				       sizeof(out[0]), 2, &n),
			 -EPROTO);
	assert_int_equal(n, 0);
	assert_int_equal(nl_dump_array(ns, request(req), odd_cb, NULL, out,
				       NL_ELEM_MAX + 1, 2, &n),
			 -EINVAL);
}

/* An interrupted dump is asked again: the array starts over. */
static void test_dump_array_restart(void **state)
{
	static const uint32_t first[] = { 1, 3 }, again[] = { 5 };
	struct nl_sock *ns = *state;
	char req[MNL_SOCKET_BUFFER_SIZE] NL_ALIGNED;
	uint32_t out[2] = { 0 };
	size_t n = 99;

	queue_dump_seq(first, 2, 101, NLM_F_DUMP_INTR);
	queue_dump_seq(again, 1, 102, 0);
	assert_int_equal(nl_dump_array(ns, request(req), odd_cb, NULL, out,
				       sizeof(out[0]), 2, &n),
			 0);
	assert_int_equal(n, 1);
	assert_int_equal(out[0], 5);
	assert_int_equal(k.seq, 102);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(
			test_reply_larger_than_dump_size, setup, teardown),
		cmocka_unit_test_setup_teardown(test_small_reply_no_allocation,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_reply_past_cap, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_dump_array, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_dump_array_full, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_dump_array_restart, setup,
						teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

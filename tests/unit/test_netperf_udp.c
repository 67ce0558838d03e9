// SPDX-License-Identifier: MIT
// sources: netperf/udp.c
/*
 * netperf's UDP receive accounting (udp.c) against a hostile sender:
 * sequence numbers 0, 1, 2^31, 2^32 - 1, 2^63 and 2^64 - 1, wraps, jumps
 * and timestamps far from the receiver's clock.  Counts stay within
 * [0, NP_COUNT_MAX], lost at most the highest sequence number, and jitter
 * stays finite and small; run under UBSan, nothing overflows.
 */
#include <errno.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#define NOW 1000000000000LL /* the receiver's clock: 1000 s */
#define MS 1000000LL

static const uint64_t edges[] = {
	0, 1, UINT64_C(1) << 31, UINT32_MAX, UINT64_C(1) << 63, UINT64_MAX
};

/* One datagram of 64 bytes with @seq and a timestamp @sent_ns, through
 * the header as it comes off the wire; returns the bytes accounted. */
static uint64_t rx_one(struct np_udp_rx *rx, uint64_t seq, int64_t sent_ns,
		       bool udp64)
{
	uint8_t b[64];

	memset(b, 0, sizeof(b));
	np_udp_hdr_put(b, sent_ns, seq, udp64);
	return np_udp_rx_msg(rx, b, sizeof(b), 0, udp64, NOW);
}

/* What must hold whatever came (tests/fuzz/netperf_udp_fuzz.c). */
static void sane(const struct np_udp_rx *rx, int64_t n)
{
	assert_true(rx->packet_count >= 0 && rx->packet_count <= NP_COUNT_MAX);
	assert_true(rx->cnt_error >= 0 && rx->cnt_error <= rx->packet_count);
	assert_true(rx->ooo >= 0 && rx->ooo <= n);
	assert_true(isfinite(rx->jitter) && rx->jitter >= 0);
}

/* Each edge after datagrams 1 and 2, with 64-bit counters: 0 and 1 are
 * late; 2^31 and 2^32 - 1 jump more than NP_UDP_GAP_MAX, 2^63 and
 * 2^64 - 1 are past NP_COUNT_MAX: refused, and their bytes still count.
 * 3.12 counted 2^64 - 1 datagrams lost (a negative int64_t in its
 * arithmetic); we counted 2^53 - 1, loss of 99.99999...%. */
static void test_seq_edges_64(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(edges) / sizeof(edges[0]); i++) {
		struct np_udp_rx rx = { 0 };
		bool late = edges[i] <= 2;

		assert_int_equal(rx_one(&rx, 1, NOW, true), 64);
		assert_int_equal(rx_one(&rx, 2, NOW, true), 64);
		assert_int_equal(rx_one(&rx, edges[i], NOW, true), 64);
		assert_int_equal(rx_one(&rx, 3, NOW, true), 64);
		assert_int_equal(rx.packet_count, 3);
		assert_int_equal(rx.cnt_error, 0);
		assert_int_equal(rx.ooo, late ? 1 : 0);
		sane(&rx, 4);
	}
}

/* The same edges as the first datagram: only 1 is taken. */
static void test_seq_edges_first(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(edges) / sizeof(edges[0]); i++) {
		struct np_udp_rx rx = { 0 };

		np_udp_rx_account(&rx, edges[i], NOW, NOW);
		sane(&rx, 1);
		assert_int_equal(rx.packet_count, edges[i] == 1 ? 1 : 0);
		assert_int_equal(rx.cnt_error, 0);
		assert_int_equal(rx.ooo, edges[i] == 0 ? 1 : 0);
	}
}

/* 32-bit counters: steps of NP_UDP_GAP_MAX up to 2^32 - 1 are taken
 * (the losses they imply, too), then the wrap to 0, 1, 2 is late, as in
 * 3.12, taking back one loss each: the loss falls, never below 0. */
static void test_seq_wrap_32(void **state)
{
	struct np_udp_rx rx = { 0 };
	const uint64_t steps[] = { 1, NP_UDP_GAP_MAX + 1,
				   2 * NP_UDP_GAP_MAX + 1,
				   3 * NP_UDP_GAP_MAX + 1, UINT32_MAX };

	(void)state;
	for (size_t i = 0; i < sizeof(steps) / sizeof(steps[0]); i++)
		rx_one(&rx, steps[i], NOW, false);
	assert_int_equal(rx.packet_count, UINT32_MAX);
	assert_int_equal(rx.cnt_error, UINT32_MAX - 5);
	for (uint64_t seq = 0; seq < 3; seq++)
		rx_one(&rx, seq, NOW, false);
	assert_int_equal(rx.packet_count, UINT32_MAX);
	assert_int_equal(rx.cnt_error, UINT32_MAX - 8);
	assert_int_equal(rx.ooo, 3);
	sane(&rx, 8);
	/* a wrap with no loss to take back stays at 0 */
	memset(&rx, 0, sizeof(rx));
	rx_one(&rx, 1, NOW, false);
	rx_one(&rx, 0, NOW, false);
	assert_int_equal(rx.cnt_error, 0);
	assert_int_equal(rx.ooo, 1);
}

/* A gap of NP_UDP_GAP_MAX is loss; one more is refused. */
static void test_seq_gap_max(void **state)
{
	struct np_udp_rx rx = { 0 };

	(void)state;
	np_udp_rx_account(&rx, 1, NOW, NOW);
	np_udp_rx_account(&rx, 2 + NP_UDP_GAP_MAX, NOW, NOW);
	assert_int_equal(rx.packet_count, 1);
	np_udp_rx_account(&rx, 1 + NP_UDP_GAP_MAX, NOW, NOW);
	assert_int_equal(rx.packet_count, 1 + NP_UDP_GAP_MAX);
	assert_int_equal(rx.cnt_error, NP_UDP_GAP_MAX - 1);
	sane(&rx, 3);
}

/* Jumps of NP_UDP_GAP_MAX all the way: the count stops at NP_COUNT_MAX,
 * what lies past it is refused, NP_COUNT_MAX again is late, and the
 * loss, though absurd, is below the count. */
static void test_seq_saturates(void **state)
{
	struct np_udp_rx rx = { 0 };
	int64_t n = 0;

	(void)state;
	for (uint64_t seq = NP_UDP_GAP_MAX; seq <= (uint64_t)NP_COUNT_MAX;
	     seq += NP_UDP_GAP_MAX, n++)
		np_udp_rx_account(&rx, seq, NOW, NOW);
	assert_int_equal(rx.packet_count, NP_COUNT_MAX);
	assert_int_equal(rx.cnt_error, NP_COUNT_MAX - n);
	np_udp_rx_account(&rx, (uint64_t)NP_COUNT_MAX + 1, NOW, NOW);
	np_udp_rx_account(&rx, UINT64_MAX, NOW, NOW);
	np_udp_rx_account(&rx, (uint64_t)NP_COUNT_MAX, NOW, NOW);
	assert_int_equal(rx.packet_count, NP_COUNT_MAX);
	assert_int_equal(rx.cnt_error, NP_COUNT_MAX - n - 1);
	assert_int_equal(rx.ooo, 1);
	sane(&rx, n + 3);
}

/* Timestamps at 0 and at the header's largest (2^32 - 1 s and a bad
 * microsecond field) between datagrams 1 ms in transit, 0.5 ms apart in
 * variation: each restarts the reference, and the jitter stays that of
 * the real datagrams.  3.12 took 2^32 s / 16 into it. */
static void test_jitter_forged(void **state)
{
	struct np_udp_rx rx = { 0 };
	uint8_t b[16];
	int64_t sent;
	uint64_t seq;

	(void)state;
	memset(b, 0xff, sizeof(b));
	assert_int_equal(np_udp_hdr_get(b, 16, true, &sent, &seq), 0);
	assert_true(sent == INT64_C(4294967295999999000));
	for (uint64_t i = 1; i <= 40; i++) {
		int64_t at = NOW + (int64_t)i * MS;
		int64_t ts = at - MS - (i % 2 ? MS / 2 : 0);

		if (i % 10 == 5)
			ts = 0;
		if (i % 10 == 0)
			ts = sent;
		np_udp_rx_account(&rx, i, ts, at);
		sane(&rx, (int64_t)i);
		assert_true(rx.jitter <= 0.0005);
	}
	assert_true(rx.jitter > 0.0002);
	/* no int64_t subtraction to overflow, whatever the clocks say */
	np_udp_rx_account(&rx, 41, INT64_MAX, INT64_MIN);
	np_udp_rx_account(&rx, 42, INT64_MIN, INT64_MAX);
	sane(&rx, 42);
}

/* A message of segments (UDP_GRO) with refused and good sequence
 * numbers: every segment with a header counts its bytes. */
static void test_msg_segments(void **state)
{
	struct np_udp_rx rx = { 0 };
	uint8_t b[5 * 100];
	const uint64_t seqs[] = { 1, UINT64_MAX, 2, UINT64_C(1) << 63, 3 };

	(void)state;
	memset(b, 0, sizeof(b));
	for (int i = 0; i < 5; i++)
		np_udp_hdr_put(b + i * 100, NOW, seqs[i], true);
	assert_int_equal(np_udp_rx_msg(&rx, b, sizeof(b), 100, true, NOW), 500);
	assert_int_equal(rx.packet_count, 3);
	assert_int_equal(rx.cnt_error, 0);
	assert_int_equal(rx.ooo, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_seq_edges_64),
		cmocka_unit_test(test_seq_edges_first),
		cmocka_unit_test(test_seq_wrap_32),
		cmocka_unit_test(test_seq_gap_max),
		cmocka_unit_test(test_seq_saturates),
		cmocka_unit_test(test_jitter_forged),
		cmocka_unit_test(test_msg_segments),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

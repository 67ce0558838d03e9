// SPDX-License-Identifier: MIT
// sources: netperf/udp.c
// fuzz-covers: netperf/udp.c:np_udp_hdr_len,np_udp_hdr_get,np_udp_rx_*
/*
 * netperf's UDP receive accounting fed a sequence of received messages,
 * each through np_udp_rx_msg() as the stream thread hands it every
 * message of recvmmsg() (stream.c udp_account()).
 *
 * Input: a flags byte (bit 0: --udp-counters-64bit), then messages, each
 *   seg:1  UDP_GRO segment size (0: not coalesced, one datagram)
 *   dt:1   arrival 100 us * dt after the previous message
 *   len:1  then len bytes of payload (the last one may be cut short)
 * A payload is datagrams of iperf3's header (be32 sec, be32 usec, be32 or
 * be64 sequence number) and padding.
 *
 * Invariants after each message, n being the datagrams with a header so
 * far: counts are never negative; out-of-order <= n; lost <= highest
 * sequence number <= NP_COUNT_MAX (2^32 - 1 with 32-bit counters);
 * highest - lost <= n (no more received than seen); the bytes returned
 * are the bytes of those datagrams; jitter is finite.
 */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>

#include "fuzz.h"
#include "../../netperf/udp.h"

/* The datagrams and bytes np_udp_rx_msg() should account in a message. */
static void expect(size_t len, size_t seg, bool udp64, int64_t *n,
		   uint64_t *bytes)
{
	if (!seg)
		seg = len;
	for (size_t off = 0; off < len; off += seg) {
		size_t k = len - off < seg ? len - off : seg;

		if (k >= np_udp_hdr_len(udp64)) {
			++*n;
			*bytes += k;
		}
	}
}

static void check(const struct np_udp_rx *rx, int64_t n, bool udp64)
{
	if (rx->packet_count < 0 || rx->cnt_error < 0 || rx->ooo < 0)
		abort();
	if (rx->ooo > n || rx->cnt_error > rx->packet_count)
		abort();
	if (rx->packet_count - rx->cnt_error > n)
		abort();
	if (rx->packet_count > (udp64 ? NP_COUNT_MAX : UINT32_MAX))
		abort(); /* the report's sums of NP_MAX_STREAMS could overflow
			  */
	if (!isfinite(rx->jitter) || rx->jitter < 0)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct np_udp_rx rx = { 0 };
	int64_t now = 1000000000000LL, n = 0;
	bool udp64;
	size_t i = 1;

	if (size < 1)
		return 0;
	udp64 = data[0] & 1;
	while (size - i >= 3) {
		size_t seg = data[i], len = data[i + 2];
		uint64_t want = 0, got;

		now += (int64_t)data[i + 1] * 100000;
		i += 3;
		if (len > size - i)
			len = size - i;
		expect(len, seg, udp64, &n, &want);
		got = np_udp_rx_msg(&rx, data + i, len, seg, udp64, now);
		if (got != want)
			abort();
		check(&rx, n, udp64);
		i += len;
	}
	return 0;
}

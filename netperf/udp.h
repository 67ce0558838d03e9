/* SPDX-License-Identifier: MIT */
/*
 * iperf3's UDP datagram header and the receiver's accounting: sequence
 * gaps (loss), late arrivals (out of order) and RFC 1889 jitter.  Pure.
 */
#ifndef NETPERF_UDP_H
#define NETPERF_UDP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "netperf.h"

/* Bytes of the header: 12, or 16 with 64-bit counters. */
size_t np_udp_hdr_len(bool udp64);

/*
 * Writes the header (big-endian seconds, microseconds of the sender's
 * CLOCK_MONOTONIC @now_ns, then the sequence number) into @buf, which has
 * room for np_udp_hdr_len(@udp64) bytes.
 */
void np_udp_hdr_put(uint8_t *buf, int64_t now_ns, uint64_t seq, bool udp64);

/*
 * Reads a header from the @len bytes at @buf.  Returns 0 and sets *@sent_ns
 * and *@seq, or -EINVAL when the datagram is shorter than the header.
 */
int np_udp_hdr_get(const uint8_t *buf, size_t len, bool udp64, int64_t *sent_ns,
		   uint64_t *seq);

/*
 * Sequence numbers no sender reaches, refused (iperf3 numbers its datagrams
 * from 1, one by one): past NP_COUNT_MAX, or more than NP_UDP_GAP_MAX past
 * the highest seen, a run of losses no test has: 12 minutes of nothing at
 * 1.5 Mpps, about the most one iperf3 stream sends.
 */
#define NP_UDP_GAP_MAX (INT64_C(1) << 30)

/*
 * A transit time (arrival less the sender's timestamp) this far from the
 * last one, in seconds, is a clock step or a forged timestamp: no queue
 * holds a datagram for a minute.
 */
#define NP_UDP_STEP_MAX 60.0

/*
 * Accounts one datagram with sequence @seq, sent at @sent_ns and received
 * at @arrival_ns (a CLOCK_MONOTONIC time), as iperf_udp_recv() does: a
 * gap is loss, a late or repeated number (0 too) is out of order and
 * takes back one loss.  Unlike 3.12, a refused sequence number (above) is
 * ignored, and a transit step over NP_UDP_STEP_MAX restarts the jitter's
 * reference instead of entering the jitter.  Counts stay within [0,
 * NP_COUNT_MAX], lost at most the highest sequence number; 32-bit
 * sequence numbers wrap as in 3.12: what follows a wrap is late.
 */
void np_udp_rx_account(struct np_udp_rx *rx, uint64_t seq, int64_t sent_ns,
		       int64_t arrival_ns);

/*
 * Accounts the datagrams of one received message of @len bytes at @buf,
 * received at @arrival_ns: one datagram, or the @seg-byte segments UDP_GRO
 * coalesced (@seg 0: one).  Segments shorter than the header are skipped.
 * Returns the bytes of the datagrams with a header, those with a refused
 * sequence number included (they did arrive).
 */
uint64_t np_udp_rx_msg(struct np_udp_rx *rx, const uint8_t *buf, size_t len,
		       size_t seg, bool udp64, int64_t arrival_ns);

#endif

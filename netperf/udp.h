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
 * Accounts one datagram with sequence @seq, sent at @sent_ns and received
 * at @arrival_ns, as iperf_udp_recv() does.
 */
void np_udp_rx_account(struct np_udp_rx *rx, uint64_t seq, int64_t sent_ns,
		       int64_t arrival_ns);

/*
 * Accounts the datagrams of one received message of @len bytes at @buf,
 * received at @arrival_ns: one datagram, or the @seg-byte segments UDP_GRO
 * coalesced (@seg 0: one).  Segments shorter than the header are skipped.
 * Returns the bytes of the datagrams accounted.
 */
uint64_t np_udp_rx_msg(struct np_udp_rx *rx, const uint8_t *buf, size_t len,
		       size_t seg, bool udp64, int64_t arrival_ns);

#endif

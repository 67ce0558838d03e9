// SPDX-License-Identifier: MIT
/*
 * UDP datagram header and receive accounting (iperf_udp.c in 3.12).
 */
#include <errno.h>
#include <string.h>

#include "udp.h"

size_t np_udp_hdr_len(bool udp64)
{
	return udp64 ? 16 : 12;
}

static void put_be32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

static uint32_t get_be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	       (uint32_t)p[2] << 8 | p[3];
}

void np_udp_hdr_put(uint8_t *buf, int64_t now_ns, uint64_t seq, bool udp64)
{
	put_be32(buf, (uint32_t)(now_ns / 1000000000));
	put_be32(buf + 4, (uint32_t)(now_ns % 1000000000 / 1000));
	if (udp64) {
		put_be32(buf + 8, (uint32_t)(seq >> 32));
		put_be32(buf + 12, (uint32_t)seq);
	} else {
		put_be32(buf + 8, (uint32_t)seq);
	}
}

int np_udp_hdr_get(const uint8_t *buf, size_t len, bool udp64, int64_t *sent_ns,
		   uint64_t *seq)
{
	uint32_t usec;

	if (len < np_udp_hdr_len(udp64))
		return -EINVAL;
	usec = get_be32(buf + 4);
	if (usec > 999999)
		usec = 999999;
	*sent_ns = (int64_t)get_be32(buf) * 1000000000 + (int64_t)usec * 1000;
	if (udp64)
		*seq = (uint64_t)get_be32(buf + 8) << 32 | get_be32(buf + 12);
	else
		*seq = get_be32(buf + 8);
	return 0;
}

/* Whether @seq could come from a sender whose highest so far is @high. */
static bool seq_ok(uint64_t seq, int64_t high)
{
	return seq <= (uint64_t)NP_COUNT_MAX &&
	       (int64_t)seq - high <= NP_UDP_GAP_MAX;
}

/* RFC 1889 6.3.1; the clocks differ by a constant, which cancels.  In
 * doubles: any two int64_t times subtract without overflow. */
static void rx_jitter(struct np_udp_rx *rx, int64_t sent_ns, int64_t arrival_ns)
{
	double transit = ((double)arrival_ns - (double)sent_ns) / 1e9;
	double d = transit - rx->prev_transit;

	if (d < 0)
		d = -d;
	if (rx->have_transit && d <= NP_UDP_STEP_MAX)
		rx->jitter += (d - rx->jitter) / 16.0;
	rx->prev_transit = transit;
	rx->have_transit = true;
}

void np_udp_rx_account(struct np_udp_rx *rx, uint64_t seq, int64_t sent_ns,
		       int64_t arrival_ns)
{
	int64_t pcount = (int64_t)seq;

	if (!seq_ok(seq, rx->packet_count))
		return;
	if (pcount > rx->packet_count) {
		rx->cnt_error += pcount - 1 - rx->packet_count;
		rx->packet_count = pcount;
	} else {
		/* A late datagram was counted as lost when the gap opened. */
		if (rx->ooo < NP_COUNT_MAX)
			rx->ooo++;
		if (rx->cnt_error > 0)
			rx->cnt_error--;
	}
	rx_jitter(rx, sent_ns, arrival_ns);
}

uint64_t np_udp_rx_msg(struct np_udp_rx *rx, const uint8_t *buf, size_t len,
		       size_t seg, bool udp64, int64_t arrival_ns)
{
	uint64_t seq, bytes = 0;
	int64_t sent;

	if (!seg)
		seg = len;
	for (size_t off = 0; seg && off < len;) {
		size_t n = len - off < seg ? len - off : seg;

		if (np_udp_hdr_get(buf + off, n, udp64, &sent, &seq) == 0) {
			np_udp_rx_account(rx, seq, sent, arrival_ns);
			bytes += n;
		}
		off += n;
	}
	return bytes;
}

/* SPDX-License-Identifier: MIT */
/*
 * IPv4/UDP framing of DHCP messages for the raw (AF_PACKET, SOCK_DGRAM)
 * socket used while unconfigured, and its classic BPF filter.  Pure.
 */
#ifndef DHCPC_FRAME_H
#define DHCPC_FRAME_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <linux/filter.h>

#define FRAME_HDR_LEN 28 /* IPv4 header without options + UDP header */

/*
 * Writes an IPv4+UDP header in front of the @len payload bytes at
 * @frame + FRAME_HDR_LEN: @src:@sport -> @dst:@dport (network order
 * addresses, host order ports), TTL 64, both checksums.  Returns the
 * frame length.
 */
size_t frame_wrap(uint8_t *frame, size_t len, uint32_t src, uint32_t dst,
		  uint16_t sport, uint16_t dport);

/*
 * Checks a received IPv4 datagram of @len bytes: version 4, IHL 5, total
 * length between 28 and @len, not a fragment, UDP to @dport, UDP length
 * equal to the IP payload, IP checksum, UDP checksum unless 0 or
 * @csum_unready (PACKET_AUXDATA TP_STATUS_CSUMNOTREADY: offloaded).  Sets
 * *@payload and *@payload_len.  Returns 0 or -EBADMSG with *@why.
 */
int frame_unwrap(const uint8_t *frame, size_t len, uint16_t dport,
		 bool csum_unready, const uint8_t **payload,
		 size_t *payload_len, const char **why);

/* The filter accepting IPv4 UDP to @dport, unfragmented.  Static storage. */
const struct sock_fprog *frame_filter(uint16_t dport);

#endif

/* SPDX-License-Identifier: MIT */
/* The client's sockets: raw AF_PACKET while unconfigured, UDP to renew. */
#ifndef DHCPC_SOCK_H
#define DHCPC_SOCK_H

#include <stddef.h>
#include <stdint.h>

/*
 * Opens an AF_PACKET/SOCK_DGRAM IPv4 socket on @ifindex with the BPF filter
 * for UDP port @cport and PACKET_AUXDATA, and drains what arrived before
 * the filter.  Returns the fd or -errno.
 */
int sock_raw_open(int ifindex, uint16_t cport);

/* Sends @len payload bytes as IPv4/UDP @src:@sport -> @dst:@dport to the
 * link broadcast address.  Returns 0 or -errno. */
int sock_raw_send(int fd, int ifindex, const uint8_t *payload, size_t len,
		  uint32_t src, uint32_t dst, uint16_t sport, uint16_t dport);

/*
 * Receives one datagram from raw socket @fd into @buf (@cap bytes) and
 * checks its IP/UDP headers (frame_unwrap()).  Returns 0 with the payload
 * in *@p and *@len, -EAGAIN, -EBADMSG with *@why, or -errno.
 */
int sock_raw_recv(int fd, uint8_t *buf, size_t cap, uint16_t cport,
		  const uint8_t **p, size_t *len, const char **why);

/* A UDP socket on *:@cport bound to device @ifname.  fd or -errno. */
int sock_udp_open(const char *ifname, uint16_t cport);

/* Sends to @dst:@dport (network-order address).  0 or -errno. */
int sock_udp_send(int fd, const void *buf, size_t len, uint32_t dst,
		  uint16_t dport);

#endif

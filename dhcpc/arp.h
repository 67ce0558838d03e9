/* SPDX-License-Identifier: MIT */
/* RFC 5227 address probing before an address is used (-a), and the
 * announcements after it. */
#ifndef DHCPC_ARP_H
#define DHCPC_ARP_H

#include <stdint.h>

/*
 * An AF_PACKET socket for ARP on @ifindex, for the calls below; the caller
 * closes it (a close waits for an RCU grace period, so one socket serves
 * the probes and the announcements).  fd or -errno.
 */
int arp_open(int ifindex);

/*
 * Probes @ip (network order) through @fd on @ifindex from @mac: PROBE_NUM
 * (3) ARP probes with sender address 0, spread over @budget_ms, listening
 * for a reply or a probe for @ip from another host.  Returns 1 on a
 * conflict, 0 if the address looks free, or -errno.
 */
int arp_probe(int fd, int ifindex, const uint8_t mac[6], uint32_t ip,
	      int budget_ms);

/*
 * Sends one ARP announcement of @ip (RFC 5227 2.3: a request with sender
 * and target address @ip) through @fd.  0 or -errno; does not wait.
 */
int arp_announce(int fd, int ifindex, const uint8_t mac[6], uint32_t ip);

#endif

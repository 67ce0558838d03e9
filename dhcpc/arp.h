/* SPDX-License-Identifier: MIT */
/* RFC 5227 address probing before an address is used (-a). */
#ifndef DHCPC_ARP_H
#define DHCPC_ARP_H

#include <stdint.h>

/*
 * Probes @ip (network order) on @ifindex from @mac: PROBE_NUM (3) ARP
 * probes with sender address 0, spread over @budget_ms, listening for a
 * reply or a probe for @ip from another host.  Returns 1 on a conflict,
 * 0 if the address looks free, or -errno.
 */
int arp_probe(int ifindex, const uint8_t mac[6], uint32_t ip, int budget_ms);

#endif

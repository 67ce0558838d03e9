/* SPDX-License-Identifier: MIT */
/*
 * The --lease-file format: the bytes of the last ACK, as received, read
 * back at start for INIT-REBOOT.  Pure: fsm.c does the file I/O.
 */
#ifndef DHCPC_LEASE_H
#define DHCPC_LEASE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "packet.h"

/* Whether @ip (network order) can be leased: not 0/8, loopback,
 * multicast, class E or broadcast. */
bool lease_addr_ok(uint32_t ip);

/*
 * Parses the @len bytes of a saved lease into @m: a message dhcp_parse()
 * takes, a BOOTREPLY for Ethernet, an ACK of an address lease_addr_ok()
 * takes, for the client whose MAC is @mac.  Returns 0, or -EBADMSG with
 * a static reason in *@why.
 */
int lease_parse(const uint8_t *buf, size_t len, const uint8_t mac[6],
		struct dhcp_msg *m, const char **why);

#endif

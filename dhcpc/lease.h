/* SPDX-License-Identifier: MIT */
/*
 * The --lease-file format: the bytes of the last ACK, as received, read
 * back at start for INIT-REBOOT.  lease_parse() is pure; lease_load()
 * is the one reader of the file.  It is written with file_write_atomic(),
 * whose rename() replaces a symlink or FIFO at the path, never follows it.
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
 * takes, for the client whose MAC is @mac.  Returns 0, or -EBADMSG with a
 * static reason in *@why.
 */
int lease_parse(const uint8_t *buf, size_t len, const uint8_t mac[6],
		struct dhcp_msg *m, const char **why);

/*
 * Reads the lease file @path into @buf (*@len bytes) and parses it with
 * lease_parse() into @m.  Only a regular file is read, not through a
 * symlink as its last component, and never more than DHCP_MAX_LEN + 1
 * bytes: a FIFO or device cannot block or flood the client.  Returns 0;
 * -ENOENT if there is no file (nothing to say); else -errno with the
 * reason in *@why (static, or strerror()'s), for one line of log.
 */
int lease_load(const char *path, const uint8_t mac[6],
	       uint8_t buf[DHCP_MAX_LEN], size_t *len, struct dhcp_msg *m,
	       const char **why);

#endif

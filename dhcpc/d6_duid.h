/* SPDX-License-Identifier: MIT */
/*
 * The client's DUID (RFC 8415 11): DUID-LL built from the MAC, and the
 * text form kept in the DUID file ("00:03:00:01:..." as dhcpcd writes
 * its own), so that the client keeps one identity across restarts.
 */
#ifndef DHCPC_D6_DUID_H
#define DHCPC_D6_DUID_H

#include <stddef.h>
#include <stdint.h>

/* DUID-LL (type 3, hardware type 1) of @mac into @out (10 bytes).
 * Returns 10.  Pure. */
size_t d6_duid_ll(const uint8_t mac[6], uint8_t *out);

/*
 * Parses the DUID file's text @s (@len bytes: hex byte pairs separated
 * by ':', one optional trailing newline) into @out (@cap bytes).
 * Returns the DUID's length (3 to 130 bytes, 11.1), or -EINVAL.  Pure.
 */
int d6_duid_parse(const char *s, size_t len, uint8_t *out, size_t cap);

/* Writes @duid (@len bytes) as text with a newline into @out (@size
 * bytes, at least 3 * @len + 1).  Returns the text's length.  Pure. */
size_t d6_duid_format(const uint8_t *duid, size_t len, char *out, size_t size);

#endif

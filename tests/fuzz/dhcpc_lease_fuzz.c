// SPDX-License-Identifier: MIT
// sources: dhcpc/lease.c dhcpc/packet.c
// fuzz-covers: dhcpc/lease.c:lease_addr_ok,lease_parse
// fuzz-covers: dhcpc/packet.c:rd_*,scan_*,join_options,parse_*,dhcp_parse
// fuzz-covers: dhcpc/packet.c:dhcp_opt
/*
 * libFuzzer target for the --lease-file parser: the input is the file's
 * bytes, given to lease_parse() as lease_load() gives them once it has
 * read a regular file (its open and read are unit-tested, not fuzzed),
 * for the MAC 52:54:00:12:34:56.  A lease it accepts must be what the
 * state machine relies on: a BOOTREPLY ACK for Ethernet of a unicast
 * address to that MAC (what fsm_packet() takes but for the xid), no
 * longer than the buffer fsm.c keeps it in, every option inside the
 * joined data, and the same lease when read again.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "../../dhcpc/lease.h"
#include "../../dhcpc/packet.h"

static const uint8_t mac[6] = { 0x52, 0x54, 0x00, 0x12, 0x34, 0x56 };
static struct dhcp_msg msg, again;

static void check_opts(const struct dhcp_msg *m)
{
	size_t n;

	if (m->data_len > sizeof(m->data) || m->overload > 3)
		abort();
	for (unsigned c = 0; c < 256; c++)
		if (dhcp_opt(m, (uint8_t)c, &n) &&
		    (size_t)m->opt_off[c] + n > m->data_len)
			abort();
}

static bool same(const struct dhcp_msg *a, const struct dhcp_msg *b)
{
	return !memcmp(a, b, offsetof(struct dhcp_msg, data)) &&
	       a->data_len == b->data_len &&
	       !memcmp(a->data, b->data, a->data_len);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *why = NULL;

	if (lease_parse(data, size, mac, &msg, &why)) {
		if (!why || !*why)
			abort(); /* a refusal is logged with its reason */
		return 0;
	}
	/* what fsm_packet() takes of an ACK, but for the xid (a new one is
	 * drawn for INIT-REBOOT) */
	if (size > DHCP_MAX_LEN || msg.type != DHCPACK || msg.op != 2 ||
	    msg.htype != 1 || msg.hlen != 6 || !lease_addr_ok(msg.yiaddr) ||
	    memcmp(msg.chaddr, mac, 6))
		abort();
	check_opts(&msg);
	if (lease_parse(data, size, mac, &again, &why) || !same(&msg, &again))
		abort();
	return 0;
}

// SPDX-License-Identifier: MIT
#include <errno.h>
#include <string.h>

#include "lease.h"

bool lease_addr_ok(uint32_t ip)
{
	const uint8_t *b = (const uint8_t *)&ip;

	return b[0] != 0 && b[0] != 127 && b[0] < 224;
}

int lease_parse(const uint8_t *buf, size_t len, const uint8_t mac[6],
		struct dhcp_msg *m, const char **why)
{
	int err = dhcp_parse(buf, len, m, why);

	if (err)
		return err;
	/* only what fsm_packet() would have saved: a file edited or left
	 * by another tool is not a reply to us */
	if (m->op != 2 || m->htype != 1 || m->hlen != 6)
		*why = "not a BOOTREPLY for Ethernet";
	else if (m->type != DHCPACK)
		*why = "not an ACK";
	else if (!lease_addr_ok(m->yiaddr))
		*why = "not a unicast address";
	else if (memcmp(m->chaddr, mac, 6))
		*why = "not our MAC address";
	else
		return 0;
	return -EBADMSG;
}

/* SPDX-License-Identifier: MIT */
/*
 * A DHCPv6 lease as udhcpc6's script environment: its variable names and
 * formats (addresses written out in full, as its sprint_nip6()), plus the
 * preferred lifetimes and the NTP servers it leaves out.
 */
#ifndef DHCPC_D6_ENV_H
#define DHCPC_D6_ENV_H

#include <stddef.h>
#include <stdint.h>

#include "d6_packet.h"
#include "embnet/spawn.h"

/* "2001:0db8:0000:...:0001": @out holds at least 40 bytes.  Pure. */
void d6_env_addr(const uint8_t a[16], char *out);

/*
 * Fills @e with interface=@ifname and, when @m is not NULL: ipv6, lease,
 * ipv6_preferred (the first address of the IA_NA), ipv6prefix,
 * ipv6prefix_lease, ipv6prefix_preferred (the first prefix of the IA_PD),
 * dns, search, ntpsrv (options 56 and 31), fqdn, tz, tz_name,
 * bootfile_url, bootfile_param, pxeconffile, pxepathprefix, and message
 * (the status text).  A value holding a control byte is left out and
 * logged; so is a search name that is not a host name.  Returns the
 * number of values left out.
 */
int d6_env_fill(struct spawn_env *e, const char *ifname,
		const struct d6_msg *m);

#endif

/* SPDX-License-Identifier: MIT */
/*
 * A lease as udhcpc 1.35's script environment, byte for byte in names
 * and formats, and the call of the script itself.
 */
#ifndef DHCPC_ENV_H
#define DHCPC_ENV_H

#include <stddef.h>
#include <stdint.h>

#include "packet.h"
#include "embnet/spawn.h"

/*
 * Formats the @len bytes of option @code at @v into @out (@size bytes) as
 * udhcpc does: space-separated lists, "net/len gw" routes, decoded DNS
 * names, good_hostname() vetting of 12/15/40/66 ("bad"), lowercase hex
 * for unknown codes; beyond udhcpc, names of 119 and 120 that are not
 * host names are left out (env_dname_list()).  Returns the number of
 * names left out (0 for other options), or -EBADMSG for a malformed value
 * (then @out is "" as udhcpc's "subnet=") or -ENOSPC.  Pure.
 */
int env_format_opt(uint8_t code, const uint8_t *v, size_t len, char *out,
		   size_t size);

/*
 * Decodes an RFC 1035 list of names (with compression pointers, each one
 * strictly backwards) into "a.example b.example", leaving out each name
 * that is not a host name: labels of letters, digits, '-' and '_', no '-'
 * first or last (RFC 1123 2.1, '_' as udhcpc's good_hostname()), at most
 * 253 characters (RFC 1035 2.3.4); never a trailing dot.  Returns the
 * number of names left out, or -EBADMSG (structure) or -ENOSPC.
 */
int env_dname_list(const uint8_t *v, size_t len, char *out, size_t size);

/*
 * Fills @e with interface=@ifname and, when @m is not NULL, ip, siaddr,
 * giaddr, sname, boot_file, mask and one variable per option.  A value
 * holding a NUL or control byte is dropped and the drop logged.  Beyond
 * udhcpc, mtu below 576 is left out, and so are bad names of search and
 * sipsrv; each is logged once per lease (until a call with no @m).
 * Returns the number of variables dropped for a control byte.
 */
int env_fill(struct spawn_env *e, const char *ifname, const struct dhcp_msg *m);

/*
 * Adds @key=@val to @e unless @val could harm a script: a control byte or
 * a bash function-import prefix "() {" (a NUL has ended it already); a
 * drop, or a full @e, is logged.  Returns 1 if dropped, else 0.  dhcpc6's
 * variables (d6_env.c) go through it too.
 */
int env_add_var(struct spawn_env *e, const char *key, const char *val);

/*
 * Runs "@script @event" with the inherited environment, the variables of
 * @e replacing any of the same name, and waits for it.  Returns 0 or
 * -errno (the script's exit status is ignored, as udhcpc does).
 */
int env_run_script(const char *script, const char *event,
		   const struct spawn_env *e);

#endif

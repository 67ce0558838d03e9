/* SPDX-License-Identifier: MIT */
/*
 * Values of -x, -O, -F, -H and -c, encoded into a struct dhcpc_cfg as
 * udhcpc 1.35 encodes them: the parameter request list sorted, the other
 * options in one list sorted by code, each code once.
 */
#ifndef DHCPC_OPTS_H
#define DHCPC_OPTS_H

#include "dhcpc.h"

/* -O OPT: a name from the option table or a number 0..254 (0 is never
 * sent), into the sorted PRL.  0 or -EINVAL. */
int opts_request(struct dhcpc_cfg *c, const char *arg);

/*
 * -x OPT:VAL, as udhcpc's udhcp_str2optset(): a named option's values
 * (split at ", \t") parsed by its type, a numeric code's hex bytes or
 * quoted string.  A repeated list option (addresses, routes, search) is
 * joined; any other keeps its first value.  A value udhcpc cannot parse
 * adds nothing (with udhcpc's "bad address" line for an address).
 * Returns 0, -EINVAL (unknown name, malformed hex) or -E2BIG.
 */
int opts_extra(struct dhcpc_cfg *c, const char *arg);

/* -F NAME: option 81 (RFC 4702: flags S|E, canonical wire format); the
 * last -F wins over earlier ones and over -x 81.  0 or -EINVAL. */
int opts_fqdn(struct dhcpc_cfg *c, const char *name);

/* Adds option @code with @len bytes to @c->extra unless the code is
 * there already (as a -x with a numeric code).  0 or -E2BIG. */
int opts_add(struct dhcpc_cfg *c, uint8_t code, const void *v, size_t len);

/* Adds the default parameter request list (udhcpc's OPTION_REQ rows):
 * what -o leaves out, wherever it is on the command line. */
void opts_default_prl(struct dhcpc_cfg *c);

#endif

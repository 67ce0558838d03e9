/* SPDX-License-Identifier: MIT */
/* Values of -x, -O, -F, -H and -c, encoded into a struct dhcpc_cfg. */
#ifndef DHCPC_OPTS_H
#define DHCPC_OPTS_H

#include "dhcpc.h"

/* -O OPT: a name from the option table or a number 1..254.  0 or -EINVAL. */
int opts_request(struct dhcpc_cfg *c, const char *arg);

/*
 * -x OPT:VAL: a named option's value parsed by its type (addresses,
 * numbers, strings; hostname vetted as RFC 1123), or a numeric code with
 * hex bytes (or a quoted string).  An empty value adds nothing.
 * Returns 0, -EINVAL or -E2BIG.
 */
int opts_extra(struct dhcpc_cfg *c, const char *arg);

/* -F NAME: option 81 (RFC 4702: flags S|E, canonical wire format). */
int opts_fqdn(struct dhcpc_cfg *c, const char *name);

/* Appends option @code with @len bytes to @c->extra.  0 or -E2BIG. */
int opts_add(struct dhcpc_cfg *c, uint8_t code, const void *v, size_t len);

/* The default parameter request list (udhcpc's OPTION_REQ rows). */
void opts_default_prl(struct dhcpc_cfg *c);

#endif

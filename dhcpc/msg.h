/* SPDX-License-Identifier: MIT */
/*
 * The client's messages (RFC 2131 4.3.2, with udhcpc's options), built
 * from the state machine's state for it to hand to the loop: no I/O.
 */
#ifndef DHCPC_MSG_H
#define DHCPC_MSG_H

#include <stdbool.h>
#include <stdint.h>

#include "fsm.h"

/* A random transaction id (getrandom, else time and pid). */
uint32_t msg_new_xid(void);

/* @ip (network order) as dotted quad, in one of two static buffers. */
const char *msg_ntoa(uint32_t ip);

/* Each builds a message into @o (not yet ended: dhcp_build_end()) and
 * logs it as sent.  DISCOVER, asking for f->req_ip if set. */
void msg_discover(const struct fsm *f, struct dhcp_out *o);

/* REQUEST as f->state wants it: SELECTING/REQUESTING and INIT-REBOOT
 * broadcast, RENEWING unicast to f->server (if known), REBINDING
 * broadcast.  Returns true when it goes unicast. */
bool msg_request(const struct fsm *f, struct dhcp_out *o);

/* RELEASE of f->yiaddr for f->server (unicast), in transaction f->xid. */
void msg_release(const struct fsm *f, struct dhcp_out *o);

/* DECLINE of @ip to f->server (broadcast). */
void msg_decline(const struct fsm *f, struct dhcp_out *o, uint32_t ip);

#endif

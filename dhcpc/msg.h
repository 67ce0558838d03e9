/* SPDX-License-Identifier: MIT */
/*
 * The client's messages (RFC 2131 4.3.2, with udhcpc's options) and the
 * sockets they go through: raw while unconfigured or rebinding, UDP to
 * renew and release.  The state machine (fsm.c) decides when.
 */
#ifndef DHCPC_MSG_H
#define DHCPC_MSG_H

#include <stdint.h>

#include "fsm.h"

/* A random transaction id (getrandom, else time and pid). */
uint32_t msg_new_xid(void);

/* @ip (network order) as dotted quad, in one of two static buffers. */
const char *msg_ntoa(uint32_t ip);

/* Closes both sockets. */
void msg_listen_none(struct fsm *f);

/* Listens on the raw (msg_listen_raw) or the UDP socket (msg_listen_udp)
 * only, opening it if needed.  0 or -errno, logged. */
int msg_listen_raw(struct fsm *f);
int msg_listen_udp(struct fsm *f);

/* DISCOVER, broadcast, asking for f->req_ip if set. */
void msg_discover(struct fsm *f);

/* REQUEST as f->state wants it: SELECTING/REQUESTING and INIT-REBOOT
 * broadcast, RENEWING unicast to f->server, REBINDING broadcast. */
void msg_request(struct fsm *f);

/* RELEASE of f->yiaddr, unicast to f->server, with a new xid. */
void msg_release(struct fsm *f);

/* DECLINE of @ip to f->server, broadcast. */
void msg_decline(struct fsm *f, uint32_t ip);

#endif

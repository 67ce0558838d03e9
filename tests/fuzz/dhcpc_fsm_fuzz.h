/* SPDX-License-Identifier: MIT */
/*
 * dhcpc_fsm_fuzz: what the driver (dhcpc_fsm_fuzz.c: input, events,
 * invariants) and the fake loop (dhcpc_fsm_world.c: the actions fsm.c
 * asks for, performed and checked) share.
 */
#ifndef EMBNET_DHCPC_FSM_FUZZ_H
#define EMBNET_DHCPC_FSM_FUZZ_H

#include <stdbool.h>
#include <stdint.h>

#include "../../dhcpc/fsm.h"

/* fsm.c's and timers.c's constants the checks mirror (s, or ms where
 * named so) */
#define MIN_LEASE_S 30
#define T1_MIN_S 5
#define RENEW_GAP_S 60
#define QUIET_S 120
#define MAX_CONFLICTS 10
#define RATE_LIMIT_MS 60000

/* faults from now on: bits of the fault event's byte */
enum {
	F_RAW = 1,
	F_UDP = 2,
	F_SEND = 4,
	F_ARP = 8,
	F_PROBE = 0x30, /* 1 a conflict, 2 an error */
	F_WRITE = 0x40,
	F_ANNOUNCE = 0x80,
};

extern const uint8_t fz_mac[6];
extern struct fsm f;
extern struct dhcpc_cfg cfg;
extern int64_t now;
extern uint8_t faults;
extern bool configured; /* the script was given an address */
extern uint8_t file_buf[];
extern size_t file_len;
extern bool file_bad;
extern int64_t ack_at; /* when the reply being handled arrived */

/* Stops the run: an invariant does not hold. */
void fz_fail(const char *what) __attribute__((noreturn));

/* The fake loop's state back to a fresh start. */
void fz_world_reset(void);

/* run.c's perform(): every action fsm.c asked for, checked. */
void fz_perform(void);

/* A signal from the user: it may start a new round at once. */
void fz_world_user(void);

/* The world's invariants between events: sockets and ARP as fsm.c
 * believes them. */
void fz_world_check(void);

/* What is left open at the end: 0, or fz_fail(). */
void fz_world_finish(void);

#endif

/* SPDX-License-Identifier: MIT */
/* dhcpc6's messages, built from the state machine's state. */
#ifndef DHCPC_D6_MSG_H
#define DHCPC_D6_MSG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "d6_fsm.h"

/* The message type state @s sends (INFORMATION-REQUEST for the
 * stateless states).  Pure. */
uint8_t d6_msg_type(enum d6_state s);

/*
 * Builds message @type for @f's state into @out (@cap bytes): its DUID,
 * the server's identifier when @with_server, the IAs of the state (the
 * chosen Advertise's in Request, the lease's in Renew, Rebind, Release
 * and Confirm (no IA_PD there, 18.2.3), the declined address in
 * Decline, -r's hint in Solicit; lifetimes 0, 21.6), ELAPSED_TIME, the
 * ORO with SOL_MAX_RT (or INF_MAX_RT and the refresh time), RAPID_COMMIT
 * in a Solicit with --rapid-commit, and -x's options.  Returns the
 * length or -ENOSPC.  Pure.
 */
int d6_msg_make(const struct d6_fsm *f, uint8_t type, bool with_server,
		uint8_t *out, size_t cap);

#endif

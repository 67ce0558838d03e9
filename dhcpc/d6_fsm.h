/* SPDX-License-Identifier: MIT */
/*
 * RFC 8415 client states, retransmissions and lease timers: decisions
 * only, as dhcpc's fsm.h.  The loop (d6_run.c) calls in on a timeout, a
 * packet or a signal, with the time; the state machine queues what the
 * loop must do (d6_fsm_next(): send, run the script, fork) and sets when
 * to call again (deadline).  No socket, file or exec here.
 */
#ifndef DHCPC_D6_FSM_H
#define DHCPC_D6_FSM_H

#include <stdbool.h>
#include <stdint.h>

#include "d6_dhcpc.h"
#include "d6_packet.h"

enum d6_state {
	D6_ST_SOLICIT,
	D6_ST_REQUEST,
	D6_ST_BOUND,
	D6_ST_RENEW,
	D6_ST_REBIND,
	D6_ST_INFO,	  /* stateless: Information-request sent */
	D6_ST_INFO_BOUND, /* stateless: configured until the refresh */
	D6_ST_RELEASED,	  /* after USR2: idle until USR1 */
	D6_ST_WAIT,	  /* after leasefail or a failure status */
	D6_ST_CONFIRM,	  /* carrier back: are the addresses on-link? */
	D6_ST_DECLINE,	  /* DAD failed: the address handed back */
};

enum d6_act_type {
	D6_ACT_SEND,   /* send .buf to .dst (all servers when .mcast) */
	D6_ACT_SCRIPT, /* run the script for .event, .msg's environment */
	D6_ACT_FORK,   /* go to the background (the parent exits) */
};

struct d6_act {
	enum d6_act_type type;
	bool mcast;
	const uint8_t *dst; /* 16 bytes, when !mcast */
	const char *event;
	const struct d6_msg *msg; /* NULL: no options */
	const uint8_t *buf;
	size_t len;
};

#define D6_MAX_ACTS 8
#define D6_OUT_LEN 1500

/* RFC 8415 7.6 */
#define D6_SOL_MAX_DELAY 1000
#define D6_SOL_TIMEOUT 1000
#define D6_SOL_MAX_RT 3600000
#define D6_REQ_TIMEOUT 1000
#define D6_REQ_MAX_RT 30000
#define D6_REQ_MAX_RC 10
#define D6_REN_TIMEOUT 10000
#define D6_REN_MAX_RT 600000
#define D6_REB_TIMEOUT 10000
#define D6_REB_MAX_RT 600000
#define D6_INF_TIMEOUT 1000
#define D6_INF_MAX_RT 3600000
#define D6_CNF_TIMEOUT 1000
#define D6_CNF_MAX_RT 4000
#define D6_CNF_MAX_RD 10000
#define D6_DEC_TIMEOUT 1000
#define D6_DEC_MAX_RC 5
#define D6_IRT_DEFAULT 86400000 /* information refresh, 21.23 */
#define D6_IRT_MINIMUM 600000

struct d6_fsm {
	const struct d6_cfg *cfg;
	uint8_t duid[D6_DUID_MAX];
	size_t duid_len;
	uint32_t iaid;
	int64_t now;
	enum d6_state state;
	uint32_t xid;
	uint64_t rnd; /* xorshift64 state, never 0 */
	unsigned tries;
	int64_t rt;	     /* retransmission time of the last send, ms */
	int64_t start;	     /* first send of this exchange, ms */
	int64_t mrd_end;     /* retransmissions end here, -1 never */
	int64_t deadline;    /* ms of the next d6_fsm_timeout(), -1 none */
	int64_t collect_end; /* first RT of a Solicit: Advertises gathered */
	uint8_t adv_raw[D6_MAX_LEN]; /* the best Advertise so far */
	size_t adv_len;
	int adv_pref; /* -1: none */
	uint8_t server[D6_DUID_MAX];
	size_t server_len;
	bool unicast; /* the server's UNICAST option, not refused */
	uint8_t server_addr[16];
	uint8_t lease_raw[D6_MAX_LEN]; /* the Reply bound to */
	size_t lease_len;
	struct d6_msg lease;		/* its IAs checked and pruned */
	bool bound;			/* lease holds a binding */
	int64_t t1, t2, expiry;		/* ms, -1 infinite */
	int64_t sol_max_rt, inf_max_rt; /* ms: the RFC's, or a server's */
	bool carrier_lost;
	uint8_t declined[16];
	bool forked, done;
	int exit_code;
	uint8_t rx_raw[D6_MAX_LEN]; /* the message being handled */
	size_t rx_len;
	struct d6_msg rx;
	uint8_t out[D6_OUT_LEN];
	struct d6_act acts[D6_MAX_ACTS];
	unsigned head, n_acts;
};

/*
 * Sets up @f for @cfg at @now, with client identifier @duid (@duid_len
 * bytes), IAID @iaid and random seed @seed: udhcpc6's deconfig at start,
 * then a Solicit (or an Information-request with -l) at once.
 */
void d6_fsm_init(struct d6_fsm *f, const struct d6_cfg *cfg,
		 const uint8_t *duid, size_t duid_len, uint32_t iaid,
		 uint64_t seed, int64_t now);

/* The next action to perform, in order, or NULL when all are done. */
const struct d6_act *d6_fsm_next(struct d6_fsm *f);

/* f->deadline passed. */
void d6_fsm_timeout(struct d6_fsm *f, int64_t now);

/* A DHCPv6 message of @len bytes arrived from @src (16 bytes). */
void d6_fsm_packet(struct d6_fsm *f, int64_t now, const uint8_t *buf,
		   size_t len, const uint8_t *src);

/*
 * The link's carrier went @up or down.  Back up after a loss: a Confirm
 * of the addresses held (RFC 8415 18.2.12), a Rebind when only prefixes
 * are, an Information-request when stateless; a Solicit at once when
 * still soliciting or waiting.
 */
void d6_fsm_carrier(struct d6_fsm *f, int64_t now, bool up);

/* Duplicate address detection failed for @addr (16 bytes): if it is an
 * address of the lease, a Decline (18.2.8), deconfig, then Solicit. */
void d6_fsm_dad_failed(struct d6_fsm *f, int64_t now, const uint8_t *addr);

/* SIGUSR1 (renew), SIGUSR2 (release), SIGTERM/SIGINT (exit). */
void d6_fsm_signal(struct d6_fsm *f, int64_t now, int sig);

#endif

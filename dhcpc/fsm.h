/* SPDX-License-Identifier: MIT */
/*
 * RFC 2131 client states and timers: decisions only.  The loop (run.c)
 * calls in here on a timeout, a packet, a signal or a carrier change, with
 * the time; the state machine answers with what the loop must do, in
 * order (fsm_next(): send this, listen there, run the script, probe, fork)
 * and when to call again (deadline, announce_at).  No socket, file, fork
 * or exec here: a test drives it on a fake clock and performs the actions
 * itself.
 */
#ifndef DHCPC_FSM_H
#define DHCPC_FSM_H

#include <stdbool.h>
#include <stdint.h>

#include "dhcpc.h"
#include "packet.h"

enum dhcp_state {
	DHCP_ST_INIT,
	DHCP_ST_SELECTING,
	DHCP_ST_REQUESTING,
	DHCP_ST_BOUND,
	DHCP_ST_RENEWING,
	DHCP_ST_REBINDING,
	DHCP_ST_REBOOTING, /* INIT-REBOOT: lease file or link back up */
	DHCP_ST_RELEASED,  /* after USR2: idle until USR1 */
	DHCP_ST_WAIT,	   /* after leasefail, NAK or DECLINE, then INIT */
};

/* Which socket replies come in on. */
enum fsm_listen {
	FSM_LISTEN_NONE,
	FSM_LISTEN_RAW, /* AF_PACKET: unconfigured, or rebinding */
	FSM_LISTEN_UDP, /* bound to the device: renewing */
};

enum fsm_act_type {
	FSM_ACT_LISTEN,	   /* open the socket of .listen, close the other */
	FSM_ACT_SEND,	   /* send .buf: UDP to .ip if .ucast, else raw
			    * broadcast from .ip (opening the socket the
			    * last FSM_ACT_LISTEN named if it is not open) */
	FSM_ACT_SCRIPT,	   /* run the script for .event with .msg's
			    * environment (NULL: none) */
	FSM_ACT_SAVE,	   /* write lease_raw to the --lease-file */
	FSM_ACT_PROBE,	   /* -a: open the ARP socket, probe .ip (RFC
			    * 5227), answer fsm_probed() before any other
			    * call; the socket stays open unless it failed */
	FSM_ACT_ANNOUNCE,  /* one ARP announcement of .ip on that socket */
	FSM_ACT_ARP_CLOSE, /* close the ARP socket */
	FSM_ACT_FORK,	   /* go to the background (the parent exits) */
};

/* One thing for the loop to do; valid until the next call into fsm.c. */
struct fsm_act {
	enum fsm_act_type type;
	enum fsm_listen listen;
	bool ucast;
	uint32_t ip; /* network order */
	const char *event;
	const struct dhcp_msg *msg;
	const uint8_t *buf;
	size_t len;
};

/* Room per call, far more than any needs (the fuzz target checks). */
#define FSM_MAX_ACTS 16
#define FSM_MAX_SENDS 4

/* Packets ignored as damaged: how many lines went out this minute. */
struct fsm_ratelimit {
	int64_t start; /* ms: the minute began */
	unsigned n_logged, n_quiet;
};

struct fsm {
	const struct dhcpc_cfg *cfg;
	uint8_t mac[6];
	int64_t now; /* ms on the caller's clock, given at each call */
	enum dhcp_state state;
	enum fsm_listen listen; /* as the last FSM_ACT_LISTEN said */
	uint32_t xid;
	unsigned tries;
	int64_t deadline;	 /* ms of the next fsm_timeout(), -1 none */
	int64_t start;		 /* for the secs field */
	uint32_t server, yiaddr; /* network order */
	uint32_t offer_ip;
	uint32_t req_ip; /* option 50 of DISCOVER (udhcpc's requested_ip) */
	int64_t t1, t2, expiry; /* ms; -1 infinite */
	int64_t last_ack;	/* ms of the last lease taken, -1 none */
	bool have_lease;	/* bound at least once since INIT */
	bool renew_requested;	/* USR1 while bound */
	bool forked;
	bool done;
	int exit_code;
	uint32_t probe_ip;    /* -a: waiting for fsm_probed(), else 0 */
	unsigned n_conflicts; /* RFC 5227 2.1.1, since a clean probe */
	bool arp_open;	      /* the ARP socket is held */
	uint32_t announce_ip; /* RFC 5227 2.3, after a clean -a probe */
	unsigned n_announce;  /* announcements still to send */
	int64_t announce_at;  /* ms of the next fsm_announce(), -1 none */
	struct fsm_ratelimit damaged;
	struct dhcp_msg msg;		 /* the last message received */
	uint8_t lease_raw[DHCP_MAX_LEN]; /* its bytes, for --lease-file */
	size_t lease_raw_len;
	/* what the loop has to do: acts[head..n) */
	struct fsm_act acts[FSM_MAX_ACTS];
	unsigned head, n_acts, n_outs;
	struct dhcp_out outs[FSM_MAX_SENDS];
};

/*
 * Sets up @f for @cfg and the interface's @mac at @now: the deconfig of
 * udhcpc's start, then INIT; or INIT-REBOOT if @lease (@lease_len bytes,
 * NULL: none) is a lease of ours, as the --lease-file holds it.
 */
void fsm_init(struct fsm *f, const struct dhcpc_cfg *cfg, const uint8_t mac[6],
	      int64_t now, const uint8_t *lease, size_t lease_len);

/*
 * The next action to perform, in order, or NULL when all are done.  The
 * loop drains them after each call below (and before it exits when
 * f->done is set).
 */
const struct fsm_act *fsm_next(struct fsm *f);

/* f->deadline passed (@now >= it). */
void fsm_timeout(struct fsm *f, int64_t now);

/* A DHCP payload of @len bytes arrived. */
void fsm_packet(struct fsm *f, int64_t now, const uint8_t *buf, size_t len);

/* The answer to FSM_ACT_PROBE: @r 1 on a conflict, 0 if the address is
 * free, -errno if probing failed (taken as free, with no announcements). */
void fsm_probed(struct fsm *f, int64_t now, int r);

/* f->announce_at passed: the next ARP announcement of the address just
 * probed, if it is still ours, and the time of the one after. */
void fsm_announce(struct fsm *f, int64_t now);

/* SIGUSR1 (renew), SIGUSR2 (release), SIGTERM/SIGINT (exit). */
void fsm_signal(struct fsm *f, int64_t now, int sig);

/* The link's carrier went @up or down. */
void fsm_carrier(struct fsm *f, int64_t now, bool up);

/*
 * Logs one line about a packet or frame ignored as damaged (printf @fmt):
 * a warning for the first few each minute, then at debug level, with a
 * count of those left out; never one syslog line per packet of a flood.
 */
void fsm_log_damaged(struct fsm *f, int64_t now, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#endif

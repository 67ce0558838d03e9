/* SPDX-License-Identifier: MIT */
/*
 * RFC 2131 client states and timers.  The loop (run.c) owns the fds and
 * calls in here on a timeout, a packet, a signal or a carrier change.
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

struct fsm {
	const struct dhcpc_cfg *cfg;
	int ifindex;
	uint8_t mac[6];
	int raw_fd, udp_fd; /* -1 when closed */
	enum dhcp_state state;
	uint32_t xid;
	unsigned tries;
	int64_t deadline;	 /* mono ms of the next timeout, -1 none */
	int64_t start;		 /* for the secs field */
	uint32_t server, yiaddr; /* network order */
	uint32_t offer_ip;
	uint32_t req_ip; /* option 50 of DISCOVER (udhcpc's requested_ip) */
	int64_t t1, t2, expiry; /* mono ms; -1 infinite */
	bool have_lease;	/* bound at least once since INIT */
	bool renew_requested;	/* USR1 while bound */
	bool forked;
	bool done;
	int exit_code;
	int arp_fd;	      /* -a: probes, then announcements; -1 */
	uint32_t announce_ip; /* RFC 5227 2.3, after a clean -a probe */
	unsigned n_announce;  /* announcements still to send */
	int64_t announce_at;  /* mono ms of the next one, -1 none */
	struct dhcp_msg msg;  /* the last message received */
	uint8_t lease_raw[DHCP_MAX_LEN]; /* its bytes, for --lease-file */
	size_t lease_raw_len;
};

/* Sets up @f for @cfg (INIT at once, or INIT-REBOOT from the lease file). */
void fsm_init(struct fsm *f, const struct dhcpc_cfg *cfg);

/* The deadline passed. */
void fsm_timeout(struct fsm *f);

/* A DHCP payload of @len bytes arrived. */
void fsm_packet(struct fsm *f, const uint8_t *buf, size_t len);

/* f->announce_at passed: sends the next ARP announcement of the address
 * just probed, if it is still ours, and schedules the one after. */
void fsm_announce(struct fsm *f);

/* SIGUSR1 (renew), SIGUSR2 (release), SIGTERM/SIGINT (exit). */
void fsm_signal(struct fsm *f, int sig);

/* The link's carrier went @up or down. */
void fsm_carrier(struct fsm *f, bool up);

/* Forks to the background (udhcpc's client_background()).  run.c. */
void run_background(struct fsm *f);

/* Runs the script for @event with @m's environment (NULL: none).  run.c,
 * beside the fork: the one place that spawns (a test can replace it). */
void fsm_script(struct fsm *f, const char *event, const struct dhcp_msg *m);

#endif

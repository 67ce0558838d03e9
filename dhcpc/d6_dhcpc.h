/* SPDX-License-Identifier: MIT */
/* dhcpc6: the configuration d6_main.c fills and the client run on it. */
#ifndef DHCPC_D6_DHCPC_H
#define DHCPC_D6_DHCPC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "d6_packet.h"

/* busybox's udhcpc6 runs its own default6.script beside udhcpc's (its
 * CONFIG_UDHCPC6_DEFAULT_SCRIPT); ours sits beside dhcpc's in /etc/udhcpc */
#ifndef D6_DEFAULT_SCRIPT
#define D6_DEFAULT_SCRIPT "/etc/udhcpc/default6.script"
#endif
#ifndef D6_DEFAULT_DUID_FILE
#define D6_DEFAULT_DUID_FILE "/var/lib/dhcpc6/duid"
#endif
#define D6_EXTRA_LEN 1024 /* -x options, encoded */

struct d6_cfg {
	const char *ifname;    /* -i, default eth0 */
	const char *script;    /* -s */
	const char *pidfile;   /* -p */
	const char *duid_file; /* --duid-file */
	unsigned retries;      /* -t, 0: forever */
	unsigned timeout_ms;   /* -T: the first retransmission time */
	unsigned tryagain;     /* -A seconds */
	bool now, background, foreground, quit, release;
	bool stateless;	   /* -l: Information-request only */
	bool want_na;	   /* false with -r no */
	bool want_pd;	   /* -d */
	bool rapid_commit; /* --rapid-commit */
	bool has_req_addr;
	uint8_t req_addr[16]; /* -r IPv6: a hint in the Solicit */
	uint16_t cport;	      /* -P, client port (server port = cport + 1) */
	uint16_t oro[D6_MAX_ORO];
	unsigned n_oro;
	uint8_t extra[D6_EXTRA_LEN]; /* whole options from -x */
	size_t extra_len;
};

/*
 * Runs the client on @cfg until it exits; returns the exit status
 * (udhcpc6's: 0 after -q or SIGTERM, 1 on failure).
 */
int d6_run(const struct d6_cfg *cfg);

#endif

/* SPDX-License-Identifier: MIT */
/* dhcpc: the configuration main.c fills and the client run on it. */
#ifndef DHCPC_DHCPC_H
#define DHCPC_DHCPC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define DHCPC_VENDOR_DEFAULT "udhcp 1.35.0"
/* Debian's busybox (and our rootfs) use /etc/udhcpc; upstream's default
 * is /usr/share/udhcpc/default.script: set it with -D for such systems. */
#ifndef DHCPC_DEFAULT_SCRIPT
#define DHCPC_DEFAULT_SCRIPT "/etc/udhcpc/default.script"
#endif
#define DHCPC_EXTRA_LEN 2048 /* -x/-F/-c/-H options, encoded */

struct dhcpc_cfg {
	const char *ifname;	/* -i, default eth0 */
	const char *script;	/* -s */
	const char *pidfile;	/* -p */
	const char *lease_file; /* --lease-file: INIT-REBOOT at start */
	const char *vendor;	/* -V; NULL: no option 60 */
	unsigned retries;	/* -t, 0: forever */
	unsigned timeout;	/* -T seconds */
	unsigned tryagain;	/* -A seconds */
	bool now, background, foreground, quit, release;
	bool bcast_flag;   /* -B */
	bool no_clientid;  /* -C */
	bool clientid_set; /* -x 61 or -c */
	bool rapid_commit; /* --rapid-commit: option 80 */
	bool carrier;	   /* follow the link (--no-carrier disables) */
	int arp_ms;	   /* -a: probe time budget; -1 no probing */
	uint32_t req_ip;   /* -r, network order, 0: none */
	uint16_t cport;	   /* -P, client port (server port = cport - 1) */
	bool no_defaults;  /* -o: no default PRL */
	uint8_t prl[256];  /* option 55, sorted */
	size_t n_prl;
	/* the options -x/-F/-c/-H give, sorted by code, each once: code,
	 * 16-bit big-endian length, value (opts.c) */
	uint8_t extra[DHCPC_EXTRA_LEN];
	size_t extra_len;
};

/*
 * Runs the client on @cfg until it exits; returns the exit status
 * (udhcpc's: 0 after -q or SIGTERM, 1 on failure).
 */
int dhcpc_run(const struct dhcpc_cfg *cfg);

#endif

/* SPDX-License-Identifier: MIT */
/* dhcp.c: the DHCP clients the methods start (udhcpc, udhcpc6). */
#ifndef IFUPDOWN_DHCP_H
#define IFUPDOWN_DHCP_H

#include "ifupdown.h"

/* What differs between the clients: the program, found on PATH, whose pid
 * file is /var/run/PROG.IFACE.pid; the options that become its flags
 * ({option, flag prefix}, {NULL, NULL} last); the option whose words are
 * appended (busybox's udhcpc_opts); the message when it is missing. */
struct dhcp_client {
	const char *prog;
	const char *const (*opts)[2];
	const char *extra;
	const char *missing;
};

/*
 * Runs `PROG -R -n -p PIDFILE -i IFACE [@flags] [options] [extra]` (shown
 * first) and waits for it: it exits once it has a lease and stays in the
 * background.  @flags holds fixed words ("-d").  0, or -errno said.
 */
int dhcp_client_up(struct ifud_run *r, struct ifud_stanza *st,
		   const struct dhcp_client *c, const char *flags);

/* SIGTERM to the client of @st's pid file, if it is that client (its
 * command line names the file); waits up to 2 s for its release. */
void dhcp_client_stop(struct ifud_run *r, struct ifud_stanza *st,
		      const struct dhcp_client *c);

#endif

/* SPDX-License-Identifier: MIT */
/*
 * What dhcpc (run.c) and dhcpc6 (d6_run.c) do alike as daemons: the pid
 * file, udhcpc's client_background() and the signalfd of the signals
 * they act on.
 */
#ifndef DHCPC_DAEMON_H
#define DHCPC_DAEMON_H

/* Keeps @path (NULL: no pid file) and writes our pid there; an error is
 * logged, not returned. */
void daemon_pidfile(const char *path);

/* Removes the pid file of daemon_pidfile(), if any. */
void daemon_pidfile_remove(void);

/*
 * udhcpc's client_background(): forks; the parent writes the child's pid
 * to the pid file, before its caller can go on, and exits 0; the child
 * starts a session with stdin, stdout and stderr on /dev/null.  A failed
 * fork is logged and the caller goes on in the foreground.
 */
void daemon_background(void);

/* Blocks SIGUSR1, SIGUSR2, SIGTERM and SIGINT and returns a non-blocking
 * signalfd of them, or -errno. */
int daemon_signals(void);

#endif

/* SPDX-License-Identifier: MIT */
/*
 * The DHCP clients ifup starts, described by a struct dhcp_client (dhcp.h):
 * udhcpc for inet dhcp (inet.c) and udhcpc6 for inet6 dhcp and auto
 * (inet6.c), each with busybox ifup's command line, found on PATH, and
 * stopped through its pid file only when that file names the client.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "embnet/file.h"
#include "embnet/log.h"
#include "embnet/mono.h"
#include "embnet/spawn.h"
#include "dhcp.h"
#include "interfaces.h"
#include "meth.h"

#define DHCP_ARGS 32

/* @prog from the caller's PATH (as busybox ifup's shell finds it), else
 * from the directories Debian and busybox install it in. */
static const char *client_path(const char *prog, char *buf, size_t len)
{
	static const char fallback[] = "/sbin:/usr/sbin:/bin:/usr/bin";
	const char *path = getenv("PATH");
	size_t n;

	for (int pass = 0; pass < 2; pass++) {
		const char *p = pass || !path ? fallback : path;

		for (; *p; p += n + (p[n] == ':')) {
			n = strcspn(p, ":");
			if (n &&
			    snprintf(buf, len, "%.*s/%s", (int)n, p, prog) <
				    (int)len &&
			    access(buf, X_OK) == 0)
				return buf;
		}
	}
	return NULL;
}

static void pid_path(const struct dhcp_client *c, const char *iface, char *buf,
		     size_t len)
{
	snprintf(buf, len, "/var/run/%s.%s.pid", c->prog, iface);
}

/* busybox ifup: PROG -R -n -p /var/run/PROG.I.pid -i I [FLAGS] [-x
 * hostname:H] ... [EXTRA], split into words in @buf. */
static int client_argv(struct ifud_stanza *st, const struct dhcp_client *c,
		       const char *flags, const char **argv, char *buf,
		       size_t len)
{
	const char *extra = c->extra ? ifp_opt_get(&st->opts, c->extra) : NULL;
	char *p = buf, *save = NULL, *w, pidfile[96];
	size_t n;
	int argc = 0;

	pid_path(c, st->iface, pidfile, sizeof(pidfile));
	n = (size_t)snprintf(buf, len, "%s -R -n -p %s -i %s%s%s", c->prog,
			     pidfile, st->iface, *flags ? " " : "", flags);
	for (size_t i = 0; c->opts[i][0] && n < len; i++) {
		const char *v = ifp_opt_get(&st->opts, c->opts[i][0]);

		if (v && *v)
			n += (size_t)snprintf(buf + n, len - n, " %s%s",
					      c->opts[i][1], v);
	}
	if (extra && n < len)
		n += (size_t)snprintf(buf + n, len - n, " %s", extra);
	if (n >= len)
		return -E2BIG;
	/* -x hostname:H is one word with its value, like the others */
	for (; (w = strtok_r(p, " \t\n", &save)); p = NULL) {
		if (argc == DHCP_ARGS - 1)
			return -E2BIG;
		argv[argc++] = w;
	}
	argv[argc] = NULL;
	return argc;
}

int dhcp_client_up(struct ifud_run *r, struct ifud_stanza *st,
		   const struct dhcp_client *c, const char *flags)
{
	const char *argv[DHCP_ARGS];
	char buf[1024], show[1024], path[PATH_MAX];
	const char *prog = client_path(c->prog, path, sizeof(path));
	int status = 0, err;

	err = client_argv(st, c, flags, argv, buf, sizeof(buf));
	if (err < 0)
		return meth_fail(r, err, st->iface, c->prog);
	snprintf(show, sizeof(show), "%s", argv[0]);
	for (int i = 1; argv[i]; i++)
		snprintf(show + strlen(show), sizeof(show) - strlen(show),
			 " %s", argv[i]);
	hook_show(r, "%s", show);
	if (r->o->no_act)
		return 0;
	if (!prog) {
		log_warn("%s", c->missing);
		return -ENOENT;
	}
	argv[0] = prog;
	hook_pidfile(r, st);
	fflush(NULL);
	err = spawn_run(argv, spawn_env_vars(&st->env), &status);
	if (err || status) {
		log_err(err, "%s: %s failed%s", st->iface, c->prog,
			err ? "" : " to get a lease");
		return err ? err : -EIO;
	}
	return 0;
}

/*
 * True if process @pid was started with `-p @pidfile` (or -p@pidfile,
 * --pidfile[=]@pidfile), as dhcp_client_up() starts the client: a stale
 * pid file whose pid now belongs to another process must not get its
 * SIGTERM.  The command line is read as far as the first 4 KiB.
 */
static bool is_client(int pid, const char *pidfile)
{
	char path[64], buf[4096];
	size_t plen = strlen(pidfile);
	const char *prev = "";
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/cmdline", pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return false;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return false;
	buf[n] = '\0';
	for (char *a = buf; a < buf + n; a += strlen(a) + 1) {
		if (strcmp(a, pidfile) == 0 &&
		    (!strcmp(prev, "-p") || !strcmp(prev, "--pidfile")))
			return true;
		if ((!strncmp(a, "-p", 2) && !strcmp(a + 2, pidfile)) ||
		    (!strncmp(a, "--pidfile=", 10) &&
		     !strncmp(a + 10, pidfile, plen) && !a[10 + plen]))
			return true;
		prev = a;
	}
	return false;
}

void dhcp_client_stop(struct ifud_run *r, struct ifud_stanza *st,
		      const struct dhcp_client *c)
{
	char path[96], buf[32];
	int pid;

	pid_path(c, st->iface, path, sizeof(path));
	hook_show(r, "test -f %s && kill `cat %s`", path, path);
	if (r->o->no_act || file_read_str(path, buf, sizeof(buf)) < 0)
		return;
	pid = atoi(buf);
	if (pid <= 1)
		return;
	if (!is_client(pid, path)) {
		log_warn("%s: %s: pid %d is not its %s: not signalled",
			 st->iface, path, pid, c->prog);
		return;
	}
	if (kill(pid, SIGTERM) < 0)
		return;
	for (int64_t end = mono_ms() + 2000; mono_ms() < end;) {
		if (kill(pid, 0) < 0)
			break;
		usleep(20000);
	}
}

// SPDX-License-Identifier: MIT
/*
 * The daemon chores of dhcpc and dhcpc6 (see daemon.h): the pid file, the
 * fork to the background and the signalfd, one copy for both run loops.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <unistd.h>
#include <sys/signalfd.h>

#include "daemon.h"
#include "embnet/file.h"
#include "embnet/log.h"

static const char *pid_path;

static void pidfile_write(pid_t pid)
{
	char buf[24];
	int n, err;

	if (!pid_path)
		return;
	n = snprintf(buf, sizeof(buf), "%d\n", (int)pid);
	err = file_write_atomic(pid_path, buf, (size_t)n, 0644);
	if (err)
		log_err(err, "%s", pid_path);
}

void daemon_pidfile(const char *path)
{
	pid_path = path;
	pidfile_write(getpid());
}

void daemon_pidfile_remove(void)
{
	if (pid_path)
		unlink(pid_path);
}

void daemon_background(void)
{
	pid_t pid = fork();
	int fd;

	if (pid < 0) {
		log_err(-errno, "fork");
		return;
	}
	if (pid > 0) {
		/* The child's pid is in place before our caller goes on: an
		 * ifdown right after ifup must not read the parent's. */
		pidfile_write(pid);
		_exit(0);
	}
	setsid();
	fd = open("/dev/null", O_RDWR | O_CLOEXEC);
	if (fd >= 0) {
		dup2(fd, 0);
		dup2(fd, 1);
		dup2(fd, 2);
		if (fd > 2)
			close(fd);
	}
}

int daemon_signals(void)
{
	sigset_t set;
	int fd;

	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	sigaddset(&set, SIGUSR2);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	if (sigprocmask(SIG_BLOCK, &set, NULL))
		return -errno;
	fd = signalfd(-1, &set, SFD_CLOEXEC | SFD_NONBLOCK);
	return fd < 0 ? -errno : fd;
}

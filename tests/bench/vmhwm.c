// SPDX-License-Identifier: MIT
/*
 * vmhwm CMD ARGS...: runs CMD with stdout on /dev/null and prints its peak
 * RSS in KiB: VmHWM of /proc/PID/status, read when CMD exits (stopped
 * there by PTRACE_O_TRACEEXIT).  Unlike ru_maxrss (maxrss.c) the figure is
 * CMD's own: not the launcher's, which ru_maxrss carries across exec, nor
 * that of CMD's children (dhcpc's script).  And it stays right for a
 * process of a few dozen pages, where ru_maxrss, read from the per-CPU RSS
 * counters without summing them, gives 0 KiB on Linux 6.18.
 */
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <unistd.h>
#include <sys/ptrace.h>
#include <sys/wait.h>

static long vm_hwm(pid_t pid)
{
	char path[64], line[256];
	long kib = -1;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
	f = fopen(path, "r");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "VmHWM: %ld", &kib) == 1)
			break;
	fclose(f);
	return kib;
}

static void child(char **argv)
{
	int fd = open("/dev/null", O_WRONLY);

	if (fd >= 0)
		dup2(fd, 1);
	if (ptrace(PTRACE_TRACEME, 0, NULL, NULL) < 0)
		_exit(127);
	execv(argv[0], argv);
	_exit(127);
}

/* Runs the traced @pid to its end; returns VmHWM at its exit, or -1. */
static long trace(pid_t pid, int *status)
{
	long kib = -1;
	int sig;

	/* The tracee stops with SIGTRAP after its exec. */
	if (waitpid(pid, status, 0) != pid || !WIFSTOPPED(*status))
		return -1;
	ptrace(PTRACE_SETOPTIONS, pid, NULL,
	       (void *)(long)(PTRACE_O_TRACEEXIT | PTRACE_O_EXITKILL));
	sig = 0;
	while (ptrace(PTRACE_CONT, pid, NULL, (void *)(long)sig) == 0 &&
	       waitpid(pid, status, 0) == pid && WIFSTOPPED(*status)) {
		sig = 0;
		if (*status >> 8 == (SIGTRAP | (PTRACE_EVENT_EXIT << 8)))
			kib = vm_hwm(pid);
		else
			sig = WSTOPSIG(*status);
	}
	return kib;
}

int main(int argc, char **argv)
{
	int status = 0;
	long kib;
	pid_t pid;

	if (argc < 2) {
		fprintf(stderr, "usage: vmhwm CMD [ARGS...]\n");
		return 2;
	}
	pid = fork();
	if (pid < 0)
		return 1;
	if (pid == 0)
		child(argv + 1);
	kib = trace(pid, &status);
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0 || kib < 0)
		return 1;
	printf("%ld\n", kib);
	return 0;
}

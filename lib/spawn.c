// SPDX-License-Identifier: MIT
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "embnet/mono.h"
#include "embnet/spawn.h"

#ifndef CLOSE_RANGE_CLOEXEC
#define CLOSE_RANGE_CLOEXEC (1U << 2) /* linux/close_range.h, 5.11 */
#endif

/* Highest fd the close() fallback tries when close_range() is missing. */
#define SPAWN_FD_SCAN_MAX 65536

/*
 * Marks every fd from 3 up close-on-exec.  Runs between fork and exec, so
 * only plain system calls.  The fallback (kernels before 5.11) closes
 * fds below SPAWN_FD_SCAN_MAX except @keep, the exec-error pipe.
 */
static void child_close_fds(int keep)
{
	struct rlimit rl;
	rlim_t max = SPAWN_FD_SCAN_MAX;
	int fd;

#ifdef SYS_close_range
	if (syscall(SYS_close_range, 3U, ~0U, CLOSE_RANGE_CLOEXEC) == 0)
		return;
#endif
	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < max)
		max = rl.rlim_cur;
	for (fd = 3; (rlim_t)fd < max; fd++)
		if (fd != keep)
			close(fd);
}

/* Installs @fds as 0..2, going through copies above 2 so that any order
 * of sources and targets works (and fds[i] == i loses CLOEXEC). */
static int child_stdio(const int fds[3])
{
	int tmp[3] = { -1, -1, -1 };
	int i;

	for (i = 0; fds && i < 3; i++) {
		if (fds[i] < 0)
			continue;
		tmp[i] = fcntl(fds[i], F_DUPFD_CLOEXEC, 3);
		if (tmp[i] < 0)
			return -errno;
	}
	for (i = 0; i < 3; i++)
		if (tmp[i] >= 0 && dup2(tmp[i], i) < 0)
			return -errno;
	return 0;
}

static void __attribute__((noreturn))
child(const char *const argv[], const char *const envp[], const int fds[3],
      int errfd)
{
	static const char *const empty[] = { NULL };
	struct sigaction sa = { .sa_handler = SIG_DFL };
	sigset_t set;
	ssize_t n;
	int err;

	sigemptyset(&set);
	sigprocmask(SIG_SETMASK, &set, NULL);
	sigaction(SIGPIPE, &sa, NULL);
	if (errfd < 3) /* parent ran with 0-2 closed: keep clear of stdio */
		errfd = fcntl(errfd, F_DUPFD_CLOEXEC, 3);
	err = child_stdio(fds);
	if (!err) {
		child_close_fds(errfd);
		execve(argv[0], (char *const *)argv,
		       (char *const *)(envp ? envp : empty));
		err = -errno;
	}
	n = write(errfd, &err, sizeof(err));
	(void)n;
	_exit(127);
}

static int read_exec_err(int fd)
{
	ssize_t n;
	int err;

	do
		n = read(fd, &err, sizeof(err));
	while (n < 0 && errno == EINTR);
	if (n != (ssize_t)sizeof(err))
		return 0; /* EOF: exec succeeded and closed the pipe */
	return err < 0 ? err : -EIO;
}

int spawn_start(const char *const argv[], const char *const envp[],
		const int fds[3], pid_t *pid)
{
	int p[2], err, ws;
	pid_t c;

	if (!argv || !argv[0] || !pid)
		return -EINVAL;
	if (pipe2(p, O_CLOEXEC) < 0)
		return -errno;
	c = fork();
	if (c == 0)
		child(argv, envp, fds, p[1]);
	err = c < 0 ? -errno : 0;
	close(p[1]);
	if (!err)
		err = read_exec_err(p[0]);
	close(p[0]);
	if (err && c > 0)
		while (waitpid(c, &ws, 0) < 0 && errno == EINTR)
			;
	if (!err)
		*pid = c;
	return err;
}

/* 1 and *@status when @pid ended, 0 if still running (WNOHANG), -errno. */
static int reap(pid_t pid, int flags, int *status)
{
	pid_t r;
	int ws;

	do
		r = waitpid(pid, &ws, flags);
	while (r < 0 && errno == EINTR);
	if (r < 0)
		return -errno;
	if (r == 0)
		return 0;
	if (WIFSIGNALED(ws))
		*status = 128 + WTERMSIG(ws);
	else
		*status = WEXITSTATUS(ws);
	return 1;
}

/* Sleeps until @pid may have ended or @deadline passed: poll() on a pidfd
 * (Linux 5.3), else a short nap so that the caller polls waitpid(). */
static void wait_some(pid_t pid, int64_t deadline)
{
	struct timespec ts = { 0, 10 * 1000000 };
	int left = mono_left_ms(deadline);

#ifdef SYS_pidfd_open
	struct pollfd pfd = { .events = POLLIN };

	pfd.fd = (int)syscall(SYS_pidfd_open, pid, 0);
	if (pfd.fd >= 0) {
		poll(&pfd, 1, left);
		close(pfd.fd);
		return;
	}
#else
	(void)pid;
#endif
	if (left < 10)
		ts.tv_nsec = left * 1000000L;
	nanosleep(&ts, NULL);
}

int spawn_wait(pid_t pid, int timeout_ms, int *status)
{
	int64_t deadline;
	int r;

	if (timeout_ms < 0) {
		r = reap(pid, 0, status);
		return r < 0 ? r : 0;
	}
	deadline = mono_ms() + timeout_ms;
	for (;;) {
		r = reap(pid, WNOHANG, status);
		if (r)
			return r < 0 ? r : 0;
		if (mono_left_ms(deadline) == 0)
			return -ETIMEDOUT;
		wait_some(pid, deadline);
	}
}

int spawn_run(const char *const argv[], const char *const envp[], int *status)
{
	pid_t pid;
	int err;

	err = spawn_start(argv, envp, NULL, &pid);
	if (err)
		return err;
	return spawn_wait(pid, -1, status);
}

int spawn_shell(const char *cmd, const char *const envp[], int *status)
{
	const char *argv[] = { "/bin/sh", "-c", cmd, NULL };

	if (!cmd)
		return -EINVAL;
	return spawn_run(argv, envp, status);
}

bool spawn_name_ok(const char *name)
{
	if (!name || !*name)
		return false;
	for (; *name; name++) {
		char c = *name;

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		      (c >= '0' && c <= '9') || c == '_' || c == '-'))
			return false;
	}
	return true;
}

static int parts_filter(const struct dirent *d)
{
	return spawn_name_ok(d->d_name);
}

/* Byte order, whatever the locale (alphasort() uses strcoll()). */
static int parts_cmp(const struct dirent **a, const struct dirent **b)
{
	return strcmp((*a)->d_name, (*b)->d_name);
}

/* Runs @dir/@name if it is an executable regular file; *@st is its status
 * (126/127 when it cannot be exec'd, 1 when it cannot be stat'ed) or 0
 * when skipped. */
static int run_part(const char *dir, const char *name, const char **argv,
		    const char *const envp[], spawn_part_cb cb, void *arg,
		    int *st)
{
	char path[PATH_MAX];
	struct stat sb;
	int n, err;

	*st = 0;
	n = snprintf(path, sizeof(path), "%s/%s", dir, name);
	if (n < 0 || (size_t)n >= sizeof(path))
		return -ENAMETOOLONG;
	if (stat(path, &sb) < 0) { /* a dangling symlink: Debian fails it */
		*st = 1;
		if (cb)
			cb(arg, path, true, -errno, *st);
		return 0;
	}
	if (!S_ISREG(sb.st_mode) || access(path, X_OK) < 0)
		return 0;
	argv[0] = path;
	if (cb)
		cb(arg, path, false, 0, 0);
	err = spawn_run(argv, envp, st);
	if (err)
		*st = err == -ENOENT ? 127 : 126;
	if (cb)
		cb(arg, path, true, err, *st);
	return 0;
}

int spawn_run_parts_cb(const char *dir, const char *const args[],
		       const char *const envp[], unsigned int flags,
		       spawn_part_cb cb, void *arg, int *status)
{
	const char *argv[SPAWN_MAX_ARGS + 2];
	struct dirent **names;
	int n, i, st, err = 0;

	*status = 0;
	for (i = 0; args && args[i]; i++) {
		if (i >= SPAWN_MAX_ARGS)
			return -E2BIG;
		argv[i + 1] = args[i];
	}
	argv[i + 1] = NULL;
	n = scandir(dir, &names, parts_filter, parts_cmp);
	if (n < 0)
		return errno == ENOENT && (flags & SPAWN_MISSING_OK) ? 0
								     : -errno;
	for (i = 0; i < n && !err; i++) {
		err = run_part(dir, names[i]->d_name, argv, envp, cb, arg, &st);
		if (err || !st)
			continue;
		if (!*status)
			*status = st;
		if (flags & SPAWN_EXIT_ON_ERROR)
			break;
	}
	for (i = 0; i < n; i++)
		free(names[i]);
	free(names);
	return err;
}

int spawn_run_parts(const char *dir, const char *const args[],
		    const char *const envp[], unsigned int flags, int *status)
{
	return spawn_run_parts_cb(dir, args, envp, flags, NULL, NULL, status);
}

void spawn_env_init(struct spawn_env *env)
{
	env->buf_len = 0;
	env->n_vars = 0;
	env->vars[0] = NULL;
	env->big = NULL;
	env->big_cap = 0;
	env->heap_len = 0;
	env->grow = false;
}

void spawn_env_grow(struct spawn_env *env)
{
	env->grow = true;
}

void spawn_env_free(struct spawn_env *env)
{
	const char *const *v = spawn_env_vars(env);

	for (unsigned int i = 0; i < env->n_vars; i++)
		if (v[i] < env->buf || v[i] >= env->buf + SPAWN_ENV_BUF)
			free((char *)v[i]);
	free(env->big);
	spawn_env_init(env);
}

static bool env_key_ok(const char *k)
{
	if (!k || !((*k >= 'A' && *k <= 'Z') || (*k >= 'a' && *k <= 'z') ||
		    *k == '_'))
		return false;
	for (k++; *k; k++)
		if (!((*k >= 'A' && *k <= 'Z') || (*k >= 'a' && *k <= 'z') ||
		      (*k >= '0' && *k <= '9') || *k == '_'))
			return false;
	return true;
}

/* Room for one more variable of @len bytes ("KEY=value\0"): its place,
 * in buf or (grown) on the heap, or NULL (-E2BIG) past the bounds. */
static char *env_room(struct spawn_env *env, size_t len)
{
	const char **big;
	unsigned int cap;

	if (len <= SPAWN_ENV_BUF - env->buf_len && env->n_vars < SPAWN_ENV_MAX)
		return env->buf + env->buf_len;
	if (!env->grow || env->n_vars >= SPAWN_ENV_GROW_MAX ||
	    len > SPAWN_ENV_GROW_BUF - env->buf_len - env->heap_len)
		return NULL;
	if (env->n_vars + 1 >= env->big_cap) {
		cap = env->big_cap ? env->big_cap * 2 : 2 * SPAWN_ENV_MAX;
		if (cap > SPAWN_ENV_GROW_MAX + 1)
			cap = SPAWN_ENV_GROW_MAX + 1;
		big = realloc(env->big, cap * sizeof(*big));
		if (!big)
			return NULL;
		if (!env->big)
			memcpy(big, env->vars,
			       (env->n_vars + 1) * sizeof(*big));
		env->big = big;
		env->big_cap = cap;
	}
	if (len <= SPAWN_ENV_BUF - env->buf_len)
		return env->buf + env->buf_len;
	return malloc(len);
}

int spawn_env_add(struct spawn_env *env, const char *key, const char *value)
{
	const char **v = (const char **)spawn_env_vars(env);
	size_t klen, vlen;
	unsigned int i;
	char *p;

	if (!env_key_ok(key) || !value)
		return -EINVAL;
	klen = strlen(key);
	vlen = strlen(value);
	for (i = 0; i < env->n_vars; i++)
		if (!strncmp(v[i], key, klen) && v[i][klen] == '=')
			return -EEXIST;
	if (!(p = env_room(env, klen + vlen + 2)))
		return -E2BIG;
	memcpy(p, key, klen);
	p[klen] = '=';
	memcpy(p + klen + 1, value, vlen + 1);
	if (p == env->buf + env->buf_len)
		env->buf_len += klen + vlen + 2;
	else
		env->heap_len += klen + vlen + 2;
	v = env->big ? env->big : env->vars;
	v[env->n_vars++] = p;
	v[env->n_vars] = NULL;
	return 0;
}

const char *const *spawn_env_vars(const struct spawn_env *env)
{
	return env->big ? env->big : env->vars;
}

/* SPDX-License-Identifier: MIT */
/*
 * Running programs, hook commands and run-parts directories with exactly
 * the environment the caller builds: nothing is inherited, no shell sees
 * data (config commands go to /bin/sh -c as text, values go in envp).
 *
 * Children get fds 0-2 (inherited, or the caller's @fds) and nothing else:
 * every other fd is closed at exec (close_range(CLOSE_RANGE_CLOEXEC) on
 * Linux >= 5.11, else a close() loop over fds below 65536).  The signal
 * mask is emptied and SIGPIPE reset to default; other ignored signals stay
 * ignored.
 *
 * Exit statuses: the exit code, or 128 + signal number when the child was
 * killed (the shell convention).  Exec failures are not statuses: they are
 * reported to the parent through a close-on-exec pipe as -errno.
 */
#ifndef EMBNET_SPAWN_H
#define EMBNET_SPAWN_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

/* Bytes of "KEY=value\0" text and number of variables in a spawn_env. */
#define SPAWN_ENV_BUF 8192
#define SPAWN_ENV_MAX 128
/* Arguments (after the program) spawn_run_parts() passes to each part. */
#define SPAWN_MAX_ARGS 16

/* spawn_run_parts() flags */
#define SPAWN_EXIT_ON_ERROR 0x1 /* stop at the first failing part */
#define SPAWN_MISSING_OK 0x2	/* a missing directory runs nothing */

/* What a spawn_env_grow()n environment may hold: variables, bytes. */
#define SPAWN_ENV_GROW_MAX 16384
#define SPAWN_ENV_GROW_BUF (1u << 20)

/* An environment: fill with spawn_env_add(), pass spawn_env_vars().  It
 * holds SPAWN_ENV_MAX variables and SPAWN_ENV_BUF bytes in place, more on
 * the heap once spawn_env_grow() allowed it.  vars point into buf: never
 * copy the struct. */
struct spawn_env {
	char buf[SPAWN_ENV_BUF];
	const char *vars[SPAWN_ENV_MAX + 1]; /* NULL-terminated */
	size_t buf_len;
	unsigned int n_vars;
	const char **big; /* grown: all the variables, NULL-terminated */
	unsigned int big_cap;
	size_t heap_len; /* bytes of variables past buf (malloc) */
	bool grow;
};

/*
 * Starts @argv[0] (a path: no PATH search) with @argv and exactly @envp
 * (NULL: empty).  @fds, if non-NULL, gives the fds to install as 0, 1, 2
 * (-1: inherit).  Returns 0 and the pid in *@pid (reap it with
 * spawn_wait()), or -errno from fork or exec (-ENOENT, -EACCES, -ENOEXEC).
 */
int spawn_start(const char *const argv[], const char *const envp[],
		const int fds[3], pid_t *pid);

/*
 * Waits for @pid for at most @timeout_ms (negative: forever) and stores
 * its exit status (128 + signal if killed) in *@status.  Returns 0,
 * -ETIMEDOUT (the child keeps running and must still be waited for) or
 * -errno from waitpid (-ECHILD if SIGCHLD is ignored).
 */
int spawn_wait(pid_t pid, int timeout_ms, int *status);

/*
 * spawn_start() with inherited stdio, then waits.  Returns 0 with the exit
 * status in *@status, or -errno when the program could not be run.
 */
int spawn_run(const char *const argv[], const char *const envp[], int *status);

/*
 * Runs "/bin/sh -c @cmd" with exactly @envp and waits, like spawn_run().
 * @cmd is trusted config text (an interfaces(5) "up" line); data belongs
 * in @envp, never pasted into @cmd.
 */
int spawn_shell(const char *cmd, const char *const envp[], int *status);

/*
 * True when @name matches Debian run-parts' default rule ^[a-zA-Z0-9_-]+$
 * (so "foo.sh", "foo~", ".hidden", "x.dpkg-old" are false).
 */
bool spawn_name_ok(const char *name);

/*
 * Called by spawn_run_parts_cb() for each part: with @done false just
 * before it runs, then with @done true, @err (-errno if it could not be
 * executed, else 0) and its @status.  A part that cannot be stat'ed only
 * gets the @done call.
 */
typedef void (*spawn_part_cb)(void *arg, const char *path, bool done, int err,
			      int status);

/*
 * Debian run-parts: runs, in C byte order, every executable regular file
 * (symlinks followed) of @dir whose name passes spawn_name_ok(), as
 * "path @args..." with exactly @envp (@args, @envp may be NULL).
 * A part that cannot be exec'd fails with status 126 (127 for -ENOENT),
 * one that cannot be stat'ed (dangling symlink) with 1, as in Debian's.
 * *@status is the first non-zero status, or 0; with SPAWN_EXIT_ON_ERROR no
 * part runs after it.  Returns 0, -ENOENT for a missing @dir (0 with
 * SPAWN_MISSING_OK), -E2BIG for too many @args, or -errno (opendir, fork).
 * Debian's run-parts exits 1 on a missing directory, hence -ENOENT.
 */
int spawn_run_parts(const char *dir, const char *const args[],
		    const char *const envp[], unsigned int flags, int *status);

/* spawn_run_parts() that calls @cb(@arg, ...) around each part (verbose). */
int spawn_run_parts_cb(const char *dir, const char *const args[],
		       const char *const envp[], unsigned int flags,
		       spawn_part_cb cb, void *arg, int *status);

/* Empties @env (a struct spawn_env may also be zero-initialised).  One
 * that grew must be emptied with spawn_env_free() instead. */
void spawn_env_init(struct spawn_env *env);

/* Lets @env grow past its buffer and table, on the heap, up to
 * SPAWN_ENV_GROW_MAX variables and SPAWN_ENV_GROW_BUF bytes; the caller
 * then empties it with spawn_env_free(). */
void spawn_env_grow(struct spawn_env *env);

/* Frees what @env took on the heap and empties it (spawn_env_init()).
 * Also fine on an environment that did not grow. */
void spawn_env_free(struct spawn_env *env);

/*
 * Appends "@key=@value" to @env.  @key must match [A-Za-z_][A-Za-z0-9_]*.
 * Returns 0, -EINVAL for a bad key, -EEXIST if @key is already set, or
 * -E2BIG when the environment is full (its buffer or table, or once
 * grown its bounds; or out of memory): @env unchanged.
 * @value is copied as is: vet untrusted text with parse_str_clean() first.
 */
int spawn_env_add(struct spawn_env *env, const char *key, const char *value);

/* The NULL-terminated "KEY=value" array for spawn_*() @envp. */
const char *const *spawn_env_vars(const struct spawn_env *env);

#endif

// SPDX-License-Identifier: MIT
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

#include <cmocka.h>

#include "embnet/mono.h"
#include "embnet/spawn.h"
#include "tmpdir.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

static int setup(void **state)
{
	(void)state;
	return tmpdir_make("test_spawn");
}

static int teardown(void **state)
{
	(void)state;
	return tmpdir_remove();
}

static void put_file(const char *name, const char *text, mode_t mode)
{
	char path[PATH_MAX];
	int fd;

	snprintf(path, sizeof(path), "%s/%s", tmpdir, name);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	assert_int_equal(fchmod(fd, mode), 0);
	close(fd);
}

/* Runs @argv with @envp, its stdout into a temp file; returns the text. */
static void run_capture(const char *const argv[], const char *const envp[],
			char *out, size_t size, int *status)
{
	char path[PATH_MAX];
	int fds[3] = { -1, -1, -1 };
	ssize_t n;
	pid_t pid;

	snprintf(path, sizeof(path), "%s/out", tmpdir);
	fds[1] = open(path, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	assert_true(fds[1] >= 0);
	assert_int_equal(spawn_start(argv, envp, fds, &pid), 0);
	assert_int_equal(spawn_wait(pid, -1, status), 0);
	n = pread(fds[1], out, size - 1, 0);
	assert_true(n >= 0);
	out[n] = '\0';
	close(fds[1]);
}

static void test_status(void **state)
{
	const char *t[] = { "/bin/true", NULL };
	const char *f[] = { "/bin/false", NULL };
	int st = -1;

	(void)state;
	assert_int_equal(spawn_run(t, NULL, &st), 0);
	assert_int_equal(st, 0);
	assert_int_equal(spawn_run(f, NULL, &st), 0);
	assert_int_equal(st, 1);
	assert_int_equal(spawn_shell("exit 3", NULL, &st), 0);
	assert_int_equal(st, 3);
	assert_int_equal(spawn_shell("kill -TERM $$", NULL, &st), 0);
	assert_int_equal(st, 128 + SIGTERM);
	assert_int_equal(spawn_shell(NULL, NULL, &st), -EINVAL);
}

static void test_exec_errors(void **state)
{
	const char *missing[] = { "/nonexistent/prog", NULL };
	const char *relative[] = { "true", NULL };
	char path[PATH_MAX];
	const char *argv[] = { path, NULL };
	int st = -1;

	(void)state;
	assert_int_equal(spawn_run(missing, NULL, &st), -ENOENT);
	assert_int_equal(st, -1); /* no status for a program never run */
	assert_int_equal(spawn_run(relative, NULL, &st), -ENOENT); /* no PATH */
	put_file("plain", "#!/bin/sh\nexit 0\n", 0644);
	snprintf(path, sizeof(path), "%s/plain", tmpdir);
	assert_int_equal(spawn_run(argv, NULL, &st), -EACCES);
	put_file("noshebang",
		 "\x7f"
		 "ABC not an elf\n",
		 0755);
	snprintf(path, sizeof(path), "%s/noshebang", tmpdir);
	assert_int_equal(spawn_run(argv, NULL, &st), -ENOEXEC);
	assert_int_equal(spawn_run((const char *[]){ NULL }, NULL, &st),
			 -EINVAL);
	assert_int_equal(st, -1);
}

static void test_env_exact(void **state)
{
	const char *argv[] = { "/usr/bin/env", NULL };
	const char *envp[] = { "A=1", "B=two words", "C=", NULL };
	char out[256];
	int st;

	(void)state;
	setenv("EMBNET_LEAK", "yes", 1);
	run_capture(argv, envp, out, sizeof(out), &st);
	assert_int_equal(st, 0);
	assert_string_equal(out, "A=1\nB=two words\nC=\n");
	run_capture(argv, NULL, out, sizeof(out), &st);
	assert_int_equal(st, 0);
	assert_string_equal(out, "");
	unsetenv("EMBNET_LEAK");
}

static void test_env_metachars(void **state)
{
	char mark[128], val[320], var[330], want[340], out[512];
	const char *env_argv[] = { "/usr/bin/env", NULL };
	const char *sh_argv[] = { "/bin/sh", "-c", "printf '%s' \"$V\"", NULL };
	const char *envp[] = { var, NULL };
	int st;

	(void)state;
	snprintf(mark, sizeof(mark), "%s/pwned", tmpdir);
	snprintf(val, sizeof(val), "$(touch %s); `touch %s`; a'b\"c", mark,
		 mark);
	snprintf(var, sizeof(var), "V=%s", val);
	snprintf(want, sizeof(want), "%s\n", var);
	run_capture(env_argv, envp, out, sizeof(out), &st);
	assert_string_equal(out, want);
	run_capture(sh_argv, envp, out, sizeof(out), &st);
	assert_int_equal(st, 0);
	assert_string_equal(out, val);
	assert_int_equal(spawn_shell("test -n \"$V\"", envp, &st), 0);
	assert_int_equal(st, 0);
	assert_int_equal(access(mark, F_OK), -1);
}

static void test_fd_hygiene(void **state)
{
	int fd, st;

	(void)state;
	fd = open("/dev/null", O_RDONLY); /* no O_CLOEXEC on purpose */
	assert_true(fd >= 0);
	assert_int_equal(dup2(fd, 50), 50);
	assert_int_equal(spawn_shell("test -e /proc/self/fd/50", NULL, &st), 0);
	assert_int_equal(st, 1);
	assert_int_equal(spawn_shell("test -e /proc/self/fd/2", NULL, &st), 0);
	assert_int_equal(st, 0);
	close(50);
	close(fd);
}

static void test_stdio_swap(void **state)
{
	const char *argv[] = { "/bin/sh", "-c", "echo out; echo err >&2",
			       NULL };
	char path[PATH_MAX], buf[64];
	int fds[3] = { -1, -1, -1 };
	int fd, st;
	pid_t pid;
	ssize_t n;

	(void)state;
	/* stdout and stderr both into one file given as fd for 2 and 1 */
	snprintf(path, sizeof(path), "%s/both", tmpdir);
	fd = open(path, O_RDWR | O_CREAT | O_TRUNC | O_APPEND, 0600);
	assert_true(fd >= 0);
	fds[1] = fd;
	fds[2] = fd;
	assert_int_equal(spawn_start(argv, NULL, fds, &pid), 0);
	assert_int_equal(spawn_wait(pid, 5000, &st), 0);
	assert_int_equal(st, 0);
	n = pread(fd, buf, sizeof(buf) - 1, 0);
	assert_true(n >= 0);
	buf[n] = '\0';
	assert_string_equal(buf, "out\nerr\n");
	close(fd);
}

static void test_wait_timeout(void **state)
{
	const char *argv[] = { "/bin/sleep", "5", NULL };
	const char *t[] = { "/bin/true", NULL };
	int64_t t0;
	pid_t pid;
	int st = -1;

	(void)state;
	assert_int_equal(spawn_start(argv, NULL, NULL, &pid), 0);
	t0 = mono_ms();
	assert_int_equal(spawn_wait(pid, 100, &st), -ETIMEDOUT);
	assert_true(mono_ms() - t0 >= 100);
	assert_true(mono_ms() - t0 < 2000);
	assert_int_equal(spawn_wait(pid, 0, &st), -ETIMEDOUT);
	assert_int_equal(kill(pid, SIGKILL), 0);
	assert_int_equal(spawn_wait(pid, -1, &st), 0);
	assert_int_equal(st, 128 + SIGKILL);
	assert_int_equal(spawn_start(t, NULL, NULL, &pid), 0);
	t0 = mono_ms();
	assert_int_equal(spawn_wait(pid, 5000, &st), 0);
	assert_int_equal(st, 0);
	assert_true(mono_ms() - t0 < 1000);
	assert_int_equal(spawn_wait(pid, 100, &st), -ECHILD);
}

static void test_name_ok(void **state)
{
	static const char *const good[] = { "a", "10-a", "20_b",      "Zz",
					    "-", "_",	 "ABC-xyz_09" };
	static const char *const bad[] = {
		"",	      "foo.sh",	     "bar~", ".hidden", "a b",
		"x.dpkg-old", "caf\xc3\xa9", "a/b",  "a\n",	"#x#"
	};
	size_t i;

	(void)state;
	for (i = 0; i < N(good); i++)
		if (!spawn_name_ok(good[i]))
			fail_msg("\"%s\" rejected", good[i]);
	for (i = 0; i < N(bad); i++)
		if (spawn_name_ok(bad[i]))
			fail_msg("\"%s\" accepted", bad[i]);
	assert_false(spawn_name_ok(NULL));
}

#define LOG_PART "#!/bin/sh\necho \"${0##*/} $*\" >>\"$LOG\"\n"

/* The run-parts directory of the tests, under tmpdir/parts. */
static void make_parts(const char *fail_20)
{
	char path[PATH_MAX], text[256];

	snprintf(path, sizeof(path), "%s/parts", tmpdir);
	assert_int_equal(mkdir(path, 0755), 0);
	put_file("parts/10-a", LOG_PART, 0755);
	snprintf(text, sizeof(text), "%s%s", LOG_PART, fail_20);
	put_file("parts/20_b", text, 0755);
	put_file("parts/30-c", LOG_PART, 0644); /* not executable */
	put_file("parts/foo.sh", LOG_PART, 0755);
	put_file("parts/bar~", LOG_PART, 0755);
	put_file("parts/.hidden", LOG_PART, 0755);
	put_file("parts/x.dpkg-old", LOG_PART, 0755);
	put_file("parts/Zz", LOG_PART, 0755);
	put_file("parts/aa", LOG_PART "exit 5\n", 0755);
	put_file("parts/45-noexec", "no shebang\n", 0755);
	snprintf(path, sizeof(path), "%s/parts/dir", tmpdir);
	assert_int_equal(mkdir(path, 0755), 0);
	snprintf(path, sizeof(path), "%s/parts/40-link", tmpdir);
	assert_int_equal(symlink("10-a", path), 0);
}

static void clean_parts(void)
{
	char path[PATH_MAX];
	const char *argv[] = { "/bin/rm", "-rf", path, NULL };
	int st;

	snprintf(path, sizeof(path), "%s/parts", tmpdir);
	assert_int_equal(spawn_run(argv, NULL, &st), 0);
	snprintf(path, sizeof(path), "%s/log", tmpdir);
	unlink(path);
}

static void read_log(char *buf, size_t size)
{
	char path[PATH_MAX];
	ssize_t n = 0;
	int fd;

	snprintf(path, sizeof(path), "%s/log", tmpdir);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd >= 0) {
		n = read(fd, buf, size - 1);
		close(fd);
	}
	buf[n > 0 ? n : 0] = '\0';
}

struct cb_log {
	char text[512];
	size_t len;
};

static void part_cb(void *arg, const char *path, bool done, int err, int status)
{
	struct cb_log *l = arg;
	const char *name = strrchr(path, '/') + 1;
	int n;

	n = snprintf(l->text + l->len, sizeof(l->text) - l->len,
		     done ? "%s=%d/%d\n" : "%s\n", name, err, status);
	if (n > 0)
		l->len += (size_t)n;
}

static void run_parts(unsigned int flags, int *status, struct cb_log *cb)
{
	char dir[PATH_MAX], var[PATH_MAX + 8];
	const char *args[] = { "x", "y z", NULL };
	const char *envp[] = { var, NULL };

	snprintf(dir, sizeof(dir), "%s/parts", tmpdir);
	snprintf(var, sizeof(var), "LOG=%s/log", tmpdir);
	assert_int_equal(spawn_run_parts_cb(dir, args, envp, flags,
					    cb ? part_cb : NULL, cb, status),
			 0);
}

static void test_run_parts(void **state)
{
	struct cb_log cb = { .len = 0 };
	char log[512];
	int st = -1;

	(void)state;
	make_parts("exit 0\n");
	run_parts(0, &st, &cb);
	read_log(log, sizeof(log));
	/* byte order: digits < upper case < lower case */
	assert_string_equal(log, "10-a x y z\n20_b x y z\n40-link x y z\n"
				 "Zz x y z\naa x y z\n");
	assert_int_equal(st, 126); /* 45-noexec, the first failure */
	assert_string_equal(cb.text, "10-a\n10-a=0/0\n20_b\n20_b=0/0\n"
				     "40-link\n40-link=0/0\n"
				     "45-noexec\n45-noexec=-8/126\n"
				     "Zz\nZz=0/0\naa\naa=0/5\n");
	clean_parts();
}

static void test_run_parts_exit_on_error(void **state)
{
	char log[512];
	int st = -1;

	(void)state;
	make_parts("exit 3\n");
	run_parts(SPAWN_EXIT_ON_ERROR, &st, NULL);
	read_log(log, sizeof(log));
	assert_string_equal(log, "10-a x y z\n20_b x y z\n");
	assert_int_equal(st, 3);
	clean_parts();

	/* without the flag every part runs; the first failure is kept */
	make_parts("exit 3\n");
	run_parts(0, &st, NULL);
	read_log(log, sizeof(log));
	assert_string_equal(log, "10-a x y z\n20_b x y z\n40-link x y z\n"
				 "Zz x y z\naa x y z\n");
	assert_int_equal(st, 3);
	clean_parts();

	/* a part that cannot be exec'd stops the run too */
	make_parts("exit 0\n");
	run_parts(SPAWN_EXIT_ON_ERROR, &st, NULL);
	read_log(log, sizeof(log));
	assert_string_equal(log, "10-a x y z\n20_b x y z\n40-link x y z\n");
	assert_int_equal(st, 126);
	clean_parts();
}

/* Debian's run-parts fails a name it cannot stat, as a dangling link. */
static void test_run_parts_dangling(void **state)
{
	struct cb_log cb = { .len = 0 };
	char path[PATH_MAX], log[512];
	int st = -1;

	(void)state;
	snprintf(path, sizeof(path), "%s/parts", tmpdir);
	assert_int_equal(mkdir(path, 0755), 0);
	snprintf(path, sizeof(path), "%s/parts/41-dangling", tmpdir);
	assert_int_equal(symlink("nowhere", path), 0);
	put_file("parts/50-x", LOG_PART, 0755);
	run_parts(SPAWN_EXIT_ON_ERROR, &st, &cb);
	read_log(log, sizeof(log));
	assert_string_equal(log, "");
	assert_int_equal(st, 1);
	assert_string_equal(cb.text, "41-dangling=-2/1\n");
	run_parts(0, &st, NULL);
	read_log(log, sizeof(log));
	assert_string_equal(log, "50-x x y z\n");
	assert_int_equal(st, 1);
	clean_parts();
}

static void test_run_parts_dir(void **state)
{
	const char *many[SPAWN_MAX_ARGS + 2];
	char dir[PATH_MAX];
	size_t i;
	int st = -1;

	(void)state;
	snprintf(dir, sizeof(dir), "%s/missing", tmpdir);
	assert_int_equal(spawn_run_parts(dir, NULL, NULL, 0, &st), -ENOENT);
	st = -1;
	assert_int_equal(
		spawn_run_parts(dir, NULL, NULL, SPAWN_MISSING_OK, &st), 0);
	assert_int_equal(st, 0);
	snprintf(dir, sizeof(dir), "%s/empty", tmpdir);
	assert_int_equal(mkdir(dir, 0755), 0);
	st = -1;
	assert_int_equal(spawn_run_parts(dir, NULL, NULL, 0, &st), 0);
	assert_int_equal(st, 0);
	for (i = 0; i < N(many) - 1; i++)
		many[i] = "a";
	many[i] = NULL;
	assert_int_equal(spawn_run_parts(dir, many, NULL, 0, &st), -E2BIG);
	many[SPAWN_MAX_ARGS] = NULL;
	assert_int_equal(spawn_run_parts(dir, many, NULL, 0, &st), 0);
	put_file("file", "", 0644);
	snprintf(dir, sizeof(dir), "%s/file", tmpdir);
	assert_int_equal(
		spawn_run_parts(dir, NULL, NULL, SPAWN_MISSING_OK, &st),
		-ENOTDIR);
}

/* Adds K0..K<n - 1>, each set to @val (NULL: v0, v1...). */
static void fill(struct spawn_env *env, unsigned int n, const char *val)
{
	char key[16], v[16];

	for (unsigned int i = 0; i < n; i++) {
		snprintf(key, sizeof(key), "K%u", i);
		snprintf(v, sizeof(v), "v%u", i);
		assert_int_equal(spawn_env_add(env, key, val ? val : v), 0);
	}
}

static void test_env_add(void **state)
{
	static struct spawn_env env; /* zero-initialised: usable as is */
	const char *const *v;
	char big[SPAWN_ENV_BUF];

	(void)state;
	assert_null(spawn_env_vars(&env)[0]);
	assert_int_equal(spawn_env_add(&env, "IFACE", "eth0"), 0);
	assert_int_equal(spawn_env_add(&env, "IF_ADDRESS", ""), 0);
	assert_int_equal(spawn_env_add(&env, "_x9", "$(id) `id`"), 0);
	assert_int_equal(spawn_env_add(&env, "IFACE", "eth1"), -EEXIST);
	assert_int_equal(spawn_env_add(&env, "IFAC", "x"), 0); /* a prefix */
	assert_int_equal(spawn_env_add(&env, "", "x"), -EINVAL);
	assert_int_equal(spawn_env_add(&env, "9A", "x"), -EINVAL);
	assert_int_equal(spawn_env_add(&env, "A=B", "x"), -EINVAL);
	assert_int_equal(spawn_env_add(&env, "A-B", "x"), -EINVAL);
	assert_int_equal(spawn_env_add(&env, NULL, "x"), -EINVAL);
	assert_int_equal(spawn_env_add(&env, "A", NULL), -EINVAL);
	v = spawn_env_vars(&env);
	assert_string_equal(v[0], "IFACE=eth0");
	assert_string_equal(v[1], "IF_ADDRESS=");
	assert_string_equal(v[2], "_x9=$(id) `id`");
	assert_string_equal(v[3], "IFAC=x");
	assert_null(v[4]);

	/* the buffer: a value that needs one byte more than is left */
	memset(big, 'v', sizeof(big));
	big[SPAWN_ENV_BUF - env.buf_len - 3] = '\0'; /* "B=" + value + NUL */
	assert_int_equal(spawn_env_add(&env, "BB", big), -E2BIG);
	assert_int_equal(env.n_vars, 4);
	assert_int_equal(spawn_env_add(&env, "B", big), 0);
	assert_int_equal(env.buf_len, SPAWN_ENV_BUF);
	assert_int_equal(spawn_env_add(&env, "C", ""), -E2BIG);

	/* the table */
	spawn_env_init(&env);
	fill(&env, SPAWN_ENV_MAX, "1");
	assert_int_equal(spawn_env_add(&env, "MORE", "1"), -E2BIG);
	assert_null(spawn_env_vars(&env)[SPAWN_ENV_MAX]);
	assert_string_equal(spawn_env_vars(&env)[SPAWN_ENV_MAX - 1], "K127=1");
}

static void test_env_to_child(void **state)
{
	const char *argv[] = { "/usr/bin/env", NULL };
	struct spawn_env env;
	char out[128];
	int st;

	(void)state;
	spawn_env_init(&env);
	assert_int_equal(spawn_env_add(&env, "IFACE", "eth0"), 0);
	assert_int_equal(spawn_env_add(&env, "MODE", "start"), 0);
	run_capture(argv, spawn_env_vars(&env), out, sizeof(out), &st);
	assert_int_equal(st, 0);
	assert_string_equal(out, "IFACE=eth0\nMODE=start\n");
}

/* Grown: past the table and the buffer, on the heap, up to its bounds;
 * the child sees every variable; freed, it starts afresh. */
static void test_env_grow(void **state)
{
	const char *argv[] = { "/bin/sh", "-c",
			       "test \"$K0\" = v0 && test \"$K4999\" = v4999 "
			       "&& test ${#B} = 100000",
			       NULL };
	static struct spawn_env env;
	static char big[SPAWN_ENV_GROW_BUF];
	const char *const *v;
	int st;

	(void)state;
	spawn_env_init(&env);
	spawn_env_grow(&env);
	fill(&env, 5000, NULL);
	assert_int_equal(spawn_env_add(&env, "K4999", "x"), -EEXIST);
	memset(big, 'b', 100000);
	assert_int_equal(spawn_env_add(&env, "B", big), 0);
	v = spawn_env_vars(&env);
	assert_string_equal(v[0], "K0=v0");
	assert_string_equal(v[4999], "K4999=v4999");
	assert_null(v[5001]);
	assert_int_equal(spawn_run(argv, v, &st), 0);
	assert_int_equal(st, 0);
	/* the bytes: what is left, and one more */
	memset(big, 'b', sizeof(big) - 1);
	big[SPAWN_ENV_GROW_BUF - env.buf_len - env.heap_len - 2] = '\0';
	assert_int_equal(spawn_env_add(&env, "C", big), -E2BIG);
	assert_int_equal(env.n_vars, 5001);
	big[SPAWN_ENV_GROW_BUF - env.buf_len - env.heap_len - 3] = '\0';
	assert_int_equal(spawn_env_add(&env, "C", big), 0);
	spawn_env_free(&env);
	assert_int_equal(env.n_vars, 0);
	assert_null(spawn_env_vars(&env)[0]);
	/* the variables: SPAWN_ENV_GROW_MAX, not one more */
	spawn_env_grow(&env);
	fill(&env, SPAWN_ENV_GROW_MAX, "");
	assert_int_equal(spawn_env_add(&env, "MORE", ""), -E2BIG);
	assert_null(spawn_env_vars(&env)[SPAWN_ENV_GROW_MAX]);
	spawn_env_free(&env);
	/* not grown: the fixed bounds, and nothing to free */
	fill(&env, SPAWN_ENV_MAX, "");
	assert_int_equal(spawn_env_add(&env, "MORE", ""), -E2BIG);
	spawn_env_free(&env);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_status),
		cmocka_unit_test(test_exec_errors),
		cmocka_unit_test(test_env_exact),
		cmocka_unit_test(test_env_metachars),
		cmocka_unit_test(test_fd_hygiene),
		cmocka_unit_test(test_stdio_swap),
		cmocka_unit_test(test_wait_timeout),
		cmocka_unit_test(test_name_ok),
		cmocka_unit_test(test_run_parts),
		cmocka_unit_test(test_run_parts_exit_on_error),
		cmocka_unit_test(test_run_parts_dangling),
		cmocka_unit_test(test_run_parts_dir),
		cmocka_unit_test(test_env_add),
		cmocka_unit_test(test_env_to_child),
		cmocka_unit_test(test_env_grow),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}

// SPDX-License-Identifier: MIT
// sources: ifupdown/env.c ifupdown/methods.c ifupdown/list.c ifupdown/hashix.c
// sources: ifupdown/lex.c ifupdown/parse.c ifupdown/state.c
/* The state directory (runtime state, refused traps), the non-durable
 * atomic writes it uses, and the recursion guard's names. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include <cmocka.h>

#include "tmpdir.h"

static struct ifud_opts opts;

static int setup(void **state)
{
	(void)state;
	if (tmpdir_make("test_ifupdown_state"))
		return -1;
	memset(&opts, 0, sizeof(opts));
	opts.state_dir = tmpdir;
	opts.cmd = IFUD_UP;
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	return tmpdir_remove();
}

static const char *text(const char *name)
{
	static char buf[256];
	char path[PATH_MAX];

	tmpdir_path(path, sizeof(path), name);
	if (file_read_str(path, buf, sizeof(buf)) < 0)
		return NULL;
	return buf;
}

static int n_entries(void)
{
	char cmd[128];
	FILE *p;
	int n = -1;

	snprintf(cmd, sizeof(cmd), "ls -A %s | wc -l", tmpdir);
	p = popen(cmd, "r");
	assert_non_null(p);
	assert_int_equal(fscanf(p, "%d", &n), 1);
	pclose(p);
	return n;
}

/* FILE_NOSYNC: the same atomic replacement, by exchange and unlink;
 * a symbolic link in the way is replaced, a directory is not. */
static void test_write_nosync(void **state)
{
	char path[PATH_MAX], other[PATH_MAX];
	struct stat sb;

	(void)state;
	tmpdir_path(path, sizeof(path), "f");
	assert_int_equal(
		file_write_atomic_flags(path, "a\n", 2, 0644, FILE_NOSYNC), 0);
	assert_int_equal(
		file_write_atomic_flags(path, "bb\n", 3, 0640, FILE_NOSYNC), 0);
	assert_string_equal(text("f"), "bb\n");
	assert_int_equal(stat(path, &sb), 0);
	assert_int_equal(sb.st_mode & 07777, 0640);
	tmpdir_path(other, sizeof(other), "other");
	assert_int_equal(file_write_atomic(other, "keep", 4, 0644), 0);
	unlink(path);
	assert_int_equal(symlink(other, path), 0);
	assert_int_equal(
		file_write_atomic_flags(path, "new", 3, 0644, FILE_NOSYNC), 0);
	assert_int_equal(lstat(path, &sb), 0);
	assert_true(S_ISREG(sb.st_mode));
	assert_string_equal(text("other"), "keep");
	assert_int_equal(n_entries(), 2);
	tmpdir_path(path, sizeof(path), "d");
	assert_int_equal(mkdir(path, 0700), 0);
	assert_int_equal(
		file_write_atomic_flags(path, "x", 1, 0644, FILE_NOSYNC),
		-EISDIR);
	assert_int_equal(lstat(path, &sb), 0);
	assert_true(S_ISDIR(sb.st_mode));
	assert_int_equal(n_entries(), 3);
}

/* FILE_SAFE: no symbolic link, nothing but a regular file, no blocking
 * open of a FIFO; a missing lock file is still made. */
static void test_safe(void **state)
{
	char path[PATH_MAX], link_[PATH_MAX], buf[16];
	size_t len;
	int fd;

	(void)state;
	tmpdir_path(path, sizeof(path), "reg");
	assert_int_equal(file_lock_flags(path, false, &fd, FILE_SAFE), 0);
	file_unlock(fd);
	assert_int_equal(
		file_read_flags(path, buf, sizeof(buf), &len, FILE_SAFE), 0);
	assert_int_equal(len, 0);
	tmpdir_path(link_, sizeof(link_), "link");
	assert_int_equal(symlink(path, link_), 0);
	assert_int_equal(
		file_read_flags(link_, buf, sizeof(buf), &len, FILE_SAFE),
		-ELOOP);
	assert_int_equal(file_lock_flags(link_, false, &fd, FILE_SAFE), -ELOOP);
	assert_int_equal(file_read_flags(link_, buf, sizeof(buf), &len, 0), 0);
	tmpdir_path(link_, sizeof(link_), "dangling");
	assert_int_equal(symlink("/nonexistent/x", link_), 0);
	assert_int_equal(file_lock_flags(link_, false, &fd, FILE_SAFE), -ELOOP);
	tmpdir_path(path, sizeof(path), "fifo");
	assert_int_equal(mkfifo(path, 0600), 0);
	assert_int_equal(
		file_read_flags(path, buf, sizeof(buf), &len, FILE_SAFE),
		-EINVAL);
	assert_int_equal(file_read_str_flags(path, buf, sizeof(buf), FILE_SAFE),
			 -EINVAL);
	assert_int_equal(file_lock_flags(path, false, &fd, FILE_SAFE), -EINVAL);
	assert_int_equal(file_lock_flags(tmpdir, false, &fd, FILE_SAFE),
			 -EINVAL);
}

/* ifup's two writes: the state first, then nothing when it holds. */
static void test_state_set(void **state)
{
	char logical[IFUD_NAME_LEN], path[PATH_MAX];
	struct stat a, b;
	int fd;

	(void)state;
	assert_int_equal(
		state_lock_iface(&opts, "eth0", &fd, logical, sizeof(logical)),
		0);
	assert_string_equal(logical, "");
	assert_int_equal(state_set(&opts, "eth0", "lan", fd), 0);
	assert_string_equal(text("ifstate"), "eth0=lan\n");
	assert_string_equal(text("ifstate.eth0"), "lan\n");
	tmpdir_path(path, sizeof(path), "ifstate");
	assert_int_equal(stat(path, &a), 0);
	assert_int_equal(state_set(&opts, "eth0", "lan", fd), 0);
	assert_int_equal(stat(path, &b), 0);
	assert_int_equal(a.st_ino, b.st_ino); /* not rewritten */
	assert_int_equal(state_set(&opts, "eth0", NULL, fd), 0);
	assert_string_equal(text("ifstate"), "");
	assert_string_equal(text("ifstate.eth0"), "\n");
	file_unlock(fd);
	assert_true(state_exists(&opts, "eth0"));
	assert_false(state_exists(&opts, "eth1"));
	/* the pid file names this process, and goes */
	state_pidfile(&opts, "eth0", true);
	assert_int_equal(atoi(text("ifup-eth0.pid")), getpid());
	state_pidfile(&opts, "eth0", false);
	assert_null(text("ifup-eth0.pid"));
	assert_int_equal(n_entries(), 3);
}

/* Traps in the state directory are refused, with one line each. */
static void test_state_traps(void **state)
{
	char logical[IFUD_NAME_LEN], path[PATH_MAX], other[PATH_MAX];
	struct ifp_strv lines = { 0 };
	int fd;

	(void)state;
	tmpdir_path(other, sizeof(other), "target");
	assert_int_equal(file_write_atomic(other, "x=y\n", 4, 0644), 0);
	tmpdir_path(path, sizeof(path), "ifstate.eth0");
	assert_int_equal(symlink(other, path), 0);
	assert_int_equal(
		state_lock_iface(&opts, "eth0", &fd, logical, sizeof(logical)),
		-ELOOP);
	tmpdir_path(path, sizeof(path), "ifstate");
	assert_int_equal(symlink(other, path), 0);
	assert_int_equal(
		state_lock_iface(&opts, "eth1", &fd, logical, sizeof(logical)),
		-ELOOP);
	assert_int_equal(fd, -1);
	assert_int_equal(state_read_all(&opts, &lines), -ELOOP);
	assert_int_equal(state_set(&opts, "eth1", "eth1", -1), -EPERM);
	assert_string_equal(text("target"), "x=y\n");
	assert_false(state_is_locked(&opts, "eth0"));
}

static void test_state_dir_others(void **state)
{
	char logical[IFUD_NAME_LEN];
	int fd;

	(void)state;
	assert_int_equal(chmod(tmpdir, 01777), 0);
	assert_int_equal(
		state_lock_iface(&opts, "eth0", &fd, logical, sizeof(logical)),
		-EPERM);
	assert_int_equal(state_set(&opts, "eth0", "eth0", -1), -EPERM);
	assert_int_equal(n_entries(), 0);
	assert_int_equal(chmod(tmpdir, 0700), 0);
}

static void test_guard_name(void **state)
{
	char buf[3 * IFUD_NAME_LEN + 16];

	(void)state;
	env_guard_name("eth0", buf, sizeof(buf));
	assert_string_equal(buf, "IFUPDOWN_eth0");
	env_guard_name("my_if", buf, sizeof(buf));
	assert_string_equal(buf, "IFUPDOWN_my_if");
	env_guard_name("br-lan", buf, sizeof(buf));
	assert_string_equal(buf, "IFUPDOWN_br_2dlan");
	env_guard_name("wan.2", buf, sizeof(buf));
	assert_string_equal(buf, "IFUPDOWN_wan_2e2");
	env_guard_name("a_b-c", buf, sizeof(buf));
	assert_string_equal(buf, "IFUPDOWN_a_5fb_2dc");
	env_guard_name("br-lan", buf, 14); /* cut, never past @len */
	assert_string_equal(buf, "IFUPDOWN_b");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_write_nosync, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_safe, setup, teardown),
		cmocka_unit_test_setup_teardown(test_state_set, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_state_traps, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_state_dir_others, setup,
						teardown),
		cmocka_unit_test(test_guard_name),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

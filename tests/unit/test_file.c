// SPDX-License-Identifier: MIT
#include <dirent.h>
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
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "embnet/file.h"
#include "embnet/spawn.h"
#include "tmpdir.h"

static int setup(void **state)
{
	(void)state;
	return tmpdir_make("test_file");
}

static int teardown(void **state)
{
	(void)state;
	return tmpdir_remove();
}

/* Entries of tmpdir, "." and ".." excluded. */
static int n_entries(void)
{
	struct dirent *d;
	DIR *dir = opendir(tmpdir);
	int n = 0;

	assert_non_null(dir);
	while ((d = readdir(dir)))
		if (strcmp(d->d_name, ".") && strcmp(d->d_name, ".."))
			n++;
	closedir(dir);
	return n;
}

static void assert_content(const char *path, const char *want, mode_t mode)
{
	char buf[256];
	struct stat sb;

	assert_int_equal(file_read_str(path, buf, sizeof(buf)), 0);
	assert_string_equal(buf, want);
	assert_int_equal(lstat(path, &sb), 0);
	assert_true(S_ISREG(sb.st_mode));
	assert_int_equal(sb.st_mode & 07777, mode);
}

static void test_write_atomic(void **state)
{
	char path[PATH_MAX], other[PATH_MAX];
	mode_t old_umask;

	(void)state;
	tmpdir_path(path, sizeof(path), "state");
	old_umask = umask(077);
	assert_int_equal(file_write_atomic(path, "eth0=eth0\n", 10, 0644), 0);
	umask(old_umask);
	assert_content(path, "eth0=eth0\n", 0644); /* umask not applied */
	assert_int_equal(file_write_atomic(path, "lo", 2, 0600), 0);
	assert_content(path, "lo", 0600);
	assert_int_equal(file_write_atomic(path, "", 0, 0640), 0);
	assert_content(path, "", 0640);
	assert_int_equal(n_entries(), 1);

	/* a symlink at the path is replaced, its target left alone */
	tmpdir_path(other, sizeof(other), "target");
	assert_int_equal(file_write_atomic(other, "keep", 4, 0644), 0);
	assert_int_equal(unlink(path), 0);
	assert_int_equal(symlink("target", path), 0);
	assert_int_equal(file_write_atomic(path, "new", 3, 0644), 0);
	assert_content(path, "new", 0644);
	assert_content(other, "keep", 0644);
	unlink(path);
	unlink(other);
}

static void test_write_atomic_fail(void **state)
{
	char path[PATH_MAX], big[4096];
	struct rlimit rl, small;

	(void)state;
	tmpdir_path(path, sizeof(path), "missing/state");
	assert_int_equal(file_write_atomic(path, "x", 1, 0644), -ENOENT);
	assert_int_equal(n_entries(), 0);

	/* the target is a directory: the rename fails, the temp goes */
	tmpdir_path(path, sizeof(path), "dir");
	assert_int_equal(mkdir(path, 0755), 0);
	assert_int_equal(file_write_atomic(path, "x", 1, 0644), -EISDIR);
	assert_int_equal(n_entries(), 1);
	rmdir(path);

	/* a write that fails half-way (file size limit) keeps the old file */
	tmpdir_path(path, sizeof(path), "state");
	assert_int_equal(file_write_atomic(path, "old\n", 4, 0644), 0);
	memset(big, 'x', sizeof(big));
	assert_int_equal(getrlimit(RLIMIT_FSIZE, &rl), 0);
	small = rl;
	small.rlim_cur = 1024;
	signal(SIGXFSZ, SIG_IGN);
	assert_int_equal(setrlimit(RLIMIT_FSIZE, &small), 0);
	assert_int_equal(file_write_atomic(path, big, sizeof(big), 0600),
			 -EFBIG);
	assert_int_equal(setrlimit(RLIMIT_FSIZE, &rl), 0);
	signal(SIGXFSZ, SIG_DFL);
	assert_content(path, "old\n", 0644);
	assert_int_equal(n_entries(), 1);
	unlink(path);

	memset(big, 'a', sizeof(big));
	big[sizeof(big) - 1] = '\0';
	assert_int_equal(file_write_atomic(big, "x", 1, 0644), -ENAMETOOLONG);
}

static void test_read(void **state)
{
	char path[PATH_MAX], buf[16];
	size_t len = 99;

	(void)state;
	tmpdir_path(path, sizeof(path), "r");
	assert_int_equal(file_write_atomic(path, "12345678", 8, 0644), 0);
	assert_int_equal(file_read(path, buf, 8, &len), 0);
	assert_int_equal(len, 8);
	assert_memory_equal(buf, "12345678", 8);
	len = 99;
	assert_int_equal(file_read(path, buf, 7, &len), -EFBIG);
	assert_int_equal(len, 99);
	assert_int_equal(file_read(path, buf, 0, &len), -EFBIG);
	assert_int_equal(file_read(path, buf, sizeof(buf), &len), 0);
	assert_int_equal(len, 8);

	assert_int_equal(file_write_atomic(path, "", 0, 0644), 0);
	assert_int_equal(file_read(path, buf, 0, &len), 0);
	assert_int_equal(len, 0);

	tmpdir_path(path, sizeof(path), "nope");
	assert_int_equal(file_read(path, buf, sizeof(buf), &len), -ENOENT);
	assert_int_equal(file_read(tmpdir, buf, sizeof(buf), &len), -EISDIR);

	/* procfs files report size 0: reading must not trust st_size */
	assert_int_equal(
		file_read_str("/proc/sys/kernel/ostype", buf, sizeof(buf)), 0);
	assert_string_equal(buf, "Linux\n");
	tmpdir_path(path, sizeof(path), "r");
	unlink(path);
}

static void test_read_str(void **state)
{
	char path[PATH_MAX], buf[8];

	(void)state;
	tmpdir_path(path, sizeof(path), "s");
	assert_int_equal(file_write_atomic(path, "1234567", 7, 0644), 0);
	assert_int_equal(file_read_str(path, buf, sizeof(buf)), 0);
	assert_string_equal(buf, "1234567");
	assert_int_equal(file_read_str(path, buf, 7), -EFBIG);
	assert_int_equal(file_read_str(path, buf, 0), -EINVAL);
	assert_int_equal(file_write_atomic(path, "a\0b", 3, 0644), 0);
	assert_int_equal(file_read_str(path, buf, sizeof(buf)), -EINVAL);
	unlink(path);
}

/* Exit status of a child that tries a non-blocking lock on @path: 0 got
 * it, 1 busy (-EAGAIN), 2 other error.  @classic: a plain F_SETLK, the
 * lock Debian ifupdown takes. */
static int child_try_lock(const char *path, bool classic)
{
	struct flock fl = { .l_type = F_WRLCK, .l_whence = SEEK_SET };
	int ws, fd, err;
	pid_t pid;

	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		if (!classic) {
			err = file_lock(path, false, &fd);
			_exit(err == 0 ? 0 : err == -EAGAIN ? 1 : 2);
		}
		fd = open(path, O_RDWR);
		if (fd < 0)
			_exit(2);
		if (fcntl(fd, F_SETLK, &fl) == 0)
			_exit(0);
		_exit(errno == EAGAIN || errno == EACCES ? 1 : 2);
	}
	assert_int_equal(waitpid(pid, &ws, 0), pid);
	assert_true(WIFEXITED(ws));
	return WEXITSTATUS(ws);
}

static void test_lock(void **state)
{
	char path[PATH_MAX];
	struct stat sb;
	int fd = -1, fd2 = -1;

	(void)state;
	tmpdir_path(path, sizeof(path), ".ifstate.lock");
	assert_int_equal(file_lock(path, true, &fd), 0);
	assert_true(fd >= 0);
	assert_int_equal(fcntl(fd, F_GETFD) & FD_CLOEXEC, FD_CLOEXEC);
	assert_int_equal(stat(path, &sb), 0);
	assert_int_equal(child_try_lock(path, false), 1);
	assert_int_equal(child_try_lock(path, true), 1);
	/* open-file-description locks also exclude this same process */
	assert_int_equal(file_lock(path, false, &fd2), -EAGAIN);
	file_unlock(fd);
	assert_int_equal(child_try_lock(path, false), 0);
	assert_int_equal(child_try_lock(path, true), 0);
	assert_int_equal(file_lock(path, false, &fd2), 0);
	file_unlock(fd2);
	file_unlock(-1);
	tmpdir_path(path, sizeof(path), "missing/lock");
	assert_int_equal(file_lock(path, true, &fd), -ENOENT);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_write_atomic),
		cmocka_unit_test(test_write_atomic_fail),
		cmocka_unit_test(test_read),
		cmocka_unit_test(test_read_str),
		cmocka_unit_test(test_lock),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}

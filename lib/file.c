// SPDX-License-Identifier: MIT
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <unistd.h>

#include "embnet/file.h"

#ifndef RENAME_EXCHANGE
#define RENAME_EXCHANGE (1 << 1) /* <linux/fs.h>, Linux 3.15 */
#endif

static int write_all(int fd, const void *data, size_t len)
{
	const char *p = data;
	ssize_t n;

	while (len > 0) {
		n = write(fd, p, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		if (n == 0)
			return -EIO;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

/* Makes the rename of an entry of @path's directory durable. */
static int sync_dir(const char *path)
{
	char dir[PATH_MAX];
	char *slash;
	int fd, err = 0;

	snprintf(dir, sizeof(dir), "%s", path); /* fits: the rename worked */
	slash = strrchr(dir, '/');
	if (!slash)
		strcpy(dir, ".");
	else
		slash[slash == dir] = '\0'; /* "/x" -> "/" */
	fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (fsync(fd) < 0 && errno != EINVAL) /* EINVAL: fs cannot sync dirs */
		err = -errno;
	close(fd);
	return err;
}

static int exchange(const char *a, const char *b)
{
#ifdef SYS_renameat2
	return syscall(SYS_renameat2, AT_FDCWD, a, AT_FDCWD, b,
		       RENAME_EXCHANGE) < 0
		       ? -errno
		       : 0;
#else
	return -ENOSYS;
#endif
}

/*
 * Puts @tmp in @path's place without rename(2) over it: ext4 starts
 * writing back a file renamed over another (auto_da_alloc), which costs
 * a non-durable write more than all the rest.  The names are exchanged,
 * atomically, then the old file is unlinked (if @path was a directory,
 * it is put back).  -errno if @path is missing or the file system cannot
 * exchange: rename() then.
 */
static int replace_nosync(const char *tmp, const char *path)
{
	int err = exchange(tmp, path);

	if (err)
		return err;
	if (unlink(tmp) == 0)
		return 0;
	err = -errno;
	return exchange(tmp, path) == 0 ? err : 0;
}

int file_write_atomic_flags(const char *path, const void *data, size_t len,
			    mode_t mode, unsigned int flags)
{
	bool sync = !(flags & FILE_NOSYNC);
	char tmp[PATH_MAX];
	int n, fd, err;

	n = snprintf(tmp, sizeof(tmp), "%s.XXXXXX", path);
	if (n < 0 || (size_t)n >= sizeof(tmp))
		return -ENAMETOOLONG;
	fd = mkostemp(tmp, O_CLOEXEC);
	if (fd < 0)
		return -errno;
	err = write_all(fd, data, len);
	if (!err && fchmod(fd, mode & 07777) < 0)
		err = -errno;
	if (!err && sync && fsync(fd) < 0)
		err = -errno;
	if (close(fd) < 0 && !err)
		err = -errno;
	if (!err && !sync && replace_nosync(tmp, path) == 0)
		return 0;
	if (!err && rename(tmp, path) < 0)
		err = -errno;
	if (err) {
		unlink(tmp);
		return err;
	}
	return sync ? sync_dir(path) : 0;
}

int file_write_atomic(const char *path, const void *data, size_t len,
		      mode_t mode)
{
	return file_write_atomic_flags(path, data, len, mode, 0);
}

/*
 * open(2) for the _flags variants: with FILE_SAFE no symbolic link is
 * followed (-ELOOP) and only a regular file is taken (-EINVAL); a FIFO
 * or device cannot hold the open (O_NONBLOCK, which a regular file
 * ignores, so it stays set).
 */
static int open_flags(const char *path, int oflags, unsigned int flags,
		      struct stat *sb)
{
	int fd, err = 0;

	if (flags & FILE_SAFE)
		oflags |= O_NOFOLLOW | O_NONBLOCK;
	fd = open(path, oflags | O_CLOEXEC, 0644);
	if (fd < 0 && errno == EISDIR && (flags & FILE_SAFE))
		return -EINVAL;
	if (fd < 0)
		return -errno;
	if (!(flags & FILE_SAFE))
		return fd;
	if (fstat(fd, sb) < 0)
		err = -errno;
	else if (!S_ISREG(sb->st_mode))
		err = -EINVAL;
	if (err) {
		close(fd);
		return err;
	}
	return fd;
}

int file_read_flags(const char *path, void *buf, size_t cap, size_t *len,
		    unsigned int flags)
{
	struct stat sb = { 0 };
	size_t got = 0;
	ssize_t n;
	char extra;
	int fd, err = 0;

	fd = open_flags(path, O_RDONLY, flags, &sb);
	if (fd < 0)
		return fd;
	for (;;) {
		if (got < cap)
			n = read(fd, (char *)buf + got, cap - got);
		else
			n = read(fd, &extra, 1); /* one more byte: EOF? */
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			err = -errno;
		else if (n > 0 && got == cap)
			err = -EFBIG;
		if (n <= 0 || err)
			break;
		got += (size_t)n;
		/* FILE_SAFE: a regular file, read as long as it was when
		 * opened (size 0 may be /proc's, read a page at a time) */
		if (sb.st_size > 0 && got < cap && got == (size_t)sb.st_size)
			break;
	}
	close(fd);
	if (!err)
		*len = got;
	return err;
}

int file_read(const char *path, void *buf, size_t cap, size_t *len)
{
	return file_read_flags(path, buf, cap, len, 0);
}

int file_read_str_flags(const char *path, char *buf, size_t size,
			unsigned int flags)
{
	size_t len;
	int err;

	if (size == 0)
		return -EINVAL;
	err = file_read_flags(path, buf, size - 1, &len, flags);
	if (err)
		return err;
	if (memchr(buf, '\0', len))
		return -EINVAL;
	buf[len] = '\0';
	return 0;
}

int file_read_str(const char *path, char *buf, size_t size)
{
	return file_read_str_flags(path, buf, size, 0);
}

/*
 * Exclusive lock on the whole file, as an open-file-description lock
 * where the kernel has one (3.15): it belongs to this open file, so
 * closing another fd of the same file elsewhere in the program cannot drop
 * it, and it conflicts with classic fcntl locks (Debian ifupdown's).
 */
static int lock_fd(int fd, bool wait)
{
	struct flock fl = { .l_type = F_WRLCK, .l_whence = SEEK_SET };
	int cmd = wait ? F_SETLKW : F_SETLK;
	bool ofd = false;

#ifdef F_OFD_SETLKW
	cmd = wait ? F_OFD_SETLKW : F_OFD_SETLK;
	ofd = true;
#endif
	for (;;) {
		if (fcntl(fd, cmd, &fl) == 0)
			return 0;
		if (errno == EINTR)
			continue;
		if (errno == EINVAL && ofd) { /* old kernel */
			cmd = wait ? F_SETLKW : F_SETLK;
			ofd = false;
			continue;
		}
		return errno == EACCES ? -EAGAIN : -errno;
	}
}

int file_lock_flags(const char *path, bool wait, int *fd, unsigned int flags)
{
	struct stat sb;
	int lfd, err;

	lfd = open_flags(path, O_RDWR | O_CREAT, flags, &sb);
	if (lfd < 0)
		return lfd;
	err = lock_fd(lfd, wait);
	if (err) {
		close(lfd);
		return err;
	}
	*fd = lfd;
	return 0;
}

int file_lock(const char *path, bool wait, int *fd)
{
	return file_lock_flags(path, wait, fd, 0);
}

void file_unlock(int fd)
{
	if (fd >= 0)
		close(fd);
}

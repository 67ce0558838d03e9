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
#include <sys/types.h>
#include <unistd.h>

#include "file.h"

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

int file_write_atomic(const char *path, const void *data, size_t len,
		      mode_t mode)
{
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
	if (!err && fsync(fd) < 0)
		err = -errno;
	if (close(fd) < 0 && !err)
		err = -errno;
	if (!err && rename(tmp, path) < 0)
		err = -errno;
	if (err) {
		unlink(tmp);
		return err;
	}
	return sync_dir(path);
}

int file_read(const char *path, void *buf, size_t cap, size_t *len)
{
	size_t got = 0;
	ssize_t n;
	char extra;
	int fd, err = 0;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
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
	}
	close(fd);
	if (!err)
		*len = got;
	return err;
}

int file_read_str(const char *path, char *buf, size_t size)
{
	size_t len;
	int err;

	if (size == 0)
		return -EINVAL;
	err = file_read(path, buf, size - 1, &len);
	if (err)
		return err;
	if (memchr(buf, '\0', len))
		return -EINVAL;
	buf[len] = '\0';
	return 0;
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

int file_lock(const char *path, bool wait, int *fd)
{
	int lfd, err;

	lfd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
	if (lfd < 0)
		return -errno;
	err = lock_fd(lfd, wait);
	if (err) {
		close(lfd);
		return err;
	}
	*fd = lfd;
	return 0;
}

void file_unlock(int fd)
{
	if (fd >= 0)
		close(fd);
}

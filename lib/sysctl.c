/* SPDX-License-Identifier: MIT */
/* Kernel parameters under /proc/sys by their sysctl(8) names: the path of
 * one, and writing it as `sysctl -w` does. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "embnet/sysctl.h"

#define SYSCTL_ROOT "/proc/sys/"

int sysctl_path(const char *name, char *buf, size_t len)
{
	size_t n = strlen(SYSCTL_ROOT), i;

	if (!*name || strstr(name, "..") || name[0] == '.' || name[0] == '/')
		return -EINVAL;
	if (n + strlen(name) + 1 > len)
		return -ENAMETOOLONG;
	memcpy(buf, SYSCTL_ROOT, n);
	for (i = 0; name[i]; i++)
		buf[n + i] = name[i] == '.'   ? '/'
			     : name[i] == '/' ? '.'
					      : name[i];
	buf[n + i] = '\0';
	return 0;
}

int sysctl_write(const char *name, const char *value)
{
	char path[256];
	size_t len = strlen(value);
	ssize_t w;
	int fd, err = sysctl_path(name, path, sizeof(path));

	if (err)
		return err;
	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	do {
		w = write(fd, value, len);
	} while (w < 0 && errno == EINTR);
	err = w < 0 ? -errno : (size_t)w != len ? -EIO : 0;
	if (close(fd) < 0 && !err)
		err = -errno;
	return err;
}

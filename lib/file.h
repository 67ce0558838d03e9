/* SPDX-License-Identifier: MIT */
/*
 * Small-file helpers: crash-safe replacement (state and lease files are
 * never seen half-written), bounded reads, and lock files.
 */
#ifndef EMBNET_FILE_H
#define EMBNET_FILE_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

/*
 * Replaces @path with the @len bytes at @data and permissions @mode (umask
 * not applied): writes "@path.XXXXXX" in the same directory, fsyncs it,
 * renames it over @path, then fsyncs the directory.  Returns 0 or -errno;
 * on failure before the rename the temp file is removed and @path is
 * untouched.  A symlink at @path is replaced, not followed.
 */
int file_write_atomic(const char *path, const void *data, size_t len,
		      mode_t mode);

/*
 * Reads all of @path into @buf (not NUL-terminated) and sets *@len.
 * Returns 0, -EFBIG if the file holds more than @cap bytes, or -errno.
 */
int file_read(const char *path, void *buf, size_t cap, size_t *len);

/*
 * As file_read(), then NUL-terminates: the text must fit in @size - 1
 * bytes (-EFBIG otherwise) and hold no NUL byte (-EINVAL).
 */
int file_read_str(const char *path, char *buf, size_t size);

/*
 * Takes an exclusive fcntl write lock on @path (created 0644 if missing),
 * the kind Debian ifupdown takes on its state and per-interface lock
 * files (an open-file-description lock where the kernel has one).  With
 * @wait false returns -EAGAIN if held elsewhere.  Returns 0 and the lock's
 * fd in *@fd (close-on-exec; release with file_unlock()), or -errno.
 */
int file_lock(const char *path, bool wait, int *fd);

/* Releases a lock from file_lock() by closing @fd; negative @fd: no-op. */
void file_unlock(int fd);

#endif

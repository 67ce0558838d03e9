/* SPDX-License-Identifier: MIT */
/*
 * Small-file helpers: crash-safe replacement (state and lease files are
 * never seen half-written), bounded reads, and lock files.  The _flags
 * variants take FILE_* flags; the plain ones are those with flags 0.
 */
#ifndef EMBNET_FILE_H
#define EMBNET_FILE_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

/* Runtime state (meaningless after a reboot): the replacement stays
 * atomic, but neither the file nor its directory is fsync'ed. */
#define FILE_NOSYNC 0x1u
/* State in a directory of its own: a symbolic link is not followed
 * (-ELOOP), anything but a regular file is refused (-EINVAL), a FIFO
 * cannot block the open, and a read takes the size the file had when
 * opened (state is replaced, never appended to). */
#define FILE_SAFE 0x2u

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
 * As file_write_atomic(); with FILE_NOSYNC nothing is fsync'ed and the
 * temp file takes @path's place by an atomic exchange of the two names
 * (renameat2 RENAME_EXCHANGE) and an unlink of the old file, where the
 * file system has it (else rename()): ext4 starts writing back a file
 * renamed over another.  Readers still see the old file or the new one;
 * neither may survive a power loss.
 */
int file_write_atomic_flags(const char *path, const void *data, size_t len,
			    mode_t mode, unsigned int flags);

/*
 * Reads all of @path into @buf (not NUL-terminated) and sets *@len.
 * Returns 0, -EFBIG if the file holds more than @cap bytes, or -errno.
 */
int file_read(const char *path, void *buf, size_t cap, size_t *len);

/* As file_read(); FILE_SAFE: see there. */
int file_read_flags(const char *path, void *buf, size_t cap, size_t *len,
		    unsigned int flags);

/*
 * As file_read(), then NUL-terminates: the text must fit in @size - 1
 * bytes (-EFBIG otherwise) and hold no NUL byte (-EINVAL).
 */
int file_read_str(const char *path, char *buf, size_t size);

/* As file_read_str(); FILE_SAFE: see there. */
int file_read_str_flags(const char *path, char *buf, size_t size,
			unsigned int flags);

/*
 * Takes an exclusive fcntl write lock on @path (created 0644 if missing),
 * the kind Debian ifupdown takes on its state and per-interface lock
 * files (an open-file-description lock where the kernel has one).  With
 * @wait false returns -EAGAIN if held elsewhere.  Returns 0 and the lock's
 * fd in *@fd (close-on-exec; release with file_unlock()), or -errno.
 */
int file_lock(const char *path, bool wait, int *fd);

/* As file_lock(); FILE_SAFE: see there (the file is still created if
 * missing, but never through a dangling symbolic link). */
int file_lock_flags(const char *path, bool wait, int *fd, unsigned int flags);

/* Releases a lock from file_lock() by closing @fd; negative @fd: no-op. */
void file_unlock(int fd);

#endif

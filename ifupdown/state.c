/* SPDX-License-Identifier: MIT */
/*
 * Debian's state directory: `ifstate` (one "iface=logical" line per
 * configured interface, replaced atomically under a lock on
 * .ifstate.lock) and `ifstate.IFACE`, the per-interface lock whose text is
 * the logical name while configured ("" once down).
 *
 * It is runtime state, meaningless after a reboot: files are replaced
 * atomically but not fsync'ed (a disk-backed directory costs no more than
 * a tmpfs).  No state file is opened through a symbolic link or if it is
 * not a regular file, and a directory that others may write to is refused.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include "embnet/file.h"
#include "ifupdown.h"
#include "embnet/log.h"

#define STATE_MAX (256u << 10)
/* ifstate's mode less the umask, as Debian's 0666 but for others' write */
#define STATE_MODE 0644
#define STATE_FLAGS (FILE_SAFE | FILE_NOSYNC)

/* The process's umask (read by setting it back at once: one thread). */
static mode_t state_umask(void)
{
	mode_t m = umask(022);

	umask(m);
	return m;
}

/*
 * -EPERM, after one line naming @file, if the state directory may be
 * written by another user than us and root (anyone could plant a file
 * there).  Checked once per directory and process; a directory that does
 * not exist passes (opening the file says so).
 */
static int state_dir_check(const struct ifud_opts *o, const char *file)
{
	static char checked[PATH_MAX];
	static int result;
	const char *why = NULL;
	struct stat sb;

	if (checked[0] && strcmp(checked, o->state_dir) == 0)
		return result;
	snprintf(checked, sizeof(checked), "%s", o->state_dir);
	result = 0;
	if (stat(o->state_dir, &sb) < 0)
		return 0;
	if (sb.st_mode & S_IWOTH)
		why = "writable by others";
	else if (sb.st_uid != 0 && sb.st_uid != geteuid())
		why = "owned by another user";
	if (!why)
		return 0;
	log_warn("%s: refused: directory %s is %s", file, o->state_dir, why);
	result = -EPERM;
	return result;
}

/* True after one line naming @path if FILE_SAFE refused it. */
static bool refused(const char *path, int err)
{
	if (err != -ELOOP && err != -EINVAL)
		return false;
	log_warn("%s: refused: %s", path,
		 err == -ELOOP ? "a symbolic link" : "not a regular file");
	return true;
}

/* dir/@prefix@iface@suffix with '/' in the name as '.' (Debian's rule). */
static void state_path(const struct ifud_opts *o, const char *prefix,
		       const char *iface, const char *suffix, char *buf,
		       size_t len)
{
	int n = snprintf(buf, len, "%s/%s", o->state_dir, prefix);

	if (n < 0 || (size_t)n >= len)
		n = 0;
	snprintf(buf + n, len - (size_t)n, "%s%s", iface, suffix);
	for (char *p = buf + n; *p; p++)
		if (*p == '/')
			*p = '.';
}

static void strip(char *s)
{
	size_t n = strcspn(s, "\n");

	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r'))
		n--;
	s[n] = '\0';
}

/*
 * @iface's logical name from ifstate, "" when it has no line.  ifstate is
 * only ever replaced by rename(), so unlike the lock file's text it is
 * never half-written: a kill -9 between the two writes of state_set()
 * leaves the lock file stale, never ifstate.
 */
static int state_lookup(const struct ifud_opts *o, const char *iface,
			char *logical, size_t len)
{
	static char text[STATE_MAX + 1];
	char path[PATH_MAX], *line, *save = NULL;
	size_t n = 0, ilen = strlen(iface);
	int err;

	logical[0] = '\0';
	snprintf(path, sizeof(path), "%s/ifstate", o->state_dir);
	err = file_read_flags(path, text, STATE_MAX, &n, FILE_SAFE);
	if (refused(path, err))
		return err;
	if (err < 0)
		return 0;
	text[n] = '\0';
	for (line = strtok_r(text, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		if (strncmp(line, iface, ilen) == 0 && line[ilen] == '=') {
			snprintf(logical, len, "%s", line + ilen + 1);
			strip(logical);
			break;
		}
	}
	return 0;
}

int state_lock_iface(const struct ifud_opts *o, const char *iface, int *fd,
		     char *logical, size_t len)
{
	char path[PATH_MAX];
	int err;

	*fd = -1;
	state_path(o, "ifstate.", iface, "", path, sizeof(path));
	if ((err = state_dir_check(o, path)) < 0)
		return err;
	if (!o->no_act) {
		err = file_lock_flags(path, false, fd, FILE_SAFE);
		if (err == -EAGAIN) {
			log_warn("waiting for lock on %s", path);
			err = file_lock_flags(path, true, fd, FILE_SAFE);
		}
		if (err) {
			if (!refused(path, err))
				log_err(err, "failed to lock lockfile %s",
					path);
			return err;
		}
	}
	err = state_lookup(o, iface, logical, len);
	if (err < 0) {
		file_unlock(*fd);
		*fd = -1;
	}
	return err;
}

/* The ifstate text with @iface's line set to @logical, or removed. */
static int state_edit(char *text, size_t len, const char *iface,
		      const char *logical, char *out, size_t cap)
{
	size_t n = 0, ilen = strlen(iface);
	bool done = false;
	char *line, *save = NULL;
	int w;

	text[len] = '\0';
	for (line = strtok_r(text, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		strip(line);
		if (!*line)
			continue;
		if (strncmp(line, iface, ilen) == 0 && line[ilen] == '=') {
			if (!logical || done)
				continue;
			w = snprintf(out + n, cap - n, "%s=%s\n", iface,
				     logical);
			done = true;
		} else {
			w = snprintf(out + n, cap - n, "%s\n", line);
		}
		if (w < 0 || (size_t)w >= cap - n)
			return -EFBIG;
		n += (size_t)w;
	}
	if (logical && !done) {
		w = snprintf(out + n, cap - n, "%s=%s\n", iface, logical);
		if (w < 0 || (size_t)w >= cap - n)
			return -EFBIG;
		n += (size_t)w;
	}
	return (int)n;
}

static int state_rewrite(const struct ifud_opts *o, const char *iface,
			 const char *logical)
{
	char path[PATH_MAX], lock[PATH_MAX];
	static char old[STATE_MAX + 1], was[STATE_MAX], out[STATE_MAX];
	bool file_missing;
	size_t len = 0;
	int fd, n, err;

	snprintf(path, sizeof(path), "%s/ifstate", o->state_dir);
	snprintf(lock, sizeof(lock), "%s/.ifstate.lock", o->state_dir);
	if (state_dir_check(o, path) < 0)
		return -EPERM;
	err = file_lock_flags(lock, true, &fd, FILE_SAFE);
	if (refused(lock, err))
		return -EPERM;
	if (err)
		return err;
	err = file_read_flags(path, old, STATE_MAX, &len, FILE_SAFE);
	file_missing = err == -ENOENT;
	if (err == -ENOENT)
		err = 0;
	if (refused(path, err))
		err = -EPERM;
	if (!err)
		memcpy(was, old, len); /* state_edit() cuts old up */
	n = err ? err : state_edit(old, len, iface, logical, out, sizeof(out));
	/* the second write of an ifup or ifdown that went well changes
	 * nothing: on a disk, a rename is the dearest step */
	if (n >= 0 && !file_missing && (size_t)n == len &&
	    memcmp(was, out, len) == 0)
		n = -EEXIST;
	err = n < 0 ? n
		    : file_write_atomic_flags(path, out, (size_t)n,
					      STATE_MODE & ~state_umask(),
					      STATE_FLAGS);
	file_unlock(fd);
	return err == -EEXIST ? 0 : err;
}

/* The lock file's text: "@logical\n", written only if it differs. */
static void lock_text(int fd, const char *logical)
{
	char line[IFUD_NAME_LEN + 2], old[IFUD_NAME_LEN + 3];
	int n = snprintf(line, sizeof(line), "%s\n", logical ? logical : "");
	ssize_t m = pread(fd, old, sizeof(old), 0);

	if (m == n && memcmp(old, line, (size_t)n) == 0)
		return;
	if (pwrite(fd, line, (size_t)n, 0) != n ||
	    (m > n && ftruncate(fd, n) < 0))
		log_err(-errno, "failed to write lockfile");
}

int state_set(const struct ifud_opts *o, const char *iface, const char *logical,
	      int fd)
{
	int err;

	if (o->no_act)
		return 0;
	err = state_rewrite(o, iface, logical); /* the truth first */
	if (err && err != -EPERM)
		log_err(err, "failed to overwrite statefile %s/ifstate",
			o->state_dir);
	if (fd >= 0)
		lock_text(fd, logical);
	return err;
}

/* Debian opens ifstate with O_CREAT when it reads it to change it
 * (ifdown -a): a missing one is left empty, 0644 less the umask (never
 * more, as Debian's 0666 would be). */
static void state_create(const char *path)
{
	int fd = open(path,
		      O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_NONBLOCK |
			      O_CLOEXEC,
		      STATE_MODE);

	if (fd >= 0)
		close(fd);
}

int state_read_all(const struct ifud_opts *o, struct ifp_strv *lines)
{
	char path[PATH_MAX], lock[PATH_MAX];
	static char text[STATE_MAX + 1];
	char *line, *save = NULL;
	size_t len = 0;
	int fd = -1, err;

	snprintf(path, sizeof(path), "%s/ifstate", o->state_dir);
	snprintf(lock, sizeof(lock), "%s/.ifstate.lock", o->state_dir);
	if ((err = state_dir_check(o, path)) < 0)
		return err;
	if (!o->no_act &&
	    (err = file_lock_flags(lock, true, &fd, FILE_SAFE)) < 0) {
		refused(lock, err);
		return err;
	}
	err = file_read_flags(path, text, STATE_MAX, &len, FILE_SAFE);
	if (err == -ENOENT && o->cmd == IFUD_DOWN && !o->no_act)
		state_create(path);
	file_unlock(fd);
	if (err && !refused(path, err))
		return err == -ENOENT ? 0 : err;
	if (err)
		return err;
	text[len] = '\0';
	for (line = strtok_r(text, "\n", &save); line && !err;
	     line = strtok_r(NULL, "\n", &save)) {
		strip(line);
		if (*line)
			err = ifp_strv_add(lines, line);
	}
	return err;
}

bool state_is_locked(const struct ifud_opts *o, const char *iface)
{
	struct flock fl = { .l_type = F_WRLCK, .l_whence = SEEK_SET };
	char path[PATH_MAX];
	struct stat sb;
	int fd;

	state_path(o, "ifstate.", iface, "", path, sizeof(path));
	fd = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0)
		return false;
	if (fstat(fd, &sb) < 0 || !S_ISREG(sb.st_mode) ||
	    fcntl(fd, F_GETLK, &fl) < 0)
		fl.l_type = F_UNLCK;
	close(fd);
	return fl.l_type != F_UNLCK;
}

bool state_configured(const struct ifud_opts *o, const char *iface)
{
	char path[PATH_MAX], text[IFUD_NAME_LEN + 1];
	size_t len = 0;

	state_path(o, "ifstate.", iface, "", path, sizeof(path));
	if (state_dir_check(o, path) < 0 ||
	    file_read_flags(path, text, IFUD_NAME_LEN, &len, FILE_SAFE) < 0)
		return false;
	text[len] = '\0';
	strip(text);
	return text[0] != '\0';
}

bool state_exists(const struct ifud_opts *o, const char *iface)
{
	char path[PATH_MAX];
	struct stat sb;

	state_path(o, "ifstate.", iface, "", path, sizeof(path));
	return lstat(path, &sb) == 0 && S_ISREG(sb.st_mode);
}

/*
 * Debian's ifup-IFACE.pid (ifdown-IFACE.pid), made anew before a stanza
 * runs its first program and removed after the stanza: one write() of a
 * few bytes, which a reader sees whole or not at all (an empty file
 * reads as no pid), needs no rename.
 */
void state_pidfile(const struct ifud_opts *o, const char *iface, bool create)
{
	char path[PATH_MAX], pid[24];
	struct stat sb;
	int n, fd = -1;

	if (o->no_act)
		return;
	/* Debian's names: ifdown kills an ifup by its file, never an ifdown */
	state_path(o, o->cmd == IFUD_DOWN ? "ifdown-" : "ifup-", iface, ".pid",
		   path, sizeof(path));
	if (!create) {
		unlink(path);
		return;
	}
	n = snprintf(pid, sizeof(pid), "%d", (int)getpid());
	if (state_dir_check(o, path) == 0)
		fd = open(path,
			  O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW |
				  O_NONBLOCK | O_CLOEXEC,
			  0644);
	if (fd < 0 || fstat(fd, &sb) < 0 || !S_ISREG(sb.st_mode) ||
	    write(fd, pid, (size_t)n) != n)
		log_warn("failed to open pid file %s", path);
	if (fd >= 0)
		close(fd);
}

/* SIGTERM to an ifup still configuring @iface (its pid file), if it
 * still is an ifup: a stale file must not kill a stranger. */
void state_kill_ifup(const struct ifud_opts *o, const char *iface)
{
	char path[PATH_MAX], buf[32], comm[64];
	int pid;

	if (o->no_act)
		return;
	state_path(o, "ifup-", iface, ".pid", path, sizeof(path));
	if (state_dir_check(o, path) < 0 ||
	    file_read_str_flags(path, buf, sizeof(buf), FILE_SAFE) < 0)
		return;
	unlink(path);
	pid = atoi(buf);
	if (pid <= 1 || pid == getpid())
		return;
	snprintf(comm, sizeof(comm), "/proc/%d/comm", pid);
	if (file_read_str(comm, buf, sizeof(buf)) < 0 ||
	    strncmp(buf, "ifup", 4) != 0)
		return;
	if (o->verbose)
		log_warn("terminating ifup (pid %d)", pid);
	kill(pid, SIGTERM);
}

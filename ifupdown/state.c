/* SPDX-License-Identifier: MIT */
/*
 * Debian's state directory: `ifstate` (one "iface=logical" line per
 * configured interface, replaced atomically under a lock on
 * .ifstate.lock) and `ifstate.IFACE`, the per-interface lock whose text is
 * the logical name while configured ("" once down).
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "file.h"
#include "ifupdown.h"
#include "log.h"

#define STATE_MAX (256u << 10)

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
static void state_lookup(const struct ifud_opts *o, const char *iface,
			 char *logical, size_t len)
{
	static char text[STATE_MAX + 1];
	char path[PATH_MAX], *line, *save = NULL;
	size_t n = 0, ilen = strlen(iface);

	logical[0] = '\0';
	snprintf(path, sizeof(path), "%s/ifstate", o->state_dir);
	if (file_read(path, text, STATE_MAX, &n) < 0)
		return;
	text[n] = '\0';
	for (line = strtok_r(text, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		if (strncmp(line, iface, ilen) == 0 && line[ilen] == '=') {
			snprintf(logical, len, "%s", line + ilen + 1);
			strip(logical);
			return;
		}
	}
}

int state_lock_iface(const struct ifud_opts *o, const char *iface, int *fd,
		     char *logical, size_t len)
{
	char path[PATH_MAX];
	int err;

	*fd = -1;
	state_path(o, "ifstate.", iface, "", path, sizeof(path));
	if (!o->no_act) {
		err = file_lock(path, false, fd);
		if (err == -EAGAIN) {
			log_warn("waiting for lock on %s", path);
			err = file_lock(path, true, fd);
		}
		if (err) {
			log_err(err, "failed to lock lockfile %s", path);
			return err;
		}
	}
	state_lookup(o, iface, logical, len);
	return 0;
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
	static char old[STATE_MAX + 1], out[STATE_MAX];
	size_t len = 0;
	int fd, n, err;

	snprintf(path, sizeof(path), "%s/ifstate", o->state_dir);
	snprintf(lock, sizeof(lock), "%s/.ifstate.lock", o->state_dir);
	err = file_lock(lock, true, &fd);
	if (err)
		return err;
	err = file_read(path, old, STATE_MAX, &len);
	if (err == -ENOENT)
		err = 0;
	n = err ? err : state_edit(old, len, iface, logical, out, sizeof(out));
	err = n < 0 ? n : file_write_atomic(path, out, (size_t)n, 0644);
	file_unlock(fd);
	return err;
}

int state_set(const struct ifud_opts *o, const char *iface, const char *logical,
	      int fd)
{
	char line[IFUD_NAME_LEN + 2];
	int n, err;

	if (o->no_act)
		return 0;
	err = state_rewrite(o, iface, logical); /* the truth first */
	if (err)
		log_err(err, "failed to overwrite statefile %s/ifstate",
			o->state_dir);
	if (fd >= 0) {
		n = snprintf(line, sizeof(line), "%s\n",
			     logical ? logical : "");
		if (ftruncate(fd, 0) < 0 || pwrite(fd, line, (size_t)n, 0) != n)
			log_err(-errno, "failed to write lockfile");
	}
	return err;
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
	if (!o->no_act && (err = file_lock(lock, true, &fd)) < 0)
		return err;
	err = file_read(path, text, STATE_MAX, &len);
	file_unlock(fd);
	if (err)
		return err == -ENOENT ? 0 : err;
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
	int fd;

	state_path(o, "ifstate.", iface, "", path, sizeof(path));
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return false;
	if (fcntl(fd, F_GETLK, &fl) < 0)
		fl.l_type = F_UNLCK;
	close(fd);
	return fl.l_type != F_UNLCK;
}

void state_pidfile(const struct ifud_opts *o, const char *iface, bool create)
{
	char path[PATH_MAX], pid[24];
	int n;

	if (o->no_act)
		return;
	state_path(o, "ifup-", iface, ".pid", path, sizeof(path));
	if (!create) {
		unlink(path);
		return;
	}
	n = snprintf(pid, sizeof(pid), "%d", (int)getpid());
	if (file_write_atomic(path, pid, (size_t)n, 0644) < 0)
		log_warn("failed to open pid file %s", path);
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
	if (file_read_str(path, buf, sizeof(buf)) < 0)
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

/* SPDX-License-Identifier: MIT */
/*
 * The hook scripts: Debian's run-parts of /etc/network/if-PHASE.d with
 * the environment of env.c, and the hooks of bridge-utils, ifenslave and
 * vlan (bridge.c, bond.c, vlan.c) where their scripts sort among them;
 * -v and -n show them as Debian's ifup does.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <sys/stat.h>

#include "bond.h"
#include "bridge.h"
#include "ifupdown.h"
#include "vlan.h"

struct part_ctx {
	struct ifud_run *r;
	struct ifud_stanza *st;
};

static void part_cb(void *arg, const char *path, bool done, int err, int status)
{
	struct part_ctx *c = arg;

	if (!done)
		hook_pidfile(c->r, c->st);
	if (!done && c->r->o->verbose)
		fprintf(stderr, "run-parts: executing %s\n", path);
	else if (err)
		fprintf(stderr, "run-parts: failed to exec %s: %s\n", path,
			strerror(-err));
	else if (status)
		fprintf(stderr, "run-parts: %s exited with return code %d\n",
			path, status);
}

/*
 * True if @path is a directory known to hold no entry: it was empty when
 * read and its mtime (which any entry made or removed changes) has not
 * moved since.  run-parts of an empty directory runs nothing, and
 * `ifup -a` reads each directory once instead of twice per interface.
 * Only a directory last changed over a second ago is remembered: a
 * change within the same clock tick would leave its mtime as it was.
 */
static bool empty_dir(const char *path)
{
	static struct {
		char path[64];
		struct stat sb;
	} seen[4];
	static unsigned int n_seen;
	struct dirent *d;
	struct stat sb;
	unsigned int i;
	bool empty;
	DIR *dir;

	if (stat(path, &sb) < 0 || !S_ISDIR(sb.st_mode))
		return false;
	for (i = 0; i < n_seen; i++)
		if (strcmp(seen[i].path, path) == 0)
			return seen[i].sb.st_ino == sb.st_ino &&
			       seen[i].sb.st_dev == sb.st_dev &&
			       seen[i].sb.st_mtim.tv_sec == sb.st_mtim.tv_sec &&
			       seen[i].sb.st_mtim.tv_nsec == sb.st_mtim.tv_nsec;
	if (n_seen == sizeof(seen) / sizeof(seen[0]) ||
	    sb.st_mtim.tv_sec >= time(NULL) - 1 || !(dir = opendir(path)))
		return false;
	errno = 0;
	while ((d = readdir(dir)) &&
	       (!strcmp(d->d_name, ".") || !strcmp(d->d_name, "..")))
		;
	empty = !d && !errno;
	closedir(dir);
	if (!empty)
		return false;
	snprintf(seen[n_seen].path, sizeof(seen[0].path), "%s", path);
	seen[n_seen++].sb = sb;
	return true;
}

int scripts_run(struct ifud_run *r, struct ifud_stanza *st, const char *dir)
{
	const struct ifud_opts *o = r->o;
	unsigned int flags = o->ignore_errors ? 0 : SPAWN_EXIT_ON_ERROR;
	struct part_ctx ctx = { r, st };
	char path[64];
	int status = 0, err;

	if (o->no_scripts || ifp_strv_match(&r->cfg->no_scripts, st->logical))
		return 0;
	snprintf(path, sizeof(path), IFUD_HOOK_DIR "/if-%s.d", dir);
	hook_show(r, "run-parts %s%s%s",
		  o->ignore_errors ? "" : "--exit-on-error ",
		  o->verbose ? "--verbose " : "", path);
	if (o->no_act)
		return 0;
	if ((err = bridge_hook(r, st, dir)) < 0 ||
	    (err = bond_hook(r, st, dir)) < 0 ||
	    (err = vlan_hook(r, st, dir)) < 0)
		return err;
	if (empty_dir(path))
		return 0;
	fflush(NULL);
	err = spawn_run_parts_cb(path, NULL, spawn_env_vars(&st->env), flags,
				 part_cb, &ctx, &status);
	if (err) {
		fprintf(stderr, "run-parts: failed to open directory %s: %s\n",
			path, strerror(-err));
		status = 1;
	}
	return hook_failed(r, status) ? -ECANCELED : 0;
}

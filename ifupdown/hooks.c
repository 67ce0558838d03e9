/* SPDX-License-Identifier: MIT */
/*
 * Hooks: the stanza's pre-up/up/down/post-down commands under /bin/sh -c
 * and Debian run-parts of /etc/network/if-PHASE.d, with the environment
 * of env.c; -v and -n show them the way Debian's ifup prints them.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "bridge.h"
#include "ifupdown.h"
#include "log.h"

void hook_show(const struct ifud_run *r, const char *fmt, ...)
{
	va_list ap;

	if (!r->o->verbose && !r->o->no_act)
		return;
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

bool hook_failed(const struct ifud_run *r, int err)
{
	return err != 0 && !r->o->ignore_errors;
}

int hook_options(struct ifud_run *r, struct ifud_stanza *st, const char *hook)
{
	for (size_t i = 0; i < st->opts.n; i++) {
		const struct ifp_opt *p = &st->opts.v[i];
		int status = 0, err;

		if (strcmp(p->name, hook) != 0)
			continue;
		hook_show(r, "%s", p->value);
		if (r->o->no_act)
			continue;
		fflush(NULL);
		err = spawn_shell(p->value, spawn_env_vars(&st->env), &status);
		if (err)
			log_err(err, "executing '%s' failed", p->value);
		if (hook_failed(r, err || status))
			return -ECANCELED;
	}
	return 0;
}

static void part_cb(void *arg, const char *path, bool done, int err, int status)
{
	if (!done && *(const bool *)arg)
		fprintf(stderr, "run-parts: executing %s\n", path);
	else if (err)
		fprintf(stderr, "run-parts: failed to exec %s: %s\n", path,
			strerror(-err));
	else if (status)
		fprintf(stderr, "run-parts: %s exited with return code %d\n",
			path, status);
}

int hook_scripts(struct ifud_run *r, struct ifud_stanza *st, const char *dir)
{
	const struct ifud_opts *o = r->o;
	unsigned int flags = o->ignore_errors ? 0 : SPAWN_EXIT_ON_ERROR;
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
	if ((err = bridge_hook(r, st, dir)) < 0)
		return err;
	fflush(NULL);
	err = spawn_run_parts_cb(path, NULL, spawn_env_vars(&st->env), flags,
				 part_cb, (void *)&o->verbose, &status);
	if (err) {
		fprintf(stderr, "run-parts: failed to open directory %s: %s\n",
			path, strerror(-err));
		status = 1;
	}
	return hook_failed(r, status) ? -ECANCELED : 0;
}

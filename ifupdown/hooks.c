/* SPDX-License-Identifier: MIT */
/*
 * Hooks: the stanza's pre-up/up/down/post-down commands under /bin/sh -c
 * with the environment of env.c; showing each step the way Debian's ifup
 * prints it (-v, -n), the --ignore-errors policy and the pid file, which
 * every step that runs a program shares (scripts.c runs the if-PHASE.d
 * scripts).
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "ifupdown.h"
#include "embnet/log.h"

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

/*
 * Debian writes ifup-IFACE.pid (ifdown-IFACE.pid) for each stanza; ours
 * appears before the first program the stanza runs (a hook, a part, the
 * DHCP client), the only steps another ifdown could wait on: a stanza
 * that runs none makes and removes no file.
 */
void hook_pidfile(struct ifud_run *r, struct ifud_stanza *st)
{
	if (!st->pid_wanted || st->pid_made)
		return;
	state_pidfile(r->o, st->iface, true);
	st->pid_made = true;
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
		hook_pidfile(r, st);
		fflush(NULL);
		err = spawn_shell(p->value, spawn_env_vars(&st->env), &status);
		if (err)
			log_err(err, "executing '%s' failed", p->value);
		if (hook_failed(r, err || status))
			return -ECANCELED;
	}
	return 0;
}

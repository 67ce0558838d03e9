/* SPDX-License-Identifier: MIT */
/*
 * The hook environment, as Debian ifupdown 0.8 execute.c set_environ()
 * builds it: fresh, every non-hook option as IF_<NAME>, the recursion
 * guard IFUPDOWN_<iface>=<phase>, IFACE, LOGICAL, ADDRFAM, METHOD, MODE,
 * PHASE, VERBOSITY, PATH and, with -a or --allow, CLASS.  Names that are
 * not shell names are left out: Debian's /bin/sh -c drops them too.  The
 * guard of an interface whose name is not one (br-lan, wan.2) is spelled
 * so that it is one: Debian's is dropped, and `up ifup br-lan` hangs.
 * The native hooks read the same values: env_opt_value(), env_words().
 * As in Debian, a stanza may have any number of options: the environment
 * grows (spawn_env_grow()) up to bounds far past what execve() takes.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "ifupdown.h"
#include "embnet/log.h"

extern char **environ;

#define ENV_PATH "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"

void env_opt_name(const char *name, char *buf, size_t len)
{
	size_t n = 0;

	for (const char *p = "IF_"; *p && n + 1 < len; p++)
		buf[n++] = *p;
	for (; *name && n + 1 < len; name++) {
		char c = *name == '-' ? '_' : *name;

		if (c >= 'a' && c <= 'z')
			c = (char)(c - 'a' + 'A');
		if ((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		    c == '_')
			buf[n++] = c;
	}
	buf[n] = '\0';
}

const char *env_opt_value(const struct ifud_stanza *st, const char *env)
{
	char name[128];

	for (size_t i = 0; i < st->opts.n; i++) {
		if (ifp_is_hook(st->opts.v[i].name))
			continue;
		env_opt_name(st->opts.v[i].name, name, sizeof(name));
		if (strcmp(name, env) == 0 && st->opts.v[i].value[0])
			return st->opts.v[i].value;
	}
	return NULL;
}

size_t env_words(const char *s, char *buf, size_t len, char **w, size_t max)
{
	size_t n = 0;
	char *save = NULL;

	snprintf(buf, len, "%s", s ? s : "");
	for (char *t = strtok_r(buf, " \t\n", &save); t && n < max;
	     t = strtok_r(NULL, " \t\n", &save))
		w[n++] = t;
	return n;
}

static bool shell_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || c == '_';
}

void env_guard_name(const char *iface, char *buf, size_t len)
{
	static const char hex[] = "0123456789abcdef";
	size_t n = (size_t)snprintf(buf, len, "IFUPDOWN_");
	bool plain = strspn(iface, "abcdefghijklmnopqrstuvwxyz"
				   "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_") ==
		     strlen(iface);

	for (const unsigned char *p = (const unsigned char *)iface;
	     *p && n + 4 < len; p++) {
		if (plain || (shell_char((char)*p) && *p != '_')) {
			buf[n++] = (char)*p;
			continue;
		}
		buf[n++] = '_';
		buf[n++] = hex[*p >> 4];
		buf[n++] = hex[*p & 15];
	}
	buf[n < len ? n : len - 1] = '\0';
}

/* Adds @key=@value; a key the shell would drop, or a repeat, is skipped. */
static int add(struct spawn_env *env, const char *key, const char *value)
{
	int err = spawn_env_add(env, key, value);

	return err == -EINVAL || err == -EEXIST ? 0 : err;
}

static int add_guard(struct spawn_env *env, const char *iface,
		     const char *phase)
{
	char key[3 * IFUD_NAME_LEN + 16], parent[IFUD_NAME_LEN];
	const char *dot = strchr(iface, '.');
	int err;

	/* ours first: Debian's come after inherited ones, so they win;
	 * none for the -a hooks (Debian's IFUPDOWN_--all, which sh drops) */
	env_guard_name(iface, key, sizeof(key));
	err = strcmp(iface, "--all") == 0 ? 0 : add(env, key, phase);
	if (!err && dot) {
		snprintf(parent, sizeof(parent), "%.*s", (int)(dot - iface),
			 iface);
		env_guard_name(parent, key, sizeof(key));
		err = add(env, key, "parent-lock");
	}
	for (char **e = environ; e && *e && !err; e++) {
		const char *eq = strchr(*e, '=');

		if (strncmp(*e, "IFUPDOWN_", 9) != 0 || !eq ||
		    (size_t)(eq - *e) >= sizeof(key))
			continue;
		snprintf(key, sizeof(key), "%.*s", (int)(eq - *e), *e);
		err = add(env, key, eq + 1);
	}
	return err;
}

int env_build(const struct ifud_run *r, struct ifud_stanza *st,
	      const char *mode, const char *phase)
{
	struct spawn_env *env = &st->env;
	const struct ifud_opts *o = r->o;
	char key[128];
	int err = 0;

	spawn_env_free(env);
	spawn_env_grow(env);
	for (size_t i = 0; i < st->opts.n && !err; i++) {
		if (ifp_is_hook(st->opts.v[i].name))
			continue;
		env_opt_name(st->opts.v[i].name, key, sizeof(key));
		err = add(env, key, st->opts.v[i].value);
	}
	if (!err)
		err = add_guard(env, st->iface, phase);
	if (!err)
		err = add(env, "IFACE", st->iface) ?: add(env, "LOGICAL", st->logical) ?:
		      add(env, "ADDRFAM", st->addrfam) ?: add(env, "METHOD", st->method) ?:
		      add(env, "MODE", mode) ?: add(env, "PHASE", phase) ?:
		      add(env, "VERBOSITY", o->verbose ? "1" : "0") ?:
		      add(env, "PATH", ENV_PATH);
	if (!err && (o->allow || o->all))
		err = add(env, "CLASS", o->allow ? o->allow : "auto");
	if (err == -E2BIG)
		log_warn("%s: the hook environment is too big (over %u "
			 "variables or %u bytes)",
			 st->logical, SPAWN_ENV_GROW_MAX, SPAWN_ENV_GROW_BUF);
	return err;
}

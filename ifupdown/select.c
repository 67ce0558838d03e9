/* SPDX-License-Identifier: MIT */
/*
 * The command line as a whole: which interfaces (-a from the auto or
 * --allow class for ifup, the state file backwards for ifdown), the -a
 * hooks with IFACE=--all, mappings, ifquery --list and --state.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include "conf.h"
#include "ifupdown.h"
#include "log.h"

extern char **environ;

static int mapping_io(const struct ifp_mapping *m, int in, int out,
		      char *liface, size_t len)
{
	FILE *f;
	size_t n;
	bool got;

	for (size_t i = 0; i < m->map.n; i++) {
		if (write(in, m->map.v[i], strlen(m->map.v[i])) < 0 ||
		    write(in, "\n", 1) < 0)
			break;
	}
	close(in);
	f = fdopen(out, "r");
	if (!f) {
		close(out);
		return -1;
	}
	got = fgets(liface, (int)len, f) != NULL;
	fclose(f);
	n = strlen(liface);
	while (n && (liface[n - 1] == '\n' || liface[n - 1] == ' ' ||
		     liface[n - 1] == '\t' || liface[n - 1] == '\r'))
		liface[--n] = '\0';
	return got ? 0 : 1;
}

int run_mapping(struct ifud_run *r, const char *iface, char *liface, size_t len)
{
	const struct ifp_mapping *m = NULL;
	const char *argv[3];
	int in[2], out[2], fds[3], status = 1, got;
	char buf[IFUD_NAME_LEN] = "";
	pid_t pid;

	for (size_t i = 0; i < r->cfg->n_maps && !m; i++)
		if (ifp_strv_match(&r->cfg->maps[i].match, liface))
			m = &r->cfg->maps[i];
	if (!m || !m->script)
		return 0;
	if (r->o->verbose)
		log_warn("running mapping script %s on %s", m->script, liface);
	argv[0] = m->script;
	argv[1] = iface;
	argv[2] = NULL;
	if (pipe2(in, O_CLOEXEC) < 0)
		return -1;
	if (pipe2(out, O_CLOEXEC) < 0) {
		close(in[0]);
		close(in[1]);
		return -1;
	}
	fds[0] = in[0];
	fds[1] = out[1];
	fds[2] = -1;
	got = spawn_start(argv, (const char *const *)environ, fds, &pid);
	close(in[0]);
	close(out[1]);
	if (got < 0) {
		close(in[1]);
		close(out[0]);
		/* Debian's two lines, word for word */
		log_err(got, "executing \"%s\" failed", m->script);
		log_warn("error trying to executing mapping script %s on %s",
			 m->script, iface);
		return -1;
	}
	got = mapping_io(m, in[1], out[0], buf, sizeof(buf));
	spawn_wait(pid, -1, &status);
	if (status != 0) {
		log_warn("error trying to executing mapping script %s on %s",
			 m->script, iface);
		return -1;
	}
	if (got != 0) {
		log_warn("no output from mapping script %s on %s", m->script,
			 iface);
		return -1;
	}
	snprintf(liface, len, "%s", buf);
	return 0;
}

/* ifquery --state [IFACE...]: lines of ifstate, newest first. */
static int do_state(const struct ifud_opts *o, char **ifaces, int n)
{
	struct ifp_strv lines = { 0 };
	bool all_up = true;

	if (state_read_all(o, &lines) < 0)
		return 1;
	for (size_t i = lines.n; n == 0 && i-- > 0;)
		puts(lines.v[i]);
	for (int j = 0; j < n; j++) {
		size_t l = strlen(ifaces[j]), i = lines.n;

		while (i-- > 0)
			if (strncmp(lines.v[i], ifaces[j], l) == 0 &&
			    lines.v[i][l] == '=')
				break;
		if (i == (size_t)-1)
			all_up = false;
		else
			puts(lines.v[i]);
	}
	for (size_t i = 0; i < lines.n; i++)
		free(lines.v[i]);
	free(lines.v);
	return all_up ? 0 : 1;
}

/* ifup/ifdown -a: hooks once before and after with IFACE=--all. */
static int meta_hooks(struct ifud_run *r, bool pre)
{
	const struct ifud_opts *o = r->o;
	struct ifud_stanza st = {
		.iface = "--all",
		.logical = o->allow ? o->allow : "auto",
		.addrfam = "meta",
		.method = "none",
	};
	bool up = o->cmd == IFUD_UP;
	const char *phase = up ? (pre ? "pre-up" : "post-up")
			       : (pre ? "pre-down" : "post-down");
	const char *dir =
		up ? (pre ? "pre-up" : "up") : (pre ? "down" : "post-down");

	if (env_build(r, &st, up ? "start" : "stop", phase) < 0 ||
	    hook_scripts(r, &st, dir) < 0) {
		log_warn("%s-%s script failed", pre ? "pre" : "post",
			 up ? "up" : "down");
		return -1;
	}
	return 0;
}

/* The interfaces of -a / --list: a class, or the state backwards. */
static int targets_all(struct ifud_run *r, struct ifp_strv *own, char ***v,
		       size_t *n)
{
	const struct ifud_opts *o = r->o;
	const struct ifp_class *c;

	if (o->cmd == IFUD_DOWN) {
		if (state_read_all(o, own) < 0)
			return -1;
		for (size_t i = 0; i < own->n / 2; i++) {
			char *t = own->v[i];

			own->v[i] = own->v[own->n - 1 - i];
			own->v[own->n - 1 - i] = t;
		}
		*v = own->v;
		*n = own->n;
		return 0;
	}
	c = ifp_class_find(r->cfg, o->allow ? o->allow : "auto");
	*v = c ? c->ifaces.v : NULL;
	*n = c ? c->ifaces.n : 0;
	return 0;
}

static int list(struct ifud_run *r, char **v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		bool found = false;

		if (ifp_strv_match(&r->o->exclude, v[i]))
			continue;
		for (size_t j = 0; j < r->cfg->n_ifaces && !found; j++)
			found = strcmp(r->cfg->ifaces[j].name, v[i]) == 0;
		for (size_t j = 0; j < r->cfg->n_maps && !found; j++)
			found = ifp_strv_match(&r->cfg->maps[j].match, v[i]);
		if (found)
			puts(v[i]);
	}
	return 0;
}

static int run_targets(struct ifud_run *r, char **v, size_t n)
{
	int ret = 0;

	if (r->o->cmd == IFUD_UP)
		link_renames(r);
	if (r->o->all && meta_hooks(r, true) < 0)
		return 1;
	for (size_t i = 0; i < n; i++)
		if (run_interface(r, v[i]) < 0)
			ret = 1;
	if (r->o->all && meta_hooks(r, false) < 0)
		return 1;
	return ret;
}

int run_main(const struct ifud_opts *o, char **ifaces, int n)
{
	struct ifp_config cfg = { 0 };
	struct ifud_run r = { .o = o, .cfg = &cfg };
	struct ifp_strv own = { 0 };
	char err[IFP_ERR_LEN], **v = ifaces;
	size_t nv = (size_t)n;
	int ret = 1;

	mkdir(o->state_dir, 0755);
	if (o->state)
		return do_state(o, ifaces, n);
	if (conf_load(&cfg, o->interfaces, o->no_loopback, o->verbose, err) <
	    0) {
		log_warn("%s", err);
		log_warn("couldn't read interfaces file \"%s\"", o->interfaces);
		goto out;
	}
	if ((o->all || o->list) && targets_all(&r, &own, &v, &nv) < 0)
		goto out;
	ret = o->list ? list(&r, v, nv) : run_targets(&r, v, nv);
out:
	for (size_t i = 0; i < own.n; i++)
		free(own.v[i]);
	free(own.v);
	if (r.nl_open)
		nl_close(&r.nl);
	ifp_free(&cfg);
	return ret;
}

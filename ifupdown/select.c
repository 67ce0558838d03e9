/* SPDX-License-Identifier: MIT */
/*
 * The command line as a whole: `rename`, which interfaces (the command
 * line or, for -a, the auto or --allow class for ifup, the state file
 * backwards for ifdown; patterns expanded, renamed ones followed; for
 * ifup --allow=CLASS IFACE, the class's IFACE.VID entries after them),
 * the -a hooks with IFACE=--all, ifquery --list and --state; run.c runs
 * each.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include "conf.h"
#include "hashix.h"
#include "ifupdown.h"
#include "embnet/log.h"
#include "pattern.h"

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

	int err = env_build(r, &st, up ? "start" : "stop", phase);

	if (!err)
		err = scripts_run(r, &st, dir);
	spawn_env_free(&st.env);
	if (err < 0) {
		log_warn("%s-%s script failed", pre ? "pre" : "post",
			 up ? "up" : "down");
		return -1;
	}
	return 0;
}

/* What the command acts on (Debian's select_interfaces()). */
struct sel {
	struct pat_links links;
	struct ifp_strv renames; /* CUR=NEW: a target CUR becomes NEW */
	struct ifp_strv targets; /* IFACE or IFACE=LOGICAL */
	size_t first_vlan;	 /* targets from here: vlan_targets() */
};

/* ifup's rename of @cur to @newname, which Debian's link.defn requires:
 * 0, or -1 after a message. */
static int rename_one(struct ifud_run *r, const char *cur, const char *newname)
{
	if (*newname)
		return link_rename(r, cur, newname);
	log_warn("missing required variable: newname");
	log_warn("unable to rename %s to ", cur);
	return -1;
}

/*
 * `rename` lines, patterns expanded.  ifup renames each CUR that exists
 * (and is not NEW already), first to last, and stops at the first
 * failure as Debian does; the other commands rename nothing but take
 * CUR for NEW all the same.  0 or -1 after a message.
 */
static int renames(struct ifud_run *r, struct sel *s)
{
	struct ifp_strv all = { 0 };
	bool renamed = false;
	int err = pat_expand(&s->links, &r->cfg->renames, &all);

	for (size_t i = 0; !err && i < all.n; i++) {
		const char *e = all.v[i], *eq = strchr(e, '=');
		char cur[IFUD_NAME_LEN];

		if (!eq && r->o->cmd == IFUD_UP) {
			log_warn("missing target name for interface %s", e);
			err = -ECANCELED; /* said */
		}
		if (!eq)
			continue;
		if (r->o->cmd == IFUD_UP) {
			snprintf(cur, sizeof(cur), "%.*s", (int)(eq - e), e);
			if (strcmp(cur, eq + 1) == 0 ||
			    !pat_link_exists(&s->links, cur))
				continue;
			if (rename_one(r, cur, eq + 1) < 0) {
				err = -ECANCELED;
				break;
			}
			renamed = true;
		}
		err = ifp_strv_add(&s->renames, e);
	}
	if (err && err != -ECANCELED)
		log_err(err, "rename");
	pat_strv_free(&all);
	if (renamed) /* patterns see the new names */
		pat_links_reset(&s->links);
	return err ? -1 : 0;
}

/* Each target whose interface was renamed now names the new one. */
static int follow_renames(struct sel *s)
{
	for (size_t j = 0; j < s->renames.n; j++) {
		const char *ren = s->renames.v[j];
		size_t l = strcspn(ren, "=");

		for (size_t i = 0; i < s->targets.n; i++) {
			char *t = s->targets.v[i], *n;

			if (strcspn(t, "=") != l || strncmp(t, ren, l) != 0)
				continue;
			/* NEW=LOGICAL: Debian's asprintf() here fails when
			 * it succeeds, and exits */
			if (asprintf(&n, "%s%s", ren + l + 1, t + l) < 0)
				return -ENOMEM;
			free(t);
			s->targets.v[i] = n;
		}
	}
	return 0;
}

/* ifdown -a: the state file, last line first. */
static int state_targets(const struct ifud_opts *o, struct ifp_strv *v)
{
	if (state_read_all(o, v) < 0)
		return -1;
	for (size_t i = 0; i < v->n / 2; i++) {
		char *t = v->v[i];

		v->v[i] = v->v[v->n - 1 - i];
		v->v[v->n - 1 - i] = t;
	}
	return 0;
}

/* The command line, or the class of -a / --list, patterns expanded. */
static int targets(struct ifud_run *r, struct sel *s, char **args, int n)
{
	const struct ifud_opts *o = r->o;
	struct ifp_strv in = { .v = args, .n = (size_t)n };
	const struct ifp_class *c;

	if (o->all || (o->list && n == 0)) {
		c = ifp_class_find(r->cfg, o->allow ? o->allow : "auto");
		if (!c)
			return 0;
		in = c->ifaces;
	}
	return pat_expand(&s->links, &in, &s->targets);
}

/*
 * ifup --allow=CLASS IFACE...: after the names, the class's IFACE.VID
 * entries of each (Debian 0.8.41), each target once; they run by their
 * entry's text (allow_text()).
 */
static int vlan_targets(struct ifud_run *r, struct sel *s, char **args, int n)
{
	struct ifp_strv vlans = { 0 };
	int err;

	s->first_vlan = s->targets.n;
	if (r->o->cmd != IFUD_UP || !r->o->allow || r->o->all || n == 0)
		return 0;
	err = allow_vlans(r, args, n, &vlans);
	if (!err)
		err = pat_expand(&s->links, &vlans, &s->targets);
	pat_strv_free(&vlans);
	return err;
}

static int select_all(struct ifud_run *r, struct sel *s, char **args, int n)
{
	int err;

	if (renames(r, s) < 0)
		return -1;
	if (r->o->cmd == IFUD_DOWN && r->o->all)
		err = state_targets(r->o, &s->targets) < 0 ? 1 : 0;
	else
		err = targets(r, s, args, n);
	if (!err)
		err = follow_renames(s);
	if (!err)
		err = allow_load(r, &s->links);
	if (!err)
		err = vlan_targets(r, s, args, n);
	if (err < 0)
		log_err(err, "listing interfaces");
	return err ? -1 : 0;
}

static bool has_state(const struct ifud_opts *o, const char *iface)
{
	char path[PATH_MAX];
	int n = snprintf(path, sizeof(path), "%s/ifstate.%s", o->state_dir,
			 iface);

	return n > 0 && (size_t)n < sizeof(path) && access(path, R_OK) == 0;
}

/* ifquery --list: the physical name of each target a stanza or mapping
 * knows; Debian's "unknown interface" and status 1 for the others. */
static int list(struct ifud_run *r, const struct ifp_strv *t)
{
	int ret = 0;

	for (size_t i = 0; i < t->n; i++) {
		const char *eq = strchr(t->v[i], '=');
		const char *liface = eq ? eq + 1 : t->v[i];
		char iface[IFUD_NAME_LEN];
		bool found = false;

		snprintf(iface, sizeof(iface), "%.*s",
			 (int)(eq ? (size_t)(eq - t->v[i]) : strlen(t->v[i])),
			 t->v[i]);
		if (ifp_strv_match(&r->o->exclude, iface) ||
		    !allow_has(r, iface))
			continue;
		found = ifp_iface_find(r->cfg, liface) != NULL;
		for (size_t j = 0; j < r->cfg->n_maps && !found; j++)
			found = ifp_strv_match(&r->cfg->maps[j].match, liface);
		if (found) {
			puts(iface);
			continue;
		}
		if (!has_state(r->o, iface)) /* else Debian fails silently */
			log_warn("unknown interface %s", liface);
		ret = 1;
	}
	return ret;
}

static int run_targets(struct ifud_run *r, const struct sel *s)
{
	const struct ifp_strv *t = &s->targets;
	int ret = 0;

	if (r->o->all && meta_hooks(r, true) < 0)
		return 1;
	for (size_t i = 0; i < t->n; i++)
		if (run_interface(r, i < s->first_vlan
					     ? t->v[i]
					     : allow_text(r, t->v[i])) < 0)
			ret = 1;
	if (r->o->all && meta_hooks(r, false) < 0)
		return 1;
	return ret;
}

int run_main(const struct ifud_opts *o, char **ifaces, int n)
{
	struct ifp_config cfg = { 0 };
	struct ifud_run r = { .o = o, .cfg = &cfg };
	struct sel s = {
		.links = { .load = pat_links_load, .read = pat_sysfs_read },
	};
	char err[IFP_ERR_LEN];
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
	if (select_all(&r, &s, ifaces, n) < 0)
		goto out;
	ret = o->list ? list(&r, &s.targets) : run_targets(&r, &s);
out:
	pat_strv_free(&s.targets);
	pat_strv_free(&s.renames);
	pat_links_reset(&s.links);
	allow_free(&r.allow);
	ix_free(&r.kids);
	free(r.kid_next);
	if (r.nl_open)
		nl_close(&r.nl);
	ifp_free(&cfg);
	return ret;
}

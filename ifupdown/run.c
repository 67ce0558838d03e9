/* SPDX-License-Identifier: MIT */
/*
 * One interface of an ifup/ifdown/ifquery run (select.c picks them), in
 * Debian ifupdown 0.8 main.c's order: for a VLAN's ifup its parent first,
 * for a parent's ifdown its VLANs first; lock it, check its state, run
 * the mapping script, write the state first, run every stanza of its
 * logical name (link step, pre-up hooks, method, up hooks), then record
 * success or roll back and clear the state.  Each look-up (the --allow
 * class, the stanzas of a name, a parent's VLANs) is by hash.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "embnet/file.h"
#include "hashix.h"
#include "ifupdown.h"
#include "embnet/log.h"

extern char **environ;

static bool ignored(struct ifud_run *r, const char *iface)
{
	const struct ifud_opts *o = r->o;

	if (!allow_has(r, iface))
		return true;
	if (ifp_strv_match(&o->exclude, iface))
		return true;
	return o->all && o->cmd == IFUD_DOWN &&
	       ifp_strv_match(&r->cfg->no_auto_down, iface);
}

static bool mapped(const struct ifud_run *r, const char *liface)
{
	for (size_t i = 0; i < r->cfg->n_maps; i++)
		if (ifp_strv_match(&r->cfg->maps[i].match, liface))
			return true;
	return false;
}

static bool known(const struct ifud_run *r, const char *iface,
		  const char *liface)
{
	if (ifp_iface_find(r->cfg, liface) || mapped(r, liface))
		return true;
	if (r->o->cmd == IFUD_UP)
		return false;
	return state_exists(r->o, iface);
}

/* The IFUPDOWN_<iface> guard of a hook that runs ifup on its own iface
 * (env_guard_name(): also for names that are not shell names). */
static bool recursion(const struct ifud_run *r, const char *iface,
		      const char *what)
{
	char name[3 * IFUD_NAME_LEN + 16];
	const char *v;

	env_guard_name(iface, name, sizeof(name));
	v = getenv(name);
	if (!v || !state_is_locked(r->o, iface))
		return false;
	log_warn("recursion detected for %sinterface %s in %s phase", what,
		 iface, v);
	return true;
}

static void query_print(const struct ifud_stanza *st)
{
	for (size_t i = 0; i < st->opts.n; i++)
		printf("%s: %s\n", st->opts.v[i].name, st->opts.v[i].value);
}

/* `hwaddress random` (in the stanza or -o) needs 6 random bytes. */
static void random_mac(const struct ifud_run *r, const struct ifp_iface *f,
		       unsigned char rnd[6])
{
	const char *hw = ifp_opt_get(&r->o->extra, "hwaddress");
	FILE *u;

	if (!hw)
		hw = ifp_opt_get(&f->opts, "hwaddress");
	if (!hw || strcmp(hw, "random") != 0 ||
	    !(u = fopen("/dev/urandom", "re")))
		return;
	if (fread(rnd, 1, 6, u) != 6)
		memset(rnd, 0x42, 6);
	fclose(u);
}

static int stanza_prepare(struct ifud_run *r, const struct ifp_iface *f,
			  struct ifud_stanza *st)
{
	unsigned char rnd[6] = { 0 };

	random_mac(r, f, rnd);
	st->m = f->method;
	st->addrfam = f->method->family;
	st->method = f->method->name;
	if (ifp_opts_copy(&st->opts, &f->opts) < 0 ||
	    ifm_compute(st->m, &st->opts, &r->o->extra, rnd) < 0)
		return -ENOMEM;
	return 0;
}

#define STANZA_MISSING 1
#define STANZA_NO_LINK 2 /* the link step failed: Debian ignores the iface */

/* Debian's iface_up(): 0, STANZA_MISSING or a negative errno. */
static int stanza_up(struct ifud_run *r, struct ifud_stanza *st)
{
	int err = env_build(r, st, "start", "pre-up");

	if (err)
		return err;
	if (meth_check(st) < 0)
		return STANZA_MISSING;
	if ((err = hook_options(r, st, IFP_HOOK_PRE_UP)) < 0 ||
	    (err = scripts_run(r, st, "pre-up")) < 0)
		return err;
	if ((err = env_build(r, st, "start", "post-up")) < 0)
		return err;
	err = meth_up(r, st);
	if (hook_failed(r, err))
		return err;
	if ((err = hook_options(r, st, IFP_HOOK_UP)) < 0)
		return err;
	return scripts_run(r, st, "up");
}

/* Debian's iface_down(): hooks before the method, post-down ones after. */
static int stanza_down(struct ifud_run *r, struct ifud_stanza *st)
{
	int err;

	state_kill_ifup(r->o, st->iface);
	if ((err = env_build(r, st, "stop", "pre-down")) < 0)
		return err;
	if (meth_check_down(st) < 0)
		return STANZA_MISSING;
	if ((err = scripts_run(r, st, "down")) < 0 ||
	    (err = hook_options(r, st, IFP_HOOK_DOWN)) < 0)
		return err;
	err = meth_down(r, st);
	if (hook_failed(r, err))
		return err;
	if ((err = env_build(r, st, "stop", "post-down")) < 0 ||
	    (err = scripts_run(r, st, "post-down")) < 0)
		return err;
	return hook_options(r, st, IFP_HOOK_POST_DOWN);
}

static int stanza_run(struct ifud_run *r, const struct ifp_iface *f,
		      const char *iface, const char *liface, bool first)
{
	struct ifud_stanza st = { .iface = iface,
				  .logical = liface,
				  .pid_wanted = true };
	const char *desc = ifp_opt_get(&f->opts, "description");
	int err = stanza_prepare(r, f, &st);

	if (!err && r->o->cmd == IFUD_QUERY) {
		query_print(&st);
		goto out;
	}
	if (!err && first && r->o->cmd == IFUD_UP &&
	    link_up(r, iface, desc) < 0)
		err = STANZA_NO_LINK;
	if (err)
		goto out;
	if (r->o->verbose)
		log_warn("%s interface %s=%s (%s)", "configuring", iface,
			 liface, st.addrfam);
	err = r->o->cmd == IFUD_UP ? stanza_up(r, &st) : stanza_down(r, &st);
	if (st.pid_made)
		state_pidfile(r->o, iface, false);
	if (err == STANZA_MISSING)
		log_warn(
			"missing required configuration variables for interface %s/%s",
			liface, st.addrfam);
out:
	ifp_opts_free(&st.opts);
	spawn_env_free(&st.env);
	return err;
}

/* All stanzas of @liface in file order; *@okay if there was one. */
static int stanzas(struct ifud_run *r, const char *iface, const char *liface,
		   bool *okay)
{
	int err = 0;

	*okay = false;
	for (const struct ifp_iface *f = ifp_iface_find(r->cfg, liface);
	     f && !err; f = ifp_iface_next(r->cfg, f)) {
		err = stanza_run(r, f, iface, liface, !*okay);
		if (err == STANZA_NO_LINK) /* as Debian: "ignoring unknown" */
			return 0;
		*okay = true;
	}
	if (*okay && r->o->cmd == IFUD_DOWN)
		link_down(r, iface);
	return err;
}

/* The state checks of do_interface(): 1 when the command is a no-op
 * (said unless -a or @quiet). */
static int state_noop(struct ifud_run *r, const char *iface, char *liface,
		      const char *state, bool *maps, bool quiet)
{
	const struct ifud_opts *o = r->o;

	if (o->force)
		return 0;
	if (o->cmd == IFUD_UP && state[0]) {
		if (!o->all && !quiet)
			log_warn("interface %s already configured", iface);
		return 1;
	}
	if (o->cmd == IFUD_DOWN && !state[0]) {
		if (!o->all && !quiet)
			log_warn("interface %s not configured", iface);
		return 1;
	}
	if (state[0] && o->cmd != IFUD_UP) {
		snprintf(liface, IFUD_NAME_LEN, "%s", state);
		if (o->cmd == IFUD_QUERY)
			*maps = false;
	}
	return 0;
}

/*
 * After the stanzas: record the state, or roll back.  0 or -1.  @same:
 * the state written before the stanzas is what success records (only
 * holders of the interface's lock write its line): nothing to write.
 */
static int finish(struct ifud_run *r, const char *iface, const char *liface,
		  bool okay, int err, int fd, bool same)
{
	const struct ifud_opts *o = r->o;

	if (o->cmd == IFUD_QUERY) {
		if (okay)
			return 0;
		log_warn("unknown interface %s", iface);
		return -1;
	}
	if (!okay && !o->force) {
		log_warn("ignoring unknown interface %s=%s", iface, liface);
		if (!same || o->cmd == IFUD_UP)
			state_set(o, iface, NULL, fd);
		return 0;
	}
	if (o->cmd == IFUD_UP && err) {
		journal_undo(r);
		log_warn("failed to bring up %s", liface);
		state_set(o, iface, NULL, fd);
		return -1;
	}
	if (!same)
		state_set(o, iface, o->cmd == IFUD_UP ? liface : NULL, fd);
	return 0;
}

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

/* Runs the first mapping matching @liface; the first line of its output
 * is the new logical name.  0, or -1 after a warning. */
static int run_mapping(struct ifud_run *r, const char *iface, char *liface,
		       size_t len)
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

/*
 * run_mapping() with SIGPIPE ignored: a script that exits without
 * reading its input (or closes it early) makes the write fail with
 * EPIPE instead of killing ifup.  Children get SIGPIPE back (spawn.c).
 */
static int mapping(struct ifud_run *r, const char *iface, char *liface,
		   size_t len)
{
	struct sigaction ign = { .sa_handler = SIG_IGN }, old;
	int ret;

	sigemptyset(&ign.sa_mask);
	sigaction(SIGPIPE, &ign, &old);
	ret = run_mapping(r, iface, liface, len);
	sigaction(SIGPIPE, &old, NULL);
	return ret;
}

/*
 * True for a VLAN run by its parent's hook in the phase that acts on its
 * VLANs: ifup in the parent's post-up (`up ifup raw.10` in raw's stanza),
 * ifdown in its pre-down.  Debian 0.8.41 then leaves the parent alone:
 * no parent step, no lock (which the parent's run holds).
 */
static bool in_parent_hook(const struct ifud_run *r, const char *iface)
{
	char parent[IFUD_NAME_LEN], name[3 * IFUD_NAME_LEN + 16];
	const char *dot = strchr(iface, '.'), *v;

	if (!dot || r->o->cmd == IFUD_QUERY)
		return false;
	snprintf(parent, sizeof(parent), "%.*s", (int)(dot - iface), iface);
	env_guard_name(parent, name, sizeof(name));
	v = getenv(name);
	return v &&
	       strcmp(v, r->o->cmd == IFUD_UP ? "post-up" : "pre-down") == 0;
}

static int lock_parent(struct ifud_run *r, const char *iface, int *pfd)
{
	char parent[IFUD_NAME_LEN], st[IFUD_NAME_LEN];
	const char *dot = strchr(iface, '.');

	*pfd = -1;
	if (!dot || in_parent_hook(r, iface))
		return 0;
	snprintf(parent, sizeof(parent), "%.*s", (int)(dot - iface), iface);
	if (recursion(r, parent, "parent "))
		return -1;
	return state_lock_iface(r->o, parent, pfd, st, sizeof(st)) < 0 ? -1 : 0;
}

static int run_one(struct ifud_run *r, const char *target, bool quiet);

/*
 * ifup of a VLAN (PARENT.VID) brings PARENT up first when it is not
 * ignored, a stanza or mapping knows it and it is not up (or being
 * brought up: `up ifup raw.10` in raw's stanza), as Debian 0.8.41 does.
 * 0, or -1 after a message.
 */
static int parent_up(struct ifud_run *r, const char *iface)
{
	char parent[IFUD_NAME_LEN];
	const char *dot = strchr(iface, '.');

	if (!dot || r->o->cmd != IFUD_UP || in_parent_hook(r, iface))
		return 0;
	snprintf(parent, sizeof(parent), "%.*s", (int)(dot - iface), iface);
	if (ignored(r, parent) || !known(r, parent, parent) ||
	    state_configured(r->o, parent) || run_one(r, parent, true) == 0)
		return 0;
	log_warn("could not bring up parent interface %s", parent);
	return -1;
}

/*
 * The stanzas named PARENT.* of each PARENT, in file order: built on
 * first use, so that ifdown walks a parent's VLANs without a scan of all
 * stanzas.  0 or -ENOMEM.
 */
static int kids_index(struct ifud_run *r)
{
	const struct ifp_config *cfg = r->cfg;
	size_t *tail;
	int err = 0;

	if (r->kid_next || cfg->n_ifaces == 0)
		return 0;
	r->kid_next = calloc(cfg->n_ifaces, sizeof(*r->kid_next));
	tail = calloc(cfg->n_ifaces, sizeof(*tail));
	for (size_t i = 0; r->kid_next && tail && !err && i < cfg->n_ifaces;
	     i++) {
		const char *name = cfg->ifaces[i].name,
			   *dot = strchr(name, '.');
		struct ix_key k = { 'p', "", NULL };
		struct ix_slot *s;
		size_t cost = 0;
		char *p;

		if (!dot || !(p = strndup(name, (size_t)(dot - name)))) {
			err = dot ? -ENOMEM : 0;
			continue;
		}
		k.b = p;
		err = ix_get(&r->kids, &k, true, &s, &cost);
		free(p);
		if (err == 0) { /* the first: its index + 1, 0 is none */
			s->val = i + 1;
			tail[i] = i;
		} else if (err == 1) {
			r->kid_next[tail[s->val - 1]] = i + 1;
			tail[s->val - 1] = i;
			err = 0;
		}
	}
	if (!r->kid_next || !tail || err) {
		free(r->kid_next);
		r->kid_next = NULL;
		ix_free(&r->kids);
		err = -ENOMEM;
	}
	free(tail);
	return err;
}

/* ifdown of PARENT first takes its VLANs that are up down (the stanzas
 * PARENT.*, quietly if not up), as Debian 0.8.41 does.  0, or -1 when
 * out of memory. */
static int kids_down(struct ifud_run *r, const char *iface)
{
	struct ix_key k = { 'p', "", iface };
	struct ix_slot *s;
	size_t cost = 0, i;

	if (r->o->cmd != IFUD_DOWN || strchr(iface, '.'))
		return 0;
	if (kids_index(r) < 0) {
		log_err(-ENOMEM, "%s", iface);
		return -1;
	}
	if (ix_get(&r->kids, &k, false, &s, &cost) != 1)
		return 0;
	for (i = s->val; i; i = r->kid_next[i - 1]) {
		char kid[IFUD_NAME_LEN];

		/* a copy: the run may add keys to the index */
		snprintf(kid, sizeof(kid), "%s", r->cfg->ifaces[i - 1].name);
		run_one(r, kid, true);
	}
	return 0;
}

int run_interface(struct ifud_run *r, const char *target)
{
	return run_one(r, target, false);
}

static int run_one(struct ifud_run *r, const char *target, bool quiet)
{
	char iface[IFUD_NAME_LEN], liface[IFUD_NAME_LEN], state[IFUD_NAME_LEN];
	bool maps = !r->o->no_mappings, okay = false, same = false;
	int fd = -1, pfd = -1, ret = -1, err;
	const char *eq = strchr(target, '=');

	snprintf(iface, sizeof(iface), "%.*s",
		 (int)(eq ? (size_t)(eq - target) : strlen(target)), target);
	snprintf(liface, sizeof(liface), "%s", eq ? eq + 1 : target);
	if (ignored(r, iface))
		return 0;
	if (!known(r, iface, liface)) {
		log_warn("unknown interface %s", liface);
		return -1;
	}
	if (parent_up(r, iface) < 0 || kids_down(r, iface) < 0)
		return -1;
	/* the parent first, as Debian: wan.2 in its own hook is reported
	 * as a recursion of wan, the name its parent-lock guard gives */
	if (lock_parent(r, iface, &pfd) < 0)
		return -1;
	if (recursion(r, iface, "")) {
		file_unlock(pfd);
		return -1;
	}
	if (state_lock_iface(r->o, iface, &fd, state, sizeof(state)) < 0)
		goto out;
	if ((ret = state_noop(r, iface, liface, state, &maps, quiet)) != 0) {
		ret = 0;
		goto out;
	}
	ret = -1;
	if (((r->o->cmd == IFUD_UP && maps) || r->o->cmd == IFUD_QUERY) &&
	    mapped(r, liface) && maps &&
	    mapping(r, iface, liface, sizeof(liface)) < 0)
		goto out;
	if (r->o->cmd != IFUD_QUERY) {
		err = state_set(r->o, iface,
				r->o->cmd == IFUD_UP ? liface : NULL, fd);
		if (err == -EPERM) /* a refused state file: nothing is done */
			goto out;
		same = err == 0;
	}
	r->n_journal = 0;
	err = stanzas(r, iface, liface, &okay);
	if (r->o->cmd == IFUD_QUERY && !okay && mapped(r, liface) && !maps)
		okay = true;
	ret = finish(r, iface, liface, okay, err, fd, same);
out:
	file_unlock(fd);
	file_unlock(pfd);
	return ret;
}

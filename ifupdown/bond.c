// SPDX-License-Identifier: MIT
/*
 * ifenslave 2.13's ifupdown hooks (/etc/network/if-pre-up.d/ifenslave and
 * if-post-down.d/ifenslave) over netlink: the same steps in the same
 * order, each `ip` call and each write under /sys/class/net/BOND/bonding/
 * replaced by the request it makes, with the kernel's own parsing of the
 * sysfs text (lib/bond.c), so the kernel ends in the same state.
 *
 * Where the script goes on after a failed write and leaves a half-made
 * bond behind (ifup then succeeds), ours stops: a bad option value is one
 * line before anything is made, and a value the kernel refuses fails the
 * hook, so ifup rolls the bond back.  A slave that cannot be enslaved is
 * only reported, as the script does: it may come later (hotplug).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <sys/socket.h>

#include <linux/if_link.h>

#include "embnet/bond.h"
#include "embnet/link.h"
#include "embnet/log.h"
#include "bond.h"
#include "meth.h"

#define BD_WORDS 64	 /* words of one option we look at */
#define BD_OPT_LEN 4096	 /* bytes of one option value */
#define BD_MAX_SLAVES 64 /* slaves of one bond we release */

struct bd {
	struct ifud_run *r;
	struct ifud_stanza *st;
	struct nl_sock *ns;
	const char *name; /* the bond: IFACE, or a slave's bond-master */
	int index;
};

/* The sysfs files setup_master() writes, in its order (arp_ip_target
 * comes first, on its own); @down: the master must be down to change it
 * (sysfs_change_down). */
static const struct bond_opt {
	const char *env, *opt, *file;
	uint16_t attr;
	bool down;
} opts[] = {
	{ "IF_BOND_ARP_INTERVAL", "bond-arp-interval", "arp_interval",
	  IFLA_BOND_ARP_INTERVAL, false },
	{ "IF_BOND_MIIMON", "bond-miimon", "miimon", IFLA_BOND_MIIMON, false },
	{ "IF_BOND_DOWNDELAY", "bond-downdelay", "downdelay",
	  IFLA_BOND_DOWNDELAY, false },
	{ "IF_BOND_UPDELAY", "bond-updelay", "updelay", IFLA_BOND_UPDELAY,
	  false },
	{ "IF_BOND_MODE", "bond-mode", "mode", IFLA_BOND_MODE, true },
	{ "IF_BOND_XMIT_HASH_POLICY", "bond-xmit-hash-policy",
	  "xmit_hash_policy", IFLA_BOND_XMIT_HASH_POLICY, true },
	{ "IF_BOND_LACP_RATE", "bond-lacp-rate", "lacp_rate",
	  IFLA_BOND_AD_LACP_RATE, true },
};
#define N_OPTS (sizeof(opts) / sizeof(opts[0]))

/* IF_BOND_SLAVES, or the deprecated IF_SLAVES. */
static const char *slaves_opt(const struct ifud_stanza *st)
{
	const char *s = env_opt_value(st, "IF_BOND_SLAVES");

	return s ? s : env_opt_value(st, "IF_SLAVES");
}

/* Every value a master's hook writes, checked before anything is made. */
static int check(const struct bd *b)
{
	char buf[BD_OPT_LEN], *w[BD_WORDS + 1];
	struct in_addr a;
	uint32_t v;
	size_t n;

	for (size_t i = 0; i < N_OPTS; i++) {
		const char *val = env_opt_value(b->st, opts[i].env);

		if (val && nl_bond_value_parse(opts[i].attr, val, &v) < 0) {
			log_warn("%s: %s: invalid value \"%s\"", b->name,
				 opts[i].opt, val);
			return -EINVAL;
		}
	}
	n = env_words(env_opt_value(b->st, "IF_BOND_ARP_IP_TARGET"), buf,
		      sizeof(buf), w, BD_WORDS + 1);
	if (n > NL_BOND_MAX_TARGETS) {
		log_warn("%s: bond-arp-ip-target: more than %d addresses",
			 b->name, NL_BOND_MAX_TARGETS);
		return -EINVAL;
	}
	for (size_t i = 0; i < n; i++)
		if (inet_pton(AF_INET, w[i], &a) != 1) {
			log_warn(
				"%s: bond-arp-ip-target: \"%s\" is not an IPv4 address",
				b->name, w[i]);
			return -EINVAL;
		}
	return 0;
}

static int refused(struct bd *b, int err, const char *what, const char *val)
{
	log_err(err, "%s: %s %s%s%s", b->name, what, val,
		nl_ext_msg(b->ns)[0] ? ": " : "", nl_ext_msg(b->ns));
	return err;
}

/* sysfs_add arp_ip_target: the targets not there yet, in order. */
static int set_targets(struct bd *b, const struct nl_bond_link *cur)
{
	char buf[BD_OPT_LEN], *w[NL_BOND_MAX_TARGETS];
	const char *val = env_opt_value(b->st, "IF_BOND_ARP_IP_TARGET");
	size_t n = env_words(val, buf, sizeof(buf), w, NL_BOND_MAX_TARGETS);
	uint32_t t[NL_BOND_MAX_TARGETS];
	size_t k = cur->n_targets, i, j;
	bool added = false;
	int err;

	memcpy(t, cur->targets, k * sizeof(t[0]));
	for (i = 0; i < n; i++) {
		struct in_addr a;

		inet_pton(AF_INET, w[i], &a);
		for (j = 0; j < k && t[j] != a.s_addr; j++)
			;
		if (j < k)
			continue;
		if (k == NL_BOND_MAX_TARGETS)
			return refused(b, -ENOSPC, "bond-arp-ip-target", w[i]);
		hook_show(b->r, "echo +%s > /sys/class/net/%s/bonding/%s", w[i],
			  b->name, "arp_ip_target");
		t[k++] = a.s_addr;
		added = true;
	}
	if (!added)
		return 0;
	err = nl_bond_set_targets(b->ns, b->index, t, k);
	return err ? refused(b, err, "bond-arp-ip-target", val) : 0;
}

static uint32_t current(const struct nl_bond_link *l, uint16_t attr)
{
	switch (attr) {
	case IFLA_BOND_MODE:
		return l->mode;
	case IFLA_BOND_XMIT_HASH_POLICY:
		return l->xmit_hash_policy;
	default:
		return l->lacp_rate;
	}
}

/* One sysfs write of setup_master(); sysfs_change_down first takes the
 * master down when the value changes. */
static int set_opt(struct bd *b, const struct bond_opt *o)
{
	const char *val = env_opt_value(b->st, o->env);
	struct nl_bond_link l;
	uint32_t v;
	int err;

	if (!val)
		return 0;
	nl_bond_value_parse(o->attr, val, &v);
	if (o->down && nl_bond_get(b->ns, b->name, &l) == 0 &&
	    current(&l, o->attr) != v && (l.flags & IFF_UP)) {
		hook_show(b->r, "ip link set dev %s down", b->name);
		nl_link_set_up(b->ns, b->index, false);
	}
	hook_show(b->r, "echo %s > /sys/class/net/%s/bonding/%s", val, b->name,
		  o->file);
	err = nl_bond_set(b->ns, b->index, o->attr, v);
	return err ? refused(b, err, o->opt, val) : 0;
}

/* add_master(): a bond made here is deleted if ifup fails. */
static int add_master(struct bd *b, struct nl_bond_link *l)
{
	int err;

	if (nl_bond_get(b->ns, b->name, l) == 0 && l->is_bond) {
		b->index = l->index;
		return 0;
	}
	if (meth_journal_room(b->r, b->name, "ip link add type bond") < 0)
		return -ENOSPC;
	hook_show(b->r, "ip link add dev %s type bond", b->name);
	err = nl_bond_add(b->ns, b->name);
	if (!err)
		err = nl_bond_get(b->ns, b->name, l);
	if (err)
		return refused(b, err, "ip link add type", "bond");
	b->index = l->index;
	journal_add(b->r, JR_VLAN, b->index, NULL, 0);
	return 0;
}

/* `ifquery --state NAME`: NAME is configured (ifstate holds NAME=...);
 * its logical name into @logical. */
static bool configured(const struct ifud_run *r, const char *name,
		       char *logical, size_t len)
{
	struct ifp_strv lines = { 0 };
	size_t n = strlen(name);
	bool found = false;

	if (state_read_all(r->o, &lines) < 0)
		return false;
	for (size_t i = 0; i < lines.n && !found; i++)
		if (strncmp(lines.v[i], name, n) == 0 && lines.v[i][n] == '=') {
			snprintf(logical, len, "%s", lines.v[i] + n + 1);
			found = true;
		}
	ifp_strv_free(&lines);
	return found;
}

/* IFUPDOWN_<name> is set: an ifup or ifdown of NAME is under way. */
static bool in_progress(const char *name)
{
	char var[3 * IFUD_NAME_LEN + 16];

	env_guard_name(name, var, sizeof(var));
	return getenv(var) != NULL;
}

/* The first executable @prog on the hook environment's PATH, into @buf
 * (the shell of a Debian hook finds `ifup` so; busybox's shell would run
 * its own applet of that name). */
static bool find_prog(const struct bd *b, const char *prog, char *buf,
		      size_t len)
{
	const char *const *v = spawn_env_vars(&b->st->env);
	const char *path = "";

	for (; *v; v++)
		if (strncmp(*v, "PATH=", 5) == 0)
			path = *v + 5;
	while (*path) {
		size_t n = strcspn(path, ":");

		snprintf(buf, len, "%.*s/%s", (int)n, path, prog);
		if (n && access(buf, X_OK) == 0)
			return true;
		path += n + (path[n] == ':');
	}
	return false;
}

/* `ifup|ifdown [-v] [--allow CLASS] IFACE`, as the hook runs them; its
 * exit status is not looked at, as in the script. */
static void run_ifupdown(struct bd *b, const char *prog, const char *cls,
			 const char *iface)
{
	const char *argv[6];
	char path[4096];
	int n = 0, status;

	argv[n++] = path;
	if (b->r->o->verbose)
		argv[n++] = "-v";
	if (cls) {
		argv[n++] = "--allow";
		argv[n++] = cls;
	}
	argv[n++] = iface;
	argv[n] = NULL;
	hook_show(b->r, "%s%s%s%s %s", prog, b->r->o->verbose ? " -v" : "",
		  cls ? " --allow " : "", cls ? cls : "", iface);
	if (!find_prog(b, prog, path, sizeof(path))) {
		log_warn("%s: not found", prog);
		return;
	}
	fflush(NULL);
	if (spawn_run(argv, spawn_env_vars(&b->st->env), &status) < 0)
		log_warn("executing '%s' failed", path);
}

/* The slave is up, or being configured, with bonding options: skip it. */
static bool skip_slave(const struct bd *b, const char *slave)
{
	char logical[IFUD_NAME_LEN];
	const struct ifp_iface *f;

	if (in_progress(slave))
		return true;
	if (!configured(b->r, slave, logical, sizeof(logical)))
		return false;
	f = ifp_iface_find(b->r->cfg, logical);
	return f && ifp_opt_get(&f->opts, "bond-master");
}

/* `ip link set SLAVE down; echo +SLAVE > .../slaves` unless already one:
 * false when it could not be enslaved. */
static bool enslave(struct bd *b, const char *slave)
{
	struct nl_bond_link l;

	if (nl_bond_get(b->ns, slave, &l) < 0)
		return false;
	if (l.is_slave && l.master == b->index)
		return true;
	hook_show(b->r, "ip link set %s down", slave);
	nl_link_set_up(b->ns, l.index, false);
	hook_show(b->r, "echo +%s > /sys/class/net/%s/bonding/slaves", slave,
		  b->name);
	return nl_bond_enslave(b->ns, l.index, b->index) == 0;
}

/* bond-slaves all: /proc/net/dev names the hook's sed finds "eth" in. */
static size_t all_eth(char *buf, size_t len, char **w, size_t max)
{
	FILE *f = fopen("/proc/net/dev", "re");
	char line[512];
	size_t n = 0, used = 0;

	while (f && n < max && fgets(line, sizeof(line), f)) {
		char *p = line + strspn(line, " "), *c = strchr(p, ':');
		int k = c ? (int)(c - p) : 0;

		if (!c || !memmem(p, (size_t)k, "eth", 3) ||
		    used + (size_t)k + 1 > len)
			continue;
		w[n++] = buf + used;
		used += (size_t)snprintf(buf + used, len - used, "%.*s", k, p) +
			1;
	}
	if (f)
		fclose(f);
	return n;
}

static void enslave_slaves(struct bd *b)
{
	char buf[BD_OPT_LEN], *w[BD_WORDS];
	const char *spec = slaves_opt(b->st);
	const struct ifp_class *c = ifp_class_find(b->r->cfg, b->name);
	size_t n;

	if (!spec || strcmp(spec, "none") == 0)
		return;
	if (strcmp(spec, "all") == 0)
		n = all_eth(buf, sizeof(buf), w, BD_WORDS);
	else
		n = env_words(spec, buf, sizeof(buf), w, BD_WORDS);
	for (size_t i = 0; i < n; i++) {
		if (skip_slave(b, w[i]))
			continue;
		if (!enslave(b, w[i])) {
			fprintf(stderr,
				"Failed to enslave %s to %s. Is %s ready and a bonding interface ?\n",
				w[i], b->name, b->name);
			continue;
		}
		/* `ifup --allow BOND SLAVE`: a no-op unless allow-BOND has it
		 */
		if (c && ifp_strv_match(&c->ifaces, w[i]))
			run_ifupdown(b, "ifup", b->name, w[i]);
	}
}

/* setup_primary(): the first of bond-primary that is a slave of it. */
static int setup_primary(struct bd *b)
{
	char buf[BD_OPT_LEN], *w[BD_WORDS];
	size_t n = env_words(env_opt_value(b->st, "IF_BOND_PRIMARY"), buf,
			     sizeof(buf), w, BD_WORDS);
	struct nl_bond_link l;
	int err;

	for (size_t i = 0; i < n; i++) {
		if (nl_bond_get(b->ns, w[i], &l) < 0 || !l.is_slave ||
		    l.master != b->index)
			continue;
		hook_show(b->r, "echo %s > /sys/class/net/%s/bonding/primary",
			  w[i], b->name);
		err = nl_bond_set(b->ns, b->index, IFLA_BOND_PRIMARY,
				  (uint32_t)l.index);
		return err ? refused(b, err, "bond-primary", w[i]) : 0;
	}
	return 0;
}

static int master_up(struct bd *b)
{
	struct nl_bond_link l;
	int err;

	if (check(b) < 0)
		return 1;
	if ((err = add_master(b, &l)) < 0 || (err = set_targets(b, &l)) < 0)
		return 1;
	for (size_t i = 0; i < N_OPTS; i++)
		if (set_opt(b, &opts[i]) < 0)
			return 1;
	enslave_slaves(b);
	return setup_primary(b) < 0 ? 1 : 0;
}

/* setup_slave_device(): the master's stanza must exist; it is brought up
 * unless it is up or on its way, then this link is enslaved to it. */
static int slave_up(struct bd *b)
{
	char logical[IFUD_NAME_LEN];
	struct nl_bond_link l;

	if (!ifp_iface_find(b->r->cfg, b->name)) {
		fprintf(stderr, "No iface stanza found for master %s\n",
			b->name);
		return 1;
	}
	if (!in_progress(b->name) &&
	    !configured(b->r, b->name, logical, sizeof(logical)))
		run_ifupdown(b, "ifup", NULL, b->name);
	if (nl_bond_get(b->ns, b->name, &l) == 0 && l.is_bond)
		b->index = l.index;
	if (b->index <= 0 || !enslave(b, b->st->iface)) {
		fprintf(stderr, "Failed to enslave %s to %s.\n", b->st->iface,
			b->name);
		return 0;
	}
	return setup_primary(b) < 0 ? 1 : 0;
}

/* if-post-down.d: a slave leaves its bond; a bond lets its slaves go (an
 * ifdown of each that is configured) and is deleted. */
static int post_down(struct bd *b)
{
	static struct nl_bond_link s[BD_MAX_SLAVES];
	char logical[IFUD_NAME_LEN];
	struct nl_bond_link l, m;
	size_t n = 0;
	int err;

	if (nl_bond_get(b->ns, b->st->iface, &l) < 0)
		return 0;
	if (l.is_slave && l.master > 0) {
		hook_show(b->r, "echo -%s > .../bonding/slaves", l.name);
		nl_bond_enslave(b->ns, l.index, 0);
		b->index = l.master;
		setup_primary(b);
	}
	if (!l.is_bond)
		return 0;
	b->index = l.index;
	if (l.n_targets) {
		hook_show(b->r, "echo -TARGET > /sys/class/net/%s/bonding/%s",
			  b->name, "arp_ip_target");
		nl_bond_set_targets(b->ns, b->index, NULL, 0);
	}
	nl_bond_slaves(b->ns, b->index, s, BD_MAX_SLAVES, &n);
	for (size_t i = 0; i < n; i++) {
		if (configured(b->r, s[i].name, logical, sizeof(logical)))
			run_ifupdown(b, "ifdown", NULL, s[i].name);
		if (nl_bond_get(b->ns, s[i].name, &m) == 0 && m.is_slave &&
		    m.master == b->index)
			nl_bond_enslave(b->ns, m.index, 0);
	}
	hook_show(b->r, "ip link del dev %s", b->name);
	err = nl_link_del(b->ns, b->index);
	if (err)
		log_err(err, "%s: ip link del", b->name);
	return err ? 1 : 0;
}

int bond_hook(struct ifud_run *r, struct ifud_stanza *st, const char *dir)
{
	struct bd b = { .r = r, .st = st, .name = st->iface };
	const char *master = env_opt_value(st, "IF_BOND_MASTER");
	bool pre = strcmp(dir, "pre-up") == 0;
	int status;

	if (r->o->no_act || strcmp(st->addrfam, "meta") == 0)
		return 0;
	if (!pre && strcmp(dir, "post-down") != 0)
		return 0;
	if (pre && !master && !slaves_opt(st) &&
	    !env_opt_value(st, "IF_BOND_MODE"))
		return 0;
	if (run_nl(r, &b.ns) < 0)
		return hook_failed(r, 1) ? -ECANCELED : 0;
	if (!pre)
		status = post_down(&b);
	else if (master) {
		b.name = master;
		status = slave_up(&b);
	} else
		status = master_up(&b);
	return hook_failed(r, status) ? -ECANCELED : 0;
}

/* SPDX-License-Identifier: MIT */
/* ifup, ifdown, ifquery: what main.c hands to the run, shared by its parts. */
#ifndef IFUPDOWN_IFUPDOWN_H
#define IFUPDOWN_IFUPDOWN_H

#include <stdbool.h>
#include <stddef.h>
#include <net/if.h>

#include "interfaces.h"
#include "embnet/nl.h"
#include "embnet/spawn.h"

#define IFUD_HOOK_DIR "/etc/network"
#define IFUD_STATE_DIR "/run/network"
#define IFUD_NAME_LEN 80 /* Debian's interface name buffers */
/* PATH_MAX (4096) less room for "/ifup-IFACE.pid.XXXXXX" */
#define IFUD_STATE_DIR_MAX 3968
/* changes one interface may make; one more fails before it is made */
#define IFUD_JOURNAL_MAX 128

enum ifud_cmd { IFUD_UP, IFUD_DOWN, IFUD_QUERY };

struct ifud_opts {
	enum ifud_cmd cmd;
	const char *prog; /* "ifup", "ifdown", "ifquery" */
	bool all, no_act, verbose, force, ignore_errors;
	bool no_mappings, no_scripts, no_loopback, list, state;
	const char *allow;
	const char *interfaces;
	const char *state_dir;
	struct ifp_strv exclude;
	struct ifp_opts extra; /* -o OPTION=VALUE */
};

/* What was applied, undone in reverse when ifup fails. */
enum jr_kind { JR_ADDR, JR_ROUTE, JR_LINK_UP, JR_VLAN };

struct jr_entry {
	enum jr_kind kind;
	int index;
	int family;
	unsigned char data[192]; /* struct nl_addr / nl_route copy */
};

struct ifp_index;

/*
 * --allow=CLASS as Debian 0.8.41 reads its class: each entry (patterns
 * expanded) IFACE or IFACE=LOGICAL.  Debian's look-up cuts the =LOGICAL
 * off every entry it walks past, in place, and ifup runs a VLAN the class
 * added (allow_vlans()) by its entry's text at that time: @cut counts the
 * entries cut so far.
 */
struct ifud_allow {
	struct ifp_strv names;
	struct ifp_index *ix; /* IFACE: its first entry; entry: its index */
	size_t cut;
	bool known; /* the class exists */
};

struct ifud_run {
	const struct ifud_opts *o;
	struct ifp_config *cfg;
	struct ifud_allow allow;
	struct ifp_index *kids; /* PARENT: its first stanza PARENT.* (run.c) */
	size_t *kid_next;	/* the next stanza of the same PARENT */
	struct nl_sock nl;
	bool nl_open;
	struct jr_entry journal[IFUD_JOURNAL_MAX];
	size_t n_journal;
};

/* One stanza being run: names, computed options, hook environment. */
struct ifud_stanza {
	const char *iface;   /* physical */
	const char *logical; /* logical */
	const char *addrfam, *method;
	const struct ifm_method *m;
	struct ifp_opts opts;
	struct spawn_env env;
	bool pid_wanted; /* Debian's ifup-IFACE.pid while programs run */
	bool pid_made;
	bool link_known;	 /* link_flags read by the method's lookup */
	unsigned int link_flags; /* IFF_* */
};

/* env.c: Debian's set_environ() for @st in @mode ("start"/"stop") and
 * @phase ("pre-up", "post-up", "pre-down", "post-down").  0 or -E2BIG. */
int env_build(const struct ifud_run *r, struct ifud_stanza *st,
	      const char *mode, const char *phase);

/* IF_<NAME> for option @name into @buf: upper case, '-' to '_', other
 * non-alphanumerics dropped (Debian's setlocalenv()). */
void env_opt_name(const char *name, char *buf, size_t len);

/* The value a hook sees as $@env (IF_<NAME>) for @st: its non-hook option
 * of that name, NULL if none or empty.  The native hooks (bond.c,
 * bridge.c, vlan.c) read their options through it. */
const char *env_opt_value(const struct ifud_stanza *st, const char *env);

/* Splits a copy of @s (NULL: "") in @buf (@len bytes) into at most @max
 * words in @w, as the shell does an unquoted $VAR (IFS: space, tab,
 * newline).  Returns their count. */
size_t env_words(const char *s, char *buf, size_t len, char **w, size_t max);

/*
 * The recursion guard's variable for @iface into @buf: IFUPDOWN_<iface>
 * as Debian names it when @iface is a shell name; otherwise every byte
 * but [A-Za-z0-9] as _XX (hex), so that /bin/sh passes it on to a nested
 * ifup (IFUPDOWN_br_2dlan for br-lan).
 */
void env_guard_name(const char *iface, char *buf, size_t len);

/* state.c: Debian's state directory (ifstate, ifstate.IFACE locks). */
int state_lock_iface(const struct ifud_opts *o, const char *iface, int *fd,
		     char *logical, size_t len);
int state_set(const struct ifud_opts *o, const char *iface, const char *logical,
	      int fd);
int state_read_all(const struct ifud_opts *o, struct ifp_strv *lines);
bool state_is_locked(const struct ifud_opts *o, const char *iface);
/* True if ifstate.@iface names a logical interface: @iface is up, or
 * being brought up (read without its lock, which an ifup running our
 * hook holds). */
bool state_configured(const struct ifud_opts *o, const char *iface);
/* True if ifstate.@iface exists as a regular file (ifdown of an iface
 * not in the interfaces file). */
bool state_exists(const struct ifud_opts *o, const char *iface);
void state_pidfile(const struct ifud_opts *o, const char *iface, bool create);
void state_kill_ifup(const struct ifud_opts *o, const char *iface);

/* hooks.c: hook commands, and printing what runs. */
int hook_options(struct ifud_run *r, struct ifud_stanza *st, const char *hook);
bool hook_failed(const struct ifud_run *r, int err);
void hook_show(const struct ifud_run *r, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Before a program runs for @st: its pid file, once (pid_wanted). */
void hook_pidfile(struct ifud_run *r, struct ifud_stanza *st);

/*
 * scripts.c: run-parts of IFUD_HOOK_DIR/if-@dir.d for @st (and the bridge
 * hook among them).  0, or -ECANCELED when one failed and errors are not
 * ignored.
 */
int scripts_run(struct ifud_run *r, struct ifud_stanza *st, const char *dir);

/* inet.c: the methods over netlink (inet6.c's too). */
int meth_check(struct ifud_stanza *st);
/* The check for ifdown: the tunnel methods' down steps need no option. */
int meth_check_down(struct ifud_stanza *st);
int meth_up(struct ifud_run *r, struct ifud_stanza *st);
int meth_down(struct ifud_run *r, struct ifud_stanza *st);

/* iflink.c: the link step, renames, the rollback journal, and the run's
 * netlink socket (opened on first use). */
int link_up(struct ifud_run *r, const char *iface, const char *description);
void link_down(struct ifud_run *r, const char *iface);
/* `ip link set @cur name @newname` (shown with -v and -n, not done with
 * -n).  0, or -1 after a message. */
int link_rename(struct ifud_run *r, const char *cur, const char *newname);
void journal_undo(struct ifud_run *r);
void journal_add(struct ifud_run *r, enum jr_kind kind, int index,
		 const void *data, size_t len);
int run_nl(struct ifud_run *r, struct nl_sock **ns);

/* allow.c: --allow=CLASS.  allow_load() reads the class (patterns
 * expanded by @links): 0 or -errno. */
struct pat_links;
int allow_load(struct ifud_run *r, struct pat_links *links);
/* True without --allow, or if the class holds @iface (an entry before its
 * '='); walks entries as Debian does (struct ifud_allow). */
bool allow_has(struct ifud_run *r, const char *iface);
/* ifup --allow=CLASS IFACE...: appends to @out the class's entries whose
 * text before the first '.' is one of @args, argument by argument, in
 * the class's order (patterns left out).  0 or -ENOMEM. */
int allow_vlans(const struct ifud_run *r, char **args, int n,
		struct ifp_strv *out);
/* The text a VLAN target @t that allow_vlans() added runs as now. */
const char *allow_text(const struct ifud_run *r, const char *t);
void allow_free(struct ifud_allow *a);

/* run.c: one interface ("IFACE" or "IFACE=LOGICAL"): 0 or -1. */
int run_interface(struct ifud_run *r, const char *target);

/* select.c: the whole command line; returns the exit status. */
int run_main(const struct ifud_opts *o, char **ifaces, int n);

#endif

// SPDX-License-Identifier: MIT
/*
 * bridge-utils 1.7.1's ifupdown hook (/lib/bridge-utils/ifupdown.sh, run
 * from if-pre-up.d, if-down.d and if-post-down.d) over netlink: the same
 * steps in the same order, each `brctl`/`ip` call replaced by the request
 * it makes, with brctl's number parsing, so the kernel ends in the same
 * state.  Like the script, only the creation of the bridge (and in
 * post-down, taking it down and deleting it) can fail the hook.
 */
#include <errno.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/socket.h>

#include <linux/if_link.h>

#include "embnet/addr.h"
#include "embnet/bridge.h"
#include "embnet/ip.h"
#include "embnet/link.h"
#include "embnet/log.h"
#include "embnet/parse.h"
#include "bridge.h"

#define BR_WORDS 512	 /* words of one option we look at */
#define BR_OPT_LEN 4096	 /* bytes of one option value */
#define BR_NAMES_MAX 512 /* links listed in /proc/net/dev */

/* BR_STATE_* of <linux/if_bridge.h> as brctl showstp names them */
enum { ST_DISABLED, ST_LISTENING, ST_LEARNING, ST_FORWARDING, ST_BLOCKING };

struct br {
	struct ifud_run *r;
	struct ifud_stanza *st;
	struct nl_sock *ns;
	const char *name;
	int index;
};

static void add_word(const char **v, size_t *n, size_t cap, const char *w)
{
	if (*n < cap)
		v[(*n)++] = w;
}

/* Emits the names of @all that the ERE ^@pat$ matches (egrep "^$1$"). */
static int match_regex(const char *pat, const char *const *all, size_t n_all,
		       void (*cb)(void *, const char *), void *arg)
{
	size_t len = strlen(pat) + 3;
	char *re = malloc(len);
	regex_t rx;

	if (!re)
		return -ENOMEM;
	snprintf(re, len, "^%s$", pat);
	if (regcomp(&rx, re, REG_EXTENDED | REG_NOSUB) == 0) {
		for (size_t i = 0; i < n_all; i++)
			if (regexec(&rx, all[i], 0, NULL, 0) == 0)
				cb(arg, all[i]);
		regfree(&rx);
	}
	free(re);
	return 0;
}

/* `all` stands for these words (bridge-utils.sh, "for compatibility"). */
static const char *const all_words[] = { "regex", "eth.*",    "em.*",
					 "en.*",  "p[0-9].*", "noregex" };
#define N_ALL (sizeof(all_words) / sizeof(all_words[0]))

int bridge_parse_ports(const char *spec, const char *const *all, size_t n_all,
		       void (*cb)(void *arg, const char *port), void *arg)
{
	char *buf = malloc(strlen(spec) + 1), *w[BR_WORDS];
	size_t n =
		buf ? env_words(spec, buf, strlen(spec) + 1, w, BR_WORDS) : 0;
	const char **v = buf ? calloc(n * N_ALL + 1, sizeof(*v)) : NULL;
	size_t m = 0;
	bool regex = false;
	int err = 0;

	for (size_t i = 0; v && i < n; i++) {
		if (strcmp(w[i], "all") != 0) {
			add_word(v, &m, n * N_ALL, w[i]);
			continue;
		}
		for (size_t k = 0; k < N_ALL; k++)
			add_word(v, &m, n * N_ALL, all_words[k]);
	}
	/* The state machine: a keyword is one only where a word starts. */
	for (size_t i = 0; v && i < m && !err;) {
		if (strcmp(v[i], "regex") == 0 || strcmp(v[i], "noregex") == 0)
			regex = v[i++][0] == 'r';
		if (i == m)
			break;
		if (regex)
			err = match_regex(v[i++], all, n_all, cb, arg);
		else
			cb(arg, v[i++]);
	}
	if (!v)
		err = -ENOMEM;
	free(v);
	free(buf);
	return err;
}

/* What the hook reads as the system's interfaces: /proc/net/dev names. */
static size_t proc_names(char (*names)[IFNAMSIZ], size_t max)
{
	FILE *f = fopen("/proc/net/dev", "re");
	char line[512];
	size_t n = 0;

	while (f && n < max && fgets(line, sizeof(line), f)) {
		char *p = line + strspn(line, " "), *c = strchr(p, ':');

		if (!c || c - p >= IFNAMSIZ)
			continue;
		snprintf(names[n++], IFNAMSIZ, "%.*s", (int)(c - p), p);
	}
	if (f)
		fclose(f);
	return n;
}

struct port_list {
	char (*v)[IFNAMSIZ];
	size_t n, max;
};

static void port_cb(void *arg, const char *port)
{
	struct port_list *l = arg;

	if (l->n < l->max)
		snprintf(l->v[l->n++], IFNAMSIZ, "%s", port);
}

/* The ports of the stanza, as the hook's loop sees them. */
static int ports(const struct br *b, struct port_list *out)
{
	static char names[BR_NAMES_MAX][IFNAMSIZ];
	const char *all[BR_NAMES_MAX];
	const char *spec = env_opt_value(b->st, "IF_BRIDGE_PORTS");
	size_t n = proc_names(names, BR_NAMES_MAX);

	out->n = 0;
	if (strcmp(spec, "none") == 0)
		return 0;
	for (size_t i = 0; i < n; i++)
		all[i] = names[i];
	return bridge_parse_ports(spec, all, n, port_cb, out);
}

/* brctl's time argument: sscanf %lf, whole seconds and microseconds,
 * then centiseconds (USER_HZ) by truncation, as its timeval helpers. */
static int brctl_time(const char *s, uint32_t *cs)
{
	char *end;
	double secs = strtod(s, &end);
	long sec, usec;

	if (end == s || s[0] == '-' || !(secs >= 0 && secs < 42949672.0))
		return -EINVAL; /* '-': brctl's getopt refuses it */
	sec = (long)secs;
	usec = (long)(1000000 * (secs - (double)sec));
	*cs = (uint32_t)((1000000ULL * (unsigned long long)sec +
			  (unsigned long long)usec) /
			 10000);
	return 0;
}

/* brctl's integer argument: sscanf %i (a prefix, any base). */
static int brctl_int(const char *s, unsigned long *v)
{
	char *end;
	long x;

	if (s[0] == '-')
		return -EINVAL;
	errno = 0;
	x = strtol(s, &end, 0);
	if (end == s || errno || x < 0 || x > 0x7fffffffL)
		return -EINVAL;
	*v = (unsigned long)x;
	return 0;
}

static bool is_port_of(struct nl_sock *ns, const char *port, int br)
{
	struct nl_bridge_link l;

	return nl_bridge_get(ns, port, &l) == 0 && l.is_port && l.master == br;
}

static bool has_ipv6(const char *dev)
{
	char path[64];

	snprintf(path, sizeof(path), "/proc/sys/net/ipv6/conf/%s", dev);
	return access(path, F_OK) == 0;
}

static void addrgen_none(struct br *b, const char *dev, int idx)
{
	if (!has_ipv6(dev))
		return;
	hook_show(b->r, "ip link set %s addrgenmode none", dev);
	nl_bridge_set_addrgen(b->ns, idx, IN6_ADDR_GEN_MODE_NONE);
}

/* create_vlan_port: PARENT.VID, when only the parent exists. */
static void vlan_port(struct br *b, const char *port)
{
	const char *dot = strrchr(port, '.'), *p;
	char parent[IFNAMSIZ], vid[16] = "";
	int pidx;
	uint32_t id;

	if (!dot || nl_link_index(b->ns, port) > 0)
		return;
	snprintf(parent, sizeof(parent), "%.*s", (int)(dot - port), port);
	if ((pidx = nl_link_index(b->ns, parent)) <= 0)
		return;
	/* the script's sed keeps what follows the last dot, less leading 0s */
	for (p = dot + 1; *p == '0'; p++)
		;
	snprintf(vid, sizeof(vid), "%s", p);
	addrgen_none(b, parent, pidx);
	hook_show(b->r, "ip link set %s up", parent);
	nl_link_set_up(b->ns, pidx, true);
	hook_show(b->r, "ip link add link %s name %s type vlan id %s", parent,
		  port, vid);
	if (parse_u32(vid, &id) == 0 && id < 4096)
		nl_link_add_vlan(b->ns, port, pidx, (uint16_t)id);
}

static void port_add(struct br *b, const char *port)
{
	const char *mtu = env_opt_value(b->st, "IF_MTU");
	uint32_t m;
	int idx, err;

	if (is_port_of(b->ns, port, b->index))
		return;
	vlan_port(b, port);
	if ((idx = nl_link_index(b->ns, port)) <= 0)
		return;
	addrgen_none(b, port, idx);
	if (mtu) {
		hook_show(b->r, "ip link set dev %s mtu %s", port, mtu);
		if (parse_u32(mtu, &m) == 0)
			nl_link_set_mtu(b->ns, idx, m);
	}
	hook_show(b->r, "brctl addif %s %s", b->name, port);
	err = nl_bridge_set_master(b->ns, idx, b->index);
	if (err) {
		log_err(err, "%s: can't add %s to bridge", b->name, port);
		return;
	}
	hook_show(b->r, "ip link set dev %s up", port);
	nl_link_set_up(b->ns, idx, true);
}

static void port_del(struct br *b, const char *port)
{
	int idx;

	if (!is_port_of(b->ns, port, b->index) ||
	    (idx = nl_link_index(b->ns, port)) <= 0)
		return;
	hook_show(b->r, "ip link set dev %s down", port);
	hook_show(b->r, "brctl delif %s %s", b->name, port);
	if (nl_link_set_up(b->ns, idx, false) < 0 ||
	    nl_bridge_set_master(b->ns, idx, 0) < 0)
		return;
	if (strchr(port, '.')) { /* destroy_vlan_port: any name with a dot */
		hook_show(b->r, "ip link delete %s", port);
		nl_link_del(b->ns, idx);
	}
}

/* A bridge option from $IF_@env, as `brctl @cmd BR VALUE` sets it. */
static void set_time(struct br *b, const char *env, const char *cmd,
		     uint16_t attr)
{
	char buf[BR_OPT_LEN], *w[1];
	uint32_t cs;
	int err;

	if (env_words(env_opt_value(b->st, env), buf, sizeof(buf), w, 1) < 1)
		return;
	hook_show(b->r, "brctl %s %s %s", cmd, b->name, w[0]);
	err = brctl_time(w[0], &cs);
	if (!err)
		err = nl_bridge_set(b->ns, b->index, attr, cs);
	if (err)
		log_err(err, "%s: brctl %s %s", b->name, cmd, w[0]);
}

static void set_prio(struct br *b)
{
	char buf[BR_OPT_LEN], *w[1];
	unsigned long v;
	int err;

	if (env_words(env_opt_value(b->st, "IF_BRIDGE_BRIDGEPRIO"), buf,
		      sizeof(buf), w, 1) < 1)
		return;
	hook_show(b->r, "brctl setbridgeprio %s %s", b->name, w[0]);
	err = brctl_int(w[0], &v);
	if (!err) /* the kernel keeps the low 16 bits, as sysfs does */
		err = nl_bridge_set(b->ns, b->index, IFLA_BR_PRIORITY,
				    (uint16_t)v);
	if (err)
		log_err(err, "%s: brctl setbridgeprio %s", b->name, w[0]);
}

/* bridge_pathcost/bridge_portprio: "PORT VALUE"; sysfs takes an unsigned
 * long where netlink has a u16 or u32, so check the range first. */
static void set_port(struct br *b, const char *env, const char *cmd,
		     uint16_t attr, unsigned long min, unsigned long max)
{
	char buf[BR_OPT_LEN], *w[2];
	unsigned long v;
	int idx, err;
	size_t n = env_words(env_opt_value(b->st, env), buf, sizeof(buf), w, 2);

	if (n == 0)
		return;
	if (n < 2) {
		log_warn("%s: brctl %s: incorrect number of arguments", b->name,
			 cmd);
		return;
	}
	hook_show(b->r, "brctl %s %s %s %s", cmd, b->name, w[0], w[1]);
	err = brctl_int(w[1], &v);
	if (!err && (v < min || v > max))
		err = -ERANGE;
	if (!err && (idx = nl_link_index(b->ns, w[0])) < 0)
		err = idx;
	if (!err)
		err = nl_bridge_port_set(b->ns, idx, attr, (uint32_t)v);
	if (err)
		log_err(err, "%s: brctl %s %s %s", b->name, cmd, w[0], w[1]);
}

static void set_stp(struct br *b)
{
	char buf[BR_OPT_LEN], *w[1];
	uint32_t on;

	if (env_words(env_opt_value(b->st, "IF_BRIDGE_STP"), buf, sizeof(buf),
		      w, 1) < 1)
		return;
	hook_show(b->r, "brctl stp %s %s", b->name, w[0]);
	if (!strcmp(w[0], "on") || !strcmp(w[0], "yes") || !strcmp(w[0], "1"))
		on = 1;
	else if (!strcmp(w[0], "off") || !strcmp(w[0], "no") ||
		 !strcmp(w[0], "0"))
		on = 0;
	else {
		log_warn("%s: bridge_stp: expect on/off, not \"%s\"", b->name,
			 w[0]);
		return;
	}
	if (nl_bridge_set(b->ns, b->index, IFLA_BR_STP_STATE, on) < 0)
		log_warn("%s: brctl stp %s failed", b->name, w[0]);
}

/* The hook's readiness test over the ports' states (brctl showstp). */
static bool ready(struct br *b, bool *moved)
{
	static struct nl_bridge_link p[NL_BRIDGE_MAX_PORTS];
	size_t n = 0;
	bool ok = true;

	nl_bridge_ports(b->ns, b->index, p, NL_BRIDGE_MAX_PORTS, &n);
	for (size_t i = 0; i < n; i++) {
		uint8_t s = p[i].port_state;

		if (s >= ST_LISTENING && s <= ST_BLOCKING)
			*moved = true;
		if (s != ST_FORWARDING && s != ST_BLOCKING &&
		    (!*moved || s != ST_DISABLED))
			ok = false;
	}
	return ok;
}

static void nap(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

/* dash's $((V)): a number in any C base, or a name (unset: 0). */
static int shell_num(const char *s, long long *v)
{
	char *end;

	if (s[0] == '_' || (s[0] >= 'A' && s[0] <= 'Z') ||
	    (s[0] >= 'a' && s[0] <= 'z')) {
		*v = 0;
		return 0;
	}
	errno = 0;
	*v = strtoll(s, &end, 0);
	return end == s || *end || errno ? -EINVAL : 0;
}

/* bridge_maxwait, else twice the forward delay plus one second, in tenths
 * of a second, polling the ports' states.  -EINVAL: the script's
 * arithmetic on bridge_maxwait fails (its shell exits 2). */
static int wait_ready(struct br *b)
{
	const char *mw = env_opt_value(b->st, "IF_BRIDGE_MAXWAIT");
	struct nl_bridge_link l;
	char text[32];
	long long max;
	bool moved = false, ok = false;

	if (!mw) {
		if (nl_bridge_get(b->ns, b->name, &l) < 0)
			return 0;
		snprintf(text, sizeof(text), "%u",
			 2 * (l.forward_delay / 100 + 1));
		mw = text;
	}
	if (strcmp(mw, "0") == 0)
		return 0;
	if (shell_num(mw, &max) < 0) {
		log_warn("%s: bridge_maxwait: bad number \"%s\"", b->name, mw);
		return -EINVAL;
	}
	nap(100);
	for (long long count = 0; !ok && count < max * 10;) {
		nap(100);
		count++;
		ok = ready(b, &moved);
		if (!ok && count == 2)
			printf("\nWaiting for %s to get ready (MAXWAIT is %s seconds).\n",
			       b->name, mw);
	}
	fflush(stdout);
	return 0;
}

/* bridge_waitport "SECONDS [PORTS]": until each exists, checked by the
 * second (ports: bridge_ports, taken word by word, when none given). */
static void wait_ports(struct br *b)
{
	char buf[BR_OPT_LEN], pbuf[BR_OPT_LEN], *w[BR_WORDS], *p[BR_WORDS];
	char list[BR_OPT_LEN] = "", *end;
	size_t n = env_words(env_opt_value(b->st, "IF_BRIDGE_WAITPORT"), buf,
			     sizeof(buf), w, BR_WORDS);
	size_t np = n > 1 ? n - 1 : 0;
	long wait = n ? strtol(w[0], &end, 10) : 0;
	bool missing = true;
	time_t start = time(NULL);

	if (n == 0)
		return;
	for (size_t i = 1; i < n; i++)
		snprintf(list + strlen(list), sizeof(list) - strlen(list),
			 "%s%s", i > 1 ? " " : "", w[i]);
	if (np == 0) {
		snprintf(list, sizeof(list), "%s",
			 env_opt_value(b->st, "IF_BRIDGE_PORTS"));
		np = env_words(list, pbuf, sizeof(pbuf), p, BR_WORDS);
	} else {
		memcpy(p, w + 1, np * sizeof(*p));
	}
	printf("\nWaiting for a max of %s seconds for %s to become available.\n",
	       w[0], list);
	fflush(stdout);
	if (end == w[0] || *end) /* test(1) fails on the number */
		return;
	while (time(NULL) - start <= wait && missing) {
		missing = false;
		for (size_t i = 0; i < np; i++)
			if (nl_link_index(b->ns, p[i]) <= 0)
				missing = true;
		if (missing)
			nap(1000);
	}
}

/* bridge_hw: an address, or a link whose ether address is taken ("" if
 * it does not exist); -1 when there is none to set. */
static int hw_addr(struct br *b, uint8_t mac[NL_LINK_ADDR_MAX])
{
	const char *hw = env_opt_value(b->st, "IF_BRIDGE_HW");
	struct nl_link l;
	regex_t rx;
	bool is_addr = false;

	if (!hw)
		return -1;
	if (regcomp(&rx, "..:..:..:..:..:..", REG_NOSUB) == 0) {
		is_addr = regexec(&rx, hw, 0, NULL, 0) == 0;
		regfree(&rx);
	}
	if (is_addr)
		return parse_hwaddr(hw, mac, NL_LINK_ADDR_MAX);
	if (nl_link_get(b->ns, 0, hw, &l) < 0 || l.type != 1 /* ether */ ||
	    l.addr_len == 0)
		return -1;
	memcpy(mac, l.addr, l.addr_len);
	return l.addr_len;
}

/* addbr, bridge_hw, bridge_vlan_aware, bridge_waitport: a new bridge. */
static int create(struct br *b)
{
	uint8_t mac[NL_LINK_ADDR_MAX];
	const char *va = env_opt_value(b->st, "IF_BRIDGE_VLAN_AWARE");
	int len = hw_addr(b, mac), err;
	bool on = va && strcmp(va, "yes") == 0;

	hook_show(b->r, "brctl addbr %s", b->name);
	err = nl_bridge_add(b->ns, b->name);
	if (!err && (b->index = nl_link_index(b->ns, b->name)) < 0)
		err = b->index;
	if (err) {
		log_err(err, "%s: add bridge failed%s%s", b->name,
			nl_ext_msg(b->ns)[0] ? ": " : "", nl_ext_msg(b->ns));
		return err;
	}
	if (len > 0) {
		hook_show(b->r, "ip link set dev %s address %s", b->name,
			  env_opt_value(b->st, "IF_BRIDGE_HW"));
		nl_link_set_addr(b->ns, b->index, mac, (size_t)len);
	}
	hook_show(b->r, "ip link set dev %s type bridge vlan_filtering %d",
		  b->name, on);
	/* A kernel without CONFIG_BRIDGE_VLAN_FILTERING refuses 0 as well:
	 * the script's `ip` says so each time; off is what it has anyway. */
	err = nl_bridge_set(b->ns, b->index, IFLA_BR_VLAN_FILTERING, on);
	if (err && on)
		log_err(err, "%s: bridge_vlan_aware", b->name);
	wait_ports(b);
	return 0;
}

static int pre_up(struct br *b)
{
	static char names[NL_BRIDGE_MAX_PORTS][IFNAMSIZ];
	struct port_list pl = { names, 0, NL_BRIDGE_MAX_PORTS };
	b->index = nl_link_index(b->ns, b->name);
	if (b->index <= 0 && create(b) < 0)
		return 1;
	if (ports(b, &pl) < 0)
		return 1;
	for (size_t i = 0; i < pl.n; i++)
		port_add(b, names[i]);
	set_time(b, "IF_BRIDGE_AGEING", "setageing", IFLA_BR_AGEING_TIME);
	set_prio(b);
	set_time(b, "IF_BRIDGE_HELLO", "sethello", IFLA_BR_HELLO_TIME);
	set_time(b, "IF_BRIDGE_MAXAGE", "setmaxage", IFLA_BR_MAX_AGE);
	set_port(b, "IF_BRIDGE_PATHCOST", "setpathcost", IFLA_BRPORT_COST, 1,
		 65535);
	set_port(b, "IF_BRIDGE_PORTPRIO", "setportprio", IFLA_BRPORT_PRIORITY,
		 0, 63);
	set_stp(b);
	set_time(b, "IF_BRIDGE_FD", "setfd", IFLA_BR_FORWARD_DELAY);
	hook_show(b->r, "ip link set dev %s up", b->name);
	nl_link_set_up(b->ns, b->index, true);
	return wait_ready(b) < 0 ? 2 : 0;
}

/* if-down.d: a bridge gone by now is made again with the stanza's
 * address, so the rest of ifdown finds it (the script's exit is 0). */
static int pre_down(struct br *b)
{
	const char *a = env_opt_value(b->st, "IF_ADDRESS"),
		   *m = env_opt_value(b->st, "IF_NETMASK");
	struct nl_addr na = { 0 };
	int prefix;

	if (nl_link_index(b->ns, b->name) > 0)
		return 0;
	hook_show(b->r, "brctl addbr %s", b->name);
	if (nl_bridge_add(b->ns, b->name) < 0 ||
	    (na.index = nl_link_index(b->ns, b->name)) <= 0)
		return 0;
	hook_show(b->r, "ip address add %s/%s dev %s", a ? a : "", m ? m : "",
		  b->name);
	if (!a || !m)
		return 0;
	na.family = ip_parse(a, AF_INET, &na.local) == 0 ? AF_INET : AF_INET6;
	if (na.family == AF_INET6 && ip_parse(a, AF_INET6, &na.local) < 0)
		return 0;
	if (parse_int(m, 0, ip_prefix_max(na.family), &prefix) < 0 &&
	    (na.family != AF_INET || (prefix = ip_parse_netmask(m)) < 0))
		return 0;
	na.prefixlen = (uint8_t)prefix;
	na.address = na.local;
	nl_addr_add(b->ns, &na);
	return 0;
}

static int post_down(struct br *b)
{
	static char names[NL_BRIDGE_MAX_PORTS][IFNAMSIZ];
	struct port_list pl = { names, 0, NL_BRIDGE_MAX_PORTS };
	struct nl_link l;
	int err;

	hook_show(b->r, "ip link set dev %s down", b->name);
	b->index = nl_link_index(b->ns, b->name);
	err = b->index < 0 ? b->index : nl_link_set_up(b->ns, b->index, false);
	if (err) {
		log_err(err, "%s: ip link set down", b->name);
		return 1;
	}
	if (ports(b, &pl) == 0)
		for (size_t i = 0; i < pl.n; i++)
			port_del(b, names[i]);
	hook_show(b->r, "brctl delbr %s", b->name);
	/* SIOCBRDELBR refuses a bridge that is up, or a link that is not one */
	err = nl_link_get(b->ns, b->index, NULL, &l);
	if (!err && (l.flags & IFF_UP))
		err = -EBUSY;
	else if (!err && strcmp(l.kind, "bridge") != 0)
		err = -EPERM;
	if (!err)
		err = nl_link_del(b->ns, b->index);
	if (err)
		log_err(err, "%s: can't delete bridge", b->name);
	return err ? 1 : 0;
}

int bridge_hook(struct ifud_run *r, struct ifud_stanza *st, const char *dir)
{
	struct br b = { .r = r, .st = st, .name = st->iface };
	int status;

	if (!env_opt_value(st, "IF_BRIDGE_PORTS") || r->o->no_act)
		return 0;
	if (strcmp(dir, "pre-up") != 0 && strcmp(dir, "down") != 0 &&
	    strcmp(dir, "post-down") != 0)
		return 0;
	if (run_nl(r, &b.ns) < 0)
		return hook_failed(r, 1) ? -ECANCELED : 0;
	if (strcmp(dir, "pre-up") == 0)
		status = pre_up(&b);
	else if (strcmp(dir, "down") == 0)
		status = pre_down(&b);
	else
		status = post_down(&b);
	return hook_failed(r, status) ? -ECANCELED : 0;
}

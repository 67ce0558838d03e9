/* SPDX-License-Identifier: MIT */
/*
 * The inet methods (Debian inet.defn for Linux) over netlink: loopback,
 * static, manual and dhcp (busybox ifup's udhcpc command line), with the
 * steps of meth.c; meth_up() and meth_down() hand the inet6 methods to
 * inet6.c.  No ip, ifconfig or route is run.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <linux/if_addr.h>
#include <linux/rtnetlink.h>

#include "embnet/file.h"
#include "embnet/link.h"
#include "embnet/log.h"
#include "meth.h"
#include "tunnel.h"
#include "embnet/mono.h"
#include "embnet/parse.h"

/* `ip addr add A/MASK [broadcast B] [peer P] [scope S] dev I label I`. */
static int v4_addr(struct ifud_stanza *st, int idx, struct nl_addr *a,
		   char *act)
{
	char ab[64], mb[64], bb[64], pb[64], sb[32];
	const char *addr = meth_var(st, "address", ab, sizeof(ab));
	const char *mask = meth_var(st, "netmask", mb, sizeof(mb));
	const char *bc = meth_var(st, "broadcast", bb, sizeof(bb));
	const char *peer = meth_var(st, "pointopoint", pb, sizeof(pb));
	const char *scope = meth_var(st, "scope", sb, sizeof(sb));
	int p = 32;

	memset(a, 0, sizeof(*a));
	a->family = AF_INET;
	a->index = idx;
	snprintf(a->label, sizeof(a->label), "%s", st->iface);
	snprintf(act, ACT_LEN, "ip addr add %s%s%s%s%s%s%s%s%s dev %s label %s",
		 addr ? addr : "", mask ? "/" : "", mask ? mask : "",
		 bc ? " broadcast " : "", bc ? bc : "", peer ? " peer " : "",
		 peer ? peer : "", scope ? " scope " : "", scope ? scope : "",
		 st->iface, st->iface);
	if (!addr || ip_parse(addr, AF_INET, &a->local) < 0 ||
	    (mask && (p = ip_parse_netmask(mask)) < 0) ||
	    (peer && ip_parse(peer, AF_INET, &a->address) < 0) ||
	    (scope && nl_route_scope_parse(scope, &a->scope) < 0))
		return -EINVAL;
	if (peer) /* as ip: the prefix is the peer's, /32 by default */
		p = 32;
	a->prefixlen = (uint8_t)p;
	if (bc && (bc[0] == '+' || bc[0] == '-') && !bc[1]) {
		a->broadcast.family = AF_INET;
		a->broadcast.v4 = ip_broadcast(a->local.v4, p);
		if (bc[0] == '-')
			a->broadcast.v4.s_addr =
				a->local.v4.s_addr & ip_mask(p).s_addr;
	} else if (bc && ip_parse(bc, AF_INET, &a->broadcast) < 0) {
		return -EINVAL;
	}
	return 0;
}

static int static4_up(struct ifud_run *r, struct ifud_stanza *st, int idx)
{
	struct nl_addr a;
	char act[ACT_LEN];
	int err;

	if (v4_addr(st, idx, &a, act) < 0)
		return meth_fail(r, -EINVAL, st->iface, act);
	err = meth_addr(r, st, &a, act, true);
	if (!err)
		err = meth_link_set(r, st, idx, true);
	if (!err)
		err = meth_gateway(r, st, idx, AF_INET, GW_ADD);
	return err;
}

static int static4_down(struct ifud_run *r, struct ifud_stanza *st, int idx)
{
	struct nl_addr a;
	char act[ACT_LEN];

	meth_gateway(r, st, idx, AF_INET, GW_DEL);
	if (v4_addr(st, idx, &a, act) == 0) {
		memcpy(act + 8, "del", 3); /* "ip addr add" -> "ip addr del" */
		meth_addr(r, st, &a, act, false);
	}
	snprintf(act, sizeof(act), "ip -4 addr flush dev %s", st->iface);
	meth_flush(r, idx, AF_INET, -1, 0, act);
	if (meth_is_link(st->iface))
		meth_link_down(r, st, idx);
	return 0;
}

/* inet manual and inet6 manual: failures to bring the link up are ignored. */
static int manual_up(struct ifud_run *r, struct ifud_stanza *st, int idx)
{
	char m[32], hw[64];
	const char *mv = meth_var(st, "mtu", m, sizeof(m));
	const char *hv = meth_var(st, "hwaddress", hw, sizeof(hw));
	uint32_t n;
	int err = 0;

	if (mv)
		hook_show(r, "ip link set dev %s mtu %s", st->iface, mv);
	if (mv && !r->o->no_act) {
		err = parse_u32(mv, &n);
		if (!err)
			err = nl_link_set_mtu(&r->nl, idx, n);
		if (err)
			return meth_fail(r, err, st->iface, "ip link set mtu");
	}
	if (hv)
		hook_show(r, "ip link set dev %s address %s", st->iface, hv);
	if (hv && !r->o->no_act && (err = meth_hwaddr(r, st, idx, hv)) < 0)
		return err;
	hook_show(r, "ip link set dev %s up 2>/dev/null || true", st->iface);
	/* errors are ignored, as Debian's `|| true`, but not a full journal */
	if (!r->o->no_act && meth_link_up(r, st, idx) == -ENOSPC)
		return -ENOSPC;
	return 0;
}

/* udhcpc from the caller's PATH (as busybox ifup's shell finds it), else
 * from the directories Debian and busybox install it in. */
static const char *udhcpc_path(char *buf, size_t len)
{
	static const char fallback[] = "/sbin:/usr/sbin:/bin:/usr/bin";
	const char *path = getenv("PATH");
	size_t n;

	for (int pass = 0; pass < 2; pass++) {
		const char *p = pass || !path ? fallback : path;

		for (; *p; p += n + (p[n] == ':')) {
			n = strcspn(p, ":");
			if (n &&
			    snprintf(buf, len, "%.*s/udhcpc", (int)n, p) <
				    (int)len &&
			    access(buf, X_OK) == 0)
				return buf;
		}
	}
	return NULL;
}

#define DHCP_ARGS 32

/* busybox ifup: udhcpc -R -n -p /var/run/udhcpc.I.pid -i I [-x hostname:H]
 * [-c C] [-s S] [UDHCPC_OPTS]; vendor and leasetime as -V and -x lease. */
static int dhcp_argv(struct ifud_stanza *st, const char **argv, char *buf,
		     size_t len, char *pidfile, size_t plen)
{
	static const char *const opt[][2] = { { "hostname", "-x hostname:" },
					      { "client", "-c " },
					      { "script", "-s " },
					      { "vendor", "-V " },
					      { "leasetime", "-x lease:" } };
	char *p = buf, *save = NULL, *w;
	size_t n = 0;
	int argc = 0;

	snprintf(pidfile, plen, "/var/run/udhcpc.%s.pid", st->iface);
	n = (size_t)snprintf(buf, len, "udhcpc -R -n -p %s -i %s", pidfile,
			     st->iface);
	for (size_t i = 0; i < sizeof(opt) / sizeof(opt[0]) && n < len; i++) {
		const char *v = ifp_opt_get(&st->opts, opt[i][0]);

		if (v && *v)
			n += (size_t)snprintf(buf + n, len - n, " %s%s",
					      opt[i][1], v);
	}
	if (ifp_opt_get(&st->opts, "udhcpc_opts") && n < len)
		n += (size_t)snprintf(buf + n, len - n, " %s",
				      ifp_opt_get(&st->opts, "udhcpc_opts"));
	if (n >= len)
		return -E2BIG;
	/* -x hostname:H is one word with its value, like the others */
	for (; (w = strtok_r(p, " \t\n", &save)); p = NULL) {
		if (argc == DHCP_ARGS - 1)
			return -E2BIG;
		argv[argc++] = w;
	}
	argv[argc] = NULL;
	return argc;
}

static int dhcp_up(struct ifud_run *r, struct ifud_stanza *st, int idx)
{
	const char *argv[DHCP_ARGS];
	char buf[1024], show[1024], pidfile[96], path[PATH_MAX];
	const char *prog = udhcpc_path(path, sizeof(path));
	int status = 0, err = meth_link_set(r, st, idx, false);

	if (err)
		return err;
	err = dhcp_argv(st, argv, buf, sizeof(buf), pidfile, sizeof(pidfile));
	if (err < 0)
		return meth_fail(r, err, st->iface, "udhcpc");
	snprintf(show, sizeof(show), "%s", argv[0]);
	for (int i = 1; argv[i]; i++)
		snprintf(show + strlen(show), sizeof(show) - strlen(show),
			 " %s", argv[i]);
	hook_show(r, "%s", show);
	if (r->o->no_act)
		return 0;
	if (!prog) {
		log_warn("No DHCP client software found!");
		return -ENOENT;
	}
	argv[0] = prog;
	hook_pidfile(r, st);
	fflush(NULL);
	err = spawn_run(argv, spawn_env_vars(&st->env), &status);
	if (err || status) {
		log_err(err, "%s: udhcpc failed%s", st->iface,
			err ? "" : " to get a lease");
		return err ? err : -EIO;
	}
	return 0;
}

/*
 * True if process @pid was started with `-p @pidfile` (or -p@pidfile,
 * --pidfile[=]@pidfile), as dhcp_up() starts the client: a stale pid file
 * whose pid now belongs to another process must not get its SIGTERM.
 * The command line is read as far as the first 4 KiB.
 */
static bool dhcp_is_client(int pid, const char *pidfile)
{
	char path[64], buf[4096];
	size_t plen = strlen(pidfile);
	const char *prev = "";
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/cmdline", pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return false;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return false;
	buf[n] = '\0';
	for (char *a = buf; a < buf + n; a += strlen(a) + 1) {
		if (strcmp(a, pidfile) == 0 &&
		    (!strcmp(prev, "-p") || !strcmp(prev, "--pidfile")))
			return true;
		if ((!strncmp(a, "-p", 2) && !strcmp(a + 2, pidfile)) ||
		    (!strncmp(a, "--pidfile=", 10) &&
		     !strncmp(a + 10, pidfile, plen) && !a[10 + plen]))
			return true;
		prev = a;
	}
	return false;
}

/* Stops udhcpc through its pid file and waits up to 2 s for its release. */
static void dhcp_stop(struct ifud_run *r, struct ifud_stanza *st)
{
	char path[96], buf[32];
	int pid;

	snprintf(path, sizeof(path), "/var/run/udhcpc.%s.pid", st->iface);
	hook_show(r, "test -f %s && kill `cat %s`", path, path);
	if (r->o->no_act || file_read_str(path, buf, sizeof(buf)) < 0)
		return;
	pid = atoi(buf);
	if (pid <= 1)
		return;
	if (!dhcp_is_client(pid, path)) {
		log_warn("%s: %s: pid %d is not its udhcpc: not signalled",
			 st->iface, path, pid);
		return;
	}
	if (kill(pid, SIGTERM) < 0)
		return;
	for (int64_t end = mono_ms() + 2000; mono_ms() < end;) {
		if (kill(pid, 0) < 0)
			break;
		usleep(20000);
	}
}

static int dhcp_down(struct ifud_run *r, struct ifud_stanza *st, int idx)
{
	char act[ACT_LEN];

	dhcp_stop(r, st);
	snprintf(act, sizeof(act), "ip addr flush dev %s", st->iface);
	meth_flush(r, idx, AF_INET, -1, 0, act);
	if (meth_is_link(st->iface))
		meth_link_down(r, st, idx);
	return 0;
}

int meth_check(struct ifud_stanza *st)
{
	int err = 0;

	for (const char *const *q = st->m->required; *q; q++) {
		const char *v = ifp_opt_get(&st->opts, *q);

		if (!v || !*v) {
			log_warn("missing required variable: %s", *q);
			err = -EINVAL;
		}
	}
	return err;
}

int meth_check_down(struct ifud_stanza *st)
{
	return tunnel_method(st) ? 0 : meth_check(st);
}

/* The index of @st's link, and its flags for meth_link_up(). */
static int dev_index(struct ifud_run *r, struct ifud_stanza *st, int *idx)
{
	struct nl_sock *ns;
	struct nl_link l;
	int err;

	*idx = 0;
	if (r->o->no_act)
		return 0;
	err = run_nl(r, &ns);
	if (err)
		return err;
	err = nl_link_get(ns, 0, st->iface, &l);
	if (!err && l.index > 0) {
		*idx = l.index;
		st->link_flags = l.flags;
		st->link_known = true;
		return 0;
	}
	log_warn("%s: Cannot find device \"%s\"", st->iface, st->iface);
	return err < 0 ? err : -ENODEV;
}

int meth_up(struct ifud_run *r, struct ifud_stanza *st)
{
	bool lo = strcmp(st->iface, "lo") == 0;
	int idx, err;

	if (st->m->kind == IFM_UNSUPPORTED) {
		log_warn("%s: method %s %s is not supported", st->iface,
			 st->addrfam, st->method);
		return -EOPNOTSUPP;
	}
	if (tunnel_method(st))
		return tunnel_up(r, st);
	if ((st->m->kind == IFM_INET_LOOPBACK ||
	     st->m->kind == IFM_INET6_LOOPBACK) &&
	    lo)
		return 0;
	if ((err = dev_index(r, st, &idx)) < 0)
		return err;
	switch (st->m->kind) {
	case IFM_INET_LOOPBACK:
		return meth_link_set(r, st, idx, false);
	case IFM_INET_STATIC:
		return static4_up(r, st, idx);
	case IFM_INET_MANUAL:
		return manual_up(r, st, idx);
	case IFM_INET_DHCP:
		return dhcp_up(r, st, idx);
	default:
		return inet6_up(r, st, idx);
	}
}

int meth_down(struct ifud_run *r, struct ifud_stanza *st)
{
	bool lo = strcmp(st->iface, "lo") == 0;
	int idx;

	if (st->m->kind == IFM_UNSUPPORTED)
		return 0;
	if (tunnel_method(st))
		return tunnel_down(r, st);
	if ((st->m->kind == IFM_INET_LOOPBACK ||
	     st->m->kind == IFM_INET6_LOOPBACK) &&
	    lo)
		return 0;
	if (dev_index(r, st, &idx) < 0)
		return 0;
	switch (st->m->kind) {
	case IFM_INET_LOOPBACK:
		meth_link_down(r, st, idx);
		return 0;
	case IFM_INET_STATIC:
		return static4_down(r, st, idx);
	case IFM_INET_MANUAL:
		if (meth_is_link(st->iface) && !r->o->all)
			meth_link_down(r, st, idx);
		return 0;
	case IFM_INET_DHCP:
		return dhcp_down(r, st, idx);
	default:
		return inet6_down(r, st, idx);
	}
}

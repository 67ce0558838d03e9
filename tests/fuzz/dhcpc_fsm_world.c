// SPDX-License-Identifier: MIT
/*
 * dhcpc_fsm_fuzz's world: run.c's perform() without sockets, script or
 * fork.  Each action fsm.c hands the loop is checked here: messages parse
 * back with the fields RFC 2131 4.3.2 gives the state, on the socket fsm.c
 * named; script events in udhcpc's order, with clean environments, an
 * address only from an ACK of ours (and, with -a, only after a clean
 * probe of it), lease times no sooner than fsm.c's floors; DECLINEs a
 * minute apart after MAX_CONFLICTS (RFC 5227 2.1.1); a saved lease reads
 * back; one fork at most.  Also the log: every line formatted, free of
 * control bytes, and packets ignored never logged one line each.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>

#include "../../dhcpc/env.h"
#include "../../dhcpc/lease.h"
#include "../../dhcpc/msg.h"
#include "dhcpc_fsm_fuzz.h"
#include "embnet/log.h"
#include "embnet/mono.h"
#include "embnet/parse.h"

static enum fsm_listen listening;
static bool arp_held, forked;
static uint32_t probed_ip;	       /* the last probe, if free or failed */
static int64_t prev_ack;	       /* the ACK taken before, -1 none */
static unsigned n_declines, n_scripts; /* DECLINEs since a clean probe */
static int64_t last_decline;
static int64_t ignored_at[13]; /* the last lines about packets ignored */
static unsigned n_ignored;
static struct dhcp_msg sent;
static struct spawn_env env;

void fz_world_reset(void)
{
	listening = FSM_LISTEN_NONE;
	arp_held = forked = false;
	probed_ip = 0;
	prev_ack = -1;
	n_declines = n_scripts = n_ignored = 0;
	last_decline = -1;
}

/* ---- lib/log.c and lib/mono.c ----------------------------------------- */

/* Each line formatted (the sanitizers see the arguments) and free of
 * control bytes, then dropped (DHCPC_FUZZ_LOG=1: on stderr).  Lines
 * about packets ignored, but for -v's: at most 12 a minute. */
static void emit(bool debug, int err, const char *fmt, va_list ap)
{
	static int to_stderr = -1;
	char line[1024];

	if (vsnprintf(line, sizeof(line), fmt, ap) < 0)
		fz_fail("log format");
	for (const char *p = line; *p; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			fz_fail("control byte in the log");
	if (!debug && (strstr(line, "ignoring") || strstr(line, "ignored"))) {
		ignored_at[n_ignored++ % 13] = now;
		if (n_ignored > 12 &&
		    now - ignored_at[(n_ignored - 13) % 13] < 60000)
			fz_fail("a line per packet ignored");
	}
	if (to_stderr < 0)
		to_stderr = getenv("DHCPC_FUZZ_LOG") != NULL;
	if (to_stderr)
		fprintf(stderr, "udhcpc: %s%s%s\n", line, err < 0 ? ": " : "",
			err < 0 ? strerror(-err) : "");
}

void log_init(const char *prog)
{
	(void)prog;
}

void log_syslog(bool on, bool also_stderr)
{
	(void)on;
	(void)also_stderr;
}

void log_set_verbosity(int level)
{
	(void)level;
}

int log_verbosity(void)
{
	return 1;
}

void log_err(int err, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	emit(false, err, fmt, ap);
	va_end(ap);
}

void log_warn(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	emit(false, 0, fmt, ap);
	va_end(ap);
}

void log_info(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	emit(false, 0, fmt, ap);
	va_end(ap);
}

void log_debug(int level, const char *fmt, ...)
{
	va_list ap;

	(void)level;
	va_start(ap, fmt);
	emit(true, 0, fmt, ap);
	va_end(ap);
}

int64_t mono_ns(void)
{
	return now * 1000000;
}

int64_t mono_ms(void)
{
	return now;
}

/* (for lib/spawn.c, linked with env.c but not run) */
int mono_left_ms(int64_t deadline_ms)
{
	return deadline_ms < 0 ? -1 : deadline_ms > now;
}

/* ---- messages --------------------------------------------------------- */

static bool has_ip(const struct dhcp_msg *m, uint8_t code, uint32_t ip)
{
	uint32_t v;

	return dhcp_opt_be32(m, code, &v) && v == ip;
}

static bool has(const struct dhcp_msg *m, uint8_t code)
{
	size_t n;

	return dhcp_opt(m, code, &n) != NULL;
}

/* RFC 2131 4.3.2 and table 5: a REQUEST's fields by state. */
static bool request_ok(const struct dhcp_msg *m, bool ucast, uint32_t src)
{
	bool bound =
		f.state == DHCP_ST_RENEWING || f.state == DHCP_ST_REBINDING;

	if (bound)
		return m->ciaddr == f.yiaddr && !has(m, DHO_REQ_IP) &&
		       !has(m, DHO_SERVER_ID) &&
		       ucast == (f.state == DHCP_ST_RENEWING && f.server) &&
		       src == (f.state == DHCP_ST_REBINDING ? f.yiaddr : 0);
	if (f.state != DHCP_ST_REQUESTING && f.state != DHCP_ST_REBOOTING)
		return false;
	return !m->ciaddr && !ucast && !src &&
	       has_ip(m, DHO_REQ_IP, f.offer_ip) &&
	       (f.state == DHCP_ST_REQUESTING
			? has_ip(m, DHO_SERVER_ID, f.server)
			: !has(m, DHO_SERVER_ID));
}

static bool type_ok(const struct dhcp_msg *m, bool ucast, uint32_t src)
{
	switch (m->type) {
	case DHCPDISCOVER:
		return f.state == DHCP_ST_SELECTING && !ucast && !src &&
		       !m->ciaddr && !has(m, DHO_SERVER_ID);
	case DHCPREQUEST:
		return request_ok(m, ucast, src);
	case DHCPDECLINE:
		return !ucast && !src && !m->ciaddr && has(m, DHO_REQ_IP) &&
		       has_ip(m, DHO_SERVER_ID, f.server);
	case DHCPRELEASE:
		/* sent from a bound state, which it leaves at once */
		return f.state == DHCP_ST_RELEASED && ucast &&
		       m->ciaddr == f.yiaddr &&
		       has_ip(m, DHO_SERVER_ID, f.server);
	}
	return false;
}

/* RFC 2131 3.1: every message the same client id, -x 61's or 1+MAC, none
 * with -C alone. */
static bool client_id_ok(const struct dhcp_msg *m)
{
	static const uint8_t dflt[7] = {
		1, 0x52, 0x54, 0x00, 0x12, 0x34, 0x56
	};
	const uint8_t *id;
	size_t n;

	id = dhcp_opt(m, DHO_CLIENT_ID, &n);
	if (cfg.clientid_set)
		return id && n == 2 && !memcmp(id, "\xab\xcd", 2);
	if (cfg.no_clientid)
		return !id;
	return id && n == 7 && !memcmp(id, dflt, 7);
}

/* RFC 5227 2.1.1: after MAX_CONFLICTS, a DECLINE a minute at most. */
static void check_decline(void)
{
	if (n_declines >= MAX_CONFLICTS && now - last_decline < RATE_LIMIT_MS)
		fz_fail("DECLINEs too close");
	n_declines++;
	last_decline = now;
}

/* Every message parses back as a BOOTREQUEST of ours, sent on the socket
 * fsm.c listens on (opened again if it could not be). */
static void do_send(const struct fsm_act *a)
{
	const char *why;
	bool bflag;

	if (listening != (a->ucast ? FSM_LISTEN_UDP : FSM_LISTEN_RAW) ||
	    (a->ucast && a->ip != f.server))
		fz_fail("send on a socket not listened on");
	if (a->len < DHCP_MIN_LEN || dhcp_parse(a->buf, a->len, &sent, &why) ||
	    sent.op != 1 || sent.htype != 1 || sent.hlen != 6 ||
	    memcmp(sent.chaddr, fz_mac, 6) || sent.xid != f.xid ||
	    !type_ok(&sent, a->ucast, a->ucast ? 0 : a->ip) ||
	    !client_id_ok(&sent))
		fz_fail("sent message malformed");
	bflag = sent.flags & 0x8000;
	if ((sent.flags & 0x7fff) || bflag != (cfg.bcast_flag && !sent.ciaddr))
		fz_fail("sent flags");
	if (sent.type == DHCPDECLINE)
		check_decline();
}

/* fsm.c names a socket only when it is another one. */
static void do_listen(enum fsm_listen l)
{
	if (l == listening)
		fz_fail("listening again on the same socket");
	listening = l;
}

/* ---- the script ------------------------------------------------------- */

/* A lease just taken at @t0: its times as the floors of timers.c make
 * them. */
static void check_times(const struct dhcp_msg *m, int64_t t0)
{
	uint32_t lease = htonl(3600);
	int64_t ms, min = T1_MIN_S * 1000LL;

	dhcp_opt_be32(m, DHO_LEASE, &lease);
	lease = ntohl(lease);
	if (lease == 0xffffffffu) {
		if (f.t1 != -1 || f.t2 != -1 || f.expiry != -1)
			fz_fail("infinite lease with times");
		prev_ack = t0;
		return;
	}
	if (lease < MIN_LEASE_S)
		lease = MIN_LEASE_S;
	ms = lease * 1000LL;
	if (prev_ack >= 0 && t0 - prev_ack < QUIET_S * 1000LL)
		min = lease / 2 < RENEW_GAP_S ? lease / 2 * 1000LL
					      : RENEW_GAP_S * 1000LL;
	if (f.expiry != t0 + ms || f.t1 >= f.t2 || f.t2 >= f.expiry)
		fz_fail("lease times");
	if (f.t1 - t0 < min)
		fz_fail("renewal sooner than the floor");
	prev_ack = t0;
}

/* An address for the script only from an ACK to us, and with -a only
 * after a probe found it free (or could not run). */
static void check_ack(const struct dhcp_msg *m, bool fresh)
{
	if (m != &f.msg || m->type != DHCPACK || m->xid != f.xid ||
	    memcmp(m->chaddr, fz_mac, 6) || !lease_addr_ok(m->yiaddr) ||
	    m->yiaddr != f.yiaddr)
		fz_fail("an address without an ACK");
	if (configured == fresh)
		fz_fail("bound/renew out of order");
	if (cfg.arp_ms >= 0 && fresh && probed_ip != m->yiaddr)
		fz_fail("an address not probed");
	check_times(m, ack_at);
}

/* udhcpc's events, with environments free of control bytes: deconfig
 * first, "bound" when unconfigured, "renew" when configured, "leasefail"
 * unconfigured, "deconfig" after both. */
static void do_script(const char *event, const struct dhcp_msg *m)
{
	bool lease = !strcmp(event, "bound") || !strcmp(event, "renew");

	if (!n_scripts++ && strcmp(event, "deconfig"))
		fz_fail("first event not deconfig");
	if (!lease && strcmp(event, "deconfig") && strcmp(event, "nak") &&
	    strcmp(event, "leasefail"))
		fz_fail("script event");
	if ((m != NULL) != (lease || !strcmp(event, "nak")))
		fz_fail("script environment or not");
	if (m && m->type != (lease ? DHCPACK : DHCPNAK))
		fz_fail("script message type");
	if (!strcmp(event, "leasefail") && configured)
		fz_fail("leasefail while configured");
	env_fill(&env, f.cfg->ifname, m);
	for (unsigned i = 0; i < env.n_vars; i++)
		if (!parse_str_clean(env.vars[i], strlen(env.vars[i])))
			fz_fail("control byte in the environment");
	if (!lease) {
		configured &= strcmp(event, "deconfig") != 0;
		return;
	}
	check_ack(m, !strcmp(event, "bound"));
	configured = true;
}

/* ---- the rest --------------------------------------------------------- */

/* What fsm.c saves must be a lease it takes back at the next start. */
static void do_save(void)
{
	const char *why;

	if (!cfg.lease_file || f.lease_raw_len > DHCP_MAX_LEN ||
	    lease_parse(f.lease_raw, f.lease_raw_len, fz_mac, &sent, &why))
		fz_fail("saved lease unreadable");
	if (faults & F_WRITE)
		return;
	memcpy(file_buf, f.lease_raw, f.lease_raw_len);
	file_len = f.lease_raw_len;
}

/* Probing takes its time budget (half of it to find a conflict); the
 * answer goes back at once, as run.c's. */
static void do_probe(uint32_t ip)
{
	int r = (faults & F_PROBE) >> 4;

	if (arp_held || cfg.arp_ms < 0 || ip != f.probe_ip ||
	    !lease_addr_ok(ip))
		fz_fail("probe");
	if (faults & F_ARP)
		r = -ENETDOWN;
	else if (r == 2)
		r = -EIO;
	else if (r == 3)
		r = 0;
	now += r == 1 ? cfg.arp_ms / 2 : cfg.arp_ms;
	ack_at = now;
	arp_held = r == 0;
	probed_ip = r == 1 ? 0 : ip;
	if (r == 0)
		n_declines = 0;
	fsm_probed(&f, now, r);
}

static void do_announce(uint32_t ip)
{
	if (!arp_held || !f.have_lease || ip != f.yiaddr || ip != f.announce_ip)
		fz_fail("announcement");
}

/* With -f, only -b forks (after leasefail), as in udhcpc; once. */
static void do_fork(void)
{
	if (forked || !f.forked ||
	    (cfg.foreground && (f.have_lease || !cfg.background)))
		fz_fail("fork");
	forked = true;
}

void fz_perform(void)
{
	const struct fsm_act *a;

	while ((a = fsm_next(&f))) {
		if (f.n_acts >= FSM_MAX_ACTS || f.n_outs >= FSM_MAX_SENDS)
			fz_fail("more actions than fsm.c holds");
		switch (a->type) {
		case FSM_ACT_LISTEN:
			do_listen(a->listen);
			break;
		case FSM_ACT_SEND:
			do_send(a);
			break;
		case FSM_ACT_SCRIPT:
			do_script(a->event, a->msg);
			break;
		case FSM_ACT_SAVE:
			do_save();
			break;
		case FSM_ACT_PROBE:
			do_probe(a->ip);
			break;
		case FSM_ACT_ANNOUNCE:
			do_announce(a->ip);
			break;
		case FSM_ACT_ARP_CLOSE:
			if (!arp_held)
				fz_fail("ARP socket closed twice");
			arp_held = false;
			break;
		case FSM_ACT_FORK:
			do_fork();
			break;
		}
	}
}

/* A signal from the user may start a new round at once. */
void fz_world_user(void)
{
	n_declines = 0;
}

void fz_world_check(void)
{
	bool want;

	if (f.probe_ip)
		fz_fail("probe not answered");
	if (arp_held != f.arp_open ||
	    (f.arp_open && (f.announce_at < 0 || !f.n_announce)))
		fz_fail("ARP socket without announcements");
	if (listening != f.listen)
		fz_fail("listening elsewhere than fsm.c believes");
	/* a state just entered listens from the timeout due now */
	if (f.done || f.deadline == now || f.state == DHCP_ST_INIT)
		return;
	switch (f.state) {
	case DHCP_ST_SELECTING:
	case DHCP_ST_REQUESTING:
	case DHCP_ST_REBOOTING:
	case DHCP_ST_REBINDING:
		want = listening == FSM_LISTEN_RAW;
		break;
	case DHCP_ST_RENEWING:
		want = listening ==
		       (f.server ? FSM_LISTEN_UDP : FSM_LISTEN_RAW);
		break;
	default:
		want = listening == FSM_LISTEN_NONE;
	}
	if (!want)
		fz_fail("sockets of the state");
}

void fz_world_finish(void)
{
	if (f.done && f.exit_code != 0 && f.exit_code != 1)
		fz_fail("exit code");
}

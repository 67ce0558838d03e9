// SPDX-License-Identifier: MIT
// fuzz-sources: dhcpc/fsm.c dhcpc/msg.c dhcpc/lease.c dhcpc/packet.c
// fuzz-sources: dhcpc/env.c
// fuzz-covers: dhcpc/fsm.c dhcpc/msg.c
/*
 * libFuzzer target for the RFC 2131 state machine (dhcpc/fsm.c) driven by
 * a sequence of events, as run.c's loop drives it, with msg.c building the
 * messages.  What fsm.c and msg.c reach outside is replaced here: the
 * clock (lib/mono.c), the lease file (lib/file.c), the log (lib/log.c),
 * the sockets (sock.c), ARP (arp.c), the script and the fork (run.c).
 *
 * Input: 4 bytes of configuration, then events until the input ends.
 *   c0  bit 0 --rapid-commit, 1 -a, 2 -q, 3 -R, 4 -n, 5 -b, 6 -f,
 *       7 --lease-file: a reply spec (below, type from its first byte)
 *       follows c3 as the file's bytes
 *   c1  bits 0-1 -t, 2-4 -T minus 1, 5-6 -A of 0/1/20/60 s, 7 -r
 *   c2  bit 0 -C, 1 -B, 2 lease file unreadable, 3 no -V, 4 link down,
 *       5 -x 0x3d:abcd (a client id of the command line's)
 *   c3  the clock at start, in units of 4096 ms
 * Events, by the low 3 bits of their first byte k:
 *   0 time passes: byte p, p * 250 ms below 128, else (p - 127) * 65.5 s
 *   1 time passes up to the next timeout
 *   2, 3 a reply arrives: type from bits 3-5 of k (replies[]), then a
 *     spec: flags (bit 0 other xid, 1 other MAC, 2 BOOTREQUEST,
 *     3 option 80, 4 raw options: a length byte and bytes, 5 no option 53,
 *     6 file field: a length byte and bytes, 7 sname "srv"), yiaddr
 *     10.0.0.y (0, 127 and 224..255: y.0.0.1), server id 192.168.0.s
 *     (0: none, 255: 0.0.0.0), then lease, T1 and T2 as time codes
 *     (0 none, 254 zero, 255 infinite, else c * c * 4 s)
 *   4 a signal: byte % 4 is USR1, USR2, TERM, INT
 *   5 the carrier flips
 *   6 faults from now on: byte, bit 0 raw socket, 1 UDP socket, 2 sends,
 *     3 ARP socket, 4-5 probe (1 conflict, 2 error), 6 lease write,
 *     7 announcement
 *   7 as 2, then time passes up to the next timeout
 * After each event the target checks: a valid state; a deadline unless
 * RELEASED or bound forever, never in the past, never due again and again
 * at one instant; a lease held in the bound states (and INIT-REBOOT) with
 * T1 < T2 < expiry, given up by expiry; one socket while waiting for a
 * reply, none in BOUND, WAIT, RELEASED; no socket or ARP fd leaked; sent
 * messages parse back with the type, xid, addresses and options RFC 2131
 * 4.3.2 gives the state; script events in udhcpc's order, with clean
 * environments and log lines; a saved lease reads back.  (Past STYLE's
 * 700 lines: the fakes and the checks share the state below.)
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>

#include "../../dhcpc/arp.h"
#include "../../dhcpc/env.h"
#include "../../dhcpc/fsm.h"
#include "../../dhcpc/lease.h"
#include "../../dhcpc/msg.h"
#include "../../dhcpc/packet.h"
#include "../../dhcpc/sock.h"
#include "file.h"
#include "log.h"
#include "mono.h"
#include "parse.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MIN_LEASE_MS 30000 /* fsm.c MIN_LEASE */
#define MAX_SPIN 32	   /* timeouts due at one instant */
#define N_FDS 8

enum {
	F_RAW = 1,
	F_UDP = 2,
	F_SEND = 4,
	F_ARP = 8,
	F_PROBE = 0x30,
	F_WRITE = 0x40,
	F_ANNOUNCE = 0x80,
};

static const uint8_t mac[6] = { 0x52, 0x54, 0x00, 0x12, 0x34, 0x56 };
static const uint8_t replies[8] = {
	DHCPOFFER, DHCPACK, DHCPNAK,	DHCPACK,
	DHCPOFFER, DHCPNAK, DHCPINFORM, DHCPDISCOVER
};

struct in {
	const uint8_t *p;
	size_t rem;
};

static struct fsm f;
static struct dhcpc_cfg cfg;
static int64_t now;
static uint8_t faults;
static bool open_failed, configured, carrier;
static int fds[N_FDS];
static unsigned n_fds;
static uint8_t file_buf[DHCP_MAX_LEN + 1];
static size_t file_len;
static bool file_bad;
static struct dhcp_msg sent;
static struct spawn_env env;
static bool log_stderr;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	/* DHCPC_FUZZ_LOG=1: the client's log on stderr, to follow a run */
	log_stderr = getenv("DHCPC_FUZZ_LOG") != NULL;
	return 0;
}

static void fail(const char *what)
{
	fprintf(stderr,
		"dhcpc_fsm_fuzz: %s: state %d at %lld ms, deadline %lld\n",
		what, (int)f.state, (long long)now, (long long)f.deadline);
	abort();
}

static uint8_t in_u8(struct in *in)
{
	if (!in->rem)
		return 0;
	in->rem--;
	return *in->p++;
}

/* ---- the world fsm.c and msg.c see ---------------------------------- */

/* lib/log.c: each line formatted (the sanitizers see the arguments) and
 * free of control bytes, then dropped (no syslog round trip per line). */
static void emit(int err, const char *fmt, va_list ap)
{
	char line[1024];

	if (vsnprintf(line, sizeof(line), fmt, ap) < 0)
		fail("log format");
	for (const char *p = line; *p; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			fail("control byte in the log");
	if (log_stderr)
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
	emit(err, fmt, ap);
	va_end(ap);
}

void log_warn(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	emit(0, fmt, ap);
	va_end(ap);
}

void log_info(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	emit(0, fmt, ap);
	va_end(ap);
}

void log_debug(int level, const char *fmt, ...)
{
	va_list ap;

	(void)level;
	va_start(ap, fmt);
	emit(0, fmt, ap);
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

int file_read(const char *path, void *buf, size_t cap, size_t *len)
{
	if (!path || strcmp(path, cfg.lease_file))
		fail("read of another file");
	if (file_bad)
		return -EACCES;
	if (file_len > cap)
		return -EFBIG;
	memcpy(buf, file_buf, file_len);
	*len = file_len;
	return 0;
}

/* What fsm.c saves must be a lease it takes back at the next start. */
int file_write_atomic(const char *path, const void *data, size_t len,
		      mode_t mode)
{
	const char *why;

	if (!cfg.lease_file || strcmp(path, cfg.lease_file) || mode != 0600 ||
	    len > DHCP_MAX_LEN || lease_parse(data, len, mac, &sent, &why))
		fail("saved lease unreadable");
	if (faults & F_WRITE)
		return -ENOSPC;
	memcpy(file_buf, data, len);
	file_len = len;
	return 0;
}

/* A real fd (closing it must work), remembered to find leaks. */
static int fake_fd(int fault)
{
	int fd;

	if (faults & fault) {
		open_failed = true;
		return -ENETDOWN;
	}
	fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		fail("/dev/null");
	/* a number given out before was closed since: forget it */
	for (unsigned i = 0; i < n_fds; i++) {
		if (fds[i] == fd) {
			fds[i] = fds[--n_fds];
			break;
		}
	}
	if (n_fds == N_FDS)
		fail("more fds than fsm.c can hold");
	fds[n_fds++] = fd;
	return fd;
}

int sock_raw_open(int ifindex, uint16_t cport)
{
	if (ifindex != 2 || cport != cfg.cport || f.raw_fd >= 0)
		fail("raw socket opened twice");
	return fake_fd(F_RAW);
}

int sock_udp_open(const char *ifname, uint16_t cport)
{
	if (strcmp(ifname, cfg.ifname) || cport != cfg.cport || f.udp_fd >= 0)
		fail("UDP socket opened twice");
	return fake_fd(F_UDP);
}

int arp_open(int ifindex)
{
	if (ifindex != 2 || f.arp_fd >= 0)
		fail("ARP socket opened twice");
	return fake_fd(F_ARP);
}

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
	bool bound = f.state == DHCP_ST_BOUND || f.state == DHCP_ST_RENEWING ||
		     f.state == DHCP_ST_REBINDING;

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
		return bound && ucast && m->ciaddr == f.yiaddr &&
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

/* Every message fsm.c sends parses back as a BOOTREQUEST of ours. */
static int check_sent(const uint8_t *p, size_t len, bool ucast, uint32_t src)
{
	const char *why;
	bool bflag;

	if (len < DHCP_MIN_LEN || dhcp_parse(p, len, &sent, &why) ||
	    sent.op != 1 || sent.htype != 1 || sent.hlen != 6 ||
	    memcmp(sent.chaddr, mac, 6) || sent.xid != f.xid ||
	    !type_ok(&sent, ucast, src) || !client_id_ok(&sent))
		fail("sent message malformed");
	bflag = sent.flags & 0x8000;
	if ((sent.flags & 0x7fff) || bflag != (cfg.bcast_flag && !sent.ciaddr))
		fail("sent flags");
	return faults & F_SEND ? -ENETDOWN : 0;
}

int sock_raw_send(int fd, int ifindex, const uint8_t *payload, size_t len,
		  uint32_t src, uint32_t dst, uint16_t sport, uint16_t dport)
{
	if (fd < 0 || fd != f.raw_fd || ifindex != 2 ||
	    dst != INADDR_BROADCAST || sport != cfg.cport ||
	    dport != cfg.cport - 1)
		fail("raw send");
	return check_sent(payload, len, false, src);
}

int sock_udp_send(int fd, const void *buf, size_t len, uint32_t dst,
		  uint16_t dport)
{
	if (fd < 0 || fd != f.udp_fd || dst != f.server ||
	    dport != cfg.cport - 1)
		fail("UDP send");
	return check_sent(buf, len, true, 0);
}

/* Probing takes its time budget (half of it to find a conflict). */
int arp_probe(int fd, int ifindex, const uint8_t m[6], uint32_t ip,
	      int budget_ms)
{
	int r = (faults & F_PROBE) >> 4;

	if (fd < 0 || fd != f.arp_fd || ifindex != 2 || memcmp(m, mac, 6) ||
	    !lease_addr_ok(ip) || budget_ms != cfg.arp_ms)
		fail("probe");
	now += r == 1 ? budget_ms / 2 : budget_ms;
	return r == 1 ? 1 : r == 2 ? -EIO : 0;
}

int arp_announce(int fd, int ifindex, const uint8_t m[6], uint32_t ip)
{
	if (fd < 0 || fd != f.arp_fd || ifindex != 2 || memcmp(m, mac, 6) ||
	    !f.have_lease || ip != f.yiaddr || ip != f.announce_ip)
		fail("announcement");
	return faults & F_ANNOUNCE ? -EIO : 0;
}

void run_background(struct fsm *g)
{
	/* with -f, only -b forks (after leasefail), as in udhcpc */
	if (g != &f || f.forked ||
	    (cfg.foreground && (f.have_lease || !cfg.background)))
		fail("fork");
	f.forked = true;
}

/* A lease just taken: its times as fsm.c's set_times() must make them. */
static void check_times(const struct dhcp_msg *m, int64_t t0)
{
	uint32_t lease = htonl(3600);
	int64_t ms;

	dhcp_opt_be32(m, DHO_LEASE, &lease);
	lease = ntohl(lease);
	if (lease == 0xffffffffu) {
		if (f.t1 != -1 || f.t2 != -1 || f.expiry != -1)
			fail("infinite lease with times");
		return;
	}
	ms = lease < MIN_LEASE_MS / 1000 ? MIN_LEASE_MS : lease * 1000LL;
	if (f.expiry != t0 + ms || f.t1 < t0 || f.t1 >= f.t2 ||
	    f.t2 >= f.expiry)
		fail("lease times");
}

static int64_t ack_at; /* when the reply being handled arrived */

/* udhcpc's events, with environments free of control bytes: "bound"
 * when unconfigured, "renew" when configured, "deconfig" after both. */
void fsm_script(struct fsm *g, const char *event, const struct dhcp_msg *m)
{
	bool lease = !strcmp(event, "bound") || !strcmp(event, "renew");

	if (g != &f || (!lease && strcmp(event, "deconfig") &&
			strcmp(event, "nak") && strcmp(event, "leasefail")))
		fail("script event");
	if ((m != NULL) != (lease || !strcmp(event, "nak")))
		fail("script environment or not");
	if (m && m->type != (lease ? DHCPACK : DHCPNAK))
		fail("script message type");
	env_fill(&env, f.cfg->ifname, m);
	for (unsigned i = 0; i < env.n_vars; i++)
		if (!parse_str_clean(env.vars[i], strlen(env.vars[i])))
			fail("control byte in the environment");
	if (!lease) {
		configured &= strcmp(event, "deconfig") != 0;
		return;
	}
	if (configured != !strcmp(event, "renew") ||
	    !lease_addr_ok(m->yiaddr) || m->yiaddr != f.yiaddr)
		fail("bound/renew out of order");
	check_times(m, ack_at);
	configured = true;
}

/* ---- the events --------------------------------------------------- */

static uint32_t time_code(uint8_t c)
{
	return c == 255 ? 0xffffffffu : c == 254 ? 0 : (uint32_t)c * c * 4;
}

static size_t put_opt(uint8_t *b, uint8_t code, const void *v, size_t len)
{
	b[0] = code;
	b[1] = (uint8_t)len;
	if (len)
		memcpy(b + 2, v, len);
	return 2 + len;
}

static size_t put_time(uint8_t *b, uint8_t code, uint8_t c)
{
	uint32_t v = htonl(time_code(c));

	return c ? put_opt(b, code, &v, 4) : 0;
}

/* Copies a length byte's worth of input to @b (at most @max bytes). */
static size_t put_raw(uint8_t *b, struct in *in, size_t max)
{
	size_t n = in_u8(in);

	n = n < in->rem ? n : in->rem;
	n = n < max ? n : max;
	memcpy(b, in->p, n);
	in->p += n;
	in->rem -= n;
	return n;
}

static void put_header(uint8_t *b, uint8_t fl, uint8_t y, uint32_t xid)
{
	static const uint8_t cookie[4] = { 0x63, 0x82, 0x53, 0x63 };
	uint8_t yi[4] = { 10, 0, 0, y };

	memset(b, 0, DHCP_MIN_LEN);
	b[0] = fl & 4 ? 1 : 2;
	b[1] = 1;
	b[2] = 6;
	xid = htonl(fl & 1 ? xid ^ 0x10000 : xid);
	memcpy(b + 4, &xid, 4);
	if (y == 0 || y == 127 || y >= 224) {
		yi[0] = y;
		yi[3] = 1;
	}
	memcpy(b + 16, yi, 4);
	memcpy(b + 28, mac, 6);
	b[33] ^= fl & 2 ? 1 : 0;
	if (fl & 0x80)
		memcpy(b + 44, "srv", 3);
	memcpy(b + 236, cookie, 4);
}

/* A reply of @type from the spec at @in (see the top). */
static size_t build_reply(uint8_t *b, uint8_t type, struct in *in)
{
	static const uint8_t mask[4] = { 255, 255, 255, 0 };
	uint8_t fl = in_u8(in), y = in_u8(in), s = in_u8(in);
	uint8_t lc = in_u8(in), t1c = in_u8(in), t2c = in_u8(in);
	uint8_t sid[4] = { 192, 168, 0, s }, *o = b + 240;

	put_header(b, fl, y, f.xid);
	if (fl & 0x40)
		put_raw(b + 108, in, DHCP_FILE_LEN);
	if (!(fl & 0x20))
		o += put_opt(o, DHO_MSG_TYPE, &type, 1);
	if (s == 255)
		memset(sid, 0, 4);
	if (s)
		o += put_opt(o, DHO_SERVER_ID, sid, 4);
	o += put_time(o, DHO_LEASE, lc);
	o += put_time(o, DHO_T1, t1c);
	o += put_time(o, DHO_T2, t2c);
	o += put_opt(o, DHO_SUBNET, mask, 4);
	o += put_opt(o, DHO_ROUTER, sid, 4);
	if (fl & 8)
		o += put_opt(o, DHO_RAPID_COMMIT, NULL, 0);
	if (fl & 0x10)
		o += put_raw(o, in, 255);
	*o++ = DHO_END;
	return (size_t)(o - b) > DHCP_MIN_LEN ? (size_t)(o - b) : DHCP_MIN_LEN;
}

static void check_fds(void)
{
	unsigned i, k = 0;

	for (i = 0; i < n_fds; i++) {
		if (fds[i] == f.raw_fd || fds[i] == f.udp_fd ||
		    fds[i] == f.arp_fd)
			fds[k++] = fds[i];
		else if (fcntl(fds[i], F_GETFD) >= 0)
			fail("fd leaked"); /* neither held nor closed: leaked */
	}
	n_fds = k;
}

static bool bound_state(void)
{
	return f.state == DHCP_ST_BOUND || f.state == DHCP_ST_RENEWING ||
	       f.state == DHCP_ST_REBINDING;
}

static void check_lease(void)
{
	if (bound_state() != (f.have_lease && f.state != DHCP_ST_REBOOTING) ||
	    configured != f.have_lease)
		fail("lease and state disagree");
	if (!f.have_lease)
		return;
	if (!lease_addr_ok(f.yiaddr))
		fail("leased address");
	if (f.expiry < 0) {
		if (f.t1 != -1 || f.t2 != -1)
			fail("infinite lease with times");
		return;
	}
	if (f.t1 < 0 || f.t1 >= f.t2 || f.t2 >= f.expiry)
		fail("lease times");
	/* RFC 2131 4.4.5: a lease is given up when it runs out, not later
	 * (also while checking it after the link came back) */
	if (f.deadline < 0 || f.deadline > f.expiry)
		fail("lease kept past its expiry");
}

/* The invariants between events. */
static void check(void)
{
	bool listening;

	if ((unsigned)f.state > DHCP_ST_WAIT)
		fail("state");
	check_fds();
	if (f.done)
		return;
	if (f.deadline < 0 && f.state != DHCP_ST_RELEASED &&
	    !(f.state == DHCP_ST_BOUND && f.t1 < 0))
		fail("no deadline: stuck"); /* stuck for good */
	if ((f.deadline >= 0 && f.deadline < now) ||
	    (f.announce_at >= 0 && f.announce_at < now))
		fail("deadline in the past");
	check_lease();
	if (f.arp_fd >= 0 && (f.announce_at < 0 || !f.n_announce))
		fail("ARP fd without announcements");
	if (f.raw_fd >= 0 && f.udp_fd >= 0)
		fail("two sockets");
	/* a state just entered opens its socket at the timeout due now */
	if (f.deadline == now)
		return;
	listening = f.state != DHCP_ST_BOUND && f.state != DHCP_ST_WAIT &&
		    f.state != DHCP_ST_RELEASED;
	if (listening ? !open_failed && f.raw_fd < 0 && f.udp_fd < 0
		      : f.raw_fd >= 0 || f.udp_fd >= 0)
		fail("sockets of the state");
}

/* run.c's poll_once() for what is due now, once per wake-up. */
static void run_due(void)
{
	for (unsigned n = 0; !f.done; n++) {
		if (n == MAX_SPIN)
			fail("busy loop");
		if (f.announce_at >= 0 && now >= f.announce_at) {
			fsm_announce(&f);
		} else if (f.deadline >= 0 && now >= f.deadline) {
			fsm_timeout(&f);
			if (!f.done && f.deadline >= 0 && f.deadline < now)
				fail("timeout left a deadline in the past");
		} else {
			break;
		}
	}
}

static int64_t next_wake(void)
{
	if (f.announce_at >= 0 &&
	    (f.deadline < 0 || f.announce_at < f.deadline))
		return f.announce_at;
	return f.deadline;
}

static void skip(int64_t ms)
{
	now += ms;
	run_due();
}

static void skip_to_wake(void)
{
	int64_t w = next_wake();

	skip(w > now ? w - now : w < 0 ? 3600000 : 0);
}

static void reply(uint8_t k, struct in *in)
{
	static uint8_t b[DHCP_MAX_LEN];
	size_t len = build_reply(b, replies[(k >> 3) & 7], in);

	/* run.c reads only while a socket is open */
	if (f.raw_fd < 0 && f.udp_fd < 0)
		return;
	ack_at = now;
	fsm_packet(&f, b, len);
	check();
	run_due();
}

static void signal_ev(uint8_t v)
{
	static const int sigs[4] = { SIGUSR1, SIGUSR2, SIGTERM, SIGINT };

	fsm_signal(&f, sigs[v & 3]);
	check();
	run_due();
}

static void carrier_ev(void)
{
	carrier = !carrier;
	fsm_carrier(&f, carrier);
	check();
	run_due();
}

static void event(struct in *in)
{
	uint8_t k = in_u8(in), v;

	switch (k & 7) {
	case 0:
		v = in_u8(in);
		skip(v < 128 ? v * 250LL : (v - 127) * 65536LL);
		break;
	case 1:
		skip_to_wake();
		break;
	case 4:
		signal_ev(in_u8(in));
		break;
	case 5:
		carrier_ev();
		break;
	case 6:
		faults = in_u8(in);
		break;
	default:
		reply(k, in);
		if ((k & 7) == 7 && !f.done)
			skip_to_wake();
	}
}

/* ---- the run ------------------------------------------------------ */

static void config(struct in *in)
{
	static const unsigned again[4] = { 0, 1, 20, 60 };
	static const uint8_t prl[] = { 1, 3, 6, 12, 15, 28, 42, 51, 54 };
	uint8_t c0 = in_u8(in), c1 = in_u8(in), c2 = in_u8(in);

	memset(&cfg, 0, sizeof(cfg));
	cfg.ifname = "eth0";
	cfg.script = "/bin/true";
	cfg.rapid_commit = c0 & 1;
	cfg.arp_ms = c0 & 2 ? 2000 : -1;
	cfg.quit = c0 & 4;
	cfg.release = c0 & 8;
	cfg.now = c0 & 0x10;
	cfg.background = c0 & 0x20;
	cfg.foreground = c0 & 0x40;
	cfg.lease_file = c0 & 0x80 ? "/var/lib/udhcpc/eth0.lease" : NULL;
	cfg.retries = c1 & 3;
	cfg.timeout = 1 + ((c1 >> 2) & 7);
	cfg.tryagain = again[(c1 >> 5) & 3];
	cfg.req_ip = c1 & 0x80 ? htonl(0x0a000063) : 0;
	cfg.no_clientid = c2 & 1;
	cfg.bcast_flag = c2 & 2;
	file_bad = c2 & 4;
	cfg.vendor = c2 & 8 ? NULL : "udhcp 1.35.0";
	carrier = !(c2 & 0x10);
	cfg.cport = 68;
	cfg.carrier = true;
	memcpy(cfg.prl, prl, sizeof(prl));
	cfg.n_prl = sizeof(prl);
	memcpy(cfg.extra, "\x0c\x00\x04host\x3d\x00\x02\xab\xcd", 12);
	cfg.extra_len = c2 & 0x20 ? 12 : 7;
	cfg.clientid_set = c2 & 0x20;
	now = 1 + (int64_t)in_u8(in) * 4096;
}

static void start(struct in *in)
{
	memset(&f, 0, sizeof(f));
	f.cfg = &cfg;
	f.ifindex = 2;
	memcpy(f.mac, mac, 6);
	faults = 0;
	open_failed = configured = false;
	n_fds = 0;
	file_len = 0;
	if (cfg.lease_file)
		file_len = build_reply(file_buf, replies[in_u8(in) & 7], in);
	/* as dhcpc_run() */
	fsm_script(&f, "deconfig", NULL);
	fsm_init(&f, &cfg);
	check();
	run_due();
	check();
}

static void finish(void)
{
	msg_listen_none(&f);
	if (f.arp_fd >= 0)
		close(f.arp_fd);
	f.arp_fd = -1;
	check_fds();
	if (n_fds || (f.done && f.exit_code != 0 && f.exit_code != 1))
		fail("fds left or exit code");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct in in = { data, size };

	config(&in);
	start(&in);
	while (in.rem && !f.done) {
		event(&in);
		check();
	}
	finish();
	return 0;
}

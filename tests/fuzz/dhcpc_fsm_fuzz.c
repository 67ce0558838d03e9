// SPDX-License-Identifier: MIT
// sources: dhcpc/fsm.c dhcpc/timers.c dhcpc/msg.c dhcpc/lease.c
// sources: dhcpc/packet.c dhcpc/env.c tests/fuzz/dhcpc_fsm_world.c
// fuzz-covers: dhcpc/fsm.c dhcpc/timers.c dhcpc/msg.c
/*
 * libFuzzer target for the RFC 2131 state machine (dhcpc/fsm.c) driven by
 * a sequence of events, as run.c's loop drives it: packets, timers,
 * signals, carrier changes and the faults of the world, on a fake clock.
 * fsm.c decides, and dhcpc_fsm_world.c performs and checks each action
 * it asks for (run.c's part); this file feeds the events and checks the
 * invariants between them.
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
 *   6 faults from now on: byte, bit 0 raw socket, 1 UDP socket, 2 sends
 *     (fsm.c does not see those), 3 ARP socket, 4-5 probe (1 conflict,
 *     2 error), 6 lease write, 7 announcement
 *   7 as 2, then time passes up to the next timeout
 * After each event: a valid state; a deadline unless RELEASED or bound
 * forever, never in the past, never due again and again at one instant,
 * the clock never going back; a lease held in the bound states (and
 * INIT-REBOOT) with T1 < T2 < expiry, given up by expiry; the socket of
 * the state; the actions drained and none left half done.
 */
#include <errno.h>
#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>

#include "fuzz.h"
#include "../../dhcpc/fsm.h"
#include "../../dhcpc/lease.h"
#include "../../dhcpc/packet.h"
#include "dhcpc_fsm_fuzz.h"

#define MAX_SPIN 32 /* timeouts due at one instant */

const uint8_t fz_mac[6] = { 0x52, 0x54, 0x00, 0x12, 0x34, 0x56 };
static const uint8_t replies[8] = {
	DHCPOFFER, DHCPACK, DHCPNAK,	DHCPACK,
	DHCPOFFER, DHCPNAK, DHCPINFORM, DHCPDISCOVER
};

struct in {
	const uint8_t *p;
	size_t rem;
};

struct fsm f;
struct dhcpc_cfg cfg;
int64_t now;
uint8_t faults;
bool configured;
uint8_t file_buf[DHCP_MAX_LEN + 1];
size_t file_len;
bool file_bad;
int64_t ack_at;
static bool carrier;
static int64_t last_now;

void fz_fail(const char *what)
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

/* ---- the replies ------------------------------------------------------ */

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
	memcpy(b + 28, fz_mac, 6);
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

/* ---- the invariants --------------------------------------------------- */

static bool bound_state(void)
{
	return f.state == DHCP_ST_BOUND || f.state == DHCP_ST_RENEWING ||
	       f.state == DHCP_ST_REBINDING;
}

static void check_lease(void)
{
	if (bound_state() != (f.have_lease && f.state != DHCP_ST_REBOOTING) ||
	    configured != f.have_lease)
		fz_fail("lease and state disagree");
	if (!f.have_lease)
		return;
	if (!lease_addr_ok(f.yiaddr))
		fz_fail("leased address");
	if (f.expiry < 0) {
		if (f.t1 != -1 || f.t2 != -1)
			fz_fail("infinite lease with times");
		return;
	}
	if (f.t1 < 0 || f.t1 >= f.t2 || f.t2 >= f.expiry)
		fz_fail("lease times");
	/* RFC 2131 4.4.5: a lease is given up when it runs out, not later
	 * (also while checking it after the link came back) */
	if (f.deadline < 0 || f.deadline > f.expiry)
		fz_fail("lease kept past its expiry");
}

/* The invariants between events. */
static void check(void)
{
	if ((unsigned)f.state > DHCP_ST_WAIT)
		fz_fail("state");
	if (f.head != f.n_acts)
		fz_fail("actions left undone");
	if (now < last_now || f.now > now)
		fz_fail("the clock went back");
	last_now = now;
	fz_world_check();
	if (f.done)
		return;
	if (f.deadline < 0 && f.state != DHCP_ST_RELEASED &&
	    !(f.state == DHCP_ST_BOUND && f.t1 < 0))
		fz_fail("no deadline: stuck"); /* stuck for good */
	if ((f.deadline >= 0 && f.deadline < now) ||
	    (f.announce_at >= 0 && f.announce_at < now))
		fz_fail("deadline in the past");
	check_lease();
}

/* ---- the events ------------------------------------------------------- */

/* run.c's poll_once() for what is due now, once per wake-up. */
static void run_due(void)
{
	for (unsigned n = 0; !f.done; n++) {
		if (n == MAX_SPIN)
			fz_fail("busy loop");
		if (f.announce_at >= 0 && now >= f.announce_at) {
			fsm_announce(&f, now);
		} else if (f.deadline >= 0 && now >= f.deadline) {
			fsm_timeout(&f, now);
			if (!f.done && f.deadline >= 0 && f.deadline < now)
				fz_fail("timeout left a deadline in the past");
		} else {
			break;
		}
		fz_perform();
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
	if (f.listen == FSM_LISTEN_NONE)
		return;
	ack_at = now;
	fsm_packet(&f, now, b, len);
	fz_perform();
	check();
	run_due();
}

static void signal_ev(uint8_t v)
{
	static const int sigs[4] = { SIGUSR1, SIGUSR2, SIGTERM, SIGINT };

	fz_world_user();
	fsm_signal(&f, now, sigs[v & 3]);
	fz_perform();
	check();
	run_due();
}

static void carrier_ev(void)
{
	carrier = !carrier;
	fsm_carrier(&f, now, carrier);
	fz_perform();
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

/* ---- the run ---------------------------------------------------------- */

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
	last_now = now;
}

/* As dhcpc_run(): the lease file's bytes (run.c reads and checks them
 * with lease_load(); fsm.c takes them only if they are a lease of ours,
 * so whatever bytes are given here), then INIT or INIT-REBOOT. */
static void start(struct in *in)
{
	memset(&f, 0, sizeof(f));
	faults = 0;
	configured = false;
	file_len = 0;
	fz_world_reset();
	if (cfg.lease_file)
		file_len = build_reply(file_buf, replies[in_u8(in) & 7], in);
	fsm_init(&f, &cfg, fz_mac, now,
		 cfg.lease_file && !file_bad ? file_buf : NULL, file_len);
	fz_perform();
	check();
	run_due();
	check();
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
	fz_world_finish();
	return 0;
}

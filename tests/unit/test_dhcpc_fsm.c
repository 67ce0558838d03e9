// SPDX-License-Identifier: MIT
/*
 * dhcpc/fsm.c on a fake clock, with fakes of what it reaches outside
 * (sockets, ARP, the script, the fork, the lease file): these definitions
 * come before libembnet.a's mono.o and file.o at link time.
 */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "capture.h"
#include "../../dhcpc/packet.c"
#include "../../dhcpc/lease.c"
#include "../../dhcpc/msg.c"
#include "../../dhcpc/fsm.c"

static const uint8_t mac[6] = { 0x52, 0x54, 0x00, 0x12, 0x34, 0x56 };
static struct dhcpc_cfg cfg;
static struct fsm f;
static int64_t now;
static char last_event[16];
static unsigned n_sent;
static uint8_t sent[DHCP_MAX_LEN]; /* the last message sent */
static size_t sent_len;

/* wraps instead of overflowing when the fake clock is far from zero */
int64_t mono_ns(void)
{
	return (int64_t)((uint64_t)now * 1000000u);
}

int64_t mono_ms(void)
{
	return now;
}

int mono_left_ms(int64_t deadline_ms)
{
	return deadline_ms < 0 ? -1 : deadline_ms <= now ? 0 : 1;
}

/* The lease file: what file_write_atomic() wrote, read back (none while
 * file_len is 0). */
static uint8_t file_buf[DHCP_MAX_LEN];
static size_t file_len;

int file_read(const char *path, void *buf, size_t cap, size_t *len)
{
	(void)path;
	if (!file_len)
		return -ENOENT;
	if (file_len > cap)
		return -EFBIG;
	memcpy(buf, file_buf, file_len);
	*len = file_len;
	return 0;
}

int file_write_atomic(const char *path, const void *data, size_t len,
		      mode_t mode)
{
	(void)path, (void)mode;
	assert_true(len <= sizeof(file_buf));
	memcpy(file_buf, data, len);
	file_len = len;
	return 0;
}

static int dev_null(void)
{
	return open("/dev/null", O_RDONLY | O_CLOEXEC);
}

int sock_raw_open(int ifindex, uint16_t cport)
{
	(void)ifindex, (void)cport;
	return dev_null();
}

int sock_udp_open(const char *ifname, uint16_t cport)
{
	(void)ifname, (void)cport;
	return dev_null();
}

int sock_raw_send(int fd, int ifindex, const uint8_t *payload, size_t len,
		  uint32_t src, uint32_t dst, uint16_t sport, uint16_t dport)
{
	(void)fd, (void)ifindex, (void)src, (void)dst, (void)sport;
	(void)dport;
	memcpy(sent, payload, len);
	sent_len = len;
	n_sent++;
	return 0;
}

int sock_udp_send(int fd, const void *buf, size_t len, uint32_t dst,
		  uint16_t dport)
{
	(void)fd, (void)dst, (void)dport;
	memcpy(sent, buf, len);
	sent_len = len;
	n_sent++;
	return 0;
}

int arp_open(int ifindex)
{
	(void)ifindex;
	return -EPERM;
}

int arp_probe(int fd, int ifindex, const uint8_t m[6], uint32_t ip,
	      int budget_ms)
{
	(void)fd, (void)ifindex, (void)m, (void)ip, (void)budget_ms;
	return 0;
}

int arp_announce(int fd, int ifindex, const uint8_t m[6], uint32_t ip)
{
	(void)fd, (void)ifindex, (void)m, (void)ip;
	return 0;
}

void run_background(struct fsm *g)
{
	g->forked = true;
}

void fsm_script(struct fsm *g, const char *event, const struct dhcp_msg *m)
{
	(void)g, (void)m;
	snprintf(last_event, sizeof(last_event), "%s", event);
}

#define NO_OPT (-1) /* reply_opts(): the option is left out */

/* A reply of @type for 10.0.0.5 from 10.0.0.1 with options 51, 58 and 59
 * of @lease, @t1 and @t2 s (each a u32, or NO_OPT). */
static uint8_t server = 1; /* replies come from 10.0.0.@server */

static void reply_opts(uint8_t type, int64_t lease, int64_t t1, int64_t t2)
{
	static const uint8_t code[3] = { DHO_LEASE, DHO_T1, DHO_T2 };
	const int64_t val[3] = { lease, t1, t2 };
	uint8_t b[DHCP_MIN_LEN] = { 2, 1, 6 };
	uint8_t head[] = { 0x63, 0x82, 0x53, 0x63, 53, 1, type,
			   54,	 4,    10,   0,	   0,  1 };
	uint8_t *o = b + 236 + sizeof(head);
	uint32_t xid = htonl(f.xid), v;

	memcpy(b + 4, &xid, 4);
	b[16] = 10, b[19] = 5;
	memcpy(b + 28, mac, 6);
	memcpy(b + 236, head, sizeof(head));
	b[236 + sizeof(head) - 1] = server;
	for (int i = 0; i < 3; i++) {
		if (val[i] == NO_OPT)
			continue;
		v = htonl((uint32_t)val[i]);
		*o++ = code[i];
		*o++ = 4;
		memcpy(o, &v, 4);
		o += 4;
	}
	*o = 255;
	fsm_packet(&f, b, sizeof(b));
}

/* The same with option 51 only. */
static void reply(uint8_t type, uint32_t lease)
{
	reply_opts(type, lease, NO_OPT, NO_OPT);
}

/* The type of the last message sent and its option 50 (0 if none). */
static uint8_t last_sent(uint32_t *req_ip)
{
	static struct dhcp_msg m;
	const char *why;

	assert_int_equal(dhcp_parse(sent, sent_len, &m, &why), 0);
	*req_ip = 0;
	dhcp_opt_be32(&m, DHO_REQ_IP, req_ip);
	return m.type;
}

/* run.c's loop: the timeouts due by @t. */
static void run_to(int64_t t)
{
	now = t;
	while (!f.done && f.deadline >= 0 && f.deadline <= now)
		fsm_timeout(&f);
}

/* A client started at @t ms (INIT, or INIT-REBOOT from @lease_file), its
 * first timeout run: the DISCOVER, or the REQUEST of the saved lease. */
static void start(int64_t t, const char *lease_file)
{
	if (f.cfg)
		msg_listen_none(&f);
	memset(&cfg, 0, sizeof(cfg));
	cfg.ifname = "eth0";
	cfg.script = "/bin/true";
	cfg.lease_file = lease_file;
	cfg.retries = 3;
	cfg.timeout = 3;
	cfg.tryagain = 20;
	cfg.arp_ms = -1;
	cfg.cport = 68;
	cfg.foreground = true;
	memset(&f, 0, sizeof(f));
	f.ifindex = 2;
	memcpy(f.mac, mac, 6);
	now = t;
	last_event[0] = '\0';
	fsm_init(&f, &cfg);
	run_to(now);
}

/* Bound at 1000 ms on a 36 s lease: T1 at 19 s, T2 at 32.5 s, expiry at
 * 37 s; then REBINDING from T2 without an answer. */
static int setup(void **state)
{
	(void)state;
	server = 1;
	start(1000, NULL);
	reply(DHCPOFFER, 36);
	reply(DHCPACK, 36);
	assert_string_equal(last_event, "bound");
	assert_int_equal(f.expiry, 37000);
	run_to(32500);
	assert_int_equal(f.state, DHCP_ST_REBINDING);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	msg_listen_none(&f);
	return 0;
}

/* RFC 2131 4.4.5: at expiry the address goes, even with a USR1 renew
 * under way (it waited -T past the expiry, then a broadcast round). */
static void test_usr1_renew_stops_at_expiry(void **state)
{
	(void)state;
	run_to(35500);
	fsm_signal(&f, SIGUSR1);
	assert_int_equal(f.state, DHCP_ST_RENEWING);
	assert_true(f.deadline <= f.expiry);
	run_to(37000);
	assert_string_equal(last_event, "deconfig");
	assert_false(f.have_lease);
	assert_int_equal(f.state, DHCP_ST_SELECTING);
}

/* The same for the INIT-REBOOT check after the link came back. */
static void test_reboot_stops_at_expiry(void **state)
{
	(void)state;
	run_to(35500);
	fsm_carrier(&f, false);
	fsm_carrier(&f, true);
	assert_int_equal(f.state, DHCP_ST_REBOOTING);
	assert_true(f.deadline <= f.expiry);
	n_sent = 0;
	run_to(37000);
	assert_string_equal(last_event, "deconfig");
	assert_int_equal(f.state, DHCP_ST_SELECTING);
	assert_int_equal(n_sent, 1); /* the DISCOVER, no REQUEST for it */
}

/* The normal course is unchanged: REBINDING until expiry, then INIT,
 * whose DISCOVER asks for the address lost (udhcpc's requested_ip). */
static void test_rebinding_expires(void **state)
{
	uint32_t ip;

	(void)state;
	assert_int_equal(f.deadline, 37000);
	run_to(36999);
	assert_true(f.have_lease);
	run_to(37000);
	assert_string_equal(last_event, "deconfig");
	assert_int_equal(f.state, DHCP_ST_SELECTING);
	assert_int_equal(last_sent(&ip), DHCPDISCOVER);
	assert_int_equal(ip, htonl(0x0a000005));
}

/* USR2 then USR1: RELEASE, deconfig, then a DISCOVER asking for the
 * address released, as udhcpc's. */
static void test_release_then_renew(void **state)
{
	uint32_t ip;

	(void)state;
	fsm_signal(&f, SIGUSR2);
	assert_string_equal(last_event, "deconfig");
	assert_int_equal(last_sent(&ip), DHCPRELEASE);
	assert_int_equal(f.state, DHCP_ST_RELEASED);
	fsm_signal(&f, SIGUSR1);
	run_to(now);
	assert_int_equal(f.state, DHCP_ST_SELECTING);
	assert_int_equal(last_sent(&ip), DHCPDISCOVER);
	assert_int_equal(ip, htonl(0x0a000005));
}

/* A NAK drops the address asked for: the next DISCOVER asks for none. */
static void test_nak_forgets_address(void **state)
{
	uint32_t ip;

	(void)state;
	reply(DHCPNAK, 0);
	assert_string_equal(last_event, "deconfig");
	run_to(now + 3000);
	assert_int_equal(last_sent(&ip), DHCPDISCOVER);
	assert_int_equal(ip, 0);
}

/* RFC 2131 4.3.2: in REBINDING the REQUEST names no server, and a NAK
 * from any server counts (udhcpc ignores it until the lease runs out). */
static void test_nak_other_server_rebinding(void **state)
{
	uint32_t ip;

	(void)state;
	server = 2;
	reply(DHCPNAK, 0);
	assert_string_equal(last_event, "deconfig");
	assert_false(f.have_lease);
	run_to(now + 3000);
	assert_int_equal(last_sent(&ip), DHCPDISCOVER);
}

/* The cable moved to another network: the INIT-REBOOT REQUEST after the
 * link came back is NAKed by that network's server, not ours. */
static void test_nak_other_server_init_reboot(void **state)
{
	(void)state;
	run_to(20000);
	fsm_carrier(&f, false);
	fsm_carrier(&f, true);
	assert_int_equal(f.state, DHCP_ST_REBOOTING);
	server = 9;
	reply(DHCPNAK, 0);
	assert_string_equal(last_event, "deconfig");
	assert_false(f.have_lease);
	assert_int_equal(f.state, DHCP_ST_WAIT);
}

/* In RENEWING the REQUEST went to our server: a stranger's NAK is
 * ignored, our server's counts. */
static void test_nak_stranger_renewing(void **state)
{
	(void)state;
	start(1000, NULL);
	reply(DHCPOFFER, 36);
	reply(DHCPACK, 36);
	run_to(19000);
	assert_int_equal(f.state, DHCP_ST_RENEWING);
	last_event[0] = 0;
	server = 2;
	reply(DHCPNAK, 0);
	assert_int_equal(f.state, DHCP_ST_RENEWING);
	assert_true(f.have_lease);
	assert_string_equal(last_event, "");
	server = 1;
	reply(DHCPNAK, 0);
	assert_string_equal(last_event, "deconfig");
	assert_false(f.have_lease);
}

/* In REQUESTING, too, only the server we selected may NAK. */
static void test_nak_stranger_requesting(void **state)
{
	(void)state;
	start(1000, NULL);
	reply(DHCPOFFER, 36);
	assert_int_equal(f.state, DHCP_ST_REQUESTING);
	server = 2;
	reply(DHCPNAK, 0);
	assert_int_equal(f.state, DHCP_ST_REQUESTING);
	server = 1;
	reply(DHCPACK, 36);
	assert_string_equal(last_event, "bound");
}

/* -q -R: deconfig at exit but no RELEASE, as udhcpc (it sends one only
 * from BOUND, and -q exits before). */
static void test_quit_release(void **state)
{
	uint32_t ip;

	(void)state;
	msg_listen_none(&f);
	cfg.quit = cfg.release = true;
	memset(&f, 0, sizeof(f));
	f.ifindex = 2;
	memcpy(f.mac, mac, 6);
	n_sent = 0;
	fsm_init(&f, &cfg);
	run_to(now);
	reply(DHCPOFFER, 36);
	reply(DHCPACK, 36);
	assert_true(f.done);
	assert_int_equal(f.exit_code, 0);
	assert_string_equal(last_event, "deconfig");
	assert_int_equal(n_sent, 2);
	assert_int_equal(last_sent(&ip), DHCPREQUEST);
}

/*
 * 32-bit leases on a clock far from zero (issue "targets": armhf has a
 * 32-bit time_t and long).  Each start puts a deadline across 2^31 or
 * 2^32 of ms or s: 2^31 and 2^32 ms, 2^31 and 2^32 s, 2^62 ns, 2^62 ms.
 */
static const int64_t starts[] = {
	1000,
	INT32_MAX - 10000LL,
	UINT32_MAX - 10000LL,
	(INT32_MAX - 10LL) * 1000,
	(UINT32_MAX + 7LL) * 1000,
	(INT64_C(1) << 62) / 1000000 - 10000,
	(INT64_C(1) << 62) - 10000,
};

#define N_STARTS (sizeof(starts) / sizeof(starts[0]))
#define INFINITE 0xffffffffu /* RFC 2131 3.3 */

/* OFFER, then an ACK with options 51, 58 and 59 (NO_OPT: none). */
static void bind_lease(int64_t lease, int64_t t1, int64_t t2)
{
	struct dhcp_msg m;
	const char *why;

	assert_int_equal(dhcp_parse(sent, sent_len, &m, &why), 0);
	assert_int_equal(m.secs, 0); /* from the start, not the clock's 0 */
	reply_opts(DHCPOFFER, lease, t1, t2);
	assert_int_equal(f.state, DHCP_ST_REQUESTING);
	reply_opts(DHCPACK, lease, t1, t2);
	assert_string_equal(last_event, "bound");
	assert_int_equal(f.state, DHCP_ST_BOUND);
}

/* T1, T2 and expiry at @t1, @t2 and @lease s after @t0 ms. */
static void assert_times(int64_t t0, uint32_t t1, uint32_t t2, uint32_t lease)
{
	assert_int_equal(f.t1, t0 + t1 * 1000LL);
	assert_int_equal(f.t2, t0 + t2 * 1000LL);
	assert_int_equal(f.expiry, t0 + lease * 1000LL);
	assert_int_equal(f.deadline, f.t1);
}

/* The timeouts before @end, one by one as run.c's loop runs them: each
 * in state @st sends one message and waits half the time left, at least
 * a minute (RFC 2131 4.4.5), so they are few; the last waits for @end. */
static void walk_to(int64_t end, enum dhcp_state st)
{
	unsigned steps = 0;

	while (f.deadline < end) {
		int64_t t = f.deadline;
		unsigned n = n_sent;

		assert_true(t > now);
		assert_true(++steps < 48);
		run_to(t);
		assert_int_equal(f.state, st);
		assert_int_equal(n_sent, n + 1);
		assert_true(f.deadline == end || f.deadline >= t + 60000);
	}
	assert_int_equal(f.deadline, end);
}

/* A lease nobody answers for: silent until T1, a REQUEST at T1,
 * REBINDING at T2, the address gone at expiry, to the millisecond. */
static void live_lease(void)
{
	int64_t t1 = f.t1, t2 = f.t2, end = f.expiry;
	unsigned n = n_sent;
	uint32_t ip;

	run_to(t1 - 1);
	assert_int_equal(f.state, DHCP_ST_BOUND);
	assert_int_equal(f.deadline, t1);
	assert_int_equal(n_sent, n);
	run_to(t1);
	assert_int_equal(f.state, DHCP_ST_RENEWING);
	assert_int_equal(n_sent, n + 1);
	assert_int_equal(last_sent(&ip), DHCPREQUEST);
	walk_to(t2, DHCP_ST_RENEWING);
	run_to(t2);
	assert_int_equal(f.state, DHCP_ST_REBINDING);
	walk_to(end, DHCP_ST_REBINDING);
	run_to(end - 1);
	assert_true(f.have_lease);
	assert_string_equal(last_event, "bound");
	run_to(end);
	assert_false(f.have_lease);
	assert_string_equal(last_event, "deconfig");
	assert_int_equal(f.state, DHCP_ST_SELECTING);
	assert_int_equal(last_sent(&ip), DHCPDISCOVER);
}

/* Leases past INT32_MAX ms and s: T1 at 0.5, T2 at 0.875, kept to the
 * end, on every clock. */
static void test_long_leases(void **state)
{
	static const uint32_t want[][3] = {
		{ 0x7fffffff, 0x3fffffff, 0x6fffffff },
		{ 0x80000000, 0x40000000, 0x70000000 },
		{ 0xfffffffe, 0x7fffffff, 0xdffffffe },
	};

	(void)state;
	for (size_t i = 0; i < N_STARTS; i++) {
		for (size_t j = 0; j < sizeof(want) / sizeof(want[0]); j++) {
			start(starts[i], NULL);
			bind_lease(want[j][0], NO_OPT, NO_OPT);
			assert_times(starts[i], want[j][1], want[j][2],
				     want[j][0]);
			live_lease();
		}
	}
}

/* A renewal answered at T1 counts the new lease from the ACK. */
static void test_long_lease_renewed(void **state)
{
	int64_t t1;

	(void)state;
	for (size_t i = 0; i < N_STARTS; i++) {
		start(starts[i], NULL);
		bind_lease(0xfffffffe, NO_OPT, NO_OPT);
		t1 = f.t1;
		run_to(t1);
		assert_int_equal(f.state, DHCP_ST_RENEWING);
		reply(DHCPACK, 0xfffffffe);
		assert_string_equal(last_event, "renew");
		assert_int_equal(f.state, DHCP_ST_BOUND);
		assert_times(t1, 0x7fffffff, 0xdffffffe, 0xfffffffe);
	}
}

/* 0xffffffff is infinite (RFC 2131 3.3), whatever T1 and T2 say: no
 * timer at all (udhcpc clamps it to INT_MAX s, renews after 34 years), and
 * "lease time 4294967295" in the log, as udhcpc's %u.  USR1 still
 * renews once, then the lease goes back to no timer. */
static void test_infinite_lease(void **state)
{
	static const int64_t t[][2] = { { NO_OPT, NO_OPT },
					{ 100, 200 },
					{ 0x7fffffff, 0xfffffffe } };
	unsigned n;

	(void)state;
	for (size_t i = 0; i < N_STARTS; i++) {
		for (size_t j = 0; j < sizeof(t) / sizeof(t[0]); j++) {
			start(starts[i], NULL);
			capture(2);
			bind_lease(INFINITE, t[j][0], t[j][1]);
			assert_non_null(strstr(captured(),
					       ", lease time 4294967295\n"));
			assert_int_equal(f.t1, -1);
			assert_int_equal(f.t2, -1);
			assert_int_equal(f.expiry, -1);
			assert_int_equal(f.deadline, -1);
			n = n_sent;
			run_to(now + (INT64_C(1) << 45));
			assert_int_equal(n_sent, n);
			assert_true(f.have_lease);
			fsm_signal(&f, SIGUSR1);
			assert_int_equal(n_sent, n + 1);
			run_to(f.deadline); /* the broadcast after -T */
			assert_int_equal(n_sent, n + 2);
			run_to(f.deadline);
			assert_int_equal(f.state, DHCP_ST_BOUND);
			assert_int_equal(f.deadline, -1);
			assert_true(f.have_lease);
		}
	}
}

/* Options 58 and 59 near the 32-bit limits: taken when T1 < T2 < lease
 * (0 < T1: a T1 of 0 would renew at once after every ACK), else 0.5
 * and 0.875 of the lease, whatever a hostile server sends. */
static void test_t1_t2_options(void **state)
{
	static const struct {
		int64_t lease, t1, t2; /* the options */
		uint32_t want_t1, want_t2;
	} c[] = {
		{ 0xfffffffe, 0x7fffffff, 0xfffffffd, 0x7fffffff, 0xfffffffd },
		{ 0xfffffffe, 0xfffffffc, 0xfffffffd, 0xfffffffc, 0xfffffffd },
		{ 0x7fffffff, 0x7ffffffd, 0x7ffffffe, 0x7ffffffd, 0x7ffffffe },
		{ 0x80000000, 0x7ffffffe, 0x7fffffff, 0x7ffffffe, 0x7fffffff },
		{ 0xfffffffe, 1000, NO_OPT, 1000, 0xdffffffe },
		{ 0xfffffffe, NO_OPT, 0xfffffff0, 0x7fffffff, 0xfffffff0 },
		/* T2 = lease; T2 > lease; negative as s32; T1 > T2;
		 * T1 = T2; T1 past the default T2; T2 before the default
		 * T1; T1 = 0 */
		{ 0xfffffffe, 0xfffffffd, 0xfffffffe, 0x7fffffff, 0xdffffffe },
		{ 0xfffffffe, 0xffffffff, 0xffffffff, 0x7fffffff, 0xdffffffe },
		{ 0x7fffffff, 0x80000000, 0x80000001, 0x3fffffff, 0x6fffffff },
		{ 0x7fffffff, 0x40000000, 0x3fffffff, 0x3fffffff, 0x6fffffff },
		{ 0x7fffffff, 0x3fffffff, 0x3fffffff, 0x3fffffff, 0x6fffffff },
		{ 0xfffffffe, 0xe0000000, NO_OPT, 0x7fffffff, 0xdffffffe },
		{ 0xfffffffe, NO_OPT, 0x10000000, 0x7fffffff, 0xdffffffe },
		{ 0x7fffffff, 0, 0x60000000, 0x3fffffff, 0x6fffffff },
	};

	(void)state;
	for (size_t i = 0; i < N_STARTS; i++) {
		for (size_t j = 0; j < sizeof(c) / sizeof(c[0]); j++) {
			start(starts[i], NULL);
			bind_lease(c[j].lease, c[j].t1, c[j].t2);
			assert_times(starts[i], c[j].want_t1, c[j].want_t2,
				     (uint32_t)c[j].lease);
			live_lease();
		}
	}
}

/* --lease-file keeps the ACK's bytes: a long lease's options come back
 * whole.  It keeps no absolute time: after a reboot the clock starts
 * near 0 again, and the times count from the new ACK. */
static void test_lease_file_long(void **state)
{
	static const uint32_t want[][3] = {
		{ 0x7fffffff, 0x10000000, 0x6fffffff },
		{ 0xfffffffe, 0x10000000, 0xdffffffe },
		{ INFINITE, 0, 0 },
	};
	struct dhcp_msg m;
	const char *why;
	uint32_t v, ip;

	(void)state;
	for (size_t j = 0; j < sizeof(want) / sizeof(want[0]); j++) {
		file_len = 0;
		start(starts[N_STARTS - 1], "lease");
		bind_lease(want[j][0], 0x10000000, NO_OPT);
		assert_int_equal(lease_parse(file_buf, file_len, mac, &m, &why),
				 0);
		assert_true(dhcp_opt_be32(&m, DHO_LEASE, &v));
		assert_int_equal(ntohl(v), want[j][0]);
		assert_true(dhcp_opt_be32(&m, DHO_T1, &v));
		assert_int_equal(ntohl(v), 0x10000000);
		start(1000, "lease");
		assert_int_equal(f.state, DHCP_ST_REBOOTING);
		assert_false(f.have_lease);
		assert_int_equal(f.expiry, -1);
		assert_int_equal(f.deadline, 4000);
		assert_int_equal(last_sent(&ip), DHCPREQUEST);
		assert_int_equal(ip, htonl(0x0a000005));
		reply_opts(DHCPACK, want[j][0], 0x10000000, NO_OPT);
		assert_string_equal(last_event, "bound");
		if (want[j][0] == INFINITE) {
			assert_int_equal(f.deadline, -1);
			continue;
		}
		assert_times(1000, want[j][1], want[j][2], want[j][0]);
		live_lease();
	}
	file_len = 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_usr1_renew_stops_at_expiry,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_reboot_stops_at_expiry,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_rebinding_expires, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_release_then_renew, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_nak_other_server_rebinding,
						setup, teardown),
		cmocka_unit_test_setup_teardown(
			test_nak_other_server_init_reboot, setup, teardown),
		cmocka_unit_test_setup_teardown(test_nak_stranger_renewing,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_nak_stranger_requesting,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_nak_forgets_address, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_quit_release, setup,
						teardown),
		cmocka_unit_test_teardown(test_long_leases, teardown),
		cmocka_unit_test_teardown(test_long_lease_renewed, teardown),
		cmocka_unit_test_teardown(test_infinite_lease, teardown),
		cmocka_unit_test_teardown(test_t1_t2_options, teardown),
		cmocka_unit_test_teardown(test_lease_file_long, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

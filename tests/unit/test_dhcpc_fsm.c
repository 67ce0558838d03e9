// SPDX-License-Identifier: MIT
/*
 * dhcpc/fsm.c: the RFC 2131 transitions (figure 5) on a fake clock, the
 * actions it hands the loop for each, RFC 5227 conflicts and the log of
 * stray packets.  The lease timers are in test_dhcpc_fsm_timers.c.
 */
#include <errno.h>
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
#include "dhcpc_fsm_harness.h"

/* Bound at 1000 ms on a 36 s lease: T1 at 19 s, T2 at 32 s, expiry at
 * 37 s; then REBINDING from T2 without an answer. */
static int setup(void **state)
{
	(void)state;
	server = 1;
	file_len = 0;
	start(1000, NULL);
	reply(DHCPOFFER, 36);
	reply(DHCPACK, 36);
	assert_string_equal(last_event, "bound");
	assert_int_equal(f.expiry, 37000);
	run_to(32000);
	assert_int_equal(f.state, DHCP_ST_REBINDING);
	return 0;
}

/* A client of -f -t 3 -T 3 -A 20 started at 1000 ms: its DISCOVER. */
static int setup_init(void **state)
{
	(void)state;
	server = 1;
	file_len = 0;
	start(1000, NULL);
	return 0;
}

/* INIT -> SELECTING: deconfig first (udhcpc's start), then a DISCOVER on
 * the raw socket, broadcast; -T 3 s apart, -t 3 of them, then leasefail
 * and -A 20 s of WAIT before the next round. */
static void test_init_selecting(void **state)
{
	uint32_t ip;

	(void)state;
	assert_int_equal(n_events, 1);
	assert_string_equal(events[0].name, "deconfig");
	assert_int_equal(f.state, DHCP_ST_SELECTING);
	assert_int_equal(listening, FSM_LISTEN_RAW);
	assert_int_equal(n_sent, 1);
	assert_false(sent_ucast);
	assert_int_equal(last_sent(&ip), DHCPDISCOVER);
	assert_int_equal(f.deadline, 4000);
	run_to(7000);
	assert_int_equal(n_sent, 3);
	assert_string_equal(last_event, "deconfig");
	run_to(10000);
	assert_string_equal(last_event, "leasefail");
	assert_int_equal(f.state, DHCP_ST_WAIT);
	assert_int_equal(listening, FSM_LISTEN_NONE);
	assert_int_equal(f.deadline, 30000);
	run_to(30000);
	assert_int_equal(f.state, DHCP_ST_SELECTING);
	assert_int_equal(n_sent, 4);
	assert_int_equal(last_sent(&ip), DHCPDISCOVER);
}

/* SELECTING -> REQUESTING on an OFFER: a broadcast REQUEST naming the
 * server (54) and the address (50), no ciaddr (RFC 2131 4.3.2); 3 of
 * them, then leasefail. */
static void test_selecting_requesting(void **state)
{
	const struct dhcp_msg *m;
	uint32_t v;

	(void)state;
	reply(DHCPOFFER, 36);
	assert_int_equal(f.state, DHCP_ST_REQUESTING);
	m = sent_msg();
	assert_int_equal(m->type, DHCPREQUEST);
	assert_false(sent_ucast);
	assert_int_equal(m->ciaddr, 0);
	assert_true(dhcp_opt_be32(m, DHO_SERVER_ID, &v));
	assert_int_equal(v, htonl(0x0a000001));
	assert_true(dhcp_opt_be32(m, DHO_REQ_IP, &v));
	assert_int_equal(v, htonl(0x0a000005));
	run_to(7000);
	assert_int_equal(n_sent, 4); /* DISCOVER, 3 REQUESTs */
	run_to(10000);
	assert_string_equal(last_event, "leasefail");
	assert_int_equal(f.state, DHCP_ST_WAIT);
}

/* REQUESTING -> BOUND: bound, no socket, a timer at T1, the lease saved;
 * without -f, a fork after the script (udhcpc's client_background()). */
static void test_requesting_bound(void **state)
{
	(void)state;
	cfg.foreground = false;
	cfg.lease_file = "lease";
	reply(DHCPOFFER, 36);
	reply(DHCPACK, 36);
	assert_string_equal(last_event, "bound");
	assert_int_equal(f.state, DHCP_ST_BOUND);
	assert_int_equal(listening, FSM_LISTEN_NONE);
	assert_int_equal(f.deadline, 19000);
	assert_int_equal(n_forks, 1);
	assert_true(file_len > 0);
	/* the next ACK (a renewal) forks no more */
	run_to(19000);
	reply(DHCPACK, 36);
	assert_string_equal(last_event, "renew");
	assert_int_equal(n_forks, 1);
	file_len = 0;
}

/* REQUESTING -> INIT on our server's NAK: nak, no deconfig (nothing was
 * configured), 3 s, then DISCOVER. */
static void test_requesting_nak(void **state)
{
	(void)state;
	reply(DHCPOFFER, 36);
	reply(DHCPNAK, 0);
	assert_string_equal(last_event, "nak");
	assert_int_equal(count_events("deconfig"), 1);
	assert_int_equal(f.state, DHCP_ST_WAIT);
	run_to(now + 3000);
	assert_int_equal(f.state, DHCP_ST_SELECTING);
}

/* --rapid-commit: an ACK with option 80 in SELECTING binds at once. */
static void test_rapid_commit(void **state)
{
	(void)state;
	reply_opts(DHCPACK, 36, NO_OPT, NO_OPT);
	assert_int_equal(f.state, DHCP_ST_SELECTING); /* not asked for */
	cfg.rapid_commit = true;
	restart();
	{
		uint8_t b[DHCP_MIN_LEN] = { 2, 1, 6 };
		static const uint8_t o[] = { 0x63, 0x82, 0x53, 0x63, 53, 1,
					     5,	   54,	 4,    10,   0,	 0,
					     1,	   80,	 0,    255 };
		uint32_t xid = htonl(f.xid);

		memcpy(b + 4, &xid, 4);
		b[16] = 10, b[19] = 5;
		memcpy(b + 28, mac, 6);
		memcpy(b + 236, o, sizeof(o));
		fsm_packet(&f, now, b, sizeof(b));
		drain();
	}
	assert_string_equal(last_event, "bound");
	assert_int_equal(f.state, DHCP_ST_BOUND);
}

/* -n: leasefail exits 1; -b: leasefail forks and tries again. */
static void test_now_and_background(void **state)
{
	(void)state;
	cfg.now = true;
	restart();
	run_to(now + 9000);
	assert_true(f.done);
	assert_int_equal(f.exit_code, 1);
	assert_string_equal(last_event, "leasefail");
	cfg.now = false;
	cfg.background = true;
	cfg.foreground = false;
	restart();
	run_to(now + 9000);
	assert_false(f.done);
	assert_int_equal(n_forks, 1);
	assert_int_equal(f.state, DHCP_ST_WAIT);
	run_to(now + 60000);
	assert_int_equal(n_forks, 1);
}

/* The link came back while SELECTING: a new round at once. */
static void test_carrier_selecting(void **state)
{
	unsigned n = n_sent;

	(void)state;
	run_to(2000);
	carrier(false);
	carrier(true);
	assert_int_equal(f.deadline, now);
	run_to(now);
	assert_int_equal(n_sent, n + 1);
	assert_int_equal(f.deadline, now + 3000);
}

/* USR1 while BOUND: a unicast REQUEST (RENEWING, ciaddr set) at once;
 * unanswered, one broadcast -T later (REBINDING), then BOUND until T1. */
static void test_usr1_bound(void **state)
{
	(void)state;
	reply(DHCPOFFER, 36);
	reply(DHCPACK, 36);
	run_to(5000);
	sig(SIGUSR1);
	assert_int_equal(f.state, DHCP_ST_RENEWING);
	assert_true(sent_ucast);
	assert_int_equal(sent_msg()->ciaddr, htonl(0x0a000005));
	run_to(8000);
	assert_int_equal(f.state, DHCP_ST_REBINDING);
	assert_false(sent_ucast);
	run_to(11000);
	assert_int_equal(f.state, DHCP_ST_BOUND);
	assert_int_equal(listening, FSM_LISTEN_NONE);
	assert_int_equal(f.deadline, 19000);
	reply(DHCPACK, 36); /* too late: not asked for */
	assert_string_equal(last_event, "bound");
}

/* SIGTERM with -R while bound: RELEASE (unicast), deconfig, exit 0. */
static void test_term_release(void **state)
{
	(void)state;
	cfg.release = true;
	reply(DHCPOFFER, 36);
	reply(DHCPACK, 36);
	sig(SIGTERM);
	assert_true(f.done);
	assert_int_equal(f.exit_code, 0);
	assert_true(sent_ucast);
	assert_int_equal(sent_msg()->type, DHCPRELEASE);
	assert_string_equal(last_event, "deconfig");
}

/* REBINDING -> BOUND on any server's ACK: renew. */
static void test_rebinding_ack(void **state)
{
	(void)state;
	server = 2;
	reply(DHCPACK, 36);
	assert_string_equal(last_event, "renew");
	assert_int_equal(f.state, DHCP_ST_BOUND);
	assert_int_equal(f.server, htonl(0x0a000002));
}

/* INIT-REBOOT from the lease file: 2 REQUESTs, then INIT; with a lease
 * (the link came back), the lease's own schedule instead. */
static void test_reboot_gives_up(void **state)
{
	(void)state;
	cfg.lease_file = "lease";
	reply(DHCPOFFER, 36);
	reply(DHCPACK, 36);
	start(1000, "lease");
	assert_int_equal(f.state, DHCP_ST_REBOOTING);
	run_to(4000);
	assert_int_equal(n_sent, 2);
	run_to(7000);
	assert_int_equal(f.state, DHCP_ST_SELECTING);
	assert_int_equal(last_sent(&(uint32_t){ 0 }), DHCPDISCOVER);
	file_len = 0;
	start(1000, NULL);
	reply(DHCPOFFER, 36);
	reply(DHCPACK, 36);
	run_to(2000);
	carrier(false);
	carrier(true);
	run_to(8000);
	assert_int_equal(f.state, DHCP_ST_BOUND);
	assert_true(f.have_lease);
	assert_int_equal(f.deadline, 19000);
}

/* RFC 2131 4.4.5: at expiry the address goes, even with a USR1 renew
 * under way (it waited -T past the expiry, then a broadcast round). */
static void test_usr1_renew_stops_at_expiry(void **state)
{
	(void)state;
	run_to(35500);
	sig(SIGUSR1);
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
	carrier(false);
	carrier(true);
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
	sig(SIGUSR2);
	assert_string_equal(last_event, "deconfig");
	assert_int_equal(last_sent(&ip), DHCPRELEASE);
	assert_int_equal(f.state, DHCP_ST_RELEASED);
	assert_int_equal(listening, FSM_LISTEN_NONE);
	assert_int_equal(f.deadline, -1);
	sig(SIGUSR1);
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
	start(1000, NULL);
	reply(DHCPOFFER, 36);
	reply(DHCPACK, 36);
	run_to(20000);
	carrier(false);
	carrier(true);
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
	assert_int_equal(listening, FSM_LISTEN_UDP);
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
	cfg.quit = cfg.release = true;
	restart();
	reply(DHCPOFFER, 36);
	reply(DHCPACK, 36);
	assert_true(f.done);
	assert_int_equal(f.exit_code, 0);
	assert_string_equal(last_event, "deconfig");
	assert_int_equal(n_sent, 2);
	assert_int_equal(last_sent(&ip), DHCPREQUEST);
}

/* -a: the ACK is probed first; the address free, bound, then two
 * announcements 2 s apart (RFC 5227 2.3) and the ARP socket closed. */
static void test_probe_announce(void **state)
{
	int64_t t;

	(void)state;
	cfg.arp_ms = 2000;
	reply(DHCPOFFER, 36);
	reply(DHCPACK, 36);
	assert_int_equal(n_probes, 1);
	assert_string_equal(last_event, "bound");
	t = now;
	run_to(t + 1999);
	assert_int_equal(n_announces, 1);
	run_to(t + 2000);
	assert_int_equal(n_announces, 2);
	assert_false(arp_held);
	assert_int_equal(f.announce_at, -1);
	/* a renewal is not probed again */
	run_to(19000);
	reply(DHCPACK, 36);
	assert_string_equal(last_event, "renew");
	assert_int_equal(n_probes, 1);
}

/* -a: a conflict DECLINEs (broadcast) and waits -A (at least 10 s, RFC
 * 2131 3.1); from the MAX_CONFLICTS-th (10) conflict on, a minute (RFC
 * 5227 2.1.1: a host answering every probe gets one DECLINE a minute, not
 * one every 10 s).  A clean probe starts the count again. */
static void test_conflict_rate_limit(void **state)
{
	int64_t last = -1, gap;
	unsigned n = 0;

	(void)state;
	cfg.arp_ms = 1000;
	cfg.tryagain = 0;
	restart();
	probe_result = 1;
	while (n < 14) {
		run_to(f.deadline);
		assert_int_equal(f.state, DHCP_ST_SELECTING);
		reply(DHCPOFFER, 36);
		reply(DHCPACK, 36);
		assert_int_equal(f.state, DHCP_ST_WAIT);
		assert_int_equal(sent_msg()->type, DHCPDECLINE);
		assert_false(sent_ucast);
		gap = f.deadline - now;
		assert_int_equal(gap, ++n >= 10 ? 60000 : 10000);
		if (last >= 0)
			assert_true(now - last >= (n > 10 ? 60000 : 10000));
		last = now;
	}
	assert_int_equal(count_events("bound"), 0);
	probe_result = 0;
	run_to(f.deadline);
	reply(DHCPOFFER, 36);
	reply(DHCPACK, 36);
	assert_string_equal(last_event, "bound");
	assert_int_equal(f.n_conflicts, 0);
}

/* Count of lines in @s. */
static unsigned lines(const char *s)
{
	unsigned n = 0;

	for (; *s; s++)
		n += *s == '\n';
	return n;
}

/* Replies for other clients (their xid or MAC: servers broadcast them)
 * are logged at debug level; damaged ones, 5 a minute, then a notice
 * and debug level: a flood of 3000 gives 6 lines, not 3000. */
static void test_stray_flood(void **state)
{
	uint8_t bad[10] = { 2, 1, 6 };
	const char *out;

	(void)state;
	capture(2);
	for (int i = 0; i < 1000; i++) {
		now++;
		reply_xid(DHCPOFFER, 36, NO_OPT, NO_OPT, f.xid ^ 1);
		fsm_packet(&f, now, bad, sizeof(bad));
		fsm_log_damaged(&f, now, "eth0: ignoring frame: %s",
				"bad UDP checksum");
	}
	out = captured();
	assert_int_equal(lines(out), 6);
	assert_non_null(strstr(out, "more packets ignored"));
	assert_null(strstr(out, "is not ours"));
	/* a minute later, the same again */
	now += 60000;
	capture(2);
	for (int i = 0; i < 100; i++)
		fsm_packet(&f, now, bad, sizeof(bad));
	assert_int_equal(lines(captured()), 6);
	/* -v: every one */
	log_set_verbosity(1);
	capture(2);
	for (int i = 0; i < 100; i++)
		reply_xid(DHCPOFFER, 36, NO_OPT, NO_OPT, f.xid ^ 1);
	out = captured();
	log_set_verbosity(0);
	assert_int_equal(lines(out), 100);
	assert_non_null(strstr(out, "is not ours"));
	assert_int_equal(f.state, DHCP_ST_SELECTING);
}

#define T(fn, s) cmocka_unit_test_setup(fn, s)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_init_selecting, setup_init),
		T(test_selecting_requesting, setup_init),
		T(test_requesting_bound, setup_init),
		T(test_requesting_nak, setup_init),
		T(test_rapid_commit, setup_init),
		T(test_now_and_background, setup_init),
		T(test_carrier_selecting, setup_init),
		T(test_usr1_bound, setup_init),
		T(test_term_release, setup_init),
		T(test_rebinding_ack, setup),
		T(test_reboot_gives_up, setup_init),
		T(test_usr1_renew_stops_at_expiry, setup),
		T(test_reboot_stops_at_expiry, setup),
		T(test_rebinding_expires, setup),
		T(test_release_then_renew, setup),
		T(test_nak_forgets_address, setup),
		T(test_nak_other_server_rebinding, setup),
		T(test_nak_other_server_init_reboot, setup_init),
		T(test_nak_stranger_renewing, setup_init),
		T(test_nak_stranger_requesting, setup_init),
		T(test_quit_release, setup_init),
		T(test_probe_announce, setup_init),
		T(test_conflict_rate_limit, setup_init),
		T(test_stray_flood, setup_init),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

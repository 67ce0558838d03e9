// SPDX-License-Identifier: MIT
/*
 * dhcpc/fsm.c and timers.c: the lease timers on a fake clock.  RFC 2131 4.4.5's
 * T1, T2 and expiry to the millisecond on clocks far from zero; leases past 32
 * bits; infinite leases; and the floors that keep a server from making the
 * client renew (script run, lease file written) over and over (timers.c's
 * MIN_LEASE, T1_MIN, RENEW_GAP).
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

static int teardown(void **state)
{
	(void)state;
	file_len = 0;
	server = 1;
	return 0;
}

/*
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
			sig(SIGUSR1);
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

/* ---- floors: no renewal storm, whatever the server says ------------- */

static unsigned answered; /* messages sent that the server answered */

/* The server answers every message sent since, at once: an OFFER to a
 * DISCOVER, an ACK to a REQUEST for a new lease, @renewal (ACK or NAK)
 * to one of RENEWING or REBINDING; each with @lease, @t1 and @t2. */
static void answer(uint8_t renewal, int64_t lease, int64_t t1, int64_t t2)
{
	uint32_t ip;

	while (answered < n_sent && !f.done) {
		answered = n_sent;
		if (last_sent(&ip) == DHCPDISCOVER)
			reply_opts(DHCPOFFER, lease, t1, t2);
		else if (f.state == DHCP_ST_RENEWING ||
			 f.state == DHCP_ST_REBINDING)
			reply_opts(renewal, lease, t1, t2);
		else
			reply_opts(DHCPACK, lease, t1, t2);
	}
}

/* The client on its own until @end, with that server. */
static void serve(int64_t end, uint8_t renewal, int64_t lease, int64_t t1,
		  int64_t t2)
{
	answered = 0;
	answer(renewal, lease, t1, t2);
	while (!f.done && next_wake() >= 0 && next_wake() <= end) {
		run_to(next_wake());
		answer(renewal, lease, t1, t2);
	}
	run_to(end);
}

/* The times of the script events @name, into @t (at most @max). */
static unsigned times_of(const char *name, int64_t *t, unsigned max)
{
	unsigned n = 0;

	for (unsigned i = 0; i < n_events && n < max; i++)
		if (!strcmp(events[i].name, name))
			t[n++] = events[i].t;
	return n;
}

/* T1 = 1, T2 = 2 on an hour's lease, every renewal ACKed at once: the
 * first renewal at T1_MIN (5 s), then one a minute (RENEW_GAP), to the
 * millisecond: 60 in an hour, where the server asked for 3600. */
static void test_t1_storm(void **state)
{
	static int64_t t[MAX_EVENTS];
	unsigned n;

	(void)state;
	start(1000, NULL);
	capture(2);
	serve(1000 + 3600000, DHCPACK, 3600, 1, 2);
	assert_non_null(strstr(captured(), "T1 of 1 s raised to 5 s"));
	assert_int_equal(times_of("bound", t, MAX_EVENTS), 1);
	assert_int_equal(t[0], 1000);
	n = times_of("renew", t, MAX_EVENTS);
	assert_int_equal(n, 60);
	for (unsigned i = 0; i < n; i++)
		assert_int_equal(t[i], 6000 + 60000LL * i);
	assert_int_equal(f.t1, t[n - 1] + 60000);
	assert_int_equal(f.t2, t[n - 1] + 3150000);
}

/* Short leases are honoured as udhcpc does: 30 s (or 0, raised to 30)
 * renews every 15 s, a 60 s lease every 30 s (half the lease, under
 * RENEW_GAP), even with T1 = 1. */
static void test_short_leases(void **state)
{
	static const struct {
		int64_t lease, t1, t2;
		int64_t first, gap; /* ms */
	} c[] = {
		{ 30, NO_OPT, NO_OPT, 15000, 15000 },
		{ 0, NO_OPT, NO_OPT, 15000, 15000 },
		{ 60, NO_OPT, NO_OPT, 30000, 30000 },
		{ 60, 1, 2, 5000, 30000 },
		{ 120, 1, 2, 5000, 60000 },
	};
	static int64_t t[64];
	unsigned n;

	(void)state;
	for (size_t j = 0; j < sizeof(c) / sizeof(c[0]); j++) {
		start(1000, NULL);
		capture(2);
		serve(1000 + 600000, DHCPACK, c[j].lease, c[j].t1, c[j].t2);
		captured();
		n = times_of("renew", t, 64);
		assert_true(n >= 600000 / c[j].gap - 1);
		assert_int_equal(t[0], 1000 + c[j].first);
		for (unsigned i = 1; i < n; i++)
			assert_int_equal(t[i] - t[i - 1], c[j].gap);
		assert_true(f.have_lease);
	}
}

/* Every renewal NAKed, every new lease ACKed, T1 = 1 on an hour's lease:
 * nak, deconfig, 3 s, bound, over and over, but a new lease less than a
 * minute after the last renews no sooner than a minute: one round a
 * minute (and 3 s), not one every 4 s. */
static void test_nak_storm(void **state)
{
	static int64_t t[MAX_EVENTS];
	unsigned n;

	(void)state;
	start(1000, NULL);
	capture(2);
	serve(1000 + 3600000, DHCPNAK, 3600, 1, 2);
	captured();
	n = times_of("bound", t, MAX_EVENTS);
	assert_int_equal(t[1] - t[0], 5000 + 3000);
	for (unsigned i = 2; i < n; i++)
		assert_int_equal(t[i] - t[i - 1], 60000 + 3000);
	assert_int_equal(n, 2 + (3600000 - 8000) / 63000);
	assert_int_equal(count_events("nak"),
			 n - 1 + (f.state == DHCP_ST_WAIT));
	assert_int_equal(count_events("renew"), 0);
}

/* T1 below T1_MIN is raised to it, T2 kept if after it, else 0.875 of
 * the lease; a T1 at or over it is the server's (udhcpd's T1 5 s, T2 10
 * s on a 30 s lease in test_dhcpc.py); T2 just after T1 gives one
 * unicast REQUEST, then the broadcasts of REBINDING a minute apart. */
static void test_t1_floor(void **state)
{
	static const struct {
		int64_t lease, t1, t2;
		uint32_t want_t1, want_t2;
	} c[] = {
		{ 30, 5, 10, 5, 10 },	  { 30, 4, 10, 5, 10 },
		{ 3600, 1, 2, 5, 3150 },  { 3600, 4, 3000, 5, 3000 },
		{ 3600, 1, 5, 5, 3150 },  { 3600, 100, 101, 100, 101 },
		{ 30, 1, NO_OPT, 5, 26 },
	};

	(void)state;
	for (size_t j = 0; j < sizeof(c) / sizeof(c[0]); j++) {
		start(1000, NULL);
		capture(2);
		bind_lease(c[j].lease, c[j].t1, c[j].t2);
		captured();
		assert_times(1000, c[j].want_t1, c[j].want_t2,
			     (uint32_t)c[j].lease);
		live_lease();
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_long_leases, teardown),
		cmocka_unit_test_teardown(test_long_lease_renewed, teardown),
		cmocka_unit_test_teardown(test_infinite_lease, teardown),
		cmocka_unit_test_teardown(test_t1_t2_options, teardown),
		cmocka_unit_test_teardown(test_lease_file_long, teardown),
		cmocka_unit_test_teardown(test_t1_storm, teardown),
		cmocka_unit_test_teardown(test_short_leases, teardown),
		cmocka_unit_test_teardown(test_nak_storm, teardown),
		cmocka_unit_test_teardown(test_t1_floor, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

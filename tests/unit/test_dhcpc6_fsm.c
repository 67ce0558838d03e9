// SPDX-License-Identifier: MIT
// sources: dhcpc/d6_packet.c dhcpc/d6_timers.c dhcpc/d6_msg.c dhcpc/d6_fsm.c
/* dhcpc/d6_fsm.c on a fake clock: the exchanges of RFC 8415 18, the
 * retransmission times of section 15, and the lease's timers. */
#include <errno.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

static struct d6_fsm f;
static struct d6_cfg cfg;
static struct d6_msg sent; /* the last message sent */
static uint8_t sent_raw[D6_OUT_LEN];
static const char *events[8];
static unsigned n_events, n_sends, n_forks;
static bool sent_mcast;

static const uint8_t DUID[] = { 0, 3, 0, 1, 2, 0, 0, 0, 0, 0xaa };
static const uint8_t SID1[] = { 0, 3, 0, 1, 2, 0, 0, 0, 0, 1 };
static const uint8_t SID2[] = { 0, 3, 0, 1, 2, 0, 0, 0, 0, 2 };
static const uint8_t A1[16] = { 0xfd, 0, 0, 0x77, [15] = 0x60 };
static const uint8_t SRC[16] = { 0xfe, 0x80, [15] = 1 };

/* Performs what the fsm queued, recording it. */
static void drain(void)
{
	const struct d6_act *a;
	const char *why;

	n_events = 0;
	while ((a = d6_fsm_next(&f))) {
		if (a->type == D6_ACT_SEND) {
			memcpy(sent_raw, a->buf, a->len);
			assert_int_equal(
				d6_parse(sent_raw, a->len, &sent, &why), 0);
			sent_mcast = a->mcast;
			n_sends++;
		} else if (a->type == D6_ACT_SCRIPT) {
			if (n_events < 8)
				events[n_events++] = a->event;
		} else {
			n_forks++;
		}
	}
}

static void setup_cfg(void)
{
	memset(&cfg, 0, sizeof(cfg));
	cfg.ifname = "eth0";
	cfg.retries = 3;
	cfg.tryagain = 20;
	cfg.want_na = true;
	cfg.foreground = true;
	cfg.cport = D6_CLIENT_PORT;
}

static void start(int64_t now)
{
	n_sends = n_forks = 0;
	d6_fsm_init(&f, &cfg, DUID, sizeof(DUID), 7, 12345, now);
	drain();
}

struct srv {
	uint8_t type;
	const uint8_t *sid;
	uint32_t t1, t2, pref, valid;
	int preference;	    /* -1: none */
	uint16_t ia_status; /* 0xffff: none */
	bool no_ia;
	uint32_t xid_off;
};

/* A server's message answering the last one sent. */
static void answer(const struct srv *s, int64_t now)
{
	uint8_t out[512], extra[16];
	size_t ex = 0;
	struct d6_req r = { .type = s->type,
			    .xid = sent.xid ^ s->xid_off,
			    .clientid = DUID,
			    .clientid_len = sizeof(DUID),
			    .serverid = s->sid,
			    .serverid_len = s->sid ? sizeof(SID1) : 0 };
	int len;

	if (s->preference >= 0) {
		memcpy(extra, "\0\7\0\1", 4);
		extra[4] = (uint8_t)s->preference;
		ex = 5;
	}
	if (!s->no_ia || s->ia_status != 0xffff) {
		/* with a status, no_ia means an IA with no address */
		r.na.present = true;
		r.na.iaid = 7;
		r.na.t1 = s->t1;
		r.na.t2 = s->t2;
		r.na.n_a = s->no_ia ? 0 : 1;
		memcpy(r.na.a[0].addr, A1, 16);
		r.na.a[0].pref = s->pref;
		r.na.a[0].valid = s->valid;
	}
	r.extra = extra;
	r.extra_len = ex;
	len = d6_build(&r, out, sizeof(out));
	assert_true(len > 0);
	if (s->ia_status != 0xffff) {
		/* a STATUS_CODE appended inside the IA_NA (it comes last
		 * but for ELAPSED_TIME; rebuilt by hand) */
		uint8_t m2[600];
		size_t ia_at = 4 + 4 + sizeof(DUID) + 4 + sizeof(SID1);
		size_t ia_len = (size_t)(out[ia_at + 2] << 8 | out[ia_at + 3]);
		size_t k = ia_at + 4 + ia_len;

		memcpy(m2, out, k);
		memcpy(m2 + k, "\0\15\0\2", 4);
		m2[k + 4] = (uint8_t)(s->ia_status >> 8);
		m2[k + 5] = (uint8_t)s->ia_status;
		memcpy(m2 + k + 6, out + k, (size_t)len - k);
		ia_len += 6;
		m2[ia_at + 2] = (uint8_t)(ia_len >> 8);
		m2[ia_at + 3] = (uint8_t)ia_len;
		d6_fsm_packet(&f, now, m2, (size_t)len + 6, SRC);
	} else {
		d6_fsm_packet(&f, now, out, (size_t)len, SRC);
	}
	drain();
}

static const struct srv ADV = { D6_ADVERTISE, SID1, 100,    160,   300,
				400,	      -1,   0xffff, false, 0 };
static const struct srv REP = { D6_REPLY, SID1, 100,	160,   300,
				400,	  -1,	0xffff, false, 0 };

static void bind_now(int64_t now)
{
	struct srv a = ADV;

	a.preference = 255; /* taken at once */
	answer(&a, now);
	assert_int_equal(sent.type, D6_REQUEST);
	answer(&REP, now + 10);
	assert_string_equal(events[0], "bound");
	assert_int_equal(f.state, D6_ST_BOUND);
}

static void test_rt(void **state)
{
	(void)state;
	/* 15: RT = IRT + RAND*IRT, then 2*RTprev + RAND*RTprev, capped */
	assert_int_equal(d6_rt_next(0, 1000, 0, 100, false), 1100);
	assert_int_equal(d6_rt_next(0, 1000, 0, -100, false), 900);
	assert_int_equal(d6_rt_next(0, 1000, 0, -100, true), 1101);
	assert_int_equal(d6_rt_next(0, 1000, 0, 0, true), 1001);
	assert_int_equal(d6_rt_next(1000, 1000, 0, 0, false), 2000);
	assert_int_equal(d6_rt_next(1000, 1000, 0, 50, false), 2050);
	assert_int_equal(d6_rt_next(20000, 1000, 30000, 0, false), 30000);
	assert_int_equal(d6_rt_next(20000, 1000, 30000, -100, false), 27000);
	assert_int_equal(d6_rt_next(20000, 1000, 30000, 999, false), 33000);
}

/* A Solicit at once; RTs double within +-10 %; after -t sends,
 * leasefail; with -n, exit 1. */
static void test_solicit_retransmit(void **state)
{
	int64_t t = 5000, prev;

	(void)state;
	setup_cfg();
	cfg.now = true;
	start(t);
	assert_string_equal(events[0], "deconfig");
	assert_int_equal(n_sends, 1);
	assert_int_equal(sent.type, D6_SOLICIT);
	assert_true(sent_mcast);
	assert_true(sent.na.present && sent.na.iaid == 7);
	assert_int_equal(sent.clientid.len, sizeof(DUID));
	assert_true(f.deadline > t + 1000 && f.deadline <= t + 1100);
	prev = f.deadline - t;
	t = f.deadline;
	d6_fsm_timeout(&f, t);
	drain();
	assert_int_equal(n_sends, 2);
	assert_true(f.deadline - t >= prev * 19 / 10 &&
		    f.deadline - t <= prev * 21 / 10);
	d6_fsm_timeout(&f, f.deadline);
	drain();
	assert_int_equal(n_sends, 3);
	d6_fsm_timeout(&f, f.deadline);
	drain();
	assert_int_equal(n_sends, 3);
	assert_string_equal(events[0], "leasefail");
	assert_true(f.done);
	assert_int_equal(f.exit_code, 1);
}

/* Advertises are gathered for the first RT; the highest preference
 * wins though it came second; without -n a leasefail waits -A. */
static void test_best_advertise(void **state)
{
	struct srv a1 = ADV, a2 = ADV;

	(void)state;
	setup_cfg();
	start(0);
	a1.preference = 10;
	a2.sid = SID2;
	a2.preference = 200;
	answer(&a1, 100);
	answer(&a2, 200);
	assert_int_equal(n_sends, 1); /* still gathering */
	d6_fsm_timeout(&f, f.collect_end);
	drain();
	assert_int_equal(sent.type, D6_REQUEST);
	assert_memory_equal(sent.serverid.p, SID2, sizeof(SID2));
	assert_int_equal(sent.na.n_a, 1);
	assert_int_equal(sent.na.a[0].valid, 0); /* 21.6 */
	assert_memory_equal(sent.na.a[0].addr, A1, 16);
}

static void test_advertise_checks(void **state)
{
	struct srv a = ADV;

	(void)state;
	setup_cfg();
	start(0);
	a.preference = 255;
	a.xid_off = 1; /* not our transaction */
	answer(&a, 10);
	a.xid_off = 0;
	a.sid = NULL; /* no server identifier */
	answer(&a, 10);
	a.sid = SID1;
	a.valid = a.pref = 0; /* nothing valid offered */
	answer(&a, 10);
	a.valid = 10, a.pref = 20; /* preferred above valid */
	answer(&a, 10);
	assert_int_equal(n_sends, 1);
	a.valid = 30;
	answer(&a, 10);
	assert_int_equal(sent.type, D6_REQUEST);
}

/* Bound: T1/T2 from the server; Renew at T1 to the server, Rebind at T2
 * to all, the lease lost at the end of the valid lifetime. */
static void test_renew_rebind_expire(void **state)
{
	(void)state;
	setup_cfg();
	start(0);
	bind_now(0);
	assert_int_equal(f.t1, 10 + 100000);
	assert_int_equal(f.t2, 10 + 160000);
	assert_int_equal(f.expiry, 10 + 400000);
	assert_int_equal(f.deadline, f.t1);
	d6_fsm_timeout(&f, f.t1);
	drain();
	assert_int_equal(sent.type, D6_RENEW);
	assert_memory_equal(sent.serverid.p, SID1, sizeof(SID1));
	assert_memory_equal(sent.na.a[0].addr, A1, 16);
	while (f.state == D6_ST_RENEW) {
		assert_true(f.deadline <= f.t2);
		d6_fsm_timeout(&f, f.deadline);
		drain();
	}
	assert_int_equal(f.state, D6_ST_REBIND);
	assert_int_equal(sent.type, D6_REBIND);
	assert_null(sent.serverid.p);
	while (f.state == D6_ST_REBIND) {
		assert_true(f.deadline <= f.expiry);
		d6_fsm_timeout(&f, f.deadline);
		drain();
	}
	assert_string_equal(events[0], "deconfig");
	assert_int_equal(f.state, D6_ST_SOLICIT);
	assert_int_equal(sent.type, D6_SOLICIT);
}

static void test_renew_reply(void **state)
{
	struct srv r = REP;

	(void)state;
	setup_cfg();
	start(0);
	bind_now(0);
	d6_fsm_signal(&f, 1000, SIGUSR1);
	drain();
	assert_int_equal(sent.type, D6_RENEW);
	r.valid = 900;
	answer(&r, 2000);
	assert_string_equal(events[0], "renew");
	assert_int_equal(f.expiry, 2000 + 900000);
	/* NoBinding: a Request to the same server (18.2.10.1) */
	d6_fsm_signal(&f, 3000, SIGUSR1);
	drain();
	r.ia_status = D6_ST_NO_BINDING;
	r.no_ia = true;
	answer(&r, 3100);
	assert_int_equal(sent.type, D6_REQUEST);
	assert_int_equal(n_events, 0);
}

/* T1 and T2 of 0: 0.5 and 0.8 of the shortest preferred lifetime;
 * T1 > T2: the IA is discarded and the Request fails. */
static void test_t1_t2_rules(void **state)
{
	struct srv r = REP;

	(void)state;
	setup_cfg();
	start(0);
	r.t1 = r.t2 = 0;
	r.pref = 1000, r.valid = 2000;
	{
		struct srv a = ADV;

		a.preference = 255;
		answer(&a, 0);
	}
	answer(&r, 0);
	assert_int_equal(f.t1, 500000);
	assert_int_equal(f.t2, 800000);

	start(0);
	{
		struct srv a = ADV;

		a.preference = 255;
		answer(&a, 0);
	}
	r.t1 = 100, r.t2 = 50;
	answer(&r, 0);
	assert_string_equal(events[0], "nak");
	assert_int_equal(f.state, D6_ST_WAIT);
	assert_false(f.bound);
	/* a T1 of 1 s is raised (at least 60 s, or half the lease) */
	start(0);
	{
		struct srv a = ADV;

		a.preference = 255;
		answer(&a, 0);
	}
	r.t1 = 1, r.t2 = 2, r.pref = 300, r.valid = 400;
	answer(&r, 0);
	assert_int_equal(f.t1, 60000);
	assert_int_equal(f.t2, 60000);
}

static void test_not_on_link(void **state)
{
	struct srv r = REP;

	(void)state;
	setup_cfg();
	start(0);
	{
		struct srv a = ADV;

		a.preference = 255;
		answer(&a, 0);
	}
	r.ia_status = D6_ST_NOT_ON_LINK;
	r.no_ia = true;
	answer(&r, 10);
	assert_string_equal(events[0], "nak");
	assert_int_equal(f.state, D6_ST_WAIT);
	d6_fsm_timeout(&f, f.deadline);
	drain();
	assert_int_equal(sent.type, D6_SOLICIT);
}

static void test_release_and_quit(void **state)
{
	(void)state;
	setup_cfg();
	cfg.release = true;
	start(0);
	bind_now(0);
	n_sends = 0;
	d6_fsm_signal(&f, 5000, SIGTERM);
	drain();
	assert_int_equal(n_sends, 1);
	assert_int_equal(sent.type, D6_RELEASE);
	assert_memory_equal(sent.serverid.p, SID1, sizeof(SID1));
	assert_memory_equal(sent.na.a[0].addr, A1, 16);
	assert_string_equal(events[0], "deconfig");
	assert_true(f.done);
	assert_int_equal(f.exit_code, 0);

	setup_cfg();
	cfg.quit = true;
	start(0);
	bind_now(0);
	assert_true(f.done);
	/* without -f the client forks once bound */
	setup_cfg();
	cfg.foreground = false;
	start(0);
	bind_now(0);
	assert_int_equal(n_forks, 1);
}

static void test_rapid_commit(void **state)
{
	struct srv r = REP;

	(void)state;
	setup_cfg();
	start(0);
	answer(&r, 10); /* not asked for: ignored */
	assert_int_equal(f.state, D6_ST_SOLICIT);
	cfg.rapid_commit = true;
	start(0);
	assert_true(sent.rapid_commit);
	{
		uint8_t out[512];
		struct d6_req q = { .type = D6_REPLY,
				    .xid = sent.xid,
				    .clientid = DUID,
				    .clientid_len = sizeof(DUID),
				    .serverid = SID1,
				    .serverid_len = sizeof(SID1),
				    .rapid_commit = true };
		int len;

		q.na.present = true;
		q.na.iaid = 7;
		q.na.n_a = 1;
		memcpy(q.na.a[0].addr, A1, 16);
		q.na.a[0].pref = 100, q.na.a[0].valid = 200;
		len = d6_build(&q, out, sizeof(out));
		d6_fsm_packet(&f, 10, out, (size_t)len, SRC);
		drain();
	}
	assert_string_equal(events[0], "bound");
}

static void test_stateless(void **state)
{
	struct srv r = REP;

	(void)state;
	setup_cfg();
	cfg.stateless = true;
	start(0);
	assert_int_equal(sent.type, D6_INFO_REQUEST);
	assert_false(sent.na.present);
	r.no_ia = true;
	answer(&r, 10);
	assert_string_equal(events[0], "bound");
	assert_int_equal(f.state, D6_ST_INFO_BOUND);
	assert_int_equal(f.deadline, 10 + D6_IRT_DEFAULT);
	d6_fsm_timeout(&f, f.deadline);
	drain();
	assert_int_equal(sent.type, D6_INFO_REQUEST);
}

/* Carrier lost and back: a Confirm of the addresses, to all servers,
 * with no IA_PD; Success keeps the lease, no answer in CNF_MAX_RD too,
 * NotOnLink drops it. */
static void test_confirm(void **state)
{
	uint8_t out[256];
	int len;

	(void)state;
	setup_cfg();
	cfg.want_pd = true;
	start(0);
	bind_now(0);
	d6_fsm_carrier(&f, 1000, true); /* no loss before: nothing */
	drain();
	assert_int_equal(f.state, D6_ST_BOUND);
	d6_fsm_carrier(&f, 1000, false);
	d6_fsm_carrier(&f, 2000, true);
	drain();
	assert_int_equal(sent.type, D6_CONFIRM);
	assert_true(sent_mcast);
	assert_null(sent.serverid.p);
	assert_false(sent.pd.present);
	assert_memory_equal(sent.na.a[0].addr, A1, 16);
	/* Success */
	len = d6_build(&(struct d6_req){ .type = D6_REPLY,
					 .xid = sent.xid,
					 .clientid = DUID,
					 .clientid_len = sizeof(DUID),
					 .serverid = SID1,
					 .serverid_len = sizeof(SID1) },
		       out, sizeof(out));
	d6_fsm_packet(&f, 2100, out, (size_t)len, SRC);
	drain();
	assert_int_equal(f.state, D6_ST_BOUND);
	assert_int_equal(n_events, 0);
	assert_true(f.bound);
	/* no answer: the lease stays, at most CNF_MAX_RD later */
	d6_fsm_carrier(&f, 3000, false);
	d6_fsm_carrier(&f, 4000, true);
	drain();
	while (f.state == D6_ST_CONFIRM) {
		assert_true(f.deadline <= 4000 + D6_CNF_MAX_RD);
		d6_fsm_timeout(&f, f.deadline);
		drain();
	}
	assert_int_equal(f.state, D6_ST_BOUND);
	assert_true(f.bound);
	/* NotOnLink */
	d6_fsm_carrier(&f, 20000, false);
	d6_fsm_carrier(&f, 21000, true);
	drain();
	memcpy(out + len, "\0\15\0\2\0\4", 6);
	out[1] = (uint8_t)(sent.xid >> 16), out[2] = (uint8_t)(sent.xid >> 8);
	out[3] = (uint8_t)sent.xid;
	d6_fsm_packet(&f, 21100, out, (size_t)len + 6, SRC);
	drain();
	assert_string_equal(events[0], "deconfig");
	assert_int_equal(sent.type, D6_SOLICIT);
	assert_false(f.bound);
}

/* DAD failed on the lease's address: deconfig, a Decline of it to the
 * server; then a Solicit.  Another address is no concern of ours. */
static void test_decline(void **state)
{
	static const uint8_t other[16] = { 0xfd, [15] = 9 };

	(void)state;
	setup_cfg();
	start(0);
	bind_now(0);
	n_sends = 0;
	d6_fsm_dad_failed(&f, 100, other);
	drain();
	assert_int_equal(n_sends, 0);
	d6_fsm_dad_failed(&f, 100, A1);
	drain();
	assert_string_equal(events[0], "deconfig");
	assert_int_equal(sent.type, D6_DECLINE);
	assert_memory_equal(sent.serverid.p, SID1, sizeof(SID1));
	assert_int_equal(sent.na.n_a, 1);
	assert_memory_equal(sent.na.a[0].addr, A1, 16);
	while (f.state == D6_ST_DECLINE) {
		d6_fsm_timeout(&f, f.deadline);
		drain();
	}
	assert_int_equal(n_sends, D6_DEC_MAX_RC + 1);
	assert_int_equal(sent.type, D6_SOLICIT);
}

/* A Confirm answered after T1 passed: the Renew goes out at once, the
 * deadline is never left in the past (found by dhcpc6_fsm_fuzz). */
static void test_confirm_after_t1(void **state)
{
	uint8_t out[256];
	int len;
	int64_t t;

	(void)state;
	setup_cfg();
	start(0);
	bind_now(0);
	t = f.t1 + 5000;
	d6_fsm_carrier(&f, t, false);
	d6_fsm_carrier(&f, t, true);
	drain();
	assert_int_equal(sent.type, D6_CONFIRM);
	len = d6_build(&(struct d6_req){ .type = D6_REPLY,
					 .xid = sent.xid,
					 .clientid = DUID,
					 .clientid_len = sizeof(DUID),
					 .serverid = SID1,
					 .serverid_len = sizeof(SID1) },
		       out, sizeof(out));
	d6_fsm_packet(&f, t + 100, out, (size_t)len, SRC);
	drain();
	assert_int_equal(f.state, D6_ST_RENEW);
	assert_int_equal(sent.type, D6_RENEW);
	assert_true(f.deadline > t + 100);
}

/* 21.24: SOL_MAX_RT from 60 s to a day caps the Solicit's RT, even from
 * an Advertise ignored for offering nothing; out of range, ignored. */
static void test_sol_max_rt(void **state)
{
	uint8_t out[256];
	int len;

	(void)state;
	setup_cfg();
	cfg.retries = 0;
	start(0);
	len = d6_build(&(struct d6_req){ .type = D6_ADVERTISE,
					 .xid = sent.xid,
					 .clientid = DUID,
					 .clientid_len = sizeof(DUID),
					 .serverid = SID1,
					 .serverid_len = sizeof(SID1),
					 .extra = (const uint8_t *)"\0\x52\0\4"
								   "\0\0\0\x3c",
					 .extra_len = 8 },
		       out, sizeof(out));
	d6_fsm_packet(&f, 10, out, (size_t)len, SRC);
	drain();
	assert_int_equal(f.sol_max_rt, 60000);
	assert_int_equal(f.state, D6_ST_SOLICIT);
	for (int i = 0; i < 12; i++) {
		int64_t t = f.deadline;

		d6_fsm_timeout(&f, t);
		drain();
		assert_true(f.deadline - t <= 66000);
	}
	out[len - 1] = 59; /* below 60: ignored */
	out[1] = (uint8_t)(sent.xid >> 16), out[2] = (uint8_t)(sent.xid >> 8);
	out[3] = (uint8_t)sent.xid;
	d6_fsm_packet(&f, f.now, out, (size_t)len, SRC);
	assert_int_equal(f.sol_max_rt, 60000);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rt),
		cmocka_unit_test(test_solicit_retransmit),
		cmocka_unit_test(test_best_advertise),
		cmocka_unit_test(test_advertise_checks),
		cmocka_unit_test(test_renew_rebind_expire),
		cmocka_unit_test(test_renew_reply),
		cmocka_unit_test(test_t1_t2_rules),
		cmocka_unit_test(test_not_on_link),
		cmocka_unit_test(test_release_and_quit),
		cmocka_unit_test(test_rapid_commit),
		cmocka_unit_test(test_stateless),
		cmocka_unit_test(test_confirm),
		cmocka_unit_test(test_decline),
		cmocka_unit_test(test_confirm_after_t1),
		cmocka_unit_test(test_sol_max_rt),
	};

	log_syslog(true, false);
	return cmocka_run_group_tests(tests, NULL, NULL);
}

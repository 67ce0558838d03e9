/* SPDX-License-Identifier: MIT */
/*
 * dhcpc/fsm.c on a fake clock, for the tests of its transitions and
 * timers: `now` is the only clock (fsm.c takes the time as an argument
 * at every call), and drain() is run.c's perform() without the world: it
 * records what the state machine asked for (messages sent, script events
 * and when, sockets, lease file, ARP, fork).  Included by a test file
 * after <cmocka.h>; its helpers are static inline (not every test file
 * uses each).
 */
#ifndef EMBNET_TESTS_DHCPC_FSM_HARNESS_H
#define EMBNET_TESTS_DHCPC_FSM_HARNESS_H

#include <arpa/inet.h>

#include "../../dhcpc/packet.c"
#include "../../dhcpc/lease.c"
#include "../../dhcpc/msg.c"
#include "../../dhcpc/timers.c"
#include "../../dhcpc/fsm.c"

#define NO_OPT (-1)	     /* reply_opts(): the option is left out */
#define INFINITE 0xffffffffu /* RFC 2131 3.3 */
#define MAX_EVENTS 4096

static const uint8_t mac[6] = { 0x52, 0x54, 0x00, 0x12, 0x34, 0x56 };
static struct dhcpc_cfg cfg;
static struct fsm f;
static int64_t now;

/* What the fake loop saw. */
static struct {
	char name[12];
	int64_t t;
} events[MAX_EVENTS];
static unsigned n_events;
static char last_event[16];
static unsigned n_sent, n_forks, n_probes, n_announces;
static uint8_t sent[DHCP_MAX_LEN]; /* the last message sent */
static size_t sent_len;
static bool sent_ucast;
static enum fsm_listen listening;
static bool arp_held;
static int probe_result; /* what the fake probe finds: 1 a conflict */
static uint8_t file_buf[DHCP_MAX_LEN]; /* the --lease-file */
static size_t file_len;
static uint8_t server = 1; /* replies come from 10.0.0.@server */

/* run.c's perform(): each action, checked and recorded. */
static inline void drain(void)
{
	const struct fsm_act *a;

	while ((a = fsm_next(&f))) {
		assert_true(f.n_acts <= FSM_MAX_ACTS);
		switch (a->type) {
		case FSM_ACT_LISTEN:
			listening = a->listen;
			break;
		case FSM_ACT_SEND:
			/* on the socket it listens on */
			assert_int_equal(listening, a->ucast ? FSM_LISTEN_UDP
							     : FSM_LISTEN_RAW);
			assert_true(a->len <= sizeof(sent));
			memcpy(sent, a->buf, a->len);
			sent_len = a->len;
			sent_ucast = a->ucast;
			n_sent++;
			break;
		case FSM_ACT_SCRIPT:
			assert_true(n_events < MAX_EVENTS);
			snprintf(events[n_events].name,
				 sizeof(events[n_events].name), "%s", a->event);
			events[n_events++].t = now;
			snprintf(last_event, sizeof(last_event), "%s",
				 a->event);
			break;
		case FSM_ACT_SAVE:
			memcpy(file_buf, f.lease_raw, f.lease_raw_len);
			file_len = f.lease_raw_len;
			break;
		case FSM_ACT_PROBE:
			n_probes++;
			arp_held = probe_result == 0;
			fsm_probed(&f, now, probe_result);
			break;
		case FSM_ACT_ANNOUNCE:
			assert_true(arp_held);
			n_announces++;
			break;
		case FSM_ACT_ARP_CLOSE:
			arp_held = false;
			break;
		case FSM_ACT_FORK:
			n_forks++;
			break;
		}
	}
}

static inline int64_t next_wake(void)
{
	if (f.announce_at >= 0 &&
	    (f.deadline < 0 || f.announce_at < f.deadline))
		return f.announce_at;
	return f.deadline;
}

/* run.c's loop until @t: each timeout at its own time, then the clock
 * at @t. */
static inline void run_to(int64_t t)
{
	unsigned spin = 0;

	for (;;) {
		int64_t w = next_wake();

		if (f.done || w < 0 || w > t)
			break;
		assert_true(w >= now); /* never a deadline in the past */
		assert_true(++spin < 100000);
		now = w;
		if (f.announce_at >= 0 && f.announce_at <= now)
			fsm_announce(&f, now);
		else
			fsm_timeout(&f, now);
		drain();
	}
	if (t > now)
		now = t;
}

static inline void sig(int s)
{
	fsm_signal(&f, now, s);
	drain();
}

static inline void carrier(bool up)
{
	fsm_carrier(&f, now, up);
	drain();
}

/* A client started at @t ms with -f -t 3 -T 3 -A 20 (INIT, or INIT-REBOOT
 * from the lease file if @lease_file and it holds one), its first timeout
 * run: the DISCOVER, or the REQUEST of the saved lease. */
static inline void start(int64_t t, const char *lease_file)
{
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
	now = t;
	last_event[0] = '\0';
	n_events = n_sent = n_forks = n_probes = n_announces = 0;
	listening = FSM_LISTEN_NONE;
	arp_held = false;
	probe_result = 0;
	fsm_init(&f, &cfg, mac, now, file_len ? file_buf : NULL, file_len);
	drain();
	run_to(now);
}

/* The same after changing cfg. */
static inline void restart(void)
{
	now += 1;
	n_events = n_sent = 0;
	listening = FSM_LISTEN_NONE;
	fsm_init(&f, &cfg, mac, now, NULL, 0);
	drain();
	run_to(now);
}

/* A reply of @type for 10.0.0.5 from 10.0.0.@server with options 51, 58
 * and 59 of @lease, @t1 and @t2 s (each a u32, or NO_OPT), xid @xid. */
static inline void reply_xid(uint8_t type, int64_t lease, int64_t t1,
			     int64_t t2, uint32_t xid)
{
	static const uint8_t code[3] = { DHO_LEASE, DHO_T1, DHO_T2 };
	const int64_t val[3] = { lease, t1, t2 };
	uint8_t b[DHCP_MIN_LEN] = { 2, 1, 6 };
	uint8_t head[] = { 0x63, 0x82, 0x53, 0x63, 53, 1, type,
			   54,	 4,    10,   0,	   0,  1 };
	uint8_t *o = b + 236 + sizeof(head);
	uint32_t v;

	xid = htonl(xid);
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
	fsm_packet(&f, now, b, sizeof(b));
	drain();
}

static inline void reply_opts(uint8_t type, int64_t lease, int64_t t1,
			      int64_t t2)
{
	reply_xid(type, lease, t1, t2, f.xid);
}

/* The same with option 51 only. */
static inline void reply(uint8_t type, uint32_t lease)
{
	reply_opts(type, lease, NO_OPT, NO_OPT);
}

/* The last message sent, parsed; its type, and its option 50 in *@req_ip
 * (0 if none). */
static inline uint8_t last_sent(uint32_t *req_ip)
{
	static struct dhcp_msg m;
	const char *why;

	assert_int_equal(dhcp_parse(sent, sent_len, &m, &why), 0);
	*req_ip = 0;
	dhcp_opt_be32(&m, DHO_REQ_IP, req_ip);
	return m.type;
}

static inline const struct dhcp_msg *sent_msg(void)
{
	static struct dhcp_msg m;
	const char *why;

	assert_int_equal(dhcp_parse(sent, sent_len, &m, &why), 0);
	return &m;
}

/* How many script events @name ran. */
static inline unsigned count_events(const char *name)
{
	unsigned n = 0;

	for (unsigned i = 0; i < n_events; i++)
		n += !strcmp(events[i].name, name);
	return n;
}

#endif

// SPDX-License-Identifier: MIT
// sources: dhcpc/d6_fsm.c dhcpc/d6_timers.c dhcpc/d6_msg.c dhcpc/d6_packet.c
// fuzz-covers: dhcpc/d6_fsm.c dhcpc/d6_timers.c dhcpc/d6_msg.c
/*
 * libFuzzer target for dhcpc6's state machine (dhcpc/d6_fsm.c), driven
 * as d6_run.c drives it on a fake clock: time, timeouts, messages and
 * signals.  Invariants: the deadline is never in the past, a bound
 * stateful client holds an address or a prefix, every message it sends
 * parses and carries its DUID, and the action queue never overflows.
 *
 * Input: 2 bytes of configuration, then events until the input ends.
 *   c0  bit 0 -d, 1 -r no, 2 -l, 3 --rapid-commit, 4 -q, 5 -R, 6 -n, 7 -b
 *   c1  -t (low 2 bits), -T of c1 >> 2 seconds
 * Events, by the low 2 bits of their first byte k:
 *   0 time passes: (k >> 2) * (k >> 2) * 100 ms, up to the deadline
 *   1 the deadline is reached
 *   2 a message: a length byte, then that many bytes; bit 2 of k puts
 *     the last sent xid and our DUID in (as a server answering would)
 *   3 by (k >> 2) % 5: a signal USR1, USR2 or TERM; the carrier going
 *     down and up again; DAD failing on the lease's first address
 */
#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../dhcpc/d6_fsm.h"
#include "embnet/log.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct d6_fsm f;
static struct d6_cfg cfg;
static uint32_t last_xid;
static const uint8_t DUID[] = { 0, 3, 0, 1, 2, 0, 0, 0, 0, 0xaa };
static const uint8_t SRC[16] = { 0xfe, 0x80, [15] = 1 };

static void drain(int64_t now)
{
	const struct d6_act *a;
	unsigned n = 0;
	struct d6_msg m;
	const char *why;

	while ((a = d6_fsm_next(&f))) {
		if (++n > D6_MAX_ACTS)
			abort();
		if (a->type != D6_ACT_SEND)
			continue;
		if (d6_parse(a->buf, a->len, &m, &why) ||
		    m.clientid.len != sizeof(DUID) ||
		    memcmp(m.clientid.p, DUID, sizeof(DUID)))
			abort();
		last_xid = m.xid;
	}
	if (f.deadline >= 0 && f.deadline < now - 1 && !f.done)
		abort();
	if (f.bound && !cfg.stateless && !f.lease.na.n_a && !f.lease.pd.n_a)
		abort();
}

static void setup(uint8_t c0, uint8_t c1)
{
	memset(&cfg, 0, sizeof(cfg));
	cfg.ifname = "eth0";
	cfg.want_pd = c0 & 1;
	cfg.want_na = !(c0 & 2) || !cfg.want_pd;
	cfg.stateless = c0 & 4;
	cfg.rapid_commit = c0 & 8;
	cfg.quit = c0 & 16;
	cfg.release = c0 & 32;
	cfg.now = c0 & 64;
	cfg.background = c0 & 128;
	cfg.foreground = true;
	cfg.retries = c1 & 3;
	cfg.timeout_ms = (unsigned)(c1 >> 2) * 1000;
	cfg.tryagain = 5;
	cfg.cport = D6_CLIENT_PORT;
}

static void packet(const uint8_t *p, size_t n, bool patch, int64_t now)
{
	uint8_t b[512];

	if (n > sizeof(b))
		n = sizeof(b);
	memcpy(b, p, n);
	if (patch && n >= 4 + 4 + sizeof(DUID)) {
		b[1] = (uint8_t)(last_xid >> 16);
		b[2] = (uint8_t)(last_xid >> 8);
		b[3] = (uint8_t)last_xid;
		b[4] = 0, b[5] = 1, b[6] = 0, b[7] = sizeof(DUID);
		memcpy(b + 8, DUID, sizeof(DUID));
	}
	d6_fsm_packet(&f, now, b, n, SRC);
}

static void event(unsigned k, int64_t now)
{
	static const int sigs[] = { SIGUSR1, SIGUSR2, SIGTERM };
	static const uint8_t none[16];

	switch (k % 5) {
	case 3:
		d6_fsm_carrier(&f, now, false);
		drain(now);
		d6_fsm_carrier(&f, now, true);
		break;
	case 4:
		d6_fsm_dad_failed(&f, now,
				  f.lease.na.n_a ? f.lease.na.a[0].addr : none);
		break;
	default:
		d6_fsm_signal(&f, now, sigs[k % 5]);
		break;
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	int64_t now = 1000;
	size_t i = 2;

	log_syslog(true, false);
	if (size < 2)
		return 0;
	setup(data[0], data[1]);
	d6_fsm_init(&f, &cfg, DUID, sizeof(DUID), 7, 42, now);
	drain(now);
	while (i < size && !f.done) {
		uint8_t k = data[i++];

		switch (k & 3) {
		case 0: /* the loop wakes at the deadline at the latest */
			now += (int64_t)(k >> 2) * (k >> 2) * 100;
			if (f.deadline >= 0 && now > f.deadline)
				now = f.deadline;
			break;
		case 1:
			if (f.deadline < 0)
				break;
			now = f.deadline > now ? f.deadline : now;
			d6_fsm_timeout(&f, now);
			break;
		case 2: {
			size_t n = i < size ? data[i++] : 0;

			if (n > size - i)
				n = size - i;
			packet(data + i, n, k & 4, now);
			i += n;
			break;
		}
		default:
			event(k >> 2, now);
			break;
		}
		drain(now);
	}
	return 0;
}

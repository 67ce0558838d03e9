// SPDX-License-Identifier: MIT
/*
 * -V: the lines iperf3 3.12 adds to its text output when verbose
 * (iperf_on_connect, iperf_on_test_start, iperf_print_results and the
 * client's iperf_connect).  -J leaves its JSON as it is.
 */
#include <inttypes.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <sys/socket.h>
#include <sys/utsname.h>
#include <time.h>

#include "report.h"
#include "embnet/wall.h"

static bool on(const struct np_test *t)
{
	return t->o->verbose;
}

/* The control connection's MSS as 3.12 reads it (0 if unknown). */
static int ctrl_mss(const struct np_test *t)
{
	int mss = 0;
	socklen_t l = sizeof(mss);

	if (t->server ||
	    getsockopt(t->ctrl, IPPROTO_TCP, TCP_MAXSEG, &mss, &l) < 0 ||
	    mss <= 0 || mss > NP_UDP_LEN_MAX)
		return 0;
	return mss;
}

void np_verbose_banner(const struct np_opts *o)
{
	struct utsname u;

	if (!o->verbose)
		return;
	uname(&u);
	np_report_out(o, "iperf %s\n%s %s %s %s %s\n", NP_VERSION, u.sysname,
		      u.nodename, u.release, u.version, u.machine);
}

void np_verbose_ctrl(struct np_test *t)
{
	if (!on(t))
		return;
	np_report_printf(t, "Control connection MSS %d\n", ctrl_mss(t));
	if (t->p.proto == NP_UDP && !t->o->len_set)
		np_report_printf(t, "Setting UDP block size to %u\n", t->p.len);
}

void np_verbose_time(struct np_test *t)
{
	char ts[64];

	if (!on(t) ||
	    !wall_strftime(ts, sizeof(ts), "%a, %d %b %Y %H:%M:%S GMT",
			   wall_s(), false))
		return;
	np_report_printf(t, "Time: %s\n", ts);
}

void np_verbose_params(struct np_test *t)
{
	if (!on(t))
		return;
	np_report_printf(t, "      Cookie: %s\n", t->cookie);
	if (t->p.proto == NP_TCP && t->p.mss)
		np_report_printf(t, "      TCP MSS: %u\n", t->p.mss);
	else if (t->p.proto == NP_TCP) /* a 3.12 server never measures it */
		np_report_printf(t, "      TCP MSS: %d (default)\n",
				 ctrl_mss(t));
	if (t->p.rate)
		np_report_printf(t, "      Target Bitrate: %" PRIu64 "\n",
				 t->p.rate);
}

void np_verbose_start(struct np_test *t)
{
	const struct np_params *p = &t->p;

	if (!on(t))
		return;
	np_report_printf(
		t,
		"Starting Test: protocol: %s, %d streams, %u byte blocks, omitting %d seconds, ",
		p->proto == NP_UDP ? "UDP" : "TCP", p->parallel, p->len,
		p->omit);
	if (p->bytes)
		np_report_printf(t, "%" PRIu64 " bytes to send", p->bytes);
	else if (p->blocks)
		np_report_printf(t, "%" PRIu64 " blocks to send", p->blocks);
	else
		np_report_printf(t, "%d second test", p->duration);
	np_report_printf(t, ", tos %d\n", p->tos);
}

void np_verbose_summary(struct np_test *t)
{
	if (on(t))
		np_report_printf(t, "Test Complete. Summary Results:\n");
}

void np_verbose_missing(struct np_test *t, int id, bool sender)
{
	const char *what = sender ? "sender" : "receiver";

	if (!on(t))
		return;
	if (id < 0)
		np_report_printf(t, "[SUM] (%s statistics not available)\n",
				 what);
	else
		np_report_printf(t, "[%3d] (%s statistics not available)\n", id,
				 what);
}

static void cpu_line(struct np_test *t, bool sender)
{
	const struct np_results *m = &t->mine, *r = &t->peer;

	np_report_printf(
		t,
		"CPU Utilization: local/%s %.1f%% (%.1f%%u/%.1f%%s), remote/%s %.1f%% (%.1f%%u/%.1f%%s)\n",
		sender ? "sender" : "receiver", m->cpu_total, m->cpu_user,
		m->cpu_system, sender ? "receiver" : "sender", r->cpu_total,
		r->cpu_user, r->cpu_system);
}

void np_verbose_group_end(struct np_test *t, bool sending)
{
	const char *mine = t->congestion, *peer = t->peer.congestion;
	const char *snd, *rcv;

	if (!on(t))
		return;
	if (sending) {
		cpu_line(t, true);
		if (t->p.bidir)
			cpu_line(t, false);
	}
	if (t->p.proto != NP_TCP)
		return;
	/* A 3.12 server prints its summary before it has the client's. */
	if (t->server || !t->have_peer)
		peer = "";
	snd = sending ? mine : peer;
	rcv = sending ? peer : mine;
	if (snd[0])
		np_report_printf(t, "snd_tcp_congestion %s\n", snd);
	if (rcv[0])
		np_report_printf(t, "rcv_tcp_congestion %s\n", rcv);
}

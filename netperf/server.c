// SPDX-License-Identifier: MIT
/*
 * The server: one listener for control and TCP data connections, told
 * apart by cookie; several tests at once, each in its own thread (iperf3
 * answers "busy" instead).  Every read has a timeout, every parameter a
 * range (proto.c), and streams and memory are capped per server.
 */
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/socket.h>
#include <unistd.h>

#include "auth.h"
#include "embnet/log.h"
#include "embnet/mono.h"
#include "proto.h"
#include "report.h"
#include "server.h"
#include "tls.h"

/* The banner before test number @no (counted under sv->mu). */
static void banner(const struct srv *sv, int no)
{
	np_verbose_banner(sv->o);
	np_report_out(
		sv->o,
		"-----------------------------------------------------------\n"
		"Server listening on %d (test #%d)\n"
		"-----------------------------------------------------------\n",
		sv->o->port, no);
}

/* Sends SERVER_ERROR with iperf3's i_errno (and errno, unless auth). */
static void send_error(int fd, int ie, int e)
{
	uint8_t b[9] = { (uint8_t)NP_SERVER_ERROR,
			 (uint8_t)(ie >> 24),
			 (uint8_t)(ie >> 16),
			 (uint8_t)(ie >> 8),
			 (uint8_t)ie,
			 (uint8_t)(e >> 24),
			 (uint8_t)(e >> 16),
			 (uint8_t)(e >> 8),
			 (uint8_t)e };

	np_write_full(fd, b, ie == NP_IE_AUTH ? 5 : 9);
}

/* What a test's output may hold (test.h's caps). */
static size_t output_mem(const struct np_test *t)
{
	if (t->o->json_stream)
		return 0;
	if (t->o->json)
		return NP_OUTPUT_JSON_MAX;
	return t->p.get_server_output ? NP_OUTPUT_TEXT_MAX : 0;
}

/* What @t may pin: its streams' buffers (with -Z their memfds), TLS
 * sessions, forced UDP socket buffers (with @udp_force), its output. */
static size_t test_mem(const struct np_test *t, bool udp_force)
{
	const struct np_params *p = &t->p;
	int n = p->parallel * (p->bidir ? 2 : 1);
	size_t mem = output_mem(t);

	for (int i = 0; i < n; i++) {
		bool sender = np_stream_sends(p, true, i);

		mem += np_stream_mem(t, sender);
		if (p->tls)
			mem += NP_TLS_STREAM_MEM;
		if (p->proto == NP_UDP && udp_force)
			mem += np_udp_bufs_mem(p, sender);
	}
	return mem;
}

/* Reserves streams and memory for @t in the server's budget: UDP socket
 * buffers past the system's limits only if they fit too. */
static int budget_take(struct srv *sv, struct np_test *t)
{
	int n = t->p.parallel * (t->p.bidir ? 2 : 1), err = 0;
	size_t big = test_mem(t, true), small = test_mem(t, false);

	pthread_mutex_lock(&sv->mu);
	t->udp_force = sv->mem + big <= NP_SRV_MAX_MEM;
	t->budget_mem = t->udp_force ? big : small;
	if (sv->streams + n > NP_SRV_MAX_STREAMS ||
	    sv->mem + t->budget_mem > NP_SRV_MAX_MEM)
		err = -ENOSPC;
	else {
		sv->streams += n;
		sv->mem += t->budget_mem;
	}
	pthread_mutex_unlock(&sv->mu);
	return err;
}

static void budget_put(struct srv *sv, struct np_test *t)
{
	pthread_mutex_lock(&sv->mu);
	sv->streams -= t->p.parallel * (t->p.bidir ? 2 : 1);
	sv->mem -= t->budget_mem;
	pthread_mutex_unlock(&sv->mu);
}

static int recv_params(struct srv *sv, struct np_test *t)
{
	const char *why = "";
	char *js;
	int n, err;

	err = np_send_state(t->ctrl, NP_PARAM_EXCHANGE);
	if (err)
		return err;
	n = np_recv_json(t->ctrl, NP_PARAMS_MAX, &js, NP_IO_TIMEOUT_MS);
	if (n < 0) {
		log_warn("%s port %d: parameters: %s", t->peer_host,
			 t->peer_port, strerror(-n));
		return n;
	}
	err = np_params_parse(js, (size_t)n, &t->p, &why);
	free(js);
	if (err) {
		log_warn("%s port %d: bad parameter \"%s\"", t->peer_host,
			 t->peer_port, why);
		send_error(t->ctrl, NP_IE_RECVPARAMS, EINVAL);
		return err;
	}
	if (sv->o->rsa_priv && sv->o->authorized_users &&
	    np_auth_check(sv->o, t->peer_host, t->p.authtoken, &why) < 0) {
		log_warn("%s port %d: authentication failed: %s", t->peer_host,
			 t->peer_port, why);
		send_error(t->ctrl, NP_IE_AUTH, 0);
		return -EACCES;
	}
	if (sv->o->server_rate_limit &&
	    t->p.rate * (uint64_t)t->p.parallel * (t->p.bidir ? 2 : 1) >
		    sv->o->server_rate_limit) {
		np_report_error(
			t,
			"total required bandwidth is larger than server limit");
		send_error(t->ctrl, NP_IE_TOTALRATE, 0);
		return -EDQUOT;
	}
	return 0;
}

static int streams_ready(struct np_test *t)
{
	int n = t->p.parallel * (t->p.bidir ? 2 : 1);

	for (int i = 0; i < n; i++) {
		int err = np_stream_init(t, &t->st[i], t->st[i].fd, i);
		if (err)
			return err;
		np_sock_opts(t->st[i].fd, &t->p, t->p.proto == NP_TCP);
	}
	return np_tls_streams(t);
}

/* The client's results: per stream at most about 230 bytes (iperf3
 * 3.12's eight keys with 20-digit values), and the CPU and congestion
 * keys; 1 MiB, the old cap, took cJSON about 40 MiB of heap. */
static uint32_t results_max(const struct np_test *t)
{
	return 2048 + 384 * (uint32_t)t->n_streams;
}

static int exchange_results(struct np_test *t)
{
	const char *why = "";
	char *js, *out = NULL;
	size_t len;
	int n, err;

	err = np_send_state(t->ctrl, NP_EXCHANGE_RESULTS);
	if (err)
		return err;
	n = np_recv_json(t->ctrl, results_max(t), &js, NP_IO_TIMEOUT_MS);
	if (n < 0)
		return n;
	err = np_results_parse(js, (size_t)n, &t->peer, NULL, NULL, &why);
	free(js);
	if (err)
		return err;
	t->have_peer = true;
	np_test_join(t);
	np_test_results(t, &t->mine);
	np_test_apply_peer(t);
	np_summary_print(t);
	if (t->p.get_server_output && t->o->json && t->rep.root)
		out = cJSON_PrintUnformatted(t->rep.root);
	else if (t->p.get_server_output)
		out = np_capture_take(&t->rep);
	err = np_results_build(&t->mine, t->o->json ? NULL : out,
			       t->o->json ? out : NULL, &js, &len);
	free(out);
	if (err)
		return err;
	err = np_send_json(t->ctrl, js, len);
	free(js);
	return err;
}

static int finish(struct np_test *t)
{
	int8_t st = 0;
	int err = np_send_state(t->ctrl, NP_DISPLAY_RESULTS);

	if (!err)
		err = np_read_full(t->ctrl, &st, 1, NP_IO_TIMEOUT_MS, 30000);
	if (!err && st != NP_IPERF_DONE)
		err = -EPROTO;
	return err;
}

static int run_test(struct srv *sv, struct np_test *t)
{
	int err = recv_params(sv, t);

	if (err)
		return err;
	if (budget_take(sv, t) < 0) {
		send_error(t->ctrl, NP_IE_NEWTEST, ENOSPC);
		return -ENOSPC;
	}
	np_report_init(t);
	np_verbose_time(t);
	np_report_printf(t, "Accepted connection from %s, port %d\n",
			 t->peer_host, t->peer_port);
	np_verbose_params(t);
	err = np_srv_create_streams(sv, t);
	if (!err)
		err = streams_ready(t);
	if (!err) {
		np_report_connected(t);
		np_report_start(t);
		err = np_send_state(t->ctrl, NP_TEST_START);
	}
	if (!err)
		err = np_send_state(t->ctrl, NP_TEST_RUNNING);
	if (!err)
		err = np_test_run(t);
	if (err == -EDQUOT) /* over --server-bitrate-limit: say so */
		send_error(t->ctrl, NP_IE_TOTALRATE, 0);
	if (!err)
		err = exchange_results(t);
	if (!err)
		err = finish(t);
	budget_put(sv, t);
	return err;
}

void np_srv_test(struct srv *sv, struct np_test *t)
{
	int err = run_test(sv, t);
	bool more;
	int no;

	if (err && err != -EPROTO)
		log_debug(1, "%s port %d: test ended: %s", t->peer_host,
			  t->peer_port, strerror(-err));
	if (err && t->rep.root && !cJSON_HasObjectItem(t->rep.root, "error"))
		np_report_error(t, "test from %s port %d ended: %s",
				t->peer_host, t->peer_port, strerror(-err));
	if (t->rep.root || t->rep.capture) {
		char *s = np_report_finish(t, true);
		free(s);
	}
	np_test_free(t);
	pthread_mutex_lock(&sv->mu);
	no = ++sv->test_no + 1;
	pthread_mutex_unlock(&sv->mu);
	more = !sv->o->one_off || err == -EACCES;
	/* Once a -1 server's test is unregistered, the main thread may
	 * return and free @sv (seen under ASan); one that goes on does not
	 * (done stays false), and its banner then says that the slot is
	 * free again. */
	np_srv_unregister(sv, t, err != -EACCES);
	free(t);
	if (more)
		banner(sv, no);
}

int np_server_run(const struct np_opts *o)
{
	struct srv *sv = calloc(1, sizeof(*sv));
	pthread_condattr_t ca;
	int err;

	if (!sv)
		return 1;
	if (o->rsa_priv && np_auth_server_ready(o) < 0) {
		free(sv);
		return 1;
	}
	sv->o = o;
	pthread_mutex_init(&sv->mu, NULL);
	/* timed waits on the monotonic clock (srvstreams.c's deadline()):
	 * no wall-clock step moves them, and its seconds fit a 32-bit
	 * time_t (armhf) where the wall clock's stop in 2038 */
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&sv->cv, &ca);
	pthread_condattr_destroy(&ca);
	sv->lfd = np_listen(o->bind, o->port, o->family, SOCK_STREAM);
	if (sv->lfd < 0) {
		log_err(sv->lfd, "listen on port %d", o->port);
		free(sv);
		return 1;
	}
	/* UDP streams' hellos, for every test (srvstreams.c) */
	sv->ufd = np_listen(o->bind, o->port, o->family, SOCK_DGRAM);
	if (sv->ufd < 0)
		log_err(sv->ufd, "listen on port %d/udp", o->port);
	banner(sv, 1);
	err = np_srv_accept_loop(sv);
	if (sv->ufd >= 0)
		close(sv->ufd);
	close(sv->lfd);
	free(sv);
	return err ? 1 : 0;
}

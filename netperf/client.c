// SPDX-License-Identifier: MIT
/*
 * The client side of iperf3's control protocol (iperf_client_api.c):
 * cookie, parameters, data streams, the test, results, display.
 */
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "auth.h"
#include "embnet/log.h"
#include "embnet/mono.h"
#include "proto.h"
#include "test.h"
#include "tls.h"
#include "report.h"

static const uint8_t udp_hello[4] = { '9', '8', '7', '6' };
static const uint8_t udp_reply[4] = { '6', '7', '8', '9' };
static const uint8_t udp_reply_legacy[4] = { 0xb1, 0x68, 0xde, 0x3a };

/* A failed control read or write, as one line. */
static int ctrl_fail(struct np_test *t, const char *what, int err)
{
	if (err == -EPIPE)
		np_report_error(t, "control socket has closed unexpectedly");
	else
		np_report_error(t, "unable to %s: %s", what, strerror(-err));
	return err;
}

/* The length of the UTF-8 sequence @c starts, 0 if it starts none. */
static int utf8_len(unsigned char c)
{
	if (c < 0x80)
		return 1;
	if (c >= 0xc2 && c <= 0xdf)
		return 2;
	if (c >= 0xe0 && c <= 0xef)
		return 3;
	return c >= 0xf0 && c <= 0xf4 ? 4 : 0;
}

/*
 * Server text for the terminal (server_output_text, the congestion name):
 * C0 controls but newline and tab, DEL, C1 controls and bytes that are no
 * UTF-8 (a lone 0x9b is CSI to 8-bit terminals) become '?', in place.
 */
static void clean_text(char *s)
{
	unsigned char *p = (unsigned char *)s;

	while (*p) {
		int n = utf8_len(*p), i = 1;

		while (i < n && (p[i] & 0xc0) == 0x80)
			i++;
		if (n == 1 && *p < 0x20 && *p != '\n' && *p != '\t')
			n = 0;
		if (*p == 0x7f || (*p == 0xc2 && p[1] < 0xa0)) /* DEL, C1 */
			n = 0;
		if (n == 0 || i < n) {
			*p++ = '?';
			continue;
		}
		p += n;
	}
}

static void pre_stream(int fd, void *arg)
{
	struct np_test *t = arg;

	np_sock_opts(fd, &t->p, t->p.proto == NP_TCP);
}

/* The UDP handshake: "9876" out, "6789" (or 3.11's value) back. */
static int udp_handshake(int fd)
{
	uint8_t buf[64];
	int64_t end = mono_ms() + 30000;

	if (send(fd, udp_hello, 4, 0) != 4)
		return -errno;
	for (;;) {
		struct pollfd pfd = { .fd = fd, .events = POLLIN };
		ssize_t n;

		if (poll(&pfd, 1, mono_left_ms(end)) <= 0)
			return -ETIMEDOUT;
		n = recv(fd, buf, sizeof(buf), MSG_TRUNC);
		if (n < 0 && errno != EINTR)
			return -errno;
		if (n == 4 && (!memcmp(buf, udp_reply, 4) ||
			       !memcmp(buf, udp_reply_legacy, 4)))
			return 0;
	}
}

static int open_stream(struct np_test *t, int i)
{
	const struct np_opts *o = t->o;
	bool tcp = t->p.proto == NP_TCP;
	int fd, err;

	fd = np_connect(o->host, o->port, o->family,
			tcp ? SOCK_STREAM : SOCK_DGRAM, o->bind,
			o->cport ? o->cport + i : 0, o->connect_timeout_ms,
			pre_stream, t);
	if (fd < 0)
		return fd;
	if (tcp)
		err = np_write_full(fd, t->cookie, NP_COOKIE_LEN);
	else {
		np_udp_bufs(fd, &t->p, np_stream_sends(&t->p, false, i));
		err = udp_handshake(fd);
	}
	if (!err)
		err = np_stream_init(t, &t->st[i], fd, i);
	if (err) {
		close(fd);
		return err;
	}
	t->n_streams = i + 1;
	return 0;
}

/* -C: 3.12 fails when the kernel lacks the algorithm; np_sock_opts()
 * does not check, so try it on a scratch socket. */
static bool congestion_ok(const char *cc)
{
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	bool ok;

	if (fd < 0)
		return true;
	ok = setsockopt(fd, IPPROTO_TCP, TCP_CONGESTION, cc,
			(socklen_t)strlen(cc)) == 0;
	close(fd);
	return ok;
}

static int create_streams(struct np_test *t)
{
	int n = t->p.parallel * (t->p.bidir ? 2 : 1), err;

	if (t->p.proto == NP_TCP && t->p.congestion[0] &&
	    !congestion_ok(t->p.congestion)) {
		np_report_error(
			t,
			"unable to set TCP_CONGESTION: Supplied congestion control algorithm not supported on this host");
		return -ENOENT;
	}
	for (int i = 0; i < n; i++) {
		err = open_stream(t, i);
		if (err) {
			np_report_error(t, "unable to connect stream: %s",
					strerror(-err));
			return err;
		}
	}
	/* after all streams: the server handshakes them in this order once
	 * it has gathered them */
	err = np_tls_streams(t);
	if (err)
		return err;
	np_report_connected(t);
	return 0;
}

static int send_params(struct np_test *t)
{
	char *js;
	size_t len;
	int err;

	if (t->o->rsa_pub && t->o->username) {
		err = np_auth_token(t->o, t->p.authtoken,
				    sizeof(t->p.authtoken));
		if (err) {
			np_report_error(t, "test authorization failed");
			return err;
		}
	}
	err = np_params_build(&t->p, &js, &len);
	if (err)
		return ctrl_fail(t, "send the parameters", err);
	err = np_send_json(t->ctrl, js, len);
	free(js);
	return err ? ctrl_fail(t, "send the parameters", err) : 0;
}

static int exchange_results(struct np_test *t)
{
	const char *why = "";
	char *js;
	size_t len;
	int err, n;

	np_test_results(t, &t->mine);
	err = np_results_build(&t->mine, NULL, NULL, &js, &len);
	if (!err) {
		err = np_send_json(t->ctrl, js, len);
		free(js);
	}
	if (err)
		return ctrl_fail(t, "send the results", err);
	n = np_recv_json(t->ctrl, NP_RESULTS_MAX, &js, NP_IO_TIMEOUT_MS);
	if (n == -EMSGSIZE) {
		np_report_error(t, "bad results from the server (length)");
		return n;
	}
	if (n < 0)
		return ctrl_fail(t, "receive the results", n);
	err = np_results_parse(js, (size_t)n, &t->peer, &t->server_output,
			       &t->server_output_json, &why);
	free(js);
	if (err) {
		np_report_error(t, "bad results from the server (%s)", why);
		return err;
	}
	t->have_peer = true;
	if (t->server_output)
		clean_text(t->server_output);
	clean_text(t->peer.congestion);
	np_test_apply_peer(t);
	return 0;
}

static void display(struct np_test *t)
{
	np_summary_print(t);
	if (t->server_output && t->rep.root) {
		cJSON *j = t->server_output_json ? cJSON_Parse(t->server_output)
						 : NULL;
		if (j)
			cJSON_AddItemToObject(t->rep.root, "server_output_json",
					      j);
		else
			cJSON_AddStringToObject(t->rep.root,
						"server_output_text",
						t->server_output);
	} else if (t->server_output) {
		np_report_printf(t, "\nServer output:\n%s\n", t->server_output);
	}
	np_report_finish(t, true);
	np_report_printf(t, "\niperf Done.\n");
}

static int server_error(struct np_test *t, int8_t st)
{
	uint8_t b[8];
	int32_t ie = 0, e = 0;

	if (st == NP_ACCESS_DENIED) {
		np_report_error(
			t,
			"the server is busy running a test. try again later");
		return -EBUSY;
	}
	if (np_read_full(t->ctrl, b, 4, 2000, 2000) == 0)
		ie = (int32_t)((uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 |
			       (uint32_t)b[2] << 8 | b[3]);
	if (np_read_full(t->ctrl, b + 4, 4, 2000, 2000) == 0)
		e = (int32_t)((uint32_t)b[4] << 24 | (uint32_t)b[5] << 16 |
			      (uint32_t)b[6] << 8 | b[7]);
	if (ie == 142)
		np_report_error(t, "test authorization failed");
	else if (ie == 27) /* IETOTALRATE */
		np_report_error(
			t,
			"total required bandwidth is larger than server limit");
	else
		np_report_error(t, "the server reported an error (%d%s%s)", ie,
				e ? ": " : "", e ? strerror(e) : "");
	return -ECONNABORTED;
}

/* Handles one state byte; returns 1 when the test is over. */
static int on_state(struct np_test *t, int8_t st)
{
	int err;

	switch (st) {
	case NP_PARAM_EXCHANGE:
		return send_params(t);
	case NP_CREATE_STREAMS:
		return create_streams(t);
	case NP_TEST_START:
		np_report_start(t);
		return 0;
	case NP_TEST_RUNNING:
		err = np_test_run(t);	  /* reports its own errors */
		if (err == -ECONNABORTED) /* the server's error code follows */
			return server_error(t, NP_SERVER_ERROR);
		if (err)
			return err;
		err = np_send_state(t->ctrl, NP_TEST_END);
		return err ? ctrl_fail(t, "send TEST_END", err) : 0;
	case NP_EXCHANGE_RESULTS:
		return exchange_results(t);
	case NP_DISPLAY_RESULTS:
		np_test_join(t);
		display(t);
		np_send_state(t->ctrl, NP_IPERF_DONE); /* the test is done */
		return 1;
	case NP_SERVER_TERMINATE:
		np_report_error(t, "the server has terminated");
		return -ECONNABORTED;
	case NP_ACCESS_DENIED:
	case NP_SERVER_ERROR:
		return server_error(t, st);
	default: /* np_state_ok() lets no other through */
		return -EPROTO;
	}
}

/* Each state once, in order: a server that repeated TEST_START to a -J
 * client grew its report past 4 GiB, and a repeated CREATE_STREAMS,
 * TEST_RUNNING or EXCHANGE_RESULTS leaked sockets, threads or output. */
static int control_loop(struct np_test *t)
{
	int tmo = t->o->rcv_timeout_ms > 0 ? t->o->rcv_timeout_ms : 120000;
	int8_t prev = 0;

	for (;;) {
		int8_t st;
		int err = np_read_full(t->ctrl, &st, 1, tmo, -1);

		if (err) {
			np_report_error(t, "control connection: %s",
					err == -EPIPE ? "closed by the server"
						      : strerror(-err));
			return err;
		}
		if (!np_state_ok(prev, st)) {
			np_report_error(
				t, "unexpected state %d from the server", st);
			return -EPROTO;
		}
		prev = st;
		err = on_state(t, st);
		if (err)
			return err < 0 ? err : 0;
	}
}

static void client_params(struct np_test *t)
{
	int mss = 0;
	socklen_t l = sizeof(mss);

	if (t->p.proto == NP_UDP && !t->o->len_set) {
		getsockopt(t->ctrl, IPPROTO_TCP, TCP_MAXSEG, &mss, &l);
		t->p.len = mss >= NP_UDP_LEN_MIN && mss <= NP_UDP_LEN_MAX
				   ? (uint32_t)mss
				   : NP_UDP_LEN;
	}
	if (t->p.proto == NP_UDP && !t->o->rate_set)
		t->p.rate = NP_UDP_RATE;
}

/* What 3.12 prints once the control connection is up (iperf_connect and
 * iperf_on_connect); it prints nothing before, unless -V. */
static void connect_lines(struct np_test *t)
{
	const struct np_opts *o = t->o;

	np_verbose_ctrl(t);
	np_verbose_time(t);
	np_report_printf(t, "Connecting to host %s, port %d\n", o->host,
			 o->port);
	if (t->p.reverse)
		np_report_printf(t, "Reverse mode, remote host %s is sending\n",
				 o->host);
	np_verbose_params(t);
}

static int client_connect(struct np_test *t)
{
	const struct np_opts *o = t->o;
	int one = 1, err;

	np_verbose_banner(o);
	t->ctrl = np_connect(o->host, o->port, o->family, SOCK_STREAM, o->bind,
			     0, o->connect_timeout_ms, NULL, NULL);
	if (t->ctrl < 0) {
		err = t->ctrl;
		np_report_error(t, "unable to connect to server: %s",
				strerror(-err));
		return err;
	}
	setsockopt(t->ctrl, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	np_ctrl_user_timeout(t->ctrl, o->snd_timeout_ms);
	np_cookie_make(t->cookie);
	err = np_write_full(t->ctrl, t->cookie, NP_COOKIE_LEN);
	return err ? ctrl_fail(t, "send the cookie", err) : 0;
}

int np_client_run(const struct np_opts *o)
{
	struct np_test *t = calloc(1, sizeof(*t));
	int err;

	if (!t)
		return 1;
	t->o = o;
	t->p = o->p;
	t->ctrl = -1;
	err = np_test_alloc(t);
	if (!err) {
		np_report_init(t);
		err = client_connect(t);
	}
	if (!err) {
		client_params(t);
		connect_lines(t);
		err = control_loop(t);
	}
	if (err && t->rep.root)
		np_report_finish(t, true);
	np_test_free(t);
	free(t);
	return err ? 1 : 0;
}

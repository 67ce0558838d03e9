// SPDX-License-Identifier: MIT
/*
 * netperf's command line: iperf3 3.12's options (iperf_api.c
 * iperf_parse_arguments), checked with the same limits.
 */
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>

#include "embnet/log.h"
#include "opts.h"
#include "embnet/parse.h"
#include "proto.h"
#include "tls.h"

enum {
	O_BIDIR = 256,
	O_CPORT,
	O_CONNECT_TIMEOUT,
	O_LOGFILE,
	O_FORCEFLUSH,
	O_TIMESTAMPS,
	O_RCV_TIMEOUT,
	O_SND_TIMEOUT,
	O_IDLE_TIMEOUT,
	O_SRV_RATE,
	O_DSCP,
	O_EXTRA,
	O_GSO,
	O_UDP64,
	O_REPEAT,
	O_USER,
	O_RSA_PUB,
	O_RSA_PRIV,
	O_AUTH_USERS,
	O_SKEW,
	O_PKCS1,
	O_JSON_STREAM,
	O_SRV_MAX_DUR,
	O_SKIP_RX,
	O_ZEROCOPY,
	O_RX_COPY,
	O_NO_GSRO,
	O_DONT_FRAG,
	O_FQ,
	O_PACING,
	O_NO_FQ,
	O_BIND_DEV,
	O_MAX_TESTS,
	O_TLS,
	O_TLS_CIPHER,
};

static const struct option longopts[] = {
	{ "server", no_argument, 0, 's' },
	{ "client", required_argument, 0, 'c' },
	{ "port", required_argument, 0, 'p' },
	{ "udp", no_argument, 0, 'u' },
	{ "bitrate", required_argument, 0, 'b' },
	{ "bandwidth", required_argument, 0, 'b' },
	{ "time", required_argument, 0, 't' },
	{ "bytes", required_argument, 0, 'n' },
	{ "blockcount", required_argument, 0, 'k' },
	{ "length", required_argument, 0, 'l' },
	{ "parallel", required_argument, 0, 'P' },
	{ "reverse", no_argument, 0, 'R' },
	{ "bidir", no_argument, 0, O_BIDIR },
	{ "interval", required_argument, 0, 'i' },
	{ "json", no_argument, 0, 'J' },
	{ "json-stream", no_argument, 0, O_JSON_STREAM },
	{ "format", required_argument, 0, 'f' },
	{ "one-off", no_argument, 0, '1' },
	{ "bind", required_argument, 0, 'B' },
	{ "bind-dev", required_argument, 0, O_BIND_DEV },
	{ "cport", required_argument, 0, O_CPORT },
	{ "version4", no_argument, 0, '4' },
	{ "version6", no_argument, 0, '6' },
	{ "window", required_argument, 0, 'w' },
	{ "set-mss", required_argument, 0, 'M' },
	{ "no-delay", no_argument, 0, 'N' },
	{ "congestion", required_argument, 0, 'C' },
	{ "linux-congestion", required_argument, 0, 'C' },
	{ "tos", required_argument, 0, 'S' },
	{ "dscp", required_argument, 0, O_DSCP },
	{ "omit", required_argument, 0, 'O' },
	{ "title", required_argument, 0, 'T' },
	{ "extra-data", required_argument, 0, O_EXTRA },
	{ "verbose", no_argument, 0, 'V' },
	{ "version", no_argument, 0, 'v' },
	{ "help", no_argument, 0, 'h' },
	{ "debug", optional_argument, 0, 'd' },
	{ "daemon", no_argument, 0, 'D' },
	{ "pidfile", required_argument, 0, 'I' },
	{ "logfile", required_argument, 0, O_LOGFILE },
	{ "forceflush", no_argument, 0, O_FORCEFLUSH },
	{ "timestamps", optional_argument, 0, O_TIMESTAMPS },
	{ "connect-timeout", required_argument, 0, O_CONNECT_TIMEOUT },
	{ "rcv-timeout", required_argument, 0, O_RCV_TIMEOUT },
	{ "snd-timeout", required_argument, 0, O_SND_TIMEOUT },
	{ "idle-timeout", required_argument, 0, O_IDLE_TIMEOUT },
	{ "server-bitrate-limit", required_argument, 0, O_SRV_RATE },
	{ "server-max-duration", required_argument, 0, O_SRV_MAX_DUR },
	{ "max-tests", required_argument, 0, O_MAX_TESTS },
	{ "get-server-output", no_argument, 0, O_GSO },
	{ "udp-counters-64bit", no_argument, 0, O_UDP64 },
	{ "repeating-payload", no_argument, 0, O_REPEAT },
	{ "dont-fragment", no_argument, 0, O_DONT_FRAG },
	{ "zerocopy", optional_argument, 0, O_ZEROCOPY },
	{ "skip-rx-copy", no_argument, 0, O_SKIP_RX },
	{ "rx-copy", no_argument, 0, O_RX_COPY },
	{ "no-gsro", no_argument, 0, O_NO_GSRO },
	{ "fq-rate", required_argument, 0, O_FQ },
	{ "pacing-timer", required_argument, 0, O_PACING },
	{ "no-fq-socket-pacing", no_argument, 0, O_NO_FQ },
	{ "username", required_argument, 0, O_USER },
	{ "rsa-public-key-path", required_argument, 0, O_RSA_PUB },
	{ "rsa-private-key-path", required_argument, 0, O_RSA_PRIV },
	{ "authorized-users-path", required_argument, 0, O_AUTH_USERS },
	{ "time-skew-threshold", required_argument, 0, O_SKEW },
	{ "use-pkcs1-padding", no_argument, 0, O_PKCS1 },
	{ "tls", no_argument, 0, O_TLS },
	{ "tls-cipher", required_argument, 0, O_TLS_CIPHER },
	{ 0, 0, 0, 0 },
};

static const char usage_text[] =
	"Usage: netperf [-s|-c host] [options]\n"
	"       netperf [-h|--help] [-v|--version]\n\n"
	"Server or Client:\n"
	"  -p, --port      #         server port to listen on/connect to\n"
	"  -f, --format   [kmgtKMGT] format to report\n"
	"  -i, --interval  #         seconds between periodic reports\n"
	"  -J, --json                output in JSON format\n"
	"  --json-stream             one JSON object per event\n"
	"  -B, --bind      <host>    bind to an address\n"
	"  -4, --version4, -6, --version6   IPv4 / IPv6 only\n"
	"  -V, --verbose             more detailed output\n"
	"  -d, --debug[=#]           debug messages (level #)\n"
	"  -I, --pidfile <file>      write the process id to a file\n"
	"  --logfile <file>          append the output to a file\n"
	"  --forceflush              flush the output after every line\n"
	"  --timestamps[=<format>]   the time (strftime) before every line\n"
	"  --rcv-timeout #           ms without data that end a test\n"
	"  --snd-timeout #           ms of unacknowledged data that end a test\n"
	"  --no-gsro                 no UDP_SEGMENT/UDP_GRO batching\n"
	"  --use-pkcs1-padding       RSA tokens as iperf3 3.12-3.16 (not OAEP)\n"
	"  --bind-dev, --rx-copy, --no-fq-socket-pacing   accepted, no effect\n"
	"Server specific:\n"
	"  -s, --server              run in server mode\n"
	"  -D, --daemon              run as a daemon\n"
	"  -1, --one-off             handle one client connection then exit\n"
	"  --idle-timeout #          end a test idle for # seconds\n"
	"  --server-bitrate-limit #[KMG][/#]  end a test above # bit/s\n"
	"  --server-max-duration #   end any test after # seconds\n"
	"  --max-tests #             tests at once (default 8)\n"
	"  --rsa-private-key-path <file>, --authorized-users-path <file>,\n"
	"  --time-skew-threshold #   authentication, as iperf3\n"
	"Client specific:\n"
	"  -c, --client    <host>    run in client mode\n"
	"  -u, --udp                 use UDP rather than TCP\n"
	"  -b, --bitrate, --bandwidth #[KMG][/#]  bit/s per stream (/burst)\n"
	"  -t, --time      #         time in seconds (default 10)\n"
	"  -n, --bytes     #[KMG]    bytes to transmit (instead of -t)\n"
	"  -k, --blockcount #[KMG]   blocks to transmit (instead of -t/-n)\n"
	"  -l, --length    #[KMG]    read/write buffer length\n"
	"  -P, --parallel  #         parallel streams (max 128)\n"
	"  -R, --reverse             server sends, client receives\n"
	"  --bidir                   both directions at once\n"
	"  --cport #                 client port of the data connections\n"
	"  --connect-timeout #       ms to wait for the control connection\n"
	"  -w, --window #[KMG]  -M, --set-mss #  -N, --no-delay\n"
	"  -C, --congestion, --linux-congestion <algo>  -S, --tos #  --dscp <v>\n"
	"  -O, --omit #  -T, --title <str>  --extra-data <str>\n"
	"  --get-server-output  --udp-counters-64bit  --repeating-payload\n"
	"  --dont-fragment  --fq-rate #[KMG]  --pacing-timer #   as iperf3\n"
	"  -Z, --zerocopy            send TCP with sendfile()\n"
	"  --zerocopy=z              send TCP with MSG_ZEROCOPY\n"
	"  --skip-rx-copy            receive TCP without copying (MSG_TRUNC)\n"
	"  --username <user>, --rsa-public-key-path <file>   authentication\n"
	"  --tls                     data streams in TLS 1.2, netperf servers\n"
	"                            only; measures the cost of encryption:\n"
	"                            no certificate is checked\n"
	"  --tls-cipher <suite>      offer only this suite (implies --tls), e.g.\n"
	"                            TLS-ECDHE-ECDSA-WITH-AES-128-GCM-SHA256\n";

int np_opts_size(const char *s, bool bytes, uint64_t *v)
{
	char *end;
	double d, k = bytes ? 1024.0 : 1000.0;

	errno = 0;
	d = strtod(s, &end);
	if (end == s || errno || d < 0 || isnan(d))
		return -EINVAL;
	switch (*end) {
	case 't':
	case 'T':
		d *= k; /* fall through */
	case 'g':
	case 'G':
		d *= k; /* fall through */
	case 'm':
	case 'M':
		d *= k; /* fall through */
	case 'k':
	case 'K':
		d *= k;
		end++;
		break;
	case 0:
		break;
	default:
		return -EINVAL;
	}
	if (*end || d > 1.8e19)
		return -EINVAL;
	*v = (uint64_t)d;
	return 0;
}

static void defaults(struct np_opts *o)
{
	memset(o, 0, sizeof(*o));
	np_params_default(&o->p);
	o->port = NP_DEFAULT_PORT;
	o->family = AF_UNSPEC;
	o->interval = 1;
	o->fmt = 'a';
	o->skew = 10;
	o->rcv_timeout_ms = 120000;
	o->server_rate_secs = 5;
}

static int bad(const char *opt, const char *arg)
{
	fprintf(stderr, "netperf: parameter error - bad value for %s: \"%s\"\n",
		opt, arg ? arg : "");
	return -EINVAL;
}

static int int_arg(const char *s, int min, int max, int *v, const char *n)
{
	return parse_int(s, min, max, v) < 0 ? bad(n, s) : 0;
}

static int size_arg(const char *s, bool bytes, uint64_t max, uint64_t *v,
		    const char *n)
{
	return np_opts_size(s, bytes, v) < 0 || *v > max ? bad(n, s) : 0;
}

static int u32_size(const char *s, uint64_t max, uint32_t *v, const char *n)
{
	uint64_t x;
	int err = size_arg(s, true, max, &x, n);

	*v = (uint32_t)x;
	return err;
}

/* -b #[KMG][/burst] */
static int rate_arg(struct np_opts *o, const char *s)
{
	char buf[64], *slash;
	int burst = 0;

	if (strlen(s) >= sizeof(buf))
		return bad("-b", s);
	strcpy(buf, s);
	slash = strchr(buf, '/');
	if (slash) {
		*slash = 0;
		if (parse_int(slash + 1, 1, NP_BURST_MAX, &burst) < 0)
			return bad("-b", s);
	}
	o->p.burst = (uint32_t)burst;
	o->rate_set = true;
	return size_arg(buf, false, (uint64_t)1e13, &o->p.rate, "-b");
}

static int secs_arg(const char *s, double min, double max, double *v,
		    const char *n)
{
	char *end;

	errno = 0;
	*v = strtod(s, &end);
	if (end == s || *end || errno || !(*v >= min && *v <= max))
		return bad(n, s);
	return 0;
}

/* --server-bitrate-limit #[KMG][/secs averaged over, 0.1-60, default 5] */
static int srv_rate_arg(struct np_opts *o, const char *s)
{
	const char *n = "--server-bitrate-limit";
	char buf[64], *slash;

	if (strlen(s) >= sizeof(buf))
		return bad(n, s);
	strcpy(buf, s);
	slash = strchr(buf, '/');
	if (slash) {
		*slash = 0;
		if (secs_arg(slash + 1, 0.1, 60, &o->server_rate_secs, n) < 0)
			return -EINVAL;
	}
	return size_arg(buf, false, (uint64_t)1e13, &o->server_rate_limit, n);
}

static int str_arg(char *dst, size_t len, const char *s, const char *n)
{
	if (strlen(s) >= len || !parse_str_clean(s, strlen(s)))
		return bad(n, s);
	strcpy(dst, s);
	return 0;
}

/* --dscp's names: openssh's table, which 3.12's dscp.c copies (values
 * are the whole TOS byte). */
static const struct {
	const char *name;
	uint8_t tos;
} dscp_names[] = {
	{ "af11", 0x28 },     { "af12", 0x30 },	      { "af13", 0x38 },
	{ "af21", 0x48 },     { "af22", 0x50 },	      { "af23", 0x58 },
	{ "af31", 0x68 },     { "af32", 0x70 },	      { "af33", 0x78 },
	{ "af41", 0x88 },     { "af42", 0x90 },	      { "af43", 0x98 },
	{ "cs0", 0x00 },      { "cs1", 0x20 },	      { "cs2", 0x40 },
	{ "cs3", 0x60 },      { "cs4", 0x80 },	      { "cs5", 0xa0 },
	{ "cs6", 0xc0 },      { "cs7", 0xe0 },	      { "ef", 0xb8 },
	{ "lowdelay", 0x10 }, { "throughput", 0x08 }, { "reliability", 0x04 },
};

/* A number as strtol(s, .., 0) reads it: decimal, 0x hex or 0 octal. */
static int tos_num(const char *s, uint32_t *v)
{
	bool octal = s[0] == '0' && s[1] >= '0' && s[1] <= '9';
	uint64_t acc = 0;

	if (!octal)
		return parse_u32_base(s, 0, v);
	for (s++; *s; s++) {
		if (*s < '0' || *s > '7' || acc > 255)
			return -EINVAL;
		acc = acc * 8 + (uint64_t)(*s - '0');
	}
	*v = (uint32_t)acc;
	return 0;
}

static int tos_arg(struct np_opts *o, const char *s, bool dscp)
{
	uint32_t v;

	for (size_t i = 0;
	     dscp && i < sizeof(dscp_names) / sizeof(dscp_names[0]); i++)
		if (!strcasecmp(s, dscp_names[i].name)) {
			o->p.tos = dscp_names[i].tos;
			return 0;
		}
	if (tos_num(s, &v) < 0 || v > (dscp ? 63u : 255u))
		return bad(dscp ? "--dscp" : "-S", s);
	o->p.tos = (int)(dscp ? v << 2 : v);
	return 0;
}

static int ms_arg(const char *s, int *v, const char *n)
{
	return int_arg(s, 1, INT32_MAX / 2, v, n);
}

static int opt_common(struct np_opts *o, int c, const char *a)
{
	double d;

	switch (c) {
	case 'p':
		return int_arg(a, 1, 65535, &o->port, "-p");
	case 'f':
		if (strlen(a) != 1 || !strchr("kmgtKMGTaA", a[0]))
			return bad("-f", a);
		o->fmt = a[0];
		return 0;
	case 'i':
		if (secs_arg(a, 0, 60, &d, "-i") < 0 || (d > 0 && d < 0.1))
			return bad("-i", a);
		o->interval = d;
		return 0;
	case 'J':
		o->json = true;
		return 0;
	case O_JSON_STREAM:
		o->json_stream = true;
		return 0;
	case 'B':
		o->bind = a;
		return 0;
	case '4':
		o->family = AF_INET;
		return 0;
	case '6':
		o->family = AF_INET6;
		return 0;
	case 'V':
		o->verbose = true;
		return 0;
	case 'd':
		log_set_verbosity(a ? atoi(a) : 1);
		return 0;
	case 'D':
		o->daemon = true;
		return 0;
	case 'I':
		o->pidfile = a;
		return 0;
	case O_LOGFILE:
		o->logfile = a;
		return 0;
	case O_FORCEFLUSH:
		o->forceflush = true;
		return 0;
	case O_TIMESTAMPS:
		o->timestamps = a ? a : "";
		return 0;
	case '1':
		o->one_off = true;
		return 0;
	case O_RCV_TIMEOUT:
		return ms_arg(a, &o->rcv_timeout_ms, "--rcv-timeout");
	case O_SND_TIMEOUT:
		/* 0: the system's, as iperf3 takes it */
		return int_arg(a, 0, INT32_MAX / 2, &o->snd_timeout_ms,
			       "--snd-timeout");
	case O_IDLE_TIMEOUT:
		return ms_arg(a, &o->idle_timeout_s, "--idle-timeout");
	case O_SRV_MAX_DUR:
		return int_arg(a, 1, NP_TIME_MAX, &o->server_max_duration,
			       "--server-max-duration");
	case O_MAX_TESTS:
		return int_arg(a, 1, 8, &o->max_tests, "--max-tests");
	case O_SRV_RATE:
		return srv_rate_arg(o, a);
	case O_RSA_PRIV:
		o->rsa_priv = a;
		return 0;
	case O_AUTH_USERS:
		o->authorized_users = a;
		return 0;
	case O_SKEW:
		return int_arg(a, 0, 86400, &o->skew, "--time-skew-threshold");
	case O_PKCS1:
		o->pkcs1 = true;
		return 0;
	case O_RX_COPY: /* the default since --skip-rx-copy exists */
		return 0;
	case O_NO_GSRO:
		o->no_gsro = true;
		return 0;
	case O_BIND_DEV:
	case O_NO_FQ:
		return 0;
	}
	return 1;
}

/* --tls-cipher NAME: a suite mbedtls knows; implies --tls */
static int tls_cipher_arg(struct np_opts *o, const char *a)
{
	if (np_tls_suite_id(a) < 0)
		return bad("--tls-cipher", a);
	o->tls_cipher = a;
	o->p.tls = true;
	return 0;
}

static int opt_client(struct np_opts *o, int c, const char *a)
{
	struct np_params *p = &o->p;
	int v, err;

	switch (c) {
	case 'u':
		p->proto = NP_UDP;
		return 0;
	case 'b':
		return rate_arg(o, a);
	case 't':
		return int_arg(a, 0, NP_TIME_MAX, &p->duration, "-t");
	case 'n':
		return size_arg(a, true, (uint64_t)1e18, &p->bytes, "-n");
	case 'k':
		return size_arg(a, true, (uint64_t)1e15, &p->blocks, "-k");
	case 'l':
		o->len_set = true;
		return u32_size(a, NP_TCP_LEN_MAX, &p->len, "-l");
	case 'P':
		return int_arg(a, 1, NP_MAX_PARALLEL, &p->parallel, "-P");
	case 'R':
		p->reverse = true;
		return 0;
	case O_BIDIR:
		p->bidir = true;
		return 0;
	case O_CPORT:
		return int_arg(a, 1, 65535, &o->cport, "--cport");
	case 'w':
		return u32_size(a, NP_WINDOW_MAX, &p->window, "-w");
	case 'M':
		return u32_size(a, NP_MSS_MAX, &p->mss, "-M");
	case 'N':
		p->nodelay = true;
		return 0;
	case 'C':
		return str_arg(p->congestion, sizeof(p->congestion), a, "-C");
	case 'S':
		return tos_arg(o, a, false);
	case O_DSCP:
		return tos_arg(o, a, true);
	case 'O':
		return int_arg(a, 0, 60, &p->omit, "-O");
	case 'T':
		return str_arg(p->title, sizeof(p->title), a, "-T");
	case O_EXTRA:
		return str_arg(p->extra_data, sizeof(p->extra_data), a,
			       "--extra-data");
	case O_GSO:
		p->get_server_output = true;
		return 0;
	case O_UDP64:
		p->udp64 = true;
		return 0;
	case O_REPEAT:
		p->repeating = true;
		return 0;
	case O_DONT_FRAG:
		p->dont_fragment = true;
		return 0;
	case 'Z':
		p->zerocopy = true;
		return 0;
	case O_ZEROCOPY: /* =z: MSG_ZEROCOPY, as iperf3's PR #1720 */
		if (a && strcmp(a, "z") != 0)
			return bad("--zerocopy", a);
		p->zerocopy = true;
		p->zc_msg = a != NULL;
		return 0;
	case O_SKIP_RX:
		p->skip_rx_copy = true;
		return 0;
	case O_FQ:
		return size_arg(a, false, (uint64_t)1e13, &p->fqrate,
				"--fq-rate");
	case O_PACING:
		err = int_arg(a, 1, 10000000, &v, "--pacing-timer");
		p->pacing_timer = v;
		return err;
	case O_USER:
		o->username = a;
		return 0;
	case O_RSA_PUB:
		o->rsa_pub = a;
		return 0;
	case O_CONNECT_TIMEOUT:
		return ms_arg(a, &o->connect_timeout_ms, "--connect-timeout");
	case O_TLS:
		p->tls = true;
		return 0;
	case O_TLS_CIPHER:
		return tls_cipher_arg(o, a);
	}
	fputs(usage_text, stderr);
	return -EINVAL;
}

/* --tls encrypts TCP streams through a buffer */
static int tls_check(const struct np_params *p)
{
	const char *why = NULL;

	if (!p->tls)
		return 0;
	if (p->proto == NP_UDP)
		why = "--tls works over TCP only, not with -u";
	else if (p->zerocopy)
		why = "--tls cannot be used with -Z: sendfile() cannot encrypt";
	else if (p->skip_rx_copy)
		why = "--tls decrypts every byte: not with --skip-rx-copy";
	if (!why)
		return 0;
	fprintf(stderr, "netperf: parameter error - %s\n", why);
	return -EINVAL;
}

static int check(struct np_opts *o)
{
	if (o->server == o->client) {
		fprintf(stderr,
			"netperf: parameter error - must either be a client (-c) or server (-s)\n");
		return -EINVAL;
	}
	if (o->p.reverse && o->p.bidir) {
		fprintf(stderr,
			"netperf: parameter error - cannot be both reverse and bidirectional\n");
		return -EINVAL;
	}
	if (o->p.proto == NP_UDP && o->len_set &&
	    (o->p.len < NP_UDP_LEN_MIN || o->p.len > NP_UDP_LEN_MAX)) {
		fprintf(stderr,
			"netperf: parameter error - block size invalid\n");
		return -EINVAL;
	}
	if (o->p.proto == NP_TCP && o->len_set && o->p.len == 0)
		return bad("-l", "0");
	if (!o->rsa_priv != !o->authorized_users ||
	    !o->username != !o->rsa_pub) {
		fprintf(stderr,
			"netperf: parameter error - authentication needs --username with --rsa-public-key-path, --rsa-private-key-path with --authorized-users-path\n");
		return -EINVAL;
	}
	if (tls_check(&o->p) < 0)
		return -EINVAL;
	if (o->verbose && (o->json || o->json_stream))
		fprintf(stderr,
			"warning: Verbose output (-v) may interfere with JSON output (-J)\n");
	if (o->p.bytes || o->p.blocks)
		o->p.duration = 0;
	if (!o->max_tests)
		o->max_tests = 8;
	return 0;
}

int np_opts_parse(int argc, char **argv, struct np_opts *o)
{
	int c, err;

	defaults(o);
	while ((c = getopt_long(
			argc, argv,
			"sc:p:ub:t:n:k:l:P:Ri:Jf:1B:46w:M:NC:S:O:T:Vvhd::DI:Z",
			longopts, NULL)) != -1) {
		if (c == 's')
			o->server = true;
		else if (c == 'c') {
			o->client = true;
			o->host = optarg;
		} else if (c == 'v') {
			printf("netperf 1.0 (iperf 3.12 compatible)\n");
			return 1;
		} else if (c == 'h') {
			fputs(usage_text, stdout);
			return 1;
		} else if ((err = opt_common(o, c, optarg)) <= 0) {
			if (err < 0)
				return err;
		} else if ((err = opt_client(o, c, optarg)) < 0)
			return err;
	}
	if (optind < argc) {
		fprintf(stderr,
			"netperf: parameter error - unexpected \"%s\"\n",
			argv[optind]);
		return -EINVAL;
	}
	return check(o);
}

// SPDX-License-Identifier: MIT
/*
 * dhcpc6: a DHCPv6 client with busybox udhcpc6's command line, script
 * events and variables, that follows RFC 8415 where udhcpc6 falls short.
 * The getopt loop, -S and -v are cli.c's, shared with dhcpc.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "d6_dhcpc.h"
#include "embnet/applets.h"
#include "embnet/log.h"
#include "embnet/parse.h"

enum { OPT_DUID_FILE = 256, OPT_RAPID };

static const char usage[] =
	"Usage: udhcpc6 [-fbnqvodRlS] [-i IFACE] [-r IPv6|no] [-s PROG] "
	"[-p PIDFILE]\n"
	"\t[-t N] [-T SEC] [-A SEC] [-x OPT:VAL]... [-O OPT]... [-P N]\n"
	"\t[--duid-file FILE] [--rapid-commit]\n\n"
	"\t-i,--interface IFACE\tInterface to use (default eth0)\n"
	"\t-P,--client-port N\tUse port N (default 546)\n"
	"\t-s,--script PROG\tRun PROG at DHCP events\n"
	"\t\t\t\t(default " D6_DEFAULT_SCRIPT ")\n"
	"\t-p,--pidfile FILE\tCreate pidfile\n"
	"\t-t,--retries N\t\tSend up to N solicit packets (default 3)\n"
	"\t-T,--timeout SEC\tFirst retransmission time (default 1)\n"
	"\t-A,--tryagain SEC\tWait if lease is not obtained (default 20)\n"
	"\t-b,--background\t\tBackground if lease is not obtained\n"
	"\t-n,--now\t\tExit if lease is not obtained\n"
	"\t-q,--quit\t\tExit after obtaining lease\n"
	"\t-R,--release\t\tRelease IP on exit\n"
	"\t-f,--foreground\t\tRun in foreground\n"
	"\t-S,--syslog\t\tLog to syslog too\n"
	"\t-r,--request IPv6\tRequest this address ('no' to not request any)\n"
	"\t-d,--requestprefix\tRequest prefix\n"
	"\t-l,--stateless\t\tSend 'information request' instead of 'solicit'\n"
	"\t-o,--no-default-options\tDon't request any options (unless -O is given)\n"
	"\t-O,--request-option OPT\tRequest option OPT from server (cumulative)\n"
	"\t-x OPT:VAL\t\tInclude option OPT in sent packets (cumulative)\n"
	"\t-v\t\t\tVerbose\n"
	"\t--duid-file FILE\tKeep the DUID in FILE\n"
	"\t\t\t\t(default " D6_DEFAULT_DUID_FILE ")\n"
	"\t--rapid-commit\t\tAsk for a lease in two messages\n"
	"Signals:\n"
	"\tUSR1\tRenew lease\n"
	"\tUSR2\tRelease lease\n";

static const struct option longopts[] = {
	{ "interface", required_argument, NULL, 'i' },
	{ "now", no_argument, NULL, 'n' },
	{ "pidfile", required_argument, NULL, 'p' },
	{ "quit", no_argument, NULL, 'q' },
	{ "release", no_argument, NULL, 'R' },
	{ "request", required_argument, NULL, 'r' },
	{ "requestprefix", no_argument, NULL, 'd' },
	{ "stateless", no_argument, NULL, 'l' },
	{ "script", required_argument, NULL, 's' },
	{ "timeout", required_argument, NULL, 'T' },
	{ "retries", required_argument, NULL, 't' },
	{ "tryagain", required_argument, NULL, 'A' },
	{ "syslog", no_argument, NULL, 'S' },
	{ "request-option", required_argument, NULL, 'O' },
	{ "no-default-options", no_argument, NULL, 'o' },
	{ "foreground", no_argument, NULL, 'f' },
	{ "background", no_argument, NULL, 'b' },
	{ "client-port", required_argument, NULL, 'P' },
	{ "duid-file", required_argument, NULL, OPT_DUID_FILE },
	{ "rapid-commit", no_argument, NULL, OPT_RAPID },
	{ NULL, 0, NULL, 0 },
};

/* udhcpc6's option names (d6_option_strings), and ours for NTP/SNTP. */
static const struct {
	const char *name;
	uint16_t code;
} names[] = {
	{ "dns", 23 },
	{ "search", 24 },
	{ "fqdn", 39 },
	{ "tz", 41 },
	{ "timezone", 42 },
	{ "bootfile_url", 59 },
	{ "bootfile_param", 60 },
	{ "ntpsrv", 56 },
	{ "sntpsrv", 31 },
};

static int opt_code(const char *s, size_t len, uint16_t *code)
{
	char buf[32];
	uint32_t u;
	unsigned v;

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (strlen(names[i].name) == len &&
		    !strncmp(names[i].name, s, len))
			return (*code = names[i].code), 0;
	if (len >= sizeof(buf))
		return -EINVAL;
	memcpy(buf, s, len);
	buf[len] = 0;
	/* udhcpc6: bb_strtou(, , 0), so 0x10 is 16 */
	if (parse_u32_base(buf, 0, &u) || !u || u > 0xffff)
		return -EINVAL;
	v = u;
	*code = (uint16_t)v;
	return 0;
}

/* -O: once each, in the order given (the ORO's order is the client's). */
static int opt_request(struct d6_cfg *c, const char *a)
{
	uint16_t code;

	if (opt_code(a, strlen(a), &code))
		return -EINVAL;
	for (unsigned i = 0; i < c->n_oro; i++)
		if (c->oro[i] == code)
			return 0;
	if (c->n_oro >= D6_MAX_ORO - 3)
		return -ENOSPC;
	c->oro[c->n_oro++] = code;
	return 0;
}

/* -x CODE:HEX (a number: the value in hex, as udhcpc's 0x3d:0100BEEF)
 * or -x NAME:TEXT (a string option by name). */
static int opt_extra(struct d6_cfg *c, const char *a)
{
	const char *colon = strchr(a, ':'), *v;
	uint8_t *p = c->extra + c->extra_len;
	size_t n = 0, vlen;
	uint16_t code;
	bool hex = a[0] >= '0' && a[0] <= '9';

	if (!colon || opt_code(a, (size_t)(colon - a), &code))
		return -EINVAL;
	v = colon + 1;
	vlen = strlen(v);
	if ((hex && vlen % 2) ||
	    c->extra_len + 4 + (hex ? vlen / 2 : vlen) > sizeof(c->extra))
		return -EINVAL;
	for (size_t i = 0; hex && i < vlen; i += 2) {
		int hi = parse_hex_digit(v[i]), lo = parse_hex_digit(v[i + 1]);

		if (hi < 0 || lo < 0)
			return -EINVAL;
		p[4 + n++] = (uint8_t)(hi << 4 | lo);
	}
	if (!hex)
		memcpy(p + 4, v, n = vlen);
	p[0] = (uint8_t)(code >> 8);
	p[1] = (uint8_t)code;
	p[2] = (uint8_t)(n >> 8);
	p[3] = (uint8_t)n;
	c->extra_len += 4 + n;
	return 0;
}

static int opt_port(const char *a, uint16_t *port)
{
	unsigned v;

	if (cli_num(a, &v) || !v || v > 0xfffe)
		return -EINVAL;
	*port = (uint16_t)v;
	return 0;
}

static bool no_defaults;

static bool opt_flag(struct d6_cfg *c, int o)
{
	switch (o) {
	case 'n':
		c->now = true;
		return true;
	case 'q':
		c->quit = true;
		return true;
	case 'R':
		c->release = true;
		return true;
	case 'f':
		c->foreground = true;
		return true;
	case 'b':
		c->background = true;
		return true;
	case 'd':
		c->want_pd = true;
		return true;
	case 'l':
		c->stateless = true;
		return true;
	case 'o':
		no_defaults = true;
		return true;
	case OPT_RAPID:
		c->rapid_commit = true;
		return true;
	}
	return false;
}

static int opt_value(struct d6_cfg *c, int o, const char *a)
{
	unsigned v;

	switch (o) {
	case 'i':
		return (c->ifname = a), 0;
	case 's':
		return (c->script = a), 0;
	case 'p':
		return (c->pidfile = a), 0;
	case OPT_DUID_FILE:
		return (c->duid_file = a[0] ? a : NULL), 0;
	case 't':
		return cli_num(a, &c->retries);
	case 'A':
		return cli_num(a, &c->tryagain);
	case 'T':
		if (cli_num(a, &v) || v > 86400)
			return -EINVAL;
		c->timeout_ms = v * 1000;
		return 0;
	case 'r':
		if (!strcmp(a, "no"))
			return (c->want_na = false), 0;
		c->has_req_addr = true;
		return inet_pton(AF_INET6, a, c->req_addr) == 1 ? 0 : -EINVAL;
	case 'O':
		return opt_request(c, a);
	case 'x':
		return opt_extra(c, a);
	case 'P':
		return opt_port(a, &c->cport);
	}
	return -EINVAL;
}

static int opt(void *cfg, int o, const char *a)
{
	return opt_flag(cfg, o) ? 0 : opt_value(cfg, o, a);
}

static void cfg_defaults(struct d6_cfg *c)
{
	memset(c, 0, sizeof(*c));
	c->ifname = "eth0";
	c->script = D6_DEFAULT_SCRIPT;
	c->duid_file = D6_DEFAULT_DUID_FILE;
	c->retries = 3;
	c->tryagain = 20;
	c->cport = D6_CLIENT_PORT;
	c->want_na = true;
}

int dhcpc6_main(int argc, char **argv)
{
	static struct d6_cfg cfg;

	log_init("udhcpc6");
	cfg_defaults(&cfg);
	if (cli_parse(argc, argv, "i:np:qRr:s:T:t:SA:O:ox:fdlbP:v", longopts,
		      usage, opt, &cfg))
		return 1;
	/* udhcpc6's OPTION_REQ options, unless -o (wherever it is) */
	if (!no_defaults) {
		opt_request(&cfg, "dns");
		opt_request(&cfg, "search");
	}
	if (cfg.background)
		cfg.now = false; /* -b takes priority over -n */
	if (!cfg.want_na && !cfg.want_pd && !cfg.stateless) {
		log_err(0, "-r no without -d: nothing to ask for (use -l)");
		return 1;
	}
	return d6_run(&cfg);
}

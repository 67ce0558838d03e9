// SPDX-License-Identifier: MIT
/*
 * dhcpc: a DHCPv4 client, a drop-in for busybox udhcpc 1.35 (flags, script
 * events and environment, exit statuses) that follows RFC 2131.  The
 * getopt loop, -S and -v are cli.c's, shared with dhcpc6.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "embnet/applets.h"
#include "dhcpc.h"
#include "embnet/ip.h"
#include "embnet/log.h"
#include "opts.h"
#include "embnet/parse.h"

enum { OPT_LEASE_FILE = 256, OPT_RAPID, OPT_NO_CARRIER };

/* udhcpc 1.35's usage, with the long names and the options it hides */
static const char usage[] =
	"Usage: udhcpc [-fbqRSnoCBv] [-t N] [-T SEC] [-A SEC] [-i IFACE] "
	"[-s PROG]\n"
	"\t[-p PIDFILE] [-a[MSEC]] [-r IP] [-O OPT]... [-x OPT:VAL]... "
	"[-F NAME]\n"
	"\t[-V VENDOR] [-P PORT] [--lease-file FILE] [--rapid-commit]\n"
	"\t[--no-carrier]\n\n"
	"\t-i,--interface IFACE\tInterface to use (default eth0)\n"
	"\t-P,--client-port PORT\tUse PORT (default 68)\n"
	"\t-s,--script PROG\tRun PROG at DHCP events\n"
	"\t\t\t\t(default " DHCPC_DEFAULT_SCRIPT ")\n"
	"\t-p,--pidfile FILE\tCreate pidfile\n"
	"\t-B,--broadcast\t\tRequest broadcast replies\n"
	"\t-t,--retries N\t\tSend up to N discover packets (default 3)\n"
	"\t-T,--timeout SEC\tPause between packets (default 3)\n"
	"\t-A,--tryagain SEC\tWait if lease is not obtained (default 20)\n"
	"\t-b,--background\t\tBackground if lease is not obtained\n"
	"\t-n,--now\t\tExit if lease is not obtained\n"
	"\t-q,--quit\t\tExit after obtaining lease\n"
	"\t-R,--release\t\tRelease IP on exit\n"
	"\t-f,--foreground\t\tRun in foreground\n"
	"\t-S,--syslog\t\tLog to syslog too\n"
	"\t-a,--arping[=MSEC]\tValidate offered address with ARP ping\n"
	"\t-r,--request IP\t\tRequest this IP address\n"
	"\t-o,--no-default-options\tDon't request any options (unless -O is given)\n"
	"\t-O,--request-option OPT\tRequest option OPT from server (cumulative)\n"
	"\t-x OPT:VAL\t\tInclude option OPT in sent packets (cumulative)\n"
	"\t-F,--fqdn NAME\t\tAsk server to update DNS mapping for NAME\n"
	"\t-V,--vendorclass VENDOR\tVendor identifier\n"
	"\t\t\t\t(default '" DHCPC_VENDOR_DEFAULT "')\n"
	"\t-C,--clientid-none\tDon't send MAC as client identifier\n"
	"\t-H,-h,--hostname NAME\tSend NAME as option 12 (as -x hostname:NAME)\n"
	"\t-c,--clientid ID\tSend ID as client identifier (type 0)\n"
	"\t-v\t\t\tVerbose\n"
	"\t--lease-file FILE\tKeep the lease in FILE, start from it\n"
	"\t--rapid-commit\t\tAsk for a lease in two messages (RFC 4039)\n"
	"\t--no-carrier\t\tDo not follow the link's carrier\n"
	"Signals:\n"
	"\tUSR1\tRenew lease\n"
	"\tUSR2\tRelease lease\n";

static const struct option longopts[] = {
	{ "clientid-none", no_argument, NULL, 'C' },
	{ "vendorclass", required_argument, NULL, 'V' },
	{ "fqdn", required_argument, NULL, 'F' },
	{ "interface", required_argument, NULL, 'i' },
	{ "now", no_argument, NULL, 'n' },
	{ "pidfile", required_argument, NULL, 'p' },
	{ "quit", no_argument, NULL, 'q' },
	{ "release", no_argument, NULL, 'R' },
	{ "request", required_argument, NULL, 'r' },
	{ "script", required_argument, NULL, 's' },
	{ "timeout", required_argument, NULL, 'T' },
	{ "retries", required_argument, NULL, 't' },
	{ "tryagain", required_argument, NULL, 'A' },
	{ "syslog", no_argument, NULL, 'S' },
	{ "request-option", required_argument, NULL, 'O' },
	{ "no-default-options", no_argument, NULL, 'o' },
	{ "foreground", no_argument, NULL, 'f' },
	{ "background", no_argument, NULL, 'b' },
	{ "broadcast", no_argument, NULL, 'B' },
	{ "arping", optional_argument, NULL, 'a' },
	{ "client-port", required_argument, NULL, 'P' },
	{ "hostname", required_argument, NULL, 'H' },
	{ "clientid", required_argument, NULL, 'c' },
	{ "lease-file", required_argument, NULL, OPT_LEASE_FILE },
	{ "rapid-commit", no_argument, NULL, OPT_RAPID },
	{ "no-carrier", no_argument, NULL, OPT_NO_CARRIER },
	{ NULL, 0, NULL, 0 },
};

static int opt_ip(const char *s, uint32_t *v)
{
	struct ip_addr a;

	if (ip_parse(s, AF_INET, &a))
		return -EINVAL;
	*v = a.v4.s_addr;
	return 0;
}

static int opt_port(const char *s, uint16_t *port)
{
	unsigned v;

	if (cli_num(s, &v) || v < 2 || v > 65535)
		return -EINVAL;
	*port = (uint16_t)v;
	return 0;
}

/* Old -c CLIENTID (removed in 1.18; ifup still passes it): type 0. */
static int opt_clientid(struct dhcpc_cfg *c, const char *s)
{
	uint8_t buf[256] = { 0 };
	size_t n = strlen(s);

	if (n > 254)
		return -EINVAL;
	memcpy(buf + 1, s, n);
	return opts_add(c, 61, buf, n + 1);
}

static int opt_arping(struct dhcpc_cfg *c, const char *s)
{
	unsigned ms = 2000;

	if (s && cli_num(s, &ms))
		return -EINVAL;
	c->arp_ms = (int)(ms > 60000 ? 60000 : ms);
	return 0;
}

/* Options that only set a flag.  Returns false for any other. */
static bool opt_flag(struct dhcpc_cfg *c, int o)
{
	switch (o) {
	case 'n':
		return c->now = true;
	case 'q':
		return c->quit = true;
	case 'R':
		return c->release = true;
	case 'f':
		return c->foreground = true;
	case 'b':
		return c->background = true;
	case 'B':
		return c->bcast_flag = true;
	case 'C':
		return c->no_clientid = true;
	case 'o':
		return c->no_defaults = true;
	case OPT_RAPID:
		return c->rapid_commit = true;
	case OPT_NO_CARRIER:
		c->carrier = false;
		return true;
	}
	return false;
}

static int opt_value(struct dhcpc_cfg *c, int o, const char *a)
{
	switch (o) {
	case 'i':
		return (c->ifname = a)[0] ? 0 : -EINVAL;
	case 's':
		return (c->script = a), 0;
	case 'p':
		return (c->pidfile = a), 0;
	case OPT_LEASE_FILE:
		return (c->lease_file = a), 0;
	case 'V':
		return (c->vendor = a[0] ? a : NULL), 0;
	case 't':
		return cli_num(a, &c->retries);
	case 'T':
		return cli_num(a, &c->timeout);
	case 'A':
		return cli_num(a, &c->tryagain);
	case 'r':
		return opt_ip(a, &c->req_ip);
	case 'O':
		return opts_request(c, a);
	case 'x':
		return opts_extra(c, a);
	case 'F':
		return opts_fqdn(c, a);
	case 'H':
	case 'h':
		return opts_add(c, 12, a, strlen(a)); /* -x hostname: */
	case 'c':
		return opt_clientid(c, a);
	case 'a':
		return opt_arping(c, a);
	case 'P':
		return opt_port(a, &c->cport);
	}
	return -EINVAL;
}

static int opt(void *cfg, int o, const char *a)
{
	return opt_flag(cfg, o) ? 0 : opt_value(cfg, o, a);
}

static void cfg_defaults(struct dhcpc_cfg *c)
{
	memset(c, 0, sizeof(*c));
	c->ifname = "eth0";
	c->script = DHCPC_DEFAULT_SCRIPT;
	c->vendor = DHCPC_VENDOR_DEFAULT;
	c->retries = 3;
	c->timeout = 3;
	c->tryagain = 20;
	c->arp_ms = -1;
	c->cport = 68;
	c->carrier = true;
}

int dhcpc_main(int argc, char **argv)
{
	static struct dhcpc_cfg cfg;

	log_init("udhcpc");
	cfg_defaults(&cfg);
	if (cli_parse(argc, argv, "CV:F:i:np:qRr:s:T:t:SA:O:ox:fBba::P:vc:H:h:",
		      longopts, usage, opt, &cfg))
		return 1;
	/* udhcpc ignores operands (optind < argc); -o drops the default
	 * options requested, wherever it is, but not those of -O */
	if (!cfg.no_defaults)
		opts_default_prl(&cfg);
	if (cfg.background)
		cfg.now = false; /* -b takes priority over -n */
	return dhcpc_run(&cfg);
}

// SPDX-License-Identifier: MIT
/*
 * ethtool-lite: argv and dispatch.  The netlink or ioctl handler is picked
 * as ethtool 6.1's netlink_run_handler() does, so that the output is the
 * one 6.1 prints on the same kernel.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <net/if.h>

#include "embnet/applets.h"
#include "et.h"
#include "print.h"

#define ALTIFNAMSIZ 128

enum {
	O_NO_DEV = 1,  /* -h, --version */
	O_JSON = 2,    /* 6.1 takes --json */
	O_IOCTL = 4,   /* 6.1 has an ioctl handler */
	O_NLCHK = 8,   /* -S: netlink only with --groups (ioctl here) */
	O_UNSUP = 16,  /* an ethtool 6.1 command ethtool-lite lacks */
	O_IOJSON = 32, /* --json on the ioctl path too (beyond 6.1) */
};

struct et_opt {
	const char *opts;
	unsigned int flags;
	et_fn nl, io;
};

#define UNSUP(o, f)                                                            \
	{                                                                      \
		o, O_UNSUP | (f), NULL, NULL                                   \
	}

static const struct et_opt opts[] = {
	{ "", O_JSON | O_IOCTL, et_nl_gset, et_io_gset },
	{ "-s|--change", O_IOCTL, et_nl_sset, et_io_sset },
	{ "-a|--show-pause", O_JSON | O_IOCTL, et_nl_gpause, et_io_gpause },
	{ "-A|--pause", O_IOCTL, et_nl_spause, et_io_spause },
	{ "-c|--show-coalesce", O_JSON | O_IOCTL, et_nl_gcoalesce,
	  et_io_gcoalesce },
	{ "-C|--coalesce", O_IOCTL, et_nl_scoalesce, et_io_scoalesce },
	{ "-g|--show-ring", O_JSON | O_IOCTL, et_nl_gring, et_io_gring },
	{ "-G|--set-ring", O_IOCTL, et_nl_sring, et_io_sring },
	{ "-k|--show-features|--show-offload", O_JSON | O_IOCTL,
	  et_nl_gfeatures, et_io_gfeatures },
	{ "-K|--features|--offload", O_IOCTL, et_nl_sfeatures,
	  et_io_sfeatures },
	{ "-i|--driver", O_JSON | O_IOJSON | O_IOCTL, NULL, et_io_gdrv },
	{ "-d|--register-dump", O_IOCTL, NULL, et_io_gregs },
	{ "-e|--eeprom-dump", O_IOCTL, NULL, et_io_geeprom },
	{ "-E|--change-eeprom", O_IOCTL, NULL, et_io_seeprom },
	{ "-r|--negotiate", O_IOCTL, NULL, et_io_nway_rst },
	{ "-p|--identify", O_IOCTL, NULL, et_io_phys_id },
	{ "-t|--test", O_IOCTL, NULL, et_io_test },
	{ "-S|--statistics", O_JSON | O_IOJSON | O_IOCTL | O_NLCHK, NULL,
	  et_io_gstats },
	UNSUP("--phy-statistics", O_IOCTL),
	{ "-n|-u|--show-nfc|--show-ntuple", O_IOCTL, NULL, et_io_grxnfc },
	{ "-N|-U|--config-nfc|--config-ntuple", O_IOCTL, NULL, et_io_srxnfc },
	{ "-T|--show-time-stamping", O_JSON | O_IOCTL, et_nl_tsinfo,
	  et_io_tsinfo },
	{ "-x|--show-rxfh-indir|--show-rxfh", O_IOCTL, NULL, et_io_grxfh },
	{ "-X|--set-rxfh-indir|--rxfh", O_IOCTL, NULL, et_io_srxfh },
	UNSUP("-f|--flash", O_IOCTL),
	{ "-P|--show-permaddr", O_IOCTL, et_nl_permaddr, et_io_permaddr },
	UNSUP("-w|--get-dump", O_IOCTL),
	UNSUP("-W|--set-dump", O_IOCTL),
	{ "-l|--show-channels", O_JSON | O_IOCTL, et_nl_gchannels,
	  et_io_gchannels },
	{ "-L|--set-channels", O_IOCTL, et_nl_schannels, et_io_schannels },
	{ "--show-priv-flags", O_JSON | O_IOCTL, et_nl_gprivflags,
	  et_io_gprivflags },
	{ "--set-priv-flags", O_IOCTL, et_nl_sprivflags, et_io_sprivflags },
	{ "-m|--dump-module-eeprom|--module-info", O_IOCTL, et_nl_module,
	  et_io_module },
	{ "--show-eee", O_JSON | O_IOCTL, et_nl_geee, et_io_geee },
	{ "--set-eee", O_IOCTL, et_nl_seee, et_io_seee },
	UNSUP("--set-phy-tunable", O_IOCTL),
	UNSUP("--get-phy-tunable", O_IOCTL),
	UNSUP("--get-tunable", O_IOCTL),
	UNSUP("--set-tunable", O_IOCTL),
	UNSUP("--reset", O_IOCTL),
	{ "--show-fec", O_JSON | O_IOCTL, et_nl_gfec, et_io_gfec },
	{ "--set-fec", O_IOCTL, et_nl_sfec, et_io_sfec },
	UNSUP("-Q|--per-queue", O_IOCTL),
	UNSUP("--cable-test", O_JSON),
	UNSUP("--cable-test-tdr", O_JSON),
	UNSUP("--show-tunnels", 0),
	UNSUP("--show-module", O_JSON),
	UNSUP("--set-module", 0),
	{ "-h|--help", O_NO_DEV | O_IOCTL, NULL, et_help },
	{ "--version", O_NO_DEV | O_IOCTL, NULL, et_version },
};
#define N_OPTS (sizeof(opts) / sizeof(opts[0]))

static const struct et_opt *find_option(const char *arg)
{
	const char *o;
	size_t k, len;

	for (k = 1; k < N_OPTS; k++) {
		for (o = opts[k].opts;; o += len + 1) {
			len = strcspn(o, "|");
			if (strncmp(arg, o, len) == 0 && arg[len] == 0)
				return &opts[k];
			if (o[len] == 0)
				break;
		}
	}
	return NULL;
}

/* 6.1's no_support: label, then the ioctl path's own checks. */
static int no_support(struct et_ctx *c, const struct et_opt *o,
		      const char *reason)
{
	if (!(o->flags & O_IOCTL)) {
		fprintf(stderr, "%s, subcommand not supported by ioctl\n",
			reason);
		return 1;
	}
	if (c->devname && strlen(c->devname) >= IFNAMSIZ) {
		fprintf(stderr,
			"%s, device name longer than %u not supported\n",
			reason, IFNAMSIZ - 1);
		return 1;
	}
	if (c->json && !(o->flags & O_IOJSON))
		return et_bad_args();
	return o->io(c);
}

static int run(struct et_ctx *c, const struct et_opt *o)
{
	int ret;

	if (o->flags & O_UNSUP) {
		fprintf(stderr,
			"ethtool: %s is not supported by ethtool-lite\n",
			o->opts);
		return 1;
	}
	if (o->flags & O_NLCHK)
		return no_support(c, o, "ioctl-only request");
	if (c->devname && strlen(c->devname) >= ALTIFNAMSIZ) {
		fprintf(stderr, "device name '%s' longer than %u characters\n",
			c->devname, ALTIFNAMSIZ - 1);
		return 1;
	}
	if (!o->nl)
		return no_support(
			c, o, "ethtool netlink support for subcommand missing");
	ret = et_nl_init(c);
	if (ret < 0) {
		c->stale_errno = -ret; /* 6.1's errno from the same failure */
		return no_support(c, o,
				  "netlink interface initialization failed");
	}
	ret = o->nl(c);
	et_nl_done(c);
	if (ret != -EOPNOTSUPP || !c->ioctl_fallback)
		return ret >= 0 ? ret : 1;
	return no_support(c, o,
			  "kernel netlink support for subcommand missing");
}

int ethtool_main(int argc, char **argv)
{
	struct et_ctx c = { 0 };
	const struct et_opt *o = &opts[0];
	int i = 1;

	for (; i < argc; i++) {
		if (!strcmp(argv[i], "--debug") && i + 1 < argc)
			i++;
		else if (!strcmp(argv[i], "--json"))
			c.json = true;
		else if (strcmp(argv[i], "-I") &&
			 strcmp(argv[i], "--include-statistics"))
			break;
	}
	if (i >= argc)
		return et_bad_args();
	if (find_option(argv[i]))
		o = find_option(argv[i++]);
	else if (argv[i][0] == '-')
		return et_bad_args();
	if (!(o->flags & O_NO_DEV)) {
		if (i >= argc)
			return et_bad_args();
		c.devname = argv[i++];
		snprintf(c.dev.ifname, sizeof(c.dev.ifname), "%s", c.devname);
	}
	if (c.json && !(o->flags & O_JSON))
		return et_bad_args();
	c.argc = argc - i;
	c.argv = argv + i;
	return run(&c, o);
}

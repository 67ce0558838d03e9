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

/*
 * The commands, in three parallel tables (no pointer per entry): their
 * names ("|"-separated aliases, each command ended by a NUL), their flags
 * and, for the commands ethtool-lite has, the netlink and ioctl handlers.
 * The unsupported ones come last and have no handlers.
 */
struct et_fns {
	et_fn nl, io;
};

#define J O_JSON
#define I O_IOCTL
static const char opt_names[] =
	"\0-s|--change\0-a|--show-pause\0-A|--pause\0-c|--show-coalesce\0"
	"-C|--coalesce\0-g|--show-ring\0-G|--set-ring\0"
	"-k|--show-features|--show-offload\0-K|--features|--offload\0"
	"-i|--driver\0-d|--register-dump\0-e|--eeprom-dump\0"
	"-E|--change-eeprom\0-r|--negotiate\0-p|--identify\0-t|--test\0"
	"-S|--statistics\0-n|-u|--show-nfc|--show-ntuple\0"
	"-N|-U|--config-nfc|--config-ntuple\0-T|--show-time-stamping\0"
	"-x|--show-rxfh-indir|--show-rxfh\0-X|--set-rxfh-indir|--rxfh\0"
	"-P|--show-permaddr\0-l|--show-channels\0-L|--set-channels\0"
	"--show-priv-flags\0--set-priv-flags\0"
	"-m|--dump-module-eeprom|--module-info\0--show-eee\0--set-eee\0"
	"--show-fec\0--set-fec\0-h|--help\0--version\0"
	/* O_UNSUP from here */
	"--phy-statistics\0-f|--flash\0-w|--get-dump\0-W|--set-dump\0"
	"--set-phy-tunable\0--get-phy-tunable\0--get-tunable\0"
	"--set-tunable\0--reset\0-Q|--per-queue\0--cable-test\0"
	"--cable-test-tdr\0--show-tunnels\0--show-module\0--set-module";

static const unsigned char opt_flags[] = {
	J | I,			    /* DEV */
	I,			    /* -s */
	J | I,			    /* -a */
	I,			    /* -A */
	J | I,			    /* -c */
	I,			    /* -C */
	J | I,			    /* -g */
	I,			    /* -G */
	J | I,			    /* -k */
	I,			    /* -K */
	J | O_IOJSON | I,	    /* -i */
	I,			    /* -d */
	I,			    /* -e */
	I,			    /* -E */
	I,			    /* -r */
	I,			    /* -p */
	I,			    /* -t */
	J | O_IOJSON | I | O_NLCHK, /* -S */
	J | O_IOJSON | I,	    /* -n */
	I,			    /* -N */
	J | I,			    /* -T */
	J | O_IOJSON | I,	    /* -x */
	I,			    /* -X */
	I,			    /* -P */
	J | I,			    /* -l */
	I,			    /* -L */
	J | I,			    /* --show-priv-flags */
	I,			    /* --set-priv-flags */
	I,			    /* -m */
	J | I,			    /* --show-eee */
	I,			    /* --set-eee */
	J | I,			    /* --show-fec */
	I,			    /* --set-fec */
	O_NO_DEV | I,		    /* -h */
	O_NO_DEV | I,		    /* --version */
	/* O_UNSUP from here */
	I, /* --phy-statistics */
	I, /* -f */
	I, /* -w */
	I, /* -W */
	I, /* --set-phy-tunable */
	I, /* --get-phy-tunable */
	I, /* --get-tunable */
	I, /* --set-tunable */
	I, /* --reset */
	I, /* -Q */
	J, /* --cable-test */
	J, /* --cable-test-tdr */
	0, /* --show-tunnels */
	J, /* --show-module */
	0, /* --set-module */
};
#undef J
#undef I

static const struct et_fns opt_fns[] = {
	{ et_nl_gset, et_io_gset },
	{ et_nl_sset, et_io_sset },
	{ et_nl_gpause, et_io_gpause },
	{ et_nl_spause, et_io_spause },
	{ et_nl_gcoalesce, et_io_gcoalesce },
	{ et_nl_scoalesce, et_io_scoalesce },
	{ et_nl_gring, et_io_gring },
	{ et_nl_sring, et_io_sring },
	{ et_nl_gfeatures, et_io_gfeatures },
	{ et_nl_sfeatures, et_io_sfeatures },
	{ NULL, et_io_gdrv },
	{ NULL, et_io_gregs },
	{ NULL, et_io_geeprom },
	{ NULL, et_io_seeprom },
	{ NULL, et_io_nway_rst },
	{ NULL, et_io_phys_id },
	{ NULL, et_io_test },
	{ NULL, et_io_gstats },
	{ NULL, et_io_grxnfc },
	{ NULL, et_io_srxnfc },
	{ et_nl_tsinfo, et_io_tsinfo },
	{ NULL, et_io_grxfh },
	{ NULL, et_io_srxfh },
	{ et_nl_permaddr, et_io_permaddr },
	{ et_nl_gchannels, et_io_gchannels },
	{ et_nl_schannels, et_io_schannels },
	{ et_nl_gprivflags, et_io_gprivflags },
	{ et_nl_sprivflags, et_io_sprivflags },
	{ et_nl_module, et_io_module },
	{ et_nl_geee, et_io_geee },
	{ et_nl_seee, et_io_seee },
	{ et_nl_gfec, et_io_gfec },
	{ et_nl_sfec, et_io_sfec },
	{ NULL, et_help },
	{ NULL, et_version },
};
#define N_OPTS sizeof(opt_flags)
#define N_FNS (sizeof(opt_fns) / sizeof(opt_fns[0]))
_Static_assert(N_FNS <= N_OPTS, "a handler for every command it names");

struct et_opt {
	const char *opts;
	unsigned int flags;
	et_fn nl, io;
};

/* The command @arg names (its index), or 0 (DEV alone) for none. */
static size_t find_option(const char *arg, struct et_opt *out)
{
	const char *o = opt_names + 1;
	size_t k, len;

	for (k = 1; k < N_OPTS && *o; k++, o += strlen(o) + 1) {
		out->opts = o;
		for (;; o += len + 1) {
			len = strcspn(o, "|");
			if (strncmp(arg, o, len) == 0 && arg[len] == 0)
				return k;
			if (o[len] == 0)
				break;
		}
	}
	return 0;
}

static void set_option(struct et_opt *o, size_t k)
{
	o->flags = opt_flags[k] | (k >= N_FNS ? O_UNSUP : 0);
	o->nl = k < N_FNS ? opt_fns[k].nl : NULL;
	o->io = k < N_FNS ? opt_fns[k].io : NULL;
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
	struct et_opt opt = { "", 0, NULL, NULL }, *o = &opt;
	size_t k;
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
	k = find_option(argv[i], o);
	if (k)
		i++;
	else if (argv[i][0] == '-')
		return et_bad_args();
	set_option(o, k);
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

/* SPDX-License-Identifier: MIT */
/*
 * ifup, ifdown, ifquery: one program, picked by argv[0].  Options and exit
 * status of Debian ifupdown 0.8 (busybox's -m accepted too); the run is
 * select.c's.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "embnet/applets.h"
#include "ifupdown.h"
#include "embnet/log.h"

#define IFUD_VERSION "0.8.41"

static void usage(void)
{
	log_warn("Use --help for help");
	exit(1);
}

static void help(const struct ifud_opts *o)
{
	bool q = o->cmd == IFUD_QUERY;

	printf("Usage: %s <options> <ifaces...>\n", o->prog);
	if (q)
		printf("       %s <options> --list\n"
		       "       %s --state <ifaces...>\n",
		       o->prog, o->prog);
	printf("\nOptions:\n"
	       "\t-h, --help             this help\n"
	       "\t-V, --version          copyright and version information\n"
	       "\t-a, --all              process all interfaces marked \"auto\"\n"
	       "\t--allow CLASS          ignore non-\"allow-CLASS\" interfaces\n"
	       "\t-i, --interfaces FILE  use FILE for interface definitions\n"
	       "\t--state-dir DIR        use DIR to store state information\n"
	       "\t-X, --exclude PATTERN  exclude interfaces from the list of\n"
	       "\t                       interfaces to operate on by a PATTERN\n");
	if (!q)
		printf("\t-n, --no-act           print out what would happen, but don't do it\n"
		       "\t                       (note that this option doesn't disable mappings)\n");
	printf("\t-v, --verbose          print out what would happen before doing it\n"
	       "\t-o, --option OPTION=VALUE\n"
	       "\t                       set OPTION to VALUE as though it were in\n"
	       "\t                       /etc/network/interfaces\n"
	       "\t-m, --no-mappings      don't run any mappings\n"
	       "\t--no-scripts           don't run any hook scripts\n"
	       "\t--no-loopback          don't act specially on the loopback device\n"
	       "\t--read-environment     take VERBOSE, CONFIGURE_INTERFACES and\n"
	       "\t                       EXCLUDE_INTERFACES from the environment\n");
	if (!q)
		printf("\t-f, --force            force de/configuration\n"
		       "\t--ignore-errors        ignore errors\n");
	else
		printf("\t-l, --list             list all matching known interfaces\n"
		       "\t--state                show the state of specified interfaces\n");
	exit(0);
}

static void option(struct ifud_opts *o, const char *arg)
{
	char name[128];
	const char *eq = strchr(arg, '=');

	if (!eq) {
		log_warn("error in --option \"%s\" -- no \"=\" character", arg);
		exit(1);
	}
	snprintf(name, sizeof(name), "%.*s", (int)(eq - arg), arg);
	if (strcmp(name, "post-up") == 0)
		strcpy(name, "up");
	else if (strcmp(name, "pre-down") == 0)
		strcpy(name, "down");
	if (ifp_opt_set(&o->extra, name, eq + 1, false) < 0)
		exit(1);
}

enum {
	O_ALLOW = 256,
	O_NOMAP,
	O_NOSCRIPTS,
	O_NOLO,
	O_FORCE,
	O_IGNERR,
	O_STATE,
	O_READENV,
	O_STATEDIR
};

static const struct option long_opts[] = {
	{ "help", no_argument, NULL, 'h' },
	{ "version", no_argument, NULL, 'V' },
	{ "verbose", no_argument, NULL, 'v' },
	{ "all", no_argument, NULL, 'a' },
	{ "allow", required_argument, NULL, O_ALLOW },
	{ "interfaces", required_argument, NULL, 'i' },
	{ "exclude", required_argument, NULL, 'X' },
	{ "no-act", no_argument, NULL, 'n' },
	{ "no-mappings", no_argument, NULL, O_NOMAP },
	{ "no-scripts", no_argument, NULL, O_NOSCRIPTS },
	{ "no-loopback", no_argument, NULL, O_NOLO },
	{ "force", no_argument, NULL, O_FORCE },
	{ "ignore-errors", no_argument, NULL, O_IGNERR },
	{ "option", required_argument, NULL, 'o' },
	{ "list", no_argument, NULL, 'l' },
	{ "state", no_argument, NULL, O_STATE },
	{ "read-environment", no_argument, NULL, O_READENV },
	{ "state-dir", required_argument, NULL, O_STATEDIR },
	{ NULL, 0, NULL, 0 },
};

/* --read-environment: VERBOSE, CONFIGURE_INTERFACES, EXCLUDE_INTERFACES. */
static void read_environment(struct ifud_opts *o)
{
	const char *v = getenv("VERBOSE");
	char *copy, *w, *save = NULL;

	if (v && strcmp(v, "yes") == 0)
		o->verbose = true;
	v = getenv("CONFIGURE_INTERFACES");
	if (v && strcmp(v, "no") == 0)
		o->no_act = true;
	v = getenv("EXCLUDE_INTERFACES");
	if (!v || !(copy = strdup(v)))
		return;
	for (char *p = copy; (w = strtok_r(p, " \t\n", &save)); p = NULL)
		ifp_strv_add(&o->exclude, w);
	free(copy);
}

static void query_only(const struct ifud_opts *o, bool want)
{
	if ((o->cmd == IFUD_QUERY) != want)
		usage();
}

static void parse_opt(struct ifud_opts *o, int c)
{
	switch (c) {
	case 'i':
		o->interfaces = optarg;
		break;
	case 'v':
		o->verbose = true;
		break;
	case 'a':
		o->all = true;
		break;
	case O_ALLOW:
		o->allow = optarg;
		break;
	case 'n':
		query_only(o, false);
		o->no_act = true;
		break;
	case 'm': /* busybox */
	case O_NOMAP:
		o->no_mappings = true;
		break;
	case O_NOSCRIPTS:
		o->no_scripts = true;
		break;
	case O_NOLO:
		o->no_loopback = true;
		break;
	case 'f':
	case O_FORCE:
		query_only(o, false);
		o->force = true;
		break;
	case O_IGNERR:
		o->ignore_errors = true;
		break;
	case 'X':
		ifp_strv_add(&o->exclude, optarg);
		break;
	case 'o':
		option(o, optarg);
		break;
	case 'l':
		query_only(o, true);
		o->list = true;
		break;
	case O_STATE:
		query_only(o, true);
		o->state = true;
		break;
	case O_READENV:
		read_environment(o);
		break;
	case O_STATEDIR:
		o->state_dir = optarg;
		break;
	case 'h':
		help(o);
		break;
	case 'V':
		printf("%s version " IFUD_VERSION " (embnet)\n", o->prog);
		exit(0);
	default:
		usage();
	}
}

static void pick_command(struct ifud_opts *o, const char *argv0)
{
	const char *base = strrchr(argv0, '/');

	o->prog = base ? base + 1 : argv0;
	log_init(o->prog);
	if (strcmp(o->prog, "ifup") == 0) {
		o->cmd = IFUD_UP;
	} else if (strcmp(o->prog, "ifdown") == 0) {
		o->cmd = IFUD_DOWN;
		o->ignore_errors = true;
	} else if (strcmp(o->prog, "ifquery") == 0) {
		o->cmd = IFUD_QUERY;
		o->no_act = true;
	} else {
		log_warn(
			"this command should be called as ifup, ifdown, or ifquery");
		exit(1);
	}
}

static void check_args(const struct ifud_opts *o, int n)
{
	if (o->state)
		return;
	if (n > 0 && o->all) { /* ifquery --list takes names and patterns */
		log_warn(
			"either use the --all option, or specify interface(s), but not both");
		usage();
	}
	if (n == 0 && !o->all && !o->list) {
		log_warn("no interface(s) specified");
		usage();
	}
	if (o->all && o->cmd == IFUD_QUERY)
		usage();
}

/* Every state file's path is built in a PATH_MAX buffer: a directory
 * that leaves no room for "/ifstate.IFACE" is refused up front. */
static void check_state_dir(const struct ifud_opts *o)
{
	size_t n = strlen(o->state_dir);

	if (n <= IFUD_STATE_DIR_MAX)
		return;
	log_warn("--state-dir: a name of %zu bytes is too long (at most %d)", n,
		 IFUD_STATE_DIR_MAX);
	exit(1);
}

int ifup_main(int argc, char **argv)
{
	struct ifud_opts o = {
		.interfaces = "/etc/network/interfaces",
		.state_dir = IFUD_STATE_DIR,
	};
	int c, ret;

	pick_command(&o, argv[0]);
	while ((c = getopt_long(argc, argv, "X:i:o:hVvnalfm", long_opts,
				NULL)) != -1)
		parse_opt(&o, c);
	check_args(&o, argc - optind);
	check_state_dir(&o);
	ret = run_main(&o, argv + optind, argc - optind);
	ifp_opts_free(&o.extra);
	return ret;
}

// SPDX-License-Identifier: MIT
/*
 * embnet: every program in one binary, run by the basename of argv[0] as
 * busybox and toybox do (a link named ifup runs ifup), or by its first
 * operand (`embnet ifup -a`).  The program's own main gets the argv it
 * would get as a program of its own, argv[0] naming it, so its options,
 * messages and exit status are the same.
 */
#include <stdio.h>
#include <string.h>

#include "embnet/applets.h"

struct applet {
	const char *name;
	int (*main)(int argc, char **argv);
};

/* In --list order.  ifup_main picks ifup, ifdown or ifquery from argv[0]
 * itself; udhcpc is the name scripts and ifupdown call dhcpc by. */
static const struct applet applets[] = {
	{ .name = "dhcpc", .main = dhcpc_main },
	{ .name = "dhcpc6", .main = dhcpc6_main },
	{ .name = "ethtool", .main = ethtool_main },
	{ .name = "ifdown", .main = ifup_main },
	{ .name = "ifquery", .main = ifup_main },
	{ .name = "ifup", .main = ifup_main },
	{ .name = "netperf", .main = netperf_main },
	{ .name = "udhcpc", .main = dhcpc_main },
	{ .name = "udhcpc6", .main = dhcpc6_main },
};

#define N_APPLETS (sizeof(applets) / sizeof(applets[0]))

static const struct applet *find(const char *name)
{
	for (size_t i = 0; i < N_APPLETS; i++)
		if (strcmp(applets[i].name, name) == 0)
			return &applets[i];
	return NULL;
}

static int usage(void)
{
	fputs("Usage: embnet APPLET [ARGS...]\n"
	      "   or: embnet --list\n"
	      "   or: APPLET [ARGS...]  (run through a link named APPLET)\n"
	      "\nApplets:",
	      stdout);
	for (size_t i = 0; i < N_APPLETS; i++)
		printf(" %s", applets[i].name);
	putchar('\n');
	return 0;
}

static int list(void)
{
	for (size_t i = 0; i < N_APPLETS; i++)
		puts(applets[i].name);
	return 0;
}

static const char *base(const char *path)
{
	const char *slash = strrchr(path, '/');

	return slash ? slash + 1 : path;
}

int main(int argc, char **argv)
{
	const struct applet *a;
	const char *name = argc > 0 ? base(argv[0]) : "embnet";

	/* `embnet NAME ARGS`: NAME runs with argv from NAME on, as though
	 * started through a link; `embnet embnet NAME` too, as busybox. */
	while (!(a = find(name)) && strcmp(name, "embnet") == 0) {
		if (argc < 2 || strcmp(argv[1], "--help") == 0)
			return usage();
		if (strcmp(argv[1], "--list") == 0)
			return list();
		argc--;
		argv++;
		name = base(argv[0]);
	}
	if (!a) {
		/* busybox's status: the shell's "command not found" */
		fprintf(stderr, "embnet: applet not found: %s\n", name);
		return 127;
	}
	return a->main(argc, argv);
}

// SPDX-License-Identifier: MIT
/*
 * nltool: a thin command line over libembnet for tests/net.  Each module
 * has its own file (nltool_<module>.c) with one entry point; this file only
 * dispatches.  Output is "key=value" lines; errors are one line on stderr
 * with the kernel's extended-ack text, exit 1; usage errors exit 2.
 */
#include <stdio.h>
#include <string.h>

#include "embnet/log.h"
#include "nltool.h"

#define WEAK __attribute__((weak))

WEAK int nltool_link(int argc, char **argv);
WEAK int nltool_addr(int argc, char **argv);
WEAK int nltool_route(int argc, char **argv);
WEAK int nltool_event(int argc, char **argv);
WEAK int nltool_genl(int argc, char **argv);
WEAK int nltool_ethtool(int argc, char **argv);
WEAK int nltool_util(int argc, char **argv);

static const struct {
	const char *name;
	int (*fn)(int argc, char **argv);
} cmds[] = {
	{ "link", nltool_link },   { "addr", nltool_addr },
	{ "route", nltool_route }, { "event", nltool_event },
	{ "genl", nltool_genl },   { "ethtool", nltool_ethtool },
	{ "util", nltool_util },
};

int main(int argc, char **argv)
{
	size_t i;

	log_init("nltool");
	if (argc < 2) {
		fprintf(stderr, "usage: nltool MODULE ARGS...\n");
		return 2;
	}
	for (i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++) {
		if (strcmp(argv[1], cmds[i].name) != 0)
			continue;
		if (!cmds[i].fn) {
			fprintf(stderr, "nltool: %s: not built\n", argv[1]);
			return 2;
		}
		return cmds[i].fn(argc - 1, argv + 1);
	}
	fprintf(stderr, "nltool: unknown module %s\n", argv[1]);
	return 2;
}

int nltool_fail(const struct nl_sock *ns, int err, const char *what)
{
	const char *ext = ns ? nl_ext_msg(ns) : "";

	fprintf(stderr, "nltool: %s: %s%s%s\n", what, strerror(-err),
		*ext ? ": " : "", ext);
	return 1;
}

// SPDX-License-Identifier: MIT
/*
 * The command line of dhcpc and dhcpc6 (see cli.h): one getopt loop for
 * main.c and d6_main.c, each with its own option table and usage.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>

#include "cli.h"
#include "embnet/log.h"
#include "embnet/parse.h"

int cli_parse(int argc, char **argv, const char *optstring,
	      const struct option *longopts, const char *usage, cli_opt_fn opt,
	      void *cfg)
{
	int o;

	while ((o = getopt_long(argc, argv, optstring, longopts, NULL)) != -1) {
		if (o == 'S')
			log_syslog(true, true);
		else if (o == 'v')
			log_set_verbosity(log_verbosity() + 1);
		else if (o == '?' || opt(cfg, o, optarg))
			break;
	}
	if (o == -1)
		return 0;
	if (o != '?')
		log_err(0, "bad value for -%c: '%s'", o, optarg);
	fputs(usage, stderr);
	return 1;
}

int cli_num(const char *s, unsigned *v)
{
	uint32_t u;

	if (parse_u32(s, &u))
		return -EINVAL;
	*v = u;
	return 0;
}

/* SPDX-License-Identifier: MIT */
/*
 * The command line that dhcpc (main.c) and dhcpc6 (d6_main.c) share, as
 * udhcpc and udhcpc6 do: the getopt loop with its error line and usage,
 * the logging options -S and -v, and plain numbers.
 */
#ifndef DHCPC_CLI_H
#define DHCPC_CLI_H

#include <getopt.h>

/* Takes option @o with argument @arg (NULL: none) into @cfg: 0, or
 * nonzero for a bad value or an option it does not know. */
typedef int (*cli_opt_fn)(void *cfg, int o, const char *arg);

/*
 * getopt_long() over @argv: -S (syslog too) and -v (one more level of
 * verbosity) here, every other option through @opt.  On an unknown
 * option or a bad value: "bad value for -X: 'VAL'" (the latter), then
 * @usage on stderr.  Returns 0, or 1 after the usage.
 */
int cli_parse(int argc, char **argv, const char *optstring,
	      const struct option *longopts, const char *usage, cli_opt_fn opt,
	      void *cfg);

/* parse_u32() into an unsigned: 0, or -EINVAL (then *@v is unchanged). */
int cli_num(const char *s, unsigned *v);

#endif

/* SPDX-License-Identifier: MIT */
/* netperf's command line (iperf3 3.12's options and a few of later ones). */
#ifndef NETPERF_OPTS_H
#define NETPERF_OPTS_H

#include "test.h"

/*
 * Parses argv into @o.  Returns 0 to run, 1 when done (-h, -v), or a
 * negative errno after printing one line on a usage error.
 */
int np_opts_parse(int argc, char **argv, struct np_opts *o);

/*
 * Parses iperf3's "#[KMGT]" (1024-based for sizes when @bytes, 1000-based
 * for rates) into *@v.  Returns 0 or -EINVAL.
 */
int np_opts_size(const char *s, bool bytes, uint64_t *v);

#endif

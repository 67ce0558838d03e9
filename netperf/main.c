// SPDX-License-Identifier: MIT
/*
 * netperf: iperf3 3.12 compatible throughput tester.  Options as iperf3
 * reads them (iperf_parse_arguments), then the client or the server.
 */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "embnet/applets.h"
#include "embnet/log.h"
#include "opts.h"
#include "test.h"

int netperf_main(int argc, char **argv)
{
	struct np_opts o;
	int err;

	log_init("netperf");
	signal(SIGPIPE, SIG_IGN);
	err = np_opts_parse(argc, argv, &o);
	if (err)
		return err > 0 ? 0 : 1;
	if (o.logfile && !freopen(o.logfile, "a", stdout)) {
		log_err(-errno, "%s", o.logfile);
		return 1;
	}
	if (o.daemon && daemon(0, o.logfile ? 1 : 0) < 0) {
		log_err(-errno, "daemon");
		return 1;
	}
	if (o.pidfile) {
		FILE *f = fopen(o.pidfile, "w");
		if (f) {
			fprintf(f, "%d", (int)getpid());
			fclose(f);
		}
	}
	if (o.server)
		return np_server_run(&o);
	return np_client_run(&o);
}

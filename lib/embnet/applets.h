/* SPDX-License-Identifier: MIT */
/*
 * The programs' entry points.  Each tool's main.c defines its NAME_main();
 * the program of its own calls it from TOOL/standalone.c, and embnet, the
 * multicall program (multicall/main.c), from its table of applets.  Both
 * pass the argv the program was started with, argv[0] naming it.
 */
#ifndef EMBNET_APPLETS_H
#define EMBNET_APPLETS_H

/* Each runs its program once per process (getopt's state, log_init() and
 * signal handlers are the process's) and returns its exit status. */

/* ifup, ifdown or ifquery, picked by the basename of argv[0]. */
int ifup_main(int argc, char **argv);

/* dhcpc, alias udhcpc: its messages say "udhcpc" under either name. */
int dhcpc_main(int argc, char **argv);

/* dhcpc6, alias udhcpc6: the DHCPv6 client; its messages say "udhcpc6". */
int dhcpc6_main(int argc, char **argv);

/* ethtool 6.1's commands, output and exit status. */
int ethtool_main(int argc, char **argv);

/* iperf3 3.12's options: the client or the server. */
int netperf_main(int argc, char **argv);

#endif

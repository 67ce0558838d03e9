/* SPDX-License-Identifier: MIT */
#ifndef NLTOOL_H
#define NLTOOL_H

#include "nl.h"

/*
 * Module entry points: argv[0] is the module name, argv[1] the operation.
 * Each returns the process exit status (0, 1 on failure, 2 on usage).
 */
int nltool_link(int argc, char **argv);
int nltool_addr(int argc, char **argv);
int nltool_route(int argc, char **argv);
int nltool_event(int argc, char **argv);
int nltool_genl(int argc, char **argv);
int nltool_ethtool(int argc, char **argv);
int nltool_util(int argc, char **argv);

/*
 * Prints "nltool: @what: strerror(-err)[: ext-ack text]" to stderr and
 * returns 1, for `return nltool_fail(ns, err, "link set mtu");`.
 */
int nltool_fail(const struct nl_sock *ns, int err, const char *what);

#endif

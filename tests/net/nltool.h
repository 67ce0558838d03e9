/* SPDX-License-Identifier: MIT */
#ifndef NLTOOL_H
#define NLTOOL_H

#include <stddef.h>
#include <stdint.h>

#include "embnet/nl.h"

struct seccomp_notif;
struct seccomp_notif_resp;

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

/*
 * Execs @argv (argv[0] searched in PATH) under a seccomp filter that makes
 * socket(AF_NETLINK, *, NETLINK_GENERIC) fail with EPROTONOSUPPORT.
 * Returns only on failure: the exit status, the error printed.
 */
int nltool_seccomp_no_genl_exec(char **argv);

/*
 * Called for each system call of the supervised program that the filter
 * passes on.  @resp comes set to let the call run; to answer it instead,
 * clear resp->flags and set resp->val or resp->error (-errno).
 */
typedef void (*nltool_notify_cb)(int listener, const struct seccomp_notif *req,
				 struct seccomp_notif_resp *resp, void *data);

/*
 * Runs @argv in a child whose system calls numbered @nrs (this ABI's) go
 * to @cb in this process, until it exits.  Returns its exit status (128 +
 * signal if killed), or 1 with the error printed.
 */
int nltool_seccomp_supervise(char **argv, const int *nrs, size_t n_nrs,
			     nltool_notify_cb cb, void *data);

/*
 * Copies @len bytes at @addr of the program that made @req into @buf, or
 * @buf to there.  Return 0, -EFAULT, or (peek) -ENOENT if the call is no
 * longer pending: the pid may since name another process.
 */
int nltool_seccomp_peek(int listener, const struct seccomp_notif *req,
			uint64_t addr, void *buf, size_t len);
int nltool_seccomp_poke(const struct seccomp_notif *req, uint64_t addr,
			const void *buf, size_t len);

/*
 * Answers the recvmsg() of @req with @reply (@reply_len bytes) as the
 * kernel would: into the caller's first iovec, MSG_TRUNC in msg_flags if
 * it does not fit, the kernel as the sender.  Returns recvmsg()'s value
 * (the whole length with MSG_TRUNC in its flags) or -EFAULT.
 */
int64_t nltool_seccomp_recvmsg(int listener, const struct seccomp_notif *req,
			       const void *reply, size_t reply_len);

/*
 * If the notified call is ioctl(SIOCETHTOOL) on device @dev: its ifr_data
 * in *@data, the command there (its first u32) in *@cmd, and 0; else
 * nonzero (the call is the kernel's).
 */
int nltool_seccomp_ethtool(int listener, const struct seccomp_notif *req,
			   const char *dev, uint64_t *data, uint32_t *cmd);

/* Answers the call in @resp with @ret: a -errno, else 0. */
void nltool_seccomp_return(struct seccomp_notif_resp *resp, int ret);

/*
 * Runs @argv with a fake device $EMBNET_FAKE_DEV whose ethtool pause and
 * ring parameters are the lines of the file $EMBNET_FAKE_STATE
 * (nltool_fake.c).  Returns the program's exit status.
 */
int nltool_fake_exec(char **argv);

/*
 * Runs @argv with a fake device $EMBNET_FAKE_DEV that has a transceiver
 * module, a NIC EEPROM, registers and a self test, as described by the
 * file $EMBNET_FAKE_MODULE (nltool_fake_module.c).  Returns the program's
 * exit status.
 */
int nltool_fake_module_exec(char **argv);

/*
 * Runs @argv with a fake device $EMBNET_FAKE_DEV that has RSS: rx rings,
 * an indirection table, a hash key and functions (nltool_fake_rxfh.c).
 */
int nltool_fake_rxfh_exec(char **argv);

/*
 * Runs @argv with a fake device $EMBNET_FAKE_DEV that has rx flow hash
 * options and classification rules (nltool_fake_rxnfc.c).
 */
int nltool_fake_rxnfc_exec(char **argv);

#endif

/* SPDX-License-Identifier: MIT */
/*
 * Logging for the tools: one line per message, "prog: text", on stderr or
 * to syslog.  The library itself never logs; tools call these.
 */
#ifndef EMBNET_LOG_H
#define EMBNET_LOG_H

#include <stdbool.h>

#define LOG_FMT(a, b) __attribute__((format(printf, a, b)))

/* Sets the program name prefixed to each line (default "embnet"). */
void log_init(const char *prog);

/* Sends later messages to syslog (facility daemon) instead of stderr when
 * @on; both when @also_stderr. */
void log_syslog(bool on, bool also_stderr);

/* Sets the verbosity log_debug() compares against (0: none). */
void log_set_verbosity(int level);

/* Returns the verbosity set by log_set_verbosity(). */
int log_verbosity(void);

/* Logs an error; when @err is a negative errno, ": strerror(-err)" follows. */
void log_err(int err, const char *fmt, ...) LOG_FMT(2, 3);

/* Logs a warning. */
void log_warn(const char *fmt, ...) LOG_FMT(1, 2);

/* Logs an informational message. */
void log_info(const char *fmt, ...) LOG_FMT(1, 2);

/* Logs when the verbosity is at least @level. */
void log_debug(int level, const char *fmt, ...) LOG_FMT(2, 3);

#endif

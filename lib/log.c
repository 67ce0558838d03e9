// SPDX-License-Identifier: MIT
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <syslog.h>

#include "embnet/log.h"

static const char *log_prog = "embnet";
static bool use_syslog;
static bool use_stderr = true;
static int verbosity;

void log_init(const char *prog)
{
	const char *slash = strrchr(prog, '/');

	log_prog = slash ? slash + 1 : prog;
}

void log_syslog(bool on, bool also_stderr)
{
	if (on && !use_syslog)
		openlog(log_prog, LOG_PID, LOG_DAEMON);
	use_syslog = on;
	use_stderr = !on || also_stderr;
}

void log_set_verbosity(int level)
{
	verbosity = level;
}

int log_verbosity(void)
{
	return verbosity;
}

static void emit(int prio, int err, const char *fmt, va_list ap)
{
	char line[1024];
	int n = vsnprintf(line, sizeof(line), fmt, ap);

	if (n < 0)
		return;
	if (err < 0 && (size_t)n < sizeof(line))
		snprintf(line + n, sizeof(line) - n, ": %s", strerror(-err));
	if (use_syslog)
		syslog(prio, "%s", line);
	if (use_stderr)
		fprintf(stderr, "%s: %s\n", log_prog, line);
}

void log_err(int err, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	emit(LOG_ERR, err, fmt, ap);
	va_end(ap);
}

void log_warn(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	emit(LOG_WARNING, 0, fmt, ap);
	va_end(ap);
}

void log_info(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	emit(LOG_INFO, 0, fmt, ap);
	va_end(ap);
}

void log_debug(int level, const char *fmt, ...)
{
	va_list ap;

	if (verbosity < level)
		return;
	va_start(ap, fmt);
	emit(LOG_DEBUG, 0, fmt, ap);
	va_end(ap);
}

// SPDX-License-Identifier: MIT
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "log.h"

/* stderr goes to a temp file between capture_start() and capture_end(). */
static int saved_fd = -1;
static FILE *cap;
static char out[4096];

static void capture_start(void)
{
	fflush(stderr);
	cap = tmpfile();
	assert_non_null(cap);
	saved_fd = dup(2);
	assert_true(saved_fd >= 0);
	assert_int_equal(dup2(fileno(cap), 2), 2);
}

static const char *capture_end(void)
{
	size_t n;

	fflush(stderr);
	assert_int_equal(dup2(saved_fd, 2), 2);
	close(saved_fd);
	rewind(cap);
	n = fread(out, 1, sizeof(out) - 1, cap);
	out[n] = '\0';
	fclose(cap);
	return out;
}

static int setup(void **state)
{
	(void)state;
	log_init("/usr/sbin/ifup");
	log_set_verbosity(0);
	return 0;
}

static void test_err(void **state)
{
	(void)state;
	capture_start();
	log_err(-EINVAL, "%s: set mtu %u", "eth0", 9000);
	assert_string_equal(capture_end(),
			    "ifup: eth0: set mtu 9000: Invalid argument\n");
	capture_start();
	log_err(-ENOENT, "/etc/network/interfaces");
	assert_string_equal(capture_end(), "ifup: /etc/network/interfaces: "
					   "No such file or directory\n");
	/* 0 or a positive value: no strerror */
	capture_start();
	log_err(0, "/etc/network/interfaces:12: unknown method \"%s\"", "dhpc");
	log_err(5, "plain");
	assert_string_equal(capture_end(),
			    "ifup: /etc/network/interfaces:12: unknown method "
			    "\"dhpc\"\nifup: plain\n");
}

static void test_levels(void **state)
{
	(void)state;
	capture_start();
	log_warn("w %d", 1);
	log_info("i %s", "x");
	assert_string_equal(capture_end(), "ifup: w 1\nifup: i x\n");
}

static void test_debug_gating(void **state)
{
	(void)state;
	assert_int_equal(log_verbosity(), 0);
	capture_start();
	log_debug(1, "hidden");
	assert_string_equal(capture_end(), "");
	log_set_verbosity(1);
	assert_int_equal(log_verbosity(), 1);
	capture_start();
	log_debug(1, "one");
	log_debug(2, "two");
	log_debug(0, "zero");
	assert_string_equal(capture_end(), "ifup: one\nifup: zero\n");
	log_set_verbosity(2);
	capture_start();
	log_debug(2, "two");
	assert_string_equal(capture_end(), "ifup: two\n");
	log_set_verbosity(0);
}

static void test_prog_name(void **state)
{
	(void)state;
	log_init("dhcpc");
	capture_start();
	log_info("x");
	assert_string_equal(capture_end(), "dhcpc: x\n");
	log_init("/usr/sbin/ifup");
}

static void test_long_line(void **state)
{
	char big[3000];
	const char *s;

	(void)state;
	memset(big, 'a', sizeof(big));
	big[sizeof(big) - 1] = '\0';
	capture_start();
	log_err(-EIO, "%s", big);
	s = capture_end();
	/* one line, truncated, still newline-terminated */
	assert_true(strlen(s) > 1000 && strlen(s) < sizeof(big));
	assert_ptr_equal(strchr(s, '\n'), s + strlen(s) - 1);
	assert_int_equal(strncmp(s, "ifup: aaa", 9), 0);
}

static void test_syslog_switch(void **state)
{
	(void)state;
	log_syslog(true, false);
	capture_start();
	log_info("to syslog only");
	assert_string_equal(capture_end(), "");
	log_syslog(true, true);
	capture_start();
	log_info("both");
	assert_string_equal(capture_end(), "ifup: both\n");
	log_syslog(false, false);
	capture_start();
	log_info("back");
	assert_string_equal(capture_end(), "ifup: back\n");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_err),
		cmocka_unit_test(test_levels),
		cmocka_unit_test(test_debug_gating),
		cmocka_unit_test(test_prog_name),
		cmocka_unit_test(test_long_line),
		cmocka_unit_test(test_syslog_switch),
	};

	return cmocka_run_group_tests(tests, setup, NULL);
}

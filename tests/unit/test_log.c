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

#include "capture.h"

#include "embnet/log.h"

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
	capture(2);
	log_err(-EINVAL, "%s: set mtu %u", "eth0", 9000);
	assert_string_equal(captured(),
			    "ifup: eth0: set mtu 9000: Invalid argument\n");
	capture(2);
	log_err(-ENOENT, "/etc/network/interfaces");
	assert_string_equal(captured(), "ifup: /etc/network/interfaces: "
					"No such file or directory\n");
	/* 0 or a positive value: no strerror */
	capture(2);
	log_err(0, "/etc/network/interfaces:12: unknown method \"%s\"", "dhpc");
	log_err(5, "plain");
	assert_string_equal(captured(),
			    "ifup: /etc/network/interfaces:12: unknown method "
			    "\"dhpc\"\nifup: plain\n");
}

static void test_levels(void **state)
{
	(void)state;
	capture(2);
	log_warn("w %d", 1);
	log_info("i %s", "x");
	assert_string_equal(captured(), "ifup: w 1\nifup: i x\n");
}

static void test_debug_gating(void **state)
{
	(void)state;
	assert_int_equal(log_verbosity(), 0);
	capture(2);
	log_debug(1, "hidden");
	assert_string_equal(captured(), "");
	log_set_verbosity(1);
	assert_int_equal(log_verbosity(), 1);
	capture(2);
	log_debug(1, "one");
	log_debug(2, "two");
	log_debug(0, "zero");
	assert_string_equal(captured(), "ifup: one\nifup: zero\n");
	log_set_verbosity(2);
	capture(2);
	log_debug(2, "two");
	assert_string_equal(captured(), "ifup: two\n");
	log_set_verbosity(0);
}

static void test_prog_name(void **state)
{
	(void)state;
	log_init("dhcpc");
	capture(2);
	log_info("x");
	assert_string_equal(captured(), "dhcpc: x\n");
	log_init("/usr/sbin/ifup");
}

static void test_long_line(void **state)
{
	char big[3000];
	const char *s;

	(void)state;
	memset(big, 'a', sizeof(big));
	big[sizeof(big) - 1] = '\0';
	capture(2);
	log_err(-EIO, "%s", big);
	s = captured();
	/* one line, truncated, still newline-terminated */
	assert_true(strlen(s) > 1000 && strlen(s) < sizeof(big));
	assert_ptr_equal(strchr(s, '\n'), s + strlen(s) - 1);
	assert_int_equal(strncmp(s, "ifup: aaa", 9), 0);
}

static void test_syslog_switch(void **state)
{
	(void)state;
	log_syslog(true, false);
	capture(2);
	log_info("to syslog only");
	assert_string_equal(captured(), "");
	log_syslog(true, true);
	capture(2);
	log_info("both");
	assert_string_equal(captured(), "ifup: both\n");
	log_syslog(false, false);
	capture(2);
	log_info("back");
	assert_string_equal(captured(), "ifup: back\n");
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

// SPDX-License-Identifier: MIT
/*
 * lib/wall.c: the wall clock and its calendar past 2038 on every ABI (on
 * armhf, Debian's glibc has a 32-bit time_t unless built otherwise).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "embnet/wall.h"

#define GMT "%a, %d %b %Y %H:%M:%S GMT"

static void test_now(void **state)
{
	(void)state;
	assert_true(wall_s() > 1700000000); /* after 2023-11-14 */
}

/* iperf3's timestamp format, in UTC, before and past 2^31 and 2^32 s. */
static void test_calendar(void **state)
{
	static const struct {
		int64_t secs;
		const char *text;
	} cases[] = {
		{ 0, "Thu, 01 Jan 1970 00:00:00 GMT" },
		{ 2147483647, "Tue, 19 Jan 2038 03:14:07 GMT" },
		{ 2147483648, "Tue, 19 Jan 2038 03:14:08 GMT" },
		{ 4294967296, "Sun, 07 Feb 2106 06:28:16 GMT" },
	};
	char buf[64];

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		assert_int_equal(wall_strftime(buf, sizeof(buf), GMT,
					       cases[i].secs, false),
				 strlen(cases[i].text));
		assert_string_equal(buf, cases[i].text);
	}
}

/* Too small a buffer writes nothing usable and says so. */
static void test_no_room(void **state)
{
	char buf[8];

	(void)state;
	assert_int_equal(wall_strftime(buf, sizeof(buf), GMT, 0, false), 0);
	assert_int_not_equal(wall_strftime(buf, sizeof(buf), "%Y", 0, true), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_now),
		cmocka_unit_test(test_calendar),
		cmocka_unit_test(test_no_room),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

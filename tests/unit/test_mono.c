// SPDX-License-Identifier: MIT
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include <cmocka.h>

#include "mono.h"

static void test_monotonic(void **state)
{
	int64_t prev_ms = mono_ms(), prev_ns = mono_ns(), ms, ns;
	int i;

	(void)state;
	assert_true(prev_ms >= 0);
	for (i = 0; i < 10000; i++) {
		ms = mono_ms();
		ns = mono_ns();
		assert_true(ms >= prev_ms);
		assert_true(ns >= prev_ns);
		prev_ms = ms;
		prev_ns = ns;
	}
	/* both count from the same point */
	ns = mono_ns();
	ms = mono_ms();
	assert_true(ms - ns / 1000000 >= 0 && ms - ns / 1000000 <= 1);
}

static void test_sleep(void **state)
{
	struct timespec ts = { 0, 30 * 1000000 };
	int64_t t0 = mono_ms(), n0 = mono_ns();

	(void)state;
	assert_int_equal(nanosleep(&ts, NULL), 0);
	assert_true(mono_ms() - t0 >= 30);
	assert_true(mono_ns() - n0 >= 30 * 1000000);
	assert_true(mono_ms() - t0 < 5000);
}

static void test_left(void **state)
{
	int64_t now = mono_ms();
	int left;

	(void)state;
	assert_int_equal(mono_left_ms(-1), -1);
	assert_int_equal(mono_left_ms(INT64_MIN), -1);
	assert_int_equal(mono_left_ms(0), 0);
	assert_int_equal(mono_left_ms(now - 1), 0);
	assert_int_equal(mono_left_ms(now), 0);
	left = mono_left_ms(now + 1000);
	assert_true(left > 900 && left <= 1000);
	/* clamped for poll() */
	assert_int_equal(mono_left_ms(now + INT32_MAX + 100000LL), INT32_MAX);
	assert_int_equal(mono_left_ms(INT64_MAX), INT32_MAX);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_monotonic),
		cmocka_unit_test(test_sleep),
		cmocka_unit_test(test_left),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

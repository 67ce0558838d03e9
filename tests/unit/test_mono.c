// SPDX-License-Identifier: MIT
/*
 * lib/mono.c on the real clock, and on a clock far from zero: the
 * clock_gettime() below, 64-bit as mono.c's, comes before libc's at link
 * time and adds offset_s to the kernel's clock (as a time namespace's
 * offset would; qemu-user cannot make one).
 */
#define _TIME_BITS 64 /* the build sets _FILE_OFFSET_BITS 64 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>
#include <unistd.h>
#include <sys/syscall.h>

#include <cmocka.h>

#include "embnet/mono.h"

#ifdef SYS_clock_gettime64
#define SYS_CLOCK SYS_clock_gettime64 /* 32-bit ABIs */
#else
#define SYS_CLOCK SYS_clock_gettime
#endif

static int64_t offset_s;

int clock_gettime(clockid_t id, struct timespec *ts)
{
	if (syscall(SYS_CLOCK, id, ts))
		return -1;
	ts->tv_sec += offset_s;
	return 0;
}

/* The kernel's CLOCK_MONOTONIC in ms, @offset_s on. */
static int64_t kernel_ms(void)
{
	struct timespec ts;

	assert_int_equal(clock_gettime(CLOCK_MONOTONIC, &ts), 0);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

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
	/* not cut to 32 bits: 2^32 ms and more on a 32-bit long */
	assert_int_equal(mono_left_ms(now + (INT64_C(1) << 32) + 500),
			 INT32_MAX);
	assert_int_equal(mono_left_ms(INT64_C(1) << 62), INT32_MAX);
	left = mono_left_ms(now + INT32_MAX);
	assert_true(left > INT32_MAX - 1000 && left <= INT32_MAX);
}

/* Past 2^31 and 2^32 s (a 32-bit time_t's clock_gettime() fails there)
 * and near 2^62 ns, where the kernel caps a time namespace's clock
 * (KTIME_SEC_MAX / 2): mono_ms() and mono_ns() read it whole. */
static void test_far_from_zero(void **state)
{
	static const int64_t offsets[] = {
		INT32_MAX - 5LL,
		UINT32_MAX + 7LL,
		(INT64_C(1) << 62) / 1000000000 - 100000,
	};
	int64_t before, ms, ns, after;

	(void)state;
	for (size_t i = 0; i < sizeof(offsets) / sizeof(offsets[0]); i++) {
		offset_s = offsets[i];
		before = kernel_ms();
		ms = mono_ms();
		ns = mono_ns();
		after = kernel_ms();
		offset_s = 0;
		assert_true(ms >= before && ms <= after);
		assert_true(ns / 1000000 >= ms && ns / 1000000 <= after);
	}
	offset_s = offsets[1];
	ms = mono_ms();
	assert_int_equal(mono_left_ms(ms - 1), 0);
	assert_true(mono_left_ms(ms + 60000) > 50000);
	assert_true(mono_left_ms(ms + 60000) <= 60000);
	assert_int_equal(mono_left_ms(ms + (INT64_C(1) << 32) + 500),
			 INT32_MAX);
	offset_s = 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_monotonic),
		cmocka_unit_test(test_sleep),
		cmocka_unit_test(test_left),
		cmocka_unit_test(test_far_from_zero),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

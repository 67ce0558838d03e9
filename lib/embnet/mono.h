/* SPDX-License-Identifier: MIT */
/* Monotonic clock: time that never jumps with the wall clock. */
#ifndef EMBNET_MONO_H
#define EMBNET_MONO_H

#include <stdint.h>

/* Milliseconds since an arbitrary fixed point (CLOCK_MONOTONIC). */
int64_t mono_ms(void);

/* Nanoseconds since the same point. */
int64_t mono_ns(void);

/*
 * Milliseconds left until @deadline_ms (a mono_ms() value), clamped to
 * 0..INT32_MAX, for poll(); -1 if @deadline_ms is negative (no deadline).
 */
int mono_left_ms(int64_t deadline_ms);

#endif

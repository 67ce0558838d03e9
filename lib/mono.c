// SPDX-License-Identifier: MIT
/*
 * glibc's 64-bit clock_gettime() on every ABI: with Debian armhf's 32-bit
 * time_t it fails (EOVERFLOW) once the clock is past 2^31 s, as a time
 * namespace's offset can put it, and leaves the timespec unset.  No
 * time_t leaves this file, so no other library sees the size.
 */
#ifndef _FILE_OFFSET_BITS
#define _FILE_OFFSET_BITS 64 /* glibc: _TIME_BITS 64 needs it */
#endif
#define _TIME_BITS 64
#include <stdint.h>
#include <time.h>

#include "embnet/mono.h"

int64_t mono_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

int64_t mono_ms(void)
{
	return mono_ns() / 1000000;
}

int mono_left_ms(int64_t deadline_ms)
{
	int64_t left;

	if (deadline_ms < 0)
		return -1;
	left = deadline_ms - mono_ms();
	if (left < 0)
		return 0;
	return left > INT32_MAX ? INT32_MAX : (int)left;
}

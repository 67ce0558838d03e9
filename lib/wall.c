// SPDX-License-Identifier: MIT
/*
 * Built with a 64-bit time_t on every ABI, as mono.c: time(), gmtime_r()
 * and localtime_r() of glibc's 64-bit interfaces, past 2038 on armhf
 * too.  No time_t leaves this file.
 */
#ifndef _FILE_OFFSET_BITS
#define _FILE_OFFSET_BITS 64 /* glibc: _TIME_BITS 64 needs it */
#endif
#define _TIME_BITS 64
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "embnet/wall.h"

int64_t wall_s(void)
{
	return (int64_t)time(NULL);
}

size_t wall_strftime(char *buf, size_t size, const char *fmt, int64_t secs,
		     bool local)
{
	time_t t = (time_t)secs;
	struct tm tm;

	if ((int64_t)t != secs ||
	    !(local ? localtime_r(&t, &tm) : gmtime_r(&t, &tm)))
		return 0;
	return strftime(buf, size, fmt, &tm);
}

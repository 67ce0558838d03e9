/* SPDX-License-Identifier: MIT */
/*
 * Wall clock, 64-bit on every ABI (armhf's Debian glibc has a 32-bit
 * time_t; these never hand one across an API).
 */
#ifndef EMBNET_WALL_H
#define EMBNET_WALL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Seconds since the epoch (CLOCK_REALTIME). */
int64_t wall_s(void);

/*
 * strftime() of @secs (a wall_s() value) into @buf of @size bytes, in
 * local time if @local, else UTC; the length written, 0 if it did not
 * fit or @secs has no calendar date.
 */
size_t wall_strftime(char *buf, size_t size, const char *fmt, int64_t secs,
		     bool local);

#endif

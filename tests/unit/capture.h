/* SPDX-License-Identifier: MIT */
/*
 * Unit-test helper, included by a test file after <cmocka.h>: what a
 * test's code writes to fd @fd (1 or 2) goes to a temp file between
 * capture(fd) and captured(), which returns it (NUL-terminated, at most
 * CAPTURE_MAX - 1 bytes; valid until the next capture).
 */
#ifndef EMBNET_TESTS_CAPTURE_H
#define EMBNET_TESTS_CAPTURE_H

#include <stdio.h>
#include <unistd.h>

#define CAPTURE_MAX 8192

static int capture_saved = -1, capture_fd;
static FILE *capture_file;
static char capture_out[CAPTURE_MAX];

static void capture(int fd)
{
	fflush(stdout);
	fflush(stderr);
	capture_file = tmpfile();
	assert_non_null(capture_file);
	capture_fd = fd;
	capture_saved = dup(fd);
	assert_true(capture_saved >= 0);
	assert_int_equal(dup2(fileno(capture_file), fd), fd);
}

static const char *captured(void)
{
	size_t n;

	fflush(stdout);
	fflush(stderr);
	assert_int_equal(dup2(capture_saved, capture_fd), capture_fd);
	close(capture_saved);
	rewind(capture_file);
	n = fread(capture_out, 1, sizeof(capture_out) - 1, capture_file);
	capture_out[n] = '\0';
	fclose(capture_file);
	return capture_out;
}

#endif

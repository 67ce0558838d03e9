/* SPDX-License-Identifier: MIT */
/*
 * Unit-test helper: a private directory for the files a test makes.
 * tmpdir_make("test_NAME") makes /tmp/test_NAME.XXXXXX (mkdtemp) and
 * keeps its path in tmpdir[]; tmpdir_path() names a file in it;
 * tmpdir_remove() deletes it and whatever the test left in it.  Call the
 * first and the last from the group's (or each test's) cmocka setup and
 * teardown.  One directory at a time per test binary.
 */
#ifndef EMBNET_TESTS_TMPDIR_H
#define EMBNET_TESTS_TMPDIR_H

#include <stdio.h>
#include <stdlib.h>

#include "embnet/spawn.h"

static char tmpdir[64];

/* 0, or -1 with errno set (mkdtemp). */
static inline int tmpdir_make(const char *name)
{
	snprintf(tmpdir, sizeof(tmpdir), "/tmp/%s.XXXXXX", name);
	return mkdtemp(tmpdir) ? 0 : -1;
}

/* @name in tmpdir, into @buf of @size bytes. */
static inline void tmpdir_path(char *buf, size_t size, const char *name)
{
	snprintf(buf, size, "%s/%s", tmpdir, name);
}

/* rm -rf: any tree, any modes the test gave it; 0 or -1. */
static inline int tmpdir_remove(void)
{
	const char *argv[] = { "/bin/rm", "-rf", tmpdir, NULL };
	int st;

	return spawn_run(argv, NULL, &st) || st ? -1 : 0;
}

#endif

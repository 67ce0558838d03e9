// SPDX-License-Identifier: MIT
// sources: ifupdown/conf.c ifupdown/parse.c ifupdown/methods.c ifupdown/list.c
// sources: ifupdown/hashix.c ifupdown/lex.c
/* Loading interfaces(5) files: source, source-directory, loops, nesting. */
#include <errno.h>
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include <cmocka.h>

#include "tmpdir.h"

static char err[IFP_ERR_LEN];

static int setup(void **state)
{
	(void)state;
	return tmpdir_make("test_ifupdown_conf");
}

static int teardown(void **state)
{
	(void)state;
	return tmpdir_remove();
}

static void put(const char *name, const char *text)
{
	char path[PATH_MAX];
	FILE *f;

	tmpdir_path(path, sizeof(path), name);
	f = fopen(path, "w");
	assert_non_null(f);
	assert_int_equal(fputs(text, f) >= 0, 1);
	assert_int_equal(fclose(f), 0);
}

static int load(struct ifp_config *cfg, const char *name)
{
	char path[PATH_MAX];

	memset(cfg, 0, sizeof(*cfg));
	tmpdir_path(path, sizeof(path), name);
	return conf_load(cfg, path, true, false, err);
}

/* `source ./x` in x, or `source-directory .` in a file of that directory,
 * named the file anew at each level: it nested until the stack ran out. */
static void test_loop_spelled(void **state)
{
	struct ifp_config cfg;
	char path[PATH_MAX];

	(void)state;
	put("interfaces", "iface a inet manual\n"
			  "source ./interfaces\n"
			  "source-directory .\n"
			  "source-directory ./.\n");
	put("b", "source ./b ././b\niface b inet manual\n");
	assert_int_equal(load(&cfg, "interfaces"), 0);
	assert_int_equal(cfg.n_ifaces, 2);
	assert_string_equal(cfg.ifaces[0].name, "a");
	assert_string_equal(cfg.ifaces[1].name, "b");
	assert_int_equal(cfg.seen.n, 2);
	assert_non_null(realpath(tmpdir, path));
	assert_int_equal(strncmp(cfg.seen.v[0], path, strlen(path)), 0);
	ifp_free(&cfg);
}

/* f0 sources f1 ... sources f@n. */
static void chain(int n)
{
	char name[16], text[64];

	for (int i = 0; i <= n; i++) {
		snprintf(name, sizeof(name), "f%d", i);
		if (i < n)
			snprintf(text, sizeof(text),
				 "iface f%d inet manual\nsource f%d\n", i,
				 i + 1);
		else
			snprintf(text, sizeof(text), "iface f%d inet manual\n",
				 i);
		put(name, text);
	}
}

static void test_depth(void **state)
{
	struct ifp_config cfg;
	char want[IFP_ERR_LEN];

	(void)state;
	chain(CONF_MAX_DEPTH);
	assert_int_equal(load(&cfg, "f0"), 0);
	assert_int_equal(cfg.n_ifaces, CONF_MAX_DEPTH + 1);
	ifp_free(&cfg);
	chain(CONF_MAX_DEPTH + 1);
	assert_int_equal(load(&cfg, "f0"), -EINVAL);
	snprintf(want, sizeof(want), "%s/f%d:2: too many nested source levels",
		 tmpdir, CONF_MAX_DEPTH);
	assert_string_equal(err, want);
	ifp_free(&cfg);
}

/* Each file once by device and inode: hard links, symbolic links and
 * 200 hard links that each source their own directory. */
static void test_same_file(void **state)
{
	struct ifp_config cfg;
	char a[PATH_MAX], b[PATH_MAX];

	(void)state;
	put("interfaces", "iface a inet manual\nsource x y d/*\n");
	tmpdir_path(a, sizeof(a), "interfaces");
	tmpdir_path(b, sizeof(b), "x");
	assert_int_equal(link(a, b), 0);
	tmpdir_path(b, sizeof(b), "y");
	assert_int_equal(symlink("interfaces", b), 0);
	tmpdir_path(b, sizeof(b), "d");
	assert_int_equal(mkdir(b, 0700), 0);
	put("d/f0", "iface b inet manual\nsource-directory .\n");
	tmpdir_path(a, sizeof(a), "d/f0");
	for (int i = 1; i < 200; i++) {
		snprintf(b, sizeof(b), "%s/d/f%d", tmpdir, i);
		assert_int_equal(link(a, b), 0);
	}
	assert_int_equal(load(&cfg, "interfaces"), 0);
	assert_int_equal(cfg.n_ifaces, 2);
	assert_string_equal(cfg.ifaces[1].name, "b");
	assert_int_equal(cfg.seen.n, 2);
	ifp_free(&cfg);
}

/* A sourced FIFO could block for ever: skipped (its open too). */
static void test_fifo(void **state)
{
	struct ifp_config cfg;
	char path[PATH_MAX];

	(void)state;
	tmpdir_path(path, sizeof(path), "fifo");
	assert_int_equal(mkfifo(path, 0600), 0);
	put("f", "source fifo\niface f inet manual\n");
	assert_int_equal(load(&cfg, "f"), 0);
	assert_int_equal(cfg.n_ifaces, 1);
	assert_int_equal(cfg.seen.n, 1);
	ifp_free(&cfg);
}

/* Missing files and directories where files are expected are skipped. */
static void test_missing(void **state)
{
	struct ifp_config cfg;
	char path[PATH_MAX];

	(void)state;
	tmpdir_path(path, sizeof(path), "d");
	assert_int_equal(mkdir(path, 0700), 0);
	put("m", "source missing d d/* m/x\n"
		 "source-directory nodir m\n"
		 "iface m inet manual\n");
	assert_int_equal(load(&cfg, "m"), 0);
	assert_int_equal(cfg.n_ifaces, 1);
	ifp_free(&cfg);
	assert_int_equal(load(&cfg, "nothing"), 0);
	assert_int_equal(cfg.n_ifaces, 0);
	ifp_free(&cfg);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_loop_spelled, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_depth, setup, teardown),
		cmocka_unit_test_setup_teardown(test_missing, setup, teardown),
		cmocka_unit_test_setup_teardown(test_same_file, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_fifo, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

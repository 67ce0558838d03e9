// SPDX-License-Identifier: MIT
/* -t / --test: the driver's self test (ETHTOOL_TEST) and its results. */
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linux/ethtool.h>

#include "et.h"
#include "print.h"

static int test_flags(const struct et_ctx *c, uint32_t *flags)
{
	const char *t = c->argc ? c->argv[0] : "offline";

	if (c->argc > 1)
		return -1;
	if (!strcmp(t, "online"))
		*flags = 0;
	else if (!strcmp(t, "offline"))
		*flags = ETH_TEST_FL_OFFLINE;
	else if (!strcmp(t, "external_lb"))
		*flags = ETH_TEST_FL_OFFLINE | ETH_TEST_FL_EXTERNAL_LB;
	else
		return -1;
	return 0;
}

/* 6.1's dump_test(): returns 1 if the test failed. */
static int test_print(const struct ethtool_test *t,
		      const struct ethtool_ioctl_stats *st)
{
	uint32_t i;

	printf("The test result is %s\n",
	       t->flags & ETH_TEST_FL_FAILED ? "FAIL" : "PASS");
	if (t->flags & ETH_TEST_FL_EXTERNAL_LB)
		printf("External loopback test was %sexecuted\n",
		       t->flags & ETH_TEST_FL_EXTERNAL_LB_DONE ? "" : "not ");
	if (st->n)
		printf("The test extra info:\n");
	for (i = 0; i < st->n; i++) {
		/* 6.1 terminates each name at its last byte */
		et_print_str(stdout, st->names[i], ETH_GSTRING_LEN - 1);
		printf("\t %d\n", (int)(uint32_t)t->data[i]);
	}
	putchar('\n');
	return t->flags & ETH_TEST_FL_FAILED ? 1 : 0;
}

int et_io_test(struct et_ctx *c)
{
	struct ethtool_ioctl_stats *st;
	struct ethtool_test *t;
	uint32_t flags;
	int err;

	if (test_flags(c, &flags) < 0)
		return et_bad_args();
	err = ethtool_ioctl_strings(
		c->devname, ETH_SS_TEST,
		offsetof(struct ethtool_drvinfo, testinfo_len), &st);
	if (err < 0) {
		et_perror("Cannot get strings", err);
		return 74;
	}
	t = calloc(1, sizeof(*t) + (size_t)st->n * sizeof(uint64_t));
	if (!t) {
		et_perror("Cannot allocate memory for test info", -ENOMEM);
		free(st);
		return 73;
	}
	t->cmd = ETHTOOL_TEST;
	t->flags = flags;
	t->len = st->n;
	err = ethtool_ioctl(c->devname, t);
	if (err < 0)
		et_perror("Cannot test", err);
	else
		err = test_print(t, st);
	free(t);
	free(st);
	return err < 0 ? 74 : err;
}

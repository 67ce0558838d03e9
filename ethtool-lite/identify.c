// SPDX-License-Identifier: MIT
/* -p / --identify: blink the port (ETHTOOL_PHYS_ID), as ethtool 6.1. */
#include <limits.h>

#include <linux/ethtool.h>

#include "et.h"
#include "print.h"

int et_io_phys_id(struct et_ctx *c)
{
	struct ethtool_value v = { .cmd = ETHTOOL_PHYS_ID };
	long long secs = 0;
	int err;

	if (c->argc > 1)
		return et_bad_args();
	if (c->argc == 1 &&
	    et_strtoi(c->argv[0], 0, INT_MIN, INT_MAX, &secs) < 0)
		return et_bad_args();
	v.data = (uint32_t)secs; /* 6.1 passes a negative int on as is */
	err = ethtool_ioctl(c->devname, &v);
	if (err < 0) {
		et_perror("Cannot identify NIC", err);
		return 255; /* 6.1 returns -1 */
	}
	return 0;
}

// SPDX-License-Identifier: MIT
/*
 * The netlink side of a command: socket, family, string sets, errors, and
 * the start and failure every show command shares (et_nl_show_start,
 * et_nl_show_fail, et_nl_devname).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "et.h"
#include "print.h"

#define N_SETS 16
static struct nl_ethtool_strset *sets[N_SETS];

/* As ethtool 6.1's netlink_init(): no family means the ioctl path. */
int et_nl_init(struct et_ctx *c)
{
	int err;

	if (getenv(ET_ENV_NO_NETLINK))
		return -ENOENT;
	err = nl_open(&c->ns, NETLINK_GENERIC);
	if (err < 0)
		return err;
	err = nl_genl_resolve(&c->ns, ETHTOOL_GENL_NAME, &c->fam);
	if (err < 0) {
		nl_close(&c->ns);
		return err;
	}
	c->nl_ok = true;
	return 0;
}

void et_nl_done(struct et_ctx *c)
{
	size_t i;

	for (i = 0; i < N_SETS; i++) {
		nl_ethtool_strset_free(sets[i]);
		sets[i] = NULL;
	}
	if (c->nl_ok)
		nl_close(&c->ns);
	c->nl_ok = false;
}

/* True (and the ioctl fallback armed) if the kernel lacks message @cmd. */
bool et_nl_missing(struct et_ctx *c, uint8_t cmd)
{
	if (nl_genl_has_op(&c->fam, cmd))
		return false;
	c->ioctl_fallback = true;
	return true;
}

/* A show command's first step: see et.h. */
int et_nl_show_start(struct et_ctx *c, uint8_t cmd)
{
	if (et_nl_missing(c, cmd))
		return -EOPNOTSUPP;
	if (c->argc > 0) {
		fprintf(stderr, "ethtool: unexpected parameter '%s'\n",
			c->argv[0]);
		return 1;
	}
	return 0;
}

int et_nl_show_fail(struct et_ctx *c, int err)
{
	if (c->json)
		printf("[ ]\n");
	et_nl_perror(c, err);
	return 1;
}

const char *et_nl_devname(const struct et_ctx *c,
			  const struct nl_ethtool_dev *dev)
{
	return dev->ifname[0] ? dev->ifname : c->devname;
}

/* "netlink error: EXTACK (offset N)" then perror("netlink error"). */
void et_nl_perror(const struct et_ctx *c, int err)
{
	const char *msg = nl_ext_msg(&c->ns);

	fflush(stdout);
	if (msg[0]) {
		fprintf(stderr, "netlink error: ");
		et_print_str(stderr, msg, SIZE_MAX);
		if (c->ns.ext_off)
			fprintf(stderr, " (offset %u)", c->ns.ext_off);
		fputc('\n', stderr);
	}
	fprintf(stderr, "netlink error: %s\n", strerror(-err));
}

/* The kernel's global string set @id, fetched once; NULL on failure. */
struct nl_ethtool_strset *et_strset(struct et_ctx *c, uint32_t id)
{
	if (id >= N_SETS || !c->nl_ok)
		return NULL;
	if (!sets[id] &&
	    nl_ethtool_strset_get(&c->ns, &c->fam, NULL, id, &sets[id]) < 0)
		sets[id] = NULL;
	return sets[id];
}

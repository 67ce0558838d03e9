// SPDX-License-Identifier: MIT
/*
 * nltool genl: family NAME
 *
 * Prints name=, id=, version=, hdrsize=, maxattr=, ops=ID,... and one
 * group=NAME:ID line per multicast group.
 */
#include <stdio.h>
#include <string.h>

#include <linux/netlink.h>

#include "embnet/genl.h"
#include "embnet/nl.h"
#include "nltool.h"

static void print_ops(const struct nl_genl_family *fam)
{
	const char *sep = "";
	unsigned int cmd;

	printf("ops=");
	for (cmd = 0; cmd < NL_GENL_MAX_OPS; cmd++) {
		if (!nl_genl_has_op(fam, (uint8_t)cmd))
			continue;
		printf("%s%u", sep, cmd);
		sep = ",";
	}
	printf("\n");
}

static void print_family(const struct nl_genl_family *fam)
{
	unsigned int i;

	printf("name=%s\nid=%u\nversion=%u\nhdrsize=%u\nmaxattr=%u\n",
	       fam->name, fam->id, fam->version, fam->hdrsize, fam->maxattr);
	print_ops(fam);
	for (i = 0; i < fam->n_groups; i++)
		printf("group=%s:%u\n", fam->groups[i].name, fam->groups[i].id);
}

int nltool_genl(int argc, char **argv)
{
	struct nl_genl_family fam;
	struct nl_sock ns;
	int err;

	if (argc != 3 || strcmp(argv[1], "family") != 0) {
		fprintf(stderr, "usage: nltool genl family NAME\n");
		return 2;
	}
	err = nl_open(&ns, NETLINK_GENERIC);
	if (err < 0)
		return nltool_fail(NULL, err, "genl open");
	err = nl_genl_resolve(&ns, argv[2], &fam);
	if (err < 0) {
		nltool_fail(&ns, err, "genl family");
		nl_close(&ns);
		return 1;
	}
	print_family(&fam);
	nl_close(&ns);
	return 0;
}

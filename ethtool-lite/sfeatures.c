// SPDX-License-Identifier: MIT
/* -K over netlink: ethtool 6.1's nl_sfeatures() and its "Actual changes". */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <linux/ethtool.h>
#include <linux/ethtool_netlink.h>

#include "et.h"
#include "print.h"

#define MAX_REQ 256

struct sreq {
	struct nl_ethtool_named_bit bits[MAX_REQ];
	size_t n;
	struct nl_ethtool_bitset req; /* features asked for, by index */
};

static int add(struct sreq *r, const char *name, bool val, int idx)
{
	if (r->n >= MAX_REQ)
		return -E2BIG;
	r->bits[r->n].name = name;
	r->bits[r->n].on = val;
	r->n++;
	if (idx >= 0)
		nl_ethtool_bitset_set(&r->req, (uint32_t)idx, true);
	return 0;
}

/* A legacy flag asks for every feature matching its pattern: 1 if none. */
static int add_legacy(struct sreq *r, const struct nl_ethtool_strset *names,
		      const char *flag, bool val)
{
	uint32_t i;
	size_t k;
	int err;

	for (k = 0; k < ET_N_LEGACY; k++) {
		if (strcmp(flag, et_legacy[k][0]) &&
		    strcmp(flag, et_legacy[k][1]))
			continue;
		for (i = 0; i < names->count; i++) {
			if (!et_feature_match(names->names[i], et_legacy[k][2]))
				continue;
			err = add(r, names->names[i], val, (int)i);
			if (err < 0)
				return err;
		}
		return 0;
	}
	return 1;
}

static int parse(struct et_ctx *c, const struct nl_ethtool_strset *names,
		 struct sreq *r)
{
	int i, err;
	bool val;

	for (i = 0; i < c->argc; i += 2) {
		if (!strcmp(c->argv[i], "--"))
			break;
		if (i + 1 >= c->argc || (strcmp(c->argv[i + 1], "on") &&
					 strcmp(c->argv[i + 1], "off"))) {
			fprintf(stderr,
				"ethtool (-K): flag '%s' for parameter '(null)' is not followed by 'on' or 'off'\n",
				i + 1 < c->argc ? c->argv[i + 1] : "(null)");
			return -EINVAL;
		}
		val = !strcmp(c->argv[i + 1], "on");
		err = add_legacy(r, names, c->argv[i], val);
		if (err > 0)
			err = add(r, c->argv[i], val,
				  nl_ethtool_strset_find(names, c->argv[i]));
		if (err < 0)
			return err;
	}
	return 0;
}

static void show_changes(const struct nl_ethtool_features_diff *d,
			 const struct nl_ethtool_strset *names,
			 const struct sreq *r)
{
	const struct nl_ethtool_bitset *w = &d->wanted, *a = &d->active;
	uint32_t i;

	printf("Actual changes:\n");
	for (i = 0; i < names->count; i++) {
		bool wm = nl_ethtool_bitset_in_mask(w, i);

		if (!wm && !nl_ethtool_bitset_in_mask(a, i))
			continue;
		et_print_str(stdout, names->names[i], SIZE_MAX);
		fputs(": ", stdout);
		if (wm)
			printf("%s [requested %s]",
			       nl_ethtool_bitset_test(w, i) ? "off" : "on",
			       nl_ethtool_bitset_test(w, i) ? "on" : "off");
		else if (!nl_ethtool_bitset_in_mask(&r->req, i))
			printf("%s [not requested]",
			       nl_ethtool_bitset_test(a, i) ? "on" : "off");
		else
			printf("%s",
			       nl_ethtool_bitset_test(a, i) ? "on" : "off");
		fputc('\n', stdout);
	}
}

/* Returns true when nothing requested was changed (6.1's words check). */
static bool diff_show(const struct nl_ethtool_features_diff *d,
		      const struct nl_ethtool_strset *names,
		      const struct sreq *r)
{
	uint32_t words = (names->count + 31) / 32, i;
	bool same = true, diff = false;

	for (i = 0; i < words && i < NL_ETHTOOL_BITSET_WORDS; i++) {
		if (d->wanted.mask[i] != r->req.mask[i])
			same = false;
		if (d->wanted.mask[i] || (d->active.mask[i] & ~r->req.mask[i]))
			diff = true;
	}
	if (diff)
		show_changes(d, names, r);
	return same;
}

int et_nl_sfeatures(struct et_ctx *c)
{
	static struct sreq r;
	struct nl_ethtool_features_diff d;
	struct nl_ethtool_strset *names;
	int err;

	if (et_nl_missing(c, ETHTOOL_MSG_FEATURES_SET))
		return -EOPNOTSUPP;
	names = et_strset(c, ETH_SS_FEATURES);
	if (!names)
		return 1;
	memset(&r, 0, sizeof(r));
	r.req.n_bits = names->count;
	if (parse(c, names, &r) < 0)
		return 1;
	err = nl_ethtool_features_set(&c->ns, &c->fam, &c->dev, r.bits, r.n,
				      &d);
	if (err < 0) {
		et_nl_perror(c, err);
		return 92;
	}
	if (d.replied && diff_show(&d, names, &r)) {
		fflush(stdout);
		fprintf(stderr, "Could not change any device features\n");
		return 1;
	}
	return 0;
}

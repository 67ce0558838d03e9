// SPDX-License-Identifier: MIT
/*
 * -k / -K over ioctl, as ethtool 6.1's do_gfeatures() and do_sfeatures():
 * names from GSTRINGS(ETH_SS_FEATURES), state from GFEATURES, changes with
 * SFEATURES; a legacy flag (tso, gro...) stands for its matching features.
 * The legacy flags' state is the OR of their features, as the kernel
 * computes it for the legacy ioctls.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linux/ethtool.h>

#include "et.h"
#include "print.h"

struct kreq {
	struct nl_ethtool_bitset feat; /* mask: valid, value: requested */
	uint32_t off_mask, off_wanted; /* legacy flags, bit k */
};

static int names_get(struct et_ctx *c, struct nl_ethtool_strset **names)
{
	int err = ethtool_ioctl_strset(c->devname, ETH_SS_FEATURES, names);

	if (err == -EOPNOTSUPP || err == -EINVAL || err == -EPERM) {
		*names = calloc(1, sizeof(**names));
		err = *names ? 0 : -ENOMEM;
	}
	if (err < 0)
		et_perror("Cannot get device feature names", err);
	return err;
}

static int state_get(struct et_ctx *c, const struct nl_ethtool_strset *names,
		     struct nl_ethtool_features *f)
{
	int err = ethtool_ioctl_features_get(c->devname, names->count, f);

	if (err < 0)
		et_perror("Cannot get device generic features", err);
	return err;
}

/* The legacy flags (bit k: et_legacy[k]) from the legacy ioctls. */
static uint32_t off_flags(struct et_ctx *c)
{
	static const uint32_t get[] = { ETHTOOL_GRXCSUM, ETHTOOL_GTXCSUM,
					ETHTOOL_GSG,	 ETHTOOL_GTSO,
					ETHTOOL_GUFO,	 ETHTOOL_GGSO,
					ETHTOOL_GGRO };
	static const uint32_t flag[] = { ETH_FLAG_LRO, ETH_FLAG_RXVLAN,
					 ETH_FLAG_TXVLAN, ETH_FLAG_NTUPLE,
					 ETH_FLAG_RXHASH };
	struct ethtool_value v;
	uint32_t k, flags = 0;
	char what[64];
	int err;

	for (k = 0; k < 7; k++) {
		v.cmd = get[k];
		err = ethtool_ioctl(c->devname, &v);
		snprintf(what, sizeof(what), "Cannot get device %s settings",
			 et_legacy[k][1]);
		if (err < 0 && !(err == -EOPNOTSUPP && get[k] == ETHTOOL_GUFO))
			et_perror(what, err);
		flags |= err == 0 && v.data ? 1u << k : 0;
	}
	v.cmd = ETHTOOL_GFLAGS;
	err = ethtool_ioctl(c->devname, &v);
	if (err < 0)
		et_perror("Cannot get device flags", err);
	for (k = 0; err == 0 && k < 5; k++)
		flags |= v.data & flag[k] ? 1u << (k + 7) : 0;
	return flags;
}

int et_io_gfeatures(struct et_ctx *c)
{
	struct nl_ethtool_strset *names;
	struct nl_ethtool_features f;
	uint32_t off[2] = { 0, 0 };
	int rc = 1;

	if (c->argc != 0)
		return et_bad_args();
	if (names_get(c, &names) < 0)
		return 1;
	off[0] = off_flags(c);
	if (state_get(c, names, &f) < 0)
		printf("Features for %s:\nno feature info available\n",
		       c->devname);
	else
		rc = et_features_print(c, &f, names, NULL, off);
	nl_ethtool_strset_free(names);
	return rc;
}

static int parse_one(struct kreq *r, const struct nl_ethtool_strset *names,
		     const char *name, bool on)
{
	int i;

	for (i = 0; i < ET_N_LEGACY; i++) {
		if (!strcmp(name, et_legacy[i][0]) ||
		    !strcmp(name, et_legacy[i][1])) {
			r->off_mask |= 1u << i;
			r->off_wanted |= on ? 1u << i : 0;
			return 0;
		}
	}
	i = nl_ethtool_strset_find(names, name);
	if (i < 0)
		return -EINVAL;
	if (on)
		r->feat.value[i / 32] |= 1u << (i % 32);
	r->feat.mask[i / 32] |= 1u << (i % 32);
	return 0;
}

static int parse(struct et_ctx *c, const struct nl_ethtool_strset *names,
		 struct kreq *r)
{
	const char *v;
	int i;

	memset(r, 0, sizeof(*r));
	r->feat.n_bits = names->count;
	for (i = 0; i < c->argc; i += 2) {
		v = i + 1 < c->argc ? c->argv[i + 1] : "";
		if ((strcmp(v, "on") && strcmp(v, "off")) ||
		    parse_one(r, names, c->argv[i], !strcmp(v, "on")) < 0)
			return -EINVAL;
	}
	return 0;
}

/* Each legacy flag asked for covers its changeable features not named. */
static void expand_legacy(struct kreq *r, const struct nl_ethtool_strset *names,
			  const struct nl_ethtool_features *old)
{
	uint32_t i, m;
	int k;
	bool fixed;

	for (k = 0; k < ET_N_LEGACY; k++) {
		if (!(r->off_mask & (1u << k)))
			continue;
		fixed = true;
		for (i = 0; i < names->count; i++) {
			if (et_legacy_of(names->names[i]) != (unsigned int)k ||
			    !nl_ethtool_bitset_test(&old->hw, i) ||
			    nl_ethtool_bitset_test(&old->nochange, i))
				continue;
			fixed = false;
			m = 1u << (i % 32);
			if (r->feat.mask[i / 32] & m)
				continue;
			r->feat.mask[i / 32] |= m;
			if (r->off_wanted & (1u << k))
				r->feat.value[i / 32] |= m;
		}
		if (fixed)
			fprintf(stderr, "Cannot change %s\n", et_legacy[k][1]);
	}
}

/* 6.1's verdict: 0 done, 1 nothing changed, 2 changed but not as asked. */
static int compare(const struct kreq *r, const struct nl_ethtool_strset *names,
		   const struct nl_ethtool_features *old,
		   const struct nl_ethtool_features *now, const uint32_t *off)
{
	uint32_t o = off[1], n = off[0], i;
	bool changed = o != n;
	bool mismatch = n != ((o & ~r->off_mask) | r->off_wanted);

	for (i = 0; i < (names->count + 31) / 32; i++) {
		if (now->active.value[i] != old->active.value[i])
			changed = true;
		if (now->active.value[i] !=
		    ((old->active.value[i] & ~r->feat.mask[i]) |
		     (r->feat.value[i] & r->feat.mask[i])))
			mismatch = true;
	}
	return !mismatch ? 0 : changed ? 2 : 1;
}

static int sfeatures(struct et_ctx *c, const struct nl_ethtool_strset *names)
{
	static struct nl_ethtool_features old, now;
	static struct kreq r;
	uint32_t off[2];
	int err;

	if (parse(c, names, &r) < 0)
		return et_bad_args();
	if (c->argc == 0) {
		printf("no features changed\n");
		return 0;
	}
	off[1] = off_flags(c);
	if (state_get(c, names, &old) < 0)
		return 1;
	expand_legacy(&r, names, &old);
	err = ethtool_ioctl_features_set(c->devname, &r.feat);
	if (err < 0) {
		et_perror("Cannot set device feature settings", err);
		return 1;
	}
	off[0] = off_flags(c);
	if (state_get(c, names, &now) < 0)
		return 1;
	err = compare(&r, names, &old, &now, off);
	if (err == 1) {
		fflush(stdout);
		fprintf(stderr, "Could not change any device features\n");
		return 1;
	}
	if (err == 2) {
		printf("Actual changes:\n");
		et_features_print(c, &now, names, &old, off);
	}
	return 0;
}

int et_io_sfeatures(struct et_ctx *c)
{
	struct nl_ethtool_strset *names;
	int rc;

	if (names_get(c, &names) < 0)
		return 1;
	rc = sfeatures(c, names);
	nl_ethtool_strset_free(names);
	return rc;
}

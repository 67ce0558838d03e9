// SPDX-License-Identifier: MIT
/* -k / -K over netlink, as ethtool 6.1's netlink/features.c. */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linux/ethtool.h>
#include <linux/ethtool_netlink.h>

#include "et.h"
#include "print.h"

/*
 * ethtool's legacy flags: their short and long names (ethtool's own words,
 * printed by -k) and the kernel feature names they stand for; a '*' in a
 * pattern matches any run of characters.  UFO is never printed.
 */
const char *const et_legacy[ET_N_LEGACY][3] = {
	{ "rx", "rx-checksumming", "rx-checksum" },
	{ "tx", "tx-checksumming", "tx-checksum-*" },
	{ "sg", "scatter-gather", "tx-scatter-gather*" },
	{ "tso", "tcp-segmentation-offload", "tx-tcp*-segmentation" },
	{ "ufo", "udp-fragmentation-offload", "tx-udp-fragmentation" },
	{ "gso", "generic-segmentation-offload", "tx-generic-segmentation" },
	{ "gro", "generic-receive-offload", "rx-gro" },
	{ "lro", "large-receive-offload", "rx-lro" },
	{ "rxvlan", "rx-vlan-offload", "rx-vlan-hw-parse" },
	{ "txvlan", "tx-vlan-offload", "tx-vlan-hw-insert" },
	{ "ntuple", "ntuple-filters", "rx-ntuple-filter" },
	{ "rxhash", "receive-hashing", "rx-hashing" },
};
#define N_LEGACY ET_N_LEGACY
#define UFO 4

bool et_feature_match(const char *name, const char *pattern)
{
	const char *ast = strchr(pattern, '*');
	size_t name_len = strlen(name), tail;

	if (!ast)
		return strcmp(name, pattern) == 0;
	if (name_len + 1 < strlen(pattern) ||
	    strncmp(name, pattern, (size_t)(ast - pattern)) != 0)
		return false;
	tail = strlen(ast + 1);
	return strcmp(name + name_len - tail, ast + 1) == 0;
}

struct fdump {
	const struct nl_ethtool_features *f;
	const struct nl_ethtool_features *ref; /* only what differs from it */
	const uint32_t *off; /* legacy flag states {now, ref} (ioctl) */
	const struct nl_ethtool_strset *names;
	unsigned int *flag; /* legacy index per feature, UINT_MAX if none */
	uint32_t count;
	bool json, first;
};

static bool on(const struct nl_ethtool_bitset *bs, uint32_t i)
{
	return nl_ethtool_bitset_test(bs, i);
}

static void json_sep(struct fdump *d, const char *name)
{
	printf("%s\n        ", d->first ? "" : ",");
	d->first = false;
	et_json_str(name);
	printf(": ");
}

static void feature(struct fdump *d, uint32_t i, const char *name,
		    const char *prefix)
{
	const struct nl_ethtool_features *f = d->f;
	bool fixed = !on(&f->hw, i) || on(&f->nochange, i);
	const char *suffix = "";

	if (!name || !*name)
		return;
	if (d->ref && on(&f->active, i) == on(&d->ref->active, i))
		return;
	if (d->json) {
		json_sep(d, name);
		printf("{\n            \"active\": %s,\n            \"fixed\": "
		       "%s,\n            \"requested\": %s\n        }",
		       on(&f->active, i) ? "true" : "false",
		       fixed ? "true" : "false",
		       on(&f->wanted, i) ? "true" : "false");
		return;
	}
	if (fixed)
		suffix = " [fixed]";
	else if (on(&f->active, i) != on(&f->wanted, i))
		suffix = on(&f->wanted, i) ? " [requested on]"
					   : " [requested off]";
	printf("%s", prefix);
	et_print_str(stdout, name, SIZE_MAX);
	printf(": %s%s\n", on(&f->active, i) ? "on" : "off", suffix);
}

/* The legacy flag's own line (when it stands for several features). */
static bool legacy_line(struct fdump *d, unsigned int k, bool value)
{
	if (d->json) {
		json_sep(d, et_legacy[k][1]);
		printf("{\n            \"active\": %s,\n            \"fixed\": "
		       "null,\n            \"requested\": null\n        }",
		       value ? "true" : "false");
	} else {
		printf("%s: %s\n", et_legacy[k][1], value ? "on" : "off");
	}
	return true;
}

static void legacy_flag(struct fdump *d, unsigned int k)
{
	uint32_t i, n_match = 0;
	bool value = false, ref_value = false, line = false;

	for (i = 0; i < d->count; i++) {
		if (d->flag[i] == k) {
			n_match++;
			value = value || on(&d->f->active, i);
			ref_value =
				ref_value || (d->ref && on(&d->ref->active, i));
		}
	}
	if (d->off) {
		value = d->off[0] & (1u << k);
		ref_value = d->off[1] & (1u << k);
	}
	if (n_match != 1 && (!d->ref || value != ref_value))
		line = legacy_line(d, k, value);
	for (i = 0; i < d->count && n_match; i++) {
		if (d->flag[i] != k)
			continue;
		if (n_match == 1)
			feature(d, i, et_legacy[k][1], "");
		else
			feature(d, i, nl_ethtool_strset_name(d->names, i),
				line ? "\t" : "");
	}
}

unsigned int et_legacy_of(const char *name)
{
	unsigned int k;

	for (k = 0; name && *name && k < N_LEGACY; k++) {
		if (et_feature_match(name, et_legacy[k][2]))
			return k;
	}
	return UINT_MAX;
}

static void features_dump(struct fdump *d)
{
	unsigned int k;
	uint32_t i;

	for (i = 0; i < d->count; i++)
		d->flag[i] = et_legacy_of(nl_ethtool_strset_name(d->names, i));
	for (k = 0; k < N_LEGACY; k++) {
		if (k != UFO)
			legacy_flag(d, k);
	}
	for (i = 0; i < d->count; i++) {
		if (d->flag[i] == UINT_MAX)
			feature(d, i, nl_ethtool_strset_name(d->names, i), "");
	}
}

int et_features_print(struct et_ctx *c, const struct nl_ethtool_features *f,
		      const struct nl_ethtool_strset *names,
		      const struct nl_ethtool_features *ref,
		      const uint32_t *off)
{
	struct fdump d = { .f = f,
			   .ref = ref,
			   .off = off,
			   .names = names,
			   .json = c->json,
			   .first = true };

	d.count = f->hw.n_bits;
	if (f->wanted.n_bits == d.count && f->active.n_bits == d.count &&
	    f->nochange.n_bits == d.count)
		d.flag = calloc(d.count ? d.count : 1, sizeof(*d.flag));
	if (!d.flag) { /* sets of different sizes, or no memory */
		if (c->json)
			printf("[ ]\n");
		return 1;
	}
	if (c->json) {
		printf("[ {\n        \"ifname\": ");
		et_json_str(et_nl_devname(c, &f->dev));
		d.first = false;
	} else if (!ref) {
		printf("Features for %s:\n", c->devname);
	}
	features_dump(&d);
	if (c->json)
		printf("\n    } ]\n");
	free(d.flag);
	return 0;
}

int et_nl_gfeatures(struct et_ctx *c)
{
	struct nl_ethtool_features f;
	struct nl_ethtool_strset *names;
	int err;

	err = et_nl_show_start(c, ETHTOOL_MSG_FEATURES_GET);
	if (err)
		return err;
	names = et_strset(c, ETH_SS_FEATURES);
	if (!names) {
		if (c->json)
			printf("[ ]\n");
		return 1;
	}
	err = nl_ethtool_features_get(&c->ns, &c->fam, &c->dev, &f);
	if (err < 0)
		return et_nl_show_fail(c, err);
	return et_features_print(c, &f, names, NULL, NULL);
}

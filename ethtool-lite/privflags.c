// SPDX-License-Identifier: MIT
/*
 * --show-priv-flags / --set-priv-flags: ethtool 6.1's netlink output (and
 * our --json, ethtool-lite/JSON.md) and bitset argument (a number, or "NAME
 * on|off" pairs the kernel resolves), and its ioctl path (names from the
 * driver's string set, 32 flags).
 */
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linux/ethtool.h>
#include <linux/ethtool_netlink.h>

#include "embnet/ethtool_privflags.h"
#include "et.h"
#include "print.h"

#define CMD "--set-priv-flags"

/* Width of a flag's label: its name, or "bitN". */
static size_t label_len(const struct nl_ethtool_bit *b)
{
	char buf[16];

	if (b->name[0])
		return strlen(b->name);
	return (size_t)snprintf(buf, sizeof(buf), "bit%u", b->index);
}

static void flags_show(const char *dev, const struct nl_ethtool_bitlist *l)
{
	size_t w = 0, len;
	uint32_t i;

	for (i = 0; i < l->n; i++) {
		len = label_len(&l->bits[i]);
		w = len > w ? len : w;
	}
	printf("Private flags for ");
	et_print_str(stdout, dev, SIZE_MAX);
	printf(":\n");
	for (i = 0; i < l->n; i++) {
		if (l->bits[i].name[0])
			et_print_str(stdout, l->bits[i].name, SIZE_MAX);
		else
			printf("bit%u", l->bits[i].index);
		printf("%*s: %s\n", (int)(w - label_len(&l->bits[i])), "",
		       l->bits[i].on ? "on" : "off");
	}
}

/* "private-flags": { "NAME": BOOL, ... } in the kernel's order. */
static void flags_json(const char *dev, const struct nl_ethtool_bitlist *l)
{
	char buf[16];
	uint32_t i;

	et_json_open(dev);
	printf(",\n        \"private-flags\": {");
	for (i = 0; i < l->n; i++) {
		snprintf(buf, sizeof(buf), "bit%u", l->bits[i].index);
		printf("%s", i ? ", " : " ");
		et_json_str(l->bits[i].name[0] ? l->bits[i].name : buf);
		printf(": %s", l->bits[i].on ? "true" : "false");
	}
	printf("%s}", l->n ? " " : "");
	et_json_close();
}

int et_nl_gprivflags(struct et_ctx *c)
{
	static struct nl_ethtool_privflags pf;
	int err;

	err = et_nl_show_start(c, ETHTOOL_MSG_PRIVFLAGS_GET);
	if (err)
		return err;
	err = nl_ethtool_privflags_get(&c->ns, &c->fam, &c->dev, &pf);
	if (err < 0)
		return et_nl_show_fail(c, err);
	if (!pf.has_flags) {
		if (c->json)
			printf("[ ]\n");
		return 1; /* without FLAGS: 6.1 drops the reply */
	}
	if (c->json)
		flags_json(et_nl_devname(c, &pf.dev), &pf.flags);
	else
		flags_show(et_nl_devname(c, &pf.dev), &pf.flags);
	return 0;
}

/* ---- --set-priv-flags over netlink: 6.1's nl_parse_bitset() ---------- */

int et_nl_sprivflags(struct et_ctx *c)
{
	static struct et_sset_named l;
	struct nl_ethtool_bitset bs;
	const char *shown;
	bool num;
	int err;

	if (et_nl_missing(c, ETHTOOL_MSG_PRIVFLAGS_SET))
		return -EOPNOTSUPP;
	num = c->argc > 0 && et_num_is_bitset(c->argv[0]);
	if (num && et_num_bitset(c->argv[0], false, &bs, &shown) < 0) {
		fprintf(stderr,
			"ethtool (" CMD "): invalid value '%s' for parameter "
			"'(null)'\n",
			shown);
		return 1;
	}
	/* 6.1's parse_name_bitset(), its parameter without a name */
	if (!num && et_sset_names(&l, 0, c->argv, c->argc, CMD, "(null)") < 0)
		return 1;
	err = nl_ethtool_privflags_set(&c->ns, &c->fam, &c->dev, l.bits, l.n,
				       num ? &bs : NULL);
	if (err < 0) {
		et_nl_perror(c, err);
		return 1;
	}
	return 0;
}

/* ---- ioctl ------------------------------------------------------------- */

/* The driver's flag names (at most 32, as GPFLAGS holds), or 1 after
 * 6.1's message. */
static int io_names(struct et_ctx *c, bool set, struct ethtool_ioctl_stats **st)
{
	uint32_t i;
	int err;

	err = ethtool_ioctl_strings(
		c->devname, ETH_SS_PRIV_FLAGS,
		offsetof(struct ethtool_drvinfo, n_priv_flags), st);
	if (err < 0) {
		et_perror("Cannot get private flag names", err);
		return 1;
	}
	if ((*st)->n == 0) {
		fflush(stdout);
		fprintf(stderr, "No private flags defined\n");
		free(*st);
		return 1;
	}
	if ((*st)->n > 32) {
		fprintf(stderr, "Only %s first 32 private flags\n",
			set ? "setting" : "showing");
		(*st)->n = 32;
	}
	for (i = 0; i < (*st)->n; i++)
		(*st)->names[i][ETH_GSTRING_LEN - 1] = 0;
	return 0;
}

int et_io_gprivflags(struct et_ctx *c)
{
	struct ethtool_ioctl_stats *st;
	size_t w = 0, len;
	uint32_t flags, i;
	int err;

	if (c->argc != 0)
		return et_bad_args();
	if (io_names(c, false, &st))
		return 1;
	err = ethtool_ioctl_pflags_get(c->devname, &flags);
	if (err < 0) {
		et_perror("Cannot get private flags", err);
		free(st);
		return 1;
	}
	printf("Private flags for %s:\n", c->devname);
	for (i = 0; i < st->n; i++) {
		len = strlen(st->names[i]);
		w = len > w ? len : w;
	}
	for (i = 0; i < st->n; i++) {
		et_print_str(stdout, st->names[i], SIZE_MAX);
		printf("%*s: %s\n", (int)(w - strlen(st->names[i])), "",
		       flags & (1u << i) ? "on" : "off");
	}
	free(st);
	return 0;
}

/* 6.1's parse_generic_cmdline() on flags: NAME on|off pairs, any other
 * word a bad argument.  Bits named in *@seen, those ever "on" in *@want
 * (a later "off" of the same name does not undo it). */
static int io_parse(struct et_ctx *c, const struct ethtool_ioctl_stats *st,
		    uint32_t *seen, uint32_t *want)
{
	uint32_t k;
	int i;

	for (i = 0; i < c->argc; i += 2) {
		for (k = 0; k < st->n && strcmp(st->names[k], c->argv[i]); k++)
			;
		if (k == st->n || i + 1 >= c->argc)
			return -EINVAL;
		*seen |= 1u << k;
		if (!strcmp(c->argv[i + 1], "on"))
			*want |= 1u << k;
		else if (strcmp(c->argv[i + 1], "off"))
			return -EINVAL;
	}
	return 0;
}

int et_io_sprivflags(struct et_ctx *c)
{
	struct ethtool_ioctl_stats *st;
	uint32_t seen = 0, want = 0, flags;
	int err;

	if (io_names(c, true, &st))
		return 1;
	if (io_parse(c, st, &seen, &want) < 0) {
		free(st);
		return et_bad_args();
	}
	free(st);
	err = ethtool_ioctl_pflags_get(c->devname, &flags);
	if (err < 0) {
		et_perror("Cannot get private flags", err);
		return 1;
	}
	err = ethtool_ioctl_pflags_set(c->devname, (flags & ~seen) | want);
	if (err < 0) {
		et_perror("Cannot set private flags", err);
		return 1;
	}
	return 0;
}

// SPDX-License-Identifier: MIT
/*
 * --show-fec / --set-fec: ethtool 6.1's netlink output (text and --json;
 * FEC modes are link modes, "None" shown as "Off") and "encoding" list,
 * and its ioctl commands ETHTOOL_GFECPARAM/SFECPARAM.
 */
#include <errno.h>
#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include <linux/ethtool.h>
#include <linux/ethtool_netlink.h>

#include "embnet/ethtool_bitlist.h"
#include "et.h"
#include "print.h"

#define A(x) ETHTOOL_A_FEC_##x

/* A list item: 6.1's JSON arrays of strings join with "," alone. */
struct fec_out {
	struct et_ctx *c;
	bool first; /* of the JSON list */
};

/* One mode, renamed as 6.1 does: "None" is "Off" (in the ioctl's words
 * None means unsupported), "BASER" is "BaseR". */
static void mode(struct fec_out *o, uint32_t bit)
{
	const struct nl_ethtool_strset *lm = et_strset(o->c, ETH_SS_LINK_MODES);
	const char *name = lm ? nl_ethtool_strset_name(lm, bit) : NULL;

	if (bit == ETHTOOL_LINK_MODE_FEC_NONE_BIT)
		name = "Off";
	else if (bit == ETHTOOL_LINK_MODE_FEC_BASER_BIT)
		name = "BaseR";
	if (!name)
		return;
	if (o->c->json) {
		printf("%s", o->first ? " " : ",");
		et_json_str(name);
	} else {
		putchar(' ');
		et_print_str(stdout, name, SIZE_MAX);
	}
	o->first = false;
}

static void word(struct fec_out *o, const char *w)
{
	if (o->c->json)
		printf("%s\"%s\"", o->first ? " " : ",", w);
	else
		printf(" %s", w);
	o->first = false;
}

static void list_open(struct fec_out *o, const char *key, const char *label)
{
	o->first = true;
	if (o->c->json)
		et_json_list_open(key);
	else
		printf("%s", label);
}

static void list_close(struct fec_out *o)
{
	if (o->c->json)
		et_json_list_close(o->first);
	else
		putchar('\n');
}

static void fec_show(struct et_ctx *c, const struct nl_ethtool_attrs *a)
{
	const char *dev = et_nl_devname(c, &a->dev);
	const struct nl_ethtool_bitset *modes = &a->bits[0];
	struct fec_out o = { .c = c };
	uint32_t i;

	if (c->json) {
		et_json_open(dev);
	} else {
		printf("FEC parameters for ");
		et_print_str(stdout, dev, SIZE_MAX);
		printf(":\n");
	}
	list_open(&o, "config", "Supported/Configured FEC encodings:");
	if (nl_ethtool_attr_has(a, A(AUTO)) && a->val[A(AUTO)])
		word(&o, "Auto");
	for (i = 0; nl_ethtool_attr_has(a, A(MODES)) && i < modes->n_bits;
	     i++) {
		if (nl_ethtool_bitset_test(modes, i))
			mode(&o, i);
	}
	if (o.first)
		word(&o, "None");
	list_close(&o);
	list_open(&o, "active", "Active FEC encoding:");
	if (nl_ethtool_attr_has(a, A(ACTIVE)) && a->val[A(ACTIVE)])
		mode(&o, a->val[A(ACTIVE)]);
	else
		word(&o, "None");
	list_close(&o);
	if (c->json)
		et_json_close();
}

int et_nl_gfec(struct et_ctx *c)
{
	static struct nl_ethtool_attrs a;
	int err;

	err = et_nl_show_start(c, ETHTOOL_MSG_FEC_GET);
	if (err)
		return err;
	err = nl_ethtool_attrs_get(&c->ns, &c->fam, &c->dev,
				   ETHTOOL_MSG_FEC_GET, 0, &a);
	if (err < 0) {
		et_nl_perror(c, err);
		if (c->json)
			printf("[ ]\n");
		return 1;
	}
	fec_show(c, &a);
	return 0;
}

/* ---- --set-fec over netlink: 6.1's fec_parse_bitset() ---------------- */

#define MAX_MODES ET_SSET_MAX_NAMED

/* The request 6.1 sends: MODES, a NOMASK list of names (the set becomes
 * exactly these), then AUTO. */
struct sfec {
	size_t n;
	bool fec_auto;
	const char *names[MAX_MODES];
	char buf[MAX_MODES][ETH_GSTRING_LEN];
};

/* @s upper-cased into @out (cut at ETH_GSTRING_LEN - 1 characters: 6.1
 * overflows its buffer there, and no mode name is that long). */
static void upper(char *out, const char *s)
{
	size_t k;

	for (k = 0; k + 1 < ETH_GSTRING_LEN && s[k]; k++)
		out[k] = (char)toupper((unsigned char)s[k]);
	out[k] = 0;
}

/* "encoding MODE... [--]": names upper-cased ("off" is "None", "auto" the
 * AUTO flag).  Returns the words used or -E2BIG. */
static int encoding(struct et_ctx *c, int i, struct sfec *f)
{
	int j;

	for (j = i; j < c->argc && strcmp(c->argv[j], "--"); j++) {
		if (!strcasecmp(c->argv[j], "auto")) {
			f->fec_auto = true;
			continue;
		}
		if (f->n >= MAX_MODES)
			return -E2BIG;
		if (!strcasecmp(c->argv[j], "off"))
			snprintf(f->buf[f->n], ETH_GSTRING_LEN, "None");
		else
			upper(f->buf[f->n], c->argv[j]);
		f->names[f->n] = f->buf[f->n];
		f->n++;
	}
	return (j < c->argc ? j + 1 : j) - i;
}

/* 6.1's nl_parser() on its one parameter; -EINVAL after the message. */
static int sfec_parse(struct et_ctx *c, struct sfec *f)
{
	bool seen = false;
	int i, used;

	for (i = 0; i < c->argc; i += used + 1) {
		if (strcmp(c->argv[i], "encoding")) {
			fprintf(stderr,
				"ethtool (--set-fec): unknown parameter '%s'\n",
				c->argv[i]);
			return -EINVAL;
		}
		if (seen) {
			fprintf(stderr, "ethtool (--set-fec): duplicate "
					"parameter 'encoding'\n");
			return -EINVAL;
		}
		if (i + 1 >= c->argc) {
			fprintf(stderr, "ethtool (--set-fec): no value for "
					"parameter 'encoding'\n");
			return -EINVAL;
		}
		seen = true;
		used = encoding(c, i + 1, f);
		if (used < 0)
			return -EINVAL;
	}
	return 0;
}

static int sfec_send(struct et_ctx *c, const struct sfec *f)
{
	char buf[MNL_SOCKET_BUFFER_SIZE] NL_ALIGNED;
	struct nl_ethtool_attrs a = { 0 };
	struct nlmsghdr *nlh;
	int err;

	err = nl_ethtool_msg(buf, sizeof(buf), &c->fam, ETHTOOL_MSG_FEC_SET,
			     &c->dev, 0, &nlh);
	if (err == 0)
		err = nl_ethtool_bitlist_put(nlh, sizeof(buf), A(MODES),
					     f->names, f->n);
	if (err == 0)
		err = nl_ethtool_attr_set(&a, A(AUTO), f->fec_auto);
	if (err == 0)
		err = nl_ethtool_attrs_put(nlh, sizeof(buf),
					   ETHTOOL_MSG_FEC_SET, &a);
	if (err < 0)
		return err;
	return nl_talk(&c->ns, nlh, NULL, NULL);
}

int et_nl_sfec(struct et_ctx *c)
{
	static struct sfec f;
	int err;

	if (et_nl_missing(c, ETHTOOL_MSG_FEC_SET))
		return -EOPNOTSUPP;
	if (c->argc == 0) {
		fprintf(stderr, "ethtool (--set-fec): parameters missing\n");
		return 1;
	}
	memset(&f, 0, sizeof(f));
	if (sfec_parse(c, &f) < 0)
		return 1;
	err = sfec_send(c, &f);
	if (err < 0) {
		et_nl_perror(c, err);
		return 83;
	}
	return 0;
}

/* ---- ioctl ------------------------------------------------------------- */

static void io_fec(uint32_t fec)
{
	static const struct {
		uint32_t bit;
		const char *name;
	} names[] = {
		{ ETHTOOL_FEC_NONE, " None" }, { ETHTOOL_FEC_AUTO, " Auto" },
		{ ETHTOOL_FEC_OFF, " Off" },   { ETHTOOL_FEC_BASER, " BaseR" },
		{ ETHTOOL_FEC_RS, " RS" },     { ETHTOOL_FEC_LLRS, " LLRS" },
	};
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		if (fec & names[i].bit)
			printf("%s", names[i].name);
	}
	putchar('\n');
}

int et_io_gfec(struct et_ctx *c)
{
	struct ethtool_fecparam f = { .cmd = ETHTOOL_GFECPARAM };
	int err;

	if (c->argc != 0)
		return et_bad_args();
	err = ethtool_ioctl(c->devname, &f);
	if (err < 0) {
		et_perror("Cannot get FEC settings", err);
		return 255;
	}
	printf("FEC parameters for %s:\nSupported/Configured FEC encodings:",
	       c->devname);
	io_fec(f.fec);
	printf("Active FEC encoding:");
	io_fec(f.active_fec);
	return 0;
}

static uint32_t io_mode(const char *s)
{
	static const struct {
		const char *name;
		uint32_t bit;
	} modes[] = {
		{ "auto", ETHTOOL_FEC_AUTO }, { "off", ETHTOOL_FEC_OFF },
		{ "rs", ETHTOOL_FEC_RS },     { "baser", ETHTOOL_FEC_BASER },
		{ "llrs", ETHTOOL_FEC_LLRS },
	};
	size_t i;

	for (i = 0; i < sizeof(modes) / sizeof(modes[0]); i++) {
		if (!strcasecmp(s, modes[i].name))
			return modes[i].bit;
	}
	return 0;
}

/* 6.1's do_sfec(): "encoding" then modes, any number of times. */
int et_io_sfec(struct et_ctx *c)
{
	struct ethtool_fecparam f = { .cmd = ETHTOOL_SFECPARAM };
	bool in_list = false;
	uint32_t bit;
	int i, err;

	for (i = 0; i < c->argc; i++) {
		if (!strcmp(c->argv[i], "encoding")) {
			in_list = true;
			continue;
		}
		bit = in_list ? io_mode(c->argv[i]) : 0;
		if (!bit)
			return et_bad_args();
		f.fec |= bit;
	}
	if (!f.fec)
		return et_bad_args();
	err = ethtool_ioctl(c->devname, &f);
	if (err < 0) {
		et_perror("Cannot set FEC settings", err);
		return 255;
	}
	return 0;
}

// SPDX-License-Identifier: MIT
/*
 * nltool ethtool: strset DEV|- SET|ID [counts]
 *                 features DEV [verbose]
 *                 linkstate DEV
 *                 linkinfo DEV
 *                 raw DEV CMD [FLAGS]
 *                 set-feature DEV NAME on|off
 *
 * strset prints id=, count= and INDEX=NAME lines; features prints
 * NAME=on|off with ethtool -k's " [fixed]" / " [requested on|off]"
 * suffixes; raw prints each reply message as msg=HEX (for recordings);
 * set-feature sends FEATURES_SET by name (as ethtool -K) from a second
 * socket and prints the feature from the "monitor" group's notification.
 */
#include <errno.h>
#include <poll.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linux/ethtool.h>
#include <linux/ethtool_netlink.h>
#include <linux/netlink.h>
#include <libmnl/libmnl.h>

#include "embnet/ethtool.h"
#include "embnet/genl.h"
#include "embnet/nl.h"
#include "nltool.h"

struct ctx {
	struct nl_sock ns;
	struct nl_genl_family fam;
	struct nl_ethtool_dev dev;
	bool has_dev;
};

static const struct {
	const char *name;
	uint32_t id;
} set_names[] = {
	{ "test", ETH_SS_TEST },
	{ "stats", ETH_SS_STATS },
	{ "priv-flags", ETH_SS_PRIV_FLAGS },
	{ "features", ETH_SS_FEATURES },
	{ "link-modes", ETH_SS_LINK_MODES },
	{ "msg-classes", ETH_SS_MSG_CLASSES },
	{ "wol-modes", ETH_SS_WOL_MODES },
	{ "sof-timestamping", ETH_SS_SOF_TIMESTAMPING },
};

static int usage(void)
{
	fprintf(stderr, "usage: nltool ethtool strset DEV|- SET [counts] | "
			"features DEV [verbose] | linkstate DEV | "
			"linkinfo DEV | raw DEV CMD [FLAGS] | "
			"set-feature DEV NAME on|off\n");
	return 2;
}

static int parse_num(const char *s, uint32_t *v)
{
	char *end;
	unsigned long n;

	errno = 0;
	n = strtoul(s, &end, 0);
	if (!*s || *end || errno || n > UINT32_MAX)
		return -EINVAL;
	*v = (uint32_t)n;
	return 0;
}

static int parse_set(const char *s, uint32_t *id)
{
	size_t i;

	for (i = 0; i < sizeof(set_names) / sizeof(set_names[0]); i++) {
		if (strcmp(s, set_names[i].name) == 0) {
			*id = set_names[i].id;
			return 0;
		}
	}
	return parse_num(s, id);
}

static const struct nl_ethtool_dev *dev_of(const struct ctx *c)
{
	return c->has_dev ? &c->dev : NULL;
}

static int do_strset(struct ctx *c, int argc, char **argv)
{
	struct nl_ethtool_strset *set;
	uint32_t id, i;
	int err;

	if (argc < 3 || argc > 4 || parse_set(argv[2], &id) < 0)
		return usage();
	err = nl_ethtool_strset_get(&c->ns, &c->fam, dev_of(c), id, &set);
	if (err < 0)
		return nltool_fail(&c->ns, err, "ethtool strset");
	printf("id=%u\ncount=%u\n", set->id, set->count);
	for (i = 0; argc == 3 && i < set->count; i++)
		printf("%u=%s\n", i, nl_ethtool_strset_name(set, i));
	nl_ethtool_strset_free(set);
	return 0;
}

static const char *feature_suffix(const struct nl_ethtool_features *f,
				  uint32_t i)
{
	bool wanted = nl_ethtool_bitset_test(&f->wanted, i);

	if (!nl_ethtool_bitset_test(&f->hw, i) ||
	    nl_ethtool_bitset_test(&f->nochange, i))
		return " [fixed]";
	if (wanted != nl_ethtool_bitset_test(&f->active, i))
		return wanted ? " [requested on]" : " [requested off]";
	return "";
}

static void print_features(const struct nl_ethtool_features *f,
			   const struct nl_ethtool_strset *names)
{
	uint32_t i;

	printf("ifindex=%u\nifname=%s\nn_bits=%u\n", f->dev.ifindex,
	       f->dev.ifname, f->active.n_bits);
	for (i = 0; i < names->count && i < f->active.n_bits; i++)
		if (*nl_ethtool_strset_name(names, i)) /* unused bits: "" */
			printf("%s=%s%s\n", nl_ethtool_strset_name(names, i),
			       nl_ethtool_bitset_test(&f->active, i) ? "on"
								     : "off",
			       feature_suffix(f, i));
}

struct verbose_req {
	const struct nl_ethtool_strset *names;
	struct nl_ethtool_features *out;
};

static int verbose_cb(const struct nlmsghdr *nlh, void *data)
{
	struct verbose_req *r = data;

	return nl_ethtool_features_parse(nlh, r->names, r->out);
}

/* Without ETHTOOL_FLAG_COMPACT_BITSETS: the kernel answers verbose. */
static int features_verbose(struct ctx *c, const struct nl_ethtool_strset *n,
			    struct nl_ethtool_features *f)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct verbose_req r = { .names = n, .out = f };
	struct nlmsghdr *nlh;
	int err;

	err = nl_ethtool_msg(buf, sizeof(buf), &c->fam,
			     ETHTOOL_MSG_FEATURES_GET, dev_of(c), 0, &nlh);
	if (err < 0)
		return err;
	return nl_talk(&c->ns, nlh, verbose_cb, &r);
}

static int do_features(struct ctx *c, int argc, char **argv)
{
	struct nl_ethtool_features f;
	struct nl_ethtool_strset *names;
	int err;

	if (argc == 3 && strcmp(argv[2], "verbose") != 0)
		return usage();
	err = nl_ethtool_strset_get(&c->ns, &c->fam, NULL, ETH_SS_FEATURES,
				    &names);
	if (err < 0)
		return nltool_fail(&c->ns, err, "ethtool strset features");
	if (argc == 3)
		err = features_verbose(c, names, &f);
	else
		err = nl_ethtool_features_get(&c->ns, &c->fam, dev_of(c), &f);
	if (err == 0)
		print_features(&f, names);
	else
		nltool_fail(&c->ns, err, "ethtool features");
	nl_ethtool_strset_free(names);
	return err < 0 ? 1 : 0;
}

static void print_dev(const struct nl_ethtool_dev *dev)
{
	printf("ifindex=%u\nifname=%s\n", dev->ifindex, dev->ifname);
}

static int do_linkstate(struct ctx *c)
{
	struct nl_ethtool_linkstate ls;
	int err;

	err = nl_ethtool_linkstate_get(&c->ns, &c->fam, dev_of(c), &ls);
	if (err < 0)
		return nltool_fail(&c->ns, err, "ethtool linkstate");
	print_dev(&ls.dev);
	if (ls.present & (1u << ETHTOOL_A_LINKSTATE_LINK))
		printf("link=%s\n", ls.link ? "yes" : "no");
	if (ls.present & (1u << ETHTOOL_A_LINKSTATE_SQI))
		printf("sqi=%u\n", ls.sqi);
	if (ls.present & (1u << ETHTOOL_A_LINKSTATE_SQI_MAX))
		printf("sqi_max=%u\n", ls.sqi_max);
	if (ls.present & (1u << ETHTOOL_A_LINKSTATE_EXT_STATE))
		printf("ext_state=%u\n", ls.ext_state);
	return 0;
}

static int do_linkinfo(struct ctx *c)
{
	struct nl_ethtool_linkinfo li;
	int err;

	err = nl_ethtool_linkinfo_get(&c->ns, &c->fam, dev_of(c), &li);
	if (err < 0)
		return nltool_fail(&c->ns, err, "ethtool linkinfo");
	print_dev(&li.dev);
	if (li.present & (1u << ETHTOOL_A_LINKINFO_PORT))
		printf("port=%u\n", li.port);
	if (li.present & (1u << ETHTOOL_A_LINKINFO_PHYADDR))
		printf("phyaddr=%u\n", li.phyaddr);
	if (li.present & (1u << ETHTOOL_A_LINKINFO_TP_MDIX))
		printf("tp_mdix=%u\n", li.tp_mdix);
	if (li.present & (1u << ETHTOOL_A_LINKINFO_TRANSCEIVER))
		printf("transceiver=%u\n", li.transceiver);
	return 0;
}

static int hex_cb(const struct nlmsghdr *nlh, void *data)
{
	const uint8_t *p = (const uint8_t *)nlh;
	uint32_t i;

	(void)data;
	printf("msg=");
	for (i = 0; i < nlh->nlmsg_len; i++)
		printf("%02x", p[i]);
	printf("\n");
	return MNL_CB_OK;
}

static int do_raw(struct ctx *c, int argc, char **argv)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh;
	uint32_t cmd, flags = 0;
	int err;

	if (argc < 3 || argc > 4 || parse_num(argv[2], &cmd) < 0 || cmd > 255 ||
	    (argc == 4 && parse_num(argv[3], &flags) < 0))
		return usage();
	err = nl_ethtool_msg(buf, sizeof(buf), &c->fam, (uint8_t)cmd, dev_of(c),
			     flags, &nlh);
	if (err == 0 && cmd == ETHTOOL_MSG_STRSET_GET)
		err = nl_ethtool_strset_put(
			nlh, sizeof(buf),
			(const uint32_t[]){ ETH_SS_FEATURES,
					    ETH_SS_LINK_MODES },
			2, false);
	if (err == 0)
		err = nl_talk(&c->ns, nlh, hex_cb, NULL);
	return err < 0 ? nltool_fail(&c->ns, err, "ethtool raw") : 0;
}

struct ntf {
	uint16_t family;
	struct nl_ethtool_features f;
	bool seen;
};

static int ntf_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct genlmsghdr *g = mnl_nlmsg_get_payload(nlh);
	struct ntf *n = data;

	if (nlh->nlmsg_type != n->family ||
	    mnl_nlmsg_get_payload_len(nlh) < GENL_HDRLEN ||
	    g->cmd != ETHTOOL_MSG_FEATURES_NTF)
		return MNL_CB_OK;
	n->seen = true;
	return nl_ethtool_features_parse(nlh, NULL, &n->f);
}

/* Reads notifications from @mon until a FEATURES_NTF, for up to 2 s. */
static int wait_ntf(struct nl_sock *mon, struct ntf *n)
{
	char buf[MNL_SOCKET_DUMP_SIZE];
	struct pollfd pfd = { .fd = nl_fd(mon), .events = POLLIN };
	uint32_t seq;
	ssize_t len;
	int err;

	while (!n->seen) {
		if (poll(&pfd, 1, 2000) <= 0)
			return -ETIMEDOUT;
		len = mnl_socket_recvfrom(mon->nl, buf, sizeof(buf));
		if (len < 0)
			return -errno;
		/* ethtool numbers its notifications: take their seq. */
		if ((size_t)len < sizeof(struct nlmsghdr))
			return -EBADMSG;
		memcpy(&seq, buf + offsetof(struct nlmsghdr, nlmsg_seq),
		       sizeof(seq));
		err = nl_parse_reply(mon, buf, (size_t)len, seq, ntf_cb, n);
		if (err < 0)
			return err;
	}
	return 0;
}

static int send_set(struct ctx *c, const char *name, bool on)
{
	const struct nl_ethtool_named_bit bit = { name, on };
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh;
	int err;

	err = nl_ethtool_msg(buf, sizeof(buf), &c->fam,
			     ETHTOOL_MSG_FEATURES_SET, dev_of(c),
			     ETHTOOL_FLAG_OMIT_REPLY, &nlh);
	if (err == 0)
		err = nl_ethtool_bitset_put_named(
			nlh, sizeof(buf), ETHTOOL_A_FEATURES_WANTED, &bit, 1);
	return err < 0 ? err : nl_talk(&c->ns, nlh, NULL, NULL);
}

static int set_feature(struct ctx *c, struct nl_sock *mon, char **argv,
		       int *idx)
{
	struct nl_ethtool_strset *names;
	int group, err;

	group = nl_genl_group(&c->fam, ETHTOOL_MCGRP_MONITOR_NAME);
	if (group < 0)
		return group;
	err = nl_genl_join(mon, (uint32_t)group);
	if (err < 0)
		return err;
	err = nl_ethtool_strset_get(&c->ns, &c->fam, NULL, ETH_SS_FEATURES,
				    &names);
	if (err < 0)
		return err;
	*idx = nl_ethtool_strset_find(names, argv[2]);
	nl_ethtool_strset_free(names);
	err = send_set(c, argv[2], strcmp(argv[3], "on") == 0);
	return err == 0 && *idx < 0 ? -ENOENT : err; /* kernel says why */
}

static int do_set_feature(struct ctx *c, int argc, char **argv)
{
	struct ntf n = { .family = c->fam.id };
	struct nl_sock mon;
	int err, idx = -1;

	if (argc != 4 || (strcmp(argv[3], "on") && strcmp(argv[3], "off")))
		return usage();
	err = nl_open(&mon, NETLINK_GENERIC);
	if (err < 0)
		return nltool_fail(NULL, err, "ethtool monitor open");
	err = set_feature(c, &mon, argv, &idx);
	if (err == 0)
		err = wait_ntf(&mon, &n);
	if (err == 0)
		printf("ntf_ifname=%s\n%s=%s\n", n.f.dev.ifname, argv[2],
		       nl_ethtool_bitset_test(&n.f.active, (uint32_t)idx)
			       ? "on"
			       : "off");
	else
		nltool_fail(&c->ns, err, "ethtool set-feature");
	nl_close(&mon);
	return err < 0 ? 1 : 0;
}

static int run(struct ctx *c, int argc, char **argv)
{
	if (strcmp(argv[0], "strset") == 0)
		return do_strset(c, argc, argv);
	if (strcmp(argv[0], "features") == 0 && argc <= 3)
		return do_features(c, argc, argv);
	if (strcmp(argv[0], "linkstate") == 0 && argc == 2)
		return do_linkstate(c);
	if (strcmp(argv[0], "linkinfo") == 0 && argc == 2)
		return do_linkinfo(c);
	if (strcmp(argv[0], "raw") == 0)
		return do_raw(c, argc, argv);
	if (strcmp(argv[0], "set-feature") == 0)
		return do_set_feature(c, argc, argv);
	return usage();
}

int nltool_ethtool(int argc, char **argv)
{
	struct ctx c = { 0 };
	int err;

	if (argc < 3)
		return usage();
	if (strcmp(argv[2], "-") != 0) {
		if (strlen(argv[2]) >= sizeof(c.dev.ifname))
			return usage();
		strcpy(c.dev.ifname, argv[2]);
		c.has_dev = true;
	}
	err = nl_open(&c.ns, NETLINK_GENERIC);
	if (err < 0)
		return nltool_fail(NULL, err, "ethtool open");
	err = nl_genl_resolve(&c.ns, ETHTOOL_GENL_NAME, &c.fam);
	if (err < 0)
		err = nltool_fail(&c.ns, err, "genl family ethtool");
	else
		err = run(&c, argc - 1, argv + 1);
	nl_close(&c.ns);
	return err;
}

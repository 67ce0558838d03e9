// SPDX-License-Identifier: MIT
/*
 * ETHTOOL_MSG_FEATURES_SET and its SET_REPLY (what the kernel changed),
 * whose attributes are all nests (diff_pol).
 */
#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <linux/ethtool.h>
#include <linux/ethtool_netlink.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>
#include <libmnl/libmnl.h>

#include "embnet/ethtool.h"
#include "embnet/genl.h"
#include "embnet/nl.h"

/* Every attribute of the reply is a nest, type 0 included. */
static const struct nl_policy diff_pol[ETHTOOL_A_FEATURES_MAX + 1] = {
	[ETHTOOL_A_FEATURES_UNSPEC] = { .kind = NL_A_NESTED },
	[ETHTOOL_A_FEATURES_HEADER] = { .kind = NL_A_NESTED },
	[ETHTOOL_A_FEATURES_HW] = { .kind = NL_A_NESTED },
	[ETHTOOL_A_FEATURES_WANTED] = { .kind = NL_A_NESTED },
	[ETHTOOL_A_FEATURES_ACTIVE] = { .kind = NL_A_NESTED },
	[ETHTOOL_A_FEATURES_NOCHANGE] = { .kind = NL_A_NESTED },
};

int nl_ethtool_features_diff_parse(const struct nlmsghdr *nlh,
				   struct nl_ethtool_features_diff *out)
{
	const struct nlattr *tb[ETHTOOL_A_FEATURES_MAX + 1];
	int err;

	memset(out, 0, sizeof(*out));
	err = nl_parse_attrs(nlh, GENL_HDRLEN, tb, ETHTOOL_A_FEATURES_MAX,
			     diff_pol);
	if (err < 0)
		return err;
	if (tb[ETHTOOL_A_FEATURES_HEADER] &&
	    nl_ethtool_header_parse(tb[ETHTOOL_A_FEATURES_HEADER], &out->dev) <
		    0)
		return -EBADMSG;
	if (!tb[ETHTOOL_A_FEATURES_WANTED] || !tb[ETHTOOL_A_FEATURES_ACTIVE])
		return -EBADMSG;
	err = nl_ethtool_bitset_parse(tb[ETHTOOL_A_FEATURES_WANTED], NULL,
				      &out->wanted);
	if (err == 0)
		err = nl_ethtool_bitset_parse(tb[ETHTOOL_A_FEATURES_ACTIVE],
					      NULL, &out->active);
	if (err < 0)
		return err;
	if (out->wanted.nomask || out->active.nomask ||
	    out->wanted.n_bits != out->active.n_bits)
		return -EBADMSG;
	out->replied = true;
	return 0;
}

struct diff_ctx {
	uint16_t family;
	struct nl_ethtool_features_diff *out;
};

static int diff_cb(const struct nlmsghdr *nlh, void *data)
{
	struct diff_ctx *ctx = data;
	const struct genlmsghdr *g = mnl_nlmsg_get_payload(nlh);

	if (nlh->nlmsg_type != ctx->family || ctx->out->replied ||
	    mnl_nlmsg_get_payload_len(nlh) < GENL_HDRLEN ||
	    g->cmd != ETHTOOL_MSG_FEATURES_SET_REPLY)
		return MNL_CB_OK;
	return nl_ethtool_features_diff_parse(nlh, ctx->out);
}

int nl_ethtool_features_set(struct nl_sock *ns,
			    const struct nl_genl_family *fam,
			    const struct nl_ethtool_dev *dev,
			    const struct nl_ethtool_named_bit *bits, size_t n,
			    struct nl_ethtool_features_diff *out)
{
	char buf[MNL_SOCKET_BUFFER_SIZE] NL_ALIGNED;
	struct diff_ctx ctx = { .family = fam->id, .out = out };
	struct nlmsghdr *nlh;
	int err;

	memset(out, 0, sizeof(*out));
	err = nl_ethtool_msg(buf, sizeof(buf), fam, ETHTOOL_MSG_FEATURES_SET,
			     dev, ETHTOOL_FLAG_COMPACT_BITSETS, &nlh);
	if (err == 0)
		err = nl_ethtool_bitset_put_named(
			nlh, sizeof(buf), ETHTOOL_A_FEATURES_WANTED, bits, n);
	if (err < 0)
		return err;
	return nl_talk(ns, nlh, diff_cb, &ctx);
}

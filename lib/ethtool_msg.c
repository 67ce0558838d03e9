// SPDX-License-Identifier: MIT
/*
 * Ethtool messages made of scalar attributes (plus a few bitsets): one
 * table of attribute types per message drives parsing (through the
 * attribute policy msg_policy() derives from it), building, GET and SET,
 * so rings, channels, coalesce, pause, link modes, link info, WoL and
 * debug share one validated code path.  Every GET of the family with one
 * reply goes through nl_ethtool_get_one() / nl_ethtool_talk_one() here.
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

#define U8 NL_ETHTOOL_T_U8
#define U32 NL_ETHTOOL_T_U32
#define BS NL_ETHTOOL_T_BITSET
#define BIN NL_ETHTOOL_T_BINARY

static const uint8_t linkinfo_t[] = {
	[ETHTOOL_A_LINKINFO_PORT] = U8,
	[ETHTOOL_A_LINKINFO_PHYADDR] = U8,
	[ETHTOOL_A_LINKINFO_TP_MDIX] = U8,
	[ETHTOOL_A_LINKINFO_TP_MDIX_CTRL] = U8,
	[ETHTOOL_A_LINKINFO_TRANSCEIVER] = U8,
};
static const uint8_t linkmodes_t[] = {
	[ETHTOOL_A_LINKMODES_AUTONEG] = U8,
	[ETHTOOL_A_LINKMODES_OURS] = BS,
	[ETHTOOL_A_LINKMODES_PEER] = BS,
	[ETHTOOL_A_LINKMODES_SPEED] = U32,
	[ETHTOOL_A_LINKMODES_DUPLEX] = U8,
	[ETHTOOL_A_LINKMODES_MASTER_SLAVE_CFG] = U8,
	[ETHTOOL_A_LINKMODES_MASTER_SLAVE_STATE] = U8,
	[ETHTOOL_A_LINKMODES_LANES] = U32,
	[ETHTOOL_A_LINKMODES_RATE_MATCHING] = U8,
};
static const uint8_t debug_t[] = { [ETHTOOL_A_DEBUG_MSGMASK] = BS };
static const uint8_t wol_t[] = {
	[ETHTOOL_A_WOL_MODES] = BS, [ETHTOOL_A_WOL_SOPASS] = BIN
};
static const uint8_t rings_t[] = {
	[ETHTOOL_A_RINGS_RX_MAX] = U32,
	[ETHTOOL_A_RINGS_RX_MINI_MAX] = U32,
	[ETHTOOL_A_RINGS_RX_JUMBO_MAX] = U32,
	[ETHTOOL_A_RINGS_TX_MAX] = U32,
	[ETHTOOL_A_RINGS_RX] = U32,
	[ETHTOOL_A_RINGS_RX_MINI] = U32,
	[ETHTOOL_A_RINGS_RX_JUMBO] = U32,
	[ETHTOOL_A_RINGS_TX] = U32,
	[ETHTOOL_A_RINGS_RX_BUF_LEN] = U32,
	[ETHTOOL_A_RINGS_TCP_DATA_SPLIT] = U8,
	[ETHTOOL_A_RINGS_CQE_SIZE] = U32,
	[ETHTOOL_A_RINGS_TX_PUSH] = U8,
};
static const uint8_t channels_t[] = {
	[ETHTOOL_A_CHANNELS_RX_MAX] = U32,
	[ETHTOOL_A_CHANNELS_TX_MAX] = U32,
	[ETHTOOL_A_CHANNELS_OTHER_MAX] = U32,
	[ETHTOOL_A_CHANNELS_COMBINED_MAX] = U32,
	[ETHTOOL_A_CHANNELS_RX_COUNT] = U32,
	[ETHTOOL_A_CHANNELS_TX_COUNT] = U32,
	[ETHTOOL_A_CHANNELS_OTHER_COUNT] = U32,
	[ETHTOOL_A_CHANNELS_COMBINED_COUNT] = U32,
};
static const uint8_t coalesce_t[] = {
	[ETHTOOL_A_COALESCE_RX_USECS] = U32,
	[ETHTOOL_A_COALESCE_RX_MAX_FRAMES] = U32,
	[ETHTOOL_A_COALESCE_RX_USECS_IRQ] = U32,
	[ETHTOOL_A_COALESCE_RX_MAX_FRAMES_IRQ] = U32,
	[ETHTOOL_A_COALESCE_TX_USECS] = U32,
	[ETHTOOL_A_COALESCE_TX_MAX_FRAMES] = U32,
	[ETHTOOL_A_COALESCE_TX_USECS_IRQ] = U32,
	[ETHTOOL_A_COALESCE_TX_MAX_FRAMES_IRQ] = U32,
	[ETHTOOL_A_COALESCE_STATS_BLOCK_USECS] = U32,
	[ETHTOOL_A_COALESCE_USE_ADAPTIVE_RX] = U8,
	[ETHTOOL_A_COALESCE_USE_ADAPTIVE_TX] = U8,
	[ETHTOOL_A_COALESCE_PKT_RATE_LOW] = U32,
	[ETHTOOL_A_COALESCE_RX_USECS_LOW] = U32,
	[ETHTOOL_A_COALESCE_RX_MAX_FRAMES_LOW] = U32,
	[ETHTOOL_A_COALESCE_TX_USECS_LOW] = U32,
	[ETHTOOL_A_COALESCE_TX_MAX_FRAMES_LOW] = U32,
	[ETHTOOL_A_COALESCE_PKT_RATE_HIGH] = U32,
	[ETHTOOL_A_COALESCE_RX_USECS_HIGH] = U32,
	[ETHTOOL_A_COALESCE_RX_MAX_FRAMES_HIGH] = U32,
	[ETHTOOL_A_COALESCE_TX_USECS_HIGH] = U32,
	[ETHTOOL_A_COALESCE_TX_MAX_FRAMES_HIGH] = U32,
	[ETHTOOL_A_COALESCE_RATE_SAMPLE_INTERVAL] = U32,
	[ETHTOOL_A_COALESCE_USE_CQE_MODE_TX] = U8,
	[ETHTOOL_A_COALESCE_USE_CQE_MODE_RX] = U8,
};
static const uint8_t pause_t[] = { [ETHTOOL_A_PAUSE_AUTONEG] = U8,
				   [ETHTOOL_A_PAUSE_RX] = U8,
				   [ETHTOOL_A_PAUSE_TX] = U8 };
static const uint8_t eee_t[] = {
	[ETHTOOL_A_EEE_MODES_OURS] = BS,     [ETHTOOL_A_EEE_MODES_PEER] = BS,
	[ETHTOOL_A_EEE_ACTIVE] = U8,	     [ETHTOOL_A_EEE_ENABLED] = U8,
	[ETHTOOL_A_EEE_TX_LPI_ENABLED] = U8, [ETHTOOL_A_EEE_TX_LPI_TIMER] = U32,
};
/* FEC_STATS (a nest of u64 arrays) is not read. */
static const uint8_t fec_t[] = { [ETHTOOL_A_FEC_MODES] = BS,
				 [ETHTOOL_A_FEC_AUTO] = U8,
				 [ETHTOOL_A_FEC_ACTIVE] = U32 };

#define TYPES(a) a, sizeof(a)

static const struct {
	uint8_t get, set;
	const uint8_t *types;
	size_t n;
} msgs[] = {
	{ ETHTOOL_MSG_LINKINFO_GET, ETHTOOL_MSG_LINKINFO_SET,
	  TYPES(linkinfo_t) },
	{ ETHTOOL_MSG_LINKMODES_GET, ETHTOOL_MSG_LINKMODES_SET,
	  TYPES(linkmodes_t) },
	{ ETHTOOL_MSG_DEBUG_GET, ETHTOOL_MSG_DEBUG_SET, TYPES(debug_t) },
	{ ETHTOOL_MSG_WOL_GET, ETHTOOL_MSG_WOL_SET, TYPES(wol_t) },
	{ ETHTOOL_MSG_RINGS_GET, ETHTOOL_MSG_RINGS_SET, TYPES(rings_t) },
	{ ETHTOOL_MSG_CHANNELS_GET, ETHTOOL_MSG_CHANNELS_SET,
	  TYPES(channels_t) },
	{ ETHTOOL_MSG_COALESCE_GET, ETHTOOL_MSG_COALESCE_SET,
	  TYPES(coalesce_t) },
	{ ETHTOOL_MSG_PAUSE_GET, ETHTOOL_MSG_PAUSE_SET, TYPES(pause_t) },
	{ ETHTOOL_MSG_EEE_GET, ETHTOOL_MSG_EEE_SET, TYPES(eee_t) },
	{ ETHTOOL_MSG_FEC_GET, ETHTOOL_MSG_FEC_SET, TYPES(fec_t) },
};

_Static_assert(sizeof(coalesce_t) <= NL_ETHTOOL_MAX_ATTRS, "attrs cap");

const uint8_t *nl_ethtool_attr_types(uint8_t cmd, size_t *n)
{
	size_t i;

	for (i = 0; i < sizeof(msgs) / sizeof(msgs[0]); i++) {
		if (msgs[i].get == cmd || msgs[i].set == cmd) {
			*n = msgs[i].n;
			return msgs[i].types;
		}
	}
	*n = 0;
	return NULL;
}

int nl_ethtool_attr_bitset_slot(uint8_t cmd, uint16_t type)
{
	const uint8_t *t;
	size_t n, i;
	int slot = 0;

	t = nl_ethtool_attr_types(cmd, &n);
	if (!t || type >= n || t[type] != BS)
		return -1;
	for (i = 0; i < type; i++)
		slot += t[i] == BS;
	return slot < NL_ETHTOOL_MAX_BITSETS ? slot : -1;
}

bool nl_ethtool_attr_has(const struct nl_ethtool_attrs *at, uint16_t type)
{
	return type < NL_ETHTOOL_MAX_ATTRS && (at->present & (1u << type));
}

int nl_ethtool_attr_set(struct nl_ethtool_attrs *at, uint16_t type, uint32_t v)
{
	if (type >= NL_ETHTOOL_MAX_ATTRS)
		return -EINVAL;
	at->val[type] = v;
	at->present |= 1u << type;
	return 0;
}

/* The policy of a message of @n attribute types: the header, then each
 * attribute by its type (NL_ETHTOOL_T_SKIP: unchecked). */
static void msg_policy(const uint8_t *types, size_t n, struct nl_policy *pol)
{
	static const struct nl_policy of_type[] = {
		[U8] = { .kind = NL_A_U8 },
		[U32] = { .kind = NL_A_U32 },
		[BS] = { .kind = NL_A_NESTED },
		[BIN] = { NL_A_BINARY, 0,
			  sizeof(((struct nl_ethtool_attrs *)0)->bin) },
	};
	size_t i;

	memset(pol, 0, n * sizeof(*pol));
	pol[1].kind = NL_A_NESTED;
	for (i = 2; i < n; i++) {
		if (types[i] < sizeof(of_type) / sizeof(of_type[0]))
			pol[i] = of_type[types[i]];
	}
}

/* Stores @a, of table type @type and the shape msg_policy() gave it. */
static int attr_store(const struct nlattr *a, uint8_t cmd, uint8_t type,
		      struct nl_ethtool_attrs *out)
{
	uint16_t t = mnl_attr_get_type(a);
	size_t len = mnl_attr_get_payload_len(a);
	int slot;

	switch (type) {
	case U8:
		out->val[t] = mnl_attr_get_u8(a);
		break;
	case U32:
		out->val[t] = mnl_attr_get_u32(a);
		break;
	case BIN:
		memcpy(out->bin, mnl_attr_get_payload(a), len);
		out->bin_len = (uint8_t)len;
		break;
	case BS:
		slot = nl_ethtool_attr_bitset_slot(cmd, t);
		if (slot < 0 ||
		    nl_ethtool_bitset_parse(a, NULL, &out->bits[slot]) < 0)
			return -EBADMSG;
		break;
	default:
		return 0;
	}
	out->present |= 1u << t;
	return 0;
}

int nl_ethtool_attrs_parse(const struct nlmsghdr *nlh, uint8_t cmd,
			   struct nl_ethtool_attrs *out)
{
	const struct nlattr *tb[NL_ETHTOOL_MAX_ATTRS];
	struct nl_policy pol[NL_ETHTOOL_MAX_ATTRS];
	const uint8_t *types;
	size_t n, i;
	int err;

	memset(out, 0, sizeof(*out));
	types = nl_ethtool_attr_types(cmd, &n);
	if (!types)
		return -EINVAL;
	msg_policy(types, n, pol);
	err = nl_parse_attrs(nlh, GENL_HDRLEN, tb, (uint16_t)(n - 1), pol);
	if (err < 0)
		return err;
	if (tb[1] && nl_ethtool_header_parse(tb[1], &out->dev) < 0)
		return -EBADMSG;
	for (i = 2; i < n; i++) {
		if (tb[i] && attr_store(tb[i], cmd, types[i], out) < 0)
			return -EBADMSG;
	}
	return 0;
}

static bool attr_put(struct nlmsghdr *nlh, size_t buf_len, uint8_t cmd,
		     uint16_t t, uint8_t type,
		     const struct nl_ethtool_attrs *in)
{
	int slot;

	switch (type) {
	case U8:
		return mnl_attr_put_u8_check(nlh, buf_len, t,
					     (uint8_t)in->val[t]);
	case U32:
		return mnl_attr_put_u32_check(nlh, buf_len, t, in->val[t]);
	case BIN:
		return mnl_attr_put_check(nlh, buf_len, t, in->bin_len,
					  in->bin);
	case BS:
		slot = nl_ethtool_attr_bitset_slot(cmd, t);
		return slot >= 0 && nl_ethtool_bitset_put(nlh, buf_len, t,
							  &in->bits[slot]) == 0;
	default:
		return true;
	}
}

int nl_ethtool_attrs_put(struct nlmsghdr *nlh, size_t buf_len, uint8_t cmd,
			 const struct nl_ethtool_attrs *in)
{
	const uint8_t *types;
	size_t n, i;

	types = nl_ethtool_attr_types(cmd, &n);
	if (!types)
		return -EINVAL;
	for (i = 2; i < n; i++) {
		if (!nl_ethtool_attr_has(in, (uint16_t)i))
			continue;
		if (!attr_put(nlh, buf_len, cmd, (uint16_t)i, types[i], in))
			return -EMSGSIZE;
	}
	return 0;
}

struct one_ctx {
	uint16_t family;
	nl_ethtool_reply_fn parse;
	void *out;
	bool found;
};

static int one_cb(const struct nlmsghdr *nlh, void *data)
{
	struct one_ctx *ctx = data;
	int err;

	if (nlh->nlmsg_type != ctx->family || ctx->found)
		return MNL_CB_OK; /* one reply per GET: ignore extras */
	err = ctx->parse(nlh, ctx->out);
	if (err < 0)
		return err;
	ctx->found = true;
	return MNL_CB_OK;
}

int nl_ethtool_talk_one(struct nl_sock *ns, const struct nl_genl_family *fam,
			struct nlmsghdr *nlh, nl_ethtool_reply_fn parse,
			void *out)
{
	struct one_ctx ctx = { .family = fam->id, .parse = parse, .out = out };
	int err;

	err = nl_talk(ns, nlh, one_cb, &ctx);
	if (err < 0)
		return err;
	return ctx.found ? 0 : -EBADMSG; /* an ACK without a reply */
}

int nl_ethtool_get_one(struct nl_sock *ns, const struct nl_genl_family *fam,
		       const struct nl_ethtool_dev *dev, uint8_t cmd,
		       uint32_t flags, nl_ethtool_reply_fn parse, void *out)
{
	char buf[MNL_SOCKET_BUFFER_SIZE] NL_ALIGNED;
	struct nlmsghdr *nlh;
	int err;

	err = nl_ethtool_msg(buf, sizeof(buf), fam, cmd, dev, flags, &nlh);
	if (err < 0)
		return err;
	return nl_ethtool_talk_one(ns, fam, nlh, parse, out);
}

struct attrs_ctx {
	uint8_t cmd;
	struct nl_ethtool_attrs *out;
};

static int attrs_reply(const struct nlmsghdr *nlh, void *data)
{
	struct attrs_ctx *ctx = data;

	return nl_ethtool_attrs_parse(nlh, ctx->cmd, ctx->out);
}

int nl_ethtool_attrs_get(struct nl_sock *ns, const struct nl_genl_family *fam,
			 const struct nl_ethtool_dev *dev, uint8_t cmd,
			 uint32_t flags, struct nl_ethtool_attrs *out)
{
	struct attrs_ctx ctx = { .cmd = cmd, .out = out };

	memset(out, 0, sizeof(*out));
	return nl_ethtool_get_one(ns, fam, dev, cmd, flags, attrs_reply, &ctx);
}

int nl_ethtool_attrs_set(struct nl_sock *ns, const struct nl_genl_family *fam,
			 const struct nl_ethtool_dev *dev, uint8_t cmd,
			 const struct nl_ethtool_attrs *in)
{
	char buf[MNL_SOCKET_BUFFER_SIZE] NL_ALIGNED;
	struct nlmsghdr *nlh;
	int err;

	err = nl_ethtool_msg(buf, sizeof(buf), fam, cmd, dev, 0, &nlh);
	if (err == 0)
		err = nl_ethtool_attrs_put(nlh, sizeof(buf), cmd, in);
	if (err < 0)
		return err;
	return nl_talk(ns, nlh, NULL, NULL);
}

// SPDX-License-Identifier: MIT
/*
 * The ethtool family (see ethtool.h): request header, bitsets, string sets,
 * features, link state and info; replies are read through policies (*_pol).
 */
#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <net/if.h>

#include <linux/ethtool.h>
#include <linux/ethtool_netlink.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>
#include <libmnl/libmnl.h>

#include "embnet/ethtool.h"
#include "embnet/genl.h"
#include "embnet/nl.h"

/* Every ethtool message carries its header as attribute 1. */
#define ETH_HDR_ATTR 1
/* Largest ETHTOOL_A_*_MAX of the small replies parsed by field table. */
#define ETH_FIELDS_MAX 15
#define BIT_WORDS(n) (((size_t)(n) + 31) / 32)

/* VALUE and MASK are left unchecked: their size depends on SIZE. */
const struct nl_policy nl_ethtool_bitset_pol[ETHTOOL_A_BITSET_MAX + 1] = {
	[ETHTOOL_A_BITSET_NOMASK] = { .kind = NL_A_FLAG },
	[ETHTOOL_A_BITSET_SIZE] = { .kind = NL_A_U32 },
	[ETHTOOL_A_BITSET_BITS] = { .kind = NL_A_NESTED },
};
const struct nl_policy nl_ethtool_bit_pol[ETHTOOL_A_BITSET_BIT_MAX + 1] = {
	[ETHTOOL_A_BITSET_BIT_INDEX] = { .kind = NL_A_U32 },
	[ETHTOOL_A_BITSET_BIT_NAME] = { .kind = NL_A_STRING },
	[ETHTOOL_A_BITSET_BIT_VALUE] = { .kind = NL_A_FLAG },
};
static const struct nl_policy header_pol[ETHTOOL_A_HEADER_MAX + 1] = {
	[ETHTOOL_A_HEADER_DEV_INDEX] = { .kind = NL_A_U32 },
	[ETHTOOL_A_HEADER_DEV_NAME] = { .kind = NL_A_STRING },
	[ETHTOOL_A_HEADER_FLAGS] = { .kind = NL_A_U32 },
};
static const struct nl_policy strset_pol[ETHTOOL_A_STRSET_MAX + 1] = {
	[ETHTOOL_A_STRSET_HEADER] = { .kind = NL_A_NESTED },
	[ETHTOOL_A_STRSET_STRINGSETS] = { .kind = NL_A_NESTED },
	[ETHTOOL_A_STRSET_COUNTS_ONLY] = { .kind = NL_A_FLAG },
};
static const struct nl_policy stringset_pol[ETHTOOL_A_STRINGSET_MAX + 1] = {
	[ETHTOOL_A_STRINGSET_ID] = { .kind = NL_A_U32 },
	[ETHTOOL_A_STRINGSET_COUNT] = { .kind = NL_A_U32 },
	[ETHTOOL_A_STRINGSET_STRINGS] = { .kind = NL_A_NESTED },
};
static const struct nl_policy string_pol[ETHTOOL_A_STRING_MAX + 1] = {
	[ETHTOOL_A_STRING_INDEX] = { .kind = NL_A_U32 },
	[ETHTOOL_A_STRING_VALUE] = { .kind = NL_A_STRING },
};
static const struct nl_policy features_pol[ETHTOOL_A_FEATURES_MAX + 1] = {
	[ETHTOOL_A_FEATURES_HEADER] = { .kind = NL_A_NESTED },
	[ETHTOOL_A_FEATURES_HW] = { .kind = NL_A_NESTED },
	[ETHTOOL_A_FEATURES_WANTED] = { .kind = NL_A_NESTED },
	[ETHTOOL_A_FEATURES_ACTIVE] = { .kind = NL_A_NESTED },
	[ETHTOOL_A_FEATURES_NOCHANGE] = { .kind = NL_A_NESTED },
};

/* ---- requests ---------------------------------------------------------- */

int nl_ethtool_put_header(struct nlmsghdr *nlh, size_t buf_len, uint16_t type,
			  const struct nl_ethtool_dev *dev, uint32_t flags)
{
	struct nlattr *nest;

	if (dev && !memchr(dev->ifname, '\0', sizeof(dev->ifname)))
		return -EINVAL;
	nest = mnl_attr_nest_start_check(nlh, buf_len, type);
	if (!nest)
		return -EMSGSIZE;
	if (dev && dev->ifindex &&
	    !mnl_attr_put_u32_check(nlh, buf_len, ETHTOOL_A_HEADER_DEV_INDEX,
				    dev->ifindex))
		goto full;
	if (dev && dev->ifname[0] &&
	    !mnl_attr_put_strz_check(nlh, buf_len, ETHTOOL_A_HEADER_DEV_NAME,
				     dev->ifname))
		goto full;
	if (flags && !mnl_attr_put_u32_check(nlh, buf_len,
					     ETHTOOL_A_HEADER_FLAGS, flags))
		goto full;
	mnl_attr_nest_end(nlh, nest);
	return 0;
full:
	mnl_attr_nest_cancel(nlh, nest);
	return -EMSGSIZE;
}

int nl_ethtool_msg(void *buf, size_t buf_len, const struct nl_genl_family *fam,
		   uint8_t cmd, const struct nl_ethtool_dev *dev,
		   uint32_t flags, struct nlmsghdr **out)
{
	struct nlmsghdr *nlh;
	int err;

	if (buf_len < MNL_NLMSG_HDRLEN + GENL_HDRLEN)
		return -EMSGSIZE;
	nlh = nl_genl_msg(buf, fam->id, cmd, ETHTOOL_GENL_VERSION, 0);
	err = nl_ethtool_put_header(nlh, buf_len, ETH_HDR_ATTR, dev, flags);
	if (err < 0)
		return err;
	*out = nlh;
	return 0;
}

int nl_ethtool_strset_put(struct nlmsghdr *nlh, size_t buf_len,
			  const uint32_t *ids, size_t n_ids, bool counts_only)
{
	struct nlattr *sets, *set;
	size_t i;

	sets = mnl_attr_nest_start_check(nlh, buf_len,
					 ETHTOOL_A_STRSET_STRINGSETS);
	if (!sets)
		return -EMSGSIZE;
	for (i = 0; i < n_ids; i++) {
		set = mnl_attr_nest_start_check(nlh, buf_len,
						ETHTOOL_A_STRINGSETS_STRINGSET);
		if (!set ||
		    !mnl_attr_put_u32_check(nlh, buf_len,
					    ETHTOOL_A_STRINGSET_ID, ids[i]))
			goto full;
		mnl_attr_nest_end(nlh, set);
	}
	mnl_attr_nest_end(nlh, sets);
	if (counts_only &&
	    !mnl_attr_put_check(nlh, buf_len, ETHTOOL_A_STRSET_COUNTS_ONLY, 0,
				NULL))
		goto full;
	return 0;
full:
	mnl_attr_nest_cancel(nlh, sets);
	return -EMSGSIZE;
}

static bool bitset_put_words(struct nlmsghdr *nlh, size_t buf_len,
			     const struct nl_ethtool_bitset *bs)
{
	size_t len = BIT_WORDS(bs->n_bits) * sizeof(uint32_t);

	if (bs->nomask &&
	    !mnl_attr_put_check(nlh, buf_len, ETHTOOL_A_BITSET_NOMASK, 0, NULL))
		return false;
	if (!mnl_attr_put_u32_check(nlh, buf_len, ETHTOOL_A_BITSET_SIZE,
				    bs->n_bits) ||
	    !mnl_attr_put_check(nlh, buf_len, ETHTOOL_A_BITSET_VALUE, len,
				bs->value))
		return false;
	return bs->nomask ||
	       mnl_attr_put_check(nlh, buf_len, ETHTOOL_A_BITSET_MASK, len,
				  bs->mask);
}

int nl_ethtool_bitset_put(struct nlmsghdr *nlh, size_t buf_len, uint16_t type,
			  const struct nl_ethtool_bitset *bs)
{
	struct nlattr *nest;

	if (bs->n_bits > NL_ETHTOOL_MAX_BITS)
		return -EINVAL;
	nest = mnl_attr_nest_start_check(nlh, buf_len, type);
	if (!nest)
		return -EMSGSIZE;
	if (!bitset_put_words(nlh, buf_len, bs)) {
		mnl_attr_nest_cancel(nlh, nest);
		return -EMSGSIZE;
	}
	mnl_attr_nest_end(nlh, nest);
	return 0;
}

static bool named_bit_put(struct nlmsghdr *nlh, size_t buf_len,
			  const struct nl_ethtool_named_bit *b)
{
	struct nlattr *nest;

	nest = mnl_attr_nest_start_check(nlh, buf_len,
					 ETHTOOL_A_BITSET_BITS_BIT);
	if (!nest || !mnl_attr_put_strz_check(
			     nlh, buf_len, ETHTOOL_A_BITSET_BIT_NAME, b->name))
		return false;
	if (b->on && !mnl_attr_put_check(nlh, buf_len,
					 ETHTOOL_A_BITSET_BIT_VALUE, 0, NULL))
		return false;
	mnl_attr_nest_end(nlh, nest);
	return true;
}

int nl_ethtool_bitset_put_named(struct nlmsghdr *nlh, size_t buf_len,
				uint16_t type,
				const struct nl_ethtool_named_bit *bits,
				size_t n)
{
	struct nlattr *nest, *list;
	size_t i, len;

	for (i = 0; i < n; i++) {
		len = strlen(bits[i].name);
		if (len == 0 || len >= NL_ETHTOOL_NAME_LEN)
			return -EINVAL;
	}
	nest = mnl_attr_nest_start_check(nlh, buf_len, type);
	if (!nest)
		return -EMSGSIZE;
	list = mnl_attr_nest_start_check(nlh, buf_len, ETHTOOL_A_BITSET_BITS);
	if (!list)
		goto full;
	for (i = 0; i < n; i++) {
		if (!named_bit_put(nlh, buf_len, &bits[i]))
			goto full;
	}
	mnl_attr_nest_end(nlh, list);
	mnl_attr_nest_end(nlh, nest);
	return 0;
full:
	mnl_attr_nest_cancel(nlh, nest);
	return -EMSGSIZE;
}

/* ---- bitsets ----------------------------------------------------------- */

bool nl_ethtool_bitset_test(const struct nl_ethtool_bitset *bs, uint32_t bit)
{
	if (bit >= bs->n_bits || bit >= NL_ETHTOOL_MAX_BITS)
		return false;
	return bs->value[bit / 32] & (1u << (bit % 32));
}

bool nl_ethtool_bitset_in_mask(const struct nl_ethtool_bitset *bs, uint32_t bit)
{
	if (bit >= bs->n_bits || bit >= NL_ETHTOOL_MAX_BITS)
		return false;
	return bs->nomask || (bs->mask[bit / 32] & (1u << (bit % 32)));
}

int nl_ethtool_bitset_set(struct nl_ethtool_bitset *bs, uint32_t bit, bool on)
{
	uint32_t m = 1u << (bit % 32);

	if (bit >= bs->n_bits || bit >= NL_ETHTOOL_MAX_BITS)
		return -EINVAL;
	bs->mask[bit / 32] |= m;
	bs->value[bit / 32] =
		on ? bs->value[bit / 32] | m : bs->value[bit / 32] & ~m;
	return 0;
}

/* Copies a compact VALUE or MASK: u32 words in host order, LSW first. */
static int bitset_words(const struct nlattr *a, uint32_t *words,
			uint32_t n_bits)
{
	size_t len = BIT_WORDS(n_bits) * sizeof(uint32_t);

	if (mnl_attr_get_payload_len(a) != len)
		return -EBADMSG;
	memcpy(words, mnl_attr_get_payload(a), len);
	if (n_bits % 32) /* keep "bits past n_bits are zero" */
		words[n_bits / 32] &= (1u << (n_bits % 32)) - 1;
	return 0;
}

static int bitset_compact(const struct nlattr **tb,
			  struct nl_ethtool_bitset *out)
{
	const struct nlattr *value = tb[ETHTOOL_A_BITSET_VALUE];
	const struct nlattr *mask = tb[ETHTOOL_A_BITSET_MASK];

	/* The kernel sends MASK exactly when it does not send NOMASK. */
	if (!value || !mask != out->nomask ||
	    bitset_words(value, out->value, out->n_bits) < 0)
		return -EBADMSG;
	return mask ? bitset_words(mask, out->mask, out->n_bits) : 0;
}

struct verbose_ctx {
	const struct nl_ethtool_strset *names;
	struct nl_ethtool_bitset *out;
};

static int bit_index(const struct nlattr **tb,
		     const struct nl_ethtool_strset *names, uint32_t *idx)
{
	int found;

	if (tb[ETHTOOL_A_BITSET_BIT_INDEX]) {
		*idx = mnl_attr_get_u32(tb[ETHTOOL_A_BITSET_BIT_INDEX]);
		return 0;
	}
	if (!tb[ETHTOOL_A_BITSET_BIT_NAME] || !names)
		return -EBADMSG;
	found = nl_ethtool_strset_find(
		names, mnl_attr_get_str(tb[ETHTOOL_A_BITSET_BIT_NAME]));
	if (found < 0)
		return -EBADMSG;
	*idx = (uint32_t)found;
	return 0;
}

static int bit_cb(const struct nlattr *a, void *data)
{
	const struct nlattr *tb[ETHTOOL_A_BITSET_BIT_MAX + 1];
	struct verbose_ctx *ctx = data;
	struct nl_ethtool_bitset *out = ctx->out;
	uint32_t idx, m;

	if (mnl_attr_get_type(a) != ETHTOOL_A_BITSET_BITS_BIT)
		return 0; /* newer kernel */
	if (nl_parse_nested(a, tb, ETHTOOL_A_BITSET_BIT_MAX,
			    nl_ethtool_bit_pol) < 0 ||
	    bit_index(tb, ctx->names, &idx) < 0 || idx >= out->n_bits)
		return -EBADMSG;
	m = 1u << (idx % 32);
	if (!out->nomask)
		out->mask[idx / 32] |= m;
	/* With NOMASK, a listed bit is a set bit. */
	if (out->nomask || tb[ETHTOOL_A_BITSET_BIT_VALUE])
		out->value[idx / 32] |= m;
	return 0;
}

int nl_ethtool_bitset_parse(const struct nlattr *a,
			    const struct nl_ethtool_strset *names,
			    struct nl_ethtool_bitset *out)
{
	const struct nlattr *tb[ETHTOOL_A_BITSET_MAX + 1];
	struct verbose_ctx ctx = { .names = names, .out = out };

	memset(out, 0, sizeof(*out));
	if (nl_parse_nested(a, tb, ETHTOOL_A_BITSET_MAX,
			    nl_ethtool_bitset_pol) < 0 ||
	    !tb[ETHTOOL_A_BITSET_SIZE])
		return -EBADMSG;
	out->n_bits = mnl_attr_get_u32(tb[ETHTOOL_A_BITSET_SIZE]);
	if (out->n_bits > NL_ETHTOOL_MAX_BITS)
		return -E2BIG;
	out->nomask = tb[ETHTOOL_A_BITSET_NOMASK] != NULL;
	if (tb[ETHTOOL_A_BITSET_BITS])
		return nl_nest_walk(tb[ETHTOOL_A_BITSET_BITS], bit_cb, &ctx);
	return bitset_compact(tb, out);
}

/* ---- reply header and string sets -------------------------------------- */

int nl_ethtool_header_parse(const struct nlattr *nest,
			    struct nl_ethtool_dev *dev)
{
	const struct nlattr *tb[ETHTOOL_A_HEADER_MAX + 1];
	const struct nlattr *name;

	memset(dev, 0, sizeof(*dev));
	if (nl_parse_nested(nest, tb, ETHTOOL_A_HEADER_MAX, header_pol) < 0)
		return -EBADMSG;
	if (tb[ETHTOOL_A_HEADER_DEV_INDEX])
		dev->ifindex = mnl_attr_get_u32(tb[ETHTOOL_A_HEADER_DEV_INDEX]);
	name = tb[ETHTOOL_A_HEADER_DEV_NAME];
	if (name && nl_attr_strcpy(name, dev->ifname, sizeof(dev->ifname)) < 0)
		return -EBADMSG;
	return 0;
}

static int string_cb(const struct nlattr *a, void *data)
{
	const struct nlattr *tb[ETHTOOL_A_STRING_MAX + 1];
	struct nl_ethtool_strset *set = data;
	uint32_t idx;

	if (mnl_attr_get_type(a) != ETHTOOL_A_STRINGS_STRING)
		return 0;
	if (nl_parse_nested(a, tb, ETHTOOL_A_STRING_MAX, string_pol) < 0 ||
	    !tb[ETHTOOL_A_STRING_INDEX] || !tb[ETHTOOL_A_STRING_VALUE])
		return -EBADMSG;
	idx = mnl_attr_get_u32(tb[ETHTOOL_A_STRING_INDEX]);
	if (idx >= set->count)
		return -EBADMSG;
	return nl_attr_strcpy(tb[ETHTOOL_A_STRING_VALUE], set->names[idx],
			      sizeof(set->names[idx]));
}

struct strset_ctx {
	uint32_t id;
	struct nl_ethtool_strset *set;
};

static int stringset_cb(const struct nlattr *a, void *data)
{
	const struct nlattr *tb[ETHTOOL_A_STRINGSET_MAX + 1];
	struct strset_ctx *ctx = data;
	struct nl_ethtool_strset *set;
	uint32_t count;

	if (mnl_attr_get_type(a) != ETHTOOL_A_STRINGSETS_STRINGSET)
		return 0;
	if (nl_parse_nested(a, tb, ETHTOOL_A_STRINGSET_MAX, stringset_pol) ||
	    !tb[ETHTOOL_A_STRINGSET_ID] || !tb[ETHTOOL_A_STRINGSET_COUNT])
		return -EBADMSG;
	if (mnl_attr_get_u32(tb[ETHTOOL_A_STRINGSET_ID]) != ctx->id)
		return 0;
	if (ctx->set)
		return -EBADMSG; /* the same set twice */
	count = mnl_attr_get_u32(tb[ETHTOOL_A_STRINGSET_COUNT]);
	if (count > NL_ETHTOOL_MAX_STRINGS)
		return -E2BIG;
	set = calloc(1, sizeof(*set) + (size_t)count * sizeof(set->names[0]));
	if (!set)
		return -ENOMEM;
	set->id = ctx->id;
	set->count = count;
	ctx->set = set;
	if (!tb[ETHTOOL_A_STRINGSET_STRINGS])
		return 0; /* COUNTS_ONLY */
	return nl_nest_walk(tb[ETHTOOL_A_STRINGSET_STRINGS], string_cb, set);
}

int nl_ethtool_strset_parse(const struct nlmsghdr *nlh, uint32_t set_id,
			    struct nl_ethtool_strset **out)
{
	const struct nlattr *tb[ETHTOOL_A_STRSET_MAX + 1];
	struct strset_ctx ctx = { .id = set_id };
	struct nl_ethtool_dev dev;
	int err;

	*out = NULL;
	err = nl_parse_attrs(nlh, GENL_HDRLEN, tb, ETHTOOL_A_STRSET_MAX,
			     strset_pol);
	if (err < 0)
		return err;
	if (tb[ETHTOOL_A_STRSET_HEADER] &&
	    nl_ethtool_header_parse(tb[ETHTOOL_A_STRSET_HEADER], &dev) < 0)
		return -EBADMSG;
	if (!tb[ETHTOOL_A_STRSET_STRINGSETS])
		return -ENOENT;
	err = nl_nest_walk(tb[ETHTOOL_A_STRSET_STRINGSETS], stringset_cb, &ctx);
	if (err < 0) {
		free(ctx.set);
		return err;
	}
	if (!ctx.set)
		return -ENOENT;
	*out = ctx.set;
	return 0;
}

void nl_ethtool_strset_free(struct nl_ethtool_strset *set)
{
	free(set);
}

const char *nl_ethtool_strset_name(const struct nl_ethtool_strset *set,
				   uint32_t index)
{
	return index < set->count ? set->names[index] : NULL;
}

int nl_ethtool_strset_find(const struct nl_ethtool_strset *set,
			   const char *name)
{
	uint32_t i;

	for (i = 0; i < set->count; i++) {
		if (strcmp(set->names[i], name) == 0)
			return (int)i;
	}
	return -ENOENT;
}

/* ---- GET replies ------------------------------------------------------- */

/* The header is optional in replies; @dev stays zeroed without it. */
static int reply_header(const struct nlattr *a, struct nl_ethtool_dev *dev)
{
	return a ? nl_ethtool_header_parse(a, dev) : 0;
}

int nl_ethtool_features_parse(const struct nlmsghdr *nlh,
			      const struct nl_ethtool_strset *names,
			      struct nl_ethtool_features *out)
{
	const struct nlattr *tb[ETHTOOL_A_FEATURES_MAX + 1];
	struct nl_ethtool_bitset *sets[] = { &out->hw, &out->wanted,
					     &out->active, &out->nochange };
	int i, err;

	memset(out, 0, sizeof(*out));
	err = nl_parse_attrs(nlh, GENL_HDRLEN, tb, ETHTOOL_A_FEATURES_MAX,
			     features_pol);
	if (err < 0)
		return err;
	if (reply_header(tb[ETHTOOL_A_FEATURES_HEADER], &out->dev) < 0)
		return -EBADMSG;
	/* HW, WANTED, ACTIVE and NOCHANGE are consecutive attributes. */
	for (i = 0; i < 4; i++) {
		if (!tb[ETHTOOL_A_FEATURES_HW + i])
			return -EBADMSG;
		err = nl_ethtool_bitset_parse(tb[ETHTOOL_A_FEATURES_HW + i],
					      names, sets[i]);
		if (err < 0)
			return err;
	}
	return 0;
}

/* A u8 or u32 attribute copied to @off in the reply struct. */
struct field {
	uint16_t type;
	uint8_t size;
	size_t off;
};

/*
 * Parses a reply of u8/u32 attributes after its header (into @dev), with
 * the policy the field table @f implies.
 */
static int fields_parse(const struct nlmsghdr *nlh, uint16_t max,
			const struct field *f, size_t n, void *out,
			struct nl_ethtool_dev *dev, uint32_t *present)
{
	struct nl_policy pol[ETH_FIELDS_MAX + 1] = {
		[ETH_HDR_ATTR] = { .kind = NL_A_NESTED },
	};
	const struct nlattr *tb[ETH_FIELDS_MAX + 1];
	const struct nlattr *a;
	size_t i;
	int err;

	for (i = 0; i < n; i++)
		pol[f[i].type].kind = f[i].size == 1 ? NL_A_U8 : NL_A_U32;
	err = nl_parse_attrs(nlh, GENL_HDRLEN, tb, max, pol);
	if (err < 0)
		return err;
	if (reply_header(tb[ETH_HDR_ATTR], dev) < 0)
		return -EBADMSG;
	for (i = 0; i < n; i++) {
		a = tb[f[i].type];
		if (!a)
			continue;
		memcpy((char *)out + f[i].off, mnl_attr_get_payload(a),
		       f[i].size);
		*present |= 1u << f[i].type;
	}
	return 0;
}

#define FIELD(s, t, m)                                                         \
	{                                                                      \
		t, sizeof(((struct s *)0)->m), offsetof(struct s, m)           \
	}

static const struct field linkstate_fields[] = {
	FIELD(nl_ethtool_linkstate, ETHTOOL_A_LINKSTATE_LINK, link),
	FIELD(nl_ethtool_linkstate, ETHTOOL_A_LINKSTATE_SQI, sqi),
	FIELD(nl_ethtool_linkstate, ETHTOOL_A_LINKSTATE_SQI_MAX, sqi_max),
	FIELD(nl_ethtool_linkstate, ETHTOOL_A_LINKSTATE_EXT_STATE, ext_state),
	FIELD(nl_ethtool_linkstate, ETHTOOL_A_LINKSTATE_EXT_SUBSTATE,
	      ext_substate),
};

static const struct field linkinfo_fields[] = {
	FIELD(nl_ethtool_linkinfo, ETHTOOL_A_LINKINFO_PORT, port),
	FIELD(nl_ethtool_linkinfo, ETHTOOL_A_LINKINFO_PHYADDR, phyaddr),
	FIELD(nl_ethtool_linkinfo, ETHTOOL_A_LINKINFO_TP_MDIX, tp_mdix),
	FIELD(nl_ethtool_linkinfo, ETHTOOL_A_LINKINFO_TP_MDIX_CTRL,
	      tp_mdix_ctrl),
	FIELD(nl_ethtool_linkinfo, ETHTOOL_A_LINKINFO_TRANSCEIVER, transceiver),
};

#define N_FIELDS(a) (sizeof(a) / sizeof((a)[0]))

_Static_assert(ETHTOOL_A_LINKSTATE_MAX <= ETH_FIELDS_MAX, "fields_parse tb");
_Static_assert(ETHTOOL_A_LINKINFO_MAX <= ETH_FIELDS_MAX, "fields_parse tb");

int nl_ethtool_linkstate_parse(const struct nlmsghdr *nlh,
			       struct nl_ethtool_linkstate *out)
{
	memset(out, 0, sizeof(*out));
	return fields_parse(nlh, ETHTOOL_A_LINKSTATE_MAX, linkstate_fields,
			    N_FIELDS(linkstate_fields), out, &out->dev,
			    &out->present);
}

int nl_ethtool_linkinfo_parse(const struct nlmsghdr *nlh,
			      struct nl_ethtool_linkinfo *out)
{
	memset(out, 0, sizeof(*out));
	return fields_parse(nlh, ETHTOOL_A_LINKINFO_MAX, linkinfo_fields,
			    N_FIELDS(linkinfo_fields), out, &out->dev,
			    &out->present);
}

/* ---- operations ------------------------------------------------------- */

struct get_ctx {
	uint8_t cmd;
	void *out;	      /* the reply struct of @cmd */
	struct strset_ctx ss; /* or, for STRSET_GET, the set asked for */
};

static int get_parse(const struct nlmsghdr *nlh, void *data)
{
	struct get_ctx *ctx = data;

	switch (ctx->cmd) {
	case ETHTOOL_MSG_STRSET_GET:
		return nl_ethtool_strset_parse(nlh, ctx->ss.id, &ctx->ss.set);
	case ETHTOOL_MSG_FEATURES_GET:
		return nl_ethtool_features_parse(nlh, NULL, ctx->out);
	case ETHTOOL_MSG_LINKSTATE_GET:
		return nl_ethtool_linkstate_parse(nlh, ctx->out);
	default:
		return nl_ethtool_linkinfo_parse(nlh, ctx->out);
	}
}

static int ethtool_get(struct nl_sock *ns, const struct nl_genl_family *fam,
		       const struct nl_ethtool_dev *dev, uint32_t flags,
		       struct get_ctx *ctx)
{
	char buf[MNL_SOCKET_BUFFER_SIZE] NL_ALIGNED;
	struct nlmsghdr *nlh;
	int err;

	err = nl_ethtool_msg(buf, sizeof(buf), fam, ctx->cmd, dev, flags, &nlh);
	if (err == 0 && ctx->cmd == ETHTOOL_MSG_STRSET_GET)
		err = nl_ethtool_strset_put(nlh, sizeof(buf), &ctx->ss.id, 1,
					    false);
	if (err < 0)
		return err;
	return nl_ethtool_talk_one(ns, fam, nlh, get_parse, ctx);
}

int nl_ethtool_strset_get(struct nl_sock *ns, const struct nl_genl_family *fam,
			  const struct nl_ethtool_dev *dev, uint32_t set_id,
			  struct nl_ethtool_strset **out)
{
	struct get_ctx ctx = { .cmd = ETHTOOL_MSG_STRSET_GET,
			       .ss = { .id = set_id } };
	int err;

	err = ethtool_get(ns, fam, dev, 0, &ctx);
	if (err < 0) {
		nl_ethtool_strset_free(ctx.ss.set);
		ctx.ss.set = NULL;
	}
	*out = ctx.ss.set;
	return err;
}

int nl_ethtool_features_get(struct nl_sock *ns,
			    const struct nl_genl_family *fam,
			    const struct nl_ethtool_dev *dev,
			    struct nl_ethtool_features *out)
{
	struct get_ctx ctx = { .cmd = ETHTOOL_MSG_FEATURES_GET, .out = out };

	return ethtool_get(ns, fam, dev, ETHTOOL_FLAG_COMPACT_BITSETS, &ctx);
}

int nl_ethtool_linkstate_get(struct nl_sock *ns,
			     const struct nl_genl_family *fam,
			     const struct nl_ethtool_dev *dev,
			     struct nl_ethtool_linkstate *out)
{
	struct get_ctx ctx = { .cmd = ETHTOOL_MSG_LINKSTATE_GET, .out = out };

	return ethtool_get(ns, fam, dev, 0, &ctx);
}

int nl_ethtool_linkinfo_get(struct nl_sock *ns,
			    const struct nl_genl_family *fam,
			    const struct nl_ethtool_dev *dev,
			    struct nl_ethtool_linkinfo *out)
{
	struct get_ctx ctx = { .cmd = ETHTOOL_MSG_LINKINFO_GET, .out = out };

	return ethtool_get(ns, fam, dev, 0, &ctx);
}

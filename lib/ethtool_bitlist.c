// SPDX-License-Identifier: MIT
/*
 * Ethtool bitsets as lists of named bits (nl_ethtool_bitlist_parse), the
 * form in which ethtool 6.1 walks a bitset to print it; a NOMASK list of
 * names to send (nl_ethtool_bitlist_put).  The GET of such a message is
 * nl_ethtool_get_one() (ethtool_msg.c).
 */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include <linux/ethtool_netlink.h>
#include <linux/genetlink.h>
#include <libmnl/libmnl.h>

#include "embnet/ethtool.h"
#include "embnet/ethtool_bitlist.h"
#include "embnet/genl.h"
#include "embnet/nl.h"

struct walk_ctx {
	bool nomask;
	struct nl_ethtool_bitlist *out;
};

static int lbit_cb(const struct nlattr *a, void *data)
{
	const struct nlattr *tb[ETHTOOL_A_BITSET_BIT_MAX + 1];
	struct walk_ctx *ctx = data;
	struct nl_ethtool_bitlist *l = ctx->out;
	struct nl_ethtool_bit *b;

	if (mnl_attr_get_type(a) != ETHTOOL_A_BITSET_BITS_BIT)
		return 0; /* newer kernel */
	if (nl_parse_nested(a, tb, ETHTOOL_A_BITSET_BIT_MAX,
			    nl_ethtool_bit_pol) < 0 ||
	    !tb[ETHTOOL_A_BITSET_BIT_INDEX] || !tb[ETHTOOL_A_BITSET_BIT_NAME])
		return -EBADMSG;
	if (l->n >= NL_ETHTOOL_BITLIST_MAX)
		return -E2BIG;
	b = &l->bits[l->n];
	b->index = mnl_attr_get_u32(tb[ETHTOOL_A_BITSET_BIT_INDEX]);
	if (b->index >= l->n_bits ||
	    nl_attr_strcpy(tb[ETHTOOL_A_BITSET_BIT_NAME], b->name,
			   sizeof(b->name)) < 0)
		return -EBADMSG;
	/* With NOMASK, a listed bit is a set bit. */
	b->on = ctx->nomask || tb[ETHTOOL_A_BITSET_BIT_VALUE];
	l->n++;
	return 0;
}

/* Compact: VALUE holds SIZE bits in u32 words of host order, LSW first. */
static int list_compact(const struct nlattr *value,
			struct nl_ethtool_bitlist *l)
{
	size_t words = ((size_t)l->n_bits + 31) / 32;
	uint32_t w[(NL_ETHTOOL_BITLIST_MAX + 31) / 32];
	uint32_t i;

	if (l->n_bits > NL_ETHTOOL_BITLIST_MAX)
		return -E2BIG;
	if (!value || mnl_attr_get_payload_len(value) != words * 4)
		return -EBADMSG;
	memcpy(w, mnl_attr_get_payload(value), words * 4);
	l->compact = true;
	for (i = 0; i < l->n_bits; i++) {
		l->bits[i].index = i;
		l->bits[i].on = w[i / 32] & (1u << (i % 32));
	}
	l->n = l->n_bits;
	return 0;
}

int nl_ethtool_bitlist_parse(const struct nlattr *a,
			     struct nl_ethtool_bitlist *out)
{
	const struct nlattr *tb[ETHTOOL_A_BITSET_MAX + 1];
	struct walk_ctx ctx = { .out = out };

	memset(out, 0, sizeof(*out));
	if (nl_parse_nested(a, tb, ETHTOOL_A_BITSET_MAX,
			    nl_ethtool_bitset_pol) < 0 ||
	    !tb[ETHTOOL_A_BITSET_SIZE])
		return -EBADMSG;
	out->n_bits = mnl_attr_get_u32(tb[ETHTOOL_A_BITSET_SIZE]);
	ctx.nomask = tb[ETHTOOL_A_BITSET_NOMASK] != NULL;
	if (tb[ETHTOOL_A_BITSET_BITS])
		return nl_nest_walk(tb[ETHTOOL_A_BITSET_BITS], lbit_cb, &ctx);
	return list_compact(tb[ETHTOOL_A_BITSET_VALUE], out);
}

bool nl_ethtool_bitlist_empty(const struct nl_ethtool_bitlist *l)
{
	uint32_t i;

	for (i = 0; i < l->n; i++) {
		if (l->bits[i].on)
			return false;
	}
	return true;
}

/* ---- a list to send ---------------------------------------------------- */

static bool name_put(struct nlmsghdr *nlh, size_t buf_len, const char *name)
{
	struct nlattr *bit;

	bit = mnl_attr_nest_start_check(nlh, buf_len,
					ETHTOOL_A_BITSET_BITS_BIT);
	if (!bit || !mnl_attr_put_strz_check(nlh, buf_len,
					     ETHTOOL_A_BITSET_BIT_NAME, name))
		return false;
	mnl_attr_nest_end(nlh, bit);
	return true;
}

int nl_ethtool_bitlist_put(struct nlmsghdr *nlh, size_t buf_len, uint16_t type,
			   const char *const *names, size_t n)
{
	struct nlattr *nest, *bits;
	size_t i, len;

	for (i = 0; i < n; i++) {
		len = strlen(names[i]);
		if (len == 0 || len >= NL_ETHTOOL_NAME_LEN)
			return -EINVAL;
	}
	nest = mnl_attr_nest_start_check(nlh, buf_len, type);
	if (!nest)
		return -EMSGSIZE;
	if (!mnl_attr_put_check(nlh, buf_len, ETHTOOL_A_BITSET_NOMASK, 0, NULL))
		goto full;
	bits = mnl_attr_nest_start_check(nlh, buf_len, ETHTOOL_A_BITSET_BITS);
	if (!bits)
		goto full;
	for (i = 0; i < n; i++) {
		if (!name_put(nlh, buf_len, names[i]))
			goto full;
	}
	mnl_attr_nest_end(nlh, bits);
	mnl_attr_nest_end(nlh, nest);
	return 0;
full:
	mnl_attr_nest_cancel(nlh, nest);
	return -EMSGSIZE;
}

// SPDX-License-Identifier: MIT
/*
 * nltool util fake-exec, bitset messages: TSINFO_GET (timestamping
 * capabilities, tx types, rx filters, PHC index) for ethtool -T,
 * PRIVFLAGS_GET/SET, EEE_GET/SET (link modes of bits 0-31) and
 * FEC_GET/SET (state bits 0-3 stand for the link modes FEC None, RS,
 * BASER and LLRS, bits 49, 50, 51 and 74).  Bits are sent
 * verbose, named from the running kernel's global string sets (fetched once at
 * start) or, for private flags, from a driver's list below, so the reply is the
 * one a driver with these capabilities would get from this kernel.  A SET
 * updates a bitset as the kernel's ethnl_update_bitset32() does: compact
 * (VALUE, MASK or NOMASK) or verbose (bits by index or name, NOMASK lists).
 */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linux/ethtool.h>
#include <linux/ethtool_netlink.h>
#include <libmnl/libmnl.h>

#include "embnet/ethtool.h"
#include "embnet/genl.h"
#include "embnet/nl.h"
#include "nltool_fake.h"

/* Which string set names the bits of bitset @type of GET @get. */
static const struct {
	unsigned int get, type;
	uint32_t set;
} names_of[] = {
	{ ETHTOOL_MSG_TSINFO_GET, ETHTOOL_A_TSINFO_TIMESTAMPING,
	  ETH_SS_SOF_TIMESTAMPING },
	{ ETHTOOL_MSG_TSINFO_GET, ETHTOOL_A_TSINFO_TX_TYPES,
	  ETH_SS_TS_TX_TYPES },
	{ ETHTOOL_MSG_TSINFO_GET, ETHTOOL_A_TSINFO_RX_FILTERS,
	  ETH_SS_TS_RX_FILTERS },
	{ ETHTOOL_MSG_EEE_GET, ETHTOOL_A_EEE_MODES_OURS, ETH_SS_LINK_MODES },
	{ ETHTOOL_MSG_EEE_GET, ETHTOOL_A_EEE_MODES_PEER, ETH_SS_LINK_MODES },
	{ ETHTOOL_MSG_FEC_GET, ETHTOOL_A_FEC_MODES, ETH_SS_LINK_MODES },
};
#define N_NAMES (sizeof(names_of) / sizeof(names_of[0]))

static struct nl_ethtool_strset *sets[N_NAMES];

/* An i40e's private flags, as its driver names them. */
static const char *const priv_names[] = {
	"MFP",
	"total-port-shutdown",
	"LinkPolling",
	"flow-director-atr",
	"veb-stats",
	"hw-atr-eviction",
	"link-down-on-close",
	"legacy-rx",
	"disable-source-pruning",
	"disable-fw-lldp",
	"rs-fec",
	"base-r-fec",
	"vf-vlan-pruning",
};
#define N_PRIV (sizeof(priv_names) / sizeof(priv_names[0]))

int fake_bits_init(struct nl_sock *ns, const struct nl_genl_family *fam)
{
	size_t i;
	int err;

	for (i = 0; i < N_NAMES; i++) {
		err = nl_ethtool_strset_get(ns, fam, NULL, names_of[i].set,
					    &sets[i]);
		if (err < 0)
			return err;
	}
	return 0;
}

bool fake_bits_cmd(uint8_t cmd, unsigned int *get)
{
	switch (cmd) {
	case ETHTOOL_MSG_TSINFO_GET:
	case ETHTOOL_MSG_PRIVFLAGS_GET:
		*get = cmd;
		return true;
	case ETHTOOL_MSG_PRIVFLAGS_SET:
	case ETHTOOL_MSG_EEE_SET:
	case ETHTOOL_MSG_FEC_SET:
		*get = cmd - 1u; /* each SET follows its GET */
		return true;
	case ETHTOOL_MSG_EEE_GET:
	case ETHTOOL_MSG_FEC_GET:
		*get = cmd;
		return true;
	default:
		return false;
	}
}

uint8_t fake_reply_cmd(unsigned int get)
{
	switch (get) {
	case ETHTOOL_MSG_PAUSE_GET:
		return ETHTOOL_MSG_PAUSE_GET_REPLY;
	case ETHTOOL_MSG_RINGS_GET:
		return ETHTOOL_MSG_RINGS_GET_REPLY;
	case ETHTOOL_MSG_PRIVFLAGS_GET:
		return ETHTOOL_MSG_PRIVFLAGS_GET_REPLY;
	case ETHTOOL_MSG_EEE_GET:
		return ETHTOOL_MSG_EEE_GET_REPLY;
	case ETHTOOL_MSG_FEC_GET:
		return ETHTOOL_MSG_FEC_GET_REPLY;
	default:
		return ETHTOOL_MSG_TSINFO_GET_REPLY;
	}
}

static const struct nl_ethtool_strset *names_for(unsigned int get,
						 unsigned int type)
{
	size_t i;

	for (i = 0; i < N_NAMES; i++) {
		if (names_of[i].get == get && names_of[i].type == type)
			return sets[i];
	}
	return NULL;
}

/* One BIT nest: index, name and, where the set has a mask, VALUE. */
static bool bit_put(struct nlmsghdr *h, size_t buf_len, uint32_t i,
		    const char *name, bool flag)
{
	struct nlattr *b;

	b = mnl_attr_nest_start_check(h, buf_len, ETHTOOL_A_BITSET_BITS_BIT);
	if (!b ||
	    !mnl_attr_put_u32_check(h, buf_len, ETHTOOL_A_BITSET_BIT_INDEX,
				    i) ||
	    !mnl_attr_put_strz_check(h, buf_len, ETHTOOL_A_BITSET_BIT_NAME,
				     name) ||
	    (flag && !mnl_attr_put_check(h, buf_len, ETHTOOL_A_BITSET_BIT_VALUE,
					 0, NULL)))
		return false;
	mnl_attr_nest_end(h, b);
	return true;
}

/* The link-mode bit state bit @i of FEC_MODES stands for. */
static const uint32_t fec_bits[] = {
	ETHTOOL_LINK_MODE_FEC_NONE_BIT,
	ETHTOOL_LINK_MODE_FEC_RS_BIT,
	ETHTOOL_LINK_MODE_FEC_BASER_BIT,
	ETHTOOL_LINK_MODE_FEC_LLRS_BIT,
};
#define N_FEC (sizeof(fec_bits) / sizeof(fec_bits[0]))

/* The bit the kernel sends for state bit @i: itself, but for FEC. */
static uint32_t real_bit(unsigned int get, uint32_t i)
{
	if (get != ETHTOOL_MSG_FEC_GET)
		return i;
	return i < N_FEC ? fec_bits[i] : UINT32_MAX;
}

/* Bits in the device's set: a string set's count, or up to the highest
 * bit of the mask (private flags: the kernel's mask is every flag). */
static uint32_t set_size(const struct nl_ethtool_strset *ss, bool has_mask,
			 uint32_t mask)
{
	uint32_t n = 0;

	if (ss)
		return ss->count;
	for (; has_mask && mask; mask >>= 1)
		n++;
	return n;
}

const char *fake_priv_name(uint32_t i)
{
	static char name[16];

	if (i < N_PRIV)
		return priv_names[i];
	if (i == 31)
		return "flag-31-named-to-32-characters--"; /* ETH_GSTRING_LEN */
	snprintf(name, sizeof(name), "flag%u", (unsigned int)i);
	return name;
}

static const char *bit_name(const struct nl_ethtool_strset *ss, uint32_t i)
{
	return ss ? ss->names[i] : fake_priv_name(i);
}

int fake_bits_put(struct nlmsghdr *h, size_t buf_len, unsigned int get,
		  unsigned int type, uint32_t value, bool has_mask,
		  uint32_t mask)
{
	const struct nl_ethtool_strset *ss = names_for(get, type);
	uint32_t n = set_size(ss, has_mask, mask), i;
	uint32_t listed = has_mask ? mask : value, r;
	struct nlattr *nest, *bits;

	nest = mnl_attr_nest_start_check(h, buf_len, type);
	if (!nest ||
	    (!has_mask &&
	     !mnl_attr_put_check(h, buf_len, ETHTOOL_A_BITSET_NOMASK, 0,
				 NULL)) ||
	    !mnl_attr_put_u32_check(h, buf_len, ETHTOOL_A_BITSET_SIZE, n))
		return -EMSGSIZE;
	bits = mnl_attr_nest_start_check(h, buf_len, ETHTOOL_A_BITSET_BITS);
	if (!bits)
		return -EMSGSIZE;
	for (i = 0; i < 32; i++) {
		r = real_bit(get, i);
		if (!(listed & (1u << i)) || r >= n)
			continue;
		if (!bit_put(h, buf_len, r, bit_name(ss, r),
			     has_mask && (value & (1u << i))))
			return -EMSGSIZE;
	}
	mnl_attr_nest_end(h, bits);
	mnl_attr_nest_end(h, nest);
	return 0;
}

/* ---- SET ------------------------------------------------------------- */

/* State bit of the kernel's bit @r, or -EINVAL (for FEC: a link mode
 * that is no FEC mode, as the kernel refuses it). */
static int state_bit(unsigned int get, uint32_t r, uint32_t *idx)
{
	uint32_t i;

	if (get != ETHTOOL_MSG_FEC_GET) {
		*idx = r;
		return r < 32 ? 0 : -EINVAL;
	}
	for (i = 0; i < N_FEC && fec_bits[i] != r; i++)
		;
	*idx = i;
	return i < N_FEC ? 0 : -EINVAL;
}

static int bit_index(const struct nlattr *bit, unsigned int get,
		     const struct nl_ethtool_strset *ss, uint32_t n,
		     uint32_t *idx, bool *value)
{
	const struct nlattr *a;
	bool named = false;

	*value = false;
	mnl_attr_for_each_nested(a, bit) {
		switch (mnl_attr_get_type(a)) {
		case ETHTOOL_A_BITSET_BIT_INDEX:
			*idx = mnl_attr_get_u32(a);
			named = true;
			break;
		case ETHTOOL_A_BITSET_BIT_NAME:
			for (*idx = 0; *idx < n; (*idx)++)
				if (!strcmp(bit_name(ss, *idx),
					    mnl_attr_get_str(a)))
					break;
			named = true;
			break;
		case ETHTOOL_A_BITSET_BIT_VALUE:
			*value = true;
			break;
		}
	}
	if (!named || *idx >= n)
		return -EINVAL;
	return state_bit(get, *idx, idx);
}

static int update_verbose(const struct nlattr *bits, unsigned int get,
			  bool nomask, const struct nl_ethtool_strset *ss,
			  uint32_t n, uint32_t *val)
{
	const struct nlattr *bit;
	uint32_t idx = 0, v = nomask ? 0 : *val;
	bool on;

	mnl_attr_for_each_nested(bit, bits) {
		if (bit_index(bit, get, ss, n, &idx, &on) < 0)
			return -EINVAL;
		on = nomask || on;
		v = on ? v | (1u << idx) : v & ~(1u << idx);
	}
	*val = v;
	return 0;
}

/* One u32 word of a compact VALUE/MASK of @size bits, or -EINVAL. */
static int word_of(const struct nlattr *a, uint32_t size, uint32_t *w)
{
	uint32_t words = (size + 31) / 32;
	const uint32_t *p;
	uint32_t i;

	if (!a || mnl_attr_get_payload_len(a) != words * 4)
		return -EINVAL;
	p = mnl_attr_get_payload(a);
	*w = words ? p[0] : 0;
	for (i = 1; i < words; i++)
		if (p[i])
			return -EINVAL; /* past the device's bits */
	return 0;
}

static int update_compact(const struct nlattr *value, const struct nlattr *mask,
			  bool nomask, uint32_t size, uint32_t n, uint32_t *val)
{
	uint32_t v, m = 0, all = n >= 32 ? UINT32_MAX : (1u << n) - 1;

	if (nomask == (mask != NULL) || word_of(value, size, &v) < 0 ||
	    (mask && word_of(mask, size, &m) < 0))
		return -EINVAL;
	if (nomask)
		m = all;
	if ((v | m) & ~all)
		return -EINVAL; /* past the device's bits */
	*val = (*val & ~m) | (v & m);
	return 0;
}

int fake_bits_update(const struct nlattr *bitset, unsigned int get,
		     unsigned int type, uint32_t *val, bool has_mask,
		     uint32_t mask)
{
	const struct nl_ethtool_strset *ss = names_for(get, type);
	const struct nlattr *a, *tb[ETHTOOL_A_BITSET_MAX + 1] = { NULL };
	uint32_t n = set_size(ss, has_mask, mask), size = 0;

	mnl_attr_for_each_nested(a, bitset) {
		if (mnl_attr_get_type(a) <= ETHTOOL_A_BITSET_MAX)
			tb[mnl_attr_get_type(a)] = a;
	}
	if (tb[ETHTOOL_A_BITSET_BITS])
		return update_verbose(tb[ETHTOOL_A_BITSET_BITS], get,
				      tb[ETHTOOL_A_BITSET_NOMASK] != NULL, ss,
				      n, val);
	if (!tb[ETHTOOL_A_BITSET_SIZE] || get == ETHTOOL_MSG_FEC_GET)
		return -EINVAL; /* FEC: compact not emulated */
	size = mnl_attr_get_u32(tb[ETHTOOL_A_BITSET_SIZE]);
	return update_compact(
		tb[ETHTOOL_A_BITSET_VALUE], tb[ETHTOOL_A_BITSET_MASK],
		tb[ETHTOOL_A_BITSET_NOMASK] != NULL, size, n, val);
}

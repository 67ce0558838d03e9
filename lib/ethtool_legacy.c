// SPDX-License-Identifier: MIT
/*
 * Link settings and features over SIOCETHTOOL, for kernels without the
 * ethtool netlink family.  The decoders are pure and check every length
 * the kernel (or a hostile buffer) claims before reading.
 */
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <linux/ethtool.h>

#include "embnet/ethtool.h"

#define HDR_LEN sizeof(struct ethtool_link_settings)
#define WORDS_TO_BLOCKS(n) (((n) + 31) / 32)

/* struct ethtool_link_settings, then its three masks of nwords each. */
union lset_buf {
	struct ethtool_link_settings req;
	uint32_t raw[HDR_LEN / 4 + 3 * ETHTOOL_IOCTL_LM_WORDS];
};

int ethtool_ioctl_lsettings_decode(const void *buf, size_t len,
				   struct ethtool_ioctl_lsettings *out)
{
	const uint8_t *p = buf;
	size_t words, mlen;

	memset(out, 0, sizeof(*out));
	if (len < HDR_LEN)
		return -EBADMSG;
	memcpy(&out->base, p, HDR_LEN); /* header only: masks[] are ours */
	/* nwords is an s8: at most 127 = ETHTOOL_IOCTL_LM_WORDS */
	if (out->base.cmd != ETHTOOL_GLINKSETTINGS ||
	    out->base.link_mode_masks_nwords <= 0)
		return -EBADMSG;
	words = (size_t)out->base.link_mode_masks_nwords;
	mlen = words * sizeof(uint32_t);
	if (len - HDR_LEN < 3 * mlen)
		return -EBADMSG;
	memcpy(out->supported, p + HDR_LEN, mlen);
	memcpy(out->advertising, p + HDR_LEN + mlen, mlen);
	memcpy(out->lp_advertising, p + HDR_LEN + 2 * mlen, mlen);
	return 0;
}

bool ethtool_ioctl_lm_test(const uint32_t *mask, uint32_t bit)
{
	if (bit / 32 >= ETHTOOL_IOCTL_LM_WORDS)
		return false;
	return mask[bit / 32] & (1u << (bit % 32));
}

/* The handshake: nwords 0 makes the kernel answer with -nwords. */
static int glinksettings(const char *ifname,
			 struct ethtool_ioctl_lsettings *out)
{
	static union lset_buf b;
	int err;

	memset(&b, 0, sizeof(b));
	b.req.cmd = ETHTOOL_GLINKSETTINGS;
	err = ethtool_ioctl(ifname, &b);
	if (err < 0)
		return err;
	if (b.req.link_mode_masks_nwords >= 0 ||
	    b.req.cmd != ETHTOOL_GLINKSETTINGS)
		return -EPROTO;
	b.req.link_mode_masks_nwords = (int8_t)-b.req.link_mode_masks_nwords;
	err = ethtool_ioctl(ifname, &b);
	if (err < 0)
		return err;
	return ethtool_ioctl_lsettings_decode(&b, sizeof(b), out);
}

static int gset(const char *ifname, struct ethtool_ioctl_lsettings *out)
{
	struct ethtool_cmd e;
	int err;

	memset(&e, 0, sizeof(e));
	memset(out, 0, sizeof(*out));
	e.cmd = ETHTOOL_GSET;
	err = ethtool_ioctl(ifname, &e);
	if (err < 0)
		return err;
	out->legacy = true;
	out->base.cmd = ETHTOOL_GSET;
	out->base.link_mode_masks_nwords = 1;
	out->supported[0] = e.supported;
	out->advertising[0] = e.advertising;
	out->lp_advertising[0] = e.lp_advertising;
	/* not ethtool_cmd_speed(): it shifts speed_hi as an int (0xffff: UB) */
	out->base.speed = (uint32_t)e.speed_hi << 16 | e.speed;
	out->base.duplex = e.duplex;
	out->base.port = e.port;
	out->base.phy_address = e.phy_address;
	out->transceiver = e.transceiver;
	out->base.autoneg = e.autoneg;
	out->base.mdio_support = e.mdio_support;
	out->base.eth_tp_mdix = e.eth_tp_mdix;
	out->base.eth_tp_mdix_ctrl = e.eth_tp_mdix_ctrl;
	return 0;
}

int ethtool_ioctl_lsettings_get(const char *ifname,
				struct ethtool_ioctl_lsettings *out)
{
	if (glinksettings(ifname, out) == 0)
		return 0;
	return gset(ifname, out);
}

static int sset(const char *ifname, const struct ethtool_ioctl_lsettings *in)
{
	struct ethtool_cmd e;
	int i;

	for (i = 1; i < ETHTOOL_IOCTL_LM_WORDS; i++) {
		if (in->supported[i] || in->advertising[i] ||
		    in->lp_advertising[i])
			return -EINVAL;
	}
	memset(&e, 0, sizeof(e));
	e.cmd = ETHTOOL_SSET;
	e.supported = in->supported[0];
	e.advertising = in->advertising[0];
	e.lp_advertising = in->lp_advertising[0];
	ethtool_cmd_speed_set(&e, in->base.speed);
	e.duplex = in->base.duplex;
	e.port = in->base.port;
	e.phy_address = in->base.phy_address;
	e.transceiver = in->transceiver;
	e.autoneg = in->base.autoneg;
	e.mdio_support = in->base.mdio_support;
	e.eth_tp_mdix = in->base.eth_tp_mdix;
	e.eth_tp_mdix_ctrl = in->base.eth_tp_mdix_ctrl;
	return ethtool_ioctl(ifname, &e);
}

int ethtool_ioctl_lsettings_set(const char *ifname,
				const struct ethtool_ioctl_lsettings *in)
{
	static union lset_buf b;
	size_t words = (size_t)in->base.link_mode_masks_nwords;
	size_t mlen = words * sizeof(uint32_t);
	uint8_t *masks = (uint8_t *)b.raw + HDR_LEN;

	if (in->legacy)
		return sset(ifname, in);
	if (in->transceiver || words == 0 || words > ETHTOOL_IOCTL_LM_WORDS)
		return -EINVAL;
	memset(&b, 0, sizeof(b));
	b.req = in->base;
	b.req.cmd = ETHTOOL_SLINKSETTINGS;
	memcpy(masks, in->supported, mlen);
	memcpy(masks + mlen, in->advertising, mlen);
	memcpy(masks + 2 * mlen, in->lp_advertising, mlen);
	return ethtool_ioctl(ifname, &b);
}

static void block_bits(struct nl_ethtool_bitset *bs, uint32_t n, size_t word,
		       uint32_t v)
{
	bs->n_bits = n;
	bs->nomask = true;
	if (n - word * 32 < 32)
		v &= (1u << (n - word * 32)) - 1;
	bs->value[word] = v;
}

int ethtool_ioctl_features_decode(const void *buf, size_t len,
				  uint32_t n_features,
				  struct nl_ethtool_features *out)
{
	const size_t blk = sizeof(struct ethtool_get_features_block);
	const size_t hdr = sizeof(struct ethtool_gfeatures);
	const uint8_t *p = buf;
	struct ethtool_get_features_block b;
	struct ethtool_gfeatures g;
	size_t i, n_blocks = WORDS_TO_BLOCKS((size_t)n_features);

	memset(out, 0, sizeof(*out));
	if (n_features > NL_ETHTOOL_MAX_BITS)
		return -E2BIG;
	if (len < hdr)
		return -EBADMSG;
	memcpy(&g, p, hdr);
	if (g.cmd != ETHTOOL_GFEATURES || g.size < n_blocks ||
	    (len - hdr) / blk < n_blocks)
		return -EBADMSG;
	out->hw.n_bits = out->wanted.n_bits = n_features;
	out->active.n_bits = out->nochange.n_bits = n_features;
	out->hw.nomask = out->wanted.nomask = true;
	out->active.nomask = out->nochange.nomask = true;
	for (i = 0; i < n_blocks; i++) {
		memcpy(&b, p + hdr + i * blk, blk);
		block_bits(&out->hw, n_features, i, b.available);
		block_bits(&out->wanted, n_features, i, b.requested);
		block_bits(&out->active, n_features, i, b.active);
		block_bits(&out->nochange, n_features, i, b.never_changed);
	}
	return 0;
}

int ethtool_ioctl_features_get(const char *ifname, uint32_t n_features,
			       struct nl_ethtool_features *out)
{
	size_t n_blocks = WORDS_TO_BLOCKS((size_t)n_features);
	size_t len = sizeof(struct ethtool_gfeatures) +
		     n_blocks * sizeof(struct ethtool_get_features_block);
	struct ethtool_gfeatures *g;
	int err;

	if (n_features > NL_ETHTOOL_MAX_BITS)
		return -E2BIG;
	g = calloc(1, len);
	if (!g)
		return -ENOMEM;
	g->cmd = ETHTOOL_GFEATURES;
	g->size = (uint32_t)n_blocks;
	err = ethtool_ioctl(ifname, g);
	if (err == 0)
		err = ethtool_ioctl_features_decode(g, len, n_features, out);
	free(g);
	return err;
}

int ethtool_ioctl_features_set(const char *ifname,
			       const struct nl_ethtool_bitset *req)
{
	/* struct ethtool_sfeatures: cmd, size, then {valid, requested}s */
	uint32_t w[2 + 2 * NL_ETHTOOL_BITSET_WORDS];
	size_t i, n_blocks = WORDS_TO_BLOCKS((size_t)req->n_bits);

	if (req->n_bits > NL_ETHTOOL_MAX_BITS)
		return -E2BIG;
	memset(w, 0, sizeof(w));
	w[0] = ETHTOOL_SFEATURES;
	w[1] = (uint32_t)n_blocks;
	for (i = 0; i < n_blocks; i++) {
		w[2 + 2 * i] = req->mask[i];
		w[3 + 2 * i] = req->value[i] & req->mask[i];
	}
	return ethtool_ioctl(ifname, w);
}

int ethtool_ioctl_strset(const char *ifname, uint32_t set_id,
			 struct nl_ethtool_strset **out)
{
	struct nl_ethtool_strset *set;
	struct ethtool_ioctl_stats *st;
	uint32_t i;
	int err;

	*out = NULL;
	err = ethtool_ioctl_strings(ifname, set_id, 0, &st);
	if (err < 0)
		return err;
	set = calloc(1, sizeof(*set) + (size_t)st->n * sizeof(set->names[0]));
	if (!set) {
		free(st);
		return -ENOMEM;
	}
	set->id = set_id;
	set->count = st->n;
	for (i = 0; i < st->n; i++)
		memcpy(set->names[i], st->names[i], ETH_GSTRING_LEN - 1);
	free(st);
	*out = set;
	return 0;
}

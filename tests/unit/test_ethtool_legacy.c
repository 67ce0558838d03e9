// SPDX-License-Identifier: MIT
/*
 * lib/ethtool_legacy.c: the ioctl reply decoders (GLINKSETTINGS,
 * GFEATURES) on good, truncated and hostile buffers.  No sockets.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <linux/ethtool.h>
#include <cmocka.h>

#include "embnet/ethtool.h"

#define HDR sizeof(struct ethtool_link_settings)

/* A GLINKSETTINGS reply with @nwords words per mask. */
static size_t lset_reply(uint8_t *buf, int8_t nwords)
{
	struct ethtool_link_settings h;
	uint32_t w;
	int i;

	memset(&h, 0, sizeof(h));
	h.cmd = ETHTOOL_GLINKSETTINGS;
	h.speed = 1000;
	h.duplex = DUPLEX_FULL;
	h.port = PORT_TP;
	h.link_mode_masks_nwords = nwords;
	memcpy(buf, &h, HDR);
	for (i = 0; i < 3 * nwords; i++) {
		w = (uint32_t)(i + 1) << 4; /* distinct per word */
		memcpy(buf + HDR + 4 * (size_t)i, &w, 4);
	}
	return HDR + 12 * (size_t)(nwords > 0 ? nwords : 0);
}

static void test_lsettings(void **state)
{
	static struct ethtool_ioctl_lsettings s;
	uint8_t buf[HDR + 12 * 4];
	size_t len = lset_reply(buf, 4);

	(void)state;
	assert_int_equal(ethtool_ioctl_lsettings_decode(buf, len, &s), 0);
	assert_int_equal(s.base.speed, 1000);
	assert_int_equal(s.base.duplex, DUPLEX_FULL);
	assert_int_equal(s.supported[0], 1u << 4);
	assert_int_equal(s.advertising[0], 5u << 4);
	assert_int_equal(s.lp_advertising[3], 12u << 4);
	assert_true(ethtool_ioctl_lm_test(s.supported, 4));
	assert_false(ethtool_ioctl_lm_test(s.supported, 5));
	assert_false(ethtool_ioctl_lm_test(s.supported, 127 * 32 + 5));
	assert_false(s.legacy);
}

static void test_lsettings_hostile(void **state)
{
	static struct ethtool_ioctl_lsettings s;
	uint8_t buf[HDR + 12 * 4];
	size_t len = lset_reply(buf, 4);

	(void)state;
	/* Every truncation of the masks or the header. */
	for (size_t cut = 0; cut < len; cut++)
		assert_int_equal(ethtool_ioctl_lsettings_decode(buf, cut, &s),
				 -EBADMSG);
	/* The handshake's negative nwords, zero, another command. */
	lset_reply(buf, -4);
	assert_int_equal(ethtool_ioctl_lsettings_decode(buf, sizeof(buf), &s),
			 -EBADMSG);
	lset_reply(buf, 0);
	assert_int_equal(ethtool_ioctl_lsettings_decode(buf, sizeof(buf), &s),
			 -EBADMSG);
	lset_reply(buf, 1);
	buf[0] = ETHTOOL_GSET;
	assert_int_equal(ethtool_ioctl_lsettings_decode(buf, sizeof(buf), &s),
			 -EBADMSG);
	/* nwords 127 claims 1.5 KB the buffer does not have. */
	lset_reply(buf, 1);
	buf[offsetof(struct ethtool_link_settings, link_mode_masks_nwords)] =
		127;
	assert_int_equal(ethtool_ioctl_lsettings_decode(buf, sizeof(buf), &s),
			 -EBADMSG);
}

/* A GFEATURES reply of @blocks blocks; block i = {i+1, i+2, i+3, i+4}. */
static size_t gfeat_reply(uint32_t *w, uint32_t size, uint32_t blocks)
{
	uint32_t i;

	w[0] = ETHTOOL_GFEATURES;
	w[1] = size;
	for (i = 0; i < 4 * blocks; i++)
		w[2 + i] = 0xffffffffu;
	w[2] = 1;	   /* available: bit 0 */
	w[3] = 3;	   /* requested: bits 0, 1 */
	w[4] = 2;	   /* active: bit 1 */
	w[5] = 0x80000000; /* never_changed: bit 31 */
	return (2 + 4 * (size_t)blocks) * 4;
}

static void test_features(void **state)
{
	static struct nl_ethtool_features f;
	uint32_t w[2 + 4 * 3];
	size_t len = gfeat_reply(w, 3, 3);

	(void)state;
	assert_int_equal(ethtool_ioctl_features_decode(w, len, 66, &f), 0);
	assert_int_equal(f.hw.n_bits, 66);
	assert_true(f.active.nomask);
	assert_true(nl_ethtool_bitset_test(&f.hw, 0));
	assert_false(nl_ethtool_bitset_test(&f.hw, 1));
	assert_true(nl_ethtool_bitset_test(&f.wanted, 1));
	assert_true(nl_ethtool_bitset_test(&f.active, 1));
	assert_true(nl_ethtool_bitset_test(&f.nochange, 31));
	/* Bits past n_features stay clear though the kernel set them. */
	assert_true(nl_ethtool_bitset_test(&f.hw, 65));
	assert_false(nl_ethtool_bitset_test(&f.hw, 66));
	assert_int_equal(f.hw.value[2], 3);
}

static void test_features_hostile(void **state)
{
	static struct nl_ethtool_features f;
	uint32_t w[2 + 4 * 3];
	size_t len = gfeat_reply(w, 3, 3);

	(void)state;
	for (size_t cut = 0; cut < len; cut++)
		assert_int_equal(ethtool_ioctl_features_decode(w, cut, 66, &f),
				 -EBADMSG);
	/* The kernel says it has fewer blocks than the features need. */
	gfeat_reply(w, 2, 3);
	assert_int_equal(ethtool_ioctl_features_decode(w, len, 66, &f),
			 -EBADMSG);
	gfeat_reply(w, 3, 3);
	w[0] = ETHTOOL_GSTATS;
	assert_int_equal(ethtool_ioctl_features_decode(w, len, 66, &f),
			 -EBADMSG);
	assert_int_equal(ethtool_ioctl_features_decode(
				 w, len, NL_ETHTOOL_MAX_BITS + 1, &f),
			 -E2BIG);
	/* No features: nothing to read past the header. */
	gfeat_reply(w, 0, 0);
	assert_int_equal(ethtool_ioctl_features_decode(w, 8, 0, &f), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_lsettings),
		cmocka_unit_test(test_lsettings_hostile),
		cmocka_unit_test(test_features),
		cmocka_unit_test(test_features_hostile),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

/* SPDX-License-Identifier: MIT */
/*
 * The fake device's messages beyond PAUSE and RINGS (nltool_fake_bits.c):
 * which it answers, their reply commands, and bitset attributes in the
 * kernel's verbose form with the kernel's own bit names.
 */
#ifndef NLTOOL_FAKE_H
#define NLTOOL_FAKE_H

#include <stdbool.h>
#include <stdint.h>

#include <libmnl/libmnl.h>

#include "embnet/genl.h"
#include "embnet/nl.h"

/* State-file widths beyond 1 (u8) and 4 (u32): a bitset's value (bits
 * 0-31) and, on a line of its own, its mask (none: a NOMASK list). */
#define FAKE_W_BITS 0
#define FAKE_W_MASK 2
/* A statistic, sent only to a GET asking for them (ETHTOOL_FLAG_STATS):
 * TYPE is 100 * the nest's attribute + the statistic's, the line one u64
 * of it (consecutive lines: an array, total then lanes), or a u32 with
 * FAKE_W_STAT32. */
#define FAKE_W_STAT 8
#define FAKE_W_STAT32 9

/* Fetches the kernel's global string sets the bitsets name bits from.
 * Returns 0 or -errno. */
int fake_bits_init(struct nl_sock *ns, const struct nl_genl_family *fam);

/* True if GET or SET @cmd is answered by the fake, beyond PAUSE/RINGS;
 * its GET in *@get. */
bool fake_bits_cmd(uint8_t cmd, unsigned int *get);

/* The kernel's reply command to GET @get. */
uint8_t fake_reply_cmd(unsigned int get);

/*
 * Appends bitset attribute @type of GET @get, verbose as the kernel sends
 * it without ETHTOOL_FLAG_COMPACT_BITSETS: @value, @mask if @has_mask.
 * Returns 0 or -EMSGSIZE.
 */
int fake_bits_put(struct nlmsghdr *h, size_t buf_len, unsigned int get,
		  unsigned int type, uint32_t value, bool has_mask,
		  uint32_t mask);

/*
 * Applies SET bitset attribute @bitset (type @type of GET @get) to *@val as
 * the kernel would, on a device with the bits of @mask (@has_mask) or of
 * the string set.  Returns 0 or the kernel's -EINVAL.
 */
int fake_bits_update(const struct nlattr *bitset, unsigned int get,
		     unsigned int type, uint32_t *val, bool has_mask,
		     uint32_t mask);

/* ---- the fake's ioctl device (nltool_fake.c) ---------------------------- */

/* Name of private flag @i: an i40e's 13, then made-up ones; bit 31's
 * fills all of ETH_GSTRING_LEN (no NUL over the ioctl). */
const char *fake_priv_name(uint32_t i);

#endif

/* SPDX-License-Identifier: MIT */
/*
 * Ethtool bitsets read as lists of bits with their names (timestamping
 * capabilities, private flags, ...), for commands that print the names the
 * kernel sends (the GET of one such message is nl_ethtool_get_one() of
 * ethtool.h).  Parsers are pure.
 */
#ifndef EMBNET_ETHTOOL_BITLIST_H
#define EMBNET_ETHTOOL_BITLIST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <libmnl/libmnl.h>

#include "embnet/ethtool.h"
#include "embnet/genl.h"
#include "embnet/nl.h"

#define NL_ETHTOOL_BITLIST_MAX 64 /* bits kept per list */

/* One bit: its index, state and name ("" if the kernel sent none). */
struct nl_ethtool_bit {
	uint32_t index;
	bool on;
	char name[NL_ETHTOOL_NAME_LEN];
};

/*
 * A bitset in the kernel's order: verbose, the bits it listed (with NOMASK
 * each listed bit is on); compact, every bit below SIZE, without names.
 */
struct nl_ethtool_bitlist {
	uint32_t n_bits; /* SIZE */
	bool compact;
	uint32_t n; /* entries used in bits[] */
	struct nl_ethtool_bit bits[NL_ETHTOOL_BITLIST_MAX];
};

/*
 * Parses bitset attribute @a into @out (zeroed first).  Verbose bits must
 * carry INDEX (below SIZE) and NAME, as ethtool 6.1 requires.  Pure.
 * Returns 0, -E2BIG past NL_ETHTOOL_BITLIST_MAX bits or -EBADMSG.
 */
int nl_ethtool_bitlist_parse(const struct nlattr *a,
			     struct nl_ethtool_bitlist *out);

/* True if no bit of @l is on.  Pure. */
bool nl_ethtool_bitlist_empty(const struct nl_ethtool_bitlist *l);

/*
 * Appends bitset @type as a NOMASK list of the @n bits named in @names
 * (verbose: the set becomes exactly these bits, the kernel resolving the
 * names), as ethtool --set-fec sends its encodings.  Pure.  Returns 0,
 * -EINVAL for an empty or too long name, or -EMSGSIZE.
 */
int nl_ethtool_bitlist_put(struct nlmsghdr *nlh, size_t buf_len, uint16_t type,
			   const char *const *names, size_t n);

#endif

/* SPDX-License-Identifier: MIT */
/*
 * Helpers for the "ethtool" generic netlink family (kernel 5.6+): request
 * header, bitsets (compact and verbose), string sets, and a few GET
 * operations (features, link state, link info).
 *
 * Builders append to a message started with nl_ethtool_msg() in a buffer
 * of @buf_len bytes and return -EMSGSIZE when it is full.  Parsers are pure:
 * they check the genlmsghdr and every attribute they use, skip unknown
 * ones and return -EBADMSG for malformed input.
 */
#ifndef EMBNET_ETHTOOL_H
#define EMBNET_ETHTOOL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <net/if.h>

#include <linux/ethtool.h>
#include <linux/ethtool_netlink.h>
#include <libmnl/libmnl.h>

#include "embnet/genl.h"
#include "embnet/nl.h"

#define NL_ETHTOOL_MAX_BITS 1024 /* link modes (~120), features (~66) */
#define NL_ETHTOOL_BITSET_WORDS (NL_ETHTOOL_MAX_BITS / 32)
#define NL_ETHTOOL_MAX_STRINGS 65536 /* per string set: caps the heap */
/* The kernel sends up to ETH_GSTRING_LEN characters, then a NUL. */
#define NL_ETHTOOL_NAME_LEN (ETH_GSTRING_LEN + 1)

/*
 * A device in a request header (by index if non-zero, by name if not "",
 * or both) or in a reply header (both).
 */
struct nl_ethtool_dev {
	uint32_t ifindex;
	char ifname[IF_NAMESIZE];
};

/*
 * A bitset.  Without @nomask, @mask says which bits the set speaks about
 * and @value their state; with @nomask, @value is the whole set and @mask
 * is unused.  Bits at or above @n_bits are zero.
 */
struct nl_ethtool_bitset {
	uint32_t n_bits;
	bool nomask;
	uint32_t value[NL_ETHTOOL_BITSET_WORDS];
	uint32_t mask[NL_ETHTOOL_BITSET_WORDS];
};

/* A bit named in a verbose request (ethtool -K style "name on|off"). */
struct nl_ethtool_named_bit {
	const char *name;
	bool on;
};

/*
 * One string set, in a single allocation freed by nl_ethtool_strset_free().
 * Names the kernel did not send are "".
 */
struct nl_ethtool_strset {
	uint32_t id; /* ETH_SS_* */
	uint32_t count;
	char names[][NL_ETHTOOL_NAME_LEN];
};

struct nl_ethtool_features {
	struct nl_ethtool_dev dev;
	struct nl_ethtool_bitset hw;	   /* changeable */
	struct nl_ethtool_bitset wanted;   /* requested */
	struct nl_ethtool_bitset active;   /* in effect */
	struct nl_ethtool_bitset nochange; /* never changed by the driver */
};

/* ETHTOOL_MSG_LINKSTATE_GET reply; @present has bit (1 << ETHTOOL_A_*). */
struct nl_ethtool_linkstate {
	struct nl_ethtool_dev dev;
	uint32_t present;
	uint8_t link; /* 1: link detected */
	uint32_t sqi;
	uint32_t sqi_max;
	uint8_t ext_state;
	uint8_t ext_substate;
};

/* ETHTOOL_MSG_LINKINFO_GET reply; @present has bit (1 << ETHTOOL_A_*). */
struct nl_ethtool_linkinfo {
	struct nl_ethtool_dev dev;
	uint32_t present;
	uint8_t port; /* PORT_* */
	uint8_t phyaddr;
	uint8_t tp_mdix;
	uint8_t tp_mdix_ctrl;
	uint8_t transceiver; /* XCVR_* */
};

/* -- requests ---------------------------------------------------------- */

/*
 * Appends the nested request header (attribute @type, ETHTOOL_A_*_HEADER)
 * naming @dev (NULL: no device) and, if non-zero, FLAGS (ETHTOOL_FLAG_*).
 * Returns 0, -EINVAL if @dev->ifname is not terminated, or -EMSGSIZE.
 */
int nl_ethtool_put_header(struct nlmsghdr *nlh, size_t buf_len, uint16_t type,
			  const struct nl_ethtool_dev *dev, uint32_t flags);

/*
 * Starts ethtool request @cmd (ETHTOOL_MSG_*) of @fam in @buf (@buf_len
 * bytes) for @dev (NULL: none, e.g. global string sets), with the request
 * header (attribute 1 in every ethtool message) carrying @flags.  Pure.
 * Returns 0 and the message in *@out, or nl_ethtool_put_header()'s errors.
 */
int nl_ethtool_msg(void *buf, size_t buf_len, const struct nl_genl_family *fam,
		   uint8_t cmd, const struct nl_ethtool_dev *dev,
		   uint32_t flags, struct nlmsghdr **out);

/*
 * Appends ETHTOOL_A_STRSET_STRINGSETS asking for the @n_ids string sets in
 * @ids (ETH_SS_*) to an ETHTOOL_MSG_STRSET_GET request; with @counts_only,
 * adds ETHTOOL_A_STRSET_COUNTS_ONLY.  Returns 0 or -EMSGSIZE.
 */
int nl_ethtool_strset_put(struct nlmsghdr *nlh, size_t buf_len,
			  const uint32_t *ids, size_t n_ids, bool counts_only);

/*
 * Appends bitset @bs as attribute @type in compact form (NOMASK, SIZE,
 * VALUE and, without nomask, MASK).  Returns 0 or -EMSGSIZE, -EINVAL if
 * @bs->n_bits exceeds NL_ETHTOOL_MAX_BITS.
 */
int nl_ethtool_bitset_put(struct nlmsghdr *nlh, size_t buf_len, uint16_t type,
			  const struct nl_ethtool_bitset *bs);

/*
 * Appends a verbose bitset @type that changes only the @n named bits
 * (BITS/BIT/NAME[/VALUE]; others keep their state), as ethtool -K does.
 * Returns 0, -EINVAL for an empty or too long name, or -EMSGSIZE.
 */
int nl_ethtool_bitset_put_named(struct nlmsghdr *nlh, size_t buf_len,
				uint16_t type,
				const struct nl_ethtool_named_bit *bits,
				size_t n);

/* -- bitsets ----------------------------------------------------------- */

/*
 * Parses bitset attribute @a, compact or verbose, into @out; SIZE is
 * required (the kernel always sends it).  In verbose form a bit given only
 * by name is looked up in @names (may be NULL).  Pure.  Returns 0, -E2BIG
 * if SIZE exceeds NL_ETHTOOL_MAX_BITS, or -EBADMSG (sizes that disagree,
 * index >= SIZE, unknown name, bad nest).
 */
int nl_ethtool_bitset_parse(const struct nlattr *a,
			    const struct nl_ethtool_strset *names,
			    struct nl_ethtool_bitset *out);

/* Returns the value of bit @bit of @bs (false past n_bits). */
bool nl_ethtool_bitset_test(const struct nl_ethtool_bitset *bs, uint32_t bit);

/* Returns true if @bs speaks about bit @bit (nomask: any bit < n_bits). */
bool nl_ethtool_bitset_in_mask(const struct nl_ethtool_bitset *bs,
			       uint32_t bit);

/*
 * Sets bit @bit of @bs to @on and adds it to the mask.  Returns 0, or
 * -EINVAL if @bit >= @bs->n_bits or NL_ETHTOOL_MAX_BITS.
 */
int nl_ethtool_bitset_set(struct nl_ethtool_bitset *bs, uint32_t bit, bool on);

/* -- replies ----------------------------------------------------------- */

/*
 * Parses a nested reply header (ETHTOOL_A_*_HEADER) into @dev (zeroed
 * first).  Pure.  Returns 0 or -EBADMSG (a malformed index or a name that
 * is not terminated or longer than IF_NAMESIZE - 1).
 */
int nl_ethtool_header_parse(const struct nlattr *nest,
			    struct nl_ethtool_dev *dev);

/*
 * Parses the string set @set_id (ETH_SS_*) out of an
 * ETHTOOL_MSG_STRSET_GET reply into *@out, one allocation that the caller
 * frees with nl_ethtool_strset_free().  Pure.  Returns 0, -ENOENT if the
 * reply lacks that set, -E2BIG past NL_ETHTOOL_MAX_STRINGS, -ENOMEM or
 * -EBADMSG (index >= count, name not NUL-terminated or too long).
 */
int nl_ethtool_strset_parse(const struct nlmsghdr *nlh, uint32_t set_id,
			    struct nl_ethtool_strset **out);

/* Frees a set from nl_ethtool_strset_parse(); NULL is fine. */
void nl_ethtool_strset_free(struct nl_ethtool_strset *set);

/* Returns the name of string @index of @set, or NULL past its count. */
const char *nl_ethtool_strset_name(const struct nl_ethtool_strset *set,
				   uint32_t index);

/* Returns the index of @name in @set, or -ENOENT. */
int nl_ethtool_strset_find(const struct nl_ethtool_strset *set,
			   const char *name);

/*
 * Parses an ETHTOOL_MSG_FEATURES_GET reply (or notification) into @out;
 * @names (may be NULL) resolves verbose bits given only by name.  Pure.
 * Returns 0 or the bitset parser's errors; all four sets are required.
 */
int nl_ethtool_features_parse(const struct nlmsghdr *nlh,
			      const struct nl_ethtool_strset *names,
			      struct nl_ethtool_features *out);

/* Parses an ETHTOOL_MSG_LINKSTATE_GET reply.  Pure.  0 or -EBADMSG. */
int nl_ethtool_linkstate_parse(const struct nlmsghdr *nlh,
			       struct nl_ethtool_linkstate *out);

/* Parses an ETHTOOL_MSG_LINKINFO_GET reply.  Pure.  0 or -EBADMSG. */
int nl_ethtool_linkinfo_parse(const struct nlmsghdr *nlh,
			      struct nl_ethtool_linkinfo *out);

/* -- operations (one request each on a NETLINK_GENERIC socket) --------- */

/* Parses one reply into the caller's struct; 0 or -errno. */
typedef int (*nl_ethtool_reply_fn)(const struct nlmsghdr *nlh, void *out);

/*
 * Sends GET @cmd for @dev with header @flags and hands the first reply to
 * @parse with @out (later ones are ignored).  Returns 0, -EBADMSG for an
 * ACK without a reply, @parse's error, or -errno (extended ack in
 * nl_ext_msg(ns)).  Every *_get() of the family is one of these.
 */
int nl_ethtool_get_one(struct nl_sock *ns, const struct nl_genl_family *fam,
		       const struct nl_ethtool_dev *dev, uint8_t cmd,
		       uint32_t flags, nl_ethtool_reply_fn parse, void *out);

/* As nl_ethtool_get_one() for GET @nlh of @fam built by the caller (with
 * attributes past the header, e.g. the string set asked for). */
int nl_ethtool_talk_one(struct nl_sock *ns, const struct nl_genl_family *fam,
			struct nlmsghdr *nlh, nl_ethtool_reply_fn parse,
			void *out);

/*
 * Fetches string set @set_id of @dev (NULL: the kernel's global set) into
 * *@out (free with nl_ethtool_strset_free()).  Returns 0 or -errno:
 * -ENODEV for a missing device (extended ack in nl_ext_msg(ns)), -ENOENT
 * if the reply lacks the set.
 */
int nl_ethtool_strset_get(struct nl_sock *ns, const struct nl_genl_family *fam,
			  const struct nl_ethtool_dev *dev, uint32_t set_id,
			  struct nl_ethtool_strset **out);

/*
 * Fetches the feature bitsets of @dev in compact form (bit numbers index
 * the ETH_SS_FEATURES set).  Returns 0 or -errno.
 */
int nl_ethtool_features_get(struct nl_sock *ns,
			    const struct nl_genl_family *fam,
			    const struct nl_ethtool_dev *dev,
			    struct nl_ethtool_features *out);

/* Fetches the link state of @dev.  Returns 0 or -errno. */
int nl_ethtool_linkstate_get(struct nl_sock *ns,
			     const struct nl_genl_family *fam,
			     const struct nl_ethtool_dev *dev,
			     struct nl_ethtool_linkstate *out);

/* Fetches the link info (port, transceiver...) of @dev.  0 or -errno. */
int nl_ethtool_linkinfo_get(struct nl_sock *ns,
			    const struct nl_genl_family *fam,
			    const struct nl_ethtool_dev *dev,
			    struct nl_ethtool_linkinfo *out);

/* -- generic messages of scalar attributes (lib/ethtool_msg.c) ---------- */

#define NL_ETHTOOL_MAX_ATTRS 32 /* attribute types kept per message */
#define NL_ETHTOOL_MAX_BITSETS 2

/* How an attribute of a message is validated and stored. */
enum nl_ethtool_atype {
	NL_ETHTOOL_T_SKIP = 0, /* header, nests, unknown: not stored */
	NL_ETHTOOL_T_U8,
	NL_ETHTOOL_T_U32,
	NL_ETHTOOL_T_BITSET, /* into bits[], in table order */
	NL_ETHTOOL_T_BINARY, /* up to sizeof(bin) bytes, e.g. WoL SecureOn */
};

/*
 * A reply (or request) of one ethtool message made of u8/u32 attributes,
 * up to NL_ETHTOOL_MAX_BITSETS bitsets and one short binary: rings,
 * channels, coalesce, pause, link modes, link info, WoL, debug.  Bit n of
 * @present says attribute type n is in @val (or bits[]/bin).
 */
struct nl_ethtool_attrs {
	struct nl_ethtool_dev dev;
	uint32_t present;
	uint32_t val[NL_ETHTOOL_MAX_ATTRS];
	struct nl_ethtool_bitset bits[NL_ETHTOOL_MAX_BITSETS];
	uint8_t bin[16];
	uint8_t bin_len;
};

/*
 * Returns the attribute types of GET/SET message @cmd (ETHTOOL_MSG_*),
 * indexed by attribute type, and their number in *@n; NULL (and *@n 0) for
 * a message not handled by nl_ethtool_attrs_*.
 */
const uint8_t *nl_ethtool_attr_types(uint8_t cmd, size_t *n);

/*
 * The attribute policies of a bitset nest and of one of its bits, for the
 * library's bitset parsers (ethtool.c, ethtool_bitlist.c).  VALUE and MASK
 * are left to the reader: their size depends on SIZE.
 */
extern const struct nl_policy nl_ethtool_bitset_pol[ETHTOOL_A_BITSET_MAX + 1];
extern const struct nl_policy nl_ethtool_bit_pol[ETHTOOL_A_BITSET_BIT_MAX + 1];

/* Returns the bits[] slot of bitset attribute @type of @cmd, or -1. */
int nl_ethtool_attr_bitset_slot(uint8_t cmd, uint16_t type);

/* True if attribute @type is present in @at. */
bool nl_ethtool_attr_has(const struct nl_ethtool_attrs *at, uint16_t type);

/* Stores u8/u32 @v as attribute @type (present).  -EINVAL past the cap. */
int nl_ethtool_attr_set(struct nl_ethtool_attrs *at, uint16_t type, uint32_t v);

/*
 * Parses a reply to GET @cmd into @out (zeroed first), checking each known
 * attribute against its type; unknown types are skipped.  Pure.  Returns 0,
 * -EBADMSG, or the bitset parser's errors.
 */
int nl_ethtool_attrs_parse(const struct nlmsghdr *nlh, uint8_t cmd,
			   struct nl_ethtool_attrs *out);

/*
 * Appends every present attribute of @in to SET request @cmd (bitsets in
 * compact form).  Returns 0, -EINVAL (unknown @cmd) or -EMSGSIZE.
 */
int nl_ethtool_attrs_put(struct nlmsghdr *nlh, size_t buf_len, uint8_t cmd,
			 const struct nl_ethtool_attrs *in);

/*
 * Sends GET @cmd for @dev with header @flags and parses the reply into
 * @out.  Returns 0 or -errno (extended ack in nl_ext_msg(ns)).
 */
int nl_ethtool_attrs_get(struct nl_sock *ns, const struct nl_genl_family *fam,
			 const struct nl_ethtool_dev *dev, uint8_t cmd,
			 uint32_t flags, struct nl_ethtool_attrs *out);

/*
 * Sends SET @cmd for @dev carrying the present attributes of @in.
 * Returns 0 or -errno (extended ack in nl_ext_msg(ns)).
 */
int nl_ethtool_attrs_set(struct nl_sock *ns, const struct nl_genl_family *fam,
			 const struct nl_ethtool_dev *dev, uint8_t cmd,
			 const struct nl_ethtool_attrs *in);

/* -- features SET (lib/ethtool_features.c) ------------------------------ */

/* ETHTOOL_MSG_FEATURES_SET_REPLY: what the kernel did differently. */
struct nl_ethtool_features_diff {
	struct nl_ethtool_dev dev;
	bool replied;			 /* a SET_REPLY came */
	struct nl_ethtool_bitset wanted; /* mask: requested, not granted */
	struct nl_ethtool_bitset active; /* mask: changed */
};

/* Parses a FEATURES_SET_REPLY.  Pure.  0, -EBADMSG or bitset errors. */
int nl_ethtool_features_diff_parse(const struct nlmsghdr *nlh,
				   struct nl_ethtool_features_diff *out);

/*
 * Requests the @n named feature changes of @bits for @dev (WANTED as a
 * verbose bitset, compact reply asked for) and stores the kernel's reply,
 * if any, in @out.  Returns 0 or -errno (extended ack in nl_ext_msg(ns)).
 */
int nl_ethtool_features_set(struct nl_sock *ns,
			    const struct nl_genl_family *fam,
			    const struct nl_ethtool_dev *dev,
			    const struct nl_ethtool_named_bit *bits, size_t n,
			    struct nl_ethtool_features_diff *out);

/* -- ioctl (SIOCETHTOOL, lib/ethtool_ioctl.c) --------------------------- */

/* Not netlink: the SIOCETHTOOL helpers here and in lib/ethtool_legacy.c
 * are named ethtool_ioctl_*, not nl_*. */

/*
 * Runs SIOCETHTOOL with @data (a struct ethtool_* starting with its cmd)
 * on interface @ifname over a fresh AF_INET datagram socket.  Returns 0,
 * -EINVAL for a name of IFNAMSIZ bytes or more, or -errno.
 */
int ethtool_ioctl(const char *ifname, void *data);

/*
 * Statistics over ioctl (ETHTOOL_GSSET_INFO, GSTRINGS, GSTATS): one
 * allocation freed with free(), @n names of ETH_GSTRING_LEN bytes (not
 * always terminated: the kernel fills them) and @n values.
 */
struct ethtool_ioctl_stats {
	uint32_t n;
	uint64_t *values;
	char (*names)[ETH_GSTRING_LEN];
};

/*
 * Reads string set @set_id of @ifname (falling back to the count in
 * ETHTOOL_GDRVINFO at @drvinfo_off if GSSET_INFO is unsupported and
 * @drvinfo_off is not 0) into *@out, one allocation (free()) with room for
 * the values too (zeroed).  Returns 0 or -errno.
 */
int ethtool_ioctl_strings(const char *ifname, uint32_t set_id,
			  size_t drvinfo_off, struct ethtool_ioctl_stats **out);

/*
 * Fills st->values with ETHTOOL_GSTATS of @ifname (st->n counters, from
 * ethtool_ioctl_strings() of ETH_SS_STATS).  Returns 0 or -errno.
 */
int ethtool_ioctl_values(const char *ifname, struct ethtool_ioctl_stats *st);

/* -- permanent address over rtnetlink (lib/ethtool_perm.c) ------------- */

#define NL_ETHTOOL_PERM_MAX 32 /* MAX_ADDR_LEN */

struct nl_ethtool_permaddr {
	char ifname[IF_NAMESIZE];
	bool present; /* IFLA_PERM_ADDRESS was sent */
	uint8_t len;
	uint8_t addr[NL_ETHTOOL_PERM_MAX];
};

/* Parses an RTM_NEWLINK for its name and IFLA_PERM_ADDRESS.  Pure.
 * Returns 0 or -EBADMSG (also for another message type). */
int nl_ethtool_permaddr_parse(const struct nlmsghdr *nlh,
			      struct nl_ethtool_permaddr *out);

/*
 * RTM_GETLINK of @ifname (IFLA_ALT_IFNAME past 15 characters) on @ns, a
 * NETLINK_ROUTE socket, as ethtool -P asks.  Returns 0 or -errno.
 */
int nl_ethtool_permaddr_get(struct nl_sock *ns, const char *ifname,
			    struct nl_ethtool_permaddr *out);

/* -- link settings and features over ioctl (lib/ethtool_legacy.c) ------ */

#define ETHTOOL_IOCTL_LM_WORDS 127 /* link-mode mask words the ioctl allows */

/*
 * ETHTOOL_GLINKSETTINGS (or, on old kernels, ETHTOOL_GSET) of a device:
 * @base as the kernel sent it, the three link-mode masks, and the
 * deprecated transceiver (GSET only).  @legacy: read with ETHTOOL_GSET.
 */
struct ethtool_ioctl_lsettings {
	bool legacy;
	uint8_t transceiver;
	uint32_t supported[ETHTOOL_IOCTL_LM_WORDS];
	uint32_t advertising[ETHTOOL_IOCTL_LM_WORDS];
	uint32_t lp_advertising[ETHTOOL_IOCTL_LM_WORDS];
	struct ethtool_link_settings base; /* last: it ends in masks[] */
};

/*
 * Decodes a GLINKSETTINGS reply of @len bytes (struct ethtool_link_settings
 * then 3 x nwords u32 masks) into @out.  Pure.  Returns 0 or -EBADMSG
 * (short, wrong cmd, nwords outside 1..ETHTOOL_IOCTL_LM_WORDS).
 */
int ethtool_ioctl_lsettings_decode(const void *buf, size_t len,
				   struct ethtool_ioctl_lsettings *out);

/* Returns bit @bit of link-mode mask @mask (false past the words). */
bool ethtool_ioctl_lm_test(const uint32_t *mask, uint32_t bit);

/*
 * Reads the link settings of @ifname (GLINKSETTINGS handshake, else GSET).
 * Returns 0 or the -errno of the GSET attempt.
 */
int ethtool_ioctl_lsettings_get(const char *ifname,
				struct ethtool_ioctl_lsettings *out);

/* Writes @in back with the command it was read with.  0 or -errno. */
int ethtool_ioctl_lsettings_set(const char *ifname,
				const struct ethtool_ioctl_lsettings *in);

/*
 * Decodes an ETHTOOL_GFEATURES reply of @len bytes for @n_features
 * features into @out (hw = available, wanted = requested, active,
 * nochange = never_changed; nomask sets of @n_features bits).  Pure.
 * Returns 0, -E2BIG past NL_ETHTOOL_MAX_BITS, or -EBADMSG (short reply,
 * fewer blocks than the features need).
 */
int ethtool_ioctl_features_decode(const void *buf, size_t len,
				  uint32_t n_features,
				  struct nl_ethtool_features *out);

/* ETHTOOL_GFEATURES of @ifname for @n_features features.  0 or -errno. */
int ethtool_ioctl_features_get(const char *ifname, uint32_t n_features,
			       struct nl_ethtool_features *out);

/*
 * ETHTOOL_SFEATURES of @ifname: the features in @req's mask (valid) are
 * set to their value (requested).  Returns the kernel's non-negative
 * ETHTOOL_F_* result or -errno.
 */
int ethtool_ioctl_features_set(const char *ifname,
			       const struct nl_ethtool_bitset *req);

/*
 * String set @set_id of @ifname over ioctl as a struct nl_ethtool_strset
 * (names cut at ETH_GSTRING_LEN - 1 characters, as ethtool does).  Free
 * with nl_ethtool_strset_free().  Returns 0 or -errno.
 */
int ethtool_ioctl_strset(const char *ifname, uint32_t set_id,
			 struct nl_ethtool_strset **out);

#endif

/* SPDX-License-Identifier: MIT */
/*
 * ethtool-lite: shared context of the command files.  main.c parses argv
 * and picks the netlink or ioctl handler the way ethtool 6.1 does; each
 * handler prints ethtool 6.1's output and returns its exit status.
 */
#ifndef ET_H
#define ET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "embnet/ethtool.h"
#include "embnet/genl.h"
#include "embnet/nl.h"

/* Set to any value: behave as if the kernel had no ethtool family. */
#define ET_ENV_NO_NETLINK "EMBNET_ETHTOOL_NO_NETLINK"

struct et_ctx {
	const char *devname;
	int argc;
	char **argv;
	bool json;
	bool nl_ok;	     /* socket open and family resolved */
	bool ioctl_fallback; /* a handler found its message missing */
	/*
	 * errno as ethtool 6.1 would have it, for a step that fails without
	 * a system call of its own and then calls perror(): the failed
	 * netlink setup's, 0 once its get_int() & co. parsed a number.
	 */
	int stale_errno;
	struct nl_sock ns;
	struct nl_genl_family fam;
	struct nl_ethtool_dev dev;
};

/* A command handler: returns the exit status, or -EOPNOTSUPP from a
 * netlink handler to fall back to ioctl (ctx->ioctl_fallback set). */
typedef int (*et_fn)(struct et_ctx *c);

/* nlctx.c: netlink context and its error line */
int et_nl_init(struct et_ctx *c);
void et_nl_done(struct et_ctx *c);
bool et_nl_missing(struct et_ctx *c, uint8_t cmd);
void et_nl_perror(const struct et_ctx *c, int err);
/* A show command's start: -EOPNOTSUPP (ioctl fallback armed) if the kernel
 * lacks @cmd, 1 after 6.1's "unexpected parameter" line if words follow
 * DEV, else 0.  et_nl_show_fail(): its failed GET ("[ ]" with --json,
 * then et_nl_perror()), returns 1.  et_nl_devname(): the reply's device
 * name, or DEV as given if the reply named none. */
int et_nl_show_start(struct et_ctx *c, uint8_t cmd);
int et_nl_show_fail(struct et_ctx *c, int err);
const char *et_nl_devname(const struct et_ctx *c,
			  const struct nl_ethtool_dev *dev);
struct nl_ethtool_strset *et_strset(struct et_ctx *c, uint32_t id);

/* settings.c, gset_json.c: DEV over netlink, as text or --json */
struct et_gset_data {
	uint32_t have; /* bit n: ETHTOOL_MSG_* n answered */
	struct nl_ethtool_attrs modes, info, wol, debug;
	struct nl_ethtool_linkstate ls;
};
void et_gset_keep(struct et_gset_data *d, uint8_t cmd,
		  const struct nl_ethtool_attrs *a,
		  const struct nl_ethtool_linkstate *ls);
int et_gset_json(struct et_ctx *c, const struct et_gset_data *d);
int et_nl_gset(struct et_ctx *c);
int et_nl_sset(struct et_ctx *c);

/* sset_bits.c: -s bitset parameters over netlink */
#define ET_SSET_MAX_NAMED 128
struct et_sset_named {
	uint16_t type; /* attribute of the verbose bitset */
	size_t n;
	struct nl_ethtool_named_bit bits[ET_SSET_MAX_NAMED];
};
/* "NAME on|off" pairs of @argv into @l (bitset attribute @type): the
 * words used, or -EINVAL after "ethtool (@cmd): flag ... for parameter
 * '@param' ..." or -E2BIG. */
int et_sset_names(struct et_sset_named *l, uint16_t type, char **argv, int argc,
		  const char *cmd, const char *param);
int et_sset_sopass(const char *s, uint8_t *out);

/* params.c: a SET request with its attributes in command-line order, as
 * ethtool 6.1's parser appends them (the kernel's ext-ack offsets). */
#define ET_SETMSG_MAX NL_ETHTOOL_MAX_ATTRS
struct et_setmsg {
	uint8_t cmd; /* ETHTOOL_MSG_*_SET; 0: unused */
	struct nl_ethtool_attrs a;
	struct et_sset_named named; /* -s "NAME on|off" bits, if named.n */
	size_t n_order;
	uint16_t order[ET_SETMSG_MAX]; /* attribute types, as given */
};
void et_setmsg_init(struct et_setmsg *m, uint8_t cmd);
int et_setmsg_add(struct et_setmsg *m, uint16_t type);
int et_setmsg_put(struct nlmsghdr *nlh, size_t buf_len,
		  const struct et_setmsg *m);
int et_setmsg_send(struct et_ctx *c, const struct et_setmsg *m);

int et_sset_compat(struct et_ctx *c, struct et_setmsg *m);

/* features.c: ethtool's legacy flags {short, long, kernel pattern} */
#define ET_N_LEGACY 12
extern const char *const et_legacy[ET_N_LEGACY][3];
bool et_feature_match(const char *name, const char *pattern);
unsigned int et_legacy_of(const char *name); /* UINT_MAX: none */
/* -k output of @f; with @ref, only what changed from it (-K).  @off:
 * NULL, or the legacy flags (bit k: et_legacy[k]) of @f and @ref. */
int et_features_print(struct et_ctx *c, const struct nl_ethtool_features *f,
		      const struct nl_ethtool_strset *names,
		      const struct nl_ethtool_features *ref,
		      const uint32_t *off);
int et_nl_gfeatures(struct et_ctx *c);

/* sfeatures.c */
int et_nl_sfeatures(struct et_ctx *c);

/* params.c: rings, channels, coalesce, pause */
int et_nl_gring(struct et_ctx *c);
int et_nl_sring(struct et_ctx *c);
int et_nl_gchannels(struct et_ctx *c);
int et_nl_schannels(struct et_ctx *c);
int et_nl_gcoalesce(struct et_ctx *c);
int et_nl_scoalesce(struct et_ctx *c);
int et_nl_gpause(struct et_ctx *c);
int et_nl_spause(struct et_ctx *c);

/* ioctl.c: ioctl-only commands and fallbacks */
int et_io_gdrv(struct et_ctx *c);
int et_io_gstats(struct et_ctx *c);
int et_io_nway_rst(struct et_ctx *c);
int et_io_permaddr(struct et_ctx *c);
int et_nl_permaddr(struct et_ctx *c);

/* io_gset.c, io_sset.c: DEV and -s over ioctl */
#define ET_N_MSGLVL 15
extern const char *const et_msglvl_names[ET_N_MSGLVL];
void et_print_msglvl(uint32_t v);
int et_io_gset(struct et_ctx *c);
int et_io_sset(struct et_ctx *c);

/* io_params.c: -g/-G, -l/-L, -a/-A, -c/-C over ioctl */
int et_io_gring(struct et_ctx *c);
int et_io_sring(struct et_ctx *c);
int et_io_gchannels(struct et_ctx *c);
int et_io_schannels(struct et_ctx *c);
int et_io_gcoalesce(struct et_ctx *c);
int et_io_scoalesce(struct et_ctx *c);
int et_io_gpause(struct et_ctx *c);
int et_io_spause(struct et_ctx *c);

/* io_features.c: -k/-K over ioctl */
int et_io_gfeatures(struct et_ctx *c);
int et_io_sfeatures(struct et_ctx *c);

/* tsinfo.c: -T */
int et_nl_tsinfo(struct et_ctx *c);
int et_io_tsinfo(struct et_ctx *c);

/* privflags.c: --show-priv-flags, --set-priv-flags */
int et_nl_gprivflags(struct et_ctx *c);
int et_nl_sprivflags(struct et_ctx *c);
int et_io_gprivflags(struct et_ctx *c);
int et_io_sprivflags(struct et_ctx *c);
/* 6.1's numeric bitset argument "[0x]VALUE[/[0x]MASK]" (compact; only
 * hex with @hex, else a decimal u32 first): 0, or -EINVAL/-E2BIG with
 * *@shown the text 6.1 names in its error.  et_num_is_bitset() says
 * whether 6.1 reads a word as one (else: "NAME on|off" pairs). */
bool et_num_is_bitset(const char *s);
int et_num_bitset(const char *arg, bool hex, struct nl_ethtool_bitset *bs,
		  const char **shown);
int et_num_string(const char *s, size_t len, uint32_t *w, size_t n_words,
		  bool hex);

/* eee.c: --show-eee, --set-eee */
int et_nl_geee(struct et_ctx *c);
int et_nl_seee(struct et_ctx *c);
int et_io_geee(struct et_ctx *c);
int et_io_seee(struct et_ctx *c);
/* settings.c: 6.1's dump_link_modes() of @bs's real link modes (its
 * mask with @mask) after "\t@before"; io_gset.c: dump_link_caps()'s
 * "\tPREFIX link modes:" line of ioctl mask @m (ETHTOOL_IOCTL_LM_WORDS). */
void et_lm_dump_real(struct et_ctx *c, const struct nl_ethtool_bitset *bs,
		     bool mask, const char *before);
void et_io_lm_modes(const char *ifname, const char *prefix, const uint32_t *m);

/* fec.c: --show-fec, --set-fec */
int et_nl_gfec(struct et_ctx *c);
int et_nl_sfec(struct et_ctx *c);
int et_io_gfec(struct et_ctx *c);
int et_io_sfec(struct et_ctx *c);

/* ethtool 6.1's strtoull-based numbers (base 0: 010 is 8, 0x10 is 16). */
int et_strtou(const char *s, int base, unsigned long long max,
	      unsigned long long *v);
int et_strtoi(const char *s, int base, long long min, long long max,
	      long long *v);
/* ethtool 6.1's netlink numbers: decimal, or hex after "0x"; strtoul
 * quirks kept (leading blanks and '+' pass). */
int et_nl_u32(const char *s, uint32_t *v);
/* WoL letters "pumbagsf", "d" clears: -EINVAL for any other byte. */
int et_parse_wol(const char *s, uint32_t *opts);

/* ioargs.c: 6.1's parse_generic_cmdline() and dump_hex() */
enum et_arg_type { ET_ARG_BOOL, ET_ARG_U8, ET_ARG_U32, ET_ARG_STR };
struct et_arg {
	const char *name;
	uint8_t type;
	void *val; /* bool, uint8_t, uint32_t or const char * */
	bool seen;
};
/* "NAME VALUE" pairs of c->argv into @args; -EINVAL: bad arguments. */
int et_args_parse(const struct et_ctx *c, struct et_arg *args, size_t n);
void et_dump_hex(const uint8_t *data, size_t len, uint32_t offset);

/* identify.c, selftest.c, eeprom.c, regs.c: -p, -t, -e/-E, -d (ioctl) */
int et_io_phys_id(struct et_ctx *c);
int et_io_test(struct et_ctx *c);
int et_io_geeprom(struct et_ctx *c);
int et_io_seeprom(struct et_ctx *c);
int et_io_gregs(struct et_ctx *c);

/* module.c: -m; sff.c: its decoders (-EOPNOTSUPP: none for that map) */
struct nl_ethtool_module_req;
int et_nl_module(struct et_ctx *c);
int et_io_module(struct et_ctx *c);
/* One read into @out (req->length bytes); prints the netlink error. */
int et_module_page(struct et_ctx *c, const struct nl_ethtool_module_req *req,
		   uint8_t *out);
int et_sff_show_nl(struct et_ctx *c, uint8_t id);
int et_sff_show_ioctl(uint32_t type, const uint8_t *data, size_t len);

/* rxfh.c: -x/-X (RSS indirection table, key, hash function; ioctl) */
int et_io_grxfh(struct et_ctx *c);
int et_io_srxfh(struct et_ctx *c);

/* rxnfc.c: -n/-N (rx-flow-hash; classification rules; ioctl) */
int et_io_grxnfc(struct et_ctx *c);
int et_io_srxnfc(struct et_ctx *c);

/* help.c */
int et_help(struct et_ctx *c);
int et_version(struct et_ctx *c);

#endif

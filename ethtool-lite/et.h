/* SPDX-License-Identifier: MIT */
/*
 * ethtool-lite: shared context of the command files.  main.c parses argv
 * and picks the netlink or ioctl handler the way ethtool 6.1 does; each
 * handler prints ethtool 6.1's output and returns its exit status.
 */
#ifndef ET_H
#define ET_H

#include <stdbool.h>
#include <stdint.h>

#include "ethtool.h"
#include "genl.h"
#include "nl.h"

/* Set to any value: behave as if the kernel had no ethtool family. */
#define ET_ENV_NO_NETLINK "EMBNET_ETHTOOL_NO_NETLINK"

struct et_ctx {
	const char *devname;
	int argc;
	char **argv;
	bool json;
	bool nl_ok;	     /* socket open and family resolved */
	bool ioctl_fallback; /* a handler found its message missing */
	struct nl_sock ns;
	struct nl_genl_family fam;
	struct nl_ethtool_dev dev;
};

/* A command handler: returns the exit status, or -EOPNOTSUPP from a
 * netlink handler to fall back to ioctl (ctx->ioctl_fallback set). */
typedef int (*et_fn)(struct et_ctx *c);

/* nlctx.c: netlink context and ethtool 6.1's error lines */
int et_nl_init(struct et_ctx *c);
void et_nl_done(struct et_ctx *c);
bool et_nl_missing(struct et_ctx *c, uint8_t cmd);
void et_nl_perror(const struct et_ctx *c, int err);
struct nl_ethtool_strset *et_strset(struct et_ctx *c, uint32_t id);
int et_bad_args(void);

/* settings.c */
int et_nl_gset(struct et_ctx *c);
int et_nl_sset(struct et_ctx *c);

/* features.c: ethtool's legacy flags {short, long, kernel pattern} */
#define ET_N_LEGACY 12
extern const char *const et_legacy[ET_N_LEGACY][3];
bool et_feature_match(const char *name, const char *pattern);
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
int et_io_unsupported(struct et_ctx *c);

/* help.c */
int et_help(struct et_ctx *c);
int et_version(struct et_ctx *c);

#endif

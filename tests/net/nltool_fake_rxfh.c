// SPDX-License-Identifier: MIT
/*
 * nltool util rxfh-exec: a device with RSS (an indirection table, a hash
 * key and functions, RSS contexts), which no device this kernel makes has
 * (tests/net/test_ethtool_rxfh.py).  The program's ioctl()s come here
 * (nltool_seccomp.c): for device $EMBNET_FAKE_DEV, the SIOCETHTOOL
 * commands GRXRINGS, GRSSH, SRSSH, GRXFHINDIR, SRXFHINDIR, and GSSET_INFO
 * and GSTRINGS of ETH_SS_RSS_HASH_FUNCS are answered from the file
 * $EMBNET_FAKE_RXFH with the kernel's checks (net/ethtool/ioctl.c); every
 * other call goes to the kernel.  After each answer the file is written
 * back with what changed, and adds each command to "calls" and each SET
 * request, bytes and all, to "sent", so that two programs' requests can be
 * compared.  The file's lines:
 *
 *   rings N                 GRXRINGS' ring count
 *   indir V...              the table (its length: the device's size)
 *   key HEX                 the hash key (its length: the key size)
 *   hfunc BITS              the hash function (bit n: funcs' name n)
 *   funcs NAME...           ETH_SS_RSS_HASH_FUNCS
 *   ctx ID HFUNC HEX|- V... an RSS context: function, key, table
 *   flags WORD...           nogrssh, noindir, norings, nostrings, noctx
 *                           (the driver lacks that: EOPNOTSUPP)
 *   claim INDIR KEY         hostile: the sizes GRSSH/GRXFHINDIR report
 *   grow N                  hostile: a full GET's reply claims N more
 */
#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <net/if.h>
#include <sys/syscall.h>

#include <linux/ethtool.h>
#include <linux/seccomp.h>
#include <linux/sockios.h>

#include "nltool.h"

#define FR_INDIR 1024 /* table entries kept */
#define FR_KEY 256    /* key bytes kept */
#define FR_FUNCS 40
#define FR_CTX 8
#define FR_LOG 8192

enum { F_NOGRSSH = 1, F_NOINDIR = 2, F_NORINGS = 4, F_NOSTR = 8, F_NOCTX = 16 };
static const char *const flag_names[] = { "nogrssh", "noindir", "norings",
					  "nostrings", "noctx" };

struct fr_rss {
	uint32_t id, hfunc;
	uint32_t indir[FR_INDIR];
	uint8_t key[FR_KEY];
};

struct fr {
	const char *dev, *path;
	unsigned int flags;
	uint64_t rings;
	uint32_t n_indir, key_len, n_funcs, n_ctx;
	struct fr_rss main, ctx[FR_CTX];
	char funcs[FR_FUNCS][ETH_GSTRING_LEN];
	bool claim;
	uint32_t claim_indir, claim_key, grow;
	char calls[FR_LOG], sent[FR_LOG];
};

/* ---- the state file ---------------------------------------------------- */

static void load_key(struct fr *f, struct fr_rss *r, const char *hex)
{
	unsigned int b;
	uint32_t n = 0;

	while (n < FR_KEY && sscanf(hex + 2 * n, "%2x", &b) == 1)
		r->key[n++] = (uint8_t)b;
	if (r == &f->main)
		f->key_len = n;
}

static uint32_t load_u32s(char *s, uint32_t *v, uint32_t max)
{
	uint32_t n = 0;
	char *end;

	while (n < max) {
		v[n] = (uint32_t)strtoul(s, &end, 0);
		if (end == s)
			break;
		s = end;
		n++;
	}
	return n;
}

static void load_ctx(struct fr *f, char *rest)
{
	struct fr_rss *r = &f->ctx[f->n_ctx];
	char hex[2 * FR_KEY + 1];
	int n = 0;

	if (f->n_ctx >= FR_CTX ||
	    sscanf(rest, "%u %u %512s %n", &r->id, &r->hfunc, hex, &n) < 3)
		return;
	f->n_ctx++;
	if (strcmp(hex, "-"))
		load_key(f, r, hex);
	load_u32s(rest + n, r->indir, FR_INDIR);
}

static void load_words(struct fr *f, const char *key, char *rest)
{
	char *w;
	size_t k;

	for (w = strtok(rest, " \t\n"); w; w = strtok(NULL, " \t\n")) {
		if (!strcmp(key, "funcs") && f->n_funcs < FR_FUNCS) {
			snprintf(f->funcs[f->n_funcs++], ETH_GSTRING_LEN, "%s",
				 w);
			continue;
		}
		for (k = 0; k < sizeof(flag_names) / sizeof(flag_names[0]); k++)
			if (!strcmp(w, flag_names[k]))
				f->flags |= 1u << k;
	}
}

static void load_line(struct fr *f, const char *key, char *rest)
{
	char hex[2 * FR_KEY + 1];
	unsigned long long v;

	if (!strcmp(key, "rings") && sscanf(rest, "%llu", &v) == 1)
		f->rings = v;
	else if (!strcmp(key, "indir"))
		f->n_indir = load_u32s(rest, f->main.indir, FR_INDIR);
	else if (!strcmp(key, "key") && sscanf(rest, "%512s", hex) == 1)
		load_key(f, &f->main, hex);
	else if (!strcmp(key, "hfunc"))
		sscanf(rest, "%u", &f->main.hfunc);
	else if (!strcmp(key, "funcs") || !strcmp(key, "flags"))
		load_words(f, key, rest);
	else if (!strcmp(key, "ctx"))
		load_ctx(f, rest);
	else if (!strcmp(key, "claim"))
		f->claim = sscanf(rest, "%u %u", &f->claim_indir,
				  &f->claim_key) == 2;
	else if (!strcmp(key, "grow"))
		sscanf(rest, "%u", &f->grow);
	else if ((!strcmp(key, "calls") || !strcmp(key, "sent")) &&
		 strcspn(rest, "\n"))
		snprintf(key[0] == 'c' ? f->calls : f->sent, FR_LOG, " %.*s",
			 (int)strcspn(rest, "\n"), rest);
}

static int load(struct fr *f)
{
	static char line[16384];
	char key[16];
	int n;
	FILE *in = fopen(f->path, "r");

	if (!in)
		return -errno;
	while (fgets(line, sizeof(line), in))
		if (sscanf(line, "%15s %n", key, &n) == 1)
			load_line(f, key, line + n);
	fclose(in);
	return 0;
}

static void save_rss(FILE *o, const struct fr *f, const struct fr_rss *r)
{
	uint32_t i;

	for (i = 0; i < f->key_len; i++)
		fprintf(o, "%02x", r->key[i]);
	if (r == &f->main)
		fprintf(o, "\nindir");
	else if (!f->key_len)
		fprintf(o, "-");
	for (i = 0; i < f->n_indir; i++)
		fprintf(o, " %u", r->indir[i]);
	fprintf(o, "\n");
}

static void save(const struct fr *f)
{
	FILE *o = fopen(f->path, "w");
	uint32_t i;
	size_t k;

	if (!o)
		return;
	fprintf(o, "rings %llu\nhfunc %u\nfuncs", (unsigned long long)f->rings,
		f->main.hfunc);
	for (i = 0; i < f->n_funcs; i++)
		fprintf(o, " %s", f->funcs[i]);
	fprintf(o, "\nflags");
	for (k = 0; k < sizeof(flag_names) / sizeof(flag_names[0]); k++)
		if (f->flags & (1u << k))
			fprintf(o, " %s", flag_names[k]);
	if (f->claim)
		fprintf(o, "\nclaim %u %u", f->claim_indir, f->claim_key);
	fprintf(o, "\ngrow %u\nkey ", f->grow);
	save_rss(o, f, &f->main);
	for (i = 0; i < f->n_ctx; i++) {
		fprintf(o, "ctx %u %u ", f->ctx[i].id, f->ctx[i].hfunc);
		save_rss(o, f, &f->ctx[i]);
	}
	fprintf(o, "calls%s\nsent%s\n", f->calls, f->sent);
	fclose(o);
}

static void logf_(char *log, const char *fmt, unsigned long long v)
{
	size_t n = strlen(log);

	if (n < FR_LOG - 32)
		snprintf(log + n, FR_LOG - n, fmt, v);
}

/* ---- SIOCETHTOOL ------------------------------------------------------- */

/* The call being answered: its listener and notification. */
struct fr_call {
	int listener;
	const struct seccomp_notif *req;
	uint64_t at; /* ifr_data */
};

static int peek(const struct fr_call *c, uint64_t at, void *buf, size_t len)
{
	return nltool_seccomp_peek(c->listener, c->req, at, buf, len);
}

static int poke(const struct fr_call *c, uint64_t at, const void *buf,
		size_t len)
{
	return nltool_seccomp_poke(c->req, at, buf, len) < 0 ? -EFAULT : 0;
}

static uint32_t min32(uint32_t a, uint32_t b)
{
	return a < b ? a : b;
}

/* The device's table and key sizes as GETs report them. */
static uint32_t dev_indir(const struct fr *f)
{
	return f->claim ? f->claim_indir : f->n_indir;
}

static uint32_t dev_key(const struct fr *f)
{
	return f->claim ? f->claim_key : f->key_len;
}

/* The RSS context @id (0: the device's), NULL if none. */
static struct fr_rss *rss_of(struct fr *f, uint32_t id)
{
	uint32_t i;

	if (!id)
		return &f->main;
	for (i = 0; i < f->n_ctx; i++)
		if (f->ctx[i].id == id)
			return &f->ctx[i];
	return NULL;
}

/* A context on a driver without them: the kernel core's -EOPNOTSUPP (an
 * unknown one is -ENOENT, as sfc answers). */
static int ctx_check(const struct fr *f, uint32_t id)
{
	if (id && (f->flags & F_NOCTX))
		return -EOPNOTSUPP;
	return 0;
}

static int io_grssh(struct fr *f, const struct fr_call *c)
{
	struct ethtool_rxfh h;
	struct fr_rss *r;
	uint32_t ui, uk;
	int err;

	if (peek(c, c->at, &h, sizeof(h)) < 0)
		return -EFAULT;
	if (h.rsvd8[0] || h.rsvd8[1] || h.rsvd8[2] || h.rsvd32)
		return -EINVAL;
	if ((err = ctx_check(f, h.rss_context)) < 0)
		return err;
	ui = h.indir_size;
	uk = h.key_size;
	h.indir_size = dev_indir(f);
	h.key_size = dev_key(f);
	if (poke(c, c->at, &h, sizeof(h)) < 0)
		return -EFAULT;
	if ((ui && ui != h.indir_size) || (uk && uk != h.key_size))
		return -EINVAL;
	r = rss_of(f, h.rss_context);
	if (!r)
		return -ENOENT;
	h.hfunc = (uint8_t)r->hfunc;
	h.indir_size += ui ? f->grow : 0;
	h.key_size += uk ? f->grow : 0;
	if (poke(c, c->at, &h, sizeof(h)) < 0 ||
	    poke(c, c->at + sizeof(h), r->indir,
		 4 * (size_t)min32(ui, f->n_indir)) < 0)
		return -EFAULT;
	return poke(c, c->at + sizeof(h) + 4 * (uint64_t)ui, r->key,
		    min32(uk, f->key_len));
}

/* SRSSH/SRXFHINDIR's table of @n entries at @at into @t, each checked
 * against the ring count as ethtool_copy_validate_indir() does. */
static int read_indir(struct fr *f, const struct fr_call *c, uint64_t at,
		      uint32_t n, uint32_t *t)
{
	uint32_t i;

	if (peek(c, at, t, 4 * (size_t)n) < 0)
		return -EFAULT;
	for (i = 0; i < n; i++)
		logf_(f->sent, " %llu", t[i]);
	for (i = 0; i < n; i++)
		if (t[i] >= f->rings)
			return -EINVAL;
	return 0;
}

static int default_indir(const struct fr *f, uint32_t *t)
{
	uint32_t i;

	if (!f->rings)
		return -EINVAL; /* the kernel would divide by zero */
	for (i = 0; i < f->n_indir; i++)
		t[i] = (uint32_t)(i % f->rings);
	return 0;
}

/* SRSSH of context @id (ETH_RXFH_CONTEXT_ALLOC: a new one) in *@h. */
static int set_ctx(struct fr *f, struct ethtool_rxfh *h, const uint32_t *t,
		   const uint8_t *key)
{
	struct fr_rss *r = rss_of(f, h->rss_context);

	if (h->rss_context == ETH_RXFH_CONTEXT_ALLOC) {
		if (!h->indir_size || f->n_ctx >= FR_CTX)
			return -EINVAL;
		r = &f->ctx[f->n_ctx++];
		*r = f->main;
		default_indir(f, r->indir);
		r->id = h->rss_context = f->n_ctx > 1 ? r[-1].id + 1 : 1;
	} else if (!r) {
		return -ENOENT;
	} else if (h->rss_context && !h->indir_size) {
		*r = f->ctx[--f->n_ctx]; /* delete */
		return 0;
	}
	if (!h->indir_size && default_indir(f, r->indir) < 0)
		return -EINVAL;
	if (h->indir_size && h->indir_size != ETH_RXFH_INDIR_NO_CHANGE)
		memcpy(r->indir, t, 4 * (size_t)f->n_indir);
	if (h->key_size)
		memcpy(r->key, key, f->key_len);
	if (h->hfunc)
		r->hfunc = h->hfunc;
	return 0;
}

static int io_srssh(struct fr *f, const struct fr_call *c)
{
	static uint32_t t[FR_INDIR];
	uint8_t key[FR_KEY];
	struct ethtool_rxfh h;
	uint64_t at = c->at + sizeof(h);
	uint32_t i;
	int err;

	if (peek(c, c->at, &h, sizeof(h)) < 0)
		return -EFAULT;
	logf_(f->sent, " srssh ctx=%llu", h.rss_context);
	logf_(f->sent, " indir_size=%llu", h.indir_size);
	logf_(f->sent, " key_size=%llu", h.key_size);
	logf_(f->sent, " hfunc=%llu", h.hfunc);
	if (h.rsvd8[0] || h.rsvd8[1] || h.rsvd8[2] || h.rsvd32)
		return -EINVAL;
	if ((err = ctx_check(f, h.rss_context)) < 0)
		return err;
	if ((h.indir_size && h.indir_size != ETH_RXFH_INDIR_NO_CHANGE &&
	     h.indir_size != f->n_indir) ||
	    (h.key_size && h.key_size != f->key_len) ||
	    (h.indir_size == ETH_RXFH_INDIR_NO_CHANGE && !h.key_size &&
	     !h.hfunc))
		return -EINVAL;
	if (h.indir_size && h.indir_size != ETH_RXFH_INDIR_NO_CHANGE &&
	    (err = read_indir(f, c, at, f->n_indir, t)) < 0)
		return err;
	if (h.indir_size != ETH_RXFH_INDIR_NO_CHANGE)
		at += 4 * (uint64_t)f->n_indir;
	if (h.key_size && peek(c, at, key, f->key_len) < 0)
		return -EFAULT;
	for (i = 0; i < h.key_size; i++)
		logf_(f->sent, i ? ":%02llx" : " key=%02llx", key[i]);
	if (h.hfunc & ~((1ull << f->n_funcs) - 1))
		return -EOPNOTSUPP; /* a function the driver lacks */
	if ((err = set_ctx(f, &h, t, key)) < 0)
		return err;
	return poke(c, c->at + offsetof(struct ethtool_rxfh, rss_context),
		    &h.rss_context, sizeof(h.rss_context));
}

static int io_indir(struct fr *f, const struct fr_call *c, uint32_t cmd)
{
	static uint32_t t[FR_INDIR];
	uint64_t at = c->at + offsetof(struct ethtool_rxfh_indir, size);
	uint32_t user, dev = dev_indir(f);
	int err;

	if (!dev || (f->flags & F_NOINDIR))
		return -EOPNOTSUPP;
	if (peek(c, at, &user, sizeof(user)) < 0)
		return -EFAULT;
	if (cmd == ETHTOOL_SRXFHINDIR) {
		logf_(f->sent, " srxfhindir size=%llu", user);
		if (user && user != f->n_indir)
			return -EINVAL;
		err = user ? read_indir(f, c, at + 4, user, t)
			   : default_indir(f, t);
		if (!err)
			memcpy(f->main.indir, t, 4 * (size_t)f->n_indir);
		return err;
	}
	if (poke(c, at, &dev, sizeof(dev)) < 0)
		return -EFAULT;
	if (user < dev)
		return user ? -EINVAL : 0;
	dev += f->grow;
	if (poke(c, at, &dev, sizeof(dev)) < 0)
		return -EFAULT;
	return poke(c, at + 4, f->main.indir,
		    4 * (size_t)min32(user, f->n_indir));
}

/* GSSET_INFO and GSTRINGS of ETH_SS_RSS_HASH_FUNCS: 1 for other sets. */
static int io_strings(struct fr *f, const struct fr_call *c, uint32_t cmd)
{
	struct ethtool_sset_info si;
	struct ethtool_gstrings gs;

	if (cmd == ETHTOOL_GSSET_INFO) {
		if (peek(c, c->at, &si, sizeof(si)) < 0)
			return -EFAULT;
		if (si.sset_mask != 1ULL << ETH_SS_RSS_HASH_FUNCS)
			return 1;
		if (f->flags & F_NOSTR)
			return -EOPNOTSUPP;
		return poke(c, c->at + sizeof(si), &f->n_funcs,
			    sizeof(f->n_funcs));
	}
	if (peek(c, c->at, &gs, sizeof(gs)) < 0)
		return -EFAULT;
	if (gs.string_set != ETH_SS_RSS_HASH_FUNCS)
		return 1;
	gs.len = f->n_funcs;
	if (poke(c, c->at, &gs, sizeof(gs)) < 0)
		return -EFAULT;
	return poke(c, c->at + sizeof(gs), f->funcs,
		    (size_t)f->n_funcs * ETH_GSTRING_LEN);
}

/* 0 or -errno: answered; 1: the kernel's. */
static int io_dispatch(struct fr *f, const struct fr_call *c, uint32_t cmd)
{
	switch (cmd) {
	case ETHTOOL_GRXRINGS:
		if (f->flags & F_NORINGS)
			return -EOPNOTSUPP;
		return poke(c, c->at + offsetof(struct ethtool_rxnfc, data),
			    &f->rings, sizeof(f->rings));
	case ETHTOOL_GRSSH:
	case ETHTOOL_SRSSH:
		if (f->flags & F_NOGRSSH)
			return -EOPNOTSUPP;
		return cmd == ETHTOOL_GRSSH ? io_grssh(f, c) : io_srssh(f, c);
	case ETHTOOL_GRXFHINDIR:
	case ETHTOOL_SRXFHINDIR:
		return io_indir(f, c, cmd);
	case ETHTOOL_GSSET_INFO:
	case ETHTOOL_GSTRINGS:
		return io_strings(f, c, cmd);
	default:
		return 1;
	}
}

static void fr_notify(int listener, const struct seccomp_notif *req,
		      struct seccomp_notif_resp *resp, void *data)
{
	struct fr_call c = { .listener = listener, .req = req };
	struct fr *f = data;
	uint32_t cmd;
	int ret;

	if (nltool_seccomp_ethtool(listener, req, f->dev, &c.at, &cmd))
		return;
	ret = io_dispatch(f, &c, cmd);
	if (ret > 0)
		return;
	logf_(f->calls, " %#llx", cmd);
	if (ret < 0)
		logf_(f->calls, ":%llu", (unsigned long long)-ret);
	save(f);
	nltool_seccomp_return(resp, ret);
}

int nltool_fake_rxfh_exec(char **argv)
{
	static const int nrs[] = { __NR_ioctl };
	static struct fr f;
	int err;

	f.dev = getenv("EMBNET_FAKE_DEV");
	f.path = getenv("EMBNET_FAKE_RXFH");
	if (!f.dev || !f.path) {
		fprintf(stderr, "nltool: util rxfh-exec: needs "
				"EMBNET_FAKE_DEV and EMBNET_FAKE_RXFH\n");
		return 2;
	}
	err = load(&f);
	if (err < 0)
		return nltool_fail(NULL, err, f.path);
	return nltool_seccomp_supervise(argv, nrs, 1, fr_notify, &f);
}

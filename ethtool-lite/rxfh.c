// SPDX-License-Identifier: MIT
/*
 * -x / --show-rxfh and -X / --rxfh: the RSS indirection table, hash key
 * and hash function over SIOCETHTOOL (GRXRINGS, then GRSSH/SRSSH, or
 * GRXFHINDIR/SRXFHINDIR where the driver lacks GRSSH), asked, checked and
 * printed as ethtool 6.1's do_grxfh() and do_srxfh() do; -x also with
 * --json (beyond 6.1, in the later ethtool's keys: JSON.md).
 */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linux/ethtool.h>

#include "embnet/parse.h"
#include "et.h"
#include "print.h"

/*
 * The kernel's sizes are capped before anything is allocated: past these
 * (no driver comes near: 2048 entries, 52 bytes), a size is answered as
 * 6.1's failed allocation of it is, "Cannot allocate memory".
 */
#define RXFH_MAX_INDIR 65536 /* u32 entries */
#define RXFH_MAX_KEY 65536   /* bytes */
#define CONFIG "RX flow hash config"

/* -X's words: word n sets flag 1 << n (hfunc: none). */
static const char words[] = "equal\0weight\0default\0start\0context\0delete\0"
			    "hkey\0hfunc";
#define N_WORDS 8
enum {
	A_EQUAL = 1,
	A_WEIGHT = 2,
	A_DEFAULT = 4,
	A_START = 8,
	A_CTX = 16,
	A_DELETE = 32,
	A_KEY = 64,
};

struct rxfh_args {
	unsigned int flags;
	uint32_t equal, start, ctx, n_w;
	char **w; /* the weights: n_w words from here */
	const char *key, *hfunc;
};

/* 6.1's refusals of combinations, in its order: flags all set, none set;
 * their texts in this order, each "X and Y" + " options are ...". */
static const uint8_t conflicts[][2] = {
	{ A_EQUAL | A_WEIGHT, 0 },
	{ A_EQUAL | A_DEFAULT, 0 },
	{ A_WEIGHT | A_DEFAULT, 0 },
	{ A_START | A_DEFAULT, 0 },
	{ A_START, A_EQUAL | A_WEIGHT },
	{ A_DEFAULT | A_CTX, 0 },
	{ A_DELETE, A_CTX },
	{ A_DELETE | A_WEIGHT, 0 },
	{ A_DELETE | A_EQUAL, 0 },
	{ A_DELETE | A_DEFAULT, 0 },
	{ A_DELETE | A_KEY, 0 },
};
static const char conflict_texts[] =
	"Equal and weight\0Equal and default\0Weight and default\0"
	"Start and default\0Start must be used with equal or weight options\0"
	"Default and context\0Delete option requires context option\0"
	"Delete and weight\0Delete and equal\0Delete and default\0"
	"Delete and hkey";

static int ring_count(const struct et_ctx *c, uint64_t *n)
{
	struct ethtool_rxnfc r = { .cmd = ETHTOOL_GRXRINGS };
	int err = ethtool_ioctl(c->devname, &r);

	if (err < 0)
		et_perror("Cannot get RX ring count", err);
	*n = r.data;
	return err;
}

/* A zeroed @hdr + @n_indir entries + @key_len bytes, or NULL after 6.1's
 * "Cannot allocate memory for @what". */
static void *rxfh_alloc(const char *what, size_t hdr, uint64_t n_indir,
			uint64_t key_len)
{
	void *p = NULL;

	if (n_indir <= RXFH_MAX_INDIR && key_len <= RXFH_MAX_KEY)
		p = calloc(1, hdr + n_indir * 4 + key_len);
	if (!p) {
		fflush(stdout);
		fprintf(stderr, "Cannot allocate memory for %s: %s\n", what,
			strerror(ENOMEM));
	}
	return p;
}

static void print_table(const struct et_ctx *c, uint64_t rings,
			const uint32_t *t, uint32_t n)
{
	uint32_t i;

	if (c->json) {
		et_json_open(c->devname);
		et_json_key("rx-rings");
		printf("%llu", (unsigned long long)rings);
		if (n)
			et_json_key("rss-indirection-table");
		for (i = 0; i < n; i++)
			printf("%s%u", i ? ", " : "[ ", t[i]);
		if (n)
			printf(" ]");
		return;
	}
	printf("RX flow hash indirection table for %s with %llu RX ring(s):\n",
	       c->devname, (unsigned long long)rings);
	if (!n)
		printf("Operation not supported\n");
	for (i = 0; i < n; i++) {
		if (i % 8 == 0)
			printf("%5u: ", i);
		printf(" %5u", t[i]);
		if (i % 8 == 7 || i == n - 1)
			putchar('\n');
	}
}

/* GRXFHINDIR's size query and a table of that size (cmd @cmd), or NULL
 * after 6.1's error line. */
static struct ethtool_rxfh_indir *indir_alloc(const struct et_ctx *c,
					      uint32_t cmd)
{
	struct ethtool_rxfh_indir h = { .cmd = ETHTOOL_GRXFHINDIR };
	struct ethtool_rxfh_indir *t;
	int err = ethtool_ioctl(c->devname, &h);

	if (err < 0) {
		et_perror("Cannot get RX flow hash indirection table size",
			  err);
		return NULL;
	}
	t = rxfh_alloc("indirection table", sizeof(*t), h.size, 0);
	if (!t)
		return NULL;
	t->cmd = cmd;
	t->size = h.size;
	return t;
}

static int grxfhindir(const struct et_ctx *c, uint64_t rings)
{
	struct ethtool_rxfh_indir *t = indir_alloc(c, ETHTOOL_GRXFHINDIR);
	uint32_t n;
	int err;

	if (!t)
		return 1;
	n = t->size;
	err = ethtool_ioctl(c->devname, t);
	if (err < 0)
		et_perror("Cannot get RX flow hash indirection table", err);
	else
		print_table(c, rings, t->ring_index, t->size < n ? t->size : n);
	if (err >= 0 && c->json)
		et_json_close();
	free(t);
	return err < 0;
}

static void print_key(const struct et_ctx *c, const uint8_t *k, uint32_t n)
{
	uint32_t i;

	if (c->json && n)
		et_json_key("rss-hash-key");
	if (!c->json)
		printf("RSS hash key:\n%s",
		       n ? "" : "Operation not supported\n");
	for (i = 0; i < n; i++)
		if (c->json)
			printf("%s%u", i ? ", " : "[ ", k[i]);
		else
			printf("%02x%c", k[i], i == n - 1 ? '\n' : ':');
	if (c->json && n)
		printf(" ]");
}

/*
 * ETH_SS_RSS_HASH_FUNCS, each name cut at 31 characters as 6.1 does: with
 * @name, its bit into *@bit (6.1's "Unknown hash function" if none);
 * with @json (ETH_GSTRING_LEN bytes), the name of @hfunc's first function
 * there and *@bit 1 (else 0); else each function of @hfunc on or off.
 * 0, or 1 after the error.
 */
static int hfuncs(const struct et_ctx *c, const char *name, uint8_t hfunc,
		  uint32_t *bit, char *json)
{
	struct ethtool_ioctl_stats *st;
	uint32_t i;
	int err = ethtool_ioctl_strings(c->devname, ETH_SS_RSS_HASH_FUNCS, 0,
					&st);

	if (err < 0) {
		et_perror("Cannot get hash functions names", err);
		return 1;
	}
	for (i = 0; i < st->n; i++) {
		st->names[i][ETH_GSTRING_LEN - 1] = '\0';
		if (name && !*bit && i < 32 && !strcmp(st->names[i], name))
			*bit = 1u << i;
		if (name)
			continue;
		if (json && i < 8 && (hfunc >> i & 1) && !*bit) {
			memcpy(json, st->names[i], ETH_GSTRING_LEN);
			*bit = 1;
		}
		if (json)
			continue;
		printf("    ");
		et_print_str(stdout, st->names[i], ETH_GSTRING_LEN);
		printf(": %s\n", i < 8 && (hfunc >> i & 1) ? "on" : "off");
	}
	free(st);
	if (!name || *bit || json)
		return 0;
	fprintf(stderr, "Unknown hash function: %s\n", name);
	return 1;
}

static int show(const struct et_ctx *c, uint32_t ctx, uint64_t rings)
{
	struct ethtool_rxfh h = { .cmd = ETHTOOL_GRSSH, .rss_context = ctx };
	struct ethtool_rxfh *r;
	char hf[ETH_GSTRING_LEN];
	uint32_t n, k, found = 0;
	size_t len;
	int err = ethtool_ioctl(c->devname, &h);

	if (err == -EOPNOTSUPP && !ctx)
		return grxfhindir(c, rings);
	if (err < 0) {
		et_perror("Cannot get RX flow hash indir size and/or key size",
			  err);
		return 1;
	}
	r = rxfh_alloc(CONFIG, sizeof(*r), h.indir_size, h.key_size);
	if (!r)
		return 1;
	r->cmd = ETHTOOL_GRSSH;
	r->rss_context = ctx;
	r->indir_size = h.indir_size;
	r->key_size = h.key_size;
	err = ethtool_ioctl(c->devname, r);
	if (err < 0) {
		et_perror("Cannot get RX flow hash configuration", err);
		free(r);
		return 1;
	}
	/* A hostile answer cannot grow the buffer we sized. */
	len = (size_t)h.indir_size * 4 + h.key_size;
	n = r->indir_size < h.indir_size ? r->indir_size : h.indir_size;
	k = (size_t)r->key_size < len - n * 4 ? r->key_size
					      : (uint32_t)(len - n * 4);
	if (c->json && r->hfunc && hfuncs(c, NULL, r->hfunc, &found, hf)) {
		free(r);
		return 1;
	}
	print_table(c, rings, r->rss_config, n);
	print_key(c, (uint8_t *)(r->rss_config + n), k);
	if (c->json && found)
		et_json_string("rss-hash-function", hf);
	else if (c->json && r->hfunc)
		et_json_u32("rss-hash-function-raw", r->hfunc);
	else if (!c->json)
		printf("RSS hash function:\n");
	if (c->json)
		et_json_close();
	else if (r->hfunc)
		err = hfuncs(c, NULL, r->hfunc, NULL, NULL);
	else
		printf("    Operation not supported\n");
	free(r);
	return err;
}

int et_io_grxfh(struct et_ctx *c)
{
	long long ctx = 0;
	uint64_t rings;
	int i;

	for (i = 0; i < c->argc; i += 2)
		if (strcmp(c->argv[i], "context") ||
		    et_strtoi(c->argv[i + 1], 0, 1, ETH_RXFH_CONTEXT_ALLOC - 1,
			      &ctx) < 0)
			return et_bad_args();
	if (ring_count(c, &rings) < 0 || show(c, (uint32_t)ctx, rings)) {
		if (c->json)
			printf("[ ]\n");
		return 1;
	}
	return 0;
}

/* -X's words as 6.1's do_srxfh() reads them: 0, or -1 for bad args.
 * ("context" without a value crashes 6.1: here it is bad args too.) */
static int parse(const struct et_ctx *c, struct rxfh_args *a)
{
	char **v = c->argv;
	const char *k;
	long long n;
	int i = 0, w;

	if (c->argc < 1)
		return -1;
	while (i < c->argc) {
		for (w = 0, k = words; w < N_WORDS && strcmp(v[i], k); w++)
			k += strlen(k) + 1;
		i++;
		if (w == 1) { /* weight */
			a->w = v + i;
			for (; i < c->argc && isdigit((unsigned char)v[i][0]);
			     i++)
				a->n_w++; /* a second "weight" adds (6.1) */
			if (!a->n_w)
				return -1;
		} else if (w == 2 || w == 5) { /* default, delete */
			a->flags |= 1u << w;
		} else if (w == 4 && v[i] && !strcmp(v[i], "new")) {
			a->ctx = ETH_RXFH_CONTEXT_ALLOC;
			i++;
		} else if (w == 0 || w == 3 || w == 4) { /* equal, start, ctx */
			if (et_strtoi(v[i++], 0, w != 3,
				      w == 4 ? ETH_RXFH_CONTEXT_ALLOC - 1
					     : INT_MAX,
				      &n) < 0)
				return -1;
			*(w ? w == 3 ? &a->start : &a->ctx : &a->equal) =
				(uint32_t)n;
		} else if (w < N_WORDS && v[i]) { /* hkey, hfunc */
			*(w == 6 ? &a->key : &a->hfunc) = v[i++];
		} else {
			return -1;
		}
	}
	a->flags |= (a->equal ? A_EQUAL : 0) | (a->w ? A_WEIGHT : 0) |
		    (a->start ? A_START : 0) | (a->ctx ? A_CTX : 0) |
		    (a->key ? A_KEY : 0);
	return 0;
}

/* 6.1's first refusal of a combination, if any: 1, else 0. */
static int conflict(const struct rxfh_args *a)
{
	const char *t = conflict_texts;
	size_t i;

	for (i = 0; i < sizeof(conflicts) / 2; i++, t += strlen(t) + 1) {
		if ((a->flags & conflicts[i][0]) != conflicts[i][0] ||
		    (a->flags & conflicts[i][1]))
			continue;
		fprintf(stderr, "%s%s\n", t,
			conflicts[i][1] ? ""
					: " options are mutually exclusive");
		return 1;
	}
	return 0;
}

static int weight(const char *s, uint32_t *w)
{
	unsigned long long v;

	if (et_strtou(s, 0, UINT32_MAX, &v) < 0)
		return -1;
	*w = (uint32_t)v;
	return 0;
}

/*
 * The table of @size entries at @t as 6.1's fill_indir_table() makes it,
 * in its u32 arithmetic; *@size 0 for "default", ETH_RXFH_INDIR_NO_CHANGE
 * for neither.  Returns 0 or 1 after the error printed.
 */
static int fill(const struct rxfh_args *a, uint32_t *size, uint32_t *t)
{
	uint32_t i, j, w, sum = 0, part = 0;

	if (a->equal) {
		for (i = 0; i < *size; i++)
			t[i] = a->start + i % a->equal;
		return 0;
	}
	if (!a->w) {
		*size = a->flags & A_DEFAULT ? 0 : ETH_RXFH_INDIR_NO_CHANGE;
		return 0;
	}
	for (j = 0; j < a->n_w; j++) {
		if (weight(a->w[j], &w) < 0)
			return et_bad_args();
		sum += w;
	}
	if (!sum || sum > *size) {
		fprintf(stderr, "%s\n",
			sum ? "Total weight exceeds the size of the indirection "
			      "table"
			    : "At least one weight must be non-zero");
		return 1;
	}
	for (i = 0, j = UINT32_MAX; i < *size; t[i++] = a->start + j) {
		while (i >= (uint32_t)(*size * part) / sum) {
			/* past the weights 6.1 reads the next word (a
			 * keyword or NULL): bad args */
			if (++j >= a->n_w || weight(a->w[j], &w) < 0)
				return et_bad_args();
			part += w;
		}
	}
	return 0;
}

static int srxfhindir(const struct et_ctx *c, const struct rxfh_args *a)
{
	struct ethtool_rxfh_indir *t = indir_alloc(c, ETHTOOL_SRXFHINDIR);
	int err = 1;

	if (t && !fill(a, &t->size, t->ring_index)) {
		err = ethtool_ioctl(c->devname, t);
		if (err < 0)
			et_perror("Cannot set RX flow hash indirection table",
				  err);
		err = err < 0;
	}
	free(t);
	return err;
}

/*
 * One byte of "hkey XX:XX:..." as 6.1's sscanf("%2x%n") that must take two
 * characters reads it, by glibc's rules whatever the C library: one blank
 * then a digit, a sign then a digit, "0x" as 0, or two digits.
 */
static int hex_byte(const char *s, uint8_t *b)
{
	int hi = parse_hex_digit(s[0]), lo = s[0] ? parse_hex_digit(s[1]) : -1;

	if (hi == 0 && (s[1] | 0x20) == 'x') {
		*b = 0;
		return 0;
	}
	if (lo < 0)
		return -1;
	if (isspace((unsigned char)s[0])) {
		/* a third character taken makes three */
		if (parse_hex_digit(s[2]) >= 0 ||
		    (lo == 0 && (s[2] | 0x20) == 'x'))
			return -1;
		hi = 0;
	} else if (s[0] == '-' || s[0] == '+') {
		lo = s[0] == '-' ? -lo : lo;
		hi = 0;
	} else if (hi < 0) {
		return -1;
	}
	*b = (uint8_t)(hi * 16 + lo);
	return 0;
}

/* "hkey" into @out (@len bytes): 0, or 2 after 6.1's error line. */
static int parse_key(const char *s, uint8_t *out, uint32_t len)
{
	uint32_t i = 0;

	do {
		if (i > len - 1) {
			fprintf(stderr,
				"Key is too long for device (%u > %u)\n", i + 1,
				len);
			return 2;
		}
		if (hex_byte(s, &out[i++]) < 0 || (s[2] && s[2] != ':')) {
			fprintf(stderr, "Invalid RSS hash key format\n");
			return 2;
		}
		s += s[2] ? 3 : 2;
	} while (*s);
	if (i != len) {
		fprintf(stderr, "Key is too short for device (%u < %u)\n", i,
			len);
		return 2;
	}
	return 0;
}

/* SRSSH of what @a asks, the device's sizes in @h: the exit status. */
static int srssh(const struct et_ctx *c, const struct rxfh_args *a,
		 const struct ethtool_rxfh *h)
{
	uint32_t bit = 0,
		 n = a->flags & (A_EQUAL | A_WEIGHT) ? h->indir_size : 0;
	struct ethtool_rxfh *r = NULL;
	uint8_t *key = NULL;
	int err = 1;

	if (a->key && !h->key_size) {
		fprintf(stderr, "Cannot set RX flow hash configuration:\n"
				" Hash key setting not supported\n");
		return 1;
	}
	if (a->key && !(key = rxfh_alloc("RSS hash key", 0, 0, h->key_size)))
		return 1;
	if (key && (err = parse_key(a->key, key, h->key_size)))
		goto out;
	err = 1;
	if (h->hfunc && a->hfunc && hfuncs(c, a->hfunc, 0, &bit, NULL))
		goto out;
	r = rxfh_alloc(CONFIG, sizeof(*r), n, h->key_size);
	if (!r)
		goto out;
	r->cmd = ETHTOOL_SRSSH;
	r->rss_context = a->ctx;
	r->hfunc = (uint8_t)bit; /* a u8: functions past the 8th are 0 */
	if (!(a->flags & A_DELETE)) {
		r->indir_size = h->indir_size;
		r->key_size = key ? h->key_size : 0;
		if (fill(a, &r->indir_size, r->rss_config))
			goto out;
	}
	if (key)
		memcpy(r->rss_config + n, key, h->key_size);
	err = ethtool_ioctl(c->devname, r);
	if (err < 0)
		et_perror("Cannot set RX flow hash configuration", err);
	else if (a->ctx == ETH_RXFH_CONTEXT_ALLOC)
		printf("New RSS context is %d\n", (int)r->rss_context);
	err = err < 0;
out:
	free(r);
	free(key);
	return err;
}

int et_io_srxfh(struct et_ctx *c)
{
	struct ethtool_rxfh h = { .cmd = ETHTOOL_GRSSH };
	struct rxfh_args a = { 0 };
	uint64_t rings;
	int err;

	if (parse(c, &a) < 0)
		return et_bad_args();
	if (conflict(&a) || ring_count(c, &rings) < 0)
		return 1;
	err = ethtool_ioctl(c->devname, &h);
	if (err == -EOPNOTSUPP && !a.key && !a.hfunc && !a.ctx)
		return srxfhindir(c, &a);
	if (err < 0) {
		et_perror("Cannot get RX flow hash indir size and key size",
			  err);
		return 1;
	}
	return srssh(c, &a, &h);
}

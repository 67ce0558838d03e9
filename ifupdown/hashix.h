/* SPDX-License-Identifier: MIT */
/*
 * A hash index of string keys, for the parser's names (parse.c) and the
 * lists that must hold each name once (pattern.c): open addressing, each
 * key TAG A '\n' B, so one index holds several kinds of names.  A must
 * not hold a '\n'; B may.  Pure but for the hash's key, drawn once per
 * process: names chosen to collide cannot be, and each look-up stays a
 * probe or two.
 */
#ifndef IFUPDOWN_HASHIX_H
#define IFUPDOWN_HASHIX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* What a key or a parsed string takes besides its text (malloc). */
#define IX_COST_REC 64

struct ix_slot {
	char *key; /* NULL: free */
	uint64_t hash;
	size_t val, len, cap; /* the user's: 0 in a new slot */
};

struct ifp_index {
	struct ix_slot *v;
	size_t n, cap; /* cap: 0 or a power of 2 */
	size_t probes; /* slots looked at so far (the tests count them) */
};

struct ix_key {
	char tag;
	const char *a, *b;
};

/*
 * Looks @k up in *@ixp (made on first use): 1 with *@s its slot, or 0 and
 * *@s a new slot (val, len, cap 0) when @add, else NULL.  *@cost grows by
 * what a new key takes.  -ENOMEM.  A new key may move every slot.
 */
int ix_get(struct ifp_index **ixp, const struct ix_key *k, bool add,
	   struct ix_slot **s, size_t *cost);

/* Sets the hash's key (the tests; otherwise random, on first use). */
void ix_seed(uint64_t k0, uint64_t k1);

/* Frees *@ixp and its keys; *@ixp becomes NULL. */
void ix_free(struct ifp_index **ixp);

#endif

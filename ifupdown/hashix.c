/* SPDX-License-Identifier: MIT */
/* The hash index of hashix.h: FNV-1a, linear probing, grown at 3/4. */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "hashix.h"

static uint64_t ix_hash(const struct ix_key *k)
{
	const char *parts[3] = { k->a, "\n", k->b };
	uint64_t h = (0xcbf29ce484222325ull ^ (unsigned char)k->tag) *
		     0x100000001b3ull;

	for (int i = 0; i < 3; i++)
		for (const char *p = parts[i]; *p; p++)
			h = (h ^ (unsigned char)*p) * 0x100000001b3ull;
	return h;
}

/* The slot of @k (hash @h): its own, or the free one it would take. */
static struct ix_slot *ix_find(const struct ifp_index *ix,
			       const struct ix_key *k, uint64_t h)
{
	size_t la = strlen(k->a), i = h & (ix->cap - 1);

	for (;; i = (i + 1) & (ix->cap - 1)) {
		const struct ix_slot *s = &ix->v[i];

		if (!s->key || (s->hash == h && s->key[0] == k->tag &&
				strncmp(s->key + 1, k->a, la) == 0 &&
				s->key[1 + la] == '\n' &&
				strcmp(s->key + 2 + la, k->b) == 0))
			return &ix->v[i];
	}
}

static int ix_grow(struct ifp_index *ix)
{
	size_t cap = ix->cap ? ix->cap * 2 : 8;
	struct ix_slot *v = calloc(cap, sizeof(*v));

	if (!v)
		return -ENOMEM;
	for (size_t i = 0; i < ix->cap; i++) {
		size_t j = ix->v[i].hash & (cap - 1);

		if (!ix->v[i].key)
			continue;
		while (v[j].key)
			j = (j + 1) & (cap - 1);
		v[j] = ix->v[i];
	}
	free(ix->v);
	ix->v = v;
	ix->cap = cap;
	return 0;
}

int ix_get(struct ifp_index **ixp, const struct ix_key *k, bool add,
	   struct ix_slot **s, size_t *cost)
{
	struct ifp_index *ix = *ixp;
	uint64_t h = ix_hash(k);
	size_t la = strlen(k->a), lb = strlen(k->b);
	char *key;

	*s = ix && ix->cap ? ix_find(ix, k, h) : NULL;
	if (*s && (*s)->key)
		return 1;
	*s = NULL;
	if (!add)
		return 0;
	if (!ix && !(ix = *ixp = calloc(1, sizeof(*ix))))
		return -ENOMEM;
	if ((ix->n + 1) * 4 > ix->cap * 3 && ix_grow(ix) < 0)
		return -ENOMEM;
	if (!(key = malloc(la + lb + 3)))
		return -ENOMEM;
	key[0] = k->tag;
	memcpy(key + 1, k->a, la);
	key[1 + la] = '\n';
	memcpy(key + 2 + la, k->b, lb + 1);
	*s = ix_find(ix, k, h);
	**s = (struct ix_slot){ .key = key, .hash = h };
	ix->n++;
	*cost += la + lb + 3 + IX_COST_REC;
	return 0;
}

void ix_free(struct ifp_index **ixp)
{
	struct ifp_index *ix = *ixp;

	for (size_t i = 0; ix && i < ix->cap; i++)
		free(ix->v[i].key);
	if (ix)
		free(ix->v);
	free(ix);
	*ixp = NULL;
}

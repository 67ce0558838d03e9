/* SPDX-License-Identifier: MIT */
/*
 * The hash index of hashix.h: SipHash-1-3 under a key drawn once per
 * process (getrandom, else the clock, pid and addresses), so that a file
 * cannot be written whose names all collide; linear probing, grown at
 * 3/4.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/random.h>

#include "hashix.h"

static uint64_t ix_key[2];
static bool ix_keyed;

void ix_seed(uint64_t k0, uint64_t k1)
{
	ix_key[0] = k0;
	ix_key[1] = k1;
	ix_keyed = true;
}

static void ix_seed_once(void)
{
	struct timespec ts;
	uint64_t k[2];

	if (ix_keyed)
		return;
	if (getrandom(k, sizeof(k), GRND_NONBLOCK) != (ssize_t)sizeof(k)) {
		clock_gettime(CLOCK_MONOTONIC, &ts);
		k[0] = (uint64_t)ts.tv_nsec ^ ((uint64_t)ts.tv_sec << 32) ^
		       (uint64_t)(uintptr_t)&ts;
		k[1] = ((uint64_t)getpid() << 32) ^ (uint64_t)(uintptr_t)k ^
		       (uint64_t)(uintptr_t)ix_seed_once;
	}
	ix_seed(k[0], k[1]);
}

#define ROTL(x, b) (uint64_t)(((x) << (b)) | ((x) >> (64 - (b))))

static void sip_round(uint64_t v[4])
{
	v[0] += v[1];
	v[1] = ROTL(v[1], 13) ^ v[0];
	v[0] = ROTL(v[0], 32);
	v[2] += v[3];
	v[3] = ROTL(v[3], 16) ^ v[2];
	v[0] += v[3];
	v[3] = ROTL(v[3], 21) ^ v[0];
	v[2] += v[1];
	v[1] = ROTL(v[1], 17) ^ v[2];
	v[2] = ROTL(v[2], 32);
}

static void sip_word(uint64_t v[4], uint64_t m)
{
	v[3] ^= m;
	sip_round(v);
	v[0] ^= m;
}

/* SipHash-1-3 of TAG A '\n' B, the key's text, fed byte by byte. */
static uint64_t ix_hash(const struct ix_key *k)
{
	const char *parts[3] = { k->a, "\n", k->b };
	uint64_t v[4], m = (unsigned char)k->tag;
	size_t n = 1;

	ix_seed_once();
	v[0] = ix_key[0] ^ 0x736f6d6570736575ull;
	v[1] = ix_key[1] ^ 0x646f72616e646f6dull;
	v[2] = ix_key[0] ^ 0x6c7967656e657261ull;
	v[3] = ix_key[1] ^ 0x7465646279746573ull;
	for (int i = 0; i < 3; i++)
		for (const char *p = parts[i]; *p; p++, n++) {
			if (n % 8 == 0) {
				sip_word(v, m);
				m = 0;
			}
			m |= (uint64_t)(unsigned char)*p << (8 * (n % 8));
		}
	if (n % 8 == 0) {
		sip_word(v, m);
		m = 0;
	}
	sip_word(v, m | (uint64_t)n << 56);
	v[2] ^= 0xff;
	for (int i = 0; i < 3; i++)
		sip_round(v);
	return v[0] ^ v[1] ^ v[2] ^ v[3];
}

/* The slot of @k (hash @h): its own, or the free one it would take. */
static struct ix_slot *ix_find(struct ifp_index *ix, const struct ix_key *k,
			       uint64_t h)
{
	size_t la = strlen(k->a), i = h & (ix->cap - 1);

	for (;; i = (i + 1) & (ix->cap - 1)) {
		const struct ix_slot *s = &ix->v[i];

		ix->probes++;
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

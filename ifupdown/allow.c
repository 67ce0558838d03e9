/* SPDX-License-Identifier: MIT */
/*
 * --allow=CLASS: whether the class admits an interface, in constant time
 * (a hash index of its entries, not a walk of them), with the side effect
 * Debian's walk has on the entries' =LOGICAL; and the VLANs that
 * `ifup --allow=CLASS IFACE` brings up with IFACE (the class's IFACE.VID
 * entries), as Debian ifupdown 0.8.41 does for the hotplug path.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "hashix.h"
#include "ifupdown.h"
#include "pattern.h"

/* Index keys (hashix.h): 'n' IFACE, val its first entry; 'e' an entry
 * holding a '=', val its index. */
static int index_entry(struct ifud_allow *a, size_t i)
{
	const char *e = a->names.v[i];
	size_t cost = 0, l = strcspn(e, "=");
	struct ix_key k = { 'n', "", NULL };
	struct ix_slot *s;
	char *name = strndup(e, l);
	int ret;

	if (!name)
		return -ENOMEM;
	k.b = name;
	ret = ix_get(&a->ix, &k, true, &s, &cost);
	if (ret == 0)
		s->val = i;
	free(name);
	if (ret < 0 || !e[l])
		return ret < 0 ? ret : 0;
	k.tag = 'e';
	k.b = e;
	ret = ix_get(&a->ix, &k, true, &s, &cost);
	if (ret == 0)
		s->val = i;
	return ret < 0 ? ret : 0;
}

int allow_load(struct ifud_run *r, struct pat_links *links)
{
	struct ifud_allow *a = &r->allow;
	const struct ifp_class *c;
	int err;

	if (!r->o->allow || !(c = ifp_class_find(r->cfg, r->o->allow)))
		return 0;
	a->known = true;
	err = pat_expand(links, &c->ifaces, &a->names);
	for (size_t i = 0; !err && i < a->names.n; i++)
		err = index_entry(a, i);
	return err;
}

/* Debian's look-up puts a '\0' on the '=' of each entry it compares,
 * up to the one that matches (or all of them). */
static void cut_to(struct ifud_allow *a, size_t end)
{
	for (; a->cut < end; a->cut++) {
		char *e = a->names.v[a->cut];

		e[strcspn(e, "=")] = '\0';
	}
}

bool allow_has(struct ifud_run *r, const char *iface)
{
	struct ifud_allow *a = &r->allow;
	struct ix_key k = { 'n', "", iface };
	struct ix_slot *s;
	size_t cost = 0;

	if (!r->o->allow)
		return true;
	if (!a->known)
		return false;
	if (ix_get(&a->ix, &k, false, &s, &cost) != 1) {
		cut_to(a, a->names.n);
		return false;
	}
	cut_to(a, s->val + 1);
	return true;
}

int allow_vlans(const struct ifud_run *r, char **args, int n,
		struct ifp_strv *out)
{
	const struct ifp_class *c = ifp_class_find(r->cfg, r->o->allow);
	int err = 0;

	for (int j = 0; c && j < n && !err; j++) {
		size_t l = strlen(args[j]);

		for (size_t i = 0; i < c->ifaces.n && !err; i++) {
			const char *e = c->ifaces.v[i];

			if (strcspn(e, ".") == l && e[l] &&
			    strncmp(e, args[j], l) == 0 && !pat_is(e))
				err = ifp_strv_add(out, e);
		}
	}
	return err;
}

const char *allow_text(const struct ifud_run *r, const char *t)
{
	struct ix_key k = { 'e', "", t };
	struct ifp_index *ix = r->allow.ix;
	struct ix_slot *s;
	size_t cost = 0;

	if (!strchr(t, '=') || ix_get(&ix, &k, false, &s, &cost) != 1)
		return t;
	return r->allow.names.v[s->val];
}

void allow_free(struct ifud_allow *a)
{
	pat_strv_free(&a->names);
	ix_free(&a->ix);
	memset(a, 0, sizeof(*a));
}

/* SPDX-License-Identifier: MIT */
/*
 * The lists of interfaces.h: a stanza's options (struct ifp_opts: names
 * and values in file order; the hook options, ifp_is_hook(), repeat) and
 * lists of words (struct ifp_strv).  Pure.
 */
#include <errno.h>
#include <fnmatch.h>
#include <stdlib.h>
#include <string.h>

#include "interfaces.h"

int ifp_strv_add(struct ifp_strv *v, const char *s)
{
	char *d;

	if (v->n == v->cap) {
		size_t cap = v->cap * 2 + 4;
		char **p = realloc(v->v, cap * sizeof(*p));

		if (!p)
			return -ENOMEM;
		v->v = p;
		v->cap = cap;
	}
	d = strdup(s);
	if (!d)
		return -ENOMEM;
	v->v[v->n++] = d;
	return 0;
}

void ifp_strv_free(struct ifp_strv *v)
{
	for (size_t i = 0; i < v->n; i++)
		free(v->v[i]);
	free(v->v);
	memset(v, 0, sizeof(*v));
}

bool ifp_strv_match(const struct ifp_strv *v, const char *name)
{
	for (size_t i = 0; i < v->n; i++)
		if (fnmatch(v->v[i], name, 0) == 0)
			return true;
	return false;
}

bool ifp_is_hook(const char *name)
{
	return strcmp(name, IFP_HOOK_PRE_UP) == 0 ||
	       strcmp(name, IFP_HOOK_UP) == 0 ||
	       strcmp(name, IFP_HOOK_DOWN) == 0 ||
	       strcmp(name, IFP_HOOK_POST_DOWN) == 0;
}

const char *ifp_opt_get(const struct ifp_opts *o, const char *name)
{
	for (size_t i = 0; i < o->n; i++)
		if (strcmp(o->v[i].name, name) == 0)
			return o->v[i].value;
	return NULL;
}

static struct ifp_opt *opt_find(struct ifp_opts *o, const char *name)
{
	for (size_t i = 0; i < o->n; i++)
		if (strcmp(o->v[i].name, name) == 0)
			return &o->v[i];
	return NULL;
}

static int opt_append(struct ifp_opts *o, const char *name, const char *value)
{
	struct ifp_opt *p;

	if (o->n == o->cap) {
		size_t cap = o->cap * 2 + 8;

		p = realloc(o->v, cap * sizeof(*p));
		if (!p)
			return -ENOMEM;
		o->v = p;
		o->cap = cap;
	}
	p = &o->v[o->n];
	p->name = strdup(name);
	p->value = strdup(value);
	if (!p->name || !p->value) {
		free(p->name);
		free(p->value);
		return -ENOMEM;
	}
	o->n++;
	return 0;
}

int ifp_opt_add(struct ifp_opts *o, const char *name, const char *value)
{
	return opt_append(o, name, value);
}

int ifp_opt_set(struct ifp_opts *o, const char *name, const char *value,
		bool keep)
{
	struct ifp_opt *p = ifp_is_hook(name) ? NULL : opt_find(o, name);
	char *v;

	if (!p)
		return opt_append(o, name, value);
	if (keep)
		return 0;
	v = strdup(value);
	if (!v)
		return -ENOMEM;
	free(p->value);
	p->value = v;
	return 0;
}

void ifp_opt_del(struct ifp_opts *o, const char *name)
{
	struct ifp_opt *p = opt_find(o, name);
	size_t i;

	if (!p)
		return;
	i = (size_t)(p - o->v);
	free(p->name);
	free(p->value);
	memmove(p, p + 1, (o->n - i - 1) * sizeof(*p));
	o->n--;
}

int ifp_opts_copy(struct ifp_opts *dst, const struct ifp_opts *src)
{
	for (size_t i = 0; i < src->n; i++)
		if (opt_append(dst, src->v[i].name, src->v[i].value) < 0)
			return -ENOMEM;
	return 0;
}

void ifp_opts_free(struct ifp_opts *o)
{
	for (size_t i = 0; i < o->n; i++) {
		free(o->v[i].name);
		free(o->v[i].value);
	}
	free(o->v);
	memset(o, 0, sizeof(*o));
}

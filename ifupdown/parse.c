/* SPDX-License-Identifier: MIT */
/*
 * The interfaces(5) parser, after Debian ifupdown 0.8 config.c: of each
 * logical line (lex.c), the first word is the keyword and an option's
 * value is the rest of the line.  Stanzas, mappings, classes and the
 * other lists go into struct ifp_config.  Pure: no I/O (source lines go
 * to ops->include), no globals.
 *
 * Hostile files: every lookup goes through a hash index (hashix.c:
 * stanza names, classes and their members, the current stanza's options,
 * files read) and repeated options grow in place, so the time is linear
 * in the size of the text; what the parsed configuration takes is counted
 * (inherits copies options) and capped at IFP_MAX_COST, a stanza holds at
 * most IFP_MAX_STANZA_OPTS options: beyond, a FILE:LINE error.  Once
 * all is read, ifp_chain() links each name's stanzas for the run.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hashix.h"
#include "interfaces.h"
#include "lex.h"

/*
 * The keys of the hash index (hashix.h): 'i' stanza (A family or "*";
 * val: its first stanza), 'k' class (val: its index), 'c' class member (A
 * the class), 'f' file read (A device, B inode), 'o' option of the
 * current stanza (val: its index; len, cap: its value's length and room
 * once it was joined).
 */
enum ctx_kind { CTX_NONE, CTX_IFACE, CTX_MAPPING };

struct pstate {
	struct ifp_config *cfg;
	const char *file;
	const struct ifp_ops *ops;
	char *err;
	unsigned int line;
	enum ctx_kind ctx;
	size_t cur;		  /* index of the current iface or mapping */
	size_t n_opts;		  /* option lines of the current iface */
	struct ifp_index *opt_ix; /* its options by name ('o') */
};

int ifp_seen_file(struct ifp_config *cfg, unsigned long long dev,
		  unsigned long long ino)
{
	char a[24], b[24];
	struct ix_key k = { 'f', a, b };
	struct ix_slot *s;

	snprintf(a, sizeof(a), "%llx", dev);
	snprintf(b, sizeof(b), "%llx", ino);
	return ix_get(&cfg->index, &k, true, &s, &cfg->cost);
}

/*
 * @file for a message: its last ERR_FILE_MAX bytes after "..." (*@ell) if
 * longer, so "FILE:LINE: " leaves room for the message in IFP_ERR_LEN
 * (`source ././././x` names files up to PATH_MAX long).  The tail keeps
 * the file's own name (NAME_MAX).
 */
#define ERR_FILE_MAX 255

static const char *err_file(const char *file, const char **ell)
{
	size_t len = strlen(file);

	*ell = len > ERR_FILE_MAX ? "..." : "";
	return len > ERR_FILE_MAX ? file + len - ERR_FILE_MAX : file;
}

static int perr(struct pstate *st, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static int perr(struct pstate *st, const char *fmt, ...)
{
	const char *ell, *file = err_file(st->file, &ell);
	va_list ap;
	int n = snprintf(st->err, IFP_ERR_LEN, "%s%s:%u: ", ell, file,
			 st->line);

	va_start(ap, fmt);
	if (n >= 0 && n < IFP_ERR_LEN)
		vsnprintf(st->err + n, IFP_ERR_LEN - (size_t)n, fmt, ap);
	va_end(ap);
	return -EINVAL;
}

/* Counts @n more bytes of parsed configuration: past IFP_MAX_COST the
 * line is refused (a file's text is capped, but inherits copies). */
static int charge(struct pstate *st, size_t n)
{
	st->cfg->cost += n;
	if (st->cfg->cost <= IFP_MAX_COST)
		return 0;
	return perr(st, "too much configuration: over %u MiB once parsed",
		    IFP_MAX_COST >> 20);
}

const struct ifp_class *ifp_class_find(const struct ifp_config *cfg,
				       const char *name)
{
	struct ix_key k = { 'k', "", name };
	struct ifp_index *ix = cfg->index;
	struct ix_slot *s;
	size_t cost = 0;

	if (ix_get(&ix, &k, false, &s, &cost) == 1)
		return &cfg->classes[s->val];
	return NULL;
}

static struct ifp_class *class_get(struct ifp_config *cfg, const char *name)
{
	struct ix_key k = { 'k', "", name };
	struct ifp_class *c;
	struct ix_slot *s;

	if (ix_get(&cfg->index, &k, false, &s, &cfg->cost) == 1)
		return &cfg->classes[s->val];
	if (cfg->n_classes == cfg->cap_classes) {
		size_t cap = cfg->cap_classes * 2 + 2;
		struct ifp_class *p = realloc(cfg->classes, cap * sizeof(*p));

		if (!p)
			return NULL;
		cfg->classes = p;
		cfg->cap_classes = cap;
	}
	c = &cfg->classes[cfg->n_classes];
	memset(c, 0, sizeof(*c));
	c->name = strdup(name);
	if (!c->name || ix_get(&cfg->index, &k, true, &s, &cfg->cost) < 0) {
		free(c->name);
		return NULL;
	}
	s->val = cfg->n_classes++;
	return c;
}

/* allow-CLASS / auto: duplicates are ignored (Debian #707052). */
static int class_add(struct ifp_config *cfg, const char *cls, const char *name)
{
	struct ifp_class *c = class_get(cfg, cls);
	struct ix_key k = { 'c', cls, name };
	struct ix_slot *s;
	int ret;

	if (!c)
		return -ENOMEM;
	ret = ix_get(&cfg->index, &k, true, &s, &cfg->cost);
	if (ret != 0)
		return ret < 0 ? ret : 0;
	cfg->cost += strlen(name) + IX_COST_REC;
	return ifp_strv_add(&c->ifaces, name);
}

/* The list a selection keyword fills: a class name, or a list. */
static int kw_list(struct pstate *st, const char *kw, char *rest)
{
	struct ifp_strv *list = NULL;
	const char *cls = NULL;
	char *w;
	int err;

	if (strcmp(kw, "auto") == 0)
		cls = "auto";
	else if (strncmp(kw, "allow-", 6) == 0)
		cls = kw + 6;
	else if (strcmp(kw, "no-auto-down") == 0)
		list = &st->cfg->no_auto_down;
	else
		list = &st->cfg->no_scripts;
	/* bare inside a stanza: applies to that stanza (Debian 0.8.x) */
	if (!*rest && st->ctx == CTX_IFACE) {
		const char *name = st->cfg->ifaces[st->cur].name;

		if ((err = charge(st, strlen(name) + IX_COST_REC)) < 0)
			return err;
		return cls ? class_add(st->cfg, cls, name)
			   : ifp_strv_add(list, name);
	}
	while ((w = lex_word(&rest))) {
		if (!cls && (err = charge(st, strlen(w) + IX_COST_REC)) < 0)
			return err;
		err = cls ? class_add(st->cfg, cls, w) : ifp_strv_add(list, w);
		if (err < 0)
			return err;
	}
	st->ctx = CTX_NONE;
	return cls ? charge(st, 0) : 0;
}

static bool is_list_kw(const char *kw)
{
	return strcmp(kw, "auto") == 0 ||
	       (strncmp(kw, "allow-", 6) == 0 && kw[6]) ||
	       strcmp(kw, "no-auto-down") == 0 || strcmp(kw, "no-scripts") == 0;
}

/* rename CUR=NEW...: done by ifup before anything else (Debian 0.8).
 * Any word is taken, as Debian takes it: ifup says what lacks a '='. */
static int kw_rename(struct pstate *st, char *rest)
{
	char *w;
	int err;

	while ((w = lex_word(&rest))) {
		if ((err = charge(st, strlen(w) + IX_COST_REC)) < 0 ||
		    (err = ifp_strv_add(&st->cfg->renames, w)) < 0)
			return err;
	}
	st->ctx = CTX_NONE;
	return 0;
}

static int kw_mapping(struct pstate *st, char *rest)
{
	struct ifp_config *cfg = st->cfg;
	struct ifp_mapping *m;
	char *w;
	int err = charge(st, strlen(rest) + IX_COST_REC);

	if (err < 0)
		return err;
	if (cfg->n_maps == cfg->cap_maps) {
		size_t cap = cfg->cap_maps * 2 + 2;
		struct ifp_mapping *p = realloc(cfg->maps, cap * sizeof(*p));

		if (!p)
			return -ENOMEM;
		cfg->maps = p;
		cfg->cap_maps = cap;
	}
	m = &cfg->maps[cfg->n_maps++];
	memset(m, 0, sizeof(*m));
	while ((w = lex_word(&rest)))
		if (ifp_strv_add(&m->match, w) < 0)
			return -ENOMEM;
	st->ctx = CTX_MAPPING;
	st->cur = cfg->n_maps - 1;
	return 0;
}

static int kw_source(struct pstate *st, bool dir, const char *rest)
{
	int ret;

	st->ctx = CTX_NONE;
	if (!st->ops || !st->ops->include)
		return 0;
	ret = st->ops->include(st->ops->ctx, st->cfg, dir, rest, st->file,
			       st->err);
	if (ret == -ELOOP)
		return perr(st, "too many nested source levels");
	return ret;
}

/* The first stanza named @name (of @family, or any when NULL): 1 and its
 * index in *@i, or 0. */
static int iface_find(const struct ifp_config *cfg, const char *name,
		      const char *family, size_t *i)
{
	struct ix_key k = { 'i', family ? family : "*", name };
	struct ifp_index *ix = cfg->index; /* not changed: no add */
	struct ix_slot *s;
	size_t cost = 0;

	if (ix_get(&ix, &k, false, &s, &cost) != 1)
		return 0;
	*i = s->val;
	return 1;
}

const struct ifp_iface *ifp_iface_find(const struct ifp_config *cfg,
				       const char *name)
{
	size_t i;

	if (!iface_find(cfg, name, NULL, &i))
		return NULL;
	return &cfg->ifaces[i];
}

int ifp_chain(struct ifp_config *cfg)
{
	size_t *tail = calloc(cfg->n_ifaces + 1, sizeof(*tail));

	if (!tail)
		return -ENOMEM;
	for (size_t i = 0, f; i < cfg->n_ifaces; i++) {
		cfg->ifaces[i].next = 0;
		if (!iface_find(cfg, cfg->ifaces[i].name, NULL, &f) || f >= i) {
			tail[i] = i; /* the first of its name */
			continue;
		}
		cfg->ifaces[tail[f]].next = i;
		tail[f] = i;
	}
	free(tail);
	return 0;
}

const struct ifp_iface *ifp_iface_next(const struct ifp_config *cfg,
				       const struct ifp_iface *f)
{
	return f->next ? &cfg->ifaces[f->next] : NULL;
}

/* Indexes stanza @i as the first of its name (and family) if it is, or
 * if @first. */
static int iface_index(struct ifp_config *cfg, size_t i, bool first)
{
	const struct ifp_iface *f = &cfg->ifaces[i];
	struct ix_key k = { 'i', "*", f->name };
	struct ix_slot *s;
	int ret = ix_get(&cfg->index, &k, true, &s, &cfg->cost);

	if (ret == 0 || (ret == 1 && first))
		s->val = i;
	k.a = f->method->family;
	if (ret >= 0)
		ret = ix_get(&cfg->index, &k, true, &s, &cfg->cost);
	if (ret == 0 || (ret == 1 && first))
		s->val = i;
	return ret < 0 ? ret : 0;
}

static struct ifp_iface *iface_new(struct ifp_config *cfg)
{
	struct ifp_iface *f;

	if (cfg->n_ifaces == cfg->cap_ifaces) {
		size_t cap = cfg->cap_ifaces * 2 + 4;
		struct ifp_iface *p = realloc(cfg->ifaces, cap * sizeof(*p));

		if (!p)
			return NULL;
		cfg->ifaces = p;
		cfg->cap_ifaces = cap;
	}
	f = &cfg->ifaces[cfg->n_ifaces];
	memset(f, 0, sizeof(*f));
	return f;
}

static void pwarn(struct pstate *st, const char *word)
{
	const char *ell, *file = err_file(st->file, &ell);
	char msg[IFP_ERR_LEN];

	if (!st->ops || !st->ops->warn)
		return;
	snprintf(
		msg, sizeof(msg),
		"%s%s:%u: extra parameter for the iface line not understood and ignored: %s",
		ell, file, st->line, word);
	st->ops->warn(st->ops->ctx, msg);
}

struct iface_line {
	const char *name, *fam, *parent;
	const struct ifm_method *m;
};

/* iface NAME [FAMILY METHOD] [inherits PARENT]: Debian's checks in order. */
static int iface_words(struct pstate *st, char *rest, struct iface_line *l)
{
	bool fam_ok = false, kw = false;
	const char *w;

	memset(l, 0, sizeof(*l));
	l->name = lex_word(&rest);
	if (!l->name)
		return perr(st, "too few parameters for iface line");
	l->fam = lex_word(&rest);
	if (l->fam && ifm_family_known(l->fam)) {
		fam_ok = true;
		w = lex_word(&rest);
		l->m = w ? ifm_find(l->fam, w) : NULL;
		kw = w && !l->m && strcmp(w, "inherits") == 0;
	} else {
		kw = l->fam && strcmp(l->fam, "inherits") == 0;
	}
	if (!fam_ok && !kw)
		return perr(
			st,
			"unknown or no address type and no inherits keyword specified");
	if (!l->m && !kw)
		return perr(
			st,
			"unknown or no method and no inherits keyword specified");
	if (!fam_ok)
		l->fam = NULL;
	if (!kw && (w = lex_word(&rest))) {
		if (strcmp(w, "inherits") == 0)
			kw = true;
		else
			pwarn(st, w);
	}
	if (kw) {
		l->parent = lex_word(&rest);
		if (!l->parent)
			return perr(
				st,
				"'inherits' keyword is missing a parameter");
	}
	return 0;
}

static size_t opts_cost(const struct ifp_opts *o)
{
	size_t n = 0;

	for (size_t i = 0; i < o->n; i++)
		n += strlen(o->v[i].name) + strlen(o->v[i].value) + IX_COST_REC;
	return n;
}

/* The current stanza's options by name, for its first option line (it
 * may hold inherited ones). */
static int opts_index(struct pstate *st)
{
	const struct ifp_opts *o = &st->cfg->ifaces[st->cur].opts;
	size_t cost = 0;

	for (size_t j = 0; j < o->n; j++) {
		struct ix_key k = { 'o', "", o->v[j].name };
		struct ix_slot *s;
		int ret;

		if (ifp_is_hook(k.b))
			continue;
		ret = ix_get(&st->opt_ix, &k, true, &s, &cost);
		if (ret < 0)
			return ret;
		if (ret == 0)
			s->val = j;
	}
	return 0;
}

static int kw_iface(struct pstate *st, char *rest)
{
	struct ifp_config *cfg = st->cfg;
	const struct ifp_opts *po = NULL;
	struct ifp_iface *f;
	struct iface_line l;
	size_t pi = 0;
	int err = iface_words(st, rest, &l);

	if (err < 0)
		return err;
	if (l.parent && !iface_find(cfg, l.parent, l.fam, &pi))
		return perr(st, "unknown iface to inherit from: %s (%s)",
			    l.parent, l.fam ? l.fam : "*");
	if (l.parent)
		po = &cfg->ifaces[pi].opts;
	err = charge(st, sizeof(*f) + strlen(l.name) + IX_COST_REC +
				 (po ? opts_cost(po) : 0));
	if (err < 0 || !(f = iface_new(cfg)))
		return err < 0 ? err : -ENOMEM;
	f->name = strdup(l.name);
	if (!f->name)
		return -ENOMEM;
	f->method = l.m;
	if (l.parent) {
		po = &cfg->ifaces[pi].opts; /* iface_new() may move it */
		if (!f->method)
			f->method = cfg->ifaces[pi].method;
		if (ifp_opts_copy(&f->opts, po) < 0) {
			ifp_opts_free(&f->opts);
			free(f->name);
			return -ENOMEM;
		}
	}
	cfg->n_ifaces++;
	if (strcmp(f->method->name, "loopback") == 0)
		cfg->has_loopback = true;
	ix_free(&st->opt_ix);
	st->ctx = CTX_IFACE;
	st->cur = cfg->n_ifaces - 1;
	st->n_opts = f->opts.n;
	return iface_index(cfg, st->cur, false);
}

/* Appends @rest to option @i's value after a newline, in place: the
 * room doubles, so a thousand repeats cost what their text does. */
static int opt_join(struct ifp_opt *p, struct ix_slot *s, const char *rest)
{
	size_t n = strlen(rest), need;
	char *v;

	if (!s->cap) {
		s->len = strlen(p->value);
		s->cap = s->len + 1;
	}
	need = s->len + n + 2;
	if (need > s->cap) {
		size_t cap = need > 2 * s->cap ? need : 2 * s->cap;

		if (!(v = realloc(p->value, cap)))
			return -ENOMEM;
		p->value = v;
		s->cap = cap;
	}
	p->value[s->len] = '\n';
	memcpy(p->value + s->len + 1, rest, n + 1);
	s->len += n + 1;
	return 0;
}

/* An option line in a stanza; repeats of a non-hook option are joined
 * with a newline, so the first value is the one used. */
static int iface_option(struct pstate *st, const char *kw, const char *rest)
{
	struct ifp_opts *o = &st->cfg->ifaces[st->cur].opts;
	struct ix_key k = { 'o', "", kw };
	struct ix_slot *s = NULL;
	size_t cost = 0;
	int err;

	if (strcmp(kw, "post-up") == 0)
		kw = IFP_HOOK_UP;
	else if (strcmp(kw, "pre-down") == 0)
		kw = IFP_HOOK_DOWN;
	k.b = kw;
	if (!*rest)
		return perr(st, "option with empty value");
	if (++st->n_opts > IFP_MAX_STANZA_OPTS)
		return perr(st, "too many options in one stanza (over %u)",
			    IFP_MAX_STANZA_OPTS);
	if ((err = charge(st, strlen(kw) + strlen(rest) + IX_COST_REC)) < 0)
		return err;
	if (!ifp_is_hook(kw) && !st->opt_ix && (err = opts_index(st)) < 0)
		return err;
	if (!ifp_is_hook(kw) &&
	    (err = ix_get(&st->opt_ix, &k, true, &s, &cost)) < 0)
		return err;
	if (err == 1)
		return opt_join(&o->v[s->val], s, rest);
	if (s)
		s->val = o->n;
	return ifp_opt_add(o, kw, rest);
}

static int mapping_option(struct pstate *st, const char *kw, const char *rest)
{
	struct ifp_mapping *m = &st->cfg->maps[st->cur];
	int err = charge(st, strlen(rest) + IX_COST_REC);

	if (err < 0)
		return err;
	if (strcmp(kw, "script") == 0) {
		if (m->script)
			return perr(st, "duplicate script in mapping");
		m->script = strdup(rest);
		return m->script ? 0 : -ENOMEM;
	}
	if (strcmp(kw, "map") == 0)
		return ifp_strv_add(&m->map, rest);
	return perr(st, "misplaced option");
}

static int parse_line(struct pstate *st, char *line)
{
	char *rest = line, *kw = lex_word(&rest);

	if (!kw)
		return 0;
	if (strcmp(kw, "mapping") == 0)
		return kw_mapping(st, rest);
	if (strcmp(kw, "source") == 0)
		return kw_source(st, false, rest);
	if (strncmp(kw, "source-dir", 10) == 0)
		return kw_source(st, true, rest);
	if (strcmp(kw, "iface") == 0)
		return kw_iface(st, rest);
	if (strcmp(kw, "rename") == 0)
		return kw_rename(st, rest);
	if (is_list_kw(kw))
		return kw_list(st, kw, rest);
	if (st->ctx == CTX_IFACE)
		return iface_option(st, kw, rest);
	if (st->ctx == CTX_MAPPING)
		return mapping_option(st, kw, rest);
	return perr(st, "misplaced option");
}

int ifp_parse_buf(struct ifp_config *cfg, const char *file, const char *buf,
		  size_t len, const struct ifp_ops *ops, char *err)
{
	struct lex_rd r = { .p = buf, .rem = len };
	struct pstate st = { .cfg = cfg, .file = file, .ops = ops, .err = err };
	struct lex_buf b = { 0 };
	int ret;

	err[0] = '\0';
	while ((ret = lex_line(&r, &b)) > 0) {
		st.line = r.line;
		ret = parse_line(&st, b.s);
		if (ret < 0)
			break;
	}
	free(b.s);
	ix_free(&st.opt_ix);
	if (ret == -ENOMEM && !err[0]) {
		const char *ell, *f = err_file(file, &ell);

		snprintf(err, IFP_ERR_LEN, "%s%s: out of memory", ell, f);
	}
	return ret < 0 ? ret : 0;
}

/* Moves @s (added if missing) to the front of @v. */
static int strv_put_first(struct ifp_strv *v, const char *s)
{
	size_t i = 0;
	char *x;

	while (i < v->n && strcmp(v->v[i], s) != 0)
		i++;
	if (i == v->n && ifp_strv_add(v, s) < 0)
		return -ENOMEM;
	x = v->v[i];
	memmove(v->v + 1, v->v, i * sizeof(char *));
	v->v[0] = x;
	return 0;
}

int ifp_add_loopback(struct ifp_config *cfg, bool stanza)
{
	struct ifp_class *c = class_get(cfg, "auto");
	struct ifp_iface lo = { .method = ifm_find("inet", "loopback") };

	/* Debian adds `auto lo` before reading: it comes first, once */
	if (!c || strv_put_first(&c->ifaces, "lo") < 0)
		return -ENOMEM;
	if (!stanza)
		return 0;
	if (!iface_new(cfg) || !(lo.name = strdup("lo")))
		return -ENOMEM;
	memmove(cfg->ifaces + 1, cfg->ifaces, cfg->n_ifaces * sizeof(lo));
	cfg->ifaces[0] = lo;
	cfg->n_ifaces++;
	/* every stanza moved up by one; lo is the first of its name */
	for (size_t i = 0; cfg->index && i < cfg->index->cap; i++)
		if (cfg->index->v[i].key && cfg->index->v[i].key[0] == 'i')
			cfg->index->v[i].val++;
	return iface_index(cfg, 0, true);
}

void ifp_free(struct ifp_config *cfg)
{
	for (size_t i = 0; i < cfg->n_ifaces; i++) {
		free(cfg->ifaces[i].name);
		ifp_opts_free(&cfg->ifaces[i].opts);
	}
	for (size_t i = 0; i < cfg->n_classes; i++) {
		free(cfg->classes[i].name);
		ifp_strv_free(&cfg->classes[i].ifaces);
	}
	for (size_t i = 0; i < cfg->n_maps; i++) {
		ifp_strv_free(&cfg->maps[i].match);
		ifp_strv_free(&cfg->maps[i].map);
		free(cfg->maps[i].script);
	}
	free(cfg->ifaces);
	free(cfg->classes);
	free(cfg->maps);
	ifp_strv_free(&cfg->no_auto_down);
	ifp_strv_free(&cfg->no_scripts);
	ifp_strv_free(&cfg->renames);
	ifp_strv_free(&cfg->seen);
	ix_free(&cfg->index);
	memset(cfg, 0, sizeof(*cfg));
}

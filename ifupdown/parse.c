/* SPDX-License-Identifier: MIT */
/*
 * The interfaces(5) parser, after Debian ifupdown 0.8 config.c: comments
 * only at line start, a final '\' joins the next line as is, the first
 * word is the keyword and an option's value is the rest of the line.
 * Pure: no I/O (source lines go to ops->include), no globals.
 */
#include <errno.h>
#include <fnmatch.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "interfaces.h"

struct rd {
	const char *p;
	size_t rem;
	unsigned int line;
};

struct lbuf {
	char *s;
	size_t len, cap;
};

enum ctx_kind { CTX_NONE, CTX_IFACE, CTX_MAPPING };

struct pstate {
	struct ifp_config *cfg;
	const char *file;
	const struct ifp_ops *ops;
	char *err;
	unsigned int line;
	enum ctx_kind ctx;
	size_t cur; /* index of the current iface or mapping */
};

static bool is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' ||
	       c == '\r';
}

static int lb_append(struct lbuf *b, const char *s, size_t n)
{
	const char *nul = memchr(s, '\0', n);

	if (nul)
		n = (size_t)(nul - s); /* as fgets() + strlen() would */
	if (b->len + n + 1 > b->cap) {
		size_t cap = (b->len + n + 1) * 2;
		char *p = realloc(b->s, cap);

		if (!p)
			return -ENOMEM;
		b->s = p;
		b->cap = cap;
	}
	memcpy(b->s + b->len, s, n);
	b->len += n;
	b->s[b->len] = '\0';
	return 0;
}

/* One physical line (without its newline) from @r; false at the end. */
static bool rd_line(struct rd *r, const char **s, size_t *n)
{
	const char *nl;

	if (r->rem == 0)
		return false;
	*s = r->p;
	nl = memchr(r->p, '\n', r->rem);
	*n = nl ? (size_t)(nl - r->p) : r->rem;
	r->p += *n + (nl ? 1 : 0);
	r->rem -= *n + (nl ? 1 : 0);
	r->line++;
	return true;
}

static void lb_lstrip(struct lbuf *b)
{
	size_t i = 0;

	while (i < b->len && is_space(b->s[i]))
		i++;
	memmove(b->s, b->s + i, b->len - i + 1);
	b->len -= i;
}

/* Debian's get_line(): a logical line into @b.  1, 0 at the end, -errno. */
static int get_line(struct rd *r, struct lbuf *b)
{
	const char *s;
	size_t n;

	do {
		if (!rd_line(r, &s, &n))
			return 0;
		b->len = 0;
		if (lb_append(b, s, n) < 0)
			return -ENOMEM;
		lb_lstrip(b);
	} while (b->s[0] == '#');
	while (b->len && b->s[b->len - 1] == '\\') {
		b->s[--b->len] = '\0';
		if (!rd_line(r, &s, &n))
			break;
		if (lb_append(b, s, n) < 0)
			return -ENOMEM;
	}
	while (b->len && is_space(b->s[b->len - 1]))
		b->len--;
	b->s[b->len] = '\0';
	return 1;
}

/* Cuts the next word off *@p (NUL-terminating it in place). */
static char *next_word(char **p)
{
	char *s = *p, *w;

	if (!s || !*s)
		return NULL;
	w = s;
	while (*s && !is_space(*s))
		s++;
	if (*s)
		*s++ = '\0';
	while (*s && is_space(*s))
		s++;
	*p = s;
	return w;
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

static void strv_free(struct ifp_strv *v)
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

static bool strv_has(const struct ifp_strv *v, const char *s)
{
	for (size_t i = 0; i < v->n; i++)
		if (strcmp(v->v[i], s) == 0)
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

const struct ifp_class *ifp_class_find(const struct ifp_config *cfg,
				       const char *name)
{
	for (size_t i = 0; i < cfg->n_classes; i++)
		if (strcmp(cfg->classes[i].name, name) == 0)
			return &cfg->classes[i];
	return NULL;
}

static struct ifp_class *class_get(struct ifp_config *cfg, const char *name)
{
	struct ifp_class *c = (struct ifp_class *)ifp_class_find(cfg, name);

	if (c)
		return c;
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
	if (!c->name)
		return NULL;
	cfg->n_classes++;
	return c;
}

/* allow-CLASS / auto: duplicates are ignored (Debian #707052). */
static int class_add(struct ifp_config *cfg, const char *cls, const char *name)
{
	struct ifp_class *c = class_get(cfg, cls);

	if (!c)
		return -ENOMEM;
	if (strv_has(&c->ifaces, name))
		return 0;
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

		return cls ? class_add(st->cfg, cls, name)
			   : ifp_strv_add(list, name);
	}
	while ((w = next_word(&rest))) {
		err = cls ? class_add(st->cfg, cls, w) : ifp_strv_add(list, w);
		if (err < 0)
			return err;
	}
	st->ctx = CTX_NONE;
	return 0;
}

static bool is_list_kw(const char *kw)
{
	return strcmp(kw, "auto") == 0 ||
	       (strncmp(kw, "allow-", 6) == 0 && kw[6]) ||
	       strcmp(kw, "no-auto-down") == 0 || strcmp(kw, "no-scripts") == 0;
}

/* rename CUR=NEW...: done by ifup before anything else (Debian 0.8). */
static int kw_rename(struct pstate *st, char *rest)
{
	char *w;
	int err;

	while ((w = next_word(&rest))) {
		char *eq = strchr(w, '=');

		if (!eq || eq == w || !eq[1])
			return perr(st, "misplaced option");
		if ((err = ifp_strv_add(&st->cfg->renames, w)) < 0)
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
	while ((w = next_word(&rest)))
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

static const struct ifp_iface *iface_find(const struct ifp_config *cfg,
					  const char *name, const char *family)
{
	for (size_t i = 0; i < cfg->n_ifaces; i++) {
		const struct ifp_iface *f = &cfg->ifaces[i];

		if (strcmp(f->name, name) == 0 &&
		    (!family || strcmp(f->method->family, family) == 0))
			return f;
	}
	return NULL;
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
	l->name = next_word(&rest);
	if (!l->name)
		return perr(st, "too few parameters for iface line");
	l->fam = next_word(&rest);
	if (l->fam && ifm_family_known(l->fam)) {
		fam_ok = true;
		w = next_word(&rest);
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
	if (!kw && (w = next_word(&rest))) {
		if (strcmp(w, "inherits") == 0)
			kw = true;
		else
			pwarn(st, w);
	}
	if (kw) {
		l->parent = next_word(&rest);
		if (!l->parent)
			return perr(
				st,
				"'inherits' keyword is missing a parameter");
	}
	return 0;
}

static int kw_iface(struct pstate *st, char *rest)
{
	struct ifp_config *cfg = st->cfg;
	const struct ifp_iface *p = NULL;
	struct ifp_iface *f;
	struct iface_line l;
	size_t pi = 0;
	int err = iface_words(st, rest, &l);

	if (err < 0)
		return err;
	if (l.parent) {
		p = iface_find(cfg, l.parent, l.fam);
		if (!p)
			return perr(st,
				    "unknown iface to inherit from: %s (%s)",
				    l.parent, l.fam ? l.fam : "*");
		pi = (size_t)(p - cfg->ifaces);
	}
	f = iface_new(cfg);
	if (!f)
		return -ENOMEM;
	f->name = strdup(l.name);
	if (!f->name)
		return -ENOMEM;
	f->method = l.m;
	if (l.parent) {
		p = &cfg->ifaces[pi];
		if (!f->method)
			f->method = p->method;
		if (ifp_opts_copy(&f->opts, &p->opts) < 0) {
			free(f->name);
			return -ENOMEM;
		}
	}
	cfg->n_ifaces++;
	if (strcmp(f->method->name, "loopback") == 0)
		cfg->has_loopback = true;
	st->ctx = CTX_IFACE;
	st->cur = cfg->n_ifaces - 1;
	return 0;
}

/* An option line in a stanza; repeats of a non-hook option are joined
 * with a newline, so the first value is the one used. */
static int iface_option(struct pstate *st, const char *kw, const char *rest)
{
	struct ifp_opts *o = &st->cfg->ifaces[st->cur].opts;
	const char *old;
	char *joined;
	int err;

	if (strcmp(kw, "post-up") == 0)
		kw = IFP_HOOK_UP;
	else if (strcmp(kw, "pre-down") == 0)
		kw = IFP_HOOK_DOWN;
	if (!*rest)
		return perr(st, "option with empty value");
	old = ifp_is_hook(kw) ? NULL : ifp_opt_get(o, kw);
	if (!old)
		return ifp_opt_set(o, kw, rest, false);
	if (asprintf(&joined, "%s\n%s", old, rest) < 0)
		return -ENOMEM;
	err = ifp_opt_set(o, kw, joined, false);
	free(joined);
	return err;
}

static int mapping_option(struct pstate *st, const char *kw, const char *rest)
{
	struct ifp_mapping *m = &st->cfg->maps[st->cur];

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
	char *rest = line, *kw = next_word(&rest);

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
	struct rd r = { .p = buf, .rem = len };
	struct pstate st = { .cfg = cfg, .file = file, .ops = ops, .err = err };
	struct lbuf b = { 0 };
	int ret;

	err[0] = '\0';
	while ((ret = get_line(&r, &b)) > 0) {
		st.line = r.line;
		ret = parse_line(&st, b.s);
		if (ret < 0)
			break;
	}
	free(b.s);
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
	return 0;
}

void ifp_free(struct ifp_config *cfg)
{
	for (size_t i = 0; i < cfg->n_ifaces; i++) {
		free(cfg->ifaces[i].name);
		ifp_opts_free(&cfg->ifaces[i].opts);
	}
	for (size_t i = 0; i < cfg->n_classes; i++) {
		free(cfg->classes[i].name);
		strv_free(&cfg->classes[i].ifaces);
	}
	for (size_t i = 0; i < cfg->n_maps; i++) {
		strv_free(&cfg->maps[i].match);
		strv_free(&cfg->maps[i].map);
		free(cfg->maps[i].script);
	}
	free(cfg->ifaces);
	free(cfg->classes);
	free(cfg->maps);
	strv_free(&cfg->no_auto_down);
	strv_free(&cfg->no_scripts);
	strv_free(&cfg->renames);
	strv_free(&cfg->seen);
	memset(cfg, 0, sizeof(*cfg));
}

/* SPDX-License-Identifier: MIT */
/*
 * interfaces(5) patterns: splitting [VARIABLE]/VALUE[/N][=LOGICAL], the
 * interfaces in the order Debian ifupdown 0.8 walks them, and matching a
 * name or a /sys/class/net file (Debian's expand_matches() and
 * variable_match()).  Reading the system is left to the two callbacks of
 * struct pat_links; pat_links_load() and pat_sysfs_read() are those.
 */
#include <errno.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <ifaddrs.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "hashix.h"
#include "pattern.h"

/* glibc's ksh-like @(a|b), +(x)..., which Debian asks for; musl has none
 * and reads those patterns as plain ones. */
#ifndef FNM_EXTMATCH
#define FNM_EXTMATCH 0
#endif

/* Debian reads the file with fgets() into 1024 bytes: a line of 1024
 * bytes or more is matched piece by piece. */
#define PAT_LINE 1024

bool pat_is(const char *word)
{
	return strchr(word, '/') != NULL;
}

int pat_parse(const char *word, struct pat *p)
{
	char *slash, *opt = NULL, *eq;

	memset(p, 0, sizeof(*p));
	if (!pat_is(word))
		return -EINVAL;
	p->buf = strdup(word);
	if (!p->buf)
		return -ENOMEM;
	slash = strchr(p->buf, '/');
	*slash = '\0';
	if (slash != p->buf)
		p->var = strcasecmp(p->buf, "mac") == 0 ? "address" : p->buf;
	p->value = slash + 1;
	if (slash[1] && (opt = strchr(slash + 1, '/')))
		*opt++ = '\0';
	eq = strchr(opt ? opt : slash + 1, '=');
	if (eq) {
		*eq = '\0';
		p->logical = eq + 1;
	}
	/* Debian's atoi(): "x" is 0 (every match), "2x" is 2 */
	p->nth = opt ? (int)strtol(opt, NULL, 10) : 0;
	return 0;
}

void pat_free(struct pat *p)
{
	free(p->buf);
	memset(p, 0, sizeof(*p));
}

void pat_strv_free(struct ifp_strv *v)
{
	for (size_t i = 0; i < v->n; i++)
		free(v->v[i]);
	free(v->v);
	memset(v, 0, sizeof(*v));
}

/* The names of a list being built, each once: those already in it are in
 * a hash index, so a long `auto` line is expanded in linear time. */
struct nodup {
	struct ifp_strv *out;
	struct ifp_index *ix;
};

/* 1 if @d has @s, else 0 and @s is recorded; -ENOMEM. */
static int nodup_seen(struct nodup *d, const char *s)
{
	struct ix_key k = { 'n', "", s };
	struct ix_slot *slot;
	size_t cost = 0;

	return ix_get(&d->ix, &k, true, &slot, &cost);
}

/* @d for @out, holding its names from @from on.  0 or -ENOMEM. */
static int nodup_init(struct nodup *d, struct ifp_strv *out, size_t from)
{
	int err = 0;

	d->out = out;
	d->ix = NULL;
	for (size_t i = from; i < out->n && err >= 0; i++)
		err = nodup_seen(d, out->v[i]);
	return err < 0 ? err : 0;
}

static int add_nodup(struct nodup *d, const char *s)
{
	int ret = nodup_seen(d, s);

	if (ret != 0)
		return ret < 0 ? ret : 0;
	return ifp_strv_add(d->out, s);
}

int pat_order(const char *const *v, size_t n, struct ifp_strv *out)
{
	size_t first = out->n;
	struct nodup d;
	int err = nodup_init(&d, out, first);

	for (size_t i = n; i-- > 0 && !err;)
		err = add_nodup(&d, v[i]);
	ix_free(&d.ix);
	if (err)
		return err;
	for (size_t i = first, j = out->n; i + 1 < j; i++, j--) {
		char *t = out->v[i];

		out->v[i] = out->v[j - 1];
		out->v[j - 1] = t;
	}
	return 0;
}

/* The lines of @s, as Debian's fgets() loop cuts them, against @value. */
static bool lines_match(const char *value, const char *s, size_t len)
{
	char line[PAT_LINE];

	while (len > 0) {
		size_t n = len < PAT_LINE - 1 ? len : PAT_LINE - 1;
		const char *nl = memchr(s, '\n', n);
		size_t l;

		if (nl)
			n = (size_t)(nl - s) + 1;
		memcpy(line, s, n);
		line[n] = '\0';
		l = strlen(line); /* a NUL ends the line for Debian too */
		if (l && line[l - 1] == '\n')
			line[l - 1] = '\0';
		if (fnmatch(value, line, FNM_EXTMATCH) == 0)
			return true;
		s += n;
		len -= n;
	}
	return false;
}

static bool match(const struct pat *p, const struct pat_links *l,
		  const char *name)
{
	char buf[PAT_ATTR_MAX];
	int n;

	if (!p->var)
		return fnmatch(p->value, name, FNM_EXTMATCH) == 0;
	n = l->read(name, p->var, buf, sizeof(buf));
	/*
	 * interfaces(5): "The pattern * matches if this exists".  Debian
	 * 0.8.41 returns access()'s 0 or -1 as the answer, which matches
	 * where the file does not exist: we do as the manual says.
	 */
	if (strcmp(p->value, "*") == 0)
		return n != -ENOENT;
	return n > 0 && lines_match(p->value, buf, (size_t)n);
}

static int links_get(struct pat_links *l)
{
	int err = 0;

	if (!l->loaded && l->load)
		err = l->load(l);
	l->loaded = true;
	return err;
}

bool pat_link_exists(struct pat_links *l, const char *name)
{
	links_get(l);
	for (size_t i = 0; i < l->names.n; i++)
		if (strcmp(l->names.v[i], name) == 0)
			return true;
	return false;
}

void pat_links_reset(struct pat_links *l)
{
	pat_strv_free(&l->names);
	l->loaded = false;
}

static int add_target(struct nodup *out, const char *name, const char *logical)
{
	char *s;
	int err;

	if (!logical)
		return add_nodup(out, name);
	if (asprintf(&s, "%s=%s", name, logical) < 0)
		return -ENOMEM;
	err = add_nodup(out, s);
	free(s);
	return err;
}

static int expand_one(struct pat_links *l, const char *word, struct nodup *out)
{
	struct pat p;
	int err = pat_parse(word, &p), n = 0;

	if (!err)
		err = links_get(l);
	for (size_t i = 0; !err && i < l->names.n; i++) {
		if (!match(&p, l, l->names.v[i]))
			continue;
		n++;
		if (p.nth > 0 && n != p.nth)
			continue;
		err = add_target(out, l->names.v[i], p.logical);
		if (n == p.nth)
			break;
	}
	pat_free(&p);
	return err;
}

int pat_expand(struct pat_links *l, const struct ifp_strv *in,
	       struct ifp_strv *out)
{
	struct nodup d;
	int err = nodup_init(&d, out, 0);

	for (size_t i = 0; !err && i < in->n; i++)
		err = pat_is(in->v[i]) ? expand_one(l, in->v[i], &d)
				       : add_nodup(&d, in->v[i]);
	ix_free(&d.ix);
	return err;
}

int pat_links_load(struct pat_links *l)
{
	struct ifaddrs *ifap, *ifa;
	const char **v;
	size_t n = 0;
	int err;

	if (getifaddrs(&ifap) < 0)
		return -errno;
	for (ifa = ifap; ifa; ifa = ifa->ifa_next)
		n++;
	v = calloc(n ? n : 1, sizeof(*v));
	if (!v) {
		freeifaddrs(ifap);
		return -ENOMEM;
	}
	n = 0;
	for (ifa = ifap; ifa; ifa = ifa->ifa_next)
		if (ifa->ifa_name)
			v[n++] = ifa->ifa_name;
	err = pat_order(v, n, &l->names);
	free(v);
	freeifaddrs(ifap);
	return err;
}

int pat_sysfs_read(const char *ifname, const char *var, char *buf, size_t size)
{
	char path[512];
	size_t got = 0;
	ssize_t n;
	int fd, len;

	len = snprintf(path, sizeof(path), "/sys/class/net/%s/%s", ifname, var);
	if (len < 0 || (size_t)len >= sizeof(path))
		return -ENOENT; /* longer than any file there */
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	if (fd < 0)
		return errno == ENAMETOOLONG || errno == ENOTDIR ? -ENOENT
								 : -errno;
	while (got < size) {
		n = read(fd, buf + got, size - got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && got == 0) {
			n = -errno;
			close(fd);
			return (int)n;
		}
		if (n <= 0)
			break;
		got += (size_t)n;
	}
	close(fd);
	return (int)got;
}

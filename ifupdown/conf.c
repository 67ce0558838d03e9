/* SPDX-License-Identifier: MIT */
/*
 * Reading interfaces(5) files for the parser: `source` (globs, relative
 * to the including file) and `source-directory` (files named
 * [A-Za-z0-9_-]+ in byte order), as Debian ifupdown 0.8 config.c.  Each
 * file is read once, known by its device and inode (Debian compares the
 * path's text: `source ./interfaces` reads it until the name is too long,
 * a hard link twice), and sources nest at most CONF_MAX_DEPTH deep.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <glob.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include "conf.h"
#include "embnet/log.h"
#include "embnet/spawn.h"

#define CONF_MAX_SIZE (16u << 20)
/* as OpenSSH's READCONF_MAX_DEPTH: the stack stays small */
#define CONF_MAX_DEPTH 16

struct conf_ctx {
	bool verbose;
	unsigned int depth; /* files being parsed */
};

static int read_fd(int fd, char **out, size_t *len)
{
	size_t cap = 4096, n = 0;
	char *buf = malloc(cap), *p;
	ssize_t r;

	if (!buf)
		return -ENOMEM;
	while ((r = read(fd, buf + n, cap - n)) != 0) {
		if (r < 0) {
			if (errno == EINTR)
				continue;
			r = -errno;
			goto fail;
		}
		n += (size_t)r;
		if (n == cap) {
			r = -EFBIG;
			if (cap >= CONF_MAX_SIZE ||
			    !(p = realloc(buf, cap * 2)))
				goto fail;
			buf = p;
			cap *= 2;
		}
	}
	*out = buf;
	*len = n;
	return 0;
fail:
	free(buf);
	return (int)r;
}

/*
 * Opens @path for reading, unless its file was read before (1).  A FIFO
 * or socket is only read when named by -i (@c->depth 0, opened as
 * before: a FIFO waits for its writer); sourced, it could block ifup for
 * ever: O_NONBLOCK keeps the open from blocking, and it is refused
 * (-EINVAL).  0 and *@fd, 1, or -errno.
 */
static int open_once(struct conf_ctx *c, struct ifp_config *cfg,
		     const char *path, int *fd)
{
	struct stat sb;
	int ret = 0, fl;

	*fd = open(path, O_RDONLY | O_CLOEXEC | (c->depth ? O_NONBLOCK : 0));
	if (*fd < 0)
		return -errno;
	if (fstat(*fd, &sb) < 0)
		ret = -errno;
	else if (c->depth > 0 && (S_ISFIFO(sb.st_mode) || S_ISSOCK(sb.st_mode)))
		ret = -EINVAL;
	else if ((fl = fcntl(*fd, F_GETFL)) < 0 ||
		 fcntl(*fd, F_SETFL, fl & ~O_NONBLOCK) < 0)
		ret = -errno;
	else
		ret = ifp_seen_file(cfg, (unsigned long long)sb.st_dev,
				    (unsigned long long)sb.st_ino);
	if (ret != 0) {
		close(*fd);
		*fd = -1;
	}
	return ret;
}

static int include_cb(void *ctx, struct ifp_config *cfg, bool dir,
		      const char *pattern, const char *file, char *err);

static void warn_cb(void *ctx, const char *msg)
{
	(void)ctx;
	log_warn("%s", msg);
}

/*
 * Parses @path unless its file was read before under any name: `source
 * ./x` in x names x anew at each level, and a loop must end.  Unreadable
 * files are warned about.
 */
static int parse_file(struct conf_ctx *c, struct ifp_config *cfg,
		      const char *path, char *err)
{
	struct ifp_ops ops = { include_cb, warn_cb, c };
	char real[PATH_MAX], *buf = NULL;
	size_t len = 0;
	int ret, fd = -1;

	ret = realpath(path, real) ? open_once(c, cfg, path, &fd) : -errno;
	if (ret == 1)
		return 0;
	if (ret == 0 && (ret = ifp_strv_add(&cfg->seen, real)) == 0)
		ret = read_fd(fd, &buf, &len);
	if (fd >= 0)
		close(fd);
	if (ret == -ENOMEM) {
		free(buf);
		snprintf(err, IFP_ERR_LEN, "%s: out of memory", path);
		return ret;
	}
	if (ret < 0) {
		if (ret == -EINVAL)
			log_warn(
				"couldn't open interfaces file \"%s\": a FIFO or socket",
				path);
		else
			log_err(ret, "couldn't open interfaces file \"%s\"",
				path);
		return 0;
	}
	c->depth++;
	ret = ifp_parse_buf(cfg, path, buf, len, &ops, err);
	c->depth--;
	free(buf);
	return ret;
}

static int name_filter(const struct dirent *d)
{
	return spawn_name_ok(d->d_name);
}

static int name_cmp(const struct dirent **a, const struct dirent **b)
{
	return strcmp((*a)->d_name, (*b)->d_name);
}

static int parse_dir(struct conf_ctx *c, struct ifp_config *cfg,
		     const char *dir, char *err)
{
	struct dirent **names;
	char path[PATH_MAX];
	int n = scandir(dir, &names, name_filter, name_cmp), ret = 0;

	if (n < 0)
		return 0;
	if (c->verbose)
		log_warn("reading directory %s", dir);
	for (int i = 0; i < n; i++) {
		if (!ret && snprintf(path, sizeof(path), "%s/%s", dir,
				     names[i]->d_name) < (int)sizeof(path))
			ret = parse_file(c, cfg, path, err);
		free(names[i]);
	}
	free(names);
	return ret;
}

/* One word of a source line: relative to @file's directory, globbed. */
static int include_word(struct conf_ctx *c, struct ifp_config *cfg, bool dir,
			const char *word, const char *file, char *err)
{
	char pat[PATH_MAX];
	const char *slash = strrchr(file, '/');
	glob_t g;
	int ret = 0, n;

	if (word[0] == '/')
		n = snprintf(pat, sizeof(pat), "%s", word);
	else if (slash)
		n = snprintf(pat, sizeof(pat), "%.*s/%s",
			     (int)(slash == file ? 1 : slash - file), file,
			     word);
	else
		n = snprintf(pat, sizeof(pat), "./%s", word);
	if (n < 0 || (size_t)n >= sizeof(pat))
		return 0;
	if (glob(pat, GLOB_NOCHECK, NULL, &g) != 0)
		return 0;
	for (size_t i = 0; i < g.gl_pathc && !ret; i++) {
		struct stat sb;

		if (stat(g.gl_pathv[i], &sb) < 0 && errno == ENOENT)
			continue;
		if (c->verbose && !dir)
			log_warn("parsing file %s", g.gl_pathv[i]);
		ret = dir ? parse_dir(c, cfg, g.gl_pathv[i], err)
			  : parse_file(c, cfg, g.gl_pathv[i], err);
	}
	globfree(&g);
	return ret;
}

static int include_cb(void *ctx, struct ifp_config *cfg, bool dir,
		      const char *pattern, const char *file, char *err)
{
	struct conf_ctx *c = ctx;
	char *copy, *p, *w, *save = NULL;
	int ret = 0;

	/* a file at level CONF_MAX_DEPTH sources nothing: its parser
	 * reports the line */
	if (c->depth > CONF_MAX_DEPTH)
		return -ELOOP;
	copy = strdup(pattern);
	if (!copy)
		return -ENOMEM;
	for (p = copy; !ret && (w = strtok_r(p, " \t", &save)); p = NULL)
		ret = include_word(ctx, cfg, dir, w, file, err);
	free(copy);
	return ret;
}

int conf_load(struct ifp_config *cfg, const char *path, bool no_loopback,
	      bool verbose, char *err)
{
	struct conf_ctx c = { .verbose = verbose };
	int ret = parse_file(&c, cfg, path, err);

	if (ret < 0)
		return ret;
	if (!no_loopback)
		ret = ifp_add_loopback(cfg, !cfg->has_loopback);
	if (!ret)
		ret = ifp_chain(cfg);
	if (ret < 0)
		snprintf(err, IFP_ERR_LEN, "out of memory");
	return ret;
}

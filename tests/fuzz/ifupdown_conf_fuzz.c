// SPDX-License-Identifier: MIT
// sources: ifupdown/conf.c ifupdown/parse.c ifupdown/methods.c
// sources: ifupdown/list.c ifupdown/hashix.c ifupdown/lex.c
// fuzz-covers: ifupdown/conf.c
/*
 * libFuzzer target for the interfaces(5) loader: each input describes a
 * small tree of files, written under a private directory D (mkdtemp), and
 * conf_load() reads its root as ifup does, with `source` and
 * `source-directory` over the tree (loops, nesting, globs, missing files,
 * directories where files are expected).
 *
 * Input: sections split at '%'.  Section 0 is the root file D/interfaces.
 * Every other section is a header line, then the file's text:
 *   NAME\nTEXT   the file D/NAME (parents made as needed)
 *   NAME/        a directory
 *   NAME=TARGET  a symlink
 *   !FLAGS       c: load "interfaces" from inside D (relative root),
 *                v: verbose, n: no implicit loopback
 * NAME and TARGET keep [A-Za-z0-9_.-/] (others become '_'), lose leading
 * '/', and a component starting with '.' (but "." itself) has that '.'
 * made '_'.  In TEXT, "@D" becomes D's path; a word starting with '/' and
 * a path component starting with ".x" or "\." have that byte made '_', so
 * nothing the loader reads lies outside D.
 *
 * Checked: 0 or -EINVAL; an error is one line "FILE:LINE: message" naming
 * a file that was read; each file is read once and from inside D (loops
 * end); the implicit `auto lo` comes first.  In relative mode a crash
 * leaves its artifact in D unless -artifact_prefix is absolute.  D is
 * made in $TMPDIR, else /tmp: TMPDIR=/dev/shm runs several times faster.
 */
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include "fuzz.h"
#include "../../ifupdown/conf.h"

#define MAX_SECTIONS 24
#define MAX_NAME 40
#define MAX_TEXT (64u << 10)

struct input {
	bool cwd, verbose, no_lo;
};

#define MAX_DIR 200

static char base[MAX_DIR];
static char dir[MAX_DIR + 2]; /* base/t: D */
static char real_dir[PATH_MAX];
static char text[MAX_TEXT];
static int cwd_fd = -1;
static FILE *devnull;

static int rm_cb(const char *path, const struct stat *sb, int type,
		 struct FTW *ftw)
{
	(void)sb;
	(void)type;
	(void)ftw;
	remove(path);
	return 0;
}

static void cleanup(void)
{
	nftw(base, rm_cb, 16, FTW_DEPTH | FTW_PHYS);
}

/* $TMPDIR (a tmpfs is several times faster) if its name needs no
 * quoting in a glob or a message, else /tmp. */
static const char *tmp_dir(void)
{
	const char *t = getenv("TMPDIR");

	if (!t || t[0] != '/' || strlen(t) > MAX_DIR - 32 ||
	    strspn(t, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
		      "0123456789_-/.") != strlen(t))
		return "/tmp";
	return t;
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	snprintf(base, sizeof(base), "%s/ifupdown_conf_fuzz.XXXXXX", tmp_dir());
	if (!mkdtemp(base))
		abort();
	snprintf(dir, sizeof(dir), "%s/t", base);
	if (mkdir(dir, 0700) < 0 || !realpath(dir, real_dir))
		abort();
	cwd_fd = open(".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	devnull = fopen("/dev/null", "w");
	if (cwd_fd < 0 || !devnull)
		abort();
	atexit(cleanup);
	return 0;
}

static bool blank(uint8_t c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' ||
	       c == '\r' || c == '\0';
}

/* True if byte @i of @s, at the start of a path component, must not stay:
 * ".x" or "\." could match "..". */
static bool bad_dot(const uint8_t *s, size_t n, size_t i)
{
	uint8_t next = i + 1 < n ? s[i + 1] : '\n';

	if (s[i] == '.')
		return next != '/' && !blank(next);
	return s[i] == '\\' && next == '.';
}

/* The text of a file: "@D" expanded, no way out of D (see the top). */
static size_t expand(const uint8_t *s, size_t n)
{
	size_t o = 0, d_len = strlen(dir);

	for (size_t i = 0; i < n; i++) {
		bool word = i == 0 || blank(s[i - 1]);
		bool comp = word || s[i - 1] == '/';
		char c = (char)s[i];

		if (c == '@' && i + 1 < n && s[i + 1] == 'D') {
			if (o + d_len > MAX_TEXT)
				break;
			memcpy(text + o, dir, d_len);
			o += d_len;
			i++;
			continue;
		}
		if ((word && c == '/') || (comp && bad_dot(s, n, i)))
			c = '_';
		if (o == MAX_TEXT)
			break;
		text[o++] = c;
	}
	return o;
}

static bool name_char(uint8_t c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || c == '_' || c == '-' || c == '.' ||
	       c == '/';
}

/* A relative name inside D into @out (MAX_NAME + 1 bytes); false if empty. */
static bool safe_name(char *out, const uint8_t *s, size_t n)
{
	size_t o = 0;

	for (size_t i = 0; i < n && o < MAX_NAME; i++) {
		bool comp = o == 0 || out[o - 1] == '/';

		if (s[i] == '/' && comp)
			continue;
		out[o++] = (char)(!name_char(s[i]) || (comp && bad_dot(s, n, i))
					  ? '_'
					  : s[i]);
	}
	out[o] = '\0';
	return o > 0;
}

/* Makes the directories above D/@name. */
static void make_parents(const char *name)
{
	char path[sizeof(dir) + MAX_NAME + 1];
	char *s;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	for (s = path + strlen(dir) + 1; (s = strchr(s, '/')); *s++ = '/') {
		*s = '\0';
		mkdir(path, 0700);
	}
}

static void write_file(const char *name, const uint8_t *s, size_t n)
{
	char path[sizeof(dir) + MAX_NAME + 1];
	size_t len = expand(s, n);
	int fd;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC,
		  0600);
	if (fd < 0)
		return;
	if (write(fd, text, len) != (ssize_t)len)
		abort();
	close(fd);
}

/* One section after the first: a flag line, a file, a directory or a
 * symlink. */
static void add_section(const uint8_t *s, size_t n, struct input *in)
{
	const uint8_t *nl = memchr(s, '\n', n), *eq;
	size_t h_len = nl ? (size_t)(nl - s) : n, skip = h_len + !!nl;
	char name[MAX_NAME + 1], target[MAX_NAME + 1];
	char path[sizeof(dir) + MAX_NAME + 1];

	if (h_len && s[0] == '!') {
		in->cwd |= memchr(s, 'c', h_len) != NULL;
		in->verbose |= memchr(s, 'v', h_len) != NULL;
		in->no_lo |= memchr(s, 'n', h_len) != NULL;
		return;
	}
	eq = memchr(s, '=', h_len);
	if (!safe_name(name, s, eq ? (size_t)(eq - s) : h_len))
		return;
	make_parents(name);
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	if (eq && safe_name(target, eq + 1, h_len - (size_t)(eq + 1 - s)))
		symlink(target, path);
	else if (!eq && name[strlen(name) - 1] == '/')
		mkdir(path, 0700);
	else if (!eq)
		write_file(name, s + skip, n - skip);
}

static void build_tree(const uint8_t *data, size_t size, struct input *in)
{
	const uint8_t *p = data, *end = data + size, *q;

	for (int i = 0; i < MAX_SECTIONS; i++, p = q + 1) {
		size_t n;

		q = memchr(p, '%', (size_t)(end - p));
		n = q ? (size_t)(q - p) : (size_t)(end - p);
		if (i == 0)
			write_file("interfaces", p, n);
		else
			add_section(p, n, in);
		if (!q)
			break;
	}
}

static bool seen_has(const struct ifp_config *cfg, const char *path)
{
	for (size_t i = 0; i < cfg->seen.n; i++)
		if (strcmp(cfg->seen.v[i], path) == 0)
			return true;
	return false;
}

/* "FILE:LINE: message" on one line, FILE one of the files read, or the
 * end of a long name after "...". */
static void check_err(const struct ifp_config *cfg, const char *err)
{
	char file[PATH_MAX], real[PATH_MAX];
	const char *colon = strchr(err, ':'), *p;

	CHECK(!strchr(err, '\n'));
	CHECK(colon && colon > err && (size_t)(colon - err) < sizeof(file));
	for (p = colon + 1; *p >= '0' && *p <= '9'; p++)
		;
	CHECK(p > colon + 1 && p[0] == ':' && p[1] == ' ' && p[2]);
	memcpy(file, err, (size_t)(colon - err));
	file[colon - err] = '\0';
	if (strncmp(file, "...", 3) == 0)
		CHECK(strlen(file) == 3 + 255);
	else
		CHECK(realpath(file, real) && seen_has(cfg, real));
}

static void check(const struct ifp_config *cfg, int ret, const char *err,
		  const struct input *in)
{
	size_t d_len = strlen(real_dir);
	const struct ifp_class *c;

	CHECK(ret == 0 || ret == -EINVAL);
	/* each file once, all inside D: the loops ended */
	for (size_t i = 0; i < cfg->seen.n; i++) {
		const char *s = cfg->seen.v[i];

		CHECK(strncmp(s, real_dir, d_len) == 0 &&
		      (s[d_len] == '/' || s[d_len] == '\0'));
		for (size_t j = 0; j < i; j++)
			CHECK(strcmp(cfg->seen.v[j], s) != 0);
	}
	if (ret < 0) {
		check_err(cfg, err);
		return;
	}
	if (in->no_lo)
		return;
	c = ifp_class_find(cfg, "auto");
	CHECK(c && c->ifaces.n && strcmp(c->ifaces.v[0], "lo") == 0);
	CHECK(cfg->n_ifaces && cfg->ifaces[0].name);
}

static int load(struct ifp_config *cfg, const struct input *in, char *err)
{
	char root[sizeof(dir) + 16];
	int ret;
#ifdef __GLIBC__
	/* unreadable files are warned about: not once per run on stderr
	 * (sanitizers and libFuzzer write to fd 2 or their own FILE) */
	FILE *saved = stderr;

	stderr = devnull;
#endif
	snprintf(root, sizeof(root), "%s/interfaces", dir);
	if (in->cwd && chdir(dir) < 0)
		abort();
	ret = conf_load(cfg, in->cwd ? "interfaces" : root, in->no_lo,
			in->verbose, err);
#ifdef __GLIBC__
	stderr = saved;
#endif
	return ret;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ifp_config cfg = { 0 };
	struct input in = { 0 };
	char err[IFP_ERR_LEN] = "";
	int ret;

	build_tree(data, size, &in);
	ret = load(&cfg, &in, err);
	check(&cfg, ret, err, &in); /* still in D: FILE may be relative */
	if (fchdir(cwd_fd) < 0)
		abort();
	ifp_free(&cfg);
	nftw(dir, rm_cb, 16, FTW_DEPTH | FTW_PHYS);
	if (mkdir(dir, 0700) < 0)
		abort();
	return 0;
}

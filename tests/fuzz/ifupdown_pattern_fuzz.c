// SPDX-License-Identifier: MIT
// sources: ifupdown/pattern.c ifupdown/parse.c ifupdown/methods.c
// sources: ifupdown/list.c ifupdown/hashix.c ifupdown/lex.c
// fuzz-covers: ifupdown/pattern.c:pat_is,pat_parse,pat_free,pat_strv_free
// fuzz-covers: ifupdown/pattern.c:nodup_seen,nodup_init,add_nodup,pat_order
// fuzz-covers: ifupdown/pattern.c:match
// fuzz-covers: ifupdown/pattern.c:lines_match,links_get,pat_link_exists
// fuzz-covers: ifupdown/pattern.c:pat_links_reset,add_target,expand_one
// fuzz-covers: ifupdown/pattern.c:pat_expand
/*
 * libFuzzer target for interfaces(5) patterns: the words of the input's
 * first line (a command line, or an `auto` line) are expanded against
 * five interfaces whose /sys/class/net files are the rest of the input.
 *
 * Input: WORDS\nFILES.  WORDS: up to 16 words split at blanks, each cut
 * at 48 bytes (glibc's FNM_EXTMATCH is slow on long patterns).  FILES:
 * sections split at '\f', given out in turn to the reads, the first
 * byte of each saying what the read finds: 'n' no file, 'd' a
 * directory, else the rest is the file's content (NULs included).
 *
 * Checked: pat_parse() accepts every word with a '/' and only those, its
 * parts lie in its buffer; pat_expand() returns 0, every result is a
 * word of the line that is no pattern or an interface (=LOGICAL), each
 * once, with no '/' before its '='; a pattern with N > 0 adds at most
 * one.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "../../ifupdown/pattern.h"

/* getifaddrs(3)'s names, repeats and all: veth1 eth1 br-lan.5 veth0 lo. */
static const char *const raw[] = { "lo",   "veth1",    "veth0", "eth1",	 "lo",
				   "eth1", "br-lan.5", "lo",	"veth0", "lo" };

static const uint8_t *files;
static size_t files_len, files_at;

static int read_cb(const char *ifname, const char *var, char *buf, size_t size)
{
	const uint8_t *s, *e;
	size_t len;

	CHECK(ifname[0] && var[0] && !strchr(var, '/'));
	if (files_at >= files_len)
		return -ENOENT;
	s = files + files_at;
	e = memchr(s, '\f', files_len - files_at);
	len = e ? (size_t)(e - s) : files_len - files_at;
	files_at += len + 1;
	if (len == 0 || s[0] == 'n')
		return -ENOENT;
	if (s[0] == 'd')
		return -EISDIR;
	len = len - 1 < size ? len - 1 : size;
	memcpy(buf, s + 1, len);
	return (int)len;
}

static int load_cb(struct pat_links *l)
{
	return pat_order(raw, sizeof(raw) / sizeof(raw[0]), &l->names);
}

static bool is_link(const char *s, const struct ifp_strv *names)
{
	size_t n = strcspn(s, "=");

	for (size_t i = 0; i < names->n; i++)
		if (strlen(names->v[i]) == n && !strncmp(s, names->v[i], n))
			return true;
	return false;
}

static bool in_words(const char *s, const struct ifp_strv *in)
{
	for (size_t i = 0; i < in->n; i++)
		if (!strcmp(s, in->v[i]))
			return true;
	return false;
}

static void check_parse(const char *word)
{
	struct pat p;
	int err = pat_parse(word, &p);
	size_t len = strlen(word);

	CHECK(err == (pat_is(word) ? 0 : -EINVAL));
	if (err)
		return;
	CHECK(p.value >= p.buf && p.value <= p.buf + len);
	CHECK(!p.logical || (p.logical > p.buf && p.logical <= p.buf + len));
	CHECK(!p.var || !strcmp(p.var, "address") ||
	      (p.var == p.buf && !strchr(p.var, '/')));
	CHECK(!strchr(p.value, '/'));
	pat_free(&p);
}

/* Expands @in alone: a pattern with N > 0 adds at most one name. */
static void check_nth(struct pat_links *l, const char *word)
{
	struct ifp_strv in = { 0 }, out = { 0 };
	struct pat p;

	if (pat_parse(word, &p) < 0)
		return;
	CHECK(ifp_strv_add(&in, word) == 0);
	CHECK(pat_expand(l, &in, &out) == 0);
	CHECK(p.nth <= 0 || out.n <= 1);
	pat_free(&p);
	pat_strv_free(&in);
	pat_strv_free(&out);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct pat_links l = { .load = load_cb, .read = read_cb };
	struct ifp_strv in = { 0 }, out = { 0 };
	const uint8_t *nl = memchr(data, '\n', size);
	size_t wlen = nl ? (size_t)(nl - data) : size;
	char line[16 * 49 + 1], *save = NULL;
	size_t n = 0;

	files = nl ? nl + 1 : data + size;
	files_len = nl ? size - wlen - 1 : 0;
	files_at = 0;
	for (size_t i = 0; i < wlen && n + 1 < sizeof(line); i++)
		line[n++] = data[i] ? (char)data[i] : ' ';
	line[n] = '\0';
	for (char *w = strtok_r(line, " \t", &save); w && in.n < 16;
	     w = strtok_r(NULL, " \t", &save)) {
		if (strlen(w) > 48)
			w[48] = '\0';
		check_parse(w);
		CHECK(ifp_strv_add(&in, w) == 0);
	}
	CHECK(pat_expand(&l, &in, &out) == 0);
	for (size_t i = 0; i < out.n; i++) {
		CHECK(strcspn(out.v[i], "/") >= strcspn(out.v[i], "="));
		CHECK(in_words(out.v[i], &in) || is_link(out.v[i], &l.names));
		for (size_t j = 0; j < i; j++)
			CHECK(strcmp(out.v[i], out.v[j]) != 0);
	}
	for (size_t i = 0; i < in.n; i++)
		check_nth(&l, in.v[i]);
	CHECK(pat_link_exists(&l, "br-lan.5") && !pat_link_exists(&l, "x"));
	CHECK(l.names.n == 5 && !strcmp(l.names.v[0], "veth1") &&
	      !strcmp(l.names.v[4], "lo"));
	pat_strv_free(&in);
	pat_strv_free(&out);
	pat_links_reset(&l);
	return 0;
}

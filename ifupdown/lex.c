/* SPDX-License-Identifier: MIT */
/* The text of interfaces(5) in logical lines and words (lex.h). */
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "lex.h"

static bool is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' ||
	       c == '\r';
}

static int lb_append(struct lex_buf *b, const char *s, size_t n)
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
static bool rd_line(struct lex_rd *r, const char **s, size_t *n)
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

static void lb_lstrip(struct lex_buf *b)
{
	size_t i = 0;

	while (i < b->len && is_space(b->s[i]))
		i++;
	memmove(b->s, b->s + i, b->len - i + 1);
	b->len -= i;
}

int lex_line(struct lex_rd *r, struct lex_buf *b)
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

char *lex_word(char **p)
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

/* SPDX-License-Identifier: MIT */
/*
 * interfaces(5) text cut as Debian ifupdown 0.8 config.c cuts it: logical
 * lines (leading blanks and comment lines dropped: a '#' only at line
 * start; a final '\' joins the next line as is; trailing blanks cut) and
 * words.  Pure.
 */
#ifndef IFUPDOWN_LEX_H
#define IFUPDOWN_LEX_H

#include <stddef.h>

/* The text not read yet, and the number of the last line read. */
struct lex_rd {
	const char *p;
	size_t rem;
	unsigned int line;
};

/* One logical line; s is the caller's to free. */
struct lex_buf {
	char *s;
	size_t len, cap;
};

/*
 * Debian's get_line(): the next logical line of @r into @b (a NUL in a
 * line ends it, as fgets() and strlen() would).  1, 0 at the end, or
 * -ENOMEM.
 */
int lex_line(struct lex_rd *r, struct lex_buf *b);

/* Cuts the next word off *@p (NUL-terminating it in place and moving *@p
 * past the blanks after it); NULL when none is left. */
char *lex_word(char **p);

#endif

/* SPDX-License-Identifier: MIT */
/*
 * interfaces(5) patterns, [VARIABLE]/VALUE[/N][=LOGICAL], in `auto`,
 * `allow-*` and `rename` lines and on the command line, as Debian's
 * ifupdown 0.8 reads and expands them.
 */
#ifndef IFUPDOWN_PATTERN_H
#define IFUPDOWN_PATTERN_H

#include <stdbool.h>
#include <stddef.h>

#include "interfaces.h"

/* The most of a /sys/class/net/IF/VARIABLE file that is matched. */
#define PAT_ATTR_MAX 4096

/* One pattern, split as Debian splits it. */
struct pat {
	char *buf;	     /* one allocation holding the strings below */
	const char *var;     /* sysfs file ("address" for mac), NULL: name */
	const char *value;   /* the fnmatch(3) pattern */
	const char *logical; /* after '=', or NULL */
	int nth;	     /* the N-th match, from 1; 0 or less: every one */
};

/*
 * The interfaces a pattern is matched against.  @names: each name once,
 * in the order Debian walks getifaddrs(3) (see pat_order()); filled by
 * @load (when not @loaded) at the first pattern.  @read reads up to @size
 * bytes of /sys/class/net/@ifname/@var: the length, -ENOENT when there is
 * no such file, another -errno when it cannot be read.
 */
struct pat_links {
	struct ifp_strv names;
	bool loaded;
	int (*load)(struct pat_links *l);
	int (*read)(const char *ifname, const char *var, char *buf,
		    size_t size);
};

/* True if @word is a pattern: it holds a '/'. */
bool pat_is(const char *word);

/*
 * Splits @word: VARIABLE before the first '/', VALUE up to the next '/'
 * (when VALUE is not empty), then N; LOGICAL after the first '=' of N,
 * or of VALUE when there is no N.  0, -EINVAL if @word is not a pattern,
 * -ENOMEM.  pat_free() releases @p.
 */
int pat_parse(const char *word, struct pat *p);
void pat_free(struct pat *p);

/*
 * Appends to @out each name of @in, patterns replaced by the interfaces
 * they match ("IF", or "IF=LOGICAL"), in @l's order; a name already in
 * @out is not added again (Debian's expand_matches()).  VALUE is matched
 * (fnmatch with FNM_EXTMATCH) against the name, or each line of the file
 * (cut at 1023 bytes as Debian's fgets() cuts it); "*" alone matches if
 * the file exists, as interfaces(5) says (Debian 0.8.41: if it does not).
 * 0, -ENOMEM, or @l->load's error (@out then holds what came before).
 */
int pat_expand(struct pat_links *l, const struct ifp_strv *in,
	       struct ifp_strv *out);

/* True if @name is in @l (loaded with @l->load if need be). */
bool pat_link_exists(struct pat_links *l, const char *name);

/*
 * The names of @v (@n of them, repeats included) in Debian's order: each
 * name where it occurs last.  getifaddrs(3) gives the links, then every
 * IPv4 and every IPv6 address: a link with addresses comes after those
 * without.  Appends to @out: 0 or -ENOMEM.
 */
int pat_order(const char *const *v, size_t n, struct ifp_strv *out);

/* Loads @l->names from getifaddrs(3): 0 or -errno. */
int pat_links_load(struct pat_links *l);

/* Forgets @l's names: the next pattern loads them again. */
void pat_links_reset(struct pat_links *l);

/* pat_links.read for /sys/class/net. */
int pat_sysfs_read(const char *ifname, const char *var, char *buf, size_t size);

/* Frees what @v owns and empties it. */
void pat_strv_free(struct ifp_strv *v);

#endif

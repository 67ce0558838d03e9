/* SPDX-License-Identifier: MIT */
/*
 * interfaces(5) as Debian ifupdown 0.8 reads it: the pure parser (parse.c:
 * a buffer in, a struct ifp_config out; `source` lines are handed to a
 * callback), the option and word lists it fills (list.c), and the method
 * table with the options each method computes (methods.c).
 */
#ifndef IFUPDOWN_INTERFACES_H
#define IFUPDOWN_INTERFACES_H

#include <stdbool.h>
#include <stddef.h>

#define IFP_ERR_LEN 512
/* Hostile files: options one stanza may hold (inherited ones included),
 * and bytes the whole parsed configuration may take (inherits copies). */
#define IFP_MAX_STANZA_OPTS 4096u
#define IFP_MAX_COST (16u << 20)

/* Hook options, kept in file order and never joined or exported. */
#define IFP_HOOK_PRE_UP "pre-up"
#define IFP_HOOK_UP "up"
#define IFP_HOOK_DOWN "down"
#define IFP_HOOK_POST_DOWN "post-down"

/* What the tools do for a method (the *.defn files of Debian). */
enum ifm_kind {
	IFM_UNSUPPORTED,
	IFM_INET_LOOPBACK,
	IFM_INET_STATIC,
	IFM_INET_MANUAL,
	IFM_INET_DHCP,
	IFM_INET6_AUTO,
	IFM_INET6_LOOPBACK,
	IFM_INET6_STATIC,
	IFM_INET6_MANUAL,
	IFM_INET_TUNNEL,  /* tunnel.c */
	IFM_INET_PPP,	  /* tunnel.c: pon/poff */
	IFM_INET6_TUNNEL, /* tunnel.c */
	IFM_INET6_6TO4,	  /* tunnel.c */
	IFM_INET6_DHCP,	  /* inet6.c: udhcpc6 (dhcp.c) */
};

struct ifm_default {
	const char *name;
	const char *value;
};

struct ifm_method {
	const char *family; /* "inet", "inet6", "can", "ipx" */
	const char *name;   /* "static" */
	enum ifm_kind kind;
	const char *const *required;	    /* NULL-terminated */
	const struct ifm_default *defaults; /* {NULL} terminated */
};

struct ifp_opt {
	char *name;
	char *value;
};

struct ifp_opts {
	struct ifp_opt *v;
	size_t n, cap;
};

struct ifp_strv {
	char **v;
	size_t n, cap;
};

struct ifp_iface {
	char *name; /* logical name */
	const struct ifm_method *method;
	struct ifp_opts opts;
	size_t next; /* the next stanza of this name, 0: none (ifp_chain()) */
};

struct ifp_class {
	char *name; /* "auto", "hotplug" ... */
	struct ifp_strv ifaces;
};

struct ifp_mapping {
	struct ifp_strv match; /* fnmatch patterns */
	char *script;
	struct ifp_strv map;
};

struct ifp_index; /* hashix.h: the names' hash index */

struct ifp_config {
	struct ifp_iface *ifaces;
	size_t n_ifaces, cap_ifaces;
	struct ifp_class *classes;
	size_t n_classes, cap_classes;
	struct ifp_mapping *maps;
	size_t n_maps, cap_maps;
	struct ifp_strv no_auto_down, no_scripts;
	struct ifp_strv renames; /* `rename CUR=NEW` words, in file order */
	struct ifp_strv seen;	 /* real paths of the files read */
	struct ifp_index *index; /* names, classes, files read (parse.c) */
	size_t cost;		 /* bytes parsed so far, <= IFP_MAX_COST */
	bool has_loopback;	 /* a stanza uses method loopback */
};

/*
 * Called for `source PATTERN` (@dir false) and `source-directory DIR`
 * (@dir true) met in @file: reads the files and parses them into @cfg
 * with ifp_parse_buf().  Returns 0 or -errno (a parse error: err is set),
 * or -ELOOP when sources nest too deep (the parser names the line).
 */
struct ifp_ops {
	int (*include)(void *ctx, struct ifp_config *cfg, bool dir,
		       const char *pattern, const char *file, char *err);
	void (*warn)(void *ctx, const char *msg);
	void *ctx;
};

/* parse.c */

/*
 * Parses the @len bytes of @buf, the text of @file, into @cfg (which may
 * already hold earlier files).  @ops may be NULL: `source` lines are then
 * ignored.  Returns 0, -EINVAL with "FILE:LINE: message" in @err
 * (IFP_ERR_LEN bytes; a FILE over 255 bytes is cut to "..." and its last
 * 255), or -ENOMEM.  @cfg stays valid for ifp_free().
 */
int ifp_parse_buf(struct ifp_config *cfg, const char *file, const char *buf,
		  size_t len, const struct ifp_ops *ops, char *err);

/*
 * Records the file of device @dev and inode @ino as read into @cfg:
 * returns 0 the first time, 1 if it was read before (under any name: a
 * hard link, a bind mount, "./x"), or -ENOMEM.
 */
int ifp_seen_file(struct ifp_config *cfg, unsigned long long dev,
		  unsigned long long ino);

/* Adds the implicit `auto lo` (first of the auto class) and, unless the
 * file defines a loopback stanza, `iface lo inet loopback` first. */
int ifp_add_loopback(struct ifp_config *cfg, bool stanza);

/* Frees everything @cfg owns and zeroes it. */
void ifp_free(struct ifp_config *cfg);

/* The class @name ("auto" for auto), or NULL. */
const struct ifp_class *ifp_class_find(const struct ifp_config *cfg,
				       const char *name);

/* The first stanza named @name, or NULL. */
const struct ifp_iface *ifp_iface_find(const struct ifp_config *cfg,
				       const char *name);

/* Links each stanza to the next one of its name (ifp_iface.next), once
 * all are read, so that a name's stanzas are walked without a scan of
 * all of them.  0 or -ENOMEM. */
int ifp_chain(struct ifp_config *cfg);

/* The stanza after @f of the same name (ifp_chain()), or NULL. */
const struct ifp_iface *ifp_iface_next(const struct ifp_config *cfg,
				       const struct ifp_iface *f);

/* list.c */

/* True if @name matches one of the fnmatch patterns of @v. */
bool ifp_strv_match(const struct ifp_strv *v, const char *name);

/* Appends a copy of @s to @v (duplicates kept).  0 or -ENOMEM. */
int ifp_strv_add(struct ifp_strv *v, const char *s);

/* Frees the words of @v and empties it. */
void ifp_strv_free(struct ifp_strv *v);

/* True if @name is a hook option (pre-up, up, down, post-down). */
bool ifp_is_hook(const char *name);

/* The value of option @name in @o, or NULL. */
const char *ifp_opt_get(const struct ifp_opts *o, const char *name);

/*
 * Sets option @name to @value in @o: hooks are always appended; another
 * option is replaced if present (unless @keep), else appended.  0 or
 * -ENOMEM.
 */
int ifp_opt_set(struct ifp_opts *o, const char *name, const char *value,
		bool keep);

/* Appends option @name=@value to @o, whatever it holds.  0 or -ENOMEM. */
int ifp_opt_add(struct ifp_opts *o, const char *name, const char *value);

/* Removes option @name (the first one) from @o. */
void ifp_opt_del(struct ifp_opts *o, const char *name);

/* Copies @src into @dst (empty).  0 or -ENOMEM. */
int ifp_opts_copy(struct ifp_opts *dst, const struct ifp_opts *src);

/* Frees the options of @o. */
void ifp_opts_free(struct ifp_opts *o);

/* methods.c */

/* The method @name of @family, or NULL; ifm_family_known() for families. */
const struct ifm_method *ifm_find(const char *family, const char *name);
bool ifm_family_known(const char *family);

/*
 * Computes the options Debian hands to a stanza's commands and hooks:
 * @o (a copy of the stanza's) gets the method's defaults, then @extra
 * (-o OPTION=VALUE; an empty value deletes), then the conversions
 * (netmask and broadcast from address, address without its prefix,
 * accept_ra 0 with an inet6 gateway, hwaddress random).  @rnd gives 6
 * random bytes for `hwaddress random`.  0 or -ENOMEM.
 */
int ifm_compute(const struct ifm_method *m, struct ifp_opts *o,
		const struct ifp_opts *extra, const unsigned char rnd[6]);

#endif

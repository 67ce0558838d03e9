// SPDX-License-Identifier: MIT
// sources: ifupdown/parse.c ifupdown/methods.c ifupdown/list.c
// sources: ifupdown/hashix.c ifupdown/lex.c
/* The interfaces(5) parser and the computed options of ifupdown. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

static char err[IFP_ERR_LEN];

static int parse(struct ifp_config *cfg, const char *text)
{
	memset(cfg, 0, sizeof(*cfg));
	return ifp_parse_buf(cfg, "f", text, strlen(text), NULL, err);
}

static void expect_err(const char *text, const char *msg)
{
	struct ifp_config cfg;

	assert_int_equal(parse(&cfg, text), -EINVAL);
	assert_string_equal(err, msg);
	ifp_free(&cfg);
}

static void test_errors(void **state)
{
	(void)state;
	expect_err("iface eth0 inet static\n\taddress\n",
		   "f:2: option with empty value");
	expect_err("address 1\n", "f:1: misplaced option");
	expect_err(
		"iface eth0 inet foo\n",
		"f:1: unknown or no method and no inherits keyword specified");
	expect_err(
		"iface eth0 foo\n",
		"f:1: unknown or no address type and no inherits keyword specified");
	expect_err(
		"\n\niface eth0\n",
		"f:3: unknown or no address type and no inherits keyword specified");
	expect_err(
		"iface eth0 inet\n",
		"f:1: unknown or no method and no inherits keyword specified");
	expect_err("iface eth0 inherits\n",
		   "f:1: 'inherits' keyword is missing a parameter");
	expect_err("iface eth0 inherits x\n",
		   "f:1: unknown iface to inherit from: x (*)");
	expect_err("iface eth1 inet6 manual\niface eth0 inet inherits eth1\n",
		   "f:2: unknown iface to inherit from: eth1 (inet)");
	expect_err("iface\n", "f:1: too few parameters for iface line");
	expect_err("mapping eth0\n\tscript a\n\tscript b\n",
		   "f:3: duplicate script in mapping");
	expect_err("mapping eth0\n\tfoo a\n", "f:2: misplaced option");
	expect_err("auto eth0\n\tmtu 1\n", "f:2: misplaced option");
	expect_err("iface a inet manual\n\\\n\\\nfoo\n",
		   "f:4: option with empty value");
}

static void test_lexical(void **state)
{
	struct ifp_config cfg;

	(void)state;
	assert_int_equal(parse(&cfg, "# c \\\n"
				     "  iface eth0 inet static \\\n"
				     "\n"
				     "\taddress 10.0.0.1/8  \r\n"
				     "  # comment\n"
				     "\tup echo a#b\n"
				     "\tpost-up echo \\\n"
				     "  c\n"
				     "\tpre-down x\n"
				     "\taddress 10.0.0.2\n"
				     "\tfoo-bar.baz  x y\n"
				     "\0junk"),
			 0);
	assert_int_equal(cfg.n_ifaces, 1);
	const struct ifp_iface *f = &cfg.ifaces[0];
	assert_string_equal(f->name, "eth0");
	assert_string_equal(f->method->family, "inet");
	assert_string_equal(f->method->name, "static");
	assert_int_equal(f->opts.n, 5);
	assert_string_equal(f->opts.v[0].name, "address");
	assert_string_equal(f->opts.v[0].value, "10.0.0.1/8\n10.0.0.2");
	assert_string_equal(f->opts.v[1].name, "up");
	assert_string_equal(f->opts.v[1].value, "echo a#b");
	assert_string_equal(f->opts.v[2].value, "echo   c");
	assert_string_equal(f->opts.v[3].name, "down");
	assert_string_equal(f->opts.v[4].value, "x y");
	ifp_free(&cfg);
}

static void test_classes(void **state)
{
	struct ifp_config cfg;
	const struct ifp_class *c;

	(void)state;
	assert_int_equal(parse(&cfg, "auto eth0 eth1 eth0\n"
				     "allow-hotplug eth2\n"
				     "allow-auto eth3\n"
				     "iface eth4 inet manual\n"
				     "\tauto\n"
				     "\tallow-hotplug\n"
				     "\tno-auto-down\n"
				     "\tno-scripts\n"
				     "\tmtu 1400\n"
				     "no-auto-down eth5\n"
				     "auto lo\n"),
			 0);
	c = ifp_class_find(&cfg, "auto");
	assert_non_null(c);
	assert_int_equal(c->ifaces.n, 5);
	assert_string_equal(c->ifaces.v[2], "eth3");
	assert_string_equal(c->ifaces.v[3], "eth4");
	c = ifp_class_find(&cfg, "hotplug");
	assert_int_equal(c->ifaces.n, 2);
	assert_true(ifp_strv_match(&cfg.no_auto_down, "eth4"));
	assert_true(ifp_strv_match(&cfg.no_auto_down, "eth5"));
	assert_true(ifp_strv_match(&cfg.no_scripts, "eth4"));
	assert_string_equal(ifp_opt_get(&cfg.ifaces[0].opts, "mtu"), "1400");
	assert_int_equal(ifp_add_loopback(&cfg, true), 0);
	c = ifp_class_find(&cfg, "auto");
	assert_int_equal(c->ifaces.n, 5);
	assert_string_equal(c->ifaces.v[0], "lo");
	assert_string_equal(c->ifaces.v[1], "eth0");
	assert_string_equal(cfg.ifaces[0].name, "lo");
	assert_string_equal(cfg.ifaces[1].name, "eth4");
	ifp_free(&cfg);
}

static void test_rename(void **state)
{
	struct ifp_config cfg;

	(void)state;
	assert_int_equal(parse(&cfg, "iface lan0 inet manual\n"
				     "rename eth0=lan0 eth1=wan0\n"
				     "rename eth2=lan2\n"
				     "\tmtu 1400\n"),
			 -EINVAL);
	assert_string_equal(err, "f:4: misplaced option"); /* ends the stanza */
	ifp_free(&cfg);
	assert_int_equal(parse(&cfg, "rename eth0=lan0 eth1=wan0\n"
				     "iface lan0 inet manual\n"
				     "rename eth2=lan2\n"),
			 0);
	assert_int_equal(cfg.renames.n, 3);
	assert_string_equal(cfg.renames.v[1], "eth1=wan0");
	assert_string_equal(cfg.renames.v[2], "eth2=lan2");
	ifp_free(&cfg);
	/* any word, as Debian: ifup says what has no target */
	assert_int_equal(parse(&cfg, "rename eth0 =lan0 /veth* eth1=\n"), 0);
	assert_int_equal(cfg.renames.n, 4);
	assert_string_equal(cfg.renames.v[0], "eth0");
	assert_string_equal(cfg.renames.v[1], "=lan0");
	assert_string_equal(cfg.renames.v[2], "/veth*");
	assert_string_equal(cfg.renames.v[3], "eth1=");
	ifp_free(&cfg);
}

static void test_inherits_mapping(void **state)
{
	struct ifp_config cfg;
	const struct ifp_iface *f;

	(void)state;
	assert_int_equal(parse(&cfg, "iface eth0 inet static\n"
				     "\taddress 192.0.2.1/24\n"
				     "\tmtu 1400\n"
				     "iface eth1 inherits eth0\n"
				     "\tmtu 1500\n"
				     "iface eth2 inet6 static inherits eth0\n"
				     "iface eth3 inet inherits eth0\n"
				     "iface lo inet loopback\n"
				     "mapping eth*\n"
				     "\tscript /bin/m\n"
				     "\tmap a b\n"
				     "\tmap c\n"),
			 -EINVAL);
	assert_string_equal(err,
			    "f:6: unknown iface to inherit from: eth0 (inet6)");
	ifp_free(&cfg);
	assert_int_equal(parse(&cfg, "iface eth0 inet static\n"
				     "\taddress 192.0.2.1/24\n"
				     "\tmtu 1400\n"
				     "iface eth1 inherits eth0\n"
				     "\tmtu 1500\n"
				     "iface eth3 inet inherits eth0\n"
				     "iface lo inet loopback\n"
				     "mapping eth* wl*\n"
				     "\tscript /bin/m\n"
				     "\tmap a b\n"
				     "\tmap c\n"),
			 0);
	f = &cfg.ifaces[1];
	assert_string_equal(f->method->name, "static");
	assert_string_equal(ifp_opt_get(&f->opts, "mtu"), "1400\n1500");
	assert_string_equal(cfg.ifaces[2].method->name, "static");
	assert_true(cfg.has_loopback);
	assert_int_equal(cfg.n_maps, 1);
	assert_int_equal(cfg.maps[0].match.n, 2);
	assert_string_equal(cfg.maps[0].script, "/bin/m");
	assert_string_equal(cfg.maps[0].map.v[0], "a b");
	assert_int_equal(ifp_add_loopback(&cfg, false), 0);
	assert_int_equal(cfg.n_ifaces, 4);
	ifp_free(&cfg);
}

static int count_include;

static int inc_cb(void *ctx, struct ifp_config *cfg, bool dir,
		  const char *pattern, const char *file, char *e)
{
	(void)ctx;
	(void)e;
	assert_string_equal(file, "f");
	assert_string_equal(pattern, dir ? "d/*" : "a b");
	count_include++;
	return ifp_parse_buf(cfg, "inc", "iface x inet manual\n", 20, NULL, e);
}

static void test_source(void **state)
{
	struct ifp_config cfg = { 0 };
	struct ifp_ops ops = { inc_cb, NULL, NULL };
	const char *t = "iface a inet manual\nsource a b\n\tmtu 1\n";

	(void)state;
	assert_int_equal(ifp_parse_buf(&cfg, "f", t, strlen(t), &ops, err),
			 -EINVAL);
	assert_string_equal(err, "f:3: misplaced option");
	ifp_free(&cfg);
	t = "source-directory d/*\nsource-dirx d/*\n";
	count_include = 0;
	assert_int_equal(ifp_parse_buf(&cfg, "f", t, strlen(t), &ops, err), 0);
	assert_int_equal(count_include, 2);
	assert_int_equal(cfg.n_ifaces, 2);
	ifp_free(&cfg);
}

/* A long file name (`source ././././x`) left no room for line and
 * message: the message names the end of the file. */
static void test_long_file(void **state)
{
	struct ifp_config cfg = { 0 };
	char file[600], want[IFP_ERR_LEN];

	(void)state;
	memset(file, 'a', sizeof(file) - 1);
	file[sizeof(file) - 1] = '\0';
	file[sizeof(file) - 2] = 'z';
	assert_int_equal(ifp_parse_buf(&cfg, file, "x\nbogus\n", 8, NULL, err),
			 -EINVAL);
	snprintf(want, sizeof(want), "...%s:1: misplaced option",
		 file + sizeof(file) - 1 - 255);
	assert_string_equal(err, want);
	ifp_free(&cfg);
}

static int loop_cb(void *ctx, struct ifp_config *cfg, bool dir,
		   const char *pattern, const char *file, char *e)
{
	(void)ctx;
	(void)cfg;
	(void)dir;
	(void)pattern;
	(void)file;
	(void)e;
	return -ELOOP;
}

/* The loader refuses a source nested too deep: the parser names the line. */
static void test_source_depth(void **state)
{
	struct ifp_config cfg = { 0 };
	struct ifp_ops ops = { loop_cb, NULL, NULL };
	const char *t = "iface a inet manual\nsource a\n";

	(void)state;
	assert_int_equal(ifp_parse_buf(&cfg, "f", t, strlen(t), &ops, err),
			 -EINVAL);
	assert_string_equal(err, "f:2: too many nested source levels");
	ifp_free(&cfg);
}

/* A text of @n lines made by @line(i, buf), after @head. */
static char *lines(const char *head, size_t n,
		   void (*line)(size_t i, char *buf, size_t len))
{
	size_t len = strlen(head), cap = len + 1 + n * 48;
	char *t = malloc(cap), one[48];

	assert_non_null(t);
	memcpy(t, head, len + 1);
	for (size_t i = 0; i < n; i++) {
		line(i, one, sizeof(one));
		memcpy(t + len, one, strlen(one) + 1);
		len += strlen(one);
	}
	return t;
}

static void opt_line(size_t i, char *buf, size_t len)
{
	snprintf(buf, len, "\to%zu x\n", i);
}

static void rep_line(size_t i, char *buf, size_t len)
{
	snprintf(buf, len, "\tdns-search d%zu\n", i);
}

static void hook_line(size_t i, char *buf, size_t len)
{
	snprintf(buf, len, i % 2 ? "\tup true\n" : "\tpost-up true\n");
}

/* One stanza holds IFP_MAX_STANZA_OPTS option lines (hooks and repeats
 * included, inherited ones counted): the next is a FILE:LINE error. */
static void test_stanza_cap(void **state)
{
	void (*kinds[])(size_t, char *, size_t) = { opt_line, rep_line,
						    hook_line };
	struct ifp_config cfg;
	char want[64];
	char *t;

	(void)state;
	for (size_t k = 0; k < 3; k++) {
		t = lines("iface a inet manual\n", IFP_MAX_STANZA_OPTS,
			  kinds[k]);
		assert_int_equal(parse(&cfg, t), 0);
		ifp_free(&cfg);
		free(t);
		t = lines("iface a inet manual\n", IFP_MAX_STANZA_OPTS + 1,
			  kinds[k]);
		assert_int_equal(parse(&cfg, t), -EINVAL);
		snprintf(want, sizeof(want),
			 "f:%u: too many options in one stanza (over %u)",
			 IFP_MAX_STANZA_OPTS + 2, IFP_MAX_STANZA_OPTS);
		assert_string_equal(err, want);
		ifp_free(&cfg);
		free(t);
	}
	t = lines("iface a inet manual\n", IFP_MAX_STANZA_OPTS, opt_line);
	strcat(t, "iface b inherits a\n\tmtu 1\n");
	assert_int_equal(parse(&cfg, t), -EINVAL);
	snprintf(want, sizeof(want),
		 "f:%u: too many options in one stanza (over %u)",
		 IFP_MAX_STANZA_OPTS + 3, IFP_MAX_STANZA_OPTS);
	assert_string_equal(err, want);
	ifp_free(&cfg);
	free(t);
}

/* Repeats are joined in file order, a value grown in place. */
static void test_joins(void **state)
{
	struct ifp_config cfg;
	const char *v;
	char *t = lines("iface a inet manual\n\tmtu 9\n", 4000, rep_line);

	(void)state;
	strcat(t, "\tmtu 10\niface b inherits a\n\tdns-search e\n");
	assert_int_equal(parse(&cfg, t), 0);
	v = ifp_opt_get(&cfg.ifaces[0].opts, "dns-search");
	assert_int_equal(strncmp(v, "d0\nd1\nd2\n", 9), 0);
	assert_string_equal(v + strlen(v) - 11, "d3998\nd3999");
	assert_string_equal(ifp_opt_get(&cfg.ifaces[0].opts, "mtu"), "9\n10");
	assert_int_equal(cfg.ifaces[0].opts.n, 2);
	v = ifp_opt_get(&cfg.ifaces[1].opts, "dns-search");
	assert_string_equal(v + strlen(v) - 7, "d3999\ne");
	ifp_free(&cfg);
	free(t);
}

static void chain_line(size_t i, char *buf, size_t len)
{
	snprintf(buf, len, "iface v%zu inherits v%zu\n\to%zu x\n", i + 1, i,
		 i + 1);
}

/* Each stanza inheriting the one before copies all its options: the
 * parsed configuration is capped, whatever the file's size. */
static void test_cost_cap(void **state)
{
	struct ifp_config cfg;
	unsigned int line;
	char *t = lines("iface v0 inet manual\n\to0 x\n", 3000, chain_line);

	(void)state;
	assert_int_equal(parse(&cfg, t), -EINVAL);
	assert_int_equal(sscanf(err, "f:%u: ", &line), 1);
	assert_true(line > 1000 && line < 6002);
	assert_non_null(strstr(err, ": too much configuration: over 16 MiB "
				    "once parsed"));
	assert_true(cfg.cost > IFP_MAX_COST &&
		    cfg.cost < IFP_MAX_COST + (256u << 10));
	ifp_free(&cfg);
	free(t);
}

static void name_line(size_t i, char *buf, size_t len)
{
	snprintf(buf, len, "auto n%zu n%zu\nallow-c%zu n%zu\n", i, i / 2, i % 7,
		 i);
}

static void stanza_line(size_t i, char *buf, size_t len)
{
	snprintf(buf, len, "iface n%zu inherits n%zu\n", i + 1, i);
}

/* Names are found through the index: classes and their members, the
 * first stanza of a name (of a family or any), after the implicit lo. */
static void test_index(void **state)
{
	struct ifp_config cfg;
	const struct ifp_class *c;
	char *t = lines("", 20000, name_line);

	(void)state;
	assert_int_equal(parse(&cfg, t), 0);
	c = ifp_class_find(&cfg, "auto");
	assert_int_equal(c->ifaces.n, 20000);
	assert_string_equal(c->ifaces.v[19999], "n19999");
	assert_int_equal(ifp_class_find(&cfg, "c3")->ifaces.n, 20000 / 7);
	assert_int_equal(cfg.n_classes, 8);
	assert_null(ifp_class_find(&cfg, "c7"));
	ifp_free(&cfg);
	free(t);
	t = lines("iface n0 inet6 manual\niface n0 inet manual\n\tmtu 1\n",
		  20000, stanza_line);
	assert_int_equal(parse(&cfg, t), 0);
	assert_int_equal(cfg.n_ifaces, 20002);
	assert_string_equal(cfg.ifaces[20001].method->family, "inet6");
	assert_int_equal(ifp_add_loopback(&cfg, true), 0);
	t = realloc(t, 128);
	strcpy(t, "iface x inherits lo\niface y inet inherits n0\n");
	assert_int_equal(ifp_parse_buf(&cfg, "g", t, strlen(t), NULL, err), 0);
	assert_string_equal(cfg.ifaces[20003].method->name, "loopback");
	assert_string_equal(ifp_opt_get(&cfg.ifaces[20004].opts, "mtu"), "1");
	assert_int_equal(ifp_seen_file(&cfg, 1, 2), 0);
	assert_int_equal(ifp_seen_file(&cfg, 2, 1), 0);
	assert_int_equal(ifp_seen_file(&cfg, 1, 2), 1);
	ifp_free(&cfg);
	free(t);
}

/* The hash the index used before it was keyed: FNV-1a of TAG A '\n' B. */
static uint64_t fnv_old(const char *a, const char *b)
{
	const char *parts[3] = { a, "\n", b };
	uint64_t h =
		(0xcbf29ce484222325ull ^ (unsigned char)'i') * 0x100000001b3ull;

	for (int i = 0; i < 3; i++)
		for (const char *p = parts[i]; *p; p++)
			h = (h ^ (unsigned char)*p) * 0x100000001b3ull;
	return h;
}

/*
 * 2000 stanza names whose old hash ('i' "*" NAME) is 0 in its low 13
 * bits: all in one slot of the 8192 the index ends with, so each insert
 * and look-up walked the cluster (8.8 million probes).  Keyed, the names
 * do not collide: a few probes each.
 */
static void test_index_colliding_names(void **state)
{
	struct ifp_config cfg;
	size_t n = 0, len = 0, cap = 1 << 16;
	char *t = malloc(cap), name[24];

	(void)state;
	for (unsigned long i = 0; n < 2000; i++) {
		snprintf(name, sizeof(name), "c%lx", i);
		if ((fnv_old("*", name) & 8191) != 0)
			continue;
		if (len + 64 > cap)
			t = realloc(t, cap *= 2);
		len += (size_t)sprintf(t + len, "iface %s inet manual\n", name);
		n++;
	}
	assert_int_equal(parse(&cfg, t), 0);
	assert_int_equal(cfg.index->cap, 8192);
	for (size_t i = 0; i < cfg.n_ifaces; i++)
		assert_ptr_equal(ifp_iface_find(&cfg, cfg.ifaces[i].name),
				 &cfg.ifaces[i]);
	assert_in_range(cfg.index->probes, 2 * n, 25 * n);
	ifp_free(&cfg);
	free(t);
}

/* Each stanza is chained to the next of its name, lo's included. */
static void test_chain(void **state)
{
	struct ifp_config cfg;
	const struct ifp_iface *f;
	size_t want[] = { 1, 3, 4 }, i = 0;

	(void)state;
	assert_int_equal(parse(&cfg, "iface a inet static\n address ::1\n"
				     "iface b inet manual\n"
				     "iface a inet6 manual\n"
				     "iface a inet manual\n"
				     "iface lo inet6 loopback\n"),
			 0);
	assert_int_equal(ifp_add_loopback(&cfg, true), 0);
	assert_int_equal(ifp_chain(&cfg), 0);
	for (f = ifp_iface_find(&cfg, "a"); f; f = ifp_iface_next(&cfg, f))
		assert_ptr_equal(f, &cfg.ifaces[want[i++]]);
	assert_int_equal(i, 3);
	f = ifp_iface_find(&cfg, "lo");
	assert_ptr_equal(f, &cfg.ifaces[0]);
	assert_ptr_equal(ifp_iface_next(&cfg, f), &cfg.ifaces[5]);
	assert_null(ifp_iface_next(&cfg, &cfg.ifaces[5]));
	assert_null(ifp_iface_next(&cfg, &cfg.ifaces[2]));
	ifp_free(&cfg);
}

static const char *compute(const char *text, const char *name, const char *x)
{
	static struct ifp_config cfg;
	static const unsigned char rnd[6] = { 0xff, 1, 2, 3, 4, 5 };
	struct ifp_opts extra = { 0 };

	ifp_free(&cfg);
	assert_int_equal(parse(&cfg, text), 0);
	if (x)
		assert_int_equal(ifp_opt_set(&extra, x, "", false), 0);
	assert_int_equal(ifm_compute(cfg.ifaces[0].method, &cfg.ifaces[0].opts,
				     &extra, rnd),
			 0);
	ifp_opts_free(&extra);
	return ifp_opt_get(&cfg.ifaces[0].opts, name);
}

static void test_compute(void **state)
{
	const char *s4 = "iface a inet static\n address 10.1.2.3/20\n";

	(void)state;
	assert_string_equal(compute(s4, "netmask", NULL), "255.255.240.0");
	assert_string_equal(compute(s4, "broadcast", NULL), "10.1.15.255");
	assert_string_equal(compute(s4, "address", NULL), "10.1.2.3");
	assert_null(compute(s4, "broadcast", "broadcast"));
	assert_string_equal(
		compute("iface a inet static\n address 10.1.2.3\n broadcast -\n",
			"broadcast", NULL),
		"10.0.0.0");
	assert_string_equal(compute("iface a inet static\n address 150.1.1.1\n",
				    "netmask", NULL),
			    "255.255.0.0");
	assert_string_equal(compute("iface a inet static\n address 192.0.2.9\n",
				    "broadcast", NULL),
			    "192.0.2.255");
	assert_string_equal(compute("iface a inet static\n address 230.1.1.1\n",
				    "broadcast", NULL),
			    "230.1.1.1");
	assert_string_equal(compute("iface a inet static\n address 10.1.1.1\n"
				    " netmask 16\n",
				    "broadcast", NULL),
			    "+");
	assert_string_equal(compute("iface a inet manual\n hwaddress random\n",
				    "hwaddress", NULL),
			    "fe:01:02:03:04:05");
	assert_string_equal(compute("iface a inet manual\n hwaddress ether "
				    "00:AA:bb:cc:dd:ee\n",
				    "hwaddress", NULL),
			    "00:AA:bb:cc:dd:ee");
	const char *s6 = "iface a inet6 static\n address 2001:db8::5/64\n"
			 " gateway 2001:db8::1\n";
	assert_string_equal(compute(s6, "netmask", NULL), "64");
	assert_string_equal(compute(s6, "address", NULL), "2001:db8::5");
	assert_string_equal(compute(s6, "accept_ra", NULL), "0");
	assert_string_equal(compute(s6, "dad-attempts", NULL), "60");
	assert_string_equal(compute(s6, "preferred-lifetime", NULL), "");
	assert_string_equal(compute("iface a inet6 static\n address ::1\n",
				    "netmask", NULL),
			    "");
	assert_string_equal(compute("iface a inet6 auto\n", "accept_ra", NULL),
			    "2");
	compute("iface a inet manual\n", "x", NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_lexical),
		cmocka_unit_test(test_classes),
		cmocka_unit_test(test_rename),
		cmocka_unit_test(test_inherits_mapping),
		cmocka_unit_test(test_source),
		cmocka_unit_test(test_source_depth),
		cmocka_unit_test(test_long_file),
		cmocka_unit_test(test_compute),
		cmocka_unit_test(test_stanza_cap),
		cmocka_unit_test(test_joins),
		cmocka_unit_test(test_cost_cap),
		cmocka_unit_test(test_index),
		cmocka_unit_test(test_index_colliding_names),
		cmocka_unit_test(test_chain),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

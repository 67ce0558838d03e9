// SPDX-License-Identifier: MIT
// sources: ifupdown/pattern.c ifupdown/parse.c ifupdown/methods.c
// sources: ifupdown/list.c ifupdown/hashix.c ifupdown/lex.c
/* interfaces(5) patterns: splitting, Debian's order, matching, expanding. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

/* A fake /sys/class/net: "IF/VAR" -> content; NULL content: a file that
 * exists and cannot be read (a directory). */
struct attr {
	const char *path;
	const char *text;
	size_t len; /* 0: strlen(text) */
};

static const struct attr *attrs;
static int n_reads;

static int fake_read(const char *ifname, const char *var, char *buf,
		     size_t size)
{
	char path[128];

	n_reads++;
	snprintf(path, sizeof(path), "%s/%s", ifname, var);
	for (const struct attr *a = attrs; a && a->path; a++) {
		size_t len = a->text && !a->len ? strlen(a->text) : a->len;

		if (strcmp(a->path, path) != 0)
			continue;
		if (!a->text)
			return -EISDIR;
		len = len < size ? len : size;
		memcpy(buf, a->text, len);
		return (int)len;
	}
	return -ENOENT;
}

static const struct attr sys[] = {
	{ "lo/address", "00:00:00:00:00:00\n", 0 },
	{ "veth1/address", "02:00:00:00:00:11\n", 0 },
	{ "veth0/address", "02:00:00:00:00:10\n", 0 },
	{ "eth1/address", "02:00:00:00:01:21\n", 0 },
	{ "eth0/address", "02:00:00:00:01:20\n", 0 },
	{ "lo/mtu", "65536\n", 0 },
	{ "veth1/mtu", "1500\n", 0 },
	{ "veth0/mtu", "1500\n", 0 },
	{ "eth1/mtu", "1400\n", 0 },
	{ "eth0/mtu", "1500\n", 0 },
	{ "veth0/uevent", "INTERFACE=veth0\nIFINDEX=3\n", 0 },
	{ "eth1/uevent", "INTERFACE=eth1\nIFINDEX=4\n", 0 },
	{ "eth0/bridge", NULL, 0 },
	{ "veth1/ifalias", "", 0 },
	{ "veth0/ifalias", "\n", 0 },
	{ "eth1/nul", "ab\0cd\n", 6 },
	{ NULL, NULL, 0 },
};

static const char *const order[] = { "veth1", "veth0", "eth1", "eth0", "lo" };

static void links_init(struct pat_links *l)
{
	memset(l, 0, sizeof(*l));
	for (size_t i = 0; i < 5; i++)
		assert_int_equal(ifp_strv_add(&l->names, order[i]), 0);
	l->loaded = true;
	l->read = fake_read;
	attrs = sys;
}

/* The expansion of the words of @in (space-separated), joined by ' '. */
static char out_text[4096];

static const char *expand(const char *in)
{
	struct ifp_strv v = { 0 }, out = { 0 };
	struct pat_links l;
	char *copy = strdup(in), *save = NULL;

	links_init(&l);
	for (char *w = strtok_r(copy, " ", &save); w;
	     w = strtok_r(NULL, " ", &save))
		assert_int_equal(ifp_strv_add(&v, w), 0);
	assert_int_equal(pat_expand(&l, &v, &out), 0);
	out_text[0] = '\0';
	for (size_t i = 0; i < out.n; i++)
		snprintf(out_text + strlen(out_text),
			 sizeof(out_text) - strlen(out_text), "%s%s",
			 i ? " " : "", out.v[i]);
	pat_strv_free(&v);
	pat_strv_free(&out);
	pat_links_reset(&l);
	free(copy);
	return out_text;
}

static void expect_parse(const char *word, const char *var, const char *value,
			 int nth, const char *logical)
{
	struct pat p;

	assert_int_equal(pat_parse(word, &p), 0);
	if (var)
		assert_string_equal(p.var, var);
	else
		assert_null(p.var);
	assert_string_equal(p.value, value);
	assert_int_equal(p.nth, nth);
	if (logical)
		assert_string_equal(p.logical, logical);
	else
		assert_null(p.logical);
	pat_free(&p);
}

static void test_parse(void **state)
{
	struct pat p;

	(void)state;
	assert_false(pat_is("eth0"));
	assert_false(pat_is("eth0=lan"));
	assert_true(pat_is("/"));
	assert_true(pat_is("eth0/1"));
	assert_int_equal(pat_parse("eth0", &p), -EINVAL);
	assert_null(p.buf);

	expect_parse("/eth*", NULL, "eth*", 0, NULL);
	expect_parse("/eth*=eth", NULL, "eth*", 0, "eth");
	expect_parse("/eth*/=foo", NULL, "eth*", 0, "foo");
	expect_parse("mac/01:23:45:67:89:ad/=foo", "address",
		     "01:23:45:67:89:ad", 0, "foo");
	expect_parse("MaC/x", "address", "x", 0, NULL);
	expect_parse("type/1/1=bar", "type", "1", 1, "bar");
	expect_parse("wireless/*/2=baz", "wireless", "*", 2, "baz");
	/* '=' counts only in N when there is one */
	expect_parse("/eth*=foo/1", NULL, "eth*=foo", 1, NULL);
	expect_parse("/x/2/3=y", NULL, "x", 2, "y");
	/* N as atoi() reads it */
	expect_parse("/x/abc", NULL, "x", 0, NULL);
	expect_parse("/x/-1", NULL, "x", -1, NULL);
	expect_parse("/x/ 7z", NULL, "x", 7, NULL);
	/* an empty VALUE has no N */
	expect_parse("mac/", "address", "", 0, NULL);
	expect_parse("//1", NULL, "", 1, NULL);
	expect_parse("/", NULL, "", 0, NULL);
	expect_parse("/=x", NULL, "", 0, "x");
	expect_parse("a=b/c", "a=b", "c", 0, NULL);
}

static void test_order(void **state)
{
	/* getifaddrs(3): links, then IPv4, then IPv6 addresses */
	const char *v[] = { "lo", "veth1", "veth0", "eth1",
			    "lo", "eth1",  "lo",    "veth0" };
	struct ifp_strv out = { 0 };

	(void)state;
	assert_int_equal(pat_order(v, 8, &out), 0);
	assert_int_equal(out.n, 4);
	assert_string_equal(out.v[0], "veth1");
	assert_string_equal(out.v[1], "eth1");
	assert_string_equal(out.v[2], "lo");
	assert_string_equal(out.v[3], "veth0");
	assert_int_equal(pat_order(v, 0, &out), 0);
	assert_int_equal(out.n, 4);
	pat_strv_free(&out);
	assert_int_equal(pat_order(v, 1, &out), 0);
	assert_int_equal(out.n, 1);
	pat_strv_free(&out);
}

static void test_names(void **state)
{
	(void)state;
	assert_string_equal(expand("/*"), "veth1 veth0 eth1 eth0 lo");
	assert_string_equal(expand("/veth*"), "veth1 veth0");
	assert_string_equal(expand("/veth*/2"), "veth0");
	assert_string_equal(expand("/veth*/3"), "");
	assert_string_equal(expand("/veth*/0"), "veth1 veth0");
	assert_string_equal(expand("/eth?=lan"), "eth1=lan eth0=lan");
	assert_string_equal(expand("/nomatch"), "");
	assert_string_equal(expand("/"), "");
	assert_string_equal(expand("//1"), "");
#if FNM_EXTMATCH
	assert_string_equal(expand("/@(lo|eth0)"), "eth0 lo");
	assert_string_equal(expand("/veth+([0-9])/2"), "veth0");
#endif
	/* each target once; names that are not patterns stay as they are */
	assert_string_equal(expand("veth0 /veth* veth0 veth0=x nosuch"),
			    "veth0 veth1 veth0=x nosuch");
	assert_string_equal(expand("/veth*=a /veth*=a /veth*=b"),
			    "veth1=a veth0=a veth1=b veth0=b");
}

static void test_files(void **state)
{
	(void)state;
	assert_string_equal(expand("mac/02:00:00:00:0?:2?"), "eth1 eth0");
	assert_string_equal(expand("mac/02:*/3=wan"), "eth1=wan");
	assert_string_equal(expand("address/00:*"), "lo");
	assert_string_equal(expand("mtu/1500"), "veth1 veth0 eth0");
	assert_string_equal(expand("mtu/1[45]00/2"), "veth0");
	/* any line; '=' in VALUE is LOGICAL's */
	assert_string_equal(expand("uevent/IFINDEX?[34]"), "veth0 eth1");
	assert_string_equal(expand("uevent/INTERFACE=x"), "");
	/* an empty file has no line, "\n" one empty line */
	assert_string_equal(expand("ifalias/"), "veth0");
	assert_string_equal(expand("ifalias//1"), "veth0");
	/* a NUL ends the line */
	assert_string_equal(expand("nul/ab"), "eth1");
	assert_string_equal(expand("nul/*cd"), "");
	/* no such file, a directory */
	assert_string_equal(expand("nosuch/?*"), "");
	assert_string_equal(expand("bridge/?*"), "");
	/* "*" matches if the file exists (interfaces(5); not Debian 0.8.41) */
	assert_string_equal(expand("bridge/*"), "eth0");
	assert_string_equal(expand("mtu/*"), "veth1 veth0 eth1 eth0 lo");
	assert_string_equal(expand("nosuch/*"), "");
	assert_string_equal(expand("bridge/*/=br"), "eth0=br");
}

/* @text of eth0's file "long" against @value. */
static bool long_match(const char *text, const char *value)
{
	const struct attr a[] = {
		{ "eth0/long", text, 0 },
		{ NULL, NULL, 0 },
	};
	struct pat_links l;
	struct pat p;
	char word[64];
	bool m;

	links_init(&l);
	attrs = a;
	snprintf(word, sizeof(word), "long/%s", value);
	assert_int_equal(pat_parse(word, &p), 0);
	m = match(&p, &l, "eth0");
	pat_free(&p);
	pat_links_reset(&l);
	return m;
}

/* Lines of 1024 bytes or more are matched in 1023-byte pieces. */
static void test_long_lines(void **state)
{
	static char text[3000];

	(void)state;
	memset(text, 'a', 1023);
	memcpy(text + 1023, "bcd\nxyz", 8);
	assert_true(long_match(text, "bcd"));
	assert_true(long_match(text, "xyz"));
	assert_true(long_match(text, "a*a")); /* the first 1023 bytes */
	assert_false(long_match(text, "a*b*"));
	assert_false(long_match(text, ""));
	text[1022] = '\n'; /* 1022 bytes and the newline: one line */
	assert_true(long_match(text, "a*a"));
	assert_false(long_match(text, "?bcd"));
	memcpy(text + 1022, "a\n", 3); /* 1023 bytes: the newline apart */
	assert_true(long_match(text, ""));
}

static int loads;

static int fake_load(struct pat_links *l)
{
	loads++;
	return l->names.n ? 0 : ifp_strv_add(&l->names, "veth0");
}

static int failing_load(struct pat_links *l)
{
	(void)l;
	return -EPROTO;
}

/* The interfaces are read at the first pattern, and only then. */
static void test_lazy(void **state)
{
	struct pat_links l = { .load = fake_load, .read = fake_read };
	struct ifp_strv in = { 0 }, out = { 0 };

	(void)state;
	loads = 0;
	n_reads = 0;
	assert_int_equal(ifp_strv_add(&in, "eth0"), 0);
	assert_int_equal(pat_expand(&l, &in, &out), 0);
	assert_int_equal(loads, 0);
	assert_int_equal(ifp_strv_add(&in, "/v*"), 0);
	assert_int_equal(ifp_strv_add(&in, "/e*"), 0);
	assert_int_equal(pat_expand(&l, &in, &out), 0);
	assert_int_equal(loads, 1);
	assert_int_equal(out.n, 2);
	assert_int_equal(n_reads, 0);
	assert_true(pat_link_exists(&l, "veth0"));
	assert_false(pat_link_exists(&l, "eth0"));
	pat_links_reset(&l);
	assert_false(l.loaded);
	assert_true(pat_link_exists(&l, "veth0"));
	assert_int_equal(loads, 2);
	pat_links_reset(&l);
	pat_strv_free(&out);

	l.load = failing_load;
	assert_int_equal(pat_expand(&l, &in, &out), -EPROTO);
	assert_int_equal(out.n, 1); /* what came before the pattern */
	pat_strv_free(&out);
	pat_strv_free(&in);
	pat_links_reset(&l);
}

/* A long `auto` line, each name twice: kept once, where it came first,
 * in linear time (a list search per name took minutes here). */
static void test_many(void **state)
{
	struct pat_links l;
	struct ifp_strv in = { 0 }, out = { 0 };
	char name[16];
	size_t n = 100000;

	(void)state;
	links_init(&l);
	assert_int_equal(ifp_strv_add(&out, "e7"), 0);
	for (size_t i = 0; i < 2 * n; i++) {
		snprintf(name, sizeof(name), "e%zu", i % n);
		assert_int_equal(ifp_strv_add(&in, name), 0);
	}
	assert_int_equal(pat_expand(&l, &in, &out), 0);
	assert_int_equal(out.n, n);
	assert_string_equal(out.v[0], "e7");
	assert_string_equal(out.v[1], "e0");
	assert_string_equal(out.v[7], "e6");
	assert_string_equal(out.v[8], "e8");
	assert_string_equal(out.v[n - 1], "e99999");
	pat_strv_free(&in);
	pat_strv_free(&out);
	pat_links_reset(&l);
}

/* The real sysfs: lo has an address file.  (The interface list comes
 * from getifaddrs(), which the net tests run: under qemu-user, musl's
 * getifaddrs() on s390x never returned.) */
static void test_system(void **state)
{
	char buf[64];

	(void)state;
	if (access("/sys/class/net/lo", F_OK) != 0)
		skip();
	assert_int_equal(pat_sysfs_read("lo", "address", buf, sizeof(buf)), 18);
	assert_memory_equal(buf, "00:00:00:00:00:00\n", 18);
	assert_int_equal(pat_sysfs_read("lo", "nosuch", buf, sizeof(buf)),
			 -ENOENT);
	assert_int_equal(pat_sysfs_read("lo", "address/x", buf, sizeof(buf)),
			 -ENOENT);
	assert_true(pat_sysfs_read("lo", "queues", buf, sizeof(buf)) < 0);
	assert_int_equal(pat_sysfs_read("lo", "address", buf, 4), 4);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse),
		cmocka_unit_test(test_order),
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_files),
		cmocka_unit_test(test_long_lines),
		cmocka_unit_test(test_lazy),
		cmocka_unit_test(test_many),
		cmocka_unit_test(test_system),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

// SPDX-License-Identifier: MIT
// sources: ifupdown/vlan.c
/*
 * Unit tests of ifupdown/vlan.c's reading of an interface's name as the
 * vlan package's if-pre-up.d/vlan reads it: which names it acts on, the
 * raw device, the id and the name of the link it creates.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

/* What vlan.c calls in the rest of ifupdown: never reached here. */
void env_opt_name(const char *name, char *buf, size_t len)
{
	snprintf(buf, len, "%s", name);
}

bool ifp_is_hook(const char *name)
{
	(void)name;
	return false;
}

void hook_show(const struct ifud_run *r, const char *fmt, ...)
{
	(void)r;
	(void)fmt;
}

bool hook_failed(const struct ifud_run *r, int err)
{
	(void)r;
	return err != 0;
}

int run_nl(struct ifud_run *r, struct nl_sock **ns)
{
	(void)r;
	(void)ns;
	return -ENOSYS;
}

void journal_add(struct ifud_run *r, enum jr_kind kind, int index,
		 const void *data, size_t len)
{
	(void)r;
	(void)kind;
	(void)index;
	(void)data;
	(void)len;
}

int meth_journal_room(const struct ifud_run *r, const char *iface,
		      const char *act)
{
	(void)r;
	(void)iface;
	(void)act;
	return 0;
}

int meth_hwaddr(struct ifud_run *r, struct ifud_stanza *st, int idx,
		const char *hw)
{
	(void)r;
	(void)st;
	(void)idx;
	(void)hw;
	return 0;
}

static void acts(const char *iface, const char *raw, bool bridge,
		 const char *want_raw, const char *want_vid,
		 const char *want_name)
{
	struct vlan_name v;

	assert_true(vlan_name_parse(iface, raw, bridge, &v));
	assert_string_equal(v.raw, want_raw);
	assert_string_equal(v.vid, want_vid);
	assert_string_equal(v.name, want_name);
}

static void ignored(const char *iface, const char *raw, bool bridge)
{
	struct vlan_name v;

	assert_false(vlan_name_parse(iface, raw, bridge, &v));
}

static void test_vlan_names(void **state)
{
	(void)state;
	acts("vlan5", "eth0", false, "eth0", "5", "vlan5");
	acts("vlan100", "eth0", false, "eth0", "100", "vlan100");
	/* vlan0*: VLAN_PLUS_VID, printf vlan%.4d */
	acts("vlan0005", "eth0", false, "eth0", "5", "vlan0005");
	acts("vlan05", "eth0", false, "eth0", "5", "vlan0005");
	/* without a raw device the script makes nothing */
	ignored("vlan5", NULL, false);
	ignored("vlan5", NULL, true);
}

static void test_family_names(void **state)
{
	(void)state;
	/* ifupdown's own names: the raw device comes from the name */
	acts("eth0.5", "eth9", false, "eth0", "5", "eth0.5");
	acts("eth0.5", NULL, true, "eth0", "5", "eth0.5");
	acts("eth0.0005", "eth0", false, "eth0", "5", "eth0.0005");
	acts("eth0.05", "eth0", false, "eth0", "5", "eth0.0005");
	acts("bond1.100", "bond1", false, "bond1", "100", "bond1.100");
	acts("wlan0.3", "wlan0", false, "wlan0", "3", "wlan0.3");
	acts("em1.10", "em1", false, "em1", "10", "em1.10");
	acts("p2p1_1.7", NULL, true, "p2p1_1", "7", "p2p1_1.7");
	acts("p1p2.42", "x", false, "p1p2", "42", "p1p2.42");
	/* left to ifupdown's link step */
	ignored("eth0.5", NULL, false);
	ignored("bond0.0005", NULL, false);
}

static void test_other_names(void **state)
{
	(void)state;
	/* RAW.VID from the option, whatever precedes the dot */
	acts("br0.5", "eth1", false, "eth1", "5", "eth1.5");
	acts("br0.05", "eth1", false, "eth1", "5", "eth1.0005");
	acts("lan.7", "eth1", false, "eth1", "7", "eth1.7");
	/* the script's sed drops every NAME. before the id */
	acts("a.b.05", "eth1", false, "eth1", "5", "eth1.0005");
	ignored("br0.5", NULL, false);
	ignored("br0.5", NULL, true);
	/* aliases and plain names are not the hook's */
	ignored("eth0.5:1", "eth0", false);
	ignored("vlan5:0", "eth0", false);
	ignored("mylan", "eth0", false);
}

static void test_post_down_cases(void **state)
{
	(void)state;
	assert_true(post_down_acts("mylan", "eth0", false));
	assert_true(post_down_acts("vlan5", "eth0", false));
	assert_true(post_down_acts("eth0.5", NULL, true));
	assert_false(post_down_acts("br0.5", NULL, true));
	assert_false(post_down_acts("eth0.5", NULL, false));
	assert_false(post_down_acts("eth0.5:1", "eth0", false));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_vlan_names),
		cmocka_unit_test(test_family_names),
		cmocka_unit_test(test_other_names),
		cmocka_unit_test(test_post_down_cases),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

// SPDX-License-Identifier: MIT
// sources: ethtool-lite/print.c ethtool-lite/nlctx.c ethtool-lite/settings.c
// sources: ethtool-lite/gset_json.c ethtool-lite/ioctl.c
// sources: ethtool-lite/features.c ethtool-lite/sfeatures.c
// sources: ethtool-lite/linkstate.c
// (linkstate.c last: its tables would shadow locals of gset_json.c)
/*
 * ethtool-lite's printers on replies a fuzzer (tests/fuzz/
 * ethtool_print_fuzz.c) fed them: the --json SecureOn password and MDI-X,
 * "[ ]" on --json errors, and driver and kernel strings with control
 * bytes in text output.  No sockets: the printers get parsed replies, the
 * one ioctl answered here; stdout and stderr go to a temp file.
 */
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
#include <net/if.h>
#include <sys/ioctl.h>

#include <linux/ethtool.h>
#include <linux/ethtool_netlink.h>
#include <linux/sockios.h>
#include <cmocka.h>

#include "capture.h"

#ifdef __GLIBC__
#define IOCTL_REQ unsigned long
#else
#define IOCTL_REQ int /* musl's prototype */
#endif

static uint32_t n_stats; /* of the fake driver, whose GSTATS fails */

/* SIOCETHTOOL, bound here before libc: GSSET_INFO and GSTRINGS only. */
int ioctl(int fd, IOCTL_REQ req, ...)
{
	struct ethtool_sset_info *ss;
	struct ifreq *ifr;
	uint32_t cmd;
	va_list ap;

	(void)fd;
	va_start(ap, req);
	ifr = va_arg(ap, struct ifreq *);
	va_end(ap);
	memcpy(&cmd, ifr->ifr_data, sizeof(cmd)); /* every command's first */
	if (req == SIOCETHTOOL && cmd == ETHTOOL_GSSET_INFO) {
		/* The caller's struct, passed as char *: aligned for it. */
		ss = (void *)ifr->ifr_data;
		ss->data[0] = n_stats; /* sset_mask kept: the set exists */
		return 0;
	}
	if (req == SIOCETHTOOL && cmd == ETHTOOL_GSTRINGS)
		return 0; /* names "" */
	errno = EOPNOTSUPP;
	return -1;
}

/* --json errors print "[ ]" (JSON.md): -S without stats or values, -k
 * without feature names. */
static void test_json_errors(void **state)
{
	struct et_ctx c = { .devname = "eth0", .json = true };

	(void)state;
	n_stats = 0;
	capture(1);
	assert_int_equal(et_io_gstats(&c), 94);
	assert_string_equal(captured(), "[ ]\n");
	n_stats = 2;
	capture(1);
	assert_int_equal(et_io_gstats(&c), 97);
	assert_string_equal(captured(), "[ ]\n");
	/* FEATURES_GET known, but the feature names cannot be had. */
	c.fam.ops[ETHTOOL_MSG_FEATURES_GET / 32] |=
		1u << (ETHTOOL_MSG_FEATURES_GET % 32);
	capture(1);
	assert_int_equal(et_nl_gfeatures(&c), 1);
	assert_string_equal(captured(), "[ ]\n");
}

/* -k --json: a reply whose four feature sets differ in size. */
static void test_json_features_sizes(void **state)
{
	static struct nl_ethtool_features f;
	struct nl_ethtool_strset names = { .id = ETH_SS_FEATURES };
	struct et_ctx c = { .devname = "eth0", .json = true };
	const char *want = "[ {\n        \"ifname\": \"eth0\",\n";

	(void)state;
	f.hw.n_bits = f.wanted.n_bits = f.active.n_bits = 2;
	f.nochange.n_bits = 3;
	capture(1);
	assert_int_equal(et_features_print(&c, &f, &names, NULL, NULL), 1);
	assert_string_equal(captured(), "[ ]\n");
	f.nochange.n_bits = 2;
	capture(1);
	assert_int_equal(et_features_print(&c, &f, &names, NULL, NULL), 0);
	/* ifname, then the legacy flags (none has a feature here) */
	assert_memory_equal(captured(), want, strlen(want));
}

/* WoL with magic-secure supported: 6.1's text and our JSON agree. */
static void test_wol_sopass(void **state)
{
	static const uint8_t pass[SOPASS_MAX] = { 1, 2, 3, 0xaa, 0xbb, 0xff };
	static struct et_gset_data d;
	struct et_ctx c = { .devname = "eth0", .json = true };
	struct nl_ethtool_bitset *bs = &d.wol.bits[0];

	(void)state;
	d.have = 1u << ETHTOOL_MSG_WOL_GET;
	d.wol.present = 1u << ETHTOOL_A_WOL_MODES;
	bs->n_bits = 32;
	bs->mask[0] = WAKE_MAGIC | WAKE_MAGICSECURE;
	bs->value[0] = WAKE_MAGIC;
	memcpy(d.wol.bin, pass, sizeof(pass));
	d.wol.bin_len = SOPASS_MAX;
	capture(1);
	assert_int_equal(et_gset_json(&c, &d), 0);
	assert_non_null(strstr(captured(), "        \"secureon-password\": "
					   "\"01:02:03:aa:bb:ff\"\n"));
	/* A password of another length prints as zeros, as in text. */
	d.wol.bin_len = 4;
	capture(1);
	et_gset_json(&c, &d);
	assert_non_null(strstr(captured(), "\"00:00:00:00:00:00\""));
}

/* MDI-X only with a twisted-pair PORT, in JSON as in text (port 0 is TP). */
static void test_mdix_needs_port(void **state)
{
	static struct et_gset_data d;
	struct et_ctx c = { .devname = "eth0", .json = true };
	struct gset g = { .c = &c, .banner = true };

	(void)state;
	d.have = 1u << ETHTOOL_MSG_LINKINFO_GET;
	d.info.present = 1u << ETHTOOL_A_LINKINFO_TP_MDIX |
			 1u << ETHTOOL_A_LINKINFO_TP_MDIX_CTRL;
	d.info.val[ETHTOOL_A_LINKINFO_TP_MDIX] = ETH_TP_MDI_X;
	d.info.val[ETHTOOL_A_LINKINFO_TP_MDIX_CTRL] = ETH_TP_MDI_AUTO;
	capture(1);
	linkinfo_show(&g, &d.info);
	assert_string_equal(captured(), "");
	capture(1);
	et_gset_json(&c, &d);
	assert_null(strstr(captured(), "mdi-x"));
	d.info.present |= 1u << ETHTOOL_A_LINKINFO_PORT;
	capture(1);
	et_gset_json(&c, &d);
	assert_non_null(strstr(captured(), "\"mdi-x\": \"on (auto)\""));
}

/* -S: a driver's stat names reach the terminal escaped, at 32 bytes. */
static void test_stats_escaped(void **state)
{
	struct {
		struct ethtool_ioctl_stats st;
		uint64_t values[3];
		char names[3][ETH_GSTRING_LEN];
	} s = { .st = { .n = 3 } };
	struct et_ctx c = { .devname = "eth0" };

	(void)state;
	s.st.values = s.values;
	s.st.names = s.names;
	strcpy(s.names[0], "rx_packets");
	strcpy(s.names[1], "tx_\x1b]0;owned\x07\n     fake");
	memset(s.names[2], 'x', ETH_GSTRING_LEN); /* not terminated */
	s.values[1] = 7;
	capture(1);
	stats_print(&c, &s.st);
	assert_string_equal(captured(),
			    "NIC statistics:\n"
			    "     rx_packets: 0\n"
			    "     tx_\\x1b]0;owned\\x07\\x0a     fake: 7\n"
			    "     xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx: 0\n");
}

/* -i: the driver's strings, escaped; unterminated ones cut at their size. */
static void test_drvinfo_escaped(void **state)
{
	struct ethtool_drvinfo d = { .cmd = ETHTOOL_GDRVINFO };

	(void)state;
	strcpy(d.driver, "e1000e\x1b[2J");
	strcpy(d.version, "1\t2\x7f");
	memset(d.fw_version, 'f', sizeof(d.fw_version));
	strcpy(d.bus_info, "0000:00:19.0");
	capture(1);
	drvinfo_text(&d);
	assert_string_equal(
		captured(),
		"driver: e1000e\\x1b[2J\n"
		"version: 1\\x092\\x7f\n"
		"firmware-version: ffffffffffffffffffffffffffffffff\n"
		"expansion-rom-version: \n"
		"bus-info: 0000:00:19.0\n"
		"supports-statistics: no\n"
		"supports-test: no\n"
		"supports-eeprom-access: no\n"
		"supports-register-dump: no\n"
		"supports-priv-flags: no\n");
}

/* The kernel's extended-ack text on stderr, escaped. */
static void test_extack_escaped(void **state)
{
	struct et_ctx c = { .devname = "eth0" };

	(void)state;
	strcpy(c.ns.ext_msg, "bad\rthing\x1b[K");
	c.ns.ext_off = 24;
	capture(2);
	et_nl_perror(&c, -EINVAL);
	assert_string_equal(captured(),
			    "netlink error: bad\\x0dthing\\x1b[K (offset 24)\n"
			    "netlink error: Invalid argument\n");
}

/* DEV: link-mode and message-class names from the kernel, escaped. */
static void test_names_escaped(void **state)
{
	static struct nl_ethtool_attrs a;
	struct et_ctx c = { .devname = "eth0" };
	struct gset g = { .c = &c };
	struct nl_ethtool_strset *set;

	(void)state;
	set = calloc(1, sizeof(*set) + 2 * sizeof(set->names[0]));
	assert_non_null(set);
	set->id = ETH_SS_MSG_CLASSES;
	set->count = 2;
	strcpy(set->names[0], "drv");
	strcpy(set->names[1], "li\x1bnk");
	sets[ETH_SS_MSG_CLASSES] = set;
	c.nl_ok = true; /* et_strset() answers from its cache */
	a.present = 1u << ETHTOOL_A_DEBUG_MSGMASK;
	a.bits[0].n_bits = 2;
	a.bits[0].nomask = true;
	a.bits[0].value[0] = 3;
	g.banner = true;
	capture(1);
	debug_show(&g, &a);
	assert_string_equal(captured(),
			    "        Current message level: 0x00000003 (3)\n"
			    "                               drv li\\x1bnk\n");
	sets[ETH_SS_MSG_CLASSES] = NULL;
	nl_ethtool_strset_free(set);
}

/* -K's "Actual changes:" names come from the kernel as well. */
static void test_kchanges_escaped(void **state)
{
	static struct nl_ethtool_features_diff d;
	static struct sreq r;
	struct nl_ethtool_strset *set;

	(void)state;
	set = calloc(1, sizeof(*set) + 2 * sizeof(set->names[0]));
	assert_non_null(set);
	set->count = 2;
	strcpy(set->names[0], "rx-gro");
	strcpy(set->names[1], "tx\x1b[2Jx");
	d.active.n_bits = 2;
	d.active.mask[0] = 3;
	d.active.value[0] = 2;
	capture(1);
	show_changes(&d, set, &r);
	assert_string_equal(captured(), "Actual changes:\n"
					"rx-gro: off [not requested]\n"
					"tx\\x1b[2Jx: on [not requested]\n");
	nl_ethtool_strset_free(set);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_wol_sopass),
		cmocka_unit_test(test_mdix_needs_port),
		cmocka_unit_test(test_json_errors),
		cmocka_unit_test(test_json_features_sizes),
		cmocka_unit_test(test_stats_escaped),
		cmocka_unit_test(test_drvinfo_escaped),
		cmocka_unit_test(test_extack_escaped),
		cmocka_unit_test(test_names_escaped),
		cmocka_unit_test(test_kchanges_escaped),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

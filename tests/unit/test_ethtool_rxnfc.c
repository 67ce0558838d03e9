// SPDX-License-Identifier: MIT
// sources: ethtool-lite/rxclass.c ethtool-lite/num.c
/*
 * ethtool-lite/rxclass.c: "-N DEV flow-type ..." words into a struct
 * ethtool_rx_flow_spec (header fields in network byte order, checked a
 * byte at a time so that s390x agrees), its refusals, the rule as "-n"
 * prints it, and the legacy n-tuple form.  No sockets; the outputs were
 * checked against ethtool 6.1 by tests/net/test_ethtool_rxnfc.py.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <linux/ethtool.h>
#include <cmocka.h>

#include "capture.h"

static struct ethtool_rx_flow_spec fs;
static uint32_t rss;

/* Parses the words of @line (at most 31, split on spaces). */
static int parse(const char *line)
{
	static char buf[512];
	char *argv[32], *p;
	int argc = 0;

	snprintf(buf, sizeof(buf), "%s", line);
	for (p = strtok(buf, " "); p && argc < 32; p = strtok(NULL, " "))
		argv[argc++] = p;
	rss = 0;
	return et_rxclass_parse(argv, argc, &fs, &rss);
}

static const uint8_t *hu(void)
{
	return (const uint8_t *)&fs.h_u;
}

static const uint8_t *mu(void)
{
	return (const uint8_t *)&fs.m_u;
}

static void test_parse_tcp4(void **state)
{
	static const uint8_t h[13] = { 10, 0, 0,  1, 10,  0, 0,
				       2,  0, 80, 1, 187, 4 };
	static const uint8_t m[13] = { 255, 255, 255, 255, 255, 255, 255,
				       0,   255, 255, 255, 0,	255 };

	(void)state;
	assert_int_equal(parse("tcp4 src-ip 10.0.0.1 dst-ip 10.0.0.2 m "
			       "0.0.0.255 tos 4 src-port 80 dst-port 443 m "
			       "0xff action 3"),
			 1);
	assert_int_equal(fs.flow_type, TCP_V4_FLOW);
	assert_memory_equal(hu(), h, sizeof(h));
	assert_memory_equal(mu(), m, sizeof(m));
	assert_true(fs.ring_cookie == 3);
	assert_int_equal(fs.location, RX_CLS_LOC_ANY);
}

static void test_parse_ip6_user(void **state)
{
	(void)state;
	assert_int_equal(parse("ip6 l4proto 17 l4data 0x01020304 m 2 tclass 5 "
			       "src-ip ::1 loc 7"),
			 1);
	assert_int_equal(fs.flow_type, IPV6_USER_FLOW);
	assert_int_equal(hu()[15], 1);
	assert_int_equal(hu()[36], 5);	/* tclass */
	assert_int_equal(hu()[37], 17); /* l4_proto */
	assert_int_equal(hu()[32], 1);
	assert_int_equal(hu()[35], 4);
	assert_int_equal(mu()[35], 0xfd);
	assert_int_equal(fs.location, 7);
}

static void test_parse_ext(void **state)
{
	const uint8_t *he = (const uint8_t *)&fs.h_ext;
	const uint8_t *me = (const uint8_t *)&fs.m_ext;

	(void)state;
	assert_int_equal(parse("udp4 vlan 0x123 m 0xf000 user-def "
			       "0x1122334455667788 dst-mac 0:1:2:3:4:5 "
			       "context 9 vf 2 queue 3"),
			 1);
	assert_int_equal(fs.flow_type,
			 UDP_V4_FLOW | FLOW_EXT | FLOW_MAC_EXT | FLOW_RSS);
	assert_int_equal(rss, 9);
	assert_int_equal(he[10], 0x01);
	assert_int_equal(he[11], 0x23);
	assert_int_equal(me[10], 0x0f);
	assert_int_equal(he[12], 0x11);
	assert_int_equal(he[19], 0x88);
	assert_int_equal(he[7], 5);
	assert_int_equal(me[2], 0xff);
	assert_true(fs.ring_cookie == (3ULL << 32 | 3));
}

static void test_parse_no_number(void **state)
{
	(void)state;
	assert_int_equal(parse("ether src 0:1:2:3:4:5 dst 6:7:8:9:a:b"), 0);
	assert_int_equal(fs.flow_type, ETHER_FLOW);
	assert_int_equal(hu()[5], 0x0b);
	assert_int_equal(hu()[11], 5);
}

static void test_parse_refused(void **state)
{
	/* what 6.1 prints on stderr (on stdout if it starts with "Add rule,
	 * unrecognized") */
	static const char *const bad[][2] = {
		{ "tcp4 src-ip 1.2.3", "Invalid src-ip value[1.2.3]\n" },
		{ "tcp4 src-port 1 spi 2",
		  "Add rule, unrecognized option[spi]\n" },
		{ "ip4 src-port 1 spi 2", "Invalid spi value[2]\n" },
		{ "tcp4 tos 1 m", "Add rule, invalid syntax\n" },
		{ "tcp4 action 1 m 2", "Invalid action mask[2]\n" },
		{ "tcp4 action 1 vf 2", "action and vf are not compatible\n" },
		{ "tcp4 context 0xffffffff", "Bad context value ffffffff\n" },
		{ "ether src 1:2:3:4:5", "Invalid src value[1:2:3:4:5]\n" },
		{ "tcp", "Add rule, invalid syntax\n" },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		capture(strstr(bad[i][1], "unrecognized") ? 1 : 2);
		assert_int_equal(parse(bad[i][0]), -1);
		assert_string_equal(captured(), bad[i][1]);
	}
}

static void test_print(void **state)
{
	(void)state;
	assert_int_equal(parse("tcp6 src-ip 2001:db8::1 m ::ffff src-port 80 "
			       "action -2 loc 4 context 3"),
			 1);
	capture(1);
	et_rxclass_print(&fs, rss);
	assert_string_equal(captured(),
			    "Filter: 4\n"
			    "\tRule Type: TCP over IPv6\n"
			    "\tSrc IP addr: 2001:db8::1 mask: ::ffff\n"
			    "\tDest IP addr: :: mask: ffff:ffff:ffff:ffff:"
			    "ffff:ffff:ffff:ffff\n"
			    "\tTraffic Class: 0x0 mask: 0xff\n"
			    "\tSrc port: 80 mask: 0x0\n"
			    "\tDest port: 0 mask: 0xffff\n"
			    "\tRSS Context ID: 3\n"
			    "\tAction: Wake-on-LAN\n\n");
}

static void test_print_bad_flow(void **state)
{
	(void)state;
	memset(&fs, 0, sizeof(fs));
	fs.flow_type = IPV4_USER_FLOW;
	capture(2);
	et_rxclass_print(&fs, 0);
	assert_string_equal(captured(), "IPV4_USER_FLOW with wrong ip_ver\n");
	fs.flow_type = AH_ESP_V4_FLOW;
	capture(2);
	et_rxclass_print(&fs, 0);
	assert_string_equal(captured(), "rxclass: Unknown flow type\n");
}

static void test_ntuple(void **state)
{
	struct ethtool_rx_ntuple_flow_spec nt;

	(void)state;
	assert_int_equal(parse("ip4 src-ip 1.2.3.4 user-def 0x0102 m 0xff "
			       "vlan 7 action 2"),
			 1);
	assert_int_equal(et_rxclass_ntuple(&fs, &nt), 0);
	assert_int_equal(nt.flow_type, IPV4_USER_FLOW);
	assert_int_equal(nt.action, 2);
	assert_memory_equal(nt.h_u.hdata, hu(), sizeof(fs.h_u));
	assert_int_equal(nt.m_u.hdata[0], 0);
	assert_int_equal(nt.m_u.hdata[60], 0xff); /* past m_u: untouched */
	assert_int_equal(nt.vlan_tag, 7);
	assert_int_equal(nt.vlan_tag_mask, 0);
	assert_true(nt.data == 0x102);
	assert_true(nt.data_mask == 0xff);
	parse("tcp6 action 1");
	assert_int_equal(et_rxclass_ntuple(&fs, &nt), -1);
	parse("tcp4 action 1 loc 3");
	assert_int_equal(et_rxclass_ntuple(&fs, &nt), -1);
	parse("tcp4 queue 1 vf 0");
	assert_int_equal(et_rxclass_ntuple(&fs, &nt), -1);
	parse("tcp4 vlan-etype 1 user-def 2");
	assert_int_equal(et_rxclass_ntuple(&fs, &nt), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_tcp4),
		cmocka_unit_test(test_parse_ip6_user),
		cmocka_unit_test(test_parse_ext),
		cmocka_unit_test(test_parse_no_number),
		cmocka_unit_test(test_parse_refused),
		cmocka_unit_test(test_print),
		cmocka_unit_test(test_print_bad_flow),
		cmocka_unit_test(test_ntuple),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

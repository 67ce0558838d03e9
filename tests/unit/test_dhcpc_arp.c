// SPDX-License-Identifier: MIT
// sources: dhcpc/arp.c
/* dhcpc/arp.c: RFC 5227 probe and announcement frames, conflict rules. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

static const uint8_t mac[6] = { 2, 0, 0, 0, 0, 1 };
static const uint8_t other[6] = { 2, 0, 0, 0, 0, 2 };

static uint32_t ip4(uint8_t a, uint8_t b, uint8_t c, uint8_t d)
{
	uint8_t v[4] = { a, b, c, d };
	uint32_t ip;

	memcpy(&ip, v, 4);
	return ip;
}

static void test_probe_frame(void **state)
{
	uint32_t ip = ip4(10, 0, 0, 5);
	uint8_t b[ARP_LEN];
	static const uint8_t head[8] = { 0, 1, 8, 0, 6, 4, 0, 1 };

	(void)state;
	arp_build(b, mac, 0, ip);
	assert_memory_equal(b, head, 8);
	assert_memory_equal(b + 8, mac, 6);
	assert_memory_equal(b + 14, "\0\0\0\0", 4); /* sender IP 0 */
	assert_memory_equal(b + 18, "\0\0\0\0\0\0", 6);
	assert_memory_equal(b + 24, &ip, 4);
}

static void test_announce_frame(void **state)
{
	uint32_t ip = ip4(10, 0, 0, 5);
	uint8_t b[ARP_LEN];

	(void)state;
	arp_build(b, mac, ip, ip);
	assert_int_equal(b[7], ARPOP_REQUEST);
	assert_memory_equal(b + 14, &ip, 4); /* RFC 5227 2.3 */
	assert_memory_equal(b + 24, &ip, 4);
}

static void test_conflict(void **state)
{
	uint32_t ip = ip4(10, 0, 0, 5), x = ip4(10, 0, 0, 9);
	uint8_t b[ARP_LEN];

	(void)state;
	/* another host's reply or announcement from the address */
	arp_build(b, other, ip, x);
	b[7] = ARPOP_REPLY;
	assert_true(arp_conflict(b, sizeof(b), mac, ip));
	arp_build(b, other, ip, ip);
	assert_true(arp_conflict(b, sizeof(b), mac, ip));
	/* another host probing for it */
	arp_build(b, other, 0, ip);
	assert_true(arp_conflict(b, sizeof(b), mac, ip));
	/* our own frames, other addresses, short frames */
	arp_build(b, mac, ip, ip);
	assert_false(arp_conflict(b, sizeof(b), mac, ip));
	arp_build(b, other, x, ip);
	assert_false(arp_conflict(b, sizeof(b), mac, ip));
	arp_build(b, other, 0, x);
	assert_false(arp_conflict(b, sizeof(b), mac, ip));
	arp_build(b, other, ip, x);
	assert_false(arp_conflict(b, ARP_LEN - 1, mac, ip));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_probe_frame),
		cmocka_unit_test(test_announce_frame),
		cmocka_unit_test(test_conflict),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

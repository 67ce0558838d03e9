// SPDX-License-Identifier: MIT
/* dhcpc/lease.c: what --lease-file takes back at start. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "../../dhcpc/packet.c"
#include "../../dhcpc/lease.c"

static const uint8_t mac[6] = { 0x52, 0x54, 0x00, 0x12, 0x34, 0x56 };
static struct dhcp_msg msg;
static uint8_t b[DHCP_MIN_LEN];

/* The ACK of 10.0.0.5 to mac from 10.0.0.1, as saved by fsm.c. */
static void mk_ack(void)
{
	static const uint8_t opts[] = { 53, 1,	5, 54, 4, 10, 0,  0,
					1,  51, 4, 0,  0, 14, 16, 255 };

	memset(b, 0, sizeof(b));
	b[0] = 2;
	b[1] = 1;
	b[2] = 6;
	b[16] = 10, b[17] = 0, b[18] = 0, b[19] = 5;
	memcpy(b + 28, mac, 6);
	b[236] = 0x63, b[237] = 0x82, b[238] = 0x53, b[239] = 0x63;
	memcpy(b + 240, opts, sizeof(opts));
}

static int parse(void)
{
	const char *why = NULL;
	int err = lease_parse(b, sizeof(b), mac, &msg, &why);

	assert_true(!err || (why && *why));
	return err;
}

static void test_lease_ok(void **state)
{
	uint32_t sid;

	(void)state;
	mk_ack();
	assert_int_equal(parse(), 0);
	assert_int_equal(msg.yiaddr, htonl(0x0a000005));
	assert_true(dhcp_opt_be32(&msg, DHO_SERVER_ID, &sid));
	assert_int_equal(sid, htonl(0x0a000001));
}

static void test_lease_not_ours(void **state)
{
	(void)state;
	mk_ack();
	b[242] = DHCPNAK;
	assert_int_equal(parse(), -EBADMSG);
	mk_ack();
	b[33] ^= 1; /* another MAC */
	assert_int_equal(parse(), -EBADMSG);
	mk_ack();
	b[16] = 224; /* multicast */
	assert_int_equal(parse(), -EBADMSG);
	mk_ack();
	b[16] = 0;
	assert_int_equal(parse(), -EBADMSG);
	mk_ack();
	b[237] = 0; /* magic */
	assert_int_equal(parse(), -EBADMSG);
}

/* fsm_packet() saves only a BOOTREPLY for Ethernet: a file holding a
 * REQUEST or another hardware type is not a lease (dhcpc_lease_fuzz). */
static void test_lease_bootreply_only(void **state)
{
	(void)state;
	mk_ack();
	b[0] = 1;
	assert_int_equal(parse(), -EBADMSG);
	mk_ack();
	b[1] = 6; /* IEEE 802 */
	assert_int_equal(parse(), -EBADMSG);
	mk_ack();
	b[2] = 16;
	assert_int_equal(parse(), -EBADMSG);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_lease_ok),
		cmocka_unit_test(test_lease_not_ours),
		cmocka_unit_test(test_lease_bootreply_only),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

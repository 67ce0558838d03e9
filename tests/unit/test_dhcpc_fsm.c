// SPDX-License-Identifier: MIT
/*
 * dhcpc/fsm.c on a fake clock, with fakes of what it reaches outside
 * (sockets, ARP, the script, the fork, the lease file): these definitions
 * come before libembnet.a's mono.o and file.o at link time.
 */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "../../dhcpc/packet.c"
#include "../../dhcpc/lease.c"
#include "../../dhcpc/msg.c"
#include "../../dhcpc/fsm.c"

static const uint8_t mac[6] = { 0x52, 0x54, 0x00, 0x12, 0x34, 0x56 };
static struct dhcpc_cfg cfg;
static struct fsm f;
static int64_t now;
static char last_event[16];
static unsigned n_sent;
static uint8_t sent[DHCP_MAX_LEN]; /* the last message sent */
static size_t sent_len;

int64_t mono_ns(void)
{
	return now * 1000000;
}

int64_t mono_ms(void)
{
	return now;
}

int mono_left_ms(int64_t deadline_ms)
{
	return deadline_ms < 0 ? -1 : deadline_ms <= now ? 0 : 1;
}

int file_read(const char *path, void *buf, size_t cap, size_t *len)
{
	(void)path, (void)buf, (void)cap, (void)len;
	return -ENOENT;
}

int file_write_atomic(const char *path, const void *data, size_t len,
		      mode_t mode)
{
	(void)path, (void)data, (void)len, (void)mode;
	return 0;
}

static int dev_null(void)
{
	return open("/dev/null", O_RDONLY | O_CLOEXEC);
}

int sock_raw_open(int ifindex, uint16_t cport)
{
	(void)ifindex, (void)cport;
	return dev_null();
}

int sock_udp_open(const char *ifname, uint16_t cport)
{
	(void)ifname, (void)cport;
	return dev_null();
}

int sock_raw_send(int fd, int ifindex, const uint8_t *payload, size_t len,
		  uint32_t src, uint32_t dst, uint16_t sport, uint16_t dport)
{
	(void)fd, (void)ifindex, (void)src, (void)dst, (void)sport;
	(void)dport;
	memcpy(sent, payload, len);
	sent_len = len;
	n_sent++;
	return 0;
}

int sock_udp_send(int fd, const void *buf, size_t len, uint32_t dst,
		  uint16_t dport)
{
	(void)fd, (void)dst, (void)dport;
	memcpy(sent, buf, len);
	sent_len = len;
	n_sent++;
	return 0;
}

int arp_open(int ifindex)
{
	(void)ifindex;
	return -EPERM;
}

int arp_probe(int fd, int ifindex, const uint8_t m[6], uint32_t ip,
	      int budget_ms)
{
	(void)fd, (void)ifindex, (void)m, (void)ip, (void)budget_ms;
	return 0;
}

int arp_announce(int fd, int ifindex, const uint8_t m[6], uint32_t ip)
{
	(void)fd, (void)ifindex, (void)m, (void)ip;
	return 0;
}

void run_background(struct fsm *g)
{
	g->forked = true;
}

void fsm_script(struct fsm *g, const char *event, const struct dhcp_msg *m)
{
	(void)g, (void)m;
	snprintf(last_event, sizeof(last_event), "%s", event);
}

/* A reply of @type for 10.0.0.5 from 10.0.0.1, lease @lease s. */
static void reply(uint8_t type, uint32_t lease)
{
	uint8_t b[DHCP_MIN_LEN] = { 2, 1, 6 };
	uint8_t opts[] = { 53, 1,  type, 54, 4, 10, 0, 0,
			   1,  51, 4,	 0,  0, 0,  0, 255 };
	uint32_t xid = htonl(f.xid);

	lease = htonl(lease);
	memcpy(opts + 11, &lease, 4);
	memcpy(b + 4, &xid, 4);
	b[16] = 10, b[19] = 5;
	memcpy(b + 28, mac, 6);
	b[236] = 0x63, b[237] = 0x82, b[238] = 0x53, b[239] = 0x63;
	memcpy(b + 240, opts, sizeof(opts));
	fsm_packet(&f, b, sizeof(b));
}

/* The type of the last message sent and its option 50 (0 if none). */
static uint8_t last_sent(uint32_t *req_ip)
{
	static struct dhcp_msg m;
	const char *why;

	assert_int_equal(dhcp_parse(sent, sent_len, &m, &why), 0);
	*req_ip = 0;
	dhcp_opt_be32(&m, DHO_REQ_IP, req_ip);
	return m.type;
}

/* run.c's loop: the timeouts due by @t. */
static void run_to(int64_t t)
{
	now = t;
	while (!f.done && f.deadline >= 0 && f.deadline <= now)
		fsm_timeout(&f);
}

/* Bound at 1000 ms on a 36 s lease: T1 at 19 s, T2 at 32.5 s, expiry at
 * 37 s; then REBINDING from T2 without an answer. */
static int setup(void **state)
{
	(void)state;
	memset(&cfg, 0, sizeof(cfg));
	cfg.ifname = "eth0";
	cfg.script = "/bin/true";
	cfg.retries = 3;
	cfg.timeout = 3;
	cfg.tryagain = 20;
	cfg.arp_ms = -1;
	cfg.cport = 68;
	cfg.foreground = true;
	memset(&f, 0, sizeof(f));
	f.ifindex = 2;
	memcpy(f.mac, mac, 6);
	now = 1000;
	fsm_init(&f, &cfg);
	run_to(now);
	reply(DHCPOFFER, 36);
	reply(DHCPACK, 36);
	assert_string_equal(last_event, "bound");
	assert_int_equal(f.expiry, 37000);
	run_to(32500);
	assert_int_equal(f.state, DHCP_ST_REBINDING);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	msg_listen_none(&f);
	return 0;
}

/* RFC 2131 4.4.5: at expiry the address goes, even with a USR1 renew
 * under way (it waited -T past the expiry, then a broadcast round). */
static void test_usr1_renew_stops_at_expiry(void **state)
{
	(void)state;
	run_to(35500);
	fsm_signal(&f, SIGUSR1);
	assert_int_equal(f.state, DHCP_ST_RENEWING);
	assert_true(f.deadline <= f.expiry);
	run_to(37000);
	assert_string_equal(last_event, "deconfig");
	assert_false(f.have_lease);
	assert_int_equal(f.state, DHCP_ST_SELECTING);
}

/* The same for the INIT-REBOOT check after the link came back. */
static void test_reboot_stops_at_expiry(void **state)
{
	(void)state;
	run_to(35500);
	fsm_carrier(&f, false);
	fsm_carrier(&f, true);
	assert_int_equal(f.state, DHCP_ST_REBOOTING);
	assert_true(f.deadline <= f.expiry);
	n_sent = 0;
	run_to(37000);
	assert_string_equal(last_event, "deconfig");
	assert_int_equal(f.state, DHCP_ST_SELECTING);
	assert_int_equal(n_sent, 1); /* the DISCOVER, no REQUEST for it */
}

/* The normal course is unchanged: REBINDING until expiry, then INIT,
 * whose DISCOVER asks for the address lost (udhcpc's requested_ip). */
static void test_rebinding_expires(void **state)
{
	uint32_t ip;

	(void)state;
	assert_int_equal(f.deadline, 37000);
	run_to(36999);
	assert_true(f.have_lease);
	run_to(37000);
	assert_string_equal(last_event, "deconfig");
	assert_int_equal(f.state, DHCP_ST_SELECTING);
	assert_int_equal(last_sent(&ip), DHCPDISCOVER);
	assert_int_equal(ip, htonl(0x0a000005));
}

/* USR2 then USR1: RELEASE, deconfig, then a DISCOVER asking for the
 * address released, as udhcpc's. */
static void test_release_then_renew(void **state)
{
	uint32_t ip;

	(void)state;
	fsm_signal(&f, SIGUSR2);
	assert_string_equal(last_event, "deconfig");
	assert_int_equal(last_sent(&ip), DHCPRELEASE);
	assert_int_equal(f.state, DHCP_ST_RELEASED);
	fsm_signal(&f, SIGUSR1);
	run_to(now);
	assert_int_equal(f.state, DHCP_ST_SELECTING);
	assert_int_equal(last_sent(&ip), DHCPDISCOVER);
	assert_int_equal(ip, htonl(0x0a000005));
}

/* A NAK drops the address asked for: the next DISCOVER asks for none. */
static void test_nak_forgets_address(void **state)
{
	uint32_t ip;

	(void)state;
	reply(DHCPNAK, 0);
	assert_string_equal(last_event, "deconfig");
	run_to(now + 3000);
	assert_int_equal(last_sent(&ip), DHCPDISCOVER);
	assert_int_equal(ip, 0);
}

/* -q -R: deconfig at exit but no RELEASE, as udhcpc (it sends one only
 * from BOUND, and -q exits before). */
static void test_quit_release(void **state)
{
	uint32_t ip;

	(void)state;
	msg_listen_none(&f);
	cfg.quit = cfg.release = true;
	memset(&f, 0, sizeof(f));
	f.ifindex = 2;
	memcpy(f.mac, mac, 6);
	n_sent = 0;
	fsm_init(&f, &cfg);
	run_to(now);
	reply(DHCPOFFER, 36);
	reply(DHCPACK, 36);
	assert_true(f.done);
	assert_int_equal(f.exit_code, 0);
	assert_string_equal(last_event, "deconfig");
	assert_int_equal(n_sent, 2);
	assert_int_equal(last_sent(&ip), DHCPREQUEST);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_usr1_renew_stops_at_expiry,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_reboot_stops_at_expiry,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_rebinding_expires, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_release_then_renew, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_nak_forgets_address, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_quit_release, setup,
						teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

// SPDX-License-Identifier: MIT
// sources: dhcpc/packet.c dhcpc/opts.c dhcpc/msg.c
/*
 * dhcpc/opts.c (-x, -O, -F as udhcpc 1.35 reads them) and the options
 * msg.c puts in each message, in udhcpc's order.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

static const uint8_t mac[6] = { 0x52, 0x54, 0x00, 0x12, 0x34, 0x56 };
static struct dhcpc_cfg cfg;
static struct fsm f;
static uint8_t sent[DHCP_MAX_LEN];
static size_t sent_len;

/* msg.c builds into a dhcp_out for fsm.c to hand to the loop: the last
 * one built, ended, is the message "sent". */
static struct dhcp_out built;

static void keep(void)
{
	assert_int_equal(dhcp_build_end(&built), 0);
	memcpy(sent, built.buf, built.len);
	sent_len = built.len;
}

#define msg_discover(f) (msg_discover((f), &built), keep())
#define msg_request(f) ((void)msg_request((f), &built), keep())
#define msg_release(f) (msg_release((f), &built), keep())
#define msg_decline(f, ip) (msg_decline((f), &built, (ip)), keep())

/* The defaults of main.c's cfg_defaults() (no PRL yet: -o decides). */
static int setup(void **state)
{
	(void)state;
	memset(&cfg, 0, sizeof(cfg));
	cfg.ifname = "eth0";
	cfg.vendor = DHCPC_VENDOR_DEFAULT;
	cfg.cport = 68;
	memset(&f, 0, sizeof(f));
	f.cfg = &cfg;
	memcpy(f.mac, mac, 6);
	return 0;
}

/* The codes of the options sent, in order (an END stops the list). */
static size_t codes(uint8_t *out)
{
	size_t i = DHCP_FIXED_LEN + 4, n = 0;

	while (i + 1 < sent_len && sent[i] != DHO_END) {
		out[n++] = sent[i];
		i += 2 + sent[i + 1];
	}
	return n;
}

/* The value of the @k-th (from 0) option @code sent, its length in @len. */
static const uint8_t *opt_k(uint8_t code, unsigned k, size_t *len)
{
	size_t i = DHCP_FIXED_LEN + 4;

	while (i + 1 < sent_len && sent[i] != DHO_END) {
		if (sent[i] == code && !k--) {
			*len = sent[i + 1];
			return sent + i + 2;
		}
		i += 2 + sent[i + 1];
	}
	return NULL;
}

#define assert_codes(...)                                                      \
	do {                                                                   \
		static const uint8_t want_[] = { __VA_ARGS__ };                \
		uint8_t got_[256];                                             \
		assert_int_equal(codes(got_), sizeof(want_));                  \
		assert_memory_equal(got_, want_, sizeof(want_));               \
	} while (0)

#define assert_opt(code, k, ...)                                               \
	do {                                                                   \
		static const uint8_t want_[] = { __VA_ARGS__ };                \
		size_t len_;                                                   \
		const uint8_t *v_ = opt_k(code, k, &len_);                     \
		assert_non_null(v_);                                           \
		assert_int_equal(len_, sizeof(want_));                         \
		assert_memory_equal(v_, want_, sizeof(want_));                 \
	} while (0)

/* The value of option @code in cfg.extra, NULL if absent. */
static const uint8_t *extra(uint8_t code, size_t *len)
{
	for (size_t i = 0; i + 3 <= cfg.extra_len;) {
		size_t n = (size_t)cfg.extra[i + 1] << 8 | cfg.extra[i + 2];

		if (cfg.extra[i] == code) {
			*len = n;
			return cfg.extra + i + 3;
		}
		i += 3 + n;
	}
	return NULL;
}

#define assert_extra(code, v, n)                                               \
	do {                                                                   \
		size_t len_;                                                   \
		const uint8_t *v_ = extra(code, &len_);                        \
		assert_non_null(v_);                                           \
		assert_int_equal(len_, n);                                     \
		assert_memory_equal(v_, v, n);                                 \
	} while (0)

/* -O: a bitmap in udhcpc, so sorted and each once; -o drops only the
 * defaults, wherever it is (main.c adds them after all -O). */
static void test_prl(void **state)
{
	static const uint8_t only[] = { 6, 42, 81, 119, 121 };
	static const uint8_t all[] = { 1, 3, 6, 12, 15, 28, 42, 81, 119, 121 };

	(void)state;
	assert_int_equal(opts_request(&cfg, "121"), 0);
	assert_int_equal(opts_request(&cfg, "search"), 0);
	assert_int_equal(opts_request(&cfg, "0x2a"), 0);
	assert_int_equal(opts_request(&cfg, "0121"), 0); /* octal, as C */
	assert_int_equal(opts_request(&cfg, "dns"), 0);
	assert_int_equal(opts_request(&cfg, "121"), 0);
	assert_int_equal(opts_request(&cfg, "0"), 0); /* taken, never sent */
	assert_int_equal(opts_request(&cfg, "255"), -EINVAL);
	assert_int_equal(opts_request(&cfg, "nosuch"), -EINVAL);
	assert_int_equal(cfg.n_prl, sizeof(only));
	assert_memory_equal(cfg.prl, only, sizeof(only));
	opts_default_prl(&cfg);
	assert_int_equal(cfg.n_prl, sizeof(all));
	assert_memory_equal(cfg.prl, all, sizeof(all));
}

/* -O 121 -o: udhcpc sends 55 = 79 (the -o before or after no matter). */
static void test_prl_no_defaults(void **state)
{
	(void)state;
	assert_int_equal(opts_request(&cfg, "121"), 0);
	msg_discover(&f);
	assert_codes(53, 57, 55, 60, 61);
	assert_opt(55, 0, 121);
}

/* udhcpc's order: 53, what the type needs (50, 54), 57, 55, then its
 * option list sorted by code, -V's 60 and the default 61 in their places;
 * -r 10.77.0.77 -O 121 -O search -x lease:3600 -x hostname:h. */
static void test_order(void **state)
{
	(void)state;
	opts_default_prl(&cfg);
	assert_int_equal(opts_request(&cfg, "121"), 0);
	assert_int_equal(opts_request(&cfg, "search"), 0);
	assert_int_equal(opts_extra(&cfg, "lease:3600"), 0);
	assert_int_equal(opts_extra(&cfg, "hostname:h"), 0);
	f.req_ip = htonl(0x0a4d004d);
	msg_discover(&f);
	assert_codes(53, 50, 57, 55, 12, 51, 60, 61);
	assert_opt(55, 0, 1, 3, 6, 12, 15, 28, 42, 119, 121);
	assert_opt(61, 0, 1, 0x52, 0x54, 0x00, 0x12, 0x34, 0x56);
	f.state = DHCP_ST_REQUESTING;
	f.offer_ip = f.req_ip;
	f.server = htonl(0x0a4d0001);
	msg_request(&f);
	assert_codes(53, 50, 54, 57, 55, 12, 51, 60, 61);
	f.state = DHCP_ST_RENEWING;
	f.yiaddr = f.offer_ip;
	msg_request(&f);
	assert_codes(53, 57, 55, 12, 51, 60, 61);
}

/* -V's 60 goes before a -x 60 (both sent, as udhcpc); -F's 81 and a -x
 * above 61 after the default client id; -o with no -O: no 55. */
static void test_order_around_60_61(void **state)
{
	(void)state;
	assert_int_equal(opts_extra(&cfg, "0x79:0a"), 0);
	assert_int_equal(opts_extra(&cfg, "vendor:x"), 0);
	assert_int_equal(opts_fqdn(&cfg, "h"), 0);
	assert_int_equal(opts_extra(&cfg, "1:ff"), 0);
	msg_discover(&f);
	assert_codes(53, 57, 1, 60, 60, 61, 81, 121);
	assert_opt(60, 0, 'u', 'd', 'h', 'c', 'p', ' ', '1', '.', '3', '5', '.',
		   '0');
	assert_opt(60, 1, 'x');
	cfg.vendor = NULL; /* -V "" */
	cfg.no_clientid = true;
	msg_discover(&f);
	assert_codes(53, 57, 1, 60, 81, 121);
}

/* A repeated list option is joined, any other keeps its first value:
 * -x hostname:a -x hostname:b -x dns:1.2.3.4 -x dns:5.6.7.8 sends
 * 6=0102030405060708 12=a, whatever the spelling of the code. */
static void test_repeated(void **state)
{
	(void)state;
	assert_int_equal(opts_extra(&cfg, "hostname:a"), 0);
	assert_int_equal(opts_extra(&cfg, "hostname:b"), 0);
	assert_int_equal(opts_extra(&cfg, "12:63"), 0);
	assert_int_equal(opts_extra(&cfg, "dns:1.2.3.4"), 0);
	assert_int_equal(opts_extra(&cfg, "dns:5.6.7.8"), 0);
	assert_int_equal(opts_extra(&cfg, "6:090a0b0c"), 0); /* not a list */
	assert_int_equal(opts_extra(&cfg, "0x2a:01020304"), 0);
	assert_int_equal(opts_extra(&cfg, "ntpsrv:5.6.7.8"), 0);
	assert_int_equal(opts_extra(&cfg, "search:a.test"), 0);
	assert_int_equal(opts_extra(&cfg, "search:b.test"), 0);
	msg_discover(&f);
	assert_codes(53, 57, 6, 12, 42, 60, 61, 119);
	assert_opt(6, 0, 1, 2, 3, 4, 5, 6, 7, 8);
	assert_opt(12, 0, 'a');
	assert_opt(42, 0, 1, 2, 3, 4, 5, 6, 7, 8);
	assert_opt(119, 0, 1, 'a', 4, 't', 'e', 's', 't', 0, 1, 'b', 4, 't',
		   'e', 's', 't', 0);
}

/* Values udhcpc sends as given, by the type of the named option. */
static void test_typed(void **state)
{
	(void)state;
	assert_int_equal(opts_extra(&cfg, "hostname:my_host"), 0);
	assert_extra(12, "my_host", 7);
	assert_int_equal(opts_extra(&cfg, "search:A.Test b.lab.test."), 0);
	assert_extra(119,
		     "\x01"
		     "a\x04test\x00\x01"
		     "b\x03lab\x04test\x00",
		     20);
	assert_int_equal(
		opts_extra(&cfg,
			   "staticroutes:10.1.2.3/8 10.77.0.1,"
			   "0.0.0.0/0 10.77.0.2 192.168.7.0/24 10.77.0.3"),
		0);
	assert_extra(121,
		     "\x08\x0a\x0a\x4d\x00\x01"
		     "\x00\x0a\x4d\x00\x02"
		     "\x18\xc0\xa8\x07\x0a\x4d\x00\x03",
		     19);
	assert_int_equal(opts_extra(&cfg, "routes:1.2.3.4 5.6.7.8"), 0);
	assert_extra(33, "\x01\x02\x03\x04\x05\x06\x07\x08", 8);
	assert_int_equal(opts_extra(&cfg, "subnet:255.0.0.0 1.2.3.4"), 0);
	assert_extra(1, "\xff\x00\x00\x00", 4); /* not a list: the first */
	assert_int_equal(opts_extra(&cfg, "mtu=70000"), 0); /* cut to size */
	assert_extra(26, "\x11\x70", 2);
	assert_int_equal(opts_extra(&cfg, "ipttl:0x40"), 0);
	assert_extra(23, "\x40", 1);
	assert_int_equal(opts_extra(&cfg, "lease:010"), 0);
	assert_extra(51, "\x00\x00\x00\x08", 4);
	assert_int_equal(opts_extra(&cfg, "timezone:-5"), 0);
	assert_extra(2, "\xff\xff\xff\xfb", 4);
	assert_int_equal(opts_extra(&cfg, "vendor: a b"), 0);
	assert_extra(60, "a", 1);
}

/* A numeric code takes hex (busybox hex2bin()) or a quoted string. */
static void test_raw(void **state)
{
	(void)state;
	assert_int_equal(opts_extra(&cfg, "0x3d:0100BEEFC0FFEE"), 0);
	assert_extra(61, "\x01\x00\xbe\xef\xc0\xff\xee", 7);
	assert_true(cfg.clientid_set);
	assert_int_equal(opts_extra(&cfg, "224:1:23:4"), 0);
	assert_extra(224, "\x01\x23\x04", 3);
	assert_int_equal(opts_extra(&cfg, "225: 123 "), 0);
	assert_extra(225, "\x12\x03", 2);
	assert_int_equal(opts_extra(&cfg, "14:\"dump file\""), 0);
	assert_extra(14, "dump file", 9);
	assert_int_equal(opts_extra(&cfg, "17:'x'"), 0);
	assert_extra(17, "x", 1);
	assert_int_equal(opts_extra(&cfg, "226:  "), 0); /* empty option */
	assert_extra(226, "", 0);
	assert_int_equal(opts_extra(&cfg, "227:zz"), -EINVAL);
	assert_int_equal(opts_extra(&cfg, "227:0 1"), -EINVAL);
	assert_int_equal(opts_extra(&cfg, "nosuch:1"), -EINVAL);
}

/* What udhcpc cannot parse it drops and starts all the same: ours adds
 * nothing and does not refuse either. */
static void test_dropped(void **state)
{
	static const char *const drop[] = {
		"lease:abc",
		"lease:-1",
		"lease:99999999999",
		"timezone:+5",
		"12",
		"12:",
		"14:\"\"",
		"hostname:",
		"router:bad",
		"routes:1.2.3.4/5.6.7.8",
		"sipsrv:1.2.3.4",
		"ip6rd:1 2 3",
		"staticroutes:10.0.0.0/33 10.77.0.1",
		"staticroutes:10.0.0.0 10.77.0.1",
		"staticroutes:10.0.0.0/8",
		"staticroutes:10.0.0.0/8-10.77.0.1",
		"0x3d:",
	};

	(void)state;
	for (size_t i = 0; i < sizeof(drop) / sizeof(drop[0]); i++)
		assert_int_equal(opts_extra(&cfg, drop[i]), 0);
	assert_int_equal(cfg.extra_len, 0);
	assert_false(cfg.clientid_set);
	/* a list keeps what came before the bad value; a bad name in
	 * option 119 adds nothing (first: an empty option) */
	assert_int_equal(opts_extra(&cfg, "dns:1.2.3.4 bad 5.6.7.8"), 0);
	assert_extra(6, "\x01\x02\x03\x04", 4);
	assert_int_equal(opts_extra(&cfg, "search:a..b c.test"), 0);
	assert_extra(119,
		     "\x01"
		     "c\x04test",
		     8);
}

/* -F: the last wins and drops a -x 81, before or after it. */
static void test_fqdn(void **state)
{
	(void)state;
	assert_int_equal(opts_extra(&cfg, "81:aa"), 0);
	assert_int_equal(opts_fqdn(&cfg, "a"), 0);
	assert_int_equal(opts_fqdn(&cfg, "my_host.lan"), 0);
	assert_int_equal(opts_extra(&cfg, "81:bb"), 0);
	assert_extra(81, "\x05\x00\x00\x07my_host\x03lan\x00", 16);
	assert_int_equal(opts_fqdn(&cfg, "a..b"), -EINVAL);
}

/* RELEASE and DECLINE carry the client id the others carry: -x 61's,
 * the default one, or none with -C. */
static void test_release_client_id(void **state)
{
	(void)state;
	f.state = DHCP_ST_BOUND;
	f.server = htonl(0x0a4d0001);
	f.yiaddr = htonl(0x0a4d0005);
	msg_release(&f);
	assert_codes(53, 54, 61);
	assert_opt(61, 0, 1, 0x52, 0x54, 0x00, 0x12, 0x34, 0x56);
	msg_decline(&f, f.yiaddr);
	assert_codes(53, 50, 54, 61);
	assert_int_equal(opts_extra(&cfg, "hostname:h"), 0);
	assert_int_equal(opts_extra(&cfg, "0x3d:abcd"), 0);
	msg_release(&f);
	assert_codes(53, 54, 61);
	assert_opt(61, 0, 0xab, 0xcd);
	cfg.no_clientid = true; /* -C with -x 61: still -x 61's */
	msg_decline(&f, f.yiaddr);
	assert_codes(53, 50, 54, 61);
	assert_opt(61, 0, 0xab, 0xcd);
	setup(NULL);
	cfg.no_clientid = true;
	f.server = htonl(0x0a4d0001);
	msg_release(&f);
	assert_codes(53, 54);
}

static int teardown(void **state)
{
	(void)state;
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_prl, setup, teardown),
		cmocka_unit_test_setup_teardown(test_prl_no_defaults, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_order, setup, teardown),
		cmocka_unit_test_setup_teardown(test_order_around_60_61, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_repeated, setup, teardown),
		cmocka_unit_test_setup_teardown(test_typed, setup, teardown),
		cmocka_unit_test_setup_teardown(test_raw, setup, teardown),
		cmocka_unit_test_setup_teardown(test_dropped, setup, teardown),
		cmocka_unit_test_setup_teardown(test_fqdn, setup, teardown),
		cmocka_unit_test_setup_teardown(test_release_client_id, setup,
						teardown),
	};

	log_syslog(true, false); /* "bad address" lines: not on the output */
	return cmocka_run_group_tests(tests, NULL, NULL);
}

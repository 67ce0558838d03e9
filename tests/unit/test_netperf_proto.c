// SPDX-License-Identifier: MIT
// sources: netperf/proto.c netperf/udp.c
/* netperf's pure parts: control messages, UDP accounting, units. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

static void test_len_check(void **state)
{
	const uint8_t ff[4] = { 0xff, 0xff, 0xff, 0xff };
	const uint8_t zero[4] = { 0, 0, 0, 0 };
	const uint8_t ok[4] = { 0, 0, 0x20, 0 };
	const uint8_t big[4] = { 0, 0, 0x20, 1 };

	(void)state;
	assert_int_equal(np_len_check(ff, NP_PARAMS_MAX), -EMSGSIZE);
	assert_int_equal(np_len_check(zero, NP_PARAMS_MAX), -EMSGSIZE);
	assert_int_equal(np_len_check(ok, NP_PARAMS_MAX), 8192);
	assert_int_equal(np_len_check(big, NP_PARAMS_MAX), -EMSGSIZE);
}

static void test_params_capture(void **state)
{
	/* A real iperf3 3.12 capture (anchors file). */
	static const char js[] =
		"{\"tcp\":true,\"omit\":0,\"time\":2,\"num\":0,\"blockcount\":0,"
		"\"parallel\":2,\"len\":131072,\"pacing_timer\":1000,"
		"\"client_version\":\"3.12\",\"newer_key\":[1]}";
	struct np_params p;
	const char *why;

	(void)state;
	assert_int_equal(np_params_parse(js, strlen(js), &p, &why), 0);
	assert_int_equal(p.proto, NP_TCP);
	assert_int_equal(p.duration, 2);
	assert_int_equal(p.parallel, 2);
	assert_int_equal(p.len, 131072);
	assert_string_equal(p.client_version, "3.12");
}

static void test_params_roundtrip(void **state)
{
	struct np_params p, q;
	const char *why;
	char *js;
	size_t len;

	(void)state;
	np_params_default(&p);
	p.proto = NP_UDP;
	p.len = 1460;
	p.rate = 50000000;
	p.bidir = true;
	p.udp64 = true;
	strcpy(p.title, "hello");
	assert_int_equal(np_params_build(&p, &js, &len), 0);
	assert_int_equal(np_params_parse(js, len, &q, &why), 0);
	free(js);
	assert_int_equal(q.proto, NP_UDP);
	assert_int_equal(q.rate, 50000000);
	assert_true(q.bidir);
	assert_true(q.udp64);
	assert_string_equal(q.title, "hello");
}

/* -n and -k past 2^32 (a 32-bit build's size_t): the exact integers on
 * the wire, and back. */
static void test_params_past_4g(void **state)
{
	struct np_params p, q;
	const char *why;
	char *js;
	size_t len;

	(void)state;
	np_params_default(&p);
	p.bytes = UINT64_C(5) << 30;
	p.blocks = (UINT64_C(1) << 32) + 1;
	assert_int_equal(np_params_build(&p, &js, &len), 0);
	assert_non_null(strstr(js, "\"num\":5368709120,"));
	assert_non_null(strstr(js, "\"blockcount\":4294967297,"));
	assert_int_equal(np_params_parse(js, len, &q, &why), 0);
	free(js);
	assert_true(q.bytes == UINT64_C(5) << 30);
	assert_true(q.blocks == (UINT64_C(1) << 32) + 1);
}

/* -Z goes as 3.12 sends it; --zerocopy=z as "zerocopy": 2, which a 3.12
 * server reads as -Z and ours as MSG_ZEROCOPY. */
static void test_params_zerocopy(void **state)
{
	static const char *const in[] = { "true", "1", "2", "\"z\"" };
	static const bool msg[] = { false, false, true, false };
	struct np_params p, q;
	const char *why;
	char js[128], *out;
	size_t len;

	(void)state;
	for (size_t i = 0; i < sizeof(in) / sizeof(in[0]); i++) {
		snprintf(js, sizeof(js),
			 "{\"tcp\":true,\"time\":1,\"len\":1,"
			 "\"parallel\":1,\"zerocopy\":%s}",
			 in[i]);
		assert_int_equal(np_params_parse(js, strlen(js), &p, &why), 0);
		assert_true(p.zerocopy);
		assert_int_equal(p.zc_msg, msg[i]);
	}
	np_params_default(&p);
	p.zerocopy = p.zc_msg = true;
	assert_int_equal(np_params_build(&p, &out, &len), 0);
	assert_non_null(strstr(out, "\"zerocopy\":2"));
	assert_int_equal(np_params_parse(out, len, &q, &why), 0);
	free(out);
	assert_true(q.zerocopy && q.zc_msg);
}

static void expect_bad(const char *js, const char *key)
{
	struct np_params p;
	const char *why = NULL;

	assert_int_equal(np_params_parse(js, strlen(js), &p, &why), -EINVAL);
	assert_string_equal(why, key);
}

static void test_params_bad(void **state)
{
	(void)state;
	expect_bad("{\"tcp\":true,\"parallel\":\"4\"}", "parallel");
	expect_bad("{\"tcp\":true,\"parallel\":129}", "parallel");
	expect_bad("{\"tcp\":true,\"len\":4294967295}", "len");
	expect_bad("{\"tcp\":true,\"time\":1e12}", "time");
	expect_bad("{\"tcp\":true,\"window\":1099511627776}", "window");
	expect_bad("{\"tcp\":true,\"title\":5}", "title");
	expect_bad("{\"udp\":true,\"len\":8}", "len");
	expect_bad("{\"tcp\":true,\"udp\":true}", "udp");
	expect_bad("{\"tcp\":true,\"time\":1.5}", "time");
	expect_bad("[1]", "json");
	expect_bad("{\"tcp\":", "json");
}

/* --tls: "tls": 1 on the wire (3.12 ignores unknown keys), TCP only */
static void test_params_tls(void **state)
{
	struct np_params p, q;
	const char *why;
	char *js;
	size_t len;

	(void)state;
	np_params_default(&p);
	assert_int_equal(np_params_build(&p, &js, &len), 0);
	assert_null(strstr(js, "tls"));
	assert_int_equal(np_params_parse(js, len, &q, &why), 0);
	assert_false(q.tls);
	free(js);
	p.tls = true;
	assert_int_equal(np_params_build(&p, &js, &len), 0);
	assert_non_null(strstr(js, "\"tls\":1"));
	assert_int_equal(np_params_parse(js, len, &q, &why), 0);
	assert_true(q.tls);
	free(js);
	expect_bad("{\"udp\":true,\"len\":1460,\"tls\":1}", "tls");
	expect_bad("{\"tcp\":true,\"zerocopy\":1,\"tls\":1}", "tls");
	assert_int_equal(
		np_params_parse("{\"tcp\":true,\"tls\":0}", 20, &q, &why), 0);
	assert_false(q.tls);
}

static void test_results_312(void **state)
{
	/* 3.12 prints -1 as 18446744073709551615. */
	static const char js[] =
		"{\"cpu_util_total\":1.5,\"cpu_util_user\":0.5,"
		"\"cpu_util_system\":1,\"sender_has_retransmits\":"
		"18446744073709551615,\"streams\":[{\"id\":1,\"bytes\":1000,"
		"\"retransmits\":18446744073709551615,\"jitter\":0,"
		"\"errors\":0,\"packets\":0,\"start_time\":0,"
		"\"end_time\":1.0001}],\"server_output_text\":\"hi\\n\"}";
	struct np_results r;
	const char *why;
	char *text;
	int is_json;

	(void)state;
	assert_int_equal(
		np_results_parse(js, strlen(js), &r, &text, &is_json, &why), 0);
	assert_int_equal(r.sender_has_retransmits, -1);
	assert_int_equal(r.n_streams, 1);
	assert_int_equal(r.st[0].retransmits, -1);
	assert_int_equal(r.st[0].bytes, 1000);
	assert_string_equal(text, "hi\n");
	assert_int_equal(is_json, 0);
	free(text);
	assert_int_equal(np_results_parse("{\"cpu_util_total\":1}", 20, &r,
					  NULL, NULL, &why),
			 -EINVAL);
}

/* Byte counts past 2^32 go as exact integers and come back exact, up to
 * a petabyte at least: cJSON (iperf3's too) prints with %1.15g when that
 * reads back within DBL_EPSILON, which rounds some counts past 4.5e15. */
static void test_results_past_4g(void **state)
{
	static const uint64_t bytes[] = { UINT64_C(5) << 30,
					  (UINT64_C(1) << 32) + 1,
					  UINT64_C(1000000000000001) };
	struct np_results r, q;
	const char *why;
	char *js, *text;
	size_t len;
	int is_json;

	(void)state;
	memset(&r, 0, sizeof(r));
	r.n_streams = 3;
	for (int i = 0; i < 3; i++) {
		r.st[i].id = i + 1;
		r.st[i].bytes = bytes[i];
		r.st[i].packets = (int64_t)(bytes[i] / 65000);
	}
	assert_int_equal(np_results_build(&r, NULL, NULL, &js, &len), 0);
	assert_non_null(strstr(js, "\"bytes\":5368709120,"));
	assert_non_null(strstr(js, "\"bytes\":4294967297,"));
	assert_non_null(strstr(js, "\"bytes\":1000000000000001,"));
	assert_int_equal(np_results_parse(js, len, &q, &text, &is_json, &why),
			 0);
	free(js);
	free(text);
	assert_int_equal(q.n_streams, 3);
	for (int i = 0; i < 3; i++) {
		assert_true(q.st[i].bytes == bytes[i]);
		assert_true(q.st[i].packets == r.st[i].packets);
	}
}

/* A hostile server's counts past 2^53 are refused: two streams of 9e18
 * lost datagrams overflowed the client's sums (corpus huge_counts). */
static void test_results_huge_counts(void **state)
{
	static const char *const bad[] = {
		"\"errors\":9e18,\"packets\":1,\"retransmits\":0",
		"\"errors\":0,\"packets\":9e18,\"retransmits\":0",
		"\"errors\":0,\"packets\":1,\"retransmits\":9e18",
		"\"errors\":-9e18,\"packets\":1,\"retransmits\":0",
		"\"errors\":0,\"packets\":1,\"retransmits\":0,"
		"\"omitted_packets\":1e16",
	};
	struct np_results r;
	const char *why;
	char js[512];
	int n;

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		n = snprintf(js, sizeof(js),
			     "{\"cpu_util_total\":1,\"cpu_util_user\":1,"
			     "\"cpu_util_system\":0,"
			     "\"sender_has_retransmits\":0,\"streams\":[{"
			     "\"id\":1,\"bytes\":1,\"jitter\":0,%s}]}",
			     bad[i]);
		assert_int_equal(
			np_results_parse(js, (size_t)n, &r, NULL, NULL, &why),
			-EINVAL);
		assert_string_equal(why, "streams");
	}
	/* 3.12's -1 as 2^64 - 1, and a negative count after -O, still go */
	n = snprintf(js, sizeof(js),
		     "{\"cpu_util_total\":1,\"cpu_util_user\":1,"
		     "\"cpu_util_system\":0,\"sender_has_retransmits\":0,"
		     "\"streams\":[{\"id\":1,\"bytes\":1,\"jitter\":0,"
		     "\"errors\":-3,\"packets\":9007199254740992,"
		     "\"retransmits\":18446744073709551615}]}");
	assert_int_equal(np_results_parse(js, (size_t)n, &r, NULL, NULL, &why),
			 0);
	assert_int_equal(r.st[0].errors, -3);
	assert_int_equal(r.st[0].retransmits, -1);
}

static void test_cookie(void **state)
{
	uint8_t c[NP_COOKIE_LEN];

	(void)state;
	memcpy(c, "abcdefghijklmnopqrstuvwxyz234567abcd", NP_COOKIE_LEN);
	assert_true(np_cookie_valid(c, NP_COOKIE_LEN));
	c[3] = '1';
	assert_false(np_cookie_valid(c, NP_COOKIE_LEN));
}

static void test_udp_header(void **state)
{
	uint8_t b[16];
	int64_t sent;
	uint64_t seq;

	(void)state;
	np_udp_hdr_put(b, 742123456789LL, 7, false);
	assert_int_equal(b[3], 742 & 0xff);
	assert_int_equal(b[11], 7);
	assert_int_equal(np_udp_hdr_get(b, 12, false, &sent, &seq), 0);
	assert_int_equal(seq, 7);
	assert_int_equal(sent, 742123456000LL);
	assert_int_equal(np_udp_hdr_get(b, 11, false, &sent, &seq), -EINVAL);
	np_udp_hdr_put(b, 0, 0x100000002ULL, true);
	assert_int_equal(np_udp_hdr_get(b, 16, true, &sent, &seq), 0);
	assert_int_equal(seq, 0x100000002ULL);
}

static void test_udp_loss_ooo(void **state)
{
	struct np_udp_rx rx = { 0 };

	(void)state;
	np_udp_rx_account(&rx, 1, 0, 1000);
	np_udp_rx_account(&rx, 2, 0, 1000);
	np_udp_rx_account(&rx, 5, 0, 1000); /* 3 and 4 missing */
	assert_int_equal(rx.cnt_error, 2);
	np_udp_rx_account(&rx, 3, 0, 1000); /* late */
	assert_int_equal(rx.cnt_error, 1);
	assert_int_equal(rx.ooo, 1);
	assert_int_equal(rx.packet_count, 5);
}

static void test_udp_jitter(void **state)
{
	struct np_udp_rx rx = { 0 };

	(void)state;
	np_udp_rx_account(&rx, 1, 0, 1000000);
	assert_true(rx.jitter == 0);
	np_udp_rx_account(&rx, 2, 0, 2600000); /* transit +1.6 ms */
	assert_true(rx.jitter > 0.0000999 && rx.jitter < 0.0001001);
}

/* The server's states, as a 3.12 server sends them, and the hostile
 * servers of the client's fuzz target (corpus flood_test_start,
 * display_only, repeat_streams, repeat_results). */
static void test_state_order(void **state)
{
	static const int8_t ok[] = { NP_PARAM_EXCHANGE,	  NP_CREATE_STREAMS,
				     NP_TEST_START,	  NP_TEST_RUNNING,
				     NP_EXCHANGE_RESULTS, NP_DISPLAY_RESULTS };
	int8_t prev = 0;

	(void)state;
	for (size_t i = 0; i < sizeof(ok); i++) {
		assert_true(np_state_ok(prev, ok[i]));
		assert_true(np_state_ok(prev, NP_SERVER_ERROR));
		assert_true(np_state_ok(prev, NP_ACCESS_DENIED));
		assert_true(np_state_ok(prev, NP_SERVER_TERMINATE));
		assert_false(np_state_ok(prev, prev)); /* no state twice */
		assert_false(np_state_ok(prev, NP_TEST_END));
		assert_false(np_state_ok(prev, NP_IPERF_DONE));
		assert_false(np_state_ok(prev, 0x42));
		prev = ok[i];
	}
	assert_false(np_state_ok(0, NP_DISPLAY_RESULTS));
	assert_false(np_state_ok(NP_TEST_START, NP_TEST_START));
	assert_false(np_state_ok(NP_CREATE_STREAMS, NP_CREATE_STREAMS));
	assert_false(np_state_ok(NP_EXCHANGE_RESULTS, NP_EXCHANGE_RESULTS));
	assert_false(np_state_ok(NP_PARAM_EXCHANGE, NP_TEST_RUNNING));
	assert_false(np_state_ok(NP_TEST_START, NP_EXCHANGE_RESULTS));
	assert_false(np_state_ok(NP_DISPLAY_RESULTS, NP_PARAM_EXCHANGE));
	assert_false(np_state_ok(NP_TEST_RUNNING, NP_TEST_START));
}

/* One streams[] entry of @fields (each counter present) in results. */
static int parse_stream(const char *fields, struct np_results *r)
{
	const char *why;
	char js[512];
	int n = snprintf(js, sizeof(js),
			 "{\"cpu_util_total\":1,\"cpu_util_user\":1,"
			 "\"cpu_util_system\":0,\"sender_has_retransmits\":0,"
			 "\"streams\":[{\"id\":1,\"jitter\":0,\"start_time\":0,"
			 "\"end_time\":1,%s}]}",
			 fields);

	return np_results_parse(js, (size_t)n, r, NULL, NULL, &why);
}

struct count_case {
	const char *text;
	bool ok_unsigned, ok_signed;
	int64_t v; /* as stored when taken */
};

/* The counters of a streams[] entry, and values that take any case. */
static const struct {
	const char *key, *other;
	bool sgn;
} counters[] = {
	{ "bytes", "1", false },
	{ "packets", "9007199254740992", false },
	{ "omitted_packets", "0", false },
	{ "errors", "0", true },
	{ "omitted_errors", "0", true },
	{ "retransmits", "0", true },
};

static int64_t counter(const struct np_stream_result *st, size_t k)
{
	switch (k) {
	case 0:
		return (int64_t)st->bytes;
	case 1:
		return st->packets;
	case 2:
		return st->omitted_packets;
	case 3:
		return st->errors;
	case 4:
		return st->omitted_errors;
	default:
		return st->retransmits;
	}
}

/* Counter @k at @text, the others at their values that take any case. */
static int parse_counter(size_t k, const char *text, struct np_results *r)
{
	char f[256];
	size_t n = 0;

	for (size_t i = 0; i < sizeof(counters) / sizeof(counters[0]); i++)
		n += (size_t)snprintf(f + n, sizeof(f) - n, "%s\"%s\":%s",
				      i ? "," : "", counters[i].key,
				      i == k ? text : counters[i].other);
	return parse_stream(f, r);
}

/* Every counter of a peer's results at 0, 1, 2^31, 2^32 - 1, 2^53, 2^63,
 * 2^64 - 1, negative, fractional, beyond 2^64 and infinite (cJSON reads
 * 1e999 as inf): bytes and datagrams are integers in [0, 2^53]; signed
 * counts in [-2^53, 2^53] or 3.12's -1 as 2^63 to 2^64.  Bytes of 2^63
 * and 1e20 went through (the latter read as 0), 1e999 as -1, 0.5 as 0. */
static void test_results_counts(void **state)
{
	static const struct count_case cases[] = {
		{ "0", true, true, 0 },
		{ "1", true, true, 1 },
		{ "2147483648", true, true, INT64_C(1) << 31 },
		{ "4294967295", true, true, UINT32_MAX },
		{ "9007199254740992", true, true, NP_COUNT_MAX },
		{ "9007199254740994", false, false, 0 },
		{ "9223372036854775808", false, true, -1 },
		{ "18446744073709551615", false, true, -1 },
		{ "1e20", false, false, 0 },
		{ "1e999", false, false, 0 },
		{ "-1e999", false, false, 0 },
		{ "-1", false, true, -1 },
		{ "-9007199254740992", false, true, -NP_COUNT_MAX },
		{ "-9007199254740994", false, false, 0 },
		{ "0.5", false, false, 0 },
	};
	struct np_results r;

	(void)state;
	for (size_t k = 0; k < sizeof(counters) / sizeof(counters[0]); k++) {
		for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
			const struct count_case *c = &cases[i];
			bool ok =
				counters[k].sgn ? c->ok_signed : c->ok_unsigned;

			assert_int_equal(parse_counter(k, c->text, &r),
					 ok ? 0 : -EINVAL);
			if (ok)
				assert_true(counter(&r.st[0], k) == c->v);
		}
	}
}

/* A receiver's losses are below its count of datagrams: 5 lost of 4 is
 * refused, 4 of 4 and a negative count after -O are not. */
static void test_results_loss_over_100(void **state)
{
	struct np_results r;

	(void)state;
	assert_int_equal(parse_stream("\"bytes\":1,\"packets\":4,\"errors\":5,"
				      "\"retransmits\":0",
				      &r),
			 -EINVAL);
	assert_int_equal(parse_stream("\"bytes\":1,\"packets\":4,\"errors\":4,"
				      "\"retransmits\":0",
				      &r),
			 0);
	assert_int_equal(parse_stream("\"bytes\":1,\"packets\":0,\"errors\":-2,"
				      "\"retransmits\":0",
				      &r),
			 0);
}

/* CPU figures are clamped to [0, 1e6]; an infinite one is refused. */
static void test_results_cpu(void **state)
{
	static const char fmt[] =
		"{\"cpu_util_total\":%s,\"cpu_util_user\":%s,"
		"\"cpu_util_system\":1,\"sender_has_retransmits\":%s,"
		"\"streams\":[]}";
	struct np_results r;
	const char *why;
	char js[256];
	int n;

	(void)state;
	n = snprintf(js, sizeof(js), fmt, "-5", "1e300", "1e300");
	assert_int_equal(np_results_parse(js, (size_t)n, &r, NULL, NULL, &why),
			 0);
	assert_true(r.cpu_total == 0 && r.cpu_user == 1e6);
	assert_int_equal(r.sender_has_retransmits, -1);
	n = snprintf(js, sizeof(js), fmt, "1e999", "1", "0");
	assert_int_equal(np_results_parse(js, (size_t)n, &r, NULL, NULL, &why),
			 -EINVAL);
	assert_string_equal(why, "cpu_util_total");
	n = snprintf(js, sizeof(js), fmt, "1", "1", "-1e999");
	assert_int_equal(np_results_parse(js, (size_t)n, &r, NULL, NULL, &why),
			 -EINVAL);
}

/* Jitter and times past their ranges, or infinite, are refused. */
static void test_results_times(void **state)
{
	static const char *const cases[] = {
		"\"id\":1,\"jitter\":0.001,\"end_time\":10", /* good */
		"\"id\":1,\"jitter\":1e999",
		"\"id\":1,\"jitter\":-1",
		"\"id\":1,\"jitter\":1e7",
		"\"id\":1,\"jitter\":0,\"end_time\":1e999",
		"\"id\":1,\"jitter\":0,\"start_time\":-1",
		"\"id\":1e999,\"jitter\":0",
	};
	struct np_results r;
	const char *why;
	char js[512];
	int n;

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		n = snprintf(js, sizeof(js),
			     "{\"cpu_util_total\":1,\"cpu_util_user\":1,"
			     "\"cpu_util_system\":0,"
			     "\"sender_has_retransmits\":0,\"streams\":[{"
			     "\"bytes\":1,\"errors\":0,\"packets\":1,"
			     "\"retransmits\":0,%s}]}",
			     cases[i]);
		assert_int_equal(
			np_results_parse(js, (size_t)n, &r, NULL, NULL, &why),
			i ? -EINVAL : 0);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_len_check),
		cmocka_unit_test(test_params_capture),
		cmocka_unit_test(test_params_roundtrip),
		cmocka_unit_test(test_params_past_4g),
		cmocka_unit_test(test_params_zerocopy),
		cmocka_unit_test(test_params_bad),
		cmocka_unit_test(test_params_tls),
		cmocka_unit_test(test_results_312),
		cmocka_unit_test(test_results_past_4g),
		cmocka_unit_test(test_results_huge_counts),
		cmocka_unit_test(test_cookie),
		cmocka_unit_test(test_state_order),
		cmocka_unit_test(test_udp_header),
		cmocka_unit_test(test_udp_loss_ooo),
		cmocka_unit_test(test_udp_jitter),
		cmocka_unit_test(test_results_counts),
		cmocka_unit_test(test_results_loss_over_100),
		cmocka_unit_test(test_results_cpu),
		cmocka_unit_test(test_results_times),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

// SPDX-License-Identifier: MIT
// sources: netperf/json.c netperf/proto.c netperf/report.c netperf/util.c
// sources: netperf/verbose.c
/* netperf's interval reports (report.c) and their -J entries (json.c),
 * on a server's receiving TCP streams: no socket is read. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "capture.h"

/* Only sending TCP streams read TCP_INFO; these streams receive. */
int np_tcp_info(int fd, struct np_tcpinfo *ti)
{
	(void)fd;
	memset(ti, 0, sizeof(*ti));
	return -EOPNOTSUPP;
}

/* json.c names a --tls stream's session; no test here has one. */
const char *np_tls_version(const struct np_tls *tls)
{
	(void)tls;
	return "";
}

const char *np_tls_suite(const struct np_tls *tls)
{
	(void)tls;
	return "";
}

#define SEC INT64_C(1000000000)
#define GIB (UINT64_C(1) << 30)

struct fix {
	struct np_opts o;
	struct np_test t;
	struct np_stream st[2];
};

/* A -J server receiving @n TCP streams, its clock at 0. */
static struct fix *fix_new(int n)
{
	struct fix *f = calloc(1, sizeof(*f));

	assert_non_null(f);
	f->o.interval = 1;
	f->o.fmt = 'a';
	f->o.json = true;
	f->o.server = true;
	f->t.o = &f->o;
	f->t.server = true;
	np_params_default(&f->t.p);
	f->t.p.parallel = n;
	f->t.n_streams = n;
	f->t.st = f->st;
	for (int i = 0; i < n; i++)
		f->st[i].fd = 5 + i;
	np_report_init(&f->t);
	assert_non_null(f->t.rep.root);
	return f;
}

static void fix_free(struct fix *f)
{
	free(np_report_finish(&f->t, false));
	free(f);
}

static const cJSON *ival(const struct fix *f, int i)
{
	const cJSON *o = cJSON_GetArrayItem(f->t.rep.intervals, i);

	assert_non_null(o);
	return o;
}

static double num(const cJSON *o, const char *k)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, k);

	assert_true(cJSON_IsNumber(v));
	return v->valuedouble;
}

static double stream_bytes(const struct fix *f, int i, int s)
{
	const cJSON *a =
		cJSON_GetObjectItemCaseSensitive(ival(f, i), "streams");

	return num(cJSON_GetArrayItem(a, s), "bytes");
}

static double sum_bytes(const struct fix *f, int i)
{
	return num(cJSON_GetObjectItemCaseSensitive(ival(f, i), "sum"),
		   "bytes");
}

/* Each stream's entry of an interval has its own bytes, adding up to the
 * sum: every stream had the first one's. */
static void test_ival_streams(void **state)
{
	struct fix *f = fix_new(2);

	(void)state;
	atomic_store(&f->st[0].bytes, 3 * GIB);
	atomic_store(&f->st[1].bytes, 2 * GIB + 7);
	np_report_interval(&f->t, SEC, false);
	assert_int_equal(cJSON_GetArraySize(f->t.rep.intervals), 1);
	assert_true(stream_bytes(f, 0, 0) == (double)(3 * GIB));
	assert_true(stream_bytes(f, 0, 1) == (double)(2 * GIB + 7));
	assert_true(sum_bytes(f, 0) == (double)(5 * GIB + 7));
	fix_free(f);
}

/* A last interval shorter than a tenth of -i counts when it moved bytes,
 * as in iperf3 3.12; else the intervals added up to less than the total.
 * Past 2^32 in all, bytes and bits_per_second of each are exact. */
static void test_ival_short_last(void **state)
{
	struct fix *f = fix_new(1);
	const cJSON *s;

	(void)state;
	atomic_store(&f->st[0].bytes, 4 * GIB - 1);
	np_report_interval(&f->t, SEC, false);
	atomic_store(&f->st[0].bytes, 5 * GIB);
	np_report_interval(&f->t, SEC + SEC / 20, false);
	assert_int_equal(cJSON_GetArraySize(f->t.rep.intervals), 2);
	s = cJSON_GetObjectItemCaseSensitive(ival(f, 1), "sum");
	assert_true(num(s, "bytes") == (double)(GIB + 1));
	assert_true(num(s, "start") == 1.0 && num(s, "end") == 1.05);
	assert_true(num(s, "bits_per_second") ==
		    (double)(GIB + 1) * 8 / (1.05 - 1.0));
	assert_true(sum_bytes(f, 0) + sum_bytes(f, 1) == (double)(5 * GIB));
	/* Short and without a byte: dropped, as iperf3 drops it. */
	np_report_interval(&f->t, SEC + SEC / 10, false);
	assert_int_equal(cJSON_GetArraySize(f->t.rep.intervals), 2);
	fix_free(f);
}

/* The text of an interval past 4 GiB: iperf3's units, no wrap. */
static void test_ival_text(void **state)
{
	struct fix *f = fix_new(1);
	const char *out;

	(void)state;
	f->o.json = false;
	atomic_store(&f->st[0].bytes, 4 * GIB - 1);
	capture(1);
	np_report_interval(&f->t, SEC, false);
	atomic_store(&f->st[0].bytes, 5 * GIB);
	np_report_interval(&f->t, 2 * SEC, false);
	out = captured();
	assert_non_null(strstr(out, "[  5]   0.00-1.00   sec  4.00 GBytes  "
				    "34.4 Gbits/sec"));
	assert_non_null(strstr(out, "[  5]   1.00-2.00   sec  1.00 GBytes  "
				    "8.59 Gbits/sec"));
	fix_free(f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ival_streams),
		cmocka_unit_test(test_ival_short_last),
		cmocka_unit_test(test_ival_text),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

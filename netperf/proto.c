// SPDX-License-Identifier: MIT
/*
 * iperf3 3.12 control messages (iperf_api.c send_parameters,
 * get_parameters, send_results, get_results), checked harder than 3.12:
 * every client-supplied value has a type and a range (CVE-2024-53580,
 * and the unchecked len/parallel/window of the anchors file).
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "proto.h"

int np_stream_id(int i)
{
	return i == 0 ? 1 : i + 2;
}

bool np_stream_sends(const struct np_params *p, bool server, int i)
{
	if (p->bidir)
		return server ? i >= p->parallel : i < p->parallel;
	return server ? p->reverse : !p->reverse;
}

int np_len_check(const uint8_t hdr[4], uint32_t max)
{
	uint32_t n = (uint32_t)hdr[0] << 24 | (uint32_t)hdr[1] << 16 |
		     (uint32_t)hdr[2] << 8 | hdr[3];

	if (n == 0 || n > max || n > INT32_MAX)
		return -EMSGSIZE;
	return (int)n;
}

bool np_cookie_valid(const uint8_t *c, size_t len)
{
	static const char alphabet[] = "abcdefghijklmnopqrstuvwxyz234567";

	if (len != NP_COOKIE_LEN || c[NP_COOKIE_LEN - 1] != 0)
		return false;
	for (size_t i = 0; i < NP_COOKIE_LEN - 1; i++)
		if (!c[i] || !strchr(alphabet, c[i]))
			return false;
	return true;
}

bool np_state_ok(int8_t prev, int8_t st)
{
	static const int8_t order[] = { 0,
					NP_PARAM_EXCHANGE,
					NP_CREATE_STREAMS,
					NP_TEST_START,
					NP_TEST_RUNNING,
					NP_EXCHANGE_RESULTS,
					NP_DISPLAY_RESULTS };

	if (st == NP_SERVER_TERMINATE || st == NP_ACCESS_DENIED ||
	    st == NP_SERVER_ERROR)
		return true;
	for (size_t i = 0; i + 1 < sizeof(order); i++)
		if (order[i] == prev)
			return order[i + 1] == st;
	return false;
}

int64_t np_json_i64(double v)
{
	if (v >= 9223372036854775808.0)
		return -1;
	if (v <= -9223372036854775808.0 || isnan(v))
		return -1;
	return (int64_t)v;
}

void np_params_default(struct np_params *p)
{
	memset(p, 0, sizeof(*p));
	p->proto = NP_TCP;
	p->duration = 10;
	p->parallel = 1;
	p->len = NP_TCP_LEN;
	p->pacing_timer = 1000;
}

/* ---- building ---------------------------------------------------- */

static void add_num_nz(cJSON *o, const char *k, double v)
{
	if (v != 0)
		cJSON_AddNumberToObject(o, k, v);
}

static void add_flag(cJSON *o, const char *k, bool on, bool as_bool)
{
	if (!on)
		return;
	if (as_bool)
		cJSON_AddTrueToObject(o, k);
	else
		cJSON_AddNumberToObject(o, k, 1);
}

static void add_str(cJSON *o, const char *k, const char *s)
{
	if (s[0])
		cJSON_AddStringToObject(o, k, s);
}

static int print_json(cJSON *o, char **out, size_t *len)
{
	*out = cJSON_PrintUnformatted(o);
	cJSON_Delete(o);
	if (!*out)
		return -ENOMEM;
	*len = strlen(*out);
	return 0;
}

int np_params_build(const struct np_params *p, char **out, size_t *len)
{
	cJSON *o = cJSON_CreateObject();

	if (!o)
		return -ENOMEM;
	cJSON_AddTrueToObject(o, p->proto == NP_UDP ? "udp" : "tcp");
	cJSON_AddNumberToObject(o, "omit", p->omit);
	cJSON_AddNumberToObject(o, "time", p->duration);
	cJSON_AddNumberToObject(o, "num", (double)p->bytes);
	cJSON_AddNumberToObject(o, "blockcount", (double)p->blocks);
	add_num_nz(o, "MSS", p->mss);
	add_flag(o, "nodelay", p->nodelay, true);
	cJSON_AddNumberToObject(o, "parallel", p->parallel);
	add_flag(o, "reverse", p->reverse, true);
	add_flag(o, "bidirectional", p->bidir, true);
	add_num_nz(o, "window", p->window);
	cJSON_AddNumberToObject(o, "len", p->len);
	add_num_nz(o, "bandwidth", (double)p->rate);
	add_num_nz(o, "fqrate", (double)p->fqrate);
	cJSON_AddNumberToObject(o, "pacing_timer", p->pacing_timer);
	add_num_nz(o, "burst", p->burst);
	add_num_nz(o, "TOS", p->tos);
	add_num_nz(o, "flowlabel", p->flowlabel);
	add_str(o, "title", p->title);
	add_str(o, "extra_data", p->extra_data);
	add_str(o, "congestion", p->congestion);
	add_flag(o, "get_server_output", p->get_server_output, false);
	add_flag(o, "udp_counters_64bit", p->udp64, false);
	add_flag(o, "repeating_payload", p->repeating, false);
	if (p->zc_msg)
		cJSON_AddNumberToObject(o, "zerocopy", 2);
	else
		add_flag(o, "zerocopy", p->zerocopy, false);
	add_flag(o, "dont_fragment", p->dont_fragment, false);
	add_flag(o, "skip_rx_copy", p->skip_rx_copy, false);
	add_flag(o, "tls", p->tls, false); /* 3.12 ignores it */
	add_str(o, "authtoken", p->authtoken);
	cJSON_AddStringToObject(o, "client_version", NP_VERSION);
	return print_json(o, out, len);
}

/* ---- parsing ----------------------------------------------------- */

/* A numeric parameter: key, range, where it goes. */
struct num_field {
	const char *key;
	double min, max;
	size_t off;
	int size; /* 4: int/uint32_t, 8: uint64_t */
};

#define NF(k, lo, hi, m, sz)                                                   \
	{                                                                      \
		k, lo, hi, offsetof(struct np_params, m), sz                   \
	}

static const struct num_field num_fields[] = {
	NF("omit", 0, NP_OMIT_MAX, omit, 4),
	NF("time", 0, NP_TIME_MAX, duration, 4),
	NF("num", 0, 1e18, bytes, 8),
	NF("blockcount", 0, 1e15, blocks, 8),
	NF("MSS", 0, NP_MSS_MAX, mss, 4),
	NF("parallel", 1, NP_MAX_PARALLEL, parallel, 4),
	NF("window", 0, NP_WINDOW_MAX, window, 4),
	NF("len", 1, NP_TCP_LEN_MAX, len, 4),
	NF("bandwidth", 0, 1e13, rate, 8),
	NF("fqrate", 0, 1e13, fqrate, 8),
	NF("pacing_timer", 0, 1e7, pacing_timer, 4),
	NF("burst", 0, NP_BURST_MAX, burst, 4),
	NF("TOS", 0, 255, tos, 4),
	NF("flowlabel", 0, 0xfffff, flowlabel, 4),
};

/* Presence flags: 3.12 checks only that the key exists. */
struct flag_field {
	const char *key;
	size_t off;
};

#define FF(k, m)                                                               \
	{                                                                      \
		k, offsetof(struct np_params, m)                               \
	}

static const struct flag_field flag_fields[] = {
	FF("nodelay", nodelay),
	FF("reverse", reverse),
	FF("bidirectional", bidir),
	FF("get_server_output", get_server_output),
	FF("udp_counters_64bit", udp64),
	FF("repeating_payload", repeating),
	FF("zerocopy", zerocopy),
	FF("dont_fragment", dont_fragment),
	FF("skip_rx_copy", skip_rx_copy),
	FF("tls", tls),
};

struct str_field {
	const char *key;
	size_t off, size;
};

#define SF(k, m)                                                               \
	{                                                                      \
		k, offsetof(struct np_params, m),                              \
			sizeof(((struct np_params *)0)->m)                     \
	}

static const struct str_field str_fields[] = {
	SF("title", title),	      SF("extra_data", extra_data),
	SF("congestion", congestion), SF("client_version", client_version),
	SF("authtoken", authtoken),
};

static int get_num(const cJSON *o, const struct num_field *f,
		   struct np_params *p)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, f->key);
	double d;

	if (!v)
		return 0;
	if (!cJSON_IsNumber(v))
		return -EINVAL;
	d = v->valuedouble;
	if (isnan(d) || d < f->min || d > f->max || d != (double)(int64_t)d)
		return -EINVAL;
	if (f->size == 8) {
		uint64_t u = (uint64_t)d;

		memcpy((char *)p + f->off, &u, sizeof(u));
	} else {
		uint32_t u = (uint32_t)d;

		memcpy((char *)p + f->off, &u, sizeof(u));
	}
	return 0;
}

static bool flag_set(const cJSON *v)
{
	if (!v || cJSON_IsFalse(v) || cJSON_IsNull(v))
		return false;
	if (cJSON_IsNumber(v))
		return v->valuedouble != 0;
	return true;
}

static int get_str(const cJSON *o, const struct str_field *f,
		   struct np_params *p)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, f->key);
	size_t n;

	if (!v)
		return 0;
	if (!cJSON_IsString(v) || !v->valuestring)
		return -EINVAL;
	n = strlen(v->valuestring);
	if (n >= f->size)
		return -EINVAL;
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)v->valuestring[i] < 0x20)
			return -EINVAL;
	memcpy((char *)p + f->off, v->valuestring, n + 1);
	return 0;
}

static int params_fields(const cJSON *o, struct np_params *p, const char **why)
{
	const cJSON *zc;

	for (size_t i = 0; i < sizeof(num_fields) / sizeof(num_fields[0]); i++)
		if (get_num(o, &num_fields[i], p) < 0) {
			*why = num_fields[i].key;
			return -EINVAL;
		}
	for (size_t i = 0; i < sizeof(str_fields) / sizeof(str_fields[0]); i++)
		if (get_str(o, &str_fields[i], p) < 0) {
			*why = str_fields[i].key;
			return -EINVAL;
		}
	for (size_t i = 0; i < sizeof(flag_fields) / sizeof(flag_fields[0]);
	     i++) {
		const cJSON *v =
			cJSON_GetObjectItemCaseSensitive(o, flag_fields[i].key);
		if (v)
			*(bool *)((char *)p + flag_fields[i].off) = flag_set(v);
	}
	/* "zerocopy": 2 asks for MSG_ZEROCOPY; 3.12 reads any value as -Z */
	zc = cJSON_GetObjectItemCaseSensitive(o, "zerocopy");
	p->zc_msg = cJSON_IsNumber(zc) && zc->valuedouble == 2;
	return 0;
}

/* Semantic checks after the syntax: protocol, UDP sizes, a way to end. */
static int params_check(const cJSON *o, struct np_params *p, const char **why)
{
	bool tcp = flag_set(cJSON_GetObjectItemCaseSensitive(o, "tcp"));
	bool udp = flag_set(cJSON_GetObjectItemCaseSensitive(o, "udp"));

	if (cJSON_GetObjectItemCaseSensitive(o, "sctp")) {
		*why = "sctp";
		return -EINVAL;
	}
	if (tcp && udp) {
		*why = "udp";
		return -EINVAL;
	}
	p->proto = udp ? NP_UDP : NP_TCP;
	if (p->proto == NP_UDP &&
	    (p->len < NP_UDP_LEN_MIN || p->len > NP_UDP_LEN_MAX)) {
		*why = "len";
		return -EINVAL;
	}
	if (p->reverse && p->bidir) {
		*why = "bidirectional";
		return -EINVAL;
	}
	/* TLS runs on TCP streams, and sendfile() cannot encrypt */
	if (p->tls && (p->proto == NP_UDP || p->zerocopy)) {
		*why = "tls";
		return -EINVAL;
	}
	return 0;
}

int np_params_parse(const char *buf, size_t len, struct np_params *p,
		    const char **why)
{
	cJSON *o;
	int err;

	*why = "json";
	np_params_default(p);
	p->duration = 0;
	if (len > NP_PARAMS_MAX)
		return -EINVAL;
	o = cJSON_ParseWithLength(buf, len);
	if (!o)
		return -EINVAL;
	err = -EINVAL;
	if (cJSON_IsObject(o)) {
		err = params_fields(o, p, why);
		if (!err)
			err = params_check(o, p, why);
	}
	cJSON_Delete(o);
	return err;
}

/* ---- results ----------------------------------------------------- */

static cJSON *stream_json(const struct np_stream_result *s)
{
	cJSON *j = cJSON_CreateObject();

	if (!j)
		return NULL;
	cJSON_AddNumberToObject(j, "id", s->id);
	cJSON_AddNumberToObject(j, "bytes", (double)s->bytes);
	cJSON_AddNumberToObject(j, "retransmits", (double)s->retransmits);
	cJSON_AddNumberToObject(j, "jitter", s->jitter);
	cJSON_AddNumberToObject(j, "errors", (double)s->errors);
	cJSON_AddNumberToObject(j, "omitted_errors", (double)s->omitted_errors);
	cJSON_AddNumberToObject(j, "packets", (double)s->packets);
	cJSON_AddNumberToObject(j, "omitted_packets",
				(double)s->omitted_packets);
	cJSON_AddNumberToObject(j, "start_time", s->start_time);
	cJSON_AddNumberToObject(j, "end_time", s->end_time);
	return j;
}

static void add_server_output(cJSON *o, const char *text, const char *json)
{
	if (json) {
		cJSON *j = cJSON_Parse(json);
		if (j)
			cJSON_AddItemToObject(o, "server_output_json", j);
	} else if (text) {
		cJSON_AddStringToObject(o, "server_output_text", text);
	}
}

int np_results_build(const struct np_results *r, const char *server_text,
		     const char *server_json, char **out, size_t *len)
{
	cJSON *o = cJSON_CreateObject(), *a;

	if (!o)
		return -ENOMEM;
	cJSON_AddNumberToObject(o, "cpu_util_total", r->cpu_total);
	cJSON_AddNumberToObject(o, "cpu_util_user", r->cpu_user);
	cJSON_AddNumberToObject(o, "cpu_util_system", r->cpu_system);
	cJSON_AddNumberToObject(o, "sender_has_retransmits",
				r->sender_has_retransmits);
	add_str(o, "congestion_used", r->congestion);
	a = cJSON_AddArrayToObject(o, "streams");
	for (int i = 0; a && i < r->n_streams; i++) {
		cJSON *j = stream_json(&r->st[i]);
		if (j)
			cJSON_AddItemToArray(a, j);
	}
	add_server_output(o, server_text, server_json);
	return print_json(o, out, len);
}

/* A finite number at key @k of @o into *@v; absent is fine unless @need.
 * (cJSON reads 1e999 as inf.) */
static bool num_of(const cJSON *o, const char *k, double *v, bool need)
{
	const cJSON *j = cJSON_GetObjectItemCaseSensitive(o, k);

	if (!j)
		return !need;
	if (!cJSON_IsNumber(j) || !isfinite(j->valuedouble))
		return false;
	*v = j->valuedouble;
	return true;
}

/* An integer within [@lo, NP_COUNT_MAX]: a count whose sums over
 * NP_MAX_STREAMS fit an int64_t (netperf.h). */
static bool int_ok(double v, double lo)
{
	return v >= lo && v <= (double)NP_COUNT_MAX && v == (double)(int64_t)v;
}

/* A signed count (retransmits, errors): within NP_COUNT_MAX either way,
 * or 3.12's -1 as 2^64 - 1 (any double from 2^63 to 2^64, which
 * np_json_i64() reads as -1). */
static bool count_ok(double v)
{
	if (v >= 9223372036854775808.0)
		return v <= 18446744073709551616.0;
	return int_ok(v, -(double)NP_COUNT_MAX);
}

/* A stream's numbers, before they are stored. */
struct stream_nums {
	double id, bytes, retr, jit, err, pk, oe, op, st, en;
};

/* Whether @n is within the ranges of a stream's results, below. */
static bool stream_nums_ok(const struct stream_nums *n)
{
	if (n->id < 0 || n->id > 1e6 || n->jit < 0 || n->jit > 1e6 ||
	    n->st < 0 || n->st > 1e7 || n->en < 0 || n->en > 1e7)
		return false;
	/* Bytes and datagrams are never negative, nor ever 3.12's -1. */
	if (!int_ok(n->bytes, 0) || !int_ok(n->pk, 0) || !int_ok(n->op, 0))
		return false;
	if (!count_ok(n->retr) || !count_ok(n->err) || !count_ok(n->oe))
		return false;
	/* A receiver's losses are gaps below its highest sequence number,
	 * which is its datagram count: more than 100% lost is a lie. */
	return np_json_i64(n->err) <= (int64_t)n->pk;
}

/* One streams[] entry; 3.12 requires id, bytes, retransmits, jitter,
 * errors and packets.  A hostile peer's huge counts overflowed the sums
 * of the report (summary.c, jsonend.c). */
static int stream_parse(const cJSON *j, struct np_stream_result *s)
{
	struct stream_nums n = { 0 };

	if (!cJSON_IsObject(j) || !num_of(j, "id", &n.id, true) ||
	    !num_of(j, "bytes", &n.bytes, true) ||
	    !num_of(j, "retransmits", &n.retr, true) ||
	    !num_of(j, "jitter", &n.jit, true) ||
	    !num_of(j, "errors", &n.err, true) ||
	    !num_of(j, "packets", &n.pk, true) ||
	    !num_of(j, "omitted_errors", &n.oe, false) ||
	    !num_of(j, "omitted_packets", &n.op, false) ||
	    !num_of(j, "start_time", &n.st, false) ||
	    !num_of(j, "end_time", &n.en, false) || !stream_nums_ok(&n))
		return -EINVAL;
	s->id = (int)n.id;
	s->bytes = (uint64_t)n.bytes;
	s->retransmits = np_json_i64(n.retr);
	s->jitter = n.jit;
	s->errors = np_json_i64(n.err);
	s->packets = (int64_t)n.pk;
	s->omitted_errors = np_json_i64(n.oe);
	s->omitted_packets = (int64_t)n.op;
	s->start_time = n.st;
	s->end_time = n.en;
	return 0;
}

/* CPU figures only show: one out of range (a peer's clock stepped) is
 * clamped to [0, 1e6] % rather than cost the results. */
static bool cpu_of(const cJSON *o, const char *k, double *v)
{
	if (!num_of(o, k, v, true))
		return false;
	*v = *v < 0 ? 0 : *v > 1e6 ? 1e6 : *v;
	return true;
}

static int results_top(const cJSON *o, struct np_results *r)
{
	double shr = 0;
	int64_t has;
	const cJSON *c = cJSON_GetObjectItemCaseSensitive(o, "congestion_used");

	if (!cpu_of(o, "cpu_util_total", &r->cpu_total) ||
	    !cpu_of(o, "cpu_util_user", &r->cpu_user) ||
	    !cpu_of(o, "cpu_util_system", &r->cpu_system) ||
	    !num_of(o, "sender_has_retransmits", &shr, true))
		return -EINVAL;
	has = np_json_i64(shr);
	r->sender_has_retransmits = has > 1 || has < -1 ? -1 : (int)has;
	if (cJSON_IsString(c) && c->valuestring &&
	    strlen(c->valuestring) < sizeof(r->congestion))
		strcpy(r->congestion, c->valuestring);
	return 0;
}

static void results_output(const cJSON *o, char **text, int *is_json)
{
	const cJSON *t =
		cJSON_GetObjectItemCaseSensitive(o, "server_output_text");
	const cJSON *j =
		cJSON_GetObjectItemCaseSensitive(o, "server_output_json");

	*text = NULL;
	*is_json = 0;
	if (cJSON_IsString(t) && t->valuestring) {
		*text = strdup(t->valuestring);
	} else if (cJSON_IsObject(j)) {
		*text = cJSON_Print(j);
		*is_json = 1;
	}
}

static int results_body(const cJSON *o, struct np_results *r, const char **why)
{
	const cJSON *a, *j;

	*why = "cpu_util_total";
	if (!cJSON_IsObject(o) || results_top(o, r) < 0)
		return -EINVAL;
	*why = "streams";
	a = cJSON_GetObjectItemCaseSensitive(o, "streams");
	if (!cJSON_IsArray(a))
		return -EINVAL;
	cJSON_ArrayForEach(j, a)
	{
		if (r->n_streams >= NP_MAX_STREAMS ||
		    stream_parse(j, &r->st[r->n_streams]) < 0)
			return -EINVAL;
		r->n_streams++;
	}
	return 0;
}

int np_results_parse(const char *buf, size_t len, struct np_results *r,
		     char **server_text, int *is_json, const char **why)
{
	cJSON *o;
	int err;

	memset(r, 0, sizeof(*r));
	*why = "json";
	if (server_text)
		*server_text = NULL;
	o = cJSON_ParseWithLength(buf, len);
	if (!o)
		return -EINVAL;
	err = results_body(o, r, why);
	if (!err && server_text)
		results_output(o, server_text, is_json);
	cJSON_Delete(o);
	return err;
}

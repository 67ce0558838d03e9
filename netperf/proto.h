/* SPDX-License-Identifier: MIT */
/*
 * iperf3 control messages: parameter and results JSON, built and parsed.
 * Pure functions: no I/O, no globals.  Parsers check every type and range
 * and ignore unknown keys (newer peers).
 */
#ifndef NETPERF_PROTO_H
#define NETPERF_PROTO_H

#include <stddef.h>
#include <stdint.h>

#include "netperf.h"

/* Stream @i's iperf3 id: 1, 3, 4, 5, ... */
int np_stream_id(int i);
/* True when stream @i of a test with @p sends on the @server's side (else
 * the client's): -R and --bidir decide. */
bool np_stream_sends(const struct np_params *p, bool server, int i);

/*
 * Checks a 4-byte big-endian length prefix against @max.  Returns the
 * length, or -EMSGSIZE when it is 0 or above @max (0xFFFFFFFF included).
 */
int np_len_check(const uint8_t hdr[4], uint32_t max);

/*
 * Writes @p as iperf3's parameter JSON into a malloc'ed string *@out (the
 * caller frees it) of *@len bytes, without a NUL on the wire.  Returns 0
 * or -ENOMEM.
 */
int np_params_build(const struct np_params *p, char **out, size_t *len);

/*
 * Parses and validates the parameter JSON in @buf (@len bytes, need not
 * be NUL-terminated) into @p.  Returns 0, or -EINVAL with *@why naming
 * the offending key.
 */
int np_params_parse(const char *buf, size_t len, struct np_params *p,
		    const char **why);

/* Defaults for the fields the peer may leave out. */
void np_params_default(struct np_params *p);

/*
 * Builds the results JSON; @server_text or @server_json (either may be
 * NULL; the JSON is copied) are added as server_output_text/json.  *@out
 * is malloc'ed.  Returns 0 or -ENOMEM.
 */
int np_results_build(const struct np_results *r, const char *server_text,
		     const char *server_json, char **out, size_t *len);

/*
 * Parses the peer's results JSON into @r.  When @server_text is non-NULL
 * it receives a malloc'ed copy of server_output_text or of the printed
 * server_output_json (NULL if absent; *@is_json says which).  Returns 0
 * or -EINVAL with *@why set.
 */
int np_results_parse(const char *buf, size_t len, struct np_results *r,
		     char **server_text, int *is_json, const char **why);

/*
 * Whether the server's state byte @st may follow @prev (0 before the
 * first), on the client.  A 3.12 server sends PARAM_EXCHANGE,
 * CREATE_STREAMS, TEST_START, TEST_RUNNING, EXCHANGE_RESULTS and
 * DISPLAY_RESULTS, each once and in that order, and may send
 * SERVER_TERMINATE, ACCESS_DENIED or SERVER_ERROR at any point.
 */
bool np_state_ok(int8_t prev, int8_t st);

/* A JSON number as a signed count: values >= 2^63 (3.12's printed -1,
 * 18446744073709551615) read as -1. */
int64_t np_json_i64(double v);

#endif

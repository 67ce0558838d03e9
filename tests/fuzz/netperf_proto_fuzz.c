// SPDX-License-Identifier: MIT
// fuzz-covers: netperf/proto.c:np_len_check,np_cookie_valid,np_params_default
// fuzz-covers: netperf/proto.c:get_num,flag_set,get_str,params_fields
// fuzz-covers: netperf/proto.c:params_check,np_params_parse,num_of,stream_parse
// fuzz-covers: netperf/proto.c:results_*,np_results_parse
// fuzz-covers: netperf/udp.c:np_udp_hdr_len,np_udp_hdr_get
// sources: netperf/proto.c netperf/udp.c
/* netperf control messages: parameter and results JSON, length prefix,
 * UDP header and accounting. */
#include <stdint.h>
#include <stdlib.h>

#include "fuzz.h"
#include "../../netperf/proto.h"
#include "../../netperf/udp.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct np_results r;
	struct np_params p;
	struct np_udp_rx rx = { 0 };
	const char *why;
	char *text = NULL, *out;
	size_t len;
	int is_json;
	int64_t sent;
	uint64_t seq;

	if (size >= 4)
		np_len_check(data, NP_PARAMS_MAX);
	if (np_params_parse((const char *)data, size, &p, &why) == 0 &&
	    np_params_build(&p, &out, &len) == 0) {
		if (np_params_parse(out, len, &p, &why) != 0)
			abort(); /* what we build we must accept */
		free(out);
	}
	if (np_results_parse((const char *)data, size, &r, &text, &is_json,
			     &why) == 0)
		free(text);
	np_cookie_valid(data, size);
	if (np_udp_hdr_get(data, size, size & 1, &sent, &seq) == 0)
		np_udp_rx_account(&rx, seq, sent, 0);
	return 0;
}

// SPDX-License-Identifier: MIT
// sources: dhcpc/d6_packet.c dhcpc/d6_env.c dhcpc/d6_duid.c
// sources: dhcpc/env.c dhcpc/packet.c
// fuzz-covers: dhcpc/d6_packet.c:d6_parse,d6_dname_ok,rd_*,be*,len_ok,vet
// fuzz-covers: dhcpc/d6_packet.c:put_*,parse_*,keep_other
// fuzz-covers: dhcpc/d6_env.c dhcpc/d6_duid.c:d6_duid_parse
/*
 * libFuzzer target for what dhcpc6 reads: a DHCPv6 message through
 * d6_parse() into the script environment, whose values must hold no
 * control byte; or (first byte odd) the DUID file's text, which must
 * come back the same through d6_duid_format().
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../dhcpc/d6_duid.h"
#include "../../dhcpc/d6_env.h"
#include "../../dhcpc/d6_packet.h"
#include "embnet/log.h"
#include "embnet/parse.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct d6_msg msg;
static struct spawn_env env;

static void duid(const uint8_t *p, size_t n)
{
	uint8_t d[D6_DUID_MAX], back[D6_DUID_MAX];
	char text[3 * D6_DUID_MAX + 2];
	int len = d6_duid_parse((const char *)p, n, d, sizeof(d));
	size_t tl;

	if (len < 0)
		return;
	if (len < 3 || len > D6_DUID_MAX)
		abort();
	tl = d6_duid_format(d, (size_t)len, text, sizeof(text));
	if (d6_duid_parse(text, tl, back, sizeof(back)) != len ||
	    memcmp(d, back, (size_t)len))
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *why;
	static bool quiet;

	if (!quiet) {
		log_syslog(true, false);
		quiet = true;
	}
	if (!size)
		return 0;
	if (data[0] & 1) {
		duid(data + 1, size - 1);
		return 0;
	}
	if (d6_parse(data + 1, size - 1, &msg, &why))
		return 0;
	if (msg.na.n_a > D6_MAX_ADDRS || msg.pd.n_a > D6_MAX_ADDRS ||
	    msg.n_dns > D6_MAX_SERVERS || msg.n_other > D6_MAX_OTHER)
		abort();
	d6_env_fill(&env, "eth0", &msg);
	for (unsigned i = 0; i < env.n_vars; i++)
		if (!parse_str_clean(env.vars[i], strlen(env.vars[i])))
			abort();
	return 0;
}

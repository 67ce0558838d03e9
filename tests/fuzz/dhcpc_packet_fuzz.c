// SPDX-License-Identifier: MIT
// fuzz-covers: dhcpc/packet.c:dhcp_optdef*,rd_*,scan_*,join_options,parse_*
// fuzz-covers: dhcpc/packet.c:dhcp_parse,dhcp_opt_be32
// fuzz-covers: dhcpc/frame.c:bad,frame_unwrap
// fuzz-covers: dhcpc/env.c:wr_*,dname_one,env_dname_list,fmt_*,good_hostname
// fuzz-covers: dhcpc/env.c:env_format_opt,add_*,env_fill
// fuzz-covers: dhcpc/env.c:host_char,dname_label_ok,warn_once,opt_vet
// sources: dhcpc/packet.c dhcpc/env.c dhcpc/frame.c
/*
 * libFuzzer target for the DHCP reply path: IP/UDP unwrap, dhcp_parse()
 * and the script environment.  Whatever is accepted must give an
 * environment free of control bytes.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "../../dhcpc/env.h"
#include "../../dhcpc/frame.h"
#include "../../dhcpc/packet.h"
#include "embnet/log.h"
#include "embnet/parse.h"

static struct dhcp_msg msg;
static struct spawn_env env;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const uint8_t *p;
	size_t n;
	const char *why;
	static bool quiet;

	if (!quiet) {
		log_syslog(true, false);
		quiet = true;
	}
	/* the first byte picks framed (raw socket) or bare (UDP) input */
	if (size && data[0] & 1) {
		if (frame_unwrap(data + 1, size - 1, 68, data[0] & 2, &p, &n,
				 &why))
			return 0;
	} else {
		p = size ? data + 1 : data;
		n = size ? size - 1 : 0;
	}
	if (dhcp_parse(p, n, &msg, &why))
		return 0;
	env_fill(&env, "eth0", &msg);
	for (unsigned i = 0; i < env.n_vars; i++)
		if (!parse_str_clean(env.vars[i], strlen(env.vars[i])))
			abort();
	return 0;
}

// SPDX-License-Identifier: MIT
// fuzz-covers: netperf/authfmt.c
// sources: netperf/authfmt.c
/* netperf authentication: decrypted token plaintext, authorized users
 * file, base64 check. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "../../netperf/auth.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char tok[4096];
	struct np_auth_cred c, c2;
	char hex[NP_AUTH_HASH_LEN + 1], buf[NP_AUTH_PLAIN_MAX];
	int n;

	if (np_auth_plain_parse((const char *)data, size, &c) == 0) {
		n = np_auth_plain_build(&c, buf, sizeof(buf));
		if (n < 0 || np_auth_plain_parse(buf, (size_t)n, &c2) ||
		    memcmp(&c, &c2, sizeof(c)))
			abort(); /* what we accept we must rebuild */
		np_auth_hash(c.user, c.pwd, hex);
		np_auth_users_match((const char *)data, size, c.user, hex);
	}
	np_auth_users_match(
		(const char *)data, size, "mario",
		"bf7a49a846d44b454a5d11e7acfaf13d138bbe0b7483aa3e050879700572709b");
	n = size < sizeof(tok) ? (int)size : (int)sizeof(tok) - 1;
	memcpy(tok, data, (size_t)n);
	tok[n] = 0;
	np_auth_b64_valid(tok, 2047);
	return 0;
}

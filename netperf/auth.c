// SPDX-License-Identifier: MIT
/*
 * iperf3 RSA authentication with mbedtls (iperf_auth.c).  Not yet
 * implemented: a client asked for it fails cleanly, and a server given
 * keys refuses every token.
 */
#include <errno.h>

#include "test.h"

int np_auth_token(const struct np_opts *o, char *out, size_t len)
{
	(void)o;
	(void)out;
	(void)len;
	return -ENOTSUP;
}

int np_auth_check(const struct np_opts *o, const char *token)
{
	(void)o;
	(void)token;
	return -EACCES;
}

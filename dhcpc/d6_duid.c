// SPDX-License-Identifier: MIT
/* DUID-LL and the DUID file's text form (hex digits: lib/parse.c). */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "d6_duid.h"
#include "d6_packet.h"
#include "embnet/parse.h"

size_t d6_duid_ll(const uint8_t mac[6], uint8_t *out)
{
	out[0] = 0;
	out[1] = 3; /* DUID-LL */
	out[2] = 0;
	out[3] = 1; /* Ethernet */
	memcpy(out + 4, mac, 6);
	return 10;
}

int d6_duid_parse(const char *s, size_t len, uint8_t *out, size_t cap)
{
	size_t n = 0, i = 0;

	if (len && s[len - 1] == '\n')
		len--;
	while (i < len) {
		int hi, lo;

		if (n && s[i++] != ':')
			return -EINVAL;
		if (i + 2 > len)
			return -EINVAL;
		hi = parse_hex_digit(s[i]);
		lo = parse_hex_digit(s[i + 1]);
		if (hi < 0 || lo < 0 || n >= cap || n >= D6_DUID_MAX)
			return -EINVAL;
		out[n++] = (uint8_t)(hi << 4 | lo);
		i += 2;
	}
	return n >= 3 ? (int)n : -EINVAL;
}

size_t d6_duid_format(const uint8_t *duid, size_t len, char *out, size_t size)
{
	size_t k = 0;

	for (size_t i = 0; i < len && k + 4 <= size; i++)
		k += (size_t)snprintf(out + k, size - k, i ? ":%02x" : "%02x",
				      duid[i]);
	if (k + 2 <= size) {
		out[k++] = '\n';
		out[k] = 0;
	}
	return k;
}

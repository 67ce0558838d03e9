// SPDX-License-Identifier: MIT
/*
 * Numbers and WoL letters as ethtool 6.1's ioctl path reads them: strtoull
 * or strtoll in the given base (0: "010" is octal 8, "0x10" is 16), the
 * whole string consumed, the range checked.  And the numeric bitsets of
 * its netlink path (-s msglvl and advertise, --set-priv-flags, --set-eee
 * advertise).
 */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <linux/ethtool.h>

#include "et.h"

int et_strtou(const char *s, int base, unsigned long long max,
	      unsigned long long *v)
{
	char *end;

	if (!s)
		return -EINVAL;
	errno = 0;
	*v = strtoull(s, &end, base);
	if (errno || *end || *v > max)
		return -EINVAL;
	return 0;
}

int et_strtoi(const char *s, int base, long long min, long long max,
	      long long *v)
{
	char *end;

	if (!s)
		return -EINVAL;
	errno = 0;
	*v = strtoll(s, &end, base);
	if (errno || *end || *v < min || *v > max)
		return -EINVAL;
	return 0;
}

int et_parse_wol(const char *s, uint32_t *opts)
{
	static const char letters[] = "pumbagsf";
	const char *p;

	*opts = 0;
	for (; *s; s++) {
		p = strchr(letters, *s);
		if (*s == 'd')
			*opts = 0;
		else if (p)
			*opts |= 1u << (p - letters);
		else
			return -EINVAL;
	}
	return 0;
}

/* ethtool 6.1's netlink parse_u32(): "0x" then hex, else decimal. */
int et_nl_u32(const char *s, uint32_t *v)
{
	unsigned long long u;
	int base = 10;

	if (!s || !s[0])
		return -EINVAL;
	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		s += 2;
		base = 16;
		if (!s[0])
			return -EINVAL;
	}
	if (et_strtou(s, base, UINT32_MAX, &u) < 0)
		return -EINVAL;
	*v = (uint32_t)u;
	return 0;
}

/* ---- 6.1's nl_parse_bitset() numbers ------------------------------------ */

static bool prefix_0x(const char *s)
{
	return s[0] == '0' && (s[1] == 'x' || s[1] == 'X');
}

/* "[0x]HEX[/[0x]HEX]": what 6.1 reads as a number, not names. */
bool et_num_is_bitset(const char *s)
{
	bool slash = false;

	if (prefix_0x(s))
		return true;
	for (; *s; s++) {
		if (*s == '/') {
			if (slash)
				return false;
			slash = true;
			if (prefix_0x(s + 1))
				s += 2;
			continue;
		}
		if (!strchr("0123456789abcdefABCDEF", *s))
			return false;
	}
	return true;
}

static int nsb(uint32_t x)
{
	int n = 0;

	for (; x; x >>= 1)
		n++;
	return n;
}

/*
 * 6.1's __parse_num_string(): up to 10 characters that read as a decimal
 * u32 (unless @hex), else hex in chunks of 8 from the left, each through
 * strtoul() (so its quirks too).  Words in @w, least significant first;
 * zero words past @n_words are left out (any length of leading zeros).
 * Returns the number of significant bits, -EINVAL or -E2BIG.
 */
int et_num_string(const char *s, size_t len, uint32_t *w, size_t n_words,
		  bool hex)
{
	unsigned long long u;
	char buf[11], *end;
	size_t k, chunk;
	unsigned long v;
	int nbits = 0;

	if (len == 0)
		return -EINVAL;
	if (!hex && len <= 10) {
		memcpy(buf, s, len);
		buf[len] = 0;
		if (et_strtou(buf, 10, UINT32_MAX, &u) == 0) {
			w[0] = (uint32_t)u;
			return nsb(w[0]);
		}
	}
	for (k = (len - 1) / 8 + 1; len > 0; s += chunk, len -= chunk) {
		chunk = len % 8 ? len % 8 : 8;
		memcpy(buf, s, chunk);
		buf[chunk] = 0;
		v = strtoul(buf, &end, 16);
		if (*end)
			return -EINVAL;
		/* past our words: leading zeros, or a number 6.1 sends for
		 * the kernel to refuse */
		if (--k >= n_words && v)
			return -E2BIG;
		if (k < n_words)
			w[k] = (uint32_t)v;
		nbits = nbits ? nbits + 4 * (int)chunk : nsb((uint32_t)v);
	}
	return nbits;
}

/* 6.1's parse_numeric_bitset(): VALUE[/MASK], compact, hex only with
 * @hex; *@shown is the text 6.1 names in its error (after a "0x"). */
int et_num_bitset(const char *arg, bool hex, struct nl_ethtool_bitset *bs,
		  const char **shown)
{
	const char *slash, *m;
	int nb = 0, r;

	memset(bs, 0, sizeof(*bs));
	*shown = prefix_0x(arg) ? arg + 2 : arg;
	slash = strchr(*shown, '/');
	if (slash) {
		m = slash + 1;
		r = et_num_string(prefix_0x(m) ? m + 2 : m,
				  strlen(prefix_0x(m) ? m + 2 : m), bs->mask,
				  NL_ETHTOOL_BITSET_WORDS, hex || prefix_0x(m));
		if (r < 0)
			return r;
		nb = r;
	}
	r = et_num_string(
		*shown, slash ? (size_t)(slash - *shown) : strlen(*shown),
		bs->value, NL_ETHTOOL_BITSET_WORDS, hex || prefix_0x(arg));
	if (r < 0)
		return r;
	bs->n_bits = (uint32_t)(r > nb ? r : nb);
	bs->nomask = !slash;
	return 0;
}

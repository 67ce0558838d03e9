/* SPDX-License-Identifier: MIT */
/*
 * Strict parsers for numbers, MAC addresses and booleans from config files
 * and the command line.  All are pure: no locale, no errno, no allocation.
 * Syntax errors give -EINVAL, values out of range -ERANGE.
 */
#ifndef EMBNET_PARSE_H
#define EMBNET_PARSE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The value of hex digit @c (either case), or -1 for any other byte.
 * Pure. */
int parse_hex_digit(char c);

/*
 * Parses decimal digits only: no sign, no spaces, no "0x" (leading zeros
 * are fine and never mean octal).  Returns 0 and sets *@v, -EINVAL on
 * empty input or any other byte, -ERANGE above UINT32_MAX.
 */
int parse_u32(const char *s, uint32_t *v);

/* As parse_u32() for the full uint64_t range. */
int parse_u64(const char *s, uint64_t *v);

/*
 * As parse_u32() in @base 10 or 16; in base 16 an optional "0x"/"0X"
 * prefix is accepted.  @base 0 means: hex after "0x", else decimal (never
 * octal).  Returns -EINVAL for any other @base.
 */
int parse_u32_base(const char *s, int base, uint32_t *v);

/*
 * Parses an optional '-' then decimal digits (no '+', no spaces) into
 * *@v.  Returns 0, -EINVAL on bad syntax, -ERANGE outside @min..@max.
 */
int parse_int(const char *s, int min, int max, int *v);

/*
 * Parses "aa:bb:cc:dd:ee:ff" (exactly two hex digits per byte, either case;
 * all separators ':' or all '-') into @mac.  Returns 0 or -EINVAL, in which
 * case @mac is left unchanged.
 */
int parse_mac(const char *s, uint8_t mac[6]);

/*
 * Parses a link-layer address of any length as `ip link set address` reads
 * one: bytes of one or two hex digits separated by ':' ("2:0:5e:10:ab:ff").
 * Returns the number of bytes stored in @addr (at most @addr_max), or
 * -EINVAL.
 */
int parse_hwaddr(const char *s, uint8_t *addr, size_t addr_max);

/*
 * Parses on/off, yes/no, true/false, 1/0 (ASCII case-insensitive) into *@v.
 * Returns 0 or -EINVAL.
 */
int parse_bool(const char *s, bool *v);

/*
 * True when the @len bytes at @s contain no NUL, no ASCII control byte
 * (0x00-0x1f, 0x7f) and @s is non-NULL: a value fit for a script
 * environment or a log line.  Bytes >= 0x80 (UTF-8) are allowed.
 */
bool parse_str_clean(const char *s, size_t len);

#endif

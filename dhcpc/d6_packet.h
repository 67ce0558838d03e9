/* SPDX-License-Identifier: MIT */
/*
 * DHCPv6 messages (RFC 8415): the parser of replies, strict about every
 * option's length, and the builder of what the client sends.  Both pure.
 */
#ifndef DHCPC_D6_PACKET_H
#define DHCPC_D6_PACKET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define D6_CLIENT_PORT 546
#define D6_SERVER_PORT 547
#define D6_MAX_LEN 4096 /* what we read; longer replies are dropped */

/* message types, RFC 8415 7.3 */
enum {
	D6_SOLICIT = 1,
	D6_ADVERTISE = 2,
	D6_REQUEST = 3,
	D6_CONFIRM = 4,
	D6_RENEW = 5,
	D6_REBIND = 6,
	D6_REPLY = 7,
	D6_RELEASE = 8,
	D6_DECLINE = 9,
	D6_RECONFIGURE = 10,
	D6_INFO_REQUEST = 11,
};

/* option codes, RFC 8415 21 and the RFCs named */
enum {
	D6_OPT_CLIENTID = 1,
	D6_OPT_SERVERID = 2,
	D6_OPT_IA_NA = 3,
	D6_OPT_IAADDR = 5,
	D6_OPT_ORO = 6,
	D6_OPT_PREFERENCE = 7,
	D6_OPT_ELAPSED_TIME = 8,
	D6_OPT_UNICAST = 12,
	D6_OPT_STATUS_CODE = 13,
	D6_OPT_RAPID_COMMIT = 14,
	D6_OPT_DNS_SERVERS = 23, /* RFC 3646 */
	D6_OPT_DOMAIN_LIST = 24, /* RFC 3646 */
	D6_OPT_IA_PD = 25,
	D6_OPT_IAPREFIX = 26,
	D6_OPT_SNTP_SERVERS = 31, /* RFC 4075 */
	D6_OPT_INFO_REFRESH = 32,
	D6_OPT_FQDN = 39,     /* RFC 4704 */
	D6_OPT_TZ_POSIX = 41, /* RFC 4833 */
	D6_OPT_TZ_NAME = 42,
	D6_OPT_NTP_SERVER = 56, /* RFC 5908 */
	D6_OPT_BOOT_URL = 59,	/* RFC 5970 */
	D6_OPT_BOOT_PARAM = 60,
	D6_OPT_SOL_MAX_RT = 82, /* RFC 8415 21.24 */
	D6_OPT_INF_MAX_RT = 83,
};

/* status codes, RFC 8415 21.13 */
enum {
	D6_ST_SUCCESS = 0,
	D6_ST_UNSPEC_FAIL = 1,
	D6_ST_NO_ADDRS = 2,
	D6_ST_NO_BINDING = 3,
	D6_ST_NOT_ON_LINK = 4,
	D6_ST_USE_MULTICAST = 5,
	D6_ST_NO_PREFIX = 6,
};

#define D6_DUID_MAX 130	 /* 2 bytes of type, 1 to 128 of id (11.1) */
#define D6_MAX_ADDRS 8	 /* IAADDRs or IAPREFIXes kept per IA */
#define D6_MAX_SERVERS 8 /* DNS, SNTP, NTP addresses kept */
#define D6_MAX_NAMES 4	 /* NTP server FQDNs kept */
#define D6_MAX_OTHER 16	 /* other options kept for the script */
#define D6_MAX_ORO 32

struct d6_bytes {
	const uint8_t *p; /* into the parsed buffer */
	uint16_t len;
};

/* An IAADDR, or an IAPREFIX (@plen). */
struct d6_lease_addr {
	uint8_t addr[16];
	uint32_t pref, valid;
	uint8_t plen;
	bool has_status;
	uint16_t status;
};

struct d6_ia {
	bool present;
	uint32_t iaid, t1, t2;
	bool has_status;
	uint16_t status;
	struct d6_lease_addr a[D6_MAX_ADDRS];
	unsigned n_a;
};

/* A message as d6_parse() gives it; the d6_bytes point into its input. */
struct d6_msg {
	uint8_t type;
	uint32_t xid; /* 24 bits */
	struct d6_bytes clientid, serverid;
	bool has_status;
	uint16_t status;
	struct d6_bytes status_text;
	bool has_pref;
	uint8_t pref;
	bool has_unicast;
	uint8_t unicast[16];
	bool rapid_commit;
	bool has_refresh;
	uint32_t refresh;		 /* option 32 */
	uint32_t sol_max_rt, inf_max_rt; /* options 82, 83; 0: none */
	struct d6_ia na, pd;
	uint8_t dns[D6_MAX_SERVERS][16];
	unsigned n_dns;
	uint8_t sntp[D6_MAX_SERVERS][16];
	unsigned n_sntp;
	uint8_t ntp[D6_MAX_SERVERS][16]; /* suboptions 1 and 2 */
	unsigned n_ntp;
	struct d6_bytes ntp_fqdn[D6_MAX_NAMES]; /* suboption 3, wire form */
	unsigned n_ntp_fqdn;
	struct d6_bytes domains; /* option 24, wire form */
	struct d6_option_kept {
		uint16_t code;
		struct d6_bytes v;
	} other[D6_MAX_OTHER];
	unsigned n_other;
	unsigned n_bad;	   /* options skipped for a wrong length */
	uint16_t bad_code; /* the first of them */
};

/*
 * Parses the @len-byte DHCPv6 message at @buf into @m (pointing into
 * @buf).  Every option length is checked against its definition; an
 * option of the wrong length is counted in n_bad and skipped, an option
 * running past its container rejects the message, as do two client or
 * server identifiers.  Returns 0, or -EBADMSG with *@why set.  Pure.
 */
int d6_parse(const uint8_t *buf, size_t len, struct d6_msg *m,
	     const char **why);

/* True when the wire-form names at @v (@len bytes) are a well-formed
 * uncompressed RFC 1035 list (RFC 8415 10: no compression), each label
 * at most 63 bytes and each name at most 255.  Pure. */
bool d6_dname_ok(const uint8_t *v, size_t len);

/* What d6_build() puts in an IA: the IAID, T1/T2 and the addresses (or
 * prefixes) with their lifetimes. */
struct d6_ia_req {
	bool present;
	uint32_t iaid, t1, t2;
	struct d6_lease_addr a[D6_MAX_ADDRS];
	unsigned n_a;
};

/* A message to send. */
struct d6_req {
	uint8_t type;
	uint32_t xid;
	uint16_t elapsed_cs; /* hundredths of a second, 0xffff at most */
	const uint8_t *clientid;
	size_t clientid_len;
	const uint8_t *serverid; /* NULL: no SERVERID */
	size_t serverid_len;
	struct d6_ia_req na, pd;
	const uint16_t *oro;
	unsigned n_oro;
	bool rapid_commit;
	const uint8_t *extra; /* whole options (-x), appended as they are */
	size_t extra_len;
};

/*
 * Writes @r into @buf (@cap bytes) in the order of RFC 8415's examples:
 * CLIENTID, SERVERID, IA_NA, IA_PD, ELAPSED_TIME, ORO, RAPID_COMMIT, then
 * the extra options.  Returns the length, or -ENOSPC.  Pure.
 */
int d6_build(const struct d6_req *r, uint8_t *buf, size_t cap);

/* A short name of message @type ("SOLICIT"), "?" if unknown. */
const char *d6_type_name(uint8_t type);

#endif

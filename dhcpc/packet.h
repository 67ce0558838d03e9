/* SPDX-License-Identifier: MIT */
/*
 * DHCPv4 messages (RFC 2131/2132): a pure parser and builder, and the
 * option table shared with the script environment.  No I/O, no globals
 * but constant tables, no allocation.
 */
#ifndef DHCPC_PACKET_H
#define DHCPC_PACKET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define DHCP_FIXED_LEN 236 /* BOOTP header up to the magic cookie */
#define DHCP_MAGIC 0x63825363u
#define DHCP_MAX_LEN 1500 /* largest DHCP payload accepted or built */
#define DHCP_MIN_LEN 300  /* BOOTP minimum, padded to on output */
#define DHCP_SNAME_LEN 64
#define DHCP_FILE_LEN 128

enum dhcp_type {
	DHCPDISCOVER = 1,
	DHCPOFFER,
	DHCPREQUEST,
	DHCPDECLINE,
	DHCPACK,
	DHCPNAK,
	DHCPRELEASE,
	DHCPINFORM,
};

enum dhcp_code {
	DHO_PAD = 0,
	DHO_SUBNET = 1,
	DHO_ROUTER = 3,
	DHO_HOSTNAME = 12,
	DHO_DOMAIN = 15,
	DHO_REQ_IP = 50,
	DHO_LEASE = 51,
	DHO_OVERLOAD = 52,
	DHO_MSG_TYPE = 53,
	DHO_SERVER_ID = 54,
	DHO_PRL = 55,
	DHO_MESSAGE = 56,
	DHO_MAX_SIZE = 57,
	DHO_T1 = 58,
	DHO_T2 = 59,
	DHO_VENDOR = 60,
	DHO_CLIENT_ID = 61,
	DHO_RAPID_COMMIT = 80,
	DHO_FQDN = 81,
	DHO_SEARCH = 119,
	DHO_STATIC_ROUTES = 121,
	DHO_END = 255,
};

/* Value types of the option table, as udhcpc's OPTION_* */
enum dhcp_opt_type {
	DHCP_T_BIN = 0, /* unknown: opt<N>=hex */
	DHCP_T_IP,	/* exactly 4 bytes */
	DHCP_T_IP_LIST, /* n * 4 */
	DHCP_T_IP_PAIR, /* n * 8: option 33 */
	DHCP_T_STRING,
	DHCP_T_HOST, /* string vetted as udhcpc's good_hostname() */
	DHCP_T_U8,
	DHCP_T_U16,
	DHCP_T_U32,
	DHCP_T_S32,
	DHCP_T_DNS_LIST, /* RFC 1035 names, option 119 */
	DHCP_T_SIP,	 /* option 120: encoding byte, names or IPs */
	DHCP_T_ROUTES,	 /* RFC 3442: option 121 and 249 */
	DHCP_T_6RD,	 /* RFC 5969: option 212 */
};

/* One row of the option table: like busybox's dhcp_optflags plus names. */
struct dhcp_optdef {
	uint8_t code;
	uint8_t type;	 /* enum dhcp_opt_type */
	uint16_t min;	 /* smallest valid length */
	uint16_t max;	 /* largest valid length */
	const char *env; /* script variable, NULL: internal only */
};

/* A parsed message.  Options are RFC 3396-joined in data[]; option 52 is
 * not among them, only in overload. */
struct dhcp_msg {
	uint8_t op, htype, hlen, hops;
	uint32_t xid; /* host order */
	uint16_t secs, flags;
	uint32_t ciaddr, yiaddr, siaddr, giaddr; /* network order */
	uint8_t chaddr[16];
	uint8_t sname[DHCP_SNAME_LEN];
	uint8_t file[DHCP_FILE_LEN];
	uint8_t overload;  /* option 52: 1 file, 2 sname, 3 both */
	uint8_t type;	   /* option 53, 0 if absent */
	bool rapid_commit; /* option 80 seen (it has no value) */
	uint16_t opt_off[256];
	uint16_t opt_len[256]; /* 0: absent (zero-length options are dropped) */
	uint8_t data[DHCP_MAX_LEN];
	size_t data_len;
};

/*
 * Parses @len bytes at @buf (the UDP payload) into @out.  Checks the fixed
 * header, the magic cookie, every option length, option 52 (only in the
 * options field, value 1..3, no loops) and option 53.  Repeated options
 * are joined (RFC 3396) in the order options, file, sname.  Returns 0, or
 * -EBADMSG with a static reason in *@why.
 */
int dhcp_parse(const uint8_t *buf, size_t len, struct dhcp_msg *out,
	       const char **why);

/* The joined value of option @code and its length, or NULL if absent. */
const uint8_t *dhcp_opt(const struct dhcp_msg *m, uint8_t code, size_t *len);

/* Option @code as a 32-bit value if exactly 4 bytes (network order for
 * addresses: @v is copied as is).  Returns false otherwise. */
bool dhcp_opt_be32(const struct dhcp_msg *m, uint8_t code, uint32_t *v);

/* The table row of @code, or NULL for an unknown option. */
const struct dhcp_optdef *dhcp_optdef(uint8_t code);

/* The table row whose env name is @name, or NULL. */
const struct dhcp_optdef *dhcp_optdef_by_name(const char *name);

/* The first row of the table and its number of rows. */
const struct dhcp_optdef *dhcp_optdefs(size_t *n);

/* An outgoing message being built. */
struct dhcp_out {
	uint8_t buf[DHCP_MAX_LEN];
	size_t len;
	bool overflow;
};

/*
 * Starts a BOOTREQUEST of @type in @o: @xid (host order), @secs, @flags,
 * @ciaddr (network order), the 6-byte @mac, then option 53.
 */
void dhcp_build_init(struct dhcp_out *o, uint8_t type, uint32_t xid,
		     uint16_t secs, uint16_t flags, uint32_t ciaddr,
		     const uint8_t mac[6]);

/*
 * Appends option @code with @len bytes; values over 255 bytes are split
 * into several options (RFC 3396).  Sets @o->overflow when it does not fit.
 */
void dhcp_put(struct dhcp_out *o, uint8_t code, const void *data, size_t len);

/* Appends END and pads to DHCP_MIN_LEN.  Returns 0, -EMSGSIZE on overflow. */
int dhcp_build_end(struct dhcp_out *o);

#endif

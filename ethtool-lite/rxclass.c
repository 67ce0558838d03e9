// SPDX-License-Identifier: MIT
/*
 * Rx classification rules (struct ethtool_rx_flow_spec) as ethtool 6.1's
 * rxclass.c parses "-N DEV flow-type ..." and prints "-n DEV": one table
 * of fields for every flow type, and the legacy n-tuple form 6.1 tries
 * first.  Header fields are in network byte order, read and written a
 * byte at a time; the masks the kernel takes have a bit set for each bit
 * that must match, the inverse of the "m MASK" words and printed masks.
 */
#include <arpa/inet.h>
#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include "et.h"
#include "rxclass.h"

#define FS_OFF(f) offsetof(struct ethtool_rx_flow_spec, f)
#define HU(o) (FS_OFF(h_u) + (o))
#define EXT(f) (FS_OFF(h_ext) + offsetof(struct ethtool_flow_ext, f))
/* A field's mask is as far past it in m_u/m_ext as h_u is from m_u. */
#define MOFF (FS_OFF(m_u) - FS_OFF(h_u))
_Static_assert(FS_OFF(m_ext) - FS_OFF(h_ext) == MOFF, "mask layout");

/* Flow type groups: which fields a flow type takes (bit masks). */
enum {
	G_TCP4 = 1,
	G_AH4 = 2,
	G_USR4 = 4,
	G_TCP6 = 8,
	G_AH6 = 16,
	G_USR6 = 32,
	G_ETH = 64
};
#define G_IP4 (G_TCP4 | G_AH4 | G_USR4)
#define G_IP6 (G_TCP6 | G_AH6 | G_USR6)
#define G_ALL 127

struct rx_flow {
	char name[6];
	uint8_t type;  /* *_FLOW */
	uint8_t group; /* G_* */
	uint8_t word;  /* "Rule Type: rx_words[word] over IPvN"; 0: raw */
};

static const char rx_words[][10] = { "",     "TCP",	 "UDP",
				     "SCTP", "IPSEC AH", "IPSEC ESP" };

static const struct rx_flow rx_flows[] = {
	{ "tcp4", TCP_V4_FLOW, G_TCP4, 1 },
	{ "udp4", UDP_V4_FLOW, G_TCP4, 2 },
	{ "sctp4", SCTP_V4_FLOW, G_TCP4, 3 },
	{ "ah4", AH_V4_FLOW, G_AH4, 4 },
	{ "esp4", ESP_V4_FLOW, G_AH4, 5 },
	{ "ip4", IPV4_USER_FLOW, G_USR4, 0 },
	{ "tcp6", TCP_V6_FLOW, G_TCP6, 1 },
	{ "udp6", UDP_V6_FLOW, G_TCP6, 2 },
	{ "sctp6", SCTP_V6_FLOW, G_TCP6, 3 },
	{ "ah6", AH_V6_FLOW, G_AH6, 4 },
	{ "esp6", ESP_V6_FLOW, G_AH6, 5 },
	{ "ip6", IPV6_USER_FLOW, G_USR6, 0 },
	{ "ether", ETHER_FLOW, G_ETH, 0 },
};

/* Field types: the first ones are header bytes with a mask. */
enum {
	T_U8,
	T_BE16,
	T_BE32,
	T_BE64,
	T_IP4,
	T_IP6,
	T_MAC,
	T_MASKED,
	T_U64 = T_MASKED,
	T_VF,
	T_QUEUE,
	T_U32
};
static const uint8_t t_len[T_MASKED] = { 1, 2, 4, 8, 4, 16, 6 };

/* 6.1's NFC_FLAG_* (SPI is SPORT | DPORT there, so they exclude it). */
enum {
	F_RING = 1,
	F_LOC = 2,
	F_SADDR = 4,
	F_DADDR = 8,
	F_SPORT = 0x10,
	F_DPORT = 0x20,
	F_SPI = 0x30,
	F_TOS = 0x40,
	F_PROTO = 0x80,
	F_VLAN = 0x100,
	F_UDEF = 0x200,
	F_VETH = 0x400,
	F_MAC = 0x800,
	F_VF = 0x1000,
	F_QUEUE = 0x2000
};

struct rx_opt {
	char name[11];
	uint8_t type;
	uint8_t off; /* in struct ethtool_rx_flow_spec */
	uint8_t groups;
	uint16_t flag;
};

static const struct rx_opt rx_opts[] = {
	{ "src-ip", T_IP4, HU(0), G_IP4, F_SADDR },
	{ "dst-ip", T_IP4, HU(4), G_IP4, F_DADDR },
	{ "tos", T_U8, HU(12), G_IP4, F_TOS },
	{ "src-ip", T_IP6, HU(0), G_IP6, F_SADDR },
	{ "dst-ip", T_IP6, HU(16), G_IP6, F_DADDR },
	{ "tclass", T_U8, HU(36), G_IP6, F_TOS },
	{ "l4proto", T_U8, HU(14), G_USR4, F_PROTO },
	{ "l4proto", T_U8, HU(37), G_USR6, F_PROTO },
	{ "l4data", T_BE32, HU(8), G_USR4, F_SPI },
	{ "l4data", T_BE32, HU(32), G_USR6, F_SPI },
	{ "spi", T_BE32, HU(8), G_AH4 | G_USR4, F_SPI },
	{ "spi", T_BE32, HU(32), G_AH6 | G_USR6, F_SPI },
	{ "src-port", T_BE16, HU(8), G_TCP4 | G_USR4, F_SPORT },
	{ "dst-port", T_BE16, HU(10), G_TCP4 | G_USR4, F_DPORT },
	{ "src-port", T_BE16, HU(32), G_TCP6 | G_USR6, F_SPORT },
	{ "dst-port", T_BE16, HU(34), G_TCP6 | G_USR6, F_DPORT },
	{ "src", T_MAC, HU(6), G_ETH, F_SADDR },
	{ "dst", T_MAC, HU(0), G_ETH, F_DADDR },
	{ "proto", T_BE16, HU(12), G_ETH, F_PROTO },
	{ "action", T_U64, FS_OFF(ring_cookie), G_ALL, F_RING },
	{ "vf", T_VF, FS_OFF(ring_cookie), G_ALL, F_VF },
	{ "queue", T_QUEUE, FS_OFF(ring_cookie), G_ALL, F_QUEUE },
	{ "loc", T_U32, FS_OFF(location), G_ALL, F_LOC },
	{ "vlan-etype", T_BE16, EXT(vlan_etype), G_ALL, F_VETH },
	{ "vlan", T_BE16, EXT(vlan_tci), G_ALL, F_VLAN },
	{ "user-def", T_BE64, EXT(data), G_ALL, F_UDEF },
	{ "dst-mac", T_MAC, EXT(h_dest), G_ALL & ~G_ETH, F_MAC },
};

static uint64_t rd_be(const uint8_t *p, unsigned int n)
{
	uint64_t v = 0;

	while (n--)
		v = v << 8 | *p++;
	return v;
}

/* rxclass_get_ulong(): strtoull base 0, all of it, at most @bits. */
static int num(const char *s, unsigned int bits, unsigned long long *v)
{
	return et_strtou(s, 0, bits < 64 ? (1ULL << bits) - 1 : ULLONG_MAX, v);
}

/* A masked field's value @s as its header bytes: the length, or -1. */
static int field_bytes(uint8_t type, const char *s, uint8_t *b)
{
	unsigned long long v;
	unsigned int m[6];
	int k, n = t_len[type];

	if (type == T_IP4 || type == T_IP6)
		return inet_pton(type == T_IP4 ? AF_INET : AF_INET6, s, b) == 1
			       ? n
			       : -1;
	if (type == T_MAC) {
		if (!strchr(s, ':') ||
		    sscanf(s, "%2x:%2x:%2x:%2x:%2x:%2x", &m[0], &m[1], &m[2],
			   &m[3], &m[4], &m[5]) != 6)
			return -1;
		for (k = 0; k < 6; k++)
			b[k] = (uint8_t)m[k];
		return 6;
	}
	if (num(s, 8 * (unsigned int)n, &v) < 0)
		return -1;
	for (k = n; k--; v >>= 8)
		b[k] = (uint8_t)v;
	return n;
}

/* A field's value (@mask: its "m" mask) into @fs: 0 or -1. */
static int field_set(struct ethtool_rx_flow_spec *fs, const struct rx_opt *o,
		     const char *s, bool mask)
{
	static const uint8_t bits[] = { 64, 8, 32, 32 };
	uint8_t *p = (uint8_t *)fs + o->off, b[16];
	unsigned long long v;
	int k, n;

	if (o->type < T_MASKED) {
		n = field_bytes(o->type, s, b);
		if (n < 0)
			return -1;
		for (k = 0; k < n; k++) {
			if (!mask)
				p[k] = b[k];
			p[MOFF + k] = mask ? (uint8_t)~b[k] : 0xff;
		}
		return 0;
	}
	if (mask || num(s, bits[o->type - T_MASKED], &v) < 0)
		return -1;
	if (o->type == T_U64)
		fs->ring_cookie = v;
	else if (o->type == T_VF) /* 0 is the PF: VF n is n + 1 */
		fs->ring_cookie =
			(fs->ring_cookie & ~ETHTOOL_RX_FLOW_SPEC_RING_VF) |
			(v + 1) << ETHTOOL_RX_FLOW_SPEC_RING_VF_OFF;
	else if (o->type == T_QUEUE)
		fs->ring_cookie =
			(fs->ring_cookie & ~ETHTOOL_RX_FLOW_SPEC_RING) | v;
	else
		fs->location = (uint32_t)v;
	return 0;
}

static const struct rx_opt *opt_find(uint8_t group, const char *name)
{
	size_t i;

	for (i = 0; i < sizeof(rx_opts) / sizeof(rx_opts[0]); i++)
		if ((rx_opts[i].groups & group) &&
		    !strcmp(rx_opts[i].name, name))
			return &rx_opts[i];
	return NULL;
}

static const struct rx_flow *flow_find(const char *name, uint32_t type)
{
	size_t i;

	for (i = 0; i < sizeof(rx_flows) / sizeof(rx_flows[0]); i++)
		if (name ? !strcmp(rx_flows[i].name, name)
			 : rx_flows[i].type == type)
			return &rx_flows[i];
	return NULL;
}

uint32_t et_rxclass_flow(const char *name)
{
	const struct rx_flow *f = flow_find(name, 0);

	return f ? f->type : 0;
}

/* "context N": 0, or -1 after 6.1's message. */
static int parse_context(char **argv, int argc, int *i, uint32_t *rss)
{
	unsigned long long v;

	if (++*i >= argc) {
		fprintf(stderr, "'context' missing value\n");
		return -1;
	}
	if (num(argv[*i], 32, &v) < 0) {
		fprintf(stderr, "Invalid context value[%s]\n", argv[*i]);
		return -1;
	}
	if (v == ETH_RXFH_CONTEXT_ALLOC) {
		fprintf(stderr, "Bad context value %x\n", (unsigned int)v);
		return -1;
	}
	*rss = (uint32_t)v;
	++*i;
	return 0;
}

static int parse_opts(char **argv, int argc, uint8_t group,
		      struct ethtool_rx_flow_spec *fs, uint32_t *rss,
		      uint32_t *flags)
{
	const struct rx_opt *o;
	char mname[16];
	int i;

	for (i = 1; i < argc;) {
		if (!strcmp(argv[i], "context")) {
			if (parse_context(argv, argc, &i, rss) < 0)
				return -1;
			fs->flow_type |= FLOW_RSS;
			continue;
		}
		o = opt_find(group, argv[i]);
		if (!o) {
			printf("Add rule, unrecognized option[%s]\n", argv[i]);
			return -1;
		}
		if (++i >= argc)
			break;
		if ((*flags & o->flag) || field_set(fs, o, argv[i], false)) {
			fprintf(stderr, "Invalid %s value[%s]\n", o->name,
				argv[i]);
			return -1;
		}
		*flags |= o->flag;
		if (++i >= argc)
			break;
		snprintf(mname, sizeof(mname), "%s-mask", o->name);
		if (strcmp(argv[i], "m") && strcmp(argv[i], mname))
			continue;
		if (++i >= argc)
			return -2;
		if (field_set(fs, o, argv[i], true)) {
			fprintf(stderr, "Invalid %s mask[%s]\n", o->name,
				argv[i]);
			return -1;
		}
		i++;
	}
	return 0;
}

int et_rxclass_parse(char **argv, int argc, struct ethtool_rx_flow_spec *fs,
		     uint32_t *rss_context)
{
	const struct rx_flow *f = argc < 1 ? NULL : flow_find(argv[0], 0);
	uint32_t flags = 0;
	int err;

	if (!f) {
		fprintf(stderr, "Add rule, invalid syntax\n");
		return -1;
	}
	memset(fs, 0, sizeof(*fs));
	fs->flow_type = f->type;
	fs->location = RX_CLS_LOC_ANY;
	err = parse_opts(argv, argc, f->group, fs, rss_context, &flags);
	if (err == -2)
		fprintf(stderr, "Add rule, invalid syntax\n");
	if (err < 0)
		return -1;
	if ((flags & F_RING) && (flags & (F_QUEUE | F_VF))) {
		fprintf(stderr, "action and %s are not compatible\n",
			flags & F_QUEUE ? "queue" : "vf");
		return -1;
	}
	if (f->type == IPV4_USER_FLOW)
		fs->h_u.usr_ip4_spec.ip_ver = ETH_RX_NFC_IP4;
	if (flags & (F_VLAN | F_UDEF | F_VETH))
		fs->flow_type |= FLOW_EXT;
	if (flags & F_MAC)
		fs->flow_type |= FLOW_MAC_EXT;
	/* any option but a MAC or address parsed a number */
	return (flags & ~(uint32_t)(F_SADDR | F_DADDR | F_MAC)) ||
	       (fs->flow_type & FLOW_RSS);
}

static void print_mac(const char *what, const uint8_t *v, const uint8_t *m)
{
	int k;

	printf("\t%s MAC addr: ", what);
	for (k = 0; k < 12; k++)
		printf("%s%02X",
		       k == 6 ? " mask: "
		       : k    ? ":"
			      : "",
		       k < 6 ? v[k] : m[k - 6]);
	putchar('\n');
}

/* "\tLABEL: VALUE mask: 0xMASK" of an @n-byte big-endian field at @h
 * and its (printable) mask at @m; @dec: VALUE in decimal. */
static void print_field(const char *label, const uint8_t *h, const uint8_t *m,
			unsigned int n, bool dec)
{
	printf(dec ? "\t%s: %d mask: 0x%x\n" : "\t%s: 0x%x mask: 0x%x\n", label,
	       (int)rd_be(h, n), (unsigned int)rd_be(m, n));
}

static void print_ip(const struct rx_flow *f, const uint8_t *h,
		     const uint8_t *m)
{
	bool v6 = f->group & G_IP6;
	int af = v6 ? AF_INET6 : AF_INET;
	unsigned int a = v6 ? 16 : 4, l4 = 2 * a;
	char s[2][INET6_ADDRSTRLEN];
	const char *dir = "Src";
	unsigned int k;

	if (f->word)
		printf("\tRule Type: %s over IPv%c\n", rx_words[f->word],
		       v6 ? '6' : '4');
	else
		printf("\tRule Type: Raw IPv%c\n", v6 ? '6' : '4');
	for (k = 0; k < 2 * a; k += a, dir = "Dest")
		printf("\t%s IP addr: %s mask: %s\n", dir,
		       inet_ntop(af, h + k, s[0], sizeof(s[0])),
		       inet_ntop(af, m + k, s[1], sizeof(s[1])));
	k = v6 ? 36 : 12;
	print_field(v6 ? "Traffic Class" : "TOS", h + k, m + k, 1, false);
	if (f->group & (G_TCP4 | G_TCP6)) {
		print_field("Src port", h + l4, m + l4, 2, true);
		print_field("Dest port", h + l4 + 2, m + l4 + 2, 2, true);
	} else if (f->group & (G_AH4 | G_AH6)) {
		print_field("SPI", h + l4, m + l4, 4, true);
	} else {
		k = v6 ? 37 : 14;
		print_field("Protocol", h + k, m + k, 1, true);
		print_field("L4 bytes", h + l4, m + l4, 4, false);
	}
}

/* @fs->m_ext with its VLAN and user-defined masks inverted. */
static void print_ext(struct ethtool_rx_flow_spec *fs)
{
	const uint8_t *h = (const uint8_t *)&fs->h_ext;
	uint8_t *m = (uint8_t *)&fs->m_ext;
	unsigned int k;

	for (k = 8; k < 20; k++)
		m[k] ^= 0xff;
	if (fs->flow_type & FLOW_EXT) {
		print_field("VLAN EtherType", h + 8, m + 8, 2, false);
		print_field("VLAN", h + 10, m + 10, 2, false);
		printf("\tUser-defined: 0x%llx mask: 0x%llx\n",
		       (unsigned long long)rd_be(h + 12, 8),
		       (unsigned long long)rd_be(m + 12, 8));
	}
	/* 6.1 prints this mask as the kernel has it, not inverted */
	if (fs->flow_type & FLOW_MAC_EXT)
		print_mac("Dest", h + 2, m + 2);
}

static void print_action(uint64_t cookie)
{
	unsigned long long vf = (cookie & ETHTOOL_RX_FLOW_SPEC_RING_VF) >>
				ETHTOOL_RX_FLOW_SPEC_RING_VF_OFF;
	unsigned long long q = cookie & ETHTOOL_RX_FLOW_SPEC_RING;

	if (cookie == RX_CLS_FLOW_DISC)
		printf("\tAction: Drop\n");
	else if (cookie == RX_CLS_FLOW_WAKE)
		printf("\tAction: Wake-on-LAN\n");
	else if (vf)
		printf("\tAction: Direct to VF %llu queue %llu\n", vf - 1, q);
	else
		printf("\tAction: Direct to queue %llu\n", q);
}

void et_rxclass_print(const struct ethtool_rx_flow_spec *in,
		      uint32_t rss_context)
{
	struct ethtool_rx_flow_spec fs = *in;
	uint8_t *h = (uint8_t *)&fs.h_u, *m = (uint8_t *)&fs.m_u;
	uint32_t type = fs.flow_type & ~(FLOW_EXT | FLOW_MAC_EXT | FLOW_RSS);
	const struct rx_flow *f = flow_find(NULL, type);
	size_t i;

	if (!f) {
		fprintf(stderr, "rxclass: Unknown flow type\n");
		return;
	}
	if (type == IPV4_USER_FLOW &&
	    fs.h_u.usr_ip4_spec.ip_ver != ETH_RX_NFC_IP4) {
		fprintf(stderr, "IPV4_USER_FLOW with wrong ip_ver\n");
		return;
	}
	printf("Filter: %d\n", (int)fs.location);
	for (i = 0; i < sizeof(fs.m_u); i++)
		m[i] ^= 0xff;
	if (f->group == G_ETH) {
		printf("\tFlow Type: Raw Ethernet\n");
		print_mac("Src", h + 6, m + 6);
		print_mac("Dest", h, m);
		printf("\tEthertype: 0x%X mask: 0x%X\n",
		       (unsigned int)rd_be(h + 12, 2),
		       (unsigned int)rd_be(m + 12, 2));
	} else {
		print_ip(f, h, m);
	}
	print_ext(&fs);
	if (fs.flow_type & FLOW_RSS)
		printf("\tRSS Context ID: %u\n", rss_context);
	print_action(fs.ring_cookie);
	putchar('\n');
}

int et_rxclass_ntuple(const struct ethtool_rx_flow_spec *fs,
		      struct ethtool_rx_ntuple_flow_spec *nt)
{
	const uint8_t *h = (const uint8_t *)&fs->h_ext;
	const uint8_t *m = (const uint8_t *)&fs->m_ext;
	const uint8_t *mu = (const uint8_t *)&fs->m_u;
	bool udef = fs->m_ext.data[0] || fs->m_ext.data[1];
	uint32_t type = fs->flow_type & ~FLOW_EXT;
	const struct rx_flow *f = flow_find(NULL, type);
	size_t i;

	if (fs->location != RX_CLS_LOC_ANY || (fs->flow_type & FLOW_MAC_EXT) ||
	    (fs->ring_cookie > INT_MAX && fs->ring_cookie < (uint64_t)-2) ||
	    ((fs->flow_type & FLOW_EXT) && udef && fs->m_ext.vlan_etype) ||
	    !f || !(f->group & (G_IP4 | G_ETH)))
		return -1;
	memset(nt, 0xff, sizeof(*nt));
	nt->flow_type = type;
	nt->action = (int32_t)fs->ring_cookie;
	memcpy(&nt->h_u, &fs->h_u, sizeof(fs->h_u));
	for (i = 0; i < sizeof(fs->m_u); i++)
		nt->m_u.hdata[i] = (uint8_t)~mu[i];
	if (!(fs->flow_type & FLOW_EXT))
		return 0;
	nt->vlan_tag = (uint16_t)rd_be(h + 10, 2);
	nt->vlan_tag_mask = (uint16_t)~rd_be(m + 10, 2);
	if (fs->m_ext.vlan_etype) {
		/* 6.1 widens the big-endian u16 with ntohl(), as is */
		nt->data = ntohl(fs->h_ext.vlan_etype);
		nt->data_mask = ~(uint64_t)ntohl(fs->m_ext.vlan_etype);
	} else {
		nt->data = rd_be(h + 12, 8);
		nt->data_mask = ~rd_be(m + 12, 8);
	}
	return 0;
}

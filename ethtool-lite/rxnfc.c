// SPDX-License-Identifier: MIT
/*
 * -n / --show-nfc and -N / --config-nfc: rx flow hash options (ETHTOOL_
 * GRXFH, SRXFH), rx rings and classification rules (GRXCLSRLCNT,
 * GRXCLSRLALL, GRXCLSRULE, SRXCLSRLINS, SRXCLSRLDEL, and the legacy
 * SRXNTUPLE first), over ioctl as ethtool 6.1's do_grxclass(),
 * do_srxclass() and rxclass.c's rule manager.  -n rx-flow-hash also
 * takes --json (beyond 6.1: JSON.md); the rule list does not.
 */
#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linux/ethtool.h>

#include "et.h"
#include "print.h"
#include "rxclass.h"

/*
 * Rule locations asked for at once.  The kernel allocates rule_cnt * 4
 * bytes itself and refuses more than KMALLOC_MAX_SIZE (4 MiB); a bigger
 * count can only be a lie, met as 6.1's calloc() failing.
 */
#define RXNFC_MAX_RULES (1u << 20)
/* RXH_DISCARD, which the uapi header spells as a signed 1 << 31 */
#define RXNFC_DISCARD (1u << 31)

static int nfc_ioctl(struct et_ctx *c, void *data)
{
	int err = ethtool_ioctl(c->devname, data);

	if (err < 0)
		c->stale_errno = -err; /* 6.1's errno for a later perror() */
	return err;
}

/* get_uint_range(): a number 6.1 reads, errno 0 after. */
static int arg_num(struct et_ctx *c, const char *s, unsigned long long max,
		   uint32_t *v)
{
	unsigned long long u;

	if (et_strtou(s, 0, max, &u) < 0)
		return -1;
	c->stale_errno = 0;
	*v = (uint32_t)u;
	return 0;
}

/* rx-flow-hash FLOW [OPTS] [context N]: @k words before "context". */
static int fh_args(struct et_ctx *c, int k, struct ethtool_rxnfc *n)
{
	uint32_t t;

	if (c->argc == k + 2) {
		if (strcmp(c->argv[k], "context") ||
		    arg_num(c, c->argv[k + 1], UINT32_MAX, &n->rss_context))
			return -1;
		n->flow_type = FLOW_RSS;
	} else if (c->argc != k) {
		return -1;
	}
	/* the rule words, but ip4/ip6 are none and AH, ESP are one */
	t = et_rxclass_flow(c->argv[1]);
	if (!t || t == IPV4_USER_FLOW || t == IPV6_USER_FLOW)
		return -1;
	if (t >= AH_V4_FLOW && t <= ESP_V6_FLOW)
		t = t < AH_V6_FLOW ? AH_ESP_V4_FLOW : AH_ESP_V6_FLOW;
	n->flow_type |= t;
	return 0;
}

static const char *const fh_bits[] = {
	NULL,
	"L2DA",
	"VLAN tag",
	"L3 proto",
	"IP SA",
	"IP DA",
	"L4 bytes 0 & 1 [TCP/UDP src port]",
	"L4 bytes 2 & 3 [TCP/UDP dst port]",
};
static const char fh_letters[] = "\0mvtsdfn";

static void fh_dump(uint32_t type, uint64_t val)
{
	static const char *const names[] = { "TCP", "UDP", "SCTP",
					     "IPSEC AH/ESP" };
	unsigned int b;

	if (type && type <= AH_ESP_V6_FLOW) /* TCP_V4_FLOW .. */
		printf("%s over IPV%c flows", names[(type - 1) % 4],
		       type <= AH_ESP_V4_FLOW ? '4' : '6');
	if (val & RXNFC_DISCARD) {
		printf(" - All matching flows discarded on RX\n");
		return;
	}
	printf(" use these fields for computing Hash flow key:\n");
	if (!val)
		printf("None");
	for (b = 1; b < 8; b++)
		if (val & 1u << b)
			printf("%s\n", fh_bits[b]);
	putchar('\n');
}

/* --json: the context asked for, "discard", else the fields' names. */
static void fh_json(const struct et_ctx *c, uint32_t type,
		    const struct ethtool_rxnfc *n)
{
	bool none = true;
	unsigned int b;

	et_json_open(c->devname);
	if (type & FLOW_RSS)
		et_json_u32("rss-context", n->rss_context);
	et_json_bool("discard", n->data & RXNFC_DISCARD);
	if (n->data & RXNFC_DISCARD) {
		et_json_close();
		return;
	}
	et_json_list_open("fields");
	for (b = 1; b < 8; b++)
		if (n->data & 1u << b) {
			et_json_list_item(none, fh_bits[b]);
			none = false;
		}
	et_json_list_close(none);
	et_json_close();
}

static int show_fh(struct et_ctx *c)
{
	struct ethtool_rxnfc n = { .cmd = ETHTOOL_GRXFH };
	uint32_t type;
	int err;

	if (fh_args(c, 2, &n) < 0)
		return et_bad_args();
	type = n.flow_type; /* 6.1 prints what it asked for */
	err = nfc_ioctl(c, &n);
	if (err < 0) {
		if (c->json)
			printf("[ ]\n");
		et_perror("Cannot get RX network flow hashing options", err);
		return 1;
	}
	if (c->json) {
		fh_json(c, type, &n);
		return 0;
	}
	if (type & FLOW_RSS)
		printf("For RSS context %u:\n", n.rss_context);
	fh_dump(type & ~FLOW_RSS, n.data);
	return 0;
}

static int set_fh(struct et_ctx *c)
{
	struct ethtool_rxnfc n = { .cmd = ETHTOOL_SRXFH };
	const char *p, *s;
	int err;

	if (fh_args(c, 3, &n) < 0)
		return et_bad_args();
	for (s = c->argv[2]; *s; s++) {
		p = memchr(fh_letters + 1, *s, 7);
		if (*s == 'r')
			n.data |= RXNFC_DISCARD;
		else if (p)
			n.data |= 1u << (p - fh_letters);
		else
			return et_bad_args();
	}
	err = nfc_ioctl(c, &n);
	if (err < 0) /* and 6.1 exits 0 */
		et_perror("Cannot change RX network flow hashing options", err);
	return 0;
}

static int rule_get(struct et_ctx *c, uint32_t loc)
{
	struct ethtool_rxnfc n = { .cmd = ETHTOOL_GRXCLSRULE };
	int err;

	n.fs.location = loc;
	err = nfc_ioctl(c, &n);
	if (err < 0) {
		et_perror("rxclass: Cannot get RX class rule", err);
		return err;
	}
	et_rxclass_print(&n.fs, n.rss_context);
	return 0;
}

/* GRXCLSRLCNT: the rule count and whether the driver picks locations. */
static int rule_count(struct et_ctx *c, uint32_t *count, bool *dsel)
{
	struct ethtool_rxnfc n = { .cmd = ETHTOOL_GRXCLSRLCNT };
	int err = nfc_ioctl(c, &n);

	*count = n.rule_cnt;
	*dsel = n.data & RX_CLS_LOC_SPECIAL;
	if (err < 0)
		et_perror("rxclass: Cannot get RX class rule count", err);
	return err;
}

/* GRXCLSRLALL for @count rules; 6.1's messages start with @who. */
static struct ethtool_rxnfc *rule_locs(struct et_ctx *c, uint32_t count,
				       const char *who)
{
	struct ethtool_rxnfc *n = NULL;
	char msg[64];
	int err;

	if (count <= RXNFC_MAX_RULES)
		n = calloc(1, sizeof(*n) + count * sizeof(uint32_t));
	if (!n) {
		snprintf(msg, sizeof(msg),
			 "%s: Cannot allocate memory for RX class rule "
			 "locations",
			 who);
		et_perror(msg, -ENOMEM);
		c->stale_errno = ENOMEM;
		return NULL;
	}
	n->cmd = ETHTOOL_GRXCLSRLALL;
	n->rule_cnt = count;
	err = nfc_ioctl(c, n);
	if (err < 0) {
		snprintf(msg, sizeof(msg), "%s: Cannot get RX class rules",
			 who);
		et_perror(msg, err);
		free(n);
		return NULL;
	}
	return n;
}

static int show_all(struct et_ctx *c)
{
	struct ethtool_rxnfc *n;
	uint32_t count, i;
	bool dsel;
	int err;

	err = rule_count(c, &count, &dsel);
	if (err < 0)
		return err;
	printf("Total %d rules\n\n", (int)count);
	n = rule_locs(c, count, "rxclass");
	if (!n)
		return -1;
	/* all @count: 6.1 ignores the rule_cnt the kernel answers */
	for (i = 0; i < count && err >= 0; i++)
		err = rule_get(c, n->rule_locs[i]);
	free(n);
	return err;
}

int et_io_grxnfc(struct et_ctx *c)
{
	struct ethtool_rxnfc n = { .cmd = ETHTOOL_GRXRINGS };
	uint32_t loc;
	int err;

	if (c->argc > 0 && !strcmp(c->argv[0], "rx-flow-hash"))
		return show_fh(c);
	if (c->json) /* rules: no --json (JSON.md) */
		return et_bad_args();
	if (c->argc == 2 && !strcmp(c->argv[0], "rule")) {
		if (arg_num(c, c->argv[1], INT_MAX, &loc) < 0)
			return et_bad_args();
		if (rule_get(c, loc) < 0) {
			fprintf(stderr, "Cannot get RX classification rule\n");
			return 1;
		}
		return 0;
	}
	if (c->argc)
		return et_bad_args();
	err = nfc_ioctl(c, &n);
	if (err < 0)
		et_perror("Cannot get RX rings", err);
	else
		printf("%d RX rings available\n", (int)n.data);
	if (show_all(c) < 0) {
		fprintf(stderr, "RX classification rule retrieval failed\n");
		return 1;
	}
	return 0;
}

static int u32_cmp(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return (x > y) - (x < y);
}

/*
 * rmgr_find_empty_slot(): the highest free location, but when the table
 * ends on a word of its bitmap (unsigned longs) and that word's first
 * location is taken, 6.1 skips the whole word.  UINT32_MAX: none.
 */
static uint32_t free_slot(uint32_t *locs, uint32_t n, uint32_t size)
{
	uint32_t bits = sizeof(long) * CHAR_BIT, loc = size - 1, j;

	qsort(locs, n, sizeof(*locs), u32_cmp);
	for (j = 0; size % bits == 0 && j < n; j++)
		if (locs[j] == size - bits)
			loc = size - bits - 1;
	for (j = n; loc < size; loc--) {
		while (j && locs[j - 1] > loc)
			j--;
		if (!j || locs[j - 1] != loc)
			return loc;
	}
	return UINT32_MAX;
}

/* rmgr_set_location(): a location for a rule given none; 0 or -1. */
static int rmgr(struct et_ctx *c, struct ethtool_rx_flow_spec *fs)
{
	struct ethtool_rxnfc *n;
	uint32_t count, size, i;
	int ret = -1;
	bool dsel;

	if (rule_count(c, &count, &dsel) < 0)
		return -1;
	if (dsel)
		return 0;
	n = rule_locs(c, count, "rmgr");
	if (!n)
		return -1;
	size = (uint32_t)n->data;
	if (size == 0 || size < count) {
		et_perror("rmgr: Invalid RX class rules table size",
			  -c->stale_errno);
		goto out;
	}
	for (i = 0; i < count; i++)
		if (n->rule_locs[i] >= size) {
			fprintf(stderr, "rmgr: Location out of range\n");
			goto out;
		}
	fs->location = free_slot(n->rule_locs, count, size);
	if (fs->location < size)
		ret = 0;
	else
		fprintf(stderr, "rmgr: Cannot find appropriate slot to "
				"insert rule\n");
out:
	free(n);
	return ret;
}

/* do_srxntuple(): 0 if the rule went in through ETHTOOL_SRXNTUPLE. */
static int ntuple(struct et_ctx *c, const struct ethtool_rx_flow_spec *fs)
{
	struct ethtool_value v = { .cmd = ETHTOOL_GFLAGS };
	struct ethtool_rx_ntuple nt = { .cmd = ETHTOOL_SRXNTUPLE };
	int err;

	if (et_rxclass_ntuple(fs, &nt.fs) < 0 || nfc_ioctl(c, &v) < 0 ||
	    !(v.data & ETH_FLAG_NTUPLE))
		return -1;
	err = nfc_ioctl(c, &nt);
	if (err < 0 && err != -EOPNOTSUPP)
		et_perror("Cannot add new rule via N-tuple", err);
	return err < 0 ? -1 : 0;
}

static int set_rule(struct et_ctx *c)
{
	struct ethtool_rxnfc n = { .cmd = ETHTOOL_SRXCLSRLINS };
	uint32_t rss = 0, loc;
	int err;

	err = et_rxclass_parse(c->argv + 1, c->argc - 1, &n.fs, &rss);
	if (err < 0)
		return et_bad_args();
	if (err > 0)
		c->stale_errno = 0;
	if (ntuple(c, &n.fs) == 0)
		return 0;
	loc = n.fs.location;
	if ((loc & RX_CLS_LOC_SPECIAL) && rmgr(c, &n.fs) < 0) {
		fprintf(stderr, "Cannot insert classification rule\n");
		return 1;
	}
	n.rss_context = rss;
	err = nfc_ioctl(c, &n);
	if (err < 0) /* and 6.1 exits 0 */
		et_perror("rmgr: Cannot insert RX class rule", err);
	else if (loc & RX_CLS_LOC_SPECIAL)
		printf("Added rule with ID %d\n", (int)n.fs.location);
	return 0;
}

int et_io_srxnfc(struct et_ctx *c)
{
	struct ethtool_rxnfc n = { .cmd = ETHTOOL_SRXCLSRLDEL };
	int err;

	if (c->argc < 2)
		return et_bad_args();
	if (!strcmp(c->argv[0], "rx-flow-hash"))
		return set_fh(c);
	if (!strcmp(c->argv[0], "flow-type"))
		return set_rule(c);
	if (strcmp(c->argv[0], "delete") ||
	    arg_num(c, c->argv[1], INT_MAX, &n.fs.location) < 0)
		return et_bad_args();
	err = nfc_ioctl(c, &n);
	if (err < 0) {
		et_perror("rmgr: Cannot delete RX class rule", err);
		fprintf(stderr, "Cannot delete classification rule\n");
		return 1;
	}
	return 0;
}

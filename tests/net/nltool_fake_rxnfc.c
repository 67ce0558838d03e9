// SPDX-License-Identifier: MIT
/*
 * nltool util rxnfc-exec: a device with rx flow hash options and
 * classification rules, which no device this kernel makes has
 * (tests/net/test_ethtool_rxnfc.py).  The program's ioctl()s come here
 * (nltool_seccomp.c); for device $EMBNET_FAKE_DEV it answers GRXRINGS,
 * GRXFH, SRXFH, GRXCLSRLCNT, GRXCLSRLALL, GRXCLSRULE, SRXCLSRLINS,
 * SRXCLSRLDEL, and with an "ntuple" line GFLAGS and SRXNTUPLE, from the
 * file $EMBNET_FAKE_RXNFC, and writes the file back after each set, so
 * that two programs' requests can be compared there.  Every other call
 * goes to the kernel.  The file's lines (numbers as strtoul base 0):
 *
 *   rings N                 GRXRINGS (no line: the kernel's answer)
 *   size N                  the rule table's size
 *   special 1               the driver picks locations (RX_CLS_LOC_*)
 *   count N                 GRXCLSRLCNT's rule_cnt (default: the rules)
 *   ntuple 1                GFLAGS has ETH_FLAG_NTUPLE; SRXNTUPLE works
 *   refuse CMD ERRNO        answer ETHTOOL_* CMD with -ERRNO
 *   hash TYPE CTX DATA      GRXFH of flow TYPE (RSS context CTX)
 *   rule CTX HEX            a rule: struct ethtool_rx_flow_spec, in hex
 *   sent HEX                the last SRXNTUPLE's flow spec (written)
 */
#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <net/if.h>
#include <sys/syscall.h>

#include <linux/ethtool.h>
#include <linux/seccomp.h>
#include <linux/sockios.h>

#include "nltool.h"

#define FR_RULES 64
#define FR_HASH 32
#define FR_REFUSE 8

struct fr_rule {
	uint32_t ctx;
	struct ethtool_rx_flow_spec fs;
};

struct fr {
	const char *dev, *path;
	long rings, count; /* -1: no line */
	uint32_t size, special, ntuple;
	unsigned int n_rules, n_hash, n_refuse;
	struct fr_rule rule[FR_RULES];
	uint32_t hash[FR_HASH][3];
	uint32_t refuse[FR_REFUSE][2];
	bool has_sent;
	struct ethtool_rx_ntuple_flow_spec sent;
};

static void unhex(const char *s, void *out, size_t max)
{
	uint8_t *o = out;
	unsigned int b;
	size_t n = 0;

	while (n < max && sscanf(s, "%2x", &b) == 1) {
		o[n++] = (uint8_t)b;
		s += 2;
	}
}

static void hex(FILE *f, const void *p, size_t len)
{
	const uint8_t *b = p;

	while (len--)
		fprintf(f, "%02x", *b++);
	fputc('\n', f);
}

static void fr_line(struct fr *f, const char *key, const char *v)
{
	static char buf[1024];
	long a, b, c;

	if (!strcmp(key, "rings"))
		f->rings = (long)strtoul(v, NULL, 0);
	else if (!strcmp(key, "size"))
		f->size = (uint32_t)strtoul(v, NULL, 0);
	else if (!strcmp(key, "special"))
		f->special = (uint32_t)strtoul(v, NULL, 0);
	else if (!strcmp(key, "count"))
		f->count = (long)strtoul(v, NULL, 0);
	else if (!strcmp(key, "ntuple"))
		f->ntuple = (uint32_t)strtoul(v, NULL, 0);
	else if (!strcmp(key, "refuse") && f->n_refuse < FR_REFUSE &&
		 sscanf(v, "%li %li", &a, &b) == 2) {
		f->refuse[f->n_refuse][0] = (uint32_t)a;
		f->refuse[f->n_refuse++][1] = (uint32_t)b;
	} else if (!strcmp(key, "hash") && f->n_hash < FR_HASH &&
		   sscanf(v, "%li %li %li", &a, &b, &c) == 3) {
		f->hash[f->n_hash][0] = (uint32_t)a;
		f->hash[f->n_hash][1] = (uint32_t)b;
		f->hash[f->n_hash++][2] = (uint32_t)c;
	} else if (!strcmp(key, "rule") && f->n_rules < FR_RULES &&
		   sscanf(v, "%li %1023s", &a, buf) == 2) {
		f->rule[f->n_rules].ctx = (uint32_t)a;
		unhex(buf, &f->rule[f->n_rules++].fs,
		      sizeof(struct ethtool_rx_flow_spec));
	} else if (!strcmp(key, "sent") && sscanf(v, "%1023s", buf) == 1) {
		f->has_sent = true;
		unhex(buf, &f->sent, sizeof(f->sent));
	}
}

static int fr_load(struct fr *f)
{
	char line[1100], key[16];
	FILE *in = fopen(f->path, "r");
	int n;

	if (!in)
		return -errno;
	while (fgets(line, sizeof(line), in))
		if (sscanf(line, "%15s %n", key, &n) == 1)
			fr_line(f, key, line + n);
	fclose(in);
	return 0;
}

static void fr_save(const struct fr *f)
{
	FILE *out = fopen(f->path, "w");
	unsigned int i;

	if (!out)
		return;
	if (f->rings >= 0)
		fprintf(out, "rings %ld\n", f->rings);
	fprintf(out, "size %u\nspecial %u\nntuple %u\n", f->size, f->special,
		f->ntuple);
	if (f->count >= 0)
		fprintf(out, "count %ld\n", f->count);
	for (i = 0; i < f->n_refuse; i++)
		fprintf(out, "refuse %u %u\n", f->refuse[i][0],
			f->refuse[i][1]);
	for (i = 0; i < f->n_hash; i++)
		fprintf(out, "hash %u %u %u\n", f->hash[i][0], f->hash[i][1],
			f->hash[i][2]);
	for (i = 0; i < f->n_rules; i++) {
		fprintf(out, "rule %u ", f->rule[i].ctx);
		hex(out, &f->rule[i].fs, sizeof(f->rule[i].fs));
	}
	if (f->has_sent) {
		fprintf(out, "sent ");
		hex(out, &f->sent, sizeof(f->sent));
	}
	fclose(out);
}

/* The call being answered and its struct (ifr_data). */
struct fr_call {
	int listener;
	const struct seccomp_notif *req;
	uint64_t at;
};

static int peek(const struct fr_call *c, uint64_t at, void *buf, size_t len)
{
	return nltool_seccomp_peek(c->listener, c->req, at, buf, len);
}

static int poke(const struct fr_call *c, uint64_t at, const void *buf,
		size_t len)
{
	return nltool_seccomp_poke(c->req, at, buf, len);
}

static struct fr_rule *rule_at(struct fr *f, uint32_t loc)
{
	unsigned int i;

	for (i = 0; i < f->n_rules; i++)
		if (f->rule[i].fs.location == loc)
			return &f->rule[i];
	return NULL;
}

static uint32_t *hash_of(struct fr *f, uint32_t type, uint32_t ctx)
{
	unsigned int i;

	for (i = 0; i < f->n_hash; i++)
		if (f->hash[i][0] == type && f->hash[i][1] == ctx)
			return &f->hash[i][2];
	if (f->n_hash == FR_HASH)
		return NULL;
	f->hash[f->n_hash][0] = type;
	f->hash[f->n_hash][1] = ctx;
	return &f->hash[f->n_hash++][2];
}

/* The location a driver that picks them gives RX_CLS_LOC_ANY/FIRST/LAST. */
static int pick(struct fr *f, uint32_t *loc)
{
	uint32_t i, n = f->size;

	if (*loc != RX_CLS_LOC_ANY && *loc != RX_CLS_LOC_FIRST &&
	    *loc != RX_CLS_LOC_LAST)
		return -EINVAL;
	for (i = 0; i < n; i++) {
		uint32_t l = *loc == RX_CLS_LOC_LAST ? n - 1 - i : i;

		if (!rule_at(f, l)) {
			*loc = l;
			return 0;
		}
	}
	return -ENOSPC;
}

static int io_ins(struct fr *f, const struct fr_call *c,
		  struct ethtool_rxnfc *n)
{
	struct fr_rule *r;
	int err = 0;

	if ((n->fs.location & RX_CLS_LOC_SPECIAL) && f->special)
		err = pick(f, &n->fs.location);
	if (err < 0 || n->fs.location >= f->size)
		return err < 0 ? err : -EINVAL;
	r = rule_at(f, n->fs.location);
	if (!r && f->n_rules == FR_RULES)
		return -ENOSPC;
	if (!r)
		r = &f->rule[f->n_rules++];
	r->fs = n->fs;
	r->ctx = n->fs.flow_type & FLOW_RSS ? n->rss_context : 0;
	return poke(c, c->at, n, sizeof(*n));
}

static int io_del(struct fr *f, uint32_t loc)
{
	struct fr_rule *r = rule_at(f, loc);

	if (!r)
		return -ENOENT;
	*r = f->rule[--f->n_rules];
	return 0;
}

static int io_all(struct fr *f, const struct fr_call *c,
		  struct ethtool_rxnfc *n)
{
	uint32_t i, want = n->rule_cnt;

	if (want < f->n_rules)
		return -EMSGSIZE;
	n->data = f->size;
	n->rule_cnt = f->n_rules;
	if (poke(c, c->at, n, sizeof(*n)) < 0)
		return -EFAULT;
	for (i = 0; i < f->n_rules; i++)
		if (poke(c, c->at + sizeof(*n) + 4 * i, &f->rule[i].fs.location,
			 4) < 0)
			return -EFAULT;
	return 0;
}

static int io_get(struct fr *f, const struct fr_call *c,
		  struct ethtool_rxnfc *n)
{
	struct fr_rule *r = rule_at(f, n->fs.location);

	if (!r)
		return -ENOENT;
	n->fs = r->fs;
	n->rss_context = r->ctx;
	return poke(c, c->at, n, sizeof(*n));
}

/* 0 or -errno: answered, state changed if @set; 1: the kernel's. */
static int io_rxnfc(struct fr *f, const struct fr_call *c, uint32_t cmd,
		    bool *set)
{
	struct ethtool_rxnfc n;
	uint32_t *h, ctx;

	if (peek(c, c->at, &n, sizeof(n)) < 0)
		return -EFAULT;
	ctx = n.flow_type & FLOW_RSS ? n.rss_context : 0;
	switch (cmd) {
	case ETHTOOL_GRXRINGS:
		if (f->rings < 0)
			return 1;
		n.data = (uint64_t)f->rings;
		return poke(c, c->at, &n, sizeof(n));
	case ETHTOOL_GRXFH:
		h = hash_of(f, n.flow_type & ~FLOW_RSS, ctx);
		if (!h || !*h) /* unset: a flow type the driver lacks */
			return -EINVAL;
		n.data = *h;
		return poke(c, c->at, &n, sizeof(n));
	case ETHTOOL_SRXFH:
		h = hash_of(f, n.flow_type & ~FLOW_RSS, ctx);
		if (!h)
			return -ENOSPC;
		*h = (uint32_t)n.data;
		*set = true;
		return 0;
	case ETHTOOL_GRXCLSRLCNT:
		n.rule_cnt = f->count >= 0 ? (uint32_t)f->count : f->n_rules;
		n.data = f->size | (f->special ? RX_CLS_LOC_SPECIAL : 0);
		return poke(c, c->at, &n, sizeof(n));
	case ETHTOOL_GRXCLSRLALL:
		return io_all(f, c, &n);
	case ETHTOOL_GRXCLSRULE:
		return io_get(f, c, &n);
	case ETHTOOL_SRXCLSRLINS:
		*set = true;
		return io_ins(f, c, &n);
	default: /* ETHTOOL_SRXCLSRLDEL */
		*set = true;
		return io_del(f, n.fs.location);
	}
}

static int io_dispatch(struct fr *f, const struct fr_call *c, uint32_t cmd,
		       bool *set)
{
	struct ethtool_value v = { .cmd = cmd, .data = ETH_FLAG_NTUPLE };
	struct ethtool_rx_ntuple nt;
	unsigned int i;

	for (i = 0; i < f->n_refuse; i++)
		if (f->refuse[i][0] == cmd)
			return -(int)f->refuse[i][1];
	switch (cmd) {
	case ETHTOOL_GFLAGS:
		return f->ntuple ? poke(c, c->at, &v, sizeof(v)) : 1;
	case ETHTOOL_SRXNTUPLE:
		if (!f->ntuple || peek(c, c->at, &nt, sizeof(nt)) < 0)
			return 1;
		f->sent = nt.fs;
		f->has_sent = *set = true;
		return 0;
	case ETHTOOL_GRXRINGS:
	case ETHTOOL_GRXFH:
	case ETHTOOL_SRXFH:
	case ETHTOOL_GRXCLSRLCNT:
	case ETHTOOL_GRXCLSRLALL:
	case ETHTOOL_GRXCLSRULE:
	case ETHTOOL_SRXCLSRLINS:
	case ETHTOOL_SRXCLSRLDEL:
		return io_rxnfc(f, c, cmd, set);
	default:
		return 1;
	}
}

static void fr_notify(int listener, const struct seccomp_notif *req,
		      struct seccomp_notif_resp *resp, void *data)
{
	struct fr_call c = { .listener = listener, .req = req };
	struct fr *f = data;
	bool set = false;
	uint32_t cmd;
	int ret;

	if (nltool_seccomp_ethtool(listener, req, f->dev, &c.at, &cmd))
		return;
	ret = io_dispatch(f, &c, cmd, &set);
	if (ret > 0)
		return;
	if (ret == 0 && set)
		fr_save(f);
	nltool_seccomp_return(resp, ret);
}

int nltool_fake_rxnfc_exec(char **argv)
{
	static const int nrs[] = { __NR_ioctl };
	static struct fr f = { .rings = -1, .count = -1 };
	int err;

	f.dev = getenv("EMBNET_FAKE_DEV");
	f.path = getenv("EMBNET_FAKE_RXNFC");
	if (!f.dev || !f.path) {
		fprintf(stderr, "nltool: util rxnfc-exec: needs "
				"EMBNET_FAKE_DEV and EMBNET_FAKE_RXNFC\n");
		return 2;
	}
	err = fr_load(&f);
	if (err < 0)
		return nltool_fail(NULL, err, f.path);
	return nltool_seccomp_supervise(argv, nrs, 1, fr_notify, &f);
}

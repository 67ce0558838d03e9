// SPDX-License-Identifier: MIT
/*
 * nltool util fake-exec: a device with ethtool pause and ring parameters,
 * which no device this kernel makes has (tests/net/test_ethtool_cli.py),
 * and the bitset messages of nltool_fake_bits.c (test_ethtool_more.py).
 * The program's sendto() and recvmsg() come here (nltool_seccomp.c): a
 * PAUSE_GET/SET or RINGS_GET/SET request for device $EMBNET_FAKE_DEV is
 * answered in the kernel's format from the file $EMBNET_FAKE_STATE; every
 * other call goes to the kernel.
 *
 * The file has lines "GETCMD TYPE WIDTH VALUE": the attributes a GET of
 * GETCMD answers, in order (WIDTH 1: u8, 4: u32, 0: a bitset of bits 0-31,
 * 2: that bitset's mask; 8 and 9: statistics, sent only when asked for,
 * see nltool_fake.h).  A SET (GETCMD + 1)
 * stores its attributes; one the file lacks gives EOPNOTSUPP, a ring size
 * over its maximum EINVAL, as the kernel does.
 *
 * Its ioctl() on $EMBNET_FAKE_DEV comes here too (for programs run without
 * generic netlink, test_ethtool_ioctl_fake.py).  Lines "IOCTL WORD 4 VALUE"
 * hold word WORD (0 is the command) of ETHTOOL_GPFLAGS', GEEE's or
 * GFECPARAM's struct; with one line of such a GET, the GET and its SET are
 * answered, the SET storing the words a driver takes (ETHTOOL_SFECPARAM
 * refused as net/ethtool/ioctl.c does, SPFLAGS of a flag past the
 * driver's with EINVAL).  "55 2 4 N" (ETHTOOL_GSSET_INFO, ETH_SS_PRIV_FLAGS)
 * gives GSSET_INFO and GSTRINGS N private flags, named by fake_priv_name();
 * with "55 0 4 E" GSSET_INFO fails with errno E, and GDRVINFO gives the N.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <net/if.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/uio.h>

#include <linux/ethtool.h>
#include <linux/ethtool_netlink.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>
#include <linux/seccomp.h>
#include <libmnl/libmnl.h>

#include "embnet/genl.h"
#include "embnet/nl.h"
#include "nltool.h"
#include "nltool_fake.h"

#define FAKE_MAX_ENT 32
#define FAKE_BUF_LEN 16384 /* > any message it answers, either way */
/* The header attribute, the same number in every ethtool message. */
#define FAKE_A_HEADER ETHTOOL_A_PAUSE_HEADER
_Static_assert((int)ETHTOOL_A_RINGS_HEADER == (int)FAKE_A_HEADER,
	       "one header attribute");

struct fake_ent {
	unsigned int cmd, type, width;
	uint32_t val;
	uint64_t val64; /* FAKE_W_STAT's and FAKE_W_STAT32's */
};

struct fake {
	const char *dev, *path;
	uint16_t family; /* ethtool's generic netlink id */
	struct fake_ent st[FAKE_MAX_ENT];
	unsigned int n_st;
	uint32_t req[FAKE_BUF_LEN / 4]; /* u32: aligned for nlmsghdr */
	uint32_t reply[FAKE_BUF_LEN / 4];
	size_t reply_len; /* 0: nothing for recvmsg() */
	int reply_fd;
	uint32_t reply_pid;
};

static void fake_load(struct fake *fk)
{
	FILE *f = fopen(fk->path, "r");
	struct fake_ent *e;

	fk->n_st = 0;
	while (f && fk->n_st < FAKE_MAX_ENT) {
		e = &fk->st[fk->n_st];
		if (fscanf(f, "%u %u %u %" SCNu64, &e->cmd, &e->type, &e->width,
			   &e->val64) != 4)
			break;
		e->val = (uint32_t)e->val64;
		fk->n_st++;
	}
	if (f)
		fclose(f);
}

static void fake_save(const struct fake *fk)
{
	FILE *f = fopen(fk->path, "w");
	unsigned int i;

	for (i = 0; f && i < fk->n_st; i++)
		fprintf(f, "%u %u %u %" PRIu64 "\n", fk->st[i].cmd,
			fk->st[i].type, fk->st[i].width,
			fk->st[i].width >= FAKE_W_STAT ? fk->st[i].val64
						       : fk->st[i].val);
	if (f)
		fclose(f);
}

static struct fake_ent *fake_find(struct fake *fk, unsigned int cmd,
				  unsigned int type)
{
	unsigned int i;

	for (i = 0; i < fk->n_st; i++)
		if (fk->st[i].cmd == cmd && fk->st[i].type == type)
			return &fk->st[i];
	return NULL;
}

/* The device a request header names, by name or else by index. */
static int header_dev(const struct nlattr *hdr, char *name)
{
	const struct nlattr *a;
	uint32_t idx = 0;

	name[0] = '\0';
	mnl_attr_for_each_nested(a, hdr) {
		if (mnl_attr_get_type(a) == ETHTOOL_A_HEADER_DEV_NAME &&
		    nl_attr_strcpy(a, name, IF_NAMESIZE) < 0)
			return -EINVAL;
		if (mnl_attr_get_type(a) == ETHTOOL_A_HEADER_DEV_INDEX &&
		    mnl_attr_validate(a, MNL_TYPE_U32) == 0)
			idx = mnl_attr_get_u32(a);
	}
	if (!name[0] && idx && !if_indextoname(idx, name))
		return -ENODEV;
	return 0;
}

static bool is_fake_cmd(uint8_t cmd)
{
	unsigned int get;

	return cmd == ETHTOOL_MSG_PAUSE_GET || cmd == ETHTOOL_MSG_PAUSE_SET ||
	       cmd == ETHTOOL_MSG_RINGS_GET || cmd == ETHTOOL_MSG_RINGS_SET ||
	       fake_bits_cmd(cmd, &get);
}

/* The mask line (FAKE_W_MASK) of bitset @type of @get, or NULL. */
static const struct fake_ent *fake_mask(const struct fake *fk, unsigned int get,
					unsigned int type)
{
	unsigned int i;

	for (i = 0; i < fk->n_st; i++)
		if (fk->st[i].cmd == get && fk->st[i].type == type &&
		    fk->st[i].width == FAKE_W_MASK)
			return &fk->st[i];
	return NULL;
}

/* True if @nlh (@len bytes) is a PAUSE or RINGS request for the device;
 * its command in *@cmd, the device's name in @name. */
static bool fake_target(const struct fake *fk, const struct nlmsghdr *nlh,
			size_t len, uint8_t *cmd, char *name)
{
	const struct genlmsghdr *g;
	const struct nlattr *a;

	if (!mnl_nlmsg_ok(nlh, (int)len) || nlh->nlmsg_type != fk->family ||
	    (nlh->nlmsg_flags & NLM_F_DUMP) ||
	    mnl_nlmsg_get_payload_len(nlh) < GENL_HDRLEN)
		return false;
	g = mnl_nlmsg_get_payload(nlh);
	*cmd = g->cmd;
	if (!is_fake_cmd(g->cmd))
		return false;
	mnl_attr_for_each(a, nlh, GENL_HDRLEN) {
		if (mnl_attr_get_type(a) == FAKE_A_HEADER)
			return header_dev(a, name) == 0 &&
			       strcmp(name, fk->dev) == 0;
	}
	return false;
}

/* Appends the kernel's ack of @req (capped: the header alone). */
static void put_error(struct fake *fk, const struct nlmsghdr *req, int err)
{
	struct nlmsghdr *h =
		mnl_nlmsg_put_header((char *)fk->reply + fk->reply_len);
	struct nlmsgerr e = { .error = err, .msg = *req };

	h->nlmsg_type = NLMSG_ERROR;
	h->nlmsg_flags = NLM_F_CAPPED;
	h->nlmsg_seq = req->nlmsg_seq;
	memcpy(mnl_nlmsg_put_extra_header(h, sizeof(e)), &e, sizeof(e));
	fk->reply_len += h->nlmsg_len;
}

/* A bitset line, with its mask line if there is one. */
static void put_bits(const struct fake *fk, struct nlmsghdr *h,
		     const struct fake_ent *e)
{
	const struct fake_ent *m = fake_mask(fk, e->cmd, e->type);

	fake_bits_put(h, sizeof(fk->reply), e->cmd, e->type, e->val, m != NULL,
		      m ? m->val : 0);
}

/* The request's ETHTOOL_A_HEADER_FLAGS. */
static uint32_t header_flags(const struct nlmsghdr *nlh)
{
	const struct nlattr *a, *b;

	mnl_attr_for_each(a, nlh, GENL_HDRLEN) {
		if (mnl_attr_get_type(a) != FAKE_A_HEADER)
			continue;
		mnl_attr_for_each_nested(b, a)
			if (mnl_attr_get_type(b) == ETHTOOL_A_HEADER_FLAGS &&
			    mnl_attr_validate(b, MNL_TYPE_U32) == 0)
				return mnl_attr_get_u32(b);
	}
	return 0;
}

static bool is_stat(const struct fake_ent *e)
{
	return e->width == FAKE_W_STAT || e->width == FAKE_W_STAT32;
}

/* The statistics nest (lines of FAKE_W_STAT, see nltool_fake.h): each run
 * of lines of one TYPE an array of STAT, a u64 per line (or a u32 with
 * FAKE_W_STAT32, a length the kernel never sends). */
static void put_stats(const struct fake *fk, struct nlmsghdr *h,
		      unsigned int get)
{
	const struct fake_ent *e;
	struct nlattr *nest = NULL;
	uint8_t v[FAKE_MAX_ENT * 8];
	unsigned int i, j;
	size_t n;

	for (i = 0; i < fk->n_st; i = j) {
		e = &fk->st[i];
		j = i + 1;
		if (e->cmd != get || !is_stat(e))
			continue;
		if (!nest)
			nest = mnl_attr_nest_start(h, e->type / 100);
		memcpy(v, &e->val64, 8);
		n = e->width == FAKE_W_STAT ? 8 : 4;
		for (; j < fk->n_st && fk->st[j].cmd == get &&
		       fk->st[j].type == e->type && is_stat(&fk->st[j]);
		     j++) {
			memcpy(v + n, &fk->st[j].val64,
			       fk->st[j].width == FAKE_W_STAT ? 8 : 4);
			n += fk->st[j].width == FAKE_W_STAT ? 8 : 4;
		}
		mnl_attr_put(h, e->type % 100, n, v);
	}
	if (nest)
		mnl_attr_nest_end(h, nest);
}

/* The GET reply: header nest, then the file's attributes of @get (and
 * the statistics if the request's header asked for them).  At most
 * FAKE_MAX_ENT of 8 bytes each, or bitsets of up to 32 named bits: well
 * within the buffer. */
static void put_reply(struct fake *fk, const struct nlmsghdr *req,
		      unsigned int get, const char *name)
{
	bool stats = header_flags(req) & ETHTOOL_FLAG_STATS;
	struct nlmsghdr *h = mnl_nlmsg_put_header(fk->reply);
	struct genlmsghdr *g;
	struct nlattr *nest;
	unsigned int i;

	h->nlmsg_type = req->nlmsg_type;
	h->nlmsg_seq = req->nlmsg_seq;
	g = mnl_nlmsg_put_extra_header(h, sizeof(*g));
	g->cmd = fake_reply_cmd(get);
	g->version = 1;
	nest = mnl_attr_nest_start(h, FAKE_A_HEADER);
	mnl_attr_put_u32(h, ETHTOOL_A_HEADER_DEV_INDEX, if_nametoindex(name));
	mnl_attr_put_strz(h, ETHTOOL_A_HEADER_DEV_NAME, name);
	mnl_attr_nest_end(h, nest);
	for (i = 0; i < fk->n_st; i++) {
		if (fk->st[i].cmd != get || fk->st[i].width == FAKE_W_MASK ||
		    is_stat(&fk->st[i]))
			continue;
		if (fk->st[i].width == FAKE_W_BITS)
			put_bits(fk, h, &fk->st[i]);
		else if (fk->st[i].width == 1)
			mnl_attr_put_u8(h, fk->st[i].type,
					(uint8_t)fk->st[i].val);
		else
			mnl_attr_put_u32(h, fk->st[i].type, fk->st[i].val);
	}
	if (stats)
		put_stats(fk, h, get);
	fk->reply_len = h->nlmsg_len;
	if (req->nlmsg_flags & NLM_F_ACK)
		put_error(fk, req, 0);
}

/* Stores the SET's attributes; 0 or the kernel's -errno for it. */
static int fake_set(struct fake *fk, const struct nlmsghdr *nlh,
		    unsigned int get)
{
	const struct fake_ent *v, *m;
	const struct nlattr *a;
	struct fake_ent *e;
	unsigned int t;

	mnl_attr_for_each(a, nlh, GENL_HDRLEN) {
		t = mnl_attr_get_type(a);
		if (t == FAKE_A_HEADER)
			continue;
		e = fake_find(fk, get, t);
		if (!e)
			return -EOPNOTSUPP;
		if (e->width == FAKE_W_BITS) {
			m = fake_mask(fk, get, t);
			if (fake_bits_update(a, get, t, &e->val, m != NULL,
					     m ? m->val : 0) < 0)
				return -EINVAL;
			continue;
		}
		if (mnl_attr_get_payload_len(a) < e->width)
			return -EINVAL;
		e->val = e->width == 1 ? mnl_attr_get_u8(a)
				       : mnl_attr_get_u32(a);
	}
	/* Each ring size is 4 attributes after its maximum. */
	for (t = ETHTOOL_A_RINGS_RX;
	     get == ETHTOOL_MSG_RINGS_GET && t <= ETHTOOL_A_RINGS_TX; t++) {
		v = fake_find(fk, get, t);
		m = fake_find(fk, get, t - 4);
		if (v && m && v->val > m->val)
			return -EINVAL;
	}
	return 0;
}

/* Answers the request in fk->req if it is the fake's; true then. */
static bool fake_answer(struct fake *fk, size_t len)
{
	const struct nlmsghdr *nlh = (const void *)fk->req;
	char name[IF_NAMESIZE];
	unsigned int get;
	uint8_t cmd;
	int err;

	if (!fake_target(fk, nlh, len, &cmd, name))
		return false;
	get = cmd;
	if (cmd == ETHTOOL_MSG_PAUSE_SET || cmd == ETHTOOL_MSG_RINGS_SET)
		get = cmd - 1u; /* each SET follows its GET */
	else
		fake_bits_cmd(cmd, &get);
	fake_load(fk);
	fk->reply_len = 0;
	if (cmd == get) {
		put_reply(fk, nlh, get, name);
		return true;
	}
	err = fake_set(fk, nlh, get);
	if (!err)
		fake_save(fk);
	if (err || (nlh->nlmsg_flags & NLM_F_ACK))
		put_error(fk, nlh, err);
	return true;
}

static void fake_sendto(struct fake *fk, int listener,
			const struct seccomp_notif *req,
			struct seccomp_notif_resp *resp)
{
	size_t len = (size_t)req->data.args[2];

	if (len > sizeof(fk->req) ||
	    nltool_seccomp_peek(listener, req, req->data.args[1], fk->req,
				len) < 0 ||
	    !fake_answer(fk, len))
		return; /* the kernel's */
	fk->reply_fd = (int)req->data.args[0];
	fk->reply_pid = req->pid;
	resp->flags = 0;
	resp->val = (int64_t)len;
}

static void fake_recvmsg(struct fake *fk, int listener,
			 const struct seccomp_notif *req,
			 struct seccomp_notif_resp *resp)
{
	unsigned int flags = (unsigned int)req->data.args[2];
	int64_t ret;

	if (!fk->reply_len || (int)req->data.args[0] != fk->reply_fd ||
	    req->pid != fk->reply_pid)
		return; /* the kernel's */
	ret = nltool_seccomp_recvmsg(listener, req, fk->reply, fk->reply_len);
	resp->flags = 0;
	if (ret < 0)
		resp->error = (int32_t)ret;
	else
		resp->val = ret;
	if (ret >= 0 && !(flags & MSG_PEEK))
		fk->reply_len = 0;
}

/* ---- ioctl: SIOCETHTOOL ---------------------------------------------- */

#define IO_MAX_FLAGS 64

/* Each GET and SET pair, its struct's u32 words, and those its SET stores
 * (as a driver takes them; the others it ignores). */
static const struct {
	uint32_t get, set, words, stored;
} io_cmds[] = {
	{ ETHTOOL_GPFLAGS, ETHTOOL_SPFLAGS, 2, 1u << 1 },
	/* advertised, eee_enabled, tx_lpi_enabled, tx_lpi_timer */
	{ ETHTOOL_GEEE, ETHTOOL_SEEE, 10, 0xe4 },
	{ ETHTOOL_GFECPARAM, ETHTOOL_SFECPARAM, 4, 1u << 2 },
};
#define N_IO (sizeof(io_cmds) / sizeof(io_cmds[0]))

static bool io_has(const struct fake *fk, uint32_t get)
{
	unsigned int i;

	for (i = 0; i < fk->n_st; i++)
		if (fk->st[i].cmd == get)
			return true;
	return false;
}

/* The number of private flags, or -1 without a GSSET_INFO line. */
static int64_t io_n_flags(struct fake *fk)
{
	const struct fake_ent *e =
		fake_find(fk, ETHTOOL_GSSET_INFO, ETH_SS_PRIV_FLAGS);

	if (!e)
		return -1;
	return e->val > IO_MAX_FLAGS ? IO_MAX_FLAGS : e->val;
}

/* GDRVINFO where GSSET_INFO fails: the number of private flags (6.1's
 * fallback), nothing else; the kernel's otherwise. */
static int io_drvinfo(struct fake *fk, const struct seccomp_notif *req,
		      uint64_t at, uint32_t n)
{
	struct ethtool_drvinfo d = { .cmd = ETHTOOL_GDRVINFO };

	if (!fake_find(fk, ETHTOOL_GSSET_INFO, 0))
		return 1;
	d.n_priv_flags = n;
	return nltool_seccomp_poke(req, at, &d, sizeof(d)) < 0 ? -EFAULT : 0;
}

/* GSSET_INFO and GSTRINGS of ETH_SS_PRIV_FLAGS (and GDRVINFO, above);
 * 1: not those. */
static int io_strings(struct fake *fk, int listener,
		      const struct seccomp_notif *req, uint64_t at,
		      uint32_t cmd)
{
	static char names[IO_MAX_FLAGS][ETH_GSTRING_LEN];
	int64_t n = io_n_flags(fk);
	struct ethtool_sset_info si;
	struct ethtool_gstrings gs;
	uint32_t len = (uint32_t)n, i;
	const struct fake_ent *e;

	if (n < 0)
		return 1;
	if (cmd == ETHTOOL_GDRVINFO)
		return io_drvinfo(fk, req, at, len);
	if (cmd == ETHTOOL_GSSET_INFO &&
	    (e = fake_find(fk, ETHTOOL_GSSET_INFO, 0)))
		return -(int)e->val; /* as a kernel without GSSET_INFO */
	if (cmd == ETHTOOL_GSSET_INFO) {
		if (nltool_seccomp_peek(listener, req, at, &si, sizeof(si)) <
			    0 ||
		    si.sset_mask != 1ULL << ETH_SS_PRIV_FLAGS)
			return 1;
		if (nltool_seccomp_poke(req, at, &si, sizeof(si)) < 0 ||
		    nltool_seccomp_poke(req, at + sizeof(si), &len,
					sizeof(len)) < 0)
			return -EFAULT;
		return 0;
	}
	if (nltool_seccomp_peek(listener, req, at, &gs, sizeof(gs)) < 0 ||
	    gs.string_set != ETH_SS_PRIV_FLAGS)
		return 1;
	memset(names, 0, sizeof(names));
	for (i = 0; i < len; i++)
		strncpy(names[i], fake_priv_name(i), ETH_GSTRING_LEN);
	gs.len = len;
	if (nltool_seccomp_poke(req, at, &gs, sizeof(gs)) < 0 ||
	    nltool_seccomp_poke(req, at + sizeof(gs), names,
				(size_t)len * ETH_GSTRING_LEN) < 0)
		return -EFAULT;
	return 0;
}

/* What the kernel and a driver refuse in SET @w; 0 or -EINVAL. */
static int io_check(struct fake *fk, uint32_t set, const uint32_t *w)
{
	int64_t n = io_n_flags(fk);

	if (set == ETHTOOL_SFECPARAM &&
	    (!w[2] || (w[2] & ETHTOOL_FEC_NONE) || w[1] || w[3]))
		return -EINVAL; /* net/ethtool/ioctl.c */
	if (set == ETHTOOL_SPFLAGS && n >= 0 && n < 32 && (w[1] >> n))
		return -EINVAL; /* a flag the driver lacks */
	return 0;
}

/* A GET answered from the lines "GET WORD 4 VALUE", a SET stored there. */
static int io_value(struct fake *fk, int listener,
		    const struct seccomp_notif *req, uint64_t at, size_t k,
		    bool set)
{
	uint32_t w[10] = { io_cmds[k].get }, i, get = io_cmds[k].get;
	size_t len = io_cmds[k].words * 4;
	struct fake_ent *e;
	int err;

	if (!set) {
		for (i = 1; i < io_cmds[k].words; i++)
			if ((e = fake_find(fk, get, i)))
				w[i] = e->val;
		return nltool_seccomp_poke(req, at, w, len) < 0 ? -EFAULT : 0;
	}
	if (nltool_seccomp_peek(listener, req, at, w, len) < 0)
		return -EFAULT;
	err = io_check(fk, io_cmds[k].set, w);
	for (i = 1; !err && i < io_cmds[k].words; i++) {
		if (!(io_cmds[k].stored & (1u << i)))
			continue;
		e = fake_find(fk, get, i);
		if (!e && fk->n_st < FAKE_MAX_ENT) {
			e = &fk->st[fk->n_st++];
			*e = (struct fake_ent){ get, i, 4, 0, 0 };
		}
		if (e)
			e->val = w[i];
	}
	if (!err)
		fake_save(fk);
	return err;
}

/* 0 or -errno: answered; 1: the kernel's. */
static int io_dispatch(struct fake *fk, int listener,
		       const struct seccomp_notif *req, uint64_t at,
		       uint32_t cmd)
{
	size_t k;

	fake_load(fk);
	if (cmd == ETHTOOL_GSSET_INFO || cmd == ETHTOOL_GSTRINGS ||
	    cmd == ETHTOOL_GDRVINFO)
		return io_strings(fk, listener, req, at, cmd);
	for (k = 0; k < N_IO; k++) {
		if ((cmd == io_cmds[k].get || cmd == io_cmds[k].set) &&
		    io_has(fk, io_cmds[k].get))
			return io_value(fk, listener, req, at, k,
					cmd == io_cmds[k].set);
	}
	return 1;
}

static void fake_ioctl(struct fake *fk, int listener,
		       const struct seccomp_notif *req,
		       struct seccomp_notif_resp *resp)
{
	uint64_t at;
	uint32_t cmd;
	int ret;

	if (nltool_seccomp_ethtool(listener, req, fk->dev, &at, &cmd))
		return;
	ret = io_dispatch(fk, listener, req, at, cmd);
	if (ret <= 0)
		nltool_seccomp_return(resp, ret);
}

static void fake_notify(int listener, const struct seccomp_notif *req,
			struct seccomp_notif_resp *resp, void *data)
{
	if (req->data.nr == __NR_sendto)
		fake_sendto(data, listener, req, resp);
	else if (req->data.nr == __NR_recvmsg)
		fake_recvmsg(data, listener, req, resp);
	else if (req->data.nr == __NR_ioctl)
		fake_ioctl(data, listener, req, resp);
}

int nltool_fake_exec(char **argv)
{
	static const int nrs[] = { __NR_sendto, __NR_recvmsg, __NR_ioctl };
	struct fake fk = { .reply_fd = -1 };
	struct nl_genl_family fam;
	struct nl_sock ns;
	int err;

	fk.dev = getenv("EMBNET_FAKE_DEV");
	fk.path = getenv("EMBNET_FAKE_STATE");
	if (!fk.dev || !fk.path) {
		fprintf(stderr, "nltool: util fake-exec: needs "
				"EMBNET_FAKE_DEV and EMBNET_FAKE_STATE\n");
		return 2;
	}
	err = nl_open(&ns, NETLINK_GENERIC);
	if (err < 0)
		return nltool_fail(NULL, err, "genl open");
	err = nl_genl_resolve(&ns, "ethtool", &fam);
	if (err < 0)
		nltool_fail(&ns, err, "genl family ethtool");
	else if ((err = fake_bits_init(&ns, &fam)) < 0)
		nltool_fail(&ns, err, "global string sets");
	nl_close(&ns);
	if (err < 0)
		return 1;
	fk.family = fam.id;
	return nltool_seccomp_supervise(argv, nrs, 3, fake_notify, &fk);
}

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
 * 2: that bitset's mask).  A SET (GETCMD + 1)
 * stores its attributes; one the file lacks gives EOPNOTSUPP, a ring size
 * over its maximum EINVAL, as the kernel does.
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
		if (fscanf(f, "%u %u %u %" SCNu32, &e->cmd, &e->type, &e->width,
			   &e->val) != 4)
			break;
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
		fprintf(f, "%u %u %u %" PRIu32 "\n", fk->st[i].cmd,
			fk->st[i].type, fk->st[i].width, fk->st[i].val);
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

/* The GET reply: header nest, then the file's attributes of @get.  At most
 * FAKE_MAX_ENT of 8 bytes each, or bitsets of up to 32 named bits: well
 * within the buffer. */
static void put_reply(struct fake *fk, const struct nlmsghdr *req,
		      unsigned int get, const char *name)
{
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
		if (fk->st[i].cmd != get || fk->st[i].width == FAKE_W_MASK)
			continue;
		if (fk->st[i].width == FAKE_W_BITS)
			put_bits(fk, h, &fk->st[i]);
		else if (fk->st[i].width == 1)
			mnl_attr_put_u8(h, fk->st[i].type,
					(uint8_t)fk->st[i].val);
		else
			mnl_attr_put_u32(h, fk->st[i].type, fk->st[i].val);
	}
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

static void fake_notify(int listener, const struct seccomp_notif *req,
			struct seccomp_notif_resp *resp, void *data)
{
	if (req->data.nr == __NR_sendto)
		fake_sendto(data, listener, req, resp);
	else if (req->data.nr == __NR_recvmsg)
		fake_recvmsg(data, listener, req, resp);
}

int nltool_fake_exec(char **argv)
{
	static const int nrs[] = { __NR_sendto, __NR_recvmsg };
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
	return nltool_seccomp_supervise(argv, nrs, 2, fake_notify, &fk);
}

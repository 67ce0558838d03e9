// SPDX-License-Identifier: MIT
/*
 * nltool util module-exec: a device with a transceiver module, a NIC
 * EEPROM, registers and a self test, which no device this kernel makes has
 * (tests/net/test_ethtool_module.py).  The program's sendto(), recvmsg()
 * and ioctl() come here (nltool_seccomp.c).  For device $EMBNET_FAKE_DEV
 * it answers ETHTOOL_MSG_MODULE_EEPROM_GET and the SIOCETHTOOL commands
 * GMODULEINFO, GMODULEEEPROM, GDRVINFO, GEEPROM, GREGS, GSSET_INFO,
 * GSTRINGS and TEST (ETH_SS_TEST) from the file $EMBNET_FAKE_MODULE;
 * every other call goes to the kernel.  The file's lines:
 *
 *   mem I2C PAGE BANK HEX      256 bytes of one page (lower half + upper)
 *   modinfo TYPE LEN           GMODULEINFO (no line: the kernel's answer)
 *   drv NAME                   GDRVINFO's driver (no line: the kernel's)
 *   eeprom HEX                 the NIC EEPROM (eedump_len: its length)
 *   regs VERSION HEX           the register dump
 *   test FLAGS                 TEST's result flags (ETH_TEST_FL_*)
 *   result NAME VALUE          one test result, in order
 */
#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
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

#define FM_PAGES 8
#define FM_BLOB 1024
#define FM_TESTS 8
#define FM_BUF 4096

struct fm_page {
	uint8_t i2c, page, bank;
	uint8_t d[256];
};

struct fm {
	const char *dev;
	uint16_t family;
	struct fm_page pg[FM_PAGES];
	unsigned int n_pg;
	uint32_t mi_type, mi_len; /* mi_len 0: no modinfo line */
	char driver[32];
	uint8_t eeprom[FM_BLOB], regs[FM_BLOB];
	size_t eeprom_len, regs_len;
	uint32_t regs_version, test_flags;
	bool has_test;
	unsigned int n_tests;
	char tname[FM_TESTS][ETH_GSTRING_LEN];
	uint64_t tval[FM_TESTS];
	uint32_t req[FM_BUF / 4], reply[FM_BUF / 4];
	size_t reply_len;
	int reply_fd;
	uint32_t reply_pid;
};

static size_t unhex(const char *s, uint8_t *out, size_t max)
{
	size_t n = 0;
	unsigned int b;

	while (n < max && sscanf(s, "%2x", &b) == 1) {
		out[n++] = (uint8_t)b;
		s += 2;
	}
	return n;
}

static void fm_line(struct fm *f, const char *key, char *rest)
{
	static char hex[2 * FM_BLOB + 1]; /* "%2048s" */
	unsigned int a, b, c;
	struct fm_page *p;

	if (!strcmp(key, "mem") && f->n_pg < FM_PAGES &&
	    sscanf(rest, "%u %u %u %2048s", &a, &b, &c, hex) == 4) {
		p = &f->pg[f->n_pg++];
		p->i2c = (uint8_t)a;
		p->page = (uint8_t)b;
		p->bank = (uint8_t)c;
		unhex(hex, p->d, sizeof(p->d));
	} else if (!strcmp(key, "modinfo")) {
		sscanf(rest, "%u %u", &f->mi_type, &f->mi_len);
	} else if (!strcmp(key, "drv")) {
		sscanf(rest, "%31s", f->driver);
	} else if (!strcmp(key, "eeprom") && sscanf(rest, "%2048s", hex)) {
		f->eeprom_len = unhex(hex, f->eeprom, FM_BLOB);
	} else if (!strcmp(key, "regs") &&
		   sscanf(rest, "%u %2048s", &f->regs_version, hex) == 2) {
		f->regs_len = unhex(hex, f->regs, FM_BLOB);
	} else if (!strcmp(key, "test")) {
		f->has_test = sscanf(rest, "%u", &f->test_flags) == 1;
	} else if (!strcmp(key, "result") && f->n_tests < FM_TESTS &&
		   sscanf(rest, "%31s %u", f->tname[f->n_tests], &a) == 2) {
		f->tval[f->n_tests++] = a;
	}
}

static int fm_load(struct fm *f, const char *path)
{
	static char line[2 * FM_BLOB + 64];
	char key[16];
	int n;
	FILE *in = fopen(path, "r");

	if (!in)
		return -errno;
	while (fgets(line, sizeof(line), in))
		if (sscanf(line, "%15s %n", key, &n) == 1)
			fm_line(f, key, line + n);
	fclose(in);
	return 0;
}

static const struct fm_page *fm_page(const struct fm *f, unsigned int i2c,
				     unsigned int page, unsigned int bank)
{
	unsigned int i;

	for (i = 0; i < f->n_pg; i++)
		if (f->pg[i].i2c == i2c && f->pg[i].page == page &&
		    f->pg[i].bank == bank)
			return &f->pg[i];
	return NULL;
}

/* ---- netlink: MODULE_EEPROM_GET ---------------------------------------- */

static void put_ack(struct fm *f, const struct nlmsghdr *req, int err)
{
	struct nlmsghdr *h =
		mnl_nlmsg_put_header((char *)f->reply + f->reply_len);
	struct nlmsgerr e = { .error = err, .msg = *req };

	h->nlmsg_type = NLMSG_ERROR;
	h->nlmsg_flags = NLM_F_CAPPED;
	h->nlmsg_seq = req->nlmsg_seq;
	memcpy(mnl_nlmsg_put_extra_header(h, sizeof(e)), &e, sizeof(e));
	f->reply_len += h->nlmsg_len;
}

/* The bytes asked for, or -errno as a driver without them answers. */
static int nl_read(const struct fm *f, const uint32_t *v, const uint8_t **out)
{
	const struct fm_page *p;
	uint32_t off = v[ETHTOOL_A_MODULE_EEPROM_OFFSET];
	uint32_t len = v[ETHTOOL_A_MODULE_EEPROM_LENGTH];
	uint32_t page = v[ETHTOOL_A_MODULE_EEPROM_PAGE];

	if (!len || off + len > 256 || (off < 128 && off + len > 128))
		return -EINVAL;
	if (off < 128) /* the lower half is the same on every page */
		page = 0;
	p = fm_page(f, v[ETHTOOL_A_MODULE_EEPROM_I2C_ADDRESS], page,
		    off < 128 ? 0 : v[ETHTOOL_A_MODULE_EEPROM_BANK]);
	if (!p)
		return -EIO;
	*out = p->d + off;
	return 0;
}

static void nl_reply(struct fm *f, const struct nlmsghdr *req,
		     const uint32_t *v)
{
	struct nlmsghdr *h = mnl_nlmsg_put_header(f->reply);
	const uint8_t *data;
	struct genlmsghdr *g;
	struct nlattr *nest;
	int err = nl_read(f, v, &data);

	f->reply_len = 0;
	if (err < 0) {
		put_ack(f, req, err);
		return;
	}
	h->nlmsg_type = req->nlmsg_type;
	h->nlmsg_seq = req->nlmsg_seq;
	g = mnl_nlmsg_put_extra_header(h, sizeof(*g));
	g->cmd = ETHTOOL_MSG_MODULE_EEPROM_GET_REPLY;
	g->version = 1;
	nest = mnl_attr_nest_start(h, ETHTOOL_A_MODULE_EEPROM_HEADER);
	mnl_attr_put_u32(h, ETHTOOL_A_HEADER_DEV_INDEX, if_nametoindex(f->dev));
	mnl_attr_put_strz(h, ETHTOOL_A_HEADER_DEV_NAME, f->dev);
	mnl_attr_nest_end(h, nest);
	mnl_attr_put(h, ETHTOOL_A_MODULE_EEPROM_DATA,
		     v[ETHTOOL_A_MODULE_EEPROM_LENGTH], data);
	f->reply_len = h->nlmsg_len;
	if (req->nlmsg_flags & NLM_F_ACK)
		put_ack(f, req, 0);
}

/* True if the request in f->req (@len bytes) is the fake's, answered. */
static bool nl_answer(struct fm *f, size_t len)
{
	const struct nlmsghdr *nlh = (const void *)f->req;
	uint32_t v[ETHTOOL_A_MODULE_EEPROM_DATA + 1] = { 0 };
	const struct nlattr *a, *b;
	char name[IF_NAMESIZE] = "";
	unsigned int t;

	if (!mnl_nlmsg_ok(nlh, (int)len) || nlh->nlmsg_type != f->family ||
	    mnl_nlmsg_get_payload_len(nlh) < GENL_HDRLEN ||
	    ((const struct genlmsghdr *)mnl_nlmsg_get_payload(nlh))->cmd !=
		    ETHTOOL_MSG_MODULE_EEPROM_GET)
		return false;
	mnl_attr_for_each(a, nlh, GENL_HDRLEN) {
		t = mnl_attr_get_type(a);
		if (t == ETHTOOL_A_MODULE_EEPROM_HEADER) {
			mnl_attr_for_each_nested(b, a)
				if (mnl_attr_get_type(b) ==
				    ETHTOOL_A_HEADER_DEV_NAME)
					nl_attr_strcpy(b, name, sizeof(name));
		} else if (t < ETHTOOL_A_MODULE_EEPROM_DATA) {
			v[t] = mnl_attr_get_payload_len(a) == 4
				       ? mnl_attr_get_u32(a)
				       : mnl_attr_get_u8(a);
		}
	}
	if (strcmp(name, f->dev))
		return false;
	nl_reply(f, nlh, v);
	return true;
}

static void fm_sendto(struct fm *f, int listener,
		      const struct seccomp_notif *req,
		      struct seccomp_notif_resp *resp)
{
	size_t len = (size_t)req->data.args[2];

	if (len > sizeof(f->req) ||
	    nltool_seccomp_peek(listener, req, req->data.args[1], f->req, len) <
		    0 ||
	    !nl_answer(f, len))
		return;
	f->reply_fd = (int)req->data.args[0];
	f->reply_pid = req->pid;
	resp->flags = 0;
	resp->val = (int64_t)len;
}

static void fm_recvmsg(struct fm *f, int listener,
		       const struct seccomp_notif *req,
		       struct seccomp_notif_resp *resp)
{
	unsigned int flags = (unsigned int)req->data.args[2];
	int64_t ret;

	if (!f->reply_len || (int)req->data.args[0] != f->reply_fd ||
	    req->pid != f->reply_pid)
		return;
	ret = nltool_seccomp_recvmsg(listener, req, f->reply, f->reply_len);
	resp->flags = 0;
	if (ret < 0)
		resp->error = (int32_t)ret;
	else
		resp->val = ret;
	if (ret >= 0 && !(flags & MSG_PEEK))
		f->reply_len = 0;
}

/* ---- ioctl: SIOCETHTOOL ---------------------------------------------- */

/* The module's flat image as the kernel's ioctl returns it: A0h then A2h
 * (SFF-8472), or page 0 then the upper halves of pages 1-3 (SFF-8636). */
static size_t mod_image(const struct fm *f, uint8_t *img)
{
	const struct fm_page *p;
	size_t n = 0;
	unsigned int k;

	memset(img, 0, FM_BLOB);
	if ((p = fm_page(f, 0x50, 0, 0)))
		memcpy(img, p->d, 256);
	n = 256;
	if (f->mi_type == ETH_MODULE_SFF_8472 && (p = fm_page(f, 0x51, 0, 0)))
		memcpy(img + 256, p->d, 256);
	for (k = 1; f->mi_type == ETH_MODULE_SFF_8636 && k <= 3; k++)
		if ((p = fm_page(f, 0x50, k, 0)))
			memcpy(img + 128 + 128 * k, p->d + 128, 128);
	return f->mi_len > n ? f->mi_len : n;
}

/* The call being answered: its listener and notification. */
struct fm_call {
	int listener;
	const struct seccomp_notif *req;
	uint64_t at; /* ifr_data */
};

static int peek(const struct fm_call *c, uint64_t at, void *buf, size_t len)
{
	return nltool_seccomp_peek(c->listener, c->req, at, buf, len);
}

static int poke(const struct fm_call *c, uint64_t at, const void *buf,
		size_t len)
{
	return nltool_seccomp_poke(c->req, at, buf, len);
}

/* GEEPROM or GMODULEEEPROM: [offset, offset + len) of @src. */
static int io_eeprom(const struct fm_call *c, const uint8_t *src,
		     size_t src_len)
{
	struct ethtool_eeprom e;

	if (peek(c, c->at, &e, sizeof(e)) < 0)
		return -EFAULT;
	if ((uint64_t)e.offset + e.len > src_len)
		return -EINVAL;
	return poke(c, c->at + sizeof(e), src + e.offset, e.len);
}

static int io_module(struct fm *f, const struct fm_call *c, uint32_t cmd)
{
	static uint8_t img[FM_BLOB];
	struct ethtool_modinfo mi;

	if (!f->mi_len)
		return 1;
	if (cmd == ETHTOOL_GMODULEEEPROM) {
		mod_image(f, img);
		return io_eeprom(c, img, f->mi_len);
	}
	memset(&mi, 0, sizeof(mi));
	mi.cmd = cmd;
	mi.type = f->mi_type;
	mi.eeprom_len = f->mi_len;
	return poke(c, c->at, &mi, sizeof(mi));
}

static int io_drvinfo(struct fm *f, const struct fm_call *c)
{
	struct ethtool_drvinfo d;

	memset(&d, 0, sizeof(d));
	d.cmd = ETHTOOL_GDRVINFO;
	snprintf(d.driver, sizeof(d.driver), "%s", f->driver);
	snprintf(d.version, sizeof(d.version), "1.0");
	d.testinfo_len = f->n_tests;
	d.eedump_len = (uint32_t)f->eeprom_len;
	d.regdump_len = (uint32_t)f->regs_len;
	return poke(c, c->at, &d, sizeof(d));
}

static int io_regs(struct fm *f, const struct fm_call *c)
{
	struct ethtool_regs r;

	if (peek(c, c->at, &r, sizeof(r)) < 0)
		return -EFAULT;
	if (r.len > f->regs_len)
		r.len = (uint32_t)f->regs_len;
	r.version = f->regs_version;
	if (poke(c, c->at, &r, sizeof(r)) < 0)
		return -EFAULT;
	return poke(c, c->at + sizeof(r), f->regs, r.len);
}

/* GSSET_INFO, GSTRINGS and TEST of ETH_SS_TEST. */
static int io_test(struct fm *f, const struct fm_call *c, uint32_t cmd)
{
	struct ethtool_sset_info si;
	struct ethtool_gstrings gs;
	struct ethtool_test t;
	uint32_t n = f->n_tests;

	if (cmd == ETHTOOL_GSSET_INFO) {
		if (peek(c, c->at, &si, sizeof(si)) < 0)
			return -EFAULT;
		if (si.sset_mask != 1ULL << ETH_SS_TEST)
			return 1;
		return poke(c, c->at + sizeof(si), &n, sizeof(n));
	}
	if (cmd == ETHTOOL_GSTRINGS) {
		if (peek(c, c->at, &gs, sizeof(gs)) < 0)
			return -EFAULT;
		if (gs.string_set != ETH_SS_TEST)
			return 1;
		gs.len = n;
		if (poke(c, c->at, &gs, sizeof(gs)) < 0)
			return -EFAULT;
		return poke(c, c->at + sizeof(gs), f->tname,
			    (size_t)n * ETH_GSTRING_LEN);
	}
	if (peek(c, c->at, &t, sizeof(t)) < 0)
		return -EFAULT;
	if (!f->has_test || t.len != n)
		return -EOPNOTSUPP;
	t.flags = (t.flags & ~(uint32_t)ETH_TEST_FL_FAILED) | f->test_flags;
	if (poke(c, c->at, &t, sizeof(t)) < 0)
		return -EFAULT;
	return poke(c, c->at + sizeof(t), f->tval,
		    (size_t)n * sizeof(uint64_t));
}

/* 0 or -errno: answered; 1: the kernel's. */
static int io_dispatch(struct fm *f, const struct fm_call *c, uint32_t cmd)
{
	switch (cmd) {
	case ETHTOOL_GMODULEINFO:
	case ETHTOOL_GMODULEEEPROM:
		return io_module(f, c, cmd);
	case ETHTOOL_GDRVINFO:
		return f->driver[0] ? io_drvinfo(f, c) : 1;
	case ETHTOOL_GEEPROM:
		return f->eeprom_len ? io_eeprom(c, f->eeprom, f->eeprom_len)
				     : 1;
	case ETHTOOL_GREGS:
		return f->regs_len ? io_regs(f, c) : 1;
	case ETHTOOL_GSSET_INFO:
	case ETHTOOL_GSTRINGS:
	case ETHTOOL_TEST:
		return f->has_test ? io_test(f, c, cmd) : 1;
	default:
		return 1;
	}
}

static void fm_ioctl(struct fm *f, int listener,
		     const struct seccomp_notif *req,
		     struct seccomp_notif_resp *resp)
{
	struct fm_call c = { .listener = listener, .req = req };
	uint32_t cmd;
	int ret;

	if (nltool_seccomp_ethtool(listener, req, f->dev, &c.at, &cmd))
		return;
	ret = io_dispatch(f, &c, cmd);
	if (ret <= 0)
		nltool_seccomp_return(resp, ret);
}

static void fm_notify(int listener, const struct seccomp_notif *req,
		      struct seccomp_notif_resp *resp, void *data)
{
	if (req->data.nr == __NR_sendto)
		fm_sendto(data, listener, req, resp);
	else if (req->data.nr == __NR_recvmsg)
		fm_recvmsg(data, listener, req, resp);
	else if (req->data.nr == __NR_ioctl)
		fm_ioctl(data, listener, req, resp);
}

int nltool_fake_module_exec(char **argv)
{
	static const int nrs[] = { __NR_sendto, __NR_recvmsg, __NR_ioctl };
	static struct fm f = { .reply_fd = -1 };
	const char *path = getenv("EMBNET_FAKE_MODULE");
	struct nl_genl_family fam;
	struct nl_sock ns;
	int err;

	f.dev = getenv("EMBNET_FAKE_DEV");
	if (!f.dev || !path) {
		fprintf(stderr, "nltool: util module-exec: needs "
				"EMBNET_FAKE_DEV and EMBNET_FAKE_MODULE\n");
		return 2;
	}
	err = fm_load(&f, path);
	if (err < 0)
		return nltool_fail(NULL, err, path);
	err = nl_open(&ns, NETLINK_GENERIC);
	if (err < 0)
		return nltool_fail(NULL, err, "genl open");
	err = nl_genl_resolve(&ns, "ethtool", &fam);
	nl_close(&ns);
	if (err < 0)
		return nltool_fail(NULL, err, "genl family ethtool");
	f.family = fam.id;
	return nltool_seccomp_supervise(argv, nrs, 3, fm_notify, &f);
}

// SPDX-License-Identifier: MIT
/*
 * libFuzzer target: ethtool-lite's read commands end to end, from the
 * kernel's reply bytes to the text or JSON they print.  The handlers run
 * unchanged (dispatched as main.c's run() does); only the kernel is fake:
 * this file defines libmnl's socket calls, recvmsg() and ioctl(), which
 * the linker binds before libmnl.so and libc, and feeds them the input.
 *
 * Input: byte 0 picks the command (cmds[] below, modulo its size), byte 1
 * holds flags (F_*), then records separated by REC_SEP ("-REC-"; an empty
 * last one does not count).  Each netlink read takes one record: the
 * messages the kernel sent in one datagram, in host byte order, their seq
 * and portid set to the request's and, unless F_RAW, the last one's
 * nlmsg_len stretched to the end of the record (so that inserted bytes
 * grow it).  Each SIOCETHTOOL ioctl takes one: a first byte e != 0 fails
 * it with errno e, else the rest overwrites the reply after its cmd word.
 * No record left: EAGAIN / EOPNOTSUPP.  The generic netlink controller's
 * answer to "ethtool" is made here, as the flags say.
 *
 * Checked after each input: every socket closed; --json output is one
 * valid JSON text (escaped strings), also on errors; text output and
 * stderr carry no control bytes but tab and newline.  Each input's output
 * is copied to stderr if ETHTOOL_PRINT_FUZZ_ECHO is set.
 */
// sources: ethtool-lite/settings.c ethtool-lite/gset_json.c
// sources: ethtool-lite/params.c ethtool-lite/features.c
// sources: ethtool-lite/print.c ethtool-lite/linkstate.c
// sources: ethtool-lite/nlctx.c ethtool-lite/ioctl.c
// sources: ethtool-lite/io_gset.c ethtool-lite/io_params.c
// sources: ethtool-lite/io_features.c ethtool-lite/num.c
// sources: ethtool-lite/setmsg.c
// fuzz-covers: ethtool-lite/settings.c ethtool-lite/gset_json.c
// fuzz-covers: ethtool-lite/features.c ethtool-lite/print.c
// fuzz-covers: ethtool-lite/linkstate.c ethtool-lite/nlctx.c
// fuzz-covers: ethtool-lite/io_gset.c
// fuzz-covers: ethtool-lite/ioctl.c:et_io_g*,et_*permaddr,drvinfo_*,*_field
// fuzz-covers: ethtool-lite/ioctl.c:stats_print
// fuzz-covers: ethtool-lite/params.c:et_nl_g*,pget,*_show,*_json,show_u32
// fuzz-covers: ethtool-lite/params.c:onoff,pause_negotiated,param_name
// fuzz-covers: ethtool-lite/io_params.c:et_io_g*,ioget,*_show,show
// fuzz-covers: ethtool-lite/io_params.c:pause_negotiated
// fuzz-covers: ethtool-lite/io_features.c:et_io_gfeatures,names_get
// fuzz-covers: ethtool-lite/io_features.c:state_get,off_flags
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <net/if.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/syscall.h>

#include <linux/ethtool.h>
#include <linux/ethtool_netlink.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>
#include <linux/sockios.h>
#include <libmnl/libmnl.h>

#include "fuzz.h"
#include "../../ethtool-lite/et.h"
#include "../../ethtool-lite/print.h"

#define DEVNAME "veth0"
#define FAM_ID 21 /* the ethtool family's id in the recorded seeds */
#define PORTID 0x4000
#define N_SOCKS 2
#define JSON_DEPTH 16

enum {
	F_JSON = 1,	    /* --json */
	F_NO_FAMILY = 2,    /* no ethtool family: the ioctl path */
	F_NO_OPS = 4,	    /* the family lists no operation */
	F_FAMILY_ERROR = 8, /* the controller answers EPERM */
	F_RAW = 16	    /* nlmsg_len as given */
};

#define REC_SEP "-REC-"

/* ---- the fake kernel ---------------------------------------------------- */

static struct {
	const uint8_t *p;
	size_t rem;
	uint8_t flags;
} in;

struct fake_sock {
	bool open;
	int bus;
	uint32_t seq; /* of the last request */
	bool ctrl;    /* it asked the generic netlink controller */
};
static struct fake_sock socks[N_SOCKS];

static bool next_record(const uint8_t **rec, size_t *len)
{
	const uint8_t *sep;

	if (in.rem == 0)
		return false;
	sep = memmem(in.p, in.rem, REC_SEP, strlen(REC_SEP));
	*rec = in.p;
	*len = sep ? (size_t)(sep - in.p) : in.rem;
	in.rem -= sep ? *len + strlen(REC_SEP) : *len;
	in.p = sep ? sep + strlen(REC_SEP) : in.p + *len;
	return true;
}

static struct fake_sock *sock_of(const struct mnl_socket *nl)
{
	struct fake_sock *s = (struct fake_sock *)(uintptr_t)nl;

	if (s < socks || s >= socks + N_SOCKS || !s->open)
		abort(); /* not one of ours, or used after close */
	return s;
}

struct mnl_socket *mnl_socket_open2(int bus, int flags)
{
	size_t i;

	(void)flags;
	for (i = 0; i < N_SOCKS; i++) {
		if (!socks[i].open) {
			memset(&socks[i], 0, sizeof(socks[i]));
			socks[i].open = true;
			socks[i].bus = bus;
			return (struct mnl_socket *)(uintptr_t)&socks[i];
		}
	}
	errno = EMFILE;
	return NULL;
}

int mnl_socket_setsockopt(const struct mnl_socket *nl, int type, void *buf,
			  socklen_t len)
{
	(void)type;
	(void)buf;
	(void)len;
	sock_of(nl);
	return 0;
}

int mnl_socket_bind(struct mnl_socket *nl, unsigned int groups, pid_t pid)
{
	(void)groups;
	(void)pid;
	sock_of(nl);
	return 0;
}

unsigned int mnl_socket_get_portid(const struct mnl_socket *nl)
{
	return PORTID + (unsigned int)(sock_of(nl) - socks);
}

int mnl_socket_get_fd(const struct mnl_socket *nl)
{
	return 100 + (int)(sock_of(nl) - socks);
}

int mnl_socket_close(struct mnl_socket *nl)
{
	sock_of(nl)->open = false;
	return 0;
}

ssize_t mnl_socket_sendto(const struct mnl_socket *nl, const void *req,
			  size_t siz)
{
	struct fake_sock *s = sock_of(nl);
	struct nlmsghdr h;

	/* What ethtool-lite sends must be one well-formed request. */
	if (siz < sizeof(h))
		abort();
	memcpy(&h, req, sizeof(h));
	if (h.nlmsg_len != siz || !(h.nlmsg_flags & NLM_F_REQUEST))
		abort();
	s->seq = h.nlmsg_seq;
	s->ctrl = s->bus == NETLINK_GENERIC && h.nlmsg_type == GENL_ID_CTRL;
	return (ssize_t)siz;
}

/* The controller's answer for "ethtool": the family and its ACK. */
static size_t family_reply(struct fake_sock *s, char *buf)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct genlmsghdr *g;
	struct nlmsgerr *e;
	struct nlattr *ops, *op;
	uint32_t i;

	nlh->nlmsg_type = GENL_ID_CTRL;
	nlh->nlmsg_seq = s->seq;
	nlh->nlmsg_pid = PORTID + (uint32_t)(s - socks);
	g = mnl_nlmsg_put_extra_header(nlh, sizeof(*g));
	g->cmd = CTRL_CMD_NEWFAMILY;
	mnl_attr_put_u16(nlh, CTRL_ATTR_FAMILY_ID, FAM_ID);
	mnl_attr_put_strz(nlh, CTRL_ATTR_FAMILY_NAME, ETHTOOL_GENL_NAME);
	mnl_attr_put_u32(nlh, CTRL_ATTR_VERSION, ETHTOOL_GENL_VERSION);
	ops = mnl_attr_nest_start(nlh, CTRL_ATTR_OPS);
	for (i = 1; i < 64 && !(in.flags & F_NO_OPS); i++) {
		op = mnl_attr_nest_start(nlh, i);
		mnl_attr_put_u32(nlh, CTRL_ATTR_OP_ID, i);
		mnl_attr_nest_end(nlh, op);
	}
	mnl_attr_nest_end(nlh, ops);
	if (in.flags & (F_NO_FAMILY | F_FAMILY_ERROR))
		nlh->nlmsg_len = 0; /* no family message, only the error */
	/* The ACK: where the family ends (attributes keep it aligned). */
	nlh = mnl_nlmsg_put_header(mnl_nlmsg_get_payload_tail(nlh));
	nlh->nlmsg_type = NLMSG_ERROR;
	nlh->nlmsg_flags = NLM_F_CAPPED;
	nlh->nlmsg_seq = s->seq;
	e = mnl_nlmsg_put_extra_header(nlh, sizeof(*e));
	e->error = in.flags & F_FAMILY_ERROR ? -EPERM
		   : in.flags & F_NO_FAMILY  ? -ENOENT
					     : 0;
	return (size_t)((char *)nlh - buf) + nlh->nlmsg_len;
}

ssize_t mnl_socket_recvfrom(const struct mnl_socket *nl, void *buf, size_t siz)
{
	struct fake_sock *s = sock_of(nl);
	struct nlmsghdr *nlh;
	const uint8_t *rec;
	size_t len, left;

	if (s->ctrl) {
		s->ctrl = false;
		if (siz < 4096) /* family_reply() needs 1 KiB */
			abort();
		return (ssize_t)family_reply(s, buf);
	}
	if (!next_record(&rec, &len)) {
		errno = EAGAIN;
		return -1;
	}
	if (len > siz) {
		errno = ENOSPC; /* libmnl's answer to MSG_TRUNC */
		return -1;
	}
	memcpy(buf, rec, len);
	/* Each message answers the request; the last one (no header would
	 * fit after it) ends the record, unless F_RAW. */
	for (nlh = buf, left = len; left >= sizeof(*nlh);) {
		if (!(in.flags & F_RAW) && nlh->nlmsg_len >= sizeof(*nlh) &&
		    (uint64_t)NLMSG_ALIGN(nlh->nlmsg_len) + sizeof(*nlh) > left)
			nlh->nlmsg_len = (uint32_t)left;
		if (nlh->nlmsg_len < sizeof(*nlh) || nlh->nlmsg_len > left)
			break;
		nlh->nlmsg_seq = s->seq;
		nlh->nlmsg_pid = PORTID + (uint32_t)(s - socks);
		if (NLMSG_ALIGN(nlh->nlmsg_len) >= left)
			break;
		left -= NLMSG_ALIGN(nlh->nlmsg_len);
		nlh = mnl_nlmsg_get_payload_tail(nlh); /* the next one */
	}
	return (ssize_t)len;
}

/* nl_talk() peeks at each datagram's length (MSG_PEEK | MSG_TRUNC) before
 * it reads it with mnl_socket_recvfrom(), and drops (flags 0) one too
 * large to read: answer both from the records. */
ssize_t recvmsg(int fd, struct msghdr *msg, int flags)
{
	struct fake_sock *s;
	const uint8_t *rec;
	size_t len;

	if (fd < 100 || fd >= 100 + N_SOCKS)
		return syscall(SYS_recvmsg, fd, msg, flags);
	s = &socks[fd - 100];
	if (!s->open || !(flags & MSG_TRUNC) || msg->msg_iovlen != 1 ||
	    msg->msg_iov[0].iov_len != 0)
		abort(); /* not the peek or drop nl_talk() makes */
	msg->msg_flags = MSG_TRUNC;
	if (s->ctrl)
		return 1024; /* family_reply()'s, at most */
	if (flags & MSG_PEEK) {
		const uint8_t *p = in.p;
		size_t rem = in.rem;
		bool got = next_record(&rec, &len);

		in.p = p;
		in.rem = rem;
		if (got)
			return (ssize_t)len;
	} else if (next_record(&rec, &len)) {
		return (ssize_t)len;
	}
	errno = EAGAIN;
	return -1;
}

/* Bytes the kernel writes back for ethtool @cmd at @data; 0: unknown. */
static size_t reply_size(const void *data)
{
	const char *d = data;
	uint32_t cmd, n;
	uint64_t mask;
	int8_t nwords;

	memcpy(&cmd, d, sizeof(cmd));
	switch (cmd) {
	case ETHTOOL_GDRVINFO:
		return sizeof(struct ethtool_drvinfo);
	case ETHTOOL_GSSET_INFO:
		memcpy(&mask, d + offsetof(struct ethtool_sset_info, sset_mask),
		       sizeof(mask));
		return sizeof(struct ethtool_sset_info) +
		       4 * (size_t)__builtin_popcountll(mask);
	case ETHTOOL_GSTRINGS:
		memcpy(&n, d + offsetof(struct ethtool_gstrings, len), 4);
		return sizeof(struct ethtool_gstrings) +
		       (size_t)n * ETH_GSTRING_LEN;
	case ETHTOOL_GSTATS:
		memcpy(&n, d + offsetof(struct ethtool_stats, n_stats), 4);
		return sizeof(struct ethtool_stats) + (size_t)n * 8;
	case ETHTOOL_GPERMADDR:
		memcpy(&n, d + offsetof(struct ethtool_perm_addr, size), 4);
		return sizeof(struct ethtool_perm_addr) + n;
	case ETHTOOL_GFEATURES:
		memcpy(&n, d + offsetof(struct ethtool_gfeatures, size), 4);
		return sizeof(struct ethtool_gfeatures) +
		       (size_t)n * sizeof(struct ethtool_get_features_block);
	case ETHTOOL_GLINKSETTINGS:
		nwords = d[offsetof(struct ethtool_link_settings,
				    link_mode_masks_nwords)];
		return sizeof(struct ethtool_link_settings) +
		       (nwords > 0 ? 12 * (size_t)nwords : 0);
	case ETHTOOL_GSET:
		return sizeof(struct ethtool_cmd);
	case ETHTOOL_GWOL:
		return sizeof(struct ethtool_wolinfo);
	case ETHTOOL_GRINGPARAM:
		return sizeof(struct ethtool_ringparam);
	case ETHTOOL_GCHANNELS:
		return sizeof(struct ethtool_channels);
	case ETHTOOL_GCOALESCE:
		return sizeof(struct ethtool_coalesce);
	case ETHTOOL_GPAUSEPARAM:
		return sizeof(struct ethtool_pauseparam);
	case ETHTOOL_GMSGLVL:
	case ETHTOOL_GLINK:
	case ETHTOOL_GRXCSUM:
	case ETHTOOL_GTXCSUM:
	case ETHTOOL_GSG:
	case ETHTOOL_GTSO:
	case ETHTOOL_GUFO:
	case ETHTOOL_GGSO:
	case ETHTOOL_GGRO:
	case ETHTOOL_GFLAGS:
		return sizeof(struct ethtool_value);
	default:
		return 0;
	}
}

static int fake_ethtool(struct ifreq *ifr)
{
	size_t size = reply_size(ifr->ifr_data), len;
	const uint8_t *rec;

	if (strcmp(ifr->ifr_name, DEVNAME) != 0)
		abort();
	if (size == 0 || !next_record(&rec, &len)) {
		errno = EOPNOTSUPP;
		return -1;
	}
	if (len > 0 && rec[0] != 0) {
		errno = rec[0];
		return -1;
	}
	if (len > 1)
		memcpy((char *)ifr->ifr_data + 4, rec + 1,
		       len - 1 < size - 4 ? len - 1 : size - 4);
	return 0;
}

#ifdef __GLIBC__
#define IOCTL_REQ unsigned long
#else
#define IOCTL_REQ int /* musl's prototype */
#endif

int ioctl(int fd, IOCTL_REQ req, ...)
{
	va_list ap;
	void *arg;

	va_start(ap, req);
	arg = va_arg(ap, void *);
	va_end(ap);
	if (req == SIOCETHTOOL)
		return fake_ethtool(arg);
	return (int)syscall(SYS_ioctl, fd, req, arg);
}

/* ---- output checks ------------------------------------------------------ */

struct json {
	const char *p, *end;
	int depth;
};

static void j_ws(struct json *j)
{
	while (j->p < j->end && strchr(" \t\n\r", *j->p) && *j->p)
		j->p++;
}

static bool j_lit(struct json *j, const char *lit)
{
	size_t n = strlen(lit);

	if ((size_t)(j->end - j->p) < n || memcmp(j->p, lit, n) != 0)
		return false;
	j->p += n;
	return true;
}

static bool j_digits(struct json *j)
{
	const char *start = j->p;

	while (j->p < j->end && *j->p >= '0' && *j->p <= '9')
		j->p++;
	return j->p > start;
}

static bool j_number(struct json *j)
{
	if (j->p < j->end && *j->p == '-')
		j->p++;
	if (j->p < j->end && *j->p == '0')
		j->p++;
	else if (!j_digits(j))
		return false;
	if (j->p < j->end && *j->p == '.' && (j->p++, !j_digits(j)))
		return false;
	if (j->p < j->end && (*j->p == 'e' || *j->p == 'E')) {
		j->p++;
		if (j->p < j->end && (*j->p == '+' || *j->p == '-'))
			j->p++;
		return j_digits(j);
	}
	return true;
}

static bool j_string(struct json *j)
{
	unsigned char c;
	int i;

	if (j->p >= j->end || *j->p++ != '"')
		return false;
	while (j->p < j->end) {
		c = (unsigned char)*j->p++;
		if (c == '"')
			return true;
		if (c < 0x20)
			return false;
		if (c != '\\')
			continue;
		if (j->p >= j->end)
			return false;
		c = (unsigned char)*j->p++;
		if (c && strchr("\"\\/bfnrt", c))
			continue;
		if (c != 'u' || j->end - j->p < 4)
			return false;
		for (i = 0; i < 4; i++, j->p++) {
			if (!strchr("0123456789abcdefABCDEF", *j->p) || !*j->p)
				return false;
		}
	}
	return false;
}

static bool j_value(struct json *j);

/* An object (@close '}': "key": value pairs) or an array (']'). */
static bool j_members(struct json *j, char close)
{
	bool ok = true;

	if (++j->depth > JSON_DEPTH)
		return false;
	j->p++;
	j_ws(j);
	if (j->p < j->end && *j->p == close) {
		j->p++;
		j->depth--;
		return true;
	}
	for (;;) {
		if (close == '}') {
			ok = j_string(j);
			j_ws(j);
			ok = ok && j->p < j->end && *j->p++ == ':';
		}
		if (!ok || !j_value(j))
			return false;
		j_ws(j);
		if (j->p >= j->end)
			return false;
		if (*j->p == close)
			break;
		if (*j->p++ != ',')
			return false;
		j_ws(j);
	}
	j->p++;
	j->depth--;
	return true;
}

static bool j_value(struct json *j)
{
	j_ws(j);
	if (j->p >= j->end)
		return false;
	switch (*j->p) {
	case '{':
		return j_members(j, '}');
	case '[':
		return j_members(j, ']');
	case '"':
		return j_string(j);
	case 't':
		return j_lit(j, "true");
	case 'f':
		return j_lit(j, "false");
	case 'n':
		return j_lit(j, "null");
	default:
		return j_number(j);
	}
}

static bool json_valid(const char *s, size_t len)
{
	struct json j = { s, s + len, 0 };

	if (!j_value(&j))
		return false;
	j_ws(&j);
	return j.p == j.end;
}

/* The first control byte other than tab and newline, or -1. */
static long control_byte(const char *s, size_t len)
{
	size_t i;
	unsigned char c;

	for (i = 0; i < len; i++) {
		c = (unsigned char)s[i];
		if ((c < 0x20 && c != '\t' && c != '\n') || c == 0x7f)
			return (long)i;
	}
	return -1;
}

static int out_fd = -1, err_fd = -1;
static FILE *err_file; /* stderr of the command, on err_fd */
static bool echo; /* ETHTOOL_PRINT_FUZZ_ECHO set: copy the output to fd 2 */

/* What the command wrote to @fd since the last call; @fd is emptied. */
static char *take(int fd, size_t *len)
{
	off_t end = lseek(fd, 0, SEEK_END);
	char *buf = malloc(end > 0 ? (size_t)end + 1 : 1);
	ssize_t n = end > 0 && buf ? pread(fd, buf, (size_t)end, 0) : 0;

	if (!buf || n < 0 || n != (end > 0 ? end : 0))
		abort();
	buf[n] = 0;
	*len = (size_t)n;
	if (ftruncate(fd, 0) < 0 || lseek(fd, 0, SEEK_SET) < 0)
		abort();
	return buf;
}

static void fail(const char *what, const char *out, size_t len)
{
	fprintf(stderr, "ethtool_print_fuzz: %s in %zu bytes:\n%.*s\n", what,
		len, (int)(len > 4096 ? 4096 : len), out);
	abort();
}

/* @json: --json taken (not refused as a bad argument). */
static void check_output(bool json)
{
	char *out, *err;
	size_t out_len, err_len;

	fflush(stdout);
	if (err_file)
		fflush(err_file);
	out = take(out_fd, &out_len);
	err = err_fd >= 0 ? take(err_fd, &err_len) : NULL;
	if (echo) {
		fprintf(stderr, "%s%s", out, err ? err : "");
		fflush(stderr);
	}
	/* Errors too print JSON ("[ ]"), as ethtool-lite/JSON.md says. */
	if (json && !json_valid(out, out_len))
		fail("invalid JSON", out, out_len);
	if (!json && control_byte(out, out_len) >= 0)
		fail("control byte on stdout", out, out_len);
	if (err && control_byte(err, err_len) >= 0)
		fail("control byte on stderr", err, err_len);
	free(out);
	free(err);
}

/* ---- the commands ------------------------------------------------------- */

static const struct cmd {
	et_fn nl, io;
	bool json, io_json; /* main.c's O_JSON, O_IOJSON */
} cmds[] = {
	{ et_nl_gset, et_io_gset, true, false },	   /* DEV */
	{ NULL, et_io_gdrv, true, true },		   /* -i */
	{ NULL, et_io_gstats, true, true },		   /* -S */
	{ et_nl_gfeatures, et_io_gfeatures, true, false }, /* -k */
	{ et_nl_gring, et_io_gring, true, false },	   /* -g */
	{ et_nl_gchannels, et_io_gchannels, true, false }, /* -l */
	{ et_nl_gcoalesce, et_io_gcoalesce, true, false }, /* -c */
	{ et_nl_gpause, et_io_gpause, true, false },	   /* -a */
	{ et_nl_permaddr, et_io_permaddr, false, false },  /* -P */
};
#define N_CMDS (sizeof(cmds) / sizeof(cmds[0]))

/* main.c's run() for a read command; @c->json cleared if refused. */
static int run(struct et_ctx *c, const struct cmd *k)
{
	int ret;

	if (k->nl && et_nl_init(c) == 0) {
		ret = k->nl(c);
		et_nl_done(c);
		if (ret != -EOPNOTSUPP || !c->ioctl_fallback)
			return ret;
	}
	if (c->json && !k->io_json) {
		c->json = false; /* nothing on stdout */
		return et_bad_args();
	}
	return k->io(c);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	unsetenv(ET_ENV_NO_NETLINK);
	echo = getenv("ETHTOOL_PRINT_FUZZ_ECHO") != NULL;
	/* stdout: a memory file read back after each input. */
	out_fd = memfd_create("stdout", 0);
	if (out_fd < 0 || dup2(out_fd, STDOUT_FILENO) < 0)
		abort();
#ifdef __GLIBC__
	/* stderr too, while a command runs; not fd 2: the sanitizers and
	 * libFuzzer report there. */
	err_fd = memfd_create("stderr", 0);
	if (err_fd < 0 || !(err_file = fdopen(err_fd, "w")))
		abort();
#endif
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char *no_args[] = { NULL };
#ifdef __GLIBC__
	FILE *real_stderr;
#endif
	struct et_ctx c;
	const struct cmd *k;
	size_t i;

	if (size < 2)
		return 0;
	k = &cmds[data[0] % N_CMDS];
	in.flags = data[1];
	in.p = data + 2;
	in.rem = size - 2;
	memset(&c, 0, sizeof(c));
	c.devname = DEVNAME;
	c.argv = no_args;
	c.json = (in.flags & F_JSON) && k->json;
	snprintf(c.dev.ifname, sizeof(c.dev.ifname), "%s", DEVNAME);
#ifdef __GLIBC__
	real_stderr = stderr;
	stderr = err_file;
	run(&c, k);
	stderr = real_stderr;
#else
	run(&c, k);
#endif
	for (i = 0; i < N_SOCKS; i++) {
		if (socks[i].open)
			abort(); /* a socket left open */
	}
	check_output(c.json);
	return 0;
}

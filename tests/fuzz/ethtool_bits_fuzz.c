// SPDX-License-Identifier: MIT
// fuzz-covers: lib/ethtool_bitlist.c:nl_ethtool_bitlist_parse,lbit_cb
// fuzz-covers: lib/ethtool_bitlist.c:list_compact,nl_ethtool_bitlist_empty
// fuzz-covers: lib/ethtool_tsinfo.c:nl_ethtool_tsinfo_parse,opt_list
// fuzz-covers: lib/ethtool_privflags.c:nl_ethtool_privflags_parse
// fuzz-covers: lib/ethtool_bitlist.c:nl_ethtool_bitlist_put,name_put
// fuzz-covers: ethtool-lite/num.c:et_num_is_bitset,et_num_bitset
// fuzz-covers: ethtool-lite/num.c:et_num_string,nsb
/*
 * libFuzzer target: the ethtool replies read as lists of named bits
 * (lib/ethtool_bitlist.c) and the messages built on them: TSINFO_GET
 * (ethtool -T), PRIVFLAGS_GET, and the EEE and FEC rows of
 * lib/ethtool_msg.c's table.  The input is a reply buffer read from the
 * kernel; the same bytes, as a string, go to --set-priv-flags' numeric
 * bitset parser and, as names, to the list --set-fec sends.
 */
// sources: ethtool-lite/privflags.c ethtool-lite/print.c
// sources: ethtool-lite/num.c ethtool-lite/nlctx.c ethtool-lite/sset_bits.c
// sources: ethtool-lite/setmsg.c
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <linux/ethtool_netlink.h>
#include <linux/netlink.h>
#include <libmnl/libmnl.h>

#include "fuzz.h"
#include "embnet/ethtool_bitlist.h"
#include "embnet/ethtool_privflags.h"
#include "embnet/ethtool_tsinfo.h"
#include "embnet/nl.h"
#include "../../ethtool-lite/et.h"

/* What a parsed list promises its printer. */
static void check_list(const struct nl_ethtool_bitlist *l)
{
	uint32_t i;

	CHECK(l->n <= NL_ETHTOOL_BITLIST_MAX);
	for (i = 0; i < l->n; i++) {
		CHECK(l->bits[i].index < l->n_bits);
		CHECK(memchr(l->bits[i].name, 0, sizeof(l->bits[i].name)));
	}
	nl_ethtool_bitlist_empty(l);
}

static int reply_cb(const struct nlmsghdr *nlh, void *data)
{
	static struct nl_ethtool_tsinfo ts;
	static struct nl_ethtool_privflags pf;
	static struct nl_ethtool_attrs a;

	(void)data;
	nl_ethtool_attrs_parse(nlh, ETHTOOL_MSG_EEE_GET, &a);
	nl_ethtool_attrs_parse(nlh, ETHTOOL_MSG_FEC_GET, &a);
	if (nl_ethtool_privflags_parse(nlh, &pf) == 0)
		check_list(&pf.flags);
	if (nl_ethtool_tsinfo_parse(nlh, &ts) == 0) {
		check_list(&ts.ts);
		check_list(&ts.tx);
		check_list(&ts.rx);
	}
	return MNL_CB_OK;
}

/* The input as names of a NOMASK list, into a small buffer. */
static void list_put(const char *arg)
{
	char buf[256] __attribute__((aligned(4)));
	const char *names[2] = { arg, "RS" };
	struct nlmsghdr *nlh;
	size_t len = strlen(arg);
	int err;

	memset(buf, 0, sizeof(buf));
	nlh = mnl_nlmsg_put_header(buf);
	err = nl_ethtool_bitlist_put(nlh, sizeof(buf), 2, names, 2);
	CHECK(nlh->nlmsg_len <= sizeof(buf));
	CHECK(err == 0 || len == 0 || len >= NL_ETHTOOL_NAME_LEN ||
	      err == -EMSGSIZE);
}

/* --set-priv-flags' "[0x]VALUE[/[0x]MASK]" on the input as one word. */
static void cli_number(const uint8_t *data, size_t size)
{
	struct nl_ethtool_bitset bs;
	const char *shown;
	char arg[512];

	if (size >= sizeof(arg))
		size = sizeof(arg) - 1;
	memcpy(arg, data, size);
	arg[size] = 0;
	if (et_num_bitset(arg, size & 1, &bs, &shown) == 0)
		CHECK(bs.n_bits <= NL_ETHTOOL_MAX_BITS);
	CHECK(shown >= arg && shown <= arg + strlen(arg));
	list_put(arg);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct nl_sock ns;
	uint32_t seq = 0;

	memset(&ns, 0, sizeof(ns));
	if (size >= sizeof(struct nlmsghdr))
		memcpy(&seq, data + offsetof(struct nlmsghdr, nlmsg_seq),
		       sizeof(seq));
	nl_parse_reply(&ns, data, size, seq, reply_cb, NULL);
	cli_number(data, size);
	return 0;
}

// SPDX-License-Identifier: MIT
/*
 * ethtool -T: the TSINFO_GET reply (three bitsets and the PTP hardware
 * clock's index) and its ioctl, ETHTOOL_GET_TS_INFO.
 */
#include <errno.h>
#include <string.h>

#include <linux/ethtool.h>
#include <linux/ethtool_netlink.h>
#include <linux/genetlink.h>
#include <libmnl/libmnl.h>

#include "embnet/ethtool.h"
#include "embnet/ethtool_bitlist.h"
#include "embnet/ethtool_tsinfo.h"

static const struct nl_policy tsinfo_pol[ETHTOOL_A_TSINFO_MAX + 1] = {
	[ETHTOOL_A_TSINFO_HEADER] = { .kind = NL_A_NESTED },
	[ETHTOOL_A_TSINFO_TIMESTAMPING] = { .kind = NL_A_NESTED },
	[ETHTOOL_A_TSINFO_TX_TYPES] = { .kind = NL_A_NESTED },
	[ETHTOOL_A_TSINFO_RX_FILTERS] = { .kind = NL_A_NESTED },
	[ETHTOOL_A_TSINFO_PHC_INDEX] = { .kind = NL_A_U32 },
};

/* Parses bitset @a, if sent, into @l; *@has says whether it was. */
static int opt_list(const struct nlattr *a, bool *has,
		    struct nl_ethtool_bitlist *l)
{
	*has = a != NULL;
	return a ? nl_ethtool_bitlist_parse(a, l) : 0;
}

int nl_ethtool_tsinfo_parse(const struct nlmsghdr *nlh, void *out)
{
	const struct nlattr *tb[ETHTOOL_A_TSINFO_MAX + 1];
	struct nl_ethtool_tsinfo *ts = out;
	int err;

	memset(ts, 0, sizeof(*ts));
	if (nl_parse_attrs(nlh, GENL_HDRLEN, tb, ETHTOOL_A_TSINFO_MAX,
			   tsinfo_pol) < 0)
		return -EBADMSG;
	if (tb[ETHTOOL_A_TSINFO_HEADER] &&
	    nl_ethtool_header_parse(tb[ETHTOOL_A_TSINFO_HEADER], &ts->dev) < 0)
		return -EBADMSG;
	err = opt_list(tb[ETHTOOL_A_TSINFO_TIMESTAMPING], &ts->has_ts, &ts->ts);
	if (err == 0)
		err = opt_list(tb[ETHTOOL_A_TSINFO_TX_TYPES], &ts->has_tx,
			       &ts->tx);
	if (err == 0)
		err = opt_list(tb[ETHTOOL_A_TSINFO_RX_FILTERS], &ts->has_rx,
			       &ts->rx);
	if (err < 0)
		return err;
	ts->has_phc = tb[ETHTOOL_A_TSINFO_PHC_INDEX] != NULL;
	ts->phc_index = nl_attr_u32_or(tb[ETHTOOL_A_TSINFO_PHC_INDEX], 0);
	return 0;
}

int nl_ethtool_tsinfo_get(struct nl_sock *ns, const struct nl_genl_family *fam,
			  const struct nl_ethtool_dev *dev, uint32_t flags,
			  struct nl_ethtool_tsinfo *out)
{
	return nl_ethtool_get_one(ns, fam, dev, ETHTOOL_MSG_TSINFO_GET, flags,
				  nl_ethtool_tsinfo_parse, out);
}

int ethtool_ioctl_tsinfo_get(const char *ifname, struct ethtool_ts_info *out)
{
	memset(out, 0, sizeof(*out));
	out->cmd = ETHTOOL_GET_TS_INFO;
	return ethtool_ioctl(ifname, out);
}

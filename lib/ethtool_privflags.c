// SPDX-License-Identifier: MIT
/*
 * Driver private flags: the PRIVFLAGS_GET reply (one bitset, verbose: the
 * names are the driver's) and the PRIVFLAGS_SET request; over ioctl,
 * ETHTOOL_GPFLAGS and ETHTOOL_SPFLAGS.
 */
#include <errno.h>
#include <string.h>

#include <linux/ethtool.h>
#include <linux/ethtool_netlink.h>
#include <linux/genetlink.h>
#include <libmnl/libmnl.h>

#include "embnet/ethtool.h"
#include "embnet/ethtool_bitlist.h"
#include "embnet/ethtool_privflags.h"

static const struct nl_policy privflags_pol[ETHTOOL_A_PRIVFLAGS_MAX + 1] = {
	[ETHTOOL_A_PRIVFLAGS_HEADER] = { .kind = NL_A_NESTED },
	[ETHTOOL_A_PRIVFLAGS_FLAGS] = { .kind = NL_A_NESTED },
};

int nl_ethtool_privflags_parse(const struct nlmsghdr *nlh, void *out)
{
	const struct nlattr *tb[ETHTOOL_A_PRIVFLAGS_MAX + 1];
	struct nl_ethtool_privflags *pf = out;

	memset(pf, 0, sizeof(*pf));
	if (nl_parse_attrs(nlh, GENL_HDRLEN, tb, ETHTOOL_A_PRIVFLAGS_MAX,
			   privflags_pol) < 0)
		return -EBADMSG;
	if (tb[ETHTOOL_A_PRIVFLAGS_HEADER] &&
	    nl_ethtool_header_parse(tb[ETHTOOL_A_PRIVFLAGS_HEADER], &pf->dev) <
		    0)
		return -EBADMSG;
	if (!tb[ETHTOOL_A_PRIVFLAGS_FLAGS])
		return 0;
	pf->has_flags = true;
	return nl_ethtool_bitlist_parse(tb[ETHTOOL_A_PRIVFLAGS_FLAGS],
					&pf->flags);
}

int nl_ethtool_privflags_get(struct nl_sock *ns,
			     const struct nl_genl_family *fam,
			     const struct nl_ethtool_dev *dev,
			     struct nl_ethtool_privflags *out)
{
	return nl_ethtool_get_one(ns, fam, dev, ETHTOOL_MSG_PRIVFLAGS_GET, 0,
				  nl_ethtool_privflags_parse, out);
}

int nl_ethtool_privflags_put(struct nlmsghdr *nlh, size_t buf_len,
			     const struct nl_ethtool_named_bit *bits, size_t n,
			     const struct nl_ethtool_bitset *bs)
{
	if (bs)
		return nl_ethtool_bitset_put(nlh, buf_len,
					     ETHTOOL_A_PRIVFLAGS_FLAGS, bs);
	return nl_ethtool_bitset_put_named(nlh, buf_len,
					   ETHTOOL_A_PRIVFLAGS_FLAGS, bits, n);
}

int nl_ethtool_privflags_set(struct nl_sock *ns,
			     const struct nl_genl_family *fam,
			     const struct nl_ethtool_dev *dev,
			     const struct nl_ethtool_named_bit *bits, size_t n,
			     const struct nl_ethtool_bitset *bs)
{
	char buf[MNL_SOCKET_BUFFER_SIZE] NL_ALIGNED;
	struct nlmsghdr *nlh;
	int err;

	err = nl_ethtool_msg(buf, sizeof(buf), fam, ETHTOOL_MSG_PRIVFLAGS_SET,
			     dev, 0, &nlh);
	if (err == 0)
		err = nl_ethtool_privflags_put(nlh, sizeof(buf), bits, n, bs);
	if (err < 0)
		return err;
	return nl_talk(ns, nlh, NULL, NULL);
}

int ethtool_ioctl_pflags_get(const char *ifname, uint32_t *flags)
{
	struct ethtool_value v = { .cmd = ETHTOOL_GPFLAGS };
	int err;

	err = ethtool_ioctl(ifname, &v);
	*flags = err < 0 ? 0 : v.data;
	return err;
}

int ethtool_ioctl_pflags_set(const char *ifname, uint32_t flags)
{
	struct ethtool_value v = { .cmd = ETHTOOL_SPFLAGS, .data = flags };

	return ethtool_ioctl(ifname, &v);
}

// SPDX-License-Identifier: MIT
/*
 * The permanent hardware address, which ethtool 6.1 reads over rtnetlink
 * (IFLA_PERM_ADDRESS) rather than the ethtool family; perm_pol is the
 * reply's attribute policy.
 */
#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <net/if.h>

#include <linux/if_link.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <libmnl/libmnl.h>

#include "embnet/ethtool.h"
#include "embnet/nl.h"

static const struct nl_policy perm_pol[IFLA_MAX + 1] = {
	[IFLA_IFNAME] = { .kind = NL_A_STRING },
	[IFLA_PERM_ADDRESS] = { NL_A_BINARY, 0, NL_ETHTOOL_PERM_MAX },
};

int nl_ethtool_permaddr_parse(const struct nlmsghdr *nlh,
			      struct nl_ethtool_permaddr *out)
{
	const struct nlattr *tb[IFLA_MAX + 1];
	const struct nlattr *a;

	memset(out, 0, sizeof(*out));
	if (nlh->nlmsg_type != RTM_NEWLINK ||
	    nl_parse_attrs(nlh, sizeof(struct ifinfomsg), tb, IFLA_MAX,
			   perm_pol) < 0 ||
	    !tb[IFLA_IFNAME] ||
	    nl_attr_strcpy(tb[IFLA_IFNAME], out->ifname, sizeof(out->ifname)))
		return -EBADMSG;
	a = tb[IFLA_PERM_ADDRESS];
	if (a) {
		out->len = (uint8_t)mnl_attr_get_payload_len(a);
		memcpy(out->addr, mnl_attr_get_payload(a), out->len);
		out->present = true;
	}
	return 0;
}

struct perm_ctx {
	bool found;
	struct nl_ethtool_permaddr *out;
};

static int perm_cb(const struct nlmsghdr *nlh, void *data)
{
	struct perm_ctx *ctx = data;
	int err;

	if (ctx->found)
		return MNL_CB_OK;
	err = nl_ethtool_permaddr_parse(nlh, ctx->out);
	if (err < 0)
		return err;
	ctx->found = true;
	return MNL_CB_OK;
}

int nl_ethtool_permaddr_get(struct nl_sock *ns, const char *ifname,
			    struct nl_ethtool_permaddr *out)
{
	char buf[MNL_SOCKET_BUFFER_SIZE] NL_ALIGNED;
	struct perm_ctx ctx = { .out = out };
	struct nlmsghdr *nlh;
	struct ifinfomsg *ifi;
	uint16_t type = IFLA_IFNAME;
	int err;

	if (strlen(ifname) >= IFNAMSIZ)
		type = IFLA_ALT_IFNAME;
	nlh = nl_msg(buf, RTM_GETLINK, 0);
	ifi = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifi));
	ifi->ifi_family = AF_UNSPEC;
	if (!mnl_attr_put_strz_check(nlh, sizeof(buf), type, ifname) ||
	    !mnl_attr_put_u32_check(nlh, sizeof(buf), IFLA_EXT_MASK,
				    RTEXT_FILTER_SKIP_STATS))
		return -EINVAL;
	err = nl_talk(ns, nlh, perm_cb, &ctx);
	if (err < 0)
		return err;
	return ctx.found ? 0 : -EBADMSG;
}

// SPDX-License-Identifier: MIT
/*
 * Generic netlink (see genl.h): the request header, the controller's
 * family request and reply parser (attribute policies ctrl_pol, op_pol,
 * grp_pol), family resolution and multicast groups.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include <linux/genetlink.h>
#include <linux/netlink.h>
#include <libmnl/libmnl.h>

#include "embnet/genl.h"
#include "embnet/nl.h"

/* The controller's own version; any value >= 1 is answered alike. */
#define GENL_CTRL_VERSION 1

struct nlmsghdr *nl_genl_msg(void *buf, uint16_t family_id, uint8_t cmd,
			     uint8_t version, uint16_t flags)
{
	struct nlmsghdr *nlh = nl_msg(buf, family_id, flags);
	struct genlmsghdr *g;

	g = mnl_nlmsg_put_extra_header(nlh, sizeof(*g));
	g->cmd = cmd;
	g->version = version;
	return nlh;
}

int nl_genl_family_request(void *buf, size_t buf_len, const char *name,
			   struct nlmsghdr **out)
{
	struct nlmsghdr *nlh;
	size_t len = strlen(name);

	if (len == 0 || len >= GENL_NAMSIZ)
		return -EINVAL;
	if (buf_len < MNL_NLMSG_HDRLEN + GENL_HDRLEN)
		return -EMSGSIZE;
	nlh = nl_genl_msg(buf, GENL_ID_CTRL, CTRL_CMD_GETFAMILY,
			  GENL_CTRL_VERSION, 0);
	if (!mnl_attr_put_strz_check(nlh, buf_len, CTRL_ATTR_FAMILY_NAME, name))
		return -EMSGSIZE;
	*out = nlh;
	return 0;
}

static const struct nl_policy ctrl_pol[CTRL_ATTR_MAX + 1] = {
	[CTRL_ATTR_FAMILY_ID] = { .kind = NL_A_U16 },
	[CTRL_ATTR_FAMILY_NAME] = { .kind = NL_A_STRING },
	[CTRL_ATTR_VERSION] = { .kind = NL_A_U32 },
	[CTRL_ATTR_HDRSIZE] = { .kind = NL_A_U32 },
	[CTRL_ATTR_MAXATTR] = { .kind = NL_A_U32 },
	[CTRL_ATTR_OPS] = { .kind = NL_A_NESTED },
	[CTRL_ATTR_MCAST_GROUPS] = { .kind = NL_A_NESTED },
};

/* Both kinds of entry hold only u32s and a name, type 0 included. */
static const struct nl_policy op_pol[CTRL_ATTR_OP_MAX + 1] = {
	[CTRL_ATTR_OP_UNSPEC] = { .kind = NL_A_U32 },
	[CTRL_ATTR_OP_ID] = { .kind = NL_A_U32 },
	[CTRL_ATTR_OP_FLAGS] = { .kind = NL_A_U32 },
};

static const struct nl_policy grp_pol[CTRL_ATTR_MCAST_GRP_MAX + 1] = {
	[CTRL_ATTR_MCAST_GRP_UNSPEC] = { .kind = NL_A_U32 },
	[CTRL_ATTR_MCAST_GRP_NAME] = { .kind = NL_A_STRING },
	[CTRL_ATTR_MCAST_GRP_ID] = { .kind = NL_A_U32 },
};

static int op_cb(const struct nlattr *a, void *data)
{
	struct nl_genl_family *fam = data;
	const struct nlattr *tb[CTRL_ATTR_OP_MAX + 1];
	uint32_t id;

	if (nl_parse_nested(a, tb, CTRL_ATTR_OP_MAX, op_pol) < 0 ||
	    !tb[CTRL_ATTR_OP_ID])
		return -EBADMSG;
	id = mnl_attr_get_u32(tb[CTRL_ATTR_OP_ID]);
	if (id < NL_GENL_MAX_OPS) /* commands are u8: others are bogus */
		fam->ops[id / 32] |= 1u << (id % 32);
	return 0;
}

static int grp_cb(const struct nlattr *a, void *data)
{
	struct nl_genl_family *fam = data;
	const struct nlattr *tb[CTRL_ATTR_MCAST_GRP_MAX + 1];
	struct nl_genl_group *g;
	uint32_t id;

	if (nl_parse_nested(a, tb, CTRL_ATTR_MCAST_GRP_MAX, grp_pol) ||
	    !tb[CTRL_ATTR_MCAST_GRP_NAME] || !tb[CTRL_ATTR_MCAST_GRP_ID])
		return -EBADMSG;
	id = mnl_attr_get_u32(tb[CTRL_ATTR_MCAST_GRP_ID]);
	if (id == 0 || id > INT32_MAX)
		return -EBADMSG;
	if (fam->n_groups == NL_GENL_MAX_GROUPS)
		return 0; /* documented cap: the rest are not kept */
	g = &fam->groups[fam->n_groups];
	if (nl_attr_strcpy(tb[CTRL_ATTR_MCAST_GRP_NAME], g->name,
			   sizeof(g->name)) < 0)
		return -EBADMSG;
	g->id = id;
	fam->n_groups++;
	return 0;
}

int nl_genl_family_parse(const struct nlmsghdr *nlh, struct nl_genl_family *fam)
{
	const struct nlattr *tb[CTRL_ATTR_MAX + 1];
	int err;

	memset(fam, 0, sizeof(*fam));
	err = nl_parse_attrs(nlh, GENL_HDRLEN, tb, CTRL_ATTR_MAX, ctrl_pol);
	if (err < 0)
		return err;
	if (!tb[CTRL_ATTR_FAMILY_ID] || !tb[CTRL_ATTR_FAMILY_NAME])
		return -EBADMSG;
	fam->id = mnl_attr_get_u16(tb[CTRL_ATTR_FAMILY_ID]);
	if (nl_attr_strcpy(tb[CTRL_ATTR_FAMILY_NAME], fam->name,
			   sizeof(fam->name)) < 0)
		return -EBADMSG;
	fam->version = nl_attr_u32_or(tb[CTRL_ATTR_VERSION], 0);
	fam->hdrsize = nl_attr_u32_or(tb[CTRL_ATTR_HDRSIZE], 0);
	fam->maxattr = nl_attr_u32_or(tb[CTRL_ATTR_MAXATTR], 0);
	if (tb[CTRL_ATTR_OPS]) {
		err = nl_nest_walk(tb[CTRL_ATTR_OPS], op_cb, fam);
		if (err < 0)
			return err;
	}
	if (tb[CTRL_ATTR_MCAST_GROUPS])
		return nl_nest_walk(tb[CTRL_ATTR_MCAST_GROUPS], grp_cb, fam);
	return 0;
}

struct resolve_ctx {
	struct nl_genl_family *fam;
	bool found;
};

static int family_cb(const struct nlmsghdr *nlh, void *data)
{
	struct resolve_ctx *ctx = data;
	int err;

	if (nlh->nlmsg_type != GENL_ID_CTRL)
		return MNL_CB_OK;
	err = nl_genl_family_parse(nlh, ctx->fam);
	if (err < 0)
		return err;
	ctx->found = true;
	return MNL_CB_OK;
}

int nl_genl_resolve(struct nl_sock *ns, const char *name,
		    struct nl_genl_family *fam)
{
	char buf[MNL_SOCKET_BUFFER_SIZE] NL_ALIGNED;
	struct resolve_ctx ctx = { .fam = fam };
	struct nlmsghdr *nlh;
	int err;

	err = nl_genl_family_request(buf, sizeof(buf), name, &nlh);
	if (err < 0)
		return err;
	err = nl_talk(ns, nlh, family_cb, &ctx);
	if (err < 0)
		return err;
	if (!ctx.found)
		return -EBADMSG; /* an ACK without the family */
	return 0;
}

int nl_genl_group(const struct nl_genl_family *fam, const char *name)
{
	unsigned int i;

	for (i = 0; i < fam->n_groups && i < NL_GENL_MAX_GROUPS; i++) {
		if (strcmp(fam->groups[i].name, name) == 0)
			return (int)fam->groups[i].id;
	}
	return -ENOENT;
}

bool nl_genl_has_op(const struct nl_genl_family *fam, uint8_t cmd)
{
	return fam->ops[cmd / 32] & (1u << (cmd % 32));
}

int nl_genl_join(struct nl_sock *ns, uint32_t group)
{
	int g = (int)group;

	if (mnl_socket_setsockopt(ns->nl, NETLINK_ADD_MEMBERSHIP, &g,
				  sizeof(g)) < 0)
		return -errno;
	return 0;
}

// SPDX-License-Identifier: MIT
/*
 * SET requests (-C, -L, -G, -A and -s's) as 6.1's nl_parser() builds
 * them: each parameter appends its attribute as it is parsed, so the
 * attributes follow the command line, and so does the offset in the
 * kernel's extended ack naming the one it refuses.
 */
#include <errno.h>
#include <string.h>

#include <linux/ethtool.h>
#include <linux/ethtool_netlink.h>
#include <libmnl/libmnl.h>

#include "et.h"

void et_setmsg_init(struct et_setmsg *m, uint8_t cmd)
{
	memset(m, 0, sizeof(*m));
	m->cmd = cmd;
}

/* Records attribute @type as the next one (once: a later call keeps it
 * where it first came). */
int et_setmsg_add(struct et_setmsg *m, uint16_t type)
{
	size_t i;

	for (i = 0; i < m->n_order; i++) {
		if (m->order[i] == type)
			return 0;
	}
	if (m->n_order >= ET_SETMSG_MAX)
		return -E2BIG;
	m->order[m->n_order++] = type;
	return 0;
}

/* Attribute @type of @m alone: @one is a copy of m->a. */
static int put_one(struct nlmsghdr *nlh, size_t buf_len,
		   const struct et_setmsg *m, struct nl_ethtool_attrs *one,
		   uint16_t type)
{
	if (m->named.n && m->named.type == type)
		return nl_ethtool_bitset_put_named(nlh, buf_len, type,
						   m->named.bits, m->named.n);
	if (!nl_ethtool_attr_has(&m->a, type))
		return 0;
	one->present = 1u << type;
	return nl_ethtool_attrs_put(nlh, buf_len, m->cmd, one);
}

/*
 * Appends the attributes of @m in the order they were added; any present
 * but never added (none should be) follow in table order.
 */
int et_setmsg_put(struct nlmsghdr *nlh, size_t buf_len,
		  const struct et_setmsg *m)
{
	struct nl_ethtool_attrs one = m->a;
	uint32_t done = 0;
	size_t i;
	int err;

	for (i = 0; i < m->n_order; i++) {
		err = put_one(nlh, buf_len, m, &one, m->order[i]);
		if (err < 0)
			return err;
		if (m->order[i] < NL_ETHTOOL_MAX_ATTRS)
			done |= 1u << m->order[i];
	}
	one.present = m->a.present & ~done;
	return one.present ? nl_ethtool_attrs_put(nlh, buf_len, m->cmd, &one)
			   : 0;
}

int et_setmsg_send(struct et_ctx *c, const struct et_setmsg *m)
{
	char buf[MNL_SOCKET_BUFFER_SIZE] NL_ALIGNED;
	struct nlmsghdr *nlh;
	int err;

	err = nl_ethtool_msg(buf, sizeof(buf), &c->fam, m->cmd, &c->dev, 0,
			     &nlh);
	if (err == 0)
		err = et_setmsg_put(nlh, sizeof(buf), m);
	if (err < 0)
		return err;
	return nl_talk(&c->ns, nlh, NULL, NULL);
}

/* SPDX-License-Identifier: MIT */
/*
 * Generic netlink: message header, family and multicast-group resolution
 * through the "nlctrl" controller (CTRL_CMD_GETFAMILY).
 *
 * Builders are pure and write into a caller's buffer; the family parser is
 * pure and checks every attribute it uses.  Open the socket with
 * nl_open(ns, NETLINK_GENERIC).
 */
#ifndef EMBNET_GENL_H
#define EMBNET_GENL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <linux/genetlink.h>
#include <libmnl/libmnl.h>

#include "embnet/nl.h"

#define NL_GENL_MAX_GROUPS 16 /* multicast groups kept per family */
#define NL_GENL_MAX_OPS 256   /* genl commands are u8 */

struct nl_genl_group {
	char name[GENL_NAMSIZ];
	uint32_t id;
};

struct nl_genl_family {
	char name[GENL_NAMSIZ];
	uint16_t id;
	uint32_t version;
	uint32_t hdrsize;
	uint32_t maxattr;
	uint32_t ops[NL_GENL_MAX_OPS / 32]; /* bit n: command n is known */
	unsigned int n_groups;
	struct nl_genl_group groups[NL_GENL_MAX_GROUPS];
};

/*
 * Starts a request to family @family_id in @buf (MNL_SOCKET_BUFFER_SIZE
 * bytes): netlink header with @flags (NLM_F_REQUEST added), then a
 * genlmsghdr with @cmd and @version.  Pure; returns the message.
 */
struct nlmsghdr *nl_genl_msg(void *buf, uint16_t family_id, uint8_t cmd,
			     uint8_t version, uint16_t flags);

/*
 * Builds the CTRL_CMD_GETFAMILY request for family @name in @buf of
 * @buf_len bytes and stores it in *@out.  Pure.  Returns 0, -EINVAL for an
 * empty name or one longer than GENL_NAMSIZ - 1, or -EMSGSIZE.
 */
int nl_genl_family_request(void *buf, size_t buf_len, const char *name,
			   struct nlmsghdr **out);

/*
 * Parses a CTRL_CMD_NEWFAMILY message into @fam (zeroed first): id, name,
 * version, hdrsize, maxattr, command ids and the first NL_GENL_MAX_GROUPS
 * multicast groups.  Pure.  Returns 0, or -EBADMSG if the id or name is
 * missing or any attribute used is malformed.
 */
int nl_genl_family_parse(const struct nlmsghdr *nlh,
			 struct nl_genl_family *fam);

/*
 * Asks the controller on @ns (a NETLINK_GENERIC socket) for family @name
 * and fills @fam.  Returns 0, -ENOENT if the kernel has no such family, or
 * another -errno (the kernel's extended-ack text is in nl_ext_msg(ns)).
 */
int nl_genl_resolve(struct nl_sock *ns, const char *name,
		    struct nl_genl_family *fam);

/* Returns the id (> 0) of multicast group @name of @fam, or -ENOENT. */
int nl_genl_group(const struct nl_genl_family *fam, const char *name);

/* Returns true if the kernel listed command @cmd among @fam's operations. */
bool nl_genl_has_op(const struct nl_genl_family *fam, uint8_t cmd);

/*
 * Joins multicast group @group (from nl_genl_group()) on @ns, so that its
 * notifications arrive on the socket (seq 0, portid 0).  Returns 0/-errno.
 */
int nl_genl_join(struct nl_sock *ns, uint32_t group);

#endif

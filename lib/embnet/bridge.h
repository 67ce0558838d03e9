/* SPDX-License-Identifier: MIT */
/*
 * Linux bridges over rtnetlink: create a bridge, set its IFLA_BR_*
 * options, enslave and release ports, set their IFLA_BRPORT_* options,
 * and read back what `brctl showstp` shows (forward delay, port states).
 *
 * As in link.h, each request has a pure builder (nl_bridge_*_msg(), for the
 * unit tests) writing into MNL_SOCKET_BUFFER_SIZE bytes, which returns NULL
 * when an argument does not fit; the operations then return -EINVAL.
 */
#ifndef EMBNET_BRIDGE_H
#define EMBNET_BRIDGE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <net/if.h>

#include <linux/netlink.h>

#include "embnet/nl.h"

#define NL_BRIDGE_MAX_PORTS 1024 /* BR_MAX_PORTS of the kernel */

/* What nl_bridge_parse() reads of one RTM_NEWLINK message. */
struct nl_bridge_link {
	int index;
	int master; /* IFLA_MASTER, 0 if none */
	char name[IFNAMSIZ];
	unsigned int flags;	/* IFF_* */
	bool is_bridge;		/* IFLA_INFO_KIND "bridge" */
	bool is_port;		/* IFLA_INFO_SLAVE_KIND "bridge" */
	uint32_t forward_delay; /* IFLA_BR_FORWARD_DELAY, centiseconds */
	uint8_t port_state;	/* IFLA_BRPORT_STATE, BR_STATE_* */
};

/*
 * Decodes @nlh (RTM_NEWLINK) into @out (zeroed first): name, index, flags,
 * master, and the bridge or bridge-port data of IFLA_LINKINFO.  Unknown
 * attributes are skipped.  Returns 0, -EBADMSG if malformed, -EPROTO if
 * not a link message.
 */
int nl_bridge_parse(const struct nlmsghdr *nlh, struct nl_bridge_link *out);

/* RTM_NEWLINK, NLM_F_CREATE | NLM_F_EXCL, of a "bridge" called @name. */
struct nlmsghdr *nl_bridge_add_msg(void *buf, const char *name);

/*
 * RTM_NEWLINK on bridge @index with IFLA_INFO_DATA { @attr: @value }, as
 * `ip link set dev BR type bridge ATTR VALUE` sends it.  @attr is one of
 * IFLA_BR_FORWARD_DELAY, _HELLO_TIME, _MAX_AGE, _AGEING_TIME (u32,
 * centiseconds), _STP_STATE (u32), _PRIORITY (u16), _VLAN_FILTERING (u8);
 * NULL for any other.
 */
struct nlmsghdr *nl_bridge_set_msg(void *buf, int index, uint16_t attr,
				   uint32_t value);

/*
 * RTM_NEWLINK on port @index with IFLA_INFO_SLAVE_KIND "bridge" and
 * IFLA_INFO_SLAVE_DATA { @attr: @value }, as `ip link set dev P type
 * bridge_slave ...`.  @attr is IFLA_BRPORT_PRIORITY (u16) or
 * IFLA_BRPORT_COST (u32); NULL for any other.
 */
struct nlmsghdr *nl_bridge_port_set_msg(void *buf, int index, uint16_t attr,
					uint32_t value);

/* RTM_SETLINK of link @index with IFLA_MASTER @master (0: release it). */
struct nlmsghdr *nl_bridge_master_msg(void *buf, int index, int master);

/*
 * RTM_SETLINK of link @index with IFLA_AF_SPEC { AF_INET6 {
 * IFLA_INET6_ADDR_GEN_MODE @mode } }: `ip link set P addrgenmode none`
 * for @mode IN6_ADDR_GEN_MODE_NONE, which bridge ports get.
 */
struct nlmsghdr *nl_bridge_addrgen_msg(void *buf, int index, uint8_t mode);

/* Creates bridge @name.  Returns 0 or -errno (-EEXIST if it exists). */
int nl_bridge_add(struct nl_sock *ns, const char *name);

/* Sets option @attr of bridge @index (see nl_bridge_set_msg()). */
int nl_bridge_set(struct nl_sock *ns, int index, uint16_t attr, uint32_t value);

/* Sets option @attr of bridge port @index (nl_bridge_port_set_msg()). */
int nl_bridge_port_set(struct nl_sock *ns, int index, uint16_t attr,
		       uint32_t value);

/* Enslaves link @index to @master, or releases it (@master 0). */
int nl_bridge_set_master(struct nl_sock *ns, int index, int master);

/* Sets the IPv6 address generation mode of link @index. */
int nl_bridge_set_addrgen(struct nl_sock *ns, int index, uint8_t mode);

/*
 * Reads link @name into @out (nl_bridge_parse()).  Returns 0 or -errno
 * (-ENODEV: no such link).
 */
int nl_bridge_get(struct nl_sock *ns, const char *name,
		  struct nl_bridge_link *out);

/*
 * Fills @ports (@max entries) with the ports of bridge @index, sorted by
 * name (as `brctl showstp` lists them), and sets *@n.  Returns 0, -errno,
 * or -E2BIG if there are more than @max.
 */
int nl_bridge_ports(struct nl_sock *ns, int index, struct nl_bridge_link *ports,
		    size_t max, size_t *n);

#endif

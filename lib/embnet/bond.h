/* SPDX-License-Identifier: MIT */
/*
 * Linux bonding over rtnetlink: create a bond, set its IFLA_BOND_*
 * options one at a time (as each write under /sys/class/net/BOND/bonding/
 * sets one), enslave and release links, and read back what those sysfs
 * files show (mode, timers, ARP targets, primary, who is a slave of whom).
 * Option text is parsed as the kernel's sysfs parses it (a number, or the
 * option's value name), so a value means the same on either path.
 *
 * As in link.h, each request has a pure builder (nl_bond_*_msg(), for the
 * unit tests) writing into MNL_SOCKET_BUFFER_SIZE bytes, which returns NULL
 * when an argument does not fit; the operations then return -EINVAL.
 */
#ifndef EMBNET_BOND_H
#define EMBNET_BOND_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <net/if.h>

#include <linux/netlink.h>

#include "embnet/nl.h"

#define NL_BOND_MAX_TARGETS 16 /* BOND_MAX_ARP_TARGETS of the kernel */

/* What nl_bond_parse() reads of one RTM_NEWLINK message. */
struct nl_bond_link {
	int index;
	int master; /* IFLA_MASTER, 0 if none */
	char name[IFNAMSIZ];
	unsigned int flags; /* IFF_* */
	bool is_bond;	    /* IFLA_INFO_KIND "bond" */
	bool is_slave;	    /* IFLA_INFO_SLAVE_KIND "bond" */
	uint8_t mode, xmit_hash_policy, lacp_rate;
	uint32_t miimon, updelay, downdelay, arp_interval;
	int primary; /* IFLA_BOND_PRIMARY ifindex, 0 if none */
	uint32_t targets[NL_BOND_MAX_TARGETS]; /* network byte order */
	size_t n_targets;
};

/*
 * Parses @text as the kernel's bond_opt_parse() does a sysfs write to
 * option @attr (IFLA_BOND_MODE, _MIIMON, _UPDELAY, _DOWNDELAY,
 * _ARP_INTERVAL, _XMIT_HASH_POLICY or _AD_LACP_RATE): digits (and
 * blanks) are a number that must be in the option's range; any other
 * text's first word must be one of its value names or "default".  Pure.
 * Returns 0 with *@value set, -EINVAL for a value the kernel would
 * refuse, or -EOPNOTSUPP for another @attr.
 */
int nl_bond_value_parse(uint16_t attr, const char *text, uint32_t *value);

/*
 * Decodes @nlh (RTM_NEWLINK) into @out (zeroed first): name, index, flags,
 * master, and the bond or bond-slave data of IFLA_LINKINFO.  Unknown
 * attributes are skipped.  Returns 0, -EBADMSG if malformed, -EPROTO if
 * not a link message.
 */
int nl_bond_parse(const struct nlmsghdr *nlh, struct nl_bond_link *out);

/* RTM_NEWLINK, NLM_F_CREATE | NLM_F_EXCL, of a "bond" called @name (`ip
 * link add dev NAME type bond`: no options, the kernel's defaults). */
struct nlmsghdr *nl_bond_add_msg(void *buf, const char *name);

/*
 * RTM_NEWLINK on bond @index with IFLA_INFO_DATA { @attr: @value }.  @attr
 * is one nl_bond_value_parse() takes (MODE, XMIT_HASH_POLICY and
 * AD_LACP_RATE are u8, the others u32) or IFLA_BOND_PRIMARY (an ifindex,
 * u32); NULL for any other.
 */
struct nlmsghdr *nl_bond_set_msg(void *buf, int index, uint16_t attr,
				 uint32_t value);

/*
 * RTM_NEWLINK on bond @index with IFLA_BOND_ARP_IP_TARGET holding the
 * @n addresses @targets (network order): the kernel replaces its list
 * with them (none: clears it).  NULL when @n > NL_BOND_MAX_TARGETS.
 */
struct nlmsghdr *nl_bond_targets_msg(void *buf, int index,
				     const uint32_t *targets, size_t n);

/* RTM_SETLINK of link @index with IFLA_MASTER @master (0: release it). */
struct nlmsghdr *nl_bond_enslave_msg(void *buf, int index, int master);

/* Creates bond @name.  Returns 0 or -errno (-EEXIST if it exists,
 * -EOPNOTSUPP without the bonding driver). */
int nl_bond_add(struct nl_sock *ns, const char *name);

/* Sets option @attr of bond @index (nl_bond_set_msg()): 0 or -errno. */
int nl_bond_set(struct nl_sock *ns, int index, uint16_t attr, uint32_t value);

/* Sets the ARP targets of bond @index (nl_bond_targets_msg()). */
int nl_bond_set_targets(struct nl_sock *ns, int index, const uint32_t *targets,
			size_t n);

/* Enslaves link @index to @master, or releases it (@master 0). */
int nl_bond_enslave(struct nl_sock *ns, int index, int master);

/* Reads link @name into @out (nl_bond_parse()).  Returns 0 or -errno
 * (-ENODEV: no such link). */
int nl_bond_get(struct nl_sock *ns, const char *name, struct nl_bond_link *out);

/*
 * Fills @slaves (@max entries) with the bond slaves of @index, in index
 * order, and sets *@n.  Returns 0, -errno, or -E2BIG if there are more.
 */
int nl_bond_slaves(struct nl_sock *ns, int index, struct nl_bond_link *slaves,
		   size_t max, size_t *n);

#endif

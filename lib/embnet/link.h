/* SPDX-License-Identifier: MIT */
/*
 * rtnetlink link objects: get, dump and change network interfaces.
 *
 * Each operation is a pure message builder (nl_link_*_msg(), for unit tests)
 * plus the call that sends it with nl_talk()/nl_dump().  Builders write into
 * a buffer of MNL_SOCKET_BUFFER_SIZE bytes and return NULL when an argument
 * does not fit (a name of IFNAMSIZ bytes or more, an over-long alias or
 * hardware address); the operations then return -EINVAL.
 */
#ifndef EMBNET_LINK_H
#define EMBNET_LINK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <net/if.h>

#include <linux/netlink.h>

#include "embnet/nl.h"

#define NL_LINK_ADDR_MAX 32   /* MAX_ADDR_LEN of the kernel */
#define NL_LINK_ALIAS_LEN 256 /* IFALIASZ, with the NUL */
#define NL_LINK_KIND_LEN 16   /* IFLA_INFO_KIND, with the NUL */
#define NL_LINK_OPER_STRLEN 16
#define NL_LINK_MAC_STRLEN (NL_LINK_ADDR_MAX * 3)

struct nl_link {
	int index;
	uint8_t family; /* AF_UNSPEC; AF_BRIDGE for bridge port events */
	char name[IFNAMSIZ];
	unsigned int flags; /* IFF_* as the kernel reports them */
	uint32_t mtu;
	uint8_t addr[NL_LINK_ADDR_MAX];
	uint8_t addr_len;  /* 0: no IFLA_ADDRESS */
	uint8_t operstate; /* IF_OPER_* (RFC 2863) */
	bool has_carrier;  /* IFLA_CARRIER was present */
	bool carrier;
	uint16_t type;		     /* ARPHRD_* */
	char kind[NL_LINK_KIND_LEN]; /* "veth", "vlan", "" if none */
	int link;	  /* IFLA_LINK: parent or peer index, 0 if none */
	uint16_t vlan_id; /* when kind is "vlan" */
	char alias[NL_LINK_ALIAS_LEN];
};

/*
 * Called by nl_link_dump() for each link.  Returns MNL_CB_OK to go on,
 * MNL_CB_STOP to end early, or a negative errno to fail the dump with it.
 */
typedef int (*nl_link_cb_t)(const struct nl_link *link, void *data);

/*
 * Decodes one RTM_NEWLINK/RTM_DELLINK message into @out (zeroed first).
 * Checks the ifinfomsg length and the type and length of every attribute
 * used; unknown attributes are skipped.  Strings may hold any byte but
 * NUL (the kernel allows control bytes): escape them before printing.
 * Returns 0, -EBADMSG if malformed, -EPROTO if not a link message.
 */
int nl_link_parse(const struct nlmsghdr *nlh, struct nl_link *out);

/*
 * True when @link is administratively up and has carrier: IFF_LOWER_UP, or
 * IFLA_CARRIER set (for kernels or drivers that report only that).
 */
bool nl_link_carrier_ok(const struct nl_link *link);

/*
 * Name of @operstate as `ip link` prints it ("UP", "LOWERLAYERDOWN", ...),
 * "UNKNOWN" for values outside RFC 2863.  Returns a static string.
 */
const char *nl_link_oper_name(uint8_t operstate);

/*
 * Writes @len bytes of @addr as "aa:bb:..." into @buf (@buf_len bytes, at
 * least NL_LINK_MAC_STRLEN for any address), "" when @len is 0.  Returns
 * @buf; output that does not fit is cut at a whole byte.
 */
char *nl_link_format_addr(const uint8_t *addr, size_t len, char *buf,
			  size_t buf_len);

/* RTM_GETLINK for @index, or for @name (IFLA_IFNAME) when @index is 0. */
struct nlmsghdr *nl_link_get_msg(void *buf, int index, const char *name);

/* RTM_GETLINK dump of all links, without statistics. */
struct nlmsghdr *nl_link_dump_msg(void *buf);

/* RTM_SETLINK setting (@up) or clearing IFF_UP, ifi_change IFF_UP. */
struct nlmsghdr *nl_link_set_up_msg(void *buf, int index, bool up);

/* RTM_SETLINK with IFLA_MTU @mtu. */
struct nlmsghdr *nl_link_set_mtu_msg(void *buf, int index, uint32_t mtu);

/* RTM_SETLINK with IFLA_ADDRESS of @len bytes (1..NL_LINK_ADDR_MAX). */
struct nlmsghdr *nl_link_set_addr_msg(void *buf, int index, const uint8_t *addr,
				      size_t len);

/* RTM_SETLINK with IFLA_IFNAME @name: renames the link. */
struct nlmsghdr *nl_link_set_name_msg(void *buf, int index, const char *name);

/*
 * RTM_SETLINK with IFLA_IFALIAS @alias, sent without its NUL (the kernel
 * counts it against IFALIASZ); "" is sent as one NUL byte, which clears it.
 */
struct nlmsghdr *nl_link_set_alias_msg(void *buf, int index, const char *alias);

/*
 * RTM_NEWLINK, NLM_F_CREATE | NLM_F_EXCL, of a "vlan" link @name on
 * @parent with IFLA_VLAN_ID @vid (checked by the kernel).
 */
struct nlmsghdr *nl_link_add_vlan_msg(void *buf, const char *name, int parent,
				      uint16_t vid);

/* RTM_SETLINK of @index with IFLA_MASTER @master (0: none), `ip link set
 * master`, as bridge.c and bond.c send it. */
struct nlmsghdr *nl_link_set_master_msg(void *buf, int index, int master);

/* RTM_DELLINK of @index. */
struct nlmsghdr *nl_link_del_msg(void *buf, int index);

/*
 * Starts rtnetlink message @type (RTM_*LINK) with @flags in @buf and its
 * ifinfomsg (AF_UNSPEC, index @index, 0: none), the start of every link
 * request here and in bridge.c, bond.c and tunnel.c.  Pure; never NULL.
 */
struct nlmsghdr *nl_link_msg(void *buf, uint16_t type, uint16_t flags,
			     int index);

/*
 * Starts the RTM_NEWLINK (create, exclusive) of link @name of kind @kind:
 * IFLA_IFNAME, then IFLA_LINKINFO with IFLA_INFO_KIND, the nest left open
 * in *@info for the caller's IFLA_INFO_DATA and mnl_attr_nest_end().
 * Pure.  NULL for a bad @name or a full buffer.
 */
struct nlmsghdr *nl_link_new_msg(void *buf, const char *name, const char *kind,
				 struct nlattr **info);

/* True if @name is a usable interface name: not NULL, 1 to IFNAMSIZ - 1
 * bytes.  Pure. */
bool nl_link_name_ok(const char *name);

/*
 * Sends change request @nlh (a builder's result: NULL when an argument did
 * not fit) and waits for its ACK.  Returns 0, -EINVAL for NULL, or -errno.
 */
int nl_link_talk(struct nl_sock *ns, struct nlmsghdr *nlh);

/* Parses one RTM_NEWLINK reply into the caller's struct: 0 or -errno. */
typedef int (*nl_link_reply_fn)(const struct nlmsghdr *nlh, void *out);

/*
 * nl_link_get() with another reply parser (bridge.c, bond.c): link @index,
 * or @name when @index is 0, read by @parse into @out.  Returns 0, -EINVAL
 * for a bad @name, -ENODEV without a reply, @parse's error or -errno.
 */
int nl_link_get_with(struct nl_sock *ns, int index, const char *name,
		     nl_link_reply_fn parse, void *out);

/*
 * Reads link @index, or the link called @name when @index is 0, into @out.
 * Returns 0 or -errno (-ENODEV: no such link).
 */
int nl_link_get(struct nl_sock *ns, int index, const char *name,
		struct nl_link *out);

/*
 * Calls @cb for every link.  If the kernel reports the dump interrupted,
 * @restart(@data) (may be NULL) is called and the dump starts over.
 * Returns 0 or -errno.
 */
int nl_link_dump(struct nl_sock *ns, nl_link_cb_t cb,
		 void (*restart)(void *data), void *data);

/* Returns the index of link @name, or -ENODEV or another -errno. */
int nl_link_index(struct nl_sock *ns, const char *name);

/* Brings link @index up (@up) or down.  Returns 0 or -errno. */
int nl_link_set_up(struct nl_sock *ns, int index, bool up);

/* Sets the MTU of link @index.  Returns 0 or -errno. */
int nl_link_set_mtu(struct nl_sock *ns, int index, uint32_t mtu);

/* Sets the hardware address of link @index.  Returns 0 or -errno. */
int nl_link_set_addr(struct nl_sock *ns, int index, const uint8_t *addr,
		     size_t len);

/* Renames link @index (it must be down).  Returns 0 or -errno. */
int nl_link_set_name(struct nl_sock *ns, int index, const char *name);

/* Sets the alias of link @index; "" removes it.  Returns 0 or -errno. */
int nl_link_set_alias(struct nl_sock *ns, int index, const char *alias);

/*
 * Creates VLAN @vid on link @parent, called @name (e.g. "eth0.5").
 * Returns 0 or -errno (-EEXIST if @name exists).
 */
int nl_link_add_vlan(struct nl_sock *ns, const char *name, int parent,
		     uint16_t vid);

/* Deletes link @index.  Returns 0 or -errno. */
int nl_link_del(struct nl_sock *ns, int index);

#endif

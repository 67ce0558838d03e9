/* SPDX-License-Identifier: MIT */
/*
 * Netlink core: one socket object on libmnl, request/ack and dump helpers.
 *
 * Every request goes through nl_talk() or nl_dump(), which give the message
 * a fresh non-zero sequence number, set NLM_F_ACK and read until the kernel's
 * ACK, error or NLMSG_DONE.  Errors come back as -errno; when the kernel sent
 * an extended ack its text is kept in the socket (nl_ext_msg()).
 *
 * The helpers every parser shares live here too: attributes are read with
 * nl_parse_attrs()/nl_parse_nested() against a policy table (struct
 * nl_policy, one per attribute set), arrays are walked with nl_nest_walk(),
 * and a dump fills a caller's array through nl_dump_array().
 */
#ifndef EMBNET_NL_H
#define EMBNET_NL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <linux/netlink.h>
#include <libmnl/libmnl.h>

#ifndef MNL_SOCKET_DUMP_SIZE
#define MNL_SOCKET_DUMP_SIZE 32768
#endif

/* A buffer netlink messages are built in or read into: libmnl casts it
 * to struct nlmsghdr, which needs NLMSG_ALIGNTO (a char array need not
 * have it, and armhf faults on some unaligned accesses). */
#define NL_ALIGNED __attribute__((aligned(NLMSG_ALIGNTO)))

#define NL_EXT_MSG_LEN 256
#define NL_DUMP_RETRIES 5

/*
 * The largest datagram nl_talk() reads.  A datagram holds whole messages,
 * and a GET reply is one message however long (ETHTOOL_MSG_STRSET_GET of
 * ETH_SS_STATS on a NIC with thousands of counters runs past 100 KiB).
 * ethtool 6.1 grows its buffer to 4 MiB (MAX_MSG_SIZE), which is also the
 * largest linear skb kmalloc gives the kernel on 4 KiB pages: a reply
 * 6.1 can read, we can read, and memory stays bounded on small boards.
 */
#define NL_RX_MAX (4u << 20)

struct nl_sock {
	struct mnl_socket *nl;
	uint32_t portid;
	uint32_t seq;
	char ext_msg[NL_EXT_MSG_LEN]; /* last extended-ack text, "" if none */
	uint32_t ext_off;	      /* NLMSGERR_ATTR_OFFS of it, 0 if none */
	bool intr;		      /* NLM_F_DUMP_INTR seen in this reply */
	void *rx;		      /* datagrams past MNL_SOCKET_DUMP_SIZE */
	size_t rx_size;		      /* bytes at rx; freed by nl_close() */
};

/*
 * Called for each data message of a reply.  Returns MNL_CB_OK to go on,
 * MNL_CB_STOP to end the reply early, MNL_CB_ERROR (reported as -EBADMSG)
 * or any other negative errno to fail the request with it.
 */
typedef int (*nl_cb_t)(const struct nlmsghdr *nlh, void *data);

/*
 * Opens a netlink socket of @bus (NETLINK_ROUTE, NETLINK_GENERIC) with
 * NETLINK_EXT_ACK and NETLINK_CAP_ACK set, bound with an automatic portid.
 * Returns 0 or -errno; on success the caller owns it (nl_close()).
 */
int nl_open(struct nl_sock *ns, int bus);

/* Closes @ns and frees its receive buffer; safe on a socket that failed to
 * open or was closed already. */
void nl_close(struct nl_sock *ns);

/* Returns the socket's file descriptor, for poll(). */
int nl_fd(const struct nl_sock *ns);

/*
 * Starts a message of @type with @flags (NLM_F_REQUEST is added) in @buf,
 * which must hold MNL_SOCKET_BUFFER_SIZE bytes; zeroes them all, so padding
 * between attributes never carries stale bytes.  Sequence 0: nl_talk() and
 * nl_dump() number it when they send it.
 */
struct nlmsghdr *nl_msg(void *buf, uint16_t type, uint16_t flags);

/*
 * Sends @nlh (adding NLM_F_ACK and a fresh sequence number) and reads the
 * reply, calling @cb (may be NULL) for each data message, until the ACK,
 * error or NLMSG_DONE.  A datagram larger than MNL_SOCKET_DUMP_SIZE is read
 * into ns->rx, grown to fit up to NL_RX_MAX (past that it is dropped:
 * -EMSGSIZE).  Returns 0 or -errno; the kernel's extended-ack text, if
 * any, is then in nl_ext_msg(ns).
 */
int nl_talk(struct nl_sock *ns, struct nlmsghdr *nlh, nl_cb_t cb, void *data);

/*
 * Like nl_talk() for a request with NLM_F_DUMP.  If the kernel marks the dump
 * interrupted (NLM_F_DUMP_INTR) it calls @restart(@data) (may be NULL) and
 * asks again, up to NL_DUMP_RETRIES times, then returns -EINTR.
 */
int nl_dump(struct nl_sock *ns, struct nlmsghdr *nlh, nl_cb_t cb,
	    void (*restart)(void *data), void *data);

/* The kernel's extended-ack message for the last failed request, or "". */
const char *nl_ext_msg(const struct nl_sock *ns);

/*
 * Parses one received buffer of a reply to request @seq from the kernel to
 * ns->portid: checks each header's length, sequence and port (neither when
 * @seq is 0: event sockets get notifications numbered by whoever caused
 * them; an ACK or DONE there is -EPROTO), calls @cb for data
 * messages, turns NLMSG_ERROR and an NLMSG_DONE carrying an error into -errno
 * and stores the extended-ack text and offset in @ns.  Pure apart from @ns
 * and @cb.  Returns 0 when the reply is complete, 1 when more should be read,
 * 2 when more should be read but @cb returned MNL_CB_STOP (pass NULL then),
 * -EINTR if the dump was interrupted (after its NLMSG_DONE), else -errno.
 * The caller clears ns->intr before the first buffer of a reply.
 */
int nl_parse_reply(struct nl_sock *ns, const void *buf, size_t len,
		   uint32_t seq, nl_cb_t cb, void *data);

/*
 * Attribute validation: one policy table per attribute set, indexed by
 * attribute type, each entry the shape that type must have.  Entries left
 * zero (NL_A_UNSPEC) are not checked here: either the attribute is not
 * read, or its reader checks it whole (nl_attr_strcpy(), ip_from_attr(),
 * a nested parse).  nl_parse_attrs() and nl_parse_nested() apply the table
 * to every attribute they store, so a parser reads only attributes of the
 * right shape.  Example: link_pol in lib/link.c.
 */
enum nl_attr_kind {
	NL_A_UNSPEC = 0, /* not checked */
	NL_A_U8,	 /* exactly 1 byte */
	NL_A_U16,	 /* exactly 2 bytes */
	NL_A_U32,	 /* exactly 4 bytes */
	NL_A_FLAG,	 /* no payload */
	NL_A_NESTED,	 /* empty, or at least one attribute header */
	NL_A_STRING,	 /* min_len..max_len bytes, the last one NUL */
	NL_A_BINARY,	 /* min_len..max_len bytes */
	NL_A_INADDR,	 /* 4 or 16 bytes: an IPv4 or IPv6 address */
};

/* Written { .kind = NL_A_U32 } or, with bounds, { NL_A_STRING, 2, 16 }. */
struct nl_policy {
	uint8_t kind;	  /* enum nl_attr_kind */
	uint16_t min_len; /* NL_A_STRING, NL_A_BINARY: fewest payload bytes */
	uint16_t max_len; /* and most, 0 for no bound */
};

/*
 * Checks that @nlh carries at least @hdr_len bytes of fixed header, then
 * fills @tb (of @max + 1 entries, zeroed here) with its attributes after that
 * header.  Unknown attribute types (newer kernels) are skipped; each known
 * one must have the shape @pol (@max + 1 entries, or NULL: none checked)
 * gives its type.  Pure.  Returns 0 or -EBADMSG.
 */
int nl_parse_attrs(const struct nlmsghdr *nlh, size_t hdr_len,
		   const struct nlattr **tb, uint16_t max,
		   const struct nl_policy *pol);

/*
 * Same for the attributes nested in @nest.  Returns 0 or -EBADMSG.
 */
int nl_parse_nested(const struct nlattr *nest, const struct nlattr **tb,
		    uint16_t max, const struct nl_policy *pol);

/*
 * Calls @cb for each attribute nested in @nest, in order (for arrays such
 * as the controller's groups or ethtool's bits, whose types are indexes).
 * A bad length or trailing bytes give -EBADMSG; a negative return from @cb
 * stops the walk and is returned.  Pure apart from @cb.  Returns 0
 * otherwise.
 */
int nl_nest_walk(const struct nlattr *nest,
		 int (*cb)(const struct nlattr *a, void *data), void *data);

/*
 * Dumps with @nlh (nl_dump()) into the caller's array @out, room for @max
 * elements of @elem_size bytes (at most NL_ELEM_MAX).  @cb turns a data
 * message into an element at @elem and returns 1 to keep it, 0 to skip the
 * message, or -errno to fail the dump.  *@n is the number stored (0 on
 * error); an interrupted dump is asked again into an empty array.  Returns
 * 0, -ENOSPC when more were kept than fit (the first @max are stored), or
 * -errno.
 */
#define NL_ELEM_MAX 256
int nl_dump_array(struct nl_sock *ns, struct nlmsghdr *nlh,
		  int (*cb)(const struct nlmsghdr *nlh, void *elem, void *data),
		  void *data, void *out, size_t elem_size, size_t max,
		  size_t *n);

/* Copies a NUL-terminated string attribute into @out (@out_len bytes).
 * Returns 0, or -EBADMSG if it is not terminated or does not fit. */
int nl_attr_strcpy(const struct nlattr *a, char *out, size_t out_len);

/* The u32 in @a (of shape NL_A_U32), or @def when @a is NULL.  Pure. */
uint32_t nl_attr_u32_or(const struct nlattr *a, uint32_t def);

#endif

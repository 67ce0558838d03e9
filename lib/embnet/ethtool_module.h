/* SPDX-License-Identifier: MIT */
/*
 * Transceiver module EEPROM pages over the ethtool netlink family
 * (ETHTOOL_MSG_MODULE_EEPROM_GET): the request as ethtool 6.1 builds it
 * and its reply.
 */
#ifndef EMBNET_ETHTOOL_MODULE_H
#define EMBNET_ETHTOOL_MODULE_H

#include <stddef.h>
#include <stdint.h>

#include "embnet/ethtool.h"

#define NL_ETHTOOL_MODULE_PAGE_MAX 256 /* the kernel's cap on one read */

/* One read of a module's memory: I2C address, page, bank, offset, length. */
struct nl_ethtool_module_req {
	uint32_t offset;
	uint32_t length;
	uint8_t page;
	uint8_t bank;
	uint8_t i2c_address;
};

/*
 * Appends LENGTH, OFFSET, PAGE, BANK and I2C_ADDRESS of @req, in that order
 * (ethtool 6.1's, so the kernel's ext-ack offsets match), to a started
 * MODULE_EEPROM_GET request.  Pure.  Returns 0 or -EMSGSIZE.
 */
int nl_ethtool_module_put(struct nlmsghdr *nlh, size_t buf_len,
			  const struct nl_ethtool_module_req *req);

/*
 * Copies the DATA attribute of reply @nlh into @out (@out_len bytes at
 * most) and its length into *@len.  Pure.  Returns 0, -EBADMSG for a
 * malformed reply or no DATA, -EMSGSIZE if DATA exceeds @out_len.
 */
int nl_ethtool_module_parse(const struct nlmsghdr *nlh, uint8_t *out,
			    size_t out_len, size_t *len);

/*
 * Reads @req of @dev into @out (@out_len bytes) and sets *@len to the
 * bytes the kernel returned.  Returns 0 or -errno (extended ack in
 * nl_ext_msg(ns)).
 */
int nl_ethtool_module_get(struct nl_sock *ns, const struct nl_genl_family *fam,
			  const struct nl_ethtool_dev *dev,
			  const struct nl_ethtool_module_req *req, uint8_t *out,
			  size_t out_len, size_t *len);

#endif

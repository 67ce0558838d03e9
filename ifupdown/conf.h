/* SPDX-License-Identifier: MIT */
/* Reading interfaces(5) files: the file, what it sources, the implicit lo. */
#ifndef IFUPDOWN_CONF_H
#define IFUPDOWN_CONF_H

#include <stdbool.h>

#include "interfaces.h"

/*
 * Reads @path and the files it sources into @cfg, then adds the implicit
 * `auto lo` / `iface lo inet loopback` unless @no_loopback, and chains
 * each name's stanzas (ifp_chain()).  A file that
 * cannot be opened is warned about and skipped, as in Debian; each file
 * is read once (by device and inode, whatever name it is reached by), a
 * FIFO or socket is read only as @path itself, and sources nest at most
 * 16 deep.
 * Returns 0, or -EINVAL/-ENOMEM with the message (FILE:LINE: ...) in @err
 * (IFP_ERR_LEN bytes).  @cfg is freed by the caller (ifp_free()).
 */
int conf_load(struct ifp_config *cfg, const char *path, bool no_loopback,
	      bool verbose, char *err);

#endif

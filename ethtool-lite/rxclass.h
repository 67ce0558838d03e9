/* SPDX-License-Identifier: MIT */
/*
 * ethtool-lite: rx classification rules as ethtool 6.1's rxclass.c reads
 * and prints them (rxclass.c), for -n/-N (rxnfc.c).
 */
#ifndef ET_RXCLASS_H
#define ET_RXCLASS_H

#include <stdint.h>

#include <linux/ethtool.h>

/*
 * "-N DEV flow-type" words @argv (@argc, the flow type first) into @fs and
 * *@rss_context.  Returns 1 if a number was read (6.1's errno is then 0),
 * 0, or -1 after 6.1's message (on stdout for an unknown option).
 */
int et_rxclass_parse(char **argv, int argc, struct ethtool_rx_flow_spec *fs,
		     uint32_t *rss_context);

/* The *_FLOW of flow type word @name ("tcp4", "ether"...), or 0. */
uint32_t et_rxclass_flow(const char *name);

/* One rule as "-n DEV rule N" prints it; a bad flow type on stderr. */
void et_rxclass_print(const struct ethtool_rx_flow_spec *fs,
		      uint32_t rss_context);

/* 6.1's flow_spec_to_ntuple(): 0, or -1 if @fs has no ntuple form. */
int et_rxclass_ntuple(const struct ethtool_rx_flow_spec *fs,
		      struct ethtool_rx_ntuple_flow_spec *nt);

#endif

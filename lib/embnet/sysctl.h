/* SPDX-License-Identifier: MIT */
/*
 * Kernel parameters under /proc/sys, by their dotted sysctl(8) names
 * ("net.ipv6.conf.eth0.accept_ra"); a '/' in a name stands for a '.' in
 * a path component (so "net.ipv6.conf.eth0/5.mtu" is the VLAN eth0.5).
 */
#ifndef EMBNET_SYSCTL_H
#define EMBNET_SYSCTL_H

#include <stddef.h>

/* Builds the /proc/sys path of @name into @buf (@len bytes).  Returns 0,
 * -EINVAL for an empty name or one with "..", or -ENAMETOOLONG. */
int sysctl_path(const char *name, char *buf, size_t len);

/* Writes @value to @name as `sysctl -w` does.  Returns 0 or -errno. */
int sysctl_write(const char *name, const char *value);

#endif

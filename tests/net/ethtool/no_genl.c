// SPDX-License-Identifier: MIT
/*
 * LD_PRELOAD shim for the ioctl-path tests: socket(AF_NETLINK, ...,
 * NETLINK_GENERIC) fails with EPROTONOSUPPORT, as on a kernel without
 * generic netlink, so ethtool 6.1 and ethtool-lite both take their ioctl
 * path.  Every other socket() goes to the kernel unchanged.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/syscall.h>

#include <linux/netlink.h>

int socket(int domain, int type, int protocol)
{
	if (domain == AF_NETLINK && protocol == NETLINK_GENERIC) {
		errno = EPROTONOSUPPORT;
		return -1;
	}
	return (int)syscall(SYS_socket, domain, type, protocol);
}

// SPDX-License-Identifier: MIT
/*
 * TCP_INFO through the kernel's own struct: glibc's <netinet/tcp.h> copy
 * lacks tcpi_snd_wnd, which -J reports as snd_wnd.
 */
#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include <netinet/in.h>

#include <linux/tcp.h>

#include "util.h"

int np_tcp_info(int fd, struct np_tcpinfo *ti)
{
	struct tcp_info i;
	socklen_t len = sizeof(i);

	memset(&i, 0, sizeof(i));
	memset(ti, 0, sizeof(*ti));
	if (getsockopt(fd, IPPROTO_TCP, TCP_INFO, &i, &len) < 0)
		return -errno;
	ti->total_retrans = i.tcpi_total_retrans;
	ti->snd_cwnd = i.tcpi_snd_cwnd * i.tcpi_snd_mss;
	ti->rtt = i.tcpi_rtt;
	ti->rttvar = i.tcpi_rttvar;
	ti->pmtu = i.tcpi_pmtu;
	if (len >= offsetof(struct tcp_info, tcpi_snd_wnd) + 4)
		ti->snd_wnd = i.tcpi_snd_wnd;
	return 0;
}

void np_tcp_congestion(int fd, char *buf, size_t len)
{
	socklen_t l = (socklen_t)(len - 1);

	buf[0] = 0;
	if (getsockopt(fd, IPPROTO_TCP, TCP_CONGESTION, buf, &l) < 0)
		buf[0] = 0;
	else
		buf[l < len ? l : len - 1] = 0;
}

// SPDX-License-Identifier: MIT
#include <errno.h>
#include <stdbool.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <net/ethernet.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <linux/if_packet.h>

#include "frame.h"
#include "packet.h"
#include "sock.h"

static int set_int(int fd, int level, int opt, int v)
{
	return setsockopt(fd, level, opt, &v, sizeof(v)) ? -errno : 0;
}

int sock_raw_open(int ifindex, uint16_t cport)
{
	struct sockaddr_ll sll = { .sll_family = AF_PACKET,
				   .sll_protocol = htons(ETH_P_IP),
				   .sll_ifindex = ifindex };
	const struct sock_fprog *prog = frame_filter(cport);
	uint8_t junk[64];
	int fd, err;

	/* Protocol 0: no packet hook until bind() adds the one for @ifindex;
	 * a socket opened with ETH_P_IP would have its all-device hook
	 * removed by bind() with synchronize_net(), ~15 ms. */
	fd = socket(AF_PACKET, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd < 0)
		return -errno;
	if (setsockopt(fd, SOL_SOCKET, SO_ATTACH_FILTER, prog, sizeof(*prog)) ||
	    bind(fd, (struct sockaddr *)&sll, sizeof(sll))) {
		err = -errno;
		goto out;
	}
	err = set_int(fd, SOL_PACKET, PACKET_AUXDATA, 1);
	if (err)
		goto out;
	/* frames queued before the filter was attached */
	while (recv(fd, junk, sizeof(junk), MSG_DONTWAIT) >= 0)
		;
	return fd;
out:
	close(fd);
	return err;
}

int sock_raw_send(int fd, int ifindex, const uint8_t *payload, size_t len,
		  uint32_t src, uint32_t dst, uint16_t sport, uint16_t dport)
{
	uint8_t frame[FRAME_HDR_LEN + DHCP_MAX_LEN];
	struct sockaddr_ll sll = { .sll_family = AF_PACKET,
				   .sll_protocol = htons(ETH_P_IP),
				   .sll_ifindex = ifindex,
				   .sll_halen = 6 };
	size_t n;

	if (len > DHCP_MAX_LEN)
		return -EMSGSIZE;
	memset(sll.sll_addr, 0xff, 6);
	memcpy(frame + FRAME_HDR_LEN, payload, len);
	n = frame_wrap(frame, len, src, dst, sport, dport);
	if (sendto(fd, frame, n, 0, (struct sockaddr *)&sll, sizeof(sll)) < 0)
		return -errno;
	return 0;
}

static bool csum_unready(struct msghdr *mh)
{
	struct cmsghdr *c;

	for (c = CMSG_FIRSTHDR(mh); c; c = CMSG_NXTHDR(mh, c)) {
		struct tpacket_auxdata aux;

		if (c->cmsg_level != SOL_PACKET ||
		    c->cmsg_type != PACKET_AUXDATA ||
		    c->cmsg_len < CMSG_LEN(sizeof(aux)))
			continue;
		memcpy(&aux, CMSG_DATA(c), sizeof(aux));
		return aux.tp_status & TP_STATUS_CSUMNOTREADY;
	}
	return false;
}

int sock_raw_recv(int fd, uint8_t *buf, size_t cap, uint16_t cport,
		  const uint8_t **p, size_t *len, const char **why)
{
	union {
		struct cmsghdr c;
		char b[CMSG_SPACE(sizeof(struct tpacket_auxdata))];
	} ctl;
	struct iovec iov = { buf, cap };
	struct msghdr mh = { .msg_iov = &iov,
			     .msg_iovlen = 1,
			     .msg_control = &ctl,
			     .msg_controllen = sizeof(ctl) };
	ssize_t n = recvmsg(fd, &mh, MSG_DONTWAIT);

	if (n < 0)
		return errno == EWOULDBLOCK ? -EAGAIN : -errno;
	if (mh.msg_flags & MSG_TRUNC) {
		*why = "frame larger than we accept";
		return -EBADMSG;
	}
	return frame_unwrap(buf, (size_t)n, cport, csum_unready(&mh), p, len,
			    why);
}

int sock_udp_open(const char *ifname, uint16_t cport)
{
	struct sockaddr_in sin = { .sin_family = AF_INET,
				   .sin_port = htons(cport) };
	int fd, err;

	fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd < 0)
		return -errno;
	err = set_int(fd, SOL_SOCKET, SO_REUSEADDR, 1);
	if (!err)
		err = set_int(fd, SOL_SOCKET, SO_BROADCAST, 1);
	if (!err && setsockopt(fd, SOL_SOCKET, SO_BINDTODEVICE, ifname,
			       (socklen_t)strlen(ifname) + 1))
		err = -errno;
	if (!err && bind(fd, (struct sockaddr *)&sin, sizeof(sin)))
		err = -errno;
	if (err) {
		close(fd);
		return err;
	}
	return fd;
}

int sock_udp_send(int fd, const void *buf, size_t len, uint32_t dst,
		  uint16_t dport)
{
	struct sockaddr_in sin = { .sin_family = AF_INET,
				   .sin_port = htons(dport) };

	sin.sin_addr.s_addr = dst;
	if (sendto(fd, buf, len, 0, (struct sockaddr *)&sin, sizeof(sin)) < 0)
		return -errno;
	return 0;
}

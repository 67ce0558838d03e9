// SPDX-License-Identifier: MIT
#include <errno.h>
#include <poll.h>
#include <stdbool.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <net/if_arp.h>
#include <netinet/if_ether.h>
#include <sys/socket.h>

#include <linux/if_packet.h>

#include "arp.h"
#include "embnet/mono.h"

#define PROBE_NUM 3
#define ARP_LEN 28

/* A request from @mac and @spa for @tpa (target MAC 0).  A probe has
 * sender IP 0 (RFC 5227 2.1.1), an announcement @spa == @tpa (2.3). */
static void arp_build(uint8_t *b, const uint8_t mac[6], uint32_t spa,
		      uint32_t tpa)
{
	memset(b, 0, ARP_LEN);
	b[1] = 1;    /* Ethernet */
	b[2] = 0x08; /* IPv4 */
	b[4] = 6;
	b[5] = 4;
	b[7] = ARPOP_REQUEST;
	memcpy(b + 8, mac, 6);
	memcpy(b + 14, &spa, 4);
	memcpy(b + 24, &tpa, 4);
}

static void arp_dest(struct sockaddr_ll *sll, int ifindex)
{
	memset(sll, 0, sizeof(*sll));
	sll->sll_family = AF_PACKET;
	sll->sll_protocol = htons(ETH_P_ARP);
	sll->sll_ifindex = ifindex;
	sll->sll_halen = 6;
	memset(sll->sll_addr, 0xff, 6);
}

int arp_open(int ifindex)
{
	struct sockaddr_ll sll;
	/* protocol 0 until bind(): see sock_raw_open() */
	int fd = socket(AF_PACKET, SOCK_DGRAM | SOCK_CLOEXEC, 0);

	if (fd < 0)
		return -errno;
	arp_dest(&sll, ifindex);
	if (bind(fd, (struct sockaddr *)&sll, sizeof(sll))) {
		int err = -errno;

		close(fd);
		return err;
	}
	return fd;
}

static int arp_send(int fd, int ifindex, const uint8_t *b)
{
	struct sockaddr_ll sll;

	arp_dest(&sll, ifindex);
	if (sendto(fd, b, ARP_LEN, 0, (struct sockaddr *)&sll, sizeof(sll)) < 0)
		return -errno;
	return 0;
}

/* A reply from @ip, or another host's probe for @ip (RFC 5227 2.1.1). */
static bool arp_conflict(const uint8_t *b, size_t n, const uint8_t mac[6],
			 uint32_t ip)
{
	uint32_t spa, tpa;
	static const uint8_t zero[4];

	if (n < ARP_LEN || b[4] != 6 || b[5] != 4 || !memcmp(b + 8, mac, 6))
		return false;
	memcpy(&spa, b + 14, 4);
	memcpy(&tpa, b + 24, 4);
	if (spa == ip)
		return true;
	return !memcmp(b + 14, zero, 4) && tpa == ip && b[7] == ARPOP_REQUEST;
}

static int arp_wait(int fd, const uint8_t mac[6], uint32_t ip, int64_t until)
{
	uint8_t b[64];
	struct pollfd p = { fd, POLLIN, 0 };
	int r;

	while ((r = poll(&p, 1, mono_left_ms(until))) != 0) {
		ssize_t n;

		if (r < 0 && errno != EINTR)
			return -errno;
		n = recv(fd, b, sizeof(b), MSG_DONTWAIT);
		if (n > 0 && arp_conflict(b, (size_t)n, mac, ip))
			return 1;
	}
	return 0;
}

int arp_probe(int fd, int ifindex, const uint8_t mac[6], uint32_t ip,
	      int budget_ms)
{
	uint8_t b[ARP_LEN];
	int r = 0;

	arp_build(b, mac, 0, ip);
	for (int i = 0; i < PROBE_NUM && !r; i++) {
		r = arp_send(fd, ifindex, b);
		if (!r)
			r = arp_wait(fd, mac, ip,
				     mono_ms() + budget_ms / PROBE_NUM);
	}
	return r;
}

int arp_announce(int fd, int ifindex, const uint8_t mac[6], uint32_t ip)
{
	uint8_t b[ARP_LEN];

	arp_build(b, mac, ip, ip);
	return arp_send(fd, ifindex, b);
}

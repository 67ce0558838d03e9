// SPDX-License-Identifier: MIT
#include <errno.h>
#include <string.h>
#include <arpa/inet.h>

#include "frame.h"

static uint32_t csum_add(uint32_t sum, const uint8_t *p, size_t n)
{
	for (size_t i = 0; i + 1 < n; i += 2)
		sum += (uint32_t)(p[i] << 8 | p[i + 1]);
	if (n & 1)
		sum += (uint32_t)(p[n - 1] << 8);
	return sum;
}

static uint16_t csum_fold(uint32_t sum)
{
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

/* UDP checksum over the pseudo header and @udp_len bytes at @udp. */
static uint16_t udp_csum(const uint8_t *ip, const uint8_t *udp, size_t udp_len)
{
	uint32_t sum = csum_add(0, ip + 12, 8); /* src and dst */

	sum += 17 + (uint32_t)udp_len;
	return csum_fold(csum_add(sum, udp, udp_len));
}

static void put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static uint16_t get16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

size_t frame_wrap(uint8_t *frame, size_t len, uint32_t src, uint32_t dst,
		  uint16_t sport, uint16_t dport)
{
	uint8_t *ip = frame, *udp = frame + 20;
	uint16_t c;

	memset(frame, 0, FRAME_HDR_LEN);
	ip[0] = 0x45;
	ip[1] = 0xc0; /* DSCP CS6, as network control traffic */
	put16(ip + 2, (uint16_t)(FRAME_HDR_LEN + len));
	ip[8] = 64;
	ip[9] = 17;
	memcpy(ip + 12, &src, 4);
	memcpy(ip + 16, &dst, 4);
	put16(ip + 10, csum_fold(csum_add(0, ip, 20)));
	put16(udp, sport);
	put16(udp + 2, dport);
	put16(udp + 4, (uint16_t)(8 + len));
	c = udp_csum(ip, udp, 8 + len);
	put16(udp + 6, c ? c : 0xffff);
	return FRAME_HDR_LEN + len;
}

static int bad(const char **why, const char *what)
{
	*why = what;
	return -EBADMSG;
}

int frame_unwrap(const uint8_t *frame, size_t len, uint16_t dport,
		 bool csum_unready, const uint8_t **payload,
		 size_t *payload_len, const char **why)
{
	size_t tot;

	if (len < FRAME_HDR_LEN)
		return bad(why, "shorter than IP+UDP headers");
	if (frame[0] != 0x45)
		return bad(why, "not IPv4 with a 20-byte header");
	tot = get16(frame + 2);
	if (tot < FRAME_HDR_LEN || tot > len)
		return bad(why, "bad IP total length");
	if (frame[9] != 17 || (get16(frame + 6) & 0x3fff))
		return bad(why, "not UDP or a fragment");
	if (get16(frame + 22) != dport)
		return bad(why, "wrong UDP port");
	if (get16(frame + 24) != tot - 20)
		return bad(why, "UDP length does not match IP length");
	if (csum_fold(csum_add(0, frame, 20)))
		return bad(why, "bad IP checksum");
	if (!csum_unready && get16(frame + 26) &&
	    csum_fold(csum_add(17 + (uint32_t)(tot - 20) +
				       csum_add(0, frame + 12, 8),
			       frame + 20, tot - 20)))
		return bad(why, "bad UDP checksum");
	*payload = frame + FRAME_HDR_LEN;
	*payload_len = tot - FRAME_HDR_LEN;
	return 0;
}

const struct sock_fprog *frame_filter(uint16_t dport)
{
	static struct sock_filter f[] = {
		/* IPv4 (any header length: frame_unwrap() logs odd ones) */
		BPF_STMT(BPF_LD | BPF_B | BPF_ABS, 0),
		BPF_STMT(BPF_ALU | BPF_AND | BPF_K, 0xf0),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 0x40, 0, 8),
		BPF_STMT(BPF_LD | BPF_B | BPF_ABS, 9),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 17, 0, 6),
		BPF_STMT(BPF_LD | BPF_H | BPF_ABS, 6),
		BPF_JUMP(BPF_JMP | BPF_JSET | BPF_K, 0x3fff, 4, 0),
		BPF_STMT(BPF_LDX | BPF_B | BPF_MSH, 0),
		BPF_STMT(BPF_LD | BPF_H | BPF_IND, 2),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 68, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, 0xffff),
		BPF_STMT(BPF_RET | BPF_K, 0),
	};
	static struct sock_fprog prog = { sizeof(f) / sizeof(f[0]), f };

	f[9].k = dport;
	return &prog;
}

// SPDX-License-Identifier: MIT
/*
 * netperf helpers: units (iperf3 units.c), timed I/O and the control
 * channel's framing (iperf3 net.c Nread/Nwrite, JSON_read/write, with
 * per-chunk and overall deadlines: CVE-2023-7250's fix for reads, and the
 * same for writes), cookies and payloads.  Sockets are net.c's.
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/ip.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <unistd.h>

#include "embnet/mono.h"
#include "proto.h"
#include "util.h"

void np_unit(char *buf, size_t len, double v, char fmt)
{
	static const char *const bytes[] = { "Byte", "KByte", "MByte", "GByte",
					     "TByte" };
	static const char *const bits[] = { "bit", "Kbit", "Mbit", "Gbit",
					    "Tbit" };
	bool is_bytes = isupper((unsigned char)fmt);
	double base = is_bytes ? 1024.0 : 1000.0;
	int conv = 0;

	if (!is_bytes)
		v *= 8;
	switch (toupper((unsigned char)fmt)) {
	case 'K':
		conv = 1;
		break;
	case 'M':
		conv = 2;
		break;
	case 'G':
		conv = 3;
		break;
	case 'T':
		conv = 4;
		break;
	default:
		for (double x = v; x >= base && conv < 4; conv++)
			x /= base;
	}
	for (int i = 0; i < conv; i++)
		v /= base;
	if (v < 9.995)
		snprintf(buf, len, "%4.2f %s", v,
			 is_bytes ? bytes[conv] : bits[conv]);
	else if (v < 99.95)
		snprintf(buf, len, "%4.1f %s", v,
			 is_bytes ? bytes[conv] : bits[conv]);
	else
		snprintf(buf, len, "%4.0f %s", v,
			 is_bytes ? bytes[conv] : bits[conv]);
}

double np_secs(int64_t t0_ns, int64_t now_ns)
{
	return (double)(now_ns - t0_ns) / 1e9;
}

static int wait_fd(int fd, short ev, int timeout_ms)
{
	struct pollfd pfd = { .fd = fd, .events = ev };
	int n;

	do
		n = poll(&pfd, 1, timeout_ms);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return -errno;
	return n == 0 ? -ETIMEDOUT : 0;
}

int np_read_full(int fd, void *buf, size_t len, int timeout_ms, int total_ms)
{
	int64_t end = total_ms < 0 ? -1 : mono_ms() + total_ms;
	size_t got = 0;

	while (got < len) {
		int tmo = timeout_ms;
		ssize_t n;
		int err;

		if (end >= 0 && mono_left_ms(end) < tmo)
			tmo = mono_left_ms(end);
		err = wait_fd(fd, POLLIN, tmo);
		if (err)
			return err;
		n = recv(fd, (char *)buf + got, len - got, 0);
		if (n == 0)
			return -EPIPE;
		if (n < 0 && errno != EINTR && errno != EAGAIN)
			return -errno;
		if (n > 0)
			got += (size_t)n;
	}
	return 0;
}

int np_write_full(int fd, const void *buf, size_t len)
{
	int64_t end = mono_ms() + NP_IO_TOTAL_MS;
	size_t done = 0;

	while (done < len) {
		ssize_t n = send(fd, (const char *)buf + done, len - done,
				 MSG_NOSIGNAL | MSG_DONTWAIT);
		if (n < 0 && errno == EAGAIN) {
			int tmo = mono_left_ms(end);
			if (tmo > NP_IO_TIMEOUT_MS)
				tmo = NP_IO_TIMEOUT_MS;
			if (tmo <= 0 || wait_fd(fd, POLLOUT, tmo) < 0)
				return -ETIMEDOUT;
			continue;
		}
		if (n < 0 && errno != EINTR)
			return -errno;
		if (n > 0)
			done += (size_t)n;
	}
	return 0;
}

int np_send_state(int fd, int8_t state)
{
	return np_write_full(fd, &state, 1);
}

int np_recv_json(int fd, uint32_t max, char **out, int timeout_ms)
{
	uint8_t hdr[4];
	char *buf;
	int n, err;

	*out = NULL;
	err = np_read_full(fd, hdr, 4, timeout_ms, NP_IO_TOTAL_MS);
	if (err)
		return err;
	n = np_len_check(hdr, max);
	if (n < 0)
		return n;
	buf = malloc((size_t)n + 1);
	if (!buf)
		return -ENOMEM;
	err = np_read_full(fd, buf, (size_t)n, timeout_ms, NP_IO_TOTAL_MS);
	if (err) {
		free(buf);
		return err;
	}
	buf[n] = 0;
	*out = buf;
	return n;
}

int np_send_json(int fd, const char *buf, size_t len)
{
	uint8_t hdr[4] = { (uint8_t)(len >> 24), (uint8_t)(len >> 16),
			   (uint8_t)(len >> 8), (uint8_t)len };
	int err = np_write_full(fd, hdr, 4);

	return err ? err : np_write_full(fd, buf, len);
}

static void random_bytes(void *buf, size_t len)
{
	uint8_t *p = buf;

	while (len) {
		ssize_t n = getrandom(p, len, 0);
		if (n <= 0) {
			/* No entropy source: still unique enough per test. */
			for (size_t i = 0; i < len; i++)
				p[i] = (uint8_t)(mono_ns() >> (i % 8) ^ rand());
			return;
		}
		p += n;
		len -= (size_t)n;
	}
}

void np_cookie_make(char out[NP_COOKIE_LEN])
{
	static const char alphabet[] = "abcdefghijklmnopqrstuvwxyz234567";
	uint8_t r[NP_COOKIE_LEN - 1];

	random_bytes(r, sizeof(r));
	for (size_t i = 0; i < sizeof(r); i++)
		out[i] = alphabet[r[i] % 32];
	out[NP_COOKIE_LEN - 1] = 0;
}

void np_fill_payload(uint8_t *buf, size_t len, bool repeating)
{
	if (!repeating) {
		random_bytes(buf, len);
		return;
	}
	for (size_t i = 0; i < len; i++)
		buf[i] = (uint8_t)('0' + i % 10);
}

/* SPDX-License-Identifier: MIT */
/*
 * netperf helpers.  util.c: iperf3's unit formatting, timed reads and
 * writes, the control channel's framing, cookies and payloads; net.c:
 * sockets, their options, CPU accounting; tcpinfo.c: TCP_INFO.
 */
#ifndef NETPERF_UTIL_H
#define NETPERF_UTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>

#include "netperf.h"

#define NP_IO_TIMEOUT_MS 10000 /* per read or write on the control channel */
#define NP_IO_TOTAL_MS 30000   /* per message on it: a peer that trickles */
/* TCP_USER_TIMEOUT of control connections without --snd-timeout: a peer
 * that acknowledges nothing for this long is gone. */
#define NP_CTRL_USER_TIMEOUT_MS 30000

/*
 * iperf3's unit_snprintf(): @v is bytes (or bytes/s); @fmt 'a'/'A' is
 * adaptive bits (1000-based) / bytes (1024-based), k m g t for fixed bits,
 * K M G T for fixed bytes.  Writes e.g. "30.6 Gbit" into @buf.
 */
void np_unit(char *buf, size_t len, double v, char fmt);

/* Seconds since @t0 (mono_ns() value). */
double np_secs(int64_t t0_ns, int64_t now_ns);

/*
 * Reads exactly @len bytes, waiting at most @timeout_ms for each chunk
 * and @total_ms overall (-1: no limit).  Returns 0, -ETIMEDOUT, -EPIPE on
 * EOF, or -errno.
 */
int np_read_full(int fd, void *buf, size_t len, int timeout_ms, int total_ms);

/*
 * Writes all @len bytes (MSG_NOSIGNAL), on a blocking socket too, waiting
 * at most NP_IO_TIMEOUT_MS for each chunk and NP_IO_TOTAL_MS overall: a
 * peer that stops reading, or reads a byte now and then, cannot hold the
 * writer.  Returns 0, -ETIMEDOUT or -errno.
 */
int np_write_full(int fd, const void *buf, size_t len);

/* Sends one state byte. */
int np_send_state(int fd, int8_t state);

/*
 * Reads a length-prefixed JSON message of at most @max bytes into a
 * malloc'ed NUL-terminated *@out.  Returns its length or -errno
 * (-EMSGSIZE for a bad length prefix).
 */
int np_recv_json(int fd, uint32_t max, char **out, int timeout_ms);

/* Sends @len bytes of JSON with its 4-byte big-endian length. */
int np_send_json(int fd, const char *buf, size_t len);

/* Fills @out with a fresh 36-character cookie and its NUL. */
void np_cookie_make(char out[NP_COOKIE_LEN]);

/* Fills @buf with random bytes, or '0'..'9' repeating when @repeating. */
void np_fill_payload(uint8_t *buf, size_t len, bool repeating);

/* Formats @sa's address (v4-mapped shown as IPv4) and port. */
void np_addr_str(const struct sockaddr_storage *sa, char *host, size_t len,
		 int *port);

/* Local and remote address of connected @fd. */
void np_sock_names(int fd, char *local, int *lport, char *remote, int *rport);

/*
 * Resolves @host (NULL: wildcard) for @family (AF_UNSPEC, AF_INET,
 * AF_INET6) and @type.  Returns 0 or -EINVAL/-EADDRNOTAVAIL.
 */
int np_resolve(const char *host, int port, int family, int type,
	       struct sockaddr_storage *ss, socklen_t *sl);

/* Listening (TCP) or bound (UDP) socket with SO_REUSEADDR; an IPv6 one
 * is dual-stack unless @family is AF_INET6.  Returns fd or -errno. */
int np_listen(const char *bind, int port, int family, int type);

/* Connects a @type socket to @host:@port; @bind/@cport choose the local
 * end; @pre (optional) runs on the socket before connect().  Returns fd or
 * -errno. */
int np_connect(const char *host, int port, int family, int type,
	       const char *bind, int cport, int timeout_ms,
	       void (*pre)(int fd, void *arg), void *arg);

/* Applies -w, -M, -N, -C, -S of @p to a data socket. */
void np_sock_opts(int fd, const struct np_params *p, bool tcp);
/* UDP socket buffers for a test without -w, for its role: 4 MiB to send
 * or 4-16 MiB to receive (32 MiB shared by the test's streams), as root
 * past the sysctl limits; the other buffer keeps the system's default.
 * A server calls it only when they fit in its budget. */
void np_udp_bufs(int fd, const struct np_params *p, bool sender);
/* The kernel memory np_udp_bufs() lets a socket pin (what the kernel
 * counts: twice the size set); 0 with -w. */
size_t np_udp_bufs_mem(const struct np_params *p, bool sender);

/* --snd-timeout: TCP_USER_TIMEOUT of @ms on TCP @fd, data or control
 * (as iperf3); 0 leaves the system's. */
void np_user_timeout(int fd, int ms);
/* A control connection's: --snd-timeout's @ms, else
 * NP_CTRL_USER_TIMEOUT_MS. */
void np_ctrl_user_timeout(int fd, int ms);

/* CPU use of the process between two samples. */
struct np_cpu {
	int64_t wall_ns;
	struct rusage ru;
};
void np_cpu_sample(struct np_cpu *c);
void np_cpu_percent(const struct np_cpu *a, const struct np_cpu *b,
		    double *total, double *user, double *sys);

/* TCP_INFO fields netperf reports. */
struct np_tcpinfo {
	uint32_t total_retrans, snd_cwnd, snd_wnd, rtt, rttvar, pmtu;
};
int np_tcp_info(int fd, struct np_tcpinfo *ti);

/* The congestion control algorithm of @fd into @buf (may be ""). */
void np_tcp_congestion(int fd, char *buf, size_t len);

#endif

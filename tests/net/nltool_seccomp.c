// SPDX-License-Identifier: MIT
/*
 * seccomp for nltool util: runs a program with some of its system calls
 * answered by a BPF filter or by this process.  Unlike an LD_PRELOAD shim,
 * this reaches static programs too, whatever their C library: both
 * ethtool-lite (static musl or dynamic glibc) and the reference.
 */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <net/if.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/wait.h>

#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/netlink.h>
#include <linux/seccomp.h>
#include <linux/sockios.h>

#include "nltool.h"
#include "nltool_fake.h"

/* The filters act on this build's own ABI; any other passes unchanged. */
#if defined(__x86_64__)
#define NLTOOL_AUDIT_ARCH AUDIT_ARCH_X86_64
#elif defined(__aarch64__) && !defined(__AARCH64EB__)
#define NLTOOL_AUDIT_ARCH AUDIT_ARCH_AARCH64
#elif defined(__arm__) && !defined(__ARMEB__)
#define NLTOOL_AUDIT_ARCH AUDIT_ARCH_ARM
#elif defined(__s390x__)
#define NLTOOL_AUDIT_ARCH AUDIT_ARCH_S390X
#else
#define NLTOOL_AUDIT_ARCH 0 /* not ported: install() fails */
#endif

/* Offset of the low 32 bits of argument @i (socket() takes ints). */
#if __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
#define ARG_LO(i) (offsetof(struct seccomp_data, args[i]) + 4)
#else
#define ARG_LO(i) offsetof(struct seccomp_data, args[i])
#endif

#define LD_ABS(off) BPF_STMT(BPF_LD | BPF_W | BPF_ABS, (off))
#define JEQ(k, jt, jf) BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, (k), (jt), (jf))
#define RET(k) BPF_STMT(BPF_RET | BPF_K, (k))
#define MAX_NOTIFY 8

/* Sets no_new_privs (seccomp's condition without CAP_SYS_ADMIN) and adds
 * the filter; returns its result (a listener fd with NEW_LISTENER) or
 * -errno. */
static int install(struct sock_filter *f, size_t n, unsigned int flags)
{
	struct sock_fprog prog = { .len = (unsigned short)n, .filter = f };
	long ret;

	if (!NLTOOL_AUDIT_ARCH)
		return -ENOSYS;
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
		return -errno;
	ret = syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, flags, &prog);
	return ret < 0 ? -errno : (int)ret;
}

static int exec_failed(const char *prog)
{
	fprintf(stderr, "nltool: %s: %s\n", prog, strerror(errno));
	return 127;
}

int nltool_seccomp_no_genl_exec(char **argv)
{
	struct sock_filter f[] = {
		LD_ABS(offsetof(struct seccomp_data, arch)),
		JEQ(NLTOOL_AUDIT_ARCH, 0, 7),
		LD_ABS(offsetof(struct seccomp_data, nr)),
		JEQ(__NR_socket, 0, 5),
		LD_ABS(ARG_LO(0)),
		JEQ(AF_NETLINK, 0, 3),
		LD_ABS(ARG_LO(2)),
		JEQ(NETLINK_GENERIC, 0, 1),
		RET(SECCOMP_RET_ERRNO | EPROTONOSUPPORT),
		RET(SECCOMP_RET_ALLOW),
	};
	int err = install(f, sizeof(f) / sizeof(f[0]), 0);

	if (err < 0)
		return nltool_fail(NULL, err, "seccomp");
	execvp(argv[0], argv);
	return exec_failed(argv[0]);
}

/* Filter: each of @nrs goes to the listener, everything else runs. */
static int notify_filter(struct sock_filter *f, const int *nrs, size_t n)
{
	size_t i, len = 0;

	f[len++] =
		(struct sock_filter)LD_ABS(offsetof(struct seccomp_data, arch));
	f[len++] = (struct sock_filter)JEQ(NLTOOL_AUDIT_ARCH, 0, n + 1);
	f[len++] =
		(struct sock_filter)LD_ABS(offsetof(struct seccomp_data, nr));
	for (i = 0; i < n; i++)
		f[len++] = (struct sock_filter)JEQ(nrs[i], n - i, 0);
	f[len++] = (struct sock_filter)RET(SECCOMP_RET_ALLOW);
	f[len++] = (struct sock_filter)RET(SECCOMP_RET_USER_NOTIF);
	return (int)len;
}

static int send_fd(int sock, int fd)
{
	char c = 0, cbuf[CMSG_SPACE(sizeof(int))];
	struct iovec v = { .iov_base = &c, .iov_len = 1 };
	struct msghdr m = { .msg_iov = &v, .msg_iovlen = 1 };
	struct cmsghdr *cm;

	memset(cbuf, 0, sizeof(cbuf));
	m.msg_control = cbuf;
	m.msg_controllen = sizeof(cbuf);
	cm = CMSG_FIRSTHDR(&m);
	cm->cmsg_level = SOL_SOCKET;
	cm->cmsg_type = SCM_RIGHTS;
	cm->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(cm), &fd, sizeof(int));
	return sendmsg(sock, &m, 0) == 1 ? 0 : -errno;
}

static int recv_fd(int sock)
{
	char c, cbuf[CMSG_SPACE(sizeof(int))];
	struct iovec v = { .iov_base = &c, .iov_len = 1 };
	struct msghdr m = { .msg_iov = &v, .msg_iovlen = 1 };
	struct cmsghdr *cm;
	int fd;

	m.msg_control = cbuf;
	m.msg_controllen = sizeof(cbuf);
	if (recvmsg(sock, &m, MSG_CMSG_CLOEXEC) != 1)
		return -EPIPE; /* the child failed before: it said why */
	cm = CMSG_FIRSTHDR(&m);
	if (!cm || cm->cmsg_type != SCM_RIGHTS ||
	    cm->cmsg_len != CMSG_LEN(sizeof(int)))
		return -EBADMSG;
	memcpy(&fd, CMSG_DATA(cm), sizeof(int));
	return fd;
}

/* The child: the filter, its listener to the parent over @sock, exec.
 * sendmsg() is not among the calls the filter sends to the listener. */
static void child(int sock, struct sock_filter *f, size_t n, char **argv)
{
	int fd = install(f, n, SECCOMP_FILTER_FLAG_NEW_LISTENER);

	if (fd < 0)
		_exit(nltool_fail(NULL, fd, "seccomp"));
	if (send_fd(sock, fd) < 0)
		_exit(nltool_fail(NULL, -errno, "seccomp listener"));
	close(fd);
	close(sock);
	execvp(argv[0], argv);
	_exit(exec_failed(argv[0]));
}

static void answer(int listener, nltool_notify_cb cb, void *data)
{
	struct seccomp_notif req;
	struct seccomp_notif_resp resp;

	memset(&req, 0, sizeof(req)); /* the kernel insists */
	if (ioctl(listener, SECCOMP_IOCTL_NOTIF_RECV, &req) < 0)
		return; /* ENOENT: the caller went away meanwhile */
	memset(&resp, 0, sizeof(resp));
	resp.id = req.id;
	resp.flags = SECCOMP_USER_NOTIF_FLAG_CONTINUE;
	cb(listener, &req, &resp, data);
	/* ENOENT again if the caller was killed: nothing to answer. */
	ioctl(listener, SECCOMP_IOCTL_NOTIF_SEND, &resp);
}

/* Answers until the child exits (its pidfd turns readable; the listener
 * hangs up only once the child is reaped). */
static int serve(int listener, pid_t pid, nltool_notify_cb cb, void *data)
{
	struct pollfd p[2] = { { .fd = listener, .events = POLLIN },
			       { .fd = -1, .events = POLLIN } };

	p[1].fd = (int)syscall(SYS_pidfd_open, pid, 0);
	if (p[1].fd < 0)
		return -errno;
	for (;;) {
		if (poll(p, 2, -1) < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		if (!(p[0].revents & POLLIN))
			break; /* the child exited (or the listener failed) */
		answer(listener, cb, data);
	}
	close(p[1].fd);
	return 0;
}

static int reap(pid_t pid)
{
	int status;

	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return 1;
	if (WIFSIGNALED(status))
		return 128 + WTERMSIG(status);
	return WEXITSTATUS(status);
}

int nltool_seccomp_supervise(char **argv, const int *nrs, size_t n_nrs,
			     nltool_notify_cb cb, void *data)
{
	struct sock_filter f[MAX_NOTIFY + 5];
	int sp[2], n, listener, err;
	pid_t pid;

	if (n_nrs > MAX_NOTIFY)
		return nltool_fail(NULL, -E2BIG, "seccomp");
	n = notify_filter(f, nrs, n_nrs);
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sp) < 0)
		return nltool_fail(NULL, -errno, "socketpair");
	pid = fork();
	if (pid < 0)
		return nltool_fail(NULL, -errno, "fork");
	if (pid == 0) {
		close(sp[0]);
		child(sp[1], f, (size_t)n, argv);
	}
	close(sp[1]);
	listener = recv_fd(sp[0]);
	close(sp[0]);
	if (listener < 0)
		return reap(pid);
	err = serve(listener, pid, cb, data);
	close(listener);
	if (err < 0) {
		nltool_fail(NULL, err, "pidfd_open");
		kill(pid, SIGKILL);
	}
	return reap(pid);
}

int nltool_seccomp_peek(int listener, const struct seccomp_notif *req,
			uint64_t addr, void *buf, size_t len)
{
	struct iovec local = { .iov_base = buf, .iov_len = len };
	struct iovec remote = { .iov_base = (void *)(uintptr_t)addr,
				.iov_len = len };

	if (process_vm_readv((pid_t)req->pid, &local, 1, &remote, 1, 0) !=
	    (ssize_t)len)
		return -EFAULT;
	/* The pid may have been reused since the call: is it still alive? */
	if (ioctl(listener, SECCOMP_IOCTL_NOTIF_ID_VALID, &req->id) < 0)
		return -ENOENT;
	return 0;
}

int nltool_seccomp_poke(const struct seccomp_notif *req, uint64_t addr,
			const void *buf, size_t len)
{
	struct iovec local = { .iov_base = (void *)buf, .iov_len = len };
	struct iovec remote = { .iov_base = (void *)(uintptr_t)addr,
				.iov_len = len };

	if (process_vm_writev((pid_t)req->pid, &local, 1, &remote, 1, 0) !=
	    (ssize_t)len)
		return -EFAULT;
	return 0;
}

/* struct msghdr as the kernel reads it: musl's has int fields with padding
 * where glibc's has size_t, and the program may use the other library. */
struct kernel_msghdr {
	uintptr_t name;
	int namelen;
	uintptr_t iov;
	size_t iovlen;
	uintptr_t control;
	size_t controllen;
	unsigned int flags;
};

int64_t nltool_seccomp_recvmsg(int listener, const struct seccomp_notif *req,
			       const void *reply, size_t reply_len)
{
	struct sockaddr_nl k = { .nl_family = AF_NETLINK };
	unsigned int flags = (unsigned int)req->data.args[2];
	uint64_t at = req->data.args[1];
	struct kernel_msghdr m;
	struct iovec v;
	size_t n;

	if (nltool_seccomp_peek(listener, req, at, &m, sizeof(m)) < 0 ||
	    m.iovlen < 1 ||
	    nltool_seccomp_peek(listener, req, m.iov, &v, sizeof(v)) < 0)
		return -EFAULT;
	n = reply_len < v.iov_len ? reply_len : v.iov_len;
	if (nltool_seccomp_poke(req, (uintptr_t)v.iov_base, reply, n) < 0)
		return -EFAULT;
	m.flags = n < reply_len ? MSG_TRUNC : 0;
	if (m.name && m.namelen >= (int)sizeof(k)) {
		if (nltool_seccomp_poke(req, m.name, &k, sizeof(k)) < 0)
			return -EFAULT;
		m.namelen = sizeof(k);
	}
	m.controllen = 0;
	if (nltool_seccomp_poke(req, at, &m, sizeof(m)) < 0)
		return -EFAULT;
	return (int64_t)((flags & MSG_TRUNC) ? reply_len : n);
}

int nltool_seccomp_ethtool(int listener, const struct seccomp_notif *req,
			   const char *dev, uint64_t *data, uint32_t *cmd)
{
	struct ifreq ifr;

	if (req->data.nr != __NR_ioctl ||
	    (unsigned long)req->data.args[1] != SIOCETHTOOL ||
	    nltool_seccomp_peek(listener, req, req->data.args[2], &ifr,
				sizeof(ifr)) < 0 ||
	    strncmp(ifr.ifr_name, dev, IFNAMSIZ))
		return -1;
	*data = (uintptr_t)ifr.ifr_data;
	return nltool_seccomp_peek(listener, req, *data, cmd, sizeof(*cmd));
}

void nltool_seccomp_return(struct seccomp_notif_resp *resp, int ret)
{
	resp->flags = 0;
	resp->error = ret < 0 ? ret : 0;
	resp->val = 0;
}

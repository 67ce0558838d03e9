// SPDX-License-Identifier: MIT
/* The client's one poll loop: packets, signals, carrier and timers. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/signalfd.h>

#include <linux/rtnetlink.h>
#include <libmnl/libmnl.h>

#include "env.h"
#include "event.h"
#include "file.h"
#include "fsm.h"
#include "link.h"
#include "log.h"
#include "mono.h"
#include "sock.h"

struct loop {
	struct fsm *f;
	int sig_fd;
	struct nl_sock ev;
	bool ev_open;
	bool carrier;
	bool gone;
};

static const char *pid_path;

static void pidfile_write(pid_t pid)
{
	char buf[24];
	int n, err;

	if (!pid_path)
		return;
	n = snprintf(buf, sizeof(buf), "%d\n", (int)pid);
	err = file_write_atomic(pid_path, buf, (size_t)n, 0644);
	if (err)
		log_err(err, "%s", pid_path);
}

void run_background(struct fsm *f)
{
	pid_t pid = fork();
	int fd;

	if (pid < 0) {
		log_err(-errno, "fork");
		return;
	}
	if (pid > 0) {
		/* The child's pid is in place before our caller goes on: an
		 * ifdown right after ifup must not read the parent's. */
		pidfile_write(pid);
		_exit(0);
	}
	setsid();
	fd = open("/dev/null", O_RDWR | O_CLOEXEC);
	if (fd >= 0) {
		dup2(fd, 0);
		dup2(fd, 1);
		dup2(fd, 2);
		if (fd > 2)
			close(fd);
	}
	f->forked = true;
}

void fsm_script(struct fsm *f, const char *event, const struct dhcp_msg *m)
{
	static struct spawn_env env;
	int err;

	env_fill(&env, f->cfg->ifname, m);
	log_debug(1, "running %s %s", f->cfg->script, event);
	err = env_run_script(f->cfg->script, event, &env);
	if (err)
		log_err(err, "%s %s", f->cfg->script, event);
}

static int link_info(struct fsm *f, bool *carrier)
{
	struct nl_sock ns;
	struct nl_link l;
	int err = nl_open(&ns, NETLINK_ROUTE);

	if (!err)
		err = nl_link_get(&ns, 0, f->cfg->ifname, &l);
	nl_close(&ns);
	if (err)
		return err;
	if (l.addr_len != 6)
		return -EAFNOSUPPORT;
	f->ifindex = l.index;
	memcpy(f->mac, l.addr, 6);
	*carrier = nl_link_carrier_ok(&l);
	return 0;
}

static int link_cb(const struct nlmsghdr *nlh, void *data)
{
	struct loop *lp = data;
	struct nl_link l;
	bool up;

	if (nl_link_parse(nlh, &l) || l.index != lp->f->ifindex)
		return MNL_CB_OK;
	if (nlh->nlmsg_type == RTM_DELLINK) {
		lp->gone = true;
		return MNL_CB_OK;
	}
	up = nl_link_carrier_ok(&l);
	if (up != lp->carrier) {
		lp->carrier = up;
		fsm_carrier(lp->f, up);
	}
	return MNL_CB_OK;
}

static void read_events(struct loop *lp)
{
	int err;

	while ((err = nl_event_read(&lp->ev, link_cb, lp)) == 0)
		;
	if (err == -ENOBUFS) {
		bool up;

		if (!link_info(lp->f, &up) && up != lp->carrier) {
			lp->carrier = up;
			fsm_carrier(lp->f, up);
		}
	} else if (err != -EAGAIN) {
		log_err(err, "link events");
	}
}

static void read_signal(struct loop *lp)
{
	struct signalfd_siginfo si;

	if (read(lp->sig_fd, &si, sizeof(si)) == sizeof(si))
		fsm_signal(lp->f, (int)si.ssi_signo);
}

static void read_packet(struct fsm *f)
{
	static uint8_t buf[DHCP_MAX_LEN + 64];
	const uint8_t *p = buf;
	const char *why;
	size_t len;
	ssize_t n;
	int err;

	if (f->raw_fd >= 0) {
		err = sock_raw_recv(f->raw_fd, buf, sizeof(buf), f->cfg->cport,
				    &p, &len, &why);
		if (err == -EBADMSG)
			log_warn("%s: ignoring frame: %s", f->cfg->ifname, why);
		if (err)
			return;
	} else {
		n = recv(f->udp_fd, buf, sizeof(buf), MSG_DONTWAIT | MSG_TRUNC);
		if (n < 0)
			return;
		if ((size_t)n > sizeof(buf) - 64) {
			log_warn("%s: ignoring oversized packet",
				 f->cfg->ifname);
			return;
		}
		len = (size_t)n;
	}
	fsm_packet(f, p, len);
}

/* The first of the state's deadline and the next ARP announcement. */
static int64_t next_wake(const struct fsm *f)
{
	if (f->announce_at < 0)
		return f->deadline;
	if (f->deadline < 0 || f->announce_at < f->deadline)
		return f->announce_at;
	return f->deadline;
}

static int poll_once(struct loop *lp)
{
	struct fsm *f = lp->f;
	struct pollfd p[3] = {
		{ lp->sig_fd, POLLIN, 0 },
		{ f->raw_fd >= 0 ? f->raw_fd : f->udp_fd, POLLIN, 0 },
		{ lp->ev_open ? nl_fd(&lp->ev) : -1, POLLIN, 0 }
	};
	int64_t wake = next_wake(f);
	int r = poll(p, 3, wake < 0 ? -1 : mono_left_ms(wake));

	if (r < 0)
		return errno == EINTR ? 0 : -errno;
	if (p[0].revents & POLLIN) {
		read_signal(lp);
		return 0;
	}
	if (p[1].revents & POLLIN)
		read_packet(f);
	if (p[2].revents & POLLIN)
		read_events(lp);
	if (lp->gone) {
		log_info("%s: interface is gone", f->cfg->ifname);
		f->done = true;
		f->exit_code = 0;
	}
	if (!f->done && f->announce_at >= 0 && mono_ms() >= f->announce_at)
		fsm_announce(f);
	if (!f->done && f->deadline >= 0 && mono_ms() >= f->deadline)
		fsm_timeout(f);
	return 0;
}

static int open_signals(void)
{
	sigset_t set;
	int fd;

	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	sigaddset(&set, SIGUSR2);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	if (sigprocmask(SIG_BLOCK, &set, NULL))
		return -errno;
	fd = signalfd(-1, &set, SFD_CLOEXEC | SFD_NONBLOCK);
	return fd < 0 ? -errno : fd;
}

int dhcpc_run(const struct dhcpc_cfg *cfg)
{
	static struct fsm f;
	struct loop lp = { .f = &f, .sig_fd = -1 };
	int err;

	f.cfg = cfg;
	err = link_info(&f, &lp.carrier);
	if (err) {
		log_err(err, "%s", cfg->ifname);
		return 1;
	}
	lp.sig_fd = open_signals();
	if (lp.sig_fd < 0) {
		log_err(lp.sig_fd, "signalfd");
		return 1;
	}
	pid_path = cfg->pidfile;
	pidfile_write(getpid());
	if (cfg->carrier) {
		err = nl_event_open(&lp.ev, NL_EVENT_LINK);
		if (err)
			log_err(err, "link events: carrier is not followed");
		lp.ev_open = !err;
	}
	log_info("started, %s", cfg->ifname);
	fsm_script(&f, "deconfig", NULL);
	fsm_init(&f, cfg);
	while (!f.done && !err)
		err = poll_once(&lp);
	if (err)
		log_err(err, "poll");
	if (pid_path)
		unlink(pid_path);
	if (lp.ev_open)
		nl_close(&lp.ev);
	return err ? 1 : f.exit_code;
}

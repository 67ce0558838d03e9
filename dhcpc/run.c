// SPDX-License-Identifier: MIT
/*
 * The client's one poll loop: packets, signals, carrier and timers go to
 * the state machine (fsm.c), and what it decides is done here (perform()):
 * the sockets, the script, the lease file, ARP, the fork (daemon.c's, as
 * the pid file and the signalfd: shared with dhcpc6).
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <sys/signalfd.h>

#include <linux/rtnetlink.h>
#include <libmnl/libmnl.h>

#include "arp.h"
#include "daemon.h"
#include "env.h"
#include "embnet/event.h"
#include "embnet/file.h"
#include "fsm.h"
#include "lease.h"
#include "embnet/link.h"
#include "embnet/log.h"
#include "embnet/mono.h"
#include "msg.h"
#include "sock.h"

struct loop {
	struct fsm *f;
	const struct dhcpc_cfg *cfg;
	int ifindex;
	int sig_fd;
	int raw_fd, udp_fd, arp_fd; /* -1 when closed */
	struct nl_sock ev;
	bool ev_open;
	bool carrier;
	bool gone;
};

static void run_script(const struct dhcpc_cfg *cfg, const char *event,
		       const struct dhcp_msg *m)
{
	static struct spawn_env env;
	int err;

	env_fill(&env, cfg->ifname, m);
	log_debug(1, "running %s %s", cfg->script, event);
	err = env_run_script(cfg->script, event, &env);
	if (err)
		log_err(err, "%s %s", cfg->script, event);
}

static void fd_close(int *fd)
{
	if (*fd >= 0)
		close(*fd);
	*fd = -1;
}

/* Only the socket of @l open (opened if needed): 0 or -errno, logged. */
static int listen_on(struct loop *lp, enum fsm_listen l)
{
	const struct dhcpc_cfg *c = lp->cfg;

	if (l != FSM_LISTEN_UDP)
		fd_close(&lp->udp_fd);
	if (l != FSM_LISTEN_RAW)
		fd_close(&lp->raw_fd);
	if (l == FSM_LISTEN_RAW && lp->raw_fd < 0) {
		lp->raw_fd = sock_raw_open(lp->ifindex, c->cport);
		if (lp->raw_fd < 0)
			log_err(lp->raw_fd, "%s: raw socket", c->ifname);
		return lp->raw_fd < 0 ? lp->raw_fd : 0;
	}
	if (l == FSM_LISTEN_UDP && lp->udp_fd < 0) {
		lp->udp_fd = sock_udp_open(c->ifname, c->cport);
		if (lp->udp_fd < 0)
			log_err(lp->udp_fd, "%s: UDP socket", c->ifname);
		return lp->udp_fd < 0 ? lp->udp_fd : 0;
	}
	return 0;
}

static void send_msg(struct loop *lp, const struct fsm_act *a)
{
	const struct dhcpc_cfg *c = lp->cfg;
	uint16_t sport = c->cport, dport = (uint16_t)(c->cport - 1);
	int err = listen_on(lp, a->ucast ? FSM_LISTEN_UDP : FSM_LISTEN_RAW);

	if (!err && a->ucast)
		err = sock_udp_send(lp->udp_fd, a->buf, a->len, a->ip, dport);
	else if (!err)
		err = sock_raw_send(lp->raw_fd, lp->ifindex, a->buf, a->len,
				    a->ip, INADDR_BROADCAST, sport, dport);
	if (err && a->ucast)
		log_err(err, "%s: send to %s", c->ifname, msg_ntoa(a->ip));
	else if (err)
		log_err(err, "%s: send", c->ifname);
}

static void save_lease(struct loop *lp)
{
	const struct fsm *f = lp->f;
	int err = file_write_atomic(lp->cfg->lease_file, f->lease_raw,
				    f->lease_raw_len, 0600);

	if (err)
		log_err(err, "%s", lp->cfg->lease_file);
}

/* RFC 5227 probes (blocking, -a's time budget), answered at once; the
 * socket stays open for the announcements if the address is free. */
static void probe(struct loop *lp, uint32_t ip)
{
	int r;

	fd_close(&lp->arp_fd);
	r = lp->arp_fd = arp_open(lp->ifindex);
	if (r >= 0)
		r = arp_probe(lp->arp_fd, lp->ifindex, lp->f->mac, ip,
			      lp->cfg->arp_ms);
	if (r < 0)
		log_err(r, "%s: ARP probe", lp->cfg->ifname);
	if (r != 0)
		fd_close(&lp->arp_fd);
	fsm_probed(lp->f, mono_ms(), r);
}

static void announce(struct loop *lp, uint32_t ip)
{
	int err = -EBADF;

	if (lp->arp_fd >= 0)
		err = arp_announce(lp->arp_fd, lp->ifindex, lp->f->mac, ip);
	if (err)
		log_err(err, "%s: ARP announcement", lp->cfg->ifname);
	else
		log_debug(1, "%s: announced %s", lp->cfg->ifname, msg_ntoa(ip));
}

/* Does what the state machine asked for, in its order. */
static void perform(struct loop *lp)
{
	const struct fsm_act *a;

	while ((a = fsm_next(lp->f))) {
		switch (a->type) {
		case FSM_ACT_LISTEN:
			listen_on(lp, a->listen);
			break;
		case FSM_ACT_SEND:
			send_msg(lp, a);
			break;
		case FSM_ACT_SCRIPT:
			run_script(lp->cfg, a->event, a->msg);
			break;
		case FSM_ACT_SAVE:
			save_lease(lp);
			break;
		case FSM_ACT_PROBE:
			probe(lp, a->ip);
			break;
		case FSM_ACT_ANNOUNCE:
			announce(lp, a->ip);
			break;
		case FSM_ACT_ARP_CLOSE:
			fd_close(&lp->arp_fd);
			break;
		case FSM_ACT_FORK:
			daemon_background();
			break;
		}
	}
}

static int link_info(struct loop *lp, uint8_t mac[6], bool *carrier)
{
	struct nl_sock ns;
	struct nl_link l;
	int err = nl_open(&ns, NETLINK_ROUTE);

	if (!err)
		err = nl_link_get(&ns, 0, lp->cfg->ifname, &l);
	nl_close(&ns);
	if (err)
		return err;
	if (l.addr_len != 6)
		return -EAFNOSUPPORT;
	lp->ifindex = l.index;
	memcpy(mac, l.addr, 6);
	*carrier = nl_link_carrier_ok(&l);
	return 0;
}

static void carrier_is(struct loop *lp, bool up)
{
	if (up == lp->carrier)
		return;
	lp->carrier = up;
	fsm_carrier(lp->f, mono_ms(), up);
	perform(lp);
}

static int link_cb(const struct nlmsghdr *nlh, void *data)
{
	struct loop *lp = data;
	struct nl_link l;

	if (nl_link_parse(nlh, &l) || l.index != lp->ifindex)
		return MNL_CB_OK;
	if (nlh->nlmsg_type == RTM_DELLINK) {
		lp->gone = true;
		return MNL_CB_OK;
	}
	carrier_is(lp, nl_link_carrier_ok(&l));
	return MNL_CB_OK;
}

static void read_events(struct loop *lp)
{
	uint8_t mac[6];
	bool up;
	int err;

	while ((err = nl_event_read(&lp->ev, link_cb, lp)) == 0)
		;
	if (err == -ENOBUFS) {
		if (!link_info(lp, mac, &up))
			carrier_is(lp, up);
	} else if (err != -EAGAIN) {
		log_err(err, "link events");
	}
}

static void read_signal(struct loop *lp)
{
	struct signalfd_siginfo si;

	if (read(lp->sig_fd, &si, sizeof(si)) == sizeof(si)) {
		fsm_signal(lp->f, mono_ms(), (int)si.ssi_signo);
		perform(lp);
	}
}

static void read_packet(struct loop *lp)
{
	static uint8_t buf[DHCP_MAX_LEN + 64];
	const char *ifname = lp->cfg->ifname;
	const uint8_t *p = buf;
	const char *why;
	size_t len;
	ssize_t n;
	int err;

	if (lp->raw_fd >= 0) {
		err = sock_raw_recv(lp->raw_fd, buf, sizeof(buf),
				    lp->cfg->cport, &p, &len, &why);
		if (err == -EBADMSG)
			fsm_log_damaged(lp->f, mono_ms(),
					"%s: ignoring frame: %s", ifname, why);
		if (err)
			return;
	} else {
		n = recv(lp->udp_fd, buf, sizeof(buf),
			 MSG_DONTWAIT | MSG_TRUNC);
		if (n < 0)
			return;
		if ((size_t)n > sizeof(buf) - 64) {
			fsm_log_damaged(lp->f, mono_ms(),
					"%s: ignoring oversized packet",
					ifname);
			return;
		}
		len = (size_t)n;
	}
	fsm_packet(lp->f, mono_ms(), p, len);
	perform(lp);
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
		{ lp->raw_fd >= 0 ? lp->raw_fd : lp->udp_fd, POLLIN, 0 },
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
		read_packet(lp);
	if (p[2].revents & POLLIN)
		read_events(lp);
	if (lp->gone) {
		log_info("%s: interface is gone", lp->cfg->ifname);
		f->done = true;
		f->exit_code = 0;
	}
	if (!f->done && f->announce_at >= 0 && mono_ms() >= f->announce_at) {
		fsm_announce(f, mono_ms());
		perform(lp);
	}
	if (!f->done && f->deadline >= 0 && mono_ms() >= f->deadline) {
		fsm_timeout(f, mono_ms());
		perform(lp);
	}
	return 0;
}

/* --lease-file's ACK into @buf (*@len bytes; 0 if none). */
static void load_lease(const struct dhcpc_cfg *cfg, const uint8_t mac[6],
		       uint8_t *buf, size_t *len)
{
	static struct dhcp_msg m;
	const char *why;
	int err;

	*len = 0;
	if (!cfg->lease_file)
		return;
	err = lease_load(cfg->lease_file, mac, buf, len, &m, &why);
	if (err == -EBADMSG)
		log_warn("%s: not a lease of ours (%s), ignored",
			 cfg->lease_file, why);
	else if (err && err != -ENOENT)
		log_warn("%s: %s, ignored", cfg->lease_file, why);
	if (err)
		*len = 0;
}

/* Link events, unless --no-carrier; without them (no netlink groups in a
 * sandbox, out of memory) the client runs on, carrier not followed. */
static void open_events(struct loop *lp)
{
	int err;

	if (!lp->cfg->carrier)
		return;
	err = nl_event_open(&lp->ev, NL_EVENT_LINK);
	if (err)
		log_err(err, "link events: carrier is not followed");
	lp->ev_open = !err;
}

int dhcpc_run(const struct dhcpc_cfg *cfg)
{
	static struct fsm f;
	static uint8_t lease[DHCP_MAX_LEN];
	struct loop lp = { .f = &f,
			   .cfg = cfg,
			   .sig_fd = -1,
			   .raw_fd = -1,
			   .udp_fd = -1,
			   .arp_fd = -1 };
	uint8_t mac[6];
	size_t lease_len;
	int err;

	err = link_info(&lp, mac, &lp.carrier);
	if (err) {
		log_err(err, "%s", cfg->ifname);
		return 1;
	}
	lp.sig_fd = daemon_signals();
	if (lp.sig_fd < 0) {
		log_err(lp.sig_fd, "signalfd");
		return 1;
	}
	daemon_pidfile(cfg->pidfile);
	open_events(&lp);
	log_info("started, %s", cfg->ifname);
	load_lease(cfg, mac, lease, &lease_len);
	fsm_init(&f, cfg, mac, mono_ms(), lease_len ? lease : NULL, lease_len);
	perform(&lp);
	while (!f.done && !err)
		err = poll_once(&lp);
	if (err)
		log_err(err, "poll");
	daemon_pidfile_remove();
	if (lp.ev_open)
		nl_close(&lp.ev);
	return err ? 1 : f.exit_code;
}

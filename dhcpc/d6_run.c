// SPDX-License-Identifier: MIT
/*
 * dhcpc6's poll loop: the UDP socket on port 546, signals and the timer
 * go to the state machine (d6_fsm.c), and what it decides is done here:
 * sending, the script, the fork; plus the DUID file.  The fork, the pid
 * file and the signalfd are daemon.c's, shared with dhcpc.
 */
#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/random.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <linux/if_addr.h>
#include <linux/rtnetlink.h>
#include <libmnl/libmnl.h>

#include "d6_duid.h"
#include "d6_env.h"
#include "d6_fsm.h"
#include "daemon.h"
#include "env.h"
#include "embnet/addr.h"
#include "embnet/event.h"
#include "embnet/file.h"
#include "embnet/link.h"
#include "embnet/log.h"
#include "embnet/mono.h"
#include "embnet/nl.h"

struct loop6 {
	struct d6_fsm *f;
	const struct d6_cfg *cfg;
	int ifindex;
	int sig_fd, fd;
	struct nl_sock ev; /* link and IPv6 address events */
	bool ev_open;
	bool carrier;
	bool gone;
};

static void run_script(const struct d6_cfg *cfg, const char *event,
		       const struct d6_msg *m)
{
	static struct spawn_env env;
	int err;

	d6_env_fill(&env, cfg->ifname, m);
	log_debug(1, "running %s %s", cfg->script, event);
	err = env_run_script(cfg->script, event, &env);
	if (err)
		log_err(err, "%s %s", cfg->script, event);
}

static void send_msg(struct loop6 *lp, const struct d6_act *a)
{
	static const uint8_t all_servers[16] = { 0xff, 2, [13] = 1, [15] = 2 };
	struct sockaddr_in6 sa = { .sin6_family = AF_INET6 };

	memcpy(&sa.sin6_addr, a->mcast ? all_servers : a->dst, 16);
	sa.sin6_port = htons((uint16_t)(lp->cfg->cport + 1));
	sa.sin6_scope_id = (uint32_t)lp->ifindex;
	log_debug(1, "sending %s", d6_type_name(a->buf[0]));
	/* lost like a packet on the wire (no link-local address yet, DAD
	 * running): the retransmission sends it again */
	if (sendto(lp->fd, a->buf, a->len, 0, (struct sockaddr *)&sa,
		   sizeof(sa)) >= 0)
		return;
	log_debug(1, "send %s: %s", d6_type_name(a->buf[0]), strerror(errno));
	/* no route to the server's unicast address (no prefix on the link
	 * yet): multicast reaches it, as 18.2.10 allows */
	if (!a->mcast) {
		memcpy(&sa.sin6_addr, all_servers, 16);
		sendto(lp->fd, a->buf, a->len, 0, (struct sockaddr *)&sa,
		       sizeof(sa));
	}
}

static void perform(struct loop6 *lp)
{
	const struct d6_act *a;

	while ((a = d6_fsm_next(lp->f))) {
		switch (a->type) {
		case D6_ACT_SEND:
			send_msg(lp, a);
			break;
		case D6_ACT_SCRIPT:
			run_script(lp->cfg, a->event, a->msg);
			break;
		case D6_ACT_FORK:
			daemon_background();
			break;
		}
	}
}

static int sock_open(const struct d6_cfg *c, int ifindex)
{
	struct sockaddr_in6 sa = { .sin6_family = AF_INET6,
				   .sin6_port = htons(c->cport) };
	int one = 1, fd;

	fd = socket(AF_INET6, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd < 0)
		return -errno;
	if (setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) ||
	    setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof(one)) ||
	    setsockopt(fd, SOL_SOCKET, SO_BINDTODEVICE, c->ifname,
		       (socklen_t)strlen(c->ifname)) ||
	    setsockopt(fd, IPPROTO_IPV6, IPV6_MULTICAST_IF, &ifindex,
		       sizeof(ifindex)) ||
	    bind(fd, (struct sockaddr *)&sa, sizeof(sa))) {
		int err = -errno;

		close(fd);
		return err;
	}
	return fd;
}

static void read_packet(struct loop6 *lp)
{
	static uint8_t buf[D6_MAX_LEN + 1];
	struct sockaddr_in6 sa;
	socklen_t sl = sizeof(sa);
	ssize_t n;

	n = recvfrom(lp->fd, buf, sizeof(buf), 0, (struct sockaddr *)&sa, &sl);
	if (n < 0 || (size_t)n > D6_MAX_LEN || sl < sizeof(sa))
		return;
	d6_fsm_packet(lp->f, mono_ms(), buf, (size_t)n, sa.sin6_addr.s6_addr);
	perform(lp);
}

static void read_signal(struct loop6 *lp)
{
	struct signalfd_siginfo si;

	if (read(lp->sig_fd, &si, sizeof(si)) == sizeof(si)) {
		d6_fsm_signal(lp->f, mono_ms(), (int)si.ssi_signo);
		perform(lp);
	}
}

static int link_info(const char *ifname, int *ifindex, uint8_t mac[6],
		     bool *carrier);

static void carrier_is(struct loop6 *lp, bool up)
{
	if (up == lp->carrier)
		return;
	lp->carrier = up;
	d6_fsm_carrier(lp->f, mono_ms(), up);
	perform(lp);
}

static int event_cb(const struct nlmsghdr *nlh, void *data)
{
	struct loop6 *lp = data;
	struct nl_link l;
	struct nl_addr a;

	if (nlh->nlmsg_type == RTM_NEWADDR || nlh->nlmsg_type == RTM_DELADDR) {
		/* DAD failed: the kernel marks the address DADFAILED, and
		 * deletes it unless it was added without lifetimes */
		if (!nl_addr_parse(nlh, &a) && a.index == lp->ifindex &&
		    a.family == AF_INET6 && (a.flags & IFA_F_DADFAILED)) {
			d6_fsm_dad_failed(lp->f, mono_ms(), a.local.b);
			perform(lp);
		}
		return MNL_CB_OK;
	}
	if (nl_link_parse(nlh, &l) || l.index != lp->ifindex)
		return MNL_CB_OK;
	if (nlh->nlmsg_type == RTM_DELLINK)
		lp->gone = true;
	else
		carrier_is(lp, nl_link_carrier_ok(&l));
	return MNL_CB_OK;
}

static void read_events(struct loop6 *lp)
{
	uint8_t mac[6];
	bool up;
	int err, idx;

	while ((err = nl_event_read(&lp->ev, event_cb, lp)) == 0)
		;
	if (err == -ENOBUFS) {
		if (!link_info(lp->cfg->ifname, &idx, mac, &up))
			carrier_is(lp, up);
	} else if (err != -EAGAIN) {
		log_err(err, "link events");
	}
}

static int poll_once(struct loop6 *lp)
{
	struct pollfd p[3] = { { .fd = lp->sig_fd, .events = POLLIN },
			       { .fd = lp->fd, .events = POLLIN },
			       { .fd = lp->ev_open ? nl_fd(&lp->ev) : -1,
				 .events = POLLIN } };
	int64_t dl = lp->f->deadline;
	int ms = dl < 0 ? -1 : mono_left_ms(dl);

	if (poll(p, 3, ms) < 0)
		return errno == EINTR ? 0 : -errno;
	if (p[0].revents)
		read_signal(lp);
	else if (p[2].revents)
		read_events(lp);
	else if (p[1].revents)
		read_packet(lp);
	else if (dl >= 0 && mono_ms() >= dl) {
		d6_fsm_timeout(lp->f, mono_ms());
		perform(lp);
	}
	return 0;
}

static int link_info(const char *ifname, int *ifindex, uint8_t mac[6],
		     bool *carrier)
{
	struct nl_sock ns;
	struct nl_link l;
	int err = nl_open(&ns, NETLINK_ROUTE);

	if (!err)
		err = nl_link_get(&ns, 0, ifname, &l);
	nl_close(&ns);
	if (err)
		return err;
	*ifindex = l.index;
	*carrier = nl_link_carrier_ok(&l);
	memset(mac, 0, 6);
	memcpy(mac, l.addr, l.addr_len < 6 ? l.addr_len : 6);
	return 0;
}

/* mkdir -p of the directory of @path (a file). */
static void make_parent(const char *path)
{
	char dir[256];
	size_t n = strlen(path);

	if (n >= sizeof(dir))
		return;
	memcpy(dir, path, n + 1);
	for (char *p = dir + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = 0;
		if (mkdir(dir, 0755) && errno != EEXIST)
			return;
		*p = '/';
	}
}

/* The DUID file's DUID, or a DUID-LL written there (RFC 8415 11: the
 * same DUID across restarts, whatever interface names do). */
static size_t load_duid(const struct d6_cfg *c, const uint8_t mac[6],
			uint8_t *duid)
{
	char text[3 * D6_DUID_MAX + 2];
	size_t len = 0, n;
	int r, err;

	if (c->duid_file &&
	    !file_read(c->duid_file, text, sizeof(text), &len)) {
		r = d6_duid_parse(text, len, duid, D6_DUID_MAX);
		if (r > 0)
			return (size_t)r;
		log_warn("%s: not a DUID, made anew", c->duid_file);
	}
	n = d6_duid_ll(mac, duid);
	if (!c->duid_file)
		return n;
	len = d6_duid_format(duid, n, text, sizeof(text));
	make_parent(c->duid_file);
	err = file_write_atomic(c->duid_file, text, len, 0644);
	if (err)
		log_err(err, "%s: DUID not kept", c->duid_file);
	return n;
}

static uint64_t seed(void)
{
	uint64_t s = 0;

	if (getrandom(&s, sizeof(s), GRND_NONBLOCK) != sizeof(s))
		s = (uint64_t)mono_ns() ^ (uint64_t)getpid() << 32;
	return s;
}

static int run_loop(struct loop6 *lp, const uint8_t mac[6])
{
	uint8_t duid[D6_DUID_MAX];
	size_t duid_len = load_duid(lp->cfg, mac, duid);
	uint32_t iaid = (uint32_t)mac[2] << 24 | (uint32_t)mac[3] << 16 |
			(uint32_t)mac[4] << 8 | mac[5];
	int err = 0;

	d6_fsm_init(lp->f, lp->cfg, duid, duid_len, iaid, seed(), mono_ms());
	perform(lp);
	while (!lp->f->done && !err && !lp->gone)
		err = poll_once(lp);
	if (lp->gone)
		log_info("%s: interface gone, exiting", lp->cfg->ifname);
	perform(lp);
	if (err)
		log_err(err, "poll");
	return err ? 1 : lp->f->exit_code;
}

int d6_run(const struct d6_cfg *cfg)
{
	static struct d6_fsm f;
	struct loop6 lp = { .f = &f, .cfg = cfg, .sig_fd = -1, .fd = -1 };
	uint8_t mac[6];
	int err, rc;

	/* subscribed first: no carrier change is missed */
	lp.ev_open = !nl_event_open(&lp.ev, NL_EVENT_LINK | NL_EVENT_IPV6_ADDR);
	if (!lp.ev_open)
		log_warn("no link events: carrier and DAD are not followed");
	err = link_info(cfg->ifname, &lp.ifindex, mac, &lp.carrier);
	if (err) {
		log_err(err, "%s", cfg->ifname);
		if (lp.ev_open)
			nl_close(&lp.ev);
		return 1;
	}
	lp.sig_fd = daemon_signals();
	lp.fd = lp.sig_fd < 0 ? lp.sig_fd : sock_open(cfg, lp.ifindex);
	if (lp.fd < 0) {
		log_err(lp.fd, "%s: socket", cfg->ifname);
		return 1;
	}
	daemon_pidfile(cfg->pidfile);
	log_info("started, %s", cfg->ifname);
	rc = run_loop(&lp, mac);
	daemon_pidfile_remove();
	close(lp.fd);
	if (lp.ev_open)
		nl_close(&lp.ev);
	return rc;
}

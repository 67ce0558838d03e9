// SPDX-License-Identifier: MIT
#include <signal.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>

#include "arp.h"
#include "file.h"
#include "fsm.h"
#include "lease.h"
#include "log.h"
#include "mono.h"
#include "msg.h"

#define RETRANSMIT_MIN 60000 /* RFC 2131 4.4.5 */
#define NAK_WAIT 3000	     /* udhcpc's sleep(3) after a NAK */
#define DECLINE_WAIT 10000   /* RFC 2131 3.1 */
#define MIN_LEASE 30
#define ANNOUNCE_NUM 2	       /* RFC 5227 1.1 */
#define ANNOUNCE_INTERVAL 2000 /* ms */

static void enter_init(struct fsm *f)
{
	f->state = DHCP_ST_INIT;
	f->deadline = mono_ms();
}

static void enter_wait(struct fsm *f, int64_t ms)
{
	msg_listen_none(f);
	f->state = DHCP_ST_WAIT;
	f->deadline = mono_ms() + ms;
}

static void finish(struct fsm *f, int code)
{
	f->done = true;
	f->exit_code = code;
}

/* Gives the lease up without a word to the server: deconfig, then idle
 * until USR1 (udhcpc's RELEASED state). */
static void unconfigure(struct fsm *f)
{
	log_info("entering released state");
	msg_listen_none(f);
	fsm_script(f, "deconfig", NULL);
	f->have_lease = false;
	f->state = DHCP_ST_RELEASED;
	f->deadline = -1;
}

/* USR2, or an exit with -R: RELEASE first if bound. */
static void release(struct fsm *f)
{
	if (f->state == DHCP_ST_BOUND || f->state == DHCP_ST_RENEWING ||
	    f->state == DHCP_ST_REBINDING)
		msg_release(f);
	unconfigure(f);
}

static void leasefail(struct fsm *f)
{
	log_info("no lease");
	fsm_script(f, "leasefail", NULL);
	if (f->cfg->background && !f->forked) {
		log_info("no lease, forking to background");
		run_background(f);
	} else if (f->cfg->now && !f->forked) {
		log_info("no lease, failing");
		finish(f, 1);
		return;
	}
	enter_wait(f, f->cfg->tryagain * 1000LL);
}

static int64_t at(int64_t now, uint32_t s)
{
	return now + (int64_t)s * 1000;
}

/* RFC 2131 4.4.5: T1/T2 from options 58/59 when 0 < T1 < T2 < lease,
 * else 0.5 and 0.875 of the lease (a T1 of 0 would renew at once after
 * every ACK; dhcpcd takes it for none).  0xffffffff is infinite (3.3):
 * no timer, where udhcpc's signed lease clamps it to INT_MAX s. */
static void set_times(struct fsm *f, const struct dhcp_msg *m, int64_t now)
{
	uint32_t lease = 3600, t1, t2, v;

	if (dhcp_opt_be32(m, DHO_LEASE, &v))
		lease = ntohl(v);
	else
		log_info("no lease time with ACK, using 1 hour lease");
	if (lease == 0xffffffffu) {
		f->t1 = f->t2 = f->expiry = -1;
		return;
	}
	if (lease < MIN_LEASE) {
		log_warn("lease of %u s raised to %u s", lease, MIN_LEASE);
		lease = MIN_LEASE;
	}
	t1 = lease / 2;
	t2 = (uint32_t)((uint64_t)lease * 7 / 8);
	if (dhcp_opt_be32(m, DHO_T1, &v))
		t1 = ntohl(v);
	if (dhcp_opt_be32(m, DHO_T2, &v))
		t2 = ntohl(v);
	if (!(t1 && t1 < t2 && t2 < lease)) {
		log_warn("T1 %u, T2 %u, lease %u: using 0.5 and 0.875", t1, t2,
			 lease);
		t1 = lease / 2;
		t2 = (uint32_t)((uint64_t)lease * 7 / 8);
	}
	f->t1 = at(now, t1);
	f->t2 = at(now, t2);
	f->expiry = at(now, lease);
}

/* The next retransmission, -T from @now; while a lease is held, no later
 * than its expiry, when fsm_timeout() gives it up. */
static int64_t retry_at(const struct fsm *f, int64_t now)
{
	int64_t t = at(now, f->cfg->timeout);

	return f->have_lease && f->expiry >= 0 && f->expiry < t ? f->expiry : t;
}

/* Back to the lease's own schedule (BOUND until T1). */
static void resume(struct fsm *f)
{
	int64_t now = mono_ms();

	msg_listen_none(f);
	f->renew_requested = false;
	f->state = DHCP_ST_BOUND;
	f->deadline = f->t1 < 0 ? -1 : f->t1 > now ? f->t1 : now;
}

/* Half the time left until @end, at least a minute, never past @end. */
static int64_t half_left(int64_t now, int64_t end)
{
	int64_t d = (end - now) / 2;

	if (d < RETRANSMIT_MIN)
		d = RETRANSMIT_MIN;
	return now + d < end ? now + d : end;
}

static void lease_lost(struct fsm *f)
{
	log_info("lease lost, entering init state");
	fsm_script(f, "deconfig", NULL);
	f->have_lease = false;
	enter_init(f);
}

static void timeout_bound(struct fsm *f, int64_t now)
{
	if (f->state == DHCP_ST_BOUND) {
		f->state = DHCP_ST_RENEWING;
		msg_listen_udp(f);
	}
	if (f->renew_requested) {
		/* no answer to USR1's unicast: one broadcast, then the
		 * lease's own schedule again */
		if (f->state == DHCP_ST_RENEWING) {
			f->state = DHCP_ST_REBINDING;
			msg_listen_raw(f);
			msg_request(f);
			f->deadline = retry_at(f, now);
		} else {
			resume(f);
		}
		return;
	}
	if (f->state == DHCP_ST_RENEWING && now >= f->t2) {
		f->state = DHCP_ST_REBINDING;
		msg_listen_raw(f);
	}
	msg_request(f);
	f->deadline = half_left(now, f->state == DHCP_ST_RENEWING ? f->t2
								  : f->expiry);
}

static void timeout_acquire(struct fsm *f, int64_t now)
{
	unsigned max = f->state == DHCP_ST_SELECTING	? f->cfg->retries
		       : f->state == DHCP_ST_REQUESTING ? 3
							: 2;

	if (max && f->tries >= max) {
		if (f->state == DHCP_ST_REBOOTING && f->have_lease) {
			resume(f);
		} else if (f->state == DHCP_ST_REBOOTING) {
			enter_init(f);
			fsm_timeout(f);
		} else {
			leasefail(f);
		}
		return;
	}
	f->tries++;
	if (f->state == DHCP_ST_SELECTING)
		msg_discover(f);
	else
		msg_request(f);
	f->deadline = retry_at(f, now);
}

void fsm_timeout(struct fsm *f)
{
	int64_t now = mono_ms();

	/* RFC 2131 4.4.5: the address goes at expiry, whatever is under way
	 * (a USR1 renew, an INIT-REBOOT after the link came back) */
	if (f->have_lease && f->expiry >= 0 && now >= f->expiry)
		lease_lost(f);
	switch (f->state) {
	case DHCP_ST_WAIT:
	case DHCP_ST_INIT:
		f->xid = msg_new_xid();
		f->tries = 0;
		f->start = now;
		f->state = DHCP_ST_SELECTING;
		msg_listen_raw(f);
		/* fall through */
	case DHCP_ST_SELECTING:
	case DHCP_ST_REQUESTING:
	case DHCP_ST_REBOOTING:
		timeout_acquire(f, now);
		break;
	case DHCP_ST_BOUND:
	case DHCP_ST_RENEWING:
	case DHCP_ST_REBINDING:
		timeout_bound(f, now);
		break;
	case DHCP_ST_RELEASED:
		f->deadline = -1;
		break;
	}
}

static void on_offer(struct fsm *f, const struct dhcp_msg *m)
{
	uint32_t sid = 0;

	if (!lease_addr_ok(m->yiaddr)) {
		log_warn("ignoring offer of %s: not a unicast address",
			 msg_ntoa(m->yiaddr));
		return;
	}
	if (!dhcp_opt_be32(m, DHO_SERVER_ID, &sid))
		log_info("no server ID, using 0.0.0.0");
	f->server = sid;
	f->offer_ip = f->req_ip = m->yiaddr;
	log_info("received offer of %s from %s", msg_ntoa(m->yiaddr),
		 msg_ntoa(sid));
	f->state = DHCP_ST_REQUESTING;
	f->tries = 0;
	fsm_timeout(f);
}

static void announce_stop(struct fsm *f)
{
	if (f->arp_fd >= 0)
		close(f->arp_fd);
	f->arp_fd = -1;
	f->n_announce = 0;
	f->announce_at = -1;
}

/* -a: RFC 5227 probes of @ip; if it is free, the socket stays open for
 * the announcements, made once bound (2.3).  1 on a conflict, else 0. */
static int probe(struct fsm *f, uint32_t ip)
{
	int r;

	announce_stop(f);
	r = f->arp_fd = arp_open(f->ifindex);
	if (r >= 0)
		r = arp_probe(f->arp_fd, f->ifindex, f->mac, ip,
			      f->cfg->arp_ms);
	if (r < 0)
		log_err(r, "%s: ARP probe", f->cfg->ifname);
	if (r != 0) {
		announce_stop(f);
		return r > 0;
	}
	f->announce_ip = ip;
	f->n_announce = ANNOUNCE_NUM;
	f->announce_at = mono_ms();
	return 0;
}

/* -a: probe before use; on a conflict DECLINE and wait (RFC 2131 3.1). */
static bool conflict(struct fsm *f, const struct dhcp_msg *m, bool fresh)
{
	int64_t wait = f->cfg->tryagain * 1000LL;

	if (f->cfg->arp_ms < 0 || !fresh || !probe(f, m->yiaddr))
		return false;
	log_warn("offered address %s is in use, declining",
		 msg_ntoa(m->yiaddr));
	msg_decline(f, m->yiaddr);
	f->req_ip = 0;
	if (f->have_lease)
		fsm_script(f, "deconfig", NULL);
	f->have_lease = false;
	enter_wait(f, wait > DECLINE_WAIT ? wait : DECLINE_WAIT);
	return true;
}

static void save_lease(struct fsm *f)
{
	int err;

	if (!f->cfg->lease_file)
		return;
	err = file_write_atomic(f->cfg->lease_file, f->lease_raw,
				f->lease_raw_len, 0600);
	if (err)
		log_err(err, "%s", f->cfg->lease_file);
}

void fsm_announce(struct fsm *f)
{
	int err;

	if (!f->have_lease || f->yiaddr != f->announce_ip || !f->n_announce ||
	    f->arp_fd < 0) {
		announce_stop(f);
		return;
	}
	err = arp_announce(f->arp_fd, f->ifindex, f->mac, f->announce_ip);
	if (err)
		log_err(err, "%s: ARP announcement", f->cfg->ifname);
	else
		log_debug(1, "%s: announced %s", f->cfg->ifname,
			  msg_ntoa(f->announce_ip));
	if (--f->n_announce)
		f->announce_at = mono_ms() + ANNOUNCE_INTERVAL;
	else
		announce_stop(f);
}

/* After bound or renew: fork unless -f, or with -q exit (sending the
 * first announcement now, as the loop that spaces them ends here).  -q -R
 * runs deconfig but sends no RELEASE, as udhcpc: its perform_release()
 * sends one only from BOUND, and -q exits while still REQUESTING. */
static void after_ack(struct fsm *f)
{
	if (!f->cfg->quit) {
		if (!f->cfg->foreground && !f->forked)
			run_background(f);
		return;
	}
	if (f->cfg->release)
		unconfigure(f);
	else if (f->announce_at >= 0)
		fsm_announce(f);
	finish(f, 0);
}

static void on_ack(struct fsm *f, const struct dhcp_msg *m, const uint8_t *raw,
		   size_t len)
{
	bool fresh = f->state == DHCP_ST_REQUESTING ||
		     f->state == DHCP_ST_SELECTING || !f->have_lease;
	int64_t now = mono_ms();
	uint32_t sid, lease;

	if (!lease_addr_ok(m->yiaddr)) {
		log_warn("ignoring ACK of %s: not a unicast address",
			 msg_ntoa(m->yiaddr));
		return;
	}
	if (conflict(f, m, fresh))
		return;
	set_times(f, m, now);
	if (dhcp_opt_be32(m, DHO_SERVER_ID, &sid))
		f->server = sid;
	/* asked for again in DISCOVER after a release, a lost lease or a
	 * second USR1, as udhcpc does */
	f->yiaddr = f->req_ip = m->yiaddr;
	memcpy(f->lease_raw, raw, len);
	f->lease_raw_len = len;
	lease = f->expiry < 0 ? 0xffffffffu
			      : (uint32_t)((f->expiry - now) / 1000);
	log_info("lease of %s obtained from %s, lease time %u",
		 msg_ntoa(m->yiaddr), msg_ntoa(f->server), lease);
	fsm_script(f, fresh ? "bound" : "renew", m);
	/* closing the raw socket waits for an RCU grace period (10-15 ms):
	 * after the script, so the address is usable that much sooner */
	resume(f);
	f->have_lease = true;
	save_lease(f);
	after_ack(f);
}

/* RFC 2131 3.2, 4.3.2: a REQUEST in REQUESTING or RENEWING goes to (or
 * names) our server, and only its NAK counts; in INIT-REBOOT and
 * REBINDING it is broadcast and names none, and any server that finds the
 * address wrong for the network may NAK it (xid and chaddr are already
 * ours): the client that moved to another network learns it at once. */
static void on_nak(struct fsm *f, const struct dhcp_msg *m)
{
	uint32_t sid = 0;
	bool any =
		f->state == DHCP_ST_REBOOTING || f->state == DHCP_ST_REBINDING;

	if (!dhcp_opt_be32(m, DHO_SERVER_ID, &sid))
		log_info("no server ID, using 0.0.0.0");
	if (!any && sid != f->server) {
		log_warn("ignoring NAK from %s: our server is %s",
			 msg_ntoa(sid), msg_ntoa(f->server));
		return;
	}
	log_info("received DHCP NAK");
	fsm_script(f, "nak", m);
	if (f->have_lease)
		fsm_script(f, "deconfig", NULL);
	f->have_lease = false;
	f->req_ip = 0;
	enter_wait(f, NAK_WAIT);
}

static bool check_reply(struct fsm *f, const struct dhcp_msg *m)
{
	if (m->op != 2 || m->htype != 1 || m->hlen != 6) {
		log_warn("%s: ignoring packet: not a BOOTREPLY for Ethernet",
			 f->cfg->ifname);
		return false;
	}
	if (m->xid != f->xid) {
		log_info("%s: ignoring packet: xid %08x is not ours (%08x)",
			 f->cfg->ifname, m->xid, f->xid);
		return false;
	}
	if (memcmp(m->chaddr, f->mac, 6)) {
		log_info("%s: ignoring packet: chaddr is not ours",
			 f->cfg->ifname);
		return false;
	}
	return true;
}

void fsm_packet(struct fsm *f, const uint8_t *buf, size_t len)
{
	struct dhcp_msg *m = &f->msg;
	enum dhcp_state s = f->state;
	const char *why;
	bool asked = s == DHCP_ST_REQUESTING || s == DHCP_ST_RENEWING ||
		     s == DHCP_ST_REBINDING || s == DHCP_ST_REBOOTING;

	if (dhcp_parse(buf, len, m, &why)) {
		log_warn("%s: ignoring packet: %s", f->cfg->ifname, why);
		return;
	}
	if (!check_reply(f, m))
		return;
	if (m->type == DHCPOFFER && s == DHCP_ST_SELECTING)
		on_offer(f, m);
	else if (m->type == DHCPACK &&
		 (asked || (s == DHCP_ST_SELECTING && f->cfg->rapid_commit &&
			    m->rapid_commit)))
		on_ack(f, m, buf, len);
	else if (m->type == DHCPNAK && asked)
		on_nak(f, m);
	else
		log_info("%s: ignoring DHCP message type %u in state %d",
			 f->cfg->ifname, m->type, s);
}

static void renew_now(struct fsm *f)
{
	if (f->renew_requested) {
		/* a second USR1: start over (udhcpc's perform_renew()) */
		lease_lost(f);
		return;
	}
	f->renew_requested = true;
	f->state = DHCP_ST_RENEWING;
	msg_listen_udp(f);
	msg_request(f);
	f->deadline = retry_at(f, mono_ms());
}

void fsm_signal(struct fsm *f, int sig)
{
	if (sig == SIGUSR1) {
		log_info("performing DHCP renew");
		if (f->state == DHCP_ST_BOUND || f->state == DHCP_ST_RENEWING ||
		    f->state == DHCP_ST_REBINDING)
			renew_now(f);
		else if (f->state == DHCP_ST_REQUESTING ||
			 f->state == DHCP_ST_RELEASED)
			enter_init(f);
	} else if (sig == SIGUSR2) {
		log_info("performing DHCP release");
		release(f);
	} else {
		log_info("received %s", strsignal(sig));
		if (f->cfg->release)
			release(f);
		finish(f, 0);
	}
}

void fsm_carrier(struct fsm *f, bool up)
{
	enum dhcp_state s = f->state;

	if (!up) {
		log_info("%s: link down%s", f->cfg->ifname,
			 f->have_lease ? ", keeping the lease" : "");
		return;
	}
	log_info("%s: link up", f->cfg->ifname);
	if (s == DHCP_ST_BOUND || s == DHCP_ST_RENEWING ||
	    s == DHCP_ST_REBINDING) {
		/* verify the lease at once, as in INIT-REBOOT */
		f->offer_ip = f->yiaddr;
		f->xid = msg_new_xid();
		f->tries = 0;
		f->renew_requested = false;
		f->state = DHCP_ST_REBOOTING;
		msg_listen_raw(f);
		fsm_timeout(f);
	} else if (s == DHCP_ST_SELECTING || s == DHCP_ST_WAIT ||
		   s == DHCP_ST_REQUESTING) {
		enter_init(f);
	}
}

/* --lease-file: a saved ACK for this MAC gives INIT-REBOOT. */
static void load_lease(struct fsm *f)
{
	const char *why;
	size_t n;
	uint32_t sid = 0;

	if (file_read(f->cfg->lease_file, f->lease_raw, sizeof(f->lease_raw),
		      &n))
		return;
	if (lease_parse(f->lease_raw, n, f->mac, &f->msg, &why)) {
		log_warn("%s: not a lease of ours, ignored",
			 f->cfg->lease_file);
		return;
	}
	dhcp_opt_be32(&f->msg, DHO_SERVER_ID, &sid);
	f->server = sid;
	f->offer_ip = f->req_ip = f->msg.yiaddr;
	f->xid = msg_new_xid();
	f->tries = 0;
	f->start = mono_ms();
	f->state = DHCP_ST_REBOOTING;
	log_info("%s: requesting %s again", f->cfg->lease_file,
		 msg_ntoa(f->offer_ip));
}

void fsm_init(struct fsm *f, const struct dhcpc_cfg *cfg)
{
	f->cfg = cfg;
	f->raw_fd = f->udp_fd = -1;
	f->t1 = f->t2 = f->expiry = f->announce_at = -1;
	f->arp_fd = -1;
	f->n_announce = 0;
	f->have_lease = f->renew_requested = f->done = false;
	f->server = f->yiaddr = f->offer_ip = 0;
	f->req_ip = cfg->req_ip;
	enter_init(f);
	if (cfg->lease_file)
		load_lease(f);
}

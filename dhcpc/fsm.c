// SPDX-License-Identifier: MIT
#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <arpa/inet.h>

#include "fsm.h"
#include "lease.h"
#include "embnet/log.h"
#include "msg.h"
#include "timers.h"

#define NAK_WAIT 3000		  /* udhcpc's sleep(3) after a NAK */
#define DECLINE_WAIT 10000	  /* RFC 2131 3.1 */
#define ANNOUNCE_NUM 2		  /* RFC 5227 1.1 */
#define ANNOUNCE_INTERVAL 2000	  /* ms */
#define MAX_CONFLICTS 10	  /* RFC 5227 1.1 */
#define RATE_LIMIT_INTERVAL 60000 /* RFC 5227 1.1, ms */
/* Damaged packets: the first DAMAGED_BURST of a minute are warnings. */
#define DAMAGED_BURST 5
#define DAMAGED_INTERVAL 60000

/* ---- what the loop does for us ------------------------------------- */

/* The next action slot; past FSM_MAX_ACTS (a bug) the spare, never run. */
static struct fsm_act *act(struct fsm *f, enum fsm_act_type type)
{
	static struct fsm_act spare;
	struct fsm_act *a = &spare;

	if (f->n_acts < FSM_MAX_ACTS)
		a = &f->acts[f->n_acts++];
	else
		log_err(-ENOBUFS, "%s: actions", f->cfg->ifname);
	memset(a, 0, sizeof(*a));
	a->type = type;
	return a;
}

const struct fsm_act *fsm_next(struct fsm *f)
{
	if (f->head < f->n_acts)
		return &f->acts[f->head++];
	f->head = f->n_acts = f->n_outs = 0;
	return NULL;
}

/* Each call starts here: the time, and a fresh list once all was done. */
static void begin(struct fsm *f, int64_t now)
{
	f->now = now;
	if (f->head == f->n_acts)
		f->head = f->n_acts = f->n_outs = 0;
}

static void listen_on(struct fsm *f, enum fsm_listen l)
{
	if (f->listen == l)
		return;
	f->listen = l;
	act(f, FSM_ACT_LISTEN)->listen = l;
}

static void script(struct fsm *f, const char *event, const struct dhcp_msg *m)
{
	struct fsm_act *a = act(f, FSM_ACT_SCRIPT);

	a->event = event;
	a->msg = m;
}

static struct dhcp_out *out_new(struct fsm *f)
{
	static struct dhcp_out spare;

	return f->n_outs < FSM_MAX_SENDS ? &f->outs[f->n_outs++] : &spare;
}

/* @o ended and sent: unicast to the server (on the UDP socket), or
 * broadcast from @src (raw), listening on that socket from now on. */
static void send_out(struct fsm *f, struct dhcp_out *o, bool ucast,
		     uint32_t src)
{
	struct fsm_act *a;
	int err = dhcp_build_end(o);

	if (err) {
		log_err(err, "%s: send", f->cfg->ifname);
		return;
	}
	listen_on(f, ucast ? FSM_LISTEN_UDP : FSM_LISTEN_RAW);
	a = act(f, FSM_ACT_SEND);
	a->ucast = ucast;
	a->ip = ucast ? f->server : src;
	a->buf = o->buf;
	a->len = o->len;
}

static void send_discover(struct fsm *f)
{
	struct dhcp_out *o = out_new(f);

	msg_discover(f, o);
	send_out(f, o, false, 0);
}

static void send_request(struct fsm *f)
{
	struct dhcp_out *o = out_new(f);
	bool ucast = msg_request(f, o);

	send_out(f, o, ucast, f->state == DHCP_ST_REBINDING ? f->yiaddr : 0);
}

/* ---- states ---------------------------------------------------------- */

static void enter_init(struct fsm *f)
{
	f->state = DHCP_ST_INIT;
	f->deadline = f->now;
}

static void enter_wait(struct fsm *f, int64_t ms)
{
	listen_on(f, FSM_LISTEN_NONE);
	f->state = DHCP_ST_WAIT;
	f->deadline = f->now + ms;
}

static void finish(struct fsm *f, int code)
{
	f->done = true;
	f->exit_code = code;
}

static void go_background(struct fsm *f)
{
	f->forked = true;
	act(f, FSM_ACT_FORK);
}

/* Gives the lease up without a word to the server: deconfig, then idle
 * until USR1 (udhcpc's RELEASED state). */
static void unconfigure(struct fsm *f)
{
	log_info("entering released state");
	listen_on(f, FSM_LISTEN_NONE);
	script(f, "deconfig", NULL);
	f->have_lease = false;
	f->state = DHCP_ST_RELEASED;
	f->deadline = -1;
}

/* USR2, or an exit with -R: RELEASE first if bound. */
static void release(struct fsm *f)
{
	struct dhcp_out *o;

	if (f->state == DHCP_ST_BOUND || f->state == DHCP_ST_RENEWING ||
	    f->state == DHCP_ST_REBINDING) {
		f->xid = msg_new_xid();
		o = out_new(f);
		msg_release(f, o);
		send_out(f, o, true, 0);
	}
	unconfigure(f);
}

static void leasefail(struct fsm *f)
{
	log_info("no lease");
	script(f, "leasefail", NULL);
	if (f->cfg->background && !f->forked) {
		log_info("no lease, forking to background");
		go_background(f);
	} else if (f->cfg->now && !f->forked) {
		log_info("no lease, failing");
		finish(f, 1);
		return;
	}
	enter_wait(f, f->cfg->tryagain * 1000LL);
}

/* Back to the lease's own schedule (BOUND until T1). */
static void resume(struct fsm *f)
{
	listen_on(f, FSM_LISTEN_NONE);
	f->renew_requested = false;
	f->state = DHCP_ST_BOUND;
	f->deadline = f->t1 < 0 ? -1 : f->t1 > f->now ? f->t1 : f->now;
}

static void lease_lost(struct fsm *f)
{
	log_info("lease lost, entering init state");
	script(f, "deconfig", NULL);
	f->have_lease = false;
	enter_init(f);
}

static void timeout_bound(struct fsm *f)
{
	if (f->state == DHCP_ST_BOUND)
		f->state = DHCP_ST_RENEWING;
	if (f->renew_requested) {
		/* no answer to USR1's unicast: one broadcast, then the
		 * lease's own schedule again */
		if (f->state == DHCP_ST_RENEWING) {
			f->state = DHCP_ST_REBINDING;
			send_request(f);
			f->deadline = timers_retry(f);
		} else {
			resume(f);
		}
		return;
	}
	if (f->state == DHCP_ST_RENEWING && f->now >= f->t2)
		f->state = DHCP_ST_REBINDING;
	send_request(f);
	f->deadline = timers_half_left(
		f->now, f->state == DHCP_ST_RENEWING ? f->t2 : f->expiry);
}

static void timeout_acquire(struct fsm *f);

static void timeout(struct fsm *f)
{
	/* RFC 2131 4.4.5: the address goes at expiry, whatever is under way
	 * (a USR1 renew, an INIT-REBOOT after the link came back) */
	if (f->have_lease && f->expiry >= 0 && f->now >= f->expiry)
		lease_lost(f);
	switch (f->state) {
	case DHCP_ST_WAIT:
	case DHCP_ST_INIT:
		f->xid = msg_new_xid();
		f->tries = 0;
		f->start = f->now;
		f->state = DHCP_ST_SELECTING;
		listen_on(f, FSM_LISTEN_RAW);
		/* fall through */
	case DHCP_ST_SELECTING:
	case DHCP_ST_REQUESTING:
	case DHCP_ST_REBOOTING:
		timeout_acquire(f);
		break;
	case DHCP_ST_BOUND:
	case DHCP_ST_RENEWING:
	case DHCP_ST_REBINDING:
		timeout_bound(f);
		break;
	case DHCP_ST_RELEASED:
		f->deadline = -1;
		break;
	}
}

static void timeout_acquire(struct fsm *f)
{
	unsigned max = f->state == DHCP_ST_SELECTING	? f->cfg->retries
		       : f->state == DHCP_ST_REQUESTING ? 3
							: 2;

	if (max && f->tries >= max) {
		if (f->state == DHCP_ST_REBOOTING && f->have_lease) {
			resume(f);
		} else if (f->state == DHCP_ST_REBOOTING) {
			enter_init(f);
			timeout(f);
		} else {
			leasefail(f);
		}
		return;
	}
	f->tries++;
	if (f->state == DHCP_ST_SELECTING)
		send_discover(f);
	else
		send_request(f);
	f->deadline = timers_retry(f);
}

void fsm_timeout(struct fsm *f, int64_t now)
{
	begin(f, now);
	timeout(f);
}

/* ---- replies --------------------------------------------------------- */

static void on_offer(struct fsm *f, const struct dhcp_msg *m)
{
	uint32_t sid = 0;

	if (!lease_addr_ok(m->yiaddr)) {
		fsm_log_damaged(f, f->now,
				"ignoring offer of %s: not a unicast address",
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
	timeout(f);
}

static void announce_stop(struct fsm *f)
{
	if (f->arp_open)
		act(f, FSM_ACT_ARP_CLOSE);
	f->arp_open = false;
	f->n_announce = 0;
	f->announce_at = -1;
}

/* RFC 5227 2.3: the next announcement of the address just probed. */
static void announce(struct fsm *f)
{
	if (!f->have_lease || f->yiaddr != f->announce_ip || !f->n_announce ||
	    !f->arp_open) {
		announce_stop(f);
		return;
	}
	act(f, FSM_ACT_ANNOUNCE)->ip = f->announce_ip;
	if (--f->n_announce)
		f->announce_at = f->now + ANNOUNCE_INTERVAL;
	else
		announce_stop(f);
}

void fsm_announce(struct fsm *f, int64_t now)
{
	begin(f, now);
	announce(f);
}

/* After bound or renew: fork unless -f, or with -q exit (sending the
 * first announcement now, as the loop that spaces them ends here).  -q -R
 * runs deconfig but sends no RELEASE, as udhcpc: its perform_release()
 * sends one only from BOUND, and -q exits while still REQUESTING. */
static void after_ack(struct fsm *f)
{
	if (!f->cfg->quit) {
		if (!f->cfg->foreground && !f->forked)
			go_background(f);
		return;
	}
	if (f->cfg->release)
		unconfigure(f);
	else if (f->announce_at >= 0)
		announce(f);
	finish(f, 0);
}

/* The ACK in f->msg (its bytes in lease_raw) is taken. */
static void take(struct fsm *f, bool fresh)
{
	const struct dhcp_msg *m = &f->msg;
	uint32_t sid, lease;

	timers_lease(f, m);
	if (dhcp_opt_be32(m, DHO_SERVER_ID, &sid))
		f->server = sid;
	/* asked for again in DISCOVER after a release, a lost lease or a
	 * second USR1, as udhcpc does */
	f->yiaddr = f->req_ip = m->yiaddr;
	lease = f->expiry < 0 ? 0xffffffffu
			      : (uint32_t)((f->expiry - f->now) / 1000);
	log_info("lease of %s obtained from %s, lease time %u",
		 msg_ntoa(m->yiaddr), msg_ntoa(f->server), lease);
	script(f, fresh ? "bound" : "renew", m);
	/* closing the raw socket waits for an RCU grace period (10-15 ms):
	 * after the script, so the address is usable that much sooner */
	resume(f);
	f->have_lease = true;
	if (f->cfg->lease_file)
		act(f, FSM_ACT_SAVE);
	after_ack(f);
}

/* -a: a conflict: DECLINE and wait (RFC 2131 3.1), a minute once there
 * were MAX_CONFLICTS (RFC 5227 2.1.1: a host answering every probe gets
 * one DECLINE a minute, not one every DECLINE_WAIT). */
static void decline(struct fsm *f, uint32_t ip)
{
	int64_t wait = f->cfg->tryagain * 1000LL;
	struct dhcp_out *o = out_new(f);

	log_warn("offered address %s is in use, declining", msg_ntoa(ip));
	msg_decline(f, o, ip);
	send_out(f, o, false, 0);
	f->req_ip = 0;
	if (f->have_lease)
		script(f, "deconfig", NULL);
	f->have_lease = false;
	if (wait < DECLINE_WAIT)
		wait = DECLINE_WAIT;
	if (++f->n_conflicts >= MAX_CONFLICTS && wait < RATE_LIMIT_INTERVAL)
		wait = RATE_LIMIT_INTERVAL;
	enter_wait(f, wait);
}

void fsm_probed(struct fsm *f, int64_t now, int r)
{
	uint32_t ip = f->probe_ip;

	begin(f, now);
	if (!ip)
		return;
	f->probe_ip = 0;
	if (r > 0) {
		decline(f, ip);
		return;
	}
	if (r == 0) {
		/* announced once bound (RFC 5227 2.3) */
		f->n_conflicts = 0;
		f->arp_open = true;
		f->announce_ip = ip;
		f->n_announce = ANNOUNCE_NUM;
		f->announce_at = now;
	}
	take(f, true);
}

static void on_ack(struct fsm *f, const uint8_t *raw, size_t len)
{
	const struct dhcp_msg *m = &f->msg;
	bool fresh = f->state == DHCP_ST_REQUESTING ||
		     f->state == DHCP_ST_SELECTING || !f->have_lease;

	if (!lease_addr_ok(m->yiaddr)) {
		fsm_log_damaged(f, f->now,
				"ignoring ACK of %s: not a unicast address",
				msg_ntoa(m->yiaddr));
		return;
	}
	memcpy(f->lease_raw, raw, len);
	f->lease_raw_len = len;
	if (f->cfg->arp_ms < 0 || !fresh) {
		take(f, fresh);
		return;
	}
	/* -a: probe before use; the loop answers with fsm_probed() */
	announce_stop(f);
	f->probe_ip = m->yiaddr;
	act(f, FSM_ACT_PROBE)->ip = m->yiaddr;
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
		fsm_log_damaged(f, f->now,
				"ignoring NAK from %s: our server is %s",
				msg_ntoa(sid), msg_ntoa(f->server));
		return;
	}
	log_info("received DHCP NAK");
	script(f, "nak", m);
	if (f->have_lease)
		script(f, "deconfig", NULL);
	f->have_lease = false;
	f->req_ip = 0;
	enter_wait(f, NAK_WAIT);
}

void fsm_log_damaged(struct fsm *f, int64_t now, const char *fmt, ...)
{
	struct fsm_ratelimit *r = &f->damaged;
	char line[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	if (now - r->start >= DAMAGED_INTERVAL || now < r->start) {
		r->start = now;
		r->n_logged = r->n_quiet = 0;
	}
	if (r->n_logged < DAMAGED_BURST) {
		r->n_logged++;
		log_warn("%s", line);
		return;
	}
	if (!r->n_quiet++)
		log_warn("%s: more packets ignored: logged with -v only, "
			 "for a minute",
			 f->cfg->ifname);
	log_debug(1, "%s", line);
}

/* Replies to others (their xid or MAC: normal on a shared link, where
 * servers broadcast) at debug level, as udhcpc's log1(); damaged ones
 * rate-limited. */
static bool check_reply(struct fsm *f, const struct dhcp_msg *m)
{
	if (m->op != 2 || m->htype != 1 || m->hlen != 6) {
		fsm_log_damaged(f, f->now,
				"%s: ignoring packet: not a BOOTREPLY for "
				"Ethernet",
				f->cfg->ifname);
		return false;
	}
	if (m->xid != f->xid) {
		log_debug(1, "%s: ignoring packet: xid %08x is not ours (%08x)",
			  f->cfg->ifname, m->xid, f->xid);
		return false;
	}
	if (memcmp(m->chaddr, f->mac, 6)) {
		log_debug(1, "%s: ignoring packet: chaddr is not ours",
			  f->cfg->ifname);
		return false;
	}
	return true;
}

void fsm_packet(struct fsm *f, int64_t now, const uint8_t *buf, size_t len)
{
	struct dhcp_msg *m = &f->msg;
	enum dhcp_state s = f->state;
	const char *why;
	bool asked = s == DHCP_ST_REQUESTING || s == DHCP_ST_RENEWING ||
		     s == DHCP_ST_REBINDING || s == DHCP_ST_REBOOTING;

	begin(f, now);
	if (dhcp_parse(buf, len, m, &why)) {
		fsm_log_damaged(f, now, "%s: ignoring packet: %s",
				f->cfg->ifname, why);
		return;
	}
	if (!check_reply(f, m))
		return;
	if (m->type == DHCPOFFER && s == DHCP_ST_SELECTING)
		on_offer(f, m);
	else if (m->type == DHCPACK &&
		 (asked || (s == DHCP_ST_SELECTING && f->cfg->rapid_commit &&
			    m->rapid_commit)))
		on_ack(f, buf, len);
	else if (m->type == DHCPNAK && asked)
		on_nak(f, m);
	else
		log_debug(1, "%s: ignoring DHCP message type %u in state %d",
			  f->cfg->ifname, m->type, s);
}

/* ---- signals and the link -------------------------------------------- */

static void renew_now(struct fsm *f)
{
	if (f->renew_requested) {
		/* a second USR1: start over (udhcpc's perform_renew()) */
		lease_lost(f);
		return;
	}
	f->renew_requested = true;
	f->state = DHCP_ST_RENEWING;
	send_request(f);
	f->deadline = timers_retry(f);
}

void fsm_signal(struct fsm *f, int64_t now, int sig)
{
	begin(f, now);
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

void fsm_carrier(struct fsm *f, int64_t now, bool up)
{
	enum dhcp_state s = f->state;

	begin(f, now);
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
		listen_on(f, FSM_LISTEN_RAW);
		timeout(f);
	} else if (s == DHCP_ST_SELECTING || s == DHCP_ST_REQUESTING ||
		   (s == DHCP_ST_WAIT && f->n_conflicts < MAX_CONFLICTS)) {
		/* a new round at once, but for RFC 5227's rate limit */
		enter_init(f);
	}
}

/* --lease-file: a saved ACK for this MAC gives INIT-REBOOT. */
static void load_lease(struct fsm *f, const uint8_t *buf, size_t len)
{
	const char *why;
	uint32_t sid = 0;

	if (len > sizeof(f->lease_raw) ||
	    lease_parse(buf, len, f->mac, &f->msg, &why)) {
		log_warn("%s: not a lease of ours, ignored",
			 f->cfg->lease_file);
		return;
	}
	memcpy(f->lease_raw, buf, len);
	f->lease_raw_len = len;
	dhcp_opt_be32(&f->msg, DHO_SERVER_ID, &sid);
	f->server = sid;
	f->offer_ip = f->req_ip = f->msg.yiaddr;
	f->xid = msg_new_xid();
	f->tries = 0;
	f->start = f->now;
	f->state = DHCP_ST_REBOOTING;
	log_info("%s: requesting %s again", f->cfg->lease_file,
		 msg_ntoa(f->offer_ip));
}

void fsm_init(struct fsm *f, const struct dhcpc_cfg *cfg, const uint8_t mac[6],
	      int64_t now, const uint8_t *lease, size_t lease_len)
{
	memset(f, 0, sizeof(*f));
	f->cfg = cfg;
	memcpy(f->mac, mac, 6);
	f->now = now;
	f->t1 = f->t2 = f->expiry = f->announce_at = f->last_ack = -1;
	f->damaged.start = now;
	f->req_ip = cfg->req_ip;
	script(f, "deconfig", NULL);
	enter_init(f);
	if (lease && cfg->lease_file)
		load_lease(f, lease, lease_len);
}

// SPDX-License-Identifier: MIT
#include <errno.h>
#include <stdio.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <sys/random.h>

#include "arp.h"
#include "env.h"
#include "file.h"
#include "fsm.h"
#include "log.h"
#include "mono.h"
#include "sock.h"

#define MAX_SIZE 576	     /* option 57, as udhcpc */
#define RETRANSMIT_MIN 60000 /* RFC 2131 4.4.5 */
#define NAK_WAIT 3000	     /* udhcpc's sleep(3) after a NAK */
#define DECLINE_WAIT 10000   /* RFC 2131 3.1 */
#define MIN_LEASE 30

static uint32_t new_xid(void)
{
	uint32_t x;

	if (getrandom(&x, sizeof(x), GRND_NONBLOCK) != sizeof(x))
		x = (uint32_t)mono_ns() ^ (uint32_t)getpid() << 16;
	return x;
}

static const char *ntoa(uint32_t ip)
{
	static char buf[2][16];
	static int i;
	const uint8_t *b = (const uint8_t *)&ip;

	i ^= 1;
	snprintf(buf[i], sizeof(buf[i]), "%u.%u.%u.%u", b[0], b[1], b[2], b[3]);
	return buf[i];
}

static void listen_none(struct fsm *f)
{
	if (f->raw_fd >= 0)
		close(f->raw_fd);
	if (f->udp_fd >= 0)
		close(f->udp_fd);
	f->raw_fd = f->udp_fd = -1;
}

static int listen_raw(struct fsm *f)
{
	if (f->udp_fd >= 0)
		close(f->udp_fd);
	f->udp_fd = -1;
	if (f->raw_fd < 0)
		f->raw_fd = sock_raw_open(f->ifindex, f->cfg->cport);
	if (f->raw_fd < 0)
		log_err(f->raw_fd, "%s: raw socket", f->cfg->ifname);
	return f->raw_fd < 0 ? f->raw_fd : 0;
}

static int listen_udp(struct fsm *f)
{
	if (f->raw_fd >= 0)
		close(f->raw_fd);
	f->raw_fd = -1;
	if (f->udp_fd < 0)
		f->udp_fd = sock_udp_open(f->cfg->ifname, f->cfg->cport);
	if (f->udp_fd < 0)
		log_err(f->udp_fd, "%s: UDP socket", f->cfg->ifname);
	return f->udp_fd < 0 ? f->udp_fd : 0;
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

/* Options every DISCOVER and REQUEST carries (udhcpc's
 * add_client_options() and init_packet()). */
static void put_client_opts(struct fsm *f, struct dhcp_out *o, bool full)
{
	const struct dhcpc_cfg *c = f->cfg;
	uint8_t id[7] = { 1 };
	uint16_t max = htons(MAX_SIZE);

	if (!c->no_clientid && !c->clientid_set) {
		memcpy(id + 1, f->mac, 6);
		dhcp_put(o, DHO_CLIENT_ID, id, sizeof(id));
	}
	if (!full)
		return;
	dhcp_put(o, DHO_MAX_SIZE, &max, 2);
	if (c->vendor)
		dhcp_put(o, DHO_VENDOR, c->vendor, strlen(c->vendor));
	if (c->n_prl)
		dhcp_put(o, DHO_PRL, c->prl, c->n_prl);
	for (size_t i = 0; i + 3 <= c->extra_len;) {
		size_t n = (size_t)c->extra[i + 1] << 8 | c->extra[i + 2];

		dhcp_put(o, c->extra[i], c->extra + i + 3, n);
		i += 3 + n;
	}
}

static void start_msg(struct fsm *f, struct dhcp_out *o, uint8_t type,
		      uint32_t ciaddr)
{
	int64_t s = (mono_ms() - f->start) / 1000;
	uint16_t flags = f->cfg->bcast_flag && !ciaddr ? 0x8000 : 0;

	dhcp_build_init(o, type, f->xid, (uint16_t)(s > 0xffff ? 0xffff : s),
			flags, ciaddr, f->mac);
}

/* Broadcasts @o on the raw socket (opened if needed) from @src. */
static void send_bcast(struct fsm *f, struct dhcp_out *o, uint32_t src)
{
	int err = dhcp_build_end(o);

	if (!err && f->raw_fd < 0)
		err = listen_raw(f);
	if (!err)
		err = sock_raw_send(f->raw_fd, f->ifindex, o->buf, o->len, src,
				    INADDR_BROADCAST, f->cfg->cport,
				    (uint16_t)(f->cfg->cport - 1));
	if (err)
		log_err(err, "%s: send", f->cfg->ifname);
}

static void send_ucast(struct fsm *f, struct dhcp_out *o)
{
	int err = dhcp_build_end(o);

	if (!err && f->udp_fd < 0)
		err = listen_udp(f);
	if (!err)
		err = sock_udp_send(f->udp_fd, o->buf, o->len, f->server,
				    (uint16_t)(f->cfg->cport - 1));
	if (err)
		log_err(err, "%s: send to %s", f->cfg->ifname, ntoa(f->server));
}

static void send_discover(struct fsm *f)
{
	struct dhcp_out o;

	start_msg(f, &o, DHCPDISCOVER, 0);
	if (f->cfg->req_ip)
		dhcp_put(&o, DHO_REQ_IP, &f->cfg->req_ip, 4);
	if (f->cfg->rapid_commit)
		dhcp_put(&o, DHO_RAPID_COMMIT, NULL, 0);
	put_client_opts(f, &o, true);
	log_info("sending discover");
	send_bcast(f, &o, 0);
}

/* RFC 2131 4.3.2: what a REQUEST carries depends on the state. */
static void send_request(struct fsm *f)
{
	struct dhcp_out o;
	bool bound =
		f->state == DHCP_ST_RENEWING || f->state == DHCP_ST_REBINDING;

	start_msg(f, &o, DHCPREQUEST, bound ? f->yiaddr : 0);
	if (!bound)
		dhcp_put(&o, DHO_REQ_IP, &f->offer_ip, 4);
	if (f->state == DHCP_ST_REQUESTING)
		dhcp_put(&o, DHO_SERVER_ID, &f->server, 4);
	put_client_opts(f, &o, true);
	if (f->state == DHCP_ST_RENEWING && f->server) {
		log_info("sending renew to %s", ntoa(f->server));
		send_ucast(f, &o);
		return;
	}
	log_info("sending %s of %s",
		 f->state == DHCP_ST_REBINDING ? "rebind" : "select",
		 ntoa(bound ? f->yiaddr : f->offer_ip));
	send_bcast(f, &o, f->state == DHCP_ST_REBINDING ? f->yiaddr : 0);
}

static void send_release(struct fsm *f)
{
	struct dhcp_out o;

	f->xid = new_xid();
	start_msg(f, &o, DHCPRELEASE, f->yiaddr);
	dhcp_put(&o, DHO_SERVER_ID, &f->server, 4);
	put_client_opts(f, &o, false);
	log_info("sending release of %s to %s", ntoa(f->yiaddr),
		 ntoa(f->server));
	send_ucast(f, &o);
}

static void send_decline(struct fsm *f, uint32_t ip)
{
	struct dhcp_out o;

	start_msg(f, &o, DHCPDECLINE, 0);
	dhcp_put(&o, DHO_REQ_IP, &ip, 4);
	dhcp_put(&o, DHO_SERVER_ID, &f->server, 4);
	put_client_opts(f, &o, false);
	log_info("sending decline of %s", ntoa(ip));
	send_bcast(f, &o, 0);
}

static void enter_init(struct fsm *f)
{
	f->state = DHCP_ST_INIT;
	f->deadline = mono_ms();
}

static void enter_wait(struct fsm *f, int64_t ms)
{
	listen_none(f);
	f->state = DHCP_ST_WAIT;
	f->deadline = mono_ms() + ms;
}

static void finish(struct fsm *f, int code)
{
	f->done = true;
	f->exit_code = code;
}

static void release(struct fsm *f)
{
	if (f->state == DHCP_ST_BOUND || f->state == DHCP_ST_RENEWING ||
	    f->state == DHCP_ST_REBINDING)
		send_release(f);
	listen_none(f);
	fsm_script(f, "deconfig", NULL);
	f->have_lease = false;
	f->state = DHCP_ST_RELEASED;
	f->deadline = -1;
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

static bool ip_ok(uint32_t ip)
{
	const uint8_t *b = (const uint8_t *)&ip;

	/* not 0/8, loopback, multicast, class E or broadcast */
	return b[0] != 0 && b[0] != 127 && b[0] < 224;
}

static int64_t at(int64_t now, uint32_t s)
{
	return now + (int64_t)s * 1000;
}

/* RFC 2131 4.4.5: T1/T2 from options 58/59 when T1 < T2 < lease, else
 * 0.5 and 0.875 of the lease. */
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
	if (!(t1 < t2 && t2 < lease)) {
		log_warn("T1 %u, T2 %u, lease %u: using 0.5 and 0.875", t1, t2,
			 lease);
		t1 = lease / 2;
		t2 = (uint32_t)((uint64_t)lease * 7 / 8);
	}
	f->t1 = at(now, t1);
	f->t2 = at(now, t2);
	f->expiry = at(now, lease);
}

/* Back to the lease's own schedule (BOUND until T1). */
static void resume(struct fsm *f)
{
	int64_t now = mono_ms();

	listen_none(f);
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
		listen_udp(f);
	}
	if (f->renew_requested) {
		/* no answer to USR1's unicast: one broadcast, then the
		 * lease's own schedule again */
		if (f->state == DHCP_ST_RENEWING) {
			f->state = DHCP_ST_REBINDING;
			listen_raw(f);
			send_request(f);
			f->deadline = at(now, f->cfg->timeout);
		} else {
			resume(f);
		}
		return;
	}
	if (f->state == DHCP_ST_RENEWING && now >= f->t2) {
		f->state = DHCP_ST_REBINDING;
		listen_raw(f);
	}
	if (f->state == DHCP_ST_REBINDING && now >= f->expiry) {
		lease_lost(f);
		fsm_timeout(f);
		return;
	}
	send_request(f);
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
		send_discover(f);
	else
		send_request(f);
	f->deadline = at(now, f->cfg->timeout);
}

void fsm_timeout(struct fsm *f)
{
	int64_t now = mono_ms();

	switch (f->state) {
	case DHCP_ST_WAIT:
	case DHCP_ST_INIT:
		f->xid = new_xid();
		f->tries = 0;
		f->start = now;
		f->state = DHCP_ST_SELECTING;
		listen_raw(f);
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

	if (!ip_ok(m->yiaddr)) {
		log_warn("ignoring offer of %s: not a unicast address",
			 ntoa(m->yiaddr));
		return;
	}
	if (!dhcp_opt_be32(m, DHO_SERVER_ID, &sid))
		log_info("no server ID, using 0.0.0.0");
	f->server = sid;
	f->offer_ip = m->yiaddr;
	log_info("received offer of %s from %s", ntoa(m->yiaddr), ntoa(sid));
	f->state = DHCP_ST_REQUESTING;
	f->tries = 0;
	fsm_timeout(f);
}

/* -a: probe before use; on a conflict DECLINE and wait (RFC 2131 3.1). */
static bool conflict(struct fsm *f, const struct dhcp_msg *m, bool fresh)
{
	int64_t wait = f->cfg->tryagain * 1000LL;
	int r;

	if (f->cfg->arp_ms < 0 || !fresh)
		return false;
	r = arp_probe(f->ifindex, f->mac, m->yiaddr, f->cfg->arp_ms);
	if (r < 0)
		log_err(r, "%s: ARP probe", f->cfg->ifname);
	if (r <= 0)
		return false;
	log_warn("offered address %s is in use, declining", ntoa(m->yiaddr));
	send_decline(f, m->yiaddr);
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

static void on_ack(struct fsm *f, const struct dhcp_msg *m, const uint8_t *raw,
		   size_t len)
{
	bool fresh = f->state == DHCP_ST_REQUESTING ||
		     f->state == DHCP_ST_SELECTING || !f->have_lease;
	int64_t now = mono_ms();
	uint32_t sid, lease;

	if (!ip_ok(m->yiaddr)) {
		log_warn("ignoring ACK of %s: not a unicast address",
			 ntoa(m->yiaddr));
		return;
	}
	if (conflict(f, m, fresh))
		return;
	set_times(f, m, now);
	if (dhcp_opt_be32(m, DHO_SERVER_ID, &sid))
		f->server = sid;
	f->yiaddr = m->yiaddr;
	memcpy(f->lease_raw, raw, len);
	f->lease_raw_len = len;
	resume(f);
	lease = f->expiry < 0 ? 0xffffffffu
			      : (uint32_t)((f->expiry - now) / 1000);
	log_info("lease of %s obtained from %s, lease time %u", ntoa(m->yiaddr),
		 ntoa(f->server), lease);
	fsm_script(f, fresh ? "bound" : "renew", m);
	f->have_lease = true;
	save_lease(f);
	if (f->cfg->quit) {
		if (f->cfg->release)
			release(f);
		finish(f, 0);
	} else if (!f->cfg->foreground && !f->forked) {
		run_background(f);
	}
}

static void on_nak(struct fsm *f, const struct dhcp_msg *m)
{
	uint32_t sid = 0;

	if (!dhcp_opt_be32(m, DHO_SERVER_ID, &sid))
		log_info("no server ID, using 0.0.0.0");
	if (sid != f->server) {
		log_warn("ignoring NAK from %s: our server is %s", ntoa(sid),
			 ntoa(f->server));
		return;
	}
	log_info("received DHCP NAK");
	fsm_script(f, "nak", m);
	if (f->have_lease)
		fsm_script(f, "deconfig", NULL);
	f->have_lease = false;
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
	listen_udp(f);
	send_request(f);
	f->deadline = at(mono_ms(), f->cfg->timeout);
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
		f->xid = new_xid();
		f->tries = 0;
		f->renew_requested = false;
		f->state = DHCP_ST_REBOOTING;
		listen_raw(f);
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
	if (dhcp_parse(f->lease_raw, n, &f->msg, &why) ||
	    f->msg.type != DHCPACK || !ip_ok(f->msg.yiaddr) ||
	    memcmp(f->msg.chaddr, f->mac, 6)) {
		log_warn("%s: not a lease of ours, ignored",
			 f->cfg->lease_file);
		return;
	}
	dhcp_opt_be32(&f->msg, DHO_SERVER_ID, &sid);
	f->server = sid;
	f->offer_ip = f->msg.yiaddr;
	f->xid = new_xid();
	f->tries = 0;
	f->start = mono_ms();
	f->state = DHCP_ST_REBOOTING;
	log_info("%s: requesting %s again", f->cfg->lease_file,
		 ntoa(f->offer_ip));
}

void fsm_init(struct fsm *f, const struct dhcpc_cfg *cfg)
{
	f->cfg = cfg;
	f->raw_fd = f->udp_fd = -1;
	f->t1 = f->t2 = f->expiry = -1;
	f->have_lease = f->renew_requested = f->done = false;
	f->server = f->yiaddr = f->offer_ip = 0;
	enter_init(f);
	if (cfg->lease_file)
		load_lease(f);
}

// SPDX-License-Identifier: MIT
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <sys/random.h>

#include "embnet/log.h"
#include "embnet/mono.h"
#include "msg.h"

#define MAX_SIZE 576 /* option 57, as udhcpc */

uint32_t msg_new_xid(void)
{
	uint32_t x;

	if (getrandom(&x, sizeof(x), GRND_NONBLOCK) != sizeof(x))
		x = (uint32_t)mono_ns() ^ (uint32_t)getpid() << 16;
	return x;
}

const char *msg_ntoa(uint32_t ip)
{
	static char buf[2][16];
	static int i;
	const uint8_t *b = (const uint8_t *)&ip;

	i ^= 1;
	snprintf(buf[i], sizeof(buf[i]), "%u.%u.%u.%u", b[0], b[1], b[2], b[3]);
	return buf[i];
}

/* The default client id: type 1 (Ethernet) and the MAC, unless -C or a
 * -x 61 (or -c) was given. */
static void put_default_id(const struct fsm *f, struct dhcp_out *o)
{
	uint8_t id[7] = { 1 };

	if (f->cfg->no_clientid || f->cfg->clientid_set)
		return;
	memcpy(id + 1, f->mac, 6);
	dhcp_put(o, DHO_CLIENT_ID, id, sizeof(id));
}

/*
 * What every DISCOVER and REQUEST carries, in udhcpc's order
 * (add_client_options()): 57, 55, then its option list, which is sorted
 * by code: the -x/-F options, with -V's option 60 before a -x one and
 * the default client id (61) in their places.
 */
static void put_client_opts(const struct fsm *f, struct dhcp_out *o)
{
	const struct dhcpc_cfg *c = f->cfg;
	uint16_t max = htons(MAX_SIZE);
	bool vendor = c->vendor, id = true;

	dhcp_put(o, DHO_MAX_SIZE, &max, 2);
	if (c->n_prl)
		dhcp_put(o, DHO_PRL, c->prl, c->n_prl);
	for (size_t i = 0;;) {
		unsigned code = i + 3 <= c->extra_len ? c->extra[i] : 256;
		size_t n;

		if (vendor && code >= DHO_VENDOR) {
			dhcp_put(o, DHO_VENDOR, c->vendor, strlen(c->vendor));
			vendor = false;
		}
		if (id && code > DHO_CLIENT_ID) {
			put_default_id(f, o);
			id = false;
		}
		if (code == 256)
			break;
		n = (size_t)c->extra[i + 1] << 8 | c->extra[i + 2];
		if (n > c->extra_len - i - 3)
			break;
		dhcp_put(o, c->extra[i], c->extra + i + 3, n);
		i += 3 + n;
	}
}

/* RELEASE and DECLINE: the client id of the other messages, if any
 * (RFC 2131 3.1: the same in all of them). */
static void put_client_id(const struct fsm *f, struct dhcp_out *o)
{
	const struct dhcpc_cfg *c = f->cfg;

	for (size_t i = 0; i + 3 <= c->extra_len;) {
		size_t n = (size_t)c->extra[i + 1] << 8 | c->extra[i + 2];

		if (n > c->extra_len - i - 3)
			break;
		if (c->extra[i] == DHO_CLIENT_ID)
			dhcp_put(o, DHO_CLIENT_ID, c->extra + i + 3, n);
		i += 3 + n;
	}
	put_default_id(f, o);
}

static void start_msg(const struct fsm *f, struct dhcp_out *o, uint8_t type,
		      uint32_t ciaddr)
{
	int64_t s = (f->now - f->start) / 1000;
	uint16_t flags = f->cfg->bcast_flag && !ciaddr ? 0x8000 : 0;

	dhcp_build_init(o, type, f->xid, (uint16_t)(s > 0xffff ? 0xffff : s),
			flags, ciaddr, f->mac);
}

void msg_discover(const struct fsm *f, struct dhcp_out *o)
{
	start_msg(f, o, DHCPDISCOVER, 0);
	if (f->req_ip)
		dhcp_put(o, DHO_REQ_IP, &f->req_ip, 4);
	if (f->cfg->rapid_commit)
		dhcp_put(o, DHO_RAPID_COMMIT, NULL, 0);
	put_client_opts(f, o);
	log_info("sending discover");
}

/* RFC 2131 4.3.2: what a REQUEST carries depends on the state. */
bool msg_request(const struct fsm *f, struct dhcp_out *o)
{
	bool bound =
		f->state == DHCP_ST_RENEWING || f->state == DHCP_ST_REBINDING;

	start_msg(f, o, DHCPREQUEST, bound ? f->yiaddr : 0);
	if (!bound)
		dhcp_put(o, DHO_REQ_IP, &f->offer_ip, 4);
	if (f->state == DHCP_ST_REQUESTING)
		dhcp_put(o, DHO_SERVER_ID, &f->server, 4);
	put_client_opts(f, o);
	if (f->state == DHCP_ST_RENEWING && f->server) {
		log_info("sending renew to %s", msg_ntoa(f->server));
		return true;
	}
	log_info("sending %s of %s",
		 f->state == DHCP_ST_REBINDING ? "rebind" : "select",
		 msg_ntoa(bound ? f->yiaddr : f->offer_ip));
	return false;
}

void msg_release(const struct fsm *f, struct dhcp_out *o)
{
	start_msg(f, o, DHCPRELEASE, f->yiaddr);
	dhcp_put(o, DHO_SERVER_ID, &f->server, 4);
	put_client_id(f, o);
	log_info("sending release of %s to %s", msg_ntoa(f->yiaddr),
		 msg_ntoa(f->server));
}

void msg_decline(const struct fsm *f, struct dhcp_out *o, uint32_t ip)
{
	start_msg(f, o, DHCPDECLINE, 0);
	dhcp_put(o, DHO_REQ_IP, &ip, 4);
	dhcp_put(o, DHO_SERVER_ID, &f->server, 4);
	put_client_id(f, o);
	log_info("sending decline of %s", msg_ntoa(ip));
}

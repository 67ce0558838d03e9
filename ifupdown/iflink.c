/* SPDX-License-Identifier: MIT */
/*
 * The `link` pseudo-method and the rollback journal, over netlink: what
 * Debian's link.defn runs with `ip` (VLAN PARENT.VID, lo up, alias,
 * rename), done through lib/, with each step shown as the `ip` command it
 * replaces; and the run's netlink socket, opened on first use.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <linux/rtnetlink.h>

#include "embnet/addr.h"
#include "ifupdown.h"
#include "embnet/link.h"
#include "embnet/log.h"
#include "embnet/parse.h"
#include "embnet/route.h"

/* journal_add() copies these whole */
_Static_assert(sizeof(struct nl_addr) <= sizeof(((struct jr_entry *)0)->data),
	       "journal entry too small for an address");
_Static_assert(sizeof(struct nl_route) <= sizeof(((struct jr_entry *)0)->data),
	       "journal entry too small for a route");

int run_nl(struct ifud_run *r, struct nl_sock **ns)
{
	int err;

	if (!r->nl_open) {
		err = nl_open(&r->nl, NETLINK_ROUTE);
		if (err) {
			log_err(err, "netlink");
			return err;
		}
		r->nl_open = true;
	}
	*ns = &r->nl;
	return 0;
}

void journal_add(struct ifud_run *r, enum jr_kind kind, int index,
		 const void *data, size_t len)
{
	struct jr_entry *e;

	if (r->n_journal == IFUD_JOURNAL_MAX || len > sizeof(e->data))
		return;
	e = &r->journal[r->n_journal++];
	e->kind = kind;
	e->index = index;
	memset(e->data, 0, sizeof(e->data));
	if (data)
		memcpy(e->data, data, len);
}

void journal_undo(struct ifud_run *r)
{
	struct nl_sock *ns;

	if (r->n_journal == 0 || run_nl(r, &ns) < 0)
		return;
	while (r->n_journal > 0) {
		struct jr_entry *e = &r->journal[--r->n_journal];
		struct nl_addr a;
		struct nl_route rt;

		switch (e->kind) {
		case JR_ADDR:
			memcpy(&a, e->data, sizeof(a));
			nl_addr_del(ns, &a);
			break;
		case JR_ROUTE:
			memcpy(&rt, e->data, sizeof(rt));
			nl_route_del(ns, &rt);
			break;
		case JR_LINK_UP:
			nl_link_set_up(ns, e->index, false);
			break;
		case JR_VLAN:
			nl_link_del(ns, e->index);
			break;
		}
	}
}

static int vlan_up(struct ifud_run *r, struct nl_sock *ns, const char *iface)
{
	char parent[IFNAMSIZ], name[IFNAMSIZ];
	const char *dot = strchr(iface, '.');
	struct nl_link l;
	uint32_t vid;
	char vidtxt[16];
	int pidx, err;

	snprintf(parent, sizeof(parent), "%.*s", (int)(dot - iface), iface);
	snprintf(name, sizeof(name), "%.*s", (int)strcspn(iface, ":"), iface);
	snprintf(vidtxt, sizeof(vidtxt), "%.*s", (int)strcspn(dot + 1, ".:"),
		 dot + 1);
	if (parse_u32(vidtxt, &vid) < 0 || vid > 4095) {
		log_warn("%s: bad VLAN id \"%s\"", iface, vidtxt);
		return -EINVAL;
	}
	pidx = nl_link_index(ns, parent);
	if (pidx < 0 || nl_link_get(ns, 0, name, &l) == 0)
		return 0; /* as Debian: only when the parent exists, once */
	hook_show(r, "ip link set up dev %s", parent);
	hook_show(r, "ip link add link %s name %s type vlan id %u", parent,
		  name, vid);
	if (r->o->no_act)
		return 0;
	err = nl_link_set_up(ns, pidx, true);
	if (!err)
		err = nl_link_add_vlan(ns, name, pidx, (uint16_t)vid);
	if (err) {
		log_err(err, "%s: ip link add link %s type vlan id %u%s%s",
			name, parent, vid, nl_ext_msg(ns)[0] ? ": " : "",
			nl_ext_msg(ns));
		return err;
	}
	if ((err = nl_link_index(ns, name)) > 0)
		journal_add(r, JR_VLAN, err, NULL, 0);
	return 0;
}

int link_up(struct ifud_run *r, const char *iface, const char *description)
{
	struct nl_sock *ns = NULL;
	int idx, err;

	if (!r->o->no_act && run_nl(r, &ns) < 0)
		return -EIO;
	if (strchr(iface, '.') && !r->o->no_act &&
	    (err = vlan_up(r, ns, iface)) < 0)
		return err;
	if (strchr(iface, '.') && r->o->no_act)
		hook_show(r, "ip link add link ... name %s type vlan", iface);
	if (strcmp(iface, "lo") == 0) {
		hook_show(r, "ip link set up dev %s 2>/dev/null", iface);
		if (!r->o->no_act && (idx = nl_link_index(ns, iface)) > 0)
			nl_link_set_up(ns, idx, true);
	}
	if (!description)
		return 0;
	hook_show(r, "ip link set %s alias \"%s\"", iface, description);
	if (r->o->no_act)
		return 0;
	idx = nl_link_index(ns, iface);
	err = idx < 0 ? idx : nl_link_set_alias(ns, idx, description);
	if (err)
		log_err(err, "%s: ip link set alias", iface);
	return err;
}

void link_down(struct ifud_run *r, const char *iface)
{
	struct nl_sock *ns = NULL;
	bool vlan = strchr(iface, '.') && !strchr(iface, ':');
	bool lo = strcmp(iface, "lo") == 0;
	int idx;

	if (!vlan && !lo)
		return;
	hook_show(r, vlan ? "ip link del %s" : "ip link set down dev %s",
		  iface);
	if (r->o->no_act || run_nl(r, &ns) < 0)
		return;
	idx = nl_link_index(ns, iface);
	if (idx > 0 && vlan)
		nl_link_del(ns, idx);
	else if (idx > 0)
		nl_link_set_up(ns, idx, false);
}

/* Debian's link.defn `rename`; select.c decides what is renamed. */
int link_rename(struct ifud_run *r, const char *cur, const char *newname)
{
	struct nl_sock *ns;
	int idx, err;

	hook_show(r, "ip link set %s name %s", cur, newname);
	if (r->o->no_act)
		return 0;
	err = run_nl(r, &ns);
	if (!err) {
		idx = nl_link_index(ns, cur);
		err = idx < 0 ? idx : nl_link_set_name(ns, idx, newname);
		if (err)
			log_err(err, "%s: ip link set name %s", cur, newname);
	}
	if (!err)
		return 0;
	log_warn("unable to rename %s to %s", cur, newname);
	return -1;
}

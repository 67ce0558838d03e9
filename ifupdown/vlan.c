// SPDX-License-Identifier: MIT
/*
 * The vlan package's ifupdown hooks (/etc/network/if-pre-up.d/vlan and
 * if-post-down.d/vlan, vlan 2.0.5 of Debian 12) over netlink: the same
 * reading of the interface's name (its shell case patterns and sed
 * expressions, kept as written) and of vlan-raw-device, mtu and
 * hw-mac-address, and the same requests in the same order.
 *
 * Ours does not write /run/network/vlan/name-type (the script keeps the
 * name type there only to read it back a line later), and an id that is
 * not a number is one line and a failed hook, where the script's `ip`
 * refuses it and ifup then fails on the missing link.
 */
#include <errno.h>
#include <fnmatch.h>
#include <regex.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "embnet/link.h"
#include "embnet/log.h"
#include "embnet/parse.h"
#include "meth.h"
#include "vlan.h"

/* The families ifupdown itself makes VLANs of (PARENT.VID): the hook
 * acts on them only with vlan-raw-device or bridge_ports. */
static const char *const own[] = { "eth*.*", "bond*.*", "wlan*.*", "em*.*",
				   "p[0-9]*.*" };
static const char *const own_pad[] = { "eth*.0*", "bond*.0*", "wlan*.0*",
				       "em*.0*", "p[0-9]*.0*" };

/* The script's sed expressions, as EREs: the id after the family's
 * name, and the family's name (\1) with what follows dropped. */
static const char *const vid_re[] = {
	"eth[0-9][0-9]*\\.0*",
	"bond[0-9][0-9]*\\.0*",
	"wlan[0-9][0-9]*\\.0*",
	"em[0-9][0-9]*\\.0*",
	"p[0-9][0-9]*(p[0-9][0-9]*)?(_[0-9][0-9]*)?\\.0*",
};
static const char *const raw_re[] = {
	"(eth[0-9][0-9]*)\\..*",
	"(bond[0-9][0-9]*)\\..*",
	"(wlan[0-9][0-9]*)\\..*",
	"(em[0-9][0-9]*)\\..*",
	"(p[0-9][0-9]*(p[0-9][0-9]*)?(_[0-9][0-9]*)?)\\..*",
};
#define N_FAM (sizeof(own) / sizeof(own[0]))

static bool glob_any(const char *const *pat, size_t n, const char *s)
{
	for (size_t i = 0; i < n; i++)
		if (fnmatch(pat[i], s, 0) == 0)
			return true;
	return false;
}

/* sed "s/@re/REPL/[g]" on @buf in place, REPL being "" or "\1" (@keep). */
static void sed_s(char *buf, size_t len, const char *re, bool keep, bool global)
{
	char out[IFUD_NAME_LEN * 2];
	regmatch_t m[2];
	regex_t rx;
	size_t off = 0;

	if (regcomp(&rx, re, REG_EXTENDED) != 0)
		return;
	while (off <= strlen(buf) &&
	       regexec(&rx, buf + off, 2, m, off ? REG_NOTBOL : 0) == 0) {
		size_t s = off + (size_t)m[0].rm_so,
		       e = off + (size_t)m[0].rm_eo;
		int glen = keep ? (int)(m[1].rm_eo - m[1].rm_so) : 0;

		if (snprintf(out, sizeof(out), "%.*s%.*s%s", (int)s, buf, glen,
			     buf + off + m[1].rm_so, buf + e) >= (int)len)
			break;
		memcpy(buf, out, strlen(out) + 1);
		off = s + (size_t)glen;
		if (!global || e == s)
			break;
	}
	regfree(&rx);
}

static void sed_all(char *buf, size_t len, const char *const *re, bool keep,
		    bool global)
{
	for (size_t i = 0; i < N_FAM; i++)
		sed_s(buf, len, re[i], keep, global);
}

/* PREFIX then the id: printf %.4d of it for the padded name types. */
static void name_of(struct vlan_name *out, const char *prefix, bool padded)
{
	uint32_t v;
	int n;

	if (padded && parse_u32(out->vid, &v) == 0)
		n = snprintf(out->name, sizeof(out->name), "%s%.4u", prefix, v);
	else
		n = snprintf(out->name, sizeof(out->name), "%s%s", prefix,
			     out->vid);
	if (n >= (int)sizeof(out->name))
		out->name[0] = '\0';
}

bool vlan_name_parse(const char *iface, const char *raw, bool bridge,
		     struct vlan_name *out)
{
	char prefix[IFUD_NAME_LEN];
	bool padded;

	memset(out, 0, sizeof(*out));
	snprintf(out->raw, sizeof(out->raw), "%s", raw ? raw : "");
	snprintf(out->vid, sizeof(out->vid), "%s", iface);
	if (strchr(iface, ':'))
		return false;
	if (fnmatch("vlan*", iface, 0) == 0) {
		padded = fnmatch("vlan0*", iface, 0) == 0;
		sed_s(out->vid, sizeof(out->vid), "vlan0*", false, false);
		name_of(out, "vlan", padded);
		return out->raw[0] != '\0';
	}
	if (glob_any(own, N_FAM, iface)) {
		if (!raw && !bridge)
			return false;
		padded = glob_any(own_pad, N_FAM, iface);
		sed_all(out->vid, sizeof(out->vid), vid_re, false, true);
		snprintf(out->raw, sizeof(out->raw), "%s", iface);
		sed_all(out->raw, sizeof(out->raw), raw_re, true, false);
	} else if (fnmatch("*.*", iface, 0) == 0 && raw) {
		padded = fnmatch("*.0*", iface, 0) == 0;
		sed_s(out->vid, sizeof(out->vid), "[^.]*\\.0*", false, true);
	} else {
		return false;
	}
	snprintf(prefix, sizeof(prefix), "%.*s.", IFUD_NAME_LEN - 2, out->raw);
	name_of(out, prefix, padded);
	return out->raw[0] != '\0';
}

/* mtu: the raw device's is raised to it when lower. */
static void raise_mtu(struct ifud_run *r, struct ifud_stanza *st,
		      const char *raw)
{
	const char *m = env_opt_value(st, "IF_MTU");
	struct nl_link l;
	uint32_t mtu;

	if (!m || parse_u32(m, &mtu) < 0 || nl_link_get(&r->nl, 0, raw, &l))
		return;
	if (l.mtu >= mtu)
		return;
	hook_show(r, "ip link set dev %s mtu %s", raw, m);
	if (nl_link_set_mtu(&r->nl, l.index, mtu) < 0)
		log_warn("%s: ip link set mtu %s failed", raw, m);
}

/* `ip link set up dev RAW`: journalled when it was down, so a failed
 * ifup leaves it as it was. */
static void raw_up(struct ifud_run *r, const char *raw, int idx)
{
	struct nl_link l;

	hook_show(r, "ip link set up dev %s", raw);
	if (nl_link_get(&r->nl, idx, NULL, &l) < 0 || (l.flags & IFF_UP))
		return;
	if (nl_link_set_up(&r->nl, idx, true) == 0)
		journal_add(r, JR_LINK_UP, idx, NULL, 0);
}

static int create(struct ifud_run *r, struct ifud_stanza *st,
		  const struct vlan_name *v)
{
	int raw = nl_link_index(&r->nl, v->raw), err, idx;
	uint32_t id;

	if (raw <= 0) {
		printf("%s does not exist, unable to create %s\n", v->raw,
		       st->iface);
		fflush(stdout);
		return 1;
	}
	if (parse_u32(v->vid, &id) < 0 || id > 4095) {
		log_warn("%s: bad VLAN id \"%s\"", st->iface, v->vid);
		return 1;
	}
	if (meth_journal_room(r, v->raw, "ip link set up") < 0)
		return 1;
	raw_up(r, v->raw, raw);
	if (meth_journal_room(r, v->name, "ip link add type vlan") < 0)
		return 1;
	hook_show(r, "ip link add link %s name %s type vlan id %s", v->raw,
		  v->name, v->vid);
	err = nl_link_add_vlan(&r->nl, v->name, raw, (uint16_t)id);
	if (err) {
		log_err(err, "%s: ip link add link %s type vlan id %u%s%s",
			v->name, v->raw, id, nl_ext_msg(&r->nl)[0] ? ": " : "",
			nl_ext_msg(&r->nl));
		return 1;
	}
	if ((idx = nl_link_index(&r->nl, v->name)) > 0)
		journal_add(r, JR_VLAN, idx, NULL, 0);
	return 0;
}

static int pre_up(struct ifud_run *r, struct ifud_stanza *st,
		  const struct vlan_name *v)
{
	const char *hw = env_opt_value(st, "IF_HW_MAC_ADDRESS");
	int idx;

	raise_mtu(r, st, v->raw);
	if (nl_link_index(&r->nl, st->iface) <= 0 && create(r, st, v) != 0)
		return 1;
	if (hw && (idx = nl_link_index(&r->nl, st->iface)) > 0)
		return meth_hwaddr(r, st, idx, hw) < 0 ? 1 : 0;
	return 0;
}

/* if-post-down.d/vlan's cases: any name but an alias with a raw device,
 * ifupdown's own VLAN names also with bridge_ports. */
static bool post_down_acts(const char *iface, const char *raw, bool bridge)
{
	if (strchr(iface, ':'))
		return false;
	return raw || (bridge && glob_any(own, N_FAM, iface));
}

/* if-post-down.d/vlan: `ip link del IFACE || exit 4`. */
static int post_down(struct ifud_run *r, struct ifud_stanza *st)
{
	int idx = nl_link_index(&r->nl, st->iface);

	hook_show(r, "ip link del %s", st->iface);
	if (idx <= 0 || nl_link_del(&r->nl, idx) < 0) {
		fprintf(stderr, "Cannot find device \"%s\"\n", st->iface);
		return 4;
	}
	return 0;
}

int vlan_hook(struct ifud_run *r, struct ifud_stanza *st, const char *dir)
{
	const char *raw = env_opt_value(st, "IF_VLAN_RAW_DEVICE");
	bool bridge = env_opt_value(st, "IF_BRIDGE_PORTS") != NULL;
	bool pre = strcmp(dir, "pre-up") == 0;
	struct vlan_name v;
	struct nl_sock *ns;
	int status;

	if (r->o->no_act || (!pre && strcmp(dir, "post-down") != 0))
		return 0;
	if (pre && !vlan_name_parse(st->iface, raw, bridge, &v))
		return 0;
	if (!pre && !post_down_acts(st->iface, raw, bridge))
		return 0;
	if (run_nl(r, &ns) < 0)
		return hook_failed(r, 1) ? -ECANCELED : 0;
	status = pre ? pre_up(r, st, &v) : post_down(r, st);
	return hook_failed(r, status) ? -ECANCELED : 0;
}

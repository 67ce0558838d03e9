// SPDX-License-Identifier: MIT
/*
 * -s over netlink, the bitset parameters as ethtool 6.1's nl_sset() takes
 * them: "advertise NAME on|off ... [--]" and "msglvl NAME on|off ... [--]"
 * (names resolved by the kernel from its string sets; their numbers
 * "N[/M]" are et_num_bitset()'s, num.c), "sopass xx:xx:xx:xx:xx:xx", and
 * the "autoneg on" alone that advertises every supported link mode.  Its
 * "NAME on|off" reader, et_sset_names(), serves --set-eee and
 * --set-priv-flags too.
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linux/ethtool.h>
#include <linux/ethtool_netlink.h>

#include "et.h"
#include "print.h"

/* 6.1's parse_name_bitset(): NAME on|off pairs up to "--" or the end;
 * returns the words used.  -s, --set-eee and --set-priv-flags. */
int et_sset_names(struct et_sset_named *l, uint16_t type, char **argv, int argc,
		  const char *cmd, const char *param)
{
	int i;

	l->type = type;
	for (i = 0; i < argc && strcmp(argv[i], "--"); i += 2) {
		if (i + 1 >= argc ||
		    (strcmp(argv[i + 1], "on") && strcmp(argv[i + 1], "off"))) {
			fprintf(stderr,
				"ethtool (%s): flag '%s' for parameter '%s' is "
				"not followed by 'on' or 'off'\n",
				cmd, argv[i], param);
			return -EINVAL;
		}
		if (l->n >= ET_SSET_MAX_NAMED)
			return -E2BIG;
		l->bits[l->n].name = argv[i];
		l->bits[l->n].on = !strcmp(argv[i + 1], "on");
		l->n++;
	}
	return i < argc ? i + 1 : i;
}

int et_sset_sopass(const char *s, uint8_t *out)
{
	unsigned int n = 0, v, k;
	char *end;

	for (;;) {
		for (k = 0; k < 2 && isxdigit((unsigned char)s[k]); k++)
			;
		if (k == 0 || n >= SOPASS_MAX)
			return -EINVAL;
		v = (unsigned int)strtoul(s, &end, 16);
		if (end != s + k)
			return -EINVAL;
		out[n++] = (uint8_t)v;
		s += k;
		if (*s == 0)
			break;
		if (*s++ != ':')
			return -EINVAL;
	}
	return n == SOPASS_MAX ? 0 : -EINVAL;
}

/*
 * "autoneg on" without advertise, speed, duplex or lanes: ask for the
 * supported modes and advertise every real one (value and mask), after
 * the attributes of the command line.
 */
int et_sset_compat(struct et_ctx *c, struct et_setmsg *m)
{
	struct nl_ethtool_attrs cur, *a = &m->a;
	struct nl_ethtool_bitset *bs = &a->bits[0];
	uint32_t i;
	int err;

	if (!nl_ethtool_attr_has(a, ETHTOOL_A_LINKMODES_AUTONEG) ||
	    nl_ethtool_attr_has(a, ETHTOOL_A_LINKMODES_OURS) ||
	    (m->named.n && m->named.type == ETHTOOL_A_LINKMODES_OURS) ||
	    nl_ethtool_attr_has(a, ETHTOOL_A_LINKMODES_SPEED) ||
	    nl_ethtool_attr_has(a, ETHTOOL_A_LINKMODES_DUPLEX) ||
	    nl_ethtool_attr_has(a, ETHTOOL_A_LINKMODES_LANES) ||
	    a->val[ETHTOOL_A_LINKMODES_AUTONEG] != AUTONEG_ENABLE)
		return 0;
	err = nl_ethtool_attrs_get(&c->ns, &c->fam, &c->dev,
				   ETHTOOL_MSG_LINKMODES_GET,
				   ETHTOOL_FLAG_COMPACT_BITSETS, &cur);
	if (err < 0)
		return err;
	if (!nl_ethtool_attr_has(&cur, ETHTOOL_A_LINKMODES_OURS) ||
	    cur.bits[0].nomask)
		return -EBADMSG;
	memset(bs, 0, sizeof(*bs));
	bs->n_bits = cur.bits[0].n_bits;
	for (i = 0; i < bs->n_bits; i++) {
		if (et_lm_class(i) == ET_LM_REAL &&
		    nl_ethtool_bitset_in_mask(&cur.bits[0], i))
			nl_ethtool_bitset_set(bs, i, true);
	}
	a->present |= 1u << ETHTOOL_A_LINKMODES_OURS;
	return et_setmsg_add(m, ETHTOOL_A_LINKMODES_OURS); /* 6.1: last */
}

// SPDX-License-Identifier: MIT
/*
 * --show-eee / --set-eee: ethtool 6.1's netlink output (and our --json,
 * ethtool-lite/JSON.md) and parameters
 * (advertise as a hex mask or "MODE on|off" names, tx-lpi, tx-timer,
 * eee), and its ioctl commands ETHTOOL_GEEE/SEEE with their own output
 * and parse_generic_cmdline() arguments.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <linux/ethtool.h>
#include <linux/ethtool_netlink.h>

#include "et.h"
#include "print.h"

#define A(x) ETHTOOL_A_EEE_##x

/* True if @bs has no bit: its mask (verbose or compact), or with NOMASK
 * its value. */
static bool modes_empty(const struct nl_ethtool_bitset *bs)
{
	uint32_t i;

	for (i = 0; i < bs->n_bits; i++) {
		if (bs->nomask ? nl_ethtool_bitset_test(bs, i)
			       : nl_ethtool_bitset_in_mask(bs, i))
			return false;
	}
	return true;
}

static bool complete(const struct nl_ethtool_attrs *a)
{
	return nl_ethtool_attr_has(a, A(MODES_OURS)) &&
	       nl_ethtool_attr_has(a, A(ACTIVE)) &&
	       nl_ethtool_attr_has(a, A(ENABLED)) &&
	       nl_ethtool_attr_has(a, A(TX_LPI_ENABLED)) &&
	       nl_ethtool_attr_has(a, A(TX_LPI_TIMER));
}

static void eee_show(struct et_ctx *c, const struct nl_ethtool_attrs *a)
{
	const struct nl_ethtool_bitset *ours = &a->bits[0], *peer = &a->bits[1];

	printf("EEE settings for ");
	et_print_str(stdout, et_nl_devname(c, &a->dev), SIZE_MAX);
	printf(":\n\tEEE status: ");
	if (modes_empty(ours)) {
		printf("not supported\n");
		return;
	}
	if (!a->val[A(ENABLED)])
		printf("disabled\n");
	else
		printf("enabled - %s\n",
		       a->val[A(ACTIVE)] ? "active" : "inactive");
	if (a->val[A(TX_LPI_ENABLED)])
		printf("\tTx LPI: %u (us)\n", a->val[A(TX_LPI_TIMER)]);
	else
		printf("\tTx LPI: disabled\n");
	et_lm_dump_real(c, ours, true, "Supported EEE link modes:  ");
	et_lm_dump_real(c, ours, false, "Advertised EEE link modes:  ");
	et_lm_dump_real(c, peer, false,
			"Link partner advertised EEE link modes:  ");
}

/* The real link modes of @bs (its mask with @mask) as a JSON list. */
static void json_modes(struct et_ctx *c, const char *key,
		       const struct nl_ethtool_bitset *bs, bool mask)
{
	const struct nl_ethtool_strset *lm = et_strset(c, ETH_SS_LINK_MODES);
	const char *name;
	bool first = true;
	char buf[16];
	uint32_t i;

	et_json_list_open(key);
	for (i = 0; i < bs->n_bits; i++) {
		if (!(mask ? !bs->nomask && nl_ethtool_bitset_in_mask(bs, i)
			   : nl_ethtool_bitset_test(bs, i)) ||
		    et_lm_class(i) != ET_LM_REAL)
			continue;
		name = lm ? nl_ethtool_strset_name(lm, i) : NULL;
		snprintf(buf, sizeof(buf), "BIT%u", i);
		et_json_list_item(first, name ? name : buf);
		first = false;
	}
	et_json_list_close(first);
}

static void eee_json(struct et_ctx *c, const struct nl_ethtool_attrs *a)
{
	bool supported = !modes_empty(&a->bits[0]);

	et_json_open(et_nl_devname(c, &a->dev));
	et_json_bool("supported", supported);
	if (supported) {
		et_json_bool("enabled", a->val[A(ENABLED)]);
		et_json_bool("active", a->val[A(ACTIVE)]);
		et_json_bool("tx-lpi-enabled", a->val[A(TX_LPI_ENABLED)]);
		et_json_u32("tx-lpi-timer", a->val[A(TX_LPI_TIMER)]);
		json_modes(c, "supported-link-modes", &a->bits[0], true);
		json_modes(c, "advertised-link-modes", &a->bits[0], false);
		json_modes(c, "link-partner-advertised-link-modes", &a->bits[1],
			   false);
	}
	et_json_close();
}

int et_nl_geee(struct et_ctx *c)
{
	static struct nl_ethtool_attrs a;
	int err;

	err = et_nl_show_start(c, ETHTOOL_MSG_EEE_GET);
	if (err)
		return err;
	err = nl_ethtool_attrs_get(&c->ns, &c->fam, &c->dev,
				   ETHTOOL_MSG_EEE_GET, 0, &a);
	if (err < 0)
		return et_nl_show_fail(c, err);
	if (!complete(&a)) {
		if (c->json)
			printf("[ ]\n");
		fprintf(stderr, "Malformed response from kernel\n");
		return 1;
	}
	if (c->json)
		eee_json(c, &a);
	else
		eee_show(c, &a);
	return 0;
}

/* ---- --set-eee over netlink: 6.1's nl_parser() on seee_params -------- */

enum { P_BITS, P_BOOL, P_U32 };

static const struct {
	const char *arg;
	uint16_t type;
	uint8_t kind;
} params[] = {
	{ "advertise", A(MODES_OURS), P_BITS },
	{ "tx-lpi", A(TX_LPI_ENABLED), P_BOOL },
	{ "tx-timer", A(TX_LPI_TIMER), P_U32 },
	{ "eee", A(ENABLED), P_BOOL },
};
#define N_PARAMS (sizeof(params) / sizeof(params[0]))

#define PERR(fmt, ...)                                                         \
	fprintf(stderr, "ethtool (--set-eee): " fmt "\n", __VA_ARGS__)

/* "advertise MASK" or "advertise NAME on|off ... [--]": the words used
 * after the parameter's name, or -EINVAL. */
static int advertise(struct et_ctx *c, int i, struct et_setmsg *m)
{
	const char *shown;

	if (et_num_is_bitset(c->argv[i])) {
		if (et_num_bitset(c->argv[i], true, &m->a.bits[0], &shown) <
		    0) {
			PERR("invalid value '%s' for parameter 'advertise'",
			     shown);
			return -EINVAL;
		}
		m->a.present |= 1u << A(MODES_OURS);
		return 1;
	}
	return et_sset_names(&m->named, A(MODES_OURS), c->argv + i, c->argc - i,
			     "--set-eee", "advertise");
}

/* The value of @p at argv[@i]: the words used, or -EINVAL. */
static int value(struct et_ctx *c, size_t p, int i, struct et_setmsg *m)
{
	const char *s = c->argv[i];
	uint32_t v;

	if (params[p].kind == P_BITS)
		return advertise(c, i, m);
	if (params[p].kind == P_U32 ? et_nl_u32(s, &v) < 0
				    : strcmp(s, "on") && strcmp(s, "off")) {
		PERR("invalid value '%s' for parameter '%s'", s, params[p].arg);
		return -EINVAL;
	}
	if (params[p].kind == P_BOOL)
		v = !strcmp(s, "on");
	nl_ethtool_attr_set(&m->a, params[p].type, v);
	return 1;
}

static int seee_parse(struct et_ctx *c, struct et_setmsg *m)
{
	uint32_t seen = 0;
	size_t p;
	int i, used;

	for (i = 0; i < c->argc; i += used + 1) {
		for (p = 0; p < N_PARAMS && strcmp(params[p].arg, c->argv[i]);
		     p++)
			;
		if (p == N_PARAMS) {
			PERR("unknown parameter '%s'", c->argv[i]);
			return -EINVAL;
		}
		if (seen & (1u << p)) {
			PERR("duplicate parameter '%s'", params[p].arg);
			return -EINVAL;
		}
		seen |= 1u << p;
		if (i + 1 >= c->argc) {
			PERR("no value for parameter '%s'", params[p].arg);
			return -EINVAL;
		}
		used = value(c, p, i + 1, m);
		if (used < 0 || et_setmsg_add(m, params[p].type) < 0)
			return -EINVAL;
	}
	return 0;
}

int et_nl_seee(struct et_ctx *c)
{
	static struct et_setmsg m;
	int err;

	if (et_nl_missing(c, ETHTOOL_MSG_EEE_SET))
		return -EOPNOTSUPP;
	if (c->argc == 0) {
		fprintf(stderr, "ethtool (--set-eee): parameters missing\n");
		return 1;
	}
	et_setmsg_init(&m, ETHTOOL_MSG_EEE_SET);
	if (seee_parse(c, &m) < 0)
		return 1;
	err = et_setmsg_send(c, &m);
	if (err < 0) {
		et_nl_perror(c, err);
		return 76;
	}
	return 0;
}

/* ---- ioctl ------------------------------------------------------------- */

static void io_modes(struct et_ctx *c, const char *prefix, uint32_t mask)
{
	uint32_t m[ETHTOOL_IOCTL_LM_WORDS] = { mask };

	et_io_lm_modes(c->devname, prefix, m);
}

static void io_show(struct et_ctx *c, const struct ethtool_eee *e)
{
	printf("EEE Settings for %s:\n\tEEE status: ", c->devname);
	if (!e->supported) {
		printf("not supported\n");
		return;
	}
	if (!e->eee_enabled)
		printf("disabled\n");
	else
		printf("enabled - %s\n", e->eee_active ? "active" : "inactive");
	if (e->tx_lpi_enabled)
		printf("\tTx LPI: %d (us)\n", (int)e->tx_lpi_timer);
	else
		printf("\tTx LPI: disabled\n");
	io_modes(c, "Supported EEE", e->supported);
	io_modes(c, "Advertised EEE", e->advertised);
	io_modes(c, "Link partner advertised EEE", e->lp_advertised);
}

int et_io_geee(struct et_ctx *c)
{
	struct ethtool_eee e = { .cmd = ETHTOOL_GEEE };
	int err;

	if (c->argc != 0)
		return et_bad_args();
	err = ethtool_ioctl(c->devname, &e);
	if (err < 0) {
		et_perror("Cannot get EEE settings", err);
		return 1;
	}
	io_show(c, &e);
	return 0;
}

/*
 * 6.1's do_generic_set(): its wanted values are ints, so a u32 above
 * INT32_MAX reads as "not given" and is skipped without a word.
 */
static bool io_apply(const char *name, bool seen, uint32_t want, uint32_t *cur)
{
	if (!seen || (int32_t)want < 0)
		return false;
	if (*cur == want) {
		fprintf(stderr, "%s unmodified, ignoring\n", name);
		return false;
	}
	*cur = want;
	return true;
}

int et_io_seee(struct et_ctx *c)
{
	struct ethtool_eee e = { .cmd = ETHTOOL_GEEE };
	uint32_t adv = 0, timer = 0;
	bool lpi = false, on = false, changed;
	struct et_arg args[] = {
		{ "advertise", ET_ARG_U32, &adv, false },
		{ "tx-lpi", ET_ARG_BOOL, &lpi, false },
		{ "tx-timer", ET_ARG_U32, &timer, false },
		{ "eee", ET_ARG_BOOL, &on, false },
	};
	int err;

	if (c->argc == 0 || et_args_parse(c, args, 4) < 0)
		return et_bad_args();
	err = ethtool_ioctl(c->devname, &e);
	if (err < 0) {
		et_perror("Cannot get EEE settings", err);
		return 1;
	}
	changed = io_apply("advertise", args[0].seen, adv, &e.advertised);
	changed |= io_apply("tx-lpi", args[1].seen, lpi, &e.tx_lpi_enabled);
	changed |= io_apply("tx-timer", args[2].seen, timer, &e.tx_lpi_timer);
	changed |= io_apply("eee", args[3].seen, on, &e.eee_enabled);
	if (!changed)
		return 0;
	e.cmd = ETHTOOL_SEEE;
	err = ethtool_ioctl(c->devname, &e);
	if (err < 0) {
		et_perror("Cannot set EEE settings", err);
		return 1;
	}
	return 0;
}

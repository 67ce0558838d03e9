// SPDX-License-Identifier: MIT
/* Commands ethtool 6.1 runs over SIOCETHTOOL: -i, -S, -r, -P fallback. */
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linux/ethtool.h>

#include "et.h"
#include "print.h"

/* "KEY: VALUE\n" of a fixed-size, maybe unterminated driver string. */
static void text_field(const char *key, const char *v, size_t len)
{
	printf("%s: ", key);
	et_print_str(stdout, v, len);
	putchar('\n');
}

static void drvinfo_text(const struct ethtool_drvinfo *d)
{
	text_field("driver", d->driver, sizeof(d->driver));
	text_field("version", d->version, sizeof(d->version));
	text_field("firmware-version", d->fw_version, sizeof(d->fw_version));
	text_field("expansion-rom-version", d->erom_version,
		   sizeof(d->erom_version));
	text_field("bus-info", d->bus_info, sizeof(d->bus_info));
	printf("supports-statistics: %s\nsupports-test: %s\n"
	       "supports-eeprom-access: %s\nsupports-register-dump: %s\n"
	       "supports-priv-flags: %s\n",
	       d->n_stats ? "yes" : "no", d->testinfo_len ? "yes" : "no",
	       d->eedump_len ? "yes" : "no", d->regdump_len ? "yes" : "no",
	       d->n_priv_flags ? "yes" : "no");
}

/* A fixed-size, maybe unterminated driver string as a JSON member. */
static void json_field(const char *key, const char *v, size_t len)
{
	char buf[64];

	snprintf(buf, sizeof(buf), "%.*s", (int)len, v);
	et_json_string(key, buf);
}

static void drvinfo_json(const struct et_ctx *c,
			 const struct ethtool_drvinfo *d)
{
	et_json_open(c->devname);
	json_field("driver", d->driver, sizeof(d->driver));
	json_field("version", d->version, sizeof(d->version));
	json_field("firmware-version", d->fw_version, sizeof(d->fw_version));
	json_field("expansion-rom-version", d->erom_version,
		   sizeof(d->erom_version));
	json_field("bus-info", d->bus_info, sizeof(d->bus_info));
	et_json_bool("supports-statistics", d->n_stats);
	et_json_bool("supports-test", d->testinfo_len);
	et_json_bool("supports-eeprom-access", d->eedump_len);
	et_json_bool("supports-register-dump", d->regdump_len);
	et_json_bool("supports-priv-flags", d->n_priv_flags);
	et_json_close();
}

int et_io_gdrv(struct et_ctx *c)
{
	struct ethtool_drvinfo d = { .cmd = ETHTOOL_GDRVINFO };
	int err;

	if (c->argc != 0)
		return et_bad_args();
	err = ethtool_ioctl(c->devname, &d);
	if (err < 0) {
		if (c->json)
			printf("[ ]\n");
		et_perror("Cannot get driver information", err);
		return 71;
	}
	if (c->json)
		drvinfo_json(c, &d);
	else
		drvinfo_text(&d);
	return 0;
}

static void stats_print(const struct et_ctx *c,
			const struct ethtool_ioctl_stats *st)
{
	char name[ETH_GSTRING_LEN + 1];
	uint32_t i;

	if (!c->json) {
		printf("NIC statistics:\n");
		for (i = 0; i < st->n; i++) {
			printf("     ");
			et_print_str(stdout, st->names[i], ETH_GSTRING_LEN);
			printf(": %llu\n", (unsigned long long)st->values[i]);
		}
		return;
	}
	et_json_open(c->devname);
	printf(",\n        \"statistics\": {");
	for (i = 0; i < st->n; i++) {
		snprintf(name, sizeof(name), "%.*s", ETH_GSTRING_LEN,
			 st->names[i]);
		printf("%s\n            ", i ? "," : "");
		et_json_str(name);
		printf(": %llu", (unsigned long long)st->values[i]);
	}
	printf("\n        }");
	et_json_close();
}

int et_io_gstats(struct et_ctx *c)
{
	struct ethtool_ioctl_stats *st;
	int err;

	if (c->argc != 0)
		return et_bad_args();
	err = ethtool_ioctl_strings(c->devname, ETH_SS_STATS,
				    offsetof(struct ethtool_drvinfo, n_stats),
				    &st);
	if (err < 0) {
		if (c->json)
			printf("[ ]\n");
		et_perror("Cannot get stats strings information", err);
		return 96;
	}
	if (st->n < 1) {
		if (c->json)
			printf("[ ]\n");
		fprintf(stderr, "no stats available\n");
		free(st);
		return 94;
	}
	err = ethtool_ioctl_values(c->devname, st);
	if (err < 0) {
		if (c->json)
			printf("[ ]\n");
		et_perror("Cannot get stats information", err);
		free(st);
		return 97;
	}
	stats_print(c, st);
	free(st);
	return 0;
}

int et_io_nway_rst(struct et_ctx *c)
{
	struct ethtool_value v = { .cmd = ETHTOOL_NWAY_RST };
	int err;

	if (c->argc != 0)
		return et_bad_args();
	err = ethtool_ioctl(c->devname, &v);
	if (err < 0) {
		et_perror("Cannot restart autonegotiation", err);
		return 255; /* 6.1 returns -1 */
	}
	return 0;
}

int et_io_permaddr(struct et_ctx *c)
{
	union {
		struct ethtool_perm_addr h;
		uint8_t raw[sizeof(struct ethtool_perm_addr) +
			    NL_ETHTOOL_PERM_MAX];
	} p;
	uint32_t i;
	int err;

	memset(&p, 0, sizeof(p));
	p.h.cmd = ETHTOOL_GPERMADDR;
	p.h.size = NL_ETHTOOL_PERM_MAX;
	err = ethtool_ioctl(c->devname, &p);
	if (err < 0) {
		et_perror("Cannot read permanent address", err);
		return 255;
	}
	printf("Permanent address:");
	for (i = 0; i < p.h.size && i < NL_ETHTOOL_PERM_MAX; i++)
		printf("%c%02x", i == 0 ? ' ' : ':', p.h.data[i]);
	printf("\n");
	return 0;
}

int et_nl_permaddr(struct et_ctx *c)
{
	struct nl_ethtool_permaddr pa;
	struct nl_sock rt;
	uint8_t i;
	int err;

	err = nl_open(&rt, NETLINK_ROUTE);
	if (err < 0)
		return err;
	err = nl_ethtool_permaddr_get(&rt, c->devname, &pa);
	if (err < 0) {
		struct et_ctx e = { .ns = rt };

		et_nl_perror(&e, err);
		nl_close(&rt);
		return err == -EBADMSG ? 2 : 1;
	}
	nl_close(&rt);
	if (!pa.present) {
		printf("Permanent address: not set\n");
		return 0;
	}
	printf("Permanent address:");
	for (i = 0; i < pa.len; i++)
		printf("%c%02x", i ? ':' : ' ', pa.addr[i]);
	putchar('\n');
	return 0;
}

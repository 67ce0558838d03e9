// SPDX-License-Identifier: MIT
/*
 * -T / --show-time-stamping: ethtool 6.1's netlink output (the names the
 * kernel sends), our --json (ethtool-lite/JSON.md) and 6.1's ioctl output
 * (its own labels for the first bits of each mask).
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>

#include <linux/ethtool.h>
#include <linux/ethtool_netlink.h>
#include <linux/net_tstamp.h>

#include "embnet/ethtool_tsinfo.h"
#include "et.h"
#include "print.h"

/* "LABEL:" then EMPTY if no bit is on, else one "\tNAME" line per bit on
 * ("bitN" for a bit without a name). */
static void show_list(const char *label, const char *empty, bool has,
		      const struct nl_ethtool_bitlist *l)
{
	uint32_t i;

	printf("%s:", label);
	if (!has || nl_ethtool_bitlist_empty(l)) {
		printf("%s\n", empty);
		return;
	}
	putchar('\n');
	for (i = 0; i < l->n; i++) {
		if (!l->bits[i].on)
			continue;
		if (l->bits[i].name[0]) {
			putchar('\t');
			et_print_str(stdout, l->bits[i].name, SIZE_MAX);
			putchar('\n');
		} else {
			printf("\tbit%u\n", l->bits[i].index);
		}
	}
}

static void tsinfo_show(const char *name, const struct nl_ethtool_tsinfo *t)
{
	printf("Time stamping parameters for ");
	et_print_str(stdout, name, SIZE_MAX);
	printf(":\n");
	show_list("Capabilities", "", t->has_ts, &t->ts);
	if (t->has_phc)
		printf("PTP Hardware Clock: %d\n", (int)t->phc_index);
	else
		printf("PTP Hardware Clock: none\n");
	show_list("Hardware Transmit Timestamp Modes", " none", t->has_tx,
		  &t->tx);
	show_list("Hardware Receive Filter Modes", " none", t->has_rx, &t->rx);
}

/* The bits on, as a JSON list of their names ("bitN" without one). */
static void json_list(const char *key, bool has,
		      const struct nl_ethtool_bitlist *l)
{
	bool first = true;
	char buf[16];
	uint32_t i;

	et_json_list_open(key);
	for (i = 0; has && i < l->n; i++) {
		if (!l->bits[i].on)
			continue;
		snprintf(buf, sizeof(buf), "bit%u", l->bits[i].index);
		et_json_list_item(first,
				  l->bits[i].name[0] ? l->bits[i].name : buf);
		first = false;
	}
	et_json_list_close(first);
}

static void tsinfo_json(const char *name, const struct nl_ethtool_tsinfo *t)
{
	et_json_open(name);
	json_list("capabilities", t->has_ts, &t->ts);
	if (t->has_phc) /* signed, as the text prints it */
		printf(",\n        \"phc-index\": %d", (int)t->phc_index);
	json_list("tx-types", t->has_tx, &t->tx);
	json_list("rx-filters", t->has_rx, &t->rx);
	et_json_close();
}

int et_nl_tsinfo(struct et_ctx *c)
{
	static struct nl_ethtool_tsinfo t;
	int err;

	err = et_nl_show_start(c, ETHTOOL_MSG_TSINFO_GET);
	if (err)
		return err;
	/* Verbose bitsets: the kernel names each bit, as 6.1 asks. */
	err = nl_ethtool_tsinfo_get(&c->ns, &c->fam, &c->dev, 0, &t);
	if (err < 0)
		return et_nl_show_fail(c, err);
	if (c->json)
		tsinfo_json(et_nl_devname(c, &t.dev), &t);
	else
		tsinfo_show(et_nl_devname(c, &t.dev), &t);
	return 0;
}

/* ---- ioctl ------------------------------------------------------------- */

/* ethtool 6.1's labels; it prints no other bit of the ioctl's masks. */
static const char *const sot_labels[] = {
	"hardware-transmit     (SOF_TIMESTAMPING_TX_HARDWARE)",
	"software-transmit     (SOF_TIMESTAMPING_TX_SOFTWARE)",
	"hardware-receive      (SOF_TIMESTAMPING_RX_HARDWARE)",
	"software-receive      (SOF_TIMESTAMPING_RX_SOFTWARE)",
	"software-system-clock (SOF_TIMESTAMPING_SOFTWARE)",
	"hardware-legacy-clock (SOF_TIMESTAMPING_SYS_HARDWARE)",
	"hardware-raw-clock    (SOF_TIMESTAMPING_RAW_HARDWARE)",
};
static const char *const tx_labels[] = {
	"off                   (HWTSTAMP_TX_OFF)",
	"on                    (HWTSTAMP_TX_ON)",
	"one-step-sync         (HWTSTAMP_TX_ONESTEP_SYNC)",
};
static const char *const rx_labels[] = {
	"none                  (HWTSTAMP_FILTER_NONE)",
	"all                   (HWTSTAMP_FILTER_ALL)",
	"some                  (HWTSTAMP_FILTER_SOME)",
	"ptpv1-l4-event        (HWTSTAMP_FILTER_PTP_V1_L4_EVENT)",
	"ptpv1-l4-sync         (HWTSTAMP_FILTER_PTP_V1_L4_SYNC)",
	"ptpv1-l4-delay-req    (HWTSTAMP_FILTER_PTP_V1_L4_DELAY_REQ)",
	"ptpv2-l4-event        (HWTSTAMP_FILTER_PTP_V2_L4_EVENT)",
	"ptpv2-l4-sync         (HWTSTAMP_FILTER_PTP_V2_L4_SYNC)",
	"ptpv2-l4-delay-req    (HWTSTAMP_FILTER_PTP_V2_L4_DELAY_REQ)",
	"ptpv2-l2-event        (HWTSTAMP_FILTER_PTP_V2_L2_EVENT)",
	"ptpv2-l2-sync         (HWTSTAMP_FILTER_PTP_V2_L2_SYNC)",
	"ptpv2-l2-delay-req    (HWTSTAMP_FILTER_PTP_V2_L2_DELAY_REQ)",
	"ptpv2-event           (HWTSTAMP_FILTER_PTP_V2_EVENT)",
	"ptpv2-sync            (HWTSTAMP_FILTER_PTP_V2_SYNC)",
	"ptpv2-delay-req       (HWTSTAMP_FILTER_PTP_V2_DELAY_REQ)",
	"ntp-all               (HWTSTAMP_FILTER_NTP_ALL)",
};
#define N_OF(a) (sizeof(a) / sizeof((a)[0]))

static void io_bits(uint32_t mask, const char *const *labels, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (mask & (1u << i))
			printf("\t%s\n", labels[i]);
	}
}

static void io_show(const struct ethtool_ts_info *t)
{
	printf("Capabilities:\n");
	io_bits(t->so_timestamping, sot_labels, N_OF(sot_labels));
	if (t->phc_index < 0)
		printf("PTP Hardware Clock: none\n");
	else
		printf("PTP Hardware Clock: %d\n", (int)t->phc_index);
	printf("Hardware Transmit Timestamp Modes:%s\n",
	       t->tx_types ? "" : " none");
	io_bits(t->tx_types, tx_labels, N_OF(tx_labels));
	printf("Hardware Receive Filter Modes:%s\n",
	       t->rx_filters ? "" : " none");
	io_bits(t->rx_filters, rx_labels, N_OF(rx_labels));
}

int et_io_tsinfo(struct et_ctx *c)
{
	struct ethtool_ts_info t;
	int err;

	if (c->argc != 0)
		return et_bad_args();
	printf("Time stamping parameters for %s:\n", c->devname);
	err = ethtool_ioctl_tsinfo_get(c->devname, &t);
	if (err < 0) {
		et_perror("Cannot get device time stamping settings", err);
		return 255;
	}
	io_show(&t);
	return 0;
}

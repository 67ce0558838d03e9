// SPDX-License-Identifier: MIT
/* SIOCETHTOOL: the commands ethtool 6.1 runs only over ioctl. */
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <net/if.h>
#include <sys/ioctl.h>
#include <sys/socket.h>

#include <linux/ethtool.h>
#include <linux/sockios.h>

#include "embnet/ethtool.h"

int ethtool_ioctl(const char *ifname, void *data)
{
	struct ifreq ifr;
	int fd, err = 0;

	if (strlen(ifname) >= IFNAMSIZ)
		return -EINVAL;
	memset(&ifr, 0, sizeof(ifr));
	memcpy(ifr.ifr_name, ifname, strlen(ifname));
	ifr.ifr_data = data;
	fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	if (ioctl(fd, SIOCETHTOOL, &ifr) < 0)
		err = -errno;
	close(fd);
	return err;
}

static int strings_count(const char *ifname, uint32_t set_id,
			 size_t drvinfo_off, uint32_t *n)
{
	union {
		struct ethtool_sset_info hdr;
		uint8_t raw[sizeof(struct ethtool_sset_info) +
			    sizeof(uint32_t)];
	} ss;
	struct ethtool_drvinfo drv = { .cmd = ETHTOOL_GDRVINFO };
	int err;

	memset(&ss, 0, sizeof(ss));
	ss.hdr.cmd = ETHTOOL_GSSET_INFO;
	ss.hdr.sset_mask = 1ULL << set_id;
	err = ethtool_ioctl(ifname, &ss);
	if (err == 0) {
		*n = ss.hdr.sset_mask ? ss.hdr.data[0] : 0;
		return 0;
	}
	if (err != -EOPNOTSUPP || drvinfo_off == 0 ||
	    drvinfo_off + sizeof(uint32_t) > sizeof(drv))
		return err;
	err = ethtool_ioctl(ifname, &drv);
	if (err == 0)
		memcpy(n, (char *)&drv + drvinfo_off, sizeof(*n));
	return err;
}

/* Where struct ethtool_stats starts in a struct ethtool_ioctl_stats block. */
#define STATS_OFF ((sizeof(struct ethtool_ioctl_stats) + 7) & ~(size_t)7)

int ethtool_ioctl_strings(const char *ifname, uint32_t set_id,
			  size_t drvinfo_off, struct ethtool_ioctl_stats **out)
{
	struct ethtool_gstrings *gs;
	struct ethtool_ioctl_stats *st;
	uint32_t n = 0;
	size_t names_len;
	int err;

	*out = NULL;
	err = strings_count(ifname, set_id, drvinfo_off, &n);
	if (err < 0)
		return err;
	if (n > NL_ETHTOOL_MAX_STRINGS)
		return -E2BIG;
	names_len = (size_t)n * ETH_GSTRING_LEN;
	gs = calloc(1, sizeof(*gs) + names_len);
	if (!gs)
		return -ENOMEM;
	gs->cmd = ETHTOOL_GSTRINGS;
	gs->string_set = set_id;
	gs->len = n; /* an input too: the kernel checks it */
	err = n ? ethtool_ioctl(ifname, gs) : 0;
	if (err == 0 && gs->len != n)
		err = -EIO;
	/* struct ethtool_stats holds u64s: 8-aligned, also on 32-bit */
	st = err ? NULL
		 : calloc(1, STATS_OFF + sizeof(struct ethtool_stats) +
				     (size_t)n * sizeof(uint64_t) + names_len);
	if (!err && !st)
		err = -ENOMEM;
	if (!err) {
		st->n = n;
		st->values = (void *)((char *)st + STATS_OFF +
				      sizeof(struct ethtool_stats));
		st->names = (void *)(st->values + n);
		memcpy(st->names, gs->data, names_len);
		*out = st;
	}
	free(gs);
	return err;
}

int ethtool_ioctl_values(const char *ifname, struct ethtool_ioctl_stats *st)
{
	/* struct ethtool_stats sits right before the values. */
	struct ethtool_stats *es = (struct ethtool_stats *)st->values - 1;
	int err;

	es->cmd = ETHTOOL_GSTATS;
	es->n_stats = st->n;
	err = ethtool_ioctl(ifname, es);
	if (err == 0 && es->n_stats != st->n)
		return -EIO;
	return err;
}

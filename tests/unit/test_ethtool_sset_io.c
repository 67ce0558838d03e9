// SPDX-License-Identifier: MIT
// sources: ethtool-lite/print.c ethtool-lite/nlctx.c ethtool-lite/num.c
// sources: ethtool-lite/ioctl.c ethtool-lite/io_gset.c ethtool-lite/io_sset.c
/*
 * -s over ioctl (ethtool-lite/io_sset.c) against a fake driver: a
 * transceiver is refused before any ioctl, as ethtool 6.1's
 * do_ioctl_slinksettings() does, so the error names the errno 6.1 has
 * left at that point (the failed netlink setup's, or 0 once a number was
 * parsed).  stderr goes to a temp file.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <net/if.h>
#include <sys/ioctl.h>

#include <linux/ethtool.h>
#include <linux/sockios.h>
#include <cmocka.h>

#include "capture.h"

#ifdef __GLIBC__
#define IOCTL_REQ unsigned long
#else
#define IOCTL_REQ int /* musl's prototype */
#endif

static unsigned int n_slink; /* SLINKSETTINGS the driver was sent */

/* SIOCETHTOOL, bound here before libc: a device with one mask word. */
int ioctl(int fd, IOCTL_REQ req, ...)
{
	struct ethtool_link_settings *ls;
	struct ifreq *ifr;
	uint32_t cmd;
	va_list ap;

	(void)fd;
	va_start(ap, req);
	ifr = va_arg(ap, struct ifreq *);
	va_end(ap);
	memcpy(&cmd, ifr->ifr_data, sizeof(cmd)); /* every command's first */
	if (req == SIOCETHTOOL && cmd == ETHTOOL_GLINKSETTINGS) {
		/* The caller's struct, passed as char *: aligned for it. */
		ls = (void *)ifr->ifr_data;
		ls->link_mode_masks_nwords =
			ls->link_mode_masks_nwords ? 1 : -1;
		return 0;
	}
	if (req == SIOCETHTOOL && cmd == ETHTOOL_SLINKSETTINGS) {
		n_slink++;
		return 0;
	}
	errno = EOPNOTSUPP;
	return -1;
}

static const char *sset(int stale, char **argv, int argc)
{
	struct et_ctx c = { .devname = "tap0", .argc = argc, .argv = argv };

	c.stale_errno = stale;
	capture(2);
	assert_int_equal(et_io_sset(&c), 0);
	return captured();
}

/* Where the C libraries' strerror() words differ. */
#ifdef __GLIBC__
#define STRERROR_0 "Success"
#define STRERROR_EOPNOTSUPP "Operation not supported"
#else /* musl */
#define STRERROR_0 "No error information"
#define STRERROR_EOPNOTSUPP "Not supported"
#endif

static void test_xcvr_stale_errno(void **state)
{
	char *xcvr[] = { "xcvr", "external" };
	char *speed[] = { "speed", "100", "xcvr", "external" };
	char *msglvl[] = { "xcvr", "external", "msglvl", "drv", "on" };
	char *internal[] = { "xcvr", "internal" };

	(void)state;
	n_slink = 0;
	assert_string_equal(sset(EPROTONOSUPPORT, xcvr, 2),
			    "Cannot set new settings: Protocol not supported\n"
			    "  not setting transceiver\n");
	/* A number parsed: 6.1's get_int() zeroed errno, and strerror(0) is
	 * the C library's: glibc says "Success", musl "No error
	 * information". */
	assert_string_equal(sset(EPROTONOSUPPORT, speed, 4),
			    "Cannot set new settings: " STRERROR_0 "\n"
			    "  not setting speed\n"
			    "  not setting transceiver\n");
	/* Message level names are no number: errno kept (GMSGLVL fails). */
	assert_string_equal(sset(ENOENT, msglvl, 5),
			    "Cannot set new settings: No such file or "
			    "directory\n"
			    "  not setting transceiver\n"
			    "Cannot get msglvl: " STRERROR_EOPNOTSUPP "\n");
	assert_int_equal(n_slink, 0);
	/* XCVR_INTERNAL is 0: nothing to refuse, the driver is asked. */
	assert_string_equal(sset(EPROTONOSUPPORT, internal, 2), "");
	assert_int_equal(n_slink, 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_xcvr_stale_errno),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

// SPDX-License-Identifier: MIT
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

#include "lease.h"

#define STR_(x) #x
#define STR(x) STR_(x)

bool lease_addr_ok(uint32_t ip)
{
	const uint8_t *b = (const uint8_t *)&ip;

	return b[0] != 0 && b[0] != 127 && b[0] < 224;
}

int lease_parse(const uint8_t *buf, size_t len, const uint8_t mac[6],
		struct dhcp_msg *m, const char **why)
{
	int err = dhcp_parse(buf, len, m, why);

	if (err)
		return err;
	/*
	 * only what fsm_packet() would have saved: a file edited or left by
	 * another tool is not a reply to us.  A file cut short fails in
	 * dhcp_parse() (within the header or an option); one cut at an
	 * option boundary after option 53 is a reply without END, which
	 * fsm_packet() takes (udhcpc does) and saves: taken here too, so
	 * that what is saved is always read back.  INIT-REBOOT asks for its
	 * yiaddr, and the server ACKs or NAKs that.
	 */
	if (m->op != 2 || m->htype != 1 || m->hlen != 6)
		*why = "not a BOOTREPLY for Ethernet";
	else if (m->type != DHCPACK)
		*why = "not an ACK";
	else if (!lease_addr_ok(m->yiaddr))
		*why = "not a unicast address";
	else if (memcmp(m->chaddr, mac, 6))
		*why = "not our MAC address";
	else
		return 0;
	return -EBADMSG;
}

/* Reads @fd to its end into @buf, at most DHCP_MAX_LEN bytes: one byte
 * more is -EFBIG (the file is not read on). */
static int read_capped(int fd, uint8_t *buf, size_t *len, const char **why)
{
	size_t got = 0;
	uint8_t extra;
	ssize_t n;
	int err;

	for (;;) {
		if (got < DHCP_MAX_LEN)
			n = read(fd, buf + got, DHCP_MAX_LEN - got);
		else
			n = read(fd, &extra, 1);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			err = -errno;
			*why = strerror(-err);
			return err;
		}
		if (n == 0)
			break;
		if (got == DHCP_MAX_LEN) {
			*why = "larger than " STR(DHCP_MAX_LEN) " bytes";
			return -EFBIG;
		}
		got += (size_t)n;
	}
	*len = got;
	return 0;
}

/* *@why for an open() of @path that failed with @err. */
static const char *open_why(const char *path, int err)
{
	struct stat st;

	if (err == -ELOOP && !lstat(path, &st) && S_ISLNK(st.st_mode))
		return "a symbolic link";
	return strerror(-err);
}

int lease_load(const char *path, const uint8_t mac[6],
	       uint8_t buf[DHCP_MAX_LEN], size_t *len, struct dhcp_msg *m,
	       const char **why)
{
	struct stat st;
	int fd, err = 0;

	/*
	 * The file is one dhcpc wrote, and rename() put there: a symlink in
	 * its place is planted, not ours, so it is not followed (a symlinked
	 * directory above it is, as for any path).  Unlike the -s script,
	 * which udhcpc runs through symlinks, it is state, not configuration.
	 * O_NONBLOCK: a FIFO with no writer cannot hold the open.
	 */
	fd = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0) {
		err = -errno;
		*why = open_why(path, err);
		return err;
	}
	if (fstat(fd, &st) < 0) {
		err = -errno;
		*why = strerror(-err);
	} else if (!S_ISREG(st.st_mode)) {
		err = -EINVAL;
		*why = "not a regular file";
	} else {
		err = read_capped(fd, buf, len, why);
	}
	close(fd);
	if (err)
		return err;
	return lease_parse(buf, *len, mac, m, why);
}

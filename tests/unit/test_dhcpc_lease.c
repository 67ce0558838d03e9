// SPDX-License-Identifier: MIT
// sources: dhcpc/packet.c dhcpc/lease.c
/*
 * dhcpc/lease.c: what --lease-file takes back at start, and what it
 * refuses (issue 18): another client's lease, another message, a file cut
 * short or too long, a symlink, a FIFO, a device, a directory, a file it
 * cannot read.  Files live in a fresh directory under /tmp.
 */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "tmpdir.h"

static const uint8_t mac[6] = { 0x52, 0x54, 0x00, 0x12, 0x34, 0x56 };
static struct dhcp_msg msg;
static uint8_t b[DHCP_MAX_LEN + 1];
static size_t b_len;
static char path[80], real[80];
static const char *why;

/* The ACK of 10.0.0.5 to mac from 10.0.0.1, as saved by fsm.c. */
static void mk_ack(void)
{
	static const uint8_t opts[] = { 53, 1,	5, 54, 4, 10, 0,  0,
					1,  51, 4, 0,  0, 14, 16, 255 };

	memset(b, 0, sizeof(b));
	b_len = DHCP_MIN_LEN;
	b[0] = 2;
	b[1] = 1;
	b[2] = 6;
	b[16] = 10, b[17] = 0, b[18] = 0, b[19] = 5;
	memcpy(b + 28, mac, 6);
	b[236] = 0x63, b[237] = 0x82, b[238] = 0x53, b[239] = 0x63;
	memcpy(b + 240, opts, sizeof(opts));
}

static int parse(void)
{
	int err;

	why = NULL;
	err = lease_parse(b, b_len, mac, &msg, &why);
	assert_true(!err || (why && *why));
	return err;
}

static void test_lease_ok(void **state)
{
	uint32_t sid;

	(void)state;
	mk_ack();
	assert_int_equal(parse(), 0);
	assert_int_equal(msg.yiaddr, htonl(0x0a000005));
	assert_true(dhcp_opt_be32(&msg, DHO_SERVER_ID, &sid));
	assert_int_equal(sid, htonl(0x0a000001));
}

static void test_lease_not_ours(void **state)
{
	(void)state;
	mk_ack();
	b[242] = DHCPNAK;
	assert_int_equal(parse(), -EBADMSG);
	mk_ack();
	b[33] ^= 1; /* another MAC */
	assert_int_equal(parse(), -EBADMSG);
	mk_ack();
	b[16] = 224; /* multicast */
	assert_int_equal(parse(), -EBADMSG);
	mk_ack();
	b[16] = 0;
	assert_int_equal(parse(), -EBADMSG);
	mk_ack();
	b[237] = 0; /* magic */
	assert_int_equal(parse(), -EBADMSG);
}

/* fsm_packet() saves only a BOOTREPLY for Ethernet: a file holding a
 * REQUEST or another hardware type is not a lease (dhcpc_lease_fuzz). */
static void test_lease_bootreply_only(void **state)
{
	(void)state;
	mk_ack();
	b[0] = 1;
	assert_int_equal(parse(), -EBADMSG);
	mk_ack();
	b[1] = 6; /* IEEE 802 */
	assert_int_equal(parse(), -EBADMSG);
	mk_ack();
	b[2] = 16;
	assert_int_equal(parse(), -EBADMSG);
}

/* A file cut short: within the header or an option it is refused; at an
 * option boundary after option 53 it is a reply without END, which
 * fsm_packet() takes and saves, so it is taken back (lease.c). */
static void test_lease_truncated(void **state)
{
	(void)state;
	mk_ack();
	b_len = 256; /* up to END */
	assert_int_equal(parse(), 0);
	b_len = 251; /* in option 51 */
	assert_int_equal(parse(), -EBADMSG);
	assert_string_equal(why, "option past the end of its field");
	b_len = 242; /* in option 53 */
	assert_int_equal(parse(), -EBADMSG);
	assert_string_equal(why, "option past the end of its field");
	b_len = 240; /* before option 53 */
	assert_int_equal(parse(), -EBADMSG);
	assert_string_equal(why, "no option 53");
	b_len = 238; /* in the cookie */
	assert_int_equal(parse(), -EBADMSG);
	assert_string_equal(why, "shorter than a BOOTP header");
	b_len = 0;
	assert_int_equal(parse(), -EBADMSG);
	b_len = 249; /* after options 53 and 54: no END */
	assert_int_equal(parse(), 0);
}

static void test_lease_other_types(void **state)
{
	(void)state;
	for (uint8_t t = DHCPDISCOVER; t <= DHCPINFORM; t++) {
		if (t == DHCPACK)
			continue;
		mk_ack();
		b[242] = t;
		assert_int_equal(parse(), -EBADMSG);
		assert_string_equal(why, "not an ACK");
	}
	mk_ack();
	b[240] = DHO_PAD; /* no option 53: a BOOTP reply */
	b[241] = DHO_PAD;
	b[242] = DHO_PAD;
	assert_int_equal(parse(), -EBADMSG);
	assert_string_equal(why, "no option 53");
}

static void test_lease_not_unicast(void **state)
{
	static const uint8_t first[] = { 0, 127, 224, 239, 240, 255 };

	(void)state;
	for (size_t i = 0; i < sizeof(first); i++) {
		mk_ack();
		b[16] = first[i];
		assert_int_equal(parse(), -EBADMSG);
		assert_string_equal(why, "not a unicast address");
	}
	mk_ack();
	b[16] = 223;
	assert_int_equal(parse(), 0);
}

/* ---- lease_load(): the file ------------------------------------------ */

static int setup(void **state)
{
	(void)state;
	if (tmpdir_make("test_dhcpc_lease"))
		return -1;
	tmpdir_path(path, sizeof(path), "lease");
	tmpdir_path(real, sizeof(real), "real");
	/* searchable by the unprivileged child of test_load_unreadable */
	return chmod(tmpdir, 0755);
}

static int teardown(void **state)
{
	(void)state;
	return tmpdir_remove();
}

/* Whatever a test left at path (file, link, FIFO or directory) goes. */
static int clear(void **state)
{
	(void)state;
	if (unlink(path) && errno == EISDIR)
		rmdir(path);
	return 0;
}

/* Writes the first @len bytes of b to @p with mode @mode. */
static void put(const char *p, size_t len, mode_t mode)
{
	int fd = open(p, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);

	assert_true(fd >= 0);
	assert_int_equal(write(fd, b, len), (ssize_t)len);
	assert_int_equal(fchmod(fd, mode), 0);
	close(fd);
}

static int load(const char *p)
{
	static uint8_t buf[DHCP_MAX_LEN];
	size_t len = 0;
	int err;

	why = NULL;
	err = lease_load(p, mac, buf, &len, &msg, &why);
	assert_true(!err || (why && *why));
	if (!err) {
		assert_int_equal(len, b_len);
		assert_memory_equal(buf, b, len);
	}
	return err;
}

static void test_load_ok(void **state)
{
	char via[96];

	(void)state;
	assert_int_equal(load(path), -ENOENT);
	assert_string_equal(why, strerror(ENOENT));
	mk_ack();
	put(path, b_len, 0600);
	assert_int_equal(load(path), 0);
	assert_int_equal(msg.yiaddr, htonl(0x0a000005));
	/* only the last component is held to O_NOFOLLOW: a symlinked
	 * directory above it (/var/lib -> /data/var/lib) is followed */
	assert_int_equal(symlink(tmpdir, real), 0);
	snprintf(via, sizeof(via), "%s/lease", real);
	assert_int_equal(load(via), 0);
	unlink(real);
}

/* What lease_parse() refuses, through the file: one reason each. */
static void test_load_hostile(void **state)
{
	static const struct {
		size_t off;
		uint8_t val;
		size_t len;
		const char *why;
	} cases[] = {
		{ 33, 0x57, DHCP_MIN_LEN, "not our MAC address" },
		{ 242, DHCPNAK, DHCP_MIN_LEN, "not an ACK" },
		{ 242, DHCPOFFER, DHCP_MIN_LEN, "not an ACK" },
		{ 237, 0, DHCP_MIN_LEN, "bad magic cookie" },
		{ 16, 239, DHCP_MIN_LEN, "not a unicast address" },
		{ 0, 2, 251, "option past the end of its field" }, /* cut */
		{ 0, 2, 120, "shorter than a BOOTP header" },
		{ 0, 1, DHCP_MIN_LEN, "not a BOOTREPLY for Ethernet" },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		mk_ack();
		b[cases[i].off] = cases[i].val;
		b_len = cases[i].len;
		put(path, b_len, 0600);
		assert_int_equal(load(path), -EBADMSG);
		assert_string_equal(why, cases[i].why);
	}
}

/* Bounded: a lease of DHCP_MAX_LEN bytes is read, one byte more is not. */
static void test_load_oversize(void **state)
{
	(void)state;
	mk_ack();
	b_len = DHCP_MAX_LEN;
	put(path, b_len, 0600);
	assert_int_equal(load(path), 0);
	b_len = DHCP_MAX_LEN + 1;
	put(path, b_len, 0600);
	assert_int_equal(load(path), -EFBIG);
	assert_string_equal(why, "larger than 1500 bytes");
	/* a device that never ends is no regular file: not read at all */
	assert_int_equal(load("/dev/zero"), -EINVAL);
	assert_string_equal(why, "not a regular file");
}

/* A symlink is not followed, to a lease of ours or to nothing. */
static void test_load_symlink(void **state)
{
	(void)state;
	mk_ack();
	put(real, b_len, 0600);
	assert_int_equal(load(real), 0);
	assert_int_equal(symlink("real", path), 0);
	assert_int_equal(load(path), -ELOOP);
	assert_string_equal(why, "a symbolic link");
	unlink(path);
	assert_int_equal(symlink("nowhere", path), 0);
	assert_int_equal(load(path), -ELOOP);
	assert_string_equal(why, "a symbolic link");
}

/* A FIFO with no writer would hold a plain open() forever: the alarm
 * turns that into a failure of this test. */
static void test_load_fifo(void **state)
{
	(void)state;
	assert_int_equal(mkfifo(path, 0600), 0);
	alarm(10);
	assert_int_equal(load(path), -EINVAL);
	alarm(0);
	assert_string_equal(why, "not a regular file");
}

static void test_load_directory(void **state)
{
	(void)state;
	assert_int_equal(mkdir(path, 0700), 0);
	assert_int_equal(load(path), -EINVAL);
	assert_string_equal(why, "not a regular file");
}

/* Mode 000: root reads it anyway, so as root the check runs in a child
 * that has become nobody (exit 0: -EACCES and its reason; 3: it could
 * not drop root, a skip). */
static void test_load_unreadable(void **state)
{
	static uint8_t buf[DHCP_MAX_LEN];
	size_t len;
	int ws, err;
	pid_t pid;

	(void)state;
	mk_ack();
	put(path, b_len, 0);
	if (geteuid() != 0) {
		assert_int_equal(load(path), -EACCES);
		assert_string_equal(why, strerror(EACCES));
		return;
	}
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		if (setgid(65534) || setuid(65534))
			_exit(3);
		err = lease_load(path, mac, buf, &len, &msg, &why);
		_exit(err == -EACCES && !strcmp(why, strerror(EACCES)) ? 0 : 1);
	}
	assert_int_equal(waitpid(pid, &ws, 0), pid);
	assert_true(WIFEXITED(ws));
	if (WEXITSTATUS(ws) == 3)
		skip();
	assert_int_equal(WEXITSTATUS(ws), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_lease_ok),
		cmocka_unit_test(test_lease_not_ours),
		cmocka_unit_test(test_lease_bootreply_only),
		cmocka_unit_test(test_lease_truncated),
		cmocka_unit_test(test_lease_other_types),
		cmocka_unit_test(test_lease_not_unicast),
		cmocka_unit_test_teardown(test_load_ok, clear),
		cmocka_unit_test_teardown(test_load_hostile, clear),
		cmocka_unit_test_teardown(test_load_oversize, clear),
		cmocka_unit_test_teardown(test_load_symlink, clear),
		cmocka_unit_test_teardown(test_load_fifo, clear),
		cmocka_unit_test_teardown(test_load_directory, clear),
		cmocka_unit_test_teardown(test_load_unreadable, clear),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}

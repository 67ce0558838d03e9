// SPDX-License-Identifier: MIT
/*
 * Generic netlink: request bytes, the controller's family reply (recorded
 * from a 6.18 kernel) and malformed replies.  No sockets.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <linux/genetlink.h>
#include <linux/netlink.h>
#include <libmnl/libmnl.h>
#include <cmocka.h>

#include "embnet/genl.h"
#include "embnet/nl.h"
#include "nlfix_genl.h"

#define BUF_LEN MNL_SOCKET_BUFFER_SIZE

/* Recorded: ethtool 6.1 asking the controller for "ethtool" (seq 1). */
static uint8_t rec_getfamily[] __attribute__((aligned(4))) = {
	0x20, 0x00, 0x00, 0x00, 0x10, 0x00, 0x05, 0x00, 0x01, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x03, 0x01, 0x00, 0x00, 0x0c, 0x00,
	0x02, 0x00, 0x65, 0x74, 0x68, 0x74, 0x6f, 0x6f, 0x6c, 0x00,
};

/*
 * Recorded: the kernel's CTRL_CMD_NEWFAMILY for "ethtool" (6.18, id 21,
 * group monitor=6), CTRL_ATTR_OPS trimmed from 50 to 3 entries.
 */
static uint8_t rec_ctrl_ethtool[] __attribute__((aligned(4))) = {
	0x9c, 0x00, 0x00, 0x00, 0x10, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00,
	0x3e, 0x1d, 0x00, 0x00, 0x01, 0x02, 0x00, 0x00, 0x0c, 0x00, 0x02, 0x00,
	0x65, 0x74, 0x68, 0x74, 0x6f, 0x6f, 0x6c, 0x00, 0x06, 0x00, 0x01, 0x00,
	0x15, 0x00, 0x00, 0x00, 0x08, 0x00, 0x03, 0x00, 0x01, 0x00, 0x00, 0x00,
	0x08, 0x00, 0x04, 0x00, 0x00, 0x00, 0x00, 0x00, 0x08, 0x00, 0x05, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x40, 0x00, 0x06, 0x00, 0x14, 0x00, 0x01, 0x00,
	0x08, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00, 0x00, 0x08, 0x00, 0x02, 0x00,
	0x0e, 0x00, 0x00, 0x00, 0x14, 0x00, 0x02, 0x00, 0x08, 0x00, 0x01, 0x00,
	0x02, 0x00, 0x00, 0x00, 0x08, 0x00, 0x02, 0x00, 0x0e, 0x00, 0x00, 0x00,
	0x14, 0x00, 0x03, 0x00, 0x08, 0x00, 0x01, 0x00, 0x03, 0x00, 0x00, 0x00,
	0x08, 0x00, 0x02, 0x00, 0x1a, 0x00, 0x00, 0x00, 0x1c, 0x00, 0x07, 0x00,
	0x18, 0x00, 0x01, 0x00, 0x08, 0x00, 0x02, 0x00, 0x06, 0x00, 0x00, 0x00,
	0x0c, 0x00, 0x01, 0x00, 0x6d, 0x6f, 0x6e, 0x69, 0x74, 0x6f, 0x72, 0x00,
};

static struct nlmsghdr *genl_start(void *buf, uint16_t type)
{
	memset(buf, 0, BUF_LEN);
	return nl_genl_msg(buf, type, CTRL_CMD_NEWFAMILY, 2, 0);
}

static void test_msg_header(void **state)
{
	char buf[BUF_LEN] __attribute__((aligned(4)));
	struct nlmsghdr *nlh;
	const struct genlmsghdr *g;

	(void)state;
	nlh = nl_genl_msg(buf, 0x15, 11, 1, NLM_F_DUMP);
	assert_int_equal(nlh->nlmsg_len, NLMSG_HDRLEN + GENL_HDRLEN);
	assert_int_equal(nlh->nlmsg_type, 0x15);
	assert_int_equal(nlh->nlmsg_flags, NLM_F_REQUEST | NLM_F_DUMP);
	assert_int_equal(nlh->nlmsg_seq, 0);
	g = mnl_nlmsg_get_payload(nlh);
	assert_int_equal(g->cmd, 11);
	assert_int_equal(g->version, 1);
	assert_int_equal(g->reserved, 0);
}

static void test_family_request_bytes(void **state)
{
	char buf[BUF_LEN] __attribute__((aligned(4)));
	struct nlmsghdr *nlh;

	(void)state;
	assert_int_equal(
		nl_genl_family_request(buf, sizeof(buf), "ethtool", &nlh), 0);
	/* nl_talk() adds these two; the rest must match ethtool's bytes. */
	nlh->nlmsg_flags |= NLM_F_ACK;
	nlh->nlmsg_seq = 1;
	assert_int_equal(nlh->nlmsg_len, sizeof(rec_getfamily));
	assert_memory_equal(nlh, rec_getfamily, sizeof(rec_getfamily));
}

static void test_family_request_errors(void **state)
{
	char buf[BUF_LEN] __attribute__((aligned(4)));
	struct nlmsghdr *nlh;

	(void)state;
	assert_int_equal(nl_genl_family_request(buf, sizeof(buf), "", &nlh),
			 -EINVAL);
	assert_int_equal(nl_genl_family_request(buf, sizeof(buf),
						"sixteen-chars-xx", &nlh),
			 -EINVAL);
	assert_int_equal(nl_genl_family_request(buf, 24, "ethtool", &nlh),
			 -EMSGSIZE);
	assert_int_equal(nl_genl_family_request(buf, 8, "ethtool", &nlh),
			 -EMSGSIZE);
}

static void test_family_parse_recorded(void **state)
{
	struct nl_genl_family fam;

	(void)state;
	assert_int_equal(
		nl_genl_family_parse((const void *)rec_ctrl_ethtool, &fam), 0);
	assert_string_equal(fam.name, "ethtool");
	assert_int_equal(fam.id, 21);
	assert_int_equal(fam.version, 1);
	assert_int_equal(fam.hdrsize, 0);
	assert_int_equal(fam.maxattr, 0);
	assert_true(nl_genl_has_op(&fam, 1));
	assert_true(nl_genl_has_op(&fam, 3));
	assert_false(nl_genl_has_op(&fam, 4));
	assert_false(nl_genl_has_op(&fam, 0));
	assert_int_equal(fam.n_groups, 1);
	assert_int_equal(nl_genl_group(&fam, "monitor"), 6);
	assert_int_equal(nl_genl_group(&fam, "notify"), -ENOENT);
}

static void test_family_parse_truncated(void **state)
{
	uint8_t buf[BUF_LEN] __attribute__((aligned(4)));
	struct nl_genl_family fam;
	struct nlmsghdr *nlh;

	(void)state;
	memcpy(buf, rec_ctrl_ethtool, sizeof(rec_ctrl_ethtool));
	nlh = (void *)buf;
	nlh->nlmsg_len = NLMSG_HDRLEN + 2; /* half a genlmsghdr */
	assert_int_equal(nl_genl_family_parse(nlh, &fam), -EBADMSG);
	/* Cut inside an attribute: its length runs past the message. */
	nlh->nlmsg_len = 30;
	assert_int_equal(nl_genl_family_parse(nlh, &fam), -EBADMSG);
	nlh = genl_start(buf, GENL_ID_CTRL); /* header only: no id, name */
	assert_int_equal(nl_genl_family_parse(nlh, &fam), -EBADMSG);
}

static void test_family_parse_bad_attrs(void **state)
{
	char buf[BUF_LEN] __attribute__((aligned(4)));
	struct nl_genl_family fam;
	struct nlmsghdr *nlh;

	(void)state;
	nlh = genl_start(buf, GENL_ID_CTRL);
	mnl_attr_put_u32(nlh, CTRL_ATTR_FAMILY_ID, 21); /* u16 expected */
	mnl_attr_put_strz(nlh, CTRL_ATTR_FAMILY_NAME, "ethtool");
	assert_int_equal(nl_genl_family_parse(nlh, &fam), -EBADMSG);

	nlh = genl_start(buf, GENL_ID_CTRL);
	mnl_attr_put_u16(nlh, CTRL_ATTR_FAMILY_ID, 21);
	mnl_attr_put(nlh, CTRL_ATTR_FAMILY_NAME, 7, "ethtool"); /* no NUL */
	assert_int_equal(nl_genl_family_parse(nlh, &fam), -EBADMSG);

	nlh = genl_start(buf, GENL_ID_CTRL);
	mnl_attr_put_u16(nlh, CTRL_ATTR_FAMILY_ID, 21);
	mnl_attr_put_strz(nlh, CTRL_ATTR_FAMILY_NAME, "a-name-too-long-x");
	assert_int_equal(nl_genl_family_parse(nlh, &fam), -EBADMSG);
}

static struct nlmsghdr *family_with_group(void *buf, const char *name,
					  uint32_t id)
{
	struct nlmsghdr *nlh = genl_start(buf, GENL_ID_CTRL);
	struct nlattr *grps, *grp;

	mnl_attr_put_u16(nlh, CTRL_ATTR_FAMILY_ID, 30);
	mnl_attr_put_strz(nlh, CTRL_ATTR_FAMILY_NAME, "fam");
	grps = mnl_attr_nest_start(nlh, CTRL_ATTR_MCAST_GROUPS);
	grp = mnl_attr_nest_start(nlh, 1);
	if (name)
		mnl_attr_put_strz(nlh, CTRL_ATTR_MCAST_GRP_NAME, name);
	mnl_attr_put_u32(nlh, CTRL_ATTR_MCAST_GRP_ID, id);
	mnl_attr_nest_end(nlh, grp);
	mnl_attr_nest_end(nlh, grps);
	return nlh;
}

static void test_family_parse_bad_groups(void **state)
{
	char buf[BUF_LEN] __attribute__((aligned(4)));
	struct nl_genl_family fam;
	struct nlmsghdr *nlh;
	struct nlattr *grps;

	(void)state;
	nlh = family_with_group(buf, "g", 7);
	assert_int_equal(nl_genl_family_parse(nlh, &fam), 0);
	assert_int_equal(nl_genl_group(&fam, "g"), 7);
	nlh = family_with_group(buf, NULL, 7); /* no name */
	assert_int_equal(nl_genl_family_parse(nlh, &fam), -EBADMSG);
	nlh = family_with_group(buf, "g", 0); /* id 0 is never a group */
	assert_int_equal(nl_genl_family_parse(nlh, &fam), -EBADMSG);
	/* A nested entry whose length runs past its parent. */
	nlh = family_with_group(buf, "g", 7);
	grps = mnl_nlmsg_get_payload_offset(nlh, GENL_HDRLEN); /* FAMILY_ID */
	grps = mnl_attr_next(mnl_attr_next(grps)); /* past FAMILY_NAME */
	assert_int_equal(mnl_attr_get_type(grps), CTRL_ATTR_MCAST_GROUPS);
	((struct nlattr *)mnl_attr_get_payload(grps))->nla_len += 8;
	assert_int_equal(nl_genl_family_parse(nlh, &fam), -EBADMSG);
	/* A group entry that is not a nest of attributes at all. */
	nlh = genl_start(buf, GENL_ID_CTRL);
	mnl_attr_put_u16(nlh, CTRL_ATTR_FAMILY_ID, 30);
	mnl_attr_put_strz(nlh, CTRL_ATTR_FAMILY_NAME, "fam");
	grps = mnl_attr_nest_start(nlh, CTRL_ATTR_MCAST_GROUPS);
	mnl_attr_put_u16(nlh, 1, 5);
	mnl_attr_nest_end(nlh, grps);
	assert_int_equal(nl_genl_family_parse(nlh, &fam), -EBADMSG);
}

static void test_family_parse_unknown_and_cap(void **state)
{
	char buf[BUF_LEN] __attribute__((aligned(4)));
	char name[GENL_NAMSIZ];
	struct nl_genl_family fam;
	struct nlmsghdr *nlh;
	struct nlattr *grps, *grp;
	int i;

	(void)state;
	nlh = genl_start(buf, GENL_ID_CTRL);
	mnl_attr_put_u16(nlh, CTRL_ATTR_FAMILY_ID, 30);
	mnl_attr_put_u64(nlh, 200, 1); /* unknown: skipped */
	mnl_attr_put_strz(nlh, CTRL_ATTR_FAMILY_NAME, "fam");
	grps = mnl_attr_nest_start(nlh, CTRL_ATTR_MCAST_GROUPS);
	for (i = 1; i <= NL_GENL_MAX_GROUPS + 4; i++) {
		grp = mnl_attr_nest_start(nlh, (uint16_t)i);
		snprintf(name, sizeof(name), "g%d", i);
		mnl_attr_put_strz(nlh, CTRL_ATTR_MCAST_GRP_NAME, name);
		mnl_attr_put_u32(nlh, CTRL_ATTR_MCAST_GRP_ID, (uint32_t)i + 40);
		mnl_attr_put_u8(nlh, 99, 0); /* unknown: skipped */
		mnl_attr_nest_end(nlh, grp);
	}
	mnl_attr_nest_end(nlh, grps);
	assert_int_equal(nl_genl_family_parse(nlh, &fam), 0);
	assert_int_equal(fam.id, 30);
	assert_int_equal(fam.n_groups, NL_GENL_MAX_GROUPS);
	assert_int_equal(nl_genl_group(&fam, "g16"), 56);
	assert_int_equal(nl_genl_group(&fam, "g17"), -ENOENT);
}

/* Recorded on a little-endian host: in host order first. */
static int recorded_to_host(void **state)
{
	(void)state;
	nlfix_msgs(rec_getfamily, sizeof(rec_getfamily), &nlfix_ctrl);
	nlfix_msgs(rec_ctrl_ethtool, sizeof(rec_ctrl_ethtool), &nlfix_ctrl);
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_msg_header),
		cmocka_unit_test(test_family_request_bytes),
		cmocka_unit_test(test_family_request_errors),
		cmocka_unit_test(test_family_parse_recorded),
		cmocka_unit_test(test_family_parse_truncated),
		cmocka_unit_test(test_family_parse_bad_attrs),
		cmocka_unit_test(test_family_parse_bad_groups),
		cmocka_unit_test(test_family_parse_unknown_and_cap),
	};

	return cmocka_run_group_tests(tests, recorded_to_host, NULL);
}

// SPDX-License-Identifier: MIT
// sources: ethtool-lite/sfp.c ethtool-lite/sfp_diag.c
// sources: ethtool-lite/sff8636.c
// fuzz-covers: ethtool-lite/sfp.c ethtool-lite/sfp_diag.c
// fuzz-covers: ethtool-lite/sff8636.c
// fuzz-covers: lib/ethtool_module.c:nl_ethtool_module_parse
/*
 * libFuzzer target: a transceiver module's memory as -m decodes it (the
 * SFF-8079/8472 decoder of ethtool-lite/sfp.c and sfp_diag.c, the
 * SFF-8636 one of sff8636.c) and the MODULE_EEPROM_GET reply it comes in
 * (lib/ethtool_module.c).
 *
 * Input: byte 0 splits the rest: the first (byte 0 * 2) bytes are A0h,
 * what follows A2h (each as short as the input makes it, as on a short
 * read).  The rest, zero-padded to 384 bytes, is also a QSFP's lower
 * page, upper page 00h and upper page 03h (if its byte 2 says paged).
 * The whole input is also parsed as a netlink reply.
 *
 * Checked: the decoder prints only whole "\t<label> : <value>" lines of
 * printable ASCII (module strings are vetted: their control bytes and
 * 8-bit bytes become '_'); a parsed reply's data fits the caller's buffer.
 */
#include <string.h>
#include <unistd.h>

#include "fuzz.h"
#include "embnet/ethtool_module.h"
#include "embnet/nl.h"
#include "../../ethtool-lite/sfp.h"

#define OUT_MAX 65536

static FILE *out;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	out = tmpfile();
	CHECK(out != NULL);
	fflush(stdout);
	CHECK(dup2(fileno(out), STDOUT_FILENO) == STDOUT_FILENO);
	return 0;
}

/* Every line a "\t%-41s : " field, printable ASCII after the tab. */
static void check_output(void)
{
	static char buf[OUT_MAX];
	ssize_t n;
	size_t i, line = 0;

	fflush(stdout);
	n = pread(fileno(out), buf, sizeof(buf), 0);
	CHECK(n >= 0 && n < OUT_MAX);
	for (i = 0; i < (size_t)n; i++) {
		if (buf[i] == '\n') {
			CHECK(i - line >= 45 && buf[line] == '\t' &&
			      !memcmp(buf + line + 42, " : ", 3));
			line = i + 1;
			continue;
		}
		CHECK((buf[i] >= 0x20 && buf[i] < 0x7f) ||
		      (buf[i] == '\t' && i == line));
	}
	CHECK(line == (size_t)n);
	CHECK(ftruncate(fileno(out), 0) == 0 &&
	      lseek(fileno(out), 0, SEEK_SET) == 0);
}

static void reply(const uint8_t *data, size_t size)
{
	static uint32_t msg[1024];
	uint8_t page[NL_ETHTOOL_MODULE_PAGE_MAX + 1];
	size_t len = 0;

	if (size < sizeof(struct nlmsghdr) || size > sizeof(msg))
		return;
	memcpy(msg, data, size);
	((struct nlmsghdr *)msg)->nlmsg_len = (uint32_t)size;
	memset(page, 0xa5, sizeof(page));
	if (nl_ethtool_module_parse((struct nlmsghdr *)msg, page,
				    NL_ETHTOOL_MODULE_PAGE_MAX, &len) == 0)
		CHECK(len <= NL_ETHTOOL_MODULE_PAGE_MAX);
	CHECK(page[NL_ETHTOOL_MODULE_PAGE_MAX] == 0xa5);
}

static void qsfp(const uint8_t *data, size_t size)
{
	uint8_t m[3 * ET_QSFP_PAGE];

	memset(m, 0, sizeof(m));
	memcpy(m, data, size < sizeof(m) ? size : sizeof(m));
	et_qsfp_show(m, m + ET_QSFP_PAGE,
		     et_qsfp_has_page3(m) ? m + 2 * ET_QSFP_PAGE : NULL);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	size_t a0_len;

	if (size < 1)
		return 0;
	a0_len = (size_t)data[0] * 2;
	if (a0_len > size - 1)
		a0_len = size - 1;
	et_sfp_show_id(data + 1, a0_len);
	et_sfp_show_diag(data + 1, a0_len, data + 1 + a0_len,
			 size - 1 - a0_len);
	check_output();
	qsfp(data + 1, size - 1);
	check_output();
	reply(data, size);
	return 0;
}

// SPDX-License-Identifier: MIT
// sources: ethtool-lite/rxclass.c ethtool-lite/num.c
// fuzz-covers: ethtool-lite/rxclass.c
/*
 * libFuzzer target: rx classification rules as -n prints them and -N
 * reads them (ethtool-lite/rxclass.c).  A rule printed by "-n DEV rule N"
 * comes from the driver (ETHTOOL_GRXCLSRULE), so it is hostile input.
 *
 * Input: the first sizeof(struct ethtool_rx_flow_spec) bytes (zero-padded)
 * are a rule from the driver: printed, and turned into the legacy n-tuple
 * form.  The rest, split at NUL bytes, is a "-N DEV flow-type" command
 * line: parsed, and the rule it gives printed.
 *
 * Checked: the printer writes printable ASCII, tabs and newlines only,
 * for a driver's rule and for one the parser made (the parser's own
 * messages quote the words as given, and are not checked).
 */
#include <string.h>
#include <unistd.h>

#include "fuzz.h"
#include "../../ethtool-lite/rxclass.h"

#define OUT_MAX 65536
#define WORDS_MAX 64

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

/* What was printed since the last call: checked (@check), then dropped. */
static void output(int check)
{
	static char buf[OUT_MAX];
	ssize_t n, i;

	fflush(stdout);
	n = pread(fileno(out), buf, sizeof(buf), 0);
	CHECK(n >= 0 && n < OUT_MAX);
	for (i = 0; check && i < n; i++)
		CHECK((buf[i] >= 0x20 && buf[i] < 0x7f) || buf[i] == '\t' ||
		      buf[i] == '\n');
	CHECK(ftruncate(fileno(out), 0) == 0 &&
	      lseek(fileno(out), 0, SEEK_SET) == 0);
}

static void from_driver(const uint8_t *data, size_t size)
{
	struct ethtool_rx_flow_spec fs;
	struct ethtool_rx_ntuple_flow_spec nt;

	memset(&fs, 0, sizeof(fs));
	memcpy(&fs, data, size < sizeof(fs) ? size : sizeof(fs));
	et_rxclass_print(&fs, size ? data[0] : 0);
	output(1);
	et_rxclass_ntuple(&fs, &nt);
}

static void from_argv(const uint8_t *data, size_t size)
{
	static char text[4096];
	char *argv[WORDS_MAX + 1];
	struct ethtool_rx_flow_spec fs;
	uint32_t ctx = 0;
	size_t i;
	int argc = 0;

	if (size >= sizeof(text))
		size = sizeof(text) - 1;
	memcpy(text, data, size);
	text[size] = 0;
	argv[argc++] = text;
	for (i = 0; i < size && argc < WORDS_MAX; i++)
		if (!text[i])
			argv[argc++] = text + i + 1;
	argv[argc] = NULL;
	memset(&fs, 0, sizeof(fs));
	if (et_rxclass_parse(argv, argc, &fs, &ctx) < 0) {
		output(0);
		return;
	}
	output(0);
	et_rxclass_print(&fs, ctx);
	output(1);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	size_t n = sizeof(struct ethtool_rx_flow_spec);

	from_driver(data, size);
	if (size > n)
		from_argv(data + n, size - n);
	return 0;
}

// SPDX-License-Identifier: MIT
// fuzz-covers: ifupdown/parse.c
// fuzz-covers: ifupdown/methods.c
// fuzz-covers: ifupdown/list.c
// fuzz-covers: ifupdown/hashix.c
// fuzz-covers: ifupdown/lex.c
// sources: ifupdown/parse.c ifupdown/methods.c ifupdown/list.c
// sources: ifupdown/hashix.c ifupdown/lex.c
/*
 * libFuzzer target for the interfaces(5) parser: any input parses or
 * fails with one "f:LINE: message" line; every stanza of what parses
 * goes through the computed options of its method.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "../../ifupdown/interfaces.h"

static int depth;

/* `source` parses the same input once more, as a nested file would. */
static int inc_cb(void *ctx, struct ifp_config *cfg, bool dir,
		  const char *pattern, const char *file, char *err)
{
	const char *t = "iface inc inet static\n address 10.0.0.1\n";
	int ret;

	(void)ctx;
	(void)dir;
	(void)pattern;
	(void)file;
	if (depth++ > 2)
		return 0;
	ret = ifp_parse_buf(cfg, "inc", t, strlen(t), NULL, err);
	depth--;
	return ret;
}

/*
 * `ifup -o NAME=VALUE` options, as main.c takes them, from the input's
 * lines "#-o NAME=VALUE" (comments to the parser).
 */
static void extra_opts(const uint8_t *data, size_t size, struct ifp_opts *o)
{
	char line[256], *eq;

	for (size_t i = 0; i + 3 < size; i++) {
		size_t n = 0;

		if ((i && data[i - 1] != '\n') || memcmp(data + i, "#-o", 3))
			continue;
		for (i += 3;
		     i < size && data[i] != '\n' && n + 1 < sizeof(line);)
			line[n++] = (char)data[i++];
		line[n] = '\0';
		eq = strchr(line, '=');
		if (!eq || eq == line)
			continue;
		*eq = '\0';
		CHECK(ifp_opt_set(o, line, eq + 1, false) == 0);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const unsigned char rnd[6] = { 1, 2, 3, 4, 5, 6 };
	struct ifp_config cfg = { 0 };
	struct ifp_opts extra = { 0 };
	struct ifp_ops ops = { inc_cb, NULL, NULL };
	char err[IFP_ERR_LEN];
	int ret;

	depth = 0;
	extra_opts(data, size, &extra);
	ret = ifp_parse_buf(&cfg, "f", (const char *)data, size, &ops, err);
	CHECK(ret == 0 || ret == -22);
	if (ret < 0)
		CHECK(strncmp(err, "f:", 2) == 0 && !strchr(err, '\n'));
	if (ret == 0) {
		CHECK(ifp_add_loopback(&cfg, !cfg.has_loopback) == 0);
		for (size_t i = 0; i < cfg.n_ifaces; i++) {
			struct ifp_iface *f = &cfg.ifaces[i];

			CHECK(f->method != NULL);
			CHECK(ifm_compute(f->method, &f->opts, &extra, rnd) ==
			      0);
		}
	}
	ifp_free(&cfg);
	ifp_opts_free(&extra);
	return 0;
}

// SPDX-License-Identifier: MIT
/* Output formatting shared by the commands. */
#include <stdio.h>
#include <string.h>

#include <linux/ethtool.h>

#include "print.h"

/*
 * Link-mode bits that are not speeds: the kernel puts the port types,
 * pause and FEC flags into the same bitmap, and ethtool 6.1 sorts them by
 * bit number.  Names still come from the kernel's ETH_SS_LINK_MODES.
 */
static const struct {
	uint8_t bit;
	uint8_t cls;
} special[] = {
	{ ETHTOOL_LINK_MODE_Autoneg_BIT, ET_LM_AUTONEG },
	{ ETHTOOL_LINK_MODE_TP_BIT, ET_LM_PORT },
	{ ETHTOOL_LINK_MODE_AUI_BIT, ET_LM_PORT },
	{ ETHTOOL_LINK_MODE_MII_BIT, ET_LM_PORT },
	{ ETHTOOL_LINK_MODE_FIBRE_BIT, ET_LM_PORT },
	{ ETHTOOL_LINK_MODE_BNC_BIT, ET_LM_PORT },
	{ ETHTOOL_LINK_MODE_Backplane_BIT, ET_LM_PORT },
	{ ETHTOOL_LINK_MODE_Pause_BIT, ET_LM_PAUSE },
	{ ETHTOOL_LINK_MODE_Asym_Pause_BIT, ET_LM_PAUSE },
	{ ETHTOOL_LINK_MODE_FEC_NONE_BIT, ET_LM_FEC },
	{ ETHTOOL_LINK_MODE_FEC_RS_BIT, ET_LM_FEC },
	{ ETHTOOL_LINK_MODE_FEC_BASER_BIT, ET_LM_FEC },
	{ ETHTOOL_LINK_MODE_FEC_LLRS_BIT, ET_LM_FEC },
};

enum et_lm_class et_lm_class(uint32_t bit)
{
	size_t i;

	for (i = 0; i < sizeof(special) / sizeof(special[0]); i++) {
		if (special[i].bit == bit)
			return special[i].cls;
	}
	return ET_LM_REAL;
}

/* Half-duplex modes, after which 6.1 prints the next mode on one line. */
bool et_lm_half(uint32_t bit)
{
	return bit == ETHTOOL_LINK_MODE_10baseT_Half_BIT ||
	       bit == ETHTOOL_LINK_MODE_100baseT_Half_BIT ||
	       bit == ETHTOOL_LINK_MODE_1000baseT_Half_BIT ||
	       bit == ETHTOOL_LINK_MODE_100baseFX_Half_BIT;
}

void et_print_name(const char *name, unsigned int val, const char *label)
{
	if (!name)
		printf("\t%s: Unknown! (%d)\n", label, val);
	else
		printf("\t%s: %s\n", label, name);
}

void et_print_enum(const char *const *names, unsigned int n, unsigned int val,
		   const char *label)
{
	et_print_name(val < n ? names[val] : NULL, val, label);
}

const char *et_wol_letters(uint32_t opts, char *buf)
{
	static const char letters[] = "pumbagsf";
	char *p = buf;
	size_t i;

	memset(buf, 0, 16);
	if (!opts) {
		buf[0] = 'd';
		return buf;
	}
	for (i = 0; i < 8; i++) {
		if (opts & (1u << i))
			*p++ = letters[i];
	}
	return buf;
}

void et_print_str(FILE *f, const char *s, size_t max)
{
	size_t i;
	unsigned char ch;

	for (i = 0; i < max && s[i]; i++) {
		ch = (unsigned char)s[i];
		if (ch < 0x20 || ch == 0x7f)
			fprintf(f, "\\x%02x", ch);
		else
			putc(ch, f);
	}
}

void et_json_str(const char *s)
{
	putchar('"');
	for (; *s; s++) {
		unsigned char ch = (unsigned char)*s;

		if (ch == '"' || ch == '\\')
			printf("\\%c", ch);
		else if (ch < 0x20)
			printf("\\u%04x", ch);
		else
			putchar(ch);
	}
	putchar('"');
}

/* ---- JSON in ethtool 6.1's layout: [ { 8-space keys } ] ---------------- */

void et_json_open(const char *ifname)
{
	printf("[ {\n        \"ifname\": ");
	et_json_str(ifname);
}

void et_json_close(void)
{
	printf("\n    } ]\n");
}

void et_json_key(const char *key)
{
	printf(",\n        ");
	et_json_str(key);
	printf(": ");
}

void et_json_u32(const char *key, uint32_t v)
{
	et_json_key(key);
	printf("%u", v);
}

void et_json_bool(const char *key, bool v)
{
	et_json_key(key);
	printf("%s", v ? "true" : "false");
}

void et_json_string(const char *key, const char *s)
{
	et_json_key(key);
	if (s)
		et_json_str(s);
	else
		printf("null");
}

void et_json_list_open(const char *key)
{
	et_json_key(key);
	putchar('[');
}

void et_json_list_item(bool first, const char *s)
{
	printf("%s", first ? " " : ", ");
	et_json_str(s);
}

void et_json_list_close(bool empty)
{
	printf("%s]", empty ? "" : " ");
}

int et_bad_args(void)
{
	fprintf(stderr, "ethtool: bad command line argument(s)\n"
			"For more information run ethtool -h\n");
	return 1;
}

/* perror() with a negative errno, after stdout. */
void et_perror(const char *what, int err)
{
	fflush(stdout);
	fprintf(stderr, "%s: %s\n", what, strerror(-err));
}

void et_print_mdix(uint8_t mdix, uint8_t ctrl)
{
	printf("\tMDI-X: ");
	if (ctrl == ETH_TP_MDI) {
		printf("off (forced)\n");
		return;
	}
	if (ctrl == ETH_TP_MDI_X) {
		printf("on (forced)\n");
		return;
	}
	printf("%s", mdix == ETH_TP_MDI	    ? "off"
		     : mdix == ETH_TP_MDI_X ? "on"
					    : "Unknown");
	if (ctrl == ETH_TP_MDI_AUTO)
		printf(" (auto)");
	printf("\n");
}

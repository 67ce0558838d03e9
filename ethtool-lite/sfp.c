// SPDX-License-Identifier: MIT
/*
 * SFF-8079 (SFP identity, A0h) and SFF-8472 (diagnostics, A2h) decoding
 * in ethtool 6.1's words and layout: "\t%-41s : value" lines.  Field
 * offsets and codes are SFF-8472 rev 12's and SFF-8024's.
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "sfp.h"

struct code {
	uint8_t v;
	const char *name;
};

/* One capability bit: byte of A0h, bit, text. */
struct bitname {
	uint8_t byte, bit;
	const char *name;
};

void et_sff_field(const char *name)
{
	printf("\t%-41s : ", name);
}

static const char *code_name(const struct code *t, size_t n, uint8_t v)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (t[i].v == v)
			return t[i].name;
	return "reserved or unknown";
}

#define N(t) (sizeof(t) / sizeof((t)[0]))

static const struct code identifiers[] = {
	{ 0x00, "no module present, unknown, or unspecified" },
	{ 0x01, "GBIC" },
	{ 0x02, "module soldered to motherboard" },
	{ 0x03, "SFP" },
	{ 0x04, "300 pin XBI" },
	{ 0x05, "XENPAK" },
	{ 0x06, "XFP" },
	{ 0x07, "XFF" },
	{ 0x08, "XFP-E" },
	{ 0x09, "XPAK" },
	{ 0x0a, "X2" },
	{ 0x0b, "DWDM-SFP" },
	{ 0x0c, "QSFP" },
	{ 0x0d, "QSFP+" },
	{ 0x0e, "CXP" },
	{ 0x0f, "Shielded Mini Multilane HD 4X" },
	{ 0x10, "Shielded Mini Multilane HD 8X" },
	{ 0x11, "QSFP28" },
	{ 0x12, "CXP2/CXP28" },
	{ 0x13, "CDFP Style 1/Style 2" },
	{ 0x14, "Shielded Mini Multilane HD 4X Fanout Cable" },
	{ 0x15, "Shielded Mini Multilane HD 8X Fanout Cable" },
	{ 0x16, "CDFP Style 3" },
	{ 0x17, "microQSFP" },
	{ 0x18, "QSFP-DD Double Density 8X Pluggable Transceiver (INF-8628)" },
	{ 0x19, "OSFP 8X Pluggable Transceiver" },
	{ 0x1b, "DSFP Dual Small Form Factor Pluggable Transceiver" },
};

static const struct code connectors[] = {
	{ 0x00, "unknown or unspecified" },
	{ 0x01, "SC" },
	{ 0x02, "Fibre Channel Style 1 copper" },
	{ 0x03, "Fibre Channel Style 2 copper" },
	{ 0x04, "BNC/TNC" },
	{ 0x05, "Fibre Channel coaxial headers" },
	{ 0x06, "FibreJack" },
	{ 0x07, "LC" },
	{ 0x08, "MT-RJ" },
	{ 0x09, "MU" },
	{ 0x0a, "SG" },
	{ 0x0b, "Optical pigtail" },
	{ 0x0c, "MPO Parallel Optic" },
	{ 0x0d, "MPO Parallel Optic - 2x16" },
	{ 0x20, "HSSDC II" },
	{ 0x21, "Copper pigtail" },
	{ 0x22, "RJ45" },
	{ 0x23, "No separable connector" },
	{ 0x24, "MXC 2x16" },
	{ 0x25, "CS optical connector" },
	{ 0x26, "Mini CS optical connector" },
	{ 0x27, "MPO 2x12" },
	{ 0x28, "MPO 1x16" },
};

/* SFF-8024 table 4-2, in SFF-8472's reading of codes 4-6. */
static const struct code encodings[] = {
	{ 0x00, "unspecified" },
	{ 0x01, "8B/10B" },
	{ 0x02, "4B/5B" },
	{ 0x03, "NRZ" },
	{ 0x04, "Manchester" },
	{ 0x05, "SONET Scrambled" },
	{ 0x06, "64B/66B" },
	{ 0x07, "(256B/257B (transcoded FEC-enabled data)" },
	{ 0x08, "PAM4" },
};

static const struct code rate_ids[] = {
	{ 0x00, "unspecified" },
	{ 0x01, "4/2/1G Rate_Select & AS0/AS1" },
	{ 0x02, "8/4/2G Rx Rate_Select only" },
	{ 0x03, "8/4/2G Independent Rx & Tx Rate_Select" },
	{ 0x04, "8/4/2G Tx Rate_Select only" },
};

/* A0h bytes 3-10: compliance codes, in 6.1's order. */
static const struct bitname transceivers[] = {
	{ 3, 7, "10G Ethernet: 10G Base-ER [SFF-8472 rev10.4 onwards]" },
	{ 3, 6, "10G Ethernet: 10G Base-LRM" },
	{ 3, 5, "10G Ethernet: 10G Base-LR" },
	{ 3, 4, "10G Ethernet: 10G Base-SR" },
	{ 3, 3, "Infiniband: 1X SX" },
	{ 3, 2, "Infiniband: 1X LX" },
	{ 3, 1, "Infiniband: 1X Copper Active" },
	{ 3, 0, "Infiniband: 1X Copper Passive" },
	{ 4, 7, "ESCON: ESCON MMF, 1310nm LED" },
	{ 4, 6, "ESCON: ESCON SMF, 1310nm Laser" },
	{ 4, 5, "SONET: OC-192, short reach" },
	{ 4, 4, "SONET: SONET reach specifier bit 1" },
	{ 4, 3, "SONET: SONET reach specifier bit 2" },
	{ 4, 2, "SONET: OC-48, long reach" },
	{ 4, 1, "SONET: OC-48, intermediate reach" },
	{ 4, 0, "SONET: OC-48, short reach" },
	{ 5, 6, "SONET: OC-12, single mode, long reach" },
	{ 5, 5, "SONET: OC-12, single mode, inter. reach" },
	{ 5, 4, "SONET: OC-12, short reach" },
	{ 5, 2, "SONET: OC-3, single mode, long reach" },
	{ 5, 1, "SONET: OC-3, single mode, inter. reach" },
	{ 5, 0, "SONET: OC-3, short reach" },
	{ 6, 7, "Ethernet: BASE-PX" },
	{ 6, 6, "Ethernet: BASE-BX10" },
	{ 6, 5, "Ethernet: 100BASE-FX" },
	{ 6, 4, "Ethernet: 100BASE-LX/LX10" },
	{ 6, 3, "Ethernet: 1000BASE-T" },
	{ 6, 2, "Ethernet: 1000BASE-CX" },
	{ 6, 1, "Ethernet: 1000BASE-LX" },
	{ 6, 0, "Ethernet: 1000BASE-SX" },
	{ 7, 7, "FC: very long distance (V)" },
	{ 7, 6, "FC: short distance (S)" },
	{ 7, 5, "FC: intermediate distance (I)" },
	{ 7, 4, "FC: long distance (L)" },
	{ 7, 3, "FC: medium distance (M)" },
	{ 7, 2, "FC: Shortwave laser, linear Rx (SA)" },
	{ 7, 1, "FC: Longwave laser (LC)" },
	{ 7, 0, "FC: Electrical inter-enclosure (EL)" },
	{ 8, 7, "FC: Electrical intra-enclosure (EL)" },
	{ 8, 6, "FC: Shortwave laser w/o OFC (SN)" },
	{ 8, 5, "FC: Shortwave laser with OFC (SL)" },
	{ 8, 4, "FC: Longwave laser (LL)" },
	{ 8, 3, "Active Cable" },
	{ 8, 2, "Passive Cable" },
	{ 8, 1, "FC: Copper FC-BaseT" },
	{ 9, 7, "FC: Twin Axial Pair (TW)" },
	{ 9, 6, "FC: Twisted Pair (TP)" },
	{ 9, 5, "FC: Miniature Coax (MI)" },
	{ 9, 4, "FC: Video Coax (TV)" },
	{ 9, 3, "FC: Multimode, 62.5um (M6)" },
	{ 9, 2, "FC: Multimode, 50um (M5)" },
	{ 9, 0, "FC: Single Mode (SM)" },
	{ 10, 7, "FC: 1200 MBytes/sec" },
	{ 10, 6, "FC: 800 MBytes/sec" },
	{ 10, 4, "FC: 400 MBytes/sec" },
	{ 10, 2, "FC: 200 MBytes/sec" },
	{ 10, 0, "FC: 100 MBytes/sec" },
};

/* A0h byte 36: SFF-8024 extended compliance codes. */
static const struct code ext_compliance[] = {
	{ 0x01, "100G AOC or 25GAUI C2M AOC with worst BER of 5x10^(-5)" },
	{ 0x02, "100G Base-SR4 or 25GBase-SR" },
	{ 0x03, "100G Base-LR4 or 25GBase-LR" },
	{ 0x04, "100G Base-ER4 or 25GBase-ER" },
	{ 0x08, "100G ACC or 25GAUI C2M ACC with worst BER of 5x10^(-5)" },
	{ 0x0b, "100G Base-CR4 or 25G Base-CR CA-L" },
	{ 0x0c, "25G Base-CR CA-S" },
	{ 0x0d, "25G Base-CR CA-N" },
	{ 0x16, "10Gbase-T with SFI electrical interface" },
	{ 0x18, "100G AOC or 25GAUI C2M AOC with worst BER of 10^(-12)" },
	{ 0x19, "100G ACC or 25GAUI C2M ACC with worst BER of 10^(-12)" },
	{ 0x1a,
	  "100GE-DWDM2 (DWDM transceiver using 2 wavelengths on a 1550 nm DWDM grid with a reach up to 80 km)" },
	{ 0x1b, "100G 1550nm WDM (4 wavelengths)" },
	{ 0x1c, "10Gbase-T Short Reach" },
	{ 0x1d, "5GBASE-T" },
	{ 0x1e, "2.5GBASE-T" },
	{ 0x1f, "40G SWDM4" },
	{ 0x20, "100G SWDM4" },
	{ 0x21, "100G PAM4 BiDi" },
	{ 0x22,
	  "4WDM-10 MSA (10km version of 100G CWDM4 with same RS(528,514) FEC in host system)" },
	{ 0x23,
	  "4WDM-20 MSA (20km version of 100GBASE-LR4 with RS(528,514) FEC in host system)" },
	{ 0x24,
	  "4WDM-40 MSA (40km reach with APD receiver and RS(528,514) FEC in host system)" },
	{ 0x25, "100GBASE-DR (clause 140), CAUI-4 (no FEC)" },
	{ 0x26, "100G-FR or 100GBASE-FR1 (clause 140), CAUI-4 (no FEC)" },
	{ 0x27, "100G-LR or 100GBASE-LR1 (clause 140), CAUI-4 (no FEC)" },
	{ 0x30,
	  "Active Copper Cable with 50GAUI, 100GAUI-2 or 200GAUI-4 C2M. Providing a worst BER of 10-6 or below" },
	{ 0x31,
	  "Active Optical Cable with 50GAUI, 100GAUI-2 or 200GAUI-4 C2M. Providing a worst BER of 10-6 or below" },
	{ 0x32,
	  "Active Copper Cable with 50GAUI, 100GAUI-2 or 200GAUI-4 C2M. Providing a worst BER of 2.6x10-4 for ACC, 10-5 for AUI, or below" },
	{ 0x33,
	  "Active Optical Cable with 50GAUI, 100GAUI-2 or 200GAUI-4 C2M. Providing a worst BER of 2.6x10-4 for ACC, 10-5 for AUI, or below" },
	{ 0x40, "50GBASE-CR, 100GBASE-CR2, or 200GBASE-CR4" },
	{ 0x41, "50GBASE-SR, 100GBASE-SR2, or 200GBASE-SR4" },
	{ 0x42, "50GBASE-FR or 200GBASE-DR4" },
	{ 0x43, "200GBASE-FR4" },
	{ 0x44, "200G 1550 nm PSM4" },
	{ 0x45, "50GBASE-LR" },
	{ 0x46, "200GBASE-LR4" },
	{ 0x50, "64GFC EA" },
	{ 0x51, "64GFC SW" },
	{ 0x52, "64GFC LW" },
	{ 0x53, "128GFC EA" },
	{ 0x54, "128GFC SW" },
	{ 0x55, "128GFC LW" },
};

/* A0h bytes 64-65: options, in 6.1's order. */
static const struct bitname options[] = {
	{ 65, 1, "RX_LOS implemented" },
	{ 65, 2, "RX_LOS implemented, inverted" },
	{ 65, 3, "TX_FAULT implemented" },
	{ 65, 4, "TX_DISABLE implemented" },
	{ 65, 5, "RATE_SELECT implemented" },
	{ 65, 6, "Tunable transmitter technology" },
	{ 65, 7, "Receiver decision threshold implemented" },
	{ 64, 0, "Linear receiver output implemented" },
	{ 64, 1, "Power level 2 requirement" },
	{ 64, 2, "Cooled transceiver implemented" },
	{ 64, 3, "Retimer or CDR implemented" },
	{ 64, 4, "Paging implemented" },
	{ 64, 5, "Power level 3 requirement" },
};

static void show_code(const char *name, uint8_t v, const struct code *t,
		      size_t n)
{
	et_sff_field(name);
	printf("0x%02x (%s)\n", v, code_name(t, n, v));
}

static void show_bits(const uint8_t *id, const char *name,
		      const struct bitname *t, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (!(id[t[i].byte] & (1u << t[i].bit)))
			continue;
		et_sff_field(name);
		printf("%s\n", t[i].name);
	}
}

void et_sff_show_connector(uint8_t v)
{
	show_code("Connector", v, connectors, N(connectors));
}

/* SFF-8636 reads codes 4-6 in another order than SFF-8472. */
void et_sff_show_encoding(uint8_t v, int qsfp)
{
	static const char *const q[3] = { "SONET Scrambled", "64B/66B",
					  "Manchester" };

	if (!qsfp || v < 4 || v > 6) {
		show_code("Encoding", v, encodings, N(encodings));
		return;
	}
	et_sff_field("Encoding");
	printf("0x%02x (%s)\n", v, q[v - 4]);
}

const char *et_sff_ext_compliance(uint8_t code)
{
	size_t i;

	for (i = 0; i < N(ext_compliance); i++)
		if (ext_compliance[i].v == code)
			return ext_compliance[i].name;
	return NULL;
}

void et_sff_show_identifier(uint8_t id)
{
	show_code("Identifier", id, identifiers, N(identifiers));
}

static void show_ext_identifier(uint8_t v)
{
	et_sff_field("Extended identifier");
	printf("0x%02x", v);
	if (v == 0x00)
		printf(" (GBIC not specified / not MOD_DEF compliant)\n");
	else if (v == 0x04)
		printf(" (GBIC/SFP defined by 2-wire interface ID)\n");
	else if (v <= 0x07)
		printf(" (GBIC compliant with MOD_DEF %u)\n", v);
	else
		printf(" (unknown)\n");
}

static void show_transceiver(const uint8_t *id)
{
	size_t i;

	et_sff_field("Transceiver codes");
	for (i = 3; i <= 10; i++)
		printf("0x%02x ", id[i]);
	printf("0x%02x\n", id[36]);
	show_bits(id, "Transceiver type", transceivers, N(transceivers));
	for (i = 0; i < N(ext_compliance); i++) {
		if (ext_compliance[i].v != id[36])
			continue;
		et_sff_field("Transceiver type");
		printf("Extended: %s\n", ext_compliance[i].name);
	}
}

void et_sff_show_unit(const char *name, unsigned int v, const char *unit)
{
	et_sff_field(name);
	printf("%u%s\n", v, unit);
}

/* Bytes 60-61: cable compliance (copper) or wavelength (optics). */
static void show_wavelength(const uint8_t *id)
{
	const char *what = NULL;

	if (id[8] & (1u << 2)) {
		et_sff_field("Passive Cu cmplnce.");
		what = id[60] == 0   ? "unspecified"
		       : id[60] == 1 ? "SFF-8431 appendix E"
				     : "unknown";
	} else if (id[8] & (1u << 3)) {
		et_sff_field("Active Cu cmplnce.");
		what = id[60] == 0   ? "unspecified"
		       : id[60] == 1 ? "SFF-8431 appendix E"
		       : id[60] == 4 ? "SFF-8431 limiting"
				     : "unknown";
	}
	if (what)
		printf("0x%02x (%s) [SFF-8472 rev10.4 only]\n", id[60], what);
	else
		et_sff_show_unit("Laser wavelength",
				 (unsigned int)id[60] << 8 | id[61], "nm");
}

/* Bytes @first..@last as text, trailing blanks dropped, others as '_'. */
void et_sff_show_ascii(const uint8_t *id, unsigned int first, unsigned int last,
		       const char *name)
{
	unsigned int i;

	et_sff_field(name);
	while (last >= first && id[last] == ' ')
		last--;
	for (i = first; i <= last && last >= first; i++)
		putchar(id[i] >= 32 && id[i] <= 126 ? id[i] : '_');
	putchar('\n');
}

static void show_lengths(const uint8_t *id)
{
	et_sff_show_unit("Length (SMF,km)", id[14], "km");
	et_sff_show_unit("Length (SMF)", id[15] * 100u, "m");
	et_sff_show_unit("Length (50um)", id[16] * 10u, "m");
	et_sff_show_unit("Length (62.5um)", id[17] * 10u, "m");
	et_sff_show_unit("Length (Copper)", id[18], "m");
	et_sff_show_unit("Length (OM3)", id[19] * 10u, "m");
}

/* Nominal bit rate and its margins: byte 12 (100 MBd units), or 66-67
 * when byte 12 is 0xff (250 MBd units, 6.1 then shows byte 67 twice). */
static void show_rates(const uint8_t *id, unsigned int *max, unsigned int *min)
{
	unsigned int nom = 0;

	*max = *min = 0;
	if (id[12] == 255) {
		nom = id[66] * 250u;
		*max = *min = id[67];
	} else if (id[12]) {
		nom = id[12] * 100u;
		*max = id[66];
		*min = id[67];
	}
	show_code("Encoding", id[11], encodings, N(encodings));
	et_sff_show_unit("BR, Nominal", nom, "MBd");
	show_code("Rate identifier", id[13], rate_ids, N(rate_ids));
}

static void show_a0(const uint8_t *id)
{
	unsigned int br_max, br_min;

	show_ext_identifier(id[1]);
	et_sff_show_connector(id[2]);
	show_transceiver(id);
	show_rates(id, &br_max, &br_min);
	show_lengths(id);
	show_wavelength(id);
	et_sff_show_ascii(id, 20, 35, "Vendor name");
	et_sff_field("Vendor OUI");
	printf("%02x:%02x:%02x\n", id[37], id[38], id[39]);
	et_sff_show_ascii(id, 40, 55, "Vendor PN");
	et_sff_show_ascii(id, 56, 59, "Vendor rev");
	et_sff_field("Option values");
	printf("0x%02x 0x%02x\n", id[64], id[65]);
	show_bits(id, "Option", options, N(options));
	et_sff_show_unit("BR margin, max", br_max, "%");
	et_sff_show_unit("BR margin, min", br_min, "%");
	et_sff_show_ascii(id, 68, 83, "Vendor SN");
	et_sff_show_ascii(id, 84, 91, "Date code");
}

static void page_copy(uint8_t *dst, const uint8_t *src, size_t len)
{
	memset(dst, 0, ET_SFP_PAGE);
	memcpy(dst, src, len < ET_SFP_PAGE ? len : ET_SFP_PAGE);
}

void et_sfp_show_id(const uint8_t *a0, size_t a0_len)
{
	uint8_t id[ET_SFP_PAGE];

	page_copy(id, a0, a0_len);
	et_sff_show_identifier(id[0]);
	/* soldered or pluggable SFP, ID in its 2-wire memory (SFF-8472 5) */
	if ((id[0] == 0x02 || id[0] == 0x03) && id[1] == 0x04)
		show_a0(id);
}

int et_sfp_has_diag(const uint8_t *a0, size_t a0_len)
{
	return a0_len > 92 && (a0[92] & (1u << 6));
}

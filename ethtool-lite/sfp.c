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

void et_sff_field(const char *name)
{
	printf("\t%-41s : ", name);
}

const uint8_t *et_sff_entry(const char **p, const char *end, size_t keys)
{
	const char *e = *p;

	if (e + keys >= end)
		return NULL;
	*p = e + keys + strlen(e + keys) + 1;
	return (const uint8_t *)e;
}

/* The name of code @v in table @t (one key byte an entry), or NULL. */
static const char *code_find(const char *t, size_t size, uint8_t v)
{
	const char *p = t;
	const uint8_t *k;

	while ((k = et_sff_entry(&p, t + size - 1, 1)))
		if (*k == v)
			return (const char *)k + 1;
	return NULL;
}

/* Tables of names below: each entry its key bytes, then its name. */
#define N(t) t, sizeof(t)

/* clang-format off */
static const char identifiers[] =
	"\x00" "no module present, unknown, or unspecified\0"
	"\x01" "GBIC\0"
	"\x02" "module soldered to motherboard\0"
	"\x03" "SFP\0"
	"\x04" "300 pin XBI\0"
	"\x05" "XENPAK\0"
	"\x06" "XFP\0"
	"\x07" "XFF\0"
	"\x08" "XFP-E\0"
	"\x09" "XPAK\0"
	"\x0a" "X2\0"
	"\x0b" "DWDM-SFP\0"
	"\x0c" "QSFP\0"
	"\x0d" "QSFP+\0"
	"\x0e" "CXP\0"
	"\x0f" "Shielded Mini Multilane HD 4X\0"
	"\x10" "Shielded Mini Multilane HD 8X\0"
	"\x11" "QSFP28\0"
	"\x12" "CXP2/CXP28\0"
	"\x13" "CDFP Style 1/Style 2\0"
	"\x14" "Shielded Mini Multilane HD 4X Fanout Cable\0"
	"\x15" "Shielded Mini Multilane HD 8X Fanout Cable\0"
	"\x16" "CDFP Style 3\0"
	"\x17" "microQSFP\0"
	"\x18" "QSFP-DD Double Density 8X Pluggable Transceiver (INF-8628)\0"
	"\x19" "OSFP 8X Pluggable Transceiver\0"
	"\x1b" "DSFP Dual Small Form Factor Pluggable Transceiver\0";
/* clang-format on */

/* clang-format off */
static const char connectors[] =
	"\x00" "unknown or unspecified\0"
	"\x01" "SC\0"
	"\x02" "Fibre Channel Style 1 copper\0"
	"\x03" "Fibre Channel Style 2 copper\0"
	"\x04" "BNC/TNC\0"
	"\x05" "Fibre Channel coaxial headers\0"
	"\x06" "FibreJack\0"
	"\x07" "LC\0"
	"\x08" "MT-RJ\0"
	"\x09" "MU\0"
	"\x0a" "SG\0"
	"\x0b" "Optical pigtail\0"
	"\x0c" "MPO Parallel Optic\0"
	"\x0d" "MPO Parallel Optic - 2x16\0"
	"\x20" "HSSDC II\0"
	"\x21" "Copper pigtail\0"
	"\x22" "RJ45\0"
	"\x23" "No separable connector\0"
	"\x24" "MXC 2x16\0"
	"\x25" "CS optical connector\0"
	"\x26" "Mini CS optical connector\0"
	"\x27" "MPO 2x12\0"
	"\x28" "MPO 1x16\0";
/* clang-format on */

/* SFF-8024 table 4-2, in SFF-8472's reading of codes 4-6. */
/* clang-format off */
static const char encodings[] =
	"\x00" "unspecified\0"
	"\x01" "8B/10B\0"
	"\x02" "4B/5B\0"
	"\x03" "NRZ\0"
	"\x04" "Manchester\0"
	"\x05" "SONET Scrambled\0"
	"\x06" "64B/66B\0"
	"\x07" "(256B/257B (transcoded FEC-enabled data)\0"
	"\x08" "PAM4\0";
/* clang-format on */

/* clang-format off */
static const char rate_ids[] =
	"\x00" "unspecified\0"
	"\x01" "4/2/1G Rate_Select & AS0/AS1\0"
	"\x02" "8/4/2G Rx Rate_Select only\0"
	"\x03" "8/4/2G Independent Rx & Tx Rate_Select\0"
	"\x04" "8/4/2G Tx Rate_Select only\0";
/* clang-format on */

/* A0h bytes 3-10: compliance codes, in 6.1's order. */
/* clang-format off */
static const char transceivers[] =
	"\x03\x07" "10G Ethernet: 10G Base-ER [SFF-8472 rev10.4 onwards]\0"
	"\x03\x06" "10G Ethernet: 10G Base-LRM\0"
	"\x03\x05" "10G Ethernet: 10G Base-LR\0"
	"\x03\x04" "10G Ethernet: 10G Base-SR\0"
	"\x03\x03" "Infiniband: 1X SX\0"
	"\x03\x02" "Infiniband: 1X LX\0"
	"\x03\x01" "Infiniband: 1X Copper Active\0"
	"\x03\x00" "Infiniband: 1X Copper Passive\0"
	"\x04\x07" "ESCON: ESCON MMF, 1310nm LED\0"
	"\x04\x06" "ESCON: ESCON SMF, 1310nm Laser\0"
	"\x04\x05" "SONET: OC-192, short reach\0"
	"\x04\x04" "SONET: SONET reach specifier bit 1\0"
	"\x04\x03" "SONET: SONET reach specifier bit 2\0"
	"\x04\x02" "SONET: OC-48, long reach\0"
	"\x04\x01" "SONET: OC-48, intermediate reach\0"
	"\x04\x00" "SONET: OC-48, short reach\0"
	"\x05\x06" "SONET: OC-12, single mode, long reach\0"
	"\x05\x05" "SONET: OC-12, single mode, inter. reach\0"
	"\x05\x04" "SONET: OC-12, short reach\0"
	"\x05\x02" "SONET: OC-3, single mode, long reach\0"
	"\x05\x01" "SONET: OC-3, single mode, inter. reach\0"
	"\x05\x00" "SONET: OC-3, short reach\0"
	"\x06\x07" "Ethernet: BASE-PX\0"
	"\x06\x06" "Ethernet: BASE-BX10\0"
	"\x06\x05" "Ethernet: 100BASE-FX\0"
	"\x06\x04" "Ethernet: 100BASE-LX/LX10\0"
	"\x06\x03" "Ethernet: 1000BASE-T\0"
	"\x06\x02" "Ethernet: 1000BASE-CX\0"
	"\x06\x01" "Ethernet: 1000BASE-LX\0"
	"\x06\x00" "Ethernet: 1000BASE-SX\0"
	"\x07\x07" "FC: very long distance (V)\0"
	"\x07\x06" "FC: short distance (S)\0"
	"\x07\x05" "FC: intermediate distance (I)\0"
	"\x07\x04" "FC: long distance (L)\0"
	"\x07\x03" "FC: medium distance (M)\0"
	"\x07\x02" "FC: Shortwave laser, linear Rx (SA)\0"
	"\x07\x01" "FC: Longwave laser (LC)\0"
	"\x07\x00" "FC: Electrical inter-enclosure (EL)\0"
	"\x08\x07" "FC: Electrical intra-enclosure (EL)\0"
	"\x08\x06" "FC: Shortwave laser w/o OFC (SN)\0"
	"\x08\x05" "FC: Shortwave laser with OFC (SL)\0"
	"\x08\x04" "FC: Longwave laser (LL)\0"
	"\x08\x03" "Active Cable\0"
	"\x08\x02" "Passive Cable\0"
	"\x08\x01" "FC: Copper FC-BaseT\0"
	"\x09\x07" "FC: Twin Axial Pair (TW)\0"
	"\x09\x06" "FC: Twisted Pair (TP)\0"
	"\x09\x05" "FC: Miniature Coax (MI)\0"
	"\x09\x04" "FC: Video Coax (TV)\0"
	"\x09\x03" "FC: Multimode, 62.5um (M6)\0"
	"\x09\x02" "FC: Multimode, 50um (M5)\0"
	"\x09\x00" "FC: Single Mode (SM)\0"
	"\x0a\x07" "FC: 1200 MBytes/sec\0"
	"\x0a\x06" "FC: 800 MBytes/sec\0"
	"\x0a\x04" "FC: 400 MBytes/sec\0"
	"\x0a\x02" "FC: 200 MBytes/sec\0"
	"\x0a\x00" "FC: 100 MBytes/sec\0";
/* clang-format on */

/* A0h byte 36: SFF-8024 extended compliance codes. */
/* clang-format off */
static const char ext_compliance[] =
	"\x01" "100G AOC or 25GAUI C2M AOC with worst BER of 5x10^(-5)\0"
	"\x02" "100G Base-SR4 or 25GBase-SR\0"
	"\x03" "100G Base-LR4 or 25GBase-LR\0"
	"\x04" "100G Base-ER4 or 25GBase-ER\0"
	"\x08" "100G ACC or 25GAUI C2M ACC with worst BER of 5x10^(-5)\0"
	"\x0b" "100G Base-CR4 or 25G Base-CR CA-L\0"
	"\x0c" "25G Base-CR CA-S\0"
	"\x0d" "25G Base-CR CA-N\0"
	"\x16" "10Gbase-T with SFI electrical interface\0"
	"\x18" "100G AOC or 25GAUI C2M AOC with worst BER of 10^(-12)\0"
	"\x19" "100G ACC or 25GAUI C2M ACC with worst BER of 10^(-12)\0"
	"\x1a" "100GE-DWDM2 (DWDM transceiver using 2 wavelengths on a 1550 nm DWDM grid with a reach up to 80 km)\0"
	"\x1b" "100G 1550nm WDM (4 wavelengths)\0"
	"\x1c" "10Gbase-T Short Reach\0"
	"\x1d" "5GBASE-T\0"
	"\x1e" "2.5GBASE-T\0"
	"\x1f" "40G SWDM4\0"
	"\x20" "100G SWDM4\0"
	"\x21" "100G PAM4 BiDi\0"
	"\x22" "4WDM-10 MSA (10km version of 100G CWDM4 with same RS(528,514) FEC in host system)\0"
	"\x23" "4WDM-20 MSA (20km version of 100GBASE-LR4 with RS(528,514) FEC in host system)\0"
	"\x24" "4WDM-40 MSA (40km reach with APD receiver and RS(528,514) FEC in host system)\0"
	"\x25" "100GBASE-DR (clause 140), CAUI-4 (no FEC)\0"
	"\x26" "100G-FR or 100GBASE-FR1 (clause 140), CAUI-4 (no FEC)\0"
	"\x27" "100G-LR or 100GBASE-LR1 (clause 140), CAUI-4 (no FEC)\0"
	"\x30" "Active Copper Cable with 50GAUI, 100GAUI-2 or 200GAUI-4 C2M. Providing a worst BER of 10-6 or below\0"
	"\x31" "Active Optical Cable with 50GAUI, 100GAUI-2 or 200GAUI-4 C2M. Providing a worst BER of 10-6 or below\0"
	"\x32" "Active Copper Cable with 50GAUI, 100GAUI-2 or 200GAUI-4 C2M. Providing a worst BER of 2.6x10-4 for ACC, 10-5 for AUI, or below\0"
	"\x33" "Active Optical Cable with 50GAUI, 100GAUI-2 or 200GAUI-4 C2M. Providing a worst BER of 2.6x10-4 for ACC, 10-5 for AUI, or below\0"
	"\x40" "50GBASE-CR, 100GBASE-CR2, or 200GBASE-CR4\0"
	"\x41" "50GBASE-SR, 100GBASE-SR2, or 200GBASE-SR4\0"
	"\x42" "50GBASE-FR or 200GBASE-DR4\0"
	"\x43" "200GBASE-FR4\0"
	"\x44" "200G 1550 nm PSM4\0"
	"\x45" "50GBASE-LR\0"
	"\x46" "200GBASE-LR4\0"
	"\x50" "64GFC EA\0"
	"\x51" "64GFC SW\0"
	"\x52" "64GFC LW\0"
	"\x53" "128GFC EA\0"
	"\x54" "128GFC SW\0"
	"\x55" "128GFC LW\0";
/* clang-format on */

/* A0h bytes 64-65: options, in 6.1's order. */
/* clang-format off */
static const char options[] =
	"\x41\x01" "RX_LOS implemented\0"
	"\x41\x02" "RX_LOS implemented, inverted\0"
	"\x41\x03" "TX_FAULT implemented\0"
	"\x41\x04" "TX_DISABLE implemented\0"
	"\x41\x05" "RATE_SELECT implemented\0"
	"\x41\x06" "Tunable transmitter technology\0"
	"\x41\x07" "Receiver decision threshold implemented\0"
	"\x40\x00" "Linear receiver output implemented\0"
	"\x40\x01" "Power level 2 requirement\0"
	"\x40\x02" "Cooled transceiver implemented\0"
	"\x40\x03" "Retimer or CDR implemented\0"
	"\x40\x04" "Paging implemented\0"
	"\x40\x05" "Power level 3 requirement\0";
/* clang-format on */

static void show_code(const char *name, uint8_t v, const char *t, size_t size)
{
	const char *n = code_find(t, size, v);

	et_sff_field(name);
	printf("0x%02x (%s)\n", v, n ? n : "reserved or unknown");
}

/* Table @t: byte of A0h, bit, name. */
static void show_bits(const uint8_t *id, const char *name, const char *t,
		      size_t size)
{
	const char *p = t;
	const uint8_t *k;

	while ((k = et_sff_entry(&p, t + size - 1, 2))) {
		if (!(id[k[0]] & (1u << k[1])))
			continue;
		et_sff_field(name);
		printf("%s\n", (const char *)k + 2);
	}
}

void et_sff_show_connector(uint8_t v)
{
	show_code("Connector", v, N(connectors));
}

/* SFF-8636 reads codes 4-6 in another order than SFF-8472. */
void et_sff_show_encoding(uint8_t v, int qsfp)
{
	static const char *const q[3] = { "SONET Scrambled", "64B/66B",
					  "Manchester" };

	if (!qsfp || v < 4 || v > 6) {
		show_code("Encoding", v, N(encodings));
		return;
	}
	et_sff_field("Encoding");
	printf("0x%02x (%s)\n", v, q[v - 4]);
}

const char *et_sff_ext_compliance(uint8_t code)
{
	return code_find(N(ext_compliance), code);
}

void et_sff_show_identifier(uint8_t id)
{
	show_code("Identifier", id, N(identifiers));
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
	const char *ext;
	size_t i;

	et_sff_field("Transceiver codes");
	for (i = 3; i <= 10; i++)
		printf("0x%02x ", id[i]);
	printf("0x%02x\n", id[36]);
	show_bits(id, "Transceiver type", N(transceivers));
	ext = code_find(N(ext_compliance), id[36]);
	if (ext) {
		et_sff_field("Transceiver type");
		printf("Extended: %s\n", ext);
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
	show_code("Encoding", id[11], N(encodings));
	et_sff_show_unit("BR, Nominal", nom, "MBd");
	show_code("Rate identifier", id[13], N(rate_ids));
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
	show_bits(id, "Option", N(options));
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

// SPDX-License-Identifier: MIT
/*
 * SFF-8636 (QSFP+, QSFP28) module memory in ethtool 6.1's words: upper
 * page 00h (identity, codes, lengths, vendor), the lower page's readings
 * per channel and flags, and the thresholds of upper page 03h when the
 * memory is paged.  Offsets are SFF-8636 rev 2.7's.  Pure: pages in, text
 * on stdout.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "sfp.h"

#define Q_N(t) (sizeof(t) / sizeof((t)[0]))

/* Page 00h (upper, 128-255) and lower page (0-127) offsets. */
#define Q_REV 0x01
#define Q_STATUS2 0x02
#define Q_PWR_MODE 0x5d
#define Q_EXT_ID 0x81
#define Q_CONNECTOR 0x82
#define Q_CODES 0x83 /* 8 bytes of compliance codes */
#define Q_ENCODING 0x8b
#define Q_TECH 0x93
#define Q_EXT_CODE 0xc0
#define Q_DIAG_TYPE 0xdc

/* Compliance codes (page 00h 131-138), in 6.1's order: byte, bit, name
 * (et_sff_entry()); the entry of byte 0 stands for bit 7 of 83h, the
 * extended code, printed at that place. */
/* clang-format off */
static const char q_codes[] =
	"\x83\x06" "10G Ethernet: 10G Base-LRM\0"
	"\x83\x05" "10G Ethernet: 10G Base-LR\0"
	"\x83\x04" "10G Ethernet: 10G Base-SR\0"
	"\x83\x03" "40G Ethernet: 40G Base-CR4\0"
	"\x83\x02" "40G Ethernet: 40G Base-SR4\0"
	"\x83\x01" "40G Ethernet: 40G Base-LR4\0"
	"\x83\x00" "40G Ethernet: 40G Active Cable (XLPPI)\0"
	"\x00\x00" "\0"
	"\x84\x03" "40G OTN (OTU3B/OTU3C)\0"
	"\x84\x02" "SONET: OC-48, long reach\0"
	"\x84\x01" "SONET: OC-48, intermediate reach\0"
	"\x84\x00" "SONET: OC-48, short reach\0"
	"\x85\x05" "SAS 6.0G\0"
	"\x85\x04" "SAS 3.0G\0"
	"\x86\x03" "Ethernet: 1000BASE-T\0"
	"\x86\x02" "Ethernet: 1000BASE-CX\0"
	"\x86\x01" "Ethernet: 1000BASE-LX\0"
	"\x86\x00" "Ethernet: 1000BASE-SX\0"
	"\x87\x07" "FC: very long distance (V)\0"
	"\x87\x06" "FC: short distance (S)\0"
	"\x87\x05" "FC: intermediate distance (I)\0"
	"\x87\x04" "FC: long distance (L)\0"
	"\x87\x03" "FC: medium distance (M)\0"
	"\x87\x01" "FC: Longwave laser (LC)\0"
	"\x87\x00" "FC: Electrical inter-enclosure (EL)\0"
	"\x88\x07" "FC: Electrical intra-enclosure (EL)\0"
	"\x88\x06" "FC: Shortwave laser w/o OFC (SN)\0"
	"\x88\x05" "FC: Shortwave laser with OFC (SL)\0"
	"\x88\x04" "FC: Longwave laser (LL)\0"
	"\x89\x07" "FC: Twin Axial Pair (TW)\0"
	"\x89\x06" "FC: Twisted Pair (TP)\0"
	"\x89\x05" "FC: Miniature Coax (MI)\0"
	"\x89\x04" "FC: Video Coax (TV)\0"
	"\x89\x03" "FC: Multimode, 62.5m (M6)\0"
	"\x89\x02" "FC: Multimode, 50m (M5)\0"
	"\x89\x01" "FC: Multimode, 50um (OM3)\0"
	"\x89\x00" "FC: Single Mode (SM)\0"
	"\x8a\x07" "FC: 1200 MBytes/sec\0"
	"\x8a\x06" "FC: 800 MBytes/sec\0"
	"\x8a\x05" "FC: 1600 MBytes/sec\0"
	"\x8a\x04" "FC: 400 MBytes/sec\0"
	"\x8a\x02" "FC: 200 MBytes/sec\0"
	"\x8a\x00" "FC: 100 MBytes/sec\0";
/* clang-format on */

/* Extended compliance codes (byte 192) where SFF-8636 words them its own
 * way; the others are SFF-8024's, as for SFP. */
/* clang-format off */
static const char q_ext[] =
	"\x01" "100G Ethernet: 100G AOC or 25GAUI C2M AOC with worst BER of 5x10^(-5)\0"
	"\x02" "100G Ethernet: 100G Base-SR4 or 25GBase-SR\0"
	"\x03" "100G Ethernet: 100G Base-LR4\0"
	"\x04" "100G Ethernet: 100G Base-ER4\0"
	"\x05" "100G Ethernet: 100G Base-SR10\0"
	"\x06" "100G Ethernet: 100G CWDM4 MSA with FEC\0"
	"\x07" "100G Ethernet: 100G PSM4 Parallel SMF\0"
	"\x08" "100G Ethernet: 100G ACC or 25GAUI C2M ACC with worst BER of 5x10^(-5)\0"
	"\x09" "100G Ethernet: 100G CWDM4 MSA without FEC\0"
	"\x0b" "100G Ethernet: 100G Base-CR4 or 25G Base-CR CA-L\0"
	"\x0c" "25G Ethernet: 25G Base-CR CA-S\0"
	"\x0d" "25G Ethernet: 25G Base-CR CA-N\0"
	"\x10" "40G Ethernet: 40G Base-ER4\0"
	"\x11" "4x10G Ethernet: 10G Base-SR\0"
	"\x12" "40G Ethernet: 40G PSM4 Parallel SMF\0"
	"\x13" "Ethernet: G959.1 profile P1I1-2D1 (10709 MBd, 2km, 1310nm SM)\0"
	"\x14" "Ethernet: G959.1 profile P1S1-2D2 (10709 MBd, 40km, 1550nm SM)\0"
	"\x15" "Ethernet: G959.1 profile P1L1-2D2 (10709 MBd, 80km, 1550nm SM)\0"
	"\x16" "10G Ethernet: 10G Base-T with SFI electrical interface\0"
	"\x17" "100G Ethernet: 100G CLR4\0"
	"\x18" "100G Ethernet: 100G AOC or 25GAUI C2M AOC with worst BER of 10^(-12)\0"
	"\x19" "100G Ethernet: 100G ACC or 25GAUI C2M ACC with worst BER of 10^(-12)\0"
	"\x1c" "10GBASE-T Short Reach (30 meters)\0";
/* clang-format on */

/* Transmitter technology, byte 147 bits 7-4. */
static const char *const q_tech[16] = {
	"850 nm VCSEL",
	"1310 nm VCSEL",
	"1550 nm VCSEL",
	"1310 nm FP",
	"1310 nm DFB",
	"1550 nm DFB",
	"1310 nm EML",
	"1550 nm EML",
	"Others/Undefined",
	"1490 nm DFB",
	"Copper cable unequalized",
	"Copper cable passive equalized",
	"Copper cable, near and far end limiting active equalizers",
	"Copper cable, far end limiting active equalizers",
	"Copper cable, near end limiting active equalizers",
	"Copper cable, linear active equalizers",
};

static const char *const q_rev[8] = {
	"Revision not specified",
	"SFF-8436 Rev 4.8 or earlier",
	"SFF-8436 Rev 4.8 or earlier",
	"SFF-8636 Rev 1.3 or earlier",
	"SFF-8636 Rev 1.4",
	"SFF-8636 Rev 1.5",
	"SFF-8636 Rev 2.0",
	"SFF-8636 Rev 2.5/2.6/2.7",
};

/* The 256-byte view 6.1 indexes: lower page, then upper page 00h. */
struct q_map {
	uint8_t p0[256];
	uint8_t p3[256]; /* upper page 03h at 128-255 */
	int has_p3;
};

static uint16_t q_be16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

/* "<label> :" without the space 6.1's "%s text" lines add themselves. */
static void q_prefix(const char *name)
{
	printf("\t%-41s :", name);
}

static void q_ext_id(const struct q_map *m)
{
	static const char *const pwr[4] = { "1.5W", "2.0W", "2.5W", "3.5W" };
	static const char *const epwr[4] = { "",
					     " 4.0W max. Power consumption,",
					     " 4.5W max. Power consumption, ",
					     " 5.0W max. Power consumption, " };
	const char *d = "Extended identifier description";
	uint8_t v = m->p0[Q_EXT_ID], pm = m->p0[Q_PWR_MODE];

	et_sff_field("Extended identifier");
	printf("0x%02x\n", v);
	q_prefix(d);
	printf(" %s max. Power consumption\n", pwr[v >> 6]);
	q_prefix(d);
	printf(" %s,", v & 0x08 ? "CDR present in TX" : "No CDR in TX");
	printf(" %s\n", v & 0x04 ? "CDR present in RX" : "No CDR in RX");
	q_prefix(d);
	printf("%s High Power Class (> 3.5 W) %s\n", epwr[v & 3],
	       pm & 0x04 ? "enabled" : "not enabled");
	et_sff_field("Power set");
	printf("%s\n", pm & 0x02 ? "On" : "Off");
	et_sff_field("Power override");
	printf("%s\n", pm & 0x01 ? "On" : "Off");
}

static const char *q_ext_name(uint8_t v)
{
	const char *p = q_ext;
	const uint8_t *k;

	while ((k = et_sff_entry(&p, q_ext + sizeof(q_ext) - 1, 1)))
		if (*k == v)
			return (const char *)k + 1;
	if (v < 0x1a) /* 6.1 has none of SFF-8024's names below 1Ah */
		return NULL;
	return et_sff_ext_compliance(v);
}

static void q_transceiver(const uint8_t *p)
{
	const char *n, *t = q_codes;
	const uint8_t *k;
	size_t i;

	et_sff_field("Transceiver codes");
	for (i = 0; i < 8; i++)
		printf(i < 7 ? "0x%02x " : "0x%02x\n", p[Q_CODES + i]);
	while ((k = et_sff_entry(&t, q_codes + sizeof(q_codes) - 1, 2))) {
		if (!k[0]) {
			if (!(p[Q_CODES] & 0x80))
				continue;
			n = q_ext_name(p[Q_EXT_CODE]);
			q_prefix("Transceiver type");
			printf(" %s\n", n ? n : "(reserved or unknown)");
		} else if (p[k[0]] & (1u << k[1])) {
			q_prefix("Transceiver type");
			printf(" %s\n", (const char *)k + 2);
		}
	}
}

static void q_wavelength(const uint8_t *p)
{
	static const char *const att[4] = { "2.5GHz", "5.0GHz", "7.0GHz",
					    "12.9GHz" };
	unsigned int tech = p[Q_TECH] >> 4, i;
	char name[32];

	et_sff_field("Transmitter technology");
	printf("0x%02x (%s)\n", tech << 4, q_tech[tech]);
	if (tech >= 10) {
		for (i = 0; i < 4; i++) {
			snprintf(name, sizeof(name), "Attenuation at %s",
				 att[i]);
			et_sff_field(name);
			printf("%udb\n", p[0xba + i]);
		}
		return;
	}
	et_sff_field("Laser wavelength");
	printf("%.3lfnm\n", q_be16(p + 0xba) * 0.05);
	et_sff_field("Laser wavelength tolerance");
	printf("%.3lfnm\n", q_be16(p + 0xbc) * 0.005);
}

static void q_page0(const uint8_t *p)
{
	q_transceiver(p);
	et_sff_show_encoding(p[Q_ENCODING], 1);
	et_sff_show_unit("BR, Nominal", p[0x8c] * 100u, "Mbps");
	et_sff_field("Rate identifier");
	printf("0x%02x\n", p[0x8d]);
	et_sff_show_unit("Length (SMF,km)", p[0x8e], "km");
	et_sff_show_unit("Length (OM3 50um)", p[0x8f] * 2u, "m");
	et_sff_show_unit("Length (OM2 50um)", p[0x90], "m");
	et_sff_show_unit("Length (OM1 62.5um)", p[0x91], "m");
	et_sff_show_unit("Length (Copper or Active cable)", p[0x92], "m");
	q_wavelength(p);
	et_sff_show_ascii(p, 0x94, 0xa3, "Vendor name");
	et_sff_field("Vendor OUI");
	printf("%02x:%02x:%02x\n", p[0xa5], p[0xa6], p[0xa7]);
	et_sff_show_ascii(p, 0xa8, 0xb7, "Vendor PN");
	et_sff_show_ascii(p, 0xb8, 0xb9, "Vendor rev");
	et_sff_show_ascii(p, 0xc4, 0xd3, "Vendor SN");
	et_sff_show_ascii(p, 0xd4, 0xdb, "Date code");
	q_prefix("Revision Compliance");
	printf(" %s\n", p[Q_REV] < 8 ? q_rev[p[Q_REV]] : "Unallocated");
}

/* Alarm and warning flags of the lower page (bytes 6-14), in 6.1's
 * order and words. */
static const char *const q_lvl[4] = { "high alarm", "low alarm", "high warning",
				      "low warning" };

static void q_flag(const char *name, int on)
{
	et_sff_field(name);
	printf("%s\n", on ? "On" : "Off");
}

/* One quantity's four flags on each of the four channels: bytes @byte
 * (channels 1-2) and @byte + 1 (3-4), high nibble first. */
static void q_chan_flags(const uint8_t *p, const char *fmt, uint8_t byte)
{
	char name[64];
	unsigned int c, k;

	for (c = 0; c < 4; c++) {
		for (k = 0; k < 4; k++) {
			snprintf(name, sizeof(name), fmt, q_lvl[k], c + 1);
			q_flag(name,
			       p[byte + c / 2] >> ((c & 1 ? 3 : 7) - k) & 1);
		}
	}
}

static void q_mod_flags(const uint8_t *p, const char *what, uint8_t byte)
{
	char name[64];
	unsigned int k;

	for (k = 0; k < 4; k++) {
		snprintf(name, sizeof(name), "Module %s %s", what, q_lvl[k]);
		q_flag(name, p[byte] >> (7 - k) & 1);
	}
}

static void q_flags(const uint8_t *p)
{
	q_chan_flags(p, "Laser bias current %-12s (Chan %u)", 0x0b);
	q_mod_flags(p, "temperature", 0x06);
	q_mod_flags(p, "voltage", 0x07);
	q_chan_flags(p, "Laser tx power %-12s (Channel %u)", 0x0d);
	q_chan_flags(p, "Laser rx power %-12s (Channel %u)", 0x09);
}

/* Thresholds of upper page 03h: temperature, voltage, rx power, bias, tx
 * power at 128, 144, 176, 184, 192; each high/low alarm, high/low warn. */
static void q_thresholds(const uint8_t *p3, struct et_sff_diag *d)
{
	static const uint8_t lvl[4] = { ET_SFF_HALRM, ET_SFF_LALRM,
					ET_SFF_HWARN, ET_SFF_LWARN };
	unsigned int k;

	for (k = 0; k < 4; k++) {
		d->temp[lvl[k]] = (int16_t)q_be16(p3 + 0x80 + 2 * k);
		d->vcc[lvl[k]] = q_be16(p3 + 0x90 + 2 * k);
		d->rx[lvl[k]] = q_be16(p3 + 0xb0 + 2 * k);
		d->bias[lvl[k]] = q_be16(p3 + 0xb8 + 2 * k);
		d->tx[lvl[k]] = q_be16(p3 + 0xc0 + 2 * k);
	}
}

static void q_channels(const struct q_map *m)
{
	const uint8_t *p = m->p0;
	char name[42]; /* 6.1's MAX_DESC_SIZE: longer names are cut */
	unsigned int c;

	for (c = 0; c < 4; c++) {
		snprintf(name, sizeof(name), "%s (Channel %u)",
			 "Laser tx bias current", c + 1);
		et_sff_pr_bias(name, q_be16(p + 0x2a + 2 * c));
	}
	for (c = 0; c < 4; c++) {
		snprintf(name, sizeof(name), "%s (Channel %u)",
			 "Transmit avg optical power", c + 1);
		et_sff_pr_power(name, q_be16(p + 0x32 + 2 * c));
	}
	for (c = 0; c < 4; c++) {
		snprintf(name, sizeof(name), "%s(Channel %u)",
			 p[Q_DIAG_TYPE] & 0x08 ? "Rcvr signal avg optical power"
					       : "Receiver signal OMA",
			 c + 1);
		et_sff_pr_power(name, q_be16(p + 0x22 + 2 * c));
	}
}

static void q_dom(const struct q_map *m)
{
	struct et_sff_diag d;

	memset(&d, 0, sizeof(d));
	d.temp[ET_SFF_MCURR] = (int16_t)q_be16(m->p0 + 0x16);
	d.vcc[ET_SFF_MCURR] = q_be16(m->p0 + 0x1a);
	if (m->has_p3)
		q_thresholds(m->p3, &d);
	et_sff_pr_temp("Module temperature", d.temp[ET_SFF_MCURR]);
	et_sff_pr_vcc("Module voltage", d.vcc[ET_SFF_MCURR]);
	/* 6.1 takes a temperature of 0 or -1/256 C for "no monitors" */
	if (d.temp[ET_SFF_MCURR] == 0 || d.temp[ET_SFF_MCURR] == -1)
		return;
	et_sff_field("Alarm/warning flags implemented");
	printf("%s\n", m->has_p3 ? "Yes" : "No");
	q_channels(m);
	if (!m->has_p3)
		return;
	q_flags(m->p0);
	et_sff_show_thresholds(&d);
}

int et_qsfp_has_page3(const uint8_t *lower)
{
	return !(lower[Q_STATUS2] & 0x04);
}

void et_qsfp_show(const uint8_t *lower, const uint8_t *upper0,
		  const uint8_t *upper3)
{
	struct q_map m;

	memcpy(m.p0, lower, ET_QSFP_PAGE);
	memcpy(m.p0 + ET_QSFP_PAGE, upper0, ET_QSFP_PAGE);
	memset(m.p3, 0, sizeof(m.p3));
	m.has_p3 = upper3 != NULL;
	if (upper3)
		memcpy(m.p3 + ET_QSFP_PAGE, upper3, ET_QSFP_PAGE);
	et_sff_show_identifier(lower[0]);
	if (lower[0] != ET_SFF_ID_QSFP && lower[0] != ET_SFF_ID_QSFP_PLUS &&
	    lower[0] != ET_SFF_ID_QSFP28)
		return;
	q_ext_id(&m);
	et_sff_show_connector(m.p0[Q_CONNECTOR]);
	q_page0(m.p0);
	q_dom(&m);
}

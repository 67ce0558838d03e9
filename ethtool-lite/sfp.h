/* SPDX-License-Identifier: MIT */
/*
 * Decoders of SFP module memory (SFF-8079 A0h, SFF-8472 A2h diagnostics)
 * as ethtool 6.1's -m prints them.  Pure: bytes in, text on stdout.
 */
#ifndef ET_SFP_H
#define ET_SFP_H

#include <stddef.h>
#include <stdint.h>

#define ET_SFP_PAGE 256 /* one I2C address: A0h or A2h */

/* SFF-8024 identifier byte: the type of module. */
#define ET_SFF_ID_SFP 0x03

/* A0h (@a0_len bytes, zero-padded to 256): identity and capabilities. */
void et_sfp_show_id(const uint8_t *a0, size_t a0_len);

/* True if A0h says the module has the A2h diagnostics page. */
int et_sfp_has_diag(const uint8_t *a0, size_t a0_len);

/* SFF-8472 diagnostics from A0h and A2h (each zero-padded to 256). */
void et_sfp_show_diag(const uint8_t *a0, size_t a0_len, const uint8_t *a2,
		      size_t a2_len);

/* -- shared with sff8636.c: ethtool 6.1's field lines ------------------- */

/* "\t%-41s : ": the start of every line. */
void et_sff_field(const char *name);
/* "Identifier", "Connector", "Encoding" lines: 0xNN (SFF-8024 name);
 * @qsfp: SFF-8636's reading of encodings 4-6. */
void et_sff_show_identifier(uint8_t id);
void et_sff_show_connector(uint8_t v);
void et_sff_show_encoding(uint8_t v, int qsfp);
/* "NAME : <v><unit>" */
void et_sff_show_unit(const char *name, unsigned int v, const char *unit);
/* Bytes @first..@last of @id as text: trailing blanks dropped, bytes
 * outside printable ASCII as '_'. */
void et_sff_show_ascii(const uint8_t *id, unsigned int first, unsigned int last,
		       const char *name);
/* SFF-8024 extended compliance code name, NULL if none. */
const char *et_sff_ext_compliance(uint8_t code);
/*
 * Name tables stored as one string (a pointer table costs 8 bytes a name
 * on 64-bit): each entry is @keys key bytes, a name and its NUL.  Returns
 * the entry at *@p (its key bytes, the name after them) and moves *@p to
 * the next; NULL at @end (the string's own NUL).
 */
const uint8_t *et_sff_entry(const char **p, const char *end, size_t keys);

/* Diagnostic values: thresholds by level, then the current reading. */
enum {
	ET_SFF_LWARN,
	ET_SFF_HWARN,
	ET_SFF_LALRM,
	ET_SFF_HALRM,
	ET_SFF_MCURR,
	ET_SFF_N_VAL
};
struct et_sff_diag {
	uint16_t vcc[ET_SFF_N_VAL], bias[ET_SFF_N_VAL], tx[ET_SFF_N_VAL],
		rx[ET_SFF_N_VAL];
	int16_t temp[ET_SFF_N_VAL];
};
/* One reading in 6.1's units: bias (2 uA), power (0.1 uW, with dBm),
 * temperature (1/256 C, with F), voltage (100 uV). */
void et_sff_pr_bias(const char *name, uint16_t v);
void et_sff_pr_power(const char *name, uint16_t v);
void et_sff_pr_temp(const char *name, int16_t v);
void et_sff_pr_vcc(const char *name, uint16_t v);
/* The 20 threshold lines (bias, tx power, temperature, voltage, rx). */
void et_sff_show_thresholds(const struct et_sff_diag *d);

/* SFF-8636 QSFP (sff8636.c): the lower page, upper page 00h and, if the
 * module has it (NULL: not), upper page 03h, 128 bytes each. */
#define ET_SFF_ID_QSFP 0x0c
#define ET_SFF_ID_QSFP_PLUS 0x0d
#define ET_SFF_ID_QSFP28 0x11
#define ET_QSFP_PAGE 128
void et_qsfp_show(const uint8_t *lower, const uint8_t *upper0,
		  const uint8_t *upper3);
/* Upper page 03h exists: memory is paged (lower byte 2, bit 2 clear). */
int et_qsfp_has_page3(const uint8_t *lower);

#endif

/* SPDX-License-Identifier: MIT */
/* ethtool-lite: output helpers shared by the command files. */
#ifndef ET_PRINT_H
#define ET_PRINT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "embnet/ethtool.h"

/* Link-mode bit classes, as ethtool 6.1 sorts the kernel's link modes. */
enum et_lm_class {
	ET_LM_REAL,
	ET_LM_AUTONEG,
	ET_LM_PORT,
	ET_LM_PAUSE,
	ET_LM_FEC,
};

enum et_lm_class et_lm_class(uint32_t bit);
bool et_lm_half(uint32_t bit);

/* "\tLABEL: NAME\n" or "\tLABEL: Unknown! (VAL)\n". */
void et_print_enum(const char *const *names, unsigned int n, unsigned int val,
		   const char *label);
/* The same for a name already looked up (NULL: unknown). */
void et_print_name(const char *name, unsigned int val, const char *label);

/* WoL letters "pumbagsf" of @opts, "d" for none, into @buf (16 bytes). */
const char *et_wol_letters(uint32_t opts, char *buf);

/* Names of ethtool 6.1's DEV output (settings.c). */
#define ET_N_DUPLEX (DUPLEX_FULL + 1)
#define ET_N_XCVR (XCVR_EXTERNAL + 1)
#define ET_N_MS_CFG (MASTER_SLAVE_CFG_SLAVE_FORCE + 1)
#define ET_N_MS_STATE (MASTER_SLAVE_STATE_ERR + 1)
extern const char *const et_names_duplex[ET_N_DUPLEX];
const char *et_port_name(unsigned int port); /* NULL: unknown */
extern const char *const et_names_xcvr[ET_N_XCVR];
extern const char *const et_names_ms_cfg[ET_N_MS_CFG];
extern const char *const et_names_ms_state[ET_N_MS_STATE];

/* Link extended (sub)state names as 6.1 prints them; NULL if unknown. */
const char *et_ext_state_name(unsigned int state);
const char *et_ext_substate_name(unsigned int state, unsigned int sub);

/* "\tMDI-X: ..." as ethtool 6.1's dump_mdix(). */
void et_print_mdix(uint8_t mdix, uint8_t ctrl);

/* ethtool 6.1's "bad command line argument(s)" lines; returns 1. */
int et_bad_args(void);

/* perror() with a negative errno, after stdout. */
void et_perror(const char *what, int err);

/*
 * Up to @max bytes of @s (to its NUL) on @f, control bytes as "\xNN":
 * kernel and driver strings (stat names, driver info, link modes, extack
 * text), which ethtool 6.1 prints raw, cannot drive the terminal.
 */
void et_print_str(FILE *f, const char *s, size_t max);

/* JSON: a string with escapes. */
void et_json_str(const char *s);

/*
 * One device's JSON object as ethtool 6.1 lays it out: et_json_open()
 * prints "[ {" and the "ifname" member, each et_json_*() one more member,
 * et_json_close() the end.  Lists: et_json_list_open(), items, close.
 */
void et_json_open(const char *ifname);
void et_json_close(void);
/* ",\n        \"KEY\": ": a member whose value the caller prints. */
void et_json_key(const char *key);
void et_json_u32(const char *key, uint32_t v);
void et_json_bool(const char *key, bool v);
void et_json_string(const char *key, const char *s); /* NULL: null */
void et_json_list_open(const char *key);
void et_json_list_item(bool first, const char *s);
void et_json_list_close(bool empty);

#endif

/* SPDX-License-Identifier: MIT */
/* ethtool-lite: output helpers shared by the command files. */
#ifndef ET_PRINT_H
#define ET_PRINT_H

#include <stdbool.h>
#include <stdint.h>

#include "ethtool.h"

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

/* WoL letters "pumbagsf" of @opts, "d" for none, into @buf (16 bytes). */
const char *et_wol_letters(uint32_t opts, char *buf);

/* JSON: a string with escapes. */
void et_json_str(const char *s);

#endif

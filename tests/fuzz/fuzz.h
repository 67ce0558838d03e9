/* SPDX-License-Identifier: MIT */
/*
 * What every libFuzzer target (tests/fuzz/NAME_fuzz.c) starts with: the
 * entry points that libFuzzer, or replay.c's main() where there is no
 * libFuzzer, calls (declared here for -Wmissing-prototypes), and CHECK(),
 * which ends the run on a broken invariant with its text.  A target
 * includes this first of its "..." headers (see HACKING.md, "A fuzz
 * target").
 */
#ifndef EMBNET_FUZZ_H
#define EMBNET_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

/* One input: @data, @size bytes, which the target must not keep; 0. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
/* Optional: once, before the first input, with main()'s arguments. */
int LLVMFuzzerInitialize(int *argc, char ***argv);

#define CHECK(c)                                                               \
	do {                                                                   \
		if (!(c)) {                                                    \
			fprintf(stderr, "invariant failed: %s\n", #c);         \
			abort();                                               \
		}                                                              \
	} while (0)

#endif

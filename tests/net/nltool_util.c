// SPDX-License-Identifier: MIT
/*
 * nltool util: strerror
 *              no-genl-exec PROG [ARG...]
 *              fake-exec PROG [ARG...]
 *              module-exec PROG [ARG...]
 *              rxfh-exec PROG [ARG...]
 *              rxnfc-exec PROG [ARG...]
 *
 * strerror prints "N<TAB>text" for errno 0..200 as this build's C library
 * words it: nltool is built with the libc of the programs under test, so
 * tests/net/libc_text.py reads their wording here.  no-genl-exec runs PROG
 * as on a kernel without generic netlink (nltool_seccomp.c); fake-exec
 * runs it with a fake device's pause and ring parameters (nltool_fake.c),
 * module-exec with a fake module, EEPROM, registers and self test
 * (nltool_fake_module.c), rxfh-exec with RSS (nltool_fake_rxfh.c),
 * rxnfc-exec with flow hash options and rules (nltool_fake_rxnfc.c).
 */
#include <stdio.h>
#include <string.h>

#include "nltool.h"

#define STRERROR_MAX 200

static int usage(void)
{
	fprintf(stderr,
		"usage: nltool util strerror | "
		"no-genl-exec PROG [ARG...] | fake-exec PROG [ARG...] | "
		"module-exec PROG [ARG...] | rxfh-exec PROG [ARG...] | "
		"rxnfc-exec PROG [ARG...]\n");
	return 2;
}

static int print_strerror(void)
{
	int n;

	for (n = 0; n <= STRERROR_MAX; n++)
		printf("%d\t%s\n", n, strerror(n));
	return fflush(stdout) == 0 ? 0 : 1;
}

int nltool_util(int argc, char **argv)
{
	if (argc == 2 && strcmp(argv[1], "strerror") == 0)
		return print_strerror();
	if (argc >= 3 && strcmp(argv[1], "no-genl-exec") == 0)
		return nltool_seccomp_no_genl_exec(argv + 2);
	if (argc >= 3 && strcmp(argv[1], "fake-exec") == 0)
		return nltool_fake_exec(argv + 2);
	if (argc >= 3 && strcmp(argv[1], "module-exec") == 0)
		return nltool_fake_module_exec(argv + 2);
	if (argc >= 3 && strcmp(argv[1], "rxfh-exec") == 0)
		return nltool_fake_rxfh_exec(argv + 2);
	if (argc >= 3 && strcmp(argv[1], "rxnfc-exec") == 0)
		return nltool_fake_rxnfc_exec(argv + 2);
	return usage();
}

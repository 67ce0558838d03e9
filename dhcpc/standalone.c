// SPDX-License-Identifier: MIT
/* The program of its own; embnet has multicall/main.c instead. */
#include "embnet/applets.h"

int main(int argc, char **argv)
{
	return dhcpc_main(argc, argv);
}

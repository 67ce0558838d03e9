// SPDX-License-Identifier: MIT
/* dhcpc6 as a program of its own; embnet has multicall/main.c instead. */
#include "embnet/applets.h"

int main(int argc, char **argv)
{
	return dhcpc6_main(argc, argv);
}

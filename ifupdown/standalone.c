// SPDX-License-Identifier: MIT
/* The program of its own; embnet has multicall/main.c instead. */
#include "applets.h"

int main(int argc, char **argv)
{
	return ifup_main(argc, argv);
}

// SPDX-License-Identifier: MIT
// sources: ethtool-lite/sfp.c ethtool-lite/sfp_diag.c ethtool-lite/sff8636.c
/*
 * -m's module memory on its own: the MODULE_EEPROM_GET request in ethtool
 * 6.1's attribute order and its reply (lib/ethtool_module.c), and the
 * SFF-8079/8472 and SFF-8636 decoders (ethtool-lite/sfp.c, sfp_diag.c,
 * sff8636.c) on recorded pages: an SFP optic with external calibration
 * and alarm flags set, and a QSFP28 with flags set and page 03h, both
 * built by tests/net/test_ethtool_module.py; sfp_want and qsfp_want are
 * what Debian's ethtool 6.1 (x86_64) printed for them (`-m` on the ioctl
 * path, under `nltool util module-exec`), recorded, not typed.  On s390x and
 * armhf this proves the byte order of every field and the float and
 * integer widths of the calibration against that x86_64 output.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <linux/ethtool_netlink.h>
#include <linux/genetlink.h>
#include <libmnl/libmnl.h>
#include <cmocka.h>

#include "embnet/ethtool_module.h"
#include "embnet/nl.h"
#include "capture.h"
#include "nlfix.h"

static const uint8_t sfp_a0[256] = {
	0x03, 0x04, 0x07, 0x10, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x06,
	0x67, 0x00, 0x00, 0x00, 0x08, 0x03, 0x00, 0x1e, 0x41, 0x43, 0x4d, 0x45,
	0x20, 0x4f, 0x50, 0x54, 0x49, 0x43, 0x53, 0x20, 0x20, 0x20, 0x20, 0x20,
	0x00, 0x00, 0x90, 0x65, 0x53, 0x46, 0x50, 0x2d, 0x31, 0x30, 0x47, 0x2d,
	0x53, 0x52, 0x20, 0x20, 0x20, 0x20, 0x20, 0x20, 0x41, 0x20, 0x20, 0x20,
	0x03, 0x52, 0x00, 0x97, 0x00, 0x1a, 0x00, 0x00, 0x41, 0x42, 0x43, 0x31,
	0x32, 0x33, 0x34, 0x35, 0x36, 0x37, 0x20, 0x20, 0x20, 0x20, 0x20, 0x20,
	0x32, 0x33, 0x30, 0x31, 0x31, 0x35, 0x20, 0x20, 0x78, 0xf0, 0x08, 0xe8,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00,
};

static const uint8_t sfp_a2[256] = {
	0x4b, 0x00, 0xfb, 0x00, 0x46, 0x00, 0x00, 0x00, 0x8c, 0xa0, 0x75, 0x30,
	0x88, 0xb8, 0x79, 0x18, 0x3a, 0x98, 0x07, 0xd0, 0x2e, 0xe0, 0x0b, 0xb8,
	0x27, 0x10, 0x03, 0xe8, 0x1f, 0x40, 0x05, 0xdc, 0x2e, 0xe0, 0x00, 0x64,
	0x27, 0x10, 0x00, 0xc8, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x3f, 0x00, 0x00, 0x00, 0x3f, 0xa0, 0x00, 0x00,
	0x40, 0x40, 0x00, 0x00, 0x01, 0x80, 0xff, 0x9c, 0x00, 0x80, 0x00, 0x32,
	0x01, 0x20, 0xfe, 0xd4, 0x01, 0x00, 0x00, 0x07, 0x00, 0x00, 0x00, 0xe2,
	0x23, 0x80, 0x80, 0xe8, 0x17, 0x70, 0x13, 0x88, 0x0f, 0xa0, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0xa5, 0x40, 0x00, 0x00, 0x5a, 0x80, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00,
};

static const char sfp_want[] =
	"\tIdentifier                                : 0x03 (SFP)\n"
	"\tExtended identifier                       : 0x04 (GBIC/SFP defined by 2-wire interface ID)\n"
	"\tConnector                                 : 0x07 (LC)\n"
	"\tTransceiver codes                         : 0x10 0x00 0x00 0x00 0x00 0x00 0x00 0x00 0x00\n"
	"\tTransceiver type                          : 10G Ethernet: 10G Base-SR\n"
	"\tEncoding                                  : 0x06 (64B/66B)\n"
	"\tBR, Nominal                               : 10300MBd\n"
	"\tRate identifier                           : 0x00 (unspecified)\n"
	"\tLength (SMF,km)                           : 0km\n"
	"\tLength (SMF)                              : 0m\n"
	"\tLength (50um)                             : 80m\n"
	"\tLength (62.5um)                           : 30m\n"
	"\tLength (Copper)                           : 0m\n"
	"\tLength (OM3)                              : 300m\n"
	"\tLaser wavelength                          : 850nm\n"
	"\tVendor name                               : ACME OPTICS\n"
	"\tVendor OUI                                : 00:90:65\n"
	"\tVendor PN                                 : SFP-10G-SR\n"
	"\tVendor rev                                : A\n"
	"\tOption values                             : 0x00 0x1a\n"
	"\tOption                                    : RX_LOS implemented\n"
	"\tOption                                    : TX_FAULT implemented\n"
	"\tOption                                    : TX_DISABLE implemented\n"
	"\tBR margin, max                            : 0%\n"
	"\tBR margin, min                            : 0%\n"
	"\tVendor SN                                 : ABC1234567\n"
	"\tDate code                                 : 230115\n"
	"\tOptical diagnostics support               : Yes\n"
	"\tLaser bias current                        : 17.800 mA\n"
	"\tLaser output power                        : 0.2550 mW / -5.93 dBm\n"
	"\tReceiver signal average optical power     : 0.7003 mW / -1.55 dBm\n"
	"\tModule temperature                        : 38.77 degrees C / 101.78 degrees F\n"
	"\tModule voltage                            : 3.3007 V\n"
	"\tAlarm/warning flags implemented           : Yes\n"
	"\tLaser bias current high alarm             : Off\n"
	"\tLaser bias current low alarm              : On\n"
	"\tLaser bias current high warning           : On\n"
	"\tLaser bias current low warning            : Off\n"
	"\tLaser output power high alarm             : Off\n"
	"\tLaser output power low alarm              : On\n"
	"\tLaser output power high warning           : On\n"
	"\tLaser output power low warning            : Off\n"
	"\tModule temperature high alarm             : On\n"
	"\tModule temperature low alarm              : Off\n"
	"\tModule temperature high warning           : Off\n"
	"\tModule temperature low warning            : On\n"
	"\tModule voltage high alarm                 : On\n"
	"\tModule voltage low alarm                  : Off\n"
	"\tModule voltage high warning               : Off\n"
	"\tModule voltage low warning                : On\n"
	"\tLaser rx power high alarm                 : Off\n"
	"\tLaser rx power low alarm                  : On\n"
	"\tLaser rx power high warning               : On\n"
	"\tLaser rx power low warning                : Off\n"
	"\tLaser bias current high alarm threshold   : 44.800 mA\n"
	"\tLaser bias current low alarm threshold    : 5.800 mA\n"
	"\tLaser bias current high warning threshold : 35.800 mA\n"
	"\tLaser bias current low warning threshold  : 8.800 mA\n"
	"\tLaser output power high alarm threshold   : 0.5050 mW / -2.97 dBm\n"
	"\tLaser output power low alarm threshold    : 0.0550 mW / -12.60 dBm\n"
	"\tLaser output power high warning threshold : 0.4050 mW / -3.93 dBm\n"
	"\tLaser output power low warning threshold  : 0.0800 mW / -10.97 dBm\n"
	"\tModule temperature high alarm threshold   : 83.20 degrees C / 181.77 degrees F\n"
	"\tModule temperature low alarm threshold    : -6.80 degrees C / 19.77 degrees F\n"
	"\tModule temperature high warning threshold : 77.58 degrees C / 171.64 degrees F\n"
	"\tModule temperature low warning threshold  : -1.17 degrees C / 29.89 degrees F\n"
	"\tModule voltage high alarm threshold       : 3.6007 V\n"
	"\tModule voltage low alarm threshold        : 3.0007 V\n"
	"\tModule voltage high warning threshold     : 3.5007 V\n"
	"\tModule voltage low warning threshold      : 3.1007 V\n"
	"\tLaser rx power high alarm threshold       : 2.1003 mW / 3.22 dBm\n"
	"\tLaser rx power low alarm threshold        : 0.0178 mW / -17.50 dBm\n"
	"\tLaser rx power high warning threshold     : 1.7503 mW / 2.43 dBm\n"
	"\tLaser rx power low warning threshold      : 0.0353 mW / -14.52 dBm\n";

static const uint8_t qsfp_p0[256] = {
	0x11, 0x07, 0x00, 0x00, 0x00, 0x00, 0xa0, 0x50, 0x00, 0x93, 0x6c, 0x5a,
	0xa5, 0x11, 0x22, 0x88, 0x44, 0x00, 0x00, 0x00, 0x00, 0x00, 0x21, 0x40,
	0x00, 0x00, 0x80, 0x84, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x17, 0xd4,
	0x18, 0x38, 0x00, 0x00, 0xff, 0xff, 0x1b, 0x58, 0x1b, 0xbc, 0x00, 0x00,
	0x00, 0x01, 0x14, 0x50, 0x14, 0xb4, 0x00, 0x00, 0x27, 0x10, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x04, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x11, 0xcc, 0x0c, 0x80,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x05, 0xff, 0x00, 0x00, 0x32,
	0x00, 0x00, 0x00, 0x00, 0x41, 0x43, 0x4d, 0x45, 0x20, 0x51, 0x53, 0x46,
	0x50, 0x20, 0x20, 0x20, 0x20, 0x20, 0x20, 0x20, 0x00, 0x00, 0x02, 0xc9,
	0x51, 0x53, 0x46, 0x50, 0x32, 0x38, 0x2d, 0x31, 0x30, 0x30, 0x47, 0x2d,
	0x53, 0x52, 0x34, 0x20, 0x41, 0x30, 0x66, 0x58, 0x03, 0xe8, 0x00, 0xa3,
	0x02, 0x00, 0x00, 0x00, 0x51, 0x53, 0x30, 0x30, 0x30, 0x30, 0x30, 0x30,
	0x31, 0x20, 0x20, 0x20, 0x20, 0x20, 0x20, 0x20, 0x32, 0x32, 0x30, 0x34,
	0x31, 0x35, 0x30, 0x31, 0x08, 0x00, 0x00, 0x6e, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00,
};

static const uint8_t qsfp_p3[128] = {
	0x4b, 0x00, 0xfb, 0x00, 0x46, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x8c, 0xa0, 0x75, 0x30, 0x88, 0xb8, 0x79, 0x18,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x4e, 0x20, 0x01, 0xf4, 0x3a, 0x98, 0x03, 0xe8, 0x9c, 0x40, 0x03, 0xe8,
	0x88, 0xb8, 0x07, 0xd0, 0x61, 0xa8, 0x03, 0x20, 0x4e, 0x20, 0x05, 0xdc,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
};

static const char qsfp_want[] =
	"\tIdentifier                                : 0x11 (QSFP28)\n"
	"\tExtended identifier                       : 0xcc\n"
	"\tExtended identifier description           : 3.5W max. Power consumption\n"
	"\tExtended identifier description           : CDR present in TX, CDR present in RX\n"
	"\tExtended identifier description           : High Power Class (> 3.5 W) enabled\n"
	"\tPower set                                 : Off\n"
	"\tPower override                            : Off\n"
	"\tConnector                                 : 0x0c (MPO Parallel Optic)\n"
	"\tTransceiver codes                         : 0x80 0x00 0x00 0x00 0x00 0x00 0x00 0x00\n"
	"\tTransceiver type                          : 100G Ethernet: 100G Base-SR4 or 25GBase-SR\n"
	"\tEncoding                                  : 0x05 (64B/66B)\n"
	"\tBR, Nominal                               : 25500Mbps\n"
	"\tRate identifier                           : 0x00\n"
	"\tLength (SMF,km)                           : 0km\n"
	"\tLength (OM3 50um)                         : 100m\n"
	"\tLength (OM2 50um)                         : 0m\n"
	"\tLength (OM1 62.5um)                       : 0m\n"
	"\tLength (Copper or Active cable)           : 0m\n"
	"\tTransmitter technology                    : 0x00 (850 nm VCSEL)\n"
	"\tLaser wavelength                          : 1310.000nm\n"
	"\tLaser wavelength tolerance                : 5.000nm\n"
	"\tVendor name                               : ACME QSFP\n"
	"\tVendor OUI                                : 00:02:c9\n"
	"\tVendor PN                                 : QSFP28-100G-SR4\n"
	"\tVendor rev                                : A0\n"
	"\tVendor SN                                 : QS0000001\n"
	"\tDate code                                 : 22041501\n"
	"\tRevision Compliance                       : SFF-8636 Rev 2.5/2.6/2.7\n"
	"\tModule temperature                        : 33.25 degrees C / 91.85 degrees F\n"
	"\tModule voltage                            : 3.2900 V\n"
	"\tAlarm/warning flags implemented           : Yes\n"
	"\tLaser tx bias current (Channel 1)         : 14.000 mA\n"
	"\tLaser tx bias current (Channel 2)         : 14.200 mA\n"
	"\tLaser tx bias current (Channel 3)         : 0.000 mA\n"
	"\tLaser tx bias current (Channel 4)         : 0.002 mA\n"
	"\tTransmit avg optical power (Channel 1)    : 0.5200 mW / -2.84 dBm\n"
	"\tTransmit avg optical power (Channel 2)    : 0.5300 mW / -2.76 dBm\n"
	"\tTransmit avg optical power (Channel 3)    : 0.0000 mW / -inf dBm\n"
	"\tTransmit avg optical power (Channel 4)    : 1.0000 mW / 0.00 dBm\n"
	"\tRcvr signal avg optical power(Channel 1)  : 0.6100 mW / -2.15 dBm\n"
	"\tRcvr signal avg optical power(Channel 2)  : 0.6200 mW / -2.08 dBm\n"
	"\tRcvr signal avg optical power(Channel 3)  : 0.0000 mW / -inf dBm\n"
	"\tRcvr signal avg optical power(Channel 4)  : 6.5535 mW / 8.16 dBm\n"
	"\tLaser bias current high alarm   (Chan 1)  : Off\n"
	"\tLaser bias current low alarm    (Chan 1)  : On\n"
	"\tLaser bias current high warning (Chan 1)  : Off\n"
	"\tLaser bias current low warning  (Chan 1)  : On\n"
	"\tLaser bias current high alarm   (Chan 2)  : On\n"
	"\tLaser bias current low alarm    (Chan 2)  : Off\n"
	"\tLaser bias current high warning (Chan 2)  : On\n"
	"\tLaser bias current low warning  (Chan 2)  : Off\n"
	"\tLaser bias current high alarm   (Chan 3)  : On\n"
	"\tLaser bias current low alarm    (Chan 3)  : Off\n"
	"\tLaser bias current high warning (Chan 3)  : On\n"
	"\tLaser bias current low warning  (Chan 3)  : Off\n"
	"\tLaser bias current high alarm   (Chan 4)  : Off\n"
	"\tLaser bias current low alarm    (Chan 4)  : On\n"
	"\tLaser bias current high warning (Chan 4)  : Off\n"
	"\tLaser bias current low warning  (Chan 4)  : On\n"
	"\tModule temperature high alarm             : On\n"
	"\tModule temperature low alarm              : Off\n"
	"\tModule temperature high warning           : On\n"
	"\tModule temperature low warning            : Off\n"
	"\tModule voltage high alarm                 : Off\n"
	"\tModule voltage low alarm                  : On\n"
	"\tModule voltage high warning               : Off\n"
	"\tModule voltage low warning                : On\n"
	"\tLaser tx power high alarm   (Channel 1)   : Off\n"
	"\tLaser tx power low alarm    (Channel 1)   : Off\n"
	"\tLaser tx power high warning (Channel 1)   : Off\n"
	"\tLaser tx power low warning  (Channel 1)   : On\n"
	"\tLaser tx power high alarm   (Channel 2)   : Off\n"
	"\tLaser tx power low alarm    (Channel 2)   : Off\n"
	"\tLaser tx power high warning (Channel 2)   : Off\n"
	"\tLaser tx power low warning  (Channel 2)   : On\n"
	"\tLaser tx power high alarm   (Channel 3)   : Off\n"
	"\tLaser tx power low alarm    (Channel 3)   : Off\n"
	"\tLaser tx power high warning (Channel 3)   : On\n"
	"\tLaser tx power low warning  (Channel 3)   : Off\n"
	"\tLaser tx power high alarm   (Channel 4)   : Off\n"
	"\tLaser tx power low alarm    (Channel 4)   : Off\n"
	"\tLaser tx power high warning (Channel 4)   : On\n"
	"\tLaser tx power low warning  (Channel 4)   : Off\n"
	"\tLaser rx power high alarm   (Channel 1)   : On\n"
	"\tLaser rx power low alarm    (Channel 1)   : Off\n"
	"\tLaser rx power high warning (Channel 1)   : Off\n"
	"\tLaser rx power low warning  (Channel 1)   : On\n"
	"\tLaser rx power high alarm   (Channel 2)   : Off\n"
	"\tLaser rx power low alarm    (Channel 2)   : Off\n"
	"\tLaser rx power high warning (Channel 2)   : On\n"
	"\tLaser rx power low warning  (Channel 2)   : On\n"
	"\tLaser rx power high alarm   (Channel 3)   : Off\n"
	"\tLaser rx power low alarm    (Channel 3)   : On\n"
	"\tLaser rx power high warning (Channel 3)   : On\n"
	"\tLaser rx power low warning  (Channel 3)   : Off\n"
	"\tLaser rx power high alarm   (Channel 4)   : On\n"
	"\tLaser rx power low alarm    (Channel 4)   : On\n"
	"\tLaser rx power high warning (Channel 4)   : Off\n"
	"\tLaser rx power low warning  (Channel 4)   : Off\n"
	"\tLaser bias current high alarm threshold   : 80.000 mA\n"
	"\tLaser bias current low alarm threshold    : 2.000 mA\n"
	"\tLaser bias current high warning threshold : 70.000 mA\n"
	"\tLaser bias current low warning threshold  : 4.000 mA\n"
	"\tLaser output power high alarm threshold   : 2.5000 mW / 3.98 dBm\n"
	"\tLaser output power low alarm threshold    : 0.0800 mW / -10.97 dBm\n"
	"\tLaser output power high warning threshold : 2.0000 mW / 3.01 dBm\n"
	"\tLaser output power low warning threshold  : 0.1500 mW / -8.24 dBm\n"
	"\tModule temperature high alarm threshold   : 75.00 degrees C / 167.00 degrees F\n"
	"\tModule temperature low alarm threshold    : -5.00 degrees C / 23.00 degrees F\n"
	"\tModule temperature high warning threshold : 70.00 degrees C / 158.00 degrees F\n"
	"\tModule temperature low warning threshold  : 0.00 degrees C / 32.00 degrees F\n"
	"\tModule voltage high alarm threshold       : 3.6000 V\n"
	"\tModule voltage low alarm threshold        : 3.0000 V\n"
	"\tModule voltage high warning threshold     : 3.5000 V\n"
	"\tModule voltage low warning threshold      : 3.1000 V\n"
	"\tLaser rx power high alarm threshold       : 2.0000 mW / 3.01 dBm\n"
	"\tLaser rx power low alarm threshold        : 0.0500 mW / -13.01 dBm\n"
	"\tLaser rx power high warning threshold     : 1.5000 mW / 1.76 dBm\n"
	"\tLaser rx power low warning threshold      : 0.1000 mW / -10.00 dBm\n";

static void test_decode_qsfp_recorded(void **state)
{
	(void)state;
	capture(1);
	et_qsfp_show(qsfp_p0, qsfp_p0 + ET_QSFP_PAGE, qsfp_p3);
	assert_string_equal(captured(), qsfp_want);
	assert_true(et_qsfp_has_page3(qsfp_p0));
}

static void test_decode_recorded(void **state)
{
	(void)state;
	capture(1);
	et_sfp_show_id(sfp_a0, sizeof(sfp_a0));
	et_sfp_show_diag(sfp_a0, sizeof(sfp_a0), sfp_a2, sizeof(sfp_a2));
	assert_string_equal(captured(), sfp_want);
}

/* The netlink path reads 128 bytes of each page: the decoder must not
 * read past what it is given (ASan) and prints the same lower half. */
static void test_decode_short_pages(void **state)
{
	char want[CAPTURE_MAX];

	(void)state;
	capture(1);
	et_sfp_show_id(sfp_a0, 128);
	et_sfp_show_diag(sfp_a0, 128, sfp_a2, 128);
	snprintf(want, sizeof(want), "%s", captured());
	assert_string_equal(want, sfp_want);
	capture(1);
	et_sfp_show_id(sfp_a0, 1);
	et_sfp_show_diag(sfp_a0, 0, sfp_a2, 0);
	assert_string_equal(
		captured(),
		"\tIdentifier                                : "
		"0x03 (SFP)\n"
		"\tOptical diagnostics support               : No\n");
	assert_false(et_sfp_has_diag(sfp_a0, 92));
	assert_true(et_sfp_has_diag(sfp_a0, 93));
}

/* LENGTH, OFFSET, PAGE, BANK, I2C_ADDRESS: 6.1's order, which the
 * kernel's ext-ack offsets ("offset 36") count on. */
static void test_request_order(void **state)
{
	static const uint16_t want[] = { ETHTOOL_A_MODULE_EEPROM_LENGTH,
					 ETHTOOL_A_MODULE_EEPROM_OFFSET,
					 ETHTOOL_A_MODULE_EEPROM_PAGE,
					 ETHTOOL_A_MODULE_EEPROM_BANK,
					 ETHTOOL_A_MODULE_EEPROM_I2C_ADDRESS };
	struct nl_ethtool_module_req req = { .offset = 128,
					     .length = 16,
					     .page = 3,
					     .bank = 1,
					     .i2c_address = 0x51 };
	char buf[256] NL_ALIGNED;
	struct nlmsghdr *nlh;
	const struct nlattr *a;
	size_t n = 0;

	(void)state;
	nlh = nlfix_msg_start(buf, sizeof(buf), 30, NULL, GENL_HDRLEN);
	assert_int_equal(nl_ethtool_module_put(nlh, sizeof(buf), &req), 0);
	mnl_attr_for_each(a, nlh, GENL_HDRLEN) {
		assert_true(n < 5);
		assert_int_equal(mnl_attr_get_type(a), want[n]);
		n++;
	}
	assert_int_equal(n, 5);
	a = (const void *)((const char *)mnl_nlmsg_get_payload(nlh) +
			   GENL_HDRLEN);
	assert_int_equal(mnl_attr_get_u32(a), 16);
	assert_int_equal(nl_ethtool_module_put(nlh, nlh->nlmsg_len + 8, &req),
			 -EMSGSIZE);
}

static struct nlmsghdr *reply(char *buf, size_t len, const uint8_t *data,
			      size_t data_len)
{
	struct nlmsghdr *nlh = nlfix_msg_start(buf, len, 30, NULL, GENL_HDRLEN);
	struct nlattr *nest;

	nest = mnl_attr_nest_start(nlh, ETHTOOL_A_MODULE_EEPROM_HEADER);
	mnl_attr_put_strz(nlh, ETHTOOL_A_HEADER_DEV_NAME, "eth0");
	mnl_attr_nest_end(nlh, nest);
	if (data)
		mnl_attr_put(nlh, ETHTOOL_A_MODULE_EEPROM_DATA, data_len, data);
	return nlh;
}

static void test_reply_parse(void **state)
{
	char buf[512] NL_ALIGNED;
	uint8_t out[128];
	size_t len = 99;

	(void)state;
	memset(out, 0xee, sizeof(out));
	assert_int_equal(
		nl_ethtool_module_parse(reply(buf, sizeof(buf), sfp_a2, 128),
					out, sizeof(out), &len),
		0);
	assert_int_equal(len, 128);
	assert_memory_equal(out, sfp_a2, 128);
	/* more than asked for: refused, nothing past @out written */
	assert_int_equal(
		nl_ethtool_module_parse(reply(buf, sizeof(buf), sfp_a0, 129),
					out, sizeof(out), &len),
		-EMSGSIZE);
	assert_int_equal(
		nl_ethtool_module_parse(reply(buf, sizeof(buf), NULL, 0), out,
					sizeof(out), &len),
		-EBADMSG);
	/* a payload too short for the genetlink header */
	assert_int_equal(nl_ethtool_module_parse(
				 nlfix_msg_start(buf, sizeof(buf), 30, NULL, 2),
				 out, sizeof(out), &len),
			 -EBADMSG);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_decode_recorded),
		cmocka_unit_test(test_decode_short_pages),
		cmocka_unit_test(test_decode_qsfp_recorded),
		cmocka_unit_test(test_request_order),
		cmocka_unit_test(test_reply_parse),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

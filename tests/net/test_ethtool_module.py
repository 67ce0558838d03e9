"""ethtool-lite's -m decoder and the output of -m, -e, -d and -t against
Debian's ethtool 6.1, on a fake device: `nltool util module-exec`
(tests/net/nltool_fake_module.c) answers both tools' MODULE_EEPROM_GET
requests and SIOCETHTOOL ioctls for veth0 from a state file, so that they
see a transceiver module, a NIC EEPROM, registers and a self test that no
device of this kernel has.  The module pages are built here as SFF-8472
and SFF-8024 lay them out (checksums included), varied field by field;
every output is 6.1's own, compared byte for byte (stdout, stderr, exit
status), on the netlink path and on the ioctl path."""
import os
import struct
import subprocess

import pytest

import libc_text
from conftest import BUILD

OURS = os.path.join(BUILD, "bin", "ethtool")
THEIRS = "/usr/sbin/ethtool"
NLTOOL = os.path.join(BUILD, "tests", "nltool")
FAKE = [NLTOOL, "util", "module-exec"]
NO_GENL = [NLTOOL, "util", "no-genl-exec"]


def text(s, n):
    return s.encode("latin-1").ljust(n, b" ")[:n]


def a0(ident=0x03, ext=0x04, conn=0x07, trx=(0x10, 0, 0, 0, 0, 0, 0, 0),
       enc=0x06, br=103, rate=0, lens=(0, 0, 8, 3, 0, 30), ext_cc=0,
       vendor="ACME OPTICS", oui=(0x00, 0x90, 0x65), pn="SFP-10G-SR",
       rev="A", wl=(0x03, 0x52), opts=(0x00, 0x1a), br_mm=(0, 0),
       sn="ABC1234567", date="230115  ", diag=0x68, enh=0xf0):
    """A0h of an SFP (SFF-8472 table 4-1), CC_BASE and CC_EXT set."""
    b = bytearray(256)
    b[0], b[1], b[2] = ident, ext, conn
    b[3:11] = bytes(trx)
    b[11], b[12], b[13] = enc, br, rate
    b[14:20] = bytes(lens)
    b[20:36] = text(vendor, 16)
    b[36] = ext_cc
    b[37:40] = bytes(oui)
    b[40:56] = text(pn, 16)
    b[56:60] = text(rev, 4)
    b[60:62] = bytes(wl)
    b[63] = sum(b[0:63]) & 0xff
    b[64:66] = bytes(opts)
    b[66:68] = bytes(br_mm)
    b[68:84] = text(sn, 16)
    b[84:92] = text(date, 8)
    b[92], b[93], b[94] = diag, enh, 0x08
    b[95] = sum(b[64:95]) & 0xff
    return b


def a2(temp=35 * 256 + 128, vcc=33000, bias=6000, tx=5000, rx=4000,
       alarms=(0, 0), warnings=(0, 0), cal=None):
    """A2h (SFF-8472 table 9-5): thresholds, values, flags; @cal: the
    external calibration constants (rx floats 4..0, then slope/offset
    pairs for bias, tx, temperature, voltage)."""
    b = bytearray(256)
    thr = [(75, -5, 70, 0), (36000, 30000, 35000, 31000),
           (15000, 2000, 12000, 3000), (10000, 1000, 8000, 1500),
           (12000, 100, 10000, 200)]
    o = 0
    for k, row in enumerate(thr):
        for v in row:
            b[o:o + 2] = struct.pack(">h" if k == 0 else ">H",
                                     v * 256 if k == 0 else v)
            o += 2
    if cal:
        rxf, pairs = cal
        b[56:76] = struct.pack(">5f", *rxf)
        for i, (slope, off) in enumerate(pairs):
            b[76 + 4 * i:80 + 4 * i] = struct.pack(">Hh", slope, off)
    b[95] = sum(b[0:95]) & 0xff
    b[96:106] = struct.pack(">hHHHH", temp, vcc, bias, tx, rx)
    b[112:114] = bytes(alarms)
    b[116:118] = bytes(warnings)
    return b


def state(path, pages, modinfo=(2, 512), extra=""):
    lines = [f"mem {i2c} {page} 0 {data.hex()}" for i2c, page, data in pages]
    if modinfo:
        lines.append(f"modinfo {modinfo[0]} {modinfo[1]}")
    path.write_text("\n".join(lines) + "\n" + extra)


@pytest.fixture
def fake(ns, tmp_path):
    for tool in (OURS, THEIRS):
        if not os.path.exists(tool):
            pytest.skip(f"{tool} missing")
    path = tmp_path / "module"
    env = dict(os.environ, EMBNET_FAKE_DEV="veth0",
               EMBNET_FAKE_MODULE=str(path))
    return ns, path, env


def run(fake, tool, args, ioctl=False):
    ns, _, env = fake
    argv = ["ip", "netns", "exec", ns.name, *FAKE,
            *(NO_GENL if ioctl else []), tool, *args]
    r = subprocess.run(argv, capture_output=True, env=env, timeout=30)
    out = (r.stdout.decode("latin-1"), r.stderr.decode("latin-1"),
           r.returncode)
    return libc_text.as_ours(out) if tool == THEIRS else out


def same(fake, args, ioctl=False):
    theirs = run(fake, THEIRS, args, ioctl)
    assert run(fake, OURS, args, ioctl) == theirs, \
        f"{' '.join(args)}{' (ioctl)' if ioctl else ''}"
    return theirs


READS = [["-m", "veth0"], ["-m", "veth0", "hex", "on"],
         ["-m", "veth0", "raw", "on"], ["-m", "veth0", "i2c", "0x51"],
         ["-m", "veth0", "i2c", "0x51", "hex", "on"],
         ["-m", "veth0", "offset", "128", "length", "16"],
         ["-m", "veth0", "i2c", "0x51", "offset", "96", "length", "10",
          "raw", "on"],
         ["-m", "veth0", "page", "2"]]
IOCTL_READS = [["-m", "veth0"], ["-m", "veth0", "hex", "on"],
               ["-m", "veth0", "offset", "256", "length", "32"],
               ["-m", "veth0", "length", "100"],
               ["-m", "veth0", "raw", "on", "offset", "500"]]


def all_reads(fake):
    for args in READS:
        same(fake, args)
    for args in IOCTL_READS:
        same(fake, args, ioctl=True)


# A0h variations: each changes what one part of the decoder prints.
SFP_CASES = {
    "sr_optic": {},
    "passive_dac": dict(trx=(0, 0, 0, 0, 0, 0x04, 0, 0), wl=(0x01, 0),
                        conn=0x21, ext_cc=0x0c, diag=0),
    "active_cable": dict(trx=(0, 0, 0, 0, 0, 0x08, 0, 0), wl=(0x04, 0),
                         ext_cc=0x18),
    "all_codes": dict(trx=(0xff,) * 8, opts=(0x3f, 0xfe), ext_cc=0x55),
    "gbe_lx": dict(trx=(0, 0, 0, 0x02, 0, 0, 0, 0), enc=0x01, br=13,
                   lens=(10, 100, 55, 55, 0, 0), wl=(0x05, 0x1e),
                   rate=0x02, br_mm=(5, 10)),
    "br_ff": dict(br=0xff, br_mm=(103, 7), enc=0x08, rate=0x07),
    "odd_text": dict(vendor="A\x01B\xffC", pn="", rev="    ", sn="x" * 16,
                     date="\x7f1"),
    "codes_unknown": dict(conn=0x55, enc=0x42, ext=0x09),
    "ext_mod_def": dict(ext=0x03),
    "soldered": dict(ident=0x02),
    "not_2wire": dict(ext=0x00),
    "no_alarms": dict(enh=0x70),
    "ext_cal": dict(diag=0x78),
    "oma": dict(diag=0x60),
}


@pytest.mark.parametrize("case", sorted(SFP_CASES))
def test_sfp_pages(fake, case):
    alarms = case == "ext_cal"
    cal = ((0.0, 0.0, 0.5, 1.25, 3.0),
           [(0x0180, -100), (0x0080, 50), (0x0120, -300), (0x0100, 7)])
    state(fake[1], [(0x50, 0, a0(**SFP_CASES[case])),
                    (0x51, 0, a2(alarms=(0xa5, 0x40) if alarms else (0, 0),
                                 warnings=(0x5a, 0x80), cal=cal))])
    all_reads(fake)


def test_sfp_values(fake):
    # Diagnostics across their ranges: negative and zero temperatures,
    # no light (-inf dBm), exactly 1 mW (0.00 dBm), the largest readings.
    for kw in (dict(temp=-40 * 256 - 1), dict(temp=0, rx=0, tx=10000),
               dict(temp=0x7fff, vcc=0xffff, bias=0xffff, tx=0xffff,
                    rx=0xffff), dict(tx=1, rx=10)):
        state(fake[1], [(0x50, 0, a0()), (0x51, 0, a2(**kw))])
        all_reads(fake)


@pytest.mark.parametrize("ident", [0x00, 0x01, 0x06, 0x0b, 0x1a, 0x80])
def test_other_identifiers(fake, ident):
    # Memory maps 6.1 has no decoder for: its first 128 bytes in hex on
    # the netlink path; on the ioctl path the SFF-8079 identifier line.
    page = a0(ident=ident)
    state(fake[1], [(0x50, 0, page)], modinfo=(1, 256))
    all_reads(fake)


def test_no_a2_page(fake):
    # A0h announces diagnostics the module does not answer (I/O error).
    state(fake[1], [(0x50, 0, a0())], modinfo=(1, 256))
    all_reads(fake)


def test_modinfo_types(fake):
    for modinfo in ((7, 256), (2, 640), (1, 128)):
        state(fake[1], [(0x50, 0, a0()), (0x51, 0, a2())], modinfo=modinfo)
        for args in IOCTL_READS:
            same(fake, args, ioctl=True)


def test_nic_eeprom_regs_selftest(fake):
    # -e, -d and -t of a NIC that has them: hex tables, raw bytes, the
    # results table, a failed test's exit status.
    for flags, results in (("0", "Register_test 0\nresult Link_test 1"),
                           ("1", "Loopback 4294967295"), ("0", "")):
        extra = (f"drv e1000e\neeprom {bytes(range(70)).hex()}\n"
                 f"regs 3 {bytes(range(255, 185, -1)).hex()}\n"
                 f"test {flags}\n" +
                 (f"result {results}\n" if results else ""))
        state(fake[1], [], modinfo=None, extra=extra)
        for args in (["-e", "veth0"], ["-e", "veth0", "offset", "5",
                                       "length", "20"],
                     ["-e", "veth0", "raw", "on", "offset", "60"],
                     ["-e", "veth0", "offset", "80"],
                     ["-e", "veth0", "length", "100"],
                     ["-d", "veth0", "hex", "on"], ["-d", "veth0", "raw", "on"],
                     ["-t", "veth0"], ["-t", "veth0", "online"],
                     ["-t", "veth0", "external_lb"], ["-i", "veth0"],
                     ["-E", "veth0", "magic", "0x8086", "offset", "3",
                      "value", "5"],
                     ["-E", "veth0", "offset", "60", "length", "20"]):
            same(fake, args)


def qsfp(ident=0x11, rev=0x07, flat=False, temp=33 * 256 + 64, vcc=32900,
         chans=((6100, 7000, 5200), (6200, 7100, 5300), (0, 0, 0),
                (65535, 1, 10000)), flags=bytes(15), pwr_mode=0x04,
         ext_id=0xcc, conn=0x0c, codes=(0x80, 0, 0, 0, 0, 0, 0, 0),
         enc=0x05, br=255, lens=(0, 50, 0, 0, 0), tech=0x00,
         wl=(0x66, 0x58), tol=(0x03, 0xe8), vendor="ACME QSFP",
         oui=(0x00, 0x02, 0xc9), pn="QSFP28-100G-SR4", vrev="A0",
         ext_code=0x02, sn="QS0000001", date="22041501", diag=0x08):
    """(lower + upper page 00h, upper page 03h) of an SFF-8636 module
    (rev 2.7 tables 6-1, 6-14, 6-21), CC_BASE and CC_EXT set."""
    b = bytearray(256)
    b[0], b[1], b[2] = ident, rev, 0x04 if flat else 0
    b[3:3 + len(flags)] = flags
    b[22:24] = struct.pack(">h", temp)
    b[26:28] = struct.pack(">H", vcc)
    for i, (rx, bias, tx) in enumerate(chans):
        b[34 + 2 * i:36 + 2 * i] = struct.pack(">H", rx)
        b[42 + 2 * i:44 + 2 * i] = struct.pack(">H", bias)
        b[50 + 2 * i:52 + 2 * i] = struct.pack(">H", tx)
    b[93] = pwr_mode
    b[128], b[129], b[130] = ident, ext_id, conn
    b[131:139] = bytes(codes)
    b[139], b[140] = enc, br
    b[142:147] = bytes(lens)
    b[147] = tech
    b[148:164] = text(vendor, 16)
    b[165:168] = bytes(oui)
    b[168:184] = text(pn, 16)
    b[184:186] = text(vrev, 2)
    b[186:188], b[188:190] = bytes(wl), bytes(tol)
    b[191] = sum(b[128:191]) & 0xff
    b[192] = ext_code
    b[196:212] = text(sn, 16)
    b[212:220] = text(date, 8)
    b[220] = diag
    b[223] = sum(b[192:223]) & 0xff
    p3 = bytearray(256)
    o = 128
    for fmt, row in ((">h", (75, -5, 70, 0)),):
        for v in row:
            p3[o:o + 2] = struct.pack(fmt, v * 256)
            o += 2
    for off, row in ((144, (36000, 30000, 35000, 31000)),
                     (176, (20000, 500, 15000, 1000)),
                     (184, (40000, 1000, 35000, 2000)),
                     (192, (25000, 800, 20000, 1500))):
        p3[off:off + 8] = struct.pack(">4H", *row)
    return b, p3


QSFP_CASES = {
    "sr4": {},
    "flat_no_page3": dict(flat=True),
    "dac": dict(tech=0xa0, codes=(0x08, 0, 0, 0, 0, 0, 0x80, 0),
                conn=0x23, ext_id=0x00, wl=(3, 5), tol=(7, 12), enc=0x03,
                lens=(0, 0, 0, 0, 3)),
    "all_codes": dict(codes=(0xff,) * 8, ext_code=0x1c, pwr_mode=0x03,
                      ext_id=0x4d),
    "flags_set": dict(flags=bytes([0, 0, 0, 0xa0, 0x50, 0, 0x93, 0x6c,
                                   0x5a, 0xa5, 0x11, 0x22, 0x88, 0x44, 0])),
    "oma_no_temp": dict(diag=0, temp=0),
    "temp_ffff": dict(temp=-1, ext_id=0x8e, enc=0x06, rev=0x09),
    "qsfp_plus_40g": dict(ident=0x0d, codes=(0x04, 0x08, 0x30, 0x0f, 0xfb,
                                             0xf0, 0xff, 0xf5),
                          ext_code=0x0a, enc=0x04, rev=0x03),
    "qsfp": dict(ident=0x0c, ext_code=0x40, rev=0x00),
}


@pytest.mark.parametrize("case", sorted(QSFP_CASES))
def test_qsfp_pages(fake, case):
    p0, p3 = qsfp(**QSFP_CASES[case])
    state(fake[1], [(0x50, 0, p0), (0x50, 3, p3)], modinfo=(3, 640))
    for args in (["-m", "veth0"], ["-m", "veth0", "page", "3"],
                 ["-m", "veth0", "page", "3", "raw", "on"]):
        same(fake, args)
    for modinfo in ((3, 640), (4, 640), (3, 256)):
        state(fake[1], [(0x50, 0, p0), (0x50, 3, p3)], modinfo=modinfo)
        same(fake, ["-m", "veth0"], ioctl=True)


def test_qsfp_page3_missing(fake):
    # Paged memory whose page 03h cannot be read: 6.1 gives up.
    p0, _ = qsfp()
    state(fake[1], [(0x50, 0, p0)], modinfo=(3, 256))
    same(fake, ["-m", "veth0"])


def test_qsfp_ext_codes(fake):
    # Every extended compliance code byte 192 can hold up to 0x5f.
    for v in range(0x60):
        p0, p3 = qsfp(ext_code=v, tech=(v & 0xf) << 4)
        state(fake[1], [(0x50, 0, p0), (0x50, 3, p3)], modinfo=(3, 640))
        same(fake, ["-m", "veth0"], ioctl=True)


CODES = list(range(0x60)) + [0x7f, 0x80, 0xfe, 0xff]


def test_code_tables(fake):
    # Every SFF-8024 connector, encoding, rate identifier and extended
    # compliance code (0x00-0x5f, then a few of the vendor range), and
    # identifiers past the last one named, through the ioctl path's
    # decoder (each run starts its own fake, which reads the file anew).
    for v in CODES:
        state(fake[1], [(0x50, 0, a0(conn=v, enc=v, rate=v, ext_cc=v,
                                     ext=v if v > 7 else 4))],
              modinfo=(1, 256))
        same(fake, ["-m", "veth0"], ioctl=True)
        if v <= 0x22 or v >= 0x7f:
            state(fake[1], [(0x50, 0, a0(ident=v))], modinfo=(1, 256))
            same(fake, ["-m", "veth0"], ioctl=True)

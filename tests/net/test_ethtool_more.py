"""ethtool-lite's -T, --show/--set-priv-flags, --show/--set-eee and
--show/--set-fec against Debian's ethtool 6.1, in the test's namespace:
same stdout, stderr and exit code, on the netlink path and on the ioctl
path (`nltool util no-genl-exec`, as in test_ethtool_ioctl.py).

This kernel's devices give little here: software timestamping only, and
"Operation not supported" for the rest.  The other output paths (hardware
timestamping, a PTP clock, private flags, EEE and FEC modes) are compared
under `nltool util fake-exec` (nltool_fake.c, nltool_fake_bits.c), which
answers these ethtool messages for tap0 from a state file in the kernel's
format, bits named from this kernel's own string sets: both tools read
the same replies, and both read back what either one set (the ioctl
path under the fake: test_ethtool_ioctl_fake.py)."""
import json
import os
import subprocess

import pytest

import libc_text
from conftest import BUILD

OURS = os.path.join(BUILD, "bin", "ethtool")
THEIRS = "/usr/sbin/ethtool"
NLTOOL = os.path.join(BUILD, "tests", "nltool")
NO_GENL = [NLTOOL, "util", "no-genl-exec"]
DEVS = ["veth0", "veth1", "ifb0", "tap0", "br0", "mv0", "lo", "nosuchdev",
        "a" * 16, "a" * 128]


@pytest.fixture
def ens(ns):
    if not os.path.exists(OURS):
        pytest.skip(f"{OURS} not built (make ONLY=ethtool)")
    if not os.path.exists(THEIRS):
        pytest.skip("needs Debian's ethtool")
    ns.ip("link", "add", "ifb0", "type", "ifb")
    ns.ip("tuntap", "add", "tap0", "mode", "tap")
    ns.ip("link", "add", "br0", "type", "bridge")
    ns.ip("link", "add", "link", "veth0", "name", "mv0", "type", "macvlan")
    return ns


class Fake:
    """The fake's state file (lines "GETCMD TYPE WIDTH VALUE", see
    nltool_fake.c) and the environment that selects it for tap0."""

    def __init__(self, path):
        self.path = str(path)
        self.env = dict(os.environ, EMBNET_FAKE_DEV="tap0",
                        EMBNET_FAKE_STATE=self.path)

    def set(self, text):
        with open(self.path, "w") as f:
            f.write(text)

    def state(self):
        with open(self.path) as f:
            return f.read()


@pytest.fixture
def fake(ens, tmp_path):
    return Fake(tmp_path / "state")


def run(ns, tool, args, ioctl=False, fake=None):
    """(stdout, stderr, rc) of @tool @args in the namespace; on the ioctl
    path with @ioctl, under @fake if given; the reference's strerror()
    texts in our C library's words."""
    wrap = NO_GENL if ioctl else []
    env = None
    if fake:
        wrap, env = [NLTOOL, "util", "fake-exec", *wrap], fake.env
    r = subprocess.run(["ip", "netns", "exec", ns.name, *wrap, tool, *args],
                       capture_output=True, text=True, timeout=30, env=env)
    out = (r.stdout, r.stderr, r.returncode)
    return libc_text.as_ours(out) if tool == THEIRS else out


def same(ns, args, **kw):
    theirs = run(ns, THEIRS, args, **kw)
    assert run(ns, OURS, args, **kw) == theirs, f"ethtool {' '.join(args)}"
    return theirs


def all_same(ns, cases, **kw):
    """Every case compared; one failure lists them all."""
    bad = []
    for args in cases:
        try:
            same(ns, args, **kw)
        except AssertionError as e:
            bad.append(str(e)[:2000])
    assert not bad, "\n\n".join(bad)


# ---- -T ----------------------------------------------------------------

@pytest.mark.parametrize("ioctl", [False, True], ids=["netlink", "ioctl"])
def test_tsinfo_devices(ens, ioctl):
    all_same(ens, [["-T", d] for d in DEVS] +
             [["--show-time-stamping", "lo"], ["-T", "veth0", "foo"],
              ["-T", "nosuchdev", "foo"], ["-T"]], ioctl=ioctl)
    out = run(ens, THEIRS, ["-T", "veth0"], ioctl=ioctl)
    assert out[2] == 0 and "software-transmit" in out[0], out


# TSINFO_GET is 25: TIMESTAMPING 2, TX_TYPES 3, RX_FILTERS 4 (bitsets, bits
# 0-31 as a number), PHC_INDEX 5 (u32).
TSINFO = [
    "25 2 0 95\n25 5 4 3\n25 3 0 15\n25 4 0 131059\n",  # a PTP NIC
    "25 2 0 0\n25 5 4 0\n25 3 0 0\n25 4 0 0\n",  # all empty, PHC 0
    "",  # no attribute at all
    "25 2 0 4294967295\n25 3 0 4294967295\n25 4 0 4294967295\n",
    "25 5 4 4294967295\n25 2 0 16\n",  # PHC index -1 as u32
]


def test_tsinfo_fake(ens, fake):
    for state in TSINFO:
        fake.set(state)
        out = same(ens, ["-T", "tap0"], fake=fake)
        assert out[2] == 0, (state, out)
    fake.set(TSINFO[0])
    out = run(ens, THEIRS, ["-T", "tap0"], fake=fake)[0]
    assert "PTP Hardware Clock: 3\n" in out and "\tptpv2-event\n" in out
    # the other devices still answer from the kernel
    assert run(ens, OURS, ["-T", "veth0"], fake=fake) == \
        run(ens, THEIRS, ["-T", "veth0"])


def fake_effects(ns, fake, start, cases, read, changes=True, ioctl=False):
    """Each case run by the reference, then by ours, under @fake from the
    state @start (on the ioctl path with @ioctl): same output, same state
    after, read back the same by both tools with @read.  With @changes the
    reference must have changed the state (else a tool that sends nothing
    would pass)."""
    bad = []
    kw = dict(fake=fake, ioctl=ioctl)
    for args in cases:
        fake.set(start)
        theirs = run(ns, THEIRS, args, **kw)
        after = (fake.state(), run(ns, THEIRS, read, **kw))
        fake.set(start)
        ours = run(ns, OURS, args, **kw)
        got = (fake.state(), run(ns, OURS, read, **kw))
        if ours != theirs or got != after:
            bad.append(f"{args}: ours {ours} {got[0]!r}\n"
                       f"  theirs {theirs} {after[0]!r}")
        elif changes and (theirs[2] != 0 or after[0] == start):
            bad.append(f"{args}: no change: {theirs}")
    assert not bad, "\n".join(bad)


# ---- --show-priv-flags / --set-priv-flags --------------------------------

PRIV_ARGS = [[], ["foo"], ["foo", "on"], ["foo", "maybe"], ["foo", "on", "bar"],
             ["0x1"], ["1/3"], ["zz"], ["foo", "on", "--"],
             ["foo", "on", "--", "bar"], ["0x1", "extra"], ["--"], ["0xzz"],
             ["1/zz"], ["0x"], ["99999999999"], ["1/"], ["/1"],
             ["0x1/0x3/4"], ["010"], ["-1"], ["on"], ["0x+1"], ["0x-1"]]


@pytest.mark.parametrize("ioctl", [False, True], ids=["netlink", "ioctl"])
def test_privflags_devices(ens, ioctl):
    all_same(ens, [["--show-priv-flags", d] for d in DEVS] +
             [["--show-priv-flags", "veth0", "x"], ["--show-priv-flags"]] +
             [["--set-priv-flags", "veth0", *a] for a in PRIV_ARGS] +
             [["--set-priv-flags", d, "foo", "on"] for d in DEVS],
             ioctl=ioctl)


# PRIVFLAGS_GET is 13, FLAGS 2: the value (width 0) and the driver's flags
# (width 2, the mask; names: nltool_fake_bits.c, an i40e's 13).
PRIV0 = "13 2 0 5\n13 2 2 8191\n"
PRIV = [PRIV0, "13 2 0 0\n13 2 2 1\n", "13 2 0 0\n13 2 2 0\n",
        "13 2 0 8191\n13 2 2 8191\n", ""]


def test_privflags_fake_reads(ens, fake):
    for state in PRIV:
        fake.set(state)
        same(ens, ["--show-priv-flags", "tap0"], fake=fake)
    fake.set(PRIV0)
    out = run(ens, THEIRS, ["--show-priv-flags", "tap0"], fake=fake)
    assert out[2] == 0 and "disable-source-pruning: off\n" in out[0], out


def test_privflags_fake_sets(ens, fake):
    read = ["--show-priv-flags", "tap0"]
    fake_effects(ens, fake, PRIV0, [
        ["--set-priv-flags", "tap0", *a] for a in (
            ["legacy-rx", "on"], ["MFP", "off", "legacy-rx", "on"],
            ["LinkPolling", "off", "--", "x"], ["0x10"], ["0x10/0x11"],
            ["16"], ["0"], ["1fff"], ["8/c"], ["0x100/0x0100"])], read)
    fake_effects(ens, fake, PRIV0, [
        ["--set-priv-flags", "tap0", *a] for a in (
            [], ["--"], ["MFP", "on"], ["nosuch", "on"], ["0x2000"],
            ["0x100000000"], ["2/0x2000"], ["5"], ["MFP"], ["0xq"])],
        read, changes=False)


# ---- --show-eee / --set-eee ----------------------------------------------

EEE_ARGS = [[], ["eee"], ["eee", "on"], ["eee", "maybe"], ["tx-timer", "10"],
            ["tx-timer", "x"], ["tx-timer", "-1"], ["advertise", "0x20"],
            ["advertise", "zz"], ["advertise", "1000baseT/Full", "on"],
            ["foo", "1"], ["eee", "on", "eee", "off"], ["tx-lpi", "on"],
            ["advertise"], ["advertise", "0x1/0x3"],
            ["advertise", "0xffffffff"], ["advertise", "0x80000000", "eee",
                                          "on"],
            ["advertise", "foo", "on", "eee", "on"],
            ["advertise", "foo", "on", "--", "eee", "on"],
            ["advertise", "0xzz"], ["advertise", "10"], ["tx-lpi", "1"]]


@pytest.mark.parametrize("ioctl", [False, True], ids=["netlink", "ioctl"])
def test_eee_devices(ens, ioctl):
    all_same(ens, [["--show-eee", d] for d in DEVS] +
             [["--show-eee", "veth0", "x"], ["--show-eee"]] +
             [["--set-eee", "veth0", *a] for a in EEE_ARGS] +
             [["--set-eee", d, "eee", "on"] for d in DEVS],
             ioctl=ioctl)


# EEE_GET is 23: MODES_OURS 2 (value: advertised, mask: supported link
# modes, bits 0-31), MODES_PEER 3, ACTIVE 4, ENABLED 5, TX_LPI_ENABLED 6
# (u8), TX_LPI_TIMER 7 (u32).  4138 is 10baseT/Full, 100baseT/Full,
# 1000baseT/Full and 10000baseT/Full.
EEE0 = ("23 2 0 40\n23 2 2 4138\n23 3 0 8\n23 4 1 1\n23 5 1 1\n23 6 1 1\n"
        "23 7 4 17\n")
EEE = [EEE0,
       "23 2 0 0\n23 2 2 0\n23 3 0 0\n23 4 1 0\n23 5 1 0\n23 6 1 0\n"
       "23 7 4 0\n",  # no EEE: "not supported"
       "23 2 0 0\n23 2 2 4138\n23 3 0 0\n23 4 1 0\n23 5 1 0\n23 6 1 0\n"
       "23 7 4 0\n",  # disabled, nothing advertised
       "23 2 0 63\n23 2 2 63\n23 3 0 63\n23 4 1 0\n23 5 1 1\n23 6 1 0\n"
       "23 7 4 4294967295\n",  # half/full pairs, inactive, lpi off
       # ENABLED missing: 6.1's "Malformed response" (the kernel always
       # sends MODES_PEER: 6.1 crashes without it)
       "23 2 0 40\n23 2 2 4138\n23 3 0 8\n23 4 1 1\n23 6 1 1\n23 7 4 1\n",
       ""]


def test_eee_fake_reads(ens, fake):
    for state in EEE:
        fake.set(state)
        same(ens, ["--show-eee", "tap0"], fake=fake)
    fake.set(EEE0)
    out = run(ens, THEIRS, ["--show-eee", "tap0"], fake=fake)
    assert out[2] == 0 and "Tx LPI: 17 (us)" in out[0], out


def test_eee_fake_sets(ens, fake):
    read = ["--show-eee", "tap0"]
    fake_effects(ens, fake, EEE0, [
        ["--set-eee", "tap0", *a] for a in (
            ["eee", "off"], ["tx-lpi", "off"], ["tx-timer", "100"],
            ["tx-timer", "0x20"], ["advertise", "0x8"],
            ["advertise", "0x1008/0x1008"], ["advertise", "8"],
            ["advertise", "1000baseT/Full", "off"],
            ["advertise", "10baseT/Full", "on", "--", "eee", "off"],
            ["eee", "off", "advertise", "2", "tx-timer", "5"])], read)
    fake_effects(ens, fake, EEE0, [
        ["--set-eee", "tap0", *a] for a in (
            ["eee", "on"], ["advertise", "nosuch", "on"],
            ["advertise", "0x100000000"], ["tx-timer", "17"],
            ["advertise", "--"], ["tx-timer", "99999999999"])],
        read, changes=False)


# ---- --show-fec / --set-fec ----------------------------------------------

FEC_ARGS = [[], ["encoding"], ["encoding", "rs"],
            ["encoding", "RS", "baser", "off", "auto"], ["encoding", "foo"],
            ["foo"], ["encoding", "rs", "--", "x"], ["encoding", "--", "x"],
            ["encoding", "rs", "encoding", "off"],
            ["encoding", "--", "encoding", "rs"], ["encoding", "--"],
            ["encoding", "Auto", "LLRS"]]


@pytest.mark.parametrize("ioctl", [False, True], ids=["netlink", "ioctl"])
def test_fec_devices(ens, ioctl):
    all_same(ens, [[*j, "--show-fec", d] for d in DEVS
                   for j in ([], ["--json"])] +
             [["--show-fec", "veth0", "x"], ["--show-fec"]] +
             [["--set-fec", "veth0", *a] for a in FEC_ARGS] +
             [["--set-fec", d, "encoding", "rs"] for d in DEVS],
             ioctl=ioctl)


# FEC_GET is 29: MODES 2 (a list; state bits 0-3 stand for the link modes
# FEC None, RS, BASER and LLRS, see nltool_fake_bits.c), AUTO 3 (u8),
# ACTIVE 4 (u32, a link-mode bit: 49 None, 50 RS, 51 BASER, 74 LLRS).
FEC0 = "29 2 0 6\n29 3 1 1\n29 4 4 50\n"
FEC = [FEC0, "29 2 0 0\n29 3 1 0\n", "29 2 0 15\n29 3 1 0\n29 4 4 49\n",
       "29 2 0 1\n29 3 1 1\n29 4 4 51\n", "29 2 0 8\n29 4 4 74\n"]


def test_fec_fake_reads(ens, fake):
    for state in FEC:
        fake.set(state)
        same(ens, ["--show-fec", "tap0"], fake=fake)
        same(ens, ["--json", "--show-fec", "tap0"], fake=fake)
    fake.set(FEC0)
    out = run(ens, THEIRS, ["--show-fec", "tap0"], fake=fake)
    assert out[2] == 0 and "encodings: Auto RS BaseR\n" in out[0], out


# FEC statistics, sent only to a request asking for them (-I): lines of
# width 8 (nltool_fake.h), type 100 * ETHTOOL_A_FEC_STATS (5) + CORRECTED
# 2, UNCORR 3 or CORR_BITS 4, a u64 each (total, then lanes); width 9 a
# u32 (a length that is no array of u64).
FEC_STATS = ("29 502 8 12345678901\n29 502 8 5\n29 502 8 7\n29 503 8 3\n"
             "29 504 8 18446744073709551615\n")


def test_fec_fake_stats(ens, fake):
    # Without -I the kernel sends none: both show the same as without them.
    # (Ours ignores -I for now: the reference's stats are checked alone.)
    fake.set(FEC0 + FEC_STATS)
    same(ens, ["--show-fec", "tap0"], fake=fake)
    out = run(ens, THEIRS, ["-I", "--show-fec", "tap0"], fake=fake)
    assert out == (run(ens, THEIRS, ["--show-fec", "tap0"], fake=fake)[0] +
                   "Statistics:\n  corrected_blocks: 12345678901\n"
                   "    Lane 0: 5\n    Lane 1: 7\n"
                   "  uncorrectable_blocks: 3\n"
                   "  corrected_bits: 18446744073709551615\n", "", 0), out
    fake.set(FEC0 + "29 502 9 1\n")
    out = run(ens, THEIRS, ["-I", "--show-fec", "tap0"], fake=fake)
    assert "malformed netlink message (statistic)" in out[1], out


def test_pause_fake_stats(ens, fake):
    # -a: PAUSE_GET 21, STATS 5: TX_FRAMES 2, RX_FRAMES 3 (u64 each).
    fake.set("21 2 1 0\n21 3 1 1\n21 4 1 0\n21 502 8 11\n21 503 8 22\n")
    same(ens, ["-a", "tap0"], fake=fake)
    plain = run(ens, THEIRS, ["-a", "tap0"], fake=fake)[0]
    out = run(ens, THEIRS, ["-I", "-a", "tap0"], fake=fake)
    assert out == (plain[:-1] + "Statistics:\n  tx_pause_frames: 11\n"
                   "  rx_pause_frames: 22\n\n", "", 0), out


def test_fec_fake_sets(ens, fake):
    read = ["--show-fec", "tap0"]
    fake_effects(ens, fake, FEC0, [
        ["--set-fec", "tap0", *a] for a in (
            ["encoding", "rs"], ["encoding", "off"], ["encoding", "BaseR"],
            ["encoding", "llrs", "rs"], ["encoding", "rs", "--"],
            ["encoding", "rs", "off", "auto"], ["encoding", "RS", "BASER"])],
        read)
    fake_effects(ens, fake, FEC0, [
        ["--set-fec", "tap0", *a] for a in (
            ["encoding", "foo"], ["encoding", "auto", "rs", "baser"],
            ["encoding", "1000baseT/Full"], ["encoding", "x" * 40])],
        read, changes=False)


# ---- --json of -T, --show-priv-flags, --show-eee (ours, JSON.md) ---------
# 6.1 refuses --json for these; ours must hold what 6.1's text shows.

def ours_json(ns, args, **kw):
    """(parsed JSON, or None for `[ ]`) of ours; its rc and stderr are the
    text run's (both held to 6.1 above)."""
    out, err, rc = run(ns, OURS, ["--json", *args], **kw)
    text = run(ns, OURS, args, **kw)
    assert (err, rc) == text[1:], args
    if not out and rc and len(args[-1]) > 127:
        return None  # the name is refused before any request
    data = json.loads(out)
    if not data:
        assert out == "[ ]\n" and rc != 0, args
        return None
    assert rc == 0 and len(data) == 1 and data[0]["ifname"] == args[-1]
    return data[0]


def text_lists(text):
    """{label: value or [items]} of 6.1's -T text: "Label: value" lines,
    and "Label:" followed by tab-indented items."""
    out, label = {}, None
    for line in text.splitlines()[1:]:
        if line.startswith("\t"):
            out[label].append(line.strip())
            continue
        label, _, value = line.partition(":")
        out[label] = value.strip() if value.strip() else []
    return out


def check_tsinfo(ns, dev, **kw):
    theirs = run(ns, THEIRS, ["-T", dev], **kw)
    j = ours_json(ns, ["-T", dev], **kw)
    if theirs[2]:
        assert j is None
        return
    t = text_lists(theirs[0])
    none = lambda v: [] if v == "none" else v  # noqa: E731
    assert j["capabilities"] == t["Capabilities"]
    assert j["tx-types"] == none(t["Hardware Transmit Timestamp Modes"])
    assert j["rx-filters"] == none(t["Hardware Receive Filter Modes"])
    phc = t["PTP Hardware Clock"]
    assert j.get("phc-index") == (None if phc == "none" else int(phc))


def check_privflags(ns, dev, **kw):
    theirs = run(ns, THEIRS, ["--show-priv-flags", dev], **kw)
    j = ours_json(ns, ["--show-priv-flags", dev], **kw)
    if theirs[2]:
        assert j is None
        return
    want = {}
    for line in theirs[0].splitlines()[1:]:
        name, _, v = line.rpartition(": ")
        want[name.rstrip()] = v == "on"
    assert j["private-flags"] == want
    assert list(j["private-flags"]) == list(want)  # the kernel's order


def check_eee(ns, dev, **kw):
    theirs = run(ns, THEIRS, ["--show-eee", dev], **kw)
    j = ours_json(ns, ["--show-eee", dev], **kw)
    if theirs[2]:
        assert j is None
        return
    t = {}
    for line in theirs[0].splitlines()[1:]:
        if line.startswith("\t "):
            t[label] += " " + line.strip()
        else:
            label, _, v = line.strip().partition(": ")
            t[label] = v.strip()
    if t["EEE status"] == "not supported":
        assert j == {"ifname": dev, "supported": False}
        return
    assert j["supported"] and j["enabled"] == (t["EEE status"] != "disabled")
    assert j["active"] == (t["EEE status"] == "enabled - active") or \
        not j["enabled"]
    lpi = t["Tx LPI"]
    assert j["tx-lpi-enabled"] == (lpi != "disabled")
    if lpi != "disabled":
        assert lpi == "%d (us)" % j["tx-lpi-timer"]
    for key, label in (("supported-link-modes", "Supported EEE link modes"),
                       ("advertised-link-modes",
                        "Advertised EEE link modes"),
                       ("link-partner-advertised-link-modes",
                        "Link partner advertised EEE link modes")):
        assert (" ".join(j[key]) or "Not reported") == t[label], key


def test_json_devices(ens):
    for dev in DEVS:
        check_tsinfo(ens, dev)
        check_privflags(ens, dev)
        check_eee(ens, dev)
    for cmd in (["-T"], ["--show-priv-flags"], ["--show-eee"]):
        # the ioctl path refuses --json, as 6.1 does on both
        same(ens, ["--json", *cmd, "veth0"], ioctl=True)


def test_json_fake(ens, fake):
    for state in TSINFO:
        fake.set(state)
        check_tsinfo(ens, "tap0", fake=fake)
    for state in PRIV:
        fake.set(state)
        check_privflags(ens, "tap0", fake=fake)
    for state in EEE:
        fake.set(state)
        check_eee(ens, "tap0", fake=fake)
    fake.set(TSINFO[0] + PRIV0 + EEE0)
    j = ours_json(ens, ["--show-eee", "tap0"], fake=fake)
    assert j["tx-lpi-timer"] == 17 and j["supported"], j


# ---- -s msglvl (and advertise) numbers and names -------------------------
# tun keeps the message level it is given (its 15 classes, 0x7fff), on
# the netlink path and on the ioctl path: each case from a new tap0
# (msglvl 0), the level read back by the reference (test_ethtool_cli's
# and test_ethtool_ioctl's effect()).  Over netlink 6.1 reads a number as
# a bitset (decimal up to 10 characters, else hex of any length, leading
# zeros too, and strtoul()'s quirks), the kernel refusing bits past its
# 15; over ioctl with strtoull(), base 0.  (Numbers of more than 256
# significant hex digits, which 6.1 sends for the kernel to refuse, ours
# refuses itself: not compared.)
MSGLVL_NL = ["5", "10", "0000000010", "00000000010", "0x7fff", "32767",
             "0x+1", "1/0x1", "0x1/0x0001", "4294967295/0x10",
             "0xffffffff/0x4000", "0" * 300 + "1", "0" * 3000 + "3",
             "00001f", "fe", "0X1a/0x0f", ["ifup", "on", "--"]]
MSGLVL_NL_NONE = ["99999999999", "0x99999999999", "4294967296",
                  "0x100000000", "0xffffffff", "4294967295", "0x8000",
                  "32768", "123456789012", "ffffffffff",
                  "0xffffffff/0xffffffffff", "1/0x", "0x", "1/", "/1", "-1",
                  "0", "0/0", "1//2", "1/0xg", "+1", "0x1g", "f" * 256,
                  "1/" + "f" * 256, "1" + "0" * 255]
MSGLVL_NAMES = [["drv", "on", "probe", "on"], ["drv", "on", "drv", "off",
                                               "link", "on"],
                ["wol", "on", "hw", "off"]]
MSGLVL_NAMES_NONE = [["drv"], ["drv", "maybe"], ["foo", "on"],
                     ["drv", "on", "--", "msglvl", "1"], ["drv", "off"],
                     ["drv", "on", "foo"], ["--"]]


def msglvl(cases):
    return [["msglvl", *([c] if isinstance(c, str) else c)] for c in cases]


# advertise numbers: the same parser, hex (tun keeps no advertised mode:
# what is compared is the output, the kernel's verdict included).
ADVERTISE = ["0x+1", "1/0x1", " 1", "0x 1", "10", "0" * 300 + "1",
             "f" * 40, "0x-1", "1/+1", "0x" + "f" * 34, "1/0x", "0x3/0x1",
             "0x1g", "1/2/3", "f" * 256, "0X1/0x0", "00000000010/1"]


def test_msglvl_netlink(ens):
    from test_ethtool_cli import effects
    effects(ens, "tap0", "-s", msglvl(MSGLVL_NL + MSGLVL_NAMES), [[]])
    effects(ens, "tap0", "-s", msglvl(MSGLVL_NL_NONE + MSGLVL_NAMES_NONE) +
            [["advertise", a] for a in ADVERTISE], [[]], changes=False)


MSGLVL_IO = ["5", "0x7fff", "0xffffffff", "4294967295", "010",
             "00000000001", "0X10"]
MSGLVL_IO_NONE = ["99999999999", "4294967296", "0x100000000", "-1", "1/1",
                  "0x8000", "0", "0x", "08", "1a", "0x+1", "0" * 300 + "1",
                  " 1", "+1", ["ifup", "on", "--"]]


def test_msglvl_ioctl(ens):
    from test_ethtool_ioctl import effect
    bad = []
    none = msglvl(MSGLVL_IO_NONE + MSGLVL_NAMES_NONE) + \
        [["advertise", a] for a in ADVERTISE[:6]]
    for changes, cases in ((True, msglvl(MSGLVL_IO) + msglvl(MSGLVL_NAMES)),
                           (False, none)):
        for args in cases:
            try:
                effect(ens, ["-s", "tap0", *args], changes)
            except AssertionError as e:
                bad.append(f"{args[:4]}: {str(e)[:1500]}")
    assert not bad, "\n\n".join(bad)

"""ethtool-lite's -n/-N (rx flow hash options, rx rings, classification
rules) against Debian's ethtool 6.1, on a fake device: `nltool util
rxnfc-exec` (tests/net/nltool_fake_rxnfc.c) answers both tools' SIOCETHTOOL
rxnfc ioctls for veth0 from a state file and writes it back after each set.
Every output is 6.1's own, compared byte for byte (stdout, stderr, exit
status); after a set, the state files of the two tools (same start) are
compared too, which proves that both sent the kernel the same request.
Rules are built here as struct ethtool_rx_flow_spec lays them out (header
fields in network byte order, the rest in this host's)."""
import json
import os
import random
import re
import struct
import subprocess

import pytest

import libc_text
from conftest import BUILD

OURS = os.path.join(BUILD, "bin", "ethtool")
THEIRS = "/usr/sbin/ethtool"
NLTOOL = os.path.join(BUILD, "tests", "nltool")
FAKE = [NLTOOL, "util", "rxnfc-exec"]

FLOW = dict(tcp4=1, udp4=2, sctp4=3, ah4=9, esp4=10, ip4=13, tcp6=5, udp6=6,
            sctp6=7, ah6=11, esp6=12, ip6=14, ether=0x12)
FLOW_EXT, FLOW_MAC_EXT, FLOW_RSS = 0x80000000, 0x40000000, 0x20000000
ANY, FIRST, LAST = 0xffffffff, 0xfffffffe, 0xfffffffd
# ETHTOOL_* commands the fake can refuse
GRXFH, SRXFH, GRXRINGS = 0x29, 0x2a, 0x2d
GRXCLSRLCNT, GRXCLSRULE, GRXCLSRLALL = 0x2e, 0x2f, 0x30
SRXCLSRLDEL, SRXCLSRLINS, SRXNTUPLE = 0x31, 0x32, 0x35


def spec(ft, h=b"", m=b"", hext=b"", mext=b"", cookie=0, loc=0):
    """struct ethtool_rx_flow_spec (168 bytes)."""
    return struct.pack("=I52s20s52s20s4xQI4x", ft, h, hext, m, mext,
                       cookie, loc)


def rnd_spec(rng, ft, loc, cookie=None):
    h = bytearray(rng.randbytes(52))
    if ft & 0xff == FLOW["ip4"]:
        h[13] = 1  # ETH_RX_NFC_IP4
    return spec(ft, bytes(h), rng.randbytes(52), rng.randbytes(20),
                rng.randbytes(20),
                rng.getrandbits(64) if cookie is None else cookie, loc)


def state(rules=(), size=16, special=0, rings=None, extra=""):
    """The fake's file: @rules (ctx, spec bytes)."""
    lines = [f"size {size}", f"special {special}"]
    if rings is not None:
        lines.append(f"rings {rings}")
    lines += [f"rule {ctx} {fs.hex()}" for ctx, fs in rules]
    return "\n".join(lines) + "\n" + extra


def plain(loc, ft="tcp4", ctx=0):
    return (ctx, spec(FLOW[ft] | (FLOW_RSS if ctx else 0), cookie=1,
                      loc=loc))


@pytest.fixture
def fake(ns, tmp_path):
    for tool in (OURS, THEIRS, NLTOOL):
        assert os.path.exists(tool), f"{tool} missing"
    return ns, tmp_path


def run(fake, tool, args, text, name=None):
    """@tool @args under the fake with state @text; (out, err, rc) and
    the state after."""
    ns, tmp = fake
    path = tmp / (name or ("theirs" if tool == THEIRS else "ours"))
    path.write_text(text)
    env = dict(os.environ, EMBNET_FAKE_DEV="veth0",
               EMBNET_FAKE_RXNFC=str(path))
    r = subprocess.run(["ip", "netns", "exec", ns.name, *FAKE, tool, *args],
                       capture_output=True, env=env, timeout=60)
    out = (r.stdout.decode("latin-1"), r.stderr.decode("latin-1"),
           r.returncode)
    return (libc_text.as_ours(out) if tool == THEIRS else out,
            path.read_text())


def same(fake, args, text):
    theirs = run(fake, THEIRS, args, text)
    ours = run(fake, OURS, args, text)
    assert ours[0] == theirs[0], " ".join(args)
    assert ours[1] == theirs[1], f"{' '.join(args)}: state differs"
    return theirs


# ---- -n ------------------------------------------------------------------

def all_rules(seed):
    rng = random.Random(seed)
    rules, loc = [], 0
    for name, ft in FLOW.items():
        for ext in (0, FLOW_EXT, FLOW_MAC_EXT, FLOW_EXT | FLOW_MAC_EXT):
            if name == "ether" and ext & FLOW_MAC_EXT:
                continue
            rules.append((0, rnd_spec(rng, ft | ext, loc)))
            loc += 1
    cookies = [ANY, 0xfffffffffffffffe, 7, (3 << 32) | 5, (256 << 32) | 1]
    for c in cookies:
        rules.append((0, rnd_spec(rng, FLOW["udp6"], loc, c)))
        loc += 1
    rules.append((9, rnd_spec(rng, FLOW["tcp4"] | FLOW_RSS, loc)))
    return rules, loc + 1


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_show_all_rules(fake, seed):
    rules, size = all_rules(seed)
    out = same(fake, ["-n", "veth0"], state(rules, size, rings=8))[0]
    assert out[0].startswith("8 RX rings available\nTotal ")
    assert out[0].count("Filter: ") == len(rules)


def test_show_each_rule(fake):
    rules, size = all_rules(4)
    text = state(rules, size)
    for loc in (0, 5, 13, 30, size - 1, size, 0x7fffffff):
        for word in ("-n", "-u", "--show-nfc", "--show-ntuple"):
            same(fake, [word, "veth0", "rule", str(loc)], text)


@pytest.mark.parametrize("ft,note", [
    (0x04, "AH_ESP_V4_FLOW: unknown to the printer"),
    (0x33, "no such flow type"),
    (FLOW["ip4"], "IPV4_USER_FLOW with ip_ver 0"),
])
def test_show_malformed_rule(fake, ft, note):
    text = state([(0, spec(ft, loc=2)), plain(3)], 8)
    err = same(fake, ["-n", "veth0"], text)[0][1]
    assert err, note


@pytest.mark.parametrize("flow", ["tcp4", "udp4", "ah4", "esp4", "sctp4",
                                  "tcp6", "udp6", "ah6", "esp6", "sctp6",
                                  "ether"])
@pytest.mark.parametrize("data", [0, 0xfe, 0x80000000, 0x80000010, 0x100,
                                  0x2])
def test_show_flow_hash(fake, flow, data):
    types = {"ah4": 4, "esp4": 4, "ah6": 8, "esp6": 8}
    t = types.get(flow, FLOW[flow])
    text = state(extra=f"hash {t} 0 {data}\nhash {t} 5 {data ^ 0x30}\n")
    same(fake, ["-n", "veth0", "rx-flow-hash", flow], text)
    same(fake, ["-n", "veth0", "rx-flow-hash", flow, "context", "5"], text)


SHOW_BAD = [["rx-flow-hash"], ["rx-flow-hash", "ip4"],
            ["rx-flow-hash", "tcp4", "context"],
            ["rx-flow-hash", "tcp4", "ctx", "1"],
            ["rx-flow-hash", "tcp4", "context", "x"],
            ["rx-flow-hash", "tcp4", "context", "4294967296"],
            ["rx-flow-hash", "tcp4", "extra"], ["rule"], ["rule", "-1"],
            ["rule", "2147483648"], ["rule", "1", "2"], ["rule", "x"],
            ["rules", "1"], ["foo"]]


@pytest.mark.parametrize("args", SHOW_BAD, ids=" ".join)
def test_show_refused(fake, args):
    same(fake, ["-n", "veth0", *args], state([plain(1)]))


@pytest.mark.parametrize("refuse", [GRXRINGS, GRXCLSRLCNT, GRXCLSRLALL,
                                    GRXCLSRULE])
def test_show_driver_errors(fake, refuse):
    text = state([plain(1), plain(4)], rings=2,
                 extra=f"refuse {refuse} 5\n")
    same(fake, ["-n", "veth0"], text)


@pytest.mark.parametrize("extra", ["count 3\n", "count 1\n", "count 0\n"])
def test_show_lying_count(fake, extra):
    same(fake, ["-n", "veth0"], state([plain(1), plain(4)], extra=extra))


@pytest.mark.parametrize("count", [0xffffffff, (1 << 20) + 1])
def test_show_huge_count(fake, count):
    """6.1 would allocate count * 4 bytes and ask for that many rules one
    by one; ours stops at the kernel's own bound as if calloc() failed."""
    out, _ = run(fake, OURS, ["-n", "veth0"],
                 state([plain(1)], rings=4, extra=f"count {count}\n"))
    assert out == (f"4 RX rings available\nTotal {struct.unpack('=i', struct.pack('=I', count))[0]}"
                   " rules\n\n",
                   "rxclass: Cannot allocate memory for RX class rule "
                   f"locations: {libc_text.strerror(12)}"
                   "\nRX classification rule retrieval failed\n", 1)


def test_insert_huge_count(fake):
    """The rule manager meets a huge count the same way."""
    out, after = run(fake, OURS, ["-N", "veth0", "flow-type", "tcp4"],
                     state([plain(1)], extra="count 4294967295\n"))
    enomem = libc_text.strerror(12)
    assert out == ("", "rmgr: Cannot allocate memory for RX class rule "
                   f"locations: {enomem}\nCannot insert classification "
                   "rule\n", 1)
    assert after.count("rule ") == 1


# ---- -N flow-type ---------------------------------------------------------

INSERT = [
    "tcp4 src-ip 10.0.0.1 dst-ip 10.0.0.2 m 0.0.0.255 tos 4 src-port 80 "
    "dst-port 443 m 0xff action 3",
    "udp4 src-ip 192.168.1.1 src-ip-mask 255.0.0.0 dst-port 53 action -1",
    "sctp4 tos 0x10 m 0x0f src-port 1 m 0x1 queue 2 vf 1",
    "ah4 spi 5 m 0xf src-ip 1.2.3.4 action 9",
    "esp4 spi 0x12345678 tos 1 m 0xf0 dst-ip 4.3.2.1 vf 255 queue 7",
    "ip4 src-ip 10.1.1.1 l4proto 6 m 0xf l4data 0xdeadbeef m 0xffff0000",
    "ip4 src-port 5 dst-port 6 m 0xff00 tos 3",
    "ip4 spi 77 action 1",
    "tcp6 src-ip 2001:db8::1 m ::ffff dst-ip fe80::1 tclass 3 src-port 1 "
    "dst-port 2 m 3",
    "udp6 dst-ip ::ffff:1.2.3.4 src-port 65535 action 0",
    "sctp6 src-ip :: m ffff:: tclass 0xff m 0xff",
    "ah6 spi 1 tclass 2 action 4",
    "esp6 spi 4294967295 m 0xffff dst-ip 2001:db8:1:2:3:4:5:6",
    "ip6 l4proto 17 l4data 1 m 2 tclass 2 src-ip ::1",
    "ip6 src-port 7 dst-port 8",
    "ether src 00:11:22:33:44:55 m ff:ff:ff:00:00:00 dst 66:77:88:99:aa:bb "
    "proto 0x0800 m 0xff action 2",
    "ether proto 0x88cc vlan 5 m 0xf000 vlan-etype 0x8100",
    "tcp4 vlan-etype 0x8100 m 0xff vlan 100 user-def 0x1122334455667788 m 0xff"
    " action 1",
    "udp4 dst-mac 00:11:22:33:44:55 m ff:00:00:00:00:00 action 1",
    "ip6 dst-mac 1:2:3:4:5:6 user-def 5",
    "tcp4 context 3 action 1",
    "tcp6 context 0 src-port 9 context 4",
    "tcp4 action -2",
    "tcp4 action 0x7fffffff",
    "tcp4 action 0x80000000",
    "tcp4 src-port 1 dst-port",
    "tcp4 src-ip",
    "tcp4 vlan-etype 1 user-def 2 m 3",
]
# no location, no dst-mac, a queue or drop, IPv4 or ether: ntuple's
NTUPLE_OK = [INSERT[i] for i in (0, 1, 3, 5, 6, 7, 15, 16)]
LOCS = ["", "loc 5", "loc 0", "loc 15", "loc 16", "loc 4294967295",
        "loc 4294967294", "loc 4294967293", "loc 0x80000001"]


@pytest.mark.parametrize("special", [0, 1])
@pytest.mark.parametrize("words", INSERT)
def test_insert(fake, words, special):
    text = state([plain(1), plain(14), plain(15)], 16, special)
    for loc in (LOCS if words == INSERT[0] else ["", "loc 3"]):
        args = ["-N", "veth0", "flow-type", *words.split(), *loc.split()]
        _, after = same(fake, args, text)
        same(fake, ["-n", "veth0"], after)


@pytest.mark.parametrize("word", ["-N", "-U", "--config-nfc",
                                  "--config-ntuple"])
def test_insert_then_delete(fake, word):
    text = state([plain(1)], 8)
    _, after = same(fake, [word, "veth0", "flow-type", "udp4", "action", "2"],
                    text)
    assert after.count("rule ") == 2
    _, after = same(fake, [word, "veth0", "delete", "7"], after)
    assert after.count("rule ") == 1
    same(fake, [word, "veth0", "delete", "7"], after)
    same(fake, [word, "veth0", "delete", "0x1", "extra"], after)


RMGR = [
    ("full", [plain(i) for i in range(4)], 4, ""),
    ("first word taken", [plain(0)], 64, ""),
    ("word end taken", [plain(64)], 128, ""),
    ("last free", [plain(i) for i in range(5, 8)], 8, ""),
    ("out of range", [plain(20)], 16, ""),
    ("huge table", [plain(5), plain(0xfffffffe)], 0xffffffff, ""),
    ("driver picks, full", [plain(i) for i in range(4)], 4, "special 1\n"),
    ("size 0", [plain(0)], 0, ""),
    ("size below count", [plain(0), plain(1)], 1, ""),
    ("size 0 after ntuple", [plain(0)], 0,
     f"ntuple 1\nrefuse {SRXNTUPLE} 95\n"),
    ("count lies high", [plain(3)], 8, "count 2\n"),
    ("count lies low", [plain(3), plain(5)], 8, "count 1\n"),
    ("no count", [], 8, f"refuse {GRXCLSRLCNT} 95\n"),
    ("no list", [], 8, f"refuse {GRXCLSRLALL} 22\n"),
    ("insert refused", [], 8, f"refuse {SRXCLSRLINS} 22\n"),
]


@pytest.mark.parametrize("name,rules,size,extra", RMGR,
                         ids=[r[0] for r in RMGR])
def test_insert_locations(fake, name, rules, size, extra):
    text = state(rules, size, extra=extra)
    for words in (["tcp4", "action", "1"], ["ip6", "src-ip", "::1"],
                  ["tcp4", "loc", "2"]):
        same(fake, ["-N", "veth0", "flow-type", *words], text)


@pytest.mark.parametrize("extra", ["ntuple 1\n",
                                   f"ntuple 1\nrefuse {SRXNTUPLE} 22\n",
                                   f"ntuple 1\nrefuse {SRXNTUPLE} 95\n"])
@pytest.mark.parametrize("words", INSERT[:8] + INSERT[15:])
def test_insert_ntuple(fake, words, extra):
    """6.1 tries ETHTOOL_SRXNTUPLE first when GFLAGS has ntuple on."""
    _, after = same(fake, ["-N", "veth0", "flow-type", *words.split()],
                    state([plain(1)], 8, extra=extra))
    if extra == "ntuple 1\n" and words in NTUPLE_OK:
        assert "sent " in after, words


INSERT_BAD = [
    "", "tcp", "foo src-ip 1.2.3.4", "tcp4 foo", "tcp4 foo 1",
    "tcp4 src-ip 1.2.3", "tcp4 src-ip ::1", "tcp6 src-ip 1.2.3.4",
    "tcp4 src-ip 1.2.3.4 m", "tcp4 src-ip 1.2.3.4 m x",
    "tcp4 src-ip 1.2.3.4 src-ip 1.1.1.1", "tcp4 tos 256", "tcp4 tos -1",
    "tcp4 src-port 65536", "tcp4 src-port 1 m 65536", "tcp4 spi 1",
    "tcp6 tos 1", "tcp4 tclass 1", "ah4 src-port 1", "ip4 src-port 1 spi 2",
    "ip4 spi 2 l4data 3", "ip6 l4data 1 src-port 2", "ether src-ip 1.2.3.4",
    "ether dst-mac 1:2:3:4:5:6", "ether src 112233445566",
    "ether src 1:2:3:4:5", "ether src 1:2:3:4:5:6:7", "ether src g:1:2:3:4:5",
    "ether src 100:1:2:3:4:5", "ether proto 0x10000",
    "tcp4 action 1 queue 2", "tcp4 vf 1 action 2", "tcp4 action 1 vf 2 queue 3",
    "tcp4 action x", "tcp4 action 1 m 2", "tcp4 loc 1 m 2", "tcp4 vf 256",
    "tcp4 queue 4294967296", "tcp4 loc 4294967296", "tcp4 context",
    "tcp4 context x", "tcp4 context 4294967295", "tcp4 context -1",
    "tcp4 user-def 0x10000000000000000", "tcp4 vlan 1 vlan 2",
    "tcp4 vlan-etype 1 vlan-etype-mask", "tcp4 dst-mac 1:2:3:4:5:6 m 1",
    "TCP4 action 1", "tcp4 src-port 1 m 2 m 3",
]


@pytest.mark.parametrize("words", INSERT_BAD)
def test_insert_refused(fake, words):
    same(fake, ["-N", "veth0", "flow-type", *words.split()],
         state([plain(1)], 8))


# ---- -N rx-flow-hash, delete, bad commands -----------------------------

@pytest.mark.parametrize("args", [
    ["tcp4", "sdfn"], ["udp6", "mvtsdfnr"], ["ah4", ""], ["esp6", "r"],
    ["ether", "m"], ["sctp4", "sd", "context", "3"], ["tcp4", "sdx"],
    ["tcp4", "s", "context"], ["tcp4", "s", "context", "-1"],
    ["tcp4", "s", "extra", "1"], ["ip4", "sd"], ["tcp4"], ["TCP4", "sd"],
])
def test_set_flow_hash(fake, args):
    text = state(extra="hash 1 0 48\n")
    _, after = same(fake, ["-N", "veth0", "rx-flow-hash", *args], text)
    same(fake, ["-n", "veth0", "rx-flow-hash", args[0]], after)


@pytest.mark.parametrize("args", [[], ["delete"], ["delete", "-1"],
                                  ["delete", "2147483648"], ["delete", "x"],
                                  ["flow-type"], ["rx-flow-hash"], ["foo", "1"],
                                  ["flow-type tcp4", "x"]])
def test_set_refused(fake, args):
    same(fake, ["-N", "veth0", *args], state([plain(1)]))


def test_set_hash_refused(fake):
    same(fake, ["-N", "veth0", "rx-flow-hash", "tcp4", "sd"],
         state(extra=f"refuse {SRXFH} 1\n"))


# ---- real devices: the kernel's answers, no fake -------------------------

REAL = [["-n"], ["-n", "rule", "3"], ["-n", "rx-flow-hash", "tcp4"],
        ["-n", "rx-flow-hash", "udp6", "context", "2"],
        ["-N", "rx-flow-hash", "tcp4", "sd"],
        ["-N", "flow-type", "tcp4", "action", "1"],
        ["-N", "flow-type", "tcp4", "loc", "1"],
        ["-N", "flow-type", "ether", "dst-mac", "1:2:3:4:5:6"],
        ["-N", "delete", "1"], ["-n", "foo"]]


@pytest.mark.parametrize("dev", ["lo", "veth0"])
@pytest.mark.parametrize("args", REAL, ids=" ".join)
def test_real_device(ns, dev, args):
    def one(tool):
        r = ns.run(tool, args[0], dev, *args[1:])
        return (r.stdout, r.stderr, r.returncode)
    theirs = libc_text.as_ours(one(THEIRS))
    assert one(OURS) == theirs


# ---- --json -n (ethtool-lite/JSON.md; 6.1 refuses --json for -n) --------

FH_TEXT = ["L2DA", "VLAN tag", "L3 proto", "IP SA", "IP DA",
           "L4 bytes 0 & 1 [TCP/UDP src port]",
           "L4 bytes 2 & 3 [TCP/UDP dst port]"]


def text_fh(out):
    """-n rx-flow-hash's text output as the members --json must give."""
    j = {"ifname": "veth0"}
    lines = out.splitlines()
    m = re.fullmatch(r"For RSS context (\d+):", lines[0])
    if m:
        j["rss-context"] = int(m[1])
        lines = lines[1:]
    j["discard"] = lines[0].endswith(" - All matching flows discarded on RX")
    if not j["discard"]:
        assert lines[0].endswith(
            " use these fields for computing Hash flow key:")
        fields = [ln for ln in lines[1:] if ln]
        j["fields"] = [] if fields == ["None"] else fields
        assert set(j["fields"]) <= set(FH_TEXT)
    return j


def check_json_fh(fake, args, text):
    (tout, terr, trc), _ = run(fake, OURS, args, text)
    (jout, jerr, jrc), _ = run(fake, OURS, ["--json", *args], text)
    assert (jrc, jerr) == (trc, terr), args
    if trc:
        bad = "bad command line" in terr
        assert jout == ("" if bad else "[ ]\n"), args
        return None
    data = json.loads(jout)
    assert jout.startswith('[ {\n        "ifname": ')
    assert jout.endswith("\n    } ]\n") and len(data) == 1
    assert data[0] == text_fh(tout), args
    return data[0]


@pytest.mark.parametrize("flow", ["tcp4", "ah4", "udp6", "esp6", "ether"])
@pytest.mark.parametrize("data", [0, 0xfe, 0x80000000, 0x80000010, 0x100,
                                  0x2, 0xffffffff])
def test_json_flow_hash(fake, flow, data):
    types = {"ah4": 4, "esp4": 4, "ah6": 8, "esp6": 8}
    t = types.get(flow, FLOW[flow])
    text = state(extra=f"hash {t} 0 {data}\nhash {t} 5 {data ^ 0x30}\n")
    for args in (["rx-flow-hash", flow], ["rx-flow-hash", flow, "context",
                                          "5"], ["rx-flow-hash", "ip4"],
                 ["rx-flow-hash", flow, "context"]):
        check_json_fh(fake, ["-n", "veth0", *args], text)


def test_json_flow_hash_values(fake):
    text = state(extra="hash 1 0 240\nhash 1 7 2\n")
    j = check_json_fh(fake, ["-n", "veth0", "rx-flow-hash", "tcp4"], text)
    assert j == {"ifname": "veth0", "discard": False, "fields": FH_TEXT[3:]}
    j = check_json_fh(fake, ["-n", "veth0", "rx-flow-hash", "tcp4",
                             "context", "7"], text)
    assert j == {"ifname": "veth0", "rss-context": 7, "discard": False,
                 "fields": ["L2DA"]}
    # the driver's refusal: [ ] and 6.1's error
    assert check_json_fh(fake, ["-n", "veth0", "rx-flow-hash", "tcp4"],
                         state(extra=f"refuse {GRXFH} 95\n")) is None
    out = run(fake, OURS, ["--json", "-n", "veth0", "rx-flow-hash", "tcp4"],
              state(extra=f"refuse {GRXFH} 95\n"))[0]
    assert out[0] == "[ ]\n" and out[2] == 1


@pytest.mark.parametrize("args", [[], ["rule", "1"], ["rule", "x"]])
def test_json_rules_refused(fake, args):
    # The rule list and a rule have no JSON (JSON.md): refused as 6.1
    # refuses --json for every -n/-N, and -N still is.
    ours = run(fake, OURS, ["--json", "-n", "veth0", *args],
               state([plain(1)]))
    theirs = run(fake, THEIRS, ["--json", "-n", "veth0", *args],
                 state([plain(1)]))
    assert ours == theirs
    assert ours[0] == ("", "ethtool: bad command line argument(s)\n"
                       "For more information run ethtool -h\n", 1)
    assert run(fake, OURS, ["--json", "-N", "veth0", "delete", "1"],
               state([plain(1)]))[0] == ours[0]

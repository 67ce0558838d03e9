"""ethtool-lite's -x/--show-rxfh and -X/--rxfh against Debian's ethtool
6.1, byte for byte (stdout, stderr, exit status).

No device of this kernel has RSS, so `nltool util rxfh-exec`
(tests/net/nltool_fake_rxfh.c) answers both tools' SIOCETHTOOL requests
for veth0 from a state file, with the kernel's checks: ring count,
indirection table, key, hash functions, RSS contexts, drivers without
GRSSH (the GRXFHINDIR fallback) and hostile answers.  The fake writes the
state back with every command it answered and every SET request's bytes,
so comparing the file after 6.1's run with the file after ours proves
that each command asked the same in the same order.  The error paths of
the host's own devices (veth, lo, ifb, tap, bridge, macvlan, a missing
one) are compared without the fake."""
import json
import os
import re
import subprocess

import pytest

import libc_text
from conftest import BUILD
from test_ethtool_ioctl_cmds import (MORE_DEVS, OURS, THEIRS, ens,  # noqa: F401
                                     same as same_dev, tools)

FAKE = [os.path.join(BUILD, "tests", "nltool"), "util", "rxfh-exec"]
# 6.1 with the address space of a small board, so that its allocation of
# a hostile size fails here as it would there (ours refuses such sizes).
SMALL = ["prlimit", f"--as={1 << 30}"]
KEYHEX = bytes(range(0x30, 0x58)).hex()  # 40 bytes, as most drivers
KEY = ":".join(KEYHEX[i:i + 2] for i in range(0, 80, 2))  # -X's form
FUNCS = "toeplitz xor crc32"


def state(n=18, rings=4, key=KEYHEX, hfunc=1, funcs=FUNCS, extra=""):
    """A device with @rings rings, a table of @n entries (i % rings)."""
    table = " ".join(str(i % rings if rings else 0) for i in range(n))
    return (f"rings {rings}\nindir {table}\nkey {key}\nhfunc {hfunc}\n"
            f"funcs {funcs}\n{extra}")


@pytest.fixture
def fake(ns, tools, tmp_path):
    return ns, tmp_path


def run(fake, tool, cmds, start, small=False):
    """Runs each argument list of @cmds in turn on one state file that
    starts as @start: ([(stdout, stderr, rc)...], the file at the end)."""
    ns, tmp = fake
    path = tmp / ("theirs" if tool == THEIRS else "ours")
    path.write_text(start)
    env = dict(os.environ, EMBNET_FAKE_DEV="veth0",
               EMBNET_FAKE_RXFH=str(path))
    outs = []
    for args in cmds:
        argv = ["ip", "netns", "exec", ns.name, *FAKE,
                *(SMALL if small and tool == THEIRS else []), tool, *args]
        r = subprocess.run(argv, capture_output=True, env=env, timeout=30)
        out = (r.stdout.decode("latin-1"), r.stderr.decode("latin-1"),
               r.returncode)
        outs.append(libc_text.as_ours(out) if tool == THEIRS else out)
    return outs, path.read_text()


def same(fake, cmds, start, small=False):
    """@cmds run by both tools from state @start: the same outputs and the
    same state, requests and calls at the end.  Returns 6.1's."""
    theirs = run(fake, THEIRS, cmds, start, small)
    assert run(fake, OURS, cmds, start) == theirs, cmds
    return theirs


def x(*args):
    return ["-x", "veth0", *args]


def X(*args):
    return ["-X", "veth0", *args]


SHOW = [x(), ["--show-rxfh-indir", "veth0"], ["--show-rxfh", "veth0"],
        x("context", "1"), x("context", "2"), x("context", "0x1"),
        x("context", "0"), x("context"), x("context", "x"), x("foo"),
        x("context", "1", "context", "1"), x("context", "4294967294"),
        x("context", "4294967295"), x("context", "-1"), x("1")]
CTX = "ctx 1 2 " + "ab" * 40 + " " + " ".join(["3"] * 18) + "\n"

SHOW_STATES = {
    "plain": state(extra=CTX),
    "no_hfunc": state(hfunc=0),
    "two_funcs_on": state(hfunc=6),
    "ninth_func": state(hfunc=0x80, funcs=" ".join(f"f{i}" for i in range(9))),
    "no_funcs": state(funcs=""),
    "long_func_name": state(funcs="a" * 31 + " " + "b" * 40 + " c"),
    "no_key": state(key=""),
    "no_table": state(n=0),
    "one": state(n=1),
    "seven": state(n=7),
    "eight": state(n=8),
    "nine": state(n=9, rings=3),
    "big": state(n=128, rings=100000),
    "many_rings": state(rings=1 << 40),
    "zero_rings": state(rings=0),
    "fallback": state(extra="flags nogrssh\n"),
    "fallback_no_table": state(extra="flags nogrssh noindir\n"),
    "fallback_empty": state(n=0, extra="flags nogrssh\n"),
    "no_rings": state(extra="flags norings\n"),
    "no_strings": state(extra="flags nostrings\n"),
    "no_contexts": state(extra="flags noctx\n"),
}


@pytest.mark.parametrize("case", sorted(SHOW_STATES))
def test_show(fake, case):
    for args in SHOW:
        same(fake, [args], SHOW_STATES[case])


def test_show_prints_the_table(fake):
    # Not two tools failing alike: the table, key and functions appear.
    outs, end = same(fake, [x()], state(n=9, rings=3))
    assert outs[0][0].splitlines()[1:4] == [
        "    0:      0     1     2     0     1     2     0     1",
        "    8:      2", "RSS hash key:"]
    assert outs[0][1:] == ("", 0)
    assert "calls 0x2d 0x46 0x46 0x37 0x1b\n" in end
    # Without GRSSH: the older GRXFHINDIR, size then table; no key.
    outs, end = same(fake, [x(), X("equal", "3")],
                     state(n=9, rings=3, extra="flags nogrssh\n"))
    assert outs[0][0].splitlines()[-1] == "    8:      2"
    assert "calls 0x2d 0x46:95 0x38 0x38 0x2d 0x46:95 0x38 0x39\n" in end
    assert "sent srxfhindir size=9 0 1 2 0 1 2 0 1 2\n" in end


SET = [
    X("equal", "2"), X("equal", "4"), X("equal", "5"), X("equal", "1"),
    X("equal", "1", "start", "2"), X("equal", "2", "start", "3"),
    X("start", "1", "equal", "3"), X("equal", "0x2"), X("equal", "010"),
    X("weight", "1", "2", "3", "4"), X("weight", "1", "0", "0", "1"),
    X("weight", "0", "0"), X("weight", "10", "10"),
    X("weight", "1", "2", "3", "4", "5"), X("weight", "1x"),
    X("weight", "0x10", "2"), X("weight", "1", "weight", "2"),
    X("weight", "4294967295", "2"),
    X("weight", "2147483648", "2147483648", "1"), X("weight", "4294967296"),
    X("weight", "3", "1", "start", "2"), X("weight", "1", "1", "hkey"),
    X("weight", "18"), X("weight", "9", "9"),
    X("default"), X("default", "hfunc", "xor"),
    X("hkey", KEY), X("hkey", KEY.upper()), X("hkey", KEY + ":"),
    X("hkey", KEYHEX), X("hkey", KEY + ":ab"), X("hkey", KEY[:-3]),
    X("hkey", ":".join(["ab"] * 39)), X("hkey", ":".join(["ab"] * 41)),
    X("hkey", "ab"), X("hkey", ""), X("hkey", "zz"), X("hkey", "a"),
    X("hkey", "abc"), X("hkey", "ab::cd"), X("hkey", "ab;cd"),
    X("hkey", ":".join([" a", "-1", "+f", "0x", "0X"] + ["01"] * 35)),
    X("hkey", ":".join(["-f"] * 40)), X("hkey", ":".join([" ab"] * 40)),
    X("hkey", ":".join(["  a"] * 40)), X("hkey", ":".join([" 0x"] * 40)),
    X("hkey", ":".join(["\ta"] * 40)), X("hkey", ":".join(["--"] * 40)),
    X("hkey", ":".join(["ab"] * 40), "equal", "3"),
    X("hfunc", "toeplitz"), X("hfunc", "xor"), X("hfunc", "crc32"),
    X("hfunc", "nope"), X("hfunc", "toeplitz", "equal", "2"),
    X("hfunc", "xor", "hfunc", "crc32"),
    X("context", "1", "equal", "2"), X("context", "1", "delete"),
    X("context", "3", "delete"), X("context", "3", "equal", "2"),
    X("context", "new", "equal", "2"), X("context", "new"),
    X("context", "new", "delete"), X("context", "new", "hkey", KEY),
    X("context", "1", "hkey", KEY), X("context", "1", "hfunc", "xor"),
    X("context", "1", "weight", "1", "3"), X("delete", "context", "1"),
    X("start", "0"), X("start", "1"), X("start", "1", "default"),
    X("equal", "2", "weight", "1"), X("equal", "2", "default"),
    X("weight", "1", "default"), X("default", "context", "1"),
    X("delete"), X("delete", "context", "1", "weight", "1"),
    X("delete", "context", "1", "equal", "2"),
    X("delete", "context", "new", "default"),
    X("delete", "context", "1", "hkey", KEY), X("start", "1", "weight"),
    X(), X("bogus"), X("equal"), X("equal", "0"), X("equal", "-1"),
    X("equal", "2147483648"), X("equal", "2147483647"), X("equal", "x"),
    X("weight"), X("weight", "x"), X("hkey"), X("hfunc"), X("start"),
    X("start", "-1"), X("start", "2147483648"), X("context", "0"),
    X("context", "4294967295"), X("context", "4294967294", "equal", "1"),
    X("context", "x"), X("context", "NEW"), X("equal", "2", "equal", "3"),
    ["--set-rxfh-indir", "veth0", "equal", "2"],
    ["--rxfh", "veth0", "default"],
]
SET_STATES = {
    "plain": state(extra=CTX),
    "no_hfunc": state(hfunc=0, extra=CTX),
    "nine_funcs": state(funcs=" ".join(f"f{i}" for i in range(9))),
    "no_key": state(key=""),
    "no_table": state(n=0),
    "short_key": state(key="a5" * 3),
    "fallback": state(extra="flags nogrssh\n"),
    "fallback_no_table": state(extra="flags nogrssh noindir\n"),
    "no_rings": state(extra="flags norings\n"),
    "no_strings": state(extra="flags nostrings\n"),
    "no_contexts": state(extra="flags noctx\n"),
    "zero_rings": state(rings=0),
}


@pytest.mark.parametrize("case", sorted(SET_STATES))
def test_set_then_show(fake, case):
    # Each -X, then -x: the outputs and the state at the end (the device,
    # its contexts, the -X request and the calls) compared.
    for args in SET:
        same(fake, [args, x()], SET_STATES[case])


def test_set_changes_the_device(fake):
    # The fake applied what was sent: a weighted table, a key, a function.
    key = ":".join(["5a"] * 40)
    outs, end = same(fake, [X("weight", "1", "3"),
                            X("hkey", key, "hfunc", "xor"), x()], state())
    assert [o[1:] for o in outs] == [("", 0)] * 3
    assert outs[2][0].splitlines()[1:4] == [
        "    0:      0     0     0     0     1     1     1     1",
        "    8:      1     1     1     1     1     1     1     1",
        "   16:      1     1"]
    assert key + "\n" in outs[2][0]
    assert "    xor: on\n" in outs[2][0]
    assert (" srssh ctx=0 indir_size=18 key_size=0 hfunc=0 0 0 0 0 1 1 "
            in end)
    assert f" srssh ctx=0 indir_size=4294967295 key_size=40 hfunc=2 " \
        f"key={key}\n" in end
    outs, end = same(fake, [X("context", "new", "equal", "3")], state())
    assert outs[0][0] == "New RSS context is 1\n"


@pytest.mark.parametrize("extra", [
    "claim 1073741823 40\n",      # a 4 GiB table
    "claim 18 4294967295\n",      # a 4 GiB key
    "claim 4294967295 4294967295\n",
    "claim 1073741823 0\nflags nogrssh\n",
])
def test_hostile_sizes(fake, extra):
    # Sizes no driver has: ours refuses to allocate them, as 6.1's
    # allocation fails on a board (prlimit), with the same messages.
    for args in (x(), X("equal", "2"), X("weight", "1", "1"),
                 X("hkey", KEY), X("hfunc", "xor"), X("default"),
                 X("start", "0")):
        same(fake, [args], state(extra=extra), small=True)


def test_hostile_reply_grows(fake):
    # A full GET that claims more than was asked for: ours prints what it
    # asked for, which is what 6.1 prints when the reply is honest.
    for base in ("", "flags nogrssh\n"):
        theirs = run(fake, THEIRS, [x()], state(extra=base))[0]
        ours = run(fake, OURS, [x()], state(extra=base + "grow 4096\n"))[0]
        assert ours == theirs


def test_context_without_value(fake):
    # "-X DEV context" as the last word: 6.1 reads past argv and crashes
    # (SIGSEGV: 128 + 11 from nltool); ours refuses the command line.
    theirs = run(fake, THEIRS, [X("context")], state())[0][0]
    assert theirs[2] == 139
    ours = run(fake, OURS, [X("context")], state())[0][0]
    assert ours == ("", "ethtool: bad command line argument(s)\n"
                    "For more information run ethtool -h\n", 1)


DEV_FORMS = [["-x"], ["-x", "context", "1"], ["-x", "context"],
             ["-x", "bogus"], ["--show-rxfh", "context", "0"],
             ["-X"], ["-X", "equal", "2"], ["-X", "weight", "1", "2"],
             ["-X", "weight", "1x"], ["-X", "default"],
             ["-X", "hkey", "ab:cd"], ["-X", "hfunc", "toeplitz"],
             ["-X", "context", "new", "equal", "2"],
             ["-X", "context", "1", "delete"], ["-X", "delete"],
             ["-X", "start", "1"], ["-X", "start", "1", "equal", "2"],
             ["-X", "equal", "0"], ["-X", "bogus"],
             ["--rxfh", "equal", "2", "default"]]


@pytest.mark.parametrize("dev", ["veth0", "lo", "nosuchdev"])
def test_real_devices(ens, dev):
    # Drivers without RSS: every form's refusal or error, without a fake.
    for ioctl in (False, True):
        for form in DEV_FORMS:
            same_dev(ens, [form[0], dev, *form[1:]], ioctl=ioctl)


def test_other_devices_and_names(ens):
    for dev in MORE_DEVS + ["a" * 16, "a" * 128]:
        for form in (["-x"], ["-X", "equal", "2"]):
            same_dev(ens, [form[0], dev, *form[1:]])
    assert same_dev(ens, ["-x", "veth0"])[1:] == (
        f"Cannot get RX ring count: {libc_text.strerror(95)}\n", 1)


# ---- --json -x (ethtool-lite/JSON.md; 6.1 refuses --json for -x) --------

def text_rxfh(out):
    """-x's text output as the members --json must give."""
    lines = out.splitlines()
    m = re.fullmatch(r"RX flow hash indirection table for (\S+) with "
                     r"(\d+) RX ring\(s\):", lines[0])
    j = {"ifname": m[1], "rx-rings": int(m[2])}
    i, table = 1, []
    while i < len(lines) and lines[i] != "RSS hash key:":
        if lines[i] != "Operation not supported":
            table += [int(v) for v in lines[i].split(":")[1].split()]
        i += 1
    if table:
        j["rss-indirection-table"] = table
    if i == len(lines):  # GRXFHINDIR: the table alone
        return j, None
    key = lines[i + 1]
    if key != "Operation not supported":
        j["rss-hash-key"] = [int(b, 16) for b in key.split(":")]
    assert lines[i + 2] == "RSS hash function:"
    funcs = [ln[4:].rsplit(": ", 1) for ln in lines[i + 3:]]
    on = [f[0] for f in funcs if len(f) == 2 and f[1] == "on"]
    if on:
        j["rss-hash-function"] = re.sub(
            r"\\x([0-9a-f]{2})", lambda h: chr(int(h[1], 16)), on[0])
    return j, funcs


def check_json_x(fake, args, start):
    """--json @args beside the text output of the same state: `[ ]` and
    the same stderr and status on an error, else exactly its members."""
    (tout, terr, trc), = run(fake, OURS, [args], start)[0]
    (jout, jerr, jrc), = run(fake, OURS, [["--json", *args]], start)[0]
    assert jrc == trc, args
    if trc:  # a refused command line prints no JSON at all
        bad = "bad command line" in terr
        assert (jout, jerr) == ("" if bad else "[ ]\n", terr), args
        return None
    assert jerr == terr == ""
    data = json.loads(jout)
    assert jout.startswith('[ {\n        "ifname": ')
    assert jout.endswith("\n    } ]\n") and len(data) == 1
    want, funcs = text_rxfh(tout)
    got = dict(data[0])
    raw = got.pop("rss-hash-function-raw", None)
    assert got == want, (args, start)
    # a function bit that names none: its raw value, only then
    named = funcs in (None, [["Operation not supported"]]) or \
        "rss-hash-function" in want
    assert (raw is None) == named, (args, start)
    return data[0]


@pytest.mark.parametrize("case", sorted(SHOW_STATES))
def test_json(fake, case):
    for args in (x(), x("context", "1"), x("context", "2"), x("context"),
                 ["--show-rxfh", "veth0"]):
        check_json_x(fake, args, SHOW_STATES[case])


@pytest.mark.parametrize("extra", ["claim 1073741823 40\n", "grow 4096\n",
                                   "claim 18 4294967295\n",
                                   "flags nogrssh\ngrow 64\n"])
def test_json_hostile(fake, extra):
    check_json_x(fake, x(), state(extra=extra))


def test_json_values(fake):
    # Not only agreement with the text: the values the state file holds.
    j = check_json_x(fake, x(), state(n=9, rings=3, hfunc=6))
    assert j == {"ifname": "veth0", "rx-rings": 3,
                 "rss-indirection-table": [0, 1, 2, 0, 1, 2, 0, 1, 2],
                 "rss-hash-key": list(range(0x30, 0x58)),
                 "rss-hash-function": "xor"}
    j = check_json_x(fake, x(), state(hfunc=0x80, funcs="a b c"))
    assert j["rss-hash-function-raw"] == 0x80
    j = check_json_x(fake, x(), state(n=0, key="", hfunc=0))
    assert j == {"ifname": "veth0", "rx-rings": 4}
    j = check_json_x(fake, x(), state(extra="flags nogrssh\n"))
    assert list(j) == ["ifname", "rx-rings", "rss-indirection-table"]
    assert check_json_x(fake, x(), state(extra="flags norings\n")) is None
    out = run(fake, OURS, [["--json", "-X", "veth0", "equal", "2"]],
              state())[0][0]
    assert out == ("", "ethtool: bad command line argument(s)\n"
                   "For more information run ethtool -h\n", 1)

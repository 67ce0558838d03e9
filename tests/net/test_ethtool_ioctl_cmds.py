"""ethtool-lite's -p, -t, -e, -E, -d and -m against Debian's ethtool 6.1 on
the host's devices (veth, ifb, tap, bridge, macvlan, lo and a missing one):
same stdout, stderr and exit code for every argument form, on the netlink
path and on the ioctl path (both tools under `nltool util no-genl-exec`,
whose seccomp filter hides the ethtool family).  None of these drivers
implements the operations, so this proves argument parsing, the order of
the requests and every error; the output of -m's decoder is proven on
module pages in tests/unit/test_ethtool_module.c."""
import os
import subprocess

import pytest

import libc_text
from conftest import BUILD

OURS = os.path.join(BUILD, "bin", "ethtool")
THEIRS = "/usr/sbin/ethtool"
NO_GENL = [os.path.join(BUILD, "tests", "nltool"), "util", "no-genl-exec"]
# Every form on these; the other devices' drivers lack the same
# operations as veth's, so one form per command there.
DEVS = ["veth0", "lo", "nosuchdev"]
MORE_DEVS = ["ifb0", "tap0", "br0", "mv0"]

# Each command with the argument forms 6.1 takes or refuses.
FORMS = {
    "-p": [[], ["5"], ["0x10"], ["-5"], ["abc"], ["1", "2"], ["99999999999"]],
    "--identify": [[]],
    "-t": [[], ["online"], ["offline"], ["external_lb"], ["bogus"],
           ["online", "offline"]],
    "--test": [["online"]],
    "-e": [[], ["raw", "on"], ["raw", "off"], ["offset", "4"],
           ["length", "16"], ["offset", "1", "length", "0x10"],
           ["hex", "on"], ["raw"], ["raw", "1"], ["offset", "-1"],
           ["offset", "4294967296"], ["foo", "1"]],
    "--eeprom-dump": [["raw", "on"]],
    "-E": [["magic", "0x1234", "offset", "0", "value", "1"],
           ["value", "1", "length", "2"], ["value", "256"], ["value", "1"],
           ["offset", "1", "length", "4294967295"], ["magic"],
           ["magic", "1", "length", "0"]],
    "--change-eeprom": [["magic", "1", "value", "2"]],
    "-d": [[], ["raw", "on"], ["hex", "on"], ["raw", "on", "hex", "on"],
           ["file", "/nonexistent"], ["raw", "maybe"], ["file"], ["bogus"]],
    "--register-dump": [["hex", "on"]],
    "-m": [[], ["raw", "on"], ["hex", "on"], ["hex", "on", "raw", "on"],
           ["page", "1"], ["page", "0"], ["hex", "on", "page", "0"],
           ["bank", "1"], ["i2c", "0x51"], ["i2c", "0x80"],
           ["i2c", "200", "hex", "on"], ["offset", "0x10"],
           ["offset", "100", "length", "100"], ["length", "0"],
           ["offset", "5", "length", "3", "page", "0"], ["hex", "1"],
           ["hex"], ["foo", "1"], ["hex", "on", "hex", "off"],
           ["offset", "-1"], ["raw", "on", "length", "5"]],
    "--module-info": [["hex", "on"]],
    "--dump-module-eeprom": [[]],
}
CASES = [[cmd, *args] for cmd, forms in FORMS.items() for args in forms]


@pytest.fixture(scope="module")
def tools():
    if not os.path.exists(OURS):
        pytest.skip(f"{OURS} not built (make ONLY=ethtool)")
    if not os.path.exists(THEIRS):
        pytest.skip("needs Debian's ethtool")


@pytest.fixture
def ens(ns, tools):
    ns.ip("link", "add", "ifb0", "type", "ifb")
    ns.ip("tuntap", "add", "tap0", "mode", "tap")
    ns.ip("link", "add", "br0", "type", "bridge")
    ns.ip("link", "add", "link", "veth0", "name", "mv0", "type", "macvlan")
    return ns


def run(ns, tool, args, ioctl=False, stdin=b""):
    """(stdout, stderr, rc) of @tool @args (bytes: -e raw is binary), on
    the ioctl path with @ioctl; the reference's strerror() texts in our C
    library's words."""
    argv = ["ip", "netns", "exec", ns.name, *(NO_GENL if ioctl else []),
            tool, *args]
    r = subprocess.run(argv, capture_output=True, input=stdin, timeout=30)
    out = (r.stdout.decode("latin-1"), r.stderr.decode("latin-1"),
           r.returncode)
    return libc_text.as_ours(out) if tool == THEIRS else out


def same(ns, args, **kw):
    theirs = run(ns, THEIRS, args, **kw)
    assert run(ns, OURS, args, **kw) == theirs, " ".join(args)
    return theirs


@pytest.mark.parametrize("dev", DEVS)
def test_every_form_matches(ens, dev):
    for ioctl in (False, True):
        for case in CASES:
            same(ens, [case[0], dev, *case[1:]], ioctl=ioctl)


def test_other_devices(ens):
    for dev in MORE_DEVS:
        for ioctl in (False, True):
            for cmd in FORMS:
                same(ens, [cmd, dev, *FORMS[cmd][0]], ioctl=ioctl)


def test_errors_are_the_drivers(ens):
    # Not a parser's refusal: each request reached the kernel and its
    # answer is what both print (a test that would pass on two tools
    # refusing everything alike would prove nothing).
    assert same(ens, ["-p", "veth0"])[1:] == (
        f"Cannot identify NIC: {libc_text.strerror(95)}\n", 255)
    assert same(ens, ["-t", "veth0"])[2] == 74
    assert same(ens, ["-d", "lo"])[2] == 72
    out = same(ens, ["-m", "veth0", "offset", "100", "length", "100"])
    assert "cross half page" in out[1]
    assert same(ens, ["-E", "veth0", "value", "1"])[1] == \
        "offset & length out of bounds\n"


def test_change_eeprom_stdin(ens):
    # Without "value", -E reads exactly LENGTH bytes from stdin.
    for data in (b"", b"\x01", b"\x01\x02"):
        for args in (["-E", "veth0"], ["-E", "veth0", "length", "0"],
                     ["-E", "veth0", "length", "1", "offset", "0"]):
            same(ens, args, stdin=data)


@pytest.mark.parametrize("name", ["a" * 16, "a" * 21, "a" * 128])
def test_long_names_and_json(ens, name):
    # Names the ioctl cannot carry (6.1's no_support() lines) or netlink
    # refuses; --json, which 6.1 takes for none of these commands.
    for cmd in ("-p", "-t", "-e", "-E", "-d", "-m"):
        for ioctl in (False, True):
            same(ens, [cmd, name], ioctl=ioctl)
            same(ens, ["--json", cmd, "veth0"], ioctl=ioctl)

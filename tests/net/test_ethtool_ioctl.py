"""ethtool-lite against Debian's ethtool 6.1 on the ioctl path: both run
under `nltool util no-genl-exec` (tests/net/nltool_seccomp.c), whose
seccomp filter makes socket(AF_NETLINK, ..., NETLINK_GENERIC) fail as on a
kernel without the ethtool family, and must print the same stdout and
stderr with the same exit code.  A filter reaches static programs (the
musl build) where an LD_PRELOAD shim could not.  Set commands start from
the same device state for both."""
import os
import subprocess

import pytest

import libc_text
from conftest import BUILD

OURS = os.path.join(BUILD, "bin", "ethtool")
THEIRS = "/usr/sbin/ethtool"
NO_GENL = [os.path.join(BUILD, "tests", "nltool"), "util", "no-genl-exec"]
DEVS = ["veth0", "veth1", "ifb0", "tap0", "br0", "mv0", "lo", "nosuchdev"]
READS = [[], ["-i"], ["-k"], ["-S"], ["-P"], ["-g"], ["-l"], ["-a"], ["-c"]]


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


def run(ns, tool, *args, ioctl=False):
    """(stdout, stderr, rc) of @tool, on the ioctl path with @ioctl; the
    reference's strerror() texts in our C library's words (libc_text)."""
    argv = ["ip", "netns", "exec", ns.name, *(NO_GENL if ioctl else []),
            tool, *args]
    r = subprocess.run(argv, capture_output=True, text=True, timeout=30)
    out = (r.stdout, r.stderr, r.returncode)
    return libc_text.as_ours(out) if tool == THEIRS else out


def same(ns, *args):
    theirs = run(ns, THEIRS, *args, ioctl=True)
    ours = run(ns, OURS, *args, ioctl=True)
    assert ours == theirs, f"ethtool {' '.join(args)} (ioctl path)"
    return ours


def test_shim_forces_ioctl(ens):
    # The netlink path prints "[  ]"; the ioctl path "[ ]": for each tool
    # (ours static or dynamic), the filter turns the one into the other.
    for tool in (THEIRS, OURS):
        assert "Supported ports: [  ]\n" in run(ens, tool, "veth0")[0]
        out = run(ens, tool, "veth0", ioctl=True)[0]
        assert "Supported ports: [ ]\n" in out, tool
    same(ens, "veth0")


@pytest.mark.parametrize("dev", DEVS)
def test_reads_match(ens, dev):
    for cmd in READS:
        same(ens, *cmd, dev)


def test_reads_up(ens):
    ens.ip("link", "set", "veth0", "up")
    ens.ip("link", "set", "veth1", "up")
    for cmd in READS:
        same(ens, *cmd, "veth0")


@pytest.mark.parametrize("args", [
    ["-s", "veth0", "speed", "1000"], ["-s", "veth0", "speed", "abc"],
    ["-s", "veth0", "wol", "g"], ["-s", "veth0", "wol", "x"],
    ["-s", "veth0", "autoneg", "on"], ["-s", "veth0", "foo", "1"],
    ["-s", "veth0"], ["-s", "veth0", "speed"], ["-s", "veth0", "lanes", "1"],
    ["-s", "veth0", "duplex", "full", "speed", "10", "port", "tp", "mdix",
     "on", "phyad", "1", "xcvr", "internal"],
    ["-s", "veth0", "advertise", "0x1"], ["-s", "veth0", "advertise", "zz"],
    ["-s", "veth0", "sopass", "01:02:03:04:05:06"],
    ["-s", "veth0", "sopass", "01:02"], ["-s", "veth0", "port", "da"],
    ["-s", "veth0", "master-slave", "forced-master"],
    ["-s", "nosuchdev", "speed", "10", "wol", "g", "msglvl", "1"],
    ["-s", "tap0", "msglvl", "foo", "on"], ["-s", "tap0", "msglvl", "drv"],
    ["-G", "veth0", "rx", "10"], ["-G", "veth0"], ["-G", "veth0", "foo", "1"],
    ["-L", "veth0", "combined", "1"], ["-L", "veth0", "rx", "abc"],
    ["-L", "veth0", "rx", "-5"], ["-L", "veth0", "rx", "010"],
    ["-L", "veth0", "foo", "1"], ["-L", "veth0"], ["-L", "veth0", "rx", "1"],
    ["-A", "veth0", "rx", "on"], ["-A", "veth0", "rx", "maybe"],
    ["-C", "tap0", "rx-usecs", "5"], ["-C", "tap0", "rx-frames", "0"],
    ["-C", "tap0", "cqe-mode-rx", "on"], ["-C", "nosuchdev", "rx-usecs", "1"],
    ["-K", "veth0"], ["-K", "veth0", "foo", "on"], ["-K", "veth0", "gro"],
    ["-K", "veth0", "tx-checksum-ipv4", "on"], ["-K", "nosuchdev", "gro", "on"],
    ["--json", "-k", "veth0"], ["-i", "a" * 16], ["-k", "a" * 21],
])
def test_errors_match(ens, args):
    same(ens, *args)


def fresh(ns, dev):
    """Makes @dev anew, as when created (veth0 with 4 queues each way, so
    that -L has values other than the current one): the reset before each
    tool's turn."""
    if dev == "tap0":
        cmds = ["link del tap0", "tuntap add tap0 mode tap"]
    else:
        q = "numrxqueues 4 numtxqueues 4"
        cmds = ["link del veth0",  # veth1 and mv0 with it
                f"link add veth0 {q} type veth peer name veth1 {q}",
                "link add link veth0 name mv0 type macvlan"]
    r = subprocess.run(["ip", "-n", ns.name, "-batch", "-"], text=True,
                       input="\n".join(cmds) + "\n", capture_output=True)
    assert r.returncode == 0, r.stderr


# What each set command changes, read by the reference over netlink.
AFTER = {"-s": [], "-K": ["-k"], "-L": ["-l"], "-C": ["-c"], "-G": ["-g"],
         "-A": ["-a"]}

# Set commands on the ioctl path, with values the device does not have
# when made: tap0 has speed 10000, duplex full, autoneg off, port tp,
# phyad 0, msglvl 0, rx-frames 0; veth0 rx 4 tx 4, gro off, tso/sg/tx on.
SETS = [
    ["-L", "veth0", "rx", "2"], ["-L", "veth0", "rx", "2", "tx", "0x3"],
    ["-L", "veth0", "rx", "02"], ["-L", "veth0", "tx", "1"],
    ["-s", "tap0", "msglvl", "3"], ["-s", "tap0", "msglvl", "010"],
    ["-s", "tap0", "msglvl", "drv", "on", "link", "on"],
    ["-s", "tap0", "speed", "1000", "duplex", "half"],
    ["-s", "tap0", "speed", "100"], ["-s", "tap0", "duplex", "half"],
    ["-s", "tap0", "autoneg", "on"], ["-s", "tap0", "port", "fibre"],
    ["-s", "tap0", "phyad", "3"],
    ["-s", "tap0", "autoneg", "on", "port", "mii", "phyad", "7", "speed",
     "100", "duplex", "half", "msglvl", "5"],
    ["-C", "tap0", "rx-frames", "5"], ["-C", "tap0", "rx-frames", "0x10"],
    ["-K", "veth0", "gro", "on"], ["-K", "veth0", "tso", "off"],
    ["-K", "veth0", "tx", "off"], ["-K", "veth0", "sg", "off", "tso", "off"],
    ["-K", "veth0", "rx-gro-list", "on"], ["-K", "veth0", "rxvlan", "off"],
    ["-K", "veth0", "generic-receive-offload", "on"],
]
# Refused, partly applied or without effect on these devices.
SETS_NO_CHANGE = [
    ["-L", "veth0", "rx", "4"], ["-L", "veth0", "rx", "5"],
    ["-s", "tap0", "msglvl", "0x30000"],  # netlink reads the named bits
    ["-K", "veth0", "lro", "on"], ["-K", "veth0", "ufo", "on"],
    ["-s", "tap0", "mdix", "on"], ["-s", "tap0", "advertise", "0x3"],
    ["-s", "tap0", "wol", "g", "msglvl", "3"],
    ["-s", "tap0", "msglvl", "3", "wol", "g"],
    ["-C", "tap0", "rx-usecs", "5"], ["-C", "tap0", "rx-frames", "5",
                                      "tx-frames", "5"],
    ["-G", "tap0", "rx", "100"], ["-A", "tap0", "rx", "on"],
]


# tun refuses a transceiver change: 6.1 reports it with perror() after
# ioctls that succeeded, so with whatever errno was left: EPROTONOSUPPORT
# from the failed generic netlink socket(), or 0 once a number was parsed
# (glibc's "Success", musl's "No error information": libc_text rewords).
XCVR = [["-s", "tap0", "xcvr", "external"],
        ["-s", "tap0", "speed", "100", "xcvr", "external"]]


def effect(ns, args, changes):
    """@args applied on the ioctl path, by the reference and then by ours
    on the device made anew; each time read back by the reference.  Same
    output, same state; with @changes the reference must have changed
    something (else a tool that sends nothing would pass)."""
    dev = args[1]

    def read():
        return run(ns, THEIRS, *AFTER[args[0]], dev)
    fresh(ns, dev)
    before = read()
    theirs = run(ns, THEIRS, *args, ioctl=True)
    after = read()
    fresh(ns, dev)
    assert run(ns, OURS, *args, ioctl=True) == theirs, "output"
    assert read() == after, "state read back"
    if changes:
        assert theirs[2] == 0 and after != before, f"no change: {theirs}"


@pytest.mark.parametrize("changes,cases", [(True, SETS),
                                           (False, SETS_NO_CHANGE),
                                           (False, XCVR)],
                         ids=["changes", "no-change", "xcvr-errno"])
def test_sets_match_and_read_back(ens, changes, cases):
    bad = []
    for args in cases:
        try:
            effect(ens, args, changes)
        except AssertionError as e:
            bad.append(f"ethtool {' '.join(args)} (ioctl path): "
                       f"{str(e)[:1500]}")
    assert not bad, "\n\n".join(bad)
    for cmd in ([], ["-k"], ["-l"], ["-c"]):
        same(ens, *cmd, "veth0")
        same(ens, *cmd, "tap0")

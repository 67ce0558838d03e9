"""ethtool-lite against Debian's ethtool 6.1 on the ioctl path: both run
under an LD_PRELOAD shim (tests/net/ethtool/no_genl.c) that makes
socket(AF_NETLINK, ..., NETLINK_GENERIC) fail, as on a kernel without the
ethtool family, and must print the same stdout and stderr with the same
exit code.  Set commands start from the same device state for both."""
import os
import shutil
import subprocess

import pytest

from conftest import BUILD

HERE = os.path.dirname(os.path.abspath(__file__))
OURS = os.path.join(BUILD, "bin", "ethtool")
THEIRS = "/usr/sbin/ethtool"
DEVS = ["veth0", "veth1", "ifb0", "tap0", "br0", "mv0", "lo", "nosuchdev"]
READS = [[], ["-i"], ["-k"], ["-S"], ["-P"], ["-g"], ["-l"], ["-a"], ["-c"]]


@pytest.fixture(scope="module")
def shim(tmp_path_factory):
    if not os.path.exists(OURS):
        pytest.skip(f"{OURS} not built (make ONLY=ethtool)")
    if not os.path.exists(THEIRS):
        pytest.skip("needs Debian's ethtool")
    cc = shutil.which("cc") or shutil.which("gcc")
    if not cc:
        pytest.skip("needs a C compiler for the shim")
    so = str(tmp_path_factory.mktemp("shim") / "no_genl.so")
    subprocess.run([cc, "-shared", "-fPIC", "-o", so,
                    os.path.join(HERE, "ethtool", "no_genl.c")], check=True)
    return so


@pytest.fixture
def ens(ns, shim):
    ns.ip("link", "add", "ifb0", "type", "ifb")
    ns.ip("tuntap", "add", "tap0", "mode", "tap")
    ns.ip("link", "add", "br0", "type", "bridge")
    ns.ip("link", "add", "link", "veth0", "name", "mv0", "type", "macvlan")
    ns.shim = shim
    return ns


def run(ns, tool, *args, shim=None):
    env = dict(os.environ)
    if shim:
        env["LD_PRELOAD"] = shim
        # A sanitizer build wants its runtime first; the shim is harmless.
        env["ASAN_OPTIONS"] = ":".join(filter(None, [
            env.get("ASAN_OPTIONS"), "verify_asan_link_order=0"]))
    argv = ["ip", "netns", "exec", ns.name, tool, *args]
    r = subprocess.run(argv, capture_output=True, text=True, timeout=30,
                       env=env)
    return r.stdout, r.stderr, r.returncode


def same(ns, *args):
    theirs = run(ns, THEIRS, *args, shim=ns.shim)
    ours = run(ns, OURS, *args, shim=ns.shim)
    assert ours == theirs, f"ethtool {' '.join(args)} (ioctl path)"
    return ours


def test_shim_forces_ioctl(ens):
    # The netlink path prints "[  ]"; the ioctl path "[ ]".
    out = same(ens, "veth0")[0]
    assert "Supported ports: [ ]\n" in out
    out = run(ens, OURS, "veth0")[0]
    assert "Supported ports: [  ]\n" in out


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


def reset(ns):
    run(ns, THEIRS, "-L", "veth0", "rx", "1", "tx", "1")
    run(ns, THEIRS, "-s", "tap0", "msglvl", "0")
    run(ns, THEIRS, "-K", "veth0", "gro", "off", "rx-gro-list", "off",
        "rxvlan", "on", "tso", "on", "sg", "on", "tx", "on")


@pytest.mark.parametrize("args", [
    ["-L", "veth0", "rx", "2"], ["-L", "veth0", "rx", "2", "tx", "0x2"],
    ["-L", "veth0", "rx", "02"],
    ["-s", "tap0", "msglvl", "3"], ["-s", "tap0", "msglvl", "010"],
    ["-s", "tap0", "msglvl", "0x30000"],
    ["-s", "tap0", "msglvl", "drv", "on", "link", "on"],
    ["-K", "veth0", "gro", "on"], ["-K", "veth0", "tso", "off"],
    ["-K", "veth0", "tx", "off"], ["-K", "veth0", "sg", "off", "tso", "off"],
    ["-K", "veth0", "lro", "on"], ["-K", "veth0", "ufo", "on"],
    ["-K", "veth0", "rx-gro-list", "on"], ["-K", "veth0", "rxvlan", "off"],
    ["-K", "veth0", "generic-receive-offload", "on"],
])
def test_sets_match_and_read_back(ens, args):
    reset(ens)
    theirs = run(ens, THEIRS, *args, shim=ens.shim)
    after = [run(ens, THEIRS, *r, args[1]) for r in READS[:3] + [["-l"]]]
    reset(ens)
    assert run(ens, OURS, *args, shim=ens.shim) == theirs
    assert [run(ens, THEIRS, *r, args[1])
            for r in READS[:3] + [["-l"]]] == after
    for cmd in ([], ["-k"], ["-l"]):
        same(ens, *cmd, args[1])

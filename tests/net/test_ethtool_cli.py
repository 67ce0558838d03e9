"""ethtool-lite (build/ARCH/bin/ethtool) against Debian's ethtool 6.1, in the
test's namespace: same stdout, stderr and exit code for every supported
command on veth, ifb, tap, bridge and macvlan devices."""
import os
import shutil
import subprocess

import pytest

from conftest import BUILD

OURS = os.path.join(BUILD, "bin", "ethtool")
THEIRS = "/usr/sbin/ethtool"
DEVS = ["veth0", "veth1", "ifb0", "tap0", "br0", "mv0", "lo"]
LONG = "a" * 21
NO_NL = "EMBNET_ETHTOOL_NO_NETLINK"


def need_tools():
    if not os.path.exists(OURS):
        pytest.skip(f"{OURS} not built (make ONLY=ethtool)")
    if not os.path.exists(THEIRS):
        pytest.skip("needs Debian's ethtool")


@pytest.fixture
def ens(ns):
    need_tools()
    ns.ip("link", "add", "ifb0", "type", "ifb")
    ns.ip("tuntap", "add", "tap0", "mode", "tap")
    ns.ip("link", "add", "br0", "type", "bridge")
    ns.ip("link", "add", "link", "veth0", "name", "mv0", "type", "macvlan")
    return ns


def run(ns, tool, *args, env=None):
    argv = ["ip", "netns", "exec", ns.name, tool, *args]
    r = subprocess.run(argv, capture_output=True, text=True, timeout=30,
                       env=env)
    return r.stdout, r.stderr, r.returncode


def same(ns, *args):
    theirs = run(ns, THEIRS, *args)
    ours = run(ns, OURS, *args)
    assert ours == theirs, f"ethtool {' '.join(args)}"
    return ours


READS = [[], ["-i"], ["-k"], ["-S"], ["-P"], ["-g"], ["-l"], ["-a"], ["-c"]]


@pytest.mark.parametrize("dev", DEVS)
def test_reads_match(ens, dev):
    for cmd in READS:
        same(ens, *cmd, dev)


def test_reads_up_and_down(ens):
    ens.ip("link", "set", "veth0", "up")
    ens.ip("link", "set", "veth1", "up")
    for cmd in READS:
        same(ens, *cmd, "veth0")
        same(ens, *cmd, "mv0")


@pytest.mark.parametrize("args", [
    [], ["-x"], ["-k"], ["-i"], ["--frobnicate", "veth0"],
    ["-i", "veth0", "extra"], ["-k", "veth0", "extra"], ["veth0", "extra"],
    ["--json", "-P", "veth0"], ["--json", "-K", "veth0", "gro", "on"],
    ["--json", "-s", "veth0", "speed", "10"], ["-h"], ["--help"], ["--version"],
    ["-K", "veth0"], ["-K", "veth0", "gro"], ["-K", "veth0", "gro", "maybe"],
    ["-K", "veth0", "foo", "on"], ["-K", "veth0", "tx-checksum-ipv4", "on"],
    ["-r", "veth0"], ["-r", "tap0"],
])
def test_arguments_and_errors(ens, args):
    same(ens, *args)


@pytest.mark.parametrize("cmd", READS + [["-r"]])
def test_no_such_device(ens, cmd):
    same(ens, *cmd, "nosuchdev")


@pytest.mark.parametrize("cmd", READS + [["-r"]])
def test_long_name(ens, cmd):
    same(ens, *cmd, LONG)
    same(ens, *cmd, "b" * 16)


def test_json_features(ens):
    same(ens, "--json", "-k", "veth0")
    same(ens, "--json", "-k", "nosuchdev")


@pytest.mark.parametrize("tool", [OURS, THEIRS])
def test_set_features_read_back(ens, tool):
    for setting in [["gro", "on"], ["rx-gro-list", "on"],
                    ["tso", "off", "sg", "off"], ["tx", "off"],
                    ["generic-receive-offload", "off"], ["tx", "on"]]:
        r = same_after(ens, tool, "-K", "veth0", *setting)
        assert r[2] == 0, r
    same(ens, "-k", "veth0")


def same_after(ns, tool, *args):
    """Applies args with @tool, then requires both tools to read the same."""
    r = run(ns, tool, *args)
    same(ns, "-k", args[1])
    return r


def test_set_features_fixed_same_result(ens):
    # A fixed feature: both tools print the same refusal, rc 1.
    same(ens, "-K", "veth0", "tx-checksum-ipv4", "on")
    args = ("-K", "veth0", "rx-gro-hw", "on", "gro", "on")
    theirs = run(ens, THEIRS, *args)
    run(ens, THEIRS, "-K", "veth0", "gro", "off")  # same starting state
    assert run(ens, OURS, *args) == theirs
    same(ens, "-k", "veth0")


def test_no_netlink_env_takes_ioctl_path(ens):
    env = dict(os.environ, **{NO_NL: "1"})
    # -i and -S are ioctl in both paths: same as 6.1 with netlink.
    for cmd in (["-i"], ["-S"]):
        ours = run(ens, OURS, *cmd, "veth0", env=env)
        assert ours == run(ens, THEIRS, *cmd, "veth0")
    out, err, rc = run(ens, OURS, "-i", LONG, env=env)
    assert "device name longer than 15 not supported" in err and rc == 1


@pytest.mark.parametrize("args", [
    ["-s", "veth0", "speed", "1000"], ["-s", "veth0", "speed", "abc"],
    ["-s", "veth0", "duplex", "full"], ["-s", "veth0", "duplex", "foo"],
    ["-s", "veth0", "foo", "1"], ["-s", "veth0", "xcvr", "internal"],
    ["-s", "veth0", "wol", "g"], ["-s", "veth0", "speed"], ["-s", "veth0"],
    ["-s", "nosuchdev", "speed", "10"], ["-s", "veth0", "autoneg", "on"],
    ["-s", "veth0", "speed", "10", "speed", "10"],
    ["-G", "veth0", "rx", "10"], ["-G", "veth0"], ["-G", "nosuchdev"],
    ["-L", "veth0", "combined", "1"], ["-L", "veth0", "rx", "abc"],
    ["-L", "veth0", "foo", "1"], ["-L", "veth0", "rx"],
    ["-L", "veth0", "rx", "1", "rx", "1"], ["-L", "veth0", "rx", "0x1"],
    ["-A", "veth0", "rx", "on"], ["-A", "veth0", "rx", "maybe"],
    ["-C", "veth0", "rx-usecs", "5"], ["-C", "tap0", "rx-frames", "0"],
    ["-L", "tap0", "combined", "1"], ["--json", "-a", "veth0"],
    ["--json", "-a", "nosuchdev"],
])
def test_set_errors_match(ens, args):
    same(ens, *args)


@pytest.mark.parametrize("tool", [OURS, THEIRS])
@pytest.mark.parametrize("args,dev,read", [
    (["rx", "2", "tx", "2"], "veth0", "-l"),
    (["rx", "1", "tx", "1"], "veth0", "-l"),
])
def test_set_channels_read_back(ens, tool, args, dev, read):
    out, err, rc = run(ens, tool, "-L", dev, *args)
    assert rc == 0, err
    same(ens, read, dev)


@pytest.mark.parametrize("tool", [OURS, THEIRS])
@pytest.mark.parametrize("level", ["0x3", "0", "1/1", "0x30000"])
def test_set_msglvl_read_back(ens, tool, level):
    out, err, rc = run(ens, tool, "-s", "tap0", "msglvl", level)
    assert (out, err, rc) == run(ens, THEIRS, "-s", "tap0", "msglvl", level)
    same(ens, "tap0")


@pytest.mark.parametrize("args", [
    ["advertise", "foo", "on"], ["advertise", "fe"], ["advertise", "0x3/0x1"],
    ["advertise", "10baseT/Full", "on", "10baseT/Half", "off"],
    ["advertise", "10baseT/Full", "on", "--", "speed", "10"],
    ["advertise", "10baseT/Full"], ["advertise", "0x1g"], ["advertise"],
    ["advertise", "1/2/3"], ["autoneg", "on"], ["autoneg", "on", "speed", "10"],
    ["msglvl", "drv", "on", "link", "on"], ["msglvl", "foo", "on"],
    ["msglvl", "drv", "on", "--", "msglvl", "1"], ["msglvl", "drv"],
    ["msglvl", "0x10/0xff"], ["msglvl", "010"], ["msglvl", "fe"],
    ["msglvl", "1a"], ["msglvl", "1/ 1"], ["msglvl", "0xg"], ["msglvl", " 9"],
    ["sopass", "01:02:03:04:05:06"], ["sopass", "1:2:3:4:5:6"],
    ["sopass", "01:02:03:04:05:06:07"], ["sopass", "0102030405"],
    ["wol", "g", "sopass", "01:02:03:04:05:0g"],
])
def test_sset_bitsets_match(ens, args):
    """-s advertise / msglvl / sopass as 6.1 parses them, read back."""
    def reset():
        run(ens, THEIRS, "-s", "tap0", "msglvl", "0")
        run(ens, THEIRS, "-s", "tap0", "autoneg", "off", "advertise", "0")
    reset()
    theirs = run(ens, THEIRS, "-s", "tap0", *args), run(ens, THEIRS, "tap0")
    reset()
    ours = run(ens, OURS, "-s", "tap0", *args), run(ens, THEIRS, "tap0")
    assert ours == theirs


@pytest.mark.parametrize("value", [" 1", "+1", "-1", "0x", "0x1", "1 ",
                                   "010", "99999999999"])
def test_numbers_like_61(ens, value):
    same(ens, "-L", "veth0", "rx", value)
    run(ens, THEIRS, "-L", "veth0", "rx", "1")

"""ethtool-lite (build/ARCH/bin/ethtool) against Debian's ethtool 6.1, in the
test's namespace: same stdout, stderr and exit code for every supported
command on veth, ifb, tap, bridge and macvlan devices.

Set commands are checked for their effect: the device is made anew, the
command applied by one tool, the state read back by the reference, and all
of it compared with the same sequence done by the reference alone (see
effect()).  What this kernel's devices accept: -K and -L on veth; -s
speed, duplex, autoneg, port, phyad, mdix, msglvl and -C rx-frames on tap.
-G and -A (and -s wol, sopass, master-slave, lanes, xcvr) no device here
accepts: those give the same error on every device, and change nothing;
their effect is checked against a fake of the kernel's side (Fake)."""
import os
import subprocess

import pytest

import libc_text
from conftest import BUILD

OURS = os.path.join(BUILD, "bin", "ethtool")
THEIRS = "/usr/sbin/ethtool"
NLTOOL = os.path.join(BUILD, "tests", "nltool")
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


def command(ns, tool, args, env=None):
    """argv of @tool @args in the namespace; under the fake device (see
    Fake) when @env is a Fake's."""
    fake = [NLTOOL, "util", "fake-exec"] if env and FAKE_STATE in env else []
    return ["ip", "netns", "exec", ns.name, *fake, tool, *args]


def run(ns, tool, *args, env=None):
    """(stdout, stderr, rc); the reference's strerror() texts in the words
    of our C library (libc_text: musl's differ from glibc's)."""
    r = subprocess.run(command(ns, tool, args, env), capture_output=True,
                       text=True, timeout=30, env=env)
    out = (r.stdout, r.stderr, r.returncode)
    return libc_text.as_ours(out) if tool == THEIRS else out


def same(ns, *args):
    theirs = run(ns, THEIRS, *args)
    ours = run(ns, OURS, *args)
    assert ours == theirs, f"ethtool {' '.join(args)}"
    return ours


def fresh(ns, dev):
    """Makes @dev anew, in the state it has when created: the reset before
    each tool's turn in effect().  veth0 gets 4 queues each way (so that
    -L has values other than the current one) and mv0 back on top."""
    if dev == "tap0":
        cmds = ["link del tap0", "tuntap add tap0 mode tap"]
    elif dev == "veth0":
        q = "numrxqueues 4 numtxqueues 4"
        cmds = ["link del veth0",  # veth1 and mv0 with it
                f"link add veth0 {q} type veth peer name veth1 {q}",
                "link add link veth0 name mv0 type macvlan"]
    else:
        raise ValueError(dev)
    r = subprocess.run(["ip", "-n", ns.name, "-batch", "-"], text=True,
                       input="\n".join(cmds) + "\n", capture_output=True)
    assert r.returncode == 0, r.stderr


def effect(ns, dev, steps, reads, changes=True, env=None, reset=None):
    """Makes @dev anew (or calls @reset), applies each of @steps (argument
    lists) with the reference and reads @reads back with the reference
    after each; then the same with ours applying and the reference still
    reading.  Both must print the same and leave the same state.  With
    @changes, the reference's sequence must have changed what @reads show:
    a value the device already had would let a tool that sends nothing
    pass.  @env is the environment of every command (the fake below)."""
    reset = reset or (lambda: fresh(ns, dev))

    def read():
        return [run(ns, THEIRS, *r, dev, env=env) for r in reads]
    reset()
    before = read()
    theirs = []
    for args in steps:
        theirs.append((run(ns, THEIRS, *args, env=env), read()))
    reset()
    for args, (want, state) in zip(steps, theirs):
        assert run(ns, OURS, *args, env=env) == want, \
            f"ethtool {' '.join(args)}"
        assert read() == state, f"state after ethtool {' '.join(args)}"
    if changes:
        assert theirs[-1][1] != before, f"{steps}: no change to {reads}"
    return before, theirs


def effects(ns, dev, cmd, cases, reads, changes=True, check=None, **kw):
    """effect() for each of @cases (the arguments after `cmd dev`), one
    device made anew for each; reports every case that fails.  @check
    (before, theirs) adds a requirement on the reference's own run."""
    bad = []
    for args in cases:
        try:
            before, theirs = effect(ns, dev, [[cmd, dev, *args]], reads,
                                    changes, **kw)
            if check:
                assert check(before, theirs[0]), f"reference: {theirs[0]}"
        except AssertionError as e:
            bad.append(f"{cmd} {dev} {' '.join(args)}: {str(e)[:1500]}")
    assert not bad, "\n\n".join(bad)


def refused(before, theirs):
    """The reference's run failed and changed nothing."""
    return theirs[0][2] != 0 and theirs[1] == before


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
    for dev in DEVS:
        same(ens, "--json", "-k", dev)
    same(ens, "--json", "-k", "nosuchdev")


# -K on the netlink path, veth0: off when made gro, rx-gro-list,
# rx-udp-gro-forwarding, lro (fixed); on tso, sg, tx, rxvlan, txvlan.
FEATURES = [
    ["gro", "on"], ["rx-gro-list", "on"], ["tso", "off", "sg", "off"],
    ["tx", "off"], ["sg", "off"], ["rxvlan", "off", "txvlan", "off"],
    ["generic-receive-offload", "on"], ["rx-udp-gro-forwarding", "on"],
    ["gro", "on", "tso", "off", "rx-gro-list", "on"],
]


def test_set_features_effect(ens):
    effects(ens, "veth0", "-K", FEATURES, [["-k"]])


def test_set_features_sequence_effect(ens):
    """A cumulative sequence, each step compared: off then on again, a
    group (tx) over its members, a legacy name."""
    effect(ens, "veth0", [["-K", "veth0", *s] for s in (
        ["gro", "on"], ["rx-gro-list", "on"], ["tso", "off", "sg", "off"],
        ["tx", "off"], ["generic-receive-offload", "off"], ["tx", "on"])],
        [["-k"]])


def test_set_features_fixed_effect(ens):
    # A fixed feature: the same "[requested on]" report (rc 1 when nothing
    # else changed), and the features that could change did the same.
    effects(ens, "veth0", "-K", [
        ["rx-gro-hw", "on", "gro", "on"], ["lro", "on"],
        ["lro", "on", "gro", "on"], ["tx-checksum-ipv4", "on"],
        ["gro", "on", "tx-checksum-ipv4", "on"],
    ], [["-k"]], changes=False,
        check=lambda before, theirs: "[requested on]" in theirs[0][0])


def test_set_channels_effect(ens):
    # -L on the netlink path: fresh() gives veth0 rx 4 tx 4 of 4.
    effects(ens, "veth0", "-L", [
        ["rx", "2"], ["tx", "1"], ["rx", "2", "tx", "3"],
        ["rx", "1", "tx", "1"], ["rx", "0x3"], ["tx", "02"],
    ], [["-l"]])


def test_set_channels_refused(ens):
    effects(ens, "veth0", "-L", [
        ["rx", "5"], ["combined", "1"], ["rx", "0", "tx", "0"], ["other", "1"],
        ["rx", "3", "combined", "1"],
    ], [["-l"]], changes=False, check=refused)


def test_set_channels_sequence_effect(ens):
    effect(ens, "veth0", [["-L", "veth0", "rx", "1"],
                          ["-L", "veth0", "tx", "2"],
                          ["-L", "veth0", "rx", "4", "tx", "4"]], [["-l"]],
           changes=False)


def test_numbers_like_61(ens):
    effects(ens, "veth0", "-L", [
        ["rx", v] for v in (" 2", "+2", "-2", "0x", "0x2", "2 ", "02", "010",
                            "99999999999")], [["-l"]], changes=False)


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


# -G and -A: no device this kernel makes has ring or pause parameters
# (veth, tap, bridge, ifb, macvlan, lo answer EOPNOTSUPP), so each must give
# 6.1's error and leave -g / -a as they were.  Their effect is checked on
# the fake device at the end of this file, and -G on the guest's
# virtio-net (tests/qemu: t_ethtool).
def test_rings_pause_refused_everywhere(ens):
    for args in (["-G", "rx", "100"], ["-G", "tx", "100", "rx-jumbo", "10"],
                 ["-A", "rx", "on"],
                 ["-A", "rx", "on", "tx", "on", "autoneg", "off"]):
        read = "-g" if args[0] == "-G" else "-a"
        for dev in DEVS:
            before = run(ens, THEIRS, read, dev)
            theirs = run(ens, THEIRS, args[0], dev, *args[1:])
            # "Operation not supported" (glibc), "Not supported" (musl)
            assert theirs[2] != 0 and \
                "not supported" in theirs[1].lower(), theirs
            assert run(ens, OURS, args[0], dev, *args[1:]) == theirs, \
                (dev, args)
            assert run(ens, THEIRS, read, dev) == before


def test_set_coalesce_effect(ens):
    # -C on tap0: rx-frames (tun's rx_batched, 0 when made) is the one
    # coalesce parameter a device here takes.
    effects(ens, "tap0", "-C", [["rx-frames", "5"], ["rx-frames", "0x10"],
                                ["rx-frames", "010"]], [["-c"]])


def test_set_coalesce_refused(ens):
    effects(ens, "tap0", "-C", [
        ["rx-usecs", "5"], ["rx-usecs", "3", "rx-frames", "5"],
        ["tx-frames", "5"], ["adaptive-rx", "on"], ["rx-frames", "-1"],
        ["rx-frames", "4294967296"], ["cqe-mode-rx", "on"],
    ], [["-c"]], changes=False, check=refused)


def test_no_netlink_env_takes_ioctl_path(ens):
    env = dict(os.environ, **{NO_NL: "1"})
    # -i and -S are ioctl in both paths: same as 6.1 with netlink.
    for cmd in (["-i"], ["-S"]):
        ours = run(ens, OURS, *cmd, "veth0", env=env)
        assert ours == run(ens, THEIRS, *cmd, "veth0")
    out, err, rc = run(ens, OURS, "-i", LONG, env=env)
    assert "device name longer than 15 not supported" in err and rc == 1


# -s on tap0 (tun keeps the link settings it is given): made with speed
# 10000, duplex full, autoneg off, port tp, phyad 0, mdix unknown,
# msglvl 0.  Non-default values only, alone and together.
def test_set_settings_effect(ens):
    effects(ens, "tap0", "-s", [
        ["speed", "1000", "duplex", "half"], ["speed", "100"],
        ["duplex", "half"], ["speed", "2500", "duplex", "full"],
        ["autoneg", "on"], ["autoneg", "on", "speed", "10"],
        ["port", "fibre"], ["port", "da"], ["port", "mii"], ["phyad", "3"],
        ["phyad", "0x1f"], ["mdix", "on"], ["mdix", "off"], ["mdix", "auto"],
        ["msglvl", "0x3"], ["msglvl", "1/1"], ["msglvl", "0x4000"],
        ["msglvl", "drv", "on", "link", "on"],
        ["speed", "1000", "duplex", "half", "autoneg", "on", "port", "mii",
         "phyad", "7", "mdix", "on", "msglvl", "0x7"],
    ], [[]])


def test_set_settings_refused(ens):
    # -s fields no device here takes (tun has no WoL, lanes or
    # master-slave; xcvr is ioctl-only): 6.1's error, nothing changed.
    effects(ens, "tap0", "-s", [
        ["wol", "g"], ["wol", "d"], ["sopass", "01:02:03:04:05:06"],
        ["lanes", "2"], ["master-slave", "forced-master"],
        ["xcvr", "external"], ["speed", "1000", "lanes", "2"],
    ], [[]], changes=False, check=refused)


def test_set_settings_partly_refused(ens):
    # 6.1 sends one message per group of fields, in a fixed order (link
    # info, link modes, WoL, message level) and stops at the first refused:
    # the groups before it apply, the ones after do not.
    effects(ens, "tap0", "-s", [
        ["duplex", "half", "wol", "g"], ["msglvl", "3", "wol", "g"],
        ["speed", "100", "sopass", "01:02:03:04:05:06"], ["msglvl", "0x30000"],
        ["msglvl", "0x8000"], ["wol", "g", "msglvl", "3"],
        ["phyad", "2", "speed", "100", "msglvl", "1", "wol", "g"],
    ], [[]], changes=False)


def test_set_attribute_order_like_61(ens):
    # 6.1 puts the attributes of -C, -L and -s in command-line order; the
    # kernel's extended ack names the offset of the one it refuses.
    bad = []
    for dev, cmd, cases in (
            ("tap0", "-C", [["rx-frames", "5", "rx-usecs", "3"],
                            ["tx-usecs", "3", "rx-frames", "5"]]),
            ("veth0", "-L", [["combined", "1", "rx", "3"],
                             ["tx", "9", "rx", "9"]]),
            ("tap0", "-s", [["master-slave", "forced-master", "speed",
                             "100"]])):
        try:
            effects(ens, dev, cmd, cases, [[]], changes=False,
                    check=lambda before, theirs: "(offset " in theirs[0][1])
        except AssertionError as e:
            bad.append(str(e))
    assert not bad, "\n\n".join(bad)


def test_set_settings_sequence_effect(ens):
    effect(ens, "tap0", [["-s", "tap0", *s] for s in (
        ["speed", "1000", "duplex", "half"], ["msglvl", "drv", "on"],
        ["autoneg", "on"], ["speed", "100"], ["msglvl", "drv", "off"],
        ["duplex", "full", "autoneg", "off"])], [[]])


def test_sset_bitsets_match(ens):
    """-s advertise / msglvl / sopass as 6.1 parses them, read back.  (tun
    masks advertised modes with its supported ones, none: advertise takes
    no visible effect on any device here.)"""
    effects(ens, "tap0", "-s", [
        ["advertise", "foo", "on"], ["advertise", "fe"],
        ["advertise", "0x3/0x1"],
        ["advertise", "10baseT/Full", "on", "10baseT/Half", "off"],
        ["advertise", "10baseT/Full", "on", "--", "speed", "10"],
        ["advertise", "10baseT/Full"], ["advertise", "0x1g"], ["advertise"],
        ["advertise", "1/2/3"], ["autoneg", "on", "speed", "10"],
        ["msglvl", "foo", "on"], ["msglvl", "drv", "on", "--", "msglvl", "1"],
        ["msglvl", "drv"], ["msglvl", "0x10/0xff"], ["msglvl", "010"],
        ["msglvl", "fe"], ["msglvl", "1a"], ["msglvl", "1/ 1"],
        ["msglvl", "0xg"], ["msglvl", " 9"],
        ["sopass", "1:2:3:4:5:6"], ["sopass", "01:02:03:04:05:06:07"],
        ["sopass", "0102030405"], ["wol", "g", "sopass", "01:02:03:04:05:0g"],
    ], [[]], changes=False)


# ---- -A / -a and -G / -g against a fake device -------------------------
# No device here has pause or ring parameters, and the guest's virtio-net
# has no pause parameters.  `nltool util fake-exec` (nltool_fake.c) runs
# either tool with its sendto() and recvmsg() passed through a seccomp
# filter to nltool, which answers the ethtool netlink PAUSE_GET/SET and
# RINGS_GET/SET messages for tap0 from a state file, in the kernel's
# format; every other call goes to the kernel.  Both tools then read, and
# the reference reads back what either set, as with a device that has
# them.  (A filter reaches our static musl build; LD_PRELOAD would not.)
#
# The state file: lines "GETCMD TYPE WIDTH VALUE".  ETHTOOL_MSG_PAUSE_GET
# 21: autoneg off, rx on, tx off.  RINGS_GET 15: rx/tx max 4096, rx/tx 256,
# rx-buf-len 2048, tcp-data-split off (1), cqe-size 64, tx-push off: what
# the kernel sends for such a NIC.
PAUSE0 = "21 2 1 0\n21 3 1 1\n21 4 1 0\n"
RINGS0 = ("15 2 4 4096\n15 6 4 256\n15 5 4 4096\n15 9 4 256\n"
          "15 10 4 2048\n15 11 1 1\n15 12 4 64\n15 13 1 0\n")
FAKE_STATE = "EMBNET_FAKE_STATE"


class Fake:
    """The fake's state file and the environment that selects it: run()
    with env=fake.env runs the tool under the fake."""

    def __init__(self, path):
        self.path = str(path)
        self.env = dict(os.environ, EMBNET_FAKE_DEV="tap0",
                        **{FAKE_STATE: self.path})

    def set(self, text):
        with open(self.path, "w") as f:
            f.write(text)

    def state(self):
        with open(self.path) as f:
            return f.read()


@pytest.fixture
def fake(ens, tmp_path):
    fk = Fake(tmp_path / "state")
    fk.set(PAUSE0 + RINGS0)
    return fk


def test_fake_reads_match(ens, fake):
    """-a and -g of the fake device as 6.1 prints them, for several
    states; the other devices still answer from the kernel."""
    for state in (PAUSE0 + RINGS0, "21 2 1 1\n21 3 1 0\n21 4 1 1\n",
                  "21 3 1 1\n21 4 1 1\n15 2 4 1024\n15 6 4 512\n15 13 1 1\n",
                  "15 3 4 8\n15 4 4 9\n15 7 4 2\n15 8 4 3\n15 11 1 2\n"
                  "15 5 4 100\n15 9 4 0\n"):
        fake.set(state)
        for cmd in (["-a"], ["-g"], ["--json", "-k"]):
            out = run(ens, THEIRS, *cmd, "tap0", env=fake.env)
            assert run(ens, OURS, *cmd, "tap0", env=fake.env) == out, \
                (state, cmd)
    assert "Pause parameters for tap0" in \
        run(ens, THEIRS, "-a", "tap0", env=fake.env)[0]
    out = run(ens, THEIRS, "-a", "veth0", env=fake.env)
    assert out[2] != 0 and run(ens, OURS, "-a", "veth0", env=fake.env) == out


def test_set_pause_effect(ens, fake):
    effects(ens, "tap0", "-A", [
        ["rx", "off"], ["tx", "on"], ["autoneg", "on"],
        ["rx", "off", "tx", "on"],
        ["autoneg", "on", "rx", "off", "tx", "on"],
        ["tx", "on", "rx", "off", "autoneg", "off"],
    ], [["-a"]], env=fake.env, reset=lambda: fake.set(PAUSE0 + RINGS0))


def test_set_pause_no_change(ens, fake):
    effects(ens, "tap0", "-A", [
        ["rx", "on"], ["autoneg", "off", "tx", "off"], ["rx", "maybe"],
        ["foo", "on"], ["rx"], [], ["rx", "on", "rx", "off"],
        ["rx-usecs", "1"],
    ], [["-a"]], changes=False, env=fake.env,
        reset=lambda: fake.set(PAUSE0 + RINGS0))


def test_set_rings_effect(ens, fake):
    effects(ens, "tap0", "-G", [
        ["rx", "512"], ["tx", "128"], ["rx", "512", "tx", "128"],
        ["tx", "100", "rx", "100"], ["rx", "4096"], ["rx", "0x200"],
        ["rx-buf-len", "4096"], ["cqe-size", "128"], ["tx-push", "on"],
        ["rx", "1024", "tx-push", "on", "cqe-size", "32"],
    ], [["-g"]], env=fake.env, reset=lambda: fake.set(PAUSE0 + RINGS0))


def test_set_rings_refused(ens, fake):
    # Over the maximum (EINVAL), without a maximum (EOPNOTSUPP), or not
    # parsed: 6.1's error, the state as it was.
    effects(ens, "tap0", "-G", [
        ["rx", "5000"], ["tx", "4097"], ["rx-mini", "5"], ["rx-jumbo", "5"],
        ["rx", "512", "rx-mini", "5"], ["rx", "abc"], ["foo", "1"], ["rx"],
        ["tcp-data-split", "on"], ["tx-push", "maybe"], ["rx", "-1"],
    ], [["-g"]], changes=False, env=fake.env,
        reset=lambda: fake.set(PAUSE0 + RINGS0),
        check=lambda before, theirs: theirs[0][2] != 0 and
        theirs[1] == before)


def test_set_rings_pause_sequence_effect(ens, fake):
    effect(ens, "tap0", [["-G", "tap0", "rx", "512"],
                         ["-A", "tap0", "tx", "on"],
                         ["-G", "tap0", "tx", "64", "rx", "4096"],
                         ["-A", "tap0", "rx", "off", "autoneg", "on"]],
           [["-a"], ["-g"]], env=fake.env,
           reset=lambda: fake.set(PAUSE0 + RINGS0))

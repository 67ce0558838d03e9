"""ethtool-lite's --show/--set-priv-flags, --show/--set-eee and
--show/--set-fec on the ioctl path against Debian's ethtool 6.1: both run
without generic netlink (`nltool util no-genl-exec`) under `nltool util
fake-exec`, which answers their SIOCETHTOOL calls for tap0 (GSSET_INFO and
GSTRINGS of the private flags, GPFLAGS/SPFLAGS, GEEE/SEEE,
GFECPARAM/SFECPARAM) from its state file, in lines "IOCTL WORD 4 VALUE":
word WORD of the command's struct (see nltool_fake.c).  Same stdout,
stderr and exit code; after a set, the same state and the same read-back
by both tools (test_ethtool_more.fake_effects)."""
from test_ethtool_more import (THEIRS, all_same, ens, fake,  # noqa: F401
                               fake_effects, run)

# ETHTOOL_GSSET_INFO (55) of ETH_SS_PRIV_FLAGS (2): the number of flags,
# named as nltool_fake_bits.c does (an i40e's 13, flag13 on, bit 31 a
# name of ETH_GSTRING_LEN characters); GPFLAGS (39) word 1: their value.
PRIV0 = "55 2 4 13\n39 1 4 5\n"
PRIV = [PRIV0,
        "55 2 4 0\n39 1 4 0\n",  # no flags: "No private flags defined"
        "55 2 4 32\n39 1 4 4294967295\n",  # every flag, the long name
        "55 2 4 32\n39 1 4 2147483648\n",
        "55 2 4 40\n39 1 4 2863311530\n",  # more than GPFLAGS holds
        "55 2 4 64\n39 1 4 1\n",
        "55 2 4 3\n39 1 4 4294967295\n",  # value bits past the flags
        "55 2 4 1\n39 1 4 0\n",
        "55 2 4 13\n",  # no GPFLAGS: the kernel's EOPNOTSUPP
        "39 1 4 5\n",  # no flag count: the kernel's (none)
        # GSSET_INFO fails ("55 0 4 ERRNO"): with EOPNOTSUPP 6.1 takes the
        # count from GDRVINFO, else gives up
        "55 2 4 13\n55 0 4 95\n39 1 4 5\n", "55 2 4 0\n55 0 4 95\n",
        "55 2 4 13\n55 0 4 22\n39 1 4 5\n",
        ""]
SHOW_PRIV = [["--show-priv-flags", "tap0"], ["--show-priv-flags", "tap0", "x"],
             ["--json", "--show-priv-flags", "tap0"]]


def reads(ns, fake, states, cases):
    bad = []
    for state in states:
        fake.set(state)
        try:
            all_same(ns, cases, fake=fake, ioctl=True)
        except AssertionError as e:
            bad.append(f"state {state!r}: {e}")
    assert not bad, "\n".join(bad)


def test_privflags_reads(ens, fake):
    reads(ens, fake, PRIV, SHOW_PRIV)
    fake.set(PRIV0)
    out = run(ens, THEIRS, SHOW_PRIV[0], fake=fake, ioctl=True)
    assert out[2] == 0 and "LinkPolling           : on\n" in out[0], out
    fake.set(PRIV[2])
    out = run(ens, THEIRS, SHOW_PRIV[0], fake=fake, ioctl=True)
    assert "flag-31-named-to-32-characters-: on\n" in out[0], out
    fake.set(PRIV[10])  # the count through GDRVINFO: the same flags
    out = run(ens, THEIRS, SHOW_PRIV[0], fake=fake, ioctl=True)
    fake.set(PRIV0)
    assert out == run(ens, THEIRS, SHOW_PRIV[0], fake=fake, ioctl=True)


def sprivflags(*cases):
    return [["--set-priv-flags", "tap0", *a] for a in cases]


def test_privflags_sets(ens, fake):
    read = SHOW_PRIV[0]
    fake_effects(ens, fake, PRIV0, sprivflags(
        ["legacy-rx", "on"], ["MFP", "off", "legacy-rx", "on"],
        ["MFP", "off", "LinkPolling", "off"],
        ["vf-vlan-pruning", "on", "MFP", "on"],
        ["legacy-rx", "on", "legacy-rx", "off", "rs-fec", "on"]),
        read, ioctl=True)
    fake_effects(ens, fake, PRIV0, sprivflags(
        [], ["MFP", "on"], ["nosuch", "on"], ["MFP"], ["MFP", "maybe"],
        ["MFP", "ON"], ["0x10"], ["16"], ["0x10/0x11"], ["mfp", "off"],
        ["legacy-rx", "on", "--"], ["--", "MFP", "off"],
        ["legacy-rx", "on", "nosuch"], ["flag14", "on"], ["MFP", "off", "x"]),
        read, changes=False, ioctl=True)
    # 40 flags: 6.1 names only the first 32; 31 characters of the long one
    many = "55 2 4 40\n39 1 4 0\n"
    fake_effects(ens, fake, many, sprivflags(
        ["flag30", "on"], ["flag-31-named-to-32-characters-", "on"]),
        read, ioctl=True)
    fake_effects(ens, fake, many, sprivflags(
        ["flag35", "on"], ["flag-31-named-to-32-characters--", "on"]),
        read, changes=False, ioctl=True)
    # the driver refuses (bits past its flags): "Cannot set private flags"
    # no flags, no GPFLAGS, no GSSET_INFO line
    for start in ("55 2 4 3\n39 1 4 255\n", PRIV[1], PRIV[8], PRIV[9]):
        fake_effects(ens, fake, start, sprivflags(["MFP", "off"], []),
                     read, changes=False, ioctl=True)


# ETHTOOL_GEEE (68) words: 1 supported, 2 advertised, 3 lp_advertised,
# 4 eee_active, 5 eee_enabled, 6 tx_lpi_enabled, 7 tx_lpi_timer, 8-9
# reserved.  4138: 10baseT/Full, 100baseT/Full, 1000baseT/Full and
# 10000baseT/Full.
EEE0 = ("68 1 4 4138\n68 2 4 40\n68 3 4 8\n68 4 4 1\n68 5 4 1\n"
        "68 6 4 1\n68 7 4 17\n")
ALL = 4294967295
EEE = [EEE0,
       "68 1 4 0\n",  # not supported
       "68 1 4 4138\n68 2 4 0\n68 3 4 0\n",  # disabled, nothing advertised
       f"68 1 4 {ALL}\n68 2 4 {ALL}\n68 3 4 {ALL}\n68 4 4 {ALL}\n"
       f"68 5 4 {ALL}\n68 6 4 {ALL}\n68 7 4 {ALL}\n68 8 4 {ALL}\n"
       f"68 9 4 {ALL}\n",  # every bit of every word
       "68 1 4 63\n68 2 4 63\n68 3 4 63\n68 4 4 0\n68 5 4 1\n68 6 4 0\n"
       "68 7 4 2147483648\n",  # half/full pairs, inactive, lpi off
       "68 1 4 2147483648\n68 2 4 2147483648\n68 5 4 2\n68 6 4 1\n"
       "68 7 4 2147483648\n",
       ""]  # no line: the kernel's EOPNOTSUPP
SHOW_EEE = [["--show-eee", "tap0"], ["--show-eee", "tap0", "x"],
            ["--json", "--show-eee", "tap0"]]


def test_eee_reads(ens, fake):
    reads(ens, fake, EEE, SHOW_EEE)
    fake.set(EEE0)
    out = run(ens, THEIRS, SHOW_EEE[0], fake=fake, ioctl=True)
    assert out[2] == 0 and "Tx LPI: 17 (us)" in out[0], out


def seee(*cases):
    return [["--set-eee", "tap0", *a] for a in cases]


def test_eee_sets(ens, fake):
    read = SHOW_EEE[0]
    fake_effects(ens, fake, EEE0, seee(
        ["eee", "off"], ["tx-lpi", "off"], ["tx-timer", "100"],
        ["tx-timer", "0x20"], ["advertise", "0x8"], ["advertise", "8"],
        ["advertise", "0x1008"], ["advertise", "0"],
        ["advertise", "2147483647"], ["tx-timer", "2147483647"],
        ["eee", "off", "advertise", "2", "tx-timer", "5"],
        ["eee", "on", "tx-lpi", "off"], ["tx-timer", "0"],
        ["advertise", "010"]), read, ioctl=True)
    fake_effects(ens, fake, EEE0, seee(
        [], ["eee", "on"], ["tx-lpi", "on"], ["tx-timer", "17"],
        ["advertise", "40"], ["advertise", "0x28"], ["eee", "maybe"],
        ["advertise", "1000baseT/Full", "on"], ["advertise", "0x1008/0x1008"],
        ["advertise", "0x100000000"], ["advertise", "0x80000000"],
        ["advertise", "2147483648"], ["tx-timer", "99999999999"],
        ["tx-timer", "4294967295"], ["tx-timer", "-1"], ["tx-timer", "x"],
        ["foo", "1"], ["eee"], ["eee", "off", "eee", "on"],
        ["eee", "off", "--"], ["tx-lpi", "1"]),
        read, changes=False, ioctl=True)
    for start in (EEE[1], EEE[3], ""):
        fake_effects(ens, fake, start, seee(["eee", "on"], ["eee", "off"]),
                     read, changes=False, ioctl=True)


# ETHTOOL_GFECPARAM (80) words: 1 active_fec, 2 fec, 3 reserved; bits
# ETHTOOL_FEC_NONE 1, AUTO 2, OFF 4, RS 8, BASER 16, LLRS 32.
FEC0 = "80 1 4 8\n80 2 4 26\n"
FEC = [FEC0, "80 1 4 0\n80 2 4 0\n", "80 1 4 1\n80 2 4 1\n",
       "80 1 4 4\n80 2 4 4\n", "80 1 4 32\n80 2 4 63\n",
       f"80 1 4 {ALL}\n80 2 4 {ALL}\n80 3 4 {ALL}\n",  # unknown bits too
       "80 1 4 4294967232\n80 2 4 64\n", ""]
SHOW_FEC = [["--show-fec", "tap0"], ["--show-fec", "tap0", "x"],
            ["--json", "--show-fec", "tap0"]]


def test_fec_reads(ens, fake):
    reads(ens, fake, FEC, SHOW_FEC)
    fake.set(FEC0)
    out = run(ens, THEIRS, SHOW_FEC[0], fake=fake, ioctl=True)
    assert out[2] == 0 and "Active FEC encoding: RS\n" in out[0], out


def sfec(*cases):
    return [["--set-fec", "tap0", *a] for a in cases]


def test_fec_sets(ens, fake):
    read = SHOW_FEC[0]
    fake_effects(ens, fake, FEC0, sfec(
        ["encoding", "rs"], ["encoding", "off"], ["encoding", "BaseR"],
        ["encoding", "llrs", "rs"], ["encoding", "auto"],
        ["encoding", "AUTO", "off", "rs", "baser", "llrs"],
        ["encoding", "rs", "encoding", "off"]), read, ioctl=True)
    fake_effects(ens, fake, FEC0, sfec(
        [], ["encoding"], ["encoding", "foo"], ["foo"], ["rs"],
        ["encoding", "rs", "--"], ["encoding", "none"],
        ["encoding", "1000baseT/Full"], ["encoding", "x" * 40],
        ["encoding", "rs", "x"]), read, changes=False, ioctl=True)
    for start in ("80 1 4 8\n80 2 4 8\n", ""):
        fake_effects(ens, fake, start, sfec(["encoding", "rs"]), read,
                     changes=False, ioctl=True)


def test_devices_untouched(ens, fake):
    # the fake answers for tap0 alone: veth0 is the kernel's
    fake.set(PRIV0 + EEE0 + FEC0)
    all_same(ens, [["--show-priv-flags", "veth0"], ["--show-eee", "veth0"],
                   ["--show-fec", "veth0"],
                   ["--set-priv-flags", "veth0", "MFP", "on"]],
             fake=fake, ioctl=True)

"""ethtool family helpers (lib/ethtool.c) against the kernel and Debian's
ethtool, inside the test's namespace."""
import shutil

import pytest

from conftest import kv

# ethtool -k prints these legacy names instead of the one kernel feature
# they stand for; groups of several features print the features indented.
LEGACY = {
    "rx-checksumming": "rx-checksum",
    "generic-segmentation-offload": "tx-generic-segmentation",
    "generic-receive-offload": "rx-gro",
    "large-receive-offload": "rx-lro",
    "rx-vlan-offload": "rx-vlan-hw-parse",
    "tx-vlan-offload": "tx-vlan-hw-insert",
    "ntuple-filters": "rx-ntuple-filter",
    "receive-hashing": "rx-hashing",
}
GROUPS = {"tx-checksumming", "scatter-gather", "tcp-segmentation-offload"}


def need_ethtool():
    if not shutil.which("ethtool"):
        pytest.skip("needs ethtool")


def ethtool_k(ns, dev="veth0"):
    r = ns.run("ethtool", "-k", dev)
    assert r.returncode == 0, r.stderr
    feats = {}
    for line in r.stdout.splitlines()[1:]:
        name, _, value = line.strip().partition(": ")
        if not line.startswith("\t") and name in GROUPS:
            continue
        feats[LEGACY.get(name, name)] = value
    return feats


def features(ns, *extra, dev="veth0"):
    r = ns.nltool("ethtool", "features", dev, *extra)
    assert r.returncode == 0, r.stderr
    rec = kv(r.stdout)[0]
    meta = {k: rec.pop(k) for k in ("ifindex", "ifname", "n_bits")}
    rec.pop("", None)  # unused bits have no name
    return meta, rec


def test_features_match_ethtool(ns):
    need_ethtool()
    meta, ours = features(ns)
    assert meta["ifname"] == "veth0"
    assert int(meta["ifindex"]) == ns.ip_json("link", "show", "veth0")[0][
        "ifindex"]
    theirs = ethtool_k(ns)
    assert set(ours) == set(theirs)
    assert ours == theirs
    # Change one and compare again (gro is off by default on veth).
    want = "off" if ours["rx-gro"].startswith("on") else "on"
    r = ns.run("ethtool", "-K", "veth0", "gro", want)
    assert r.returncode == 0, r.stderr
    _, after = features(ns)
    assert after["rx-gro"].split()[0] == want
    assert after == ethtool_k(ns)


def test_features_verbose_equals_compact(ns):
    _, compact = features(ns)
    _, verbose = features(ns, "verbose")
    assert compact == verbose


def strset(ns, dev, name, *extra):
    r = ns.nltool("ethtool", "strset", dev, name, *extra)
    assert r.returncode == 0, r.stderr
    rec = kv(r.stdout)[0]
    meta = {k: int(rec.pop(k)) for k in ("id", "count")}
    return meta, {int(k): v for k, v in rec.items()}


def test_strset_features(ns):
    meta, names = strset(ns, "-", "features")
    assert meta["id"] == 4
    assert len(names) == meta["count"]
    dev_meta, dev_names = strset(ns, "veth0", "4")
    assert dev_meta == meta and dev_names == names
    _, ours = features(ns)
    assert {n for n in names.values() if n} == set(ours)
    if shutil.which("ethtool"):
        assert {n for n in names.values() if n} == set(ethtool_k(ns))


def test_strset_link_modes(ns):
    meta, names = strset(ns, "-", "link-modes")
    assert meta["id"] == 9 and meta["count"] == len(names)
    assert names[0] == "10baseT/Half"
    assert "10000baseT/Full" in names.values()
    counts, empty = strset(ns, "veth0", "link-modes", "counts")
    assert counts == meta and empty == {}


def test_strset_stats_match_ethtool_S(ns):
    need_ethtool()
    meta, names = strset(ns, "veth0", "stats")
    r = ns.run("ethtool", "-S", "veth0")
    assert r.returncode == 0, r.stderr
    theirs = [l.strip().rpartition(":")[0]
              for l in r.stdout.splitlines()[1:]]
    assert [names[i] for i in range(meta["count"])] == theirs


def test_strset_missing_device(ns):
    r = ns.nltool("ethtool", "strset", "nosuchdev", "features")
    assert r.returncode == 1
    assert r.stdout == ""
    assert r.stderr.startswith("nltool: ethtool strset: No such device")
    # Kernels since 5.6 say why in the extended ack.
    assert "no device matches name" in r.stderr


def test_features_missing_device(ns):
    r = ns.nltool("ethtool", "features", "nosuchdev")
    assert r.returncode == 1
    assert "No such device" in r.stderr


def test_linkstate(ns):
    st = kv(ns.nltool("ethtool", "linkstate", "veth0").stdout)[0]
    assert st["ifname"] == "veth0" and st["link"] == "no"
    ns.ip("link", "set", "veth0", "up")
    ns.ip("link", "set", "veth1", "up")
    st = kv(ns.nltool("ethtool", "linkstate", "veth0").stdout)[0]
    assert st["link"] == "yes"
    if shutil.which("ethtool"):
        r = ns.run("ethtool", "veth0")
        assert "Link detected: yes" in r.stdout


def test_linkinfo(ns):
    r = ns.nltool("ethtool", "linkinfo", "veth0")
    assert r.returncode == 0, r.stderr
    li = kv(r.stdout)[0]
    assert li["port"] == "0"         # PORT_TP
    assert li["transceiver"] == "0"  # XCVR_INTERNAL
    if shutil.which("ethtool"):
        out = ns.run("ethtool", "veth0").stdout
        assert "Port: Twisted Pair" in out
        assert "Transceiver: internal" in out
        assert f"PHYAD: {li['phyaddr']}" in out


def test_set_feature_by_name_notifies(ns):
    """FEATURES_SET with a verbose bitset by name (as ethtool -K), and the
    change seen as a FEATURES_NTF on a socket joined to "monitor"."""
    _, before = features(ns)
    want = "off" if before["rx-gro"].startswith("on") else "on"
    r = ns.nltool("ethtool", "set-feature", "veth0", "rx-gro", want)
    assert r.returncode == 0, r.stderr
    ntf = kv(r.stdout)[0]
    assert ntf == {"ntf_ifname": "veth0", "rx-gro": want}
    _, after = features(ns)
    assert after["rx-gro"].split()[0] == want
    if shutil.which("ethtool"):
        assert ethtool_k(ns)["rx-gro"].split()[0] == want


def test_set_feature_unknown_name(ns):
    r = ns.nltool("ethtool", "set-feature", "veth0", "no-such-feature", "on")
    assert r.returncode == 1
    assert "bit name not found" in r.stderr

"""etc/udhcpc/default.script under busybox sh and busybox ip, as in the guest.

Each event is run in a namespace holding veth0 (its peer up, so routes via
on-link gateways are accepted); results are read back with iproute2's ip -j.
"""
import os
import shutil

import pytest

from conftest import ROOT

SCRIPT = os.path.join(ROOT, "etc", "udhcpc", "default.script")
APPLETS = ["sh", "ip", "sed", "grep", "cut", "mv", "cat", "logger", "tr",
           "rm", "ls", "basename"]


@pytest.fixture
def bbpath(tmp_path):
    bb = shutil.which("busybox")
    if not bb:
        pytest.skip("busybox missing")
    d = tmp_path / "bin"
    d.mkdir()
    for a in APPLETS:
        os.symlink(bb, d / a)
    return str(d)


@pytest.fixture
def lease_ns(ns):
    ns.ip("link", "set", "veth0", "up")
    ns.ip("link", "set", "veth1", "up")
    return ns


def event(ns, bbpath, resolv, ev, **env):
    base = {"PATH": bbpath, "interface": "veth0", "RESOLV_CONF": str(resolv)}
    base.update(env)
    r = ns.run("env", "-i", *[f"{k}={v}" for k, v in base.items()],
               os.path.join(bbpath, "sh"), SCRIPT, ev)
    assert r.returncode == 0, r.stderr
    return r


def addrs(ns):
    return [(a["local"], a["prefixlen"], a.get("broadcast"))
            for i in ns.ip_json("-4", "addr", "show", "dev", "veth0")
            for a in i["addr_info"]]


def routes(ns):
    return {(r["dst"], r.get("gateway"), r.get("metric", 0))
            for r in ns.ip_json("-4", "route", "show", "dev", "veth0")
            if r.get("protocol") != "kernel"}


LEASE = dict(ip="192.0.2.10", mask="24", broadcast="192.0.2.255",
             router="192.0.2.1 192.0.2.2", dns="192.0.2.53 192.0.2.54",
             domain="example.test", lease="600")


def test_bound_sets_address_routes_resolv(lease_ns, bbpath, tmp_path):
    resolv = tmp_path / "resolv.conf"
    resolv.write_text("nameserver 203.0.113.9\n# kept\n")
    event(lease_ns, bbpath, resolv, "deconfig")
    event(lease_ns, bbpath, resolv, "bound", **LEASE)
    assert addrs(lease_ns) == [("192.0.2.10", 24, "192.0.2.255")]
    assert routes(lease_ns) == {("default", "192.0.2.1", 0),
                                ("default", "192.0.2.2", 1)}
    text = resolv.read_text()
    assert "nameserver 203.0.113.9\n# kept\n" in text  # not ours: kept
    assert "nameserver 192.0.2.53 # udhcpc:veth0" in text
    assert "nameserver 192.0.2.54 # udhcpc:veth0" in text
    assert "search example.test # udhcpc:veth0" in text


def test_staticroutes_win_over_router(lease_ns, bbpath, tmp_path):
    """RFC 3442: with option 121 the router option is ignored."""
    resolv = tmp_path / "resolv.conf"
    event(lease_ns, bbpath, resolv, "bound", **LEASE,
          staticroutes="198.51.100.0/24 192.0.2.7 0.0.0.0/0 192.0.2.9 "
                       "203.0.113.0/25 0.0.0.0")
    assert routes(lease_ns) == {("default", "192.0.2.9", 0),
                                ("198.51.100.0/24", "192.0.2.7", 0),
                                ("203.0.113.0/25", None, 0)}


def test_mtu_and_renew_with_new_address(lease_ns, bbpath, tmp_path):
    resolv = tmp_path / "resolv.conf"
    event(lease_ns, bbpath, resolv, "bound", **LEASE, mtu="1400")
    mtu = lease_ns.ip_json("link", "show", "dev", "veth0")[0]["mtu"]
    assert mtu == 1400
    renewed = dict(LEASE, ip="192.0.2.11", dns="192.0.2.55", search="a.test b.test")
    event(lease_ns, bbpath, resolv, "renew", **renewed)
    assert addrs(lease_ns) == [("192.0.2.11", 24, "192.0.2.255")]
    text = resolv.read_text()
    assert "192.0.2.53" not in text and "nameserver 192.0.2.55 # udhcpc:veth0" in text
    assert "search a.test b.test # udhcpc:veth0" in text  # search beats domain


def test_deconfig_clears_only_ours(lease_ns, bbpath, tmp_path):
    resolv = tmp_path / "resolv.conf"
    resolv.write_text("nameserver 203.0.113.9\n")
    event(lease_ns, bbpath, resolv, "bound", **LEASE)
    event(lease_ns, bbpath, resolv, "deconfig")
    assert addrs(lease_ns) == []
    assert routes(lease_ns) == set()
    assert resolv.read_text() == "nameserver 203.0.113.9\n"
    assert not [p for p in os.listdir(tmp_path) if p.startswith("resolv.conf.")]


@pytest.mark.parametrize("ev", ["leasefail", "nak"])
def test_leasefail_and_nak_change_nothing(lease_ns, bbpath, tmp_path, ev):
    resolv = tmp_path / "resolv.conf"
    event(lease_ns, bbpath, resolv, "bound", **LEASE)
    before = (addrs(lease_ns), routes(lease_ns), resolv.read_text())
    event(lease_ns, bbpath, resolv, ev, message="no offers")
    assert (addrs(lease_ns), routes(lease_ns), resolv.read_text()) == before

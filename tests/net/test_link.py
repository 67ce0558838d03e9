"""lib/link.c against the kernel: every link operation through nltool,
checked with `ip -j link show`."""
import errno

import pytest

from conftest import kv
from libc_text import strerror


def link_json(ns, name):
    return ns.ip_json("-d", "link", "show", "dev", name)[0]


def get(ns, name):
    r = ns.nltool("link", "get", name)
    assert r.returncode == 0, r.stderr
    return kv(r.stdout)[0]


def ok(ns, *args):
    r = ns.nltool("link", *args)
    assert r.returncode == 0, r.stderr
    assert r.stderr == ""
    return r


def fails(ns, *args, code=1):
    r = ns.nltool("link", *args)
    assert r.returncode == code, (r.stdout, r.stderr)
    assert len(r.stderr.strip().splitlines()) == 1, r.stderr
    return r.stderr


def vlan_supported(ns):
    r = ns.run("ip", "link", "add", "link", "veth0", "name", "probe.9",
               "type", "vlan", "id", "9")
    if r.returncode != 0:
        return False
    ns.ip("link", "del", "probe.9")
    return True


@pytest.mark.parametrize("name", ["lo", "veth0", "veth1"])
def test_get_matches_ip(ns, name):
    ref = link_json(ns, name)
    got = get(ns, name)
    assert int(got["index"]) == ref["ifindex"]
    assert got["name"] == ref["ifname"]
    assert int(got["mtu"]) == ref["mtu"]
    assert got["addr"] == ref["address"]
    assert got["operstate"] == ref["operstate"]
    assert got["up"] == ("1" if "UP" in ref["flags"] else "0")
    assert got["kind"] == ref.get("linkinfo", {}).get("info_kind", "")
    if name != "lo":
        # ip names the peer; we give its index.
        assert int(got["link"]) == link_json(ns, ref["link"])["ifindex"]


def test_get_missing_is_enodev(ns):
    err = fails(ns, "get", "nosuch0")
    assert "No such device" in err


def test_get_name_too_long(ns):
    err = fails(ns, "get", "a" * 16)
    assert "Invalid argument" in err


def test_dump_lists_every_link(ns):
    r = ok(ns, "dump")
    got = {rec["name"]: int(rec["index"]) for rec in kv(r.stdout)}
    ref = {link["ifname"]: link["ifindex"]
           for link in ns.ip_json("link", "show")}
    assert got == ref


def test_index(ns):
    r = ok(ns, "index", "veth1")
    assert kv(r.stdout)[0]["index"] == str(link_json(ns, "veth1")["ifindex"])
    assert "No such device" in fails(ns, "index", "nosuch0")


def test_up_down(ns):
    ok(ns, "up", "veth0")
    assert "UP" in link_json(ns, "veth0")["flags"]
    assert get(ns, "veth0")["up"] == "1"
    # The peer is down: up, but no carrier.
    assert get(ns, "veth0")["carrier"] == "0"
    assert link_json(ns, "veth0")["operstate"] == "LOWERLAYERDOWN"
    ok(ns, "up", "veth1")
    assert get(ns, "veth0")["carrier"] == "1"
    ok(ns, "down", "veth0")
    assert "UP" not in link_json(ns, "veth0")["flags"]
    assert get(ns, "veth0")["up"] == "0"


def test_up_missing(ns):
    assert "No such device" in fails(ns, "up", "nosuch0")


def test_mtu(ns):
    ok(ns, "mtu", "veth0", "1400")
    assert link_json(ns, "veth0")["mtu"] == 1400
    assert get(ns, "veth0")["mtu"] == "1400"


def test_mtu_too_big_has_extack(ns):
    err = fails(ns, "mtu", "veth0", "100000")
    assert err.startswith("nltool: link set mtu: Invalid argument: ")
    assert "mtu greater than device maximum" in err
    assert link_json(ns, "veth0")["mtu"] == 1500


def test_mtu_too_small(ns):
    err = fails(ns, "mtu", "veth0", "10")
    assert "mtu less than device minimum" in err


def test_mtu_usage(ns):
    fails(ns, "mtu", "veth0", "15x", code=2)
    fails(ns, "mtu", "veth0", "", code=2)
    fails(ns, "mtu", "veth0", code=2)


def test_mac(ns):
    ok(ns, "mac", "veth0", "02:11:22:33:44:5A")
    assert link_json(ns, "veth0")["address"] == "02:11:22:33:44:5a"
    assert get(ns, "veth0")["addr"] == "02:11:22:33:44:5a"


def test_mac_rejected_by_kernel(ns):
    # A multicast address is not a valid unicast hardware address.
    err = fails(ns, "mac", "veth0", "01:00:5e:00:00:01")
    assert strerror(errno.EADDRNOTAVAIL) in err
    fails(ns, "mac", "veth0", "02:11:22", code=1)  # wrong length
    fails(ns, "mac", "veth0", "zz:11", code=2)


def test_rename(ns):
    old = link_json(ns, "veth0")["ifindex"]
    ok(ns, "rename", "veth0", "wan0")
    assert link_json(ns, "wan0")["ifindex"] == old
    assert "No such device" in fails(ns, "get", "veth0")


def test_rename_bad(ns):
    assert strerror(errno.EINVAL) in fails(ns, "rename", "veth0", "x" * 16)
    assert "File exists" in fails(ns, "rename", "veth0", "veth1")


def test_alias_set_and_clear(ns):
    ok(ns, "alias", "veth0", "uplink to core")
    assert link_json(ns, "veth0")["ifalias"] == "uplink to core"
    assert get(ns, "veth0")["alias"] == "uplink to core"
    ok(ns, "alias", "veth0", "")
    assert "ifalias" not in link_json(ns, "veth0")
    assert get(ns, "veth0")["alias"] == ""


def test_alias_longest(ns):
    ok(ns, "alias", "veth0", "a" * 255)
    assert link_json(ns, "veth0")["ifalias"] == "a" * 255
    assert strerror(errno.EINVAL) in fails(ns, "alias", "veth0", "a" * 256)


def test_vlan_add(ns):
    if not vlan_supported(ns):
        # No 8021q in this kernel: the kernel says so, cleanly.
        err = fails(ns, "vlan-add", "veth0.5", "veth0", "5")
        assert (strerror(errno.EOPNOTSUPP) + ": Unknown device type") in err
        pytest.skip("kernel without 8021q: failure path checked")
    ok(ns, "vlan-add", "veth0.5", "veth0", "5")
    ref = link_json(ns, "veth0.5")
    assert ref["linkinfo"]["info_kind"] == "vlan"
    assert ref["linkinfo"]["info_data"]["id"] == 5
    got = get(ns, "veth0.5")
    assert got["kind"] == "vlan" and got["vlan_id"] == "5"
    assert int(got["link"]) == link_json(ns, "veth0")["ifindex"]
    assert "File exists" in fails(ns, "vlan-add", "veth0.5", "veth0", "5")
    fails(ns, "vlan-add", "veth0.4095", "veth0", "4095")


def test_vlan_bad_parent(ns):
    assert "No such device" in fails(ns, "vlan-add", "v.5", "nosuch0", "5")
    fails(ns, "vlan-add", "v.5", "veth0", "70000", code=2)
    assert [link["ifname"] for link in ns.ip_json("link", "show")] == \
        ["lo", "veth1", "veth0"]


def test_del(ns):
    ok(ns, "del", "veth0")
    # Deleting one end of a veth pair deletes both.
    assert [link["ifname"] for link in ns.ip_json("link", "show")] == ["lo"]
    assert "No such device" in fails(ns, "del", "veth0")


def test_usage(ns):
    r = ns.nltool("link", "frobnicate")
    assert r.returncode == 2
    assert r.stderr.startswith("usage: nltool link")

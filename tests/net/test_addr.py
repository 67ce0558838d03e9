"""nltool addr against the kernel in a namespace, checked with `ip -j`."""
import errno

from conftest import kv
from libc_text import strerror


def up(ns):
    ns.ip("link", "set", "veth0", "up")
    ns.ip("link", "set", "veth1", "up")


def addrs(ns, *opts):
    out = ns.ip_json(*opts, "addr", "show", "dev", "veth0")
    return out[0]["addr_info"] if out else []


def find(infos, local):
    return [a for a in infos if a.get("local") == local]


def ok(r):
    assert r.returncode == 0, r.stderr
    return r


def test_add_dump_del_v4(ns):
    up(ns)
    ok(ns.nltool("addr", "add", "veth0", "10.0.0.1/24", "broadcast", "+",
                 "label", "veth0:a"))
    a, = find(addrs(ns), "10.0.0.1")
    assert a["prefixlen"] == 24
    assert a["broadcast"] == "10.0.0.255"
    assert a["label"] == "veth0:a"
    assert a["scope"] == "global"
    recs = kv(ok(ns.nltool("addr", "dump", "veth0", "4")).stdout)
    rec, = [r for r in recs if r["local"] == "10.0.0.1"]
    assert rec["prefixlen"] == "24"
    assert rec["broadcast"] == "10.0.0.255"
    assert rec["label"] == "veth0:a"
    assert rec["family"] == "inet"
    assert rec["valid_lft"] == str(0xffffffff)
    assert all(r["family"] == "inet" for r in recs)
    ok(ns.nltool("addr", "del", "veth0", "10.0.0.1/24"))
    assert not find(addrs(ns), "10.0.0.1")


def test_duplicate_and_missing(ns):
    up(ns)
    ok(ns.nltool("addr", "add", "veth0", "10.0.0.1/24"))
    r = ns.nltool("addr", "add", "veth0", "10.0.0.1/24")
    assert r.returncode == 1
    assert strerror(errno.EEXIST) in r.stderr
    r = ns.nltool("addr", "del", "veth0", "10.0.9.9/24")
    assert r.returncode == 1
    assert strerror(errno.EADDRNOTAVAIL) in r.stderr


def test_peer_scope_lifetimes(ns):
    up(ns)
    ok(ns.nltool("addr", "add", "veth0", "10.0.1.1/24", "peer", "10.0.1.2",
                 "scope", "link", "valid", "100", "preferred", "50"))
    a, = find(addrs(ns), "10.0.1.1")
    assert a["address"] == "10.0.1.2"
    assert a["prefixlen"] == 32
    assert a["scope"] == "link"
    assert 90 <= a["valid_life_time"] <= 100
    assert 40 <= a["preferred_life_time"] <= 50
    rec, = kv(ok(ns.nltool("addr", "dump", "veth0", "4")).stdout)
    assert rec["address"] == "10.0.1.2"
    assert rec["scope"] == "253"
    assert 90 <= int(rec["valid_lft"]) <= 100


def test_replace(ns):
    up(ns)
    ok(ns.nltool("addr", "add", "veth0", "10.0.0.1/24"))
    ok(ns.nltool("addr", "replace", "veth0", "10.0.0.1/24", "valid", "300",
                 "preferred", "200"))
    a, = find(addrs(ns), "10.0.0.1")
    assert 290 <= a["valid_life_time"] <= 300
    ok(ns.nltool("addr", "replace", "veth0", "10.0.0.7/24"))
    assert find(addrs(ns), "10.0.0.7")


def test_v6_nodad_noprefixroute(ns):
    up(ns)
    ok(ns.nltool("addr", "add", "veth0", "2001:db8::1/64", "nodad"))
    ok(ns.nltool("addr", "add", "veth0", "2001:db8:1::1/64", "nodad",
                 "noprefixroute"))
    a, = find(addrs(ns, "-6"), "2001:db8::1")
    assert a["prefixlen"] == 64
    assert not a.get("tentative")
    b, = find(addrs(ns, "-6"), "2001:db8:1::1")
    assert b.get("noprefixroute")
    routes = [r["dst"] for r in ns.ip_json("-6", "route", "show", "dev",
                                            "veth0")]
    assert "2001:db8::/64" in routes
    assert "2001:db8:1::/64" not in routes
    recs = kv(ok(ns.nltool("addr", "dump", "veth0", "6")).stdout)
    rec, = [r for r in recs if r["local"] == "2001:db8:1::1"]
    assert int(rec["flags"], 16) & 0x202 == 0x202  # nodad | noprefixroute
    ok(ns.nltool("addr", "del", "veth0", "2001:db8::1/64"))
    assert not find(addrs(ns, "-6"), "2001:db8::1")


def test_flush(ns):
    up(ns)
    for a in ("10.0.0.1/24", "10.0.0.2/24", "192.0.2.1/25"):
        ok(ns.nltool("addr", "add", "veth0", a))
    ok(ns.nltool("addr", "add", "veth0", "2001:db8::1/64", "nodad"))
    ok(ns.nltool("addr", "flush", "veth0", "4"))
    assert not [a for a in addrs(ns) if a["family"] == "inet"]
    assert find(addrs(ns), "2001:db8::1")
    ok(ns.nltool("addr", "flush", "veth0"))
    assert addrs(ns) == []
    # the other interface is untouched
    ns.ip("addr", "add", "10.0.5.1/24", "dev", "veth1")
    ok(ns.nltool("addr", "flush", "veth0"))
    assert ns.ip_json("addr", "show", "dev", "veth1")[0]["addr_info"]


def test_flush_more_than_a_batch(ns):
    up(ns)
    cmds = "".join(f"addr add 10.0.{i}.1/32 dev veth0\n" for i in range(70))
    r = ns.run("ip", "-batch", "-", input=cmds)
    assert r.returncode == 0, r.stderr
    assert len(addrs(ns, "-4")) == 70
    recs = kv(ok(ns.nltool("addr", "dump", "veth0", "4")).stdout)
    assert len(recs) == 70
    ok(ns.nltool("addr", "flush", "veth0", "4"))
    assert addrs(ns, "-4") == []


def test_kernel_reason_and_usage(ns):
    up(ns)
    # valid 0 is "not given"; preferred > valid is refused by the kernel
    r = ns.nltool("addr", "add", "veth0", "10.0.0.1/24", "valid", "10",
                  "preferred", "20")
    assert r.returncode == 1
    assert "Invalid argument" in r.stderr
    for bad in (["add", "veth0", "10.0.0.1/33"], ["add", "veth0", "/24"],
                ["add", "veth0", "10.0.0.1/24", "scope"],
                ["add", "veth0", "1.2.3"], ["frob"], ["flush"]):
        assert ns.nltool("addr", *bad).returncode == 2, bad
    r = ns.nltool("addr", "add", "nosuchdev", "10.0.0.1/24")
    assert r.returncode == 1
    assert "nosuchdev" in r.stderr

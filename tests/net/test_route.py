"""nltool route against the kernel in a namespace, checked with `ip -j`."""
import pytest

from conftest import kv


@pytest.fixture
def net(ns):
    for dev in ("veth0", "veth1"):
        ns.ip("link", "set", dev, "up")
    ns.ip("addr", "add", "10.0.0.1/24", "dev", "veth0")
    ns.ip("addr", "add", "2001:db8::1/64", "dev", "veth0", "nodad")
    return ns


def ok(r):
    assert r.returncode == 0, r.stderr
    return r


def routes(ns, *opts, table="main"):
    return ns.ip_json(*opts, "route", "show", "table", table)


def find(rs, dst):
    return [r for r in rs if r["dst"] == dst]


def ifindex(ns, dev):
    return ns.ip_json("link", "show", "dev", dev)[0]["ifindex"]


def test_add_gateway_metric_del(net):
    ok(net.nltool("route", "add", "10.1.0.0/16", "via", "10.0.0.2", "dev",
                  "veth0", "metric", "100"))
    r, = find(routes(net), "10.1.0.0/16")
    assert r["gateway"] == "10.0.0.2"
    assert r["dev"] == "veth0"
    assert r["metric"] == 100
    assert r.get("protocol", "boot") == "boot"  # ip -j omits the default
    recs = kv(ok(net.nltool("route", "dump", "4", "table", "254")).stdout)
    rec, = [x for x in recs if x["dst"] == "10.1.0.0"]
    assert rec["dst_len"] == "16"
    assert rec["gateway"] == "10.0.0.2"
    assert rec["metric"] == "100"
    assert rec["oif"] == str(ifindex(net, "veth0"))
    assert rec["table"] == "254"
    assert rec["protocol"] == "3"
    assert all(x["table"] == "254" for x in recs)
    ok(net.nltool("route", "del", "10.1.0.0/16", "via", "10.0.0.2",
                  "metric", "100"))
    assert not find(routes(net), "10.1.0.0/16")


def test_duplicate_missing_and_replace(net):
    ok(net.nltool("route", "add", "10.1.0.0/16", "via", "10.0.0.2"))
    r = net.nltool("route", "add", "10.1.0.0/16", "via", "10.0.0.3")
    assert r.returncode == 1
    assert "File exists" in r.stderr
    ok(net.nltool("route", "replace", "10.1.0.0/16", "via", "10.0.0.3"))
    r, = find(routes(net), "10.1.0.0/16")
    assert r["gateway"] == "10.0.0.3"
    ok(net.nltool("route", "replace", "10.7.0.0/16", "via", "10.0.0.3"))
    assert find(routes(net), "10.7.0.0/16")
    r = net.nltool("route", "del", "10.9.0.0/16")
    assert r.returncode == 1
    assert "No such process" in r.stderr


def test_link_scope_table_src(net):
    ok(net.nltool("route", "add", "10.2.0.0/16", "dev", "veth0", "table",
                  "1000", "src", "10.0.0.1"))
    r, = find(routes(net, table="1000"), "10.2.0.0/16")
    assert r["scope"] == "link"
    assert r["prefsrc"] == "10.0.0.1"
    recs = kv(ok(net.nltool("route", "dump", "table", "1000")).stdout)
    assert [x["dst"] for x in recs] == ["10.2.0.0"]
    assert recs[0]["prefsrc"] == "10.0.0.1"
    assert recs[0]["scope"] == "253"
    ok(net.nltool("route", "add", "10.3.0.0/24", "dev", "veth0", "table",
                  "100", "scope", "host"))
    r, = find(routes(net, table="100"), "10.3.0.0/24")
    assert r["scope"] == "host"
    ok(net.nltool("route", "del", "10.2.0.0/16", "table", "1000"))
    assert routes(net, table="1000") == []


def test_onlink_and_unreachable_gateway(net):
    r = net.nltool("route", "add", "10.3.0.0/24", "via", "10.9.9.9", "dev",
                   "veth0")
    assert r.returncode == 1
    assert "Nexthop has invalid gateway" in r.stderr
    ok(net.nltool("route", "add", "10.3.0.0/24", "via", "10.9.9.9", "dev",
                  "veth0", "onlink"))
    r, = find(routes(net), "10.3.0.0/24")
    assert "onlink" in r["flags"]
    rec, = [x for x in kv(ok(net.nltool("route", "dump", "4")).stdout)
            if x["dst"] == "10.3.0.0"]
    assert int(rec["flags"], 16) & 0x4


def test_default_route(net):
    ok(net.nltool("route", "add", "default", "via", "10.0.0.2"))
    r, = find(routes(net), "default")
    assert r["gateway"] == "10.0.0.2"
    rec, = [x for x in kv(ok(net.nltool("route", "dump", "4")).stdout)
            if x["dst"] == "default"]
    assert rec["gateway"] == "10.0.0.2"
    ok(net.nltool("route", "del", "default"))
    assert not find(routes(net), "default")


def test_ipv6(net):
    ok(net.nltool("route", "add", "2001:db8:5::/48", "via", "2001:db8::2",
                  "dev", "veth0", "metric", "1024"))
    r, = find(routes(net, "-6", table="all"), "2001:db8:5::/48")
    assert r["gateway"] == "2001:db8::2"
    assert r["metric"] == 1024
    ok(net.nltool("route", "add", "2001:db8:6::/48", "dev", "veth0",
                  "table", "300"))
    r, = find(routes(net, "-6", table="all"), "2001:db8:6::/48")
    assert r["table"] == "300"
    recs = kv(ok(net.nltool("route", "dump", "6")).stdout)
    assert all(x["family"] == "inet6" for x in recs)
    rec, = [x for x in recs if x["dst"] == "2001:db8:5::"]
    assert rec["gateway"] == "2001:db8::2"
    assert rec["metric"] == "1024"
    rec, = [x for x in recs if x["dst"] == "2001:db8:6::"]
    assert rec["table"] == "300"
    ok(net.nltool("route", "replace", "2001:db8:5::/48", "via",
                  "2001:db8::3", "dev", "veth0", "metric", "1024"))
    r, = find(routes(net, "-6", table="all"), "2001:db8:5::/48")
    assert r["gateway"] == "2001:db8::3"
    ok(net.nltool("route", "del", "2001:db8:5::/48", "dev", "veth0",
                  "metric", "1024"))
    assert not find(routes(net, "-6", table="all"), "2001:db8:5::/48")
    r = net.nltool("route", "add", "2001:db8:7::/48", "via", "2001:db9::9",
                   "dev", "veth0")
    assert r.returncode == 1
    assert r.stderr.strip().count(":") >= 2  # errno text and kernel reason


def test_dump_by_dev_and_usage(net):
    net.ip("addr", "add", "10.0.5.1/24", "dev", "veth1")
    recs = kv(ok(net.nltool("route", "dump", "4", "dev", "veth1")).stdout)
    assert recs and all(x["oif"] == str(ifindex(net, "veth1")) for x in recs)
    for bad in (["add", "10.0.0.0/33"], ["add", "10.1.0.0/16", "via"],
                ["add", "10.1.0.0/16", "metric", "x"], ["frob"],
                ["dump", "table", "x"]):
        assert net.nltool("route", *bad).returncode == 2, bad
    r = net.nltool("route", "add", "10.1.0.0/16", "via", "2001:db8::2")
    assert r.returncode == 1

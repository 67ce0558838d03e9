"""Guest tests: boot -> S40network -> ifup -a -> DHCP client -> script."""
import pytest

from conftest import boot

NETS = ["user", "tap"]


def guest_result(b, name):
    assert "EMBNET-TESTS-DONE" in b.console, "guest tests did not finish\n" + b.explain()
    assert name in b.results, f"guest test {name} printed no result\n" + b.explain()
    status, detail = b.results[name]
    if status == "SKIP":
        pytest.skip(detail)
    assert status == "PASS", f"{name}: {detail}\n" + b.explain()
    return detail


@pytest.mark.parametrize("net", NETS)
def test_virtio_net_loaded(arch, net):
    guest_result(boot(arch, net), "modules")


def test_lease_matches_dnsmasq(arch):
    b = boot(arch, "tap")
    guest_result(b, "lease")
    ip = b.info["addr"].split("/")[0]
    assert b.info["addr"].endswith("/24"), b.explain()
    assert b.info["route"].startswith("default via 10.99.0.1 dev eth0"), b.explain()
    assert "nameserver 10.99.0.53" in b.info["resolv"], b.explain()
    assert "search embnet.test" in b.info["resolv"], b.explain()
    assert f"DHCPACK(tap0) {ip} 52:54:00:12:34:56" in b.dnsmasq_log, b.dnsmasq_log


def test_lease_from_slirp(arch):
    b = boot(arch, "user")
    guest_result(b, "lease")
    assert b.info["addr"] == "10.0.2.15/24", b.explain()
    assert b.info["route"].startswith("default via 10.0.2.2 dev eth0"), b.explain()
    assert "nameserver 10.0.2.3" in b.info["resolv"], b.explain()


def test_release_at_shutdown(arch):
    b = boot(arch, "tap")
    assert "Stopping network: OK" in b.console, b.explain()
    ip = b.info.get("addr", "").split("/")[0]
    assert f"DHCPRELEASE(tap0) {ip} 52:54:00:12:34:56" in b.dnsmasq_log, \
        "no RELEASE at shutdown:\n" + b.dnsmasq_log + b.explain()
    # Released leases leave dnsmasq's lease file.
    assert ip not in b.leases, b.leases


def test_bandwidth_both_ways(arch):
    b = boot(arch, "tap")
    guest_result(b, "bandwidth")
    for way in ("up", "down"):
        value, unit = b.info[way].split()
        assert float(value) > 0 and unit in "KMG", b.explain()


@pytest.mark.parametrize("net", NETS)
def test_our_tools_run(arch, net):
    guest_result(boot(arch, net), "ours")

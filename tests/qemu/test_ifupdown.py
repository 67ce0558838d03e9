"""Guest: our ifup brings up a richer interfaces file from S40network.

The ifupdown variant (tests/qemu/guest/usr/lib/embnet-tests/variants/
ifupdown) has lo, eth0 dhcp and inet6 dhcp (dnsmasq's DHCP and DHCPv6
on the tap network), dummy0 with static IPv4 and IPv6 created by its own
pre-up hook, and the VLAN eth0.5.
The guest test t_ifupdown checks it all came up, then runs ifdown -a and
ifup -a; at power-off S40network stop must take it all down again.
"""
import re

import pytest

from conftest import boot


def result(b, name):
    assert "EMBNET-TESTS-DONE" in b.console, "guest tests did not finish\n" + b.explain()
    assert name in b.results, f"guest test {name} printed no result\n" + b.explain()
    status, detail = b.results[name]
    if status == "SKIP":
        pytest.skip(detail)
    assert status == "PASS", f"{name}: {detail}\n" + b.explain()
    return detail


def test_ifupdown_variant(arch):
    b = boot(arch, "tap", variant="ifupdown")
    detail = result(b, "ifupdown")
    assert "eth0.5=eth0.5" in detail and "dummy0=dummy0" in detail, detail
    # udhcpc's and udhcpc6's lines may come between "Starting network: "
    # and its OK
    assert re.search(r"Starting network: (?:udhcpc6?:.*\n)*OK", b.console), \
        b.explain()


def test_ifupdown_variant_down_at_shutdown(arch):
    b = boot(arch, "tap", variant="ifupdown")
    result(b, "ifupdown")
    assert "Stopping network: OK" in b.console, b.explain()
    # One lease at boot, released by the test's ifdown -a, taken again by
    # its ifup -a and released at power-off: two RELEASEs, same address.
    ip = b.info.get("addr", "").split("/")[0]
    releases = re.findall(r"DHCPRELEASE\(tap0\) (\S+) 52:54:00:12:34:56",
                          b.dnsmasq_log)
    assert len(releases) >= 2 and set(releases) == {ip}, \
        b.dnsmasq_log + b.explain()


def test_ifupdown_variant_dhcp6(arch):
    """eth0's `inet6 dhcp` stanza: our ifup ran dhcpc6 (as udhcpc6), which
    took its address from dnsmasq's DHCPv6 on the tap network (a Reply for
    the guest's DUID-LL); after ifdown -a (client, pid file and address
    gone, t_ifupdown checks) ifup -a leased the same address again.
    ifdown takes eth0's inet stanza down first (file order, as Debian's
    ifdown does) and its link down leaves udhcpc6 no link to send its
    Release on: tests/net/test_ifupdown_dhcp6.py checks the Release."""
    b = boot(arch, "tap", variant="ifupdown")
    result(b, "ifupdown")
    addr = b.info.get("addr6", "")
    assert addr.startswith("fd00:99::") and \
        b.info.get("addr6_again") == addr, b.info
    duid = "00:03:00:01:52:54:00:12:34:56"  # DUID-LL of the guest's MAC
    assert b.dnsmasq_log.count(f"DHCPREPLY(tap0) {addr} {duid}") >= 2, \
        b.dnsmasq_log + b.explain()

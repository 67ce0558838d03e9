"""Guest: busybox ifup leases eth0 through our dhcpc (as udhcpc) from
slirp and from dnsmasq, USR1 renews (t_dhcpc), and the lease is released
at shutdown (test_guest.py::test_release_at_shutdown)."""
import pytest

from conftest import boot


@pytest.mark.parametrize("net", ["user", "tap"])
def test_dhcpc_lease_and_renew(arch, net):
    b = boot(arch, net)
    assert "EMBNET-TESTS-DONE" in b.console, b.explain()
    if "dhcpc" not in b.results:
        pytest.fail("guest test dhcpc printed no result\n" + b.explain())
    status, detail = b.results["dhcpc"]
    if status == "SKIP":
        pytest.skip(detail)
    assert status == "PASS", f"dhcpc: {detail}\n" + b.explain()
    want = "10.0.2.15" if net == "user" else "10.99.0."
    assert want in detail, detail
    if net == "tap":
        ip = b.info["addr"].split("/")[0]
        assert f"DHCPREQUEST(tap0) {ip}" in b.dnsmasq_log

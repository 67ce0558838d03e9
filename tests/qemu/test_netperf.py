"""netperf in the guest (t_netperf), both arches: ours against Debian's
iperf3 -s on the host in both directions over tap, and ours on both ends
over lo (also on the user network)."""
from conftest import boot
from test_guest import guest_result


def _rate(b, key):
    value, unit = b.info[key].split()
    assert float(value) > 0 and unit in "KMG", b.explain()


def test_netperf_against_host_iperf3(arch):
    b = boot(arch, "tap")
    detail = guest_result(b, "netperf")
    assert "iperf3 host" in detail
    for key in ("np_up", "np_down", "np_lo"):
        _rate(b, key)
    # --zerocopy=z: virtio-net takes the pages; the kernel completes the
    # sends without copying them (it copies on loopback and veth).
    sends, done, copied = map(int, b.info["np_zc"].split())
    assert sends > 0 and 0 < done <= sends, b.explain()
    assert copied < done, b.explain()


def test_netperf_both_ends_in_guest(arch):
    b = boot(arch, "user")
    guest_result(b, "netperf")
    _rate(b, "np_lo")

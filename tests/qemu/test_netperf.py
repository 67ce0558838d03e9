"""netperf in the guest (t_netperf), both arches: over tap, ours against
Debian's iperf3 -s and against our netperf -s on the host, in both
directions; and ours on both ends over lo (also on the user network)."""
import re

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


def test_netperf_host_and_guest_ours(arch):
    """Our client in the guest, our server on the host: guest->host, -R
    and --bidir each complete, and the host's server saw the guest and
    reported as receiver and as sender."""
    b = boot(arch, "tap")
    detail = guest_result(b, "netperf")
    assert "netperf host" in detail, b.explain()
    for key in ("np_np_up", "np_np_down", "np_np_bidir"):
        _rate(b, key)
    log = b.netperf_log
    ip = b.info["addr"].split("/")[0]
    accepted = re.findall(r"^Accepted connection from (\S+), port", log,
                          re.M)
    assert accepted == [ip] * 3, log[-3000:]
    assert f"port 5202 connected to {ip} port" in log, log[-3000:]
    # The server prints its own side: up, it receives; down, it sends;
    # --bidir, both.
    ends = re.findall(
        r"^\[ *\d+\](\[[RT]X-S\])? .*bits/sec .*(sender|receiver)$", log,
        re.M)
    assert sorted(ends) == [("", "receiver"), ("", "sender"),
                            ("[RX-S]", "receiver"), ("[TX-S]", "sender")], \
        log[-3000:]


def test_netperf_both_ends_in_guest(arch):
    b = boot(arch, "user")
    guest_result(b, "netperf")
    _rate(b, "np_lo")

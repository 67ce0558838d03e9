"""A few interop cells over a veth pair between two namespaces (client in
one, server in the other), as a real link rather than loopback."""
import os
import subprocess
import sys
import uuid

import pytest

from conftest import Netns, need_root

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "netperf"))
import nplib  # noqa: E402

SRV_IP, CLI_IP = "10.77.0.2", "10.77.0.1"
MODES = {
    "tcp": ["-t", "1"],
    "udp": ["-u", "-b", "100M", "-t", "1"],
    "reverse": ["-R", "-t", "1"],
}
PAIRS = [(c, s) for c in ("netperf", "iperf3") for s in ("netperf", "iperf3")]
# iperf3 against iperf3 checks an expectation about the reference only.
PAIR_PARAMS = [pytest.param(c, s, id=f"{c}-{s}",
                            marks=[pytest.mark.reference] * (c == s == "iperf3"))
               for c, s in PAIRS]


@pytest.fixture(scope="module")
def pair():
    """Namespace A holds veth0 (client), namespace B veth1 (server)."""
    need_root()
    nplib.need_netperf()
    a = Netns()
    b = "embt-" + uuid.uuid4().hex[:10]
    subprocess.run(["ip", "netns", "add", b], check=True)
    try:
        a.ip("link", "set", "veth1", "netns", b)
        a.ip("addr", "add", CLI_IP + "/24", "dev", "veth0")
        a.ip("link", "set", "veth0", "up")
        for cmd in (["link", "set", "lo", "up"],
                    ["addr", "add", SRV_IP + "/24", "dev", "veth1"],
                    ["link", "set", "veth1", "up"]):
            subprocess.run(["ip", "-n", b, *cmd], check=True)
        yield a.name, b
    finally:
        subprocess.run(["ip", "netns", "del", b], check=False)
        a.delete()


def in_ns(ns, argv):
    return ["ip", "netns", "exec", ns, *argv]


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("cli,srv", PAIR_PARAMS)
def test_veth_interop(pair, cli, srv, mode):
    a, b = pair
    p = nplib.port()
    s = nplib.Server(srv, p, "-J", ns=b)
    try:
        r = subprocess.run(in_ns(a, [nplib.TOOLS[cli], "-c", SRV_IP, "-p",
                                     str(p), "-J", *MODES[mode]]),
                           capture_output=True, text=True, timeout=30)
        rc, out, err = s.finish()
    finally:
        s.kill()
    assert r.returncode == 0, r.stdout[-2000:] + r.stderr
    assert rc == 0, out[-2000:] + err
    cj, sj = nplib.load_json(r.stdout), nplib.load_json(out)
    c_sent = cj["end"]["sum_sent"]["bytes"]
    c_recv = cj["end"]["sum_received"]["bytes"]
    assert 0 < c_recv <= c_sent
    assert cj["start"]["connected"][0]["remote_host"] == SRV_IP
    assert sj["start"]["connected"][0]["remote_host"] == CLI_IP
    if mode == "tcp":
        assert sj["end"]["sum_received"]["bytes"] == c_recv

"""A few interop cells over a veth pair between two namespaces (client in
one, server in the other), as a real link rather than loopback."""
import os
import subprocess
import sys
import time
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


@pytest.fixture(scope="module")
def pair():
    """Namespace A holds veth0 (client), namespace B veth1 (server)."""
    need_root()
    if not os.path.exists(nplib.NETPERF):
        pytest.fail(f"netperf not built in {nplib.BUILD}")
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


def wait_listen(ns, p, timeout=5.0):
    end = time.time() + timeout
    while time.time() < end:
        out = subprocess.run(in_ns(ns, ["ss", "-Hltn", f"sport = :{p}"]),
                             capture_output=True, text=True).stdout
        if out.strip():
            return
        time.sleep(0.05)
    raise TimeoutError(f"nothing listens on {p} in {ns}")


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("cli,srv", PAIRS, ids=[f"{c}-{s}" for c, s in PAIRS])
def test_veth_interop(pair, cli, srv, mode):
    a, b = pair
    p = nplib.port()
    s = subprocess.Popen(in_ns(b, [nplib.TOOLS[srv], "-s", "-1", "-p", str(p),
                                   "-J"]),
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                         text=True)
    try:
        wait_listen(b, p)
        r = subprocess.run(in_ns(a, [nplib.TOOLS[cli], "-c", SRV_IP, "-p",
                                     str(p), "-J", *MODES[mode]]),
                           capture_output=True, text=True, timeout=30)
        out, err = s.communicate(timeout=20)
    finally:
        if s.poll() is None:
            s.kill()
            s.communicate()
    assert r.returncode == 0, r.stdout[-2000:] + r.stderr
    assert s.returncode == 0, out[-2000:] + err
    cj, sj = nplib.load_json(r.stdout), nplib.load_json(out)
    c_sent = cj["end"]["sum_sent"]["bytes"]
    c_recv = cj["end"]["sum_received"]["bytes"]
    assert 0 < c_recv <= c_sent
    assert cj["start"]["connected"][0]["remote_host"] == SRV_IP
    assert sj["start"]["connected"][0]["remote_host"] == CLI_IP
    if mode == "tcp":
        assert sj["end"]["sum_received"]["bytes"] == c_recv

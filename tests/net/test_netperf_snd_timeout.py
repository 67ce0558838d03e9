"""--snd-timeout: TCP_USER_TIMEOUT, in ms, on the data and control
connections (iperf3(1): "on both test and control connections"), so a
sender whose peer stops acknowledging fails after that long instead of
retrying for the kernel's ~15 minutes.  Ours and iperf3 3.12 alike."""
import glob
import os
import re
import subprocess
import sys
import time
import uuid

import pytest

from conftest import Netns, need_root

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "netperf"))
import nplib  # noqa: E402

SRV_IP, CLI_IP = "10.79.0.2", "10.79.0.1"
TOOLS = ["netperf", "iperf3"]
# strace and LeakSanitizer both want ptrace
ENV = dict(os.environ, ASAN_OPTIONS="detect_leaks=0")


@pytest.fixture
def pair():
    """Client namespace A (veth0) and server namespace B (veth1)."""
    need_root()
    if not os.path.exists(nplib.NETPERF):
        pytest.fail(f"netperf not built in {nplib.BUILD}")
    a = Netns()
    b = "embt-" + uuid.uuid4().hex[:10]
    procs = []
    subprocess.run(["ip", "netns", "add", b], check=True)
    try:
        a.ip("link", "set", "veth1", "netns", b)
        a.ip("addr", "add", CLI_IP + "/24", "dev", "veth0")
        a.ip("link", "set", "veth0", "up")
        for cmd in (["link", "set", "lo", "up"],
                    ["addr", "add", SRV_IP + "/24", "dev", "veth1"],
                    ["link", "set", "veth1", "up"]):
            subprocess.run(["ip", "-n", b, *cmd], check=True)
        yield a.name, b, procs
    finally:
        for p in procs:
            if p.poll() is None:
                p.kill()
            p.communicate()
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


def spawn(procs, argv):
    p = subprocess.Popen(argv, stdout=subprocess.PIPE,
                         stderr=subprocess.STDOUT, text=True)
    procs.append(p)
    return p


@pytest.mark.parametrize("tool", TOOLS)
def test_blackholed_sender_fails(pair, tool):
    """Two -t 30 tests, with and without --snd-timeout 1000; the server's
    link goes down after 1 s.  The first fails within a few seconds with
    ETIMEDOUT, the second is still retrying then."""
    a, b, procs = pair
    ports = [nplib.port(), nplib.port()]
    for p in ports:
        spawn(procs, in_ns(b, [nplib.TOOLS[tool], "-s", "-1", "-p", str(p)]))
        wait_listen(b, p)
    cli = [nplib.TOOLS[tool], "-c", SRV_IP, "-t", "30"]
    timed = spawn(procs, in_ns(a, [*cli, "-p", str(ports[0]),
                                   "--snd-timeout", "1000"]))
    plain = spawn(procs, in_ns(a, [*cli, "-p", str(ports[1])]))
    time.sleep(1.5)
    assert timed.poll() is None and plain.poll() is None
    subprocess.run(["ip", "-n", b, "link", "set", "veth1", "down"],
                   check=True)
    t0 = time.time()
    try:
        out, _ = timed.communicate(timeout=8)
    except subprocess.TimeoutExpired:
        pytest.fail(f"{tool} --snd-timeout 1000 still running 8 s after "
                    "its peer went silent")
    took = time.time() - t0
    assert timed.returncode == 1, out
    assert "unable to write to stream socket: Connection timed out" in out
    assert 0.8 < took < 5, out
    assert plain.poll() is None, "the test without --snd-timeout ended"


def traced(tmp_path, tag, argv):
    """strace -ff of @argv's setsockopt, connect and accept calls."""
    pre = os.path.join(tmp_path, tag)
    return ["strace", "-ff", "-o", pre, "-e",
            "trace=setsockopt,connect,accept,accept4", *argv], pre


def trace_fds(pre, port):
    """(fds connected to or accepted on @port, {fd: TCP_USER_TIMEOUT})."""
    conn, uto = set(), {}
    for f in glob.glob(pre + ".*"):
        with open(f) as fh:
            for ln in fh:
                m = re.match(r"connect\((\d+), \{sa_family=AF_INET6?, "
                             r"sin6?_port=htons\((\d+)\)", ln)
                if m and int(m[2]) == port:
                    conn.add(int(m[1]))
                m = re.match(r"accept4?\(.*\) += (\d+)$", ln)
                if m:
                    conn.add(int(m[1]))
                m = re.match(r"setsockopt\((\d+), SOL_TCP, TCP_USER_TIMEOUT,"
                             r" \[(\d+)\]", ln)
                if m:
                    uto[int(m[1])] = int(m[2])
    return conn, uto


@pytest.mark.parametrize("side", ["client", "server"])
@pytest.mark.parametrize("tool", TOOLS)
def test_user_timeout_set(tmp_path, tool, side):
    """TCP_USER_TIMEOUT = 1000 on the control connection and both data
    streams, client (sending) or server (sending in -R)."""
    if not os.path.exists(nplib.NETPERF):
        pytest.fail(f"netperf not built in {nplib.BUILD}")
    p = nplib.port()
    exe = nplib.TOOLS[tool]
    srv = [exe, "-s", "-1", "-p", str(p)]
    cli = [exe, "-c", "127.0.0.1", "-p", str(p), "-n", "1M", "-P", "2"]
    if side == "server":
        srv, pre = traced(str(tmp_path), "s", [*srv, "--snd-timeout", "1000"])
        cli.append("-R")
    else:
        cli, pre = traced(str(tmp_path), "c", [*cli, "--snd-timeout", "1000"])
    s = subprocess.Popen(srv, stdout=subprocess.PIPE,
                         stderr=subprocess.STDOUT, text=True, env=ENV)
    try:
        nplib.wait_port(p)
        r = subprocess.run(cli, capture_output=True, text=True, timeout=30,
                           env=ENV)
        out, _ = s.communicate(timeout=20)
    finally:
        if s.poll() is None:
            s.kill()
            s.communicate()
    assert r.returncode == 0, r.stdout + r.stderr
    assert s.returncode == 0, out
    conn, uto = trace_fds(pre, p)
    assert len(conn) == 3, (conn, uto)
    assert {fd: uto.get(fd) for fd in conn} == {fd: 1000 for fd in conn}


@pytest.mark.parametrize("tool", TOOLS)
def test_snd_timeout_zero(tmp_path, tool):
    """0 keeps the system's default, as iperf3 takes it: no setsockopt."""
    p = nplib.port()
    s = nplib.Server(tool, p)
    try:
        argv, pre = traced(str(tmp_path), "c", [
            nplib.TOOLS[tool], "-c", "127.0.0.1", "-p", str(p), "-n", "1M",
            "--snd-timeout", "0"])
        r = subprocess.run(argv, capture_output=True, text=True, timeout=30,
                           env=ENV)
        assert r.returncode == 0, r.stdout + r.stderr
        s.finish()
    finally:
        s.kill()
    assert trace_fds(pre, p)[1] == {}

"""--snd-timeout: TCP_USER_TIMEOUT, in ms, on the data and control
connections (iperf3(1): "on both test and control connections"), so a
sender whose peer stops acknowledging fails after that long instead of
retrying for the kernel's ~15 minutes.  Ours and iperf3 3.12 alike.
The blackhole test runs between two namespaces of its own, the others in
one (nplib.own_netns); none times anything against a threshold."""
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
# tool=iperf3 checks an expectation about the reference only.
REF_TOOLS = ["netperf", pytest.param("iperf3", marks=pytest.mark.reference)]
# strace and LeakSanitizer both want ptrace
ENV = dict(os.environ, ASAN_OPTIONS="detect_leaks=0")


# Every test in a network namespace of its own (autouse).
each_test_in_own_netns = nplib.each_test_in_own_netns


@pytest.fixture
def pair():
    """Client namespace A (veth0) and server namespace B (veth1)."""
    need_root()
    nplib.need_netperf()
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
            p.kill()
        subprocess.run(["ip", "netns", "del", b], check=False)
        a.delete()


def in_ns(ns, argv):
    return ["ip", "netns", "exec", ns, *argv]


# An interval line of the text output.
IVAL_LINE = r"\d+\.\d\d-\s*\d+\.\d\d\s+sec "


@pytest.mark.parametrize("tool", REF_TOOLS)
def test_blackholed_sender_fails(pair, tool):
    """Two -t 30 tests, with and without --snd-timeout 1000; once both
    have sent data (an interval line each, --forceflush), the server's
    link goes down.  The first fails with ETIMEDOUT while the second is
    still retrying (as it would for the kernel's ~15 minutes): were the
    option ignored, both would still be running at the wait's end."""
    a, b, procs = pair
    ports = [nplib.port(), nplib.port()]
    for p in ports:
        procs.append(nplib.Server(tool, p, ns=b, merge=True))
    cli = [nplib.TOOLS[tool], "-c", SRV_IP, "-t", "30", "--forceflush"]
    timed = nplib.Proc(in_ns(a, [*cli, "-p", str(ports[0]),
                                 "--snd-timeout", "1000"]), merge=True)
    procs.append(timed)
    plain = nplib.Proc(in_ns(a, [*cli, "-p", str(ports[1])]), merge=True)
    procs.append(plain)
    for c in (timed, plain):
        c.wait_line(IVAL_LINE)
    subprocess.run(["ip", "-n", b, "link", "set", "veth1", "down"],
                   check=True)
    t0 = time.monotonic()
    rc, out, _ = timed.finish(timeout=60)
    took = time.monotonic() - t0
    assert rc == 1, out
    assert "unable to write to stream socket: Connection timed out" in out
    assert plain.proc.poll() is None, "the test without --snd-timeout ended"
    # A lower bound only: the timeout cannot expire before its second.
    assert took > 0.8, out


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
@pytest.mark.parametrize("tool", REF_TOOLS)
def test_user_timeout_set(tmp_path, tool, side):
    """TCP_USER_TIMEOUT = 1000 on the control connection and both data
    streams, client (sending) or server (sending in -R)."""
    nplib.need_netperf()
    p = nplib.port()
    cli = [nplib.TOOLS[tool], "-c", "127.0.0.1", "-p", str(p), "-n", "1M",
           "-P", "2"]
    srv_args, wrap = [], []
    if side == "server":
        srv_args = ["--snd-timeout", "1000"]
        wrap, pre = traced(str(tmp_path), "s", [])
        cli.append("-R")
    else:
        cli, pre = traced(str(tmp_path), "c", [*cli, "--snd-timeout", "1000"])
    s = nplib.Server(tool, p, *srv_args, wrap=wrap, env=ENV, merge=True)
    try:
        r = subprocess.run(cli, capture_output=True, text=True, timeout=30,
                           env=ENV)
        rc, out, _ = s.finish()
    finally:
        s.kill()
    assert r.returncode == 0, r.stdout + r.stderr
    assert rc == 0, out
    conn, uto = trace_fds(pre, p)
    assert len(conn) == 3, (conn, uto)
    assert {fd: uto.get(fd) for fd in conn} == {fd: 1000 for fd in conn}


@pytest.mark.parametrize("tool", REF_TOOLS)
def test_snd_timeout_zero(tmp_path, tool):
    """0 keeps the system's default on the data streams, as iperf3 takes
    it: no setsockopt.  iperf3 sets nothing on its control connection
    either; ours gives it NP_CTRL_USER_TIMEOUT_MS (30 s), so a server
    that vanishes with our results unacknowledged is given up on then."""
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
    conn, uto = trace_fds(pre, p)
    ctrl = min(conn)                     # the first connection
    assert uto == ({ctrl: 30000} if tool == "netperf" else {}), (conn, uto)

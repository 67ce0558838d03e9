"""netperf --tls: the data streams of a test between two netperfs run
through TLS (mbedtls).  Both ends agree on bytes and report the version and
ciphersuite; the payload is unreadable on the wire; an iperf3 server, a
bad option mix and a client that sends garbage instead of a ClientHello
all fail cleanly.

Each test runs in a network namespace of its own (nplib.own_netns).  No
test times anything: a test that hangs fails at its subprocess timeout,
and how a server dropped a stream is read from what it logged."""
import json
import os
import random
import re
import shutil
import signal
import socket
import struct
import subprocess
import sys
import time

import pytest

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "netperf"))
import nplib  # noqa: E402
from conftest import need_root  # noqa: E402

MODES = {
    "default": ["-t", "1"],
    "reverse": ["-R", "-t", "1"],
    "bidir": ["--bidir", "-t", "1"],
    "P2": ["-P", "2", "-t", "1"],
    "bytes": ["-n", "20M"],
}
STREAMS = {"default": 1, "reverse": 1, "bidir": 2, "P2": 2, "bytes": 1}
TLS_LINE = re.compile(r"\[ *\d+\] TLS: (TLSv1\.[23]) (TLS-[A-Z0-9-]+)$")
AES128 = "TLS-ECDHE-ECDSA-WITH-AES-128-GCM-SHA256"
PAYLOAD = b"0123456789" * 4     # --repeating-payload, 40 bytes of it
STATE_PARAMS, STATE_CREATE = 9, 10


@pytest.fixture(autouse=True)
def _need_binary():
    nplib.need_netperf()


# Every test in a network namespace of its own (autouse).
each_test_in_own_netns = nplib.each_test_in_own_netns


def clean(stderr):
    """No sanitizer report (sanitized builds: EMBNET_BUILD)."""
    assert "Sanitizer" not in stderr and "runtime error:" not in stderr, \
        stderr[-3000:]


def run_pair(args, json_out=True, srv_args=(), timeout=30):
    """A -1 netperf server and a netperf client; both must succeed."""
    p = nplib.port()
    j = ["-J"] if json_out else []
    s = nplib.Server("netperf", p, *j, *srv_args)
    try:
        r = nplib.client("netperf", p, *args, *j, timeout=timeout)
        rc, out, err = s.finish(timeout=timeout)
    finally:
        s.kill()
    assert r.returncode == 0, f"client: {r.stdout[-2000:]}\n{r.stderr}"
    assert rc == 0, f"server: {out[-2000:]}\n{err}"
    clean(r.stderr)
    clean(err)
    return r.stdout, out


def sums(doc):
    end = doc["end"]
    return end["sum_sent"]["bytes"], end["sum_received"]["bytes"]


def check_bytes(mode, cj, sj):
    """As test_netperf_interop: the receiver never counts more than the
    sender, and the server's count is the one the client reports."""
    c_sent, c_recv = sums(cj)
    assert c_sent > 0 and c_recv > 0
    assert c_recv <= c_sent
    s_sent, s_recv = sums(sj)
    if mode == "bidir":
        assert sj["end"]["sum_sent"]["bytes"] > 0
        assert sj["end"]["sum_received"]["bytes"] > 0
    elif mode == "reverse":
        assert s_sent == c_sent, "server's sent bytes differ from the client's view"
    else:
        assert s_recv == c_recv, "server's received bytes differ from the client's view"


@pytest.mark.parametrize("mode", MODES)
def test_tls_json(mode):
    c, s = run_pair(["--tls", *MODES[mode]])
    cj, sj = json.loads(c), json.loads(s)
    check_bytes(mode, cj, sj)
    if mode == "bytes":
        assert cj["end"]["sum_sent"]["bytes"] >= 20 * 1024 * 1024
    for doc in (cj, sj):
        tls = doc["start"]["tls"]
        assert tls["version"] in ("TLSv1.2", "TLSv1.3"), tls
        assert tls["ciphersuite"].startswith("TLS-"), tls
        assert len(doc["start"]["connected"]) == STREAMS[mode]
    assert cj["start"]["tls"] == sj["start"]["tls"]


def test_tls_many_streams_end_on_time():
    """256 sessions (-P 128 --bidir, the most a test has): decryption is
    slower than encryption, and readers that kept reading what the peer
    sent after the end held the test until the server's limit, 41 s
    after the start, where the server gives up on the test with an error
    and no results.  So the test must end by the client's TEST_END: both
    ends succeed, with results and no error.  (The client's 60 s timeout
    leaves the server's limit room to show; how long the 256 handshakes
    take is no concern here.)"""
    c, s = run_pair(["--tls", "-P", "128", "--bidir", "-t", "1"],
                    timeout=60)
    cj, sj = json.loads(c), json.loads(s)
    assert "error" not in cj and "error" not in sj, (cj.get("error"),
                                                     sj.get("error"))
    check_bytes("bidir", cj, sj)
    assert len(cj["start"]["connected"]) == 256
    assert len(sj["start"]["connected"]) == 256


def tls_lines(text):
    return [m for m in map(TLS_LINE.match, text.splitlines()) if m]


@pytest.mark.parametrize("mode", MODES)
def test_tls_text(mode):
    """One TLS line per stream after its "connected" line, on both ends;
    every other line keeps iperf3's format."""
    c, s = run_pair(["--tls", *MODES[mode]], json_out=False)
    for text in (c, s):
        found = tls_lines(text)
        assert len(found) == STREAMS[mode], text
        assert len({m.groups() for m in found}) == 1, text
        rest = [ln for ln in nplib.bad_lines(text) if not TLS_LINE.match(ln)]
        assert not rest, f"unlike iperf3: {rest}\n{text}"
    assert tls_lines(c)[0].groups() == tls_lines(s)[0].groups()
    assert nplib.summary_mbits(c), c


def test_without_tls_unchanged():
    """Without --tls nothing of it shows: iperf3's output as before."""
    c, s = run_pair(["-t", "1"], json_out=False)
    assert "TLS" not in c and "TLS" not in s
    assert not nplib.bad_lines(c) and not nplib.bad_lines(s)
    c, s = run_pair(["-t", "1"])
    assert "tls" not in json.loads(c)["start"]
    assert "tls" not in json.loads(s)["start"]


def test_tls_cipher():
    """--tls-cipher offers one suite (and implies --tls); both ends use it."""
    c, s = run_pair(["--tls-cipher", AES128, "-n", "5M"])
    for doc in (json.loads(c), json.loads(s)):
        assert doc["start"]["tls"]["ciphersuite"] == AES128


@pytest.mark.parametrize("args", [["--tls", "-u"], ["--tls", "-Z"],
                                  ["--tls", "--skip-rx-copy"],
                                  ["--tls", "-u", "-b", "1M"],
                                  ["--tls-cipher", "TLS-NO-SUCH-SUITE"]],
                         ids=["udp", "zerocopy", "skip-rx-copy", "udp-rate",
                              "bad-cipher"])
def test_usage_errors(args):
    """Refused before connecting, like other usage errors (exit 1)."""
    r = subprocess.run([nplib.NETPERF, "-c", "127.0.0.1", "-p",
                        str(nplib.port()), *args],
                       capture_output=True, text=True, timeout=5)
    assert r.returncode == 1, r.stdout + r.stderr
    assert "parameter error" in r.stderr
    assert "Connecting" not in r.stdout


@pytest.mark.parametrize("args", [[], ["-R"]], ids=["forward", "reverse"])
def test_against_iperf3(args):
    """iperf3 3.12 ignores "tls" and takes the ClientHello for test data
    (-R: answers with test data): the client fails with one line within
    the handshake timeout instead of hanging."""
    p = nplib.port()
    s = nplib.Server("iperf3", p)
    try:
        # The handshake gives up after 10 s; a hang is forever.
        r = nplib.client("netperf", p, "--tls", "-t", "3", *args, timeout=60)
    except subprocess.TimeoutExpired:
        pytest.fail("netperf --tls against iperf3 still running after 60 s")
    finally:
        s.kill()
    out = r.stdout + r.stderr
    assert r.returncode == 1, out
    lines = [ln for ln in out.splitlines() if "TLS handshake" in ln]
    assert len(lines) == 1, out
    assert lines[0].startswith("netperf: ") and "netperf?" in lines[0], out
    assert "iperf Done" not in out
    clean(r.stderr)


# ---- a client that does not speak TLS -------------------------------
def _cookie():
    abc = "abcdefghijklmnopqrstuvwxyz234567"
    return "".join(random.choice(abc) for _ in range(36)).encode() + b"\0"


def _recv_state(sock):
    b = sock.recv(1)
    assert b, "server closed the control connection"
    return struct.unpack("b", b)[0]


def _eof_within(sock, secs):
    """Reads until EOF (a reset counts); fails if none comes in @secs."""
    sock.settimeout(secs)
    try:
        while sock.recv(65536):
            pass
    except ConnectionResetError:
        pass
    except socket.timeout:
        pytest.fail(f"the server kept the connection open {secs} s")


def fake_tls_client(p, garbage):
    """Runs iperf3's protocol up to CREATE_STREAMS with "tls": 1, opens
    the stream and sends @garbage (or nothing) instead of a ClientHello,
    and waits for the server to drop the stream (its handshake timeout
    is 10 s) and the control connection."""
    cookie = _cookie()
    params = json.dumps({"tcp": True, "omit": 0, "time": 1, "num": 0,
                         "blockcount": 0, "parallel": 1, "len": 131072,
                         "tls": 1, "client_version": "3.12"}).encode()
    with socket.create_connection(("127.0.0.1", p), timeout=10) as ctrl:
        ctrl.sendall(cookie)
        assert _recv_state(ctrl) == STATE_PARAMS
        ctrl.sendall(struct.pack(">I", len(params)) + params)
        assert _recv_state(ctrl) == STATE_CREATE
        with socket.create_connection(("127.0.0.1", p), timeout=10) as d:
            d.sendall(cookie)
            if garbage:
                d.sendall(garbage)
            _eof_within(d, 60)
        _eof_within(ctrl, 60)


GARBAGE = {
    "http": b"GET / HTTP/1.1\r\nHost: x\r\n\r\n" + bytes(range(256)) * 4,
    "record": b"\x16\x03\x03\xff\xff" + b"\x01" * 2000,  # oversized record
    "silent": b"",
}


@pytest.mark.parametrize("kind", GARBAGE)
def test_server_survives_garbage(kind):
    """The server drops a stream that does not handshake, logs one line,
    and the next test runs.  Garbage is dropped on sight: the line names
    what was wrong with it, where a silent stream's says the handshake
    timed out (a server that waited out its timeout on garbage too would
    log that instead)."""
    p = nplib.port()
    s = nplib.Server("netperf", p, one_off=False)
    try:
        fake_tls_client(p, GARBAGE[kind])
        r = nplib.client("netperf", p, "--tls", "-n", "5M", "-J")
        assert r.returncode == 0, r.stdout + r.stderr
        clean(r.stderr)
        assert json.loads(r.stdout)["start"]["tls"]["ciphersuite"]
    finally:
        s.signal(signal.SIGTERM)
        _, _, err = s.finish(timeout=10)
    lines = [ln for ln in err.splitlines() if "TLS handshake" in ln]
    assert len(lines) == 1, err
    assert ("no answer within" in lines[0]) == (kind == "silent"), lines


def test_one_off_server_ends_after_garbage():
    """A -1 server counts the failed test and exits, freeing everything
    (the sanitized build's leak check runs at that exit)."""
    p = nplib.port()
    s = nplib.Server("netperf", p)
    try:
        fake_tls_client(p, GARBAGE["http"])
        rc, out, err = s.finish(timeout=15)
    finally:
        s.kill()
    assert "TLS handshake" in err
    clean(err)


# ---- on the wire -------------------------------------------------------
@pytest.fixture
def capturing():
    """tcpdump, and root to capture on the test's own namespace's lo."""
    need_root()
    if not shutil.which("tcpdump"):
        pytest.skip("needs tcpdump")


MARK = b"embnet: end of capture"


def capture(tmp_path, tls):
    """A 4 MiB --repeating-payload test on lo, captured.  Returns the
    pcap's bytes: all of them, as a datagram sent after the test shows by
    reaching the file (packets on lo are written in the order sent)."""
    p = nplib.port()
    pcap = tmp_path / f"lo-{int(tls)}.pcap"
    dump = nplib.Proc(["tcpdump", "-i", "lo", "-U", "--immediate-mode",
                       "-s", "0", "-B", "32768", "-w", str(pcap),
                       "port", str(p)])
    try:
        dump.wait_line("listening on", stderr=True)
        srv = nplib.Server("netperf", p)
        try:
            r = nplib.client("netperf", p, "--repeating-payload", "-n", "4M",
                             "-b", "400M", *(["--tls"] * tls))
            assert r.returncode == 0, r.stdout + r.stderr
            assert srv.finish()[0] == 0
        finally:
            srv.kill()
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as u:
            u.sendto(MARK, ("127.0.0.1", p))
        end = time.monotonic() + nplib.READY_TIMEOUT
        while MARK not in pcap.read_bytes():
            assert time.monotonic() < end, "tcpdump wrote no end mark"
            time.sleep(0.05)
    finally:
        dump.signal(signal.SIGTERM)
        dump.finish(timeout=10)
    return pcap.read_bytes()


def test_payload_encrypted_on_wire(capturing, tmp_path):
    plain = capture(tmp_path, tls=False)
    assert len(plain) > 3 << 20, len(plain)
    assert PAYLOAD in plain
    enc = capture(tmp_path, tls=True)
    assert len(enc) > 3 << 20, len(enc)  # the data went by, encrypted
    assert PAYLOAD not in enc
    assert PAYLOAD[:12] not in enc

"""A hostile client's counters and its data after the end, against our
server (issue 19, items 5 and 6).  The client speaks the control
protocol itself (as test_netperf_hostile.py does), so that it can send UDP
datagrams of its own making and keep sending after TEST_END.  Each test
runs in a network namespace of its own (nplib.own_netns)."""
import json
import os
import socket
import struct
import sys
import threading
import time

import pytest

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "netperf"))
import nplib  # noqa: E402

COOKIE = b"abcdefghijklmnopqrstuvwxyz234567abcd\0"
UDP_HELLO, UDP_REPLY = b"9876", b"6789"
(TEST_START, TEST_RUNNING, TEST_END, CREATE_STREAMS, EXCHANGE_RESULTS,
 DISPLAY_RESULTS, IPERF_DONE) = 1, 2, 4, 10, 13, 14, 16


# Every test in a network namespace of its own (autouse).
each_test_in_own_netns = nplib.each_test_in_own_netns


@pytest.fixture
def server():
    """Our server; at the end it must still run, without a sanitizer's
    report (-fno-sanitize-recover: UB would have ended it)."""
    with nplib.serving() as (p, s):
        yield p, s
        alive = s.proc.poll() is None
    err = s.output()[1]
    assert alive, err
    assert "runtime error" not in err and "Sanitizer" not in err, err


def recv_state(c):
    b = c.recv(1)
    return struct.unpack("b", b)[0] if b else None


def recv_full(c, n):
    b = b""
    while len(b) < n:
        k = c.recv(n - len(b))
        assert k, "control connection closed"
        b += k
    return b


def send_json(c, o):
    js = json.dumps(o).encode()
    c.sendall(struct.pack(">I", len(js)) + js)


def recv_json(c):
    return json.loads(recv_full(c, struct.unpack(">I", recv_full(c, 4))[0]))


def start_test(p, params):
    """A control connection past PARAM_EXCHANGE, at CREATE_STREAMS."""
    c = socket.create_connection(("127.0.0.1", p), timeout=nplib.READY_TIMEOUT)
    c.sendall(COOKIE)
    assert recv_state(c) == 9            # PARAM_EXCHANGE
    send_json(c, {"parallel": 1, "time": 10, **params})
    assert recv_state(c) == CREATE_STREAMS
    return c


def data_stream(p, udp):
    """The test's one data stream: a UDP socket the server answered, or a
    TCP connection that sent the cookie."""
    if not udp:
        d = socket.create_connection(("127.0.0.1", p))
        d.sendall(COOKIE)
        return d
    d = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    d.connect(("127.0.0.1", p))
    d.settimeout(nplib.READY_TIMEOUT)
    d.send(UDP_HELLO)
    assert d.recv(16) == UDP_REPLY
    return d


def finish(c, n_bytes, packets):
    """The end of the protocol after EXCHANGE_RESULTS: our results as a
    sender of one stream, then the server's, DISPLAY_RESULTS, IPERF_DONE.
    Returns the server's results."""
    send_json(c, {"cpu_util_total": 0, "cpu_util_user": 0,
                  "cpu_util_system": 0, "sender_has_retransmits": 0,
                  "streams": [{"id": 1, "bytes": n_bytes, "retransmits": 0,
                               "jitter": 0, "errors": 0, "packets": packets,
                               "start_time": 0, "end_time": 1}]})
    r = recv_json(c)
    assert recv_state(c) == DISPLAY_RESULTS
    c.sendall(bytes([IPERF_DONE]))
    return r


def datagram(seq, udp64, sec=None, usec=0, size=100):
    """iperf3's header (be32 seconds, microseconds, be32/be64 sequence
    number), by default the time now on CLOCK_MONOTONIC as iperf3 sends."""
    if sec is None:
        now = time.monotonic_ns()
        sec, usec = now // 10**9, now % 10**9 // 1000
    h = struct.pack(">II", sec, usec)
    h += struct.pack(">Q" if udp64 else ">I", seq)
    return h + b"\0" * (size - len(h))


BIG_JUMP = 61 + 2 ** 31      # past the highest by more than 2^30


def hostile_seqs(udp64):
    """(sequence number, seconds) of the datagrams: 1 to 100 with 61 to 69
    lost, 40 and 65 late, and among them numbers no sender reaches
    (2^64 - 1, 2^63, 2^53, a jump of 2^31; 2^32 - 1 and 2^31 with 32-bit
    counters), 0, and timestamps at 0 and 2^32 - 1 seconds."""
    top = [2 ** 64 - 1, 2 ** 63, 2 ** 53] if udp64 else [2 ** 32 - 1, 2 ** 31]
    seqs = [(i, None) for i in range(1, 51)]
    seqs += [(x, None) for x in top] + [(0, None)]
    seqs += [(i, None) for i in range(51, 61)]
    seqs += [(40, None), (BIG_JUMP, None)]
    seqs += [(70, 0), (65, 2 ** 32 - 1)]
    seqs += [(i, None) for i in range(71, 101)]
    return seqs


@pytest.mark.parametrize("udp64", [True, False], ids=["64bit", "32bit"])
def test_udp_hostile_sequence(server, udp64):
    """The server takes the datagrams it can and ignores the absurd
    ones: 8 of 100 lost (61 to 69 less the late 65), 3 out of order (0,
    40 and 65), jitter that of loopback.  Before, 2^64 - 1 made 2^53 - 1
    of 2^53 lost (2^32 - 2 of 2^32 - 1 with 32-bit counters), and the
    forged timestamps a jitter of hours."""
    p, s = server
    params = {"udp": True, "len": 100, "bandwidth": 1000000}
    if udp64:
        params["udp_counters_64bit"] = 1
    c = start_test(p, params)
    d = data_stream(p, True)
    assert recv_state(c) == TEST_START and recv_state(c) == TEST_RUNNING
    seqs = hostile_seqs(udp64)
    for seq, sec in seqs:
        d.send(datagram(seq, udp64, sec))
        time.sleep(0.0005)
    end = time.monotonic() + 5           # until the server read them all
    while udp_rx_queue(p, d.getsockname()[1]) and time.monotonic() < end:
        time.sleep(0.01)
    time.sleep(0.01)
    c.sendall(bytes([TEST_END]))
    assert recv_state(c) == EXCHANGE_RESULTS
    r = finish(c, 100 * len(seqs), len(seqs))
    st = r["streams"][0]
    assert (st["errors"], st["packets"]) == (8, 100), st
    assert 0 <= st["jitter"] < 0.1, st
    s.wait_line(r"  8/100 \(8%\)  receiver")
    s.wait_line(r" 3 datagrams received out-of-order")
    d.close()
    c.close()
    r = nplib.client("netperf", p, "-u", "-b", "10M", "-n", "100K")
    assert r.returncode == 0, r.stdout + r.stderr


def udp_rx_queue(lport, rport):
    """The receive queue (bytes, truesize) of the UDP socket from @lport
    to @rport on loopback, IPv4 or IPv6 (the server's listens on both), in
    this thread's namespace."""
    for name in ("udp", "udp6"):
        with open(f"/proc/thread-self/net/{name}") as f:
            for ln in f.readlines()[1:]:
                v = ln.split()
                if (int(v[1].split(":")[1], 16) == lport
                        and int(v[2].split(":")[1], 16) == rport):
                    return int(v[4].split(":")[1], 16)
    raise AssertionError(f"no UDP socket {lport} -> {rport}")


class Flood:
    """Sends on @d from a thread as fast as it can until stopped: TCP
    blocks of 1 MiB, or datagrams of @size numbered from 1."""

    def __init__(self, d, udp, size):
        self.d, self.udp, self.size = d, udp, size
        self.sent, self.seq, self.stop = 0, 1, threading.Event()
        self.th = threading.Thread(target=self._run, daemon=True)
        self.th.start()

    def _run(self):
        block = b"x" * (1 << 20)
        self.d.settimeout(0.2)          # to look at stop now and then
        while not self.stop.is_set():
            try:
                if self.udp:
                    self.sent += self.d.send(
                        datagram(self.seq, False, size=self.size))
                    self.seq += 1
                else:
                    self.sent += self.d.send(block)
            except socket.timeout:
                continue
            except OSError:
                return

    def end(self):
        self.stop.set()
        self.th.join(10)
        self.d.close()


@pytest.mark.parametrize("proto", ["tcp", "udp"])
def test_flood_after_end(server, proto):
    """A client whose stream keeps sending after its TEST_END gets the
    server's EXCHANGE_RESULTS within 2 s and its results; the server's
    UDP reader has stopped by then (its socket's queue fills: nobody
    reads it; before, it read on until the results came, and a TCP
    reader slower than its peer never stopped), and it serves the next
    client.  "window" keeps the UDP queue small to fill."""
    p, s = server
    udp = proto == "udp"
    params = {"udp": True, "len": 1000, "window": 65536} if udp else \
        {"tcp": True, "len": 131072}
    c = start_test(p, params)
    d = data_stream(p, udp)
    assert recv_state(c) == TEST_START and recv_state(c) == TEST_RUNNING
    fl = Flood(d, udp, 1000)
    try:
        time.sleep(0.3)
        c.sendall(bytes([TEST_END]))
        t0 = time.monotonic()
        c.settimeout(10)
        assert recv_state(c) == EXCHANGE_RESULTS
        assert time.monotonic() - t0 < 2.0
        if udp:
            time.sleep(0.2)
            for _ in range(5):
                q = udp_rx_queue(p, d.getsockname()[1])
                assert q >= 32768, f"the server still reads: {q} queued"
                time.sleep(0.02)
        r = finish(c, fl.sent, fl.seq)
    finally:
        fl.end()
        c.close()
    # all sends returned: what the server counted came of them
    assert 0 < r["streams"][0]["bytes"] <= fl.sent
    r = nplib.client("netperf", p, "-n", "1M")
    assert r.returncode == 0, r.stdout + r.stderr

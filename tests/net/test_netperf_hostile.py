"""Hostile clients against our server (the CVE classes of iperf3's
history): it rejects each cleanly, keeps serving others, and its memory
stays bounded.  test_netperf_hostile_ref.py sends the same bytes (the
constants below) to iperf3 3.12 and to us side by side.  Each test runs
in a network namespace of its own (nplib.own_netns)."""
import json
import os
import select
import socket
import struct
import sys
import time

import pytest

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "netperf"))
import nplib  # noqa: E402

COOKIE = b"abcdefghijklmnopqrstuvwxyz234567abcd\0"

# The hostile bytes, shared with test_netperf_hostile_ref.py.
LEN_FFFFFFFF = b"\xff\xff\xff\xff" + b"{" * 1000   # CVE-2023-38403
LEN_OVER_8K = struct.pack(">I", 9000) + b" " * 9000
BAD_JSON_TEXT = b'{"tcp":true,"parallel":1,"time":1,"len":"\\u'
PARTIAL_COOKIE = COOKIE[:10]                         # CVE-2023-7250
PARTIAL_JSON = b"\x00\x00\x01\x00{"
STALLED_JSON = b"\x00\x00\x00\x10{"
WRONG_COOKIE = b"!" * 37
GARBAGE_RESULTS = b'{"streams":"x"}'
# Wrong JSON types (CVE-2024-53580) and 3.12's unchecked ranges.
BAD_PARAMS = {
    "parallel-str": {"tcp": True, "parallel": "4", "time": 1, "len": 1000},
    "time-str": {"tcp": True, "parallel": 1, "time": "x", "len": 1000},
    "title-num": {"tcp": True, "parallel": 1, "time": 1, "len": 1000,
                  "title": 5},
    "cc-array": {"tcp": True, "parallel": 1, "time": 1, "len": 1000,
                 "congestion": []},
    "token-num": {"tcp": True, "parallel": 1, "time": 1, "len": 1000,
                  "authtoken": 7},
    "huge-len": {"tcp": True, "parallel": 1, "time": 1, "len": 4294967295},
    "huge-parallel": {"tcp": True, "parallel": 100000, "time": 1,
                      "len": 1000},
    "huge-time": {"tcp": True, "parallel": 1, "time": 1e12, "len": 1000},
    "huge-window": {"tcp": True, "parallel": 1, "time": 1, "len": 1000,
                    "window": 2 ** 40},
    "huge-mss": {"tcp": True, "parallel": 1, "time": 1, "len": 1000,
                 "MSS": 10 ** 9},
    "udp-tiny-len": {"udp": True, "parallel": 1, "time": 1, "len": 3},
    "udp-huge-len": {"udp": True, "parallel": 1, "time": 1, "len": 100000},
    "negative": {"tcp": True, "parallel": -1, "time": 1, "len": 1000},
    "not-object": [1, 2, 3],
}


# Every test in a network namespace of its own (autouse).
each_test_in_own_netns = nplib.each_test_in_own_netns


@pytest.fixture
def server():
    with nplib.serving() as ps:
        yield ps


def ctrl(p, cookie=COOKIE):
    c = socket.create_connection(("127.0.0.1", p), timeout=nplib.READY_TIMEOUT)
    c.sendall(cookie)
    return c


def recv_state(c):
    b = c.recv(1)
    return struct.unpack("b", b)[0] if b else None


def closed(c):
    """Reads until EOF; True if the server closed the connection."""
    try:
        while c.recv(4096):
            pass
        return True
    except ConnectionResetError:
        return True                      # closed with our bytes unread
    except socket.timeout:
        return False


def still_serves(p, *args):
    r = nplib.client("iperf3", p, "-t", "1", *args)
    assert r.returncode == 0, r.stdout + r.stderr
    r = nplib.client("netperf", p, "-t", "1", *args)
    assert r.returncode == 0, r.stdout + r.stderr


def rss_kib(proc):
    with open(f"/proc/{proc.pid}/status") as f:
        for ln in f:
            if ln.startswith("VmRSS:"):
                return int(ln.split()[1])
    return 0


def send_params(p, params):
    c = ctrl(p)
    assert recv_state(c) == 9  # PARAM_EXCHANGE
    js = json.dumps(params).encode()
    c.sendall(struct.pack(">I", len(js)) + js)
    return c


def test_length_ffffffff(server):
    p, s = server
    c = ctrl(p)
    assert recv_state(c) == 9
    c.sendall(LEN_FFFFFFFF)
    assert closed(c)
    still_serves(p)
    assert rss_kib(s.proc) < 64 * 1024


def test_length_over_8k(server):
    p, _ = server
    c = ctrl(p)
    assert recv_state(c) == 9
    c.sendall(LEN_OVER_8K)
    assert closed(c)
    still_serves(p)


@pytest.mark.parametrize("name", BAD_PARAMS)
def test_bad_params(server, name):
    p, s = server
    c = send_params(p, BAD_PARAMS[name])
    st = recv_state(c)
    assert st == -2, f"expected SERVER_ERROR, got {st}"
    assert closed(c)
    still_serves(p)
    assert rss_kib(s.proc) < 64 * 1024


def test_bad_json_text(server):
    p, _ = server
    c = ctrl(p)
    assert recv_state(c) == 9
    c.sendall(struct.pack(">I", len(BAD_JSON_TEXT)) + BAD_JSON_TEXT)
    assert recv_state(c) == -2
    still_serves(p)


def still_open(c):
    """True if the server has neither closed @c nor sent on it: nothing
    to read (an EOF or a reset would be)."""
    return not select.select([c], [], [], 0)[0]


def test_stalled_clients_do_not_block(server):
    """Clients that stop mid-cookie or mid-JSON do not hold up others:
    two quick tests are served while the server still holds every
    stalled connection open (it drops them after 3 s, the cookie's timeout,
    and 10 s, the JSON's;
    a server that served one connection at a time would serve the others
    only after that, so the stalls would be gone by then)."""
    p, s = server
    stalls = []
    for _ in range(5):
        c = socket.create_connection(("127.0.0.1", p))
        c.sendall(PARTIAL_COOKIE)        # then silence
        stalls.append(c)
    c = ctrl(p)
    assert recv_state(c) == 9
    c.sendall(PARTIAL_JSON)              # then silence
    stalls.append(c)
    for tool in ("iperf3", "netperf"):
        r = nplib.client(tool, p, "-n", "1M")
        assert r.returncode == 0, r.stdout + r.stderr
    assert all(map(still_open, stalls))
    for c in stalls:
        c.close()


def test_stalled_json_times_out(server):
    """A JSON that never comes is given up (after the 10 s read timeout;
    the socket's timeout, READY_TIMEOUT, is for a server that never does)."""
    p, _ = server
    c = ctrl(p)
    assert recv_state(c) == 9
    c.sendall(STALLED_JSON)
    assert closed(c)


def test_wrong_cookie_stream(server):
    p, _ = server
    c = socket.create_connection(("127.0.0.1", p), timeout=5)
    c.sendall(WRONG_COOKIE)
    assert closed(c)
    still_serves(p)


def test_concurrent_tests(server):
    p, _ = server
    import subprocess
    procs = [subprocess.Popen([nplib.IPERF3, "-c", "127.0.0.1", "-p", str(p),
                               "-t", "2"], stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True)
             for _ in range(3)]
    for pr in procs:
        out, err = pr.communicate(timeout=30)
        assert pr.returncode == 0, out + err
        assert "receiver" in out


def test_streams_never_come(server):
    """A client that asks for two streams and opens one: the server gives
    up on them after its 10 s (a timed wait on the monotonic clock), closes
    the test and serves the next client.  The 40 s is a hang check."""
    p, _ = server
    c = send_params(p, {"tcp": True, "parallel": 2, "time": 1, "len": 1000})
    assert recv_state(c) == 10           # CREATE_STREAMS
    d = socket.create_connection(("127.0.0.1", p))
    d.sendall(COOKIE)
    c.settimeout(40)
    assert closed(c)
    d.close()
    still_serves(p)


def at_results(p):
    """A -R test of one stream run to EXCHANGE_RESULTS: (control, stream)."""
    c = send_params(p, {"tcp": True, "parallel": 1, "time": 1, "len": 1000,
                        "reverse": True})
    assert recv_state(c) == 10           # CREATE_STREAMS
    d = socket.create_connection(("127.0.0.1", p))
    d.sendall(COOKIE)
    assert recv_state(c) == 1 and recv_state(c) == 2
    time.sleep(0.3)
    c.sendall(b"\x04")                   # TEST_END
    assert recv_state(c) == 13
    return c, d


def client_results(n_streams, **extra):
    """A client's results JSON for @n_streams streams (ids 1, 3, 4...)."""
    r = {"cpu_util_total": 1, "cpu_util_user": 1, "cpu_util_system": 0,
         "sender_has_retransmits": 0,
         "streams": [{"id": i, "bytes": 0, "retransmits": 0, "jitter": 0,
                      "errors": 0, "packets": 0, "start_time": 0,
                      "end_time": 1}
                     for i in [1] + list(range(3, n_streams + 2))]}
    r.update(extra)
    return json.dumps(r).encode()


def test_results_garbage(server):
    """A client that sends nonsense results instead of its own."""
    p, _ = server
    c, d = at_results(p)
    c.sendall(struct.pack(">I", len(GARBAGE_RESULTS)) + GARBAGE_RESULTS)
    assert closed(c)
    d.close()
    still_serves(p)


# ---- UDP hellos: a stream's 4 bytes to port/udp (iperf_udp_accept) ------
UDP_HELLO = b"9876"
UDP_REPLY = b"6789"
OTHER_HOST = "127.0.0.2"     # a second source address on the namespace's lo


def udp_hello(p, src):
    u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    u.bind((src, 0))
    u.connect(("127.0.0.1", p))
    u.settimeout(nplib.READY_TIMEOUT)
    u.send(UDP_HELLO)
    return u


def still_serves_udp(p, *args):
    for tool in ("iperf3", "netperf"):
        r = nplib.client(tool, p, "-u", "-b", "10M", "-n", "100K", *args)
        assert r.returncode == 0, r.stdout + r.stderr


def test_udp_hello_from_other_host(server):
    """A hello from an address other than the control connection's gets
    no reply and no stream: it came first, yet the client's own two
    hellos get the test's two streams (iperf3 3.12 connects its stream
    to whoever sends first and answers there)."""
    p, _ = server
    c = send_params(p, {"udp": True, "parallel": 2, "time": 1, "len": 1000,
                        "bandwidth": 1000000})
    assert recv_state(c) == 10           # CREATE_STREAMS
    spoof = udp_hello(p, OTHER_HOST)
    real = [udp_hello(p, "127.0.0.1")]
    assert real[0].recv(16) == UDP_REPLY
    # Loopback queued the spoofed hello before the real one on the same
    # socket: a reply to it would be waiting by now.
    assert still_open(spoof)
    real.append(udp_hello(p, "127.0.0.1"))
    assert real[1].recv(16) == UDP_REPLY
    assert recv_state(c) == 1 and recv_state(c) == 2
    assert still_open(spoof)
    for u in (c, spoof, *real):
        u.close()
    still_serves_udp(p)


def test_udp_hellos_never_come(server):
    """A UDP test whose client never sends its hellos holds up no other
    host's UDP tests: they are served while it still waits for them (for
    10 s; a server that set up one UDP test at a time would serve the
    others only after that, having closed the stalled one)."""
    p, _ = server
    c = send_params(p, {"udp": True, "parallel": 1, "time": 1, "len": 1000})
    assert recv_state(c) == 10           # CREATE_STREAMS, then silence
    still_serves_udp(p, "-B", OTHER_HOST)
    assert still_open(c)
    c.close()


# ---- authentication: CVE-2024-26306, CVE-2025-54349/54350 classes ------
@pytest.fixture(scope="module")
def keys(tmp_path_factory):
    return nplib.make_auth(tmp_path_factory.mktemp("auth"))


@pytest.fixture
def auth_server(keys):
    with nplib.serving(*nplib.auth_server_args(keys, False)) as ps:
        yield ps


def _tok(k, user=nplib.AUTH_USER, pwd=nplib.AUTH_PWD, dt=0, **kw):
    return nplib.auth_token(k["pub"], user, pwd, int(time.time()) + dt, **kw)


TOKENS = {
    "garbage": lambda k: "QUJD" * 86 + "QQ==",   # 344 chars, not RSA
    "bad-base64": lambda k: "!!not base64!!",
    "base64-newline": lambda k: _tok(k)[:64] + "\n" + _tok(k)[64:],
    "base64-bad-padding": lambda k: "Q===" * 86,
    "empty": lambda k: "",
    "too-long": lambda k: "QUJD" * 1000,
    "unknown-user": lambda k: _tok(k, user="luigi"),
    "wrong-password": lambda k: _tok(k, pwd="verdi"),
    "expired": lambda k: _tok(k, dt=-3600),
    "future": lambda k: _tok(k, dt=3600),
    "pkcs1-to-oaep": lambda k: _tok(k, pkcs1=True),
    "bad-plaintext": lambda k: nplib.auth_token(
        k["pub"], 0, 0, plain=b"user: mario\npwd: rossi\nts: 1"),
    "nul-plaintext": lambda k: nplib.auth_token(
        k["pub"], 0, 0,
        plain=f"user: mario\0\npwd:  rossi\nts:   {int(time.time())}".encode()),
    "huge-ts": lambda k: nplib.auth_token(
        k["pub"], 0, 0, plain=b"user: mario\npwd:  rossi\nts:   " + b"9" * 40),
}


def auth_still_serves(p, keys):
    r = nplib.client("iperf3", p, "-t", "1",
                     *nplib.auth_client_args(keys, False)[:4],
                     password=nplib.AUTH_PWD)
    # iperf3 3.12 cannot do OAEP: it must be refused, not crash us.
    assert r.returncode != 0
    r = nplib.client("netperf", p, "-t", "1",
                     *nplib.auth_client_args(keys, False),
                     password=nplib.AUTH_PWD)
    assert r.returncode == 0, r.stdout + r.stderr


@pytest.mark.parametrize("name", TOKENS)
def test_bad_tokens(keys, auth_server, name):
    p, s = auth_server
    c = send_params(p, {"tcp": True, "parallel": 1, "time": 1, "len": 1000,
                        "authtoken": TOKENS[name](keys)})
    assert recv_state(c) == -2
    data = b""
    while True:
        b = c.recv(64)
        if not b:
            break
        data += b
    # IEAUTHTEST (142) without an errno, then a close; a token too long
    # or with a control character is a parameter error (114) instead.
    want = 114 if name in ("too-long", "base64-newline") else 142
    assert data[:4] == struct.pack(">i", want), data
    if want == 142:
        assert len(data) == 4
    auth_still_serves(p, keys)
    assert rss_kib(s.proc) < 64 * 1024


def test_no_token(keys, auth_server):
    p, _ = auth_server
    r = nplib.client("netperf", p, "-t", "1")
    assert r.returncode == 1
    assert "test authorization failed" in r.stdout + r.stderr
    r = nplib.client("iperf3", p, "-t", "1")
    assert r.returncode == 1
    assert "test authorization failed" in r.stdout + r.stderr


def test_idle_timeout_drops_silent_client():
    """--idle-timeout: a client that opens its stream and then sends
    nothing loses its test after that many seconds, not time + 40 s."""
    p = nplib.port()
    s = nplib.Server("netperf", p, "--idle-timeout", "2", one_off=False)
    try:
        c = send_params(p, {"tcp": True, "parallel": 1, "time": 30,
                            "len": 1000})
        assert recv_state(c) == 10
        d = socket.create_connection(("127.0.0.1", p))
        d.sendall(COOKIE)
        assert recv_state(c) == 1 and recv_state(c) == 2
        t0 = time.monotonic()
        # Closed after the idle timeout, not at the -t 30 test's end plus
        # the server's 40 s (a wait of 60 s shows the difference; the
        # lower bound is safe, as a timer does not fire early).
        c.settimeout(60)
        assert closed(c)
        assert time.monotonic() - t0 > 1.5
        d.close()
        still_serves(p)
    finally:
        s.kill()


# ---- admission: --max-tests, per-host limits, fd exhaustion -----------
def cookie(i):
    """Test @i's own cookie."""
    return b"%c" % b"bcdefghijklmnop"[i] + COOKIE[1:]


def hold_test(p, i=0):
    """A control connection that holds a test of cookie(@i) (in
    PARAM_EXCHANGE until it closes)."""
    c = socket.create_connection(("127.0.0.1", p), timeout=nplib.READY_TIMEOUT)
    c.sendall(cookie(i))
    assert recv_state(c) == 9
    return c


def release(s, c, n):
    """Closes test holder @c and waits for server @s to free its slot: its
    banner for test #@n (the test ends, then the banner is printed)."""
    c.close()
    s.wait_line(rf"Server listening on \d+ \(test #{n}\)")


def assert_busy(p, *args):
    """Both clients are refused with iperf3's busy answer."""
    for tool in ("iperf3", "netperf"):
        r = nplib.client(tool, p, "-t", "1", *args)
        assert r.returncode == 1, r.stdout + r.stderr
        assert "the server is busy running a test. try again later" \
            in r.stderr, r.stdout + r.stderr


def test_max_tests_busy():
    """--max-tests 1: while one test runs, the next client gets the
    ACCESS_DENIED byte alone, as from a busy iperf3 3.12, and both
    clients say "busy"; once the test ends the next is served."""
    p = nplib.port()
    s = nplib.Server("netperf", p, "--max-tests", "1", one_off=False)
    try:
        c = hold_test(p)
        d = socket.create_connection(("127.0.0.1", p),
                                     timeout=nplib.READY_TIMEOUT)
        d.sendall(cookie(1))
        assert d.recv(16) == b"\xff"
        assert closed(d)
        assert_busy(p)
        release(s, c, 2)
        still_serves(p)
    finally:
        s.kill()


HOST_TESTS = 4          # NP_SRV_HOST_TESTS
HOST_PENDING = 16       # NP_SRV_HOST_PENDING


def test_tests_per_host(server):
    """One host holds at most HOST_TESTS tests: its next client is told
    "busy", another host's is served."""
    p, _ = server
    held = [hold_test(p, i) for i in range(HOST_TESTS)]
    assert_busy(p)
    still_serves(p, "-B", OTHER_HOST)
    assert all(map(still_open, held))
    for c in held:
        c.close()


def test_pending_per_host(server):
    """One host has at most HOST_PENDING connections that have not sent
    their cookie: the next gets the busy byte unread, as from iperf3 (a
    cookie would start a test), while another host is served."""
    p, _ = server
    stalls = []
    for _ in range(HOST_PENDING):
        c = socket.create_connection(("127.0.0.1", p))
        c.sendall(PARTIAL_COOKIE)        # then silence
        stalls.append(c)
    c = ctrl(p)
    assert c.recv(16) == b"\xff"
    still_serves(p, "-B", OTHER_HOST)
    assert all(map(still_open, stalls))
    for c in [c, *stalls]:
        c.close()


COOKIE_TIMEOUT = 3      # NP_SRV_COOKIE_MS


def test_cookie_timeout(server):
    """A connection that never completes its cookie is dropped after
    COOKIE_TIMEOUT (not the 10 s of other reads): twice that is the
    upper bound."""
    p, _ = server
    c = socket.create_connection(("127.0.0.1", p))
    c.sendall(PARTIAL_COOKIE)
    c.settimeout(2 * COOKIE_TIMEOUT)
    assert closed(c)


def n_fds(proc):
    return len(os.listdir(f"/proc/{proc.pid}/fd"))


def cpu_s(proc):
    with open(f"/proc/{proc.pid}/stat") as f:
        v = f.read().rsplit(")", 1)[1].split()
    return (int(v[11]) + int(v[12])) / os.sysconf("SC_CLK_TCK")


def test_out_of_fds(server):
    """With RLIMIT_NOFILE reached, a connection waiting in the backlog
    makes accept() fail (EMFILE) while the listener stays readable: the
    server pauses instead of spinning (bounded CPU time while it lasts),
    stays up, and serves again once fds are free."""
    import resource
    p, s = server
    free = 6
    base = n_fds(s.proc)
    resource.prlimit(s.pid, resource.RLIMIT_NOFILE, (base + free,) * 2)
    stalls = []
    for _ in range(free):
        c = socket.create_connection(("127.0.0.1", p))
        c.sendall(PARTIAL_COOKIE)        # holds an fd for COOKIE_TIMEOUT
        stalls.append(c)
    end = time.monotonic() + nplib.READY_TIMEOUT
    while n_fds(s.proc) < base + free:   # all accepted: no fd left
        assert time.monotonic() < end, "stalls not accepted"
        time.sleep(0.01)
    stalls.append(socket.create_connection(("127.0.0.1", p)))  # EMFILE
    cpu0, t0 = cpu_s(s.proc), time.monotonic()
    time.sleep(1.5)                      # a window of observation
    assert time.monotonic() - t0 < COOKIE_TIMEOUT, "stalls dropped early"
    assert cpu_s(s.proc) - cpu0 < 0.3, "spins on accept()"
    assert s.proc.poll() is None
    for c in stalls:
        c.close()
    still_serves(p)


# ---- control writes: an overall deadline, TCP_USER_TIMEOUT ------------
def test_trickling_reader_loses_its_test():
    """A client that reads the server's results a few bytes a second
    never stalls a write for NP_IO_TIMEOUT_MS (10 s), so only the write's
    overall deadline (NP_IO_TOTAL_MS, 30 s) ends it: the server drops the
    test, closes the connection and serves the next.  Before, it sent
    forever.  tcp_wmem of this namespace and the client's minimal receive
    buffer keep the results (-P 16, -i 0.1: about 20 KB of server output)
    from fitting in the sockets."""
    with open("/proc/sys/net/ipv4/tcp_wmem", "w") as f:
        f.write("4096 4096 4096")       # this test's namespace only
    p = nplib.port()
    s = nplib.Server("netperf", p, "-i", "0.1", one_off=False)
    try:
        c = socket.socket()
        c.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 1)
        c.settimeout(nplib.READY_TIMEOUT)
        c.connect(("127.0.0.1", p))
        c.sendall(COOKIE)
        assert recv_state(c) == 9
        js = json.dumps({"tcp": True, "parallel": 16, "time": 1,
                         "len": 1000, "get_server_output": 1}).encode()
        c.sendall(struct.pack(">I", len(js)) + js)
        assert recv_state(c) == 10
        data = [socket.create_connection(("127.0.0.1", p))
                for _ in range(16)]
        for d in data:
            d.sendall(COOKIE)
        assert recv_state(c) == 1 and recv_state(c) == 2
        time.sleep(1.2)
        c.sendall(b"\x04")                   # TEST_END
        assert recv_state(c) == 13
        res = client_results(16)
        c.sendall(struct.pack(">I", len(res)) + res)
        t0, got, eof = time.monotonic(), b"", False
        while time.monotonic() - t0 < 50 and not eof:
            time.sleep(1)
            try:
                b = c.recv(64)
            except ConnectionResetError:
                b = b""
            got += b
            eof = not b
        secs = time.monotonic() - t0
        size = struct.unpack(">I", got[:4])[0]
        print(f"read {len(got)} of {size} bytes in {secs:.1f} s")
        assert eof, f"the server still sends after {secs:.0f} s"
        assert len(got) < size, "the results fitted: nothing trickled"
        for d in data:
            d.close()
        c.close()
        still_serves(p)
    finally:
        s.kill()


def _sockets_of(pid):
    """Duplicates of process @pid's sockets (pidfd_getfd(2))."""
    import ctypes
    libc = ctypes.CDLL(None, use_errno=True)
    pidfd = os.pidfd_open(pid)
    socks = []
    try:
        for fd in os.listdir(f"/proc/{pid}/fd"):
            try:
                if not os.readlink(f"/proc/{pid}/fd/{fd}").startswith(
                        "socket:"):
                    continue
            except OSError:
                continue
            dup = libc.syscall(438, pidfd, int(fd), 0)  # pidfd_getfd
            if dup >= 0:
                socks.append(socket.socket(fileno=dup))
    finally:
        os.close(pidfd)
    return socks


def user_timeout_of(pid, peer):
    """TCP_USER_TIMEOUT of process @pid's socket connected to IPv4 @peer
    (from a dual-stack socket too)."""
    for s in _sockets_of(pid):
        with s:
            try:
                host, port = s.getpeername()[:2]
                if port == peer[1] and host in (peer[0],
                                                "::ffff:" + peer[0]):
                    return s.getsockopt(socket.IPPROTO_TCP,
                                        socket.TCP_USER_TIMEOUT)
            except OSError:
                pass
    raise AssertionError(f"no socket of {pid} connected to {peer}")


@pytest.mark.parametrize("args,ms", [((), 30000),
                                     (("--snd-timeout", "5000"), 5000)])
def test_control_user_timeout(args, ms):
    """The server's control connection gets TCP_USER_TIMEOUT: 30 s
    (NP_CTRL_USER_TIMEOUT_MS) unless --snd-timeout says otherwise; a
    client that vanishes with the results unacknowledged is dropped
    then, not after the kernel's 15 minutes of retransmissions."""
    p = nplib.port()
    s = nplib.Server("netperf", p, *args, one_off=False)
    try:
        c = ctrl(p)
        assert recv_state(c) == 9
        assert user_timeout_of(s.pid, c.getsockname()) == ms
        c.close()
    finally:
        s.kill()


# ---- output: capped, and counted in the budget ------------------------
def test_results_oversize(server):
    """Results far beyond what one stream needs (100 KB; the cap is
    2 KiB + 384 bytes a stream): refused, the connection closed before
    any results of ours.  Before, anything up to 1 MiB was parsed (cJSON:
    ~40 bytes of heap per byte)."""
    p, _ = server
    c, d = at_results(p)
    res = client_results(1, pad="x" * 100000)
    c.sendall(struct.pack(">I", len(res)) + res)
    c.settimeout(nplib.READY_TIMEOUT)
    got = b""
    try:
        while b := c.recv(65536):
            got += b
    except ConnectionResetError:
        pass
    assert got == b"", got[:200]
    d.close()
    still_serves(p)


def test_server_output_text_capped():
    """--get-server-output of a long test with many streams: the server's
    text stops at NP_OUTPUT_TEXT_MAX (1 MiB) and says "[truncated]"; the
    client prints what it got.  -P 128 --bidir at -i 0.1 writes about
    22 KB an interval, so 6 s pass the cap."""
    p = nplib.port()
    s = nplib.Server("netperf", p, "-i", "0.1", one_off=False)
    try:
        r = nplib.client("iperf3", p, "-P", "128", "--bidir", "-b", "1K",
                         "-t", "6", "--get-server-output", timeout=60)
        assert r.returncode == 0, r.stderr
        out = r.stdout.split("Server output:", 1)[1]
        assert 1_000_000 < out.index("[truncated]") < 1 << 20
    finally:
        s.kill()


def test_server_json_capped():
    """A -J server keeps the intervals of its JSON tree only up to
    NP_OUTPUT_JSON_MAX (8 MiB at 2 KiB a stream and interval: 15 of -P
    128 --bidir) and counts the rest in "intervals_dropped"; its summary
    ("end") is whole."""
    p = nplib.port()
    s = nplib.Server("netperf", p, "-J", "-i", "0.1")
    try:
        r = nplib.client("netperf", p, "-P", "128", "--bidir", "-b", "1K",
                         "-t", "3", timeout=60)
        assert r.returncode == 0, r.stderr
        rc, out, err = s.finish(timeout=60)
    finally:
        s.kill()
    assert rc == 0, err
    js = json.loads(out)
    assert len(js["intervals"]) == 15
    assert js["intervals_dropped"] >= 8
    assert len(js["end"]["streams"]) == 256


# ---- the budget counts what the kernel holds for a test too ------------
def test_udp_buffers_within_budget(server):
    """-u -P 128 --bidir: forced UDP socket buffers (4 MiB to receive, 4
    MiB to send) on 256 sockets would let one test pin 2 GiB of kernel
    memory beside its 256 MiB budget (4 GiB before each socket got only
    its role's); they are forced only when they fit in it, else the
    system's defaults apply.  The server's stream sockets (SO_RCVBUF and
    SO_SNDBUF as the kernel reports them, twice what was set) must add up
    to no more than the budget while the test runs."""
    p, s = server
    import subprocess
    c = subprocess.Popen([nplib.NETPERF, "-c", "127.0.0.1", "-p", str(p),
                          "-u", "-P", "128", "--bidir", "-b", "100K",
                          "-t", "3"], stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE, text=True)
    try:
        end, total, n = time.monotonic() + 20, 0, 0
        while n < 256 and time.monotonic() < end:
            time.sleep(0.3)
            total = n = 0
            for k in _sockets_of(s.pid):
                with k:
                    if k.type != socket.SOCK_DGRAM:
                        continue
                    try:
                        k.getpeername()
                    except OSError:
                        continue             # the hello socket
                    n += 1
                    total += (k.getsockopt(socket.SOL_SOCKET,
                                           socket.SO_RCVBUF) +
                              k.getsockopt(socket.SOL_SOCKET,
                                           socket.SO_SNDBUF))
        out, err = c.communicate(timeout=30)
    finally:
        c.kill()
    assert n == 256, (n, out, err)
    print(f"{n} sockets, {total >> 20} MiB of socket buffers")
    assert total <= 256 << 20, total
    assert c.returncode == 0, out + err


def test_zerocopy_memfds_in_budget(server):
    """-Z -P 128 --bidir -l 1M: the server's 128 senders' memfds (1 MiB
    each) come on top of 256 MiB of buffers; the test is refused with
    iperf3's "unable to start a new test" error instead of being taken
    past the budget.  A test that fits still runs."""
    p, _ = server
    r = nplib.client("netperf", p, "-Z", "-P", "128", "--bidir", "-l", "1M",
                     "-t", "1", timeout=60)
    assert r.returncode != 0, r.stdout + r.stderr
    assert "No space left on device" in r.stdout + r.stderr, r.stderr
    r = nplib.client("netperf", p, "-Z", "-P", "8", "--bidir", "-t", "1")
    assert r.returncode == 0, r.stdout + r.stderr


@pytest.mark.parametrize("proto", ["tcp", "udp"])
def test_abandoned_in_create_streams(proto):
    """A client that leaves in CREATE_STREAMS (its streams never come)
    frees its test slot at once, not after the 10 s wait for streams:
    with --max-tests 1, the next client is served half a second later.
    Before, two addresses re-sending parameters every 10 s and closing
    could hold every slot without keeping a socket open."""
    p = nplib.port()
    s = nplib.Server("netperf", p, "--max-tests", "1", one_off=False)
    try:
        c = send_params(p, {proto: True, "parallel": 2, "time": 1,
                            "len": 1000})
        assert recv_state(c) == 10           # CREATE_STREAMS
        c.close()
        time.sleep(0.5)
        args = ["-u", "-b", "1M"] if proto == "udp" else []
        r = nplib.client("iperf3", p, "-t", "1", *args)
        assert r.returncode == 0, r.stdout + r.stderr
    finally:
        s.kill()

"""One test per netperf option that test_netperf_interop.py, _veth.py and
_hostile.py leave untested, each run against iperf3 3.12 beside ours:
both must show the same effect (JSON fields, the setsockopt() calls and
the datagrams strace sees, text lines, timing)."""
import json
import os
import re
import signal
import subprocess
import sys
import time

import pytest

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "netperf"))
import nplib  # noqa: E402

TOOLS = ["netperf", "iperf3"]
HAVE_STRACE = os.path.exists("/usr/bin/strace")
# LeakSanitizer cannot run under ptrace: traced sanitized builds skip it.
TRACED_ENV = dict(os.environ, ASAN_OPTIONS="detect_leaks=0")
needs_strace = pytest.mark.skipif(not HAVE_STRACE, reason="no strace")


@pytest.fixture(autouse=True)
def _need_binary():
    if not os.path.exists(nplib.NETPERF):
        pytest.fail(f"netperf not built in {nplib.BUILD}")


def run_pair(tool, args, srv_args=(), srv_tool=None, json_out=True,
             host="127.0.0.1", timeout=30):
    """Runs a one-off server (@srv_tool, default @tool) and a @tool client;
    returns (client CompletedProcess, server stdout, server stderr)."""
    p = nplib.port()
    j = ["-J"] if json_out else []
    s = nplib.Server(srv_tool or tool, p, *j, *srv_args)
    try:
        r = subprocess.run([nplib.TOOLS[tool], "-c", host, "-p", str(p),
                            *args, *j], capture_output=True, text=True,
                           timeout=timeout)
        _, out, err = s.finish()
    finally:
        s.kill()
    return r, out, err


def ok_pair(tool, args, srv_args=(), **kw):
    """run_pair() that must succeed; returns both -J documents."""
    r, out, err = run_pair(tool, args, srv_args, **kw)
    assert r.returncode == 0, f"{tool} client: {r.stdout[-2000:]}{r.stderr}"
    return nplib.load_json(r.stdout), nplib.load_json(out)


def traced(argv, trace, log, extra=()):
    """argv under strace -f, its trace of @trace calls into @log."""
    return ["strace", "-f", "-qq", "-x", "-s", "64", *extra, "-o", str(log),
            "-e", f"trace={trace}", *argv]


def traced_client(tool, args, trace, log, srv_tool="iperf3", extra=()):
    """Runs a @tool client under strace against a one-off @srv_tool;
    returns the client's CompletedProcess; the trace is in @log."""
    p = nplib.port()
    s = nplib.Server(srv_tool, p)
    try:
        r = subprocess.run(traced([nplib.TOOLS[tool], "-c", "127.0.0.1",
                                   "-p", str(p), *args], trace, log, extra),
                           capture_output=True, text=True, timeout=30,
                           env=TRACED_ENV)
        if r.returncode == 0:
            s.finish()
    finally:
        s.kill()
    return r


def traced_server(tool, args, trace, log, cli_tool="iperf3"):
    """Runs a one-off @tool server under strace and a @cli_tool client
    with @args; returns the client's CompletedProcess."""
    p = nplib.port()
    s = subprocess.Popen(traced([nplib.TOOLS[tool], "-s", "-1", "-p", str(p)],
                                trace, log),
                         stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                         text=True, env=TRACED_ENV)
    try:
        nplib.wait_port(p)
        r = nplib.client(cli_tool, p, *args)
        s.communicate(timeout=20)
    finally:
        if s.poll() is None:
            s.kill()
            s.communicate()
    return r


def setsockopts(log):
    """The setsockopt(level, name, [value]) calls of a trace."""
    return re.findall(r"setsockopt\(\d+, (\w+), (\w+), \[(\d+)\]",
                      log.read_text())


# ---- amounts: -k -------------------------------------------------------

@pytest.mark.parametrize("tool", TOOLS)
def test_blockcount(tool):
    """-k 37 -l 10K: exactly 37 blocks of 10 KiB are sent.  (A 3.12
    server may drop what is in flight at TEST_END, so it sees no more.)"""
    cj, sj = ok_pair(tool, ["-k", "37", "-l", "10K"])
    assert cj["start"]["test_start"]["blocks"] == 37
    assert cj["end"]["sum_sent"]["bytes"] == 37 * 10240
    assert sj["end"]["sum_received"]["bytes"] <= 37 * 10240


@pytest.mark.parametrize("tool", TOOLS)
@pytest.mark.parametrize("args,n,size", [
    (["-P", "3", "-k", "40", "-l", "10K"], 40, 10240),
    (["-k", "41", "-l", "100K"], 41, 102400),
    (["-P", "2", "-n", "1000K", "-l", "64K"], 16, 65536),
    (["-u", "-b", "0", "-k", "37", "-l", "1000"], 37, 1000)],
    ids=["P3-k", "k", "P2-n", "udp-k"])
def test_amount_shared(tool, args, n, size):
    """A -k or -n target is shared by all streams and counted per block
    (per datagram for UDP, even when ours sends a batch per call); -n
    rounds up to whole blocks, as 3.12 does."""
    cj, _ = ok_pair(tool, args)
    sent = cj["end"]["sum_sent"]["bytes"] if "sum_sent" in cj["end"] \
        else cj["end"]["sum"]["bytes"]
    assert sent == n * size, cj["end"].get("sum_sent")


@pytest.mark.parametrize("tool", TOOLS)
def test_interval(tool):
    """-i 0.25 on a 1 s test: four intervals of a quarter second."""
    cj, _ = ok_pair(tool, ["-t", "1", "-i", "0.25"])
    secs = [iv["sum"]["seconds"] for iv in cj["intervals"]]
    assert len(secs) == 4, secs
    assert all(abs(s - 0.25) < 0.06 for s in secs), secs


# ---- addresses: --cport -B -4 -6 ---------------------------------------

@pytest.mark.parametrize("tool", TOOLS)
def test_cport(tool):
    """--cport: stream n binds port+n, seen from both ends."""
    # 30000-32699: below the kernel's ephemeral ports (32768-60999), where
    # any other connection may hold the port, and above nplib's servers.
    cport = 30000 + os.getpid() % 270 * 10 + TOOLS.index(tool) * 5
    cj, sj = ok_pair(tool, ["-n", "1M", "-P", "2", "--cport", str(cport)])
    assert [c["local_port"] for c in cj["start"]["connected"]] == \
        [cport, cport + 1]
    assert [c["remote_port"] for c in sj["start"]["connected"]] == \
        [cport, cport + 1]


@pytest.mark.parametrize("tool", TOOLS)
def test_bind(tool):
    """-B on the client picks the source address, on the server the
    listening one."""
    cj, sj = ok_pair(tool, ["-n", "1M", "-B", "127.0.0.2"],
                     ["-B", "127.0.0.3"], host="127.0.0.3")
    assert cj["start"]["connected"][0]["local_host"] == "127.0.0.2"
    assert sj["start"]["connected"][0]["local_host"] == "127.0.0.3"
    assert sj["start"]["connected"][0]["remote_host"] == "127.0.0.2"


@pytest.mark.parametrize("tool", TOOLS)
@pytest.mark.parametrize("fam,host,want", [("-4", "localhost", "127.0.0.1"),
                                           ("-6", "::1", "::1")])
def test_family(tool, fam, host, want):
    cj, sj = ok_pair(tool, ["-n", "1M", fam], host=host)
    assert cj["start"]["connected"][0]["remote_host"] == want
    assert sj["start"]["connected"][0]["local_host"] == want


@pytest.mark.parametrize("tool", TOOLS)
@pytest.mark.parametrize("fam,ok,refused", [("-4", "127.0.0.1", "::1"),
                                            ("-6", "::1", "127.0.0.1")])
def test_server_family(tool, fam, ok, refused):
    """A -4 or -6 server listens on that family only (3.12 sets
    IPV6_V6ONLY for -6); without either it takes both."""
    p = nplib.port()
    s = nplib.Server(tool, p, fam, one_off=False)
    try:
        for host, rc in ((ok, 0), (refused, 1)):
            r = subprocess.run([nplib.IPERF3, "-c", host, "-p", str(p), "-n",
                                "1K"], capture_output=True, text=True,
                               timeout=20)
            assert r.returncode == rc, f"{host}: {r.stdout}{r.stderr}"
        assert "Connection refused" in r.stderr
    finally:
        s.kill()


@pytest.mark.parametrize("tool", TOOLS)
def test_family_mismatch(tool):
    """-4 cannot reach an IPv6 literal: both refuse with an error."""
    r = subprocess.run([nplib.TOOLS[tool], "-c", "::1", "-p", "1", "-4",
                        "-t", "1"], capture_output=True, text=True,
                       timeout=10)
    assert r.returncode == 1
    assert "unable to connect to server" in r.stderr


# ---- TCP options: -C -M -w -N -S ----------------------------------------

@pytest.mark.parametrize("tool", TOOLS)
def test_congestion(tool):
    """-C reno: used by the sender and, through the parameters, by the
    receiving server; both report it."""
    cj, sj = ok_pair(tool, ["-n", "10M", "-C", "reno"])
    assert cj["end"]["sender_tcp_congestion"] == "reno"
    assert cj["end"]["receiver_tcp_congestion"] == "reno"
    assert sj["end"]["receiver_tcp_congestion"] == "reno"


@pytest.mark.parametrize("tool", TOOLS)
def test_mss_json(tool):
    cj, sj = ok_pair(tool, ["-n", "1M", "-M", "1300"])
    assert cj["start"]["tcp_mss"] == 1300
    assert "tcp_mss_default" not in cj["start"]


@needs_strace
@pytest.mark.parametrize("tool", TOOLS)
def test_sockopts_client(tool, tmp_path):
    """-w -N -M -S on the client's data socket, as setsockopt() shows."""
    log = tmp_path / "strace"
    r = traced_client(tool, ["-n", "1M", "-w", "300K", "-N", "-M", "1300",
                             "-S", "0x20"], "setsockopt", log)
    assert r.returncode == 0, r.stdout + r.stderr
    ops = setsockopts(log)
    for want in [("SOL_SOCKET", "SO_SNDBUF", "307200"),
                 ("SOL_SOCKET", "SO_RCVBUF", "307200"),
                 ("SOL_TCP", "TCP_MAXSEG", "1300"),
                 ("SOL_IP", "IP_TOS", "32")]:
        assert want in ops, ops
    # The control connection is TCP_NODELAY anyway; -N adds the stream.
    assert ops.count(("SOL_TCP", "TCP_NODELAY", "1")) >= 2, ops


@needs_strace
@pytest.mark.parametrize("tool", TOOLS)
def test_sockopts_baseline(tool, tmp_path):
    """Without those options none of them is set (so the test above sees
    the options, not defaults)."""
    log = tmp_path / "strace"
    r = traced_client(tool, ["-n", "1M"], "setsockopt", log)
    assert r.returncode == 0, r.stdout + r.stderr
    names = [o[1] for o in setsockopts(log)]
    assert names.count("TCP_NODELAY") == 1, names
    for n in ("SO_SNDBUF", "SO_RCVBUF", "TCP_MAXSEG", "IP_TOS"):
        assert n not in names, names


@needs_strace
@pytest.mark.parametrize("tool", TOOLS)
def test_sockopts_server(tool, tmp_path):
    """The server applies the client's -w -N -M -C -S to its streams
    (iperf3 on the listener they inherit from, ours on each stream)."""
    log = tmp_path / "strace"
    r = traced_server(tool, ["-n", "1M", "-w", "300K", "-N", "-M", "1300",
                             "-C", "reno", "-S", "0x20"], "setsockopt", log)
    assert r.returncode == 0, r.stdout + r.stderr
    ops = setsockopts(log)
    for want in [("SOL_SOCKET", "SO_SNDBUF", "307200"),
                 ("SOL_SOCKET", "SO_RCVBUF", "307200"),
                 ("SOL_TCP", "TCP_MAXSEG", "1300")]:
        assert want in ops, ops
    assert ops.count(("SOL_TCP", "TCP_NODELAY", "1")) >= 2, ops
    text = log.read_text()
    assert "TCP_CONGESTION" in text
    assert re.search(r"(IP_TOS|IPV6_TCLASS), \[32\], 4\) = 0", text), text


@needs_strace
@pytest.mark.parametrize("tool", TOOLS)
def test_tclass_v6(tool, tmp_path):
    """-S over IPv6 sets the traffic class."""
    p = nplib.port()
    s = nplib.Server("iperf3", p)
    log = tmp_path / "strace"
    try:
        r = subprocess.run(traced([nplib.TOOLS[tool], "-c", "::1", "-p",
                                   str(p), "-n", "1M", "-S", "0x28"],
                                  "setsockopt", log),
                           capture_output=True, text=True, timeout=30,
                           env=TRACED_ENV)
        s.finish()
    finally:
        s.kill()
    assert r.returncode == 0, r.stdout + r.stderr
    assert ("SOL_IPV6", "IPV6_TCLASS", "40") in setsockopts(log)


@pytest.mark.skipif(os.geteuid() != 0, reason="SO_RCVBUFFORCE needs root")
@pytest.mark.parametrize("args,rcv", [([], 16), (["-P", "4"], 8),
                                      (["-P", "16"], 4)],
                         ids=["P1", "P4", "P16"])
def test_udp_rcvbuf(args, rcv):
    """Without -w, ours receives UDP into 16 MiB (4 MiB per stream at
    least, 32 MiB per test), at both ends: at -b 0 4 MiB overflowed (the
    kernel reports twice what was set)."""
    cj, sj = ok_pair("netperf", ["-u", "-b", "10M", "-t", "1", *args])
    assert sj["start"]["rcvbuf_actual"] == 2 * rcv << 20
    assert cj["start"]["rcvbuf_actual"] == 2 * rcv << 20
    assert cj["start"]["sndbuf_actual"] == 2 * 4 << 20


@pytest.mark.parametrize("tool", TOOLS)
def test_window_json(tool):
    cj, _ = ok_pair(tool, ["-n", "1M", "-w", "300K"])
    assert cj["start"]["sock_bufsize"] == 300 * 1024
    assert cj["start"]["sndbuf_actual"] >= 300 * 1024


# ---- UDP payload: --repeating-payload, --udp-counters-64bit -------------

def first_datagram(log, size):
    """The first @size-byte datagram the trace shows being sent."""
    for ln in log.read_text().splitlines():
        m = re.search(r'"((?:\\x[0-9a-f]{2})+)"(?:\.\.\.)?, (?:iov_len=)?%d\b'
                      % size, ln)
        if m:
            return bytes.fromhex(m[1].replace("\\x", ""))
    raise AssertionError(log.read_text()[-3000:])


UDP_TRACE = "write,sendto,sendmsg,sendmmsg"


@needs_strace
@pytest.mark.parametrize("tool", TOOLS)
@pytest.mark.parametrize("c64", [False, True], ids=["c32", "c64"])
@pytest.mark.parametrize("rep", [False, True], ids=["random", "repeating"])
def test_udp_payload(tool, c64, rep, tmp_path):
    """The first datagram: 8 bytes of time, then sequence number 1 in 4
    bytes or, with --udp-counters-64bit, 8; the rest '0'..'9' repeating
    from the start of the buffer with --repeating-payload."""
    log = tmp_path / "strace"
    args = ["-u", "-k", "3", "-l", "64",
            *(["--udp-counters-64bit"] if c64 else []),
            *(["--repeating-payload"] if rep else [])]
    r = traced_client(tool, args, UDP_TRACE, log)
    assert r.returncode == 0, r.stdout + r.stderr
    d = first_datagram(log, 64)
    hdr = 16 if c64 else 12
    assert int.from_bytes(d[8:hdr], "big") == 1, d
    pattern = bytes(b"0123456789"[i % 10] for i in range(64))
    if rep:
        assert d[hdr:] == pattern[hdr:], d
    else:
        assert d[hdr + 8:] != pattern[hdr + 8:], d


@needs_strace
@pytest.mark.parametrize("tool", TOOLS)
def test_udp_payload_reverse(tool, tmp_path):
    """A server sending (-R) takes both from the client's parameters."""
    log = tmp_path / "strace"
    r = traced_server(tool, ["-u", "-R", "-t", "1", "-b", "100K", "-l", "64",
                             "--udp-counters-64bit", "--repeating-payload"],
                      UDP_TRACE, log)
    assert r.returncode == 0, r.stdout + r.stderr
    d = first_datagram(log, 64)
    assert int.from_bytes(d[8:16], "big") == 1, d
    assert d[16:] == bytes(b"0123456789"[i % 10] for i in range(16, 64))


U64_PAIRS = [("netperf", "iperf3"), ("iperf3", "netperf")]


@pytest.mark.parametrize("cli,srv", U64_PAIRS, ids=["to-iperf3", "from-iperf3"])
@pytest.mark.parametrize("rev", [False, True], ids=["forward", "reverse"])
def test_udp64_interop(cli, srv, rev):
    """--udp-counters-64bit between ours and iperf3 either way: the
    receiver reads the sender's 64-bit numbers (a 32-bit reading would see
    sequence 0 throughout), so packet counts agree and nothing is lost."""
    args = ["-u", "-b", "20M", "-l", "1000", "-n", "1000000",
            "--udp-counters-64bit", *(["-R"] if rev else [])]
    r, out, _ = run_pair(cli, args, srv_tool=srv)
    assert r.returncode == 0, r.stdout[-2000:] + r.stderr
    c = nplib.load_json(r.stdout)["end"]
    s = nplib.load_json(out)["end"]
    # -n ends at the first datagram past 1 MB (a -R sender goes on until
    # TEST_END reaches it); the last few may still be in flight.
    sent, got = c["sum_sent"]["packets"], c["sum_received"]["packets"]
    assert 1000 <= sent <= 1050 and sent - 10 <= got <= sent
    assert c["sum"]["lost_packets"] <= 10
    key = "sum_sent" if rev else "sum_received"
    assert abs(s[key]["packets"] - sent) <= 10


# ---- pacing: -b #/burst --------------------------------------------------

@needs_strace
@pytest.mark.parametrize("tool", TOOLS)
@pytest.mark.parametrize("burst", [False, True], ids=["paced", "burst"])
def test_burst(tool, burst, tmp_path):
    """-b 800K/20 with 1000-byte datagrams: 100 a second, sent in bursts
    of 20 with ~200 ms between them; without /20 they are spread out."""
    log = tmp_path / "strace"
    rate = "800K/20" if burst else "800K"
    r = traced_client(tool, ["-u", "-b", rate, "-l", "1000", "-t", "1"],
                      UDP_TRACE, log, extra=["-ttt"])
    assert r.returncode == 0, r.stdout + r.stderr
    ts = [float(m[1]) for m in
          re.finditer(r"^\d+ +(\d+\.\d+) .*(?:iov_len=1000|, 1000\) += 1000)",
                      log.read_text(), re.M)]
    assert len(ts) > 5, log.read_text()[-2000:]
    gaps = [b - a for a, b in zip(ts, ts[1:])]
    long_gaps = sum(g > 0.1 for g in gaps)
    if burst:
        assert long_gaps >= 3, gaps
    else:
        assert long_gaps == 0, gaps


# ---- output: -f --forceflush ---------------------------------------------

UNITS = {"k": "Kbits", "m": "Mbits", "g": "Gbits", "t": "Tbits",
         "K": "KBytes", "M": "MBytes", "G": "GBytes", "T": "TBytes"}
RATE = re.compile(r"  ([\d.]+) ([KMGT]?(?:bits|Bytes))/sec")


@pytest.mark.parametrize("tool", TOOLS)
@pytest.mark.parametrize("fmt", UNITS)
def test_format(tool, fmt):
    """-f: every rate column of client and server in that unit."""
    r, out, _ = run_pair(tool, ["-n", "20M", "-f", fmt], ["-f", fmt],
                         json_out=False)
    assert r.returncode == 0, r.stdout + r.stderr
    for text in (r.stdout, out):
        units = {m[2] for m in RATE.finditer(text)}
        assert units == {UNITS[fmt]}, text


def first_interval_delay(tool, p, args):
    """Seconds from the client's start until its first interval line can
    be read from its stdout pipe."""
    t0 = time.monotonic()
    c = subprocess.Popen([nplib.TOOLS[tool], "-c", "127.0.0.1", "-p", str(p),
                          "-t", "2", *args], stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE, text=True)
    try:
        for ln in c.stdout:
            if re.search(r"\d\.\d\d-\d+\.\d\d +sec", ln):
                return time.monotonic() - t0
        return None
    finally:
        c.communicate(timeout=10)


@pytest.mark.parametrize("tool", TOOLS)
@pytest.mark.parametrize("flush", [True, False], ids=["forceflush", "buffered"])
def test_forceflush(tool, flush):
    """--forceflush: the first interval line reaches a pipe after about a
    second, not when the buffered output is flushed at exit."""
    p = nplib.port()
    s = nplib.Server("iperf3", p)
    try:
        d = first_interval_delay(tool, p, ["--forceflush"] if flush else [])
        s.finish()
    finally:
        s.kill()
    assert d is not None
    if flush:
        assert d < 1.6, d
    else:
        assert d > 1.9, d


# ---- time limits: --connect-timeout, --server-max-duration ---------------

BLACKHOLE = "10.99.0.2"


@pytest.fixture
def blackhole(ns):
    """A namespace where SYNs to BLACKHOLE vanish: a permanent neighbour
    entry sends them to a MAC nobody has."""
    ns.ip("addr", "add", "10.99.0.1/24", "dev", "veth0")
    ns.ip("link", "set", "veth0", "up")
    ns.ip("link", "set", "veth1", "up")
    ns.ip("neigh", "add", BLACKHOLE, "lladdr", "02:00:00:00:00:99", "dev",
          "veth0", "nud", "permanent")
    return ns


@pytest.mark.parametrize("tool", TOOLS)
def test_connect_timeout(blackhole, tool):
    """--connect-timeout 500 gives up after half a second; without it the
    client is still trying seconds later."""
    argv = [nplib.TOOLS[tool], "-c", BLACKHOLE, "-t", "1"]
    t0 = time.monotonic()
    r = blackhole.run(*argv, "--connect-timeout", "500", timeout=20)
    took = time.monotonic() - t0
    assert r.returncode == 1
    assert "unable to connect to server: Connection timed out" in r.stderr
    assert 0.4 < took < 2.0, took
    c = subprocess.Popen(["ip", "netns", "exec", blackhole.name, *argv],
                         stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        time.sleep(2.0)
        assert c.poll() is None
    finally:
        c.kill()
        c.wait()


@pytest.mark.parametrize("cli", TOOLS)
def test_server_max_duration(cli):
    """--server-max-duration 1 (ours only): a -t 30 test ends after about
    a second, whichever client asked for it."""
    p = nplib.port()
    s = nplib.Server("netperf", p, "--server-max-duration", "1")
    try:
        t0 = time.monotonic()
        nplib.client(cli, p, "-t", "30")
        took = time.monotonic() - t0
        rc, out, err = s.finish()
    finally:
        s.kill()
    assert took < 4, took
    assert rc == 0, out + err


# ---- line prefixes: -T --timestamps --------------------------------------

def unprefixed(text, prefix):
    """@text's lines with @prefix (a regex) removed; asserts each has it."""
    out = []
    for ln in text.splitlines():
        m = re.match(prefix, ln)
        assert m, f"{ln!r} lacks {prefix!r}:\n{text}"
        out.append(ln[m.end():])
    assert out, text
    return "\n".join(out)


@pytest.mark.parametrize("tool", TOOLS)
def test_title(tool):
    """-T: each line of the client's text starts with "title:  ", as 3.12
    prints it; the server's lines do not; -J carries it as "title"."""
    r, out, _ = run_pair(tool, ["-n", "20M", "-T", "tt"], json_out=False)
    assert r.returncode == 0, r.stdout + r.stderr
    assert not nplib.bad_lines(unprefixed(r.stdout, "tt:  "))
    assert "tt:" not in out
    cj, _ = ok_pair(tool, ["-n", "1M", "-T", "tt"])
    assert cj["title"] == "tt"


DEFAULT_STAMP = r"\w{3} \w{3} [ \d]\d \d\d:\d\d:\d\d \d{4} "   # "%c "


@pytest.mark.parametrize("tool", TOOLS)
def test_timestamps(tool):
    """--timestamps[=fmt]: one strftime() stamp at the start of every
    line, server banner included (before -T's title on a client)."""
    r, out, _ = run_pair(tool, ["-n", "20M", "--timestamps=%H:%M:%S|",
                                "-T", "tt"], ["--timestamps"],
                         json_out=False)
    assert r.returncode == 0, r.stdout + r.stderr
    rest = unprefixed(r.stdout, r"\d\d:\d\d:\d\d\|tt:  ")
    assert not nplib.bad_lines(rest), rest
    rest = unprefixed(out, DEFAULT_STAMP)
    assert not nplib.bad_lines(rest), rest


# ---- -V ------------------------------------------------------------------

VERBOSE_MODES = {
    "tcp": ["-t", "1"],
    "udp": ["-u", "-b", "50M", "-n", "2M"],
    "reverse": ["-R", "-k", "2000", "-M", "1400"],
    "bidir": ["--bidir", "-P", "2", "-t", "1"],
}
_IVAL = re.compile(r"\d+\.\d\d-\s*\d+\.\d\d +sec ")
_SUMMARY = re.compile(r"(\[(?:SUM|[ \d]+)\](?:\[[TR]X-[CS]\])?) .* "
                      r"(sender|receiver)$")
_verbose_ref = {}


def skeleton(text):
    """@text without what differs from run to run: interval lines and
    separators dropped, summary lines cut to id and side, the uname line,
    time and cookie replaced, and every number made N."""
    out = []
    for ln in text.rstrip("\n").split("\n"):
        ln = ln.rstrip()
        m = _SUMMARY.match(ln)
        if m:
            ln = f"{m[1]} {m[2]}"
        elif _IVAL.search(ln) or ln.startswith("- - -"):
            continue
        if ln.startswith("Linux "):
            ln = "UNAME"
        ln = re.sub(r"^Time: .* GMT$", "Time: T", ln)
        ln = re.sub(r"Cookie: [a-z2-7]{36}$", "Cookie: C", ln)
        ln = re.sub(r"\d+(?:\.\d+)?", "N", ln)
        out.append(re.sub(r"\[ *N\]", "[N]", ln))
    return out


def verbose_texts(cli, srv, mode):
    """Client and server text of a -V test (both sides -V)."""
    r, out, err = run_pair(cli, [*VERBOSE_MODES[mode], "-V"], ["-V"],
                           srv_tool=srv, json_out=False)
    assert r.returncode == 0, r.stdout + r.stderr
    return r.stdout, out


@pytest.mark.parametrize("mode", VERBOSE_MODES)
@pytest.mark.parametrize("role", ["client", "server"])
def test_verbose(role, mode):
    """-V adds 3.12's lines (version, uname, control MSS, time, cookie,
    MSS, target bitrate, "Starting Test", "Test Complete", statistics a
    server lacks, CPU use, congestion control) at the same places: ours
    against iperf3 prints what iperf3 against iperf3 prints."""
    if mode not in _verbose_ref:
        _verbose_ref[mode] = verbose_texts("iperf3", "iperf3", mode)
    ref = _verbose_ref[mode][role == "server"]
    if role == "client":
        ours, _ = verbose_texts("netperf", "iperf3", mode)
    else:
        _, ours = verbose_texts("iperf3", "netperf", mode)
    assert skeleton(ours) == skeleton(ref), f"ours:\n{ours}\n3.12:\n{ref}"
    assert "Test Complete. Summary Results:" in ours


@pytest.mark.parametrize("tool", TOOLS)
def test_verbose_json(tool):
    """-J -V: the same JSON document as -J (3.12 warns on stderr that -V
    may interfere; its stray text lines are not copied)."""
    warn = "warning: Verbose output (-v) may interfere with JSON output (-J)"
    docs = []
    for v in ([], ["-V"]):
        r, out, err = run_pair(tool, ["-t", "1", *v], v)
        assert r.returncode == 0, r.stdout + r.stderr
        assert (warn in r.stderr.splitlines()) == bool(v), r.stderr
        assert (warn in err.splitlines()) == bool(v), err
        for text in (r.stdout, out):
            docs.append(nplib.key_paths(json.loads(text[text.index("{"):])))
    assert docs[2:] == docs[:2]


# ---- -P with UDP -----------------------------------------------------------

@pytest.mark.parametrize("srv", TOOLS)
@pytest.mark.parametrize("cli", TOOLS)
def test_udp_parallel(cli, srv):
    """-u -P 16: each UDP stream's hello finds a listener; the server
    opens the next one before it answers (3.12 iperf_udp_accept), else
    the client's next hello can meet a closed port.  Five runs in a row."""
    for _ in range(5):
        cj, sj = ok_pair(cli, ["-u", "-P", "16", "-b", "1M", "-n", "100K"],
                         srv_tool=srv)
        assert len(cj["start"]["connected"]) == 16
        assert len(sj["start"]["connected"]) == 16


# ---- -S / --dscp values ---------------------------------------------------

TOS_VALUES = [("--dscp", "ef", 184), ("--dscp", "AF11", 40),
              ("--dscp", "cs7", 224), ("--dscp", "lowdelay", 16),
              ("--dscp", "Throughput", 8), ("--dscp", "46", 184),
              ("--dscp", "077", 252), ("--dscp", "0x2e", 184),
              ("-S", "077", 63), ("-S", "0x10", 16), ("-S", "184", 184)]


@needs_strace
@pytest.mark.parametrize("tool", TOOLS)
def test_tos_values(tool, tmp_path):
    """--dscp takes 3.12's names (openssh's table, any case) and numbers
    (decimal, 0x hex, 0 octal) as the codepoint, -S numbers as the whole
    TOS byte; the stream's IP_TOS shows the result."""
    got = []
    for opt, val, want in TOS_VALUES:
        log = tmp_path / f"strace{len(got)}"
        r = traced_client(tool, ["-n", "1K", opt, val], "setsockopt", log)
        assert r.returncode == 0, f"{opt} {val}: {r.stderr}"
        tos = [int(v) for lvl, n, v in setsockopts(log) if n == "IP_TOS"]
        got.append((opt, val, tos))
    assert got == [(o, v, [w]) for o, v, w in TOS_VALUES]


@pytest.mark.parametrize("tool", TOOLS)
@pytest.mark.parametrize("args", [["--dscp", "64"], ["--dscp", "foo"],
                                  ["--dscp", "-1"], ["-S", "256"]],
                         ids=["dscp64", "dscp-name", "dscp-neg", "tos256"])
def test_tos_bad(tool, args):
    r = subprocess.run([nplib.TOOLS[tool], "-c", "127.0.0.1", "-p", "1",
                        *args], capture_output=True, text=True, timeout=10)
    assert r.returncode == 1
    assert "parameter error" in r.stderr


@pytest.mark.parametrize("tool", TOOLS)
def test_congestion_unknown(tool):
    """-C with an algorithm this kernel lacks ends the test with 3.12's
    error instead of running with the default."""
    r, _, _ = run_pair(tool, ["-t", "1", "-C", "nosuchcc"],
                       srv_tool="iperf3", json_out=False)
    assert r.returncode == 1, r.stdout
    assert "unable to set TCP_CONGESTION: Supplied congestion control " \
        "algorithm not supported on this host" in r.stderr


# ---- --rcv-timeout -----------------------------------------------------------

def stop_after(proc, secs):
    """SIGSTOPs @proc after @secs (a peer that stops sending)."""
    time.sleep(secs)
    proc.send_signal(signal.SIGSTOP)


@pytest.mark.parametrize("tool", TOOLS)
def test_rcv_timeout_client(tool):
    """--rcv-timeout 1000 on a -R client: when the sending server stops,
    the client gives up about a second later, not at -t's end."""
    p = nplib.port()
    s = nplib.Server("iperf3", p)
    try:
        t0 = time.monotonic()
        c = subprocess.Popen([nplib.TOOLS[tool], "-c", "127.0.0.1", "-p",
                              str(p), "-R", "-t", "8", "--rcv-timeout",
                              "1000"], stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True)
        stop_after(s.proc, 1.0)
        out, err = c.communicate(timeout=20)
        took = time.monotonic() - t0
    finally:
        s.kill()
    assert c.returncode == 1, out + err
    assert "idle timeout for receiving data" in err
    assert took < 4, took


@pytest.mark.parametrize("tool", TOOLS)
def test_rcv_timeout_server(tool):
    """--rcv-timeout 1000 on a server: a client that stops sending loses
    its test about a second later (a -1 server then exits)."""
    p = nplib.port()
    s = nplib.Server(tool, p, "--rcv-timeout", "1000")
    c = subprocess.Popen([nplib.IPERF3, "-c", "127.0.0.1", "-p", str(p),
                          "-t", "8"], stdout=subprocess.DEVNULL,
                         stderr=subprocess.DEVNULL)
    try:
        t0 = time.monotonic()
        stop_after(c, 1.0)
        rc, out, err = s.finish(timeout=20)
        took = time.monotonic() - t0
    finally:
        c.kill()
        c.wait()
        s.kill()
    assert "idle timeout for receiving data" in err, out + err
    assert took < 4, took


# ---- --server-bitrate-limit ------------------------------------------------

RATE_MSG = "total required bandwidth is larger than server limit"


@pytest.mark.parametrize("srv", TOOLS)
@pytest.mark.parametrize("cli", TOOLS)
@pytest.mark.parametrize("args", [["-b", "50M"], ["-b", "6M", "--bidir"],
                                  ["-b", "4M", "-P", "3"]],
                         ids=["rate", "bidir", "parallel"])
def test_server_rate_limit_asked(cli, srv, args):
    """--server-bitrate-limit 10M refuses a test that asks for more in
    all (-b x -P x 2 with --bidir) before any data flows."""
    t0 = time.monotonic()
    r, out, err = run_pair(cli, ["-t", "5", *args],
                           ["--server-bitrate-limit", "10M"], srv_tool=srv,
                           json_out=False)
    assert r.returncode == 1, r.stdout + r.stderr
    assert time.monotonic() - t0 < 3
    assert RATE_MSG in err, out + err
    if cli == srv == "netperf":
        assert RATE_MSG in r.stderr


@pytest.mark.parametrize("tool", TOOLS)
def test_server_rate_limit_measured(tool):
    """--server-bitrate-limit 10M/1: an unpaced client is over the limit
    averaged over a second, so the server stops it within a few seconds
    of a -t 8 test."""
    t0 = time.monotonic()
    r, out, err = run_pair(tool, ["-t", "8"],
                           ["--server-bitrate-limit", "10M/1"],
                           json_out=False)
    assert r.returncode == 1, r.stdout + r.stderr
    assert time.monotonic() - t0 < 4
    assert RATE_MSG in err, out + err


@pytest.mark.parametrize("tool", TOOLS)
def test_server_rate_limit_under(tool):
    """A test below the limit runs to its end."""
    cj, _ = ok_pair(tool, ["-t", "2", "-b", "5M"],
                    ["--server-bitrate-limit", "10M/1"])
    assert cj["end"]["sum_sent"]["seconds"] > 1.9

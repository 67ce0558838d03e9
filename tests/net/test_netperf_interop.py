"""netperf against iperf3 3.12 on loopback: every client x server x mode
cell completes, both sides agree on bytes, -J has every key 3.12 prints
and the text lines have iperf3's formats, in the order iperf3 prints
them.  Each test runs in a network namespace of its own (nplib).

No test here times anything: rates and wall-clock bounds are for `make
bench` (tests/bench/bench_netperf.py); a test that hangs fails at its
subprocess timeout."""
import json
import os
import re
import subprocess
import sys

import pytest

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "netperf"))
import nplib  # noqa: E402

MODES = {
    "tcp": ["-t", "1"],
    "udp": ["-u", "-t", "1", "-b", "20M"],
    "reverse": ["-R", "-t", "1"],
    "bidir": ["--bidir", "-t", "1"],
    "P4": ["-P", "4", "-t", "1"],
    "bytes": ["-n", "50M"],
    "omit": ["-O", "1", "-t", "1"],
    "rate50M": ["-b", "50M", "-t", "1"],
    "udp-reverse": ["-u", "-R", "-t", "1", "-b", "20M"],
    "zerocopy": ["-Z", "-t", "1"],
}
PAIRS = [(c, s) for c in ("netperf", "iperf3") for s in ("netperf", "iperf3")]
# iperf3 against iperf3 only checks what we expect of the reference: such
# cases are counted apart from the tests of our code (tests/checkplugin.py).
# They come first, so that the others reuse their key sets (ref_keys).
PAIR_PARAMS = [pytest.param(c, s, id=f"{c}-{s}",
                            marks=[pytest.mark.reference] * (c == s == "iperf3"))
               for c, s in sorted(PAIRS, key=lambda p: p != ("iperf3", "iperf3"))]

_ref_keys = {}
_ref_text = {}


@pytest.fixture(autouse=True)
def _need_binary():
    nplib.need_netperf()


# Every test in a network namespace of its own (autouse).
each_test_in_own_netns = nplib.each_test_in_own_netns


def run_pair(cli, srv, args, json=True):
    p = nplib.port()
    s = nplib.Server(srv, p, *(["-J"] if json else []))
    try:
        r = nplib.client(cli, p, *args, *(["-J"] if json else []))
        rc, out, err = s.finish()
    finally:
        s.kill()
    assert r.returncode == 0, f"client {cli}: {r.stdout[-2000:]}\n{r.stderr}"
    assert rc == 0, f"server {srv}: {out[-2000:]}\n{err}"
    return r.stdout, out


def ref_keys(mode, docs=None):
    """The key paths of iperf3's client and server -J documents in @mode,
    from @docs when the caller has them (an iperf3-iperf3 case), else from
    a run of their own, once per mode."""
    if docs is not None:
        _ref_keys[mode] = tuple(map(nplib.key_paths, docs))
    if mode not in _ref_keys:
        c, s = run_pair("iperf3", "iperf3", MODES[mode])
        _ref_keys[mode] = (nplib.key_paths(nplib.load_json(c)),
                           nplib.key_paths(nplib.load_json(s)))
    return _ref_keys[mode]


def ref_text(mode, args=None):
    """iperf3's client and server text in @mode, once per mode."""
    if mode not in _ref_text:
        _ref_text[mode] = run_pair("iperf3", "iperf3", args or MODES[mode],
                                   json=False)
    return _ref_text[mode]


def sums(doc):
    end = doc["end"]
    return end["sum_sent"]["bytes"], end["sum_received"]["bytes"]


def check_bytes(mode, cj, sj):
    c_sent, c_recv = sums(cj)
    assert c_sent > 0 and c_recv > 0
    if mode.startswith("udp"):
        # Receivers count datagrams that arrived; a few may be in flight.
        assert c_recv <= c_sent
        return
    if mode == "omit":
        # Each side restarts its counters when its own omit timer fires.
        assert c_recv <= c_sent * 1.1
    else:
        assert c_recv <= c_sent
    if mode == "bidir":
        return
    s_sent, s_recv = sums(sj)
    if "reverse" in mode:
        assert s_sent == c_sent, "server's sent bytes differ from the client's view"
    else:
        assert s_recv == c_recv, "server's received bytes differ from the client's view"


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("cli,srv", PAIR_PARAMS)
def test_interop_json(cli, srv, mode):
    c_out, s_out = run_pair(cli, srv, MODES[mode])
    cj, sj = nplib.load_json(c_out), nplib.load_json(s_out)
    check_bytes(mode, cj, sj)
    if mode == "bytes":
        assert cj["end"]["sum_sent"]["bytes"] >= 50 * 1024 * 1024
    ck, sk = ref_keys(mode, (cj, sj) if cli == srv == "iperf3" else None)
    if cli == "netperf":
        missing = ck - nplib.key_paths(cj)
        assert not missing, f"client -J lacks {sorted(missing)}"
    if srv == "netperf":
        missing = sk - nplib.key_paths(sj)
        assert not missing, f"server -J lacks {sorted(missing)}"


def check_text(text, ref, who):
    """@text has iperf3's line formats (TEXT_LINES) and the sequence of
    line types of @ref, iperf3's text of the same side in the same mode;
    empty text fails."""
    assert text.strip(), f"{who} printed nothing"
    bad = nplib.bad_lines(text)
    assert not bad, f"{who} unlike iperf3: {bad}\n{text}"
    assert nplib.line_types(text) == nplib.line_types(ref), \
        f"{who}:\n{text}\niperf3 3.12 in its place:\n{ref}"


@pytest.mark.reference
@pytest.mark.parametrize("mode", MODES)
def test_reference_text(mode):
    """iperf3 against iperf3: both sides print something, every line has a
    format of TEXT_LINES and a type line_types() knows.  This checks our
    expectation of the reference, which test_text_formats holds ours to
    (and runs it once per mode for that)."""
    for who, text in zip(("client", "server"), ref_text(mode)):
        assert text.strip(), f"iperf3 {who} printed nothing"
        assert not nplib.bad_lines(text), text
        odd = [t for t in nplib.line_types(text) if "?" in t]
        assert not odd, f"{odd}\n{text}"


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("ours", ["client", "server"])
def test_text_formats(ours, mode):
    """Ours as client against an iperf3 server, or as server for an iperf3
    client: its text has the lines iperf3 prints in that place (iperf3
    against iperf3 in the same mode), in the same order: header, connected
    lines, interval lines per stream and [SUM], separators, the summary's
    sender and receiver lines, Retr and Cwnd where iperf3 has them, "iperf
    Done." on a client.  (An empty server output passed the line-format
    check alone: nothing is unlike iperf3.)"""
    cli, srv = ("netperf", "iperf3") if ours == "client" else ("iperf3", "netperf")
    c_out, s_out = run_pair(cli, srv, MODES[mode], json=False)
    ref_c, ref_s = ref_text(mode)
    if ours == "client":
        check_text(c_out, ref_c, "our client")
        assert nplib.summary_mbits(c_out), c_out
    else:
        check_text(s_out, ref_s, "our server")


def test_get_server_output():
    """--get-server-output: our client prints the server's text after its
    own, as iperf3 does between two iperf3s."""
    args = ["-t", "1", "--get-server-output"]
    c_out, _ = run_pair("netperf", "netperf", args, json=False)
    ref, _ = ref_text("get-server-output", args)
    assert "Server output:" in c_out
    assert "Accepted connection from" in c_out
    check_text(c_out, ref, "our client")


@pytest.fixture(scope="module")
def keys(tmp_path_factory):
    return nplib.make_auth(tmp_path_factory.mktemp("auth"))


# iperf3 3.12 pads with PKCS#1 v1.5 and cannot be told otherwise, so our
# side needs --use-pkcs1-padding against it; between two netperfs both
# the OAEP default and PKCS#1 v1.5 are tried.
AUTH_CELLS = [(c, s, pk) for c, s in PAIRS
              for pk in ((False, True) if c == s == "netperf" else (True,))]


@pytest.mark.parametrize("cli,srv,pkcs1", [
    pytest.param(c, s, k, id=f"{c}-{s}-{'pkcs1' if k else 'oaep'}",
                 marks=[pytest.mark.reference] * (c == s == "iperf3"))
    for c, s, k in AUTH_CELLS])
def test_auth_matrix(keys, cli, srv, pkcs1):
    trad = cli == "iperf3"          # both private key PEM formats
    p = nplib.port()
    s = nplib.Server(srv, p, "-J", *nplib.auth_server_args(
        keys, pkcs1 and srv == "netperf", trad))
    try:
        r = nplib.client(cli, p, "-t", "1", "-J", *nplib.auth_client_args(
            keys, pkcs1 and cli == "netperf"), password=nplib.AUTH_PWD)
        rc, out, err = s.finish()
    finally:
        s.kill()
    assert r.returncode == 0, f"{r.stdout[-2000:]}\n{r.stderr}"
    assert rc == 0, f"{out[-2000:]}\n{err}"
    check_bytes("tcp", nplib.load_json(r.stdout), nplib.load_json(out))


@pytest.mark.parametrize("cli,srv", [("netperf", "iperf3"),
                                     ("iperf3", "netperf"),
                                     ("netperf", "netperf")],
                         ids=["netperf-iperf3", "iperf3-netperf",
                              "netperf-netperf"])
def test_auth_wrong_password(keys, cli, srv):
    """Refused with iperf3's message; a -1 server keeps waiting for a
    client that authenticates, as iperf3 does."""
    p = nplib.port()
    s = nplib.Server(srv, p, *nplib.auth_server_args(keys, srv == "netperf"))
    try:
        args = ["-t", "1", *nplib.auth_client_args(keys, cli == "netperf")]
        r = nplib.client(cli, p, *args, password="luigi")
        assert r.returncode != 0
        assert "test authorization failed" in r.stdout + r.stderr
        if srv == "netperf":
            s.wait_line("Server listening", nth=2)
        r = nplib.client(cli, p, *args, password=nplib.AUTH_PWD)
        for _ in range(5):
            # iperf3 3.12 prints no new banner after a refused test: it
            # closes its listener and opens another, and a connection in
            # between is reset or refused (one run in six here, with
            # either client).  That is the reference's window, so the
            # client comes again once the port listens.
            if not (srv == "iperf3" and r.returncode and re.search(
                    "reset by peer|refused", r.stderr)):
                break
            nplib.wait_port(p, s.proc)
            r = nplib.client(cli, p, *args, password=nplib.AUTH_PWD)
        assert r.returncode == 0, r.stdout + r.stderr
        rc, out, err = s.finish()
        assert rc == 0, out + err
    finally:
        s.kill()


def test_auth_padding_mismatch(keys):
    """OAEP (our default, iperf3 3.17+) against 3.12's PKCS#1 v1.5 fails
    cleanly: the padding is not negotiated."""
    p = nplib.port()
    s = nplib.Server("iperf3", p, *nplib.auth_server_args(keys, False))
    try:
        r = nplib.client("netperf", p, "-t", "1",
                         *nplib.auth_client_args(keys, False),
                         password=nplib.AUTH_PWD)
        assert r.returncode == 1
        assert "test authorization failed" in r.stdout + r.stderr
    finally:
        s.kill()


def test_auth_options_paired():
    r = subprocess.run([nplib.NETPERF, "-s", "--authorized-users-path", "x"],
                       capture_output=True, text=True, timeout=5)
    assert r.returncode == 1 and "parameter error" in r.stderr
    r = subprocess.run([nplib.NETPERF, "-c", "127.0.0.1", "--username", "x"],
                       capture_output=True, text=True, timeout=5)
    assert r.returncode == 1 and "parameter error" in r.stderr
    r = subprocess.run([nplib.NETPERF, "-s", "--rsa-private-key-path",
                        "/nonexistent", "--authorized-users-path", "/dev/null"],
                       capture_output=True, text=True, timeout=5)
    assert r.returncode == 1 and "/nonexistent" in r.stderr


@pytest.mark.parametrize("args", [[], ["-R"]], ids=["default", "reverse"])
def test_skip_rx_copy(args):
    """--skip-rx-copy (MSG_TRUNC on the receiving side, either end) still
    counts every byte; a 3.12 server ignores the key."""
    for srv in ("netperf", "iperf3"):
        c, s = run_pair("netperf", srv, ["-t", "1", "--skip-rx-copy", *args])
        check_bytes("reverse" if args else "tcp", nplib.load_json(c),
                    nplib.load_json(s))


@pytest.mark.parametrize("args", [[], ["-R"]], ids=["forward", "reverse"])
def test_receiver_counts_all(args):
    """A paced -n test between two netperfs: the receiver raises its
    low-water mark to about 1 ms of data, yet at the end it still counts
    every byte the sender wrote.  (A receiver that left the bytes below
    its mark unread would count less, or, in -R where the client ends the
    test once it has received it all, never end: run_pair's timeouts.)"""
    c, s = run_pair("netperf", "netperf", ["-b", "2G", "-n", "300M", *args])
    want = 300 * 1024 * 1024
    assert sums(nplib.load_json(c)) == (want, want)
    assert sums(nplib.load_json(s)) == (want, want)


def test_paced_end_on_time():
    """-t ends at -t even when the pacer has long to wait: at -b 50K one
    128 KiB block goes out at the start and the next is due 20.5 s later.
    A sender that slept that out (the pacer before it napped in 20 ms
    steps) held the test's end, and so the client's TEST_END, for the
    rest of those 20.5 s."""
    c, s = run_pair("netperf", "netperf", ["-b", "50K", "-t", "1"])
    cj, sj = nplib.load_json(c), nplib.load_json(s)
    assert cj["end"]["sum_sent"]["bytes"] == 128 * 1024
    # Each side's own measure of the test, the server's up to the client's
    # TEST_END: -t 1 plus scheduling delays, or more than 20 s with the
    # nap; half of that tells them apart on however loaded a machine.
    for side, doc in (("client", cj), ("server", sj)):
        for k in ("sum_sent", "sum_received"):
            assert doc["end"][k]["seconds"] < 10, (side, doc["end"][k])


@pytest.mark.parametrize("args", [[], ["-R"], ["-u", "-b", "10M"]],
                         ids=["tcp", "reverse", "udp"])
def test_json_stream(args):
    """--json-stream (iperf3 3.17+): one object per line, the -J document's
    start, each interval and end as {"event", "data"} as they happen."""
    p = nplib.port()
    s = nplib.Server("netperf", p)
    try:
        r = nplib.client("netperf", p, "-t", "2", "--json-stream", *args)
        s.finish()
        # the -J document of a shorter test, for its key sets
        j, _ = run_pair("netperf", "netperf", ["-t", "1", "-J", *args])
    finally:
        s.kill()
    assert r.returncode == 0, r.stdout + r.stderr
    lines = r.stdout.splitlines()
    events = [json.loads(ln) for ln in lines]
    assert [e["event"] for e in events] == \
        ["start", "interval", "interval", "end"], lines
    assert all(set(e) == {"event", "data"} for e in events)
    whole = nplib.load_json(j)
    assert set(events[0]["data"]) == set(whole["start"])
    assert set(events[1]["data"]) == set(whole["intervals"][0])
    assert set(events[3]["data"]) == set(whole["end"])
    bytes_ = sum(e["data"]["sum"]["bytes"] for e in events[1:3])
    end = events[3]["data"]
    total = end["sum"]["bytes"] if "sum" in end else \
        end["sum_received" if "-R" in args else "sum_sent"]["bytes"]
    assert abs(bytes_ - total) <= total * 0.02 + 1460


# LeakSanitizer cannot run under ptrace: traced sanitized builds skip it.
TRACED_ENV = dict(os.environ, ASAN_OPTIONS="detect_leaks=0")


@pytest.mark.skipif(not os.path.exists("/usr/bin/strace"), reason="no strace")
@pytest.mark.parametrize("skip", [False, True], ids=["copy", "skip-rx-copy"])
def test_rx_copy_default(skip):
    """The receiver copies data into its buffer by default, as iperf3
    does; --skip-rx-copy makes it recv(MSG_TRUNC).  The end-of-test drain
    below the low-water mark (MSG_DONTWAIT) discards either way."""
    p = nplib.port()
    tr = nplib.Server("netperf", p, wrap=["strace", "-f", "-qq", "-e",
                                          "trace=recvfrom"], env=TRACED_ENV)
    try:
        r = nplib.client("netperf", p, "-n", "20M",
                         *(["--skip-rx-copy"] if skip else []))
        assert r.returncode == 0, r.stdout + r.stderr
        _, _, err = tr.finish()
    finally:
        tr.kill()
    big = [ln for ln in err.splitlines()
           if (m := re.search(r"\.\.\., (\d+), ", ln)) and int(m[1]) >= 65536
           and "MSG_DONTWAIT" not in ln]
    assert big, err[-2000:]
    assert all(("MSG_TRUNC" in ln) == skip for ln in big), big[:5]


def traced_pair(srv, p, cli, trace_server, log, calls):
    """Runs a one-off server @srv (a nplib.TOOLS name) on port @p and
    client @cli, one of them under strace writing @calls to @log; returns
    the client's run and the server's stdout."""
    trace = ["strace", "-f", "-qq", "-o", str(log), "-e", "trace=" + calls]
    if not trace_server:
        cli = trace + cli
    s = nplib.Server(srv, p, wrap=trace if trace_server else (),
                     env=TRACED_ENV)
    try:
        r = subprocess.run(cli, capture_output=True, text=True, timeout=30,
                           env=TRACED_ENV)
        _, sout, _ = s.finish(timeout=20)
    finally:
        s.kill()
    assert r.returncode == 0, r.stdout + r.stderr
    return r, sout


@pytest.mark.skipif(not os.path.exists("/usr/bin/strace"), reason="no strace")
@pytest.mark.parametrize("reverse", [False, True], ids=["forward", "reverse"])
def test_zerocopy_sendfile(reverse, tmp_path):
    """-Z sends with sendfile() on whichever side sends, as iperf3 does."""
    p = nplib.port()
    log = tmp_path / "strace"
    traced_pair("netperf", p,
                [nplib.NETPERF, "-c", "127.0.0.1", "-p", str(p), "-n", "20M",
                 "-Z", *(["-R"] if reverse else [])],
                reverse, log, "sendfile")
    trace = log.read_text()
    assert trace.count("sendfile(") > 10, trace[-2000:]


@pytest.mark.skipif(not os.path.exists("/usr/bin/strace"), reason="no strace")
@pytest.mark.parametrize("srv_tool,reverse", [("netperf", False),
                                              ("netperf", True),
                                              ("iperf3", True)],
                         ids=["forward", "reverse", "iperf3-reverse"])
def test_zerocopy_msg(srv_tool, reverse, tmp_path):
    """--zerocopy=z sends with MSG_ZEROCOPY on whichever side sends and
    reads the completions from the error queue; on loopback the kernel
    copies after all and says so.  A 3.12 server takes it as -Z."""
    p = nplib.port()
    log = tmp_path / "strace"
    r, sout = traced_pair(
        srv_tool, p,
        [nplib.NETPERF, "-c", "127.0.0.1", "-p", str(p), "-n", "64M",
         "--zerocopy=z", *(["-R"] if reverse else [])],
        reverse, log, "sendto,sendfile,recvmsg")
    st = log.read_text()
    if srv_tool == "iperf3":
        assert st.count("sendfile(") > 10, st[-2000:]
        return
    assert st.count("MSG_ZEROCOPY, NULL, 0) = ") > 10, st[-2000:]
    assert "MSG_ERRQUEUE) = 0" in st, st[-2000:]
    out = sout if reverse else r.stdout
    m = re.search(r"MSG_ZEROCOPY: (\d+) sends, (\d+) completed, (\d+) "
                  r"copied by the kernel", out)
    assert m, out
    sends, done, copied = map(int, m.groups())
    assert sends >= 64 * 8 and 0 < done <= sends and copied == done


def test_zerocopy_bad_value():
    r = subprocess.run([nplib.NETPERF, "-c", "127.0.0.1", "--zerocopy=y"],
                       capture_output=True, text=True, timeout=10)
    assert r.returncode == 1
    assert r.stderr.strip() == \
        'netperf: parameter error - bad value for --zerocopy: "y"'


UNLIMITED = [("netperf", "netperf", []), ("netperf", "netperf", ["--no-gsro"]),
             ("netperf", "iperf3", []), ("iperf3", "netperf", [])]


@pytest.mark.parametrize("cli,srv,extra", UNLIMITED,
                         ids=["gsro", "no-gsro", "gso-to-iperf3",
                              "iperf3-to-gro"])
def test_udp_unlimited(cli, srv, extra):
    """No rate limit: UDP_SEGMENT batches and UDP_GRO coalesced receives
    are split back into datagrams and counted, also against iperf3."""
    c, s = run_pair(cli, srv,
                    ["-u", "-b", "0", "-l", "1460", "-t", "1", *extra])
    cj, sj = nplib.load_json(c), nplib.load_json(s)
    sent = cj["end"]["sum"]["packets"]
    # Enough for several batches (a UDP_SEGMENT send holds up to 44 of
    # these; that it sends many more a second is for make bench).
    assert sent > 100, cj["end"]["sum"]
    # The receiver's own count: the highest sequence number seen, of which
    # lost_packets never came; the rest are its bytes, datagram by
    # datagram.  A coalesced receive counted as one datagram, or a batch
    # sent under one sequence number, breaks this.  (The sender's count
    # can be higher: datagrams still queued at TEST_END are not counted.)
    r = sj["end"]["sum"]
    assert 0 < r["packets"] <= sent, (r, sent)
    assert 0 <= r["lost_packets"] < r["packets"], r
    assert sj["end"]["sum_received"]["bytes"] == \
        (r["packets"] - r["lost_packets"]) * 1460, r

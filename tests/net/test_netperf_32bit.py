"""A 32-bit netperf moves more than 4 GiB: the armhf build (32-bit ARM,
glibc, 64-bit file offsets, 32-bit time_t) runs under qemu-user on this
host's loopback against the host's iperf3 3.12, as client (of iperf3
-s) and as server (for iperf3 -c), sending and receiving (-R), TCP with
one and two streams and UDP, all with -n 5G.

Both ends must report the same byte totals, per stream and in the sums,
in -J and in the text: the sent bytes, at least 5 GiB, and the received
ones, which are the same where the receiver counts all that was sent
(see recv_exact(): not so for iperf3's server, nor for UDP, which loses
datagrams on loopback when iperf3 receives).  Every side's intervals add
up exactly to its totals, and the interval whose running total crosses
2^32 has sane numbers (no 32-bit wrap: bytes, seconds and
bits_per_second agree, nothing negative or tiny).

Each test runs in a network namespace of its own holding only lo
(nplib.own_netns): nothing leaves the host.  The armhf build comes from
$EMBNET_BUILD_armhf (a build directory, as for tests/qemu) or
build/armhf; the tests skip, saying why, only when it or qemu-arm-static
is missing."""
import math
import os
import re
import shutil
import subprocess
import sys

import pytest

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "netperf"))
import nplib  # noqa: E402
import npserver  # noqa: E402
from conftest import ROOT  # noqa: E402

ARMHF_BUILD = os.environ.get("EMBNET_BUILD_armhf",
                             os.path.join(ROOT, "build", "armhf"))
ARMHF = os.path.join(ARMHF_BUILD, "bin", "netperf")
QEMU = shutil.which("qemu-arm-static")

TARGET = 5 << 30          # -n 5G: iperf3's G is 2^30
WRAP = 1 << 32
# A test takes seconds (5 GiB of TCP on loopback in about 1.5 s under
# TCG, UDP at 10 Gbit/s in about 5 s); the timeouts only catch a hang.
CLIENT_TIMEOUT = 300

MODES = {
    "tcp": [],
    "tcp-P2": ["-P", "2"],
    "tcp-R": ["-R"],
    # Datagrams of 65000 bytes: 82596 of them.  Unpaced, iperf3 as the
    # receiver loses a third of them; at 10 Gbit/s a few percent.
    "udp": ["-u", "-b", "10G", "-l", "65000"],
}


@pytest.fixture(autouse=True)
def _need_armhf():
    if QEMU is None:
        pytest.skip("qemu-arm-static is not installed")
    if not os.path.exists(ARMHF):
        pytest.skip(f"no armhf netperf at {ARMHF} (make ARCH=armhf)")


# Every test in a network namespace of its own (autouse).
each_test_in_own_netns = nplib.each_test_in_own_netns


def run_pair(ours, mode, json):
    """Runs a -n 5G test in @mode with the armhf netperf as @ours (client
    or server) and iperf3 as the other end; returns (client stdout,
    server stdout)."""
    fmt = ["-J"] if json else []
    p = nplib.port()
    if ours == "client":
        srv = nplib.Server("iperf3", p, *fmt)
        argv = [QEMU, ARMHF]
    else:
        srv = npserver.Server([QEMU, ARMHF], p, *fmt)
        argv = [nplib.IPERF3]
    argv += ["-c", "127.0.0.1", "-p", str(p), "-n", "5G", *MODES[mode], *fmt]
    try:
        r = subprocess.run(argv, capture_output=True, text=True,
                           timeout=CLIENT_TIMEOUT)
        rc, out, err = srv.finish()
    finally:
        srv.kill()
    assert r.returncode == 0, f"client: {r.stdout[-3000:]}\n{r.stderr}"
    assert rc == 0, f"server: {out[-3000:]}\n{err}"
    return r.stdout, out


# ---- -J ---------------------------------------------------------------

def stream_keys(doc, client):
    """socket -> the client's port of that stream's connection: the same
    stream has the same key in the client's and the server's document."""
    return {c["socket"]: c["local_port" if client else "remote_port"]
            for c in doc["start"]["connected"]}


def totals(doc, client, udp):
    """{(stream key or "SUM", "sent" or "recv"): bytes} of end{}."""
    keys, end, out = stream_keys(doc, client), doc["end"], {}
    for s in end["streams"]:
        if udp:
            out[keys[s["udp"]["socket"]], "sent"] = s["udp"]["bytes"]
        else:
            out[keys[s["sender"]["socket"]], "sent"] = s["sender"]["bytes"]
            out[keys[s["receiver"]["socket"]], "recv"] = \
                s["receiver"]["bytes"]
    out["SUM", "sent"] = end["sum_sent"]["bytes"]
    out["SUM", "recv"] = end["sum_received"]["bytes"]
    if udp:
        assert end["sum"]["bytes"] == out["SUM", "sent"], end["sum"]
    return out


def close(a, b, rel=1e-5, abs_=1e-5):
    return math.isclose(a, b, rel_tol=rel, abs_tol=abs_)


def check_ival(o, what):
    """One interval entry (a stream's or the sum): no negative or
    fractional bytes, seconds = end - start, bits_per_second = bytes * 8
    / seconds (iperf3 keeps the duration in a float)."""
    assert isinstance(o["bytes"], int) and o["bytes"] >= 0, (what, o)
    assert o["seconds"] > 0 and close(o["seconds"], o["end"] - o["start"]), \
        (what, o)
    assert o["bits_per_second"] >= 0 and \
        close(o["bits_per_second"], o["bytes"] * 8 / o["seconds"]), (what, o)


def check_intervals(doc, client, own, want):
    """The intervals of one side: contiguous, each one sane, the streams
    adding up to the sum, and each stream's and the sum's bytes adding up
    to @want[(key, @own)], this side's totals.  The interval whose running
    total crosses 2^32 has a bitrate near the test's average."""
    keys = stream_keys(doc, client)
    ivals = doc["intervals"]
    assert ivals, "no intervals"
    per, t = {}, 0.0
    for n, iv in enumerate(ivals):
        s = iv["sum"]
        check_ival(s, f"intervals[{n}].sum")
        assert close(s["start"], t, abs_=1e-3), (n, s, t)
        t = s["end"]
        assert not s["omitted"], s
        for st in iv["streams"]:
            check_ival(st, f"intervals[{n}].streams")
            # iperf3 times each stream apart, the sum as its first
            assert close(st["start"], s["start"], abs_=0.05), (st, s)
            k = keys[st["socket"]]
            per[k] = per.get(k, 0) + st["bytes"]
        assert s["bytes"] == sum(st["bytes"] for st in iv["streams"]), iv
    for k, b in per.items():
        if (k, own) not in want:      # UDP: end{} has a stream's sent only
            continue
        assert b == want[k, own], \
            f"stream {k}: intervals add up to {b}, end says {want[k, own]}"
    total = sum(iv["sum"]["bytes"] for iv in ivals)
    assert total == want["SUM", own], \
        f"intervals add up to {total}, end says {want['SUM', own]}"
    if total >= WRAP:
        check_crossing(ivals, total)


def check_crossing(ivals, total):
    avg = total * 8 / ivals[-1]["sum"]["end"]
    cum = 0
    for iv in ivals:
        before, cum = cum, cum + iv["sum"]["bytes"]
        if before < WRAP <= cum:
            bps = iv["sum"]["bits_per_second"]
            assert avg / 50 < bps < avg * 50, \
                f"interval past 2^32: {iv['sum']}, average {avg:.4g} bit/s"
            return
    raise AssertionError("no interval crosses 2^32")


def in_flight_max(n_streams):
    """The most TCP data that can sit in the socket buffers of
    @n_streams streams, the sender's and the receiver's, when the test
    ends (the receiver may then have read less than was sent)."""
    most = 0
    for f in ("tcp_rmem", "tcp_wmem"):
        with open(f"/proc/sys/net/ipv4/{f}") as fh:
            most += int(fh.read().split()[2])
    return n_streams * most


def recv_exact(ours, mode):
    """Whether the receiver counts all the sender sent.  A client that
    receives (-R) ends the test once it has all of -n; our server, at
    TEST_END, still reads what its sockets hold.  iperf3's server stops
    counting at TEST_END, which the sender sends right after its last
    write: what is then still in flight is sent but never received
    (esnet/iperf#382, between two iperf3s too), and our sender, a thread
    per stream, outruns iperf3's single-threaded receiver with -P 2.
    UDP receivers count the datagrams that arrived."""
    return mode != "udp" and ("-R" in MODES[mode] or ours == "server")


def check_json(ours, mode, c_out, s_out):
    udp = mode == "udp"
    cj, sj = nplib.load_json(c_out), nplib.load_json(s_out)
    for who, d in (("client", cj), ("server", sj)):
        assert "error" not in d, f"{who}: {d['error']}"
        assert d["start"]["test_start"]["bytes"] == TARGET, \
            (who, d["start"]["test_start"])
    client_sends = "-R" not in MODES[mode]
    ct, st = totals(cj, True, udp), totals(sj, False, udp)
    assert ct.keys() == st.keys(), (ct, st)
    # Each quantity as the side that measures it counts it.
    want = {(k, q): (ct if (q == "sent") == client_sends else st)[k, q]
            for k, q in ct}
    n = int(MODES[mode][1]) if "-P" in MODES[mode] else 1
    assert len({k for k, _ in want}) == n + 1, want
    assert want["SUM", "sent"] >= TARGET, want
    for q in ("sent", "recv"):
        if udp and q == "recv":   # end{} has no stream's received bytes
            continue
        assert want["SUM", q] == sum(v for (k, qq), v in want.items()
                                     if qq == q and k != "SUM"), want
    if udp:
        e = cj["end"]["sum_received"]
        assert want["SUM", "recv"] == \
            (e["packets"] - e["lost_packets"]) * 65000, e
        assert e["lost_percent"] < 50, e
    elif recv_exact(ours, mode):
        assert all(want[k, "recv"] == want[k, "sent"] for k, _ in want), want
    else:
        for k, _ in want:
            assert 0 <= want[k, "sent"] - want[k, "recv"] <= \
                in_flight_max(n), want
    srv_is_iperf3 = ours == "client"
    for who, got, peer_may_be_0 in (("client", ct, False),
                                    ("server", st, srv_is_iperf3)):
        own = "sent" if (who == "client") == client_sends else "recv"
        for (k, q), v in got.items():
            # iperf3 3.12's server leaves the client's side of a stream
            # at 0 in its -J (it reports only what it measured).
            if peer_may_be_0 and v == 0 and q != own:
                continue
            assert v == want[k, q], f"{who}'s {q} bytes of {k}: " \
                f"{v}, the measuring side says {want[k, q]}"
    check_intervals(cj, True, "sent" if client_sends else "recv", want)
    check_intervals(sj, False, "recv" if client_sends else "sent", want)


# ---- text ---------------------------------------------------------------

_LINE = re.compile(r"^\[ *(\d+|SUM)\](?:\[[RT]X-[CS]\])? +([\d.]+)-([\d.]+) "
                   r"+sec +([\d.]+) ([KMGT]?)Bytes +([\d.]+) ([KMGT]?)"
                   r"bits/sec(.*)$")
_P = {"": 0, "K": 1, "M": 2, "G": 3, "T": 4}


def _num(s, unit, base):
    """A number of iperf3's unit_snprintf and the most it can be off:
    half a unit of its last digit."""
    d = len(s.split(".")[1]) if "." in s else 0
    scale = base ** _P[unit]
    return float(s) * scale, 0.5 * 10 ** -d * scale


def text_lines(text):
    """Interval and summary lines: dicts of id, start, end, bytes, rate
    (bit/s), their rounding errors and tail."""
    out = []
    for ln in text.splitlines():
        m = _LINE.match(ln)
        if not m:
            continue
        b, db = _num(m[4], m[5], 1024)
        r, dr = _num(m[6], m[7], 1000)
        tail = m[8].split()
        out.append({"id": m[1], "start": float(m[2]), "end": float(m[3]),
                    "bytes": b, "db": db, "rate": r, "dr": dr,
                    "xfer": f"{m[4]} {m[5]}Bytes",
                    "tail": tail[-1] if tail and tail[-1] in
                    ("sender", "receiver") else "", "line": ln})
    return out


def check_rate(ln):
    """bytes * 8 / seconds can be the printed rate, given that each of
    the three is rounded (times to 0.01 s)."""
    lo_s, hi_s = ln["end"] - ln["start"] - 0.01, ln["end"] - ln["start"] + 0.01
    if lo_s <= 0:
        return
    lo = (ln["bytes"] - ln["db"]) * 8 / hi_s
    hi = (ln["bytes"] + ln["db"]) * 8 / lo_s
    assert lo <= ln["rate"] + ln["dr"] and ln["rate"] - ln["dr"] <= hi, \
        ln["line"]


def check_text_side(text, who, own, n_streams):
    """One side's text: iperf3's line formats; every interval's rate
    matches its bytes and time; per stream and [SUM], the intervals add
    up to this side's summary line for its own direction (@own: sender
    or receiver), within the rounding of the printed numbers.  Returns
    {(id or SUM, tail): transfer as printed} of the summary lines."""
    assert text.strip(), f"{who} printed nothing"
    bad = nplib.bad_lines(text)
    assert not bad, f"{who}: lines unlike iperf3's: {bad}\n{text}"
    lines = text_lines(text)
    summary = {(ln["id"], ln["tail"]): ln for ln in lines if ln["tail"]}
    ivals = [ln for ln in lines if not ln["tail"]]
    assert ivals, f"{who}: no intervals\n{text}"
    ids = {ln["id"] for ln in ivals}
    assert len(ids - {"SUM"}) == n_streams, text
    for ln in ivals:
        check_rate(ln)
    for i in ids:
        mine = [ln for ln in ivals if ln["id"] == i]
        got = sum(ln["bytes"] for ln in mine)
        err = sum(ln["db"] for ln in mine)
        tot = summary[i, own]
        assert abs(got - tot["bytes"]) <= err + tot["db"], \
            f"{who}: intervals of [{i}] add up to {got:.6g} bytes, " \
            f"not {tot['xfer']}\n{text}"
    return {k: ln["xfer"] for k, ln in summary.items()}


def check_text(ours, mode, c_out, s_out):
    n = int(MODES[mode][1]) if "-P" in MODES[mode] else 1
    client_sends = "-R" not in MODES[mode]
    c_own, s_own = ("sender", "receiver") if client_sends else \
        ("receiver", "sender")
    cs = check_text_side(c_out, "client", c_own, n)
    ss = check_text_side(s_out, "server", s_own, n)
    assert "iperf Done." in c_out, c_out
    sums = {t: x for (i, t), x in cs.items() if i == "SUM" or n == 1}
    assert sums.get("sender") == "5.00 GBytes", f"{sums}\n{c_out}"
    if recv_exact(ours, mode):
        assert sums.get("receiver") == "5.00 GBytes", f"{sums}\n{c_out}"
    # The server's summary lines are its own side's: the same numbers as
    # the client's line of that side (streams by their order).
    c_ids = sorted({i for i, _ in cs if i != "SUM"}, key=int)
    s_ids = sorted({i for i, _ in ss if i != "SUM"}, key=int)
    ids = dict(zip(s_ids, c_ids), SUM="SUM")
    for (i, tail), x in ss.items():
        assert cs.get((ids[i], tail)) == x, \
            f"server's {tail} line of [{i}] says {x}, the client's " \
            f"{cs.get((ids[i], tail))}\n{c_out}\n{s_out}"


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("ours", ["client", "server"])
def test_32bit_json(ours, mode):
    c_out, s_out = run_pair(ours, mode, json=True)
    check_json(ours, mode, c_out, s_out)


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("ours", ["client", "server"])
def test_32bit_text(ours, mode):
    c_out, s_out = run_pair(ours, mode, json=False)
    check_text(ours, mode, c_out, s_out)

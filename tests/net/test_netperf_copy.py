"""Where our TCP receiver asks the kernel to copy each byte: stream byte
N lands at N's own offset in a 4 KiB page (netperf/stream.c, buf_at()),
the offset at which loopback and veth senders hold it, because the
kernel's copy runs 25 times slower on AMD Zen 3 when the two offsets are
1 to 31 bytes apart.  strace shows the buffer address of every recv();
iperf3 and ours send, ours receives as server and, with -R, as client.
With -Z ours sends with sendfile() from page offset N mod 4096 too."""
import json
import os
import re
import subprocess
import sys

import pytest

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "netperf"))
import nplib  # noqa: E402

pytestmark = pytest.mark.skipif(not os.path.exists("/usr/bin/strace"),
                                reason="no strace")
# LeakSanitizer cannot run under ptrace: traced sanitized builds skip it.
ENV = dict(os.environ, ASAN_OPTIONS="detect_leaks=0")
# "PID  recvfrom(fd, addr, len, ...) = n", the PID padded to 5 columns;
# a call another thread interrupts is split into "recvfrom(fd, addr, len,
# ... <unfinished ...>" and "PID  <... recvfrom resumed>)      = n", the
# result padded to strace's column 40.  -Z sends with "sendfile(out, in,
# [offset] => [end], count) = n".
RECV = re.compile(r"^(\d+) +recvfrom\((0x[0-9a-f]+), (0x[0-9a-f]+), "
                  r"(0x[0-9a-f]+),")
SENDFILE = re.compile(r"^(\d+) +sendfile\((\d+), \d+, \[(\d+)\]")
RESUMED = re.compile(r"^(\d+) +<\.\.\. (\w+) resumed>")
RESULT = re.compile(r"\) += (0x[0-9a-f]+|\d+)$")


# Every test in a network namespace of its own (autouse).
each_test_in_own_netns = nplib.each_test_in_own_netns


def traced(argv, log, call="recvfrom"):
    return ["strace", "-f", "-qq", "-o", str(log), "-e", "trace=" + call,
            "-e", "raw=recvfrom", *argv]


def calls(log, call):
    """[(pid, groups of @call's match, result)] of the calls that returned
    a number, split calls joined."""
    out, pending = [], {}
    for line in log.read_text().splitlines():
        m = call.match(line)
        if m:
            pending[m[1]] = m.groups()
        else:
            m = RESUMED.match(line)
        r = RESULT.search(line)
        if m and r and m[1] in pending:
            out.append((pending.pop(m[1]), int(r[1], 0)))
    return out


def data_reads(log):
    """[(address, bytes)] of the data stream's reads: the one thread and
    socket whose reads ask for 64 KiB or more."""
    reads = {}
    for (pid, fd, addr, ask), got in calls(log, RECV):
        if int(ask, 16) >= 65536 and got > 0:
            reads.setdefault((pid, fd), []).append((int(addr, 16), got))
    assert len(reads) == 1, reads.keys()
    return next(iter(reads.values()))


def assert_page_offsets(reads, sent):
    """Every read lands at its stream offset, and the reads add up to the
    bytes sent: a read the parser missed cannot go unnoticed."""
    pos = 0
    for addr, got in reads:
        assert (addr - pos) % 4096 == 0, (hex(addr), pos)
        pos += got
    assert len(reads) >= 3 and pos == sent, (len(reads), pos, sent)


def bytes_sent(stdout):
    return json.loads(stdout)["end"]["sum_sent"]["bytes"]


@pytest.mark.parametrize("sender", ["netperf", "iperf3"])
def test_server_reads_at_stream_offset(sender, tmp_path):
    log = tmp_path / "strace"
    p = nplib.port()
    s = nplib.Server("netperf", p, "-J", wrap=traced([], log), env=ENV)
    try:
        # -l 100000: blocks that are not whole pages shift every read
        r = nplib.client(sender, p, "-J", "-n", "16M", "-l", "100000")
        assert r.returncode == 0, r.stdout + r.stderr
        rc, out, err = s.finish()
        assert rc == 0, out + err
    finally:
        s.kill()
    # What the server counts, not what was sent: an iperf3 client sends
    # TEST_END after its last write, with data still in flight, which
    # the server then never reads (as a 3.12 server would not).
    got = json.loads(out)["end"]["sum_received"]["bytes"]
    assert 0 < got <= bytes_sent(r.stdout)
    assert_page_offsets(data_reads(log), got)


@pytest.mark.parametrize("server", ["netperf", "iperf3"])
def test_client_reads_at_stream_offset(server, tmp_path):
    log = tmp_path / "strace"
    p = nplib.port()
    s = nplib.Server(server, p)
    try:
        r = subprocess.run(traced([nplib.NETPERF, "-c", "127.0.0.1", "-p",
                                   str(p), "-R", "-J", "-n", "16M"], log),
                           capture_output=True, text=True, timeout=30,
                           env=ENV)
        assert r.returncode == 0, r.stdout + r.stderr
        assert s.finish()[0] == 0
    finally:
        s.kill()
    assert_page_offsets(data_reads(log), bytes_sent(r.stdout))


def test_strace_lines_parsed(tmp_path):
    """The parser above on strace's own shapes: a whole call, a call split
    by another thread's (result padded to column 40), control reads."""
    log = tmp_path / "strace"
    log.write_text(
        "7605  recvfrom(0x4, 0x7f6fc37fed30, 0x25, 0, 0, 0) = 0x25\n"
        "7607  recvfrom(0x5, 0x7f6fc26fe000, 0x100000, 0, 0, 0) = 0x199\n"
        "7607  recvfrom(0x5, 0x7f6fc26fe199, 0x100000, 0, 0, 0 "
        "<unfinished ...>\n"
        "7605  recvfrom(0x4, 0x7f6fc37fea90, 0x4, 0, 0, 0) = 0x4\n"
        "7607  <... recvfrom resumed>)           = 0x10000\n"
        "7607  recvfrom(0x5, 0x7f6fc26fe199, 0x100000, 0, 0, 0) = "
        "-1 EAGAIN (Resource temporarily unavailable)\n"
        "7607  recvfrom(0x5, 0x7f6fc26fe199, 0x100000, 0, 0, 0) = 0x3000\n")
    reads = data_reads(log)
    assert reads == [(0x7f6fc26fe000, 0x199), (0x7f6fc26fe199, 0x10000),
                     (0x7f6fc26fe199, 0x3000)]
    assert_page_offsets(reads, 0x13199)
    with pytest.raises(AssertionError):
        assert_page_offsets(reads[:1] + reads[2:], 0x13199)
    log.write_text(
        "7607  sendfile(4, 5, [0] => [300000], 300000) = 300000\n"
        "7607  sendfile(4, 5, [1056] <unfinished ...>\n"
        "7605  recvfrom(0x4, 0x7f6fc37fea90, 0x4, 0, 0, 0) = 0x4\n"
        "7607  <... sendfile resumed> => [301056], 300000) = 300000\n")
    assert calls(log, SENDFILE) == [(("7607", "4", "0"), 300000),
                                    (("7607", "4", "1056"), 300000)]


def test_zerocopy_sends_from_stream_offset(tmp_path):
    """-Z: each sendfile() starts at the stream offset's place in a page
    of the memfd, whatever the block length and however much the kernel
    took of the call before."""
    log = tmp_path / "strace"
    p = nplib.port()
    s = nplib.Server("netperf", p)
    try:
        r = subprocess.run(traced([nplib.NETPERF, "-c", "127.0.0.1", "-p",
                                   str(p), "-Z", "-J", "-n", "16M", "-l",
                                   "100000"], log, "sendfile"),
                           capture_output=True, text=True, timeout=30,
                           env=ENV)
        assert r.returncode == 0, r.stdout + r.stderr
        assert s.finish()[0] == 0
    finally:
        s.kill()
    sends = [(int(off), n) for (_, _, off), n in calls(log, SENDFILE)]
    assert_page_offsets(sends, bytes_sent(r.stdout))

"""dhcpc against a hostile server (tests/net/dhcpc/fakesrv.py): every
damaged reply is logged and rejected or sanitized; the client never
crashes or hangs, and no control byte reaches the script.

Busybox udhcpc 1.35 gets the same replies, and what it does is the
reference, live: a reply both take gives the same script environment
(hostname, domain, ... sanitised as udhcpc does), a reply both refuse the
same events.  Where ours deliberately does otherwise (README: damaged
replies rejected, no control byte reaches the script, RFC 3396 long
options; the anchors' hostile-server inputs) the difference is asserted
for that case, udhcpc's side included."""
import os
import signal
import sys
import time

import pytest

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "dhcpc"))
pytest.register_assert_rewrite("lab")
from lab import (lab, fake, event_times, events, exact_events,  # noqa: E402
                 stop, until, wait_event)

ARGS = ["-f", "-q", "-n", "-t", "2", "-T", "1", "-A", "1", "-O", "search",
        "-O", "121", "-O", "212", "-v"]

# case: text ours' log must hold.  Ours refuses each of these replies;
# udhcpc refuses those not in UDHCPC_TAKES as well.
REJECTED = {
    "trunc_opt": "option past the end",
    "overload_loop": "bad option 52",
    "overload_zero": "bad option 52",
    "dup53": "bad or repeated option 53",
    "no53": "no option 53",
    "op_request": "not a BOOTREPLY",
    "wrong_xid": "is not ours",
    "wrong_chaddr": "chaddr is not ours",
    "yiaddr_zero": "not a unicast address",
    "yiaddr_loopback": "not a unicast address",
    "yiaddr_mcast": "not a unicast address",
    "tot_len_small": "bad IP total length",
    "udp_len_mismatch": "UDP length does not match",
    "bad_ip_csum": "bad IP checksum",
    "bad_udp_csum": "bad UDP checksum",
    "ihl6": "not IPv4 with a 20-byte header",
}
# udhcpc binds to these damaged replies (an option running past the
# packet, option 52 looping or 0, a repeated 53, a BOOTREQUEST, a
# non-unicast yiaddr); ours refuses them on purpose.
UDHCPC_TAKES = {"trunc_opt", "overload_loop", "overload_zero", "dup53",
                "op_request", "yiaddr_zero", "yiaddr_loopback",
                "yiaddr_mcast"}

# case: text ours' log must hold, or None.  The environment is udhcpc's,
# less what ours deliberately does otherwise:
ACCEPTED = {
    "no_end": None,
    "short_subnet": "option 1: malformed",
    "short_lease": "no lease time",
    "short_serverid": "no server ID",
    "overload_ok": None,
    "dname_loop": "option 119: malformed",
    "dname_forward": "option 119: malformed",
    "bad_121": "option 121: malformed",
    "bad_212": "option 212: malformed",
    "lease_zero": "raised to 30",
    "lease_inf": None,
    "t1_ge_t2": "using 0.5 and 0.875",
    "metachars": "dropping message",
}
# metachars: udhcpc passes these raw to the script (a newline, ^A, ESC, a
# bash function import); ours drops each variable whose value holds a
# control byte or starts with "() {" (dhcpc/env.c).  name: the value
# udhcpc gives the script.  nisdomain's NUL ends it in both ("nis").
DROPPED = {"message": "x\ny", "vendor": "v\x01", "pxeconffile": "\x1b[2J",
           "sname": "srv\nname", "bootfile": "() { :;}; echo pwned"}


def clean(evs):
    for _, env in evs:
        for k, v in env.items():
            assert not any(ord(c) < 32 or ord(c) == 127 for c in v), (k, v)


def envs(evs):
    """The events with only the recording's own path masked (the lease
    timer is what the fake server wrote: compared)."""
    return [(e, {k: v for k, v in env.items() if k != "REC"})
            for e, env in evs]


def both(lab, *args):
    """udhcpc and then ours against the same fake server, each to its
    exit (the deadline is a hang check, not a measurement); the events
    with their exact values."""
    got = {}
    for who in ("busybox", "ours"):
        rc, _, log = lab.run(who, *args, timeout=30)
        got[who] = (rc, exact_events(os.path.join(lab.tmp, who + ".rec")),
                    log)
    return got


@pytest.mark.parametrize("case", sorted(REJECTED))
def test_rejected(lab, case):
    fake(lab, case)
    got = both(lab, *ARGS)
    rc, ev, log = got["ours"]
    assert rc == 1, log
    assert [e for e, _ in ev] == ["deconfig", "leasefail"], log
    assert REJECTED[case] in log, log
    rc_b, ev_b, log_b = got["busybox"]
    if case in UDHCPC_TAKES:
        assert rc_b == 0 and [e for e, _ in ev_b] == ["deconfig", "bound"], \
            log_b
        assert envs(ev[:1]) == envs(ev_b[:1])
    else:
        assert rc_b == 1 and envs(ev_b) == envs(ev), (log, log_b)


@pytest.mark.parametrize("case", sorted(ACCEPTED))
def test_sanitized(lab, case):
    srv = fake(lab, case)
    got = both(lab, *ARGS)
    rc, ev, log = got["ours"]
    rc_b, ev_b, log_b = got["busybox"]
    assert rc == rc_b == 0 and ev[-1][0] == ev_b[-1][0] == "bound", \
        (log, log_b)
    if ACCEPTED[case]:
        assert ACCEPTED[case] in log, log
    clean(ev)
    with open(os.path.join(lab.tmp, "ours.rec"), "rb") as f:
        assert b"\x00" not in f.read()
    env, env_b = envs(ev)[-1][1], envs(ev_b)[-1][1]
    if case == "no_end":
        # udhcpc reads on past the options into whatever memory follows
        # them (variables of stack bytes, e.g. `ipttl`, different each
        # run); ours stops at the end of the packet.  So ours is compared
        # with udhcpc given the same reply with its END.
        lab.stop(srv)
        fake(lab, "plain")
        rc_b, _, log_b = lab.run("busybox", *ARGS, name="plain")
        assert rc_b == 0, log_b
        env_b = envs(exact_events(os.path.join(lab.tmp, "plain.rec")))[-1][1]
    if case == "dname_forward":
        # a forward compression pointer (CVE-2020-7461): udhcpc follows
        # it, ours refuses the option (README: pointer-loop protection)
        assert env_b.pop("search") == "a a" and env.pop("search") == ""
    if case == "metachars":
        for k, raw in DROPPED.items():
            assert env_b.pop(k) == raw and k not in env, (k, env.get(k))
    assert env == env_b, (log, log_b)


def test_overload_no_opt52(lab):
    """An overloaded reply (option 52 = 3, domain split over file and
    sname): no opt52 in the environment, as udhcpc."""
    fake(lab, "overload_ok")
    got = both(lab, *ARGS)
    env, env_b = (envs(got[w][1])[-1][1] for w in ("ours", "busybox"))
    assert env_b["domain"] == env["domain"] == "lab.test"
    assert env == env_b


def test_split_routes_joined(lab):
    """RFC 3396: option 121 split over several options is joined.  udhcpc
    cannot even receive the 760-byte reply (it leasefails): README's RFC
    3396 long options."""
    fake(lab, "split_routes")
    got = both(lab, *ARGS)
    rc, ev, log = got["ours"]
    assert rc == 0, log
    routes = ev[-1][1]["staticroutes"].split()
    assert len(routes) == 120 and routes[-2] == "10.0.59.0/24", routes[-2:]
    rc_b, ev_b, log_b = got["busybox"]
    assert rc_b == 1 and [e for e, _ in ev_b] == ["deconfig", "leasefail"], \
        log_b


def test_nak_from_our_server(lab):
    """A NAK from the offering server: nak (with message), then INIT; as
    busybox udhcpc does.  Each client is stopped once its `nak` ran."""
    fake(lab, "nak")
    got = {}
    for who in ("busybox", "ours"):
        p, rec, log = lab.client(who, "-f", "-n", "-t", "1", "-T", "1",
                                 "-A", "1", name=who)
        wait_event(rec, "nak")
        stop(p, signal.SIGTERM)
        got[who] = envs(exact_events(rec))[:2]
    assert got["ours"] == got["busybox"]
    assert got["ours"][1][0] == "nak"
    assert got["ours"][1][1]["message"] == "go away"


def test_nak_from_other_server_ignored(lab):
    """A NAK whose server ID is not the offering server's is ignored, in
    both; with no ACK either, both leasefail."""
    fake(lab, "nak_other")
    got = both(lab, *ARGS)
    rc, ev, log = got["ours"]
    assert "ignoring NAK from 10.77.0.2" in log, log
    assert [e for e, _ in ev] == ["deconfig", "leasefail"]
    assert envs(got["busybox"][1]) == envs(ev), got["busybox"][2]


def test_t1_storm(lab):
    """A server sending T1 1 s and T2 2 s on an hour's lease, and ACKing
    every REQUEST at once, cannot make ours renew every second (each
    renewal runs the script and writes the lease file): the first renewal
    at 5 s (dhcpc/timers.c T1_MIN), the next no sooner than a minute after it
    (RENEW_GAP).  Real time, on the script's clock: bound, renew 5 s
    later, then nothing for 10 s (the window is the measurement).
    udhcpc ignores options 58 and 59 (it renews at lease/2, 30 min): no
    renew at all in that time.  Both run at once on two macvlans."""
    fake(lab, "t1_storm")
    ifs = dict(zip(("busybox", "ours"), lab.pair()))
    got = {who: lab.client(who, "-f", "-t", "2", "-T", "1", "-A", "1",
                           ifname=ifs[who])
           for who in ("busybox", "ours")}
    p, rec, log = got["ours"]
    wait_event(rec, "renew")
    until(lambda: len(event_times(rec)) >= 3, 30, "the renew's time")
    (_, bound), (_, renew) = event_times(rec)[1:3]
    assert 5 <= renew - bound < 8, (bound, renew, open(log).read())
    time.sleep(max(0.0, renew + 10 - time.time()))
    for who, (q, _, _) in got.items():
        assert stop(q) == 0, who
    text = open(log).read()
    assert [e for e, _ in events(rec)] == ["deconfig", "bound", "renew"], \
        text
    assert "T1 of 1 s raised to 5 s" in text, text
    assert "T1 of 1 s raised to 60 s" in text, text
    _, rec_b, log_b = got["busybox"]
    assert [e for e, _ in events(rec_b)] == ["deconfig", "bound"], \
        open(log_b).read()


# Runs its arguments with setsockopt(SOL_NETLINK, NETLINK_ADD_MEMBERSHIP)
# refused (EPERM) by a seccomp filter: the one call of dhcpc's
# nl_event_open() that nothing else makes, as a sandbox without netlink
# multicast would refuse it.  Python's own ctypes, so that nltool needs no
# mode for it; x86_64 and aarch64.
NO_LINK_EVENTS = r"""
import ctypes, os, platform, struct, sys
arch, nr = {"x86_64": (0xC000003E, 54),
            "aarch64": (0xC00000B7, 208)}[platform.machine()]
def ins(code, k, jt=0, jf=0):
    return struct.pack("HBBI", code, jt, jf, k)
LD, JEQ, RET = 0x20, 0x15, 0x06
code = b"".join([ins(LD, 4), ins(JEQ, arch, 0, 7), ins(LD, 0),
                 ins(JEQ, nr, 0, 5), ins(LD, 24), ins(JEQ, 270, 0, 3),
                 ins(LD, 32), ins(JEQ, 1, 0, 1), ins(RET, 0x50001),
                 ins(RET, 0x7FFF0000)])
class Prog(ctypes.Structure):
    _fields_ = [("len", ctypes.c_ushort), ("filter", ctypes.c_char_p)]
libc = ctypes.CDLL(None, use_errno=True)
prog = Prog(len(code) // 8, code)
if libc.prctl(38, 1, 0, 0, 0) or libc.prctl(22, 2, ctypes.byref(prog)):
    sys.exit("seccomp: " + os.strerror(ctypes.get_errno()))
os.execvp(sys.argv[1], sys.argv[1:])
"""


def test_no_link_events(lab):
    """Link events unavailable (nl_event_open() fails): ours says the
    carrier is not followed and runs on without it, as the message says;
    it used to leave its loop at once and exit 1.  Bound, still running,
    TERM exits 0."""
    if os.uname().machine not in ("x86_64", "aarch64"):
        pytest.skip("the seccomp filter knows x86_64 and aarch64")
    fake(lab, "plain")
    p, rec, log = lab.client("ours", "-f", "-t", "2", "-T", "1", "-A", "1",
                             wrap=[sys.executable, "-c", NO_LINK_EVENTS])
    until(lambda: p.poll() is not None or
          [e for e, _ in events(rec)] == ["deconfig", "bound"], 30,
          "bound or exit")
    text = open(log).read()
    assert p.poll() is None, text
    assert "link events: carrier is not followed" in text, text
    assert stop(p) == 0, text

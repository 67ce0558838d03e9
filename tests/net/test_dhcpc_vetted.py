"""dhcpc's script environment beyond udhcpc's (dhcpc/env.c), against the
fake server (tests/net/dhcpc/fakesrv.py) with busybox udhcpc 1.35 given
the same replies as the reference.

udhcpc passes the names of options 119 and 120 to the script as they
decode (a newline, "$(id)", a leading '-', a label holding a '.' or a
NUL: its value ends at the NUL) and option 26 whatever its value.  Ours,
by design, leaves out each name that is not a host name (RFC 1123 labels,
'_' allowed as in udhcpc's good_hostname()) and an MTU below 576, with
one log line per option, once per lease: a renewal with the same values
logs nothing more.  Everything else is udhcpc's, byte for byte."""
import os
import signal
import sys

import pytest

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "dhcpc"))
pytest.register_assert_rewrite("lab")
from lab import lab, fake, exact_events, stop, wait_event  # noqa: E402

ARGS = ["-f", "-q", "-n", "-t", "2", "-T", "1", "-A", "1", "-O", "search",
        "-O", "sipsrv", "-O", "mtu", "-v"]

# What udhcpc gives the script for the names_hostile reply, and ours.
UDHCPC_SEARCH = ("good.test x\nnameserver 6.6.6.6 -lead.test $(id).test "
                 "under_score.test ok.test a.b.test end-.test b")
UDHCPC_SIPSRV = "sip.test $(reboot) -x sip2.test"
OURS_SEARCH = "good.test under_score.test ok.test"
OURS_SIPSRV = "sip.test sip2.test"
LOG_119 = "option 119: 6 bad host name(s) left out of search"
LOG_120 = "option 120: 2 bad host name(s) left out of sipsrv"


def both(lab):
    """udhcpc, then ours, to their exit; {who: (rc, last env, log)}."""
    got = {}
    for who in ("busybox", "ours"):
        rc, _, log = lab.run(who, *ARGS, timeout=30)
        evs = exact_events(os.path.join(lab.tmp, who + ".rec"))
        assert rc == 0 and evs[-1][0] == "bound", log
        env = {k: v for k, v in evs[-1][1].items() if k != "REC"}
        got[who] = (rc, env, log)
    return got


def test_bad_names_left_out(lab):
    fake(lab, "names_hostile")
    got = both(lab)
    _, env_b, _ = got["busybox"]
    _, env, log = got["ours"]
    assert env_b.pop("search") == UDHCPC_SEARCH
    assert env_b.pop("sipsrv") == UDHCPC_SIPSRV
    assert env.pop("search") == OURS_SEARCH
    assert env.pop("sipsrv") == OURS_SIPSRV
    assert env == env_b
    lines = log.splitlines()
    assert [line for line in lines if "bad host name" in line] == \
        ["udhcpc: " + LOG_119, "udhcpc: " + LOG_120], log


def test_small_mtu_left_out(lab):
    fake(lab, "mtu_small")
    got = both(lab)
    _, env_b, _ = got["busybox"]
    _, env, log = got["ours"]
    assert env_b.pop("mtu") == "300" and "mtu" not in env
    assert env == env_b
    assert log.count("option 26: MTU 300 below 576: ignored, no mtu") == 1


@pytest.mark.parametrize("case,lines", [
    ("names_hostile", [LOG_119, LOG_120]),
    ("mtu_small", ["option 26: MTU 300 below 576"])])
def test_logged_once_per_lease(lab, case, lines):
    """A renewal (SIGUSR1) with the same reply logs nothing more."""
    fake(lab, case)
    p, rec, log = lab.client("ours", "-f", "-O", "search", "-O", "sipsrv",
                             "-O", "mtu", "-v")
    try:
        wait_event(rec, "bound")
        p.send_signal(signal.SIGUSR1)
        evs = wait_event(rec, "renew")
    finally:
        stop(p)
    text = open(log).read()
    for line in lines:
        assert text.count(line) == 1, text
    env = evs[-1][1]
    if case == "names_hostile":
        assert env["search"] == OURS_SEARCH and env["sipsrv"] == OURS_SIPSRV
    else:
        assert "mtu" not in env

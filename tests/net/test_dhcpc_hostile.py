"""dhcpc against a hostile server (tests/net/dhcpc/fakesrv.py): every
damaged reply is logged and rejected or sanitized; the client never
crashes or hangs, and no control byte reaches the script."""
import os
import sys
import time

import pytest

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "dhcpc"))
from lab import Lab, events, norm  # noqa: E402

FAKESRV = os.path.join(os.path.dirname(__file__), "dhcpc", "fakesrv.py")
ARGS = ["-f", "-q", "-n", "-t", "2", "-T", "1", "-A", "1", "-O", "search",
        "-O", "121", "-O", "212", "-v"]

# case: (exit status, text the log must hold)
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
# case: (text the log must hold or None, checks on the bound environment)
ACCEPTED = {
    "no_end": (None, {"ip": "10.77.0.60"}),
    "short_subnet": ("option 1: malformed", {"subnet": ""}),
    "short_lease": ("no lease time", {"lease": ""}),
    "short_serverid": ("no server ID", {"serverid": ""}),
    "overload_ok": (None, {"domain": "lab.test", "opt52": "03"}),
    "dname_loop": ("option 119: malformed", {"search": ""}),
    "dname_forward": ("option 119: malformed", {"search": ""}),
    "bad_121": ("option 121: malformed", {"staticroutes": ""}),
    "bad_212": ("option 212: malformed", {"ip6rd": ""}),
    "lease_zero": ("raised to 30", {"lease": "0"}),
    "lease_inf": (None, {"lease": "4294967295"}),
    "t1_ge_t2": ("using 0.5 and 0.875", {"opt58": "00000032"}),
    "metachars": ("dropping message", {
        "hostname": "bad", "domain": "bad", "tftp": "ba",
        "rootpath": "`id`", "wpad": "'&touch /tmp/pwn #", "boot_file": "$(id)",
        "message": None, "vendor": None, "bootfile": None, "sname": None,
        "nisdomain": None, "pxeconffile": None, "opt224": "0a003b"}),
}


@pytest.fixture
def lab(ns, tmp_path):
    lab = Lab(ns, tmp_path)
    try:
        yield lab
    finally:
        lab.close()


def fake(lab, case):
    lab.sstart(sys.executable, FAKESRV, "veth1", case,
               log=os.path.join(lab.tmp, "fakesrv.log"))


def clean(evs):
    for _, env in evs:
        for k, v in env.items():
            assert not any(ord(c) < 32 or ord(c) == 127 for c in v), (k, v)


@pytest.mark.parametrize("case", sorted(REJECTED))
def test_rejected(lab, case):
    fake(lab, case)
    t0 = time.time()
    rc, ev, log = lab.run("ours", *ARGS, timeout=15)
    assert time.time() - t0 < 8
    assert rc == 1, log
    assert [e for e, _ in ev] == ["deconfig", "leasefail"], log
    assert REJECTED[case] in log, log


@pytest.mark.parametrize("case", sorted(ACCEPTED))
def test_sanitized(lab, case):
    fake(lab, case)
    rc, ev, log = lab.run("ours", *ARGS, timeout=15)
    want_log, want_env = ACCEPTED[case]
    assert rc == 0 and ev[-1][0] == "bound", log
    if want_log:
        assert want_log in log, log
    env = ev[-1][1]
    for k, v in want_env.items():
        assert env.get(k) == v, (k, env.get(k), log)
    clean(ev)
    with open(ev and lab.tmp + "/ours.rec", "rb") as f:
        assert b"\x00" not in f.read()


def test_split_routes_joined(lab):
    """RFC 3396: option 121 split over several options is joined."""
    fake(lab, "split_routes")
    rc, ev, log = lab.run("ours", *ARGS, timeout=15)
    assert rc == 0, log
    routes = ev[-1][1]["staticroutes"].split()
    assert len(routes) == 120 and routes[-2] == "10.0.59.0/24", routes[-2:]


def test_nak_from_our_server(lab):
    """A NAK from the offering server: nak (with message), then INIT; as
    busybox udhcpc does."""
    fake(lab, "nak")
    got = {}
    for who in ("busybox", "ours"):
        p, rec, log = lab.client(who, "-f", "-n", "-t", "1", "-T", "1",
                                 "-A", "1", name=who)
        time.sleep(2.0)
        p.terminate()
        p.wait(5)
        got[who] = norm(events(rec))[:2]
    assert got["ours"] == got["busybox"]
    assert got["ours"][1][0] == "nak"
    assert got["ours"][1][1]["message"] == "go away"


def test_nak_from_other_server_ignored(lab):
    fake(lab, "nak_other")
    rc, ev, log = lab.run("ours", *ARGS, timeout=15)
    assert "ignoring NAK from 10.77.0.2" in log, log
    assert [e for e, _ in ev] == ["deconfig", "leasefail"]


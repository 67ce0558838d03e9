"""dhcpc beside busybox udhcpc against dnsmasq, busybox udhcpd and Kea.

Each scenario runs both clients on the same link, one after the other, with
a script that records every event and its sorted environment; the two
recordings must match except for the lease timer.
"""
import os
import signal
import subprocess
import sys
import time

import pytest

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "dhcpc"))
from lab import SRV_IP, Lab, events, norm, stop, wait_for  # noqa: E402

SERVERS = ["dnsmasq", "udhcpd", "kea"]
QUICK = ["-t", "2", "-T", "1", "-A", "1"]
# udhcpd ARP-checks a fresh address (about 1 s) before it offers it
COLD = ["-t", "5", "-T", "1", "-A", "1"]


@pytest.fixture
def lab(ns, tmp_path):
    if not os.path.exists(os.path.join(os.path.dirname(__file__), "..", "..")):
        pytest.skip("no tree")
    lab = Lab(ns, tmp_path)
    try:
        yield lab
    finally:
        lab.close()


def start(lab, server):
    if server == "kea" and not os.path.exists("/usr/sbin/kea-dhcp4"):
        pytest.skip("kea-dhcp4 missing")
    getattr(lab, server)()


@pytest.mark.parametrize("server", SERVERS)
def test_cold_lease_quit(lab, server):
    start(lab, server)
    args = ["-f", "-q", *COLD, "-O", "search", "-O", "121"]
    rc_b, ev_b, log_b = lab.run("busybox", *args)
    rc_o, ev_o, log_o = lab.run("ours", *args)
    assert rc_o == rc_b == 0, log_o + log_b
    assert [e for e, _ in ev_o] == ["deconfig", "bound"], log_o
    assert norm(ev_o) == norm(ev_b), log_o
    assert ev_o[1][1]["ip"].startswith("10.77.0."), ev_o


@pytest.mark.parametrize("server", SERVERS)
def test_renew_release_term(lab, server):
    """USR1 renews, USR2 releases, TERM with -R exits 0 after deconfig."""
    start(lab, server)
    got = {}
    for who in ("busybox", "ours"):
        p, rec, log = lab.client(who, "-f", "-R", *COLD)
        assert len(wait_for(rec, 2)) == 2, open(log).read()
        p.send_signal(signal.SIGUSR1)
        assert len(wait_for(rec, 3)) == 3, open(log).read()
        p.send_signal(signal.SIGUSR2)
        assert len(wait_for(rec, 4)) == 4, open(log).read()
        assert stop(p) == 0
        got[who] = events(rec)
    assert [e for e, _ in got["ours"]] == \
        ["deconfig", "bound", "renew", "deconfig", "deconfig"]
    # a released address may go to the next client (Kea): compare the
    # rest, and each client's address across its own events
    for who in got:
        assert got[who][1][1]["ip"] == got[who][2][1]["ip"]
    noip = [[(e, {k: v for k, v in env.items() if k != "ip"})
             for e, env in norm(got[who])] for who in ("ours", "busybox")]
    assert noip[0] == noip[1]


def test_now_fails_without_server(lab):
    rc_b, ev_b, _ = lab.run("busybox", "-n", *QUICK)
    rc_o, ev_o, log = lab.run("ours", "-n", *QUICK)
    assert rc_o == rc_b == 1, log
    assert norm(ev_o) == norm(ev_b)
    assert [(e, env["interface"]) for e, env in ev_o] == \
        [("deconfig", "veth0"), ("leasefail", "veth0")]


def test_background_after_leasefail(lab, tmp_path):
    """-b: leasefail, then the parent exits 0 and the child keeps trying;
    it leases once a server appears and writes its pid."""
    pid = str(tmp_path / "dhcpc.pid")
    rc, ev, log = lab.run("ours", "-b", "-n", "-t", "1", "-T", "1", "-A", "1",
                          "-p", pid)
    assert rc == 0 and [e for e, _ in ev] == ["deconfig", "leasefail"], log
    # The pidfile names the child as soon as the parent has exited.
    child = int(open(pid).read())
    os.kill(child, 0)
    lab.dnsmasq()
    rec = str(tmp_path / "ours.rec")
    assert any(e == "bound" for e, _ in wait_for(rec, 4, timeout=10))
    os.kill(child, signal.SIGTERM)
    for _ in range(50):
        if not os.path.exists(pid):
            break
        time.sleep(0.1)
    assert not os.path.exists(pid)


def test_forks_after_bound(lab, tmp_path):
    """Without -f (busybox ifup's call) the parent exits 0 once bound."""
    lab.dnsmasq()
    pid = str(tmp_path / "p.pid")
    rc, ev, log = lab.run("ours", "-R", "-n", "-p", pid, timeout=10)
    assert rc == 0 and [e for e, _ in ev] == ["deconfig", "bound"], log
    child = int(open(pid).read())
    os.kill(child, signal.SIGTERM)
    time.sleep(0.5)
    assert "DHCPRELEASE" in open(lab.dnsmasq_log).read()


def test_lease_file_init_reboot(lab, tmp_path):
    """--lease-file: the next start asks for the same address at once
    (INIT-REBOOT: one REQUEST, no DISCOVER)."""
    lab.dnsmasq()
    lf = str(tmp_path / "lease")
    rc, ev, log = lab.run("ours", "-f", "-q", "--lease-file", lf, name="a")
    assert rc == 0 and os.path.exists(lf), log
    ip = ev[-1][1]["ip"]
    n_disc = open(lab.dnsmasq_log).read().count("DHCPDISCOVER")
    t0 = time.time()
    rc, ev, log = lab.run("ours", "-f", "-q", "--lease-file", lf, name="b")
    assert rc == 0 and ev[-1] [0] == "bound" and ev[-1][1]["ip"] == ip, log
    assert time.time() - t0 < 1.0
    assert open(lab.dnsmasq_log).read().count("DHCPDISCOVER") == n_disc


def test_rapid_commit(lab):
    lab.dnsmasq("--dhcp-rapid-commit")
    rc, ev, log = lab.run("ours", "-f", "-q", "--rapid-commit")
    assert rc == 0 and ev[-1][0] == "bound", log
    assert "sending select" not in log, log


def test_arp_conflict_declines(lab):
    """-a: a peer holding the offered address makes both clients DECLINE
    it and lease another one, with the same events and environment.
    dnsmasq is restarted with no leases before each client so that both
    are offered the held address.

    Intended difference: after the DECLINE ours waits 10 s (RFC 2131 3.1,
    "a minimum of ten seconds") before DISCOVER; udhcpc waits only -A."""
    srv = lab.dnsmasq()
    rc, ev, log = lab.run("ours", "-f", "-q", name="first")
    ip = ev[-1][1]["ip"]
    lab.ns.ip("-4", "addr", "flush", "dev", "veth0")
    lab.sstart(sys.executable, os.path.join(os.path.dirname(__file__),
                                            "dhcpc", "arpresp.py"),
               "veth1", ip)
    got, took = {}, {}
    for who in ("busybox", "ours"):
        lab.stop(srv)
        os.unlink(os.path.join(lab.tmp, "dnsmasq.leases"))
        srv = lab.dnsmasq()
        t0 = time.time()
        rc, ev, log = lab.run(who, "-f", "-q", "-a300", "-t", "0", "-T", "1",
                              "-A", "1", timeout=30)
        took[who] = time.time() - t0
        assert "in use" in log and "declining" in log, log
        assert "DHCPDECLINE" in open(lab.dnsmasq_log).read()
        assert rc == 0 and [e for e, _ in ev] == ["deconfig", "bound"], log
        assert ev[-1][1]["ip"] != ip, log
        lab.ns.ip("-4", "addr", "flush", "dev", "veth0")
        got[who] = norm(ev)
    assert got["ours"] == got["busybox"]
    assert took["busybox"] < 8 and took["ours"] >= 10, took


def arp_frames(path, mac):
    """[(time, op, sender ip, target ip)] sent from @mac, as recorded by
    arpresp.py."""
    out = []
    for line in open(path).read().splitlines():
        t, op, smac, spa, tpa = line.split()
        if smac == mac.replace(":", ""):
            out.append((float(t), int(op), spa, tpa))
    return out


def test_arp_probe_then_announce(lab):
    """-a with the address free: RFC 5227 probes (sender IP 0), then once
    bound two announcements (sender = target = the address) 2 s apart,
    sent from the event loop: a USR1 renew right after `bound` is served
    at once, between them.

    Intended difference: udhcpc sends one probe and never announces
    (RFC 5227 2.3 says a host MUST announce after probing)."""
    lab.dnsmasq()
    cap = os.path.join(lab.tmp, "arp.rec")
    lab.sstart(sys.executable, os.path.join(os.path.dirname(__file__),
                                            "dhcpc", "arpresp.py"),
               "veth1", "10.77.0.250", cap)
    mac = lab.ns.ip_json("link", "show", "veth0")[0]["address"]
    got = {}
    for who in ("busybox", "ours"):
        p, rec, log = lab.client(who, "-f", "-a300", *QUICK)
        ev = wait_for(rec, 2)
        assert [e for e, _ in ev] == ["deconfig", "bound"], open(log).read()
        t_bound, ip = time.time(), ev[1][1]["ip"]
        p.send_signal(signal.SIGUSR1)
        assert len(wait_for(rec, 3, timeout=3)) == 3, open(log).read()
        t_renew = time.time()
        time.sleep(3.0)
        stop(p)
        frames = [f for f in arp_frames(cap, mac) if ip in f[2:]]
        open(cap, "w").close()
        lab.ns.ip("-4", "addr", "flush", "dev", "veth0")
        got[who] = ([f for f in frames if f[1] == 1 and f[2] == "0.0.0.0"],
                    [f for f in frames if f[1] == 1 and f[2] == f[3] == ip],
                    t_bound, t_renew)
    probes, ann, t_bound, t_renew = got["ours"]
    assert len(probes) == 3 and all(f[3] == ip for f in probes), got
    assert len(ann) == 2, got
    assert ann[0][0] >= probes[-1][0] and 1.7 < ann[1][0] - ann[0][0] < 2.5
    assert t_renew - t_bound < 1.0 and t_renew < ann[1][0]
    assert len(got["busybox"][0]) >= 1 and got["busybox"][1] == [], got


@pytest.mark.parametrize("who", ["busybox", "ours"])
def test_loss_30_percent(lab, who):
    """30% loss both ways still gets a lease.  The host kernel has no
    netem (and DHCP's AF_PACKET frames bypass netfilter), so the loss is a
    relay between two veths that drops 30% of the frames each way with a
    fixed seed (dhcpc/lossy.py).  Both clients retry forever (-t 0) with a
    1 s gap; three lost REQUESTs (or ACKs) in a row give a leasefail and a
    new DISCOVER after 1 s (-A 1), in both clients."""
    lab.lossy(30)
    lab.dnsmasq()
    rc, ev, log = lab.run(who, "-f", "-q", "-t", "0", "-T", "1", "-A", "1",
                          timeout=40)
    names = [e for e, _ in ev]
    assert rc == 0 and names[0] == "deconfig" and names[-1] == "bound", log
    assert set(names[1:-1]) <= {"leasefail"}, log
    assert ev[-1][1]["ip"].startswith("10.77.0."), ev
    assert "DHCPACK" in open(lab.dnsmasq_log).read()
    lab.close()
    tail = open(lab.lossy_log).read().splitlines()[-1]
    fwd, drop = int(tail.split()[1]), int(tail.split()[3])
    assert drop and 0.1 < drop / (fwd + drop) < 0.6, tail


def test_link_flap_verifies_lease(lab):
    """Link down keeps the lease; link up verifies it at once with an
    INIT-REBOOT REQUEST (RFC 2131 3.2, as dhcpcd and RFC 4436 do), which
    gives a `renew` with the same address and environment.

    Intended difference: udhcpc 1.35 does not follow the carrier, so it
    runs no script at all for the flap (and would notice a new network
    only at its next renew)."""
    lab.dnsmasq()
    got = {}
    for who in ("busybox", "ours"):
        p, rec, log = lab.client(who, "-f", *QUICK)
        assert len(wait_for(rec, 2)) == 2, open(log).read()
        lab.ns.ip("link", "set", "veth0", "down")
        time.sleep(0.3)
        assert len(events(rec)) == 2
        lab.ns.ip("link", "set", "veth0", "up")
        wait_for(rec, 3, timeout=3)
        stop(p)
        got[who] = norm(events(rec))
        lab.ns.ip("-4", "addr", "flush", "dev", "veth0")
    assert [e for e, _ in got["busybox"]] == ["deconfig", "bound"]
    assert [e for e, _ in got["ours"]] == ["deconfig", "bound", "renew"], \
        open(log).read()
    assert got["ours"][:2] == got["busybox"]
    assert got["ours"][2][1] == got["ours"][1][1]


# T1 5 s and T2 10 s (options 58/59) on a 30 s lease from udhcpd
SHORT = "opt 0x3a 00000005\nopt 0x3b 0000000a\n"


def side_by_side(lab, *args):
    """busybox udhcpc on macvlan dhb, then ours on dho, both bound;
    returns {who: (Popen, rec, log, time bound)}."""
    ifs = dict(zip(("busybox", "ours"), lab.pair()))
    got = {}
    for who in ("busybox", "ours"):
        p, rec, log = lab.client(who, "-f", *COLD, *args, ifname=ifs[who])
        assert [e for e, _ in wait_for(rec, 2)] == ["deconfig", "bound"], \
            open(log).read()
        got[who] = (p, rec, log, time.time())
    return got


def until(got, n, timeout):
    """Waits until every client's recording has @n events; returns
    {who: seconds from its bound to then}."""
    when, end = {}, time.time() + timeout
    while len(when) < len(got) and time.time() < end:
        for who, (_, rec, _, t) in got.items():
            if who not in when and len(events(rec)) >= n:
                when[who] = time.time() - t
        time.sleep(0.05)
    for p, *_ in got.values():
        stop(p)
    return when


def no_addr(evs):
    return [(e, {k: v for k, v in env.items() if k not in ("ip", "interface")})
            for e, env in norm(evs)]


def test_rebind_to_second_server(lab):
    """Server A (udhcpd, 10.77.0.1: 30 s lease, T1 5 s, T2 10 s) vanishes
    once both clients are bound; server B (dnsmasq --dhcp-authoritative,
    10.77.0.2) answers the REBINDING broadcast.  Both keep their address
    and move to B with a `renew` carrying B's server id and options, the
    same in both clients.

    Intended difference: ours follows RFC 2131 4.4.5: unicast renew at T1
    (option 58), broadcast rebind at T2 (option 59), here ~10 s after
    bound.  udhcpc ignores 58/59: it renews at lease/2 (15 s) and, with
    at most 30 s left, broadcasts at once after its one unanswered renew
    (it only rebinds in the last 30 s of a lease)."""
    a = lab.udhcpd(lease=30, extra=SHORT)
    got = side_by_side(lab)
    lab.stop(a)
    lab.srun("ip", "addr", "del", SRV_IP + "/24", "dev", "veth1")
    lab.srun("ip", "addr", "add", "10.77.0.2/24", "dev", "veth1")
    lab.dnsmasq("--dhcp-authoritative")
    when = until(got, 3, timeout=25)
    ev = {who: events(got[who][1]) for who in got}
    log = open(got["ours"][2]).read()
    for who in got:
        assert [e for e, _ in ev[who]] == ["deconfig", "bound", "renew"], \
            open(got[who][2]).read()
        assert ev[who][1][1]["serverid"] == SRV_IP
        assert ev[who][2][1]["serverid"] == "10.77.0.2"
        assert ev[who][2][1]["ip"] == ev[who][1][1]["ip"]
    assert no_addr(ev["ours"]) == no_addr(ev["busybox"])
    assert log.index("sending renew to") < log.index("sending rebind"), log
    assert 9 <= when["ours"] < 13.5 and when["busybox"] >= 14.5, when


def test_lease_expiry_deconfig(lab):
    """Server A (udhcpd, 30 s lease) vanishes for good: both clients renew,
    rebind, then run `deconfig` and go back to INIT.

    Intended difference: ours keeps the address until the lease expires
    (RFC 2131 4.4.5), at 30 s; udhcpc gives it up after its last rebind
    broadcast, ~17 s into a 30 s lease, while it is still valid."""
    a = lab.udhcpd(lease=30)
    got = side_by_side(lab)
    lab.stop(a)
    when = until(got, 3, timeout=40)
    ev = {who: norm(events(got[who][1]))[:3] for who in got}
    log = open(got["ours"][2]).read()
    for who in got:
        assert [e for e, _ in ev[who]] == ["deconfig", "bound", "deconfig"], \
            open(got[who][2]).read()
    assert no_addr(ev["ours"]) == no_addr(ev["busybox"])
    assert "sending renew" in log and "sending rebind" in log, log
    assert "lease lost" in log, log
    assert 29 <= when["ours"] < 32 and when["busybox"] < 29, when

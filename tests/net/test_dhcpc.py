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
from lab import Lab, events, norm, stop, wait_for  # noqa: E402

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
    """-a: a peer holding the offered address makes us DECLINE it."""
    lab.dnsmasq()
    rc, ev, log = lab.run("ours", "-f", "-q", name="first")
    ip = ev[-1][1]["ip"]
    lab.ns.ip("-4", "addr", "flush", "dev", "veth0")
    lab.sstart(sys.executable, os.path.join(os.path.dirname(__file__),
                                            "dhcpc", "arpresp.py"),
               "veth1", ip)
    rc, ev, log = lab.run("ours", "-f", "-q", "-a300", "-t", "0", "-T", "1",
                          "-A", "1", timeout=30)
    assert "in use, declining" in log, log
    assert "DHCPDECLINE" in open(lab.dnsmasq_log).read()
    assert rc == 0 and ev[-1][0] == "bound" and ev[-1][1]["ip"] != ip, log


def test_loss_30_percent(lab):
    """30% loss both ways (tc netem): a lease still comes."""
    lab.dnsmasq()
    r = lab.srun("tc", "qdisc", "add", "dev", "veth1", "root", "netem",
                 "loss", "30%", check=False)
    if r.returncode:
        pytest.skip("netem unavailable: " + r.stderr)
    lab.ns.run("tc", "qdisc", "add", "dev", "veth0", "root", "netem", "loss",
               "30%")
    rc, ev, log = lab.run("ours", "-f", "-q", "-t", "0", "-T", "1",
                          timeout=30)
    assert rc == 0 and ev[-1][0] == "bound", log


def test_link_flap_verifies_lease(lab):
    """Link down keeps the lease; link up verifies it at once."""
    lab.dnsmasq()
    p, rec, log = lab.client("ours", "-f", *QUICK)
    assert len(wait_for(rec, 2)) == 2
    lab.ns.ip("link", "set", "veth0", "down")
    time.sleep(0.3)
    assert len(events(rec)) == 2
    lab.ns.ip("link", "set", "veth0", "up")
    ev = wait_for(rec, 3, timeout=5)
    stop(p)
    assert [e for e, _ in ev] == ["deconfig", "bound", "renew"], \
        open(log).read()
    assert ev[1][1]["ip"] == ev[2][1]["ip"]

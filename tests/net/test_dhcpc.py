"""dhcpc beside busybox udhcpc against dnsmasq, busybox udhcpd and Kea.

Each scenario runs both clients on the same link, one after the other (or
at once on two macvlans), with a script that records every event and its
sorted environment, and dhcpc/sniff.py recording every frame on the
server's side; the two recordings must match except for the lease timer,
and the messages except for what dhcpc/lab.py masks.  Every flag is
compared in test_dhcpc_flags.py.

Nothing here is timed against a threshold: a test waits for the event it
needs (a script event, a log line, a frame) under a deadline that only
ends a hang, and a claim about time is made from the kernel's timestamps
of the frames on the wire, as an order of events or a lower bound (a
timer that fires early is a bug; one that fires late is a loaded
machine).  Speed is for `make bench` (tests/bench/bench_dhcpc.py).
"""
import os
import signal
import sys

import pytest

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "dhcpc"))
pytest.register_assert_rewrite("lab")
from lab import (lab, SRV_IP, event_times, events, firsts,  # noqa: E402
                 in_log, kinds, norm, opt, own_ip, same_wire, stop,
                 wait_event)

SERVERS = ["dnsmasq", "udhcpd", "kea"]
QUICK = ["-t", "2", "-T", "1", "-A", "1"]
# udhcpd ARP-checks a fresh address (about 1 s) before it offers it
COLD = ["-t", "5", "-T", "1", "-A", "1"]


def start(lab, server):
    if server == "kea" and not os.path.exists("/usr/sbin/kea-dhcp4"):
        pytest.skip("kea-dhcp4 missing")
    getattr(lab, server)()


@pytest.mark.parametrize("server", SERVERS)
def test_cold_lease_quit(lab, server):
    cap = lab.sniff()
    start(lab, server)
    args = ["-f", "-q", *COLD, "-O", "search", "-O", "121"]
    m = cap.mark()
    rc_b, ev_b, log_b = lab.run("busybox", *args)
    sent_b = firsts(cap.sent(m))
    lab.ns.ip("-4", "addr", "flush", "dev", "veth0")
    m = cap.mark()
    rc_o, ev_o, log_o = lab.run("ours", *args)
    assert rc_o == rc_b == 0, log_o + log_b
    assert [e for e, _ in ev_o] == ["deconfig", "bound"], log_o
    assert norm(ev_o) == norm(ev_b), log_o
    assert ev_o[1][1]["ip"].startswith("10.77.0."), ev_o
    assert kinds(sent_b) == ["DISCOVER", "REQUEST"], log_b
    same_wire(sent_b, firsts(cap.sent(m)), what=(log_o, log_b))


def test_pxe_strings_nul_terminated(lab):
    """dnsmasq sends options 66 and 67 with a trailing NUL (PXE setups);
    RFC 2132 section 2: the receiver deletes trailing NULs.  Both clients
    give the script `tftp` and `bootfile`, the same; the NUL is on the
    wire and in neither environment."""
    cap = lab.sniff()
    lab.dnsmasq("--dhcp-option=66,tftp.lab.test",
                "--dhcp-option=67,pxe/boot.0")
    args = ["-f", "-q", *QUICK, "-O", "66", "-O", "67"]
    m = cap.mark()
    rc_b, ev_b, log_b = lab.run("busybox", *args)
    acks = [f for f in firsts(cap.frames(m)) if "dhcp" in f and
            opt(f, 53) == "05"]
    lab.ns.ip("-4", "addr", "flush", "dev", "veth0")
    rc_o, ev_o, log_o = lab.run("ours", *args)
    assert rc_o == rc_b == 0, log_o + log_b
    assert acks and opt(acks[0], 66).endswith("00") and \
        opt(acks[0], 67).endswith("00"), acks
    env = ev_o[-1][1]
    assert env["tftp"] == "tftp.lab.test", env
    assert env["bootfile"] == "pxe/boot.0", env
    assert norm(ev_o) == norm(ev_b), log_o


@pytest.mark.parametrize("server", SERVERS)
def test_renew_release_term(lab, server):
    """USR1 renews (a unicast REQUEST), USR2 releases (a unicast
    RELEASE), TERM with -R exits 0 after deconfig; the same events and
    messages in both.  What each signal makes a client send first is
    compared: if the server is slow to answer the renew, udhcpc sends a
    broadcast rebind -T later (ours retransmits per RFC 2131 4.4.5, after
    60 s at the least), which a loaded machine may or may not show."""
    cap = lab.sniff()
    start(lab, server)
    got, sent = {}, {}
    mac = lab.mac()
    for who in ("busybox", "ours"):
        m0 = cap.mark()
        p, rec, log = lab.client(who, "-f", "-R", *COLD)
        wait_event(rec, "bound")
        m1 = cap.mark()
        p.send_signal(signal.SIGUSR1)
        wait_event(rec, "renew")
        m2 = cap.mark()
        p.send_signal(signal.SIGUSR2)
        wait_event(rec, "deconfig", n=2)
        assert stop(p) == 0
        got[who] = events(rec)
        renew = cap.sent(m1, end=m2)
        assert set(kinds(renew)) == {"REQUEST"}, renew
        frames = firsts(cap.sent(m0, end=m1)) + renew[:1] + cap.sent(m2)
        # a released address may go to the next client (Kea)
        sent[who] = own_ip(frames, got[who][1][1]["ip"])
        lab.ns.ip("-4", "addr", "flush", "dev", "veth0")
    assert [e for e, _ in got["ours"]] == \
        ["deconfig", "bound", "renew", "deconfig", "deconfig"]
    assert kinds(sent["ours"]) == ["DISCOVER", "REQUEST", "REQUEST",
                                   "RELEASE"]
    renew, release = sent["ours"][2:]
    assert renew["dhcp"]["ciaddr"] == "IP" and renew["ip"]["dst"] == SRV_IP
    assert release["eth_dst"] != "ffffffffffff" != renew["eth_dst"]
    assert all(f["eth_src"] == mac for f in sent["ours"])
    same_wire(sent["busybox"], sent["ours"], what=sent)
    # compare the rest, and each client's address across its own events
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


def test_lease_file_init_reboot(lab, tmp_path):
    """--lease-file: the next start asks for the same address at once
    (INIT-REBOOT, RFC 2131 4.3.2: the first and only message is one
    broadcast REQUEST with option 50 and neither option 54 nor ciaddr; no
    DISCOVER).  How fast that is, is measured by make bench."""
    cap = lab.sniff()
    lab.dnsmasq()
    lf = str(tmp_path / "lease")
    rc, ev, log = lab.run("ours", "-f", "-q", "--lease-file", lf, name="a")
    assert rc == 0 and os.path.exists(lf), log
    ip = ev[-1][1]["ip"]
    n_disc = open(lab.dnsmasq_log).read().count("DHCPDISCOVER")
    m = cap.mark()
    rc, ev, log = lab.run("ours", "-f", "-q", "--lease-file", lf, name="b")
    assert rc == 0 and ev[-1][0] == "bound" and ev[-1][1]["ip"] == ip, log
    sent = firsts(cap.sent(m))
    assert kinds(sent) == ["REQUEST"], log
    req = sent[0]
    assert req["eth_dst"] == "ffffffffffff" and req["dhcp"]["ciaddr"] == \
        "0.0.0.0", req
    assert opt(req, 50) == bytes(map(int, ip.split("."))).hex(), req
    assert opt(req, 54) is None, req
    assert open(lab.dnsmasq_log).read().count("DHCPDISCOVER") == n_disc


def test_rapid_commit(lab):
    """--rapid-commit: a DISCOVER with option 80 and the ACK to it; no
    REQUEST."""
    cap = lab.sniff()
    lab.dnsmasq("--dhcp-rapid-commit")
    rc, ev, log = lab.run("ours", "-f", "-q", "--rapid-commit")
    assert rc == 0 and ev[-1][0] == "bound", log
    assert "sending select" not in log, log
    sent = firsts(cap.sent())
    assert kinds(sent) == ["DISCOVER"] and opt(sent[0], 80) == "", sent


def test_arp_conflict_declines(lab):
    """-a: a peer holding the offered address makes both clients DECLINE
    it and lease another one, with the same events, environment and
    DECLINE.  dnsmasq is restarted with no leases before each client so
    that both are offered the held address.

    Intended difference: after the DECLINE ours waits 10 s (RFC 2131 3.1,
    "a minimum of ten seconds") before DISCOVER; udhcpc waits only -A.
    Measured between the kernel's timestamps of the DECLINE and the next
    DISCOVER on the wire: ours' is a lower bound (RFC)."""
    cap = lab.sniff()
    srv = lab.dnsmasq()
    rc, ev, log = lab.run("ours", "-f", "-q", name="first")
    ip = ev[-1][1]["ip"]
    lab.ns.ip("-4", "addr", "flush", "dev", "veth0")
    lab.helper("arpresp.py", "veth1", ip)
    got, sent, wait = {}, {}, {}
    for who in ("busybox", "ours"):
        lab.stop(srv)
        os.unlink(os.path.join(lab.tmp, "dnsmasq.leases"))
        srv = lab.dnsmasq()
        m = cap.mark()
        rc, ev, log = lab.run(who, "-f", "-q", "-a300", "-t", "0", "-T", "1",
                              "-A", "1", timeout=60)
        assert "in use" in log and "declining" in log, log
        assert "DHCPDECLINE" in open(lab.dnsmasq_log).read()
        assert rc == 0 and [e for e, _ in ev] == ["deconfig", "bound"], log
        assert ev[-1][1]["ip"] != ip, log
        lab.ns.ip("-4", "addr", "flush", "dev", "veth0")
        got[who] = norm(ev)
        fs = firsts(cap.sent(m))
        assert kinds(fs) == ["DISCOVER", "REQUEST", "DECLINE", "DISCOVER",
                             "REQUEST"], log
        assert opt(fs[2], 50) == bytes(map(int, ip.split("."))).hex()
        wait[who] = fs[3]["t"] - fs[2]["t"]
        sent[who] = fs[2:3]
    assert got["ours"] == got["busybox"]
    same_wire(sent["busybox"], sent["ours"], what=sent)
    assert wait["busybox"] < 10 <= wait["ours"], wait


def arp_frames(frames, mac):
    """[(time, op, sender ip, target ip)] of the ARP frames from @mac."""
    return [(f["t"], f["arp"]["op"], f["arp"]["spa"], f["arp"]["tpa"])
            for f in frames if "arp" in f and f["eth_src"] == mac]


def test_arp_probe_then_announce(lab):
    """-a with the address free: RFC 5227 probes (sender IP 0), then once
    bound two announcements (sender = target = the address) at least 2 s
    apart, sent from the event loop: a USR1 that the `bound` script sends
    (pending when the script returns) is served at once, its renew
    REQUEST on the wire before the second announcement.

    Intended difference: udhcpc sends one probe and never announces
    (RFC 5227 2.3 says a host MUST announce after probing): both run at
    once on two macvlans until ours' second announcement, so udhcpc had
    as long to announce."""
    cap = lab.sniff()
    lab.dnsmasq()
    lab.helper("arpresp.py", "veth1", "10.77.0.250")
    ifs = dict(zip(("busybox", "ours"), lab.pair()))
    run = {}
    for who in ("busybox", "ours"):
        p, rec, log = lab.client(who, "-f", "-a300", *QUICK, ifname=ifs[who],
                                 env=["REC_USR1=bound"])
        ev = wait_event(rec, "renew")
        assert [e for e, _ in ev] == ["deconfig", "bound", "renew"], \
            open(log).read()
        run[who] = (p, ev[1][1]["ip"], lab.mac(ifs[who]), log)
    _, ip, mac, log = run["ours"]
    cap.wait(lambda f: "arp" in f and f["eth_src"] == mac and
             f["arp"]["spa"] == f["arp"]["tpa"] == ip, n=2,
             what="ours' second announcement")
    for p, *_ in run.values():
        assert stop(p) == 0
    frames = cap.frames()
    got = {}
    for who, (_, ip_, mac_, _) in run.items():
        arp = [f for f in arp_frames(frames, mac_) if ip_ in f[2:]]
        got[who] = ([f for f in arp if f[1] == 1 and f[2] == "0.0.0.0"],
                    [f for f in arp if f[1] == 1 and f[2] == f[3] == ip_])
    probes, ann = got["ours"]
    assert len(probes) == 3 and all(f[3] == ip for f in probes), got
    assert len(ann) == 2 and ann[0][0] > probes[-1][0], got
    assert ann[1][0] - ann[0][0] >= 1.9, ann  # ANNOUNCE_INTERVAL, a minimum
    renew = [f for f in frames if f.get("type") == 3 and
             f["eth_src"] == mac and f["dhcp"]["ciaddr"] == ip]
    assert renew and renew[0]["t"] < ann[1][0], open(log).read()
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
                          timeout=90)
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
    INIT-REBOOT REQUEST (RFC 2131 3.2, as dhcpcd and RFC 4436 do: a
    broadcast with option 50, no 54, no ciaddr), which gives a `renew`
    with the same address and environment.  No script runs for the link
    going down: ours logs it, and its next event is that `renew`.

    Intended difference: udhcpc 1.35 does not follow the carrier, so it
    runs no script at all for the flap (and would notice a new network
    only at its next renew).  Both run at once on two macvlans over
    veth0, whose flap they both see; udhcpc is stopped once ours has
    verified its lease, so it had as long to react."""
    cap = lab.sniff()
    lab.dnsmasq()
    ifs = dict(zip(("busybox", "ours"), lab.pair()))
    run = {}
    for who in ("busybox", "ours"):
        p, rec, log = lab.client(who, "-f", *QUICK, ifname=ifs[who])
        wait_event(rec, "bound")
        run[who] = (p, rec, log)
    m = cap.mark()
    lab.ns.ip("link", "set", "veth0", "down")
    in_log(run["ours"][2], "dho: link down")
    lab.ns.ip("link", "set", "veth0", "up")
    wait_event(run["ours"][1], "renew")
    for p, *_ in run.values():
        assert stop(p) == 0
    got = {who: norm(events(rec)) for who, (_, rec, _) in run.items()}
    log = open(run["ours"][2]).read()
    assert [e for e, _ in got["busybox"]] == ["deconfig", "bound"]
    assert [e for e, _ in got["ours"]] == ["deconfig", "bound", "renew"], log
    assert log.index("link down") < log.index("link up")
    for who in got:  # the same but for the interface and its address
        for _, env in got[who]:
            env.pop("interface"), env.pop("ip", None)
    assert got["ours"][:2] == got["busybox"]
    assert got["ours"][2][1] == got["ours"][1][1]
    ip = events(run["ours"][1])[2][1]["ip"]
    sent = firsts(cap.sent(m, mac=lab.mac("dho")))
    assert kinds(sent) == ["REQUEST"], log
    assert sent[0]["eth_dst"] == "ffffffffffff" and \
        sent[0]["dhcp"]["ciaddr"] == "0.0.0.0" and opt(sent[0], 54) is None
    assert opt(sent[0], 50) == bytes(map(int, ip.split("."))).hex()
    assert cap.sent(m, mac=lab.mac("dhb")) == []


@pytest.mark.parametrize("server", ["dnsmasq", "kea"])
def test_moving_network(lab, server):
    """The cable moves to another network while the client is bound on
    network A (10.77.0.0/24): A's server gone, network B (10.88.0.0/24,
    an authoritative server) behind the same cable, link down and up.  B's server NAKs the INIT-REBOOT REQUEST for A's address; the
    REQUEST named no server, so that NAK counts (RFC 2131 3.2, 4.3.2):
    `nak`, `deconfig`, then a lease on B, not A's address kept until its
    lease runs out.

    Intended difference: udhcpc 1.35 does not follow the carrier, and
    ignores a NAK whose server ID is not its server's in every state."""
    if server == "kea" and not os.path.exists("/usr/sbin/kea-dhcp4"):
        pytest.skip("kea-dhcp4 missing")
    a = getattr(lab, server)()
    p, rec, log = lab.client("ours", "-f", *QUICK)
    wait_event(rec, "bound")
    # B replaces A behind the cable (Kea opens no socket on a link
    # without carrier), then the cable goes out and comes back.
    lab.stop(a)
    lab.srun("ip", "addr", "flush", "dev", "veth1")
    lab.srun("ip", "addr", "add", "10.88.0.1/24", "dev", "veth1")
    if server == "kea":
        lab.kea(net="10.88.0", name="kea-b", authoritative=True)
    else:
        lab.dnsmasq("--dhcp-authoritative", net="10.88.0", name="dnsmasq-b")
    lab.ns.ip("link", "set", "veth0", "down")
    in_log(log, "veth0: link down")
    lab.ns.ip("link", "set", "veth0", "up")
    wait_event(rec, "bound", n=2)
    assert stop(p) == 0
    ev = events(rec)
    text = open(log).read()
    assert [e for e, _ in ev] == ["deconfig", "bound", "nak", "deconfig",
                                  "bound"], text
    assert ev[1][1]["ip"].startswith("10.77.0."), ev[1]
    assert ev[4][1]["ip"].startswith("10.88.0."), ev[4]
    assert ev[4][1]["serverid"] == "10.88.0.1" and \
        ev[4][1]["router"] == "10.88.0.1", ev[4]
    assert "ignoring NAK" not in text, text
    addrs = [a["local"] for i in lab.ns.ip_json("addr", "show", "veth0")
             for a in i.get("addr_info", []) if a["family"] == "inet"]
    assert addrs == [ev[4][1]["ip"]], addrs


# T1 5 s and T2 10 s (options 58/59) on a 30 s lease from udhcpd
SHORT = "opt 0x3a 00000005\nopt 0x3b 0000000a\n"


def side_by_side(lab, *args):
    """busybox udhcpc on macvlan dhb, then ours on dho, both bound;
    returns {who: (Popen, rec, log, MAC)}."""
    ifs = dict(zip(("busybox", "ours"), lab.pair()))
    got = {}
    for who in ("busybox", "ours"):
        p, rec, log = lab.client(who, "-f", *COLD, *args, ifname=ifs[who])
        assert [e for e, _ in wait_event(rec, "bound")] == \
            ["deconfig", "bound"], open(log).read()
        got[who] = (p, rec, log, lab.mac(ifs[who]))
    return got


def until_all(got, name, n, timeout):
    """Waits until every client ran its @n-th @name event, then stops
    them all."""
    for _, rec, _, _ in got.values():
        wait_event(rec, name, n=n, timeout=timeout)
    for p, *_ in got.values():
        stop(p)


def no_addr(evs):
    return [(e, {k: v for k, v in env.items() if k not in ("ip", "interface")})
            for e, env in norm(evs)]


def leased_at(frames):
    """The kernel's timestamp of the client's first REQUEST: its lease
    runs from no earlier."""
    reqs = [f for f in frames if f.get("type") == 3]
    return reqs[0]["t"]


def test_rebind_to_second_server(lab):
    """Server A (udhcpd, 10.77.0.1: 30 s lease, T1 5 s, T2 10 s) vanishes
    once both clients are bound; server B (dnsmasq --dhcp-authoritative,
    10.77.0.2) answers the REBINDING broadcast.  Both keep their address
    and move to B with a `renew` carrying B's server id and options, the
    same in both clients.

    Intended difference: ours follows RFC 2131 4.4.5: unicast renew at T1
    (option 58), broadcast rebind at T2 (option 59).  udhcpc ignores
    58/59: it renews at lease/2 (15 s) and, with at most 30 s left,
    broadcasts at once after its one unanswered renew (it only rebinds in
    the last 30 s of a lease).  On the wire (kernel timestamps): ours'
    renew no earlier than T1 and its rebind no earlier than T2 after its
    REQUEST, udhcpc's renew no earlier than lease/2 after its own; and
    ours' rebind before udhcpc's first renew (ours was bound after it)."""
    cap = lab.sniff()
    a = lab.udhcpd(lease=30, extra=SHORT)
    got = side_by_side(lab)
    lab.stop(a)
    lab.srun("ip", "addr", "del", SRV_IP + "/24", "dev", "veth1")
    lab.srun("ip", "addr", "add", "10.77.0.2/24", "dev", "veth1")
    lab.dnsmasq("--dhcp-authoritative")
    until_all(got, "renew", 1, timeout=60)
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
    frames = cap.frames()
    t0, renew, rebind = {}, {}, {}
    for who, (_, _, _, mac) in got.items():
        t0[who] = leased_at(cap.sent(mac=mac))
        # A's address is gone: a unicast renew to it gets no further than
        # the kernel's ARP request for it, which is on the wire
        renew[who] = [f["t"] for f in frames if "arp" in f and
                      f["eth_src"] == mac and f["arp"]["tpa"] == SRV_IP and
                      f["arp"]["op"] == 1]
        rebind[who] = [f["t"] for f in cap.sent(mac=mac) if
                       f["dhcp"]["ciaddr"] != "0.0.0.0" and
                       f["eth_dst"] == "ffffffffffff"]
    assert renew["ours"] and rebind["ours"], (renew, rebind, log)
    assert renew["ours"][0] < rebind["ours"][0], (renew, rebind)
    assert renew["ours"][0] - t0["ours"] >= 5, (t0, renew)
    assert rebind["ours"][0] - t0["ours"] >= 10, (t0, rebind)
    assert renew["busybox"][0] - t0["busybox"] >= 15, (t0, renew)
    assert renew["busybox"][0] < rebind["busybox"][0], (renew, rebind)
    assert rebind["ours"][0] < renew["busybox"][0], (rebind, renew)


def test_lease_expiry_deconfig(lab):
    """Server A (udhcpd, 30 s lease) vanishes for good: both clients renew,
    rebind, then run `deconfig` and go back to INIT.

    Intended difference: ours keeps the address until the lease expires
    (RFC 2131 4.4.5), 30 s after its REQUEST at the earliest (the
    kernel's timestamp on the wire, the script's clock), and sends no
    DISCOVER before; udhcpc gives it up after its last rebind broadcast,
    ~17 s into a 30 s lease: before ours, which was bound after it."""
    cap = lab.sniff()
    a = lab.udhcpd(lease=30)
    got = side_by_side(lab)
    lab.stop(a)
    until_all(got, "deconfig", 2, timeout=60)
    ev = {who: norm(events(got[who][1]))[:3] for who in got}
    log = open(got["ours"][2]).read()
    for who in got:
        assert [e for e, _ in ev[who]] == ["deconfig", "bound", "deconfig"], \
            open(got[who][2]).read()
    assert no_addr(ev["ours"]) == no_addr(ev["busybox"])
    assert "sending renew" in log and "sending rebind" in log, log
    assert "lease lost" in log, log
    lost = {who: [t for e, t in event_times(got[who][1])
                  if e == "deconfig"][1] for who in got}
    sent = cap.sent(mac=got["ours"][3])
    t0 = leased_at(sent)
    assert lost["ours"] - t0 >= 30, (t0, lost)
    assert all(f["t"] - t0 >= 30 for f in sent
               if f["type"] == 1 and f["t"] > t0), log
    assert lost["busybox"] < lost["ours"], lost

"""dhcpc6 against dnsmasq's DHCPv6 (stateful and stateless) and against
fakesrv6.py, a scripted server for what real servers do not send.

Debian has no udhcpc6 to run beside ours: the events and variables are
checked against udhcpc6's source (names, the full address form of its
sprint_nip6()), and the wire against dnsmasq's log.  Nothing here is
timed: each test waits for the event it needs under a deadline that only
ends a hang."""
import ipaddress
import os
import signal
import sys

import pytest

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "dhcpc6"))
sys.path.insert(0, os.path.join(os.path.dirname(__file__), "dhcpc"))
pytest.register_assert_rewrite("lab6")
from lab import events, in_log, stop, until, wait_event  # noqa: E402
from lab6 import QUICK, lab6  # noqa: E402,F401

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__))))
SCRIPT6 = os.path.join(ROOT, "etc", "udhcpc", "default6.script")


def full(a):
    """udhcpc6's form of an address: eight groups of four digits."""
    return ipaddress.IPv6Address(a).exploded


def in_pool(a):
    return ipaddress.IPv6Address("fd00:77::100") <= \
        ipaddress.IPv6Address(a) <= ipaddress.IPv6Address("fd00:77::1ff")


def test_stateful_dnsmasq(lab6):
    """Solicit, Advertise, Request, Reply: bound with udhcpc6's variables;
    the DUID file made on the first run keeps the lease on the second."""
    lab6.dnsmasq6()
    rc, ev, log = lab6.run6("-f", "-q", *QUICK, "-O", "ntpsrv")
    assert rc == 0, log
    assert [e for e, _ in ev] == ["deconfig", "bound"], log
    env = ev[1][1]
    assert env["ipv6"] == full(env["ipv6"]) and in_pool(env["ipv6"]), env
    assert env["lease"] == "120" and env["ipv6_preferred"] == "120", env
    assert env["dns"] == f"{full('fd00:77::53')} {full('fd00:77::54')}", env
    assert env["search"] == "a.test b.lab.test", env
    assert env["ntpsrv"] == full("fd00:77::123"), env
    assert "message" not in env and "ipv6prefix" not in env, env
    duid = open(lab6.duid).read()
    mac = lab6.mac()
    assert duid.replace(":", "").strip() == "00030001" + mac, duid
    assert "DHCPSOLICIT" in open(lab6.dnsmasq_log).read()
    rc, ev2, log = lab6.run6("-f", "-q", *QUICK, name="again")
    assert rc == 0 and ev2[-1][1]["ipv6"] == env["ipv6"], log
    assert open(lab6.duid).read() == duid


def test_script_configures_and_release(lab6, tmp_path):
    """default6.script puts the address on veth0 with the lease's
    lifetimes and writes resolv.conf; -R and SIGTERM send a Release
    (dnsmasq logs it) and the deconfig takes the address off again."""
    lab6.dnsmasq6()
    resolv = tmp_path / "resolv.conf"
    resolv.write_text("nameserver 10.0.0.1\n")
    env = [f"RESOLV_CONF={resolv}", f"UDHCPC_STATE_DIR={tmp_path}/st"]
    p, rec, log = lab6.client6("-f", "-R", *QUICK, script=SCRIPT6, env=env)
    addrs = until(lambda: [a for i in lab6.ns.ip_json(
        "-6", "addr", "show", "dev", "veth0", "scope", "global")
        for a in i.get("addr_info", [])], 30, "address on veth0")
    a = addrs[0]
    assert in_pool(a["local"]) and a["prefixlen"] == 128, addrs
    assert 0 < a["valid_life_time"] <= 120, a
    assert 0 < a["preferred_life_time"] <= 120, a
    text = resolv.read_text()
    assert "nameserver 10.0.0.1\n# udhcpc6:veth0 begin\n" \
        "search a.test b.lab.test\n" in text, text
    assert f"nameserver {full('fd00:77::53')}\n" in text, text
    assert stop(p) == 0, open(log).read()
    in_log(lab6.dnsmasq_log, "DHCPRELEASE")
    assert not [a for i in lab6.ns.ip_json("-6", "addr", "show", "dev",
                                           "veth0", "scope", "global")
                for a in i.get("addr_info", [])]
    assert resolv.read_text() == "nameserver 10.0.0.1\n"


def test_renew_usr1(lab6):
    """SIGUSR1 renews (dnsmasq logs a Renew); the address stays, the
    event is renew; SIGUSR2 releases: deconfig."""
    lab6.dnsmasq6()
    p, rec, log = lab6.client6("-f", *QUICK)
    ev = wait_event(rec, "bound")
    p.send_signal(signal.SIGUSR1)
    ev = wait_event(rec, "renew")
    assert ev[-1][1]["ipv6"] == ev[1][1]["ipv6"], ev
    assert "DHCPRENEW" in open(lab6.dnsmasq_log).read()
    p.send_signal(signal.SIGUSR2)
    wait_event(rec, "deconfig", n=2)
    in_log(lab6.dnsmasq_log, "DHCPRELEASE")
    assert stop(p) == 0


def test_stateless_dnsmasq(lab6):
    """-l: an Information-request; bound with dns and search, no
    address."""
    lab6.dnsmasq6(rng="fd00:77::,ra-stateless")
    rc, ev, log = lab6.run6("-f", "-q", "-l", *QUICK)
    assert rc == 0, log
    assert [e for e, _ in ev] == ["deconfig", "bound"], log
    env = ev[1][1]
    assert "ipv6" not in env and "lease" not in env, env
    assert env["search"] == "a.test b.lab.test", env
    assert env["dns"].split()[0] == full("fd00:77::53"), env
    assert "DHCPINFORMATION-REQUEST" in open(lab6.dnsmasq_log).read()


def test_leasefail_exit(lab6):
    """No server: -n gives leasefail after -t Solicits and exit 1."""
    rc, ev, log = lab6.run6("-f", "-n", "-t", "2", "-T", "1")
    assert rc == 1, log
    assert [e for e, _ in ev] == ["deconfig", "leasefail"], log


def kea(lab6):
    if not os.path.exists("/usr/sbin/kea-dhcp6"):
        pytest.skip("kea-dhcp6 missing")
    lab6.kea6()


def test_kea_address_and_prefix(lab6, tmp_path):
    """-d against Kea: an address and a delegated /56 with Kea's
    lifetimes; default6.script records the prefix for hooks; USR1 renews
    both."""
    kea(lab6)
    env = [f"RESOLV_CONF={tmp_path}/resolv.conf",
           f"UDHCPC_STATE_DIR={tmp_path}/st"]
    rc, ev, log = lab6.run6("-f", "-q", "-d", *QUICK)
    assert rc == 0, log
    assert [e for e, _ in ev] == ["deconfig", "bound"], log
    e = ev[1][1]
    assert ipaddress.IPv6Address(e["ipv6"]) in \
        ipaddress.IPv6Network("fd00:77::200/120"), e
    pfx = ipaddress.IPv6Network(e["ipv6prefix"])
    assert pfx.prefixlen == 56 and pfx.subnet_of(
        ipaddress.IPv6Network("fd00:99::/48")), e
    assert e["ipv6prefix"] == full(str(pfx.network_address)) + "/56", e
    assert (e["lease"], e["ipv6_preferred"]) == ("120", "90"), e
    assert (e["ipv6prefix_lease"], e["ipv6prefix_preferred"]) == \
        ("120", "90"), e
    assert e["dns"] == full("fd00:77::53"), e
    p, rec, log = lab6.client6("-f", "-d", *QUICK, script=SCRIPT6, env=env,
                               name="kea-script")
    until(lambda: os.path.exists(f"{tmp_path}/st/veth0.prefix6"), 30,
          "prefix recorded")
    rec_pfx = open(f"{tmp_path}/st/veth0.prefix6").read().split()
    assert rec_pfx[1:] == ["120", "90"], rec_pfx
    assert ipaddress.IPv6Network(rec_pfx[0]).prefixlen == 56, rec_pfx
    assert stop(p) == 0


def test_kea_prefix_only_renew(lab6):
    """-r no -d: a prefix and no address (a router's uplink); a Renew
    keeps the same prefix."""
    kea(lab6)
    p, rec, log = lab6.client6("-f", "-r", "no", "-d", *QUICK)
    ev = wait_event(rec, "bound")
    assert "ipv6" not in ev[-1][1] and "ipv6prefix" in ev[-1][1], ev
    p.send_signal(signal.SIGUSR1)
    ev = wait_event(rec, "renew")
    assert ev[-1][1]["ipv6prefix"] == ev[1][1]["ipv6prefix"], ev
    assert stop(p) == 0


def flap(lab6):
    """Carrier off and on again on the client's side (a cable pulled)."""
    lab6.ns.ip("link", "set", "veth0", "down")
    lab6.ns.ip("link", "set", "veth0", "up")


def test_confirm_after_link_flap(lab6):
    """Carrier back after a loss: a Confirm (RFC 8415 18.2.12), which
    dnsmasq answers Success; the lease is kept, no event runs."""
    lab6.dnsmasq6()
    p, rec, log = lab6.client6("-f", *QUICK)
    wait_event(rec, "bound")
    flap(lab6)
    in_log(lab6.dnsmasq_log, "DHCPCONFIRM")
    in_log(lab6.dnsmasq_log, "DHCPREPLY(veth1) ", timeout=30)
    assert stop(p) == 0
    assert [e for e, _ in events(rec)] == ["deconfig", "bound"]


# ---- the scripted server -------------------------------------------------
def test_bad_lengths_skipped(lab6):
    """A DNS option of 17 bytes, a 2-byte preference and a 1-byte status
    are skipped; the rest of the Reply is used."""
    lab6.fake6("badlen")
    rc, ev, log = lab6.run6("-f", "-q", *QUICK)
    assert rc == 0, log
    env = ev[-1][1]
    assert ev[-1][0] == "bound" and "dns" not in env, ev
    assert env["ipv6"] == full("fd00:77::60") and env["lease"] == "90", env
    assert env["search"] == "lab.test", env


def test_control_bytes_never_reach_script(lab6):
    """Names with a newline or a control byte are left out of search; a
    string option with an escape sequence is dropped; shell text in one
    is passed as data."""
    lab6.fake6("ctrl")
    rc, ev, log = lab6.run6("-f", "-q", *QUICK)
    assert rc == 0, log
    env = ev[-1][1]
    assert env["search"] == "ok.test", env
    assert "tz" not in env, env
    assert env["bootfile_url"] == "tftp://x/$(id)`id`", env
    raw = open(lab6.tmp + "/ours6.rec.0", "rb").read()
    assert not any(b < 0x20 and b not in (0,) for b in raw), raw


def test_compressed_names_refused(lab6):
    """RFC 8415 10: no compression in DHCPv6; a pointer drops search."""
    lab6.fake6("compress")
    rc, ev, log = lab6.run6("-f", "-q", *QUICK)
    assert rc == 0 and "search" not in ev[-1][1], (ev, log)


@pytest.mark.parametrize("case", ["zerolife", "prefgtvalid"])
def test_unusable_advertise_ignored(lab6, case):
    """An Advertise whose only address has valid lifetime 0, or a
    preferred lifetime above the valid one, offers nothing (RFC 8415
    18.2.9, 21.6): leasefail."""
    lab6.fake6(case)
    rc, ev, log = lab6.run6("-f", "-n", "-t", "2", "-T", "1")
    assert rc == 1, log
    assert [e for e, _ in ev] == ["deconfig", "leasefail"], log
    assert "REQUEST" not in lab6.received()


def test_t1_above_t2_discarded(lab6):
    """RFC 8415 21.4: an IA_NA with T1 > T2 is discarded, so the Reply
    binds nothing: nak, never bound, and Solicit again."""
    lab6.fake6("t1gtt2")
    p, rec, log = lab6.client6("-f", *QUICK)
    wait_event(rec, "nak")
    until(lambda: lab6.received().count("SOLICIT") >= 2, 30,
          "a second Solicit")
    assert stop(p) == 0
    assert "bound" not in [e for e, _ in events(rec)]


def test_not_on_link(lab6):
    """NotOnLink in the IA of the Reply to a Request: nak, then the
    client starts over with a Solicit (RFC 8415 18.2.10.1)."""
    lab6.fake6("notonlink")
    p, rec, log = lab6.client6("-f", *QUICK)
    wait_event(rec, "nak")
    until(lambda: lab6.received()[:3] == ["SOLICIT", "REQUEST", "SOLICIT"],
          30, "Solicit after NotOnLink")
    assert stop(p) == 0
    assert "bound" not in [e for e, _ in events(rec)]


def test_no_binding_requests_again(lab6):
    """NoBinding in the Reply to a Renew: the client sends a Request
    (RFC 8415 18.2.10.1) and is renewed by its Reply."""
    lab6.fake6("nobinding")
    p, rec, log = lab6.client6("-f", *QUICK)
    wait_event(rec, "bound")
    p.send_signal(signal.SIGUSR1)
    wait_event(rec, "renew")
    assert lab6.received()[:4] == ["SOLICIT", "REQUEST", "RENEW", "REQUEST"]
    assert stop(p) == 0


def test_best_preference_chosen(lab6):
    """Two Advertises in the first RT: the Request goes to the one of
    higher preference although it came second (RFC 8415 18.2.9)."""
    lab6.fake6("pref")
    rc, ev, log = lab6.run6("-f", "-q", *QUICK)
    assert rc == 0, log
    got = [l.split() for l in open(lab6.fake_log).read().splitlines()
           if l.startswith("got REQUEST")]
    assert got and got[0][3] == "000300010200000000bb", got


def test_rapid_commit(lab6):
    """--rapid-commit: a Reply to the Solicit binds; no Request."""
    lab6.fake6("rapid")
    rc, ev, log = lab6.run6("-f", "-q", "--rapid-commit", *QUICK)
    assert rc == 0 and ev[-1][0] == "bound", log
    assert lab6.received() == ["SOLICIT"]


def test_unicast_renew(lab6):
    """With the server's UNICAST option the Renew goes to that address
    (the Request always to ff02::1:2, RFC 8415 18.2.2)."""
    lab6.fake6("unicast")
    lab6.ns.ip("-6", "addr", "add", "fd00:77::99/64", "dev", "veth0",
               "nodad")
    p, rec, log = lab6.client6("-f", *QUICK)
    wait_event(rec, "bound")
    p.send_signal(signal.SIGUSR1)
    wait_event(rec, "renew")
    got = [l.split() for l in open(lab6.fake_log).read().splitlines()
           if l.startswith("got ")]
    assert ["got", "REQUEST", "ff02::1:2"] == got[1][:3], got
    assert ["got", "RENEW", "fd00:77::1"] == got[2][:3], got
    assert stop(p) == 0


def test_confirm_not_on_link(lab6):
    """NotOnLink in the Reply to a Confirm: the addresses belong to
    another link; deconfig and Solicit again (RFC 8415 18.2.10.2)."""
    lab6.fake6("confirm_notonlink")
    p, rec, log = lab6.client6("-f", *QUICK)
    wait_event(rec, "bound")
    flap(lab6)
    wait_event(rec, "deconfig", n=2)
    until(lambda: lab6.received().count("SOLICIT") >= 2, 30,
          "Solicit after NotOnLink")
    assert "CONFIRM" in lab6.received()
    assert stop(p) == 0


def test_rebind_after_server_gone(lab6):
    """The server stops answering Renews: at T2 the client Rebinds to
    all servers (no server identifier), and the Reply renews the lease.
    T1 2 s is raised to half the 8 s lease (as dhcpc's floor)."""
    lab6.fake6("rebind")
    p, rec, log = lab6.client6("-f", *QUICK)
    wait_event(rec, "renew")
    got = [l.split() for l in open(lab6.fake_log).read().splitlines()
           if l.startswith("got ")]
    kinds = [g[1] for g in got]
    assert kinds[:3] == ["SOLICIT", "REQUEST", "RENEW"], got
    rebind = got[kinds.index("REBIND")]
    assert rebind[2] == "ff02::1:2" and rebind[3] == "-", got
    assert stop(p) == 0


def test_decline_on_dad_failure(lab6, tmp_path):
    """The address given is in use on the link: the kernel's DAD fails
    on the address default6.script added, and the client Declines it
    (RFC 8415 18.2.8), deconfigs and Solicits again."""
    lab6.fake6("plain")
    lab6.srun("ip", "-6", "addr", "add", "fd00:77::60/64", "dev", "veth1",
              "nodad")
    env = [f"RESOLV_CONF={tmp_path}/resolv.conf",
           f"UDHCPC_STATE_DIR={tmp_path}/st"]
    p, rec, log = lab6.client6("-f", *QUICK, script=SCRIPT6, env=env)
    until(lambda: "DECLINE" in lab6.received(), 30, "a Decline")
    got = [l.split() for l in open(lab6.fake_log).read().splitlines()
           if l.startswith("got DECLINE")]
    assert got[0][3] == "000300010200000000aa", got
    until(lambda: lab6.received().count("SOLICIT") >= 2, 30,
          "Solicit after the Decline")
    assert stop(p) == 0


def sent(lab6, kind):
    """The fields fakesrv6.py logged for each @kind message received."""
    out = []
    for line in open(lab6.fake_log).read().splitlines():
        w = line.split()
        if w[:2] == ["got", kind]:
            out.append(dict(x.split("=", 1) for x in w[4:]))
    return out


def test_requested_and_extra_options(lab6):
    """udhcpc6's ORO: dns and search by default (plus SOL_MAX_RT, which
    RFC 8415 18.2.1 requires); -o drops the defaults wherever it stands,
    -O adds by name or number, -x sends an option (a number: hex bytes;
    a name: text)."""
    lab6.fake6("plain")
    rc, ev, log = lab6.run6("-f", "-q", *QUICK)
    assert rc == 0, log
    assert sent(lab6, "SOLICIT")[0] == {"oro": "23,24,82", "opts": ""}
    rc, ev, log = lab6.run6("-f", "-q", "-O", "ntpsrv", "-O", "41", "-o",
                            "-x", "0x10:0a0b", "-x", "tz:EST5", *QUICK,
                            name="o")
    assert rc == 0, log
    assert sent(lab6, "REQUEST")[1] == {"oro": "56,41,82",
                                        "opts": "16:0a0b,41:45535435"}


def test_background_pidfile(lab6, tmp_path):
    """-b: after leasefail the client forks; the parent exits 0 and the
    pid file names the child, which a TERM ends (ifdown's way)."""
    pid = tmp_path / "dhcpc6.pid"
    rc, ev, log = lab6.run6("-b", "-p", str(pid), "-t", "1", "-T", "1")
    assert rc == 0, log
    child = int(pid.read_text())
    assert os.path.exists(f"/proc/{child}"), log
    os.kill(child, signal.SIGTERM)
    until(lambda: not pid.exists(), 30, "the child gone")
    assert [e for e, _ in events(lab6.tmp + "/ours6.rec")] == \
        ["deconfig", "leasefail"]

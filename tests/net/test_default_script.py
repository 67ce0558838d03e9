"""etc/udhcpc/default.script under busybox sh (as in the guest) and under
dash (Debian's /bin/sh), with busybox's ip and other applets.

Each event is run in a namespace holding veth0 (its peer up, so routes via
on-link gateways are accepted); results are read back with iproute2's ip -j.
`logger` is a stand-in that records its arguments, one line per call.

Beyond udhcpc's own examples (which echo the values into resolv.conf and
leave the MTU set): hostile values stay data, resolv.conf blocks are
matched to their interface exactly and carry no tag a resolver could
read, an MTU below 576 is ignored and the MTU from before the lease comes
back at deconfig."""
import os
import re
import shutil
import subprocess

import pytest

from conftest import ROOT

SCRIPT = os.path.join(ROOT, "etc", "udhcpc", "default.script")
APPLETS = ["sh", "ip", "sed", "grep", "cut", "mv", "cat", "tr", "rm", "ls",
           "basename", "mkdir"]


@pytest.fixture
def bbpath(tmp_path):
    bb = shutil.which("busybox")
    if not bb:
        pytest.skip("busybox missing")
    d = tmp_path / "bin"
    d.mkdir()
    for a in APPLETS:
        os.symlink(bb, d / a)
    logger = d / "logger"
    logger.write_text("#!/bin/sh\n{ for a; do printf '[%s]' \"$a\"; done; "
                      f"echo; }}>>'{tmp_path}/log'\n")
    logger.chmod(0o755)
    return str(d)


@pytest.fixture(params=["busybox", "dash"])
def shell(request, bbpath):
    """The shell to run the script with: busybox sh or dash."""
    if request.param == "busybox":
        return os.path.join(bbpath, "sh")
    dash = shutil.which("dash")
    if not dash:
        pytest.skip("dash missing")
    return dash


@pytest.fixture
def lease_ns(ns):
    ns.ip("link", "set", "veth0", "up")
    ns.ip("link", "set", "veth1", "up")
    return ns


class Runner:
    def __init__(self, ns, bbpath, shell, tmp):
        self.ns, self.bbpath, self.shell, self.tmp = ns, bbpath, shell, tmp
        self.resolv = tmp / "resolv.conf"
        self.state = tmp / "run"

    def __call__(self, ev, interface="veth0", **env):
        base = {"PATH": self.bbpath, "interface": interface,
                "RESOLV_CONF": str(self.resolv),
                "UDHCPC_STATE_DIR": str(self.state)}
        base.update(env)
        r = self.ns.run("env", "-i", "-C", str(self.tmp),
                        *[f"{k}={v}" for k, v in base.items()],
                        self.shell, SCRIPT, ev)
        assert r.returncode == 0, r.stderr
        return r

    def log(self):
        """The stand-in logger's lines; None under busybox sh, which runs
        its own logger applet whatever PATH says (Debian's busybox prefers
        its applets): the script's logging is checked under dash."""
        if self.shell.endswith("/sh"):
            return None
        p = self.tmp / "log"
        return p.read_text().splitlines() if p.exists() else []


@pytest.fixture
def event(lease_ns, bbpath, shell, tmp_path):
    return Runner(lease_ns, bbpath, shell, tmp_path)


def addrs(ns):
    return [(a["local"], a["prefixlen"], a.get("broadcast"))
            for i in ns.ip_json("-4", "addr", "show", "dev", "veth0")
            for a in i["addr_info"]]


def routes(ns):
    return {(r["dst"], r.get("gateway"), r.get("metric", 0))
            for r in ns.ip_json("-4", "route", "show", "dev", "veth0")
            if r.get("protocol") != "kernel"}


def mtu(ns, dev="veth0"):
    return ns.ip_json("link", "show", "dev", dev)[0]["mtu"]


def block(text, iface="veth0"):
    """The lines of @iface's block in resolv.conf @text, or None."""
    lines = text.splitlines()
    begin, end = f"# udhcpc:{iface} begin", f"# udhcpc:{iface} end"
    if lines.count(begin) != 1:
        assert begin not in lines, text
        return None
    i = lines.index(begin)
    return lines[i + 1:lines.index(end, i)]


def resolver(text):
    """(nameservers, search domains) as musl's __get_resolv_conf() reads
    resolv.conf (src/network/resolvconf.c): lines of 255 bytes or more
    skipped whole, the first word after "nameserver", and every word of
    the rest of the last "search" or "domain" line, a '#' and what follows
    included.  glibc reads the same words here (res_init.c: a comment only
    starts a line)."""
    ns, search = [], []
    for line in text.splitlines():
        if len(line) >= 255:
            continue
        if re.match(r"nameserver\s", line):
            ns.append(line.split()[1])
        elif re.match(r"(search|domain)\s", line):
            search = line.split()[1:]
    return ns, search


# The resolvers themselves, reading the resolv.conf the script wrote (bind-
# mounted over /etc/resolv.conf in a mount namespace of their own): glibc's
# res_init() search list, and musl's __get_resolv_conf() (hidden, but a
# static link reaches it), whose search string name_from_dns_search()
# splits at blanks.
PROBES = {
    "glibc": (["cc", "-lresolv"], r"""#include <resolv.h>
#include <stdio.h>
int main(void)
{
	res_init();
	for (int i = 0; i < MAXDNSRCH && _res.dnsrch[i]; i++)
		printf("%s ", _res.dnsrch[i]);
	return 0;
}
"""),
    "musl": (["musl-gcc", "-static"], r"""#include <stdio.h>
int __get_resolv_conf(void *conf, char *search, size_t search_sz);
int main(void)
{
	static char conf[4096], search[256];

	if (__get_resolv_conf(conf, search, sizeof(search)))
		return 1;
	printf("%s", search);
	return 0;
}
""")}


@pytest.fixture(scope="module", params=sorted(PROBES))
def probe(request, tmp_path_factory):
    (cc, flag), src = PROBES[request.param]
    if not shutil.which(cc) or not os.path.isfile("/etc/resolv.conf"):
        pytest.skip(f"{cc} or /etc/resolv.conf missing")
    d = tmp_path_factory.mktemp("probe")
    (d / "p.c").write_text(src)
    r = subprocess.run([cc, "-o", str(d / "p"), str(d / "p.c"), flag],
                       capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    return str(d / "p")


def search_read_by(probe, resolv):
    r = subprocess.run(["unshare", "-m", "sh", "-c",
                        'mount --bind "$1" /etc/resolv.conf && exec "$2"',
                        "sh", str(resolv), probe],
                       capture_output=True, text=True, timeout=30)
    assert r.returncode == 0, r.stderr
    return r.stdout.split()


LEASE = dict(ip="192.0.2.10", mask="24", broadcast="192.0.2.255",
             router="192.0.2.1 192.0.2.2", dns="192.0.2.53 192.0.2.54",
             domain="example.test", lease="600")


def test_bound_sets_address_routes_resolv(event):
    ns = event.ns
    event.resolv.write_text("nameserver 203.0.113.9\n# kept\n")
    event("deconfig")
    event("bound", **LEASE)
    assert addrs(ns) == [("192.0.2.10", 24, "192.0.2.255")]
    assert routes(ns) == {("default", "192.0.2.1", 0),
                          ("default", "192.0.2.2", 1)}
    text = event.resolv.read_text()
    assert text.startswith("nameserver 203.0.113.9\n# kept\n")  # kept
    assert block(text) == ["search example.test",
                           "nameserver 192.0.2.53", "nameserver 192.0.2.54"]
    # udhcpc's examples tagged the search line at its end: musl and glibc
    # took "#" and "udhcpc:veth0" for two more domains
    assert resolver(text) == (["203.0.113.9", "192.0.2.53", "192.0.2.54"],
                              ["example.test"])


def test_resolvers_read_only_our_domains(event, probe):
    """No tag on the search line: glibc and musl read the domains only
    (udhcpc's examples' "search a.test # udhcpc:veth0" gave them "#" and
    "udhcpc:veth0" as two more)."""
    event.resolv.write_text("nameserver 203.0.113.9\n")
    event("bound", **dict(LEASE, search="a.test b.test"))
    assert search_read_by(probe, event.resolv) == ["a.test", "b.test"]
    event("deconfig")
    assert search_read_by(probe, event.resolv) == []


def test_staticroutes_win_over_router(event):
    """RFC 3442: with option 121 the router option is ignored."""
    event("bound", **LEASE,
          staticroutes="198.51.100.0/24 192.0.2.7 0.0.0.0/0 192.0.2.9 "
                       "203.0.113.0/25 0.0.0.0")
    assert routes(event.ns) == {("default", "192.0.2.9", 0),
                                ("198.51.100.0/24", "192.0.2.7", 0),
                                ("203.0.113.0/25", None, 0)}


def test_mtu_and_renew_with_new_address(event):
    event("bound", **LEASE, mtu="1400")
    assert mtu(event.ns) == 1400
    renewed = dict(LEASE, ip="192.0.2.11", dns="192.0.2.55",
                   search="a.test b.test")
    event("renew", **renewed, mtu="1400")
    assert addrs(event.ns) == [("192.0.2.11", 24, "192.0.2.255")]
    # search beats domain
    assert block(event.resolv.read_text()) == ["search a.test b.test",
                                               "nameserver 192.0.2.55"]


def test_deconfig_clears_only_ours(event):
    event.resolv.write_text("nameserver 203.0.113.9\n")
    event("bound", **LEASE)
    event("deconfig")
    assert addrs(event.ns) == []
    assert routes(event.ns) == set()
    assert event.resolv.read_text() == "nameserver 203.0.113.9\n"
    assert not [p for p in os.listdir(event.tmp)
                if p.startswith("resolv.conf.")]


@pytest.mark.parametrize("ev", ["leasefail", "nak"])
def test_leasefail_and_nak_change_nothing(event, ev):
    event("bound", **LEASE)
    before = (addrs(event.ns), routes(event.ns), event.resolv.read_text())
    event(ev, message="no offers")
    assert (addrs(event.ns), routes(event.ns),
            event.resolv.read_text()) == before


# Values udhcpc passes on as they come (dhcpc vets them first, but the
# script is udhcpc's too): backslashes (dash's echo turned "\n" into a
# new line and "\c" ended the output), echo's options, quotes, command
# substitutions, globs, printf directives, leading dashes, control bytes,
# a 255-byte name.  search: (value, the domains that must come out).
SEARCH = [
    ("x\\nnameserver 6.6.6.6", ["6.6.6.6"]),
    ("-n", []), ("-e", []), ("-E -n -e", []), ("--", []),
    ("a\\cb.test ok.test", ["ok.test"]),
    ("a\\\\b.test \\x41.test", []),
    ("$(touch PWN) `touch PWN` ;touch PWN", ["PWN"]),
    ("'a.test' \"b.test\" c'.test", []),
    ("* /* ?", []), ("%s%n%d.test %%", []),
    ("-rf.test .dot.test ok-1.test", ["ok-1.test"]),
    ("tab\t1.test\rcr.test", ["tab"]),
    ("nl.test\nnameserver 6.6.6.6", ["nl.test", "nameserver", "6.6.6.6"]),
    ("caf\u00e9.test", []),
    ("a" * 255, []),
    ("b" * 247, ["b" * 247]),  # "search " + 247 = 254: musl's longest line
    ("b" * 248, []),
    ("x.test " + "c" * 246, ["x.test"]),
]


@pytest.mark.parametrize("value,want", SEARCH,
                         ids=[str(i) for i in range(len(SEARCH))])
def test_hostile_search_stays_data(event, value, want):
    event.resolv.write_text("options ndots:1\n")
    pwn = event.tmp / "PWN"
    event("bound", **dict(LEASE, search=value))
    text = event.resolv.read_text()
    assert not pwn.exists()  # the script runs in event.tmp
    assert resolver(text) == (["192.0.2.53", "192.0.2.54"], want), text
    lines = text.splitlines()
    assert lines[0] == "options ndots:1"
    assert block(text) == ([f"search {' '.join(want)}"] if want else []) + \
        ["nameserver 192.0.2.53", "nameserver 192.0.2.54"], text
    assert all(len(line) <= 254 for line in lines)
    words = re.split(r"[ \t\n]+", value.strip(" \t\n"))  # as IFS splits
    bad = len(words) - len(want)
    if event.log() is not None:
        logged = [line for line in event.log() if "left out" in line]
        assert logged == ([f"[-t][udhcpc[veth0]][--][search: {bad} bad or "
                           "surplus name(s) left out]"] if bad else []), logged


def test_hostile_dns_and_message_stay_data(event):
    pwn = event.tmp / "PWN"
    event("bound", **dict(LEASE, search="", domain="-n",
                          dns=f"192.0.2.53 -n \\n6.6.6.6 $(touch {pwn}) "
                              "1.2.3.4;id * 192.0.2.54\nsearch evil"))
    text = event.resolv.read_text()
    assert resolver(text) == (["192.0.2.53", "192.0.2.54"], [])
    assert block(text) == ["nameserver 192.0.2.53", "nameserver 192.0.2.54"]
    msg = f"-n \\c `touch {pwn}` $(touch {pwn}) %s"
    event("nak", message=msg)
    assert not pwn.exists()
    if event.log() is not None:
        assert event.log()[-1] == f"[-t][udhcpc[veth0]][--][nak: {msg}]"


def lines_after(event, ev, interface="veth0", **env):
    """resolv.conf's lines after @ev on @interface (LEASE for veth0, with
    dns 192.0.2.53 and domain zero.test, updated by @env)."""
    if interface == "veth0":
        env = {**LEASE, "dns": "192.0.2.53", "domain": "zero.test", **env}
    event(ev, interface=interface, **env)
    return event.resolv.read_text().splitlines()


def test_resolv_blocks_match_interface_exactly(event):
    """eth0 is not eth0.100 nor eth01: each interface's lines are its own,
    in udhcpc's old one-line tags (" # udhcpc:IF", still removed for the
    interface itself) or in the blocks."""
    ns = event.ns
    ns.ip("link", "add", "veth01", "type", "veth", "peer", "name",
          "veth0.100")
    for d in ("veth01", "veth0.100"):
        ns.ip("link", "set", d, "up")
    event.resolv.write_text("nameserver 203.0.113.9\n"
                            "nameserver 203.0.113.1 # udhcpc:veth0.100\n"
                            "nameserver 203.0.113.2 # udhcpc:veth01\n"
                            "nameserver 203.0.113.3 # udhcpc:veth0\n")
    others = ["nameserver 203.0.113.9"]
    vlan = ["# udhcpc:veth0.100 begin", "search vlan.test",
            "nameserver 198.51.100.53", "# udhcpc:veth0.100 end"]
    one = ["# udhcpc:veth01 begin", "search one.test",
           "nameserver 203.0.113.53", "# udhcpc:veth01 end"]
    zero = ["# udhcpc:veth0 begin", "search zero.test",
            "nameserver 192.0.2.53", "# udhcpc:veth0 end"]
    assert lines_after(event, "bound") == others + [
        "nameserver 203.0.113.1 # udhcpc:veth0.100",
        "nameserver 203.0.113.2 # udhcpc:veth01"] + zero
    assert lines_after(event, "bound", interface="veth0.100",
                       **dict(LEASE, ip="198.51.100.10", router="",
                              dns="198.51.100.53", domain="vlan.test")) == \
        others + ["nameserver 203.0.113.2 # udhcpc:veth01"] + zero + vlan
    assert lines_after(event, "bound", interface="veth01",
                       **dict(LEASE, ip="203.0.113.10", router="",
                              dns="203.0.113.53", domain="one.test")) == \
        others + zero + vlan + one
    zero[2] = "nameserver 192.0.2.54"
    assert lines_after(event, "renew", dns="192.0.2.54") == \
        others + vlan + one + zero
    assert lines_after(event, "deconfig") == others + vlan + one
    event("deconfig", interface="veth0.100")
    assert lines_after(event, "deconfig", interface="veth01") == others


def test_resolv_block_without_end_keeps_the_rest(event):
    """A begin line with no end (an edit by hand): what follows it stays,
    up to the next begin; a stray end stays too."""
    stray = "# udhcpc:veth0 begin\nnameserver 203.0.113.9\n"
    event.resolv.write_text(stray + "# udhcpc:veth0 end\n# udhcpc:veth0 end\n"
                            + stray)
    for _ in range(3):
        event("bound", **LEASE)
        text = event.resolv.read_text()
        assert text.startswith("# udhcpc:veth0 end\n" + stray + "# udhcpc:veth0 begin\n"), text
        assert text.count("# udhcpc:veth0 end") == 2, text


def test_mtu_restored_at_deconfig(event):
    """The MTU from before the lease comes back at deconfig (and when a
    renewal has no MTU); udhcpc's examples leave the lease's set."""
    ns, saved = event.ns, event.state / "veth0.mtu"
    ns.ip("link", "set", "dev", "veth0", "mtu", "1450")
    event("deconfig")
    assert mtu(ns) == 1450 and not saved.exists()
    event("bound", **LEASE, mtu="1400")
    assert mtu(ns) == 1400 and saved.read_text() == "1450\n"
    event("renew", **LEASE, mtu="1300")
    assert mtu(ns) == 1300 and saved.read_text() == "1450\n"
    event("deconfig")
    assert mtu(ns) == 1450 and not saved.exists()
    event("bound", **LEASE, mtu="1400")
    event("renew", **LEASE)
    assert mtu(ns) == 1450 and not saved.exists()
    event("deconfig")
    assert mtu(ns) == 1450


@pytest.mark.parametrize("value", ["575", "68", "0", "1400; reboot",
                                   "-1", "99999999999", "1e3"])
def test_mtu_below_576_or_garbage_ignored(event, value):
    """Option 26 below 576 is ignored, logged once per event (dhcpc leaves
    it out of the environment already; udhcpc passes it on)."""
    ns = event.ns
    ns.ip("link", "set", "dev", "veth0", "mtu", "1450")
    event("bound", **LEASE, mtu=value)
    assert mtu(ns) == 1450
    assert not (event.state / "veth0.mtu").exists()
    if event.log() is not None:
        logged = [line for line in event.log() if "mtu" in line]
        assert len(logged) == 1 and value in logged[0], logged
    event("renew", **LEASE, mtu="576")
    assert mtu(ns) == 576
    event("deconfig")
    assert mtu(ns) == 1450

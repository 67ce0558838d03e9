"""inet ppp, inet/inet6 tunnel and inet6 6to4 on the host.

ppp only runs pon and poff: stubs on the PATH of both (bind-mounted on
/usr/local/sbin) record their arguments and environment, and ours must
match Debian's ifupdown 0.8 call for call, failure included.  The host
kernel has no gre, ipip or sit drivers, so the tunnels themselves are
compared in the guests (tests/qemu/test_links.py, t_links); here: the
steps `-n -v` shows against Debian's, options Debian requires or ip
refuses, and a tunnel the kernel cannot make (one line, nothing left).
"""
import re

import pytest

from test_ifupdown import (kernel_state, run, snapshot, states, tool,
                           world)  # noqa: F401 (world is a fixture)

STUB = """#!/bin/sh
{{ echo "== $(basename "$0") $*"; env | sort; }} >> "{log}"
[ "$1" != bad ]
"""

PPP = """auto p q
iface p inet ppp
\tprovider isp
\tunit 3
\toptions debug nodetach
iface q inet ppp
iface bad inet ppp
\tprovider bad
"""


def stubbed(base, prog):
    """@prog run with the stub pon and poff first on the hooks' PATH."""
    stubs = base / "stubs"
    if not stubs.exists():
        stubs.mkdir()
        for name in ("pon", "poff"):
            (stubs / name).write_text(STUB.format(log=base / "ppp.log"))
            (stubs / name).chmod(0o755)
    return (f"sh -c 'mount --bind {stubs} /usr/local/sbin && "
            f"exec {prog} \"$@\"' x")


@pytest.mark.parametrize("steps", [
    [["ifup", "-a"], ["ifdown", "-a"]],
    [["ifup", "bad"], ["ifup", "q"], ["ifdown", "q"]],
])
def test_ppp_same_as_debian(world, steps):  # noqa: F811
    """Each step's exit status, output, state and the stubs' record of
    their arguments and environment, the same as Debian's."""
    res = {}
    for who in ("ours", "debian"):
        ns, base = world(who, PPP)
        res[who] = []
        for args in steps:
            r = run(ns, base, stubbed(base, tool(who, args[0])), *args[1:])
            log = base / "ppp.log"
            snap = snapshot(ns, base)
            snap.update(rc=r.returncode, stdout=r.stdout, stderr=r.stderr,
                        log=log.read_text() if log.exists() else "")
            res[who].append(snap)
    for i, args in enumerate(steps):
        for key in res["debian"][i]:
            assert res["ours"][i][key] == res["debian"][i][key], \
                (args, key, res["ours"][i][key], res["debian"][i][key])
    log = res["ours"][-1]["log"]
    assert ("== pon isp unit 3 debug nodetach" in log
            or "== pon bad" in log), log


TUN = """iface t4 inet tunnel
\taddress 10.9.0.1
\tnetmask 255.255.255.252
\tmode gre
\tendpoint 192.0.2.2
\tlocal 192.0.2.1
\tttl 64
\tdstaddr 10.9.0.2
\tmtu 1400
\tgateway 10.9.0.2
\tmetric 5
iface t6 inet6 tunnel
\taddress 2001:db8:9::1
\tnetmask 64
\tmode ip6gre
\tendpoint 2001:db8::2
\tlocal 2001:db8::1
\tttl 64
\tencaplimit 4
\tgateway 2001:db8:9::2
iface t46 inet6 tunnel
\taddress 10.8.0.1
\tnetmask 30
\tmode ipip6
\tendpoint 2001:db8::2
\tgateway 10.8.0.2
iface t66 inet6 tunnel
\taddress 2001:db8:9::1/64
\tmode ip6ip6
\tendpoint 2001:db8::2
iface s6 inet6 6to4
\tlocal 192.0.2.1
\tttl 32
\tmtu 1280
\tmetric 7
\tpreferred-lifetime 100
iface nomask inet tunnel
\taddress 10.9.0.1/30
\tmode sit
\tendpoint 192.0.2.2
"""


def steps_text(text):
    """What -n -v shows, in one form: Debian's template spacing and
    blank lines dropped, its ::/0 and 0.0.0.0/0 written default, and
    its modprobe line (net-pf-10 is IPv6, there already) left out."""
    lines = []
    for line in text.splitlines():
        line = re.sub(r"\s+", " ", line).strip()
        line = re.sub(r" (::|0\.0\.0\.0)/0 via", " default via", line)
        line = re.sub(r"^ip -4 route", "ip route", line)
        if line and not line.startswith("modprobe"):
            lines.append(line)
    return lines


@pytest.mark.parametrize("iface", ["t4", "t6", "t46", "t66", "s6", "nomask"])
def test_tunnel_steps_same_as_debian(world, iface):  # noqa: F811
    """ifup -n -v and ifdown -n -v show Debian's steps (and ifquery its
    options, 6to4's computed hexaddress too)."""
    res = {}
    for who in ("ours", "debian"):
        ns, base = world(who, TUN)
        up = run(ns, base, tool(who, "ifup"), "-n", "-v", iface)
        down = run(ns, base, tool(who, "ifdown"), "-f", "-n", "-v", iface)
        query = run(ns, base, tool(who, "ifquery"), iface)
        res[who] = (up.returncode, steps_text(up.stderr),
                    down.returncode, steps_text(down.stderr),
                    query.returncode, query.stdout)
    assert res["ours"] == res["debian"]


T4 = {"address": "10.9.0.1", "netmask": "30", "mode": "gre",
      "endpoint": "192.0.2.2", "local": "192.0.2.1", "ttl": "64",
      "dstaddr": "10.9.0.2", "mtu": "1400"}


@pytest.mark.parametrize("opt,value", [
    ("mode", "vti"), ("endpoint", "192.0.2"), ("local", "2001:db8::1"),
    ("ttl", "256"), ("mtu", "big"), ("dstaddr", "10.9.0.300"),
    ("netmask", "255.0.255.0"),
])
def test_tunnel_bad_value_refused(world, opt, value):  # noqa: F811
    """One line naming the interface and the value, exit 1, nothing made
    or left."""
    opts = dict(T4, **{opt: value})
    text = "iface t4 inet tunnel\n" + "".join(
        f"\t{k} {v}\n" for k, v in opts.items())
    ns, base = world("ours", text)
    before = kernel_state(ns)
    r = run(ns, base, tool("ours", "ifup"), "t4")
    assert r.returncode == 1
    lines = r.stderr.splitlines()
    assert len(lines) == 2 and lines[1] == "ifup: failed to bring up t4", \
        r.stderr
    assert lines[0].startswith("ifup: t4: ") and value in lines[0], r.stderr
    assert kernel_state(ns) == before
    assert "t4" not in states(base).get("ifstate", "")


def test_tunnel_without_driver_fails_cleanly(world):  # noqa: F811
    ns, base = world("ours", TUN)
    probe = ns.run("ip", "link", "add", "g9", "type", "gre", "remote",
                   "192.0.2.9")
    if probe.returncode == 0:
        pytest.skip("this kernel has gre: tests/qemu/test_links.py covers "
                    "tunnels")
    before = kernel_state(ns)
    r = run(ns, base, tool("ours", "ifup"), "t4")
    assert r.returncode == 1
    lines = r.stderr.splitlines()
    assert len(lines) == 2 and lines[0].startswith(
        "ifup: t4: ip tunnel add t4 mode gre remote 192.0.2.2") and \
        lines[1] == "ifup: failed to bring up t4", r.stderr
    assert kernel_state(ns) == before
    assert "t4" not in states(base).get("ifstate", "")

"""VLANs by vlan-raw-device (the vlan package's hooks) on a host without
8021q.

The VLANs themselves are compared with Debian's vlan hooks in the guests
(tests/qemu/test_links.py, t_links).  Here, what needs no driver: a raw
device that does not exist fails as with Debian's ifupdown and the vlan
package's hook (build/ref/vlan, fetched by scripts/deps), side by side in
test_ifupdown's worlds; and a VLAN the kernel cannot make fails with one
line, the raw device it brought up down again.
"""
import os

import pytest

from conftest import ROOT
from test_ifupdown import (calls, kernel_state, no_qdisc, run, snapshot,
                           states, tool,
                           world)  # noqa: F401 (world is a fixture)

VLAN = os.path.join(ROOT, "build", "ref", "vlan", "etc", "network")

NO_RAW = "auto vlan9\niface vlan9 inet manual\n\tvlan-raw-device nosuch\n"


def test_missing_raw_device_like_debian(world):  # noqa: F811
    """The hook's line on stdout, exit 1, ifup fails, nothing changed;
    Debian's `ip link show` and run-parts add lines of their own."""
    res = {}
    for who in ("ours", "debian"):
        ns, base = world(who, NO_RAW)
        if who == "debian":
            hook = base / "etc" / "if-pre-up.d" / "vlan"
            with open(os.path.join(VLAN, "if-pre-up.d", "vlan")) as f:
                hook.write_text(f.read())
            hook.chmod(0o755)
        r = run(ns, base, tool(who, "ifup"), "-a")
        res[who] = snapshot(ns, base)
        res[who].update(rc=r.returncode, stdout=r.stdout, stderr=r.stderr)
    ours, deb = res["ours"], res["debian"]
    assert deb["stderr"].startswith('Device "nosuch" does not exist.')
    deb["stderr"] = deb["stderr"].splitlines(True)[-1]
    # calls: Debian's dump hook sorts before vlan and runs; ours runs the
    # vlan step before the directory's scripts, so it does not
    for key in deb:
        if key != "calls":
            assert ours[key] == deb[key], key
    assert ours["stdout"] == "nosuch does not exist, unable to create vlan9\n"
    assert ours["stderr"] == "ifup: failed to bring up vlan9\n"
    assert ours["rc"] == 1


def test_no_driver_fails_cleanly(world):  # noqa: F811
    """The kernel cannot make the VLAN: one line, ifup fails, and the raw
    device the hook brought up is down again."""
    ns, base = world("ours", "iface vlan5 inet manual\n"
                     "\tvlan-raw-device veth0\n\tmtu 1400\n")
    probe = ns.run("ip", "link", "add", "link", "veth1", "name", "v9",
                   "type", "vlan", "id", "9")
    if probe.returncode == 0:
        pytest.skip("this kernel has 8021q: tests/qemu/test_links.py "
                    "covers VLANs")
    before = kernel_state(ns)
    r = run(ns, base, tool("ours", "ifup"), "vlan5")
    assert r.returncode == 1
    lines = r.stderr.splitlines()
    assert len(lines) == 2 and lines[0].startswith(
        "ifup: vlan5: ip link add link veth0 type vlan id 5") and \
        lines[1] == "ifup: failed to bring up vlan5", r.stderr
    after = kernel_state(ns)
    # a link once up keeps the qdisc it got (noqueue for noop)
    assert no_qdisc(after.pop("links")) == no_qdisc(before.pop("links"))
    assert after == before
    assert "vlan5" not in states(base).get("ifstate", "")
    assert [c[0] for c in calls(base) if c[0].split()[1] == "vlan5"] == []

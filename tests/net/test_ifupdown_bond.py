"""Bonds (ifenslave's interfaces(5) options) on a host without bonding.

The host kernel has no bonding driver, so the bonds themselves are
compared with Debian's ifenslave hooks in the guests (tests/qemu/
test_links.py, t_links).  Here, what needs no driver: a bad option value
is one line and nothing changes (Debian's hook writes what it can and
succeeds), a bond the kernel cannot make fails ifup with one line and
nothing changes, and a slave whose master has no stanza fails as with
Debian's ifupdown and ifenslave 2.13's hook (build/ref/ifenslave, fetched
by scripts/deps), run side by side in test_ifupdown's worlds.
"""
import os

import pytest

from conftest import ROOT
from test_ifupdown import (calls, kernel_state, ref_dir, run, snapshot,
                           states, tool,
                           world)  # noqa: F401 (world is a fixture)

IFENSLAVE = os.path.join(ROOT, "build", "ref", "ifenslave", "etc", "network")

BAD = [
    ("bond-mode", "active_backup"),
    ("bond-mode", "7"),
    ("bond-miimon", "100ms"),
    ("bond-updelay", "-1"),
    ("bond-downdelay", "2147483648"),
    ("bond-lacp-rate", "medium"),
    ("bond-xmit-hash-policy", "layer4"),
    ("bond-arp-interval", "often"),
]


def up_veth0(ns):
    ns.run("ip", "link", "set", "veth0", "up", check=True)


def unchanged(ns, base, before):
    """The kernel as @before, bond0 not in ifstate, no hook run for it
    (the bond step fails before if-pre-up.d)."""
    assert kernel_state(ns) == before
    assert "bond0" not in states(base).get("ifstate", "")
    assert [c[0] for c in calls(base) if c[0].split()[1] == "bond0"] == []


@pytest.mark.parametrize("opt,value", BAD)
def test_bad_value_refused(world, opt, value):  # noqa: F811
    """One line naming the interface, the option and the value; exit 1;
    no bond, the would-be slave still up, no state, no hook run."""
    text = (f"iface bond0 inet static\n\taddress 192.0.2.1/24\n"
            f"\tbond-slaves veth0\n\t{opt} {value}\n")
    ns, base = world("ours", text)
    up_veth0(ns)
    before = kernel_state(ns)
    r = run(ns, base, tool("ours", "ifup"), "bond0")
    assert r.returncode == 1
    assert r.stderr == (f'ifup: bond0: {opt}: invalid value "{value}"\n'
                        "ifup: failed to bring up bond0\n"), r.stderr
    unchanged(ns, base, before)


@pytest.mark.parametrize("targets,why", [
    ("192.0.2.1 192.0.2", '"192.0.2" is not an IPv4 address'),
    ("2001:db8::1", '"2001:db8::1" is not an IPv4 address'),
    (" ".join(f"192.0.2.{i}" for i in range(1, 18)), "more than 16 addresses"),
])
def test_bad_arp_targets_refused(world, targets, why):  # noqa: F811
    ns, base = world("ours", "iface bond0 inet manual\n\tbond-mode 1\n"
                     f"\tbond-arp-ip-target {targets}\n")
    before = kernel_state(ns)
    r = run(ns, base, tool("ours", "ifup"), "bond0")
    assert r.returncode == 1
    assert r.stderr == (f"ifup: bond0: bond-arp-ip-target: {why}\n"
                        "ifup: failed to bring up bond0\n"), r.stderr
    unchanged(ns, base, before)


def test_no_driver_fails_cleanly(world):  # noqa: F811
    """`ip link add type bond` refused: one line with the kernel's reason,
    then Debian's last line; nothing made or changed, no state."""
    ns, base = world("ours", "auto bond0\niface bond0 inet static\n"
                     "\taddress 192.0.2.1/24\n\tbond-slaves veth0\n"
                     "\tbond-mode active-backup\n\tbond-miimon 100\n")
    probe = ns.run("ip", "link", "add", "b9", "type", "bond")
    if probe.returncode == 0:
        pytest.skip("this kernel has bonding: tests/qemu/test_links.py "
                    "covers bonds")
    up_veth0(ns)
    before = kernel_state(ns)
    r = run(ns, base, tool("ours", "ifup"), "-a")
    assert r.returncode == 1
    lines = r.stderr.splitlines()
    assert len(lines) == 2 and lines[0].startswith(
        "ifup: bond0: ip link add type bond: ") and \
        lines[1] == "ifup: failed to bring up bond0", r.stderr
    unchanged(ns, base, before)


MISSING = "auto veth0\niface veth0 inet manual\n\tbond-master bond7\n"


def test_slave_without_master_stanza_like_debian(world):  # noqa: F811
    """bond-master names a bond with no stanza: the hook's line and exit
    status 1, ifup fails, no state, the kernel as it was; Debian's
    run-parts adds a line of its own."""
    res = {}
    for who in ("ours", "debian"):
        ns, base = world(who, MISSING)
        prog = tool(who, "ifup")
        if who == "debian":
            hook = base / "etc" / "if-pre-up.d" / "ifenslave"
            with open(os.path.join(IFENSLAVE, "if-pre-up.d",
                                   "ifenslave")) as f:
                hook.write_text(f.read())
            hook.chmod(0o755)
            # the hook's `ifquery -l` is Debian's, found on its PATH
            prog = (f"mount --bind {ref_dir()} /usr/local/sbin && "
                    f"exec {prog}")
            prog = f"sh -c '{prog} \"$@\"' ifup"
        r = run(ns, base, prog, "-a")
        snap = snapshot(ns, base)
        snap.update(rc=r.returncode, stdout=r.stdout, stderr=r.stderr)
        res[who] = snap
    deb = res["debian"]
    deb["stderr"] = "".join(
        l for l in deb["stderr"].splitlines(True)
        if not l.startswith("run-parts: /etc/network/if-pre-up.d/ifenslave"))
    # calls: Debian's dump hook sorts before ifenslave and runs; ours
    # runs the bond step before the directory's scripts, so it does not
    for key in deb:
        if key != "calls":
            assert res["ours"][key] == deb[key], key
    assert res["ours"]["rc"] == 1
    assert res["ours"]["stderr"] == ("No iface stanza found for master "
                                     "bond7\nifup: failed to bring up "
                                     "veth0\n")

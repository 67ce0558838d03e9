"""Bridges (bridge-utils' interfaces(5) options) side by side with Debian.

Debian runs ifupdown 0.8 with bridge-utils 1.7.1's hook (build/ref/
bridge-utils, fetched by scripts/deps) in its if-pre-up.d, if-down.d and
if-post-down.d, calling the extracted `brctl` (bind-mounted on
/usr/local/sbin, which is on the hooks' PATH) and `ip`; ours does the same
over netlink with no hook.  Each world is test_ifupdown's (a namespace,
veth0 <-> veth1, a private /etc/network whose dump hooks log every call)
plus more veth pairs with fixed MACs.  After each step everything must be
identical: exit status, stdout, stderr, `ip -d link` and all of
test_ifupdown's kernel state, `bridge -j link`, the values under
/sys/class/net/*/bridge/ and */brport/, the hook calls, the state files.
Masked: the bridge's running timers (the time left on a kernel timer,
whichever tool ran), this kernel's lack of VLAN filtering (NO_VLAN) and,
where said, egrep's warning.
"""
import difflib
import json
import os
from concurrent.futures import ThreadPoolExecutor

import pytest

from conftest import ROOT
from test_ifupdown import (OURS, calls, kernel_state, ref_dir, run, states,
                           world)  # noqa: F401 (world is a fixture)

BU = os.path.join(ROOT, "build", "ref", "bridge-utils")
HOOK = os.path.join(BU, "lib", "bridge-utils", "ifupdown.sh")

# More ports than the world's veth0 <-> veth1, the same in both worlds.
PAIRS = {"veth2": "veth3", "eth7": "p7"}
MACS = {"veth2": "02:00:00:00:00:12", "veth3": "02:00:00:00:00:13",
        "eth7": "02:00:00:00:00:17", "p7": "02:00:00:00:00:18"}

# Running timers: how long until a kernel timer fires, not configuration.
TIMERS = {"hello_timer", "tcn_timer", "topology_change_timer", "gc_timer",
          "message_age_timer", "forward_delay_timer", "hold_timer"}
SYSFS = ("cd /sys/class/net && grep -s -r . */bridge/ */brport/; "
         "echo @@; bridge -j link")
EGREP = "egrep: warning: egrep is obsolescent"
# The host kernel has no CONFIG_BRIDGE_VLAN_FILTERING: the hook's `ip link
# set dev BR type bridge vlan_filtering 0|1` fails for each bridge it
# creates, which leaves the same state as ours (filtering off).  Ours is
# silent for 0 and names the failure in its own words for
# `bridge_vlan_aware yes` (VLAN_AWARE).
NO_VLAN = "RTNETLINK answers: Operation not supported"
VLAN_AWARE = "ifup: br0: bridge_vlan_aware: Operation not supported"


def setup_world(ns, base):
    """Extra veth pairs (peers up: ports get carrier), and Debian's
    hook: the package's script with its two absolute paths pointing into
    build/ref (its /sbin/brctl check, its helper functions)."""
    if not os.path.exists(os.path.join(BU, "sbin", "brctl")):
        raise AssertionError("bridge-utils is not in build/ref: make deps")
    cmds = "".join(f"link add {a} type veth peer name {b}\n"
                   for a, b in PAIRS.items())
    cmds += "".join(f"link set {d} address {m}\n" for d, m in MACS.items())
    cmds += "".join(f"link set {b} up\n" for b in ("veth1", *PAIRS.values()))
    ns.run("ip", "-batch", "-", check=True, input=cmds)
    text = open(HOOK).read()
    text = text.replace("/sbin/brctl", "/usr/local/sbin/brctl")
    text = text.replace("/lib/bridge-utils/", os.path.join(
        BU, "lib", "bridge-utils") + "/")
    wrap = base / "with-brctl"
    wrap.write_text(f"#!/bin/sh\nmount --bind {BU}/sbin /usr/local/sbin "
                    f"&& exec \"$@\"\n")
    wrap.chmod(0o755)
    return text


def mask(obj):
    if isinstance(obj, dict):
        return {k: mask(v) for k, v in obj.items() if k not in TIMERS}
    if isinstance(obj, list):
        return [mask(v) for v in obj]
    return obj


def br_snapshot(ns, base):
    snap = kernel_state(ns)
    snap["links"] = sorted(json.dumps(mask(json.loads(l)), sort_keys=True)
                           for l in snap["links"])
    sysfs, blink = ns.run("sh", "-c", SYSFS).stdout.split("@@")
    snap["sysfs"] = sorted(l for l in sysfs.split()
                           if l.split(":")[0].rsplit("/", 1)[-1] not in TIMERS)
    snap["bridge"] = mask(json.loads(blink) if blink.strip() else [])
    snap.update(calls=calls(base), state=states(base))
    return snap


def side_by_side(world, text, steps):  # noqa: F811
    def one(who):
        ns, base = world(who, text)
        hook = setup_world(ns, base)
        prog = os.path.dirname(OURS)
        if who == "debian":
            for d in ("pre-up", "down", "post-down"):
                p = base / "etc" / f"if-{d}.d" / "bridge"
                p.write_text(hook)
                p.chmod(0o755)
            prog = f"{base / 'with-brctl'} {ref_dir()}"
        out = []
        for args in steps:
            r = run(ns, base, f"{prog}/{args[0]}", *args[1:])
            snap = br_snapshot(ns, base)
            snap.update(rc=r.returncode, stdout=r.stdout, stderr=r.stderr)
            out.append(json.loads(json.dumps(snap).replace(
                str(base), "@BASE@")))
        return out

    with ThreadPoolExecutor(2) as pool:
        futures = {who: pool.submit(one, who) for who in ("ours", "debian")}
        return {who: f.result() for who, f in futures.items()}


def assert_same(res, steps, egrep=False, skip=()):
    """Every key of every step equal but those in @skip, once the lines
    NO_VLAN (and EGREP with @egrep) of Debian's stderr and VLAN_AWARE of
    ours are dropped."""
    for i, args in enumerate(steps):
        ours, deb = res["ours"][i], res["debian"][i]
        drop = [NO_VLAN] + ([EGREP] if egrep else [])
        deb["stderr"] = "".join(l for l in deb["stderr"].splitlines(True)
                                if l.rstrip("\n") not in drop)
        ours["stderr"] = "".join(l for l in ours["stderr"].splitlines(True)
                                 if l.rstrip("\n") != VLAN_AWARE)
        for key in deb:
            if key not in skip and ours[key] != deb[key]:
                pytest.fail(f"{' '.join(args)}: {key} differs (-ours "
                            f"+Debian's):\n" + diff(ours[key], deb[key]))


def diff(a, b):
    a, b = (json.dumps(x, indent=1, sort_keys=True).splitlines()
            for x in (a, b))
    return "\n".join(difflib.unified_diff(a, b, lineterm="", n=2))


def bridge_of(snap, name):
    for l in snap["links"]:
        l = json.loads(l)
        if l["ifname"] == name:
            return l
    return None


OPTIONS = """auto br0
iface br0 inet static
\taddress 192.0.2.1/24
\tbridge_ports veth0 veth2 nosuch
\tbridge_stp off
\tbridge_fd 0.999
\tbridge_hello 3
\tbridge_maxage 12
\tbridge_ageing 0.3
\tbridge_bridgeprio 0x1000
\tbridge_portprio veth2 7
\tbridge_pathcost veth0 77
\tbridge_vlan_aware yes
\tbridge_waitport 1 veth0
\tmtu 1400
iface br0 inet6 static
\taddress 2001:db8::1/64
\tdad-attempts 0
\tbridge_ports veth0 veth2
"""


def test_bridge_options_same_as_debian(world):  # noqa: F811
    steps = [["ifup", "-a"], ["ifdown", "-a"]]
    res = side_by_side(world, OPTIONS, steps)
    assert_same(res, steps)
    up = res["ours"][0]
    assert up["rc"] == 0, up["stderr"]
    br = bridge_of(up, "br0")
    data = br["linkinfo"]["info_data"]
    assert (data["forward_delay"], data["ageing_time"],
            data["priority"]) == (98, 30, 4096), data
    assert "@BASE@" not in up["stdout"] and "Waiting for a max of 1" \
        in up["stdout"]
    ports = {p["ifname"]: p for p in up["bridge"]}
    assert set(ports) == {"veth0", "veth2"}
    assert bridge_of(res["ours"][1], "br0") is None


PORTS = """auto br1 br2 br3
iface br1 inet manual
\tbridge_ports regex veth[02] noregex nosuch
\tbridge_hw 02:00:00:00:00:99
\tbridge_maxwait 0
iface br2 inet manual
\tbridge_ports none
\tbridge_hw veth3
\tbridge_maxwait 0
iface br3 inet manual
\tbridge_ports all
\tbridge_maxwait 1
"""


def test_bridge_ports_same_as_debian(world):  # noqa: F811
    steps = [["ifup", "-a"], ["ifdown", "-a"]]
    res = side_by_side(world, PORTS, steps)
    assert_same(res, steps, egrep=True)
    up = res["ours"][0]
    assert up["rc"] == 0, up["stderr"]
    masters = {p["ifname"]: p["master"] for p in up["bridge"]}
    assert masters == {"veth0": "br1", "veth2": "br1", "eth7": "br3",
                       "p7": "br3"}, masters
    assert bridge_of(up, "br1")["address"] == "02:00:00:00:00:99"
    assert bridge_of(up, "br2")["address"] == MACS["veth3"]


STP = """auto br0
iface br0 inet manual
\tbridge_ports veth0
\tbridge_stp on
\tbridge_fd 2
"""


def test_bridge_stp_waits_like_debian(world):  # noqa: F811
    """STP on: both wait (bridge_maxwait unset: 2 * (fd + 1) s at most)
    until the port forwards, saying so on stdout after 0.2 s."""
    steps = [["ifup", "br0"], ["ifdown", "br0"]]
    res = side_by_side(world, STP, steps)
    assert_same(res, steps)
    up = res["ours"][0]
    assert "MAXWAIT is 6 seconds" in up["stdout"], up["stdout"]
    assert [p["state"] for p in up["bridge"]] == ["forwarding"]


FAIL = """auto br0 br1
iface br0 inet manual
\tbridge_ports veth0
\tbridge_maxwait 0
iface br1 inet manual
\tbridge_ports veth2
\tbridge_maxwait 2.5
"""


def test_bridge_hook_failure_like_debian(world):  # noqa: F811
    """A hook that fails fails its ifup: the script's shell cannot do
    arithmetic on bridge_maxwait 2.5 and exits 2 once br1 is up with its
    ports; ifup exits 1, br1 is not in the state, what the hook made
    stays (Debian undoes none of it), and ifdown leaves br1 alone.
    stderr: dash's and run-parts' words against ours, the last line
    the same."""
    steps = [["ifup", "-a"], ["ifdown", "-a"]]
    res = side_by_side(world, FAIL, steps)
    assert_same(res, steps, skip=("stderr",))
    up = res["ours"][0]
    assert up["rc"] == 1
    for who in ("ours", "debian"):
        assert res[who][0]["stderr"].endswith(
            "ifup: failed to bring up br1\n"), res[who][0]["stderr"]
    assert {p["ifname"]: p["master"] for p in up["bridge"]} == {
        "veth0": "br0", "veth2": "br1"}
    assert "br1=br1" not in up["state"]["ifstate"]

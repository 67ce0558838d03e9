"""--allow=CLASS and VLANs beside Debian's ifupdown 0.8.41, in
test_ifupdown's worlds.

With --allow=CLASS and interface names, Debian's ifup also brings up the
class's IFACE.VID entries of each name (a VLAN comes up with its raw
device, as the hotplug path needs); ifquery does not.  Whatever the
class, ifup of PARENT.VID brings PARENT up first, and ifdown of PARENT
takes its PARENT.* stanzas that are up down first.  And ifdown -a with no
ifstate file yet leaves an empty one, as Debian's does.
"""
import os

from concurrent.futures import ThreadPoolExecutor

from test_ifupdown import (assert_same, side_by_side, step, tool,
                           world)  # noqa: F401 (world is a fixture)
from test_ifupdown_faults import prog
from test_ifupdown_faults import world as fworld  # noqa: F401

# The host has no 8021q: every link is a veth made beforehand, which both
# tools take for a VLAN already there.  Each target runs its hooks and
# gets its state line, which shows the selection and its order.
LINKS = ["raw", "raw.10", "raw.10.7", "raw.20", "raw.30.1", "raw.40", "raw.41",
         "other", "other.5", "raw0.3"]
VLANS = """allow-hotplug raw raw.10 other.5 raw.20=lan raw0.3 raw.10.7 other
allow-hotplug raw.30.1=wan
allow-boot raw.40
iface raw inet manual
iface raw.10 inet manual
iface raw.10.7 inet manual
iface raw.20 inet manual
iface lan inet manual
iface wan inet manual
iface raw.30.1 inet manual
iface raw.40 inet manual
iface raw.41 inet manual
iface other inet manual
iface other.5 inet manual
iface raw0.3 inet manual
"""


def guards(snap):
    """Our recursion guard for a name that is not a shell name (raw.10:
    IFUPDOWN_raw_2e10, see env_guard_name()) is one Debian's /bin/sh
    drops: set aside, after checking that each one names its call."""
    for head, env in snap["calls"]:
        ours = [e for e in env if e.startswith("IFUPDOWN_")
                and "_2e" in e.split("=")[0]]
        for e in ours:
            assert e.split("=")[0] == "IFUPDOWN_" + head.split()[1] \
                .replace(".", "_2e"), (head, e)
            env.remove(e)
    return snap


def test_allow_brings_up_vlans_like_debian(world):  # noqa: F811
    """Each step's exit status, output, hook calls, state files and links
    as Debian's (see test_ifupdown.assert_same)."""
    steps = [["ifquery", "--allow=hotplug", "raw"],
             ["ifquery", "-l", "--allow=hotplug", "raw"],
             ["ifup", "--allow=hotplug", "raw", "other"],
             ["ifquery", "--state"],
             ["ifdown", "raw"],
             ["ifquery", "--state"],
             ["ifup", "raw.41"],
             ["ifup", "raw.41"],
             ["ifdown", "-a"],
             ["ifup", "--allow=boot", "raw"],
             ["ifup", "--allow=hotplug", "raw0", "raw=x", "raw.40"],
             ["ifquery", "--state"]]

    def one(who):
        ns, base = world(who, VLANS)
        ns.run("ip", "-batch", "-", check=True, input="".join(
            f"link add {n} address 02:00:00:00:01:{i:02x} type veth "
            f"peer name p{i} address 02:00:00:00:02:{i:02x}\n"
            for i, n in enumerate(LINKS)))
        return [None] + [guards(step(ns, base, who, args)) for args in steps]

    with ThreadPoolExecutor(2) as pool:
        futures = {who: pool.submit(one, who) for who in ("ours", "debian")}
        res = {who: f.result() for who, f in futures.items()}
    assert assert_same(res, steps) == {}
    ours = res["ours"]
    up = [h.split()[1] for h, _ in ours[3]["calls"]
          if h.startswith("up.d/")]
    # the names first, then each one's VLANs in the class's order; the
    # =LOGICAL of a VLAN entry is lost once a search of the class passed it
    assert up == ["raw", "other", "raw.10", "raw.20", "raw.10.7",
                  "raw.30.1", "other.5"], up
    assert "raw.20=raw.20\n" in ours[3]["state"]["ifstate"]
    assert "raw.30.1=wan\n" in ours[3]["state"]["ifstate"]
    assert ours[3]["rc"] == 0
    # ifdown raw: its VLANs that are up first, in file order, then raw
    down = [h.split()[1] for h, _ in ours[5]["calls"]
            if h.startswith("down.d/")]
    assert down == ["raw.10", "raw.10.7", "raw.20", "raw.30.1", "raw"], down
    assert ours[6]["stdout"] == "other.5=other.5\nother=other\n"
    # ifup raw.41 brings raw up first; then both are up: one message
    assert ours[7]["state"]["ifstate"].endswith("raw=raw\nraw.41=raw.41\n")
    assert ours[8]["stderr"] == "ifup: interface raw.41 already configured\n"
    # raw is not allow-boot, its VLAN raw.40 is, and comes up alone; raw0's
    # VLAN comes up with it (raw0.3), raw=x is not raw
    assert ours[10]["state"]["ifstate"] == "raw.40=raw.40\n"
    assert ours[11]["state"]["ifstate"] == "raw.40=raw.40\nraw0.3=raw0.3\n"


def test_vlan_from_its_parents_hook_like_debian(fworld):  # noqa: F811
    """`up ifup raw.10` in raw's stanza (its post-up phase) and `down
    ifdown raw.10` (pre-down): the nested command leaves raw alone, no
    parent step and no lock on it (raw's run holds it), as Debian's; in
    another phase (pre-up) it is a recursion, for both."""
    def text(who, phase):
        line = ("\t{} {} -i /etc/network/interfaces --state-dir "
                "@BASE@/state raw.10\n")
        hooks = [("up" if phase == "down" else phase, "ifup")]
        if phase == "down":  # raw.10 is up, and taken down twice
            hooks.append(("down", "ifdown"))
        return ("iface raw inet manual\n"
                + "".join(line.format(p, prog(who, c)) for p, c in hooks)
                + "iface raw.10 inet manual\n")

    out = {}
    for who in ("ours", "debian"):
        for phase in ("up", "down", "pre-up"):
            w = fworld(text(who, phase), who)
            for i, dev in enumerate(("raw", "raw.10")):
                w.ns.ip("link", "add", dev, "type", "veth", "peer", "name",
                        f"p{i}")
            got = [w.run(prog(who, "ifup"), "raw"), None]
            state = w.ifstate()
            if phase == "down":
                got[1] = w.run(prog(who, "ifdown"), "raw")
            out[who, phase] = [(r.returncode, r.stdout, r.stderr)
                               for r in got if r] + [state, w.ifstate()]
    for phase in ("up", "down", "pre-up"):
        assert out["ours", phase] == out["debian", phase], phase
    assert out["ours", "up"][0] == (0, "", "")
    assert out["ours", "up"][1] == "raw=raw\nraw.10=raw.10\n"
    assert out["ours", "down"][2:] == ["raw=raw\nraw.10=raw.10\n", ""]
    assert out["ours", "pre-up"][0][0] == 1


def test_ifdown_all_makes_empty_ifstate_like_debian(world):  # noqa: F811
    """No ifstate yet: ifdown -a leaves an empty one, 0644 less the umask
    (Debian's 0666 less the umask, but for others' write bit), under the
    same umasks, and ifup's new one too; ifquery --state and ifdown -n
    make none."""
    steps = [["ifquery", "--state"], ["ifdown", "-a", "-n"],
             ["ifdown", "-a"], ["ifquery", "--state"]]
    res = side_by_side(world, "auto veth0\niface veth0 inet manual\n", steps)
    assert assert_same(res, steps) == {}
    ours = res["ours"]
    assert ours[2]["state"] == {}
    assert ours[3]["state"] == {".ifstate.lock": None, "ifstate": ""}
    modes = {}
    for who in ("ours", "debian"):
        ns, base = world(who + "-umask", "iface veth0 inet manual\n")
        for umask in ("022", "077", "027"):
            state = base / umask
            for cmd in ("ifdown -a", "ifup veth0"):
                r = ns.run("sh", "-c", f"umask {umask}; exec "
                           f"{tool(who, cmd.split()[0])} {cmd.split()[1]} "
                           f"--no-scripts -i {base / 'etc' / 'interfaces'} "
                           f"--state-dir {state}")
                assert r.returncode == 0, r.stderr
                modes[who, umask, cmd] = {
                    f: (state / f).stat().st_mode & 0o777
                    for f in os.listdir(state)}
    for key in modes:
        if key[0] == "ours":
            assert modes[key] == modes[("debian",) + key[1:]], key
    assert modes["ours", "077", "ifdown -a"]["ifstate"] == 0o600
    # written anew by ifup (replaced whole): the same mode
    assert modes["ours", "027", "ifup veth0"]["ifstate"] == 0o640

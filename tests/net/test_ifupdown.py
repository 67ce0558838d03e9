"""ifup/ifdown/ifquery side by side with Debian's ifupdown 0.8.

For each interfaces file of tests/net/ifupdown/, our ifup -a / ifdown -a
and Debian's each run in a fresh namespace (veth0 <-> veth1) with a private
/etc/network (bind-mounted in the `ip netns exec` mount namespace) whose
if-*.d hooks dump their environment; addresses, routes, links, sysctls,
state files and every hook's environment must be identical.
"""
import json
import os
import subprocess

import pytest

from conftest import BUILD, ROOT, Netns, need_root

DATA = os.path.join(ROOT, "tests", "net", "ifupdown")
REF = os.path.join(ROOT, "build", "ref", "ifupdown")
OURS = os.path.join(BUILD, "bin", "ifup")
CORPUS = sorted(f for f in os.listdir(DATA) if f.endswith(".interfaces"))

HOOK = """#!/bin/sh
env | sort > "{dump}/{phase}-$IFACE-$ADDRFAM-$MODE"
"""


def ref_dir():
    # scripts/deps (make deps, run by make check) fetches it, or fails.
    if not os.path.exists(os.path.join(REF, "sbin", "ifup")):
        pytest.fail("Debian's ifupdown is not in build/ref: run make deps")
    return os.path.join(REF, "sbin")


@pytest.fixture
def world(tmp_path):
    need_root()
    if not os.path.exists(OURS):
        pytest.fail(f"ifup not built in {BUILD}")
    made = []

    def make(name, text):
        base = tmp_path / name
        etc, dump, state = base / "etc", base / "dump", base / "state"
        for d in (etc, dump, state):
            d.mkdir(parents=True)
        for phase in ("pre-up", "up", "down", "post-down"):
            h = etc / f"if-{phase}.d"
            h.mkdir()
            (h / "dump").write_text(HOOK.format(dump=dump, phase=phase))
            (h / "dump").chmod(0o755)
        (etc / "interfaces").write_text(text.replace("@DUMP@", str(dump)))
        ns = Netns()
        made.append(ns)
        return ns, base

    yield make
    for ns in made:
        ns.delete()


def run(ns, base, prog, *args):
    etc = base / "etc"
    cmd = (f"mount --bind {etc} /etc/network && exec {prog} "
           f"-i /etc/network/interfaces --state-dir {base / 'state'} "
           + " ".join(args))
    return ns.run("sh", "-c", cmd)


def links(ns):
    out = []
    for l in ns.ip_json("addr", "show"):
        addrs = sorted(
            (a["family"], a["local"], a["prefixlen"], a.get("broadcast"),
             a.get("address"), a.get("scope"), a.get("label"),
             a.get("preferred_life_time"))
            for a in l.get("addr_info", [])
            if not a["local"].startswith("fe80:"))
        out.append((l["ifname"], l["mtu"], l["operstate"],
                    sorted(l["flags"]), l.get("ifalias"), addrs))
    return sorted(out)


def routes(ns):
    r4 = ns.ip_json("-4", "route", "show", "table", "all")
    r6 = ns.ip_json("-6", "route", "show", "table", "all")
    keep = ("dst", "gateway", "dev", "protocol", "scope", "metric", "flags",
            "table", "type", "prefsrc")
    return sorted(json.dumps({k: r.get(k) for k in keep}, sort_keys=True)
                  for r in r4 + r6 if not str(r.get("dst")).startswith("fe80"))


def sysctls(ns):
    out = {}
    for dev in ("veth0", "veth1"):
        for key in ("accept_ra", "autoconf", "use_tempaddr", "mtu"):
            r = ns.run("cat", f"/proc/sys/net/ipv6/conf/{dev}/{key}")
            out[f"{dev}.{key}"] = r.stdout.strip()
    return out


def hooks(base):
    out = {}
    for f in sorted(os.listdir(base / "dump")):
        lines = (base / "dump" / f).read_text().splitlines()
        out[f] = [l for l in lines if not l.startswith(("PWD=", "OLDPWD="))]
    return out


def states(base):
    d = base / "state"
    return {f: (d / f).read_text() for f in sorted(os.listdir(d))
            if f.startswith("ifstate")}


def snapshot(ns, base):
    return {"links": links(ns), "routes": routes(ns), "sysctl": sysctls(ns),
            "hooks": hooks(base), "state": states(base)}


def side_by_side(world, text, steps):
    """Runs @steps (argument lists) with both tools; returns both
    snapshots after each step and the exit codes."""
    res = {}
    for who, prog in (("ours", OURS), ("debian", None)):
        ns, base = world(who, text)
        res[who] = []
        for args in steps:
            name = args[0]
            p = (os.path.join(os.path.dirname(OURS), name) if prog
                 else os.path.join(ref_dir(), name))
            r = run(ns, base, p, *args[1:])
            res[who].append((r.returncode, snapshot(ns, base), r.stderr))
    return res


@pytest.mark.parametrize("name", CORPUS)
def test_corpus_same_as_debian(world, name):
    text = open(os.path.join(DATA, name)).read()
    res = side_by_side(world, text, [["ifup", "-a"], ["ifdown", "-a"]])
    for i, step in enumerate(("ifup -a", "ifdown -a")):
        ours, deb = res["ours"][i], res["debian"][i]
        assert ours[0] == deb[0], f"{step}: rc {ours[0]} vs {deb[0]}: {ours[2]} / {deb[2]}"
        for key in deb[1]:
            assert ours[1][key] == deb[1][key], f"{step}: {key} differs"


def test_query_same_as_debian(world):
    text = open(os.path.join(DATA, "static4.interfaces")).read()
    text += open(os.path.join(DATA, "inet6.interfaces")).read()
    text += open(os.path.join(DATA, "manual.interfaces")).read()
    steps = [["ifquery", "veth0"], ["ifquery", "veth1"], ["ifquery", "-l"],
             ["ifquery", "-l", "--allow=hotplug"], ["ifquery", "nosuch"]]
    outs = {}
    for who in ("ours", "debian"):
        ns, base = world(who, text)
        d = os.path.dirname(OURS) if who == "ours" else ref_dir()
        outs[who] = [run(ns, base, os.path.join(d, s[0]), *s[1:])
                     for s in steps]
    for o, d in zip(outs["ours"], outs["debian"]):
        assert (o.returncode, o.stdout.replace("/ours/", "/x/")) == \
            (d.returncode, d.stdout.replace("/debian/", "/x/"))


BAD = [
    ("iface veth0 inet static\n\taddress\n", "option with empty value"),
    ("address 1\n", "misplaced option"),
    ("iface veth0 inet dhpc\n",
     "unknown or no method and no inherits keyword specified"),
]


@pytest.mark.parametrize("text,msg", BAD)
def test_parse_errors_same_as_debian(world, text, msg):
    for who in ("ours", "debian"):
        ns, base = world(who, text)
        d = os.path.dirname(OURS) if who == "ours" else ref_dir()
        r = run(ns, base, os.path.join(d, "ifup"), "veth0")
        assert r.returncode == 1
        assert "/etc/network/interfaces:" in r.stderr and msg in r.stderr
        assert 'couldn\'t read interfaces file "/etc/network/interfaces"' in r.stderr


def test_failing_pre_up_rolls_back(world):
    text = ("iface veth0 inet static\n\taddress 192.0.2.10/24\n"
            "\tup false\n")
    ns, base = world("ours", text)
    r = run(ns, base, OURS, "veth0")
    assert r.returncode == 1
    assert "failed to bring up veth0" in r.stderr
    # Debian leaves the address behind; we undo what was applied
    assert not [a for l in ns.ip_json("addr", "show", "dev", "veth0")
                for a in l.get("addr_info", []) if a["family"] == "inet"]
    assert (base / "state" / "ifstate").read_text() == ""
    assert (base / "state" / "ifstate.veth0").read_text() == "\n"


def test_noops_and_missing(world):
    text = "iface veth0 inet static\n\taddress 192.0.2.10/24\n" \
           "iface veth1 inet static\n\tnetmask 24\n"
    ns, base = world("ours", text)
    assert run(ns, base, OURS, "veth0").returncode == 0
    r = run(ns, base, OURS, "veth0")
    assert r.returncode == 0 and "interface veth0 already configured" in r.stderr
    down = os.path.join(os.path.dirname(OURS), "ifdown")
    assert run(ns, base, down, "veth0").returncode == 0
    r = run(ns, base, down, "veth0")
    assert r.returncode == 0 and "interface veth0 not configured" in r.stderr
    r = run(ns, base, OURS, "veth1")
    assert r.returncode == 1
    assert "missing required variable: address" in r.stderr
    assert "missing required configuration variables for interface veth1/inet" in r.stderr
    r = run(ns, base, OURS, "nosuch")
    assert r.returncode == 1 and "unknown interface nosuch" in r.stderr


MAP_SH = """#!/bin/sh
while read phys logical; do
	[ "$phys" = "$1" ] && echo "$logical" && exit 0
done
exit 1
"""

SELECTION = [
    # mapping with a script: veth0 becomes the logical net-a
    ("""auto veth0 veth1
mapping veth*
	script @DUMP@/../map.sh
	map veth0 net-a
iface net-a inet static
	address 10.6.0.1/24
iface veth1 inet manual
""", [["ifup", "-a"], ["ifquery", "--state"], ["ifdown", "-a"]]),
    # source-directory: only [A-Za-z0-9_-]+ names, sorted
    ("""auto veth0
source-directory @DUMP@/../interfaces.d
""", [["ifup", "-a"], ["ifquery", "veth0"], ["ifdown", "-a"]]),
    # allow-CLASS with --allow
    ("""allow-hotplug veth0
allow-boot veth1
iface veth0 inet static
	address 10.7.0.1/24
iface veth1 inet static
	address 10.8.0.1/24
""", [["ifup", "-a", "--allow=hotplug"], ["ifup", "--allow=boot", "veth0"],
      ["ifquery", "-l", "--allow=boot"], ["ifdown", "-a", "--allow=hotplug"]]),
]

SOURCED = {"10-veth0": "iface veth0 inet static\n\taddress 10.5.0.1/24\n",
           "20-more": "iface veth0 inet6 static\n\taddress 2001:db8:5::1/64\n"
                      "\tdad-attempts 0\n",
           "bad.name": "iface veth0 inet static\n\taddress 10.5.9.9/24\n"}


@pytest.mark.parametrize("text,steps", SELECTION,
                         ids=["mapping", "source-directory", "allow"])
def test_selection_same_as_debian(world, text, steps):
    res = {}
    for who in ("ours", "debian"):
        ns, base = world(who, text)
        (base / "map.sh").write_text(MAP_SH)
        (base / "map.sh").chmod(0o755)
        (base / "interfaces.d").mkdir()
        for name, body in SOURCED.items():
            (base / "interfaces.d" / name).write_text(body)
        d = os.path.dirname(OURS) if who == "ours" else ref_dir()
        res[who] = []
        for args in steps:
            r = run(ns, base, os.path.join(d, args[0]), *args[1:])
            res[who].append((args, r.returncode, r.stdout,
                             snapshot(ns, base)))
    for o, d in zip(res["ours"], res["debian"]):
        assert o[:3] == d[:3], (o[:3], d[:3])
        for key in d[3]:
            assert o[3][key] == d[3][key], f"{o[0]}: {key} differs"

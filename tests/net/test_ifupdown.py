"""ifup/ifdown/ifquery side by side with Debian's ifupdown 0.8.

For each interfaces file of tests/net/ifupdown/, our ifup -a / ifdown -a
and Debian's each run in a fresh namespace (veth0 <-> veth1, the same MAC
addresses in both) with a private /etc/network (bind-mounted in the `ip
netns exec` mount namespace) whose if-*.d hooks log every call with its
environment.  After each step the whole observable state must be
identical: exit status, stdout, stderr (Debian's `FILE:LINE` messages
included), every link attribute of `ip -d link` (MAC address, flags,
alias, MTU...), every address with all its flags, routes, the interfaces'
sysctls, the state files and every hook and command call in order.  What
is masked, and why, is said where it is masked (see addr_key,
kernel_state, settled_dump); where ours differs from Debian's on purpose
the test asserts the difference itself (GONE, the rollback).
"""
import json
import os
import time
from concurrent.futures import ThreadPoolExecutor

import pytest

from conftest import BUILD, ROOT, Netns, need_root

DATA = os.path.join(ROOT, "tests", "net", "ifupdown")
REF = os.path.join(ROOT, "build", "ref", "ifupdown")
OURS = os.path.join(BUILD, "bin", "ifup")
CORPUS = sorted(f for f in os.listdir(DATA) if f.endswith(".interfaces"))

# Both namespaces start alike: veths get random MACs, and a MAC shows up in
# the link, in `hwaddress` results and in the EUI-64 link-local address.
MACS = {"veth0": "02:00:00:00:00:10", "veth1": "02:00:00:00:00:11"}

# Appends one record per call: a header line, then the sorted environment.
# Commands in the interfaces files (@DUMP@) append to the same log.
HOOK = """#!/bin/sh
{{ echo "== {phase}.d/dump $IFACE $ADDRFAM $METHOD"; env | sort; }} >> "{dump}/calls"
"""
FOREVER = 4294967295


def ref_dir():
    # scripts/deps (make deps, run by make check) fetches it, or fails.
    if not os.path.exists(os.path.join(REF, "sbin", "ifup")):
        pytest.fail("Debian's ifupdown is not in build/ref: run make deps")
    return os.path.join(REF, "sbin")


def tool(who, name):
    return os.path.join(os.path.dirname(OURS) if who == "ours"
                        else ref_dir(), name)


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
        (dump / "calls").write_text("")
        for phase in ("pre-up", "up", "down", "post-down"):
            h = etc / f"if-{phase}.d"
            h.mkdir()
            (h / "dump").write_text(HOOK.format(dump=dump, phase=phase))
            (h / "dump").chmod(0o755)
        (etc / "interfaces").write_text(text.replace("@DUMP@", str(dump)))
        ns = Netns()
        made.append(ns)
        ns.run("ip", "-batch", "-", check=True, input="".join(
            f"link set {dev} address {mac}\n" for dev, mac in MACS.items()))
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


def expected_operstate(link):
    """The operstate the kernel settles on for these flags.  The kernel
    updates operstate (and adds IPv6 link-local addresses on a carrier
    change) from its linkwatch work, up to a second after the change that
    caused it: the snapshot waits for that instead of catching it midway."""
    flags = link["flags"]
    if "UP" not in flags:
        return {"DOWN"}
    if "LOOPBACK" in flags:
        return {"UNKNOWN"}
    if "LOWER_UP" in flags:
        return {"UP"}
    return {"DOWN", "LOWERLAYERDOWN"}  # no carrier: DOWN if the peer has it


# One `ip netns exec` for the whole state: links, addresses, routes of all
# tables, every IPv4 and IPv6 sysctl of every link, `all` and `default`.
DUMP = ("ip -j -d link show; echo @@; ip -j addr show; echo @@; "
        "ip -j -4 route show table all; echo @@; "
        "ip -j -6 route show table all; echo @@; "
        "cd /proc/sys/net && grep -s -r . ipv4/conf ipv6/conf")


def pending(links, addrs, sysctl):
    """Links with a linkwatch change still to come: operstate not yet as
    the flags say, or carrier (IPv6 on, addrgenmode not none) and no
    link-local address yet."""
    return [l["ifname"] for l in links
            if l["operstate"] not in expected_operstate(l)
            or ("LOWER_UP" in l["flags"] and "LOOPBACK" not in l["flags"]
                and l.get("inet6_addr_gen_mode") != "none"
                and f"ipv6/conf/{l['ifname']}/disable_ipv6:0" in sysctl
                and not any(a["family"] == "inet6" and a.get("scope") == "link"
                            for a in addrs.get(l["ifname"], [])))]


def settled_dump(ns, seconds=10):
    """The state once no link has a change pending (or after @seconds,
    when the comparison will say what still differs)."""
    end = time.monotonic() + seconds
    while True:
        parts = ns.run("sh", "-c", DUMP).stdout.split("@@")
        links, addrs, r4, r6 = (json.loads(p) if p.strip() else []
                                for p in parts[:4])
        addrs = {l["ifname"]: l.get("addr_info", []) for l in addrs}
        sysctl = parts[4].split()
        if not pending(links, addrs, sysctl) or time.monotonic() > end:
            return links, addrs, r4 + r6, sysctl
        time.sleep(0.02)


def lifetime(v):
    """Finite lifetimes count down by the second from the moment the
    address was added: compared by the minute they end in."""
    return "forever" if v == FOREVER else -(-v // 60) * 60


def addr_key(a):
    """Every attribute and flag `ip -j addr` shows for an address, with
    two masks: lifetimes by the minute (see lifetime()) and `tentative` on
    link-local addresses, whose DAD the kernel runs on its own for about a
    second after carrier.  Global addresses keep `tentative`: both tools
    wait for their DAD (dad-attempts), so it must agree."""
    a = dict(a)
    for k in ("valid_life_time", "preferred_life_time"):
        if k in a:
            a[k] = lifetime(a[k])
    if a.get("scope") == "link":
        a.pop("tentative", None)
    return json.dumps(a, sort_keys=True)


def kernel_state(ns):
    """links: `ip -d link` of every link, all attributes, with all its
    addresses.  routes: all of all tables but those to link-local
    addresses: the kernel adds `local fe80::X` once that address's DAD is
    done (see addr_key), and fe80::/64 with the address.  sysctl: all."""
    links, addrs, routes, sysctl = settled_dump(ns)
    out = []
    for l in links:
        l = dict(l)
        l["addr_info"] = sorted(addr_key(a)
                                for a in addrs.get(l["ifname"], []))
        out.append(json.dumps(l, sort_keys=True))
    return {"links": sorted(out),
            "routes": sorted(json.dumps(r, sort_keys=True) for r in routes
                             if not str(r.get("dst")).startswith("fe80")),
            "sysctl": sorted(sysctl)}


def calls(base):
    """Every hook and command call since the last snapshot, in order:
    (header, environment); the log starts afresh for the next step."""
    log = base / "dump" / "calls"
    out = []
    for line in log.read_text().splitlines():
        if line.startswith("== "):
            out.append((line[3:], []))
        elif not line.startswith(("PWD=", "OLDPWD=")):
            out[-1][1].append(line)
    log.write_text("")
    return out


def states(base):
    d = base / "state"
    return {f: (d / f).read_text() if f.startswith("ifstate") else None
            for f in sorted(os.listdir(d))}


def snapshot(ns, base):
    snap = kernel_state(ns)
    snap.update(calls=calls(base), state=states(base))
    return snap


def step(ns, base, who, args):
    """Runs one command; returns everything it can be compared by, with
    the world's own directory written @BASE@."""
    r = run(ns, base, tool(who, args[0]), *args[1:])
    snap = snapshot(ns, base)
    snap.update(rc=r.returncode, stdout=r.stdout, stderr=r.stderr)
    return json.loads(json.dumps(snap).replace(str(base), "@BASE@"))


def side_by_side(world, text, steps, setup=None, initial=False):
    """Runs @steps (argument lists) with both tools, each in a world of
    its own (@setup(base) adds files), the two worlds at the same time;
    returns {who: [snapshot before the first step (None unless @initial),
    one per step]}.  A step may be a function of the world's base
    directory instead, run between the commands (e.g. to change files)."""
    def one(who):
        ns, base = world(who, text)
        if setup:
            setup(base)
        out = [snapshot(ns, base) if initial else None]
        for args in steps:
            if callable(args):
                args(base)
            else:
                out.append(step(ns, base, who, args))
        return out

    with ThreadPoolExecutor(2) as pool:
        futures = {who: pool.submit(one, who) for who in ("ours", "debian")}
        return {who: f.result() for who, f in futures.items()}


# iproute2's complaint when `ip addr del` finds the address gone: Debian
# runs it for every stanza, also after an earlier stanza of the interface
# flushed its IPv4 addresses or took the link (and its IPv6 addresses)
# down.  Ours deletes over netlink and takes "already gone" as done
# (ifupdown/meth.c, meth_addr), silently; both exit 0 and go on.  The
# only difference in stderr: assert_same returns where it was seen, and
# the tests say where they expect it.
GONE = ("Error: ipv4: Address not found.", "Error: ipv6: address not found.")


def assert_same(res, steps, skip=()):
    """Every key of every step's snapshot equal, but those in @skip and
    the GONE lines of Debian's stderr; returns {step: [GONE lines]}."""
    gone = {}
    for i, args in enumerate(steps, 1):
        ours, deb = res["ours"][i], res["debian"][i]
        for key in deb:
            if key in skip:
                continue
            want = deb[key]
            if key == "stderr" and ours[key] != want:
                lines = want.splitlines(True)
                want = "".join(l for l in lines if l[:-1] not in GONE)
                gone[" ".join(args)] = [l[:-1] for l in lines
                                        if l[:-1] in GONE]
            assert ours[key] == want, \
                f"{' '.join(args)}: {key} differs (ours, then Debian's)"
    return gone


@pytest.mark.parametrize("name", CORPUS)
def test_corpus_same_as_debian(world, name):
    text = open(os.path.join(DATA, name)).read()
    steps = [["ifup", "-a"], ["ifdown", "-a"]]
    res = side_by_side(world, text, steps)
    gone = assert_same(res, steps)
    assert res["ours"][1]["rc"] == 0, res["ours"][1]["stderr"]
    heads = [h for h, _ in res["ours"][1]["calls"]]
    assert heads, "no hook ran"
    if name == "classful.interfaces":
        # veth0's second stanza: its own hooks, its address gone with the
        # first stanza's flush when Debian deletes it
        assert heads.count("pre-up.d/dump veth0 inet static") == 2, heads
        assert gone == {"ifdown -a": ["Error: ipv4: Address not found."]}
    else:
        assert gone == {}


def test_query_same_as_debian(world):
    text = open(os.path.join(DATA, "static4.interfaces")).read()
    text += open(os.path.join(DATA, "inet6.interfaces")).read()
    text += open(os.path.join(DATA, "manual.interfaces")).read()
    steps = [["ifquery", "veth0"], ["ifquery", "veth1"], ["ifquery", "-l"],
             ["ifquery", "-l", "--allow=hotplug"], ["ifquery", "nosuch"]]
    assert_same(side_by_side(world, text, steps), steps)


BAD = [
    "iface veth0 inet static\n\taddress\n",
    "address 1\n",
    "iface veth0 inet dhpc\n",
    "iface veth0\n",
    "iface veth0 inet6x static\n",
    "iface veth0 inet static inherits\n",
    "iface veth0 inet static inherits nope\n",
    "mapping veth0\n\tscript /bin/true\n\tscript /bin/false\n",
    "iface veth0 inet static\n\taddress 10.0.0.1/24\n"
    "iface veth0 inet static\n\taddress\n",
]


def interfaces_file(text):
    """A step of side_by_side that writes the interfaces file anew."""
    def write(base):
        (base / "etc" / "interfaces").write_text(text)
    return write


def test_parse_errors_same_as_debian(world):
    """For each file of BAD: the same FILE:LINE message, the same exit
    status, nothing done."""
    steps = []
    for text in BAD:
        steps += [interfaces_file(text), ["ifup", "veth0"]]
    res = side_by_side(world, "", steps, initial=True)
    runs = [s for s in steps if not callable(s)]
    for text, ours, deb in zip(BAD, res["ours"][1:], res["debian"][1:]):
        for key in deb:
            assert ours[key] == deb[key], f"{text!r}: {key} differs"
        err = ours["stderr"]
        assert ours["rc"] == 1, text
        assert "ifup: /etc/network/interfaces:" in err, text
        assert err.endswith('ifup: couldn\'t read interfaces file '
                            '"/etc/network/interfaces"\n'), text
        assert ours["links"] == res["ours"][0]["links"], text
        assert ours["calls"] == [], text
    assert len(res["ours"]) == len(runs) + 1


def test_parse_warning_same_as_debian(world):
    """A warning with FILE:LINE, then the stanza is used all the same."""
    text = "iface veth0 inet static extra\n\taddress 10.0.0.1/24\n"
    steps = [["ifup", "veth0"], ["ifdown", "veth0"]]
    res = side_by_side(world, text, steps)
    assert_same(res, steps)
    assert res["ours"][1]["stderr"] == (
        "ifup: /etc/network/interfaces:1: extra parameter for the iface "
        "line not understood and ignored: extra\n")
    assert res["ours"][1]["rc"] == 0


def test_failing_up_command_rolls_back(world):
    """Debian leaves what it applied before the failing command; we undo
    it (README: rollback on failure): links and routes as before ifup.
    All else, the message and the hooks included, is Debian's."""
    text = ("iface veth0 inet static\n\taddress 192.0.2.10/24\n"
            "\tup false\n")
    steps = [["ifup", "veth0"]]
    res = side_by_side(world, text, steps, initial=True)
    assert_same(res, steps, skip=("links", "routes"))
    before, ours, deb = res["ours"][0], res["ours"][1], res["debian"][1]
    assert ours["rc"] == 1
    assert ours["stderr"] == "ifup: failed to bring up veth0\n"
    assert ours["state"]["ifstate"] == ""
    assert ours["state"]["ifstate.veth0"] == "\n"
    # the kernel gives a link its default qdisc when it first goes up and
    # keeps it after: the only trace of the moment veth0 was up
    assert ours["routes"] == before["routes"]
    assert no_qdisc(ours["links"]) == no_qdisc(before["links"])
    assert "noqueue" in [json.loads(l)["qdisc"] for l in ours["links"]
                         if json.loads(l)["ifname"] == "veth0"]
    # the difference is all there is between the two
    assert "192.0.2.10" in json.dumps(deb["links"])
    assert deb["routes"] != before["routes"]


def no_qdisc(links):
    return [{k: v for k, v in json.loads(l).items() if k != "qdisc"}
            for l in links]


def test_noops_and_missing(world):
    text = "iface veth0 inet static\n\taddress 192.0.2.10/24\n" \
           "iface veth1 inet static\n\tnetmask 24\n"
    steps = [["ifup", "veth0"], ["ifup", "veth0"], ["ifdown", "veth0"],
             ["ifdown", "veth0"], ["ifup", "veth1"], ["ifup", "nosuch"],
             ["ifup", "veth0=x"], ["ifup", "veth0", "--option", "foo"]]
    res = side_by_side(world, text, steps)
    assert_same(res, steps)
    ours = [(r["rc"], r["stderr"]) for r in res["ours"][1:]]
    assert ours == [
        (0, ""),
        (0, "ifup: interface veth0 already configured\n"),
        (0, ""),
        (0, "ifdown: interface veth0 not configured\n"),
        (1, "ifup: missing required variable: address\n"
            "ifup: missing required configuration variables for interface "
            "veth1/inet\nifup: failed to bring up veth1\n"),
        (1, "ifup: unknown interface nosuch\n"),
        (1, "ifup: unknown interface x\n"),
        (1, 'ifup: error in --option "foo" -- no "=" character\n')]


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
    # mapping scripts that fail, print nothing or print junk
    ("""mapping veth0
	script @DUMP@/../map.sh
mapping veth1
	script /bin/true
mapping veth9
	script /nonexistent
iface veth0 inet manual
iface veth1 inet manual
""", [["ifup", "veth0"], ["ifup", "-v", "veth1"], ["ifup", "veth9"],
      ["ifquery", "--state"]]),
]

SOURCED = {"10-veth0": "iface veth0 inet static\n\taddress 10.5.0.1/24\n",
           "20-more": "iface veth0 inet6 static\n\taddress 2001:db8:5::1/64\n"
                      "\tdad-attempts 0\n",
           "bad.name": "iface veth0 inet static\n\taddress 10.5.9.9/24\n"}


def selection_files(base):
    (base / "map.sh").write_text(MAP_SH)
    (base / "map.sh").chmod(0o755)
    (base / "interfaces.d").mkdir()
    for name, body in SOURCED.items():
        (base / "interfaces.d" / name).write_text(body)


@pytest.mark.parametrize("text,steps", SELECTION,
                         ids=["mapping", "source-directory", "allow",
                              "mapping-fails"])
def test_selection_same_as_debian(world, text, steps):
    res = side_by_side(world, text, steps, selection_files)
    gone = assert_same(res, steps)
    if "source-directory" in text:
        # veth0 inet went down first, and its IPv6 address with the link
        assert gone == {"ifdown -a": ["Error: ipv6: address not found."]}
    else:
        assert gone == {}

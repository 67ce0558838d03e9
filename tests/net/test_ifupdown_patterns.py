"""interfaces(5) patterns side by side with Debian's ifupdown 0.8.

[VARIABLE]/VALUE[/N][=LOGICAL] on the command line and in `auto`,
`allow-*` and `rename` lines: the name or a /sys/class/net/IF file (`mac`
for `address`) matched with fnmatch, the N-th match in the order Debian
walks getifaddrs(3), mapped to a logical interface.  Each world of
test_ifupdown.py (its fixture and comparison, imported) gets a second
veth pair with addresses of its own and an MTU of 1400 on eth1; then
every step's whole snapshot must be Debian's.  Links in index order:
lo, veth1, veth0, eth1, eth0 (a veth's peer is made first), but lo,
which has addresses, comes last for Debian (see pat_order()).

Three deliberate differences, each asserted: `VARIABLE/*` matches where
the file exists, as interfaces(5) says, where Debian 0.8.41 matches where
it does not (test_star_matches_where_the_file_exists); a target with
=LOGICAL that a `rename` names is followed to the new name, where
Debian's asprintf() takes its own success for a failure and exits
(test_rename_pattern_same_as_debian); and a `rename` word without '='
leaves a target of ifquery or ifdown as it is, where Debian makes it
an empty name (test_rename_without_target_naming_a_target).
"""
import json
import shlex
import time

import pytest

from test_ifupdown import (assert_same, run, side_by_side, tool,  # noqa: F401
                           world)

LINKS = """link add eth0 type veth peer name eth1
link set eth0 address 02:00:00:00:01:20
link set eth1 address 02:00:00:00:01:21
link set eth1 mtu 1400
"""
# A bridge: a sysfs directory (bridge/) only it has.  Its timers count
# down in `ip -d link`, so the tests with it skip the links.
BRIDGE = "link add br0 type bridge\nlink set br0 address 02:00:00:00:02:00\n"


@pytest.fixture
def pworld(world):  # noqa: F811
    """world(), plus LINKS (and BRIDGE with bridge=True)."""
    def make(name, text, bridge=False):
        ns, base = world(name, text)
        ns.run("ip", "-batch", "-", check=True,
               input=LINKS + (BRIDGE if bridge else ""))
        return ns, base
    return make


def with_bridge(pworld):
    return lambda name, text: pworld(name, text, bridge=True)


def q(*words):
    """A command line: run() hands it to sh -c, so patterns are quoted."""
    return [words[0]] + [shlex.quote(w) for w in words[1:]]


STANZAS = """iface veth0 inet static
	address 10.9.0.1/24
iface veth1 inet manual
iface eth0 inet manual
iface eth1 inet manual
iface lan inet static
	address 10.9.9.1/24
"""

# ifquery --list PATTERN: what each pattern expands to.
LISTED = [
    "/veth*", "/*", "/veth?/2", "/veth*/3", "/veth*/0", "/veth*/-1",
    "/veth*/x", "/veth*/1x", "/veth@(0|9)", "/veth+([0-9])",
    "mac/02:00:00:00:00:10", "MAC/02:*/1", "address/02:*:1?/2",
    "mac/02:00:00:00:0[01]:2?", "type/1", "type/772", "mtu/1400",
    "mtu/1500/3", "operstate/down", "uevent/IFINDEX?3", "/eth*/=lan",
    "mac/02:00:00:00:01:21=lan",
    # no match, and what Debian makes of malformed patterns
    "/nomatch", "nosuch/?*", "mac/", "/", "//1", "veth0/", "../?*",
    "/veth*=lan/1", "uevent/INTERFACE=veth0",
    # names and patterns, each interface once
    "veth0", "veth0=lan",
]


def test_patterns_same_as_debian(pworld):
    steps = [q("ifquery", "--list", p) for p in LISTED]
    steps += [q("ifquery", "--list", "veth0", "/veth*", "veth0", "mtu/1400")]
    # =LOGICAL: the options of stanza lan, once per match
    steps += [q("ifquery", "mac/02:00:00:00:01:2?/=lan"),
              q("ifquery", "/veth*/2"), q("ifquery", "/eth*=nosuch")]
    res = side_by_side(pworld, STANZAS, steps)
    assert_same(res, steps)
    out = {p: (r["rc"], r["stdout"], r["stderr"])
           for p, r in zip(LISTED, res["ours"][1:])}
    assert out["/*"] == (0, "veth1\nveth0\neth1\neth0\nlo\n", "")
    assert out["/veth?/2"] == (0, "veth0\n", "")
    assert out["mac/02:00:00:00:0[01]:2?"] == (0, "eth1\neth0\n", "")
    assert out["mtu/1400"] == (0, "eth1\n", "")
    assert out["/veth+([0-9])"] == (0, "veth1\nveth0\n", "")
    assert out["mac/02:00:00:00:01:21=lan"] == (0, "eth1\n", "")
    for p in ("/nomatch", "mac/", "//1", "/veth*=lan/1"):
        assert out[p] == (0, "", ""), p
    assert res["ours"][len(LISTED) + 1]["stdout"] == "veth0\nveth1\neth1\n"
    lan = "address: 10.9.9.1\nbroadcast: 10.9.9.255\nnetmask: 255.255.255.0\n"
    assert res["ours"][-3]["stdout"] == lan * 2
    assert res["ours"][-1]["stderr"] == ("ifquery: unknown interface nosuch\n"
                                         * 2)


def test_star_matches_where_the_file_exists(pworld):
    """interfaces(5): "The pattern * matches if this exists".  Debian
    0.8.41 takes access()'s -1 for a match: there, bridge/* is every
    interface but the bridge, and nosuch/* every one."""
    text = "iface br0 inet manual\n"
    steps = [q("ifquery", "--list", p)
             for p in ("bridge/*", "nosuch/*", "mtu/*", "bridge/?*")]
    res = side_by_side(with_bridge(pworld), text, steps)
    ours = [(r["rc"], r["stdout"], r["stderr"]) for r in res["ours"][1:]]
    deb = [(r["rc"], r["stdout"], r["stderr"]) for r in res["debian"][1:]]
    unknown = "".join(f"ifquery: unknown interface {i}\n"
                      for i in ("veth1", "veth0", "eth1", "eth0"))
    assert ours == [
        (0, "br0\n", ""),
        (0, "", ""),
        (1, "br0\nlo\n", unknown),
        (0, "", "")]  # a directory has no lines
    assert deb == [
        (1, "lo\n", unknown),
        (1, "br0\nlo\n", unknown),
        (0, "", ""),
        (0, "", "")]


def test_auto_and_allow_patterns_same_as_debian(pworld):
    text = """auto /veth*/1 mac/02:00:00:00:01:2?/2=lan
allow-hotplug /eth*=hot mtu/1400/=lan
""" + STANZAS + "iface hot inet manual\n"
    steps = [["ifquery", "--list"], ["ifquery", "--list", "--allow=hotplug"],
             ["ifup", "-a"], ["ifquery", "--state"],
             ["ifup", "--allow=hotplug", "veth0"],
             ["ifup", "-a", "--allow=hotplug"], ["ifquery", "--state"],
             ["ifdown", "--allow=hotplug", "eth1"],
             ["ifdown", "-a"], ["ifquery", "--state"]]
    res = side_by_side(pworld, text, steps)
    assert_same(res, steps)
    ours = res["ours"]
    assert ours[1]["stdout"] == "lo\nveth1\neth0\n"
    assert ours[2]["stdout"] == "eth1\neth0\neth1\n"  # =hot, =hot, =lan
    assert ours[4]["stdout"] == "eth0=lan\nveth1=veth1\nlo=lo\n"
    assert ours[5]["calls"] == []  # veth0 is not allow-hotplug
    assert ours[7]["stdout"] == "eth1=hot\neth0=lan\nveth1=veth1\nlo=lo\n"
    assert [r["rc"] for r in ours[1:]] == [0] * len(steps)


def test_rename_pattern_same_as_debian(pworld):
    """`rename` by MAC address.  Before the rename, a command naming the
    old name acts on the new one; after it, the pattern names wan0 itself
    (wan0=wan0) and eth0 is no more.  Then Debian's asprintf() that
    follows a target with =LOGICAL to its new name takes its success for
    a failure: its ifdown -a exits at once ("ifdown: asprintf: " and
    whatever errno held).  Ours goes on."""
    text = """rename mac/02:00:00:00:01:20=wan0
auto wan0
iface wan0 inet static
	address 10.9.1.1/24
"""
    steps = [["ifquery", "eth0"], ["ifup", "-a"], ["ifquery", "--state"],
             ["ifdown", "eth0"], ["ifdown", "wan0"], ["ifup", "wan0"],
             ["ifdown", "-a"]]
    res = side_by_side(pworld, text, steps)
    assert_same(res, steps[:-1])
    ours, deb = res["ours"], res["debian"]
    assert ours[1]["stdout"].startswith("address: 10.9.1.1\n")
    assert "wan0" in links(ours[2]) and "eth0" not in links(ours[2])
    assert ours[3]["stdout"] == "wan0=wan0\nlo=lo\n"
    assert [r["rc"] for r in ours[1:]] == [0, 0, 0, 1, 0, 0, 0]
    assert ours[4]["stderr"] == "ifdown: unknown interface eth0\n"
    assert "UP" in links(ours[6])["wan0"]["flags"]
    assert (deb[7]["rc"], deb[7]["calls"]) == (1, [])
    assert deb[7]["stderr"].startswith("ifdown: asprintf: ")
    assert ours[7]["stderr"] == "" and ours[7]["state"]["ifstate"] == ""
    assert links(ours[7])["wan0"] == links(ours[5])["wan0"]  # down


def links(snap):
    return {json.loads(link)["ifname"]: json.loads(link)
            for link in snap["links"]}


def test_rename_failure_stops_ifup(pworld):
    """A rename that fails ends ifup with status 1 before anything runs.
    Debian's first line is `ip`'s; ours says what failed too."""
    text = "rename /eth0=veth0\nauto veth1\niface veth1 inet manual\n"
    steps = [["ifup", "-a"]]
    res = side_by_side(pworld, text, steps)
    assert_same(res, steps, skip=("stderr",))
    last = "ifup: unable to rename eth0 to veth0\n"
    assert res["debian"][1]["stderr"] == "RTNETLINK answers: File exists\n" \
        + last
    assert res["ours"][1]["stderr"] == \
        "ifup: eth0: ip link set name veth0: File exists\n" + last
    assert res["ours"][1]["rc"] == 1 and res["ours"][1]["calls"] == []


def test_command_line_patterns_same_as_debian(pworld):
    """No match is no interface (status 0); a pattern's names come once;
    a logical name without a stanza is an unknown interface."""
    text = STANZAS
    steps = [q("ifup", "/nomatch"), q("ifup", "mac/"),
             q("ifup", "veth1", "veth1", "/veth*"),
             q("ifup", "/eth*=nosuch"), q("ifquery", "--state"),
             q("ifdown", "mtu/1400"), q("ifdown", "/veth*/1"),
             q("ifdown", "type/1"), q("ifquery", "--state")]
    res = side_by_side(pworld, text, steps)
    assert_same(res, steps)
    ours = [(r["rc"], r["stderr"]) for r in res["ours"][1:]]
    assert ours[:4] == [(0, ""), (0, ""), (0, ""),
                        (1, "ifup: unknown interface nosuch\n" * 2)]
    assert res["ours"][5]["stdout"] == "veth0=veth0\nveth1=veth1\n"
    assert ours[5] == (0, "ifdown: interface eth1 not configured\n")
    assert res["ours"][9]["stdout"] == ""


@pytest.mark.parametrize("words,err", [
    ("eth0", "missing target name for interface eth0\n"),
    ("/eth*", "missing target name for interface eth1\n"),
    ("/veth*/2=wan0 eth1", "missing target name for interface eth1\n"),
    ("=lan0", ""),
    ("eth1=", "missing required variable: newname\n"
              "ifup: unable to rename eth1 to \n")])
def test_rename_without_target_same_as_debian(pworld, words, err):
    """`rename` takes any word, as Debian's parser does.  A word without
    '=' (a name or what a pattern names) stops ifup before anything runs
    ("missing target name ..."); ifdown and ifquery take it for no
    rename.  CUR= is a rename without its newname; =NEW renames nothing."""
    text = f"rename {words}\nauto veth1\niface veth1 inet manual\n"
    steps = [["ifquery", "--list"], ["ifquery", "veth1"], ["ifup", "-a"],
             ["ifquery", "--state"], ["ifup", "-a"], ["ifdown", "-a"]]
    res = side_by_side(pworld, text, steps)
    # Debian's ifdown -a writes an empty ifstate where there was none
    assert_same(res, steps[:-1])
    assert_same(res, steps, skip=("state",))
    ours = res["ours"]
    assert ours[1]["stdout"] == "lo\nveth1\n"
    assert ours[3]["stderr"] == (f"ifup: {err}" if err else "")
    assert ours[3]["rc"] == (1 if err else 0)
    if err:
        assert ours[3]["calls"] == []


def test_long_auto_line_is_linear(pworld):
    """`auto` with 80,000 names: each kept once, in order, by a hash
    index (it took 10 s when each name was looked for in the list)."""
    names = [f"e{i}" for i in range(80000)]
    text = "auto " + " ".join(names + names[:100]) + "\n" + "".join(
        f"iface {n} inet manual\n" for n in names[:5000])
    ns, base = pworld("ours", text)
    t0 = time.monotonic()
    r = run(ns, base, tool("ours", "ifquery"), "--list")
    took = time.monotonic() - t0
    assert r.returncode == 1
    assert r.stdout == "".join(f"{n}\n" for n in ["lo"] + names[:5000])
    assert r.stderr.count("unknown interface") == 75000
    assert took < 5, f"ifquery --list took {took:.1f} s"  # a hang check


def test_rename_without_target_naming_a_target(pworld):
    """A `rename` word without '=' that names a target of ifquery or
    ifdown: Debian follows it to the text after a '=' it lacks, an empty
    name ("unknown interface ", status 1); ours renames nothing and acts
    on the interface.  ifup stops at the word in both."""
    text = "rename /veth*\nauto veth1\niface veth1 inet manual\n"
    steps = [["ifquery", "--list"], ["ifquery", "veth1"], ["ifup", "-a"],
             ["ifdown", "veth1"]]
    res = side_by_side(pworld, text, steps)
    ours = [(r["rc"], r["stdout"], r["stderr"]) for r in res["ours"][1:]]
    deb = [(r["rc"], r["stdout"], r["stderr"]) for r in res["debian"][1:]]
    missing = "ifup: missing target name for interface veth1\n"
    assert ours == [(0, "lo\nveth1\n", ""), (0, "", ""), (1, "", missing),
                    (0, "", "ifdown: interface veth1 not configured\n")]
    assert deb == [(1, "lo\n", "ifquery: unknown interface \n"),
                   (1, "", "ifquery: unknown interface \n"), (1, "", missing),
                   (1, "", "ifdown: unknown interface \n")]

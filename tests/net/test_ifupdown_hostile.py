"""ifup/ifdown/ifquery against hostile and broken configurations.

Each case here once went wrong: files sourced under another name read
again, a mapping script that does not read its input killing ifup with
SIGPIPE, ifdown signalling whatever process a stale DHCP pid file names,
the recursion guard lost for names like br-lan (a deadlock), an over-long
--state-dir overrunning a stack buffer, state files followed through
symbolic links or kept in a directory anyone may write, pathological
files parsed in quadratic time or memory, and a full rollback journal
dropping entries silently.

Where Debian's ifupdown 0.8 behaves sanely, its run beside ours is the
reference (the same snapshot, with test_ifupdown.py's comparison); where
it does not, the test asserts the difference and says what Debian does.
Parsing cases run ifquery on files only: no namespace, no hook.
"""
import os
import signal
import subprocess
import sys
import time

import pytest

from conftest import need_root
from test_ifupdown import assert_same, side_by_side, world  # noqa: F401
from test_ifupdown_faults import World, prog, wait_for
from test_ifupdown_faults import world as fworld  # noqa: F401


def ifquery(who, path, state, *args, timeout=30):
    """ifquery -i @path: (rc, stdout, stderr, peak RSS in KiB).  A wrapper
    process reports the RSS, so earlier children do not count, and kills
    ifquery after @timeout seconds (rc 124)."""
    wrap = ("import resource, subprocess, sys\n"
            "try:\n"
            "    r = subprocess.run(sys.argv[2:], capture_output=True,\n"
            "                       timeout=float(sys.argv[1]))\n"
            "except subprocess.TimeoutExpired:\n"
            "    sys.exit(124)\n"
            "sys.stdout.buffer.write(r.stdout)\n"
            "sys.stderr.buffer.write(r.stderr)\n"
            "rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss\n"
            "sys.stderr.write(f'@@{rss}\\n')\n"
            "sys.exit(r.returncode)\n")
    r = subprocess.run([sys.executable, "-c", wrap, str(timeout),
                        prog(who, "ifquery"), "-i", str(path),
                        "--state-dir", str(state), *args],
                       capture_output=True, text=True)
    assert r.returncode != 124, f"ifquery took over {timeout} s"
    err, _, rss = r.stderr.rpartition("@@")
    return r.returncode, r.stdout, err, int(rss)


# ---- source and source-directory ------------------------------------------

STANZA = "iface veth0 inet manual\n\tfoo bar\n"


def files(base, tree):
    """Writes {relative path: text} under @base, and makes base/st (a
    state directory); returns base/interfaces."""
    for name, text in tree.items():
        p = base / name
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(text)
    (base / "st").mkdir(parents=True, exist_ok=True)
    return base / "interfaces"


def test_sources_each_other_same_as_debian(tmp_path):
    """Two files that source each other: each read once, by both."""
    out = {}
    for who in ("ours", "debian"):
        base = tmp_path / who
        path = files(base, {"interfaces": STANZA + "source b\n",
                            "b": "source interfaces\n"
                                 "iface veth1 inet manual\n\tbaz 1\n"})
        out[who] = [ifquery(who, path, base / "st", dev)[:3]
                    for dev in ("veth0", "veth1")]
    assert out["ours"] == out["debian"]
    assert out["ours"] == [(0, "foo: bar\n", ""), (0, "baz: 1\n", "")]


@pytest.mark.parametrize("line", ["source ./interfaces",
                                  "source-directory .",
                                  "source ../d/interfaces"])
def test_source_itself_read_once(tmp_path, line):
    """A file that sources itself under a longer name each time: read
    once.  Debian compares the names' text, so it reads the file again at
    each level (each stanza defined some 2000 times) until the name is
    longer than PATH_MAX, then says so for the last level."""
    res = {}
    for who in ("ours", "debian"):
        base = tmp_path / who
        files(base, {})  # the state directory, outside d
        path = files(base / "d", {"interfaces": STANZA + line + "\n"})
        (base / "d" / "st").rmdir()
        res[who] = ifquery(who, path, base / "st", "veth0")
    assert res["ours"][:3] == (0, "foo: bar\n", "")
    rc, out, err, _ = res["debian"]
    assert out.count("foo: bar\n") > 100
    assert "File name too long" in err


def test_same_file_under_other_names_read_once(tmp_path):
    """By device and inode, not name: a hard link, and 300 hard links in
    a directory that each source the directory.  Debian reads the first
    case twice (two names); the second it cannot finish (300 names more
    at each level), so only ours runs it."""
    res = {}
    for who in ("ours", "debian"):
        base = tmp_path / who
        path = files(base, {"interfaces": STANZA + "source x\n"})
        os.link(path, base / "x")
        res[who] = ifquery(who, path, base / "st", "veth0")[:3]
    assert res["ours"] == (0, "foo: bar\n", "")
    assert res["debian"] == (0, "foo: bar\nfoo: bar\n", "")

    base = tmp_path / "links"
    path = files(base, {"interfaces": "source-directory d\n",
                        "d/f0": STANZA + "source-directory .\n"})
    for i in range(1, 300):
        os.link(base / "d" / "f0", base / "d" / f"f{i}")
    assert ifquery("ours", path, base / "st", "veth0")[:3] == \
        (0, "foo: bar\n", "")


def test_bind_mounted_directory_read_once(tmp_path):
    """The same file seen through a bind mount (another path, another
    real path, the same inode) is read once."""
    need_root()
    base = tmp_path / "bind"
    files(base, {"interfaces": STANZA + "source sub/interfaces\n",
                 "sub/.keep": ""})
    cmd = (f"mount --bind {base} {base}/sub && exec {prog('ours', 'ifquery')}"
           f" -i {base}/interfaces --state-dir {base}/st veth0")
    r = subprocess.run(["unshare", "-m", "sh", "-c", cmd],
                       capture_output=True, text=True, timeout=30)
    assert (r.returncode, r.stdout, r.stderr) == (0, "foo: bar\n", "")


def test_sources_nest_at_most_16_deep(tmp_path):
    """A chain of 20 files: one FILE:LINE error (Debian reads them all)."""
    base = tmp_path / "chain"
    tree = {f"f{i}": f"iface v{i} inet manual\nsource f{i + 1}\n"
            for i in range(20)}
    tree["interfaces"] = "source f0\n"
    path = files(base, tree)
    rc, out, err, _ = ifquery("ours", path, base / "st", "v0")
    assert rc == 1 and out == ""
    assert err == (f"ifquery: {base}/f15:2: too many nested source levels\n"
                   f'ifquery: couldn\'t read interfaces file "{path}"\n')
    rc, out, err, _ = ifquery("debian", path, base / "st", "v19")
    assert (rc, err) == (0, "")


# ---- a mapping script that does not read its input -------------------------

MAP_SCRIPTS = {
    "exits": "echo net-a\nexit 0\n",
    "closes": "exec 0<&-\necho net-a\n",
    "reads-one": "read x\necho net-a\n",
}


@pytest.mark.parametrize("script", sorted(MAP_SCRIPTS))
def test_mapping_ignores_its_input_same_as_debian(world, script):  # noqa: F811
    """More `map` lines than a pipe holds, to a script that reads none
    or one of them: SIGPIPE must not kill ifup (Debian ignores it there
    too); the script's answer maps veth0."""
    maps = "".join(f"\tmap veth0 some-long-logical-name-{i:05}\n"
                   for i in range(3000))
    text = (f"mapping veth0\n\tscript @DUMP@/../map.sh\n{maps}"
            "iface net-a inet static\n\taddress 10.6.0.1/24\n")

    def setup(base):
        (base / "map.sh").write_text("#!/bin/sh\n" + MAP_SCRIPTS[script])
        (base / "map.sh").chmod(0o755)

    steps = [["ifup", "veth0"], ["ifquery", "--state"]]
    res = side_by_side(world, text, steps, setup)
    assert_same(res, steps)
    assert res["ours"][1]["rc"] == 0, res["ours"][1]["stderr"]
    assert res["ours"][2]["stdout"] == "veth0=net-a\n"


# ---- ifdown signals its own DHCP client only --------------------------------

# udhcpc as ifup runs it ("-R -n -p PIDFILE -i IF"), in the background as
# a lease keeper would stay, with its own command line.
KEEPER = """#!/bin/sh
( trap 'exit 0' TERM; while :; do sleep 0.05; done ) </dev/null >/dev/null 2>&1 &
echo $! > "$4"
"""
NOOP = "#!/bin/sh\nexit 0\n"


def dhcp_world(ns, tmp_path, name, client):
    w = World(ns, tmp_path / name, "iface veth0 inet dhcp\n")
    (w.base / "bin").mkdir()
    (w.base / "bin" / "udhcpc").write_text(client)
    (w.base / "bin" / "udhcpc").chmod(0o755)
    return w, f"env PATH={w.base / 'bin'}:$PATH"


def alive(pid):
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()[0] != "Z"
    except FileNotFoundError:
        return False


def test_ifdown_dhcp_leaves_a_stranger_alone(ns, tmp_path):
    """The pid file names a process that is not the client ifup started
    (a stale file, the pid reused): ifdown says so in one line and
    signals nothing.  Debian runs `kill $(cat PIDFILE)`."""
    w, env = dhcp_world(ns, tmp_path, "stranger", NOOP)
    r = w.run(prog("ours", "ifup"), "veth0", env=env)
    assert r.returncode == 0, r.stderr
    stranger = subprocess.Popen(["sleep", "600"])
    try:
        (w.run_dir / "udhcpc.veth0.pid").write_text(f"{stranger.pid}\n")
        r = w.run(prog("ours", "ifdown"), "veth0", env=env)
        assert r.returncode == 0
        assert r.stderr == (f"ifdown: veth0: /var/run/udhcpc.veth0.pid: pid "
                            f"{stranger.pid} is not its udhcpc: not "
                            f"signalled\n")
        assert stranger.poll() is None
        assert w.ifstate() == ""
    finally:
        stranger.kill()
        stranger.wait()


def test_ifdown_dhcp_stops_its_client(ns, tmp_path):
    w, env = dhcp_world(ns, tmp_path, "keeper", KEEPER)
    r = w.run(prog("ours", "ifup"), "veth0", env=env)
    assert r.returncode == 0, r.stderr
    pid = int((w.run_dir / "udhcpc.veth0.pid").read_text())
    try:
        assert alive(pid)
        r = w.run(prog("ours", "ifdown"), "veth0", env=env)
        assert (r.returncode, r.stderr) == (0, "")
        assert wait_for(lambda: not alive(pid)), "the client survived"
    finally:
        if alive(pid):
            os.kill(pid, signal.SIGKILL)


# ---- the recursion guard for any name --------------------------------------

def recursive(who, name, world_of):
    """`up ifup NAME` in NAME's stanza, NAME a link of the namespace."""
    text = (f"iface {name} inet manual\n\tup {prog(who, 'ifup')} -i "
            f"/etc/network/interfaces --state-dir @BASE@/state {name}\n")
    w = world_of(text, who)
    if name != "veth0":
        w.ns.ip("link", "add", "br-lan", "type", "veth", "peer", "name",
                "wan.2")
    return w


def finish_or_hang(p):
    """(rc, stderr) once @p ends, or None when it waits for a lock."""
    wait_for(lambda: p.p.poll() is not None
             or "waiting for lock" in p.stderr)
    if p.p.poll() is None:
        p.killgroup()
        return None
    p.finish()
    return p.returncode, p.stderr


RECURSION = {
    "veth0": "interface veth0 in post-up",
    "br-lan": "interface br-lan in post-up",
    # the parent's guard, IFUPDOWN_wan=parent-lock, is checked first
    "wan.2": "parent interface wan in parent-lock",
}


@pytest.mark.parametrize("name", sorted(RECURSION))
def test_recursion_guard_any_name(fworld, name):  # noqa: F811
    """A hook that runs ifup on its own interface: the nested ifup says
    so and fails, whatever the name.  Debian's guard, IFUPDOWN_<name>,
    only reaches it when the name is a shell name: /bin/sh drops
    IFUPDOWN_br-lan, and Debian's nested ifup waits for the lock its
    parent holds for ever (wan.2 is saved by its parent's guard)."""
    w = recursive("ours", name, fworld)
    got = finish_or_hang(w.start(prog("ours", "ifup"), name))
    assert got is not None, "the nested ifup waits for its parent's lock"
    assert got == (1, f"ifup: recursion detected for {RECURSION[name]} "
                      f"phase\nifup: failed to bring up {name}\n")
    assert w.ifstate() == ""
    w = recursive("debian", name, fworld)
    deb = finish_or_hang(w.start(prog("debian", "ifup"), name))
    assert deb == (None if name == "br-lan" else got)


# ---- --state-dir -----------------------------------------------------------

@pytest.mark.parametrize("cmd", ["ifup", "ifdown", "ifquery"])
def test_long_state_dir_refused(ns, tmp_path, cmd):
    """A name too long for a path buffer: one line, exit 1, nothing
    written anywhere (the old code fell back to the working directory,
    and ifdown overran a stack buffer)."""
    cwd = tmp_path / "cwd"
    cwd.mkdir()
    (cwd / "interfaces").write_text("iface nosuch0 inet manual\n")
    long = "/tmp/" + "d" * 5000
    r = ns.run("sh", "-c", f"cd {cwd} && exec {prog('ours', cmd)} -i "
               f"interfaces --state-dir {long} nosuch0")
    assert r.returncode == 1
    assert r.stderr == (f"{cmd}: --state-dir: a name of 5005 bytes is too "
                        f"long (at most 3968)\n")
    assert sorted(os.listdir(cwd)) == ["interfaces"]


def test_deep_state_dir_works(ns, tmp_path):
    """600 bytes of directory names still fit (ifdown of an interface
    only the state knows built its path in 512 bytes)."""
    state = tmp_path
    for i in range(6):
        state = state / (chr(ord("a") + i) * 100)
    state.mkdir(parents=True)
    (tmp_path / "interfaces").write_text("iface veth0 inet manual\n")
    (state / "ifstate.veth9").write_text("")
    base = f"{prog('ours', 'ifdown')} -i {tmp_path}/interfaces " \
           f"--state-dir {state}"
    r = ns.run("sh", "-c", f"{base} nosuch0")
    assert (r.returncode, r.stderr) == (1, "ifdown: unknown interface "
                                           "nosuch0\n")
    r = ns.run("sh", "-c", f"{base} veth9")
    assert (r.returncode, r.stderr) == (0, "ifdown: interface veth9 not "
                                           "configured\n")


# ---- state and lock files --------------------------------------------------

STATIC = "iface veth0 inet static\n\taddress 192.0.2.10/24\n"


def plant(w, kind):
    """Puts a trap in @w's state directory; returns the target file a
    followed link would write, or None."""
    target = w.base / "target"
    target.write_text("veth0=veth0\n")
    if kind in ("ifstate.veth0", "ifstate", ".ifstate.lock"):
        os.symlink(target, w.state / kind)
        return target
    if kind == "fifo":
        os.mkfifo(w.state / "ifstate.veth0")
    elif kind == "dir":
        (w.state / "ifstate.veth0").mkdir()
    elif kind == "dangling":
        os.symlink(w.base / "nothing", w.state / "ifstate.veth0")
    else:
        w.state.chmod(int(kind, 8))
    return None


TRAPS = {
    "ifstate.veth0": "{state}/ifstate.veth0: refused: a symbolic link",
    "dangling": "{state}/ifstate.veth0: refused: a symbolic link",
    "ifstate": "{state}/ifstate: refused: a symbolic link",
    ".ifstate.lock": "{state}/.ifstate.lock: refused: a symbolic link",
    "fifo": "{state}/ifstate.veth0: refused: not a regular file",
    "dir": "{state}/ifstate.veth0: refused: not a regular file",
    "0777": "{state}/ifstate.veth0: refused: directory {state} is "
            "writable by others",
    "1777": "{state}/ifstate.veth0: refused: directory {state} is "
            "writable by others",
}


@pytest.mark.parametrize("kind", sorted(TRAPS))
def test_state_file_traps_refused(fworld, kind):  # noqa: F811
    """No state or lock file is opened through a symbolic link or if it
    is not a regular file, nor in a directory others may write: one line
    naming the file, exit 1, the interface left alone, a link's target
    untouched.  Debian follows them all."""
    w = fworld(STATIC)
    target = plant(w, kind)
    r = w.run(prog("ours", "ifup"), "veth0")
    assert r.returncode == 1
    assert r.stderr == "ifup: " + TRAPS[kind].format(state=w.state) + "\n"
    assert w.addrs() == [] and not w.up("veth0")
    if target:
        assert target.read_text() == "veth0=veth0\n"
    if kind in ("ifstate", "0777"):
        r = w.run(prog("ours", "ifquery"), "--state")
        assert r.returncode == 1
        want = TRAPS[kind].format(state=w.state)
        assert r.stderr == "ifquery: " + want.replace(
            "ifstate.veth0", "ifstate") + "\n"


# ---- pathological files ----------------------------------------------------

def big(tmp_path, name, text):
    (tmp_path / "st").mkdir(exist_ok=True)
    (tmp_path / name).write_text(text)
    return tmp_path / name


# Peak RSS a refused or linear parse stays under (KiB): the parsed
# configuration is capped at 16 MiB, a file at 16 MiB; the sanitizers'
# shadow and redzones come on top.
RSS_MAX = 200 * 1024


@pytest.mark.parametrize("kind", ["options", "repeats", "hooks"])
def test_million_options_refused(tmp_path, kind):
    """A million option lines in one stanza, distinct, repeated (each
    joined to the last: quadratic bytes) or hooks: refused at the first
    line over 4096 options, at once."""
    line = {"options": lambda i: f"\to{i} x\n",
            "repeats": lambda i: "\ta 1\n",
            "hooks": lambda i: "\tup true\n"}[kind]
    path = big(tmp_path, "f", "iface veth0 inet manual\n"
               + "".join(line(i) for i in range(1000000)))
    rc, out, err, rss = ifquery("ours", path, tmp_path / "st", "veth0",
                                timeout=30)
    assert rc == 1 and out == ""
    assert err == (f"ifquery: {path}:4098: too many options in one stanza "
                   f"(over 4096)\nifquery: couldn't read interfaces file "
                   f'"{path}"\n')
    assert rss < RSS_MAX


def test_inherits_chain_refused(tmp_path):
    """3000 stanzas, each inheriting the one before and adding an option:
    copies grow with the square (4.5 million options, 360 MB).  The
    parsed configuration is capped: one FILE:LINE error."""
    text = "iface v0 inet manual\n\to0 x\n" + "".join(
        f"iface v{i} inherits v{i - 1}\n\to{i} x\n" for i in range(1, 3000))
    path = big(tmp_path, "f", text)
    rc, out, err, rss = ifquery("ours", path, tmp_path / "st", "v0")
    assert rc == 1
    assert err.startswith(f"ifquery: {path}:")
    assert ": too much configuration: over 16 MiB once parsed\n" in err
    assert int(err[len(f"ifquery: {path}:"):].split(":")[0]) > 1000
    assert rss < RSS_MAX


def test_many_names_parse_in_linear_time(tmp_path):
    """90,000 names on one auto line, and 50,000 stanzas each inheriting
    the one before (no options): each lookup is a hash probe, so ifquery
    takes a fraction of a second (a list search each: 20 s and more).
    The bound is 20 times what it needs on a loaded host."""
    path = big(tmp_path, "auto", "auto " + " ".join(
        f"v{i}" for i in range(90000)) + "\niface v1 inet manual\n\ta b\n")
    t0 = time.monotonic()
    assert ifquery("ours", path, tmp_path / "st", "v1", timeout=15)[:3] == \
        (0, "a: b\n", "")
    path = big(tmp_path, "chain", "iface v0 inet manual\n\ta b\n" + "".join(
        f"iface v{i} inherits v{i - 1}\n" for i in range(1, 50000)))
    rc, out, err, rss = ifquery("ours", path, tmp_path / "st", "v49999",
                                timeout=15)
    assert (rc, out, err) == (0, "a: b\n", "")
    assert time.monotonic() - t0 < 15
    assert rss < RSS_MAX


def test_allow_class_in_linear_time(ns, tmp_path):
    """30,000 interfaces in allow-hotplug lines, each with a stanza:
    ifup -a -n --allow=hotplug and ifquery --list --allow=hotplug look
    each one up in the class and walk its stanzas by hash, in under a
    second; a search of the class and of all stanzas for each took 20 s.
    (The parsed configuration's cap, 16 MiB, keeps the count under
    35,000.)  The bound is over 10 times what it needs."""
    n = 30000
    path = big(tmp_path, "f", "".join(
        "allow-hotplug " + " ".join(f"e{i}" for i in range(j, j + 1000))
        + "\n" for j in range(0, n, 1000))
        + "".join(f"iface e{i} inet manual\n" for i in range(n)))
    t0 = time.monotonic()
    r = ns.run(prog("ours", "ifup"), "-a", "-n", "--allow=hotplug",
               "--no-scripts", "-i", str(path), "--state-dir",
               str(tmp_path / "st"), timeout=60)
    assert r.returncode == 0 and r.stdout == ""
    assert r.stderr.splitlines()[::n - 1] == [
        f"ip link set dev e{i} up 2>/dev/null || true" for i in (0, n - 1)]
    assert len(r.stderr.splitlines()) == n
    r = ns.run(prog("ours", "ifquery"), "--list", "--allow=hotplug", "-i",
               str(path), "--state-dir", str(tmp_path / "st"), timeout=60)
    assert r.stdout.split() == [f"e{i}" for i in range(n)]
    assert time.monotonic() - t0 < 10


def test_500_options_reach_the_hooks_same_as_debian(world):  # noqa: F811
    """A stanza of 500 options: every hook sees all of them as IF_<NAME>,
    as Debian's do (the environment was once capped at 128 variables)."""
    text = "auto veth0\niface veth0 inet manual\n" + "".join(
        f"\topt-{i} value {i}\n" for i in range(500))
    steps = [["ifup", "-a"], ["ifdown", "-a"]]
    res = side_by_side(world, text, steps)
    assert assert_same(res, steps) == {}
    for snap in res["ours"][1:]:
        assert snap["rc"] == 0 and snap["stderr"] == ""
        hooks = [(h, env) for h, env in snap["calls"] if "veth0" in h]
        assert len(hooks) == 2
        for _, env in hooks:
            opts = [e for e in env if e.startswith("IF_OPT_")]
            assert len(opts) == 500
            assert "IF_OPT_499=value 499" in opts


# ---- the rollback journal --------------------------------------------------

def stanzas(n, last=""):
    return "".join(f"iface veth0 inet static\n\taddress 10.{i // 250}."
                   f"{i % 250}.1/24\n" for i in range(n)) + last


def test_journal_full_fails_before_the_change(fworld):  # noqa: F811
    """130 stanzas of one interface: the 128th change (the link, then
    127 addresses) is the last the journal can undo; the next one is not
    made, ifup fails, and everything is rolled back."""
    w = fworld(stanzas(130))
    r = w.run(prog("ours", "ifup"), "veth0")
    assert r.returncode == 1
    assert r.stderr == ("ifup: veth0: ip addr add 10.0.127.1/255.255.255.0 "
                        "broadcast 10.0.127.255 dev veth0 label veth0: not "
                        "done: more than 128 changes to undo\n"
                        "ifup: failed to bring up veth0\n")
    assert w.addrs() == [] and not w.up("veth0") and w.ifstate() == ""


def test_journal_undoes_all_it_holds(fworld):  # noqa: F811
    """100 addresses, then a failing command: all of them undone (the
    journal held 32 and dropped the rest silently)."""
    w = fworld(stanzas(100, "\tup false\n"))
    r = w.run(prog("ours", "ifup"), "veth0")
    assert (r.returncode, r.stderr) == (1, "ifup: failed to bring up "
                                           "veth0\n")
    assert w.addrs() == [] and not w.up("veth0") and w.ifstate() == ""

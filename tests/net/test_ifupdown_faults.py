"""ifup/ifdown under faults: concurrency, kill -9, failing hooks, DHCP, VLAN.

Every run happens in the test's namespace (veth0 <-> veth1) with a private
/etc/network bind-mounted in the `ip netns exec` mount namespace, a private
--state-dir and, for DHCP, a private /run (udhcpc's pid file).  Where
Debian's ifupdown 0.8 behaves the same way (state after a crash, hook order,
exit status) its run in a fresh namespace is the reference.

No wall-clock threshold decides anything here: concurrency is proven by the
order of events (hooks that block on a fifo until the test opens it, "waiting
for lock" seen while the holder is still blocked), and every wait is for the
event itself, under a deadline that only a hang can reach.
"""
import errno
import os
import random
import re
import signal
import subprocess
import threading
import time
import uuid

import pytest

from conftest import BUILD, ROOT, Netns, need_root

OURS = os.path.join(BUILD, "bin")
REF = os.path.join(ROOT, "build", "ref", "ifupdown", "sbin")

LOG_HOOK = """#!/bin/sh
echo "{name} $PHASE $MODE $IFACE $ADDRFAM" >> {log}
{extra}
"""


def ref_bin():
    # scripts/deps (make deps, run by make check) fetches it, or fails.
    if not os.path.exists(os.path.join(REF, "ifup")):
        pytest.fail("Debian's ifupdown is not in build/ref: run make deps")
    return REF


class World:
    """One namespace's private /etc/network, state dir, /run and log."""

    def __init__(self, ns, base, text, scripts=None):
        self.ns, self.base = ns, base
        self.procs = []
        self.etc, self.state = base / "etc", base / "state"
        self.run_dir, self.log = base / "run", base / "log"
        for d in (self.etc, self.state, self.run_dir):
            d.mkdir(parents=True)
        self.log.write_text("")
        for phase in ("pre-up", "up", "down", "post-down"):
            (self.etc / f"if-{phase}.d").mkdir()
        for (phase, name), extra in (scripts or {}).items():
            self.script(phase, name, extra)
        (self.etc / "interfaces").write_text(
            text.replace("@LOG@", str(self.log)).replace("@BASE@", str(base)))

    def script(self, phase, name, extra=""):
        p = self.etc / f"if-{phase}.d" / name
        p.write_text(LOG_HOOK.format(name=name, log=self.log, extra=extra))
        p.chmod(0o755)

    def argv(self, prog, *args, env=""):
        cmd = (f"mount --bind {self.etc} /etc/network && "
               f"mount --bind {self.run_dir} /run && exec {env} {prog} "
               f"-i /etc/network/interfaces --state-dir {self.state} "
               + " ".join(args))
        return ["ip", "netns", "exec", self.ns.name, "sh", "-c", cmd]

    def run(self, prog, *args, env="", timeout=60):
        return subprocess.run(self.argv(prog, *args, env=env),
                              capture_output=True, text=True, timeout=timeout)

    def start(self, prog, *args, env=""):
        p = Proc(self.argv(prog, *args, env=env))
        self.procs.append(p)
        return p

    def gate(self, dev):
        """A fifo the SLOW hooks of @dev block on (`read < fifo`)."""
        os.mkfifo(self.base / f"gate.{dev}")

    def release(self, dev, seconds=30):
        """Lets the hook blocked on @dev's gate go on: opens the fifo
        for writing once the hook has it open for reading."""
        end = time.monotonic() + seconds
        while True:
            try:
                fd = os.open(self.base / f"gate.{dev}",
                             os.O_WRONLY | os.O_NONBLOCK)
                break
            except OSError as e:  # ENXIO: no reader yet
                if e.errno != errno.ENXIO or time.monotonic() > end:
                    raise
                time.sleep(0.01)
        os.write(fd, b"go\n")
        os.close(fd)

    def ifstate(self):
        p = self.state / "ifstate"
        return p.read_text() if p.exists() else ""

    def lines(self):
        return self.log.read_text().splitlines()

    def addrs(self, dev="veth0", family="inet"):
        return sorted(f"{a['local']}/{a['prefixlen']}"
                      for l in self.ns.ip_json("addr", "show", "dev", dev)
                      for a in l.get("addr_info", [])
                      if a["family"] == family
                      and not a["local"].startswith("fe80:"))

    def up(self, dev):
        return "UP" in self.ns.ip_json("link", "show", "dev", dev)[0]["flags"]


class Proc:
    """A command in a process group of its own whose stdout and stderr
    are read as they come (threads), so a test can wait for a message
    while the command still runs."""

    def __init__(self, argv):
        self.p = subprocess.Popen(argv, stdout=subprocess.PIPE,
                                  stderr=subprocess.PIPE,
                                  start_new_session=True)
        self.pid = self.p.pid
        self.done = False
        self.chunks = {"out": [], "err": []}
        self.threads = [threading.Thread(target=self._pump, args=(f, k),
                                         daemon=True)
                        for f, k in ((self.p.stdout, "out"),
                                     (self.p.stderr, "err"))]
        for t in self.threads:
            t.start()

    def _pump(self, f, key):
        for chunk in iter(lambda: f.read1(4096), b""):
            self.chunks[key].append(chunk)

    def text(self, key):
        return b"".join(self.chunks[key]).decode(errors="replace")

    @property
    def stderr(self):
        return self.text("err")

    @property
    def returncode(self):
        return self.p.returncode

    def finish(self, timeout=60):
        """Waits for the command and the end of its output (every process
        of the group that kept the pipes); returns (stdout, stderr)."""
        self.p.wait(timeout)
        for t in self.threads:
            t.join(timeout)
            assert not t.is_alive(), "a child kept the output open"
        self.done = True
        return self.text("out"), self.text("err")

    def killgroup(self):
        try:
            os.killpg(self.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        return self.finish()


@pytest.fixture
def world(tmp_path):
    """world(text, who="ours", scripts={(phase, name): extra}) -> World in
    a fresh namespace of its own."""
    need_root()

    def make(text, who="ours", scripts=None):
        n = Netns()
        made.append(n)
        w = World(n, tmp_path / f"{who}-{len(made)}", text, scripts)
        worlds.append(w)
        return w

    made, worlds = [], []
    yield make
    try:
        for w in worlds:
            for p in w.procs:  # whatever a failed test left blocked
                if not p.done:
                    p.killgroup()
    finally:
        for n in made:
            n.delete()


def prog(who, name):
    return os.path.join(OURS if who == "ours" else ref_bin(), name)


def wait_for(cond, seconds=30):
    """Polls @cond until it holds; False only when @seconds ran out,
    which no amount of load should reach."""
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        if cond():
            return True
        time.sleep(0.01)
    return cond()


# ---- concurrency ---------------------------------------------------------

# pre-up logs "start", blocks until the test opens the interface's gate,
# then logs "end": the test decides when each ifup may finish.
SLOW = """iface veth0 inet static
	address 192.0.2.10/24
	pre-up echo "start $IFACE" >> @LOG@; read go < @BASE@/gate.$IFACE; echo "end $IFACE" >> @LOG@
iface veth1 inet static
	address 192.0.2.11/24
	pre-up echo "start $IFACE" >> @LOG@; read go < @BASE@/gate.$IFACE; echo "end $IFACE" >> @LOG@
"""


def test_two_ifup_same_iface_never_interleave(world):
    """The second ifup says it waits for the lock while the first is held
    in its hook, and goes on only after the first finished."""
    w = world(SLOW)
    w.gate("veth0")
    a = w.start(prog("ours", "ifup"), "veth0")
    assert wait_for(lambda: "start veth0" in w.lines()), w.lines()
    b = w.start(prog("ours", "ifup"), "veth0")
    wait_for(lambda: "waiting for lock on" in b.stderr
             or b.p.poll() is not None)
    assert "waiting for lock on" in b.stderr, b.stderr
    assert a.p.poll() is None and w.lines() == ["start veth0"]
    w.release("veth0")
    outs = [p.finish() for p in (a, b)]
    assert (a.returncode, b.returncode) == (0, 0), outs
    assert w.lines() == ["start veth0", "end veth0"]
    assert "interface veth0 already configured" in outs[1][1]
    assert "already configured" not in outs[0][1]
    assert w.ifstate() == "veth0=veth0\n"
    assert w.addrs() == ["192.0.2.10/24"]


def test_ifdown_waits_for_ifup(world):
    w = world(SLOW)
    w.gate("veth0")
    a = w.start(prog("ours", "ifup"), "veth0")
    assert wait_for(lambda: "start veth0" in w.lines()), w.lines()
    b = w.start(prog("ours", "ifdown"), "veth0")
    wait_for(lambda: "waiting for lock on" in b.stderr
             or b.p.poll() is not None)
    assert "waiting for lock on" in b.stderr, b.stderr
    assert a.p.poll() is None and w.lines() == ["start veth0"]
    w.release("veth0")
    outs = [p.finish() for p in (a, b)]
    assert (a.returncode, b.returncode) == (0, 0), outs
    # ifdown saw the finished ifup, not a half-configured interface
    assert "not configured" not in outs[1][1]
    assert w.ifstate() == "" and w.addrs() == []


def test_different_ifaces_run_in_parallel(world):
    """Both ifups are inside their pre-up hooks at once: neither waits for
    the other's lock (a shared lock would hold the second back until the
    first is released, and it never is before both have started)."""
    w = world(SLOW)
    ps = []
    for dev in ("veth0", "veth1"):
        w.gate(dev)
        ps.append(w.start(prog("ours", "ifup"), dev))
    wait_for(lambda: {"start veth0", "start veth1"} <= set(w.lines())
             or any("waiting for lock" in p.stderr for p in ps))
    assert {"start veth0", "start veth1"} <= set(w.lines()), \
        f"per-interface locks serialised the runs: {w.lines()} " \
        f"{[p.stderr for p in ps]}"
    for dev in ("veth0", "veth1"):
        w.release(dev)
    outs = [p.finish() for p in ps]
    assert [p.returncode for p in ps] == [0, 0], outs
    assert not [e for _, e in outs if "waiting for lock" in e], outs
    assert sorted(w.lines()[:2]) == ["start veth0", "start veth1"]
    assert sorted(w.ifstate().splitlines()) == ["veth0=veth0", "veth1=veth1"]


# ---- kill -9 -------------------------------------------------------------

CRASH = """auto veth0 veth1
iface veth0 inet static
	address 192.0.2.10/24
	pre-up echo "pre-up $IFACE" >> @LOG@; [ -e @BASE@/stop.pre-up.$IFACE ] && sleep 30; true
	up echo "up $IFACE" >> @LOG@; [ -e @BASE@/stop.up.$IFACE ] && sleep 30; true
iface veth1 inet static
	address 192.0.2.11/24
	pre-up echo "pre-up $IFACE" >> @LOG@; [ -e @BASE@/stop.pre-up.$IFACE ] && sleep 30; true
	up echo "up $IFACE" >> @LOG@; [ -e @BASE@/stop.up.$IFACE ] && sleep 30; true
"""

POINTS = [("pre-up", "veth0"), ("up", "veth0"), ("pre-up", "veth1"),
          ("up", "veth1")]


def crash_at(w, who, phase, dev):
    """ifup -a, killed with SIGKILL while @dev's @phase hook sleeps."""
    (w.base / f"stop.{phase}.{dev}").write_text("")
    p = w.start(prog(who, "ifup"), "-a")
    assert wait_for(lambda: f"{phase} {dev}" in w.lines()), w.lines()
    os.kill(p.pid, signal.SIGKILL)  # the ifup itself (sh and ip exec it)
    p.p.wait(60)  # dead before its hook, so it never sees the hook end
    p.killgroup()  # then the sleeping hook
    (w.base / f"stop.{phase}.{dev}").unlink()


@pytest.mark.parametrize("phase,dev", POINTS)
def test_kill9_state_same_as_debian(world, phase, dev):
    """After a kill -9, both tools leave the same state files, and the
    next ifup -a / ifdown -a read them the same way."""
    res = {}
    for who in ("ours", "debian"):
        w = world(CRASH, who)
        crash_at(w, who, phase, dev)
        after = {"ifstate": w.ifstate()}
        up = w.run(prog(who, "ifup"), "-a")
        after["ifup -a"] = (up.returncode, w.ifstate())
        down = w.run(prog(who, "ifdown"), "-a")
        after["ifdown -a"] = (down.returncode, w.ifstate(), w.addrs("veth0"),
                              w.addrs("veth1"))
        up = w.run(prog(who, "ifup"), "-a")
        after["ifup -a again"] = (up.returncode, w.ifstate(),
                                  w.addrs("veth0"), w.addrs("veth1"))
        res[who] = after
    assert res["ours"] == res["debian"]
    assert res["ours"]["ifup -a again"][0] == 0


def test_kill9_at_random_moments(world):
    """Killed anywhere, ifup leaves a well-formed state file, no stale
    lock, and ifdown -a then ifup -a recover completely."""
    text = "".join(f"auto veth{i}\niface veth{i} inet static\n"
                   f"\taddress 192.0.2.{10 + i}/24\n" for i in (0, 1))
    w = world(text)
    rnd = random.Random(4)
    for _ in range(25):
        p = w.start(prog("ours", "ifup"), "-a")
        time.sleep(rnd.uniform(0.0, 0.015))  # a random moment, not a wait
        p.killgroup()
        for line in w.ifstate().splitlines():
            assert re.fullmatch(r"(lo|veth[01])=\1", line), w.ifstate()
        r = w.run(prog("ours", "ifdown"), "-a")
        assert r.returncode == 0, r.stderr
        assert w.ifstate() == "" and w.addrs("veth0") == []
    r = w.run(prog("ours", "ifup"), "-a")
    assert r.returncode == 0 and w.addrs("veth1") == ["192.0.2.11/24"]


# ---- failing hooks, hook order, exit status ------------------------------

BOTH = """iface veth0 inet static
	address 192.0.2.10/24
	pre-up echo "opt pre-up" >> @LOG@
	up echo "opt up" >> @LOG@
	post-up echo "opt post-up" >> @LOG@
	down echo "opt down" >> @LOG@
	pre-down echo "opt pre-down" >> @LOG@
	post-down echo "opt post-down" >> @LOG@
iface veth0 inet6 static
	address 2001:db8::10/64
	dad-attempts 0
	pre-up echo "opt6 pre-up" >> @LOG@
	down echo "opt6 down" >> @LOG@
"""

HOOKS = {(ph, n): "" for ph in ("pre-up", "up", "down", "post-down")
         for n in ("10-a", "20-b")}


def both(world, text, steps, scripts=None):
    """Runs @steps with ours and Debian's; per step: exit status, log,
    state, addresses and whether veth0 is up."""
    out = {}
    for who in ("ours", "debian"):
        w = world(text, who, scripts)
        out[who] = []
        for args in steps:
            r = w.run(prog(who, args[0]), *args[1:])
            out[who].append((args, r.returncode, w.lines(), w.ifstate(),
                             w.addrs(), w.up("veth0")))
            w.log.write_text("")
    return out


def test_hook_order_same_as_debian(world):
    out = both(world, BOTH, [["ifup", "veth0"], ["ifdown", "veth0"]], HOOKS)
    assert out["ours"] == out["debian"]
    assert out["ours"][0][2][:2] == ["opt pre-up", "10-a pre-up start veth0 inet"]


@pytest.mark.parametrize("fail", ["pre-up", "up"])
def test_failing_script_stops_ifup(world, fail):
    """run-parts --exit-on-error: 20-b fails, 30-c never runs; ifup says
    failed and exits 1; ifdown (errors ignored) runs all of them."""
    scripts = dict(HOOKS)
    scripts[(fail, "20-b")] = "exit 3"
    scripts[(fail, "30-c")] = ""
    scripts[("down", "20-b")] = "exit 3"
    scripts[("down", "30-c")] = ""
    text = BOTH.split("iface veth0 inet6")[0]
    out = both(world, text, [["ifup", "veth0"], ["ifdown", "-f", "veth0"]],
               scripts)
    ours, deb = out["ours"], out["debian"]
    for i in range(2):
        # rc, hooks run and state are Debian's
        assert ours[i][:4] == deb[i][:4], (ours[i], deb[i])
    assert ours[0][1] == 1 and f"30-c {fail} start veth0 inet" not in ours[0][2]
    assert "30-c pre-down stop veth0 inet" in ours[1][2]
    # Debian leaves what it applied; we roll back (issue 4)
    assert ours[0][4] == [] and ours[0][3] == ""


def test_failing_pre_up_command_rolls_back(world):
    text = BOTH.split("iface veth0 inet6")[0].replace(
        'pre-up echo "opt pre-up" >> @LOG@', 'pre-up false')
    out = both(world, text, [["ifup", "veth0"]], HOOKS)
    assert out["ours"] == out["debian"]
    args, rc, log, state, addrs, up = out["ours"][0]
    assert rc == 1 and state == "" and addrs == [] and not up
    assert log == []  # nothing after the failing command ran


def test_up_command_failure_and_ignore_errors(world):
    text = BOTH.split("iface veth0 inet6")[0].replace(
        'up echo "opt up" >> @LOG@', 'up echo "opt up" >> @LOG@; false')
    out = both(world, text, [["ifup", "veth0"],
                             ["ifup", "--ignore-errors", "veth0"],
                             ["ifdown", "veth0"]], HOOKS)
    ours, deb = out["ours"], out["debian"]
    assert ours[0][1] == deb[0][1] == 1
    assert ours[0][2] == deb[0][2]  # the same hooks ran, up to the failure
    assert ours[0][3] == deb[0][3] == ""
    assert ours[0][4] == []  # rolled back (Debian keeps the address)
    assert ours[0][5] is False
    # --ignore-errors: everything runs, the interface counts as up
    assert ours[1][1:] == deb[1][1:]
    assert ours[1][3] == "veth0=veth0\n" and ours[1][4] == ["192.0.2.10/24"]
    assert ours[2][1:] == deb[2][1:]


# ---- VLAN (the host kernel has no 8021q) ---------------------------------

def have_8021q(ns):
    r = ns.run("ip", "link", "add", "link", "veth0", "name", "veth0.9",
               "type", "vlan", "id", "9")
    ns.run("ip", "link", "del", "veth0.9")
    return r.returncode == 0


def test_vlan_failure_is_clean(ns, world):
    if have_8021q(ns):
        pytest.skip("this kernel has 8021q: the guest test covers VLANs")
    text = ("auto veth0.5\niface veth0.5 inet static\n"
            "\taddress 10.5.0.1/24\n\tpre-up echo ran >> @LOG@\n")
    out = both(world, text, [["ifup", "veth0.5"], ["ifup", "-a"],
                             ["ifdown", "veth0.5"]])
    for o, d in zip(out["ours"], out["debian"]):
        assert o[1:] == d[1:], (o, d)
    # as Debian: a link step the kernel refuses means "ignoring unknown
    # interface", exit 0, no hook run, nothing recorded
    assert out["ours"][0][1] == 0 and out["ours"][0][2] == []
    w = world(text)
    r = w.run(prog("ours", "ifup"), "veth0.5")
    assert "veth0.5: ip link add link veth0 type vlan id 5" in r.stderr
    assert "ignoring unknown interface veth0.5=veth0.5" in r.stderr
    assert sorted(os.listdir(w.state)) == [".ifstate.lock", "ifstate",
                                           "ifstate.veth0", "ifstate.veth0.5"]
    assert w.ifstate() == ""
    assert not [l for l in w.ns.ip_json("link", "show")
                if l["ifname"].startswith("veth0.")]


# ---- dhcp end to end ------------------------------------------------------

RECORD = """#!/bin/sh
echo "$1 $interface $ip $subnet $router" >> {log}
case "$1" in
bound | renew) ip addr add "$ip/$subnet" dev "$interface" ;;
deconfig) ip -4 addr flush dev "$interface" ;;
esac
exit 0
"""

WRAPPER = """#!/bin/sh
echo "$@" > {base}/udhcpc.argv
exec busybox udhcpc "$@" -s {base}/record >> {base}/udhcpc.out 2>&1
"""


@pytest.fixture
def server(ns, tmp_path):
    """dnsmasq on veth1, moved into a second namespace of its own."""
    peer = "embt-" + uuid.uuid4().hex[:10]
    subprocess.run(["ip", "netns", "add", peer], check=True)
    proc = None
    try:
        ns.ip("link", "set", "veth1", "netns", peer)
        srv = ["ip", "netns", "exec", peer]
        subprocess.run(srv + ["ip", "addr", "add", "10.77.0.1/24", "dev",
                              "veth1"], check=True)
        subprocess.run(srv + ["ip", "link", "set", "veth1", "up"], check=True)
        log = tmp_path / "dnsmasq.log"
        proc = subprocess.Popen(srv + [
            "dnsmasq", "--keep-in-foreground", "--conf-file=/dev/null",
            "--user=root", "--port=0", "--interface=veth1",
            "--bind-interfaces", "--dhcp-authoritative",
            "--dhcp-range=10.77.0.50,10.77.0.60,255.255.255.0,10m",
            "--dhcp-option=option:router,10.77.0.1",
            f"--dhcp-leasefile={tmp_path / 'leases'}", "--log-dhcp",
            f"--log-facility={log}", "--pid-file="],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        yield log
    finally:
        if proc:
            proc.kill()
            proc.wait()
        subprocess.run(["ip", "netns", "del", peer], check=False)


def gone(pid):
    """@pid has exited (a zombie counts: it only waits to be reaped)."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()[0] == "Z"
    except (FileNotFoundError, ProcessLookupError):
        return True


def test_dhcp_up_and_release(ns, server, tmp_path):
    w = World(ns, tmp_path / "dhcp",
              "iface veth0 inet dhcp\n\thostname embnet-test\n")
    (w.base / "bin").mkdir()
    for name, text in (("record", RECORD), ("bin/udhcpc", WRAPPER)):
        (w.base / name).write_text(text.format(log=w.log, base=w.base))
        (w.base / name).chmod(0o755)
    env = f"env PATH={w.base / 'bin'}:$PATH"
    r = w.run(prog("ours", "ifup"), "-v", "veth0", env=env)
    assert r.returncode == 0, r.stderr + (w.base / "udhcpc.out").read_text()
    argv = (w.base / "udhcpc.argv").read_text().split()
    assert argv == ["-R", "-n", "-p", "/var/run/udhcpc.veth0.pid", "-i",
                    "veth0", "-x", "hostname:embnet-test"]
    # dnsmasq's range is .50 to .60 inclusive; it hashes the MAC into it.
    assert re.search(r"^bound veth0 10\.77\.0\.(5\d|60) 255\.255\.255\.0 "
                     r"10\.77\.0\.1$", w.log.read_text(), re.M), \
        w.log.read_text()
    ip = w.addrs()[0].split("/")[0]
    assert w.ifstate() == "veth0=veth0\n"
    pid = int((w.run_dir / "udhcpc.veth0.pid").read_text())
    assert os.path.exists(f"/proc/{pid}")
    r = w.run(prog("ours", "ifdown"), "veth0", env=env)
    assert r.returncode == 0, r.stderr
    # ifdown sent it SIGTERM and waited a while for its release; under
    # load udhcpc may take longer to go, so wait for the event itself
    assert wait_for(lambda: gone(pid)), "udhcpc survived ifdown"
    assert w.addrs() == [] and not w.up("veth0") and w.ifstate() == ""
    assert wait_for(lambda: f"DHCPRELEASE(veth1) {ip}"
                    in server.read_text()), server.read_text()


def test_dhcp_without_client(ns, tmp_path):
    """No udhcpc anywhere: Debian's message, failure, rollback."""
    w = World(ns, tmp_path / "dhcp", "iface veth0 inet dhcp\n")
    r = w.run(prog("ours", "ifup"), "veth0", env="env PATH=/nonexistent")
    if "No DHCP client software found!" not in r.stderr:
        pytest.skip("a udhcpc is installed on this host")
    assert r.returncode == 1 and "failed to bring up veth0" in r.stderr
    assert w.ifstate() == "" and not w.up("veth0")

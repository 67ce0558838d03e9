"""lib/event.c against the kernel: carrier waits and the event monitor.

No sleep stands for "long enough" and no wall-clock bound decides a
result: the test waits for the event itself (nltool's "ready" record, its
socket subscribed and drained while it sleeps in poll(), a record on its
stdout), and every wait and read has a deadline that only a hang reaches.
How fast a wait returns is for `make bench`.
"""
import os
import signal
import subprocess
import threading
import time

from conftest import BUILD, kv

DEADLINE = 30  # seconds; reached only when something hangs


class Tool:
    """nltool ARGS in the namespace (`ip netns exec` execs it: the pid is
    nltool's), its stdout and stderr read as they come."""

    def __init__(self, ns, *args):
        self.p = subprocess.Popen(
            ["ip", "netns", "exec", ns.name,
             os.path.join(BUILD, "tests", "nltool"), *args],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        self.pid = self.p.pid
        self.cond = threading.Condition()
        self.buf = {"out": b"", "err": b""}
        self.open = 2
        self.threads = [threading.Thread(target=self._pump, args=(f, k),
                                         daemon=True)
                        for f, k in ((self.p.stdout, "out"),
                                     (self.p.stderr, "err"))]
        for t in self.threads:
            t.start()

    def _pump(self, f, key):
        for chunk in iter(lambda: f.read1(4096), b""):
            with self.cond:
                self.buf[key] += chunk
                self.cond.notify_all()
        with self.cond:
            self.open -= 1
            self.cond.notify_all()

    def out(self):
        return self.buf["out"].decode()

    def wait_out(self, pred, seconds=DEADLINE):
        """Waits until pred(stdout so far) holds or stdout ends."""
        with self.cond:
            self.cond.wait_for(lambda: pred(self.out()) or not self.open,
                               seconds)
            return pred(self.out())

    def finish(self, seconds=DEADLINE):
        """(exit status, stdout, stderr); kills it after @seconds."""
        try:
            self.p.wait(seconds)
        except subprocess.TimeoutExpired:
            self.p.kill()
            self.p.wait()
        for t in self.threads:
            t.join(seconds)
        return self.p.returncode, self.out(), self.buf["err"].decode()


def wait_ready(tool):
    """monitor's first record, "ready=1": it has joined its groups."""
    assert tool.wait_out(lambda o: o.startswith("ready=1\n\n")), tool.finish()


def wait_for(cond, seconds=DEADLINE):
    end = time.monotonic() + seconds
    while not cond():
        if time.monotonic() > end:
            return False
        time.sleep(0.01)
    return True


def proc_state(pid):
    with open(f"/proc/{pid}/stat") as f:
        return f.read().rsplit(")", 1)[1].split()[0]


def netlink_sockets(pid):
    """@pid's netlink sockets, as rows of /proc/PID/net/netlink (which
    lists its namespace's): {"Groups", "Rmem", "Drops", ...}."""
    fds = os.listdir(f"/proc/{pid}/fd")
    inodes = set()
    for fd in fds:
        try:
            link = os.readlink(f"/proc/{pid}/fd/{fd}")
        except FileNotFoundError:
            continue
        if link.startswith("socket:["):
            inodes.add(link[8:-1])
    with open(f"/proc/{pid}/net/netlink") as f:
        head, *rows = [l.split() for l in f]
    return [dict(zip(head, r)) for r in rows if r[-1] in inodes]


def idle_in_poll(pid):
    """@pid has one netlink socket, joined to groups, with nothing queued,
    and sleeps in poll(): it has read every event sent so far and is
    waiting for the next.  (wait-carrier's query socket is closed before
    it polls, and a request's answer is queued before send() returns.)"""
    try:
        socks = netlink_sockets(pid)
        with open(f"/proc/{pid}/wchan") as f:
            wchan = f.read()
        state = proc_state(pid)
    except (FileNotFoundError, ProcessLookupError):
        return False
    return (len(socks) == 1 and int(socks[0]["Groups"], 16) != 0
            and socks[0]["Rmem"] == "0" and state == "S"
            and ("poll" in wchan or wchan in ("", "0")))


def wait_idle(tool):
    """Waits until @tool is idle in poll() or has exited; True if idle."""
    wait_for(lambda: idle_in_poll(tool.pid) or tool.p.poll() is not None)
    return tool.p.poll() is None


def test_wait_carrier_times_out_when_peer_down(ns):
    ns.ip("link", "set", "veth0", "up")
    t0 = time.monotonic()
    r = ns.nltool("event", "wait-carrier", "veth0", "400", timeout=DEADLINE)
    took = time.monotonic() - t0
    assert r.returncode == 1
    assert r.stderr.strip() == \
        "nltool: event wait-carrier: Connection timed out"
    assert r.stdout == ""
    # It waited its whole timeout: a lower bound, which load only makes
    # easier to meet (the clock is truncated to milliseconds, hence .39).
    assert took >= 0.39


def test_wait_carrier_returns_when_link_comes_up(ns):
    t = Tool(ns, "event", "wait-carrier", "veth0", "60000")
    assert wait_idle(t), t.finish()  # joined, queried: no carrier yet
    ns.ip("link", "set", "veth1", "up")
    # the peer's events are read, and the peer alone is not enough
    assert wait_idle(t), t.finish()
    ns.ip("link", "set", "veth0", "up")
    rc, out, err = t.finish()
    assert rc == 0, err
    assert kv(out)[0] == {"carrier": "1"}


def test_wait_carrier_already_up(ns):
    ns.ip("link", "set", "veth0", "up")
    ns.ip("link", "set", "veth1", "up")
    r = ns.nltool("event", "wait-carrier", "veth0", "0", timeout=DEADLINE)
    assert r.returncode == 0, r.stderr
    assert r.stdout == "carrier=1\n"
    r = ns.nltool("event", "wait-carrier", "lo", "0", timeout=DEADLINE)
    assert r.returncode == 0, r.stderr


def test_wait_carrier_link_deleted(ns):
    t = Tool(ns, "event", "wait-carrier", "veth0", "60000")
    assert wait_idle(t), t.finish()  # found the link, waiting on it
    ns.ip("link", "del", "veth0")
    rc, _, err = t.finish()
    assert rc == 1
    assert err.strip() == "nltool: event wait-carrier: No such device"


def test_wait_carrier_missing_link(ns):
    r = ns.nltool("event", "wait-carrier", "nosuch0", "100",
                  timeout=DEADLINE)
    assert r.returncode == 1
    assert "No such device" in r.stderr


def test_monitor_link_event(ns):
    t = Tool(ns, "event", "monitor", "1", "60000")
    wait_ready(t)
    ns.ip("link", "set", "veth1", "up")
    rc, out, err = t.finish()
    assert rc == 0, err
    ev = kv(out)[1]
    assert ev["event"] == "newlink"
    assert ev["name"] == "veth1"
    assert ev["up"] == "1"
    assert ev["index"] == str(ns.ip_json("link", "show", "veth1")[0]
                              ["ifindex"])


def test_monitor_addr_event(ns):
    t = Tool(ns, "event", "monitor", "1", "60000")
    wait_ready(t)
    ns.ip("addr", "add", "192.0.2.1/24", "dev", "veth0")
    rc, out, err = t.finish()
    assert rc == 0, err
    ev = kv(out)[1]
    assert ev["event"] == "newaddr"
    assert ev["family"] == "inet"
    assert ev["prefixlen"] == "24"
    assert ev["index"] == str(ns.ip_json("link", "show", "veth0")[0]
                              ["ifindex"])


def test_monitor_times_out(ns):
    r = ns.nltool("event", "monitor", "1", "200", timeout=DEADLINE)
    assert r.returncode == 1
    assert "Connection timed out" in r.stderr


def test_monitor_enobufs_resyncs(ns):
    # A receive buffer of 1 byte (the kernel rounds it up to its minimum),
    # and the monitor stopped (SIGSTOP) while a burst of events comes: the
    # kernel drops what does not fit and flags ENOBUFS.
    t = Tool(ns, "event", "monitor", "1", "60000", "1", "0")
    wait_ready(t)
    os.kill(t.pid, signal.SIGSTOP)
    try:
        assert wait_for(lambda: proc_state(t.pid) == "T")
        batch = "".join(f"link set veth0 mtu {1300 + i}\n" for i in range(100))
        ns.run("ip", "-batch", "-", input=batch, check=True)
        socks = netlink_sockets(t.pid)
        assert len(socks) == 1 and int(socks[0]["Drops"]) > 0, socks
    finally:
        os.kill(t.pid, signal.SIGCONT)
    assert t.wait_out(lambda o: "enobufs=1\n" in o), t.finish()
    ns.ip("link", "set", "veth1", "up")  # at least one event after it
    rc, out, err = t.finish()
    assert rc == 0, err
    recs = kv(out)
    assert recs[0] == {"ready": "1"}
    assert recs[1] == {"enobufs": "1", "resync": "3"}
    assert recs[2]["event"] == "newlink"


def test_usage(ns):
    assert ns.nltool("event", "wait-carrier", "veth0").returncode == 2
    assert ns.nltool("event", "wait-carrier", "veth0", "-1").returncode == 2
    assert ns.nltool("event", "monitor", "x", "1").returncode == 2
    assert ns.nltool("event").returncode == 2

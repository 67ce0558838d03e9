"""Shared pieces of the dhcpc net tests: a server namespace on veth1, the
three real servers, clients run with a recording script, the parsing of
what the script recorded, and a sniffer on the server's side of the wire.

Nothing here waits a fixed time: a server is used once its socket is bound
(or it says it is ready), and a test waits for the event it needs (a script
event, a log line, a frame on the wire) under a generous deadline that
only ends a test that would otherwise hang."""
import json
import os
import signal
import socket
import subprocess
import sys
import time
import uuid

import pytest

from conftest import BUILD

HERE = os.path.dirname(os.path.abspath(__file__))
OURS = os.path.join(BUILD, "bin", "dhcpc")
SRV_IP = "10.77.0.1"
# Values that depend on when a message was sent (the lease timer).
TIMERS = {"lease", "opt58", "opt59", "REC"}

# The script records each event twice: in $REC as text (sorted NAME=VALUE
# lines, for events()) and in $REC.0 exactly, `env -0` and a NUL
# (exact_events(): values with a newline stay whole); and when it ran, in
# $REC.t (event_times(), the clock of sniff.py's timestamps).  With
# REC_USR1=EVENT it sends SIGUSR1 to the client (its parent) the first
# time it runs for EVENT: the signal is then pending when the client gets
# back from the script, a known point of its work.
REC_SCRIPT = """#!/bin/sh
{ echo "EVENT $1"; env | LC_ALL=C sort | grep -v -E '^(PWD|SHLVL|_|OLDPWD|REC_USR1)='; echo; } >> "$REC"
{ printf 'EVENT=%s\\0' "$1"; env -0; printf '\\0'; } >> "$REC.0"
echo "$1 $(date +%s.%N)" >> "$REC.t"
if [ -n "$REC_USR1" ] && [ "$1" = "$REC_USR1" ] && [ ! -e "$REC.usr1" ]; then
    : > "$REC.usr1"; kill -USR1 $PPID
fi
case "$1" in
deconfig) ip -4 addr flush dev "$interface" ;;
bound|renew) ip addr replace "$ip/${mask:-24}" dev "$interface" ;;
esac
exit 0
"""


class Lab:
    """Client namespace (ns fixture, veth0) and a server namespace (veth1,
    10.77.0.1/24)."""

    def __init__(self, ns, tmp):
        self.ns, self.tmp = ns, str(tmp)
        self.srv = "embs-" + uuid.uuid4().hex[:10]
        self.procs = []
        subprocess.run(["ip", "netns", "add", self.srv], check=True)
        ns.ip("link", "set", "veth1", "netns", self.srv)
        self.srun("ip", "link", "set", "lo", "up")
        self.srun("ip", "link", "set", "veth1", "up")
        self.srun("ip", "addr", "add", SRV_IP + "/24", "dev", "veth1")
        ns.ip("link", "set", "veth0", "up")
        self.script = os.path.join(self.tmp, "rec.sh")
        with open(self.script, "w") as f:
            f.write(REC_SCRIPT)
        os.chmod(self.script, 0o755)

    def srun(self, *argv, check=True):
        return subprocess.run(["ip", "netns", "exec", self.srv, *argv],
                              check=check, capture_output=True, text=True)

    def sstart(self, *argv, log=None, ready=None, timeout=30):
        """Starts @argv in the server namespace and returns once it is
        ready: @ready() is true (a callable), or @log holds the text
        @ready (a string); with neither, at once."""
        out = open(log, "w") if log else subprocess.DEVNULL
        p = subprocess.Popen(["ip", "netns", "exec", self.srv, *argv],
                             stdout=out, stderr=subprocess.STDOUT)
        self.procs.append(p)
        if isinstance(ready, str):
            text = ready
            ready = lambda: text in open(log, errors="replace").read()
        if ready:
            until(lambda: ready() or p.poll() is not None, timeout,
                  f"{argv} ready")
        assert p.poll() is None, open(log).read() if log else argv
        return p

    def udp_bound(self, port=67):
        """For sstart(ready=): a UDP socket is bound to @port in the server
        namespace, so that a datagram sent to it from now on is queued."""
        return lambda: bool(self.srun("ss", "-Hlun", f"sport = :{port}",
                                      check=False).stdout.strip())

    def helper(self, name, *args, log=None):
        """Starts one of the helpers here (arpresp.py, fakesrv.py, ...) in
        the server namespace; returns once it printed "ready" (its socket
        is bound)."""
        log = log or os.path.join(self.tmp, name + ".out")
        return self.sstart(sys.executable, os.path.join(HERE, name), *args,
                           log=log, ready="ready")

    def sniff(self):
        """Records every DHCP and ARP frame on veth1 (sniff.py); returns
        its Capture."""
        path = os.path.join(self.tmp, "sniff.jsonl")
        ctl = os.path.join(self.tmp, "sniff.ctl")
        self.helper("sniff.py", "veth1", path, ctl)
        return Capture(path, ctl)

    def close(self):
        for p in self.procs:
            if p.poll() is None:
                p.terminate()
                try:
                    p.wait(5)
                except subprocess.TimeoutExpired:
                    p.kill()
        subprocess.run(["ip", "netns", "del", self.srv], check=False)

    def lossy(self, pct, seed="embnet"):
        """Puts a lossy wire (lossy.py) between veth0 and the server: the
        old veth0 becomes wire0 (peer veth1), and a new veth0 <-> wire1
        pair joins it through the relay."""
        ns = self.ns
        ns.ip("link", "set", "veth0", "down")
        ns.ip("link", "set", "veth0", "name", "wire0")
        ns.ip("link", "add", "veth0", "type", "veth", "peer", "name", "wire1")
        for d in ("wire0", "wire1"):
            ns.run("sysctl", "-qw", f"net.ipv6.conf.{d}.disable_ipv6=1")
            ns.ip("link", "set", d, "up")
        ns.ip("link", "set", "veth0", "up")
        self.lossy_log = os.path.join(self.tmp, "lossy.log")
        p = subprocess.Popen(
            ["ip", "netns", "exec", ns.name, sys.executable,
             os.path.join(HERE, "lossy.py"), "wire0", "wire1", str(pct),
             seed], stdout=open(self.lossy_log, "w"),
            stderr=subprocess.STDOUT)
        self.procs.append(p)
        until(lambda: p.poll() is not None or
              "ready" in open(self.lossy_log).read(), 30, "lossy.py ready")
        assert p.poll() is None, open(self.lossy_log).read()

    def pair(self):
        """Two macvlans on veth0, "dhb" and "dho", so that busybox udhcpc
        and ours can run at once with their own MACs (private mode: they
        do not see each other's frames).  arp_ignore/arp_announce keep
        each address on its own interface."""
        for k, v in (("arp_ignore", 1), ("arp_announce", 2)):
            for d in ("all", "default"):
                self.ns.run("sysctl", "-qw", f"net.ipv4.conf.{d}.{k}={v}")
        for d in ("dhb", "dho"):
            self.ns.ip("link", "add", d, "link", "veth0", "type", "macvlan",
                       "mode", "private")
            self.ns.ip("link", "set", d, "up")
        return "dhb", "dho"

    def mac(self, ifname="veth0"):
        return self.ns.ip_json("link", "show", ifname)[0]["address"] \
            .replace(":", "")

    def stop(self, p):
        """Stops one process started by sstart()."""
        p.terminate()
        p.wait(10)

    # ---- servers --------------------------------------------------------
    def dnsmasq(self, *extra, lease="2m", net="10.77.0", name="dnsmasq"):
        """dnsmasq for @net.0/24 (.1 is veth1's address); its files are
        TMP/@name.*."""
        self.dnsmasq_log = os.path.join(self.tmp, name + ".log")
        return self.sstart(
            "dnsmasq", "--no-daemon", "--port=0", "--no-ping",
            "--conf-file=/dev/null", "--interface=veth1",
            "--bind-interfaces", "--log-dhcp",
            f"--dhcp-range={net}.50,{net}.99,255.255.255.0,{lease}",
            "--dhcp-leasefile=" + os.path.join(self.tmp, name + ".leases"),
            "--pid-file=" + os.path.join(self.tmp, name + ".pid"),
            f"--dhcp-option=option:router,{net}.1",
            f"--dhcp-option=option:dns-server,{net}.53,{net}.54",
            "--dhcp-option=option:domain-name,lab.test",
            "--dhcp-option=option:domain-search,a.test,b.lab.test",
            f"--dhcp-option=option:ntp-server,{net}.1",
            "--dhcp-option=option:classless-static-route,"
            f"10.10.0.0/16,{net}.254,0.0.0.0/0,{net}.1",
            *extra, log=self.dnsmasq_log, ready=self.udp_bound())

    def udhcpd(self, lease=120, extra=""):
        conf = os.path.join(self.tmp, "udhcpd.conf")
        with open(conf, "w") as f:
            f.write(f"""start 10.77.0.50
end 10.77.0.99
interface veth1
lease_file {self.tmp}/udhcpd.leases
pidfile {self.tmp}/udhcpd.pid
opt subnet 255.255.255.0
opt router 10.77.0.1
opt dns 10.77.0.53 10.77.0.54
opt domain lab.test
opt lease {lease}
opt ntpsrv 10.77.0.1
opt search a.test b.lab.test
opt mtu 1400
{extra}""")
        open(os.path.join(self.tmp, "udhcpd.leases"), "w").close()
        return self.sstart("busybox", "udhcpd", "-f", conf,
                           log=os.path.join(self.tmp, "udhcpd.log"),
                           ready=self.udp_bound())

    def kea(self, lease=120, net="10.77.0", name="kea",
            authoritative=False):
        """Kea for @net.0/24; its files are TMP/@name.*."""
        conf = os.path.join(self.tmp, name + ".json")
        cfg = {"Dhcp4": {
            "authoritative": authoritative,
            "interfaces-config": {"interfaces": ["veth1"],
                                  "dhcp-socket-type": "raw"},
            "lease-database": {"type": "memfile", "persist": True,
                               "name": os.path.join(self.tmp,
                                                    name + ".csv"),
                               "lfc-interval": 0},
            "valid-lifetime": lease,
            "subnet4": [{"id": 1, "subnet": f"{net}.0/24",
                         "pools": [{"pool": f"{net}.50 - {net}.99"}],
                         "option-data": [
                             {"name": "routers", "data": f"{net}.1"},
                             {"name": "domain-name-servers",
                              "data": f"{net}.53, {net}.54"},
                             {"name": "domain-name", "data": "lab.test"},
                             {"name": "domain-search",
                              "data": "a.test, b.lab.test"}]}],
            "loggers": [{"name": "kea-dhcp4", "severity": "INFO",
                         "output_options": [{"output": "stdout"}]}]}}
        with open(conf, "w") as f:
            json.dump(cfg, f)
        # raw sockets: Kea logs DHCP4_STARTED after the configuration is
        # committed, which opens its packet socket on veth1
        return self.sstart("env", f"KEA_LOCKFILE_DIR={self.tmp}",
                           f"KEA_PIDFILE_DIR={self.tmp}", "kea-dhcp4", "-c",
                           conf, log=os.path.join(self.tmp, name + ".log"),
                           ready="DHCP4_STARTED")

    # ---- clients --------------------------------------------------------
    def client(self, who, *args, name=None, ifname="veth0", env=(),
               script=True, wrap=()):
        """Starts ours or busybox udhcpc on @ifname with the recording
        script (@env: more NAME=VALUE for it; without @ifname or @script
        their flags are left out; @wrap: a command line to run it under);
        returns (Popen, record path, log path)."""
        name = name or who
        rec = os.path.join(self.tmp, name + ".rec")
        log = os.path.join(self.tmp, name + ".log")
        prog = [OURS] if who == "ours" else ["busybox", "udhcpc"]
        argv = [*wrap, "ip", "netns", "exec", self.ns.name, "env", "-i",
                "PATH=/usr/sbin:/usr/bin:/sbin:/bin", "REC=" + rec, *env,
                *prog, *(["-i", ifname] if ifname else []),
                *(["-s", self.script] if script else []), *args]
        p = subprocess.Popen(argv, stdout=open(log, "w"),
                             stderr=subprocess.STDOUT)
        return p, rec, log

    def run(self, who, *args, timeout=30, **kw):
        """Runs a client to its exit; a deadline, not a measurement."""
        p, rec, log = self.client(who, *args, **kw)
        try:
            rc = p.wait(timeout)
        except subprocess.TimeoutExpired:
            p.kill()
            p.wait()
            raise AssertionError(f"{who} {args}: still running after "
                                 f"{timeout} s\n" + open(log).read())
        return rc, events(rec), open(log).read()


def events(rec):
    """[(event, {var: value})] from a recording."""
    out = []
    if not os.path.exists(rec):
        return out
    text = open(rec, errors="surrogateescape").read()
    blocks = text.split("EVENT ")[1:]
    if blocks and not text.endswith("\n\n"):
        blocks.pop()  # the script is still writing it (several writes)
    for block in blocks:
        lines = block.split("\n")
        env = dict(l.split("=", 1) for l in lines[1:] if "=" in l)
        out.append((lines[0], env))
    return out


def exact_events(rec):
    """[(event, {var: value})] from the exact recording of @rec, values
    as the script got them (surrogate escapes for non-UTF-8 bytes); the
    shell's own variables and REC_USR1 left out."""
    path = rec + ".0"
    if not os.path.exists(path):
        return []
    text = open(path, "rb").read().decode(errors="surrogateescape")
    out = []
    for block in text.split("\0\0")[:-1]:
        items = [i.split("=", 1) for i in block.split("\0") if "=" in i]
        env = {k: v for k, v in items[1:]
               if k not in ("PWD", "SHLVL", "_", "OLDPWD", "REC_USR1")}
        out.append((items[0][1], env))
    return out


def event_times(rec):
    """[(event, time the script ran for it)] of the recording @rec."""
    path = rec + ".t"
    if not os.path.exists(path):
        return []
    return [(line.split()[0], float(line.split()[1]))
            for line in open(path).read().splitlines()
            if len(line.split()) == 2]


def norm(evs):
    return [(e, {k: v for k, v in env.items() if k not in TIMERS})
            for e, env in evs]


def until(fn, timeout, what):
    """Polls fn() until it returns something true, and returns that.
    @timeout only ends a test that would otherwise hang: it is no
    measurement, so make it generous."""
    end = time.time() + timeout
    while True:
        v = fn()
        if v:
            return v
        if time.time() > end:
            raise AssertionError(f"timed out after {timeout} s: {what}")
        time.sleep(0.05)


def wait_event(rec, name, timeout=30, n=1):
    """Waits until the recording at @rec has its @n-th @name event;
    returns the events up to and including that one."""
    def hit():
        evs = events(rec)
        idx = [i for i, (e, _) in enumerate(evs) if e == name]
        return evs[:idx[n - 1] + 1] if len(idx) >= n else None
    return until(hit, timeout, f"{name} #{n} in {rec}")


def in_log(path, text, timeout=30):
    """Waits until the file at @path holds @text."""
    until(lambda: os.path.exists(path) and
          text in open(path, errors="replace").read(), timeout,
          f"{text!r} in {path}")


def stop(p, sig=signal.SIGTERM, timeout=15):
    p.send_signal(sig)
    return p.wait(timeout)


# ---- the wire --------------------------------------------------------------
TYPES = {1: "DISCOVER", 2: "OFFER", 3: "REQUEST", 4: "DECLINE", 5: "ACK",
         6: "NAK", 7: "RELEASE", 8: "INFORM"}


class Capture:
    """The frames sniff.py recorded on veth1, as dicts (see sniff.py); a
    mark() taken before a client runs splits them by run.  mark(), sent()
    and frames() first sync with the sniffer: what the kernel captured
    before the call is all there."""

    def __init__(self, path, ctl):
        self.path, self.ctl, self.n = path, ctl, 0

    def _read(self):
        out = []
        if os.path.exists(self.path):
            for line in open(self.path).read().splitlines():
                try:
                    out.append(json.loads(line))
                except ValueError:
                    break  # the line being written
        return out

    def sync(self):
        self.n += 1
        n = self.n
        s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        try:
            s.sendto(str(n).encode(), self.ctl)
        finally:
            s.close()
        until(lambda: any(f.get("sync") == n for f in self._read()), 30,
              f"sniff.py sync {n}")

    def frames(self, mark=0, end=None, sync=True):
        if sync:
            self.sync()
        return self._read()[mark:end]

    def mark(self):
        return len(self.frames())

    def sent(self, mark=0, mac=None, end=None):
        """The DHCP messages clients sent (to port 67) since @mark (up to
        the mark @end), from @mac if given."""
        return [f for f in self.frames(mark, end) if is_sent(f) and
                (mac is None or f["eth_src"] == mac)]

    def wait(self, pred, mark=0, n=1, timeout=30, what="frame"):
        """Waits until @n frames since @mark match @pred; returns them."""
        def hit():
            fs = [f for f in self.frames(mark, sync=False) if pred(f)]
            return fs[:n] if len(fs) >= n else None
        return until(hit, timeout, what)


def is_sent(f):
    return "dhcp" in f and f["udp"]["dport"] == 67 and not f["out"]


def kinds(frames):
    """The DHCP message types of @frames, by name."""
    return [TYPES.get(f.get("type"), f.get("type")) for f in frames]


def opt(f, code):
    """The value (hex) of the first option @code in DHCP frame @f, or
    None."""
    for c, v in f["dhcp"]["options"]:
        if c == code:
            return v
    return None


# What legitimately differs between two clients' messages: the
# transaction ID, the seconds elapsed, the IP ID (and the checksums, not
# recorded) and the time.  Everything else (Ethernet and IP addresses,
# ports, TTL, TOS, DF, every BOOTP field, each option and their order, the
# padding) must be the same.
def masked(f):
    f = json.loads(json.dumps(f))
    for k in ("t", "out"):
        f.pop(k, None)
    f.get("ip", {}).pop("id", None)
    if "dhcp" in f:
        f["dhcp"].pop("xid")
        f["dhcp"].pop("secs")
    return f


# udhcpc 1.35 orders a message's options: 53, then 50 and 54 (what the
# message type needs), 57, 55, and every other option sorted by code (its
# option list is kept sorted); the parameter request list is a bitmap, so
# its codes go out sorted.  Ours sends them so too (dhcpc/msg.c
# put_client_opts(), dhcpc/opts.c); it used not to, and while ORDER_BUG
# was True ours' options were compared in udhcpc's order (a check of
# which, how many and their values, not of their order).  False: every
# comparison checks the order as sent.
ORDER_BUG = False
HEAD = {53: 0, 50: 1, 54: 2, 57: 3, 55: 4}


def udhcpc_order(opts):
    out = sorted(opts, key=lambda o: (HEAD.get(o[0], 5), o[0]))
    return [[c, "".join(sorted(v[i:i + 2] for i in range(0, len(v), 2)))
             if c == 55 else v] for c, v in out]


def wire(f, ours, order=ORDER_BUG):
    """DHCP frame @f masked(), its IP TOS checked and taken out, its
    options put in udhcpc's order if @order (ours) or checked to be in it
    (udhcpc's).  TOS: ours marks the frames it builds itself (broadcasts)
    DSCP CS6, network control (dhcpc/frame.c; "missing packet priority" is
    a udhcpc complaint in the anchors); udhcpc sends 0, and the kernel's
    UDP socket (unicast renew, RELEASE) 0 for both."""
    f = masked(f)
    tos = f["ip"].pop("tos")
    raw = f["eth_dst"] == "ffffffffffff"
    assert tos == (0xc0 if ours and raw else 0), f
    opts = f["dhcp"]["options"]
    if not ours:
        assert udhcpc_order(opts) == opts, \
            "udhcpc's order is not what udhcpc_order() says: " + repr(opts)
    elif order:
        f["dhcp"]["options"] = udhcpc_order(opts)
    return f


def diff(a, b, path=""):
    """Where @a (ours) and @b (udhcpc's) differ, with both values."""
    if isinstance(a, dict) and isinstance(b, dict):
        return [d for k in sorted(set(a) | set(b), key=str)
                for d in diff(a.get(k), b.get(k), f"{path}.{k}")]
    return [] if a == b else [f"{path}: ours {a!r}, udhcpc {b!r}"]


def same_wire(frames_b, frames_o, order=ORDER_BUG, what=""):
    """udhcpc's messages @frames_b and ours @frames_o are the same, but
    for what masked() and wire() leave out."""
    assert kinds(frames_o) == kinds(frames_b), what
    for i, (fb, fo) in enumerate(zip(frames_b, frames_o)):
        d = diff(wire(fo, True, order), wire(fb, False))
        assert not d, (f"message {i} ({kinds([fb])[0]})", d, what)


def own_ip(frames, ip, mac=None):
    """@frames with the client's own address @ip (and MAC @mac) written
    as "IP" ("MAC"), wherever they are (addresses, ciaddr, option 50),
    for two clients given different addresses."""
    text = json.dumps(frames).replace(f'"{ip}"', '"IP"')
    text = text.replace(socket.inet_aton(ip).hex(), "IP")
    if mac:
        text = text.replace(mac, "MAC")
    return json.loads(text)


def firsts(frames):
    """@frames less retransmissions (the same message as the one before
    it, but for what masked() leaves out): how many a client sends
    depends on when the server answers (udhcpd waits about 1 s to
    ARP-check an address before it offers it)."""
    out = []
    for f in frames:
        if not out or masked(f) != masked(out[-1]):
            out.append(f)
    return out


@pytest.fixture
def lab(ns, tmp_path):
    """A Lab in the test's namespace (tests import this fixture)."""
    lab = Lab(ns, tmp_path)
    try:
        yield lab
    finally:
        lab.close()


def fake(lab, case):
    """fakesrv.py CASE on veth1, the scripted hostile server."""
    return lab.helper("fakesrv.py", "veth1", case,
                      log=os.path.join(lab.tmp, "fakesrv.log"))

"""dhcpc6 vs dhcpcd 9.4 (`dhcpcd -6`) and ISC dhclient 4.4 (`dhclient -6`):
start to address usable against dnsmasq's stateful DHCPv6 in a namespace,
packets on the wire, peak RSS and stripped size.

"Address usable" is when the client runs its script for the new lease
(ours: `bound`, as udhcpc6; dhcpcd and dhclient: reason BOUND6): the
script writes to a FIFO the bench reads.  dhcpcd configures the address
itself before that; ours and dhclient leave it to the script, which here
does nothing, as in bench_dhcpc.py.  Each client runs as it is normally
used: ours solicits at once; dhcpcd first solicits a router advertisement
(dnsmasq sends one with the M flag); dhclient solicits at once.  DAD is
off on both ends (it would add the same second to every client).

The three clients take turns, so that drift hits them alike; each run is
cold (no lease kept: dhcpcd -1 keeps none, dhclient's lease file and
ours are removed), and the address any of them added is flushed."""
import os
import select
import shlex
import shutil
import signal
import statistics
import subprocess
import time
import uuid

from benchlib import MAXRSS, kb, kib, ms, needed, peak_rss, stripped_size

RUNS = 10
# The FIFO's path is written into the script: dhcpcd and dhclient run it
# with an environment of their own making.
SCRIPT = """#!/bin/sh
case "${{reason:-$1}}" in # dhcpcd, dhclient: $reason; ours: $1
bound|BOUND6) [ -p {fifo} ] && echo >{fifo} ;;
esac
exit 0
"""
DHCPCD = "/usr/sbin/dhcpcd"
DHCLIENT = "/usr/sbin/dhclient"
# The client's link: a name of our own, since dhcpcd keeps its lease in
# /var/lib/dhcpcd/IFACE.lease6 whatever the namespace.
IFACE = "embb6c0"
DHCPCD_LEASE = f"/var/lib/dhcpcd/{IFACE}.lease6"


def sh(*argv, check=True):
    return subprocess.run(argv, check=check, capture_output=True, text=True)


class Lab:
    def __init__(self, tmp):
        self.c = "embb6c-" + uuid.uuid4().hex[:8]
        self.s = "embb6s-" + uuid.uuid4().hex[:8]
        self.tmp = tmp
        self.dnsmasq = None
        for n in (self.c, self.s):
            sh("ip", "netns", "add", n)
            sh("ip", "netns", "exec", n, "sysctl", "-qw",
               "net.ipv6.conf.all.accept_dad=0",
               "net.ipv6.conf.default.accept_dad=0")
        sh("ip", "-n", self.c, "link", "add", IFACE, "type", "veth", "peer",
           "name", "veth1", "netns", self.s)
        sh("ip", "-n", self.c, "link", "set", IFACE, "up")
        sh("ip", "-n", self.s, "link", "set", "veth1", "up")
        sh("ip", "-n", self.s, "addr", "add", "fd00:78::1/64", "dev", "veth1",
           "nodad")

    def start_dnsmasq(self):
        self.stop_dnsmasq()
        leases = os.path.join(self.tmp, "leases")
        if os.path.exists(leases):
            os.unlink(leases)
        self.dnsmasq = subprocess.Popen(
            ["ip", "netns", "exec", self.s, "dnsmasq", "--no-daemon",
             "--port=0", "--conf-file=/dev/null", "--interface=veth1",
             "--bind-interfaces", "--enable-ra",
             "--dhcp-range=fd00:78::100,fd00:78::1ff,64,1h",
             "--dhcp-leasefile=" + leases],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(0.5)

    def stop_dnsmasq(self):
        if self.dnsmasq:
            self.dnsmasq.terminate()
            self.dnsmasq.wait()
            self.dnsmasq = None

    def reset(self):
        """Between runs: no client left, no address, no lease kept."""
        for p in [os.path.join(self.tmp, f) for f in
                  ("dhclient6.leases", "dhclient6.pid")] + [DHCPCD_LEASE]:
            if os.path.exists(p):
                os.unlink(p)
        sh("ip", "-n", self.c, "-6", "addr", "flush", "dev", IFACE,
           "scope", "global", check=False)

    def close(self):
        self.stop_dnsmasq()
        for n in (self.c, self.s):
            sh("ip", "netns", "del", n, check=False)

    def argvs(self, ours):
        """name -> argv in the client namespace, with its tracer prefix
        slot (@pre) for the RSS launcher."""
        s = os.path.join(self.tmp, "s.sh")
        t = self.tmp
        return {
            "ours": [ours, "-i", IFACE, "-f", "-q", "-s", s, "-t", "3",
                     "-T", "1", "-A", "1"],
            "dhcpcd": [DHCPCD, "-6", "-1", "-B", "-q", "-f", "/dev/null",
                       "-c", s, IFACE],
            "dhclient": [DHCLIENT, "-6", "-1", "-d", "-sf", s, "-pf",
                         os.path.join(t, "dhclient6.pid"), "-lf",
                         os.path.join(t, "dhclient6.leases"), IFACE],
        }

    def netns(self, argv):
        return ["ip", "netns", "exec", self.c, *argv]


def timed(lab, argv, fifo):
    """ms from start to the bound script of one cold run; the client is
    then stopped (dhclient -d stays in the foreground)."""
    lab.reset()
    fd = os.open(fifo, os.O_RDWR | os.O_NONBLOCK)  # a writer: select blocks
    try:
        t0 = time.perf_counter()
        p = subprocess.Popen(lab.netns(argv), stdout=subprocess.DEVNULL,
                             stderr=subprocess.DEVNULL)
        usable = None
        if select.select([fd], [], [], 20)[0] and os.read(fd, 64):
            usable = (time.perf_counter() - t0) * 1000
        stop(p)
        if usable is None:
            raise RuntimeError(f"{argv}: no lease")
        return usable
    finally:
        os.close(fd)


def stop(p):
    try:
        p.wait(2)
    except subprocess.TimeoutExpired:
        p.send_signal(signal.SIGTERM)
        try:
            p.wait(5)
        except subprocess.TimeoutExpired:
            p.kill()
            p.wait()


def wire_packets(lab, argv, fifo):
    """DHCPv6 messages on the client link during one cold run (tcpdump inside the
    client namespace, immediate mode, as in bench_dhcpc.py)."""
    cap = os.path.join(lab.tmp, "cap6.pcap")
    err = os.path.join(lab.tmp, "tcpdump6.err")
    td = subprocess.Popen(lab.netns(["tcpdump", "-Z", "root", "-U",
                                     "--immediate-mode", "-i", IFACE, "-w",
                                     cap, "udp port 546 or udp port 547"]),
                          stdout=subprocess.DEVNULL, stderr=open(err, "w"))
    end = time.time() + 5
    while "listening on" not in open(err).read() and time.time() < end:
        time.sleep(0.05)
    timed(lab, argv, fifo)
    time.sleep(0.3)
    td.send_signal(signal.SIGINT)
    td.wait(5)
    r = sh("tcpdump", "-r", cap, "-n", "-Z", "root", check=False)
    return len([l for l in r.stdout.splitlines() if l.strip()])


def rss(lab, argv, fifo):
    """Peak RSS of the client itself to its bound script (the launcher
    runs inside the namespace, so ip's own is not counted).  dhclient runs
    without -d here: the process the launcher waits for is the one that
    got the lease, and it exits when it forks its daemon, which is then
    stopped through its pid file."""
    peak_rss(["/bin/true"])  # builds the launcher
    argv = [a for a in argv if a != "-d"] if argv[0] == DHCLIENT else argv
    best = 0
    for _ in range(3):
        lab.reset()
        # To a file: dhclient's daemon keeps a pipe open for ever.  The
        # FIFO is held open, or the bound script would block on it.
        out = os.path.join(lab.tmp, "rss")
        fd = os.open(fifo, os.O_RDWR | os.O_NONBLOCK)
        try:
            with open(out, "w") as f:
                subprocess.run(lab.netns([MAXRSS, *argv]), stdout=f,
                               stderr=subprocess.DEVNULL, check=True,
                               timeout=30)
        finally:
            os.close(fd)
        best = max(best, int(open(out).read()))
        pidfile = os.path.join(lab.tmp, "dhclient6.pid")
        if os.path.exists(pidfile):
            os.kill(int(open(pidfile).read()), signal.SIGTERM)
            time.sleep(0.2)
    return best


def bench(t, build):
    ours = os.path.join(build, "bin", "dhcpc6")
    if os.geteuid() != 0 or not shutil.which("dnsmasq"):
        t.skip("dhcpc6", "needs root and dnsmasq")
        return
    if not os.path.exists(ours):
        t.skip("dhcpc6", f"{ours} not built")
        return
    missing = [p for p in (DHCPCD, DHCLIENT) if not os.path.exists(p)]
    if missing:
        t.skip("dhcpc6", f"{', '.join(missing)} missing (make deps)")
        return
    tmp = os.path.join(build, "bench-dhcpc6")
    os.makedirs(tmp, exist_ok=True)
    fifo = os.path.join(tmp, "bound.fifo")
    if not os.path.exists(fifo):
        os.mkfifo(fifo)
    with open(os.path.join(tmp, "s.sh"), "w") as f:
        f.write(SCRIPT.format(fifo=shlex.quote(fifo)))
    os.chmod(os.path.join(tmp, "s.sh"), 0o755)
    lab = Lab(tmp)
    try:
        lab.start_dnsmasq()
        run_cases(t, lab, lab.argvs(ours), fifo)
    finally:
        lab.close()


def run_cases(t, lab, argv, fifo):
    names = ("ours", "dhcpcd", "dhclient")
    for n in names:  # warm-up
        timed(lab, argv[n], fifo)
    runs = [[timed(lab, argv[n], fifo) for n in names] for _ in range(RUNS)]
    med = {n: statistics.median(r[i] for r in runs)
           for i, n in enumerate(names)}
    refs = {"dhcpcd": "dhcpcd 9.4 -6 -1", "dhclient": "dhclient 4.4 -6 -1"}
    for n, label in refs.items():
        t.add(f"dhcpc6: start to address usable (bound script) vs dnsmasq, "
              f"cold, median of {RUNS} (ref: {label})", med["ours"], med[n],
              ms)
    pk = {n: wire_packets(lab, argv[n], fifo) for n in names}
    if not all(pk.values()):
        t.skip("dhcpc6: packets on the wire", "tcpdump captured nothing")
    else:
        for n, label in refs.items():
            t.add(f"dhcpc6: DHCPv6 packets on the wire, cold (ref: {label})",
                  pk["ours"], pk[n], str)
    mem = {n: rss(lab, argv[n], fifo) for n in names}
    for n, label in refs.items():
        t.add(f"dhcpc6: peak RSS to bound, all dynamic (ref: {label})",
              mem["ours"], mem[n], kib)
    for n, path in (("dhcpcd", DHCPCD), ("dhclient", DHCLIENT)):
        t.add(f"dhcpc6: stripped size, both dynamic, shared libraries not "
              f"counted (ours needs {needed(argv['ours'][0])}; ref: "
              f"{refs[n]}, needs {needed(path)})",
              stripped_size(argv["ours"][0]), stripped_size(path), kb)

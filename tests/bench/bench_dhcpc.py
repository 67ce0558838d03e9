"""dhcpc vs busybox udhcpc: start to address usable against dnsmasq
(--no-ping) in a namespace, packets on the wire, peak RSS and stripped size.

The timed reference is the host's /bin/busybox (busybox-static, as in the
guests).  busybox udhcpc keeps no lease file, so it has no INIT-REBOOT:
our --lease-file rows are measured in the same interleaved run as udhcpc's
cold start and our own cold start, and labelled as against those.  Sizes
compare like with like: our dynamically linked dhcpc against Debian's
dynamically linked busybox (package busybox, fetched into build/ref by
scripts/fetch-deb), libc not counted on either side; there is no static
build of ours here (Debian ships no static libmnl), so the busybox-static
row says that it compares a dynamic binary with a static one.

"Address usable" is when the client runs its script with `bound` (the
script configures the address): the script writes to a FIFO the bench
reads.  The process exit with -q is reported as well; it includes the
close of the raw socket, which waits for an RCU grace period in the kernel
(synchronize_net() in packet_release(), 10-15 ms here) in both clients."""
import os
import select
import shutil
import signal
import statistics
import subprocess
import time
import uuid

from benchlib import (MAXRSS, ROOT, kb, kib, ms, needed, peak_rss,
                      stripped_size)

RUNS = 30
# Debian's dynamically linked busybox (the host has busybox-static).
BB_DYN = os.path.join(ROOT, "build", "ref", "busybox", "bin", "busybox")
SCRIPT = """#!/bin/sh
[ "$1" = bound ] && [ -p "$BENCH_FIFO" ] && echo >"$BENCH_FIFO"
exit 0
"""


def sh(*argv, check=True):
    return subprocess.run(argv, check=check, capture_output=True, text=True)


class Lab:
    def __init__(self, tmp):
        self.c = "embbc-" + uuid.uuid4().hex[:8]
        self.s = "embbs-" + uuid.uuid4().hex[:8]
        self.tmp = tmp
        for n in (self.c, self.s):
            sh("ip", "netns", "add", n)
        sh("ip", "-n", self.c, "link", "add", "veth0", "type", "veth", "peer",
           "name", "veth1", "netns", self.s)
        sh("ip", "-n", self.c, "link", "set", "veth0", "up")
        sh("ip", "-n", self.s, "link", "set", "veth1", "up")
        sh("ip", "-n", self.s, "addr", "add", "10.78.0.1/24", "dev", "veth1")
        self.dnsmasq = None

    def start_dnsmasq(self, *extra):
        self.stop_dnsmasq()
        leases = os.path.join(self.tmp, "leases")
        if os.path.exists(leases):
            os.unlink(leases)
        self.dnsmasq = subprocess.Popen(
            ["ip", "netns", "exec", self.s, "dnsmasq", "--no-daemon",
             "--port=0", "--no-ping", "--conf-file=/dev/null",
             "--interface=veth1", "--bind-interfaces",
             "--dhcp-range=10.78.0.50,10.78.0.250,255.255.255.0,1h",
             "--dhcp-leasefile=" + leases, *extra],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(0.5)

    def stop_dnsmasq(self):
        if self.dnsmasq:
            self.dnsmasq.terminate()
            self.dnsmasq.wait()
            self.dnsmasq = None

    def close(self):
        self.stop_dnsmasq()
        for n in (self.c, self.s):
            sh("ip", "netns", "del", n, check=False)

    def argv(self, prog, *args):
        return ["ip", "netns", "exec", self.c, *prog, "-i", "veth0", "-f",
                "-q", "-s", os.path.join(self.tmp, "s.sh"), *args]


def timed(argv, fifo):
    """(ms to the bound script, ms to exit) of one -q run."""
    fd = os.open(fifo, os.O_RDWR | os.O_NONBLOCK)  # a writer: select blocks
    try:
        t0 = time.perf_counter()
        p = subprocess.Popen(argv, stdout=subprocess.DEVNULL,
                             stderr=subprocess.DEVNULL,
                             env={**os.environ, "BENCH_FIFO": fifo})
        usable = None
        if select.select([fd], [], [], 20)[0] and os.read(fd, 64):
            usable = (time.perf_counter() - t0) * 1000
        if p.wait(20) or usable is None:
            raise RuntimeError(f"{argv}: no lease")
        return usable, (time.perf_counter() - t0) * 1000
    finally:
        os.close(fd)


def to_bound(argv):
    t0 = time.perf_counter()
    subprocess.run(argv, check=True, stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL, timeout=20)
    return (time.perf_counter() - t0) * 1000


def wire_packets(lab, argv):
    """DHCP frames on veth0 during one run.  tcpdump runs inside the
    client namespace in immediate mode (without it, frames still in a
    TPACKET_V3 block that has not timed out are lost when it stops), is
    started once it says it listens, and stopped with SIGINT."""
    cap = os.path.join(lab.tmp, "cap.pcap")
    err = os.path.join(lab.tmp, "tcpdump.err")
    td = subprocess.Popen(["ip", "netns", "exec", lab.c, "tcpdump", "-Z",
                           "root", "-U", "--immediate-mode", "-i", "veth0",
                           "-w", cap, "udp port 67 or udp port 68"],
                          stdout=subprocess.DEVNULL, stderr=open(err, "w"))
    end = time.time() + 5
    while "listening on" not in open(err).read() and time.time() < end:
        time.sleep(0.05)
    to_bound(argv)
    time.sleep(0.3)
    td.send_signal(signal.SIGINT)
    td.wait(5)
    r = sh("tcpdump", "-r", cap, "-n", "-Z", "root", check=False)
    return len([l for l in r.stdout.splitlines() if l.strip()])


def bench(t, build):
    ours = os.path.join(build, "bin", "dhcpc")
    if os.geteuid() != 0 or not shutil.which("dnsmasq"):
        t.skip("dhcpc", "needs root and dnsmasq")
        return
    if not os.path.exists(ours):
        t.skip("dhcpc", f"{ours} not built")
        return
    tmp = os.path.join(build, "bench-dhcpc")
    os.makedirs(tmp, exist_ok=True)
    with open(os.path.join(tmp, "s.sh"), "w") as f:
        f.write(SCRIPT)
    os.chmod(os.path.join(tmp, "s.sh"), 0o755)
    lab = Lab(tmp)
    try:
        run_cases(t, lab, ours, tmp)
    finally:
        lab.close()


def rss(lab, prog, args):
    """Peak RSS of @prog itself: the launcher runs inside the namespace,
    so ip's own high-water mark is not counted."""
    peak_rss(["/bin/true"])  # builds the launcher
    argv = ["ip", "netns", "exec", lab.c, MAXRSS, *prog, "-i", "veth0", "-f",
            "-q", "-s", os.path.join(lab.tmp, "s.sh"), *args]
    return max(int(sh(*argv).stdout) for _ in range(3))


def medians(fifo, *argvs):
    """Per argv, (median ms to usable, median ms to exit); the argvs take
    turns so that drift hits them alike."""
    runs = [[timed(a, fifo) for a in argvs] for _ in range(RUNS)]
    return [(statistics.median(r[i][0] for r in runs),
             statistics.median(r[i][1] for r in runs))
            for i in range(len(argvs))]


def busybox_dynamic():
    if not os.path.exists(BB_DYN):
        sh(os.path.join(ROOT, "scripts", "fetch-deb"), "busybox",
           os.path.dirname(os.path.dirname(BB_DYN)), check=False)
    return BB_DYN if os.path.exists(BB_DYN) else None


def run_cases(t, lab, ours, tmp):
    quick = ["-t", "3", "-T", "1", "-A", "1"]
    o_argv = lab.argv([ours], *quick)
    b_argv = lab.argv(["busybox", "udhcpc"], *quick)
    lf = os.path.join(tmp, "lease")
    if os.path.exists(lf):
        os.unlink(lf)
    r_argv = lab.argv([ours], *quick, "--lease-file", lf)
    fifo = os.path.join(tmp, "bound.fifo")
    if not os.path.exists(fifo):
        os.mkfifo(fifo)
    lab.start_dnsmasq()
    # Warm-up; the first --lease-file run saves the ACK the others reuse.
    timed(o_argv, fifo), timed(b_argv, fifo), timed(r_argv, fifo)
    o, b, r = medians(fifo, o_argv, b_argv, r_argv)
    bb = "busybox-static udhcpc -f -q"
    t.add(f"dhcpc: start to address usable (bound script) vs dnsmasq, "
          f"median of {RUNS} (ref: {bb})", o[0], b[0], ms)
    t.add(f"dhcpc: start to exit with -q, median of {RUNS} (ref: {bb})",
          o[1], b[1], ms)
    cold = "busybox udhcpc's cold DISCOVER in the same run; it keeps no lease"
    t.add(f"dhcpc: INIT-REBOOT with --lease-file to address usable, median "
          f"of {RUNS} (ref: {cold})", r[0], b[0], ms)
    t.add(f"dhcpc: INIT-REBOOT with --lease-file to exit with -q, median "
          f"of {RUNS} (ref: {cold})", r[1], b[1], ms)
    t.add(f"dhcpc: INIT-REBOOT with --lease-file to address usable, median "
          f"of {RUNS} (ref: our own cold DISCOVER in the same run)",
          r[0], o[0], ms)
    lab.start_dnsmasq()
    po = wire_packets(lab, o_argv)
    lab.start_dnsmasq()
    pb = wire_packets(lab, b_argv)
    # dnsmasq restarted without leases: one run to give the address again,
    # then the counted INIT-REBOOT (REQUEST, ACK).
    to_bound(r_argv)
    pi = wire_packets(lab, r_argv)
    lab.start_dnsmasq("--dhcp-rapid-commit")
    pr = wire_packets(lab, lab.argv([ours], *quick, "--rapid-commit"))
    if not (po and pb and pr and pi):
        t.skip("dhcpc: packets on the wire", "tcpdump captured nothing")
    else:
        t.add("dhcpc: packets on the wire, cold (ref: udhcpc cold)", po, pb,
              str)
        t.add("dhcpc: packets on the wire, rapid commit (ref: udhcpc cold)",
              pr, pb, str)
        t.add("dhcpc: packets on the wire, INIT-REBOOT with --lease-file "
              "(ref: udhcpc cold; it keeps no lease)", pi, pb, str)
    lab.start_dnsmasq()
    o_rss = rss(lab, [ours], quick)
    t.add(f"dhcpc: peak RSS to bound (ours dynamic; ref: {bb}, static)",
          o_rss, rss(lab, ["/bin/busybox", "udhcpc"], quick), kib)
    dyn = busybox_dynamic()
    if dyn:
        t.add("dhcpc: peak RSS to bound (both dynamic; ref: Debian's "
              "dynamic busybox udhcpc)", o_rss, rss(lab, [dyn, "udhcpc"],
                                                    quick), kib)
        t.add(f"dhcpc: stripped size, both dynamic, shared libraries not "
              f"counted (ours needs {needed(ours)}; ref: all of Debian's "
              f"multi-call busybox, needs {needed(dyn)})",
              stripped_size(ours), stripped_size(dyn), kb)
    else:
        t.skip("dhcpc: stripped size, both dynamic",
               "scripts/fetch-deb busybox failed")
    t.add(f"dhcpc: stripped size, NOT like for like: ours dynamic (needs "
          f"{needed(ours)}, not counted) vs all of multi-call "
          f"/bin/busybox, static (libc inside; no static build of ours "
          f"here)", stripped_size(ours), stripped_size("/bin/busybox"), kb)

"""netperf against iperf3 3.12 between the host and a guest under TCG: TCP
throughput each way and CPU per Gbit, each tool on both ends.

The guest boots the image BUILD/guest-netperf, made here by scripts/mkrootfs
--name guest-netperf: our programs plus Debian's iperf3 (the default image
is left alone).  It runs on scripts/qemu-run's tap network; in that
namespace the host runs our netperf -s on 10.99.0.1:5202 and iperf3 -s on
10.99.0.1:5203.  The guest's script (tests/qemu/guest/usr/lib/embnet-tests/
bench) runs each tool's client against its own server, alternating the
tools, guest->host then host->guest (-R), RUNS runs of -t SECS, and prints
the receiver's rate and the guest's busy CPU per run.  Rows are medians;
CPU per Gbit is the whole guest's busy CPU (the guest end is the bottleneck
under TCG) and, apart, the host server's CPU over both directions."""
import os
import shutil
import statistics
import subprocess
import sys

from benchlib import ARCHES, ROOT, qemu_run
from bench_netperf import REF, gbit, secs
import npserver

DEBS = "iperf3,libiperf0,libsctp1,libssl3"
IMAGE = "guest-netperf"
RUNS = 5
SECS = 3
PORTS = {"netperf": 5202, "iperf3": 5203}
USER_HZ = 100  # the guest kernels' /proc/stat unit (x86_64 and arm64)


def image(arch, build):
    """Builds BUILD/guest-netperf; returns its path, or None and why not."""
    argv = [sys.executable, os.path.join(ROOT, "scripts", "mkrootfs"),
            "--arch", arch, "--build", os.path.relpath(build, ROOT),
            "--name", IMAGE, "--extra-debs", DEBS]
    r = subprocess.run(argv, capture_output=True, text=True)
    if r.returncode != 0:
        lines = (r.stderr + r.stdout).splitlines()
        why = [x for x in lines if x.startswith(("mkrootfs:", "fetch-deb:"))]
        return None, (why or lines or [f"mkrootfs: exit {r.returncode}"])[0]
    return os.path.join(build, IMAGE), None


def proc_cpu(pid):
    """User + system seconds of a live process."""
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rpartition(")")[2].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def stop(p):
    if p.poll() is None:
        p.terminate()
        try:
            p.wait(5)
        except subprocess.TimeoutExpired:
            p.kill()
            p.wait()


def boot(arch, guest, ours):
    """One boot running the guest's bench script against the two servers;
    returns ({key: value} of its EMBNET-INFO lines, {tool: host CPU s}),
    the console kept in guest/console.log."""
    qr = qemu_run()
    append = f"embnet.bench_runs={RUNS} embnet.bench_secs={SECS}"
    timeout = 90 + RUNS * 4 * (SECS + 5)
    with qr.Guest(arch, "tap", mode="bench", guest=guest, timeout=timeout,
                  append=append,
                  log=os.path.join(guest, "console.log")) as g:
        procs = {}
        try:
            for tool, path in (("netperf", ours), ("iperf3", REF)):
                procs[tool] = npserver.Server(
                    path, PORTS[tool], "-B", qr.SERVER, one_off=False,
                    ns=g.tap.ns, log=os.devnull)
            g.run()
            cpu = {tool: proc_cpu(s.pid) for tool, s in procs.items()}
        finally:
            for s in procs.values():
                stop(s.proc)
    shutil.rmtree(g.workdir, ignore_errors=True)
    return qr.info(g.console), cpu


def runs(info, tool, way):
    """[(Gbit/s, guest CPU s per Gbit)] of a tool's runs one way."""
    out = []
    for i in range(1, RUNS + 1):
        v = info.get(f"bench_{tool}_{way}_{i}", "").split()
        if len(v) != 2 or not float(v[0]):
            raise ValueError(f"{tool} {way} run {i} failed")
        g = float(v[0]) / 1000
        out.append((g, int(v[1]) / USER_HZ / (g * SECS)))
    return out


def rows(t, arch, info, cpu):
    """Adds the rows of one boot, or none if a run failed (ValueError)."""
    name = f"netperf host↔guest {arch} (TCG, tap) TCP"
    med, total = {}, {}
    for tool in PORTS:
        for way in ("up", "down"):
            r = runs(info, tool, way)
            med[tool, way] = [statistics.median(x[k] for x in r)
                              for k in (0, 1)]
            total[tool] = total.get(tool, 0) + sum(x[0] for x in r) * SECS
    for way, what in (("up", "guest sends"), ("down", "guest receives")):
        o, ref = med["netperf", way], med["iperf3", way]
        t.add(f"{name}, {what}: Gbit/s (higher is better; goal >= 1.0)",
              o[0], ref[0], gbit)
        t.add(f"{name}, {what}: guest CPU s per Gbit (lower is better)",
              o[1], ref[1], secs)
    t.add(f"{name}: host server CPU s per Gbit, both ways (lower is better)",
          cpu["netperf"] / total["netperf"], cpu["iperf3"] / total["iperf3"],
          secs)


def bench(t, build, arches=ARCHES):
    ours = os.path.join(build, "bin", "netperf")
    if not os.path.exists(ours) or not os.path.exists(REF):
        t.skip("netperf host↔guest", "build/bin/netperf or iperf3 missing")
        return
    if os.geteuid() != 0 or not shutil.which("dnsmasq"):
        t.skip("netperf host↔guest", "the tap network needs root, dnsmasq")
        return
    for arch in arches:
        if not shutil.which(qemu_run().QEMU[arch][0][0]):
            t.skip(f"netperf host↔guest {arch}", "no qemu-system-" + arch)
            continue
        b = build if arch == os.uname().machine else os.path.join(
            ROOT, "build", arch)
        guest, why = image(arch, b)
        if not guest:
            t.skip(f"netperf host↔guest {arch}", why[:120])
            continue
        try:
            info, cpu = boot(arch, guest, ours)
        except (OSError, subprocess.CalledProcessError, TimeoutError) as e:
            t.skip(f"netperf host↔guest {arch}", f"no tap network: {e}"[:120])
            continue
        try:
            rows(t, arch, info, cpu)
        except ValueError as e:
            t.skip(f"netperf host↔guest {arch}",
                   f"{e}; see {os.path.relpath(guest, ROOT)}/console.log")

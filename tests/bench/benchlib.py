"""Shared helpers of `make bench` cases (tests/bench/bench_*.py).

A case module defines `bench(table, build)`; `table.add(case, ours, ref,
fmt)` adds a row with ratio ours/ref, `table.skip(case, why)` says why a row
is missing.  Timed cases alternate our command and the reference in one run.
Size rows compare a dynamically linked binary with a dynamically linked
one (or say in the row that they do not), naming what each links.
"""
import importlib.machinery
import importlib.util
import os
import shutil
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
# npserver, the one helper that starts netperf and iperf3 servers (shared
# with tests/net and scripts/qemu-run), for the modules that run them.
sys.path.insert(0, os.path.join(ROOT, "tests", "net", "netperf"))
# The guests' arches (make bench: BENCH_ARCHES).
ARCHES = os.environ.get("BENCH_ARCHES", "x86_64 aarch64 armhf s390x").split()
RUNS = 300


MAXRSS = os.path.join(ROOT, "build", "bench-maxrss")


def run_once(argv):
    """Runs argv with output discarded; returns seconds."""
    t0 = time.perf_counter()
    pid = os.posix_spawn(argv[0], argv, os.environ,
                         file_actions=[(os.POSIX_SPAWN_OPEN, 1, os.devnull,
                                        os.O_WRONLY, 0)])
    _, status = os.waitpid(pid, 0)
    dt = time.perf_counter() - t0
    if os.waitstatus_to_exitcode(status) != 0:
        raise RuntimeError(f"{' '.join(argv)}: exit status {status}")
    return dt


def peak_rss(argv):
    """Peak RSS in KiB, measured from the tiny static launcher."""
    if not os.path.exists(MAXRSS):
        subprocess.run(["gcc", "-static", "-Os", "-o", MAXRSS,
                        os.path.join(ROOT, "tests", "bench", "maxrss.c")],
                       check=True)
    return int(subprocess.run([MAXRSS, *argv], capture_output=True,
                              text=True, check=True).stdout)


def timed(ours, ref, runs=RUNS):
    """Alternates the two commands; returns ((ms, rss), (ms, rss))."""
    tot = [0.0, 0.0]
    for _ in range(runs):
        for i, argv in enumerate((ours, ref)):
            tot[i] += run_once(argv)
    return [(tot[i] * 1000 / runs, max(peak_rss(a) for _ in range(3)))
            for i, a in enumerate((ours, ref))]


def stripped_size(path, strip="strip"):
    tmp = os.path.join(ROOT, "build", "bench-strip.tmp")
    shutil.copy(path, tmp)
    subprocess.run([strip, tmp], check=True)
    n = os.path.getsize(tmp)
    os.unlink(tmp)
    return n


def needed(path, skip=()):
    """The shared libraries @path names (DT_NEEDED), less @skip, joined
    with "+", or "static" for a static binary: for size row labels, which
    count the executables only."""
    r = subprocess.run(["readelf", "-d", path], capture_output=True,
                       text=True)
    libs = [line.split("[", 1)[1].rstrip("]")
            for line in r.stdout.splitlines() if "(NEEDED)" in line]
    if not libs:
        return "static"
    return "+".join(lib.split(".so")[0] for lib in libs if lib not in skip)


class Table:
    def __init__(self):
        self.rows = []

    def add(self, case, ours, ref, fmt):
        ratio = f"{ours / ref:.2f}" if ref else "n/a"
        self.rows.append((case, fmt(ours), fmt(ref), ratio))

    def skip(self, case, why):
        self.rows.append((case, "—", "—", f"skipped: {why}"))

    def print(self):
        print("| case | embnet | reference | ratio |")
        print("|---|---|---|---|")
        for r in self.rows:
            print("| " + " | ".join(r) + " |")


def ms(v):
    return f"{v:.2f} ms"


def kib(v):
    return f"{v} KiB"


def kb(v):
    return f"{v / 1000:.1f} KB"




def qemu_run():
    """scripts/qemu-run as a module (Guest, results, info)."""
    path = os.path.join(ROOT, "scripts", "qemu-run")
    loader = importlib.machinery.SourceFileLoader("qemu_run", path)
    spec = importlib.util.spec_from_loader("qemu_run", loader)
    mod = importlib.util.module_from_spec(spec)
    loader.exec_module(mod)
    return mod

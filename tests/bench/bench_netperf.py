"""netperf against iperf3 3.12 on loopback: throughput, UDP packet rate
and loss, CPU per Gbit/s, size.

Each row runs the same tool on both ends (ours-ours against iperf3-iperf3),
in one run, alternating the two, and takes the median of 3 short (-t 3)
runs.  Throughput ratios are ours/iperf3, so higher is better there; CPU
per Gbit/s and size are lower-is-better."""
import json
import os
import socket
import statistics
import subprocess
import time

from benchlib import kb, stripped_size

REF = "/usr/bin/iperf3"
RUNS = 3
SECS = "3"
CASES = [
    ("TCP 1 stream", []),
    ("TCP -Z on both", ["-Z"]),
    ("TCP -P 2", ["-P", "2"]),
    ("UDP 1460 B, -b 0", ["-u", "-l", "1460", "-b", "0"]),
]


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_listen(p, timeout=5.0):
    """Waits for the listener with ss: a probe connection would be the
    one test of a -1 server."""
    end = time.time() + timeout
    while time.time() < end:
        out = subprocess.run(["ss", "-Hltn", f"sport = :{p}"],
                             capture_output=True, text=True).stdout
        if out.strip():
            return
        time.sleep(0.05)
    raise TimeoutError(f"no server on {p}")


def spawn(argv, out):
    fd = os.open(out, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        return os.posix_spawn(argv[0], argv, os.environ,
                              file_actions=[(os.POSIX_SPAWN_DUP2, fd, 1),
                                            (os.POSIX_SPAWN_DUP2, fd, 2)])
    finally:
        os.close(fd)


def run_one(tool, args, tmp):
    """One client-server test; returns (client JSON, CPU seconds of both)."""
    p = free_port()
    srv = spawn([tool, "-s", "-1", "-p", str(p)], tmp + ".srv")
    wait_listen(p)
    cli = spawn([tool, "-c", "127.0.0.1", "-p", str(p), "-t", SECS, "-J",
                 *args], tmp + ".cli")
    cpu = 0.0
    for pid in (cli, srv):
        _, status, ru = os.wait4(pid, 0)
        if os.waitstatus_to_exitcode(status) != 0:
            with open(tmp + (".cli" if pid == cli else ".srv")) as f:
                raise RuntimeError(f"{tool} {args}: {f.read()[-500:]}")
        cpu += ru.ru_utime + ru.ru_stime
    with open(tmp + ".cli") as f:
        return json.load(f), cpu


def metrics(doc, cpu):
    end = doc["end"]
    if "sum" in end and "lost_packets" in end["sum"]:
        s = end["sum"]
        secs = s["seconds"] or 1
        got = s["packets"] - s["lost_packets"]
        return {"pps": got / secs, "loss": s["lost_percent"],
                "gbit": got * 1460 * 8 / secs / 1e9, "cpu": cpu}
    r = end["sum_received"]
    return {"gbit": r["bits_per_second"] / 1e9, "cpu": cpu}


def measure(ours, args, tmp):
    res = {"ours": [], "ref": []}
    for _ in range(RUNS):
        for who, tool in (("ours", ours), ("ref", REF)):
            res[who].append(metrics(*run_one(tool, args, tmp)))
    return [{k: statistics.median(m[k] for m in res[w]) for k in res[w][0]}
            for w in ("ours", "ref")]


def gbit(v):
    return f"{v:.2f} Gbit/s"


def kpps(v):
    return f"{v / 1000:.0f} kpps"


def pct(v):
    return f"{v:.2f} %"


def cpu_per_gbit(m):
    return m["cpu"] / (m["gbit"] * float(SECS)) if m["gbit"] else 0


def secs(v):
    return f"{v:.3f} s"


def rows(t, name, o, r):
    if "pps" in o:
        t.add(f"{name}: received pps (higher is better)", o["pps"], r["pps"],
              kpps)
        t.add(f"{name}: loss (lower is better)", o["loss"], r["loss"], pct)
    else:
        t.add(f"{name}: Gbit/s (higher is better)", o["gbit"], r["gbit"],
              gbit)
    t.add(f"{name}: CPU s per Gbit (both ends; lower is better)",
          cpu_per_gbit(o), cpu_per_gbit(r), secs)


def lib_size():
    for d in ("/usr/lib/x86_64-linux-gnu", "/usr/lib/aarch64-linux-gnu",
              "/usr/lib"):
        p = os.path.join(d, "libiperf.so.0")
        if os.path.exists(p):
            return stripped_size(os.path.realpath(p))
    return 0


def bench(t, build):
    ours = os.path.join(build, "bin", "netperf")
    if not os.path.exists(ours) or not os.path.exists(REF):
        t.skip("netperf", "build/bin/netperf or /usr/bin/iperf3 missing")
        return
    t.add("netperf: stripped size vs iperf3 + libiperf.so (lower is better)",
          stripped_size(ours), stripped_size(REF) + lib_size(), kb)
    tmp = os.path.join(build, f"bench-netperf-{os.getpid()}")
    try:
        for name, args in CASES:
            try:
                o, r = measure(ours, args, tmp)
            except (RuntimeError, TimeoutError, ValueError) as e:
                t.skip(f"netperf {name}", str(e)[:120])
                continue
            rows(t, f"netperf {name}", o, r)
    finally:
        for ext in (".srv", ".cli"):
            if os.path.exists(tmp + ext):
                os.unlink(tmp + ext)

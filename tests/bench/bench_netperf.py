"""netperf against iperf3 3.12 on loopback and on a veth pair: throughput,
UDP packet rate and loss, CPU per Gbit/s, size.

Each row runs the same tool on both ends (ours-ours against iperf3-iperf3),
in one run, alternating the two, and takes the median of 5 short (-t 3)
runs.  On veth the server runs in one network namespace and the client in
another, joined by a veth pair made here (10.213.0.1/24, 10.213.0.2/24) and
deleted afterwards.  Throughput ratios are ours/iperf3, so higher is better
there; CPU per Gbit/s and size are lower-is-better."""
import json
import os
import shutil
import statistics
import subprocess

from benchlib import kb, needed, stripped_size
import npserver

REF = "/usr/bin/iperf3"
RUNS = 5
SECS = "3"
# name, arguments, the goal for the throughput ratio
CASES = [
    ("TCP 1 stream", [], 1.2),
    ("TCP -Z on both", ["-Z"], 1.0),
    ("TCP -P 2", ["-P", "2"], 1.5),
    ("UDP 1460 B, -b 0", ["-u", "-l", "1460", "-b", "0"], 2.0),
]


class Loopback:
    """Both ends on the host's lo."""
    name = "loopback"
    addr = "127.0.0.1"
    srv_ns = None
    cli = ()


class Veth:
    """Two namespaces joined by a veth pair: the server's end 10.213.0.1/24,
    the client's 10.213.0.2/24.  close() deletes the namespaces, and with
    them the pair, also after a failed setup."""
    name = "veth"
    addr = "10.213.0.1"

    def __init__(self):
        self.ns = [f"embnp-{who}-{os.getpid()}" for who in ("srv", "cli")]
        self.made = []
        self.srv_ns = self.ns[0]
        ip = shutil.which("ip") or "/usr/sbin/ip"
        self.cli = [ip, "netns", "exec", self.ns[1]]

    def setup(self):
        for n in self.ns:
            subprocess.run(["ip", "netns", "add", n], check=True)
            self.made.append(n)
        subprocess.run(["ip", "link", "add", "np0", "netns", self.ns[0],
                        "type", "veth", "peer", "name", "np1", "netns",
                        self.ns[1]], check=True)
        for n, dev, a in zip(self.ns, ("np0", "np1"), (1, 2)):
            for cmd in (["addr", "add", f"10.213.0.{a}/24", "dev", dev],
                        ["link", "set", dev, "up"],
                        ["link", "set", "lo", "up"]):
                subprocess.run(["ip", "-n", n, *cmd], check=True)

    def close(self):
        while self.made:
            subprocess.run(["ip", "netns", "del", self.made.pop()],
                           stderr=subprocess.DEVNULL)


def spawn(argv, out):
    """Runs argv with stdout to @out, stderr to @out.err (iperf3 warns
    there, e.g. of a UDP block over the TCP MSS, next to its JSON)."""
    fds = [os.open(f, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
           for f in (out, out + ".err")]
    try:
        return os.posix_spawn(argv[0], argv, os.environ,
                              file_actions=[(os.POSIX_SPAWN_DUP2, fds[0], 1),
                                            (os.POSIX_SPAWN_DUP2, fds[1], 2)])
    finally:
        for fd in fds:
            os.close(fd)


def reap(pid, out, what):
    """Waits for the client @pid; returns its CPU seconds, raises if it
    failed."""
    _, status, ru = os.wait4(pid, 0)
    if os.waitstatus_to_exitcode(status) != 0:
        text = ""
        for f in (out, out + ".err"):
            with open(f, errors="replace") as fp:
                text += fp.read()
        raise RuntimeError(f"{what}: {text.strip()[-500:]}")
    return ru.ru_utime + ru.ru_stime


def run_one(net, tool, args, tmp):
    """One client-server test; returns (client JSON, CPU seconds of both)."""
    srv = npserver.Server(tool, npserver.free_port(), ns=net.srv_ns)
    try:
        cli = spawn([*net.cli, tool, "-c", net.addr, "-p", str(srv.port),
                     "-t", SECS, "-J", *args], tmp + ".cli")
        cpu = reap(cli, tmp + ".cli", f"{tool} -c {' '.join(args)}")
        rc, out, err = srv.finish()
    finally:
        srv.kill()
    if rc != 0:
        raise RuntimeError(f"{tool} -s: {(out + err).strip()[-500:]}")
    with open(tmp + ".cli") as f:
        return json.load(f), cpu + srv.cpu


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


def measure(net, runs, tmp):
    """Medians of RUNS alternating runs of each (tool, args) in @runs."""
    res = [[] for _ in runs]
    for _ in range(RUNS):
        for i, (tool, args) in enumerate(runs):
            res[i].append(metrics(*run_one(net, tool, args, tmp)))
    return [{k: statistics.median(m[k] for m in r) for k in r[0]}
            for r in res]


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


def rows(t, name, goal, o, r):
    if "pps" in o:
        t.add(f"{name}: received pps (higher is better; goal >= {goal})",
              o["pps"], r["pps"], kpps)
        t.add(f"{name}: loss (lower is better; goal: no more)", o["loss"],
              r["loss"], pct)
    else:
        t.add(f"{name}: Gbit/s (higher is better; goal >= {goal})",
              o["gbit"], r["gbit"], gbit)
    t.add(f"{name}: CPU s per Gbit (both ends; lower is better)",
          cpu_per_gbit(o), cpu_per_gbit(r), secs)


def libiperf():
    for d in ("/usr/lib/x86_64-linux-gnu", "/usr/lib/aarch64-linux-gnu",
              "/usr/lib"):
        p = os.path.join(d, "libiperf.so.0")
        if os.path.exists(p):
            return os.path.realpath(p)
    return None


def cases(t, net, ours, tmp):
    for name, args, goal in CASES:
        try:
            o, r = measure(net, [(ours, args), (REF, args)], tmp)
        except (AssertionError, RuntimeError, TimeoutError, ValueError) as e:
            t.skip(f"netperf {net.name} {name}", str(e)[:120])
            continue
        rows(t, f"netperf {net.name} {name}", goal, o, r)


def tls_rows(t, net, ours, tmp):
    """--tls has no iperf3 counterpart: ours with it against ours without,
    which is what encryption costs on this CPU."""
    name = f"netperf {net.name} TCP 1 stream --tls (ref: ours without)"
    try:
        o, r = measure(net, [(ours, ["--tls"]), (ours, [])], tmp)
    except (AssertionError, RuntimeError, TimeoutError, ValueError) as e:
        t.skip(name, str(e)[:120])
        return
    t.add(f"{name}: Gbit/s (higher is better)", o["gbit"], r["gbit"], gbit)
    t.add(f"{name}: CPU s per Gbit (both ends; lower is better)",
          cpu_per_gbit(o), cpu_per_gbit(r), secs)


def bench(t, build):
    ours = os.path.join(build, "bin", "netperf")
    if not os.path.exists(ours) or not os.path.exists(REF):
        t.skip("netperf", "build/bin/netperf or /usr/bin/iperf3 missing")
        return
    # Both dynamic.  iperf3's own code is split between the executable and
    # libiperf.so, which are counted together; the general libraries each
    # links (ours: cJSON, mbed TLS; iperf3: OpenSSL's libcrypto, libsctp)
    # and libc are counted on neither side.
    lib = libiperf()
    if lib:
        t.add(f"netperf: stripped size, both dynamic: ours (needs "
              f"{needed(ours)}, not counted) vs iperf3 + its libiperf.so "
              f"(they need {needed(lib)}, not counted; lower is better)",
              stripped_size(ours), stripped_size(REF) + stripped_size(lib),
              kb)
    else:
        t.skip("netperf: stripped size", "no libiperf.so.0 beside iperf3")
    tmp = os.path.join(build, f"bench-netperf-{os.getpid()}")
    try:
        cases(t, Loopback(), ours, tmp)
        tls_rows(t, Loopback(), ours, tmp)
        if os.geteuid() != 0:
            t.skip("netperf veth", "network namespaces need root")
            return
        veth = Veth()
        try:
            veth.setup()
        except (OSError, subprocess.CalledProcessError) as e:
            t.skip("netperf veth", f"no veth pair: {e}"[:120])
        else:
            cases(t, veth, ours, tmp)
        finally:
            veth.close()
    finally:
        for ext in (".cli", ".cli.err"):
            if os.path.exists(tmp + ext):
                os.unlink(tmp + ext)

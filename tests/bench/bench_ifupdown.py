"""ifup -a / ifdown -a of 100 veth links with static IPv4, no hooks.

Our ifup against Debian's ifupdown 0.8 (build/ref/ifupdown, fetched by
scripts/fetch-deb; forks `ip` and run-parts per step; the row labels say
the version of that package, read from it) and busybox's ifup.
Each tool gets a namespace of its own holding veth0..veth99 (peers
vp0..vp99), an identical interfaces file and, in the mount namespace of
`ip netns exec`, a private /etc/network (bind-mounted, empty if-*.d
directories) and a private tmpfs on /run as on a target: busybox keeps
/var/run/ifstate there, ours and Debian's get --state-dir /run/network.
Each round runs twice: /run a fresh tmpfs (a boot), then /run a
bind-mounted directory on disk (under build/, which must not be a tmpfs:
`stat -f` says which file system, and the row names it), made once per
tool and kept from round to round as a state directory on a disk is
kept from boot to boot (with the lock files both tools leave there), so
the state files' cost on a disk shows (ifstate is runtime state:
replaced atomically, not fsync'ed).
A small driver times the commands inside the namespace, so `ip netns exec`
is not measured; the tools alternate round by round and the median round
counts; each round checks 100 addresses after ifup -a and none after
ifdown -a.  The file says address + netmask, not CIDR: busybox ifup
rejects CIDR.  Needs root (else only the size row).
"""
import glob
import gzip
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import uuid

from benchlib import MAXRSS, ROOT, kb, kib, ms, peak_rss, stripped_size

N = 100
ROUNDS = 5
REF = os.path.join(ROOT, "build", "ref", "ifupdown")
# /run of the disk rounds: one directory per tool, kept between rounds.
DISK = os.path.join(ROOT, "build", "bench-ifupdown-state")
WHERE = ("tmpfs", "disk")

DRIVER = r"""
import json, os, subprocess, sys, time
argv_up, argv_down, maxrss, n = json.loads(sys.argv[1])

def run(argv):
    t0 = time.perf_counter()
    r = subprocess.run(argv, stdout=subprocess.DEVNULL,
                       stderr=subprocess.PIPE, text=True)
    dt = time.perf_counter() - t0
    if r.returncode:
        sys.exit(f"{' '.join(argv)}: exit {r.returncode}: {r.stderr}")
    return dt

def count():
    out = subprocess.run(["ip", "-4", "-o", "addr", "show"],
                         capture_output=True, text=True).stdout
    return sum(1 for l in out.splitlines() if " inet 10." in l)

res = {"up": run(argv_up), "n_up": count()}
res["down"] = run(argv_down)
res["n_down"] = count()
if maxrss:
    rss = []
    for a in (argv_up, argv_down):
        rss.append(int(subprocess.run([maxrss, *a], capture_output=True,
                                      text=True, check=True).stdout))
    res["rss"] = max(rss)
print(json.dumps(res))
"""


def tree_version(tree):
    """The version of the package extracted in @tree (dpkg-deb -x keeps no
    control file): the first line of its changelog, a binNMU's own first."""
    doc = os.path.join(tree, "usr", "share", "doc", "ifupdown")
    for path in sorted(glob.glob(os.path.join(doc, "changelog.Debian.*.gz"))) \
            + [os.path.join(doc, "changelog.Debian.gz"),
               os.path.join(doc, "changelog.gz")]:
        try:
            with gzip.open(path, "rt") as f:
                m = re.match(r"ifupdown \(([^)]+)\)", f.readline())
        except OSError:
            continue
        if m:
            return m.group(1)
    return None


def deb_version():
    """Version: of the .deb scripts/fetch-deb extracts (build/debs, the
    last by name of this architecture's or arch all), None without one."""
    arch = subprocess.run(["dpkg", "--print-architecture"],
                          capture_output=True, text=True).stdout.strip()
    debs = sorted(d for pat in (f"ifupdown_*_{arch}.deb",
                                "ifupdown_*_all.deb")
                  for d in glob.glob(os.path.join(ROOT, "build", "debs", pat)))
    if not debs:
        return None
    r = subprocess.run(["dpkg-deb", "-f", debs[-1], "Version"],
                       capture_output=True, text=True)
    return r.stdout.strip() or None


def ref_label():
    """"Debian ifupdown VERSION" of the tree the bench runs: the .deb's
    Version when the tree is that .deb's (its changelog agrees), else the
    tree's changelog, which is what runs."""
    tree, deb = tree_version(REF), deb_version()
    version = deb if deb and (tree is None or tree == deb) else tree
    return f"Debian ifupdown {version or '(version unknown)'}"


def interfaces():
    text = "auto lo\niface lo inet loopback\n"
    for i in range(N):
        text += (f"\nauto veth{i}\niface veth{i} inet static\n"
                 f"\taddress 10.{i}.0.1\n\tnetmask 255.255.255.0\n")
    return text


class Tool:
    """One tool: its commands, namespace and private /etc/network."""

    def __init__(self, name, up, down, tmp):
        self.name, self.up, self.down = name, up, down
        self.base = os.path.join(tmp, name)
        self.ns = "embb-" + uuid.uuid4().hex[:10]
        self.rounds = {w: [] for w in WHERE}
        etc = os.path.join(self.base, "etc")
        os.makedirs(os.path.join(self.base, "etc"))
        for phase in ("pre-up", "up", "down", "post-down"):
            os.makedirs(os.path.join(etc, f"if-{phase}.d"))
        with open(os.path.join(etc, "interfaces"), "w") as f:
            f.write(interfaces())
        subprocess.run(["ip", "netns", "add", self.ns], check=True)
        batch = "".join(f"link add veth{i} type veth peer name vp{i}\n"
                        for i in range(N))
        subprocess.run(["ip", "-n", self.ns, "-batch", "-"], input=batch,
                       text=True, check=True)

    def argv(self, cmd):
        return [a.replace("@BASE@", self.base) for a in cmd]

    def round(self, driver, rss, where):
        """One ifup -a + ifdown -a with /run on @where (tmpfs or disk)."""
        args = json.dumps([self.argv(self.up), self.argv(self.down),
                           MAXRSS if rss else "", N])
        run = "mount -t tmpfs embnet-bench /run"
        if where == "disk":
            disk = os.path.join(DISK, self.name)
            os.makedirs(disk, exist_ok=True)
            run = f"mount --bind {disk} /run"
        sh = (f"mount --bind {self.base}/etc /etc/network && "
              f"{run} && mkdir -p /run/network && "
              f'exec {sys.executable} {driver} "$0"')
        r = subprocess.run(["ip", "netns", "exec", self.ns, "sh", "-c", sh,
                            args], capture_output=True, text=True)
        if r.returncode:
            raise RuntimeError(f"{self.name}: {r.stderr.strip()}")
        res = json.loads(r.stdout)
        if res["n_up"] != N or res["n_down"] != 0:
            raise RuntimeError(f"{self.name}: {res['n_up']} addresses after "
                               f"ifup -a, {res['n_down']} after ifdown -a")
        self.rounds[where].append(res)

    def median(self, key, where="tmpfs"):
        return statistics.median(r[key] for r in self.rounds[where]) * 1000

    def total(self, where):
        return self.median("up", where) + self.median("down", where)

    def close(self):
        subprocess.run(["ip", "netns", "del", self.ns], check=False)


def tools(build, tmp):
    common = ["-i", "/etc/network/interfaces"]
    ours = os.path.join(build, "bin")
    out = [Tool("embnet", [f"{ours}/ifup", "-a", *common, "--state-dir",
                           "/run/network"],
                [f"{ours}/ifdown", "-a", *common, "--state-dir",
                 "/run/network"], tmp)]
    if not os.path.exists(os.path.join(REF, "sbin", "ifup")):
        subprocess.run([os.path.join(ROOT, "scripts", "fetch-deb"),
                        "ifupdown", REF], capture_output=True)
    if os.path.exists(os.path.join(REF, "sbin", "ifup")):
        d = os.path.join(REF, "sbin")
        out.append(Tool("debian", [f"{d}/ifup", "-a", *common, "--state-dir",
                                   "/run/network"],
                        [f"{d}/ifdown", "-a", *common, "--state-dir",
                         "/run/network"], tmp))
    bb = shutil.which("busybox")
    if bb and "ifup" in subprocess.run([bb, "--list"], capture_output=True,
                                       text=True).stdout.split():
        out.append(Tool("busybox", [bb, "ifup", "-a", *common],
                        [bb, "ifdown", "-a", *common], tmp))
    return out


def fs_type(path):
    """The file system of @path as `stat -f` names it (ext2/ext3, tmpfs)."""
    return subprocess.run(["stat", "-f", "-c", "%T", path],
                          capture_output=True, text=True).stdout.strip()


def rows(t, ours, ref, label, disk):
    for key, what in (("up", "ifup -a"), ("down", "ifdown -a")):
        t.add(f"{what}, {N} veth static IPv4, per interface, median of "
              f"{ROUNDS} (ref: {label})", ours.median(key) / N,
              ref.median(key) / N, ms)
    t.add(f"ifup -a + ifdown -a of {N} interfaces, state on tmpfs "
          f"(ref: {label}; goal <= 0.02)", ours.total("tmpfs"),
          ref.total("tmpfs"), ms)
    t.add(f"ifup -a + ifdown -a of {N} interfaces, state on disk, {disk} "
          f"(ref: {label}; goal <= 0.02)", ours.total("disk"),
          ref.total("disk"), ms)
    t.add(f"ifup/ifdown -a of {N}, peak RSS of the largest process "
          f"(ref: {label})",
          max(r["rss"] for r in ours.rounds["tmpfs"] if "rss" in r),
          max(r["rss"] for r in ref.rounds["tmpfs"] if "rss" in r), kib)


def measure(t, build):
    shutil.rmtree(DISK, ignore_errors=True)  # an interrupted run's
    os.makedirs(DISK)
    disk = fs_type(DISK)
    if disk == "tmpfs":
        raise RuntimeError(f"{DISK} is on a tmpfs: no disk rows possible")
    with tempfile.TemporaryDirectory(prefix="embnet-bench-ifupdown-") as tmp:
        driver = os.path.join(tmp, "driver.py")
        with open(driver, "w") as f:
            f.write(DRIVER)
        ts = []
        try:
            ts = tools(build, tmp)
            peak_rss(["/bin/true"])  # builds the launcher once
            for i in range(ROUNDS):
                for where in WHERE:
                    for tool in ts:
                        tool.round(driver, i == 0 and where == "tmpfs",
                                   where)
        finally:
            for tool in ts:
                tool.close()
            shutil.rmtree(DISK, ignore_errors=True)
        byname = {x.name: x for x in ts}
        ours = byname["embnet"]
        t.add(f"ifup -a + ifdown -a of {N} interfaces, state on disk, {disk} "
              f"(ref: ours, state on tmpfs)", ours.total("disk"),
              ours.total("tmpfs"), ms)
        for name, label in (("debian", ref_label()),
                            ("busybox", "busybox ifup")):
            if name in byname:
                rows(t, ours, byname[name], label, disk)
            else:
                t.skip(f"ifup -a of {N} (ref: {label})", f"no {name} ifup")


def bench(t, build):
    ours = os.path.join(build, "bin", "ifup")
    if not os.path.exists(ours):
        t.skip("ifupdown", f"{ours} not built")
        return
    if os.geteuid() != 0 or not shutil.which("ip"):
        t.skip(f"ifup -a of {N} veth", "needs root and iproute2")
    else:
        measure(t, build)
    ref = os.path.join(REF, "sbin", "ifup")
    if os.path.exists(ref):
        t.add("stripped size: ifup (ref: Debian's ifup)",
              stripped_size(ours), stripped_size(ref), kb)

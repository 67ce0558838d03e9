"""musl: the static builds against the glibc dynamic ones and against the
tools they replace (the issue "musl for real"): stripped sizes, the guest
image, peak RSS.

Builds, from one `make bench` (each made by its `bench:` rule):
  BUILD         glibc, dynamic, one program each (BUILD is build/ARCH)
  BUILD-mc      glibc, dynamic, MULTICALL=1: bin/embnet
  BUILD-musl    musl, static, one program each; guest/rootfs.cpio.gz
  BUILD-musl-mc musl, static, MULTICALL=1: bin/embnet
A build that is missing (musl links only with the tarballs in DL_DIR)
gives a skipped row, never a number.

Sizes are stripped executables.  A static binary holds its libc and
libraries; a dynamic one does not, and its row names the shared libraries
left out (benchlib.needed).  The musl guest (`make rootfs LIBC=musl`)
holds busybox-static, our static programs and virtio_net's modules.  It
is compared like for like with the glibc guest made here without extra
packages (scripts/mkrootfs --extra-debs '', in BUILD/guest-bare), which
differs only in our dynamic programs and the shared libraries they need;
and with the glibc guest of `make rootfs`, which also carries Debian's
iperf3 and ethtool as test peers (GUEST_DEBS), as the row says.  With a
multi-call build, a musl guest of embnet (BUILD-musl-mc/guest-bare) too.

Peak RSS runs the same command on the musl and the glibc build of each
program: ifquery --list of a small file, ethtool lo, dhcpc to bound
against dnsmasq (bench_dhcpc's namespaces; root), netperf -c/-s -1 on
loopback for 1 s.  Largest of 3 runs each.  It is VmHWM at exit
(vmhwm.c), not benchlib's ru_maxrss: that cannot go below its launcher's
own RSS (~260 KiB, kept across exec), more than our musl programs use,
and reads 0 KiB for a static program of a few dozen pages on Linux 6.18.
VmHWM counts the process alone, not dhcpc's script.
"""
import gzip
import os
import re
import shutil
import subprocess
import sys
import tempfile

from benchlib import ROOT, kb, kib, needed, stripped_size
from bench_netperf import libiperf
import npserver

PROGS = ("ifup", "dhcpc", "ethtool", "netperf")
GOAL_MC = 450 * 1000  # bytes, the table's KB
GOAL_PROG = 100 * 1000
GOAL_ROOTFS = 0.60  # at least 40% smaller
BUSYBOX = "/bin/busybox"  # busybox-static
ETHTOOL = "/usr/sbin/ethtool"
IPERF3 = "/usr/bin/iperf3"
RSS_RUNS = 3
LAUNCHER = os.path.join(ROOT, "build", "bench-vmhwm")
IFACES = """auto lo
iface lo inet loopback

auto eth0
iface eth0 inet dhcp

iface eth1 inet static
	address 192.0.2.1/24
	gateway 192.0.2.254
"""


def builds(build):
    """The four build directories beside @build (any of its -musl, -mc,
    -san suffixes dropped)."""
    base = re.sub(r"(-musl)?(-mc)?(-san)?$", "", build.rstrip("/"))
    return {"glibc": base, "glibc-mc": base + "-mc", "musl": base + "-musl",
            "musl-mc": base + "-musl-mc"}


def prog(d, name):
    p = os.path.join(d, "bin", name)
    return p if os.path.isfile(p) and not os.path.islink(p) else None


def has_symbols(path, names):
    """Whether the (unstripped) @path defines every one of @names."""
    r = subprocess.run(["nm", "--defined-only", path], capture_output=True,
                       text=True)
    syms = {line.split()[-1] for line in r.stdout.splitlines() if line}
    return all(n in syms for n in names)


def n_applets():
    r = subprocess.run([BUSYBOX, "--list"], capture_output=True, text=True)
    return len(r.stdout.split())


def size_rows(t, b):
    """Per program: static musl against glibc dynamic, against the tool
    it replaces, and the goal."""
    bb = f"all of busybox-static, {n_applets()} applets, static"
    for name in PROGS:
        m, g = prog(b["musl"], name), prog(b["glibc"], name)
        if not m:
            t.skip(f"{name}: stripped size, static musl",
                   f"no {b['musl']}/bin/{name} (make LIBC=musl all; "
                   f"tarballs in DL_DIR)")
            continue
        ms = stripped_size(m)
        if g:
            t.add(f"{name}: stripped size, static musl vs glibc dynamic "
                  f"(glibc needs {needed(g)}, not counted)", ms,
                  stripped_size(g), kb)
        else:
            t.skip(f"{name}: stripped size vs glibc", f"no {g} (make all)")
        ref_row(t, name, ms, bb)
        if name != "netperf":
            t.add(f"{name}: stripped size, static musl, goal <= "
                  f"{GOAL_PROG // 1000} KB (ref: the goal)", ms, GOAL_PROG,
                  kb)


def ref_row(t, name, ms, bb):
    if name in ("ifup", "dhcpc"):
        t.add(f"{name}: stripped size, both static: musl vs {bb}", ms,
              stripped_size(BUSYBOX), kb)
    elif name == "ethtool" and os.path.exists(ETHTOOL):
        t.add(f"ethtool: stripped size, static musl vs Debian's ethtool "
              f"6.1, dynamic (needs {needed(ETHTOOL)}, not counted)", ms,
              stripped_size(ETHTOOL), kb)
    elif name == "netperf" and os.path.exists(IPERF3) and libiperf():
        lib = libiperf()
        t.add(f"netperf: stripped size, static musl with mbed TLS and "
              f"cJSON vs iperf3 + libiperf.so, dynamic (they need "
              f"{needed(lib)}, not counted)", ms,
              stripped_size(IPERF3) + stripped_size(lib), kb)
    else:
        t.skip(f"{name}: stripped size vs the tool replaced",
               "reference not installed")


def suite_rows(t, b):
    sep = [prog(b["musl"], n) for n in PROGS]
    mc = prog(b["musl-mc"], "embnet")
    if not mc:
        t.skip("suite: static musl multi-call embnet",
               f"no {b['musl-mc']}/bin/embnet (make LIBC=musl MULTICALL=1 "
               f"all; tarballs in DL_DIR)")
        return
    mcs = stripped_size(mc)
    if all(sep):
        t.add("suite: stripped size, static musl: multi-call embnet vs the "
              "4 separate programs summed", mcs,
              sum(stripped_size(p) for p in sep), kb)
    gmc = prog(b["glibc-mc"], "embnet")
    if gmc:
        t.add(f"suite: stripped size, multi-call embnet: static musl vs "
              f"glibc dynamic (needs {needed(gmc)}, not counted)", mcs,
              stripped_size(gmc), kb)
    else:
        t.skip("suite: multi-call vs glibc multi-call",
               f"no {gmc} (make MULTICALL=1 all)")
    t.add(f"suite: stripped size, both static: multi-call embnet (musl) vs "
          f"all of busybox-static ({n_applets()} applets)", mcs,
          stripped_size(BUSYBOX), kb)
    full = has_symbols(mc, ("np_auth_token", "np_auth_check",
                            "mbedtls_ssl_handshake"))
    what = ("netperf's TLS and auth linked in" if full else
            "NOT all of netperf's TLS and auth found in it")
    t.add(f"suite: static musl multi-call embnet ({what}), goal <= "
          f"{GOAL_MC // 1000} KB (ref: the goal)", mcs, GOAL_MC, kb)


def cpio_files(path):
    """{name: contents} of a gzipped newc cpio archive."""
    out = {}
    with gzip.open(path, "rb") as f:
        data = f.read()
    i = 0
    while i + 110 <= len(data) and data[i:i + 6] == b"070701":
        h = data[i:i + 110]
        size, nlen = int(h[54:62], 16), int(h[94:102], 16)
        name = data[i + 110:i + 110 + nlen - 1].decode(errors="replace")
        if name == "TRAILER!!!":
            break
        i = (i + 110 + nlen + 3) & ~3
        out[name.lstrip("./")] = data[i:i + size]
        i = (i + size + 3) & ~3
    return out


def image_ours(path):
    """Our programs in an image, from its etc/embnet-release."""
    rel = cpio_files(path).get("etc/embnet-release", b"").decode()
    m = re.search(r"^ours=(.*)$", rel, re.M)
    return m.group(1).split() if m else []


def holds(path):
    """What an image holds, for the row label."""
    files = cpio_files(path)
    ours = " ".join(image_ours(path))
    libs = sorted({os.path.basename(n).split(".so")[0] for n in files
                   if ".so" in os.path.basename(n) and n.startswith(
                       ("lib", "usr/lib")) and "/modules/" not in n})
    peers = [n.rsplit("/", 1)[-1] for n in files
             if n in ("usr/bin/iperf3", "usr/sbin/ethtool.debian",
                      "sbin/ethtool.debian")]
    text = f"ours: {'+'.join(ours.split()) or 'none'}"
    text += f"; .so: {'+'.join(libs)}" if libs else "; no .so"
    if peers:
        text += f"; peers: {'+'.join(peers)}"
    return text


def mkrootfs(build, arch, *args):
    """scripts/mkrootfs of @build with @args, output in @build/guest-bare;
    (path of its rootfs.cpio.gz, None) or (None, why)."""
    env = {k: v for k, v in os.environ.items()
           if k not in ("MAKEFLAGS", "LIBC", "MULTICALL", "ONLY")}
    r = subprocess.run([sys.executable,
                        os.path.join(ROOT, "scripts", "mkrootfs"),
                        "--arch", arch, "--build",
                        os.path.relpath(build, ROOT), "--name", "guest-bare",
                        "--extra-debs", "", *args], env=env,
                       capture_output=True, text=True)
    path = os.path.join(build, "guest-bare", "rootfs.cpio.gz")
    if r.returncode or not os.path.exists(path):
        lines = r.stderr.strip().splitlines() or ["failed"]
        told = [x for x in lines if x.startswith(("mkrootfs:", "make:"))]
        return None, (told or lines)[-1]
    return path, None


def rootfs_rows(t, b):
    arch = os.path.basename(b["glibc"])
    goal = (f"goal >= {100 - GOAL_ROOTFS * 100:.0f}% smaller, ratio <= "
            f"{GOAL_ROOTFS:.2f}")
    musl = os.path.join(b["musl"], "guest", "rootfs.cpio.gz")
    glibc = os.path.join(b["glibc"], "guest", "rootfs.cpio.gz")
    if not os.path.exists(musl) or not image_ours(musl):
        t.skip(f"guest {arch}: rootfs.cpio.gz musl vs glibc",
               f"no {os.path.relpath(musl, ROOT)} with our programs (make "
               f"rootfs LIBC=musl; tarballs in DL_DIR)")
        return
    bare, why = mkrootfs(b["glibc"], arch, "--libc", "glibc")
    if bare:
        t.add(f"guest {arch}: rootfs.cpio.gz, like for like, {goal}: musl "
              f"(make rootfs LIBC=musl; {holds(musl)}) vs glibc without "
              f"extra packages (mkrootfs --extra-debs ''; {holds(bare)}); "
              f"both hold busybox-static and virtio_net's modules",
              os.path.getsize(musl), os.path.getsize(bare), kb)
    else:
        t.skip(f"guest {arch}: rootfs.cpio.gz like for like",
               f"mkrootfs glibc: {why}"[:150])
    if os.path.exists(glibc):
        t.add(f"guest {arch}: rootfs.cpio.gz as make rootfs builds each, "
              f"NOT like for like: musl ({holds(musl)}) vs glibc with "
              f"GUEST_DEBS test peers ({holds(glibc)})",
              os.path.getsize(musl), os.path.getsize(glibc), kb)
    if not bare or not prog(b["musl-mc"], "embnet"):
        return
    if not os.environ.get("DL_DIR"):
        # Without it, make would compile the musl build against Debian's
        # headers and link nothing.
        t.skip(f"guest {arch}: rootfs.cpio.gz musl multi-call",
               "DL_DIR not set (make bench exports it)")
        return
    mc, why = mkrootfs(b["musl-mc"], arch, "--libc", "musl", "--multicall")
    if mc and not image_ours(mc):
        mc, why = None, "the image holds none of our programs"
    if mc:
        t.add(f"guest {arch}: rootfs.cpio.gz, musl multi-call ({holds(mc)}) "
              f"vs glibc without extra packages, as above, {goal}",
              os.path.getsize(mc), os.path.getsize(bare), kb)
    else:
        t.skip(f"guest {arch}: rootfs.cpio.gz musl multi-call",
               f"mkrootfs: {why}"[:150])


def launcher():
    """Builds LAUNCHER when vmhwm.c is newer."""
    src = os.path.join(ROOT, "tests", "bench", "vmhwm.c")
    if (not os.path.exists(LAUNCHER) or
            os.path.getmtime(LAUNCHER) < os.path.getmtime(src)):
        subprocess.run(["gcc", "-Os", "-o", LAUNCHER, src], check=True)


def rss(argv, prefix=(), runs=RSS_RUNS):
    """Peak RSS in KiB of @argv (run under @prefix, e.g. ip netns exec),
    the largest of @runs."""
    return max(int(subprocess.run([*prefix, LAUNCHER, *argv],
                                  capture_output=True, text=True,
                                  check=True).stdout)
               for _ in range(runs))


def netperf_rss(np):
    """Peak RSS (client, server) of one loopback test of -t 1."""
    best = [0, 0]
    for _ in range(RSS_RUNS):
        srv = npserver.Server(np, npserver.free_port(), wrap=[LAUNCHER])
        try:
            cli = rss([np, "-c", "127.0.0.1", "-p", str(srv.port), "-t",
                       "1"], runs=1)
            rc, out, _ = srv.finish(timeout=20)
        finally:
            srv.kill()
        if rc:
            raise RuntimeError(f"{np} -s -1: exit {rc}")
        best = [max(best[0], cli), max(best[1], int(out))]
    return best


def dhcpc_rss(t, b, tmp):
    if os.geteuid() != 0 or not shutil.which("dnsmasq"):
        t.skip("dhcpc: peak RSS musl vs glibc", "needs root and dnsmasq")
        return
    from bench_dhcpc import Lab
    lab = Lab(tmp)
    args = ["-i", "veth0", "-f", "-q", "-s", "/bin/true", "-t", "3", "-T", "1",
            "-A", "1"]
    try:
        lab.start_dnsmasq()
        m, g = (rss([prog(b[k], "dhcpc"), *args],
                    ["ip", "netns", "exec", lab.c]) for k in ("musl", "glibc"))
    finally:
        lab.close()
    t.add("dhcpc: peak RSS, -f -q to bound against dnsmasq in a namespace "
          "(script /bin/true, not counted), static musl vs glibc dynamic",
          m, g, kib)


def rss_rows(t, b):
    if not all(prog(b["musl"], n) and prog(b["glibc"], n) for n in PROGS):
        t.skip("peak RSS musl vs glibc", "needs both builds of every "
               "program (make all; make LIBC=musl all)")
        return
    if os.path.basename(b["glibc"]) != os.uname().machine:
        t.skip("peak RSS musl vs glibc", "not the host's arch")
        return
    launcher()
    with tempfile.TemporaryDirectory(prefix="embnet-bench-musl-") as tmp:
        ifaces = os.path.join(tmp, "interfaces")
        with open(ifaces, "w") as f:
            f.write(IFACES)
        bin_m, bin_g = (os.path.join(b[k], "bin") for k in ("musl", "glibc"))
        for case, args in (("ifquery --list of a 3-stanza file",
                            ["ifquery", "--list", "-i", ifaces]),
                           ("ethtool lo", ["ethtool", "lo"])):
            t.add(f"{case}: peak RSS, static musl vs glibc dynamic",
                  rss([os.path.join(bin_m, args[0]), *args[1:]]),
                  rss([os.path.join(bin_g, args[0]), *args[1:]]), kib)
        dhcpc_rss(t, b, tmp)
    try:
        m, g = (netperf_rss(prog(b[k], "netperf")) for k in ("musl", "glibc"))
    except (AssertionError, RuntimeError, TimeoutError, ValueError,
            subprocess.SubprocessError) as e:
        t.skip("netperf: peak RSS musl vs glibc", str(e)[:120])
        return
    for i, who in enumerate(("client -c 127.0.0.1 -t 1", "server -s -1")):
        t.add(f"netperf {who} (loopback, same tool both ends): peak RSS, "
              f"static musl vs glibc dynamic", m[i], g[i], kib)


def bench(t, build):
    b = builds(build)
    size_rows(t, b)
    suite_rows(t, b)
    rootfs_rows(t, b)
    rss_rows(t, b)

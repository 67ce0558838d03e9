"""ifupdown's link kinds in a guest: `ifup X` + `ifdown X` of a bond, a VLAN
and a gre tunnel, ours against Debian's ifupdown 0.8 binary and hooks.

The host kernel has no bonding, 8021q or tunnel drivers, so this boots the
x86_64 glibc test image (BUILD/guest of x86_64, as make rootfs leaves it;
it carries Debian's ifupdown in /usr/lib/embnet-ref/ifupdown and the
ifenslave and vlan hooks) in the ifupdown variant, which loads those
modules, on scripts/qemu-run's tap network (as test_links boots it), with
embnet.bench_links=1: the guest's script (tests/qemu/guest/usr/lib/
embnet-tests/bench_links) runs ROUNDS rounds of each tool per kind, the
tools alternating, each in its own mount namespace (t_links' worlds: the
same interfaces file, a private /etc/network and /run/network), and
prints each tool's median per round.  A round counts only when both
commands exit 0, the link exists after ifup and is gone after ifdown;
otherwise the kind's row is skipped with the guest's reason.  Times are
the guest's wall clock in microseconds under TCG, less a stamp's cost.
"""
import gzip
import os
import shutil

from benchlib import ROOT, ms, qemu_run

ROUNDS = 20
ARCH = "x86_64"
REF = "Debian ifupdown 0.8"
# kind: (interface, what, reference)
KINDS = {
    "bond": ("bond0", "a bond (active-backup over 2 dummy slaves, miimon 100)",
             f"{REF} + ifenslave hooks"),
    "vlan": ("vlan7", "a VLAN (vlan7, vlan-raw-device on a dummy)",
             f"{REF} + vlan hooks"),
    "gre": ("t1", "a gre tunnel (inet tunnel with address, local, ttl)",
            f"{REF}, busybox ip"),
}


def case(kind, arch=ARCH, rounds=ROUNDS):
    _, what, ref = KINDS[kind]
    return (f"ifup+ifdown of {what} (guest {arch}, TCG), per round, median "
            f"of {rounds} (ref: {ref}; each in its own mount namespace)")


def has_script(guest):
    """True if the image's tests.cpio.gz carries bench_links (an image
    made before it would boot and run nothing)."""
    try:
        with gzip.open(os.path.join(guest, "tests.cpio.gz")) as f:
            return b"usr/lib/embnet-tests/bench_links\0" in f.read()
    except OSError:
        return False


def skip(t, c, why):
    """A skipped row; the guest's reasons join output lines with "|",
    which would split the table's cells."""
    t.skip(c, why.replace("|", "/")[:160])


def skip_all(t, why, arch=ARCH, rounds=ROUNDS):
    for kind in KINDS:
        skip(t, case(kind, arch, rounds), why)


def bench(t, build, arches=(ARCH,), rounds=ROUNDS):
    qr = qemu_run()
    for arch in arches:
        b = os.path.join(ROOT, "build", arch)
        guest = os.path.join(b, "guest")
        if not os.path.exists(os.path.join(guest, "tests.cpio.gz")):
            skip_all(t, f"no image (make rootfs ARCH={arch})", arch, rounds)
            continue
        if not os.path.exists(os.path.join(
                guest, "root", "usr", "lib", "embnet-ref", "ifupdown",
                "ifup")):
            skip_all(t, "no Debian ifupdown in the image (make rootfs "
                     f"ARCH={arch}: GUEST_DEBS with ifupdown)", arch, rounds)
            continue
        if not has_script(guest):
            skip_all(t, "image predates bench_links (make rootfs "
                     f"ARCH={arch})", arch, rounds)
            continue
        if os.geteuid() != 0 or not shutil.which("dnsmasq") or \
                not shutil.which(qr.QEMU[arch][0][0]):
            skip_all(t, "the tap network needs root, dnsmasq and "
                     f"{qr.QEMU[arch][0][0]}", arch, rounds)
            continue
        log = os.path.join(b, "bench-links.console.log")
        append = f"embnet.variant=ifupdown embnet.bench_links_rounds={rounds}"
        try:
            with qr.Guest(arch, "tap", mode="bench_links", guest=guest,
                          timeout=120 + rounds * 8, append=append,
                          log=log) as g:
                g.run()
        except (OSError, RuntimeError, TimeoutError) as e:
            skip_all(t, f"no tap network: {e}", arch, rounds)
            continue
        shutil.rmtree(g.workdir, ignore_errors=True)
        info = qr.info(g.console)
        rel = os.path.relpath(log, ROOT)
        if "bench_links_error" in info:
            skip_all(t, info["bench_links_error"], arch, rounds)
            continue
        for kind in KINDS:
            c = case(kind, arch, rounds)
            if f"bench_links_{kind}_fail" in info:
                skip(t, c, info[f"bench_links_{kind}_fail"])
                continue
            try:
                ours = float(info[f"bench_links_{kind}_ours"])
                ref = float(info[f"bench_links_{kind}_debian"])
                n = [len(info[f"bench_links_{kind}_{w}_us"].split())
                     for w in ("ours", "debian")]
            except (KeyError, ValueError):
                skip(t, c, f"no result from the guest; see {rel}")
                continue
            if n != [rounds, rounds]:
                skip(t, c, f"{n} rounds, not {rounds}; see {rel}")
                continue
            t.add(c, ours, ref, ms)

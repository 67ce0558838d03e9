"""Boots each guest once per (image, network) and shares the console.

The guest prints one "EMBNET-TEST name STATUS detail" line per guest test;
host-side tests compare its facts with what the DHCP server handed out.
Any failure shows the guest's console log.

The images, EMBNET_QEMU_ARCHES (default "x86_64 aarch64 armhf s390x"):
ARCH is the glibc image of BUILD/guest, BUILD from EMBNET_BUILD_<ARCH>,
default build/ARCH; ARCH-musl the static musl image, BUILD from
EMBNET_BUILD_<ARCH>_musl, default build/ARCH-musl.  The tests' `arch`
parameter is that name (test_x[x86_64-musl]).
"""
import base64
import binascii
import gzip
import importlib.machinery
import importlib.util
import os
import shutil

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
ARCHES = os.environ.get("EMBNET_QEMU_ARCHES",
                        "x86_64 aarch64 armhf s390x").split()
LIBCS = ("glibc", "musl")


def _load_harness():
    path = os.path.join(ROOT, "scripts", "qemu-run")
    loader = importlib.machinery.SourceFileLoader("qemu_run", path)
    spec = importlib.util.spec_from_loader("qemu_run", loader)
    mod = importlib.util.module_from_spec(spec)
    loader.exec_module(mod)
    return mod


qemu_run = _load_harness()


def split(target):
    """"armhf-musl" -> ("armhf", "musl"), "armhf" -> ("armhf", "glibc")."""
    arch, _, libc = target.partition("-")
    libc = libc or "glibc"
    if arch not in qemu_run.QEMU or libc not in LIBCS:
        raise pytest.UsageError(f"EMBNET_QEMU_ARCHES: {target}: want ARCH "
                                f"or ARCH-musl, ARCH one of "
                                f"{' '.join(qemu_run.QEMU)}")
    return arch, libc


def guest_dir(target):
    """BUILD/guest of an image name (see the top of this file)."""
    arch, libc = split(target)
    name = arch if libc == "glibc" else f"{arch}-{libc}"
    build = os.environ.get(f"EMBNET_BUILD_{name.replace('-', '_')}",
                           os.path.join(ROOT, "build", name))
    return os.path.join(build, "guest")


def data(console, key):
    """The bytes a guest sent as "EMBNET-DATA key <base64 of gzip>" lines
    (lib.sh's data()), or None when it sent none; a garbled transfer
    raises ValueError."""
    chunks = []
    for line in console.splitlines():
        parts = line.strip("\r").split(" ")
        if len(parts) == 3 and parts[:2] == ["EMBNET-DATA", key]:
            chunks.append(parts[2])
    if not chunks:
        return None
    try:
        return gzip.decompress(base64.b64decode("".join(chunks),
                                                validate=True))
    except (binascii.Error, OSError, EOFError) as e:
        raise ValueError(f"EMBNET-DATA {key}: {e}") from e


class Boot:
    def __init__(self, arch, net, console, seconds, tap):
        self.arch, self.net = arch, net  # arch: the image's name
        self.console, self.seconds = console, seconds
        self.results = qemu_run.results(console)
        self.info = qemu_run.info(console)
        # on tap: what dnsmasq logged and leased, our host netperf -s said
        self.dnsmasq_log = tap.dnsmasq_log() if tap else ""
        self.leases = ""
        if tap:
            with open(tap.leases) as f:
                self.leases = f.read()
        self.netperf_log = tap.netperf_output() if tap else ""

    def explain(self):
        return f"--- {self.arch}/{self.net} console ---\n{self.console[-6000:]}"


_boots = {}


def boot(target, net, variant=None):
    """Boots (once per image, net and variant) the test image @target (ARCH
    or ARCH-musl); a variant is tests/qemu/guest/usr/lib/embnet-tests/
    variants/NAME, copied over / at boot before S40network runs."""
    key = (target, net, variant)
    arch, libc = split(target)
    guest = guest_dir(target)
    if key not in _boots:
        _boots[key] = _boot(target, net, variant, guest)
    b = _boots[key]
    # t_lease reports the image's libc (mkrootfs's /etc/embnet-release):
    # a glibc image where a musl one was asked for proves nothing.
    got = b.info.get("libc")
    if got is not None and got != libc:
        pytest.fail(f"{guest}: a {got} image, not {libc}\n" + b.explain())
    return b


def _boot(target, net, variant, guest):
    arch, libc = split(target)
    if not os.path.exists(os.path.join(guest, "tests.cpio.gz")):
        pytest.fail(f"no guest image in {guest} (make rootfs ARCH={arch}"
                    f"{' LIBC=musl' if libc == 'musl' else ''})")
    if net == "tap" and os.geteuid() != 0:
        pytest.skip("tap network needs root")
    for tool in qemu_run.QEMU[arch][0][:1] + (["dnsmasq"] if net == "tap" else []):
        if not shutil.which(tool):
            pytest.skip(f"{tool} missing")
    append = f"embnet.variant={variant}" if variant else ""
    netperf = qemu_run.host_netperf(os.environ.get("EMBNET_BUILD"))
    if net == "tap" and not netperf:
        pytest.fail("no host netperf (make) for the tap network's server")
    with qemu_run.Guest(arch, net, mode="test", timeout=240,
                        append=append, guest=guest, netperf=netperf) as g:
        g.run()
        return Boot(target, net, g.console, g.seconds, g.tap)


def pytest_generate_tests(metafunc):
    """`arch`: every image of EMBNET_QEMU_ARCHES; `glibc_arch`: its glibc
    images only, for a test that needs a glibc program of Debian's."""
    for target in ARCHES:
        split(target)
    if "arch" in metafunc.fixturenames:
        metafunc.parametrize("arch", ARCHES)
    if "glibc_arch" in metafunc.fixturenames:
        metafunc.parametrize("glibc_arch", [a for a in ARCHES
                                            if split(a)[1] == "glibc"])


def pytest_collection_modifyitems(config, items):
    """Tests of `glibc_arch` when EMBNET_QEMU_ARCHES names no glibc image
    (make qemu-tests LIBC=musl): deselected, as there is no image to run
    them on, rather than skipped for an empty parameter set (a skip fails
    CI)."""
    if any(split(a)[1] == "glibc" for a in ARCHES):
        return
    drop = [i for i in items if "glibc_arch" in getattr(i, "fixturenames", ())]
    if drop:
        config.hook.pytest_deselected(items=drop)
        items[:] = [i for i in items if i not in drop]

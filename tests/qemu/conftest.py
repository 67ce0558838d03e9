"""Boots each guest once per (arch, network) and shares the console.

The guest prints one "EMBNET-TEST name STATUS detail" line per guest test;
host-side tests compare its facts with what the DHCP server handed out.
Any failure shows the guest's console log.
"""
import importlib.machinery
import importlib.util
import os
import shutil

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
ARCHES = os.environ.get("EMBNET_QEMU_ARCHES",
                        "x86_64 aarch64 armhf s390x").split()


def _load_harness():
    path = os.path.join(ROOT, "scripts", "qemu-run")
    loader = importlib.machinery.SourceFileLoader("qemu_run", path)
    spec = importlib.util.spec_from_loader("qemu_run", loader)
    mod = importlib.util.module_from_spec(spec)
    loader.exec_module(mod)
    return mod


qemu_run = _load_harness()


class Boot:
    def __init__(self, arch, net, console, seconds, tap):
        self.arch, self.net = arch, net
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


def boot(arch, net, variant=None):
    """Boots (once per arch, net and variant) the test image; a variant is
    tests/qemu/guest/usr/lib/embnet-tests/variants/NAME, copied over / at
    boot before S40network runs."""
    key = (arch, net, variant)
    if key in _boots:
        return _boots[key]
    # EMBNET_BUILD_<arch> points at another build directory's guest.
    guest = os.path.join(os.environ.get(f"EMBNET_BUILD_{arch}",
                                        os.path.join(ROOT, "build", arch)),
                         "guest")
    if not os.path.exists(os.path.join(guest, "tests.cpio.gz")):
        pytest.fail(f"no guest image in {guest} (make rootfs ARCH={arch})")
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
        _boots[key] = Boot(arch, net, g.console, g.seconds, g.tap)
    return _boots[key]


def pytest_generate_tests(metafunc):
    if "arch" in metafunc.fixturenames:
        metafunc.parametrize("arch", ARCHES)

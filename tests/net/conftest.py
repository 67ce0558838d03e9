"""Fixtures for tests in network namespaces.

Each test gets its own namespace holding a veth pair (the host kernel has no
`dummy` driver), created here and always deleted in the finalizer.  Nothing
is sent outside the namespace.
"""
import json
import os
import shutil
import subprocess
import uuid

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BUILD = os.environ.get("EMBNET_BUILD", os.path.join(ROOT, "build", os.uname().machine))


def need_root():
    if os.geteuid() != 0:
        pytest.skip("needs root (network namespaces)")
    if not shutil.which("ip"):
        pytest.skip("needs iproute2")


class Netns:
    """A network namespace with veth pair veth0 <-> veth1, both down."""

    def __init__(self):
        self.name = "embt-" + uuid.uuid4().hex[:10]
        subprocess.run(["ip", "netns", "add", self.name], check=True)
        self.ip("link", "set", "lo", "up")
        self.ip("link", "add", "veth0", "type", "veth", "peer", "name", "veth1")

    def delete(self):
        subprocess.run(["ip", "netns", "del", self.name], check=False)

    def run(self, *argv, check=False, input=None, timeout=30):
        """Runs argv inside the namespace; returns CompletedProcess (text)."""
        return subprocess.run(["ip", "netns", "exec", self.name, *argv],
                              capture_output=True, text=True, input=input,
                              check=check, timeout=timeout)

    def ip(self, *args):
        r = self.run("ip", *args)
        if r.returncode != 0:
            raise RuntimeError(f"ip {' '.join(args)}: {r.stderr.strip()}")
        return r.stdout

    def ip_json(self, *args):
        """`ip -j ARGS` parsed, e.g. ns.ip_json("addr", "show", "dev", "veth0")."""
        out = self.ip("-j", *args)
        return json.loads(out) if out.strip() else []

    def nltool(self, *args, timeout=30):
        """Runs build/ARCH/tests/nltool ARGS in the namespace."""
        return self.run(os.path.join(BUILD, "tests", "nltool"), *args,
                        timeout=timeout)


def kv(text):
    """Parses nltool's key=value lines into a list of dicts, one per
    blank-line separated record (or one dict when there is one record)."""
    recs, cur = [], {}
    for line in text.splitlines():
        if not line.strip():
            if cur:
                recs.append(cur)
                cur = {}
            continue
        k, _, v = line.partition("=")
        cur[k] = v
    if cur:
        recs.append(cur)
    return recs


@pytest.fixture
def ns():
    need_root()
    if not os.path.exists(os.path.join(BUILD, "tests", "nltool")):
        pytest.fail(f"nltool not built in {BUILD} (make tests)")
    n = Netns()
    try:
        yield n
    finally:
        n.delete()

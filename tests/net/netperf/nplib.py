"""Helpers of the netperf net tests: run a server and a client on
loopback, ours (build/bin/netperf) or Debian's iperf3 3.12.

Every module of loopback tests calls own_netns() around each test (an
autouse fixture), so a test's servers listen in a network namespace of
its own: no other test, and no other `make check` on the machine, can
hold or take its ports (fixed ones, PORT_BASE up), and wait_port() checks
that the listener it finds is the server the test started.  (The veth
and --snd-timeout tests make named namespaces of their own.)  Servers
start through npserver.py, which tests/bench and scripts/qemu-run use
too; Server here takes a TOOLS name."""
import contextlib
import ctypes
import fcntl
import itertools
import json
import os
import re
import socket
import struct
import subprocess
import time

import pytest

import npserver
from conftest import BUILD
from npserver import READY_TIMEOUT, Proc, free_port, wait_port  # noqa: F401

NETPERF = os.path.join(BUILD, "bin", "netperf")
IPERF3 = "/usr/bin/iperf3"
TOOLS = {"netperf": NETPERF, "iperf3": IPERF3}

# Ports of one test's servers, in that test's own namespace: any fixed
# numbers do (below the kernel's ephemeral ports, 32768-60999).
PORT_BASE = 21000
_ports = itertools.count(PORT_BASE)
_isolated = False

_CLONE_NEWNET = 0x40000000
_SIOCGIFFLAGS, _SIOCSIFFLAGS, _IFF_UP = 0x8913, 0x8914, 0x1
_libc = ctypes.CDLL(None, use_errno=True)


def port():
    """A port for a server: the next of PORT_BASE.. in the test's own
    namespace; without one (not root), one the kernel has free now."""
    if _isolated:
        return next(_ports)
    return free_port()


def _lo_up():
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        ifr = fcntl.ioctl(s, _SIOCGIFFLAGS, struct.pack("16sH14x", b"lo", 0))
        flags = struct.unpack_from("16sH", ifr)[1]
        fcntl.ioctl(s, _SIOCSIFFLAGS,
                    struct.pack("16sH14x", b"lo", flags | _IFF_UP))


@contextlib.contextmanager
def own_netns():
    """Runs the block with this thread in a new network namespace holding
    only lo, up (127.0.0.0/8 and ::1); the programs it starts inherit it.
    The namespace goes away with its last process and socket."""
    global _isolated, _ports
    if os.geteuid() != 0:
        yield                     # no namespaces: shared loopback
        return
    back = os.open("/proc/thread-self/ns/net", os.O_RDONLY)
    try:
        if _libc.unshare(_CLONE_NEWNET) != 0:
            e = ctypes.get_errno()
            raise OSError(e, f"unshare(CLONE_NEWNET): {os.strerror(e)}")
        try:
            _lo_up()
            _isolated, _ports = True, itertools.count(PORT_BASE)
            yield
        finally:
            _isolated = False
            if _libc.setns(back, _CLONE_NEWNET) != 0:
                e = ctypes.get_errno()
                raise OSError(e, f"setns back: {os.strerror(e)}")
    finally:
        os.close(back)


@pytest.fixture(autouse=True)
def each_test_in_own_netns():
    """own_netns() around every test of a module that takes this fixture
    in (`each_test_in_own_netns = nplib.each_test_in_own_netns`)."""
    with own_netns():
        yield


class Server(npserver.Server):
    """npserver.Server of a TOOLS name: "netperf" (this build's) or
    "iperf3"."""

    def __init__(self, tool, p, *args, **kw):
        super().__init__(TOOLS[tool], p, *args, **kw)


def need_netperf():
    """Fails (never skips) the test when this build has no netperf."""
    if not os.path.exists(NETPERF):
        pytest.fail(f"netperf not built in {BUILD}")


@contextlib.contextmanager
def serving(*args, **kw):
    """Our server (not one-off) with @args on a port() of its own for the
    block, which gets (port, Server); killed at the end."""
    need_netperf()
    p = port()
    s = Server("netperf", p, *args, one_off=False, **kw)
    try:
        yield p, s
    finally:
        s.kill()


def client(tool, p, *args, timeout=30, password=None):
    argv = [TOOLS[tool], "-c", "127.0.0.1", "-p", str(p), *args]
    env = None
    if password is not None:
        env = dict(os.environ, IPERF3_PASSWORD=password)
    return subprocess.run(argv, capture_output=True, text=True,
                          timeout=timeout, env=env)


def key_paths(o, prefix=""):
    """Every key path of a JSON document, lists flattened as []."""
    out = set()
    if isinstance(o, dict):
        for k, v in o.items():
            out.add(prefix + "." + k)
            out |= key_paths(v, prefix + "." + k)
    elif isinstance(o, list):
        for v in o:
            out |= key_paths(v, prefix + "[]")
    return out


# iperf3 3.12's text lines (iperf_locale.c), one regex per line type.
_ID = r"\[(?:SUM|[ \d]{2}\d)\](?:\[(?:TX|RX)-[CS]\])?"
_IV = r" +\d+\.\d\d-\d+\.\d\d +sec  [ \d.]{4} [KMGT]?Bytes  [ \d.]{4} [KMGT]?bits/sec"
_TAIL = r"(?: *(?:sender|receiver|\(omitted\)))?"
TEXT_LINES = [
    r"Connecting to host \S+, port \d+",
    r"Reverse mode, remote host \S+ is sending",
    r"\[ *\d+\] local \S+ port \d+ connected to \S+ port \d+",
    r"\[ ID\](?:\[Role\])? Interval           Transfer     Bitrate"
    r"(?:         Retr(?:  Cwnd)?|         Jitter    Lost/Total Datagrams"
    r"|         Total Datagrams)?",
    _ID + _IV + r"  +\d+ +[ \d.]{4} [KMGT]?Bytes       " + _TAIL,   # TCP cwnd
    _ID + _IV + r"  +\d+             " + _TAIL,                      # TCP retr
    _ID + _IV + r"                  " + _TAIL,                       # TCP plain
    _ID + _IV + r" (?: {10})? ?\d+  " + _TAIL,                        # UDP sender
    _ID + _IV + r"  \d+\.\d{3} ms  \d+/\d+ \([\d.e+-]+%\)  " + _TAIL,  # UDP recv
    _ID + r" +\d+\.\d-\d+\.\d sec  \d+ datagrams received out-of-order",
    r"- - - - - - - - - - - - - - - - - - - - - - - - -",
    r"-{59}",
    r"Server listening on \d+ \(test #\d+\)",
    r"Accepted connection from \S+, port \d+",
    r"Server output:",
    r"iperf Done\.",
    r"",
]
_TEXT_RE = [re.compile(r + r"$") for r in TEXT_LINES]


def bad_lines(text):
    """Lines of @text that match none of iperf3's line formats."""
    return [ln for ln in text.splitlines()
            if not any(r.match(ln) for r in _TEXT_RE)]


# ---- the sequence of line types of iperf3's text output -----------------
_NUM_LINE = re.compile(
    r"^\[(SUM|[ \d]{2}\d)\](?:\[((?:TX|RX)-[CS])\])?" + _IV + r"(.*)$")
_HEADER = re.compile(r"^\[ ID\](\[Role\])? Interval +Transfer +Bitrate"
                     r"(.*)$")
_LINE_KINDS = [
    ("connecting", re.compile(r"Connecting to host ")),
    ("reverse-mode", re.compile(r"Reverse mode, remote host ")),
    ("separator", re.compile(r"- - - - ")),
    ("rule", re.compile(r"-{59}$")),
    ("listening", re.compile(r"Server listening on ")),
    ("accepted", re.compile(r"Accepted connection from ")),
    ("server-output", re.compile(r"Server output:$")),
    ("done", re.compile(r"iperf Done\.$")),
    ("blank", re.compile(r"$")),
]


_COLUMNS = [   # what follows the bitrate, before the tail (iperf_locale.c)
    ("retr+cwnd", re.compile(r"  +\d+ +[\d.]+ [KMGT]?Bytes {7}")),
    ("retr", re.compile(r"  +\d+ {13}")),
    ("plain", re.compile(r" {18}")),
    ("datagrams", re.compile(r" (?: {10})? ?\d+  ")),
    ("jitter+lost", re.compile(r"  [\d.]+ ms  \d+/\d+ \([\d.e+-]+%\)  ")),
]


def _columns(rest):
    """The kind of an interval or summary line's columns after the
    bitrate, and its tail (sender, receiver, (omitted) or nothing)."""
    m = re.fullmatch(r"(.*?)(sender|receiver|\(omitted\))?", rest)
    for kind, rx in _COLUMNS:
        if rx.fullmatch(m[1]):
            return kind, m[2] or ""
    return "?" + rest, ""


def _collapse(types):
    """@types with each block of interval and separator lines that
    repeats right after itself kept once."""
    def periodic(t):
        return t.startswith("interval ") or t == "separator"
    out = list(types)
    i = 0
    while i < len(out):
        for n in range(1, (len(out) - i) // 2 + 1):
            block = out[i:i + n]
            if all(map(periodic, block)) and out[i + n:i + 2 * n] == block:
                del out[i + n:i + 2 * n]
                break
        else:
            i += 1
    return out


def line_types(text):
    """@text (iperf3's or ours) as the sequence of its line types: what a
    line is (header and which columns it names, a stream's "connected"
    line, an interval or summary line with the stream as an ordinal, SUM
    or its role, the columns it fills and its tail, separators, "iperf
    Done."...), without the numbers.  A block of interval lines (with
    the separator -P puts after each) that repeats is kept once, since
    how many intervals a test has depends on timing (an iperf3 server
    may add a short one at the end); lines on packets received out of
    order, which only some runs have, are left out."""
    ids, out = {}, []

    def ordinal(i):
        return "SUM" if i == "SUM" else \
            "s%d" % ids.setdefault(int(i), len(ids) + 1)

    for ln in text.splitlines():
        m = _NUM_LINE.match(ln)
        if m:
            kind, tail = _columns(m[3])
            t = f"{ordinal(m[1])}{'/' + m[2] if m[2] else ''} {kind}"
            if tail in ("sender", "receiver"):
                out.append(f"summary {t} {tail}")
            else:
                out.append(f"interval {t}{' ' + tail if tail else ''}")
            continue
        ln = ln.rstrip()
        if re.search(r"datagrams received out-of-order$", ln):
            continue
        m = re.match(r"\[ *(\d+)\] local \S+ port \d+ connected to ", ln)
        if m:
            out.append(f"connected {ordinal(m[1])}")
            continue
        m = _HEADER.match(ln)
        if m:
            cols = " ".join(m[2].split())
            out.append(f"header{' role' if m[1] else ''}"
                       f"{' ' + cols if cols else ''}")
            continue
        for name, rx in _LINE_KINDS:
            if rx.match(ln):
                out.append(name)
                if name == "server-output":
                    ids.clear()    # the server's own stream ids follow
                break
        else:
            out.append("? " + ln)
    return _collapse(out)


def summary_mbits(text):
    """The receiver summary bitrate, as t_bandwidth's sed reads it."""
    m = re.findall(r" ([0-9.]+) ([MKG])bits/sec.*receiver", text)
    return m[-1] if m else None


def load_json(text):
    return json.loads(text)


# ---- RSA authentication (iperf_auth.c) --------------------------------
AUTH_USER, AUTH_PWD = "mario", "rossi"


def make_auth(d):
    """RSA-2048 keys in both private PEM formats iperf3 reads (PKCS#8 and
    traditional), the public key and a users file for mario/rossi in @d."""
    d = str(d)
    k = {"priv": os.path.join(d, "priv.pem"),
         "priv_trad": os.path.join(d, "priv_trad.pem"),
         "pub": os.path.join(d, "pub.pem"),
         "users": os.path.join(d, "users.csv")}
    def ssl(*a):
        subprocess.run(["openssl", *a], check=True, capture_output=True)
    ssl("genrsa", "-out", k["priv"], "2048")
    ssl("rsa", "-in", k["priv"], "-traditional", "-out", k["priv_trad"])
    ssl("rsa", "-in", k["priv"], "-pubout", "-out", k["pub"])
    with open(k["users"], "w") as f:
        f.write("# user,sha256(\"{user}password\")\n")
        f.write(f"{AUTH_USER},{auth_hash(AUTH_USER, AUTH_PWD)}\n")
    return k


def auth_hash(user, pwd):
    import hashlib
    return hashlib.sha256(f"{{{user}}}{pwd}".encode()).hexdigest()


def auth_token(pub, user, pwd, ts=None, pkcs1=False, plain=None):
    """A token as iperf3 builds it, made with openssl (OAEP unless
    @pkcs1), so hostile tests can craft the plaintext."""
    import base64
    if plain is None:
        ts = int(time.time()) if ts is None else ts
        plain = f"user: {user}\npwd:  {pwd}\nts:   {ts}".encode()
    pad = "pkcs1" if pkcs1 else "oaep"
    r = subprocess.run(["openssl", "pkeyutl", "-encrypt", "-pubin", "-inkey",
                        pub, "-pkeyopt", f"rsa_padding_mode:{pad}"],
                       input=plain, capture_output=True, check=True)
    return base64.b64encode(r.stdout).decode()


def auth_client_args(k, pkcs1):
    return ["--username", AUTH_USER, "--rsa-public-key-path", k["pub"],
            *(["--use-pkcs1-padding"] if pkcs1 else [])]


def auth_server_args(k, pkcs1, trad=False):
    return ["--rsa-private-key-path", k["priv_trad" if trad else "priv"],
            "--authorized-users-path", k["users"],
            *(["--use-pkcs1-padding"] if pkcs1 else [])]

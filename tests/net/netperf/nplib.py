"""Helpers of the netperf net tests: run a server and a client on
loopback, ours (build/bin/netperf) or Debian's iperf3 3.12."""
import itertools
import json
import os
import re
import subprocess
import time

from conftest import BUILD

NETPERF = os.path.join(BUILD, "bin", "netperf")
IPERF3 = "/usr/bin/iperf3"
TOOLS = {"netperf": NETPERF, "iperf3": IPERF3}

_ports = itertools.count(21000 + (os.getpid() % 400) * 20)


def port():
    return next(_ports)


def wait_port(p, proto="tcp", timeout=5.0):
    """Waits until something listens on 127.0.0.1:p (ss, no connection,
    so a one-off server is not consumed)."""
    end = time.time() + timeout
    while time.time() < end:
        out = subprocess.run(["ss", "-Hltn", f"sport = :{p}"],
                             capture_output=True, text=True).stdout
        if out.strip():
            return
        time.sleep(0.05)
    raise TimeoutError(f"nothing listens on port {p}")


class Server:
    def __init__(self, tool, p, *args, one_off=True):
        argv = [TOOLS[tool], "-s", "-p", str(p), *args]
        if one_off:
            argv.append("-1")
        self.proc = subprocess.Popen(argv, stdout=subprocess.PIPE,
                                     stderr=subprocess.PIPE, text=True)
        wait_port(p)

    def finish(self, timeout=20):
        try:
            out, err = self.proc.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            out, err = self.proc.communicate()
            raise AssertionError(f"server did not finish: {out}\n{err}")
        return self.proc.returncode, out, err

    def kill(self):
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.communicate()


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

"""Our server's authentication under attack and change (issue 19, item
7): failed authentications are rate-limited per source address, the key
and the users file are loaded once and reloaded when they change, and a
token whose ciphertext does not decrypt is refused as a wrong password
is (implicit rejection).  The clients are Debian's iperf3 3.12 (which
pads with PKCS#1 v1.5) and ours.  Each test runs in a network namespace
of its own (nplib.own_netns), whose lo has 127.0.0.2 as well."""
import base64
import json
import os
import random
import re
import shutil
import socket
import struct
import sys

import pytest

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "netperf"))
import nplib  # noqa: E402

OTHER_HOST = "127.0.0.2"
# A cookie of iperf3's alphabet (a-z, 2-7), new for each connection as a
# client's is: one reused at once can still name the test the server is
# tearing down, which then answers ACCESS_DENIED.
COOKIE_CHARS = "abcdefghijklmnopqrstuvwxyz234567"


def cookie():
    return "".join(random.choice(COOKIE_CHARS)
                   for _ in range(36)).encode() + b"\0"
REFUSED = "test authorization failed"
# auth.h: NP_AUTH_LIM_FREE failures, then a back-off of 2 s and more.
LIM_FREE = 5


@pytest.fixture(autouse=True)
def _need_binary():
    nplib.need_netperf()


# Every test in a network namespace of its own (autouse).
each_test_in_own_netns = nplib.each_test_in_own_netns


@pytest.fixture(scope="module")
def keys(tmp_path_factory):
    return nplib.make_auth(tmp_path_factory.mktemp("auth"))


def auth_args(k, tool, user=nplib.AUTH_USER):
    """A client's options: PKCS#1 v1.5 for ours too, as 3.12 has no OAEP."""
    return ["--username", user, "--rsa-public-key-path", k["pub"],
            *(["--use-pkcs1-padding"] if tool == "netperf" else [])]


def run(tool, p, k, pwd, *args, user=nplib.AUTH_USER):
    return nplib.client(tool, p, "-n", "1M", *auth_args(k, tool, user),
                        *args, password=pwd)


def served(r):
    assert r.returncode == 0, r.stdout + r.stderr


def refused(r):
    assert r.returncode != 0 and REFUSED in r.stdout + r.stderr, \
        r.stdout + r.stderr


def failures(s):
    """The server's "authentication failed" reasons so far, in order."""
    return re.findall(r"authentication failed: (.*)", s.output()[1])


@pytest.mark.parametrize("tool", ["iperf3", "netperf"])
def test_failures_back_off_per_source(keys, tool):
    """After LIM_FREE wrong passwords from 127.0.0.1, the right one from
    there is refused too, without a decryption (the reason in the log),
    while 127.0.0.2 still authenticates and runs its test."""
    p = nplib.port()
    s = nplib.Server("netperf", p, *nplib.auth_server_args(keys, True),
                     one_off=False)
    try:
        for _ in range(LIM_FREE):
            refused(run(tool, p, keys, "luigi"))
        refused(run(tool, p, keys, nplib.AUTH_PWD))
        served(run(tool, p, keys, nplib.AUTH_PWD, "-B", OTHER_HOST))
        s.wait_line("authentication failed", stderr=True, nth=LIM_FREE + 1)
        why = failures(s)
        assert len(why) == LIM_FREE + 1, why
        assert all("wrong password" in w for w in why[:LIM_FREE]), why
        assert "too many failures" in why[-1], why
    finally:
        s.kill()


def test_files_loaded_once_and_reloaded(keys, tmp_path):
    """The key is read at start: removing it, or putting garbage in its
    place, changes nothing (each logged once); a user added to the users
    file while the server runs is let in."""
    k = {n: str(tmp_path / os.path.basename(f)) for n, f in keys.items()}
    for n in keys:
        shutil.copy(keys[n], k[n])
    p = nplib.port()
    s = nplib.Server("netperf", p, *nplib.auth_server_args(k, True),
                     one_off=False)
    try:
        os.unlink(k["priv"])
        served(run("iperf3", p, k, nplib.AUTH_PWD))
        with open(k["priv"] + ".new", "w") as f:
            f.write("-----BEGIN PRIVATE KEY-----\nnot a key\n")
        os.rename(k["priv"] + ".new", k["priv"])
        served(run("netperf", p, k, nplib.AUTH_PWD))
        served(run("iperf3", p, k, nplib.AUTH_PWD))
        refused(run("iperf3", p, k, "verdi", user="luigi"))
        with open(k["users"], "a") as f:
            f.write(f"luigi,{nplib.auth_hash('luigi', 'verdi')}\n")
        served(run("iperf3", p, k, "verdi", user="luigi"))
        served(run("netperf", p, k, "verdi", user="luigi"))
        s.wait_line("not a usable RSA private key", stderr=True)
        err = s.output()[1]
        about_key = [ln for ln in err.splitlines() if k["priv"] in ln]
        assert len(about_key) == 2, err
        assert all("keeping the key loaded before" in ln
                   for ln in about_key), err
    finally:
        s.kill()


def token_reply(p, token):
    """What the server answers a control connection whose parameters
    carry @token: the bytes up to its close."""
    c = socket.create_connection(("127.0.0.1", p), timeout=nplib.READY_TIMEOUT)
    with c:
        c.sendall(cookie())
        assert c.recv(1) == b"\x09"                     # PARAM_EXCHANGE
        js = json.dumps({"tcp": True, "parallel": 1, "time": 1, "len": 1000,
                         "authtoken": token}).encode()
        c.sendall(struct.pack(">I", len(js)) + js)
        data = b""
        while True:
            b = c.recv(64)
            if not b:
                return data
            data += b


def corrupt(token, cut=False):
    """@token with a bit of its ciphertext flipped, or its last byte cut."""
    ct = bytearray(base64.b64decode(token))
    if cut:
        del ct[-1]
    else:
        ct[len(ct) // 2] ^= 0x10
    return base64.b64encode(bytes(ct)).decode()


@pytest.mark.parametrize("pkcs1", [True, False], ids=["pkcs1", "oaep"])
def test_undecryptable_token_is_a_wrong_password(keys, pkcs1):
    """A ciphertext that does not decrypt gets the answer of a wrong
    password, and the log says the same of both: the synthetic plaintext
    goes through the same parse, time check and lookup."""
    p = nplib.port()
    s = nplib.Server("netperf", p, *nplib.auth_server_args(keys, pkcs1),
                     one_off=False)
    try:
        good = nplib.auth_token(keys["pub"], nplib.AUTH_USER, nplib.AUTH_PWD,
                                pkcs1=pkcs1)
        wrong = nplib.auth_token(keys["pub"], nplib.AUTH_USER, "verdi",
                                 pkcs1=pkcs1)
        want = b"\xfe" + struct.pack(">i", 142)      # SERVER_ERROR IEAUTHTEST
        for tok in (wrong, corrupt(good), corrupt(good, cut=True)):
            assert token_reply(p, tok) == want
        s.wait_line("authentication failed", stderr=True, nth=3)
        why = failures(s)
        assert why == [why[0]] * 3 and "wrong password" in why[0], why
        tool = "iperf3" if pkcs1 else "netperf"
        r = nplib.client(tool, p, "-n", "1M", *nplib.auth_client_args(
            keys, pkcs1 and tool == "netperf"), password=nplib.AUTH_PWD)
        served(r)
    finally:
        s.kill()

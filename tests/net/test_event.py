"""lib/event.c against the kernel: carrier waits and the event monitor."""
import os
import subprocess
import time

from conftest import BUILD, kv


def popen(ns, *args):
    """Starts nltool ARGS in the namespace, stdout and stderr as pipes."""
    return subprocess.Popen(
        ["ip", "netns", "exec", ns.name,
         os.path.join(BUILD, "tests", "nltool"), *args],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def wait_ready(proc):
    """Reads monitor's "ready=1" record: it has joined its groups."""
    assert proc.stdout.readline().strip() == "ready=1"
    assert proc.stdout.readline().strip() == ""


def finish(proc, timeout=10):
    try:
        out, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        out, err = proc.communicate()
    return proc.returncode, out, err


def test_wait_carrier_times_out_when_peer_down(ns):
    ns.ip("link", "set", "veth0", "up")
    t0 = time.monotonic()
    r = ns.nltool("event", "wait-carrier", "veth0", "400")
    took = time.monotonic() - t0
    assert r.returncode == 1
    assert r.stderr.strip() == \
        "nltool: event wait-carrier: Connection timed out"
    assert r.stdout == ""
    assert 0.35 <= took < 5


def test_wait_carrier_returns_when_link_comes_up(ns):
    p = popen(ns, "event", "wait-carrier", "veth0", "10000")
    time.sleep(0.3)
    assert p.poll() is None  # still waiting
    ns.ip("link", "set", "veth1", "up")
    time.sleep(0.1)
    assert p.poll() is None  # the peer alone is not enough
    t0 = time.monotonic()
    ns.ip("link", "set", "veth0", "up")
    rc, out, err = finish(p)
    assert rc == 0, err
    assert kv(out)[0] == {"carrier": "1"}
    assert time.monotonic() - t0 < 2


def test_wait_carrier_already_up(ns):
    ns.ip("link", "set", "veth0", "up")
    ns.ip("link", "set", "veth1", "up")
    r = ns.nltool("event", "wait-carrier", "veth0", "0")
    assert r.returncode == 0, r.stderr
    assert r.stdout == "carrier=1\n"
    r = ns.nltool("event", "wait-carrier", "lo", "0")
    assert r.returncode == 0, r.stderr


def test_wait_carrier_link_deleted(ns):
    p = popen(ns, "event", "wait-carrier", "veth0", "10000")
    time.sleep(0.3)
    ns.ip("link", "del", "veth0")
    rc, _, err = finish(p)
    assert rc == 1
    assert err.strip() == "nltool: event wait-carrier: No such device"


def test_wait_carrier_missing_link(ns):
    r = ns.nltool("event", "wait-carrier", "nosuch0", "100")
    assert r.returncode == 1
    assert "No such device" in r.stderr


def test_monitor_link_event(ns):
    p = popen(ns, "event", "monitor", "1", "5000")
    wait_ready(p)
    ns.ip("link", "set", "veth1", "up")
    rc, out, err = finish(p)
    assert rc == 0, err
    ev = kv(out)[0]
    assert ev["event"] == "newlink"
    assert ev["name"] == "veth1"
    assert ev["up"] == "1"
    assert ev["index"] == str(ns.ip_json("link", "show", "veth1")[0]
                              ["ifindex"])


def test_monitor_addr_event(ns):
    p = popen(ns, "event", "monitor", "1", "5000")
    wait_ready(p)
    ns.ip("addr", "add", "192.0.2.1/24", "dev", "veth0")
    rc, out, err = finish(p)
    assert rc == 0, err
    ev = kv(out)[0]
    assert ev["event"] == "newaddr"
    assert ev["family"] == "inet"
    assert ev["prefixlen"] == "24"
    assert ev["index"] == str(ns.ip_json("link", "show", "veth0")[0]
                              ["ifindex"])


def test_monitor_times_out(ns):
    r = ns.nltool("event", "monitor", "1", "200")
    assert r.returncode == 1
    assert "Connection timed out" in r.stderr


def test_monitor_enobufs_resyncs(ns):
    # A receive buffer of 1 byte (the kernel rounds it up to its minimum)
    # and no reading for a while: the burst of events overflows it.
    p = popen(ns, "event", "monitor", "1", "10000", "1", "1500")
    wait_ready(p)
    batch = "".join(f"link set veth0 mtu {1300 + i}\n" for i in range(100))
    ns.run("ip", "-batch", "-", input=batch, check=True)
    time.sleep(2)
    ns.ip("link", "set", "veth1", "up")  # at least one event after it
    rc, out, err = finish(p)
    assert rc == 0, err
    recs = kv(out)
    assert recs[0] == {"enobufs": "1", "resync": "3"}
    assert recs[1]["event"] == "newlink"


def test_usage(ns):
    assert ns.nltool("event", "wait-carrier", "veth0").returncode == 2
    assert ns.nltool("event", "wait-carrier", "veth0", "-1").returncode == 2
    assert ns.nltool("event", "monitor", "x", "1").returncode == 2
    assert ns.nltool("event").returncode == 2

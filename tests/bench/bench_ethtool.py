"""ethtool-lite against Debian's ethtool 6.1: size, startup, memory.

Timed in a namespace of our own holding a veth pair (entered with setns so
that the commands are spawned directly, with no `ip netns exec` in the
measurement); needs root, else only the size row is produced."""
import ctypes
import os
import subprocess
import uuid

from benchlib import RUNS, kb, kib, ms, needed, stripped_size, timed

REF = "/usr/sbin/ethtool"
CLONE_NEWNET = 0x40000000


def setns(path):
    fd = os.open(path, os.O_RDONLY)
    try:
        if ctypes.CDLL(None, use_errno=True).setns(fd, CLONE_NEWNET) != 0:
            raise OSError(ctypes.get_errno(), "setns " + path)
    finally:
        os.close(fd)


# The commands timed, each as ARGS on veth0 and the row's name: -i and
# DEV are the ones users run at boot; -k and -S the largest replies; -T
# one of the newer netlink commands, -l one veth answers with data.  (-x
# and -n need a driver with RSS or rules, which no host device here has.)
TIMED = (
    (["-i", "veth0"], "-i"),
    (["veth0"], "DEV"),
    (["-k", "veth0"], "-k"),
    (["-S", "veth0"], "-S"),
    (["-T", "veth0"], "-T"),
    (["-l", "veth0"], "-l"),
)


def timed_rows(t, ours):
    for args, what in TIMED:
        if subprocess.run([ours, *args], capture_output=True).returncode:
            t.skip(f"ethtool {what}", f"ethtool {' '.join(args)} failed")
            continue
        (o_ms, o_rss), (r_ms, r_rss) = timed([ours, *args], [REF, *args])
        t.add(f"ethtool {what} veth0, wall per run ({RUNS} runs)", o_ms,
              r_ms, ms)
        t.add(f"ethtool {what} veth0, peak RSS", o_rss, r_rss, kib)


def bench(t, build):
    ours = os.path.join(build, "bin", "ethtool")
    if not os.path.exists(ours) or not os.path.exists(REF):
        t.skip("ethtool", "build/bin/ethtool or /usr/sbin/ethtool missing")
        return
    t.add(f"ethtool: stripped size, both dynamic, shared libraries not "
          f"counted (ours needs {needed(ours)}, 6.1 {needed(REF)}; "
          f"goal <= 0.20)", stripped_size(ours), stripped_size(REF), kb)
    if os.geteuid() != 0:
        t.skip("ethtool -i / DEV", "needs root for a namespace")
        return
    name = "embb-" + uuid.uuid4().hex[:10]
    subprocess.run(["ip", "netns", "add", name], check=True)
    home = os.open("/proc/self/ns/net", os.O_RDONLY)
    try:
        subprocess.run(["ip", "-n", name, "link", "add", "veth0", "type",
                        "veth", "peer", "name", "veth1"], check=True)
        setns(f"/run/netns/{name}")
        timed_rows(t, ours)
    finally:
        ctypes.CDLL(None).setns(home, CLONE_NEWNET)
        os.close(home)
        subprocess.run(["ip", "netns", "del", name], check=False)

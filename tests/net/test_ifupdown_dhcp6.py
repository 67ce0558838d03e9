"""ifup's `inet6 dhcp` (and `inet6 auto` with `dhcp 1`) with dhcpc6.

Each run happens in the test's namespace with a private /etc/network and
/run (the pid file /var/run/udhcpc6.IFACE.pid, default6.script's state),
bind-mounted in the `ip netns exec` mount namespace (World of
test_ifupdown_faults.py), over an overlay of /etc that holds the tree's
default6.script and takes resolv.conf's changes.  udhcpc6 is found on PATH: dhcpc6
itself against dnsmasq's DHCPv6 (lab6.py), or a stub that records its
arguments.  Debian's ifupdown 0.8 runs dhclient -6 from /sbin, which
cannot be stubbed on the host: its steps around the client (sysctls, link)
are compared through `-n -v`.  Nothing waits a fixed time.
"""
import ipaddress
import os
import re
import subprocess
import sys

import pytest

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "dhcpc6"))
sys.path.insert(0, os.path.join(os.path.dirname(__file__), "dhcpc"))
from conftest import BUILD, ROOT  # noqa: E402
from lab import in_log  # noqa: E402
from lab6 import lab6  # noqa: E402,F401 (a fixture)
from test_ifupdown import run as run_world, tool, world  # noqa: E402,F401
from test_ifupdown_faults import World, gone, wait_for  # noqa: E402

SCRIPT6 = os.path.join(ROOT, "etc", "udhcpc", "default6.script")
PIDFILE = "/var/run/udhcpc6.veth0.pid"

# Records its arguments, then exits 0 as udhcpc6 -n does once bound.
RECORDER = """#!/bin/sh
echo "$@" >> {base}/udhcpc6.argv
"""


def prepare(w, client=None):
    """@w's bin/udhcpc6: dhcpc6 (@client None) or the script @client; the
    upper layer of its /etc: default6.script in /etc/udhcpc, where dhcpc6
    looks for it, and a resolv.conf of its own."""
    b = w.base / "bin"
    b.mkdir()
    if client is None:
        os.symlink(os.path.join(BUILD, "bin", "dhcpc6"), b / "udhcpc6")
    else:
        (b / "udhcpc6").write_text(client.format(base=w.base))
        (b / "udhcpc6").chmod(0o755)
    (w.base / "upper" / "udhcpc").mkdir(parents=True)
    (w.base / "work").mkdir()
    script = w.base / "upper" / "udhcpc" / "default6.script"
    script.write_text(open(SCRIPT6).read())
    script.chmod(0o755)
    (w.base / "upper" / "resolv.conf").write_text("nameserver 10.0.0.1\n")


def ifud(w, name, *args):
    """Our ifup/ifdown NAME in @w, with its bin first on PATH and /etc an
    overlay whose writes land in @w's upper layer."""
    prog = os.path.join(BUILD, "bin", name)
    cmd = (f"mount -t overlay overlay -o lowerdir=/etc,"
           f"upperdir={w.base / 'upper'},workdir={w.base / 'work'} /etc && "
           f"mount --bind {w.etc} /etc/network && "
           f"mount --bind {w.run_dir} /run && "
           f"PATH={w.base / 'bin'}:$PATH exec {prog} "
           f"-i /etc/network/interfaces --state-dir {w.state} "
           + " ".join(args))
    return subprocess.run(["ip", "netns", "exec", w.ns.name, "sh", "-c",
                           cmd], capture_output=True, text=True, timeout=120)


def global6(ns):
    return [a for i in ns.ip_json("-6", "addr", "show", "dev", "veth0",
                                  "scope", "global")
            for a in i.get("addr_info", []) if a.get("local")]


def sysctl(ns, key):
    return ns.run("cat", f"/proc/sys/net/ipv6/conf/veth0/{key}").stdout \
        .strip()


def test_up_down_against_dnsmasq(lab6, tmp_path):
    """ifup: the sysctls, link up, udhcpc6 with busybox ifup's line (and
    udhcpc6_opts); dhcpc6 runs its default script, default6.script, which
    puts a pool address on veth0 (a /128) and a resolv.conf block.  ifdown: SIGTERM, the client's Release (dnsmasq
    logs it), its deconfig takes the address off, the link goes down."""
    lab6.dnsmasq6()
    w = World(lab6.ns, tmp_path / "w", f"""iface veth0 inet6 dhcp
\taccept_ra 0
\tautoconf 0
\tudhcpc6_opts --duid-file {tmp_path}/duid
""")
    prepare(w)
    lab6.ns.run("sysctl", "-qw", "net.ipv6.conf.veth0.accept_ra=1")
    r = ifud(w, "ifup", "-v", "veth0")
    assert r.returncode == 0, r.stderr
    assert (f"udhcpc6 -R -n -p {PIDFILE} -i veth0 "
            f"--duid-file {tmp_path}/duid\n") in r.stderr, r.stderr
    addrs = global6(lab6.ns)
    assert len(addrs) == 1, addrs
    a = addrs[0]
    assert a["prefixlen"] == 128 and ipaddress.IPv6Address(a["local"]) in \
        ipaddress.IPv6Network("fd00:77::100/120"), a
    assert (sysctl(lab6.ns, "accept_ra"), sysctl(lab6.ns, "autoconf")) == \
        ("0", "0")
    assert "# udhcpc6:veth0 begin\nsearch a.test b.lab.test\n" in \
        (w.base / "upper" / "resolv.conf").read_text()
    assert w.ifstate() == "veth0=veth0\n"
    pid = int((w.run_dir / "udhcpc6.veth0.pid").read_text())
    assert not gone(pid)

    r = ifud(w, "ifdown", "veth0")
    assert (r.returncode, r.stderr) == (0, "")
    assert wait_for(lambda: gone(pid)), "udhcpc6 survived ifdown"
    in_log(lab6.dnsmasq_log, "DHCPRELEASE")
    assert global6(lab6.ns) == [] and not w.up("veth0")
    assert (w.base / "upper" / "resolv.conf").read_text() == "nameserver 10.0.0.1\n"
    assert w.ifstate() == ""


def stub_world(ns, tmp_path, text, client=RECORDER):
    """A world whose udhcpc6 is @client, veth1 up so that veth0 gets its
    carrier and link-local address."""
    ns.ip("link", "set", "veth1", "up")
    w = World(ns, tmp_path / "w", text)
    prepare(w, client)
    return w


@pytest.mark.parametrize("text,flags", [
    ("iface veth0 inet6 dhcp\n", ""),
    ("iface veth0 inet6 dhcp\n\trequest_prefix 1\n", " -d"),
    ("iface veth0 inet6 dhcp\n\trequest_prefix 0\n\tudhcpc6_opts -t 9 -v\n",
     " -t 9 -v"),
    ("iface veth0 inet6 auto\n\tdhcp 1\n\tll-attempts 100\n"
     "\tll-interval 0.01\n", " -l"),
    ("iface veth0 inet6 auto\n\tdhcp 1\n\trequest_prefix yes\n"
     "\tll-attempts 100\n\tll-interval 0.01\n", " -r no -d"),
])
def test_client_argv(ns, tmp_path, text, flags):
    """busybox ifup's line for udhcpc6; request_prefix adds -d (Debian:
    dhclient -6 -P); inet6 auto with dhcp runs it stateless (-l, Debian's
    -S) or for a prefix only (-r no -d, Debian's -P); ifdown stops it."""
    w = stub_world(ns, tmp_path, text)
    r = ifud(w, "ifup", "veth0")
    assert r.returncode == 0, r.stderr
    assert (w.base / "udhcpc6.argv").read_text() == \
        f"-R -n -p {PIDFILE} -i veth0{flags}\n"
    r = ifud(w, "ifdown", "veth0")
    assert (r.returncode, r.stderr) == (0, "")


def test_auto_without_dhcp_runs_no_client(ns, tmp_path):
    w = stub_world(ns, tmp_path,
                   "iface veth0 inet6 auto\n\tdhcp 0\n\tll-attempts 1\n")
    r = ifud(w, "ifup", "veth0")
    assert r.returncode == 0, r.stderr
    assert not (w.base / "udhcpc6.argv").exists()


def test_ifdown_leaves_a_stranger_alone(ns, tmp_path):
    """The pid file names a process that is not the client (a stale file,
    the pid reused): one line, no signal, the link still goes down."""
    w = stub_world(ns, tmp_path, "iface veth0 inet6 dhcp\n")
    assert ifud(w, "ifup", "veth0").returncode == 0
    stranger = subprocess.Popen(["sleep", "600"])
    try:
        (w.run_dir / "udhcpc6.veth0.pid").write_text(f"{stranger.pid}\n")
        r = ifud(w, "ifdown", "veth0")
        assert r.returncode == 0
        assert r.stderr == (f"ifdown: veth0: {PIDFILE}: pid {stranger.pid} "
                            "is not its udhcpc6: not signalled\n")
        assert stranger.poll() is None
        assert not w.up("veth0") and w.ifstate() == ""
    finally:
        stranger.kill()
        stranger.wait()


def test_no_link_local_address(ns, tmp_path):
    """No carrier, so no link-local address: after ll-attempts checks
    ll-interval apart, one line; the client never ran, the link is back
    down, nothing recorded (Debian: wait-for-ll6.sh's message, exit 1)."""
    w = World(ns, tmp_path / "w",
              "iface veth0 inet6 dhcp\n\tll-attempts 3\n\tll-interval 0.02\n")
    prepare(w, RECORDER)
    r = ifud(w, "ifup", "veth0")
    assert (r.returncode, r.stderr) == (
        1, "ifup: veth0: Could not get a link-local address\n"
           "ifup: failed to bring up veth0\n")
    assert not (w.base / "udhcpc6.argv").exists()
    assert not w.up("veth0") and w.ifstate() == ""


@pytest.mark.parametrize("opt", ["ll-interval 0,1", "ll-attempts many",
                                 "ll-interval -1"])
def test_bad_ll_option(ns, tmp_path, opt):
    """A bad ll-attempts or ll-interval: one line naming it, nothing
    done."""
    w = stub_world(ns, tmp_path, f"iface veth0 inet6 dhcp\n\t{opt}\n")
    before = sysctl(ns, "accept_ra")
    r = ifud(w, "ifup", "veth0")
    lines = r.stderr.splitlines()
    assert r.returncode == 1 and len(lines) == 2, r.stderr
    name, value = opt.split()
    assert lines[0] == f'ifup: veth0: invalid {name} "{value}"', r.stderr
    assert sysctl(ns, "accept_ra") == before and not w.up("veth0")
    assert not (w.base / "udhcpc6.argv").exists()


def steps(text, who):
    """What -n -v shows around the client: Debian's template spacing
    dropped, its modprobe line (IPv6 is there already) and each tool's
    client lines left out (dhclient -6 for Debian; for ours udhcpc6, its
    kill, and /lib/ifupdown/wait-for-ll6.sh, which Debian runs only where
    it is installed, and the host has no Debian ifupdown)."""
    skip = ("dhclient", "modprobe") if who == "debian" else (
        "udhcpc6", "test -f /var/run/udhcpc6", "/lib/ifupdown/wait-for-ll6")
    out = []
    for line in text.splitlines():
        line = re.sub(r"\s+", " ", line).strip()
        if line and not line.startswith(skip):
            out.append(line)
    return out


DEB = """iface d0 inet6 dhcp
iface d1 inet6 dhcp
\taccept_ra 2
\tautoconf 1
\thwaddress ether 02:00:00:00:00:33
\trequest_prefix 1
iface d2 inet6 dhcp
\taccept_ra 0
iface a0 inet6 auto
\tdhcp 1
\trequest_prefix 1
"""


@pytest.mark.parametrize("iface", ["d0", "d1", "d2", "a0"])
def test_steps_same_as_debian(world, iface):  # noqa: F811
    """ifup -n -v and ifdown -n -v: Debian's sysctls and link steps, in
    its order, and the client where Debian runs its own."""
    res = {}
    for who in ("ours", "debian"):
        ns, base = world(who, DEB)
        up = run_world(ns, base, tool(who, "ifup"), "-n", "-v", iface)
        down = run_world(ns, base, tool(who, "ifdown"), "-f", "-n", "-v",
                         iface)
        res[who] = (up.returncode, steps(up.stderr, who), down.returncode,
                    steps(down.stderr, who))
        client = [l for l in (up.stderr + down.stderr).splitlines()
                  if "dhclient -6" in l or "udhcpc6" in l]
        assert len(client) == 2, up.stderr + down.stderr
        res[who + "-client"] = client
    assert res["ours"] == res["debian"]
    d = "-d" if iface in ("d1",) else "-r no -d" if iface == "a0" else ""
    assert res["ours-client"][0] == \
        f"udhcpc6 -R -n -p /var/run/udhcpc6.{iface}.pid -i {iface} {d}" \
        .strip()
    assert ("-P" in res["debian-client"][0]) == bool(d)

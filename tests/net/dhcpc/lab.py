"""Shared pieces of the dhcpc net tests: a server namespace on veth1, the
three real servers, clients run with a recording script, and the parsing
of what the script recorded."""
import json
import os
import signal
import subprocess
import sys
import time
import uuid

from conftest import BUILD

HERE = os.path.dirname(os.path.abspath(__file__))
OURS = os.path.join(BUILD, "bin", "dhcpc")
SRV_IP = "10.77.0.1"
# Values that depend on when a message was sent (the lease timer).
TIMERS = {"lease", "opt58", "opt59", "REC"}

REC_SCRIPT = """#!/bin/sh
{ echo "EVENT $1"; env | LC_ALL=C sort | grep -v -E '^(PWD|SHLVL|_|OLDPWD)='; echo; } >> "$REC"
case "$1" in
deconfig) ip -4 addr flush dev "$interface" ;;
bound|renew) ip addr replace "$ip/${mask:-24}" dev "$interface" ;;
esac
exit 0
"""


class Lab:
    """Client namespace (ns fixture, veth0) and a server namespace (veth1,
    10.77.0.1/24)."""

    def __init__(self, ns, tmp):
        self.ns, self.tmp = ns, str(tmp)
        self.srv = "embs-" + uuid.uuid4().hex[:10]
        self.procs = []
        subprocess.run(["ip", "netns", "add", self.srv], check=True)
        ns.ip("link", "set", "veth1", "netns", self.srv)
        self.srun("ip", "link", "set", "lo", "up")
        self.srun("ip", "link", "set", "veth1", "up")
        self.srun("ip", "addr", "add", SRV_IP + "/24", "dev", "veth1")
        ns.ip("link", "set", "veth0", "up")
        self.script = os.path.join(self.tmp, "rec.sh")
        with open(self.script, "w") as f:
            f.write(REC_SCRIPT)
        os.chmod(self.script, 0o755)

    def srun(self, *argv, check=True):
        return subprocess.run(["ip", "netns", "exec", self.srv, *argv],
                              check=check, capture_output=True, text=True)

    def sstart(self, *argv, log=None):
        out = open(log, "w") if log else subprocess.DEVNULL
        p = subprocess.Popen(["ip", "netns", "exec", self.srv, *argv],
                             stdout=out, stderr=subprocess.STDOUT)
        self.procs.append(p)
        time.sleep(0.4)
        assert p.poll() is None, open(log).read() if log else argv
        return p

    def close(self):
        for p in self.procs:
            if p.poll() is None:
                p.terminate()
                try:
                    p.wait(5)
                except subprocess.TimeoutExpired:
                    p.kill()
        subprocess.run(["ip", "netns", "del", self.srv], check=False)

    def lossy(self, pct, seed="embnet"):
        """Puts a lossy wire (lossy.py) between veth0 and the server: the
        old veth0 becomes wire0 (peer veth1), and a new veth0 <-> wire1
        pair joins it through the relay."""
        ns = self.ns
        ns.ip("link", "set", "veth0", "down")
        ns.ip("link", "set", "veth0", "name", "wire0")
        ns.ip("link", "add", "veth0", "type", "veth", "peer", "name", "wire1")
        for d in ("wire0", "wire1"):
            ns.run("sysctl", "-qw", f"net.ipv6.conf.{d}.disable_ipv6=1")
            ns.ip("link", "set", d, "up")
        ns.ip("link", "set", "veth0", "up")
        self.lossy_log = os.path.join(self.tmp, "lossy.log")
        p = subprocess.Popen(
            ["ip", "netns", "exec", ns.name, sys.executable,
             os.path.join(HERE, "lossy.py"), "wire0", "wire1", str(pct),
             seed], stdout=open(self.lossy_log, "w"),
            stderr=subprocess.STDOUT)
        self.procs.append(p)
        time.sleep(0.3)
        assert p.poll() is None, open(self.lossy_log).read()

    def pair(self):
        """Two macvlans on veth0, "dhb" and "dho", so that busybox udhcpc
        and ours can run at once with their own MACs (private mode: they
        do not see each other's frames).  arp_ignore/arp_announce keep
        each address on its own interface."""
        for k, v in (("arp_ignore", 1), ("arp_announce", 2)):
            for d in ("all", "default"):
                self.ns.run("sysctl", "-qw", f"net.ipv4.conf.{d}.{k}={v}")
        for d in ("dhb", "dho"):
            self.ns.ip("link", "add", d, "link", "veth0", "type", "macvlan",
                       "mode", "private")
            self.ns.ip("link", "set", d, "up")
        return "dhb", "dho"

    def stop(self, p):
        """Stops one process started by sstart()."""
        p.terminate()
        p.wait(5)

    # ---- servers --------------------------------------------------------
    def dnsmasq(self, *extra, lease="2m"):
        self.dnsmasq_log = os.path.join(self.tmp, "dnsmasq.log")
        return self.sstart(
            "dnsmasq", "--no-daemon", "--port=0", "--no-ping",
            "--conf-file=/dev/null", "--interface=veth1",
            "--bind-interfaces", "--log-dhcp",
            f"--dhcp-range=10.77.0.50,10.77.0.99,255.255.255.0,{lease}",
            "--dhcp-leasefile=" + os.path.join(self.tmp, "dnsmasq.leases"),
            "--pid-file=" + os.path.join(self.tmp, "dnsmasq.pid"),
            "--dhcp-option=option:router,10.77.0.1",
            "--dhcp-option=option:dns-server,10.77.0.53,10.77.0.54",
            "--dhcp-option=option:domain-name,lab.test",
            "--dhcp-option=option:domain-search,a.test,b.lab.test",
            "--dhcp-option=option:ntp-server,10.77.0.1",
            "--dhcp-option=option:classless-static-route,"
            "10.10.0.0/16,10.77.0.254,0.0.0.0/0,10.77.0.1",
            *extra, log=self.dnsmasq_log)

    def udhcpd(self, lease=120, extra=""):
        conf = os.path.join(self.tmp, "udhcpd.conf")
        with open(conf, "w") as f:
            f.write(f"""start 10.77.0.50
end 10.77.0.99
interface veth1
lease_file {self.tmp}/udhcpd.leases
pidfile {self.tmp}/udhcpd.pid
opt subnet 255.255.255.0
opt router 10.77.0.1
opt dns 10.77.0.53 10.77.0.54
opt domain lab.test
opt lease {lease}
opt ntpsrv 10.77.0.1
opt search a.test b.lab.test
opt mtu 1400
{extra}""")
        open(os.path.join(self.tmp, "udhcpd.leases"), "w").close()
        return self.sstart("busybox", "udhcpd", "-f", conf,
                           log=os.path.join(self.tmp, "udhcpd.log"))

    def kea(self, lease=120):
        conf = os.path.join(self.tmp, "kea.json")
        cfg = {"Dhcp4": {
            "interfaces-config": {"interfaces": ["veth1"],
                                  "dhcp-socket-type": "raw"},
            "lease-database": {"type": "memfile", "persist": True,
                               "name": os.path.join(self.tmp, "kea.csv"),
                               "lfc-interval": 0},
            "valid-lifetime": lease,
            "subnet4": [{"id": 1, "subnet": "10.77.0.0/24",
                         "pools": [{"pool": "10.77.0.50 - 10.77.0.99"}],
                         "option-data": [
                             {"name": "routers", "data": "10.77.0.1"},
                             {"name": "domain-name-servers",
                              "data": "10.77.0.53, 10.77.0.54"},
                             {"name": "domain-name", "data": "lab.test"},
                             {"name": "domain-search",
                              "data": "a.test, b.lab.test"}]}],
            "loggers": [{"name": "kea-dhcp4", "severity": "INFO",
                         "output_options": [{"output": "stdout"}]}]}}
        with open(conf, "w") as f:
            json.dump(cfg, f)
        os.environ["KEA_LOCKFILE_DIR"] = self.tmp
        os.environ["KEA_PIDFILE_DIR"] = self.tmp
        p = self.sstart("env", f"KEA_LOCKFILE_DIR={self.tmp}",
                        f"KEA_PIDFILE_DIR={self.tmp}", "kea-dhcp4", "-c",
                        conf, log=os.path.join(self.tmp, "kea.log"))
        time.sleep(0.6)
        return p

    # ---- clients --------------------------------------------------------
    def client(self, who, *args, name=None, ifname="veth0"):
        """Starts ours or busybox udhcpc on @ifname with the recording
        script; returns (Popen, record path, log path)."""
        name = name or who
        rec = os.path.join(self.tmp, name + ".rec")
        log = os.path.join(self.tmp, name + ".log")
        prog = [OURS] if who == "ours" else ["busybox", "udhcpc"]
        argv = ["ip", "netns", "exec", self.ns.name, "env", "-i",
                "PATH=/usr/sbin:/usr/bin:/sbin:/bin", "REC=" + rec,
                *prog, "-i", ifname, "-s", self.script, *args]
        p = subprocess.Popen(argv, stdout=open(log, "w"),
                             stderr=subprocess.STDOUT)
        return p, rec, log

    def run(self, who, *args, timeout=20, name=None):
        p, rec, log = self.client(who, *args, name=name)
        rc = p.wait(timeout)
        return rc, events(rec), open(log).read()


def events(rec):
    """[(event, {var: value})] from a recording."""
    out = []
    if not os.path.exists(rec):
        return out
    text = open(rec, errors="surrogateescape").read()
    blocks = text.split("EVENT ")[1:]
    if blocks and not text.endswith("\n\n"):
        blocks.pop()  # the script is still writing it (several writes)
    for block in blocks:
        lines = block.split("\n")
        env = dict(l.split("=", 1) for l in lines[1:] if "=" in l)
        out.append((lines[0], env))
    return out


def norm(evs):
    return [(e, {k: v for k, v in env.items() if k not in TIMERS})
            for e, env in evs]


def wait_for(path_or_fn, n_events=None, timeout=10):
    """Waits until the recording at path has n_events events."""
    end = time.time() + timeout
    while time.time() < end:
        if len(events(path_or_fn)) >= n_events:
            return events(path_or_fn)
        time.sleep(0.05)
    return events(path_or_fn)


def stop(p, sig=signal.SIGTERM, timeout=10):
    p.send_signal(sig)
    return p.wait(timeout)

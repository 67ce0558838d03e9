"""Shared pieces of the dhcpc6 net tests: dhcpc/lab.py's two namespaces
(client veth0, server veth1) with IPv6 on the link, dnsmasq's DHCPv6,
the scripted server fakesrv6.py, and dhcpc6 run with the recording
script of dhcpc/lab.py (events() reads what it recorded).

Nothing waits a fixed time: the link-local addresses are waited for (DAD
done), a server is used once its socket is bound, a client's event is
waited for under a deadline that only ends a hang."""
import json
import os
import subprocess
import sys

import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "dhcpc"))
from lab import Lab, events, until  # noqa: E402
from conftest import BUILD  # noqa: E402

OURS6 = os.path.join(BUILD, "bin", "dhcpc6")
SRV6 = "fd00:77::1"
PREFIX6 = "fd00:77::"
QUICK = ["-t", "3", "-T", "1", "-A", "1"]


class Lab6(Lab):
    def __init__(self, ns, tmp):
        super().__init__(ns, tmp)
        self.srun("ip", "-6", "addr", "add", SRV6 + "/64", "dev", "veth1",
                  "nodad")
        self.duid = os.path.join(self.tmp, "duid")
        until(lambda: self.ll_ready(self.ns.run, "veth0") and
              self.ll_ready(lambda *a: self.srun(*a, check=False),
                            "veth1"), 30, "link-local addresses")

    @staticmethod
    def ll_ready(run, dev):
        out = run("ip", "-6", "addr", "show", "dev", dev, "scope",
                  "link").stdout
        return "inet6 fe80" in out and "tentative" not in out

    def dnsmasq6(self, *extra, rng=None, name="dnsmasq6"):
        """dnsmasq's DHCPv6 on veth1: stateful fd00:77::100-1ff, 2 min
        leases, unless @rng gives another --dhcp-range."""
        self.dnsmasq_log = os.path.join(self.tmp, name + ".log")
        return self.sstart(
            "dnsmasq", "--no-daemon", "--port=0", "--conf-file=/dev/null",
            "--interface=veth1", "--bind-interfaces", "--log-dhcp",
            "--dhcp-range=" + (rng or f"{PREFIX6}100,{PREFIX6}1ff,64,2m"),
            "--dhcp-leasefile=" + os.path.join(self.tmp, name + ".leases"),
            "--pid-file=" + os.path.join(self.tmp, name + ".pid"),
            f"--dhcp-option=option6:dns-server,[{PREFIX6}53],[{PREFIX6}54]",
            "--dhcp-option=option6:domain-search,a.test,b.lab.test",
            f"--dhcp-option=option6:ntp-server,[{PREFIX6}123]",
            *extra, log=self.dnsmasq_log, ready=self.udp_bound(547))

    def kea6(self, name="kea6"):
        """Kea DHCPv6 on veth1: addresses fd00:77::200-2ff and /56
        prefixes delegated from fd00:99::/48; T1 30, T2 60, preferred
        90, valid 120 s."""
        conf = os.path.join(self.tmp, name + ".json")
        self.kea_log = os.path.join(self.tmp, name + ".log")
        cfg = {"Dhcp6": {
            "interfaces-config": {"interfaces": ["veth1"]},
            "data-directory": self.tmp,
            "lease-database": {"type": "memfile", "persist": True,
                               "name": os.path.join(self.tmp,
                                                    name + ".csv"),
                               "lfc-interval": 0},
            "renew-timer": 30, "rebind-timer": 60,
            "preferred-lifetime": 90, "valid-lifetime": 120,
            "subnet6": [{
                "id": 1, "subnet": "fd00:77::/64", "interface": "veth1",
                "pools": [{"pool": "fd00:77::200-fd00:77::2ff"}],
                "pd-pools": [{"prefix": "fd00:99::", "prefix-len": 48,
                              "delegated-len": 56}],
                "option-data": [
                    {"name": "dns-servers", "data": "fd00:77::53"},
                    {"name": "domain-search",
                     "data": "a.test, b.lab.test"}]}],
            "loggers": [{"name": "kea-dhcp6", "severity": "INFO",
                         "output_options": [{"output": "stdout"}]}]}}
        with open(conf, "w") as f:
            json.dump(cfg, f)
        return self.sstart("env", f"KEA_LOCKFILE_DIR={self.tmp}",
                           f"KEA_PIDFILE_DIR={self.tmp}", "kea-dhcp6", "-c",
                           conf, log=self.kea_log, ready="DHCP6_STARTED")

    def fake6(self, case):
        """fakesrv6.py CASE on veth1; its log lists what it received."""
        self.fake_log = os.path.join(self.tmp, "fakesrv6.log")
        return self.sstart(sys.executable, os.path.join(HERE, "fakesrv6.py"),
                           "veth1", case, log=self.fake_log, ready="ready")

    def received(self):
        """The message types fakesrv6.py received, in order."""
        return [l.split()[1] for l in open(self.fake_log).read()
                .splitlines() if l.startswith("got ")]

    def client6(self, *args, script=None, env=(), name="ours6"):
        """Starts dhcpc6 on veth0 with the recording script (or @script);
        returns (Popen, record path, log path)."""
        rec = os.path.join(self.tmp, name + ".rec")
        log = os.path.join(self.tmp, name + ".log")
        argv = ["ip", "netns", "exec", self.ns.name, "env", "-i",
                "PATH=/usr/sbin:/usr/bin:/sbin:/bin", "REC=" + rec, *env,
                OURS6, "-i", "veth0", "-s", script or self.script,
                "--duid-file", self.duid, *args]
        p = subprocess.Popen(argv, stdout=open(log, "w"),
                             stderr=subprocess.STDOUT)
        self.procs.append(p)
        return p, rec, log

    def run6(self, *args, timeout=30, **kw):
        p, rec, log = self.client6(*args, **kw)
        try:
            rc = p.wait(timeout)
        except subprocess.TimeoutExpired:
            p.kill()
            p.wait()
            raise AssertionError(f"dhcpc6 {args}: still running after "
                                 f"{timeout} s\n" + open(log).read())
        return rc, events(rec), open(log).read()


@pytest.fixture
def lab6(ns, tmp_path):
    lab = Lab6(ns, tmp_path)
    try:
        yield lab
    finally:
        lab.close()

"""ifdown's flush of an interface's addresses reads that interface's
addresses alone: the kernel filters the RTM_GETADDR dump by ifa_index
under strict checking (lib/addr.c), where it once sent every address of
the system to each interface's flush (ifdown -a: interfaces times
addresses).  Counted in bytes ifdown receives, as strace shows them."""
import os
import re

from conftest import Netns, need_root
from test_ifupdown_faults import prog

N_OTHER = 2000  # addresses on another link


def received(log):
    """Bytes each recvmsg()/recvfrom() in strace's @log returned."""
    return sum(int(m.group(1)) for m in re.finditer(
        r"recv(?:msg|from)\(.*\) = (\d+)$", log, re.M))


def test_flush_reads_its_own_addresses(tmp_path):
    need_root()
    ns = Netns()
    try:
        batch = "link add big type veth peer name bigp\n" + "".join(
            f"addr add 10.{i // 250}.{i % 250}.1/32 dev big\n"
            for i in range(N_OTHER))
        ns.run("ip", "-batch", "-", check=True, input=batch)
        (tmp_path / "interfaces").write_text(
            "iface veth0 inet static\n\taddress 172.16.0.1/24\n")
        (tmp_path / "st").mkdir()
        args = ["--no-scripts", "-i", str(tmp_path / "interfaces"),
                "--state-dir", str(tmp_path / "st"), "veth0"]
        r = ns.run(prog("ours", "ifup"), *args)
        assert r.returncode == 0, r.stderr
        ns.run("ip", "addr", "add", "172.16.9.1/24", "dev", "veth0",
               check=True)
        log = tmp_path / "strace"
        # LeakSanitizer cannot run under ptrace (a sanitized build)
        asan = ":".join(o for o in (os.environ.get("ASAN_OPTIONS"),
                                    "detect_leaks=0") if o)
        r = ns.run("env", f"ASAN_OPTIONS={asan}", "strace", "-f", "-qq",
                   "-e", "trace=recvmsg,recvfrom", "-o", str(log),
                   prog("ours", "ifdown"), *args)
        assert r.returncode == 0 and r.stderr == ""
        left = ns.run("ip", "-4", "-o", "addr", "show").stdout
        assert "veth0" not in left  # both addresses flushed
        assert left.count(" big ") == N_OTHER
        # every address of the system: 300 KB over the flush's dumps;
        # veth0's alone: under 3 KB
        got = received(log.read_text())
        assert 0 < got < 20000, got
    finally:
        ns.delete()

"""libembnet through nltool against iproute2's ip for the same query."""
import os
import shutil
import subprocess

from benchlib import RUNS, kb, kib, ms, stripped_size, timed


def bench(t, build):
    nltool = os.path.join(build, "tests", "nltool")
    ip = shutil.which("ip")
    if not os.path.exists(nltool) or not ip:
        t.skip("netlink: link get lo", "nltool or ip missing")
        return
    if subprocess.run([nltool, "link", "get", "lo"],
                      capture_output=True).returncode != 0:
        t.skip("netlink: link get lo", "nltool link module not built")
        return
    (o_ms, o_rss), (r_ms, r_rss) = timed([nltool, "link", "get", "lo"],
                                         [ip, "link", "show", "dev", "lo"])
    t.add(f"link get lo, wall per run ({RUNS} runs; ref: ip link show)",
          o_ms, r_ms, ms)
    t.add("link get lo, peak RSS (ref: ip)", o_rss, r_rss, kib)
    if subprocess.run([nltool, "addr", "dump"],
                      capture_output=True).returncode == 0:
        (o_ms, _), (r_ms, _) = timed([nltool, "addr", "dump"],
                                     [ip, "addr", "show"])
        t.add(f"address dump, wall per run ({RUNS} runs; ref: ip addr show)",
              o_ms, r_ms, ms)
    t.add("stripped size: nltool (all of libembnet's netlink) vs ip",
          stripped_size(nltool), stripped_size(ip), kb)

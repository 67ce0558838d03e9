"""The guest: kernel start and S40network start to the DHCP client's
`bound`, and rootfs size."""
import os
import subprocess
import sys

from benchlib import ARCHES, ROOT, kb, ms, qemu_run


def bench(t, build, arches=ARCHES, boots=3):
    """Kernel start to the DHCP client's `bound` (slirp), and S40network
    start to `bound` (both /proc/uptime in the guest: the test image's
    init.d/S39embnet-uptime and default.script.d/50-bound-uptime), medians
    of a few boots, and the rootfs size: our image against the same image
    with busybox's ifup/udhcpc left in place."""
    qr = qemu_run()
    for arch in arches:
        b = os.path.join(ROOT, "build", arch)
        ours = os.path.join(b, "guest")
        ref = os.path.join(b, "guest-busybox")
        if not os.path.exists(os.path.join(ours, "tests.cpio.gz")):
            t.skip(f"guest {arch}", f"no image (make rootfs ARCH={arch})")
            continue
        subprocess.run([sys.executable, os.path.join(ROOT, "scripts", "mkrootfs"),
                        "--arch", arch, "--busybox-only", "--extra-debs",
                        os.environ.get("GUEST_DEBS", "iperf3,libiperf0,libsctp1,libssl3,ethtool")],
                       check=True, stdout=subprocess.DEVNULL)
        times = {ours: [], ref: []}
        init = {ours: [], ref: []}  # S40network start to bound
        for _ in range(boots):
            for g in (ours, ref):
                with qr.Guest(arch, "user", mode="test", guest=g,
                                    timeout=240) as q:
                    q.run()
                info = qr.info(q.console)
                v = info.get("bound_uptime")
                if v:
                    times[g].append(float(v))
                if v and info.get("s40_uptime"):
                    init[g].append(float(v) - float(info["s40_uptime"]))
        if not times[ours] or not times[ref]:
            t.skip(f"guest {arch}: boot to lease", "no bound event seen")
        else:
            med = {g: sorted(v)[len(v) // 2] for g, v in times.items()}
            t.add(f"guest {arch}: kernel start to bound, median of {boots} "
                  "(ref: busybox ifup+udhcpc)", med[ours] * 1000,
                  med[ref] * 1000, ms)
        if len(init[ours]) < boots or len(init[ref]) < boots:
            t.skip(f"guest {arch}: S40network start to bound",
                   "no S40network or bound time seen")
        else:
            med = {g: sorted(v)[len(v) // 2] for g, v in init.items()}
            t.add(f"guest {arch}: S40network start to bound, median of "
                  f"{boots} (ref: busybox ifup+udhcpc; /proc/uptime in the "
                  "guest, 10 ms steps; goal: network ready after init in "
                  "<= 1/3 of busybox's, ratio <= 0.33)", med[ours] * 1000,
                  med[ref] * 1000, ms)
        t.add(f"guest {arch}: rootfs.cpio.gz (ref: busybox applets)",
              os.path.getsize(os.path.join(ours, "rootfs.cpio.gz")),
              os.path.getsize(os.path.join(ref, "rootfs.cpio.gz")), kb)

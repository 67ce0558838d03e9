"""ethtool-lite in the guest: t_ethtool compares it with Debian's ethtool
6.1 (ethtool.debian in the image) on eth0 (virtio-net), on both arches:
the same output for every command, -s speed/duplex, -G and -K checked for
their effect (applied by one tool from a reset state, read back by 6.1,
compared with 6.1 alone), and the --json members virtio-net's data gives.

The musl image holds no glibc program, so no ethtool.debian: there ours
runs a fixed sequence of those commands from the boot state and sends its
transcript (stdout, stderr, exit status of each), and the glibc image of
the same arch sends the transcript of ethtool.debian running the same
sequence from the same state; they must be the same, once musl's
strerror() words are put in glibc's."""
import difflib

import pytest

from conftest import boot, data, split
from test_guest import guest_result

# strerror() where musl's words differ from glibc's, for the errors an
# ethtool command can get from the kernel (netlink or ioctl) or print
# with a stale errno of 0.  musl also says "No error information" for
# numbers it has no text for; none of those comes from these calls.
MUSL_STRERROR = {
    "No error information": "Success",  # 0
    "I/O error": "Input/output error",  # EIO
    "Out of memory": "Cannot allocate memory",  # ENOMEM
    "Resource busy": "Device or resource busy",  # EBUSY
    "Not a tty": "Inappropriate ioctl for device",  # ENOTTY
    "Result not representable": "Numerical result out of range",  # ERANGE
    "Message too large": "Message too long",  # EMSGSIZE
    "Value too large for data type":
        "Value too large for defined data type",  # EOVERFLOW
    "Not supported": "Operation not supported",  # EOPNOTSUPP
    "Operation timed out": "Connection timed out",  # ETIMEDOUT
}


def glibc_words(line):
    """A transcript line of the musl image with glibc's strerror() words:
    only a stderr line ("2>"), only the end of its message."""
    if line.startswith("2>"):
        for musl, glibc in MUSL_STRERROR.items():
            if line.endswith(": " + musl):
                return line[:-len(musl)] + glibc
    return line


def transcript(b, tool):
    """The lines of the transcript t_ethtool sent from boot @b, made by
    @tool (ethtool.debian or ours, ethtool)."""
    by = b.info.get("ethtool_transcript", "").split()
    assert by[:1] == [tool], \
        f"ethtool transcript by {by[:1]}, want {tool}\n" + b.explain()
    text = data(b.console, "ethtool")
    assert text is not None, "no ethtool transcript\n" + b.explain()
    lines = text.decode(errors="replace").splitlines()
    assert sum(x.startswith("$ ethtool") for x in lines) == int(by[1]), \
        "ethtool transcript: commands missing\n" + b.explain()
    return lines


def test_ethtool_matches_debian_on_virtio(arch):
    b = boot(arch, "user")
    detail = guest_result(b, "ethtool")
    base, libc = split(arch)
    if libc == "glibc":
        assert "comparisons" in detail
        transcript(b, "ethtool.debian")  # what the musl image's test needs
        return
    ours = [glibc_words(x) for x in transcript(b, "ethtool")]
    ref = transcript(boot(base, "user"), "ethtool.debian")
    if ours != ref:
        diff = difflib.unified_diff(ref, ours, f"ethtool.debian ({base})",
                                    f"ours ({arch})", lineterm="", n=2)
        pytest.fail("ethtool transcripts differ:\n" +
                    "\n".join(list(diff)[:80]))


# The second NIC each arch's guest has (scripts/qemu-run's NIC2), else
# virtio-net: the device t_ethtool_nic compares the tools on.
NIC_DRIVER = {"armhf": "e1000e", "x86_64": "vmxnet3"}


def test_ethtool_matches_debian_on_real_nic(glibc_arch):
    """t_ethtool_nic: every read command of ours against ethtool 6.1 (text
    and 6.1's --json) on e1000e (armhf), vmxnet3 (x86_64), or virtio-net
    (s390x: big-endian, aarch64), and each set command applied by ours,
    read back by both, then by 6.1 from the same state.  Glibc images
    only: a musl image holds no ethtool.debian, so the test is not made
    for one (glibc_arch, conftest.py)."""
    arch = glibc_arch
    base, _ = split(arch)
    b = boot(arch, "user")
    diffs = data(b.console, "ethtool_nic")
    status = b.results.get("ethtool_nic", ("", ""))[0]
    if status == "FAIL" and diffs is not None:
        pytest.fail(b.results["ethtool_nic"][1] + "\n" +
                    diffs.decode(errors="replace")[:6000])
    guest_result(b, "ethtool_nic")
    dev, _, drv = b.info.get("ethtool_nic", "").partition(" ")
    want = NIC_DRIVER.get(base, "virtio_net")
    assert drv == want, f"t_ethtool_nic ran on {dev} ({drv}), want {want}\n" \
        + b.explain()

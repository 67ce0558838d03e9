"""dhcpc --lease-file against hostile or corrupt files (issue 18 item 5).

A first run against dnsmasq saves a real ACK; each case then plants a file
made from it (another client's MAC, another message type, cut short, too
long, a bad cookie, a multicast address) or something that is not a
regular file (a symlink to that very lease, a FIFO, a device, a file the
client may not read) and starts the client again.  Each time the client
must say, in exactly one line naming the file, why it ignores it; do a
normal DISCOVER (no INIT-REBOOT REQUEST from what it ignored); bind; and
save the new ACK as a regular file of mode 0600 in the place of what was
planted (file_write_atomic(): a temp file renamed over it), leaving the
target of a planted symlink untouched.  udhcpc has no lease file: there is
nothing to compare with.
"""
import os
import stat
import sys

import pytest

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "dhcpc"))
pytest.register_assert_rewrite("lab")
from lab import lab, firsts, kinds  # noqa: E402

MAC_OFF, YIADDR_OFF, COOKIE_OFF, OPTS_OFF = 28, 16, 236, 240
DHCP_MAX_LEN = 1500
# root reads a file of mode 000 anyway: the client runs without the
# capabilities that let it
NO_DAC = ("setpriv", "--bounding-set", "-dac_override,-dac_read_search",
          "--inh-caps", "-dac_override,-dac_read_search")


def opt_off(raw, code):
    """Offset of the value of option @code in the options field of @raw."""
    i = OPTS_OFF
    while i < len(raw) and raw[i] != 255:
        if raw[i] == 0:
            i += 1
            continue
        if raw[i] == code:
            return i + 2
        i += 2 + raw[i + 1]
    raise AssertionError(f"no option {code} in {raw.hex()}")


def patched(raw, off, val):
    return raw[:off] + bytes([val]) + raw[off + 1:]


def put(path, data, mode=0o600):
    with open(path, "wb") as f:
        f.write(data)
    os.chmod(path, mode)


# case: (what to plant at the lease file's path, given the path and the
# saved ACK; the reason in the log line)
CASES = {
    "other_mac": (lambda p, raw: put(p, patched(raw, MAC_OFF + 5,
                                                raw[MAC_OFF + 5] ^ 1)),
                  "not our MAC address"),
    "nak": (lambda p, raw: put(p, patched(raw, opt_off(raw, 53), 6)),
            "not an ACK"),
    "offer": (lambda p, raw: put(p, patched(raw, opt_off(raw, 53), 2)),
              "not an ACK"),
    "truncated": (lambda p, raw: put(p, raw[:opt_off(raw, 51) + 2]),
                  "option past the end of its field"),
    "oversize": (lambda p, raw: put(p, raw.ljust(DHCP_MAX_LEN + 1,
                                                 b"\0")),
                 "larger than 1500 bytes"),
    "bad_cookie": (lambda p, raw: put(p, patched(raw, COOKIE_OFF, 0)),
                   "bad magic cookie"),
    "multicast": (lambda p, raw: put(p, patched(raw, YIADDR_OFF, 224)),
                  "not a unicast address"),
    "symlink": (lambda p, raw: (put(p + ".target", raw),
                                os.symlink(os.path.basename(p) + ".target",
                                           p)),
                "a symbolic link"),
    "fifo": (lambda p, raw: os.mkfifo(p, 0o600), "not a regular file"),
    "device": (lambda p, raw: os.mknod(p, 0o600 | stat.S_IFCHR,
                                       os.makedev(1, 5)),  # /dev/zero
               "not a regular file"),
    "unreadable": (lambda p, raw: put(p, raw, 0), "Permission denied"),
}


def first_lease(lab, lf):
    rc, ev, log = lab.run("ours", "-f", "-q", "--lease-file", lf,
                          name="first")
    assert rc == 0 and ev[-1][0] == "bound", log
    with open(lf, "rb") as f:
        raw = f.read()
    os.unlink(lf)
    return raw


@pytest.mark.parametrize("case", sorted(CASES))
def test_hostile_lease_file(lab, tmp_path, case):
    cap = lab.sniff()
    lab.dnsmasq()
    lf = str(tmp_path / "lease")
    raw = first_lease(lab, lf)
    plant, why = CASES[case]
    plant(lf, raw)
    m = cap.mark()
    rc, ev, log = lab.run("ours", "-f", "-q", "--lease-file", lf,
                          wrap=NO_DAC if case == "unreadable" else ())
    assert rc == 0 and ev[-1][0] == "bound", log
    lines = [l for l in log.splitlines() if lf in l]
    assert len(lines) == 1 and f" {lf}: " in lines[0], log
    assert why in lines[0] and "ignored" in lines[0], log
    assert kinds(firsts(cap.sent(m))) == ["DISCOVER", "REQUEST"], log
    # the new ACK replaced what was planted, whole and not through it
    st = os.lstat(lf)
    assert stat.S_ISREG(st.st_mode) and stat.S_IMODE(st.st_mode) == 0o600
    with open(lf, "rb") as f:
        new = f.read()
    assert new[MAC_OFF:MAC_OFF + 6] == raw[MAC_OFF:MAC_OFF + 6]
    assert new[opt_off(new, 53)] == 5
    assert not [n for n in os.listdir(tmp_path)
                if n.startswith("lease.") and n != "lease.target"]
    if case == "symlink":
        with open(lf + ".target", "rb") as f:
            assert f.read() == raw


def test_lease_file_fine_after_all(lab, tmp_path):
    """The saved lease is taken back: INIT-REBOOT, no line about it but
    the request (the control for the cases above)."""
    cap = lab.sniff()
    lab.dnsmasq()
    lf = str(tmp_path / "lease")
    put(lf, first_lease(lab, lf))
    m = cap.mark()
    rc, ev, log = lab.run("ours", "-f", "-q", "--lease-file", lf)
    assert rc == 0 and ev[-1][0] == "bound", log
    assert [l.split(" ", 1)[1] for l in log.splitlines() if lf in l] == \
        [f"{lf}: requesting {ev[-1][1]['ip']} again"], log
    assert kinds(firsts(cap.sent(m))) == ["REQUEST"], log

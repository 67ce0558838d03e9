"""ethtool-lite --json (ethtool-lite/JSON.md): every read command gives one
object keyed by "ifname" in an array, with exactly the members its text
output implies (a text line that is not n/a gives its member, an n/a line
none) and the same values; -k and -a have ethtool 6.1's keys.  The text
output itself is held to 6.1 by test_ethtool_cli.py.

-a and -g: no device here has pause or ring parameters (veth, tap, bridge,
ifb, macvlan and lo all answer EOPNOTSUPP, and so does the guest's
virtio-net for -a), so those read the fake device of test_ethtool_cli.py:
the kernel's PAUSE/RINGS replies for tap0 from a state file."""
import json
import os
import re
import subprocess

import pytest

import libc_text
from conftest import BUILD
from test_ethtool_cli import PAUSE0, RINGS0, Fake, command

OURS = os.path.join(BUILD, "bin", "ethtool")
THEIRS = "/usr/sbin/ethtool"
DEVS = ["veth0", "tap0", "br0", "mv0", "lo", "ifb0"]


@pytest.fixture
def ens(ns):
    if not os.path.exists(OURS):
        pytest.skip(f"{OURS} not built (make ONLY=ethtool)")
    ns.ip("link", "add", "ifb0", "type", "ifb")
    ns.ip("tuntap", "add", "tap0", "mode", "tap")
    ns.ip("link", "add", "br0", "type", "bridge")
    ns.ip("link", "add", "link", "veth0", "name", "mv0", "type", "macvlan")
    return ns


def run(ns, *args, tool=OURS, env=None):
    """(stdout, stderr, rc), under the fake device with env=fake.env; the
    reference's strerror() texts in our C library's words (libc_text)."""
    r = subprocess.run(command(ns, tool, args, env), capture_output=True,
                       text=True, timeout=30, env=env)
    out = (r.stdout, r.stderr, r.returncode)
    return libc_text.as_ours(out) if tool == THEIRS else out


def both(ns, *args, env=None):
    """(parsed JSON object or None, text output, rc): the same rc both
    ways, and on an error `[ ]` with the text's stderr."""
    jout, jerr, jrc = run(ns, "--json", *args, env=env)
    tout, terr, trc = run(ns, *args, env=env)
    assert jrc == trc, args
    data = json.loads(jout)
    assert isinstance(data, list)
    if not data:
        assert jout == "[ ]\n" and jerr == terr and jrc != 0, args
        return None, tout, jrc
    assert jrc == 0 and len(data) == 1, args
    assert list(data[0])[0] == "ifname" and data[0]["ifname"] == args[-1]
    obj = dict(data[0])
    del obj["ifname"]
    return obj, tout, jrc


def lines(text):
    """[(label, value)] of the text's "label: value" lines, in order."""
    out = []
    for line in text.splitlines():
        m = re.match(r"\s*([^:\t]+):[ \t]*(.*)$", line)
        if m:
            out.append((m.group(1).strip(), m.group(2).strip()))
    return out


def onoff(v):
    return "on" if v else "off"


# ethtool DEV: text label -> (JSON keys, the value as text).
def modes(v):
    return " ".join(v) if v else "Not reported"


def lvl(v):
    return "0x%08x (%d)" % (v, v)


DEV_KEYS = {
    "Supported ports": ("supported-ports",
                        lambda v: "[ %s ]" % " ".join(v) if v else "[  ]"),
    "Supported link modes": ("supported-link-modes", modes),
    "Supported pause frame use": ("supported-pause-frame-use", str),
    "Supports auto-negotiation": ("supported-auto-negotiation",
                                  lambda v: "Yes" if v else "No"),
    "Supported FEC modes": ("supported-fec-modes", modes),
    "Advertised link modes": ("advertised-link-modes", modes),
    "Advertised pause frame use": ("advertised-pause-frame-use", str),
    "Advertised auto-negotiation": ("advertised-auto-negotiation",
                                    lambda v: "Yes" if v else "No"),
    "Advertised FEC modes": ("advertised-fec-modes", modes),
    "Link partner advertised link modes": (
        "link-partner-advertised-link-modes", modes),
    "Link partner advertised pause frame use": (
        "link-partner-advertised-pause-frame-use", str),
    "Link partner advertised auto-negotiation": (
        "link-partner-advertised-auto-negotiation",
        lambda v: "Yes" if v else "No"),
    "Link partner advertised FEC modes": (
        "link-partner-advertised-fec-modes", modes),
    "Speed": ("speed", lambda v: "Unknown!" if v is None else f"{v}Mb/s"),
    "Lanes": ("lanes", str),
    # null: "Unknown!", or "Unknown! (N)" for a value 6.1 has no name for.
    "Duplex": ("duplex", lambda v: "Unknown!" if v is None else v),
    "Auto-negotiation": ("auto-negotiation", onoff),
    "master-slave cfg": ("master-slave-cfg", str),
    "master-slave status": ("master-slave-status", str),
    "Port": ("port", lambda v: "Unknown!" if v is None else v),
    "PHYAD": ("phyad", str),
    "Transceiver": ("transceiver", lambda v: "Unknown!" if v is None else v),
    "MDI-X": ("mdi-x", str),
    "Supports Wake-on": ("supports-wake-on", str),
    "Wake-on": ("wake-on", str),
    "SecureOn password": ("secureon-password", str),
    "Current message level": ("current-message-level", lvl),
    "Link detected": ("link-detected", lambda v: "yes" if v else "no"),
    "SQI": ("sqi", str),
}


def check_dev(ns, dev):
    j, text, rc = both(ns, dev)
    if j is None:
        assert rc == 75, dev  # "No data available"
        return set()
    want = {}
    tl = text.splitlines()
    assert tl[0] == f"Settings for {dev}:"
    for label, value in lines("\n".join(tl[1:])):
        key, fmt = DEV_KEYS[label]  # a text line JSON.md has no key for
        want[key] = (value, fmt)
        if key == "current-message-level":
            names = tl[tl.index(next(l for l in tl if "message level" in l))
                       + 1].split()
            want["message-level"] = (names, list)
        if key == "link-detected" and "(" in value:
            want["link-extended-state"] = (None, None)
        if key == "sqi":
            want["sqi-max"] = (None, None)
    assert set(j) == set(want), dev
    for key, (value, fmt) in want.items():
        if key.endswith("link-modes") and j[key]:
            # Several modes span lines: the first one is on the label's.
            assert value.split()[0] == j[key][0], (dev, key)
        elif key == "link-detected" and "(" in value:
            assert value.split()[0] == fmt(j[key]), (dev, key)
        elif j[key] is None and value.startswith("Unknown! ("):
            assert fmt(j[key]) == "Unknown!", (dev, key)
        elif fmt is not None:
            assert fmt(j[key]) == value, (dev, key)
    return set(j)


def test_dev(ens):
    for dev in DEVS:
        check_dev(ens, dev)


def test_dev_set_and_up(ens):
    """Members and values after -s on tap0 (values tun stores; MDI-X is
    printed for port tp only) and with veth0's link up."""
    r = run(ens, "-s", "tap0", "port", "fibre")
    assert r[2] == 0, r
    assert "mdi-x" not in check_dev(ens, "tap0")
    assert both(ens, "tap0")[0]["port"] == "FIBRE"
    r = run(ens, "-s", "tap0", "speed", "1000", "duplex", "half", "autoneg",
            "on", "port", "tp", "phyad", "3", "mdix", "on", "msglvl", "0x7")
    assert r[2] == 0, r
    keys = check_dev(ens, "tap0")
    assert {"speed", "duplex", "auto-negotiation", "port", "phyad",
            "transceiver", "mdi-x", "current-message-level",
            "message-level", "link-detected"} <= keys
    j = both(ens, "tap0")[0]
    assert (j["speed"], j["duplex"], j["auto-negotiation"], j["port"],
            j["phyad"], j["mdi-x"], j["current-message-level"],
            j["message-level"]) == (1000, "Half", True, "Twisted Pair", 3,
                                    "on (forced)", 7, ["drv", "probe", "link"])
    ens.ip("link", "set", "veth0", "up")
    ens.ip("link", "set", "veth1", "up")
    check_dev(ens, "veth0")
    assert both(ens, "veth0")[0]["link-detected"] is True


DRIVER_KEYS = {"driver": "driver", "version": "version",
               "firmware-version": "firmware-version",
               "expansion-rom-version": "expansion-rom-version",
               "bus-info": "bus-info"}
DRIVER_BOOLS = ["supports-statistics", "supports-test",
                "supports-eeprom-access", "supports-register-dump",
                "supports-priv-flags"]


def test_driver(ens):
    for dev in DEVS:
        j, text, rc = both(ens, "-i", dev)
        if j is None:
            continue  # lo: "Cannot get driver information"
        assert set(j) == set(DRIVER_KEYS) | set(DRIVER_BOOLS), dev
        t = dict(lines(text))
        for key in DRIVER_KEYS:
            assert t.get(key, "") == j[key], (dev, key)
        for key in DRIVER_BOOLS:
            assert t[key] == ("yes" if j[key] else "no"), (dev, key)


def test_stats(ens):
    for dev in ("veth0", "veth1", "ifb0"):
        j, text, rc = both(ens, "-S", dev)
        assert list(j) == ["statistics"] and j["statistics"], dev
        t = lines(text)[1:]  # "NIC statistics:"
        assert [(k, str(v)) for k, v in j["statistics"].items()] == t, dev


def test_stats_none_gives_empty_array(ens):
    # "no stats available" (rc 94) is an error: `[ ]` as JSON.md says.
    for dev in ("lo", "br0", "tap0", "mv0"):
        out, err, rc = run(ens, "--json", "-S", dev)
        assert (out, rc) == ("[ ]\n", 94) and "no stats" in err, dev


def sections(text, first, second):
    """{(section, label): value}: labels repeat in the two sections."""
    out, sec = {}, None
    for label, value in lines(text):
        if label == first:
            sec = 0
        elif label == second:
            sec = 1
        elif sec is not None:
            out[(sec, label)] = value
    return out


CHANNEL_KEYS = {(0, "RX"): "rx-max", (0, "TX"): "tx-max",
                (0, "Other"): "other-max", (0, "Combined"): "combined-max",
                (1, "RX"): "rx", (1, "TX"): "tx", (1, "Other"): "other",
                (1, "Combined"): "combined"}
RING_KEYS = {(0, "RX"): "rx-max", (0, "RX Mini"): "rx-mini-max",
             (0, "RX Jumbo"): "rx-jumbo-max", (0, "TX"): "tx-max",
             (1, "RX"): "rx", (1, "RX Mini"): "rx-mini",
             (1, "RX Jumbo"): "rx-jumbo", (1, "TX"): "tx",
             (1, "RX Buf Len"): "rx-buf-len", (1, "CQE Size"): "cqe-size",
             (1, "TX Push"): "tx-push",
             (1, "TCP data split"): "tcp-data-split"}


def text_value(key, v):
    if key == "tx-push":
        return onoff(v)
    if key == "tcp-data-split":
        return {0: "n/a", 1: "off", 2: "on"}.get(v, f"unknown({v})")
    return str(v)


def check_sections(j, text, keys, dev):
    t = sections(text, "Pre-set maximums", "Current hardware settings")
    assert set(t) == set(keys), dev  # every line of the text is mapped
    want = {keys[k] for k, v in t.items() if v != "n/a"}
    assert set(j) == want, dev
    for k, v in t.items():
        if keys[k] in j:
            assert text_value(keys[k], j[keys[k]]) == v, (dev, k)


def test_channels(ens):
    assert run(ens, "-L", "veth0", "rx", "1")[2] == 0
    for dev in DEVS:
        j, text, rc = both(ens, "-l", dev)
        if j is not None:
            check_sections(j, text, CHANNEL_KEYS, dev)
    j = both(ens, "-l", "veth0")[0]
    assert j["rx"] == 1 and j["rx-max"] >= 1 and "combined" not in j


# The -c text labels that differ from the -C argument (the JSON key).
COALESCE_LABELS = {"rx-frame-low": "rx-frames-low",
                   "tx-frame-low": "tx-frames-low",
                   "rx-frame-high": "rx-frames-high",
                   "tx-frame-high": "tx-frames-high"}


def coalesce_text(text):
    """{JSON key: text value} of -c output."""
    out = {}
    for line in text.splitlines()[1:]:
        m = re.match(r"(Adaptive|CQE mode) RX: (\S+)\s+TX: (\S+)$", line)
        if m:
            pre = "adaptive" if m.group(1) == "Adaptive" else "cqe-mode"
            out[pre + "-rx"], out[pre + "-tx"] = m.group(2), m.group(3)
        elif line.strip():
            label, _, value = line.partition(": ")
            out[COALESCE_LABELS.get(label, label)] = value
    return out


def test_coalesce(ens):
    assert run(ens, "-C", "tap0", "rx-frames", "5")[2] == 0
    for dev in DEVS:
        j, text, rc = both(ens, "-c", dev)
        if j is None:
            continue
        t = coalesce_text(text)
        assert len(t) == 24, t  # every -C parameter has its line
        assert set(j) == {k for k, v in t.items() if v != "n/a"}, dev
        for key, value in j.items():
            want = onoff(value) if isinstance(value, bool) else str(value)
            assert t[key] == want, (dev, key)
    assert both(ens, "-c", "tap0")[0] == {"rx-frames": 5}


def test_features(ens):
    """6.1's -k JSON, byte for byte (test_ethtool_cli.py), and its keys:
    one object per feature line of the text, active/fixed/requested."""
    for dev in DEVS:
        j, text, rc = both(ens, "-k", dev)
        feats = {}
        for line in text.splitlines()[1:]:
            name, _, value = line.strip().partition(": ")
            feats[name] = value
        assert list(j) == list(feats), dev
        for name, st in j.items():
            assert set(st) == {"active", "fixed", "requested"}, (dev, name)
            value = feats[name]
            assert value.split()[0] == onoff(st["active"]), (dev, name)
            assert ("[fixed]" in value) == bool(st["fixed"]), (dev, name)
            if st["requested"] is not None and not st["fixed"]:
                assert ("[requested" in value) == (
                    st["requested"] != st["active"]), (dev, name)
        if os.path.exists(THEIRS):
            assert run(ens, "--json", "-k", dev, tool=THEIRS)[0] == \
                run(ens, "--json", "-k", dev)[0]


@pytest.fixture
def fake(ens, tmp_path):
    fk = Fake(tmp_path / "state")
    fk.set(PAUSE0 + RINGS0)
    return fk


@pytest.mark.parametrize("state", [
    "21 2 1 0\n21 3 1 1\n21 4 1 0\n", "21 2 1 1\n21 3 1 0\n21 4 1 1\n",
    "21 3 1 1\n21 4 1 1\n", "21 2 1 0\n",
], ids=["an-off-rx", "an-on-tx", "no-autoneg", "autoneg-only"])
def test_pause(ens, fake, state):
    """--json -a with pause data: 6.1's keys (6.1 itself prints true for
    every boolean it gets: JSON.md), the values the device reports, as
    the text says; no "-negotiated" members without a link partner."""
    fake.set(state)
    j, text, rc = both(ens, "-a", "tap0", env=fake.env)
    sent = {int(t): int(v) for _, t, _, v in
            (line.split() for line in state.splitlines())}
    names = {2: "autonegotiate", 3: "rx", 4: "tx"}
    assert j == {names[t]: bool(v) for t, v in sent.items()}
    t = dict(lines(text))
    for label, key in (("Autonegotiate", "autonegotiate"), ("RX", "rx"),
                       ("TX", "tx")):
        assert t[label] == (onoff(j[key]) if key in j else "n/a")
    if os.path.exists(THEIRS):
        ref = json.loads(run(ens, "--json", "-a", "tap0", tool=THEIRS,
                             env=fake.env)[0])
        assert list(ref[0]) == ["ifname", *j]


@pytest.mark.parametrize("state", [
    RINGS0, "15 2 4 1024\n15 6 4 512\n15 5 4 256\n15 9 4 255\n15 13 1 1\n",
    "15 3 4 8\n15 7 4 2\n15 4 4 9\n15 8 4 3\n15 11 1 2\n15 13 1 0\n",
], ids=["full", "virtio-like", "mini-jumbo"])
def test_rings(ens, fake, state):
    fake.set(PAUSE0 + state)
    j, text, rc = both(ens, "-g", "tap0", env=fake.env)
    keys = {2: "rx-max", 3: "rx-mini-max", 4: "rx-jumbo-max", 5: "tx-max",
            6: "rx", 7: "rx-mini", 8: "rx-jumbo", 9: "tx", 10: "rx-buf-len",
            11: "tcp-data-split", 12: "cqe-size", 13: "tx-push"}
    sent = {keys[int(t)]: int(v) for _, t, _, v in
            (line.split() for line in state.splitlines())}
    assert j == {k: bool(v) if k == "tx-push" else v for k, v in sent.items()}
    check_sections(j, text, RING_KEYS, "tap0")


def test_errors(ens):
    for args in (["nosuchdev"], ["-i", "nosuchdev"], ["-S", "nosuchdev"],
                 ["-l", "nosuchdev"], ["-g", "veth0"], ["-a", "veth0"],
                 ["-c", "veth0"], ["-k", "nosuchdev"], ["-i", "lo"],
                 ["-l", "br0"], ["-g", "nosuchdev"], ["-c", "lo"],
                 ["-x", "veth0"], ["-x", "nosuchdev"],
                 ["--show-rxfh", "lo", "context", "1"],
                 ["-n", "veth0", "rx-flow-hash", "tcp4"],
                 ["-u", "nosuchdev", "rx-flow-hash", "udp6"]):
        out, err, rc = run(ens, "--json", *args)
        assert out == "[ ]\n" and rc != 0 and err, args
        # -x and -n: the text path's own error and status (6.1's)
        if args[0] in ("-x", "--show-rxfh", "-n", "-u"):
            assert (err, rc) == run(ens, *args, tool=THEIRS)[1:], args

"""ethtool-lite --json (ethtool-lite/JSON.md): every read command gives one
object keyed by "ifname" in an array, and its values agree with the text
output of the same tool (which test_ethtool_cli.py holds to ethtool 6.1)."""
import json
import os
import re
import subprocess

import pytest

from conftest import BUILD

OURS = os.path.join(BUILD, "bin", "ethtool")
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


def run(ns, *args):
    r = subprocess.run(["ip", "netns", "exec", ns.name, OURS, *args],
                       capture_output=True, text=True, timeout=30)
    return r.stdout, r.stderr, r.returncode


def both(ns, *args):
    """(parsed JSON object or None, text lines as {label: value}, rcs)."""
    jout, _, jrc = run(ns, "--json", *args)
    tout, _, trc = run(ns, *args)
    assert jrc == trc, args
    data = json.loads(jout)
    assert isinstance(data, list)
    text = {}
    for line in tout.splitlines():
        m = re.match(r"\s*([^:\t]+):\s*(.*)$", line)
        if m:
            text.setdefault(m.group(1).strip(), m.group(2).strip())
    if not data:
        return None, text, jrc
    assert len(data) == 1 and data[0]["ifname"] == args[-1]
    return data[0], text, jrc


@pytest.mark.parametrize("dev", DEVS)
def test_dev(ens, dev):
    j, t, rc = both(ens, dev)
    if j is None:
        assert rc == 75
        return
    if "speed" in j:
        want = "Unknown!" if j["speed"] is None else f"{j['speed']}Mb/s"
        assert t["Speed"] == want
    if "duplex" in j and j["duplex"]:
        assert t["Duplex"] == j["duplex"]
    for key, label in [("port", "Port"), ("transceiver", "Transceiver"),
                       ("mdi-x", "MDI-X"), ("wake-on", "Wake-on")]:
        if key in j:
            assert t[label] == j[key]
    if "phyad" in j:
        assert t["PHYAD"] == str(j["phyad"])
    if "auto-negotiation" in j:
        assert t["Auto-negotiation"] == ("on" if j["auto-negotiation"]
                                         else "off")
    if "link-detected" in j:
        assert t["Link detected"].split()[0] == (
            "yes" if j["link-detected"] else "no")
    if "current-message-level" in j:
        assert t["Current message level"].startswith(
            "0x%08x" % j["current-message-level"])
    if "advertised-link-modes" in j:
        modes = t["Advertised link modes"]
        if j["advertised-link-modes"]:
            assert modes.split()[0] == j["advertised-link-modes"][0]
        else:
            assert modes == "Not reported"


@pytest.mark.parametrize("dev", ["veth0", "tap0", "br0"])
def test_driver(ens, dev):
    j, t, rc = both(ens, "-i", dev)
    for key in ["driver", "version", "firmware-version", "bus-info",
                "expansion-rom-version"]:
        assert t.get(key, "") == j[key]
    for key in ["supports-statistics", "supports-test",
                "supports-eeprom-access", "supports-register-dump",
                "supports-priv-flags"]:
        assert t[key] == ("yes" if j[key] else "no")


def test_stats(ens):
    j, t, rc = both(ens, "-S", "veth0")
    assert j["statistics"]
    for name, value in j["statistics"].items():
        assert t[name] == str(value)


@pytest.mark.parametrize("dev", ["veth0", "tap0", "ifb0"])
def test_channels_rings_coalesce(ens, dev):
    pairs = {
        "-l": [("rx-max", "RX", 0), ("tx-max", "TX", 0),
               ("combined-max", "Combined", 0)],
        "-c": [("rx-frames", "rx-frames", 0), ("rx-usecs", "rx-usecs", 0)],
        "-g": [("rx-max", "RX", 0), ("tx-max", "TX", 0)],
    }
    for cmd, keys in pairs.items():
        j, t, rc = both(ens, cmd, dev)
        if j is None:
            assert rc != 0
            continue
        for key, label, _ in keys:
            assert t[label] == str(j[key]) if key in j else t[label] == "n/a"


def test_features_and_pause(ens):
    j, _, _ = both(ens, "-k", "veth0")
    out = run(ens, "-k", "veth0")[0]
    for name, st in j.items():
        if name == "ifname":
            continue
        m = re.search(r"^\s*%s: (on|off)" % re.escape(name), out, re.M)
        assert m and (m.group(1) == "on") == st["active"], name


def test_errors(ens):
    for args in (["nosuchdev"], ["-i", "nosuchdev"], ["-S", "nosuchdev"],
                 ["-l", "nosuchdev"], ["-g", "veth0"]):
        out, err, rc = run(ens, "--json", *args)
        assert out == "[ ]\n" and rc != 0 and err, args

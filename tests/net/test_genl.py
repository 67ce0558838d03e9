"""Generic netlink family resolution (lib/genl.c) against the kernel and,
when installed, iproute2's `genl ctrl get`."""
import re
import shutil

import pytest

from conftest import kv


def family(ns, name):
    r = ns.nltool("genl", "family", name)
    assert r.returncode == 0, r.stderr
    groups = {}
    for line in r.stdout.splitlines():
        if line.startswith("group="):
            gname, _, gid = line[len("group="):].rpartition(":")
            groups[gname] = int(gid)
    rec = kv("\n".join(l for l in r.stdout.splitlines()
                       if not l.startswith("group=")))[0]
    ops = {int(x) for x in rec["ops"].split(",") if x}
    return rec, ops, groups


def genl_ctrl(ns, name):
    """Parses `genl ctrl get name NAME` into (fields, ops, groups)."""
    r = ns.run("genl", "ctrl", "get", "name", name)
    assert r.returncode == 0, r.stderr
    m = re.search(r"ID: (0x[0-9a-f]+)\s+Version: (0x[0-9a-f]+)\s+"
                  r"header size: (\d+)\s+max attribs: (\d+)", r.stdout)
    assert m, r.stdout
    fields = {"id": int(m[1], 16), "version": int(m[2], 16),
              "hdrsize": int(m[3]), "maxattr": int(m[4])}
    ops = {int(x, 16) for x in re.findall(r"#\d+:\s+ID-(0x[0-9a-f]+)\s*$",
                                          r.stdout.split("multicast")[0],
                                          re.M)}
    groups = {n: int(i, 16) for i, n in
              re.findall(r"ID-(0x[0-9a-f]+)\s+name: (\S+)", r.stdout)}
    return fields, ops, groups


@pytest.mark.parametrize("name", ["ethtool", "nlctrl"])
def test_family_matches_kernel(ns, name):
    rec, ops, groups = family(ns, name)
    assert rec["name"] == name
    if name == "nlctrl":
        assert rec["id"] == "16"  # GENL_ID_CTRL is fixed
        assert "notify" in groups
    else:
        assert int(rec["version"]) >= 1
        assert "monitor" in groups
        assert {1, 11} <= ops  # STRSET_GET, FEATURES_GET
    if not shutil.which("genl"):
        again, _, _ = family(ns, name)
        assert again["id"] == rec["id"]
        return
    fields, gops, ggroups = genl_ctrl(ns, name)
    for k, v in fields.items():
        assert int(rec[k]) == v, k
    assert ops == gops
    assert groups == ggroups


def test_family_id_stable(ns):
    a, _, ga = family(ns, "ethtool")
    b, _, gb = family(ns, "ethtool")
    assert a["id"] == b["id"] and ga == gb


def test_missing_family(ns):
    r = ns.nltool("genl", "family", "no-such-family")
    assert r.returncode == 1
    assert r.stdout == ""
    assert "genl family: No such file or directory" in r.stderr


def test_family_name_too_long(ns):
    r = ns.nltool("genl", "family", "x" * 16)
    assert r.returncode == 1
    assert "Invalid argument" in r.stderr

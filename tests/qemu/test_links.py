"""Guest: link kinds the host kernel has no driver for (t_links).

In the ifupdown variant's boot (shared with test_ifupdown), t_links brings
each stanza set up and down with our ifup/ifdown and with the reference
on the same fresh dummy links: bonds (active-backup with miimon, delays
and primary; 802.3ad by number with its rate and hash; balance-xor with
ARP monitoring), VLANs by vlan-raw-device, gre/ipip/sit tunnels and 6to4,
and a slave's own bond-master stanza.  The bonding sysfs files, every
link's master, flags, MTU and address, tunnel parameters, addresses and
routes must be the same after up and after down.

The reference in a glibc image is Debian's ifupdown 0.8 binary (mkrootfs
carries it, ifupdown in GLIBC_GUEST_DEBS) with the ifenslave and vlan
packages' hooks, in a private /etc/network and state directory: exit
status and the state files (ifstate and the locks) must match too.  A
musl image carries no glibc program: there the hooks and Debian's tunnel
commands run by hand.  Then, ours alone: a refused bad value, and IPv6
tunnels: Debian's inet6 tunnel method runs `ip -6 tunnel add` through
/bin/sh, and the guest's busybox sh runs its own ip applet for it (which
has no `-6 tunnel`) whatever the PATH, so iproute2 in the image would not
be reached.
"""
import difflib

import pytest

from conftest import boot, data, split
from test_ifupdown import result

# The stanza sets t_links compares (links_same: "REFERENCE NAME..."):
# by hand, Debian's hooks cannot be asked about a slave's own stanza.
SETS = {"debian": ["ab", "lacp", "arp", "vlan", "tun", "slave"],
        "hooks": ["ab", "lacp", "arp", "vlan", "tun"]}


def links(arch):
    """The boot's t_links detail; when it failed, the differences it sent
    (ours' and the reference's files, EMBNET-DATA links_diff_NAME_STEP and
    links_ref_NAME_STEP) as unified diffs."""
    b = boot(arch, "tap", variant="ifupdown")
    status, detail = b.results.get("links", ("", ""))
    if status == "FAIL":
        keys = []
        for line in b.console.splitlines():
            parts = line.split(" ")
            if parts[0] == "EMBNET-DATA" and len(parts) == 3 and \
                    parts[1].startswith("links_diff_") and \
                    parts[1] not in keys:
                keys.append(parts[1])
        text = [detail]
        for key in keys:
            name = key[len("links_diff_"):]
            ours = data(b.console, key)
            ref = data(b.console, "links_ref_" + name)
            if ours is not None and ref is not None:
                text += difflib.unified_diff(
                    ref.decode(errors="replace").splitlines(),
                    ours.decode(errors="replace").splitlines(),
                    "reference " + name, "ours " + name, lineterm="")
        pytest.fail("\n".join(text) + "\n" + b.explain())
    return b, result(b, "links")


def test_links(arch):
    """Ours against the reference of the image; in a musl image Debian's
    hooks and commands run by hand."""
    b, detail = links(arch)
    assert "same as Debian" in detail, detail
    if split(arch)[1] == "musl":
        assert b.info.get("links_same", "").split() == \
            ["hooks"] + SETS["hooks"], b.info.get("links_same")


def test_links_debian_ifupdown(glibc_arch):
    """Glibc images only (a musl image holds no glibc program, so the
    test is not made for one): every stanza set went through Debian's
    ifupdown binary itself, with the same exit status and ifstate."""
    b, _ = links(glibc_arch)
    assert b.info.get("links_same", "").split() == \
        ["debian"] + SETS["debian"], b.info.get("links_same")

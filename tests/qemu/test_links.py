"""Guest: link kinds the host kernel has no driver for (t_links).

In the ifupdown variant's boot (shared with test_ifupdown), t_links brings
bonds up and down with our ifup/ifdown and with Debian's ifenslave hooks
(mkrootfs puts them in the test image), on the same dummy links, and
compares the bonding sysfs files and every link's master, flags and
address; then a slave's bond-master stanza and a refused bad value.
"""
from conftest import boot
from test_ifupdown import result


def test_links(arch):
    b = boot(arch, "tap", variant="ifupdown")
    detail = result(b, "links")
    assert "same as Debian" in detail, detail

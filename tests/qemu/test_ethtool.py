"""ethtool-lite in the guest: t_ethtool compares it with Debian's ethtool
6.1 (ethtool.debian in the image) on eth0 (virtio-net), on both arches:
the same output for every command, -s speed/duplex, -G and -K checked for
their effect (applied by one tool from a reset state, read back by 6.1,
compared with 6.1 alone), and the --json members virtio-net's data gives."""
from conftest import boot
from test_guest import guest_result


def test_ethtool_matches_debian_on_virtio(arch):
    detail = guest_result(boot(arch, "user"), "ethtool")
    assert "comparisons" in detail

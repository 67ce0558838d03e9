"""ethtool-lite in the guest: t_ethtool compares it with Debian's ethtool
6.1 (ethtool.debian in the image) on eth0 (virtio-net), on both arches."""
from conftest import boot
from test_guest import guest_result


def test_ethtool_matches_debian_on_virtio(arch):
    detail = guest_result(boot(arch, "user"), "ethtool")
    assert "comparisons" in detail

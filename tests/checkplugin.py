"""pytest plugin, loaded by scripts/check (-p checkplugin).

- Fails a test when a sanitized program it ran wrote a report.
  scripts/check points ASan's and UBSan's log_path into $EMBNET_SAN_LOG,
  so a report counts even when the test discards the program's stderr or
  the program ran in the background.
- `@pytest.mark.reference` marks a case that runs only the reference tool
  against itself (iperf3 against iperf3, to check an expectation of ours
  about it); the junit file records it so scripts/check counts such cases
  apart from the tests of our code.
"""
import glob
import os

import pytest


@pytest.fixture(autouse=True)
def _sanitizer_reports():
    yield
    logdir = os.environ.get("EMBNET_SAN_LOG")
    reports = sorted(glob.glob(os.path.join(logdir, "*"))) if logdir else []
    if not reports:
        return
    text = ""
    for path in reports:
        with open(path, errors="replace") as f:
            text += f"--- {os.path.basename(path)}\n{f.read()[-4000:]}"
        os.unlink(path)
    pytest.fail("sanitizer report from a program this test ran:\n" + text)


def pytest_configure(config):
    config.addinivalue_line(
        "markers", "reference: the reference tool only, counted apart")


def pytest_collection_modifyitems(items):
    for item in items:
        if item.get_closest_marker("reference"):
            item.user_properties.append(("reference", "1"))

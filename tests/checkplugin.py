"""pytest plugin, loaded by scripts/check (-p sanlog): fails a test when a
sanitized program it ran wrote a report.  scripts/check points ASan's and
UBSan's log_path into $EMBNET_SAN_LOG, so a report counts even when the
test discards the program's stderr or the program ran in the background."""
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

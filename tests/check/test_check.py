"""The runner's own tests: each case is something scripts/check once let
through as green (a hang without a summary line, an uncounted cmocka skip,
a sanitizer report on stderr, a suite with no tests, a stale junit file, a
skip nobody allowed).  Fake binaries and suites stand in for real ones."""
import importlib.machinery
import importlib.util
import os
import re
import subprocess
import textwrap
import time

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def load_check():
    path = os.path.join(ROOT, "scripts", "check")
    loader = importlib.machinery.SourceFileLoader("embnet_check", path)
    spec = importlib.util.spec_from_loader("embnet_check", loader)
    mod = importlib.util.module_from_spec(spec)
    loader.exec_module(mod)
    return mod


check = load_check()


def script(tmp_path, name, body):
    p = tmp_path / name
    p.write_text("#!/bin/sh\n" + textwrap.dedent(body))
    p.chmod(0o755)
    return str(p)


def tally(monkeypatch, ci):
    monkeypatch.setattr(check, "CI", ci)
    return check.Tally()


def run_unit(tmp_path, monkeypatch, body, ci=False):
    t = tally(monkeypatch, ci)
    check.unit_binary(t, "test_fake", [script(tmp_path, "fake", body)],
                      check.san_env())
    return t


def test_unit_passes(tmp_path, monkeypatch):
    t = run_unit(tmp_path, monkeypatch, "echo 'ok 1 - a'; echo 'ok 2 - b'\n")
    assert (t.passed, t.failed, t.skipped) == (2, 0, 0)


def test_unit_other_arch_runs_under_its_emulator(tmp_path, monkeypatch):
    """Another arch's binaries run through QEMU_USER[arch], each case
    named with the arch; a failing case there fails the run."""
    unit_dir = tmp_path / "build" / "tests" / "unit"
    unit_dir.mkdir(parents=True)
    script(unit_dir, "test_x", "echo 'ok 1 - a'; echo 'not ok 2 - b'\n")
    emu = script(tmp_path, "emu", 'echo "$1" >> "$0.log"; exec "$@"\n')
    monkeypatch.setattr(check, "ROOT", str(tmp_path))
    monkeypatch.setattr(check, "QEMU_USER", {"armhf": emu})
    t = tally(monkeypatch, False)
    check.unit(t, "build", "armhf")
    assert (t.passed, t.failed) == (1, 1)
    assert t.failures == ["unit: test_x on armhf: b"]
    assert open(emu + ".log").read() == str(unit_dir / "test_x") + "\n"


def test_unit_hang_is_a_named_failure(tmp_path, monkeypatch):
    monkeypatch.setattr(check, "UNIT_TIMEOUT", 1)
    t = run_unit(tmp_path, monkeypatch, "echo 'ok 1 - a'; sleep 30\n")
    assert t.failed == 1 and "test_fake" in t.failures[0]


def test_unit_cmocka_skip_counted(tmp_path, monkeypatch):
    body = "echo 'ok 1 - a'; echo 'not ok 2 # SKIP b'\n"
    t = run_unit(tmp_path, monkeypatch, body)
    assert (t.passed, t.failed, t.skipped) == (1, 0, 1)
    t = run_unit(tmp_path, monkeypatch, body, ci=True)
    assert (t.passed, t.failed, t.skipped) == (1, 1, 0)


def test_unit_sanitizer_report_fails(tmp_path, monkeypatch):
    body = ("echo 'ok 1 - a'\n"
            "echo 'x.c:3:5: runtime error: signed integer overflow' >&2\n")
    t = run_unit(tmp_path, monkeypatch, body)
    assert t.failed == 1


def test_unit_no_cases_fails(tmp_path, monkeypatch):
    t = run_unit(tmp_path, monkeypatch, "exit 0\n")
    assert t.failed == 1


def fake_suite(tmp_path, monkeypatch, text):
    (tmp_path / "tests" / "fake").mkdir(parents=True)
    (tmp_path / "tests" / "fake" / "test_fake.py").write_text(
        textwrap.dedent(text))
    os.symlink(os.path.join(ROOT, "tests", "checkplugin.py"),
               tmp_path / "tests" / "checkplugin.py")
    monkeypatch.setattr(check, "ROOT", str(tmp_path))


def test_pytest_no_tests_collected_fails(tmp_path, monkeypatch):
    fake_suite(tmp_path, monkeypatch, "X = 1\n")
    t = tally(monkeypatch, False)
    check.pytest_suite(t, "fake", "build")
    assert t.failed >= 1 and t.passed == 0


def test_pytest_stale_junit_not_read(tmp_path, monkeypatch):
    fake_suite(tmp_path, monkeypatch, "def test_a():\n    pass\n")
    xml = tmp_path / "build" / "fake-junit.xml"
    xml.parent.mkdir()
    xml.write_text('<testsuite><testcase classname="old" name="stale"/>'
                   '</testsuite>')
    monkeypatch.setattr(check, "spawn", lambda *a, **k:
                        subprocess.Popen(["sh", "-c", "exit 2"]))
    t = tally(monkeypatch, False)
    check.pytest_suite(t, "fake", "build")
    assert t.passed == 0 and t.failed == 1


def test_pytest_skip_fails_under_ci_unless_allowed(tmp_path, monkeypatch):
    fake_suite(tmp_path, monkeypatch, """\
        import pytest
        def test_a():
            pytest.skip("no reason anyone allowed")
        def test_b():
            pass
        """)
    t = tally(monkeypatch, True)
    check.pytest_suite(t, "fake", "build")
    assert (t.passed, t.failed) == (1, 1)
    t = tally(monkeypatch, True)
    t.allow = [("fake: *.test_a", "*anyone allowed*")]
    check.pytest_suite(t, "fake", "build")
    assert (t.passed, t.failed, t.skipped) == (1, 0, 1)


def test_pytest_sanitizer_report_fails_the_test(tmp_path, monkeypatch):
    """A UBSan report from a program a test ran fails that test, even when
    the test ignores the program's exit status and stderr."""
    src = tmp_path / "ub.c"
    src.write_text("#include <stdlib.h>\nint main(int c, char **v)\n"
                   "{ volatile int m = 2147483647;\n"
                   "  return (atoi(v[1]) + m) & 1; }\n")
    exe = tmp_path / "ub"
    subprocess.run(["gcc", "-fsanitize=undefined", "-o", str(exe), str(src)],
                   check=True)
    fake_suite(tmp_path, monkeypatch, f"""\
        import subprocess
        def test_runs_ub():
            subprocess.run([{str(exe)!r}, "5"], capture_output=True)
        def test_clean():
            subprocess.run([{str(exe)!r}, "-5"], capture_output=True)
        """)
    t = tally(monkeypatch, False)
    check.pytest_suite(t, "fake", "build")
    assert len(t.failures) == 1, t.failures
    assert t.failures[0].endswith("test_fake.test_runs_ub"), t.failures
    assert t.passed == 1


def test_reference_only_cases_counted_apart(tmp_path, monkeypatch):
    fake_suite(tmp_path, monkeypatch, """\
        import pytest
        @pytest.mark.reference
        def test_ref():
            pass
        def test_ours():
            pass
        """)
    t = tally(monkeypatch, False)
    check.pytest_suite(t, "fake", "build")
    assert (t.passed, t.ref_passed, t.failed) == (1, 1, 0)


def test_musl_without_tarballs_is_a_skip_never_a_pass(tmp_path, monkeypatch):
    """No pinned tarballs in DL_DIR: every musl step is a SKIP naming what
    is missing (a failure under CI), and nothing runs as if linked."""
    monkeypatch.setenv("DL_DIR", str(tmp_path))
    steps = []
    monkeypatch.setattr(check, "build_step",
                        lambda t, name, make, args: steps.append(args) or True)
    monkeypatch.setattr(check, "unit", lambda *a: pytest.fail("unit ran"))
    for ci in (False, True):
        t = tally(monkeypatch, ci)
        guests = ["x86_64", "armhf"]
        assert check.musl_builds(t, "make", "x86_64", guests) is None
        assert guests == ["x86_64", "armhf"]
        assert not any("rootfs" in a for a in steps)
        assert t.passed == 0
        if ci:
            assert t.failed == len(check.ARCHES) + 1
        else:
            assert t.skipped == len(check.ARCHES) + 1
            assert all("libmnl-1.0.4.tar.gz: missing" in s for s in t.allowed)


def test_sysroot_refuses_other_bytes(tmp_path):
    """A tarball that is not the pinned one stops the build with one line
    naming it; it is not a skip."""
    (tmp_path / "libmnl-1.0.4.tar.gz").write_bytes(b"not libmnl")
    r = subprocess.run([check.PYTHON, os.path.join(ROOT, "scripts", "sysroot"),
                        "--dl-dir", str(tmp_path), "--check-only"],
                       capture_output=True, text=True)
    assert r.returncode == 1
    line, = r.stderr.splitlines()
    assert "libmnl-1.0.4.tar.gz: sha256" in line and "refusing" in line


def test_time_table_names_each_suite(tmp_path, monkeypatch):
    """The summary ends with the wall time of every suite (a unit run, a
    pytest run), then of each phase and their total, in m:ss."""
    unit_dir = tmp_path / "build" / "tests" / "unit"
    unit_dir.mkdir(parents=True)
    script(unit_dir, "test_x", "echo 'ok 1 - a'\n")
    fake_suite(tmp_path, monkeypatch, "def test_a():\n    pass\n")
    t = tally(monkeypatch, False)
    with t.phase("first"):
        check.unit(t, "build")
        check.pytest_suite(t, "fake", "build")
    with t.phase("second"):
        pass
    lines = check.time_table(t)
    assert lines[0].startswith("time: wall time of each suite and phase")
    names = [ln[len("time: "):].rsplit(None, 1)[0].strip()
             for ln in lines[1:]]
    assert names == ["suite: unit: build", "suite: fake", "phase: first",
                     "phase: second", "total"]
    for ln in lines[1:]:
        assert re.fullmatch(r"time: .* +\d+:[0-5]\d", ln), ln
    assert len({len(ln) for ln in lines[1:]}) == 1, lines  # aligned


def test_time_of_a_run_ends_with_it(tmp_path, monkeypatch):
    """Of two pytest runs side by side, the one that ends first is timed
    to its own end, not to when the runner got round to collecting it."""
    fake_suite(tmp_path, monkeypatch, "def test_fast():\n    pass\n")
    flag = tmp_path / "go"
    (tmp_path / "tests" / "fake" / "test_slow.py").write_text(textwrap.dedent(
        f"""\
        import os
        import time
        def test_slow():
            end = time.monotonic() + 60
            while not os.path.exists({str(flag)!r}):
                assert time.monotonic() < end
                time.sleep(0.02)
        """))
    t = tally(monkeypatch, False)
    slow = check.pytest_start("fake", "build", "-slow",
                              files=["test_slow.py"], timed="slow")
    fast = check.pytest_start("fake", "build", "-fast",
                              files=["test_fake.py"], timed="fast")
    t_fast = time.monotonic()
    fast[1].wait()
    time.sleep(0.3)
    t_flag = time.monotonic()
    flag.write_text("")
    check.pytest_collect(t, slow)
    check.pytest_collect(t, fast)
    assert (t.passed, t.failed) == (2, 0)
    times = dict(t.suite_times)
    assert times["fast"] < t_flag - t_fast < times["slow"], times

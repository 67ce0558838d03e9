"""embnet, the one program of `make MULTICALL=1` (multicall/main.c): each
name runs its program, through a link of that name (any directory) or as
`embnet NAME ARGS`; an unknown name fails as busybox's do; and
`make install MULTICALL=1` puts embnet in /bin and each name where the
program of its own goes, as a relative link to it.

What the programs do is the other suites' business: pointed at a multicall
build (EMBNET_BUILD=build/x86_64-mc) they run embnet through BUILD/bin/NAME.
These tests need such a build and skip in any other.  With
EMBNET_SEPARATE_BUILD naming a build of the programs of their own, each
case's exit status, stdout and stderr must also be those of the program of
its own, started with the same argv[0]."""
import os
import shutil
import subprocess

import pytest

from conftest import BUILD, ROOT

EMBNET = os.path.join(BUILD, "bin", "embnet")
SEPARATE = os.environ.get("EMBNET_SEPARATE_BUILD")
ENV = dict(os.environ, ASAN_OPTIONS="detect_leaks=0")
SKIP = "not a multicall build: no bin/embnet (make MULTICALL=1)"

pytestmark = pytest.mark.skipif(not os.path.exists(EMBNET), reason=SKIP)

# Each name: the program of its own that it is, and where install puts it.
NAMES = {
    "dhcpc": ("dhcpc", "/sbin"),
    "dhcpc6": ("dhcpc6", "/sbin"),
    "ethtool": ("ethtool", "/usr/sbin"),
    "ifdown": ("ifup", "/sbin"),
    "ifquery": ("ifup", "/sbin"),
    "ifup": ("ifup", "/sbin"),
    "netperf": ("netperf", "/usr/bin"),
    "udhcpc": ("dhcpc", "/sbin"),
    "udhcpc6": ("dhcpc6", "/sbin"),
}

# name, args, exit status, stream and its first line ({argv0}: argv[0] as
# given; a final "*": what the line starts with, the rest being libc's).
# Messages carry each program's own name: "udhcpc" for dhcpc too.
CASES = [
    ("ifup", ["--help"], 0, "out", "Usage: ifup <options> <ifaces...>"),
    ("ifdown", ["--help"], 0, "out", "Usage: ifdown <options> <ifaces...>"),
    ("ifquery", ["-V"], 0, "out", "ifquery version 0.8.41 (embnet)"),
    ("ifdown", [], 1, "err", "ifdown: no interface(s) specified"),
    ("dhcpc", ["-t", "x"], 1, "err", "udhcpc: bad value for -t: 'x'"),
    ("udhcpc", ["-T", "x"], 1, "err", "udhcpc: bad value for -T: 'x'"),
    ("udhcpc", ["--bogus"], 1, "err", "{argv0}: unrecognized option*"),
    ("dhcpc6", ["-t", "x"], 1, "err", "udhcpc6: bad value for -t: 'x'"),
    ("udhcpc6", ["-r", "x"], 1, "err", "udhcpc6: bad value for -r: 'x'"),
    ("ethtool", ["--version"], 0, "out", "ethtool version 6.1"),
    ("ethtool", [], 1, "err", "ethtool: bad command line argument(s)"),
    ("netperf", ["-v"], 0, "out", "netperf 1.0 (iperf 3.12 compatible)"),
    ("netperf", [], 1, "err", "netperf: parameter error - must either be a "
     "client (-c) or server (-s)"),
]
CASE_IDS = [" ".join([n, *a]) for n, a, *_ in CASES]


def run(argv0, args, executable):
    """@executable started with argv @argv0 @args: (status, out, err)."""
    r = subprocess.run([argv0, *args], executable=executable, env=ENV,
                       capture_output=True, text=True, timeout=30)
    return r.returncode, r.stdout, r.stderr


def check(res, status, stream, first, argv0):
    rc, out, err = res
    text = out if stream == "out" else err
    first = first.format(argv0=argv0)
    line = text.splitlines()[0] if text else ""
    assert rc == status, res
    if first.endswith("*"):
        assert line.startswith(first[:-1]), res
    else:
        assert line == first, res


def test_list_is_every_name():
    for args in ([], ["--help"]):
        rc, out, err = run(EMBNET, args, EMBNET)
        assert (rc, err) == (0, ""), err
        assert out.startswith("Usage: embnet APPLET [ARGS...]\n"), out
        assert out.splitlines()[-1].split() == ["Applets:", *sorted(NAMES)]
    assert run(EMBNET, ["--list"], EMBNET) == \
        (0, "".join(n + "\n" for n in sorted(NAMES)), "")
    assert {n for n, *_ in CASES} == set(NAMES), "a name without a case"


@pytest.mark.parametrize("name", sorted(NAMES))
def test_build_link(name):
    assert os.readlink(os.path.join(BUILD, "bin", name)) == "embnet"


@pytest.mark.parametrize("name,args,status,stream,first", CASES, ids=CASE_IDS)
def test_name_runs_its_program(name, args, status, stream, first):
    """Through BUILD/bin/NAME, as every other suite runs it; the same as
    the program of its own given the same argv."""
    link = os.path.join(BUILD, "bin", name)
    res = run(link, args, link)
    check(res, status, stream, first, link)
    if SEPARATE:
        prog = os.path.join(SEPARATE, "bin", NAMES[name][0])
        assert res == run(link, args, prog)


@pytest.mark.parametrize("name,args,status,stream,first", CASES, ids=CASE_IDS)
def test_embnet_name_form(name, args, status, stream, first):
    """`embnet NAME ARGS` is NAME started as plain "NAME" (busybox's form);
    `embnet embnet NAME` too."""
    res = run(EMBNET, [name, *args], EMBNET)
    check(res, status, stream, first, name)
    assert run(name, args, EMBNET) == res
    assert run(EMBNET, ["embnet", name, *args], EMBNET) == res


@pytest.mark.parametrize("argv0", ["/x/y/udhcpc", "/sbin/ifdown"])
def test_argv0_with_directory(argv0):
    """The basename picks the program, which sees argv[0] whole (getopt's
    messages show it; ifup picks ifdown from its basename); the same as
    `embnet /x/y/NAME`."""
    cases = [c for c in CASES if c[0] == os.path.basename(argv0)]
    assert cases
    for _, args, status, stream, first in cases:
        res = run(argv0, args, EMBNET)
        check(res, status, stream, first, argv0)
        assert run(EMBNET, [argv0, *args], EMBNET) == res


def test_unknown_name():
    """One line and busybox's status, 127 (the shell's "not found")."""
    want = (127, "", "embnet: applet not found: nosuch\n")
    assert run("/x/y/nosuch", [], EMBNET) == want
    assert run(EMBNET, ["nosuch", "-h"], EMBNET) == want
    assert run(EMBNET, ["/x/nosuch"], EMBNET) == want
    assert run(EMBNET, ["--version"], EMBNET) == \
        (127, "", "embnet: applet not found: --version\n")
    busybox = shutil.which("busybox")
    if busybox:
        assert run(busybox, ["nosuch"], busybox)[0] == want[0]


def make_install(destdir, build, *args):
    """`make install` of @build (built already: -o all) into @destdir; the
    paths it made, relative to @destdir."""
    env = {k: v for k, v in os.environ.items()
           if k not in ("MAKEFLAGS", "MFLAGS", "MAKELEVEL")}
    subprocess.run(["make", "-s", "-C", ROOT, "-o", "all", f"BUILD={build}",
                    f"DESTDIR={destdir}", "MANDIR=", *args, "install"],
                   env=env, check=True, capture_output=True, timeout=120)
    return {os.path.relpath(os.path.join(dp, f), destdir)
            for dp, _, fs in os.walk(destdir) for f in fs}


@pytest.mark.parametrize("prefix,bindir", [("/usr", "/bin"),
                                           ("/usr/local", "/usr/local/bin")])
def test_install(tmp_path, prefix, bindir):
    """embnet once, in /bin (PREFIX/bin for another PREFIX), each name
    where the program of its own goes, as a link relative to its directory:
    it resolves inside DESTDIR as in the booted root."""
    def place(d):
        return d if prefix == "/usr" else prefix + d.removeprefix("/usr")

    dest = str(tmp_path / "root")
    got = make_install(dest, BUILD, "MULTICALL=1", f"PREFIX={prefix}")
    embnet = bindir + "/embnet"
    want = {embnet[1:]} | {place(d)[1:] + "/" + n
                           for n, (_, d) in NAMES.items()}
    assert got == want
    path = dest + embnet
    assert os.path.isfile(path) and not os.path.islink(path)
    assert os.access(path, os.X_OK)
    for n, (_, d) in NAMES.items():
        link = dest + place(d) + "/" + n
        assert os.readlink(link) == os.path.relpath(embnet, place(d))
        assert os.path.realpath(link) == os.path.realpath(path)
    res = run(dest + place("/sbin") + "/ifdown", ["--help"],
              dest + place("/sbin") + "/ifdown")
    assert res[1].startswith("Usage: ifdown "), res
    if SEPARATE and prefix == "/usr":
        sep = make_install(str(tmp_path / "separate"), SEPARATE)
        assert sep == got - {embnet[1:]}

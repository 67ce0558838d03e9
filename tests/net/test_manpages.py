"""The man pages (man/*.[158]) against the programs: each tool's --help
lists the same options as its page, no more and no fewer.

A page's options are the text of its `Fl` macros, read from mandoc's parse
tree (`mandoc -Ttree`), so `.Fl a , c` counts as -a and -c as the
rendered page shows them.  A tool's are the words of its --help output
that begin with "-" (a bracketed group of short flags, "[-fbq]", is
split into its letters).  ifup.8 covers ifup, ifdown and ifquery, whose
helps differ (-n and -f are not ifquery's, -l and --state only
ifquery's): the page is compared with the union of the three.

dhcpc and dhcpc6, as udhcpc and udhcpc6, have no --help: each prints its
usage on standard error and exits 1, which is what is read.  Also: every
program has a page, and `make install` puts the pages in MANDIR.  Needs
no root and no namespace."""
import os
import re
import shutil
import subprocess

import pytest

from conftest import BUILD, ROOT

MAN = os.path.join(ROOT, "man")
ENV = dict(os.environ, ASAN_OPTIONS="detect_leaks=0")

# page: the programs (BUILD/bin/NAME) whose --help it documents
PAGES = {
    "ifup.8": ["ifup", "ifdown", "ifquery"],
    "dhcpc.8": ["dhcpc", "udhcpc"],
    "dhcpc6.8": ["dhcpc6", "udhcpc6"],
    "embnet-ethtool.8": ["ethtool"],
    "netperf.1": ["netperf"],
}

OPT = re.compile(r"(?<![\w-])(--?[A-Za-z0-9][\w-]*)")


def page_options(page):
    """The options a page's Fl macros name, as "-x" and "--long"."""
    r = subprocess.run(["mandoc", "-Ttree", os.path.join(MAN, page)],
                       capture_output=True, text=True, check=True)
    opts, fl_indent = set(), None
    for line in r.stdout.splitlines():
        indent = len(line) - len(line.lstrip())
        if fl_indent is not None and indent <= fl_indent:
            fl_indent = None
        if re.match(r"\s*Fl \(elem\)", line):
            fl_indent = indent
        elif fl_indent is not None:
            m = re.match(r"\s*(\S+) \(text\)", line)
            if m and re.search(r"[A-Za-z0-9]", m.group(1)):
                opts.add("-" + m.group(1))
    return opts


def help_text(prog):
    """What `prog --help` prints on both streams, but getopt's complaint
    about --help (dhcpc's and dhcpc6's)."""
    r = subprocess.run([os.path.join(BUILD, "bin", prog), "--help"],
                       capture_output=True, text=True, env=ENV, timeout=30)
    return "".join(line for line in (r.stdout + r.stderr).splitlines(True)
                   if "unrecognized option" not in line)


def help_options(text):
    """The options a usage text names."""
    opts = set()
    for o in OPT.findall(text):
        if not o.startswith("--") and len(o) > 2:
            opts.update("-" + c for c in o[1:])  # [-fbqRS]
        else:
            opts.add(o)
    return opts


@pytest.fixture(scope="module", autouse=True)
def need_mandoc():
    if not shutil.which("mandoc"):
        pytest.skip("needs mandoc (make deps)")


def test_every_page_has_its_programs():
    """Each page here is in PAGES, and each program of the build has a
    page: a new page or program must join this test."""
    pages = {p for p in os.listdir(MAN) if re.search(r"\.[1-8]$", p)}
    assert pages - {"embnet-interfaces.5"} == set(PAGES)
    progs = {p for p in os.listdir(os.path.join(BUILD, "bin"))
             if p != "embnet"}
    assert progs <= {n for names in PAGES.values() for n in names}


@pytest.mark.parametrize("page", sorted(PAGES))
def test_help_lists_the_page_options(page):
    progs = [p for p in PAGES[page]
             if os.path.exists(os.path.join(BUILD, "bin", p))]
    if not progs:
        pytest.skip(f"no {PAGES[page][0]} in {BUILD}/bin")
    helped = set()
    for p in progs:
        text = help_text(p)
        assert text.strip(), f"{p} --help printed nothing"
        helped |= help_options(text)
    documented = page_options(page)
    assert not documented - helped, \
        f"on {page} but not in --help: {sorted(documented - helped)}"
    assert not helped - documented, \
        f"in --help but not on {page}: {sorted(helped - documented)}"


def make_install(destdir, *args):
    """`make install` of BUILD (built already: -o all) into @destdir; the
    paths under it that are man pages, each with its link target or
    None."""
    env = {k: v for k, v in os.environ.items()
           if k not in ("MAKEFLAGS", "MFLAGS", "MAKELEVEL")}
    mc = ["MULTICALL=1"] if os.path.exists(
        os.path.join(BUILD, "bin", "embnet")) else []
    subprocess.run(["make", "-s", "-C", ROOT, "-o", "all", f"BUILD={BUILD}",
                    f"DESTDIR={destdir}", *mc, *args, "install"], env=env,
                   check=True, capture_output=True, timeout=120)
    got = {}
    for dp, _, fs in os.walk(destdir):
        for f in fs:
            p = os.path.join(dp, f)
            if "/man/" in p:
                got[os.path.relpath(p, destdir)] = (
                    os.readlink(p) if os.path.islink(p) else None)
    return got


@pytest.mark.parametrize("prefix", ["/usr", "/usr/local"])
def test_install(tmp_path, prefix):
    """make install puts every page in PREFIX/share/man/manN, and ifdown,
    ifquery, udhcpc and udhcpc6 as links to their program's page; MANDIR=
    puts none (as scripts/mkrootfs installs into a guest)."""
    got = make_install(str(tmp_path / "root"), f"PREFIX={prefix}")
    man = prefix[1:] + "/share/man/"
    want = {man + "man" + p[-1] + "/" + p: None
            for p in list(PAGES) + ["embnet-interfaces.5"]}
    want.update({man + "man8/ifdown.8": "ifup.8",
                 man + "man8/ifquery.8": "ifup.8",
                 man + "man8/udhcpc.8": "dhcpc.8",
                 man + "man8/udhcpc6.8": "dhcpc6.8"})
    assert got == want
    page = tmp_path / "root" / man / "man8" / "ifup.8"
    assert page.read_text() == open(os.path.join(MAN, "ifup.8")).read()
    assert make_install(str(tmp_path / "none"), "MANDIR=") == {}

"""strerror() wording of the programs under test, for comparisons with a
reference tool built with another C library.

The reference (Debian's ethtool 6.1) prints glibc's strerror() texts; ours
prints its own C library's, and musl's differ ("Not supported" for glibc's
"Operation not supported", "No error information" for "Success", ...).
That is a legitimate difference, so the comparison is kept exact: the
reference's output is reworded, message by message, into the text our
program's C library gives for the same errno, and then compared as is.

Our wording comes from `nltool util strerror` (errno 0..200), which is
built with the same C library as the programs under test; glibc's from
os.strerror(): this Python is linked with the system's glibc, the one the
reference uses.  Built with glibc too, nothing is reworded.
"""
import functools
import os
import platform
import re
import subprocess

from conftest import BUILD


@functools.lru_cache(maxsize=None)
def _ours(build):
    """{errno: text} as @build's C library words it."""
    out = subprocess.run([os.path.join(build, "tests", "nltool"), "util",
                          "strerror"], capture_output=True, text=True,
                         check=True).stdout
    return {int(n): text for n, _, text in
            (line.partition("\t") for line in out.splitlines())}


def strerror(n, build=BUILD):
    """strerror(@n) as the programs of @build print it."""
    return _ours(build)[n]


@functools.lru_cache(maxsize=None)
def _rewording(build):
    """(compiled pattern, {glibc text: ours}) for the texts that differ."""
    if platform.libc_ver()[0] != "glibc":
        raise RuntimeError("libc_text: this Python is not glibc's, so "
                           "os.strerror() does not speak for the reference")
    table = {}
    for n, ours in _ours(build).items():
        glibc = os.strerror(n)
        if glibc != ours and table.setdefault(glibc, ours) != ours:
            raise RuntimeError(f"libc_text: {glibc!r} has two rewordings")
    if not table:
        return None, table
    # Whole messages only, each after ": " (as perror(), %m and ethtool's
    # "netlink error: %s" print them) up to the end of its line: so "No
    # such device" is not taken for the start of "No such device or
    # address", and glibc's "Too many references: cannot splice" is taken
    # whole (the leftmost start wins), not from its inner ": ".  The
    # alternatives go longest first, so that of a message and its prefix
    # the whole one is tried first.  One pass: a reworded text is never
    # reworded again (musl's text for one errno may be glibc's for another).
    alts = sorted(table, key=lambda t: (-len(t), t))
    pattern = re.compile("(?<=: )(?:%s)$" % "|".join(map(re.escape, alts)),
                         re.M)
    return pattern, table


def reword(text, build=BUILD):
    """@text (the reference's stdout or stderr) with each glibc strerror()
    message in the wording of @build's C library."""
    pattern, table = _rewording(build)
    if pattern is None or not text:
        return text
    return pattern.sub(lambda m: table[m.group(0)], text)


def as_ours(result, build=BUILD):
    """(stdout, stderr, rc) of the reference, both texts reworded."""
    out, err, rc = result
    return reword(out, build), reword(err, build), rc

"""Starting a netperf or iperf3 server and knowing it listens: the one
helper of tests/net (through nplib), tests/bench (bench_netperf*,
bench_musl) and tests/qemu (scripts/qemu-run's tap network).

Server(exe, port, ARGS) runs `EXE -s -p PORT ARGS [-1]`, optionally under
a wrapper (strace, qemu-user, a launcher) and in a named network namespace,
and returns once the server itself (or a child of it) listens on the port;
if it exits first or never listens, it is killed and the start fails.  Its
output is collected by threads (wait_line(), output()) or goes to a file
(@log).  finish() waits for its end and keeps its CPU time (cpu).

This module imports nothing of the tests (no conftest, no pytest), so the
bench and scripts/qemu-run can use it: they put this directory on
sys.path."""
import os
import re
import socket
import subprocess
import threading
import time

# How long to wait for an event that comes within milliseconds on an idle
# machine: only a hang takes this long.
READY_TIMEOUT = 30.0


def free_port():
    """A TCP port the kernel has free now on 127.0.0.1."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def in_netns(ns, argv):
    """@argv run in network namespace @ns (None: this one)."""
    return ["ip", "netns", "exec", ns, *argv] if ns else list(argv)


def _descends(pid, root):
    """True if process @pid is @root or a descendant of it."""
    for _ in range(8):
        if pid == root:
            return True
        try:
            with open(f"/proc/{pid}/stat") as f:
                pid = int(f.read().rsplit(")", 1)[1].split()[1])
        except (OSError, ValueError, IndexError):
            return False
        if pid <= 1:
            return False
    return False


def _ss(p, ns, with_pids):
    argv = ["ss", "-Hltn" + ("p" if with_pids else ""), f"sport = :{p}"]
    return subprocess.run(in_netns(ns, argv), capture_output=True, text=True,
                          timeout=READY_TIMEOUT).stdout


def wait_port(p, proc=None, ns=None, timeout=READY_TIMEOUT):
    """Waits until something listens on TCP port @p (ss, no connection,
    so a one-off server is not consumed), in this thread's namespace or
    in the named @ns.  With @proc (a Popen), fails at once if it exits
    first, and checks that the listener is @proc or one of its children
    (a server under strace or ip netns exec)."""
    end = time.monotonic() + timeout
    while True:
        if proc is not None and proc.poll() is not None:
            raise AssertionError(f"server exited ({proc.returncode}) "
                                 f"before listening on port {p}")
        if _ss(p, ns, False).strip():
            break
        if time.monotonic() > end:
            raise TimeoutError(f"nothing listens on port {p}")
        time.sleep(0.02)
    if proc is None:
        return
    pids = [int(x) for x in re.findall(r"pid=(\d+)", _ss(p, ns, True))]
    assert any(_descends(x, proc.pid) for x in pids), \
        f"port {p} is held by {pids}, not by server {proc.pid}"


class Proc:
    """A background program whose output threads collect, so that the
    test can wait for a line with a timeout and never blocks on a pipe;
    with @log (a path), stdout and stderr go to that file instead."""

    def __init__(self, argv, env=None, merge=False, preexec_fn=None,
                 log=None):
        self.argv = argv
        self.log = log
        self.cpu = None           # user + system seconds, once reaped
        self._out, self._err = [], []
        self._cv = threading.Condition()
        self._threads = []
        if log:
            with open(log, "wb") as f:
                self.proc = subprocess.Popen(
                    argv, stdin=subprocess.DEVNULL, stdout=f,
                    stderr=subprocess.STDOUT, env=env, preexec_fn=preexec_fn)
            self.pid = self.proc.pid
            return
        self.proc = subprocess.Popen(
            argv, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT if merge else subprocess.PIPE,
            text=True, errors="replace", env=env, preexec_fn=preexec_fn)
        self.pid = self.proc.pid
        self._threads = [threading.Thread(target=self._read, daemon=True,
                                          args=(self.proc.stdout, self._out))]
        if not merge:
            self._threads.append(threading.Thread(
                target=self._read, daemon=True,
                args=(self.proc.stderr, self._err)))
        for t in self._threads:
            t.start()

    def _read(self, f, lines):
        for ln in f:
            with self._cv:
                lines.append(ln)
                self._cv.notify_all()
        with self._cv:
            lines.append(None)    # EOF
            self._cv.notify_all()

    def output(self):
        """(stdout, stderr) so far; with a log, (the log, "")."""
        if self.log:
            try:
                with open(self.log, errors="replace") as f:
                    return f.read(), ""
            except FileNotFoundError:
                return "", ""
        with self._cv:
            return ("".join(x for x in self._out if x is not None),
                    "".join(x for x in self._err if x is not None))

    def wait_line(self, regex, timeout=READY_TIMEOUT, stderr=False, nth=1):
        """The @nth output line matching @regex (a re.Match), waiting for
        it at most @timeout seconds; fails on a timeout or at EOF."""
        assert not self.log, "wait_line() reads pipes, not a log"
        rx = re.compile(regex)
        lines = self._err if stderr else self._out
        end = time.monotonic() + timeout
        with self._cv:
            i = 0
            while True:
                while i < len(lines):
                    if lines[i] is None:
                        raise AssertionError(
                            f"{self.argv[0]} ended without {regex!r}:\n"
                            + "".join(self.output()))
                    m = rx.search(lines[i])
                    i += 1
                    if m:
                        nth -= 1
                        if not nth:
                            return m
                left = end - time.monotonic()
                if left <= 0:
                    raise TimeoutError(f"no {regex!r} in {timeout} s:\n"
                                       + "".join(self.output()))
                self._cv.wait(left)

    def _reap(self, timeout):
        """Waits at most @timeout seconds for the exit, keeping the CPU
        time wait4() reports; True once it has exited."""
        end = time.monotonic() + timeout
        while self.proc.returncode is None:
            try:
                pid, status, ru = os.wait4(self.pid, os.WNOHANG)
            except ChildProcessError:     # reaped by Popen meanwhile
                self.proc.wait()
                break
            if pid:
                self.proc.returncode = os.waitstatus_to_exitcode(status)
                self.cpu = ru.ru_utime + ru.ru_stime
                break
            if time.monotonic() > end:
                return False
            time.sleep(0.01)
        return True

    def finish(self, timeout=READY_TIMEOUT):
        """Waits for the exit; returns (returncode, stdout, stderr).  A
        program still running after @timeout is killed and fails."""
        if not self._reap(timeout):
            self.kill()
            out, err = self.output()
            raise AssertionError(f"{self.argv[0]} did not finish in "
                                 f"{timeout} s: {out[-3000:]}\n{err}")
        for t in self._threads:
            t.join(timeout)
        return (self.proc.returncode, *self.output())

    def kill(self):
        if self.proc.poll() is None:
            self.proc.kill()
        self.proc.wait()
        for t in self._threads:
            t.join(5)

    def signal(self, sig):
        self.proc.send_signal(sig)


class Server(Proc):
    """`EXE -s -p P ARGS` (-1 unless @one_off is false), once it listens.
    @exe is a path or an argv (qemu-arm-static PATH); @wrap is put before
    the command line (strace, a launcher), @ns runs it all in that named
    network namespace (ip netns exec)."""

    def __init__(self, exe, p, *args, one_off=True, wrap=(), ns=None,
                 env=None, merge=False, preexec_fn=None, log=None):
        exe = [exe] if isinstance(exe, str) else list(exe)
        argv = [*exe, "-s", "-p", str(p), *args]
        if one_off:
            argv.append("-1")
        super().__init__(in_netns(ns, [*wrap, *argv]), env=env, merge=merge,
                         preexec_fn=preexec_fn, log=log)
        self.port = p
        try:
            wait_port(p, self.proc, ns)
        except BaseException:
            self.kill()
            raise

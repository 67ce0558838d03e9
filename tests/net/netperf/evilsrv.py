"""A scripted hostile iperf3 server for the client tests
(test_netperf_hostile_server.py): it plays the control protocol as a
script of steps, in a thread, on one port of the test's namespace.

Steps (tuples):
  ("state", n)        send state byte n (signed)
  ("bytes", b)        send raw bytes
  ("params",)         read the client's length-prefixed parameter JSON
  ("streams", k)      accept k data connections and read their cookies
  ("read_state", n)   wait for the client's state byte n (TEST_END...)
  ("results",)        read the client's results JSON
  ("readable",)       wait until the client has written (TEST_END), and
                      read nothing
  ("flood", b)        send b again and again until the client goes away
  ("close",)          close the control and every data connection
  ("trickle", n, s)   read n bytes of the control connection every s
                      seconds until the client goes away
  ("hold",)           keep everything open, read nothing, until the client
                      goes away (end of file on the control connection is
                      never read either: see stop())
The control connection's cookie is read first unless @read_cookie is
false.  With @deaf, the listener gets the smallest receive buffer and MSS
so that what the client writes and nobody reads fills up quickly.
`sent` counts the bytes the script sent, `log` records what it read."""
import json
import select
import socket
import struct
import threading

COOKIE_LEN = 37

PARAM_EXCHANGE, CREATE_STREAMS, TEST_START, TEST_RUNNING = 9, 10, 1, 2
TEST_END, EXCHANGE_RESULTS, DISPLAY_RESULTS = 4, 13, 14
SERVER_ERROR = -2


def results_json(n_streams=1, **extra):
    """A plausible results JSON of the server for @n_streams streams."""
    ids = [1] + list(range(3, n_streams + 2))
    r = {"cpu_util_total": 1.0, "cpu_util_user": 0.5,
         "cpu_util_system": 0.5, "sender_has_retransmits": -1,
         "congestion_used": "cubic",
         "streams": [{"id": i, "bytes": 1000, "retransmits": -1,
                      "jitter": 0, "errors": 0, "packets": 0,
                      "start_time": 0, "end_time": 1.0} for i in ids]}
    r.update(extra)
    return json.dumps(r).encode()


def framed(js):
    return struct.pack(">I", len(js)) + js


def _read_exact(c, n):
    b = b""
    while len(b) < n:
        x = c.recv(n - len(b))
        if not x:
            raise EOFError
        b += x
    return b


class EvilServer:
    def __init__(self, port, script, read_cookie=True, deaf=False,
                 timeout=30.0):
        self.port, self.script = port, script
        self.read_cookie, self.timeout = read_cookie, timeout
        self.sent, self.log, self.error = 0, [], None
        self.ctrl, self.data = None, []
        self._stop = socket.socketpair()
        self.ls = socket.socket()
        self.ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        if deaf:
            self.ls.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 1)
            self.ls.setsockopt(socket.IPPROTO_TCP, socket.TCP_MAXSEG, 88)
        self.ls.bind(("127.0.0.1", port))
        self.ls.listen(512)
        self.done = threading.Event()
        self.th = threading.Thread(target=self._run, daemon=True)
        self.th.start()

    def _accept(self):
        r, _, _ = select.select([self.ls, self._stop[0]], [], [],
                                self.timeout)
        if self.ls not in r:
            raise TimeoutError("no connection")
        c, _ = self.ls.accept()
        c.settimeout(self.timeout)
        return c

    def _send(self, b):
        self.ctrl.sendall(b)
        self.sent += len(b)

    def _step(self, step):
        op, *a = step
        c = self.ctrl
        if op == "state":
            self._send(struct.pack("b", a[0]))
        elif op == "bytes":
            self._send(a[0])
        elif op == "params":
            n = struct.unpack(">I", _read_exact(c, 4))[0]
            self.log.append(("params", json.loads(_read_exact(c, n))))
        elif op == "streams":
            for _ in range(a[0]):
                d = self._accept()
                self.data.append(d)
                _read_exact(d, COOKIE_LEN)
        elif op == "read_state":
            while struct.unpack("b", _read_exact(c, 1))[0] != a[0]:
                pass
        elif op == "readable":       # the client wrote: read nothing
            select.select([c], [], [], self.timeout)
        elif op == "results":
            n = struct.unpack(">I", _read_exact(c, 4))[0]
            self.log.append(("results", json.loads(_read_exact(c, n))))
        elif op == "flood":
            while True:        # until EPIPE/ECONNRESET: the client left
                self._send(a[0])
        elif op == "close":
            self.close_conns()
        elif op == "trickle":
            while not select.select([self._stop[0]], [], [], a[1])[0]:
                if not c.recv(a[0]):
                    break
        elif op == "hold":
            select.select([self._stop[0]], [], [], self.timeout)

    def _run(self):
        try:
            self.ctrl = self._accept()
            if self.read_cookie:
                _read_exact(self.ctrl, COOKIE_LEN)
            for step in self.script:
                self._step(step)
        except (OSError, EOFError, TimeoutError) as e:
            self.error = e
        finally:
            self.done.set()

    def close_conns(self):
        for d in self.data:
            d.close()
        self.data = []
        if self.ctrl:
            self.ctrl.close()
            self.ctrl = None

    def stop(self):
        self._stop[1].send(b"x")
        self.th.join(self.timeout)
        self.close_conns()
        self.ls.close()
        for s in self._stop:
            s.close()

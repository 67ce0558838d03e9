"""A scripted DHCPv6 server for tests: `fakesrv6.py IFACE CASE`.

Answers Solicit with an Advertise and Request/Renew/Rebind with a Reply
for fd00:77::60, then lets CASE damage or change them: the cases real
servers never send (wrong option lengths, control bytes in names, T1 > T2,
zero lifetimes, failure statuses).  Logs "got TYPE DST SERVERID-HEX" for
each message received; prints "ready" once its socket is bound."""
import socket
import struct
import sys

IFACE, CASE = sys.argv[1], sys.argv[2]
ADDR = socket.inet_pton(socket.AF_INET6, "fd00:77::60")
SRV = socket.inet_pton(socket.AF_INET6, "fd00:77::1")
DNS = socket.inet_pton(socket.AF_INET6, "fd00:77::53")
SID = bytes.fromhex("000300010200000000aa")
SID2 = bytes.fromhex("000300010200000000bb")
NAMES = {1: "SOLICIT", 3: "REQUEST", 5: "RENEW", 6: "REBIND", 8: "RELEASE",
         9: "DECLINE", 11: "INFORMATION-REQUEST", 4: "CONFIRM"}


def opt(code, data):
    return struct.pack(">HH", code, len(data)) + data


def dname(*names):
    out = b""
    for n in names:
        for label in n.split(b"."):
            out += bytes([len(label)]) + label
        out += b"\0"
    return out


def parse(buf):
    """(type, xid, {code: value of its first instance})"""
    opts, i = {}, 4
    while i + 4 <= len(buf):
        code, ln = struct.unpack(">HH", buf[i:i + 4])
        opts.setdefault(code, buf[i + 4:i + 4 + ln])
        i += 4 + ln
    return buf[0], buf[1:4], opts


def ia_na(iaid, t1=30, t2=48, pref=60, valid=90, status=None, addr=True):
    inner = b""
    if addr:
        inner += opt(5, ADDR + struct.pack(">II", pref, valid))
    if status is not None:
        inner += opt(13, struct.pack(">H", status) + b"status")
    return opt(3, iaid + struct.pack(">II", t1, t2) + inner)


def answer(mtype, xid, o, state):
    """The reply to one message: (bytes or None)."""
    iaid = o.get(3, b"\0" * 4)[:4]
    rtype = 2 if mtype == 1 else 7
    sid = SID
    ia = ia_na(iaid)
    extra = opt(23, DNS) + opt(24, dname(b"lab.test"))
    if CASE == "badlen":
        extra = (opt(23, DNS + b"\1") + opt(7, b"\0\0") + opt(13, b"\0") +
                 opt(24, dname(b"lab.test")))
    elif CASE == "ctrl":
        extra = (opt(24, dname(b"ok.test", b"bad\nname.test",
                               b"x\x01y.test")) +
                 opt(41, b"EST5\x1b[31m") + opt(59, b"tftp://x/$(id)`id`"))
    elif CASE == "compress":
        extra = opt(24, dname(b"lab.test") + b"\x01a\xc0\x00")
    elif CASE == "t1gtt2" and rtype == 7:
        ia = ia_na(iaid, t1=100, t2=50)
    elif CASE == "zerolife":
        ia = ia_na(iaid, valid=0, pref=0)
    elif CASE == "prefgtvalid":
        ia = ia_na(iaid, pref=100, valid=50)
    elif CASE == "notonlink" and mtype == 3:
        ia = ia_na(iaid, status=4, addr=False)
    elif CASE == "nobinding" and mtype == 5:
        ia = ia_na(iaid, status=3, addr=False)
    elif CASE == "unicast" and rtype == 7:
        extra += opt(12, SRV)
    elif CASE == "rapid" and mtype == 1 and 14 in o:
        rtype = 7
        extra += opt(14, b"")
    elif CASE == "rebind" and rtype == 7:
        if mtype == 5:
            return None  # the server is gone for Renews
        ia = ia_na(iaid, t1=2, t2=6, pref=8, valid=8)
    if mtype == 4:
        st = 4 if CASE == "confirm_notonlink" else 0
        return bytes([7]) + xid + opt(1, o[1]) + opt(2, sid) + \
            opt(13, struct.pack(">H", st) + b"confirm")
    if mtype in (8, 9):
        return bytes([7]) + xid + opt(1, o[1]) + opt(2, sid) + \
            opt(13, b"\0\0")
    return bytes([rtype]) + xid + opt(1, o[1]) + opt(2, sid) + ia + extra


def main():
    s = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_BINDTODEVICE, IFACE.encode())
    s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_RECVPKTINFO, 1)
    idx = socket.if_nametoindex(IFACE)
    s.bind(("::", 547))
    mreq = socket.inet_pton(socket.AF_INET6, "ff02::1:2") + \
        struct.pack("@I", idx)
    s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_JOIN_GROUP, mreq)
    print("ready", flush=True)
    state = {}
    while True:
        buf, anc, _, src = s.recvmsg(4096, 256)
        dst = "?"
        for lvl, typ, data in anc:
            if lvl == socket.IPPROTO_IPV6 and typ == socket.IPV6_PKTINFO:
                dst = socket.inet_ntop(socket.AF_INET6, data[:16])
        mtype, xid, o = parse(buf)
        oro = o.get(6, b"")
        print("got", NAMES.get(mtype, str(mtype)), dst,
              o.get(2, b"").hex() or "-",
              "oro=" + ",".join(str(c) for c in
                                struct.unpack(">%dH" % (len(oro) // 2), oro)),
              "opts=" + ",".join(f"{c}:{v.hex()}" for c, v in sorted(o.items())
                                 if c not in (1, 2, 3, 6, 8, 25)),
              flush=True)
        if 1 not in o:
            continue
        if CASE == "pref" and mtype == 1:
            # two servers: the better one answers second
            iaid = o.get(3, b"\0" * 4)[:4]
            for sid, pref in ((SID, 10), (SID2, 200)):
                s.sendto(bytes([2]) + xid + opt(1, o[1]) + opt(2, sid) +
                         opt(7, bytes([pref])) + ia_na(iaid), src)
            continue
        r = answer(mtype, xid, o, state)
        if r:
            s.sendto(r, src)


main()

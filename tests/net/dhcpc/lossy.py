"""A lossy wire between two interfaces: `lossy.py IF_A IF_B PERCENT SEED`.

The host kernel has no sch_netem, gact or netfilter, and DHCP clients send
and receive on AF_PACKET sockets, which netfilter never sees anyway; so the
loss is made at layer 2.  Every frame that arrives on one interface is sent
out of the other unless a random.Random(SEED) draw drops it (each direction
has its own generator, so the drops depend only on each side's frame
order).  Prints "ready" once its sockets are bound, one line per dropped
frame and a summary at exit."""
import random
import select
import signal
import socket
import struct
import sys

PACKET_OUTGOING = 4
ETH_P_ALL = 0x0003
SOL_PACKET, PACKET_AUXDATA = 263, 8
TP_STATUS_CSUMNOTREADY = 8


def csum(b):
    if len(b) % 2:
        b += b"\0"
    s = sum(struct.unpack(">%dH" % (len(b) // 2), b))
    while s >> 16:
        s = (s & 0xffff) + (s >> 16)
    return ~s & 0xffff


def fix_udp(f):
    """A veth peer hands frames over with the UDP checksum left to the
    hardware (CHECKSUM_PARTIAL); sent on again through AF_PACKET it would
    arrive wrong, so complete it here."""
    if len(f) < 42 or f[12:14] != b"\x08\x00" or f[23] != 17:
        return f
    ihl = (f[14] & 15) * 4
    tot = struct.unpack(">H", f[16:18])[0]
    udp = bytearray(f[14 + ihl:14 + tot])
    udp[6:8] = b"\0\0"
    pseudo = f[26:34] + struct.pack(">BBH", 0, 17, len(udp))
    c = csum(pseudo + bytes(udp)) or 0xffff
    udp[6:8] = struct.pack(">H", c)
    return f[:14 + ihl] + bytes(udp) + f[14 + tot:]


def partial(anc):
    for level, typ, data in anc:
        if level == SOL_PACKET and typ == PACKET_AUXDATA and len(data) >= 4:
            return struct.unpack("=I", data[:4])[0] & TP_STATUS_CSUMNOTREADY
    return False


def main():
    a, b, pct, seed = sys.argv[1], sys.argv[2], float(sys.argv[3]), sys.argv[4]
    socks = {}
    for name in (a, b):
        s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW,
                          socket.htons(ETH_P_ALL))
        s.bind((name, 0))
        s.setsockopt(SOL_PACKET, PACKET_AUXDATA, 1)
        socks[name] = s
    peer = {a: socks[b], b: socks[a]}
    rng = {a: random.Random(seed + a), b: random.Random(seed + b)}
    n = {"fwd": 0, "drop": 0}
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    print("ready", flush=True)
    try:
        while True:
            r, _, _ = select.select(list(socks.values()), [], [])
            for s in r:
                f, anc, _, addr = s.recvmsg(65536, socket.CMSG_SPACE(32))
                if addr[2] == PACKET_OUTGOING:
                    continue  # our own copy of a frame we forwarded
                if rng[addr[0]].random() * 100 < pct:
                    n["drop"] += 1
                    print(f"drop {addr[0]} {len(f)} {f[12:14].hex()}",
                          flush=True)
                    continue
                n["fwd"] += 1
                peer[addr[0]].send(fix_udp(f) if partial(anc) else f)
    finally:
        print(f"forwarded {n['fwd']} dropped {n['drop']}", flush=True)


if __name__ == "__main__":
    main()

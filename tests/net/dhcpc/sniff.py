"""Records every DHCP and ARP frame on an interface:
`sniff.py IFACE OUT CTL`.

Each frame seen (received or sent by the host on IFACE) becomes one JSON
line in OUT with the kernel's receive timestamp, the Ethernet, IP and UDP
headers and, for DHCP, every BOOTP field and the options in wire order:
the tests compare what two clients sent field by field.  Prints "ready"
once the socket is bound: a frame sent after that is recorded.

A datagram N sent to the Unix socket CTL makes it send a marker frame out
of IFACE, and write {"sync": N} when its own capture reaches it: every
frame the kernel had handed to the capture before, is in OUT by then (a
reader that waits for its marker does not race the sniffer)."""
import json
import select
import socket
import struct
import sys

ETH_P_SYNC = 0x88b5  # IEEE 802 local experimental
SYNC = b"embnet-sync "

ETH_P_ALL = 0x0003
PACKET_OUTGOING = 4
SO_TIMESTAMPNS = getattr(socket, "SO_TIMESTAMPNS", 35)


def ip4(b):
    return socket.inet_ntoa(bytes(b))


def dhcp_options(b):
    """[[code, hex]] in wire order, the END's offset or None, and the bytes
    after END."""
    out, i = [], 0
    while i < len(b):
        code = b[i]
        if code == 0:
            out.append([0, ""])
            i += 1
            continue
        if code == 255:
            return out, i, b[i + 1:]
        if i + 1 >= len(b):
            out.append([code, None])
            break
        n = b[i + 1]
        out.append([code, b[i + 2:i + 2 + n].hex()])
        i += 2 + n
    return out, None, b""


def parse(f):
    if f[12:14] == struct.pack(">H", ETH_P_SYNC) and f[14:].startswith(SYNC):
        return {"sync": int(f[14 + len(SYNC):].split(b"\0")[0])}
    r = {"eth_dst": f[0:6].hex(), "eth_src": f[6:12].hex(),
         "ethertype": f[12:14].hex(), "len": len(f)}
    if f[12:14] == b"\x08\x06" and len(f) >= 42:
        a = f[14:42]
        r["arp"] = {"op": a[7], "sha": a[8:14].hex(), "spa": ip4(a[14:18]),
                    "tha": a[18:24].hex(), "tpa": ip4(a[24:28])}
        return r
    if f[12:14] != b"\x08\x00" or len(f) < 34:
        return None
    ihl = (f[14] & 15) * 4
    tot, ident, frag = struct.unpack(">HHH", f[16:22])
    r["ip"] = {"ihl": ihl, "tos": f[15], "tot_len": tot, "id": ident,
               "frag": frag, "ttl": f[22], "proto": f[23],
               "src": ip4(f[26:30]), "dst": ip4(f[30:34])}
    if f[23] != 17 or len(f) < 14 + ihl + 8:
        return r
    u = 14 + ihl
    sport, dport, ulen, ucsum = struct.unpack(">HHHH", f[u:u + 8])
    r["udp"] = {"sport": sport, "dport": dport, "len": ulen}
    d = f[u + 8:u + ulen]
    if len(d) < 240 or d[236:240] != b"\x63\x82\x53\x63":
        return r  # not DHCP (any ports: -P moves them)
    (op, htype, hlen, hops, xid, secs, flags) = struct.unpack(">BBBBIHH",
                                                              d[:12])
    opts, end, pad = dhcp_options(d[240:])
    r["dhcp"] = {
        "op": op, "htype": htype, "hlen": hlen, "hops": hops, "xid": xid,
        "secs": secs, "flags": flags, "ciaddr": ip4(d[12:16]),
        "yiaddr": ip4(d[16:20]), "siaddr": ip4(d[20:24]),
        "giaddr": ip4(d[24:28]), "chaddr": d[28:44].hex(),
        "sname": d[44:108].hex(), "file": d[108:236].hex(),
        "cookie": d[236:240].hex(), "options": opts, "end": end,
        "pad": len(pad), "pad_zero": not pad.strip(b"\0"),
        "size": len(d)}
    for code, val in opts:
        if code == 53 and val:
            r["type"] = int(val[:2], 16)
    return r


def main():
    ifname, out, ctl_path = sys.argv[1:4]
    s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW,
                      socket.htons(ETH_P_ALL))
    s.setsockopt(socket.SOL_SOCKET, SO_TIMESTAMPNS, 1)
    s.bind((ifname, 0))
    # markers go out through another socket: a packet socket does not see
    # what it sends itself
    tx = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
    tx.bind((ifname, 0))
    mac = tx.getsockname()[4][:6]
    ctl = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    ctl.bind(ctl_path)
    rec = open(out, "a", buffering=1)
    print("ready", flush=True)
    while True:
        ready, _, _ = select.select([s, ctl], [], [])
        if ctl in ready:
            n = ctl.recv(64)
            tx.send((b"\xff" * 6 + mac + struct.pack(">H", ETH_P_SYNC) + SYNC +
                     n).ljust(60, b"\0"))
        if s not in ready:
            continue
        f, anc, _, addr = s.recvmsg(65536, socket.CMSG_SPACE(16))
        t = None
        for level, typ, data in anc:
            if level == socket.SOL_SOCKET and typ == SO_TIMESTAMPNS:
                sec, nsec = struct.unpack("qq", data[:16])
                t = sec + nsec / 1e9
        r = parse(f)
        if r is None:
            continue
        r["t"] = t
        r["out"] = addr[2] == PACKET_OUTGOING
        rec.write(json.dumps(r) + "\n")


if __name__ == "__main__":
    main()

"""A hostile DHCP server for tests: `fakesrv.py IFACE CASE`.

Answers DISCOVER with an OFFER and REQUEST with an ACK of 10.77.0.60 from
10.77.0.1, then lets CASE damage the reply: options, BOOTP fields, or the
IP/UDP headers (frames are sent whole through AF_PACKET); a CASE it does
not know (e.g. "plain") leaves the reply whole.  Prints "ready" once its
socket is bound."""
import socket
import struct
import sys

SRV = socket.inet_aton("10.77.0.1")
YI = socket.inet_aton("10.77.0.60")


def opt(code, data):
    return bytes([code, len(data)]) + data


def ip4(s):
    return socket.inet_aton(s)


def base_opts(mtype, lease=60):
    return [opt(53, bytes([mtype])), opt(54, SRV),
            opt(51, struct.pack(">I", lease)), opt(1, ip4("255.255.255.0")),
            opt(3, ip4("10.77.0.1")), opt(6, ip4("10.77.0.53"))]


def bootp(req, yiaddr=YI, op=2, xid=None, chaddr=None, sname=b"", file=b""):
    h = struct.pack(">BBBBIHH4s4s4s4s16s64s128sI", op, 1, 6, 0,
                    xid if xid is not None else req["xid"], 0, 0,
                    b"\0" * 4, yiaddr, b"\0" * 4, b"\0" * 4,
                    chaddr or req["chaddr"], sname, file, 0x63825363)
    return h


def csum(b):
    if len(b) % 2:
        b += b"\0"
    s = sum(struct.unpack(">%dH" % (len(b) // 2), b))
    while s >> 16:
        s = (s & 0xffff) + (s >> 16)
    return ~s & 0xffff


def frame(payload, tot_fix=None, udp_len_fix=None, bad_ip_csum=False,
          bad_udp_csum=False, ihl=5):
    udp_len = udp_len_fix if udp_len_fix is not None else 8 + len(payload)
    opts = b"\0" * (4 * (ihl - 5))
    tot = tot_fix if tot_fix is not None else 20 + len(opts) + 8 + len(payload)
    src, dst = SRV, b"\xff\xff\xff\xff"
    iph = struct.pack(">BBHHHBBH4s4s", 0x40 | ihl, 0, tot, 0, 0, 64, 17, 0,
                      src, dst) + opts
    iph = iph[:10] + struct.pack(">H", csum(iph) ^ (1 if bad_ip_csum else 0)) + iph[12:]
    udp = struct.pack(">HHHH", 67, 68, udp_len, 0) + payload
    pseudo = src + dst + struct.pack(">BBH", 0, 17, len(udp))
    c = csum(pseudo + udp) or 0xffff
    if bad_udp_csum:
        c ^= 0x5a5a
    udp = udp[:6] + struct.pack(">H", c) + udp[8:]
    return iph + udp


def reply(req, mtype, case):
    """(payload, frame kwargs) for this case."""
    opts = base_opts(mtype)
    kw, b = {}, {}
    end = b"\xff"
    if case == "trunc_opt":
        opts.append(b"\x0c\x40abc")
        end = b""
    elif case == "no_end":
        end = b""
    elif case == "short_subnet":
        opts[3] = opt(1, b"\xff\xff\xff")
    elif case == "short_lease":
        opts[2] = opt(51, b"\x00\x10")
    elif case == "short_serverid":
        opts[1] = opt(54, b"\x0a\x4d")
    elif case == "overload_loop":
        opts.append(opt(52, b"\x01"))
        b["file"] = opt(52, b"\x01") + b"\xff"
    elif case == "overload_zero":
        opts.append(opt(52, b"\x00"))
    elif case == "overload_ok":
        opts.append(opt(52, b"\x03"))
        b["file"] = opt(15, b"lab") + b"\xff"
        b["sname"] = opt(15, b".test") + b"\xff"
    elif case == "split_routes":
        r = b"".join(bytes([24, 10, i // 256, i % 256]) + ip4("10.77.0.1")
                     for i in range(60))
        opts += [opt(121, r[i:i + 200]) for i in range(0, len(r), 200)]
    elif case == "dname_loop":
        opts.append(opt(119, b"\x01a\xc0\x00"))
    elif case == "dname_forward":
        opts.append(opt(119, b"\xc0\x02\x01a\x00"))
    elif case == "bad_121":
        opts.append(opt(121, b"\x21" + b"\x0a" * 8))
    elif case == "bad_212":
        opts.append(opt(212, b"\x40\xff" + b"\0" * 20))
    elif case == "metachars":
        opts += [opt(12, b"$(reboot)"), opt(15, b"a.test;id"),
                 opt(17, b"`id`"), opt(56, b"x\ny"), opt(60, b"v\x01"),
                 opt(66, b"-rf"), opt(67, b"() { :;}; echo pwned"),
                 opt(252, b"'&touch /tmp/pwn #"), opt(40, b"nis\x00dom"),
                 opt(209, b"\x1b[2J"), opt(224, b"\n\x00;")]
        b["sname"] = b"srv\nname"
        b["file"] = b"$(id)"
    elif case == "dup53":
        opts.append(opt(53, bytes([mtype])))
    elif case == "no53":
        opts = opts[1:]
    elif case == "lease_zero":
        opts[2] = opt(51, b"\0\0\0\0")
    elif case == "lease_inf":
        opts[2] = opt(51, b"\xff\xff\xff\xff")
    elif case == "t1_ge_t2":
        opts += [opt(58, struct.pack(">I", 50)), opt(59, struct.pack(">I", 40))]
    elif case in ("nak", "nak_other") and mtype == 5:
        sid = SRV if case == "nak" else ip4("10.77.0.2")
        opts = [opt(53, b"\x06"), opt(54, sid), opt(56, b"go away")]
        b["yiaddr"] = b"\0" * 4
    elif case == "op_request":
        b["op"] = 1
    elif case == "wrong_xid":
        b["xid"] = req["xid"] ^ 1
    elif case == "wrong_chaddr":
        b["chaddr"] = b"\x02" * 6 + b"\0" * 10
    elif case == "yiaddr_zero":
        b["yiaddr"] = b"\0" * 4
    elif case == "yiaddr_loopback":
        b["yiaddr"] = ip4("127.0.0.1")
    elif case == "yiaddr_mcast":
        b["yiaddr"] = ip4("224.0.0.1")
    elif case == "tot_len_small":
        kw["tot_fix"] = 20
    elif case == "udp_len_mismatch":
        kw["udp_len_fix"] = 100
    elif case == "bad_ip_csum":
        kw["bad_ip_csum"] = True
    elif case == "bad_udp_csum":
        kw["bad_udp_csum"] = True
    elif case == "ihl6":
        kw["ihl"] = 6
    elif case == "names_hostile":
        # 119 and 120 (encoding 0) names, some not host names: a newline
        # and spaces, a leading or trailing '-', "$(...)", a '.' inside a
        # label, a NUL (last: udhcpc's value ends there); "ok" points
        # back at "test" (offset 5)
        opts += [opt(119, b"\x04good\x04test\x00"
                      b"\x14x\nnameserver 6.6.6.6\x00"
                      b"\x05-lead\x04test\x00" b"\x05$(id)\x04test\x00"
                      b"\x0bunder_score\x04test\x00" b"\x02ok\xc0\x05"
                      b"\x03a.b\x04test\x00" b"\x04end-\x04test\x00"
                      b"\x03b\x00c\x04test\x00"),
                 opt(120, b"\x00" b"\x03sip\x04test\x00" b"\x09$(reboot)\x00"
                      b"\x02-x\x00" b"\x04sip2\x04test\x00")]
    elif case == "mtu_small":
        opts.append(opt(26, struct.pack(">H", 300)))
    elif case == "t1_storm":
        # T1 1 s, T2 2 s on an hour's lease, every REQUEST ACKed at once
        opts[2] = opt(51, struct.pack(">I", 3600))
        opts += [opt(58, struct.pack(">I", 1)), opt(59, struct.pack(">I", 2))]
    payload = bootp(req, **b) + b"".join(opts) + end
    return payload + b"\0" * max(0, 300 - len(payload)), kw


def parse_req(d):
    xid, = struct.unpack(">I", d[4:8])
    chaddr = d[28:44]
    o, i, mtype = d[240:], 0, 0
    while i + 1 < len(o) and o[i] != 255:
        if o[i] == 0:
            i += 1
            continue
        if o[i] == 53:
            mtype = o[i + 2]
        i += 2 + o[i + 1]
    return {"xid": xid, "chaddr": chaddr, "type": mtype}


def main():
    ifname, case = sys.argv[1], sys.argv[2]
    u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    u.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    u.setsockopt(socket.SOL_SOCKET, socket.SO_BINDTODEVICE, ifname.encode())
    u.bind(("0.0.0.0", 67))
    r = socket.socket(socket.AF_PACKET, socket.SOCK_DGRAM)
    print("ready", flush=True)
    while True:
        d = u.recv(2048)
        if len(d) < 240:
            continue
        req = parse_req(d)
        mtype = {1: 2, 3: 5}.get(req["type"])
        if not mtype:
            continue
        payload, kw = reply(req, mtype, case)
        r.sendto(frame(payload, **kw),
                 (ifname, 0x0800, 0, 0, b"\xff" * 6))
        sys.stdout.write(f"sent {mtype} for {case}\n")
        sys.stdout.flush()


if __name__ == "__main__":
    main()

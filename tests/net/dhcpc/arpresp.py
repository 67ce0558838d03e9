"""Answers ARP requests (and probes) for one address on an interface, as
a host holding that address would: `arpresp.py IFACE IP [RECORD]`.
Prints "ready" once its socket is bound.

With RECORD, every ARP frame seen is appended to that file as one line:
`TIME OP SENDER_MAC SENDER_IP TARGET_IP` (TIME from time.time())."""
import socket
import sys
import time

ifname, ip = sys.argv[1], socket.inet_aton(sys.argv[2])
rec = open(sys.argv[3], "a", buffering=1) if len(sys.argv) > 3 else None
s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(0x0806))
s.bind((ifname, 0))
mac = s.getsockname()[4][:6]
print("ready", flush=True)
while True:
    f = s.recv(128)
    arp = f[14:42]
    if len(arp) < 28:
        continue
    if rec:
        rec.write(f"{time.time():.3f} {arp[7]} {arp[8:14].hex()} "
                  f"{socket.inet_ntoa(arp[14:18])} "
                  f"{socket.inet_ntoa(arp[24:28])}\n")
    if arp[6:8] != b"\x00\x01" or arp[24:28] != ip:
        continue
    smac, sip = arp[8:14], arp[14:18]
    reply = (smac + mac + b"\x08\x06" + b"\x00\x01\x08\x00\x06\x04\x00\x02"
             + mac + ip + smac + sip)
    s.send(reply)

#!/usr/bin/env python3
"""A tiny authoritative-for-nothing DNS server: answers every query with NXDOMAIN (RCODE 3).
Runs inside the scenario's network namespace on 127.0.0.1:53.  Usage: dns_nx.py <log file>"""
import socket
import sys
import time

log = open(sys.argv[1], "a", buffering=1)
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("127.0.0.1", 53))
while True:
    q, addr = s.recvfrom(4096)
    if len(q) < 12:
        continue
    # header: same id, QR=1, opcode from query, RD copied, RA=1, RCODE=3; 1 question, 0 answers
    flags = 0x8000 | (q[2] << 8 & 0x7900) | 0x0080 | 3
    resp = q[:2] + flags.to_bytes(2, "big") + q[4:6] + b"\0\0\0\0\0\0"
    # copy the question section (qname labels + qtype + qclass)
    i = 12
    while i < len(q) and q[i]:
        i += 1 + q[i]
    resp += q[12:i + 5]
    s.sendto(resp, addr)
    name = []
    j = 12
    while j < len(q) and q[j]:
        name.append(q[j + 1:j + 1 + q[j]].decode("ascii", "replace"))
        j += 1 + q[j]
    log.write("%s query %s type %d from %s:%d -> NXDOMAIN\n" % (
        time.strftime("%Y-%m-%dT%H:%M:%S"), ".".join(name), int.from_bytes(q[j + 1:j + 3], "big"), *addr))

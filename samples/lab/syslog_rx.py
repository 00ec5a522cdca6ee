#!/usr/bin/env python3
"""Minimal syslog receiver for HAProxy's `log 127.0.0.1:<port> local0`.

Writes each datagram the way rsyslog's default file template (RSYSLOG_TraditionalFileFormat)
writes it: "<TIMESTAMP> <HOSTNAME> <TAG>: <MSG>", i.e. the RFC 3164 header minus the <PRI>,
with this host's name inserted.  Usage: syslog_rx.py <udp port> <file>
"""
import re
import socket
import sys

port, path = int(sys.argv[1]), sys.argv[2]
host = socket.gethostname().split(".")[0]
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("127.0.0.1", port))
with open(path, "a", buffering=1) as out:
    while True:
        data, _ = s.recvfrom(65535)
        line = data.decode("utf-8", "replace").rstrip("\n")
        m = re.match(r"<\d+>([A-Z][a-z]{2} [ \d]\d \d\d:\d\d:\d\d) (.*)$", line, re.S)
        out.write("%s %s %s\n" % (m.group(1), host, m.group(2)) if m else line + "\n")

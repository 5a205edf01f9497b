#!/usr/bin/env python3
"""notifysock.py ADDRESS OUTFILE: play systemd's side of sd_notify(3).

Binds a datagram socket at ADDRESS (a path, or "@name" for an abstract
name), then creates OUTFILE.ready. Every datagram received is appended to
OUTFILE as one line, its own line feeds written as "|", e.g.
    RELOADING=1|MONOTONIC_USEC=123456
Each message must be VARIABLE=value lines, as systemd requires; anything
else is written as "BAD:" and the raw text.

Exits when its parent (the test) dies, or after 300 seconds.
"""
import os
import socket
import sys
import time


def main():
    if len(sys.argv) != 3:
        print('usage: notifysock.py ADDRESS OUTFILE', file=sys.stderr)
        return 2
    addr, out = sys.argv[1], sys.argv[2]
    parent = os.getppid()
    s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    s.bind('\0' + addr[1:] if addr.startswith('@') else addr)
    s.settimeout(0.2)
    with open(out + '.ready', 'w'):
        pass
    deadline = time.monotonic() + 300
    with open(out, 'a') as f:
        while time.monotonic() < deadline and os.getppid() == parent:
            try:
                data = s.recv(65536)
            except socket.timeout:
                continue
            text = data.decode('utf-8', 'replace')
            lines = text.split('\n')
            ok = all('=' in l and l.split('=', 1)[0].isupper() for l in lines)
            f.write(('' if ok else 'BAD:') + '|'.join(lines) + '\n')
            f.flush()
    if not addr.startswith('@'):
        os.unlink(addr)
    return 0


if __name__ == '__main__':
    sys.exit(main())

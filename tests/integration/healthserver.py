#!/usr/bin/env python3
"""healthserver.py PORTFILE [--port N] [--http STATUSFILE]: a listener
for the health check tests, on 127.0.0.1.

It binds port N (0: one the kernel picks), writes the port to PORTFILE
(through a rename, so a reader sees all of it or nothing), and serves
until killed. Plain, it accepts each connection and closes it (a tcp
probe needs no more). With --http it reads a request and answers with
the status code that STATUSFILE holds when the request comes (200 if it
is missing), or, if it holds "hang", keeps the connection open without
a word (a probe must time out); "close": closes it without a word;
"split": answers 200 in pieces 0.05 s apart; "huge": sends a first line
of 1 MiB that never ends. Each request's first line is appended to
PORTFILE.requests.
"""
import os
import socket
import sys
import time


def main():
    args = sys.argv[1:]
    portfile = args.pop(0)
    port = 0
    statusfile = None
    while args:
        opt = args.pop(0)
        if opt == "--port":
            port = int(args.pop(0))
        elif opt == "--http":
            statusfile = args.pop(0)
        else:
            sys.exit("healthserver.py: unknown option " + opt)
    srv = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    srv.bind(("127.0.0.1", port))
    srv.listen(64)
    with open(portfile + ".tmp", "w") as f:
        f.write("%d\n" % srv.getsockname()[1])
    os.rename(portfile + ".tmp", portfile)
    held = []
    while True:
        conn, _ = srv.accept()
        if statusfile is None:
            conn.close()
            continue
        conn.settimeout(5)
        req = b""
        try:
            while b"\r\n\r\n" not in req and len(req) < 65536:
                chunk = conn.recv(4096)
                if not chunk:
                    break
                req += chunk
        except OSError:
            conn.close()
            continue
        with open(portfile + ".requests", "ab") as f:
            f.write(req.split(b"\r\n", 1)[0] + b"\n")
        try:
            with open(statusfile) as f:
                status = f.read().strip()
        except FileNotFoundError:
            status = "200"
        if status == "hang":
            held.append(conn)
            continue
        if status == "close":       # no answer at all
            conn.close()
            continue
        try:
            if status == "split":   # a 200 status line in pieces
                for piece in (b"HTTP/1.", b"1 20", b"0 OK\r", b"\n\r\n"):
                    conn.sendall(piece)
                    time.sleep(0.05)
                conn.close()
                continue
            if status == "huge":    # a first line that never ends
                conn.sendall(b"HTTP/1.1 200 " + b"x" * (1 << 20))
                conn.close()
                continue
        except OSError:
            conn.close()
            continue
        try:
            conn.sendall(("HTTP/1.1 %s X\r\nContent-Length: 0\r\n"
                          "Connection: close\r\n\r\n" % status).encode())
        except OSError:
            pass
        conn.close()


if __name__ == "__main__":
    main()

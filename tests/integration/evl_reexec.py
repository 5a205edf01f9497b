"""An event listener for t-evl-reexec: the supervisord protocol by hand
(python3 only). It appends its pid to argv[1].pid once, at its start,
then one line per event to argv[1]:
    EVENTNAME serial poolserial
and "BAD ..." for a header or payload that is not what it should be,
"EOF" if its stdin ends. Before each RESULT it waits a little (0 to 30
ms), so that it is often BUSY with an event when tendd re-executes.
With --slow (argv[2]) it reads payloads 4 KiB at a time, a few milliseconds
apart (3 ms), so that a large event is often half written across a re-exec,
and checks that a PROCESS_COMMUNICATION payload is all "x"."""
import os
import random
import sys
import time


def main():
    base = sys.argv[1]
    slow = sys.argv[2:] == ["--slow"]
    with open(base + ".pid", "a") as f:
        f.write("%d\n" % os.getpid())
    out = open(base, "a")
    stdin = sys.stdin.buffer
    stdout = sys.stdout.buffer
    while True:
        stdout.write(b"READY\n")
        stdout.flush()
        line = stdin.readline()
        if not line:
            out.write("EOF\n")
            out.flush()
            return
        if not line.startswith(b"ver:3.0 ") or not line.endswith(b"\n"):
            out.write("BAD header %r\n" % line)
            out.flush()
            return
        h = dict(kv.split(b":", 1) for kv in line.split())
        n = int(h[b"len"])
        if slow:
            payload = b""
            while len(payload) < n:
                chunk = stdin.read(min(4096, n - len(payload)))
                if not chunk:
                    break
                payload += chunk
                time.sleep(0.003)
        else:
            payload = stdin.read(n)
        if len(payload) != n:
            out.write("BAD payload %d of %d bytes\n" % (len(payload), n))
            out.write("EOF\n")
            out.flush()
            return
        name = h[b"eventname"].decode()
        if name.startswith("PROCESS_COMMUNICATION"):
            data = payload.split(b"\n", 1)[1]
            if data.strip(b"x"):
                out.write("BAD payload of event %s: not all x\n"
                          % h[b"serial"].decode())
                out.flush()
                return
        out.write("%s %s %s\n" % (h[b"eventname"].decode(),
                                  h[b"serial"].decode(),
                                  h[b"poolserial"].decode()))
        out.flush()
        time.sleep(random.random() * 0.03)
        stdout.write(b"RESULT 2\nOK")
        stdout.flush()


if __name__ == "__main__":
    main()

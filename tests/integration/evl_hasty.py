"""An event listener that answers each event as soon as it has read the
header line (RESULT 2\\nOKREADY\\n), then reads the payload slowly, so that
it says READY while tendd is still writing the event to its stdin. What it
reads is copied to argv[1]. Once the PROCESS_LOG payloads it got hold
argv[2] bytes of output, it writes DONE to argv[3]; a header it cannot
read makes it write BAD there (and only read on)."""
import os
import sys
import time


def main():
    raw = open(sys.argv[1], "wb")
    want = int(sys.argv[2])
    mark = sys.argv[3]
    pending = b""

    def more():
        nonlocal pending
        chunk = os.read(0, 4096)
        if not chunk:
            sys.exit(0)
        raw.write(chunk)
        raw.flush()
        pending += chunk
        time.sleep(0.002)

    def done(what):
        with open(mark + ".tmp", "w") as f:
            f.write(what + "\n")
        os.rename(mark + ".tmp", mark)

    got = 0
    os.write(1, b"READY\n")
    while True:
        while b"\n" not in pending:
            more()
        line, pending = pending.split(b"\n", 1)
        try:
            headers = dict(w.split(b":", 1) for w in line.split(b" "))
            length = int(headers[b"len"])
            if not headers[b"ver"] or not headers[b"eventname"]:
                raise ValueError
        except (ValueError, KeyError):
            done("BAD")
            while True:
                more()
        os.write(1, b"RESULT 2\nOKREADY\n")
        time.sleep(0.05)
        while len(pending) < length:
            more()
        payload, pending = pending[:length], pending[length:]
        if headers[b"eventname"] == b"PROCESS_LOG_STDOUT":
            got += len(payload) - payload.index(b"\n") - 1
            if got >= want:
                done("DONE")


if __name__ == "__main__":
    main()

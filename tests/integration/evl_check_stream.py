"""Check what an event listener read on its stdin (the file argv[1]):
header lines, each followed by exactly len: payload bytes, back to back.
Prints what is wrong and exits 1, or prints the count of events. With
--partial (argv[2]), the file may end inside an event (still being read).
"""
import sys


def main():
    partial = sys.argv[2:] == ["--partial"]
    try:
        data = open(sys.argv[1], "rb").read()
    except FileNotFoundError:
        if not partial:
            raise
        data = b""
    off = n = 0
    while off < len(data):
        start = data[off:off + 8]
        if start != b"ver:3.0 "[:len(start)]:
            print("event %d: not a header at byte %d: %r"
                  % (n, off, data[off:off + 80]))
            return 1
        end = data.find(b"\n", off)
        if end == -1:
            if partial:
                break
            print("event %d: a header without its newline at byte %d"
                  % (n, off))
            return 1
        line = data[off:end]
        try:
            headers = dict(w.split(b":", 1) for w in line.split(b" "))
            length = int(headers[b"len"])
            if headers[b"ver"] != b"3.0":
                raise ValueError
        except (ValueError, KeyError):
            print("event %d: not a header at byte %d: %r"
                  % (n, off, line[:80]))
            return 1
        off = end + 1 + length
        if off > len(data):
            if partial:
                break
            print("event %d: its payload is cut short (%d of %d bytes)"
                  % (n, len(data) - end - 1, length))
            return 1
        n += 1
    print(n)
    return 0


if __name__ == "__main__":
    sys.exit(main())

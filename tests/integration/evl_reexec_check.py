"""Check what evl_reexec.py recorded (argv[1]): no BAD, no EOF, event
serials strictly increasing, pool serials one after the other (no event
lost, none twice). Prints what is wrong and exits 1, or prints the
count of events, then of TICK_5 events, then the last serial."""
import sys


def main():
    n = ticks = 0
    last = lastpool = None
    for i, line in enumerate(open(sys.argv[1]), 1):
        f = line.split()
        if f[0] in ("BAD", "EOF"):
            print("line %d: %s" % (i, line.strip()))
            return 1
        serial, pool = int(f[1]), int(f[2])
        if last is not None and serial <= last:
            print("line %d: serial %d after %d" % (i, serial, last))
            return 1
        if lastpool is not None and pool != lastpool + 1:
            print("line %d: poolserial %d after %d" % (i, pool, lastpool))
            return 1
        last, lastpool = serial, pool
        n += 1
        ticks += f[0] == "TICK_5"
    print("%d %d %d" % (n, ticks, -1 if last is None else last))
    return 0


if __name__ == "__main__":
    sys.exit(main())

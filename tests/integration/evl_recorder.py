"""An event listener written against supervisord's documentation, with
supervisor.childutils (Debian's python3-supervisor): it records every event
it gets to the file named by argv[1], one line each:
    EVENTNAME serial:N poolserial:N len:N lenok:1 || PAYLOAD
(newlines of the payload written as \\n), and answers FAIL the first time
it sees each PROCESS_STATE_STOPPING event (by serial), OK otherwise."""
import sys

from supervisor import childutils


def main():
    out = open(sys.argv[1], "a")
    failed = set()
    while True:
        headers, payload = childutils.listener.wait(sys.stdin, sys.stdout)
        out.write("%s serial:%s poolserial:%s len:%s lenok:%d || %s\n" % (
            headers["eventname"], headers["serial"], headers["poolserial"],
            headers["len"], int(len(payload) == int(headers["len"])),
            payload.replace("\n", "\\n")))
        out.flush()
        if (headers["eventname"] == "PROCESS_STATE_STOPPING"
                and headers["serial"] not in failed):
            failed.add(headers["serial"])
            sys.stderr.write("failing event %s\n" % headers["serial"])
            sys.stderr.flush()
            childutils.listener.fail(sys.stdout)
        else:
            childutils.listener.ok(sys.stdout)


if __name__ == "__main__":
    main()

#!/bin/sh
# shellcheck disable=SC2016,SC2034 # conditions are eval'd later by wait_until
# *_syslog and [tend] syslog: lines reach a syslog datagram socket (a tiny
# listener on a private path set with syslog_socket), tagged with the
# process name; a program without *_syslog sends nothing there.
# shellcheck source=tests/integration/lib.sh disable=SC1091
. "${TEND_SRCDIR:-.}/tests/integration/lib.sh"

PY=$(command -v python3) || skip "python3 is needed for the syslog listener"
SOCK=$T/log.sock
OUT=$T/syslog.out
# one datagram per line; it ends by itself if the test dies
"$PY" -c '
import signal, socket, sys
signal.alarm(120)
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind(sys.argv[1])
with open(sys.argv[2], "ab", buffering=0) as f:
    while True:
        f.write(s.recv(65536).replace(b"\n", b"\\n") + b"\n")
' "$SOCK" "$OUT" &
LPID=$!
wait_until 10 '[ -S "$SOCK" ]' "the syslog listener is up"

GLOBAL_EXTRA="syslog=true
syslog_socket=$SOCK"
tend_config <<EOF2
[program:loud]
command=/bin/sh -c "echo hello out; echo hello err >&2; printf partial; exec /bin/sleep 1000"
stdout_syslog=true
stderr_syslog=true
startsecs=0

[program:quiet]
command=/bin/sh -c "echo not for syslog; exec /bin/sleep 1000"
startsecs=0
EOF2
tend_start
wait_state loud RUNNING
wait_state quiet RUNNING

has() { grep -qE -- "$1" "$OUT" 2>/dev/null; }
wait_until 10 'has "^<14>[A-Z][a-z]{2} [ 0-9][0-9] [0-9:]{8} loud: hello out\$"' "stdout line in syslog"
wait_until 10 'has "^<11>[A-Z][a-z]{2} [ 0-9][0-9] [0-9:]{8} loud: hello err\$"' "stderr line in syslog"
# an unfinished line is sent after a quiet second
wait_until 10 'has " loud: partial\$"' "unfinished line in syslog"
# tendd's own messages (facility daemon, level info = 30)
wait_until 10 "has \"^<30>.* tendd\\[$TENDD_PID\\]: spawned: 'loud' with pid [0-9]+\\\$\"" "tendd's own line in syslog"
# the files are still written as well
wait_until 10 'grep -qx "hello out" "$T/log/loud-stdout.log"'
wait_until 10 'grep -qx "not for syslog" "$T/log/quiet-stdout.log"'
if has "not for syslog"; then
	fail "a program without stdout_syslog reached syslog"
fi
kill "$LPID" 2>/dev/null
wait "$LPID" 2>/dev/null || :

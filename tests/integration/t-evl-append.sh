#!/bin/sh
# shellcheck disable=SC2016,SC2034,SC2119,SC2317 # conditions are eval'd later by wait_until
# A listener that says READY (RESULT 2\nOKREADY\n) as soon as it has read an
# event's header, before it reads the payload, while tendd is still writing
# a large PROCESS_LOG event to its stdin: the next event comes after the
# whole of that one (supervisord appends), never over its unwritten rest.
# Every header it read must be followed by exactly len: payload bytes.
# shellcheck source=tests/integration/lib.sh disable=SC1091
. "${TEND_SRCDIR:-.}/tests/integration/lib.sh"

PY=/usr/bin/python3
[ -x "$PY" ] || skip "$PY is missing"

SIZE=300000
mkfifo "$T/go" || hard_error "mkfifo"
# one write larger than a pipe holds: tendd reads it in large pieces, so
# the events are larger than the listener's stdin pipe holds
cat >"$T/talk.py" <<EOF
import os
open("$T/go").read()
os.write(1, b"y" * $SIZE)
os.execv("/bin/sleep", ["sleep", "1000"])
EOF
tend_config <<EOF
[program:talk]
command=$PY $T/talk.py
startsecs=0
stdout_events_enabled=true

[eventlistener:hasty]
command=$PY ${TEND_SRCDIR:-.}/tests/integration/evl_hasty.py $T/stdin.raw $SIZE $T/mark
events=PROCESS_LOG
buffer_size=100
EOF
tend_start
wait_state hasty RUNNING
wait_state talk RUNNING
echo go >"$T/go"
CHECK=${TEND_SRCDIR:-.}/tests/integration/evl_check_stream.py
# a bad header: the listener waits for a payload that never comes
wait_until 30 '[ -f "$T/mark" ] || ! "$PY" "$CHECK" "$T/stdin.raw" --partial >/dev/null' \
	"the listener to read all the output (or a bad header)"
MARK=$(cat "$T/mark" 2>/dev/null)
OUT=$("$PY" "$CHECK" "$T/stdin.raw")
RC=$?
assert_eq 0 "$RC" "the events as the listener read them: $OUT"
assert_eq DONE "$MARK" "the listener's verdict"
log_has "overflowed" && fail "events were dropped: $(grep overflowed "$LOGFILE")"
exit 0

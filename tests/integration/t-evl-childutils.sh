#!/bin/sh
# shellcheck disable=SC2016,SC2034,SC2119,SC2317 # conditions are eval'd later by wait_until
# A Python event listener using supervisor.childutils (Debian's
# python3-supervisor, run with /usr/bin/python3) records what it gets: the
# header fields and payloads of PROCESS_STATE_STARTING, RUNNING, STOPPING,
# STOPPED and EXITED as supervisord 4.2.5 sends them (its own events
# included), PROCESS_LOG_STDOUT of a program with stdout_events_enabled,
# TICK_5, PROCESS_GROUP_ADDED at the start and _REMOVED on update,
# SUPERVISOR_STATE_CHANGE_RUNNING, and a FAIL result makes the same event
# come again.
# shellcheck source=tests/integration/lib.sh disable=SC1091
. "${TEND_SRCDIR:-.}/tests/integration/lib.sh"

PY=/usr/bin/python3
[ -x "$PY" ] || skip "$PY is missing"
"$PY" -c 'import supervisor.childutils' 2>/dev/null ||
	skip "$PY cannot import supervisor.childutils (install python3-supervisor)"

REC=$T/events.txt
: >"$REC"
mkfifo "$T/go-x" || hard_error "mkfifo"
tend_config <<EOF
[program:w]
command=/bin/sh -c 'echo hello-out; exec sleep 1000'
autostart=false
startsecs=0
stdout_events_enabled=true

[program:x]
command=/bin/sh -c 'read a <"$T/go-x"; exit 3'
autorestart=false
startsecs=0

[eventlistener:rec]
command=$PY ${TEND_SRCDIR:-.}/tests/integration/evl_recorder.py $REC
events=PROCESS_STATE,TICK_5,PROCESS_LOG_STDOUT,SUPERVISOR_STATE_CHANGE,
	PROCESS_GROUP
EOF
tend_start
wait_state rec RUNNING
wait_state x RUNNING
# rec's own events come once it is RUNNING and READY
wait_until 20 'grep -q "^PROCESS_STATE_RUNNING .* || processname:rec groupname:rec from_state:STARTING pid:[0-9]*$" "$REC"' \
	"rec's own RUNNING event"
grep -q '^PROCESS_STATE_STARTING serial:4 poolserial:4 len:56 lenok:1 || processname:rec groupname:rec from_state:STOPPED tries:0$' "$REC" ||
	fail "rec's own STARTING event: $(cat "$REC")"
# before it, as supervisord starts: each group added, then RUNNING
grep -q '^PROCESS_GROUP_ADDED serial:1 poolserial:1 len:12 lenok:1 || groupname:w\\n$' "$REC" ||
	fail "PROCESS_GROUP_ADDED of w: $(cat "$REC")"
grep -q '^SUPERVISOR_STATE_CHANGE_RUNNING serial:3 poolserial:3 len:0 lenok:1 || $' "$REC" ||
	fail "SUPERVISOR_STATE_CHANGE_RUNNING: $(cat "$REC")"

ctl start w
assert_eq 0 "$CTL_RC" "start w"
child_pid w
WPID=$CPID
ctl stop w
assert_eq 0 "$CTL_RC" "stop w"
echo go >"$T/go-x"

has() { grep -q -- "$1" "$REC"; }
wait_until 20 'has "^PROCESS_STATE_STOPPED .* || processname:w groupname:w from_state:STOPPING pid:$WPID\$"' \
	"w's STOPPED event"
has "^PROCESS_STATE_STARTING .* || processname:w groupname:w from_state:STOPPED tries:0\$" ||
	fail "w's STARTING event: $(cat "$REC")"
has "^PROCESS_STATE_RUNNING .* || processname:w groupname:w from_state:STARTING pid:$WPID\$" ||
	fail "w's RUNNING event: $(cat "$REC")"
wait_until 20 'has "^PROCESS_STATE_EXITED .* || processname:x groupname:x from_state:RUNNING expected:0 pid:[0-9]*\$"' \
	"x's EXITED event (exit 3: not expected)"
wait_until 20 'has "^PROCESS_LOG_STDOUT .* || processname:w groupname:w pid:$WPID channel:stdout\\\\nhello-out\\\\n\$"' \
	"w's PROCESS_LOG_STDOUT event"

# FAIL: the STOPPING event came again, same serial, and then STOPPED
STOPPING=$(grep "^PROCESS_STATE_STOPPING .* || processname:w groupname:w from_state:RUNNING pid:$WPID\$" "$REC")
assert_eq 2 "$(printf '%s\n' "$STOPPING" | wc -l)" "STOPPING delivered twice (FAIL, then OK)"
assert_eq 1 "$(printf '%s\n' "$STOPPING" | awk '{ print $2 }' | sort -u | wc -l)" "the same event (serial) both times"
log_has "rec: event was rejected" || fail "no log line for the rejected event"

# every payload had the length its header said; serials count up
grep -q "lenok:0" "$REC" && fail "a payload of another length than its header said: $(grep lenok:0 "$REC")"
awk '{ sub("serial:", "", $2); if ($2 + 0 < last + 0) bad = 1; last = $2 } END { exit bad }' "$REC" ||
	fail "serials go back: $(cat "$REC")"

# TICK_5: "when" is a multiple of 5
wait_until 15 'has "^TICK_5 "' "a TICK_5 event"
WHEN=$(grep "^TICK_5 " "$REC" | head -1 | sed 's/.*|| when://')
assert_eq 0 "$((WHEN % 5))" "TICK_5 when:$WHEN is the start of a 5 s period"

# update without x: PROCESS_GROUP_REMOVED
tend_config <<EOF
[program:w]
command=/bin/sh -c 'echo hello-out; exec sleep 1000'
autostart=false
startsecs=0
stdout_events_enabled=true

[eventlistener:rec]
command=$PY ${TEND_SRCDIR:-.}/tests/integration/evl_recorder.py $REC
events=PROCESS_STATE,TICK_5,PROCESS_LOG_STDOUT,SUPERVISOR_STATE_CHANGE,
	PROCESS_GROUP
EOF
ctl update
assert_eq 0 "$CTL_RC" "update"
wait_until 20 'has "^PROCESS_GROUP_REMOVED .* || groupname:x\\\\n\$"' "x's PROCESS_GROUP_REMOVED event"
exit 0

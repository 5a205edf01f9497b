#!/bin/sh
# shellcheck disable=SC2016,SC2034,SC2119 # conditions are eval'd later by wait_until
# Live re-exec with clients waiting (issue 16): a `start` waiting for
# RUNNING and a `tail -f` end with a line saying tendd is re-executing
# (exit status 1); the process they waited on goes on in the new image.
# A stop in progress keeps its stopwaitsecs deadline across the exec: the
# SIGKILL comes stopwaitsecs after the stop, not after the exec.
# shellcheck source=tests/integration/lib.sh disable=SC1091
. "${TEND_SRCDIR:-.}/tests/integration/lib.sh"

tend_config <<EOF
[program:slow]
command=/bin/sleep 1000
startsecs=4
autostart=false

[program:stubborn]
command=/bin/sh -c 'trap "" TERM; echo up; while :; do sleep 1; done'
stopwaitsecs=3
stopasgroup=true
killasgroup=true
EOF
tend_start
wait_state stubborn RUNNING

# a start that waits for RUNNING, a tail -f
"$TENDCTL" -c "$CONF" start slow >"$T/start.out" 2>"$T/start.err" &
START=$!
wait_state slow STARTING
"$TENDCTL" -c "$CONF" tail -f stubborn >"$T/tail.out" 2>"$T/tail.err" &
TAIL=$!
wait_until 20 'grep -q up "$T/tail.out"' "tail -f to show stubborn's output"

# a stop that waits for stubborn, which ignores SIGTERM
"$TENDCTL" -c "$CONF" stop stubborn >"$T/stop.out" 2>"$T/stop.err" &
STOP=$!
wait_state stubborn STOPPING
# re-exec well into the stop's wait: a deadline restarted by the exec
# would show
secs() { awk '{ split($2, t, /[:,]/); print t[1] * 3600 + t[2] * 60 + t[3] + t[4] / 1000; exit }'; }
wait_log "killing stubborn ("
STOPPED_AT=$(grep -F "killing stubborn (" "$LOGFILE" | secs)
now_secs() { date '+x %H:%M:%S,%3N' | secs; }
wait_until 10 'awk -v a="$STOPPED_AT" -v b="$(now_secs)" "BEGIN { exit !(b - a >= 1.5) }"' \
	"1.5 s into the stop"

ctl reexec
assert_eq 0 "$CTL_RC" "reexec (stderr: $CTL_ERR)"
wait "$START"
assert_eq 1 "$?" "the waiting start's exit status"
assert_match "tendd is re-executing" "$(cat "$T/start.err")" "the waiting start's message"
wait "$TAIL"
assert_eq 1 "$?" "tail -f's exit status"
assert_match "tendd is re-executing" "$(cat "$T/tail.err")" "tail -f's message"
wait "$STOP"
assert_eq 1 "$?" "the waiting stop's exit status"

# slow goes on to RUNNING in the new image; stubborn is killed 3 s after
# the stop
wait_state slow RUNNING 20
wait_state stubborn STOPPED 20
KILLED_AT=$(grep -F "killing 'stubborn'" "$LOGFILE" | secs)
if [ -z "$STOPPED_AT" ] || [ -z "$KILLED_AT" ]; then
	fail "no stop or SIGKILL line for stubborn in the log"
fi
awk -v a="$STOPPED_AT" -v b="$KILLED_AT" -v k="$TIMEOUT_SCALE" \
	'BEGIN { d = b - a; exit !(d >= 2.5 && d < 3 + 0.6 * k) }' ||
	fail "stubborn was killed $STOPPED_AT -> $KILLED_AT, not 3 s after the stop"
note "stop at $STOPPED_AT, SIGKILL at $KILLED_AT"

#!/bin/sh
# shellcheck disable=SC2016,SC2034,SC2119 # conditions are eval'd later by wait_until
# stop on a program that ignores SIGTERM: SIGKILL after stopwaitsecs.
# shellcheck source=tests/integration/lib.sh disable=SC1091
. "${TEND_SRCDIR:-.}/tests/integration/lib.sh"

# sh ignores TERM, then execs sleep (which keeps the ignored disposition), so
# the pid tend knows is the process that ignores the signal.
tend_config <<EOF
[program:stubborn]
command=/bin/sh -c "trap '' TERM; exec /bin/sleep 1000"
startsecs=0
stopwaitsecs=1
EOF
tend_start

wait_state stubborn RUNNING
child_pid stubborn
PID=$CPID
# The exec has happened once the process is sleep.
wait_until 10 '[ "$(cat /proc/$PID/comm 2>/dev/null)" = sleep ]' "stubborn to exec sleep"
proc_field "$PID" SigIgn
# SIGTERM is bit 15 (mask 0x4000).
case $FIELD_VAL in
*[4567cdefCDEF][0-9a-fA-F][0-9a-fA-F][0-9a-fA-F]) ;;
*) fail "the test program does not ignore SIGTERM (SigIgn $FIELD_VAL)" ;;
esac

now_cs
T0=$NOW
ctl stop stubborn
now_cs
assert_ctl 0 "stubborn: stopped" "stop stubborn"
ELAPSED=$((NOW - T0))
[ "$ELAPSED" -ge 90 ] ||
	fail "stop returned after $ELAPSED cs, before stopwaitsecs=1 had passed"
proc_alive "$PID" && fail "stubborn ($PID) still alive after 'stubborn: stopped'"

state_of stubborn
assert_eq STOPPED "$STATE" "stubborn after stop"
wait_log "killing 'stubborn' ($PID) with SIGKILL"
wait_log "stopped: stubborn (terminated by SIGKILL)"
log_count "spawned: 'stubborn'"
assert_eq 1 "$COUNT" "stubborn is not restarted after stop"

exit 0

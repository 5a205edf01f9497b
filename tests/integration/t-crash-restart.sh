#!/bin/sh
# shellcheck disable=SC2016,SC2034,SC2119 # conditions are eval'd later by wait_until
# A program that exits with an unexpected code after startsecs is restarted
# (autorestart=unexpected, the default); one that exits with an expected code
# stays EXITED.
# shellcheck source=tests/integration/lib.sh disable=SC1091
. "${TEND_SRCDIR:-.}/tests/integration/lib.sh"

tend_config <<EOF
[program:crashy]
command=/bin/sh -c "sleep 2; exit 1"
startsecs=1
autorestart=unexpected

[program:clean]
command=/bin/sh -c "sleep 2; exit 0"
startsecs=1
autorestart=unexpected
EOF
tend_start

wait_state crashy RUNNING
child_pid crashy
PID1=$CPID

# The first instance exits with status 1 after ~2 s; a new one must follow.
wait_until 20 '! proc_alive "$PID1"' "crashy's first process ($PID1) to exit"
wait_log "exited: crashy (exit status 1; not expected)"
wait_until 20 'ctl pid crashy; [ "$CTL_RC" = 0 ] && [ "$CTL_OUT" != "$PID1" ]' \
	"crashy to get a new pid"
wait_state crashy RUNNING
child_pid crashy
PID2=$CPID
assert_ne "$PID1" "$PID2" "crashy pid after the restart"
log_count "spawned: 'crashy' with pid $PID2"
assert_eq 1 "$COUNT" "log lines 'spawned: 'crashy' with pid $PID2'"
log_has "success: crashy entered RUNNING state, process has stayed up for > than 1 seconds (startsecs)" ||
	fail "no 'success: crashy entered RUNNING state' line in the log"

# clean exited with 0, which is in exitcodes: EXITED, not restarted.
wait_state clean EXITED
wait_log "exited: clean (exit status 0; expected)"
# By now crashy has been restarted at least once, so a restart of clean would
# have happened too (restarts are immediate).
wait_until 20 'log_count "spawned: '"'crashy'"'"; [ "$COUNT" -ge 3 ]' \
	"crashy's second restart"
log_count "spawned: 'clean'"
assert_eq 1 "$COUNT" "clean spawned exactly once"
state_of clean
assert_eq EXITED "$STATE" "clean stays EXITED"
ctl pid clean
assert_ctl 7 0 "pid clean (EXITED)"
status_line clean
assert_match "^clean {28}EXITED    [A-Z][a-z][a-z] [0-9][0-9] [0-9][0-9]:[0-9][0-9] [AP]M\$" \
	"$LINE" "status clean: EXITED with the exit date"

exit 0

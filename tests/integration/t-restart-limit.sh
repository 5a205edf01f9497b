#!/bin/sh
# shellcheck disable=SC2016,SC2034,SC2119 # conditions are eval'd later by wait_until
# restart_limit=COUNT/SECONDS (issue 16): a program that runs past
# startsecs and then crashes is restarted at most COUNT times in any
# SECONDS, then goes FATAL with the reason in status and in the log; a
# start by hand starts a new count; restarts spread wider than the limit
# go on forever; restarts for health count too; shutdown_on=fatal applies
# to such a FATAL.
# shellcheck source=tests/integration/lib.sh disable=SC1091
. "${TEND_SRCDIR:-.}/tests/integration/lib.sh"

# the restart floor (1 s) would make this test slow, not different
TEND_RESTART_FLOOR=0.05
export TEND_RESTART_FLOOR

tend_config <<EOF
[program:crashy]
command=/bin/sh -c 'exit 1'
startsecs=0
autorestart=true
restart_limit=5/60

[program:slow]
command=/bin/sh -c 'sleep 0.6; exit 1'
startsecs=0
autorestart=true
restart_limit=3/1s

[program:free]
command=/bin/sh -c 'exit 1'
startsecs=0
autorestart=true

[program:sick]
command=/bin/sleep 1000
startsecs=0
healthcheck=tcp:127.0.0.1:1
healthcheck_interval=1
healthcheck_retries=1
restart_limit=2/60
EOF
tend_start

wait_state crashy FATAL 30
ctl status crashy
assert_ctl 3 "$(printf '%-33s%-10s%s' crashy FATAL 'restarted 5 times in 60 s')" \
	"status crashy after the limit"
wait_log "gave up: crashy restarted 5 times in 60 s"
log_count "spawned: 'crashy' with pid "
assert_eq 6 "$COUNT" "spawns of crashy (the first + 5 restarts)"

# restarts for health count too: sick (nothing listens on port 1) is
# restarted twice, then given up on
wait_state sick FATAL 60
log_count "restarting sick: unhealthy"
assert_eq 3 "$COUNT" "health restarts of sick (2 allowed, the third refused)"
wait_log "gave up: sick restarted 2 times in 60 s"
log_count "spawned: 'sick' with pid "
assert_eq 3 "$COUNT" "spawns of sick"

# start by hand: a new count of 5
ctl start crashy
wait_until 30 'log_count "gave up: crashy restarted 5 times"; [ "$COUNT" -ge 2 ]' \
	"crashy to give up a second time"
log_count "spawned: 'crashy' with pid "
assert_eq 12 "$COUNT" "spawns of crashy after a start by hand"

# slow restarts about every 0.6 s: never 3 restarts within 1 s (a loaded
# machine only spreads them more)
wait_until 60 'log_count "spawned: '"'"'slow'"'"' with pid "; [ "$COUNT" -ge 8 ]' \
	"slow to be restarted 7 times"
log_has "gave up: slow" && fail "slow gave up although its restarts were spread"
# free has no limit: restarted on and on, as supervisord does
wait_until 60 'log_count "spawned: '"'"'free'"'"' with pid "; [ "$COUNT" -ge 20 ]' \
	"free to be restarted 19 times"
log_has "gave up: free" && fail "free gave up without a restart_limit"
tend_stop

# shutdown_on=fatal: the FATAL of the limit ends tendd with the last exit code
tend_config <<EOF
[program:main]
command=/bin/sh -c 'exit 5'
startsecs=0
autorestart=true
restart_limit=2/60
shutdown_on=fatal

[program:side]
command=/bin/sleep 1000
startsecs=0
EOF
"$TENDD" -n -c "$CONF" >"$T/tendd.out" 2>"$ERRFILE" &
TENDD_PID=$!
TENDD_IS_CHILD=1
wait_until 30 '! tendd_alive' "tendd to exit after main's FATAL"
wait "$TENDD_PID"
TENDD_STATUS=$?
TENDD_PID=
assert_eq 5 "$TENDD_STATUS" "tendd's exit status (main's last exit code)"
wait_log "gave up: main restarted 2 times in 60 s"
log_has "main entered FATAL state and has shutdown_on=fatal" ||
	fail "no log line for the shutdown"
[ ! -e "$CONTROL" ] || fail "the control FIFO is left"

# a bad value is refused at its line
tend_config <<EOF
[program:bad]
command=/bin/true
restart_limit=10 per minute
EOF
"$TENDD" -t -c "$CONF" >"$T/t.out" 2>&1 && fail "tendd -t accepted restart_limit=10 per minute"
assert_match "restart_limit: \"10 per minute\" is not COUNT/SECONDS \\(such as 10/60\\) or off" \
	"$(cat "$T/t.out")" "the error for a bad restart_limit"
grep -q "^tendd: $CONF:[0-9]*: \[program:bad\] restart_limit: " "$T/t.out" ||
	fail "the error does not name the file, line and key: $(cat "$T/t.out")"
exit 0

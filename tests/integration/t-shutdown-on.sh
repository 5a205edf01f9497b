#!/bin/sh
# shellcheck disable=SC2016,SC2034,SC2119 # conditions are eval'd later by wait_until
# shutdown_on= (containers: supervisord #712): a program with
# shutdown_on=exit that exits and is not restarted stops every other
# program and makes tendd exit with its exit code (128+N for signal N);
# one stopped by tendctl ends nothing; shutdown_on=fatal ignores an exit
# that is not restarted but a FATAL ends tendd, with the last exit code.
# Each time the other programs are stopped first, and the FIFO and the pid
# file are removed.
# shellcheck source=tests/integration/lib.sh disable=SC1091
. "${TEND_SRCDIR:-.}/tests/integration/lib.sh"

# Programs wait on FIFOs: the test decides when each one exits.
mkfifo "$T/go-main" "$T/go-quiet" "$T/go-crash" || hard_error "mkfifo"

# await_end STATUS WHAT: tendd exits by itself, with STATUS, having
# removed its FIFO and pid file.
await_end() {
	wait_until 20 '! tendd_alive' "tendd to exit ($2)"
	wait "$TENDD_PID"
	TENDD_STATUS=$?
	TENDD_PID=
	assert_eq "$1" "$TENDD_STATUS" "tendd's exit status ($2)"
	[ ! -e "$CONTROL" ] || fail "the control FIFO is left ($2)"
	[ ! -e "$PIDFILE" ] || fail "the pid file is left ($2)"
}

exit_config() {
	tend_config <<EOF
[program:main]
command=/bin/sh -c 'read x <"$T/go-main"; exit 3'
shutdown_on=exit
autorestart=false
startsecs=0

[program:side]
command=/bin/sleep 1000
startsecs=0
EOF
}

# 1. shutdown_on=exit: main exits 3, side is stopped, tendd exits 3.
exit_config
tend_start
wait_state main RUNNING
wait_state side RUNNING
child_pid side
SIDE=$CPID
echo go >"$T/go-main"
await_end 3 "main exited 3"
wait_until 10 '! proc_alive "$SIDE"' "side to be stopped"
log_has "main entered EXITED state and has shutdown_on=exit: stopping everything; tendd will exit with status 3" ||
	fail "no log line for the shutdown"
log_has "stopped: side" || fail "side was not stopped in order"

# 2. Killed by a signal: 128 + 9.
exit_config
tend_start
wait_state main RUNNING
child_pid main
kill -KILL "$CPID"
await_end 137 "main killed by SIGKILL"

# 3. Stopped by tendctl: nothing ends; tendd stops as usual (status 0).
exit_config
tend_start
wait_state main RUNNING
ctl stop main
assert_ctl 0 "main: stopped" "stop main"
state_of main
assert_eq STOPPED "$STATE" "main after stop"
tendd_alive || fail "tendd ended with a program stopped by tendctl"
ctl status side
assert_eq 0 "$CTL_RC" "side still runs"
tend_stop

# 4. shutdown_on=fatal: an exit that is not restarted is not fatal; a
# program that fails its start (startretries=0) ends tendd with its code.
tend_config <<EOF
[program:quiet]
command=/bin/sh -c 'read x <"$T/go-quiet"; exit 0'
shutdown_on=fatal
autorestart=false
startsecs=0

[program:crash]
command=/bin/sh -c 'read x <"$T/go-crash"; exit 5'
shutdown_on=fatal
startsecs=100
startretries=0
EOF
tend_start
wait_state quiet RUNNING
wait_state crash STARTING
echo go >"$T/go-quiet"
wait_state quiet EXITED
tendd_alive || fail "tendd ended on an EXITED shutdown_on=fatal program"
ctl pid
assert_eq 0 "$CTL_RC" "tendd still answers"
echo go >"$T/go-crash"
await_end 5 "crash went FATAL after exit 5"
log_has "gave up: crash entered FATAL state" || fail "crash never went FATAL"
log_has "crash entered FATAL state and has shutdown_on=fatal" ||
	fail "no log line for the fatal shutdown"
exit 0

#!/bin/sh
# shellcheck disable=SC2016,SC2034,SC2119 # conditions are eval'd later by wait_until
# tendd without -n: the launching command returns only once the daemon's FIFO
# answers; the daemon writes its pid file, runs in / with 0-2 on /dev/null,
# refuses a second instance, and on SIGTERM stops its children and removes
# the pid file and the FIFO.
# shellcheck source=tests/integration/lib.sh disable=SC1091
. "${TEND_SRCDIR:-.}/tests/integration/lib.sh"

tend_config <<EOF
[program:web]
command=/bin/sleep 1000
startsecs=0
EOF

timeout -s KILL 30 "$TENDD" -c "$CONF" >"$T/launch.out" 2>"$T/launch.err" </dev/null
RC=$?
[ "$RC" = 137 ] && fail "tendd -c CONF did not return within 30 s"
assert_eq 0 "$RC" "tendd -c CONF (daemonize): exit code ($(cat "$T/launch.err"))"

# Right after it returned: no retry allowed.
ctl pid
assert_eq 0 "$CTL_RC" "tendctl pid right after the launcher returned: exit code ($CTL_ERR)"
D=$CTL_OUT
case $D in
'' | *[!0-9]*) fail "tendctl pid gave '$D'" ;;
esac
TENDD_PID=$D		# teardown stops it if the test fails
TENDD_IS_CHILD=0
[ -f "$PIDFILE" ] || fail "no pid file $PIDFILE"
assert_eq "$D" "$(cat "$PIDFILE")" "pid file content vs tendctl pid"
[ -p "$CONTROL" ] || fail "$CONTROL is not a FIFO"

assert_eq / "$(readlink "/proc/$D/cwd")" "the daemon's cwd"
for fd in 0 1 2; do
	assert_eq /dev/null "$(readlink "/proc/$D/fd/$fd")" "the daemon's fd $fd"
done
# Double fork: the daemon is not a session leader (it can never acquire a
# controlling terminal) and has no terminal.
SID=$(ps -o sid= -p "$D" | tr -d ' ')
assert_ne "$D" "$SID" "the daemon's session id (must not be a session leader)"
assert_eq "?" "$(ps -o tty= -p "$D" | tr -d ' ')" "the daemon's controlling tty"

wait_state web RUNNING
child_pid web
WEB=$CPID

# A second instance refuses to start and leaves the first alone.
timeout -s KILL 30 "$TENDD" -c "$CONF" >"$T/second.out" 2>&1 </dev/null
RC=$?
[ "$RC" = 137 ] && fail "a second tendd -c CONF did not return within 30 s"
assert_ne 0 "$RC" "second tendd -c CONF: exit code"
assert_match "already running" "$(cat "$T/second.out")" "second tendd: message"
assert_eq "$D" "$(cat "$PIDFILE" 2>/dev/null)" "pid file after the second instance"
ctl pid
assert_ctl 0 "$D" "tendctl pid after the second instance"
proc_alive "$WEB" || fail "web ($WEB) died when the second instance ran"

# The same with -n.
timeout -s KILL 30 "$TENDD" -n -c "$CONF" >"$T/second-n.out" 2>&1 </dev/null
RC=$?
assert_ne 0 "$RC" "second tendd -n -c CONF: exit code"
assert_match "already running" "$(cat "$T/second-n.out")" "second tendd -n: message"
ctl pid
assert_ctl 0 "$D" "tendctl pid after the second instance (-n)"

# SIGTERM: children stopped, pid file and FIFO removed, daemon gone.
kill -TERM "$D"
wait_until 20 '! proc_alive "$D"' "the daemon ($D) to exit after SIGTERM"
TENDD_PID=
proc_alive "$WEB" && fail "web ($WEB) survived the daemon's SIGTERM"
[ -e "$PIDFILE" ] && fail "pid file $PIDFILE left after SIGTERM"
[ -e "$CONTROL" ] && fail "FIFO $CONTROL left after SIGTERM"
wait_until 10 '[ -z "$(marker_pids)" ]' "every supervised process to be gone"

# A stale pid file (dead pid) does not prevent a new start.
echo 999999 >"$PIDFILE"
timeout -s KILL 30 "$TENDD" -c "$CONF" >"$T/third.out" 2>&1 </dev/null
RC=$?
assert_eq 0 "$RC" "tendd -c CONF with a stale pid file: exit code ($(cat "$T/third.out"))"
ctl pid
assert_eq 0 "$CTL_RC" "tendctl pid after a start over a stale pid file"
TENDD_PID=$CTL_OUT
assert_eq "$TENDD_PID" "$(cat "$PIDFILE")" "pid file rewritten over the stale one"
tend_stop

exit 0

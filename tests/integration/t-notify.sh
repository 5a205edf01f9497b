#!/bin/sh
# shellcheck disable=SC2016,SC2034,SC2317 # conditions are eval'd later by wait_until
# systemd readiness (Type=notify): with NOTIFY_SOCKET set, tendd sends
# READY=1 once its control FIFO answers, STATUS= with the count of processes
# per state, RELOADING=1 then READY=1 around a SIGHUP reload and a live
# re-exec (tendctl reexec, same pid: MAINPID stays), STOPPING=1 at
# shutdown; to a socket path and to an abstract "@name". Its programs never
# see NOTIFY_SOCKET.
# shellcheck source=tests/integration/lib.sh disable=SC1091
. "${TEND_SRCDIR:-.}/tests/integration/lib.sh"

command -v python3 >/dev/null 2>&1 || skip "python3 is needed to play systemd"
HELPER=$TEND_SRCDIR/tests/integration/notifysock.py
LISTENER=

# listen ADDRESS: start the fake systemd; messages go to $MSGS.
listen() {
	MSGS=$T/notify.$2
	python3 "$HELPER" "$1" "$MSGS" 2>"$T/notifysock.err" &
	LISTENER=$!
	wait_until 20 '[ -e "$MSGS.ready" ]' "notifysock.py to bind $1"
}

# has LINE: a message was exactly LINE.
has() {
	grep -qxF -- "$1" "$MSGS" 2>/dev/null
}

stop_listener() {
	if [ -n "$LISTENER" ]; then
		kill "$LISTENER" 2>/dev/null
		wait "$LISTENER" 2>/dev/null
	fi
	LISTENER=
}

tend_config <<EOF
[program:up]
command=/bin/sh -c 'env >"$T/child.env"; exec /bin/sleep 1000'
startsecs=0

[program:manual]
command=/bin/sleep 1000
autostart=false
EOF

# 1. A socket path.
listen "$T/notify.sock" path
NOTIFY_SOCKET=$T/notify.sock
export NOTIFY_SOCKET
tend_start
unset NOTIFY_SOCKET
wait_until 20 'has READY=1' "READY=1"
wait_state up RUNNING
wait_until 20 'has "STATUS=2 processes: 1 RUNNING, 1 STOPPED"' \
	"STATUS= with one RUNNING and one STOPPED"
# READY=1 came first: nothing before it but what start-up sends.
assert_eq READY=1 "$(head -n 1 "$MSGS")" "first message"
wait_until 20 '[ -s "$T/child.env" ]' "the child to write its environment"
assert_no_match '^NOTIFY_SOCKET=' "$(cat "$T/child.env")" \
	"NOTIFY_SOCKET in a program's environment"

ctl start manual
wait_until 20 'has "STATUS=2 processes: 2 RUNNING"' "STATUS= with two RUNNING"

# A reload: RELOADING=1 (with MONOTONIC_USEC for systemd >= 253), then
# READY=1 again.
kill -HUP "$TENDD_PID"
wait_until 20 'grep -qE "^RELOADING=1\|MONOTONIC_USEC=[0-9]+$" "$MSGS"' \
	"RELOADING=1|MONOTONIC_USEC="
wait_until 20 '[ "$(grep -c "^READY=1$" "$MSGS")" = 2 ]' "READY=1 after reload"
assert_match '^READY=1$' "$(sed -n '/^RELOADING=1/,$p' "$MSGS" | sed 1d)" \
	"READY=1 follows RELOADING=1"

# A live re-exec: RELOADING=1 then READY=1 again, from the same pid (the
# socket to systemd is opened again by the new image). Under valgrind that
# does not follow execs (run-tests' valgrind pass) tendd refuses it, with
# the reason, and goes on as before (t-reexec-valgrind covers the rest).
case ${TENDD_WRAPPER:-} in
*valgrind*)
	case $TENDD_WRAPPER in *--trace-children=yes*) novg=0 ;; *) novg=1 ;; esac ;;
*) novg=0 ;;
esac
ctl reexec
if [ "$novg" = 1 ]; then
	assert_eq 1 "$CTL_RC" "reexec under valgrind without --trace-children"
	assert_match "reexec refused: tendd runs under valgrind" "$CTL_ERR" \
		"the refusal under valgrind"
else
	assert_eq 0 "$CTL_RC" "reexec (stderr: $CTL_ERR)"
	wait_until 20 '[ "$(grep -c "^RELOADING=1" "$MSGS")" = 2 ]' "RELOADING=1 at the reexec"
	wait_until 20 '[ "$(grep -c "^READY=1$" "$MSGS")" = 3 ]' "READY=1 after the reexec"
	assert_eq READY=1 "$(awk '/^RELOADING=1/ { r = 1; next } r && /^READY=1$/ { print; exit }' "$MSGS")" \
		"READY=1 after the last RELOADING=1"
fi
ctl pid
assert_eq "$TENDD_PID" "$CTL_OUT" "tendd's pid (MAINPID) after the reexec"

tend_stop
wait_until 20 'has STOPPING=1' "STOPPING=1"
assert_match '^STATUS=2 processes: 2 STOPPED$' "$(sed -n '/^STOPPING=1$/,$p' "$MSGS")" \
	"STATUS= after STOPPING=1"
assert_no_match '^BAD:' "$(cat "$MSGS")" "malformed messages"
stop_listener

# 2. An abstract socket name.
listen "@tend-test-$TAG" abstract
NOTIFY_SOCKET=@tend-test-$TAG
export NOTIFY_SOCKET
tend_start
unset NOTIFY_SOCKET
wait_until 20 'has READY=1' "READY=1 on an abstract socket"
ctl shutdown
assert_ctl 0 "Shut down" "shutdown"
wait_until 20 'has STOPPING=1' "STOPPING=1 on an abstract socket"
# It leaves by itself: no SIGTERM that could land after its handlers are gone.
wait_until 20 '! tendd_alive' "tendd to exit after shutdown"
wait "$TENDD_PID"
assert_eq 0 "$?" "tendd's exit status after shutdown"
TENDD_PID=
stop_listener

# 3. A NOTIFY_SOCKET that is no socket name: a warning, tendd runs anyway.
NOTIFY_SOCKET=relative/name
export NOTIFY_SOCKET
tend_start
unset NOTIFY_SOCKET
wait_log "NOTIFY_SOCKET=relative/name: not an absolute path"
tend_stop
exit 0

#!/bin/sh
# shellcheck disable=SC2016,SC2034,SC2119,SC2317 # conditions are eval'd later by wait_until
# The one-line listener of supervisord's issue 733: on its first event it
# sends SIGTERM to its parent, the supervisor, and answers RESULT 2 OK
# without reading the payload. tendd shuts down cleanly: every program
# stopped, exit status 0, no FIFO nor pid file left.
# shellcheck source=tests/integration/lib.sh disable=SC1091
. "${TEND_SRCDIR:-.}/tests/integration/lib.sh"

mkfifo "$T/go-main" || hard_error "mkfifo"
tend_config <<EOF
[program:main]
command=/bin/sh -c 'read x <"$T/go-main"; exit 1'
autorestart=false
startsecs=0

[program:side]
command=/bin/sleep 1000
startsecs=0

[eventlistener:quit]
command=sh -c 'while true; do printf "READY\n"; read line; kill -15 \$PPID; printf "RESULT 2\nOK"; done'
events=PROCESS_STATE_EXITED
EOF
tend_start
wait_state main RUNNING
wait_state side RUNNING
wait_state quit RUNNING
child_pid side
SIDE=$CPID
echo go >"$T/go-main"

wait_until 20 '! tendd_alive' "tendd to exit after the listener's SIGTERM"
wait "$TENDD_PID"
TENDD_STATUS=$?
TENDD_PID=
assert_eq 0 "$TENDD_STATUS" "tendd's exit status"
[ ! -e "$CONTROL" ] || fail "the control FIFO is left"
[ ! -e "$PIDFILE" ] || fail "the pid file is left"
proc_alive "$SIDE" && fail "side ($SIDE) survived"
log_has "received SIGTERM indicating exit request" || fail "no SIGTERM log line"
log_has "stopped: side" || fail "side was not stopped"
log_has "stopped: quit" || fail "the listener was not stopped"
exit 0

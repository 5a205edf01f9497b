#!/bin/sh
# shellcheck disable=SC2016,SC2034,SC2119,SC2317 # conditions are eval'd later by wait_until
# A container's supervisord.conf: the main program exits (autorestart=false)
# and a stop-supervisor.sh style event listener on PROCESS_STATE_EXITED and
# PROCESS_STATE_FATAL says READY, reads one event and sends SIGQUIT to the
# supervisor (its pid from the pid file): tendd stops every program and
# exits 0, leaving no FIFO and no pid file. The listener's stdout is the
# protocol, not a log; its stderr is logged.
# shellcheck source=tests/integration/lib.sh disable=SC1091
. "${TEND_SRCDIR:-.}/tests/integration/lib.sh"

mkfifo "$T/go-main" || hard_error "mkfifo"
# as the Docker images have it (stop-supervisor.sh)
cat >"$T/stop-supervisor.sh" <<EOF
#!/bin/sh
printf "READY\n"
while read -r line; do
	echo "Processing Event: \$line" >&2
	kill -QUIT "\$(cat "$PIDFILE")"
done </dev/stdin
EOF
chmod +x "$T/stop-supervisor.sh" || hard_error "chmod"

tend_config <<EOF
[program:main]
command=/bin/sh -c 'read x <"$T/go-main"; exit 0'
autorestart=false
startsecs=0

[program:side]
command=/bin/sleep 1000
startsecs=0

[eventlistener:stopper]
command=$T/stop-supervisor.sh
events=PROCESS_STATE_EXITED,PROCESS_STATE_FATAL
EOF
tend_start
wait_state main RUNNING
wait_state side RUNNING
wait_state stopper RUNNING
ctl status
assert_match '^stopper +RUNNING +pid [0-9]+' "$CTL_OUT" "status shows the listener"
child_pid side
SIDE=$CPID
echo go >"$T/go-main"

wait_until 20 '! tendd_alive' "tendd to exit after the listener's SIGQUIT"
wait "$TENDD_PID"
TENDD_STATUS=$?
TENDD_PID=
assert_eq 0 "$TENDD_STATUS" "tendd's exit status"
[ ! -e "$CONTROL" ] || fail "the control FIFO is left"
[ ! -e "$PIDFILE" ] || fail "the pid file is left"
proc_alive "$SIDE" && fail "side ($SIDE) survived"
log_has "received SIGQUIT indicating exit request" || fail "no SIGQUIT log line"
log_has "stopped: side" || fail "side was not stopped"
grep -q "Processing Event: ver:3.0 server:supervisor serial:[0-9]* pool:stopper poolserial:[0-9]* eventname:PROCESS_STATE_EXITED len:[0-9]*" \
	"$T"/log/stopper-stderr.log* ||
	fail "the listener's stderr log does not show the event header: $(cat "$T"/log/stopper-stderr.log* 2>&1)"
exit 0

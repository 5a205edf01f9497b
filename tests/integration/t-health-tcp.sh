#!/bin/sh
# shellcheck disable=SC2016,SC2034,SC2119 # conditions are eval'd later by wait_until
# healthcheck=tcp: a program is probed by a non-blocking connect in tendd's
# loop while it is RUNNING. With the listener up it is healthy: its status
# line is supervisord's exactly, status --json says "healthy":true and the
# metrics (valid exposition format) have tend_process_healthy 1. With the
# listener gone the probes fail: status shows "unhealthy (1 of 3 failed:
# connection refused)", and after 3 failures in a row the log says
# "unhealthy: web (connection refused)" and "restarting web: unhealthy",
# and web is stopped the usual way and spawned again (a new pid, counted in
# restarts). Listening again, it is healthy again. A stopped program is not
# probed, and a program probed every 30 s leaves tendd idle in between.
# shellcheck source=tests/integration/lib.sh disable=SC1091
. "${TEND_SRCDIR:-.}/tests/integration/lib.sh"

command -v python3 >/dev/null 2>&1 || skip "python3 is needed for the test listener"
SERVER=$TEND_SRCDIR/tests/integration/healthserver.py
# the interpreter itself, not a wrapper (pyenv's shim) whose pid $! would be
PY=$(python3 -c 'import sys; print(sys.executable)') || hard_error "python3"
SRV=
SLOW=
TEARDOWN_HOOK='[ -n "$SRV" ] && kill "$SRV" 2>/dev/null; [ -n "$SLOW" ] && kill "$SLOW" 2>/dev/null'

# listen [PORT]: the test listener on PORT (or a free one), its port in PORT.
listen() {
	rm -f "$T/port"
	"$PY" "$SERVER" "$T/port" ${1:+--port "$1"} &
	SRV=$!
	wait_until 10 '[ -s "$T/port" ]' "the test listener's port"
	PORT=$(cat "$T/port")
}
listen
rm -f "$T/port"
"$PY" "$SERVER" "$T/port" &
SLOW=$!
wait_until 10 '[ -s "$T/port" ]' "the second listener's port"
SLOW_PORT=$(cat "$T/port")

tend_config <<EOF
[program:web]
command=/bin/sleep 1000
startsecs=0
stopwaitsecs=5
healthcheck=tcp:127.0.0.1:$PORT
healthcheck_interval=1
healthcheck_timeout=2
healthcheck_retries=3

[program:slow]
command=/bin/sleep 1000
startsecs=0
healthcheck=tcp:localhost:$SLOW_PORT
healthcheck_interval=30

[program:plain]
command=/bin/sleep 1000
startsecs=0
EOF
tend_start
wait_state web RUNNING

# 1. healthy: the line stays supervisord's; json and metrics say so.
healthy_json() {
	ctl status --json "$1"
	printf '%s\n' "$CTL_OUT" | grep -q "\"healthy\":$2,"
}
wait_until 20 'healthy_json web true' "web healthy in status --json"
status_line web
assert_match '^web +RUNNING +pid [0-9]+, uptime [0-9]+:[0-9]{2}:[0-9]{2}$' "$LINE" "healthy status line"
ctl status --json plain
assert_match '"healthy":null,"health_failures":0' "$CTL_OUT" "plain's json without a check"
child_pid web
OLD_PID=$CPID
ctl metrics
printf '%s\n' "$CTL_OUT" >"$T/metrics.prom"
python3 "$TEND_SRCDIR/tests/integration/promcheck.py" "$T/metrics.prom" >"$T/samples" ||
	fail "metrics not valid: $(cat "$T/samples")"
assert_match '^tend_process_healthy\{name="web",group="web"\} 1$' "$(cat "$T/samples")" "web's healthy metric"
assert_match '^tend_process_health_failures\{name="web",group="web"\} 0$' "$(cat "$T/samples")" "web's failures metric"
assert_no_match 'name="plain"' "$(grep health "$T/samples")" "plain has no health metric"

# 2. the listener goes: failures counted in status, then the restart.
kill "$SRV"
wait "$SRV" 2>/dev/null
SRV=
unhealthy_shown() {
	status_line web
	printf '%s\n' "$LINE" | grep -Eq '^web +RUNNING +pid [0-9]+, uptime [0-9:]+, unhealthy \([12] of 3 failed: connection refused\)$'
}
wait_until 20 'unhealthy_shown' "status to show web's failures"
ctl status --json web
assert_match '"healthy":false,"health_failures":[12]' "$CTL_OUT" "json while failing"
wait_log "unhealthy: web (connection refused)"
wait_log "restarting web: unhealthy"
log_has "health check of web failed (1 of 3): connection refused" ||
	fail "no line for the first failure"
wait_log "stopped: web (terminated by SIGTERM)"
new_pid() {
	ctl pid web
	[ -n "$CTL_OUT" ] && [ "$CTL_OUT" != 0 ] && [ "$CTL_OUT" != "$OLD_PID" ]
}
wait_until 20 'new_pid' "web to be spawned again"
ctl metrics
assert_match '^tend_process_restarts_total\{name="web",group="web"\} [1-9]' "$CTL_OUT" "the restart is counted"

# 3. listening again on the same port: healthy again.
listen "$PORT"
wait_until 30 'healthy_json web true' "web healthy after the listener is back"
wait_state web RUNNING

# 4. a stopped program is not probed; slow (every 30 s) leaves tendd idle.
ctl stop web
assert_ctl 0 "web: stopped" "stop web"
ctl status --json web
assert_match '"healthy":null' "$CTL_OUT" "no health for a stopped program"
log_count "health check of web"
BEFORE=$COUNT
wait_until 20 'healthy_json slow null || healthy_json slow true' "slow's status"
assert_idle 2 "one program probed every 30 s"
log_count "health check of web"
assert_eq "$BEFORE" "$COUNT" "probes of web after its stop"

#!/bin/sh
# shellcheck disable=SC2016,SC2034,SC2119 # conditions are eval'd later by wait_until
# healthcheck=http://: tendd sends "GET /health HTTP/1.1" from its loop and
# reads the status line. 200 is healthy; 503 fails with "http 503 from
# URL", and with healthcheck_action=none the program is reported
# ("unhealthy: web (http 503 from ...)", in status too) but never
# restarted; a server that accepts and never answers fails with "timed out
# after 1 s"; a 302 is healthy again ("healthy again: web"). An early close,
# a first line that never ends and a status line in pieces are read right.
# shellcheck source=tests/integration/lib.sh disable=SC1091
. "${TEND_SRCDIR:-.}/tests/integration/lib.sh"

start_http_server
URL=http://127.0.0.1:$PORT/health

tend_config <<EOF
[program:web]
command=/bin/sleep 1000
startsecs=0
healthcheck=$URL
healthcheck_interval=1
healthcheck_timeout=1
healthcheck_retries=2
healthcheck_action=none
EOF
tend_start
wait_state web RUNNING
child_pid web
PID=$CPID

healthy_json() {
	ctl status --json web
	printf '%s\n' "$CTL_OUT" | grep -q "\"healthy\":$1,"
}
status_has() {
	status_line web
	printf '%s\n' "$LINE" | grep -Eq "$1"
}

# 1. 200: healthy, with the request we meant.
wait_until 20 'healthy_json true' "web healthy"
assert_match '^GET /health HTTP/1.1$' "$(cat "$T/port.requests")" "the request line"
status_line web
assert_match '^web +RUNNING +pid [0-9]+, uptime [0-9:]+$' "$LINE" "healthy status line"

# 2. 503: reported, not restarted.
echo 503 >"$T/status"
wait_log "unhealthy: web (http 503 from $URL)"
wait_until 20 "status_has ', unhealthy \\(([0-9]+ of 2|[0-9]+ failed in a row): http 503 from http://127\\.0\\.0\\.1:$PORT/health\\)$'" \
	"status to show the 503"
healthy_json false || fail "json while failing: $CTL_OUT"

# 3. accepted, never answered: the probe times out.
echo hang >"$T/status"
wait_until 20 "status_has 'timed out after 1 s\\)$'" "status to show the timeout"

# 4. a redirect is healthy: the failures are forgotten.
echo 302 >"$T/status"
wait_log "healthy again: web"
wait_until 20 'healthy_json true' "web healthy again"
status_line web
assert_match '^web +RUNNING +pid [0-9]+, uptime [0-9:]+$' "$LINE" "status line healthy again"
log_has "restarting web" && fail "web was restarted under healthcheck_action=none"
child_pid web
assert_eq "$PID" "$CPID" "web's pid (never restarted)"

# 5. a server that closes without a word, one whose first line never ends
# (read no further than the status line needs), and a status line that
# comes in pieces (healthy: the answer is read until its line ends).
echo close >"$T/status"
wait_until 20 "status_has 'connection closed without an answer from http://127\\.0\\.0\\.1:$PORT/health\\)$'" \
	"status to show the early close"
echo huge >"$T/status"
wait_until 20 "status_has 'no HTTP answer from http://127\\.0\\.0\\.1:$PORT/health\\)$'" \
	"status to show the endless first line"
echo split >"$T/status"
wait_until 20 'log_count "healthy again: web"; [ "$COUNT" -ge 2 ]' \
	"web healthy again on a status line in pieces"
healthy_json true || fail "json after the split answer: $CTL_OUT"
tendd_alive || fail "tendd died"

#!/bin/sh
# shellcheck disable=SC2016,SC2034,SC2119 # conditions are eval'd later by wait_until
# update within a group whose other program changed: web, unchanged, keeps
# running (same pid) with the new configuration's definition, and its probes
# go on against that one (the old configuration is freed once nothing runs
# with it: a probe still reading it would be a use after free, which
# ASan/valgrind report). The probes keep coming (each request is logged by
# the test server) and web stays healthy.
# shellcheck source=tests/integration/lib.sh disable=SC1091
. "${TEND_SRCDIR:-.}/tests/integration/lib.sh"

start_http_server

# programs B_SLEEP
programs() {
	cat <<EOF2
[group:g]
programs=web,b

[program:web]
command=/bin/sleep 1000
startsecs=0
healthcheck=http://127.0.0.1:$PORT/health
healthcheck_interval=1
healthcheck_timeout=5

[program:b]
command=/bin/sleep $1
startsecs=0
EOF2
}
programs 1000 | tend_config
tend_start
wait_state g:web RUNNING
wait_state g:b RUNNING
child_pid g:web
PID=$CPID

healthy_json() {
	ctl status --json g:web
	printf '%s\n' "$CTL_OUT" | grep -q '"healthy":true,'
}
requests() {
	REQS=$(wc -l <"$T/port.requests" 2>/dev/null || echo 0)
}
wait_until 20 'healthy_json' "web healthy"

# twice: the first configuration is freed by the second update
for b in 999 998; do
	programs "$b" | tend_config
	ctl update
	assert_ctl 0 "g: stopped
g: updated process group" "update g ($b)"
	wait_state g:b RUNNING
done
requests
BEFORE=$REQS
probed_since() {
	requests
	[ "$REQS" -ge $((BEFORE + 2)) ]
}
wait_until 20 'probed_since' "two probes after the update"
tendd_alive || fail "tendd died after the update"
healthy_json || fail "web not healthy after the update: $CTL_OUT"
child_pid g:web
assert_eq "$PID" "$CPID" "web's pid (unchanged, kept running)"

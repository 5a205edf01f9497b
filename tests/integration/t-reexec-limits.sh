#!/bin/sh
# shellcheck disable=SC2016,SC2034,SC2119 # conditions are eval'd later by wait_until
# Live re-exec (issue 16) keeps what restart_limit= and the health checks
# count: a program restarted twice under restart_limit=2/600 goes FATAL at
# its next crash after a re-exec (the history crossed the exec), and a
# failing health check's count of failures is not reset by one.
# shellcheck source=tests/integration/lib.sh disable=SC1091
. "${TEND_SRCDIR:-.}/tests/integration/lib.sh"

TEND_RESTART_FLOOR=0
export TEND_RESTART_FLOOR
mkfifo "$T/crash" || hard_error "mkfifo"

tend_config <<EOF
[program:crashy]
command=/bin/sh -c 'read x <"$T/crash"; exit 1'
startsecs=0
autorestart=true
restart_limit=2/600

[program:sick]
command=/bin/sleep 1000
startsecs=0
healthcheck=tcp:127.0.0.1:1
healthcheck_interval=1
healthcheck_retries=1000
healthcheck_action=none
EOF
tend_start
wait_state crashy RUNNING

# crash N: make crashy exit and wait for its Nth spawn
crash() {
	_want=$1
	echo go >"$T/crash"
	wait_until 20 'log_count "spawned: '"'"'crashy'"'"' with pid "; [ "$COUNT" -ge "$_want" ]' \
		"spawn $_want of crashy"
}
crash 2
crash 3
wait_state crashy RUNNING
wait_until 30 'ctl status --json sick; case $CTL_OUT in *"\"health_failures\":"[2-9]*|*"\"health_failures\":"[1-9][0-9]*) true ;; *) false ;; esac' \
	"sick to fail 2 probes"
before=$(printf '%s\n' "$CTL_OUT" | sed -n 's/.*"health_failures":\([0-9]*\).*/\1/p')

ctl reexec
assert_eq 0 "$CTL_RC" "reexec (stderr: $CTL_ERR)"
ctl status --json sick
after=$(printf '%s\n' "$CTL_OUT" | sed -n 's/.*"health_failures":\([0-9]*\).*/\1/p')
[ -n "$after" ] && [ "$after" -ge "$before" ] ||
	fail "sick's failures went from $before to '$after' across the re-exec"
assert_match '"healthy":false' "$CTL_OUT" "sick is still unhealthy after the re-exec"
ctl status sick
assert_match "unhealthy \\([0-9]+ failed in a row: connection refused\\)|unhealthy \\([0-9]+ of [0-9]+ failed: connection refused\\)" \
	"$CTL_OUT" "sick's status line after the re-exec"

# the third restart within 600 s is refused by the new image
echo go >"$T/crash"
wait_state crashy FATAL 20
wait_log "gave up: crashy restarted 2 times in 600 s"
log_count "spawned: 'crashy' with pid "
assert_eq 3 "$COUNT" "spawns of crashy"
exit 0

#!/bin/sh
# shellcheck disable=SC2016,SC2034,SC2119 # conditions are eval'd later by wait_until
# Spawn errors: a missing binary (found before forking, like supervisord) and
# a directory= that does not exist (reported by the child through the error
# pipe). Both count as failed starts: BACKOFF/FATAL.
# shellcheck source=tests/integration/lib.sh disable=SC1091
. "${TEND_SRCDIR:-.}/tests/integration/lib.sh"

tend_config <<EOF
[program:missing]
command=/nonexistent/prog
startretries=0

[program:baddir]
command=/bin/sleep 1000
directory=$T/nodir
startsecs=1
startretries=1
EOF
tend_start

wait_state missing FATAL
ctl status missing
assert_ctl 3 "$(printf '%-33s%-10s%s' missing FATAL "can't find command '/nonexistent/prog'")" \
	"status missing"
wait_log "spawnerr: can't find command '/nonexistent/prog'"
wait_log "gave up: missing entered FATAL state, too many start retries too quickly"

ctl start missing
assert_ctl 1 "missing: ERROR (no such file)" "start missing"
state_of missing
assert_eq FATAL "$STATE" "missing after start"
ctl pid missing
assert_ctl 7 0 "pid missing"

# directory= missing: the description names the directory.
wait_until 20 'state_of baddir; [ "$STATE" = BACKOFF ] || [ "$STATE" = FATAL ]' \
	"baddir to reach BACKOFF or FATAL"
status_line baddir
assert_match "^baddir {27}(BACKOFF|FATAL) {3,5}.*$T/nodir" "$LINE" \
	"status of baddir names the missing directory"
wait_state baddir FATAL
status_line baddir
assert_match "^baddir {27}FATAL     .*$T/nodir" "$LINE" \
	"status of baddir (FATAL) names the missing directory"
log_has "$T/nodir" || fail "the tendd log does not name $T/nodir"
wait_log "gave up: baddir entered FATAL state, too many start retries too quickly"

exit 0

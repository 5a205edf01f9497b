#!/bin/sh
# shellcheck disable=SC2016,SC2034,SC2119 # conditions are eval'd later by wait_until
# A program that exits before startsecs goes STARTING -> BACKOFF -> ... ->
# FATAL after startretries retries (startretries+1 spawns).
# shellcheck source=tests/integration/lib.sh disable=SC1091
. "${TEND_SRCDIR:-.}/tests/integration/lib.sh"

tend_config <<EOF
[program:bad]
command=/bin/false
startsecs=1
startretries=2
EOF
tend_start

# BACKOFF lasts 1 s, then 2 s: polling every 0.05 s sees it.
wait_state bad BACKOFF
status_line bad
assert_eq "$(printf '%-33s%-10s%s' bad BACKOFF 'Exited too quickly (process log may have details)')" \
	"$LINE" "status bad in BACKOFF"

wait_state bad FATAL 30
ctl status bad
assert_ctl 3 "$(printf '%-33s%-10s%s' bad FATAL 'Exited too quickly (process log may have details)')" \
	"status bad (FATAL)"

wait_log "gave up: bad entered FATAL state, too many start retries too quickly"
log_count "spawned: 'bad' with pid "
assert_eq 3 "$COUNT" "spawned: lines for bad (startretries+1)"
log_count "exited: bad (exit status 1; not expected)"
assert_eq 3 "$COUNT" "exited: lines for bad"

ctl pid bad
assert_ctl 7 0 "pid bad (FATAL)"

# start from FATAL spawns again; the program fails again: spawn error, exit 7.
# The retries start over (supervisord: BACKOFF, 3 more spawns, FATAL again).
ctl start bad
assert_ctl 7 "bad: ERROR (spawn error)" "start bad"
wait_state bad FATAL 30
wait_until 10 'log_count "gave up: bad entered FATAL state"; [ "$COUNT" -ge 2 ]' \
	"a second 'gave up' line"
log_count "spawned: 'bad' with pid "
assert_eq 6 "$COUNT" "spawned: lines for bad after start + retries"

exit 0

#!/bin/sh
# shellcheck disable=SC2016,SC2034,SC2119 # conditions are eval'd later by wait_until
# stopasgroup=true: stop signals the whole process group, so a grandchild
# (a background job of the program's shell) goes too.
# shellcheck source=tests/integration/lib.sh disable=SC1091
. "${TEND_SRCDIR:-.}/tests/integration/lib.sh"

tend_config <<EOF
[program:family]
command=/bin/sh -c "/bin/sleep 1000 & wait"
startsecs=0
stopasgroup=true
stopwaitsecs=10
EOF
tend_start

wait_state family RUNNING
child_pid family
PID=$CPID
wait_until 10 '[ -n "$(children_of "$PID")" ]' "the grandchild of family"
GRANDCHILD=$(children_of "$PID")
note "family pid $PID, grandchild $GRANDCHILD"
# The grandchild is in the program's process group, which is its own.
PGID=$(ps -o pgid= -p "$GRANDCHILD" | tr -d ' ')
assert_eq "$PID" "$PGID" "grandchild's process group (= the program's pid)"

ctl stop family
assert_ctl 0 "family: stopped" "stop family"
proc_alive "$PID" && fail "family ($PID) still alive after stop"
wait_until 10 '! proc_alive "$GRANDCHILD"' "grandchild $GRANDCHILD to be gone"
state_of family
assert_eq STOPPED "$STATE" "family after stop"
# No SIGKILL was needed: SIGTERM reached the whole group.
log_has "killing 'family'" && fail "family needed SIGKILL; SIGTERM should have reached the group"

exit 0

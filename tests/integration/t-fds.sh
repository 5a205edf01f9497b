#!/bin/sh
# shellcheck disable=SC2016,SC2034,SC2119 # conditions are eval'd later by wait_until
# Child hygiene: exactly fds 0 1 2 (0 on /dev/null, 1 and 2 pipes to tendd),
# own process group, no blocked or ignored signals.
# shellcheck source=tests/integration/lib.sh disable=SC1091
. "${TEND_SRCDIR:-.}/tests/integration/lib.sh"

tend_config <<EOF
[program:clean]
command=/bin/sleep 1000
startsecs=0
EOF
# Give tendd a few extra inherited fds (4, 5, 7); none may reach the child.
exec 4</dev/null 5>/dev/null 7<"$CONF"
tend_start
exec 4<&- 5>&- 7<&-

wait_state clean RUNNING
child_pid clean
PID=$CPID

# shellcheck disable=SC2012 # fd names are numbers
FDS=$(ls "/proc/$PID/fd" | sort -n | tr '\n' ' ' | sed 's/ $//')
if [ "$FDS" != "0 1 2" ]; then
	ls -l "/proc/$PID/fd" >&2
	fail "the child's fds are '$FDS', expected '0 1 2'"
fi
assert_eq /dev/null "$(readlink "/proc/$PID/fd/0")" "child fd 0"
assert_match '^pipe:' "$(readlink "/proc/$PID/fd/1")" "child fd 1"
assert_match '^pipe:' "$(readlink "/proc/$PID/fd/2")" "child fd 2"

PGID=$(ps -o pgid= -p "$PID" | tr -d ' ')
assert_eq "$PID" "$PGID" "the child's process group"

proc_field "$PID" SigBlk
assert_eq 0000000000000000 "$FIELD_VAL" "SigBlk of the child"
# The harness starts tendd as a background job of sh, so tendd inherits
# SIGINT and SIGQUIT ignored; tend must reset dispositions in the child.
proc_field "$PID" SigIgn
assert_eq 0000000000000000 "$FIELD_VAL" "SigIgn of the child"

exit 0

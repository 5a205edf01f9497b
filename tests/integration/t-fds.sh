#!/bin/sh
# shellcheck disable=SC2016,SC2034,SC2119 # conditions are eval'd later by wait_until
# Child hygiene: exactly fds 0 1 2 (0 on /dev/null, 1 and 2 pipes to tendd),
# own process group, no blocked or ignored signals.
# shellcheck source=tests/integration/lib.sh disable=SC1091
. "${TEND_SRCDIR:-.}/tests/integration/lib.sh"

# Forty programs with their own stdout and stderr pipes and log files
# before it: tendd holds well over a hundred descriptors when clean starts,
# and none of them may reach clean (spawn.c's child unshares the table).
{
	i=0
	while [ $i -lt 40 ]; do
		printf '[program:busy%02d]\ncommand=/bin/sleep 1000\nstartsecs=0\npriority=1\n\n' $i
		i=$((i + 1))
	done
	printf '[program:clean]\ncommand=/bin/sleep 1000\nstartsecs=0\npriority=999\n'
} | tend_config
# Give tendd a few extra inherited fds (4, 5, 7); none may reach the child.
exec 4</dev/null 5>/dev/null 7<"$CONF"
tend_start
exec 4<&- 5>&- 7<&-

wait_state clean RUNNING
# shellcheck disable=SC2012 # fd names are numbers
NTENDD=$(ls "/proc/$TENDD_PID/fd" | wc -l)
[ "$NTENDD" -gt 100 ] || fail "tendd holds only $NTENDD fds: the test needs many"
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

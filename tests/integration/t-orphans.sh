#!/bin/sh
# shellcheck disable=SC2016,SC2034,SC2119 # conditions are eval'd later by wait_until
# tendd killed with SIGKILL, then started again: the children of the dead
# instance (found through the state file, checked by start time) are killed,
# group and all, before the new instance starts its own: never two copies.
# supervisord runs every program twice here (reliability.md §1.3).
# shellcheck source=tests/integration/lib.sh disable=SC1091
. "${TEND_SRCDIR:-.}/tests/integration/lib.sh"

{
	for i in 1 2 3 4 5; do
		printf '[program:p%s]\ncommand=/bin/sleep 1000\nstartsecs=0\n\n' "$i"
	done
	# One with a grandchild in its process group, and one ignoring TERM.
	cat <<EOF
[program:family]
command=/bin/sh -c "sleep 1000 & wait"
startsecs=0
stopasgroup=true

[program:stubborn]
command=/bin/sh -c "trap '' TERM; exec /bin/sleep 1000"
startsecs=0
stopwaitsecs=1
EOF
} | tend_config
tend_start
for p in p1 p2 p3 p4 p5 family stubborn; do
	wait_state "$p" RUNNING
done
OLD=$(marker_pids | sort | tr '\n' ' ')
[ -n "$OLD" ] || fail "no process carries the test marker"
wait_until 10 '[ -s "$CONTROL.state" ]' "the state file"

kill -KILL "$TENDD_PID"
wait "$TENDD_PID" 2>/dev/null
TENDD_PID=
# The orphans live on without their supervisor.
for p in $OLD; do
	proc_alive "$p" || fail "orphan $p died with tendd (unexpected)"
done

tend_start
for p in p1 p2 p3 p4 p5 family stubborn; do
	wait_state "$p" RUNNING
done
for p in $OLD; do
	wait_until 20 '! proc_alive "$p"' "orphan $p of the killed tendd to be gone"
done
log_has "killing orphan of a previous tendd: 'p1'" ||
	fail "no log line about the orphan of p1"
# Exactly one live copy of each program, all children of the new tendd.
for p in p1 p2 p3 p4 p5 stubborn; do
	child_pid "$p"
	proc_field "$CPID" PPid
	assert_eq "$TENDD_PID" "$FIELD_VAL" "parent of $p"
done
NEW=$(marker_pids | wc -l)
# 7 programs, family has a grandchild sleep: 8 processes.
assert_eq 8 "$NEW" "processes with the marker after the restart"
exit 0

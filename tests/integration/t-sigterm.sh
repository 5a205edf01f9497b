#!/bin/sh
# shellcheck disable=SC2016,SC2034,SC2119 # conditions are eval'd later by wait_until
# SIGTERM to tendd -n: every program is stopped (in reverse priority order,
# SIGKILL for one that ignores SIGTERM), tendd exits 0, removes its FIFO and
# pid file, and leaves no process and no zombie behind.
# shellcheck source=tests/integration/lib.sh disable=SC1091
. "${TEND_SRCDIR:-.}/tests/integration/lib.sh"

tend_config <<EOF
[program:first]
command=/bin/sleep 1000
startsecs=0
priority=100

[program:family]
command=/bin/sh -c "/bin/sleep 1000 & wait"
startsecs=0
stopasgroup=true
priority=200

[program:stubborn]
command=/bin/sh -c "trap '' TERM; exec /bin/sleep 1000"
startsecs=0
stopwaitsecs=1
priority=300
EOF
tend_start

for p in first family stubborn; do
	wait_state "$p" RUNNING
done
wait_until 10 '[ "$(marker_pids | wc -l)" -eq 4 ]' "4 supervised processes (3 programs + 1 grandchild)"
PIDS=$(marker_pids | tr '\n' ' ')
note "supervised pids: $PIDS"
[ -z "$(zombies_of "$TENDD_PID")" ] || fail "zombie children of tendd before SIGTERM"

D=$TENDD_PID
tend_stop 30	# SIGTERM; exit status 0; FIFO and pid file removed
for p in $PIDS; do
	proc_alive "$p" && fail "process $p survived tendd's SIGTERM"
done
[ -z "$(zombies_of "$D")" ] || fail "zombies left by tendd"
wait_until 10 '[ -z "$(marker_pids)" ]' "no process with the test marker"

# Reverse priority order: stubborn (300) first, first (100) last.
log_has "killing 'stubborn'" || fail "stubborn was not SIGKILLed during shutdown"
ORDER=$(sed -n 's/.*stopped: \([a-z]*\) (.*/\1/p' "$LOGFILE" | tr '\n' ' ' | sed 's/ $//')
assert_eq "stubborn family first" "$ORDER" "order of 'stopped:' lines at shutdown"

exit 0

#!/bin/sh
# shellcheck disable=SC2016,SC2034,SC2119 # conditions are eval'd later by wait_until
# F4 (short form): tendd stopped with SIGSTOP for 5 s, then SIGCONT. The
# children keep running meanwhile (a chatty one merely blocks on its full
# pipe), nothing is restarted, the same pids are supervised afterwards, the
# chatty child's output resumes, and tendd's fds are back to the baseline.
# shellcheck source=tests/integration/lib.sh disable=SC1091
. "${TEND_SRCDIR:-.}/tests/integration/lib.sh"

tend_config <<EOF
[program:a]
command=/bin/sleep 1000
startsecs=0

[program:b]
command=/bin/sleep 1000
startsecs=0

[program:chatty]
command=/bin/sh -c 'while :; do echo tick; sleep 0.05; done'
startsecs=0
EOF
tend_start
for p in a b chatty; do
	wait_state "$p" RUNNING
done
PIDS=
for p in a b chatty; do
	child_pid "$p"
	PIDS="$PIDS $CPID"
done
log_count "spawned: "
SPAWNED=$COUNT
fd_baseline

tendd_state() {
	_s=$(cat "/proc/$TENDD_PID/stat" 2>/dev/null)
	_s=${_s##*) }
	TSTATE=${_s%% *}
}
kill -STOP "$TENDD_PID"
wait_until 5 'tendd_state; [ "$TSTATE" = T ]' "tendd to be stopped"
# The scenario itself: 5 s without a supervisor (not a synchronisation).
sleep 5
for p in $PIDS; do
	proc_alive "$p" || fail "child $p died while tendd was stopped"
done
kill -CONT "$TENDD_PID"
wait_until 5 'tendd_state; [ "$TSTATE" != T ]' "tendd to run again"

ctl status
assert_eq 0 "$CTL_RC" "status after SIGCONT"
NOW_PIDS=
for p in a b chatty; do
	child_pid "$p"
	NOW_PIDS="$NOW_PIDS $CPID"
done
assert_eq "$PIDS" "$NOW_PIDS" "supervised pids after SIGSTOP/SIGCONT"
log_count "spawned: "
assert_eq "$SPAWNED" "$COUNT" "spawn count (no spurious restart)"
# Output flows again.
OUT=$T/log/chatty-stdout.log
S0=$(wc -c <"$OUT")
wait_until 10 '[ "$(wc -c <"$OUT")" -gt "$S0" ]' "chatty's log to grow after SIGCONT"
assert_fds_back 10 "after SIGSTOP/SIGCONT"
ctl stop chatty
assert_eq 0 "$CTL_RC" "stop chatty"
assert_idle 2 "after the chatty child stopped"
exit 0

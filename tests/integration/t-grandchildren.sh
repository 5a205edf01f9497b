#!/bin/sh
# shellcheck disable=SC2016,SC2034,SC2119 # conditions are eval'd later by wait_until
# A program that forks 200 grandchildren and exits at once: they are
# re-parented to tendd (a child subreaper), which reaps every one of them
# when they exit and logs "reaped unknown pid N (...)": no zombie (N1), no
# stray process (N2), fds back to the baseline after a second round (N3),
# idle afterwards (N7).
# shellcheck source=tests/integration/lib.sh disable=SC1091
. "${TEND_SRCDIR:-.}/tests/integration/lib.sh"

N=200
mkfifo "$T/barrier" || hard_error "mkfifo"
# Each grandchild blocks opening the barrier FIFO until the test opens it.
tend_config <<EOF
[program:forker]
command=/bin/sh -c 'i=0; while [ \$i -lt $N ]; do (read x <"$T/barrier") & i=\$((i+1)); done; exit 0'
startsecs=0
autorestart=false
EOF
tend_start

count_adopted() {
	ADOPTED=$(children_of "$TENDD_PID" | wc -l)
}
# round: forker runs, its N grandchildren become children of tendd, then
# all exit at once (read sees EOF, exit status 1): a storm of SIGCHLDs.
round() {
	wait_state forker EXITED
	wait_until 20 'count_adopted; [ "$ADOPTED" -ge $N ]' \
		"$N grandchildren re-parented to tendd"
	log_count "reaped unknown pid"
	R0=$COUNT
	exec 3<>"$T/barrier"
	exec 3>&-
	wait_until 30 'count_adopted; [ "$ADOPTED" -eq 0 ]' "every grandchild to exit"
	wait_until 20 '[ -z "$(zombies_of "$TENDD_PID")" ]' "no zombie child of tendd"
	wait_until 20 'log_count "reaped unknown pid"; [ $((COUNT - R0)) -ge $N ]' \
		"$N 'reaped unknown pid' lines"
	state_of forker
	assert_eq EXITED "$STATE" "state of forker (never restarted)"
}
round
assert_match "reaped unknown pid [0-9]+ \(exit status 1\)" "$(cat "$LOGFILE")" \
	"the reaped-unknown log line"
# The pipes close once the last grandchild (which shared them) is gone.
wait_until 10 'tendd_fd_count; FD1=$FDS; sleep 0.2; tendd_fd_count; [ "$FDS" = "$FD1" ]' \
	"a stable fd count"
fd_baseline
ctl start forker
assert_eq 0 "$CTL_RC" "start forker again"
round
assert_fds_back 10 "after reaping 2 x $N grandchildren"
assert_idle 2 "after the storm"
exit 0

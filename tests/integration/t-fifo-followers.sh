#!/bin/sh
# shellcheck disable=SC2016,SC2034,SC2119 # conditions are eval'd later by wait_until
# Issue 12, finding 7: many "tendctl tail -f" that never read must not use
# up tendd's file descriptors.
#  - A user other than root (here nobody, in control_group) has at most 32
#    requests in progress; the 33rd is refused at once, with the reason on
#    tendctl's stderr, one log line, and no descriptor kept; root is still
#    served, and nobody again once his followers end.
#  - A follower whose reader takes nothing while its reply FIFO is full is
#    dropped after a minute (CONTROL_STREAM_STALL_SECS), with a log line:
#    its two descriptors (reply FIFO, log file) come back.
# shellcheck source=tests/integration/lib.sh disable=SC1091
. "${TEND_SRCDIR:-.}/tests/integration/lib.sh"

[ "$(id -u)" = 0 ] || skip "needs root to run tendctl as nobody"
id nobody >/dev/null 2>&1 || skip "no user nobody"
getent group nogroup >/dev/null 2>&1 || skip "no group nogroup"
command -v setpriv >/dev/null 2>&1 || skip "no setpriv"
# a copy of tendctl nobody can run, wherever the build tree is
other_user_bin nobody "$TENDCTL"
MAX=32

GLOBAL_EXTRA="control_mode=0660
control_group=nogroup"
tend_config <<EOF
[program:web]
command=/bin/sleep 1000
stdout_logfile=$T/web.log
startsecs=0

[program:chatty]
command=/bin/sh -c "head -c 400000 /dev/zero | tr '\\\\0' y | fold -w 99; while :; do echo tick; sleep 1; done"
stdout_logfile=$T/chatty.log
startsecs=0
EOF
tend_start
wait_state web RUNNING
wait_state chatty RUNNING
wait_until 20 '[ "$(wc -c <"$T/chatty.log")" -ge 400000 ]' "chatty's first 400 KB"
fd_baseline

# as_nobody ARGS: tendctl as nobody:nogroup, in the foreground.
as_nobody() {
	timeout -s KILL 30 setpriv --reuid=nobody --regid=nogroup --clear-groups \
		"$OTHER_BIN/tendctl" -s "$CONTROL" "$@" >"$T/nobody.out" \
		2>"$T/nobody.err"
	NOBODY_RC=$?
}
as_nobody pid
assert_eq 0 "$NOBODY_RC" "tendctl pid as nobody ($(cat "$T/nobody.err"))"

# ---- a follower whose reader never reads: its FIFO fills, the clock runs
mkfifo "$T/stuck"
# The reader holds the FIFO and reads nothing; it also gives up when $T
# goes (a failed test), so that the tail -f is not left blocked for ever.
( exec 3<"$T/stuck"; while [ ! -e "$T/unstick" ] && [ -d "$T" ]; do sleep 0.1; done ) &
HOLDER=$!
"$TENDCTL" -c "$CONF" tail -f -400000 chatty >"$T/stuck" 2>"$T/stuck.err" &
STUCK=$!
now_cs
STUCK_T0=$NOW

# ---- the cap, meanwhile: 32 quiet followers of nobody's
i=0
while [ $i -lt $MAX ]; do
	setpriv --reuid=nobody --regid=nogroup --clear-groups \
		"$OTHER_BIN/tendctl" -s "$CONTROL" tail -f web >"$T/f$i.out" 2>"$T/f$i.err" &
	echo $! >>"$T/followers"
	i=$((i + 1))
done
banners() {
	BANNERS=$(cat "$T"/f*.out | grep -c '^==> Press Ctrl-C to exit <==$')
}
wait_until 30 'banners; [ "$BANNERS" -eq $MAX ]' "$MAX followers as nobody (${BANNERS:-0} so far)"
as_nobody pid
assert_eq 1 "$NOBODY_RC" "the request past the cap: exit code"
assert_eq "" "$(cat "$T/nobody.out")" "the request past the cap: stdout"
assert_match "refused the request: uid [0-9]+ has $MAX requests in progress" \
	"$(cat "$T/nobody.err")" "the request past the cap: why"
wait_log "pid request refused: uid"
# root is not capped
ctl pid
assert_ctl 0 "$TENDD_PID" "root's tendctl pid while nobody is at the cap"
# the followers end: tendd notices without writing, nobody is served again
# shellcheck disable=SC2046 # a list of pids
kill -INT $(cat "$T/followers")
for p in $(cat "$T/followers"); do
	wait "$p" || fail "a follower of nobody's exited $?: $(cat "$T"/f*.err)"
done
poll_until 10 'as_nobody pid; [ "$NOBODY_RC" = 0 ]' ||
	fail "nobody not served once his followers ended: $(cat "$T/nobody.err")"
assert_eq "$TENDD_PID" "$(cat "$T/nobody.out")" "tendctl pid as nobody after the cap"

# ---- the stalled follower goes after a minute of nothing taken
proc_alive "$STUCK" || fail "the stalled tail -f ended early: $(cat "$T/stuck.err")"
wait_log "control: dropping a client that follows a log (uid 0): reply reader stalled" 100
now_cs
STALL=$(((NOW - STUCK_T0) / 100))
[ "$STALL" -ge 55 ] || fail "the stalled follower was dropped after $STALL s, before a minute"
: >"$T/unstick"
wait "$HOLDER"
wait "$STUCK"
rc=$?
assert_eq 1 "$rc" "the dropped tail -f's exit status"
assert_match "closed the reply early" "$(cat "$T/stuck.err")" "the dropped tail -f's message"
assert_fds_back 10 "after 32 followers and a stalled one"
ctl status chatty
assert_match "^chatty +RUNNING" "$CTL_OUT" "tendd after it all"
exit 0

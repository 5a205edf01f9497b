#!/bin/sh
# shellcheck disable=SC2016,SC2034,SC2119 # conditions are eval'd later by wait_until
# Live re-exec (issue 16): while a child writes numbered lines as fast as
# it can, tendd re-execs itself 20 times in a row. Every number is in the
# log (rotated files included, each cut at a line end) exactly once, in
# order; the pids, start times and restart counts are
# the same; tendd's own pid and pid file too; a loop of `tendctl status`
# running throughout never fails (clients that arrive during an exec wait
# in the FIFO and are served by the new image); a program STARTING with
# startsecs keeps its deadline, and one in BACKOFF its count of failed
# starts.
# shellcheck source=tests/integration/lib.sh disable=SC1091
. "${TEND_SRCDIR:-.}/tests/integration/lib.sh"

GLOBAL_EXTRA="metrics_file=$T/metrics.prom"
tend_config <<EOF
[program:writer]
command=/bin/sh -c 'n=0; while [ ! -e $T/stop ]; do seq \$((n + 1)) \$((n + 5000)); n=\$((n + 5000)); done'
stdout_logfile=$T/writer.log
stdout_logfile_maxbytes=4MB
stdout_logfile_backups=500
startsecs=0

[program:sleeper]
command=/bin/sleep 1000

[program:slow]
command=/bin/sleep 1000
startsecs=6

[program:flappy]
command=/bin/sh -c 'exit 3'
startsecs=1
startretries=3
EOF
tend_start

wait_state sleeper RUNNING
wait_state writer RUNNING
ctl pid writer sleeper slow
PIDS_BEFORE=$CTL_OUT
STATE_BEFORE=$(grep -E ' (writer|sleeper|slow)$' "$CONTROL.state" | sort)
[ "$(printf '%s\n' "$STATE_BEFORE" | wc -l)" = 3 ] ||
	fail "the state file does not list writer, sleeper and slow: $STATE_BEFORE"
START_METRIC='^tend_process_start_time_seconds\{[^}]*name="(writer|sleeper)"'
METRICS_BEFORE=$(grep -E "$START_METRIC" "$T/metrics.prom")
[ -n "$METRICS_BEFORE" ] || fail "no start time metrics in $T/metrics.prom"
ctl status --json writer sleeper slow
JSON_BEFORE=$(printf '%s\n' "$CTL_OUT" | sed 's/"uptime":[0-9]*,//; s/"description":"[^"]*"//')
PIDFILE_BEFORE=$(cat "$PIDFILE")
state_of slow
assert_eq STARTING "$STATE" "slow before the re-execs"
assert_eq "$TENDD_PID" "$PIDFILE_BEFORE" "pid file before"

# the status loop: every answer must come, through every exec
(
	n=0
	while [ ! -e "$T/stop-status" ]; do
		if ! "$TENDCTL" -c "$CONF" status sleeper >/dev/null 2>&1; then
			echo "$n" >>"$T/status-failed"
		fi
		n=$((n + 1))
		echo "$n" >"$T/status-count"
	done
) &
STATUS_LOOP=$!

i=1
while [ "$i" -le 20 ]; do
	ctl reexec
	assert_eq 0 "$CTL_RC" "reexec $i: exit status (stderr: $CTL_ERR)"
	assert_match "generation $i," "$CTL_OUT" "reexec $i: the new image answers"
	i=$((i + 1))
done
ctl pid
assert_eq "$TENDD_PID" "$CTL_OUT" "tendd's pid after 20 re-execs"
assert_eq "$PIDFILE_BEFORE" "$(cat "$PIDFILE")" "pid file after 20 re-execs"
log_count "re-executed "
assert_eq 20 "$COUNT" "re-executed lines in the log"

: >"$T/stop-status"
wait "$STATUS_LOOP"
[ -e "$T/status-failed" ] &&
	fail "tendctl status failed during the re-execs (at calls $(tr '\n' ' ' <"$T/status-failed"))"
note "$(cat "$T/status-count") tendctl status calls during the re-execs, none failed"

ctl pid writer sleeper slow
assert_eq "$PIDS_BEFORE" "$CTL_OUT" "pids after 20 re-execs"
# the state file and the metrics file say the same (rewritten by the new
# images)
assert_eq "$STATE_BEFORE" "$(grep -E ' (writer|sleeper|slow)$' "$CONTROL.state" | sort)" \
	"the state file after 20 re-execs"
assert_eq "$METRICS_BEFORE" "$(grep -E "$START_METRIC" "$T/metrics.prom")" \
	"the start times in the metrics file after 20 re-execs"
assert_match '^tend_up 1$' "$(cat "$T/metrics.prom")" "tend_up after 20 re-execs"
ctl status --json writer sleeper slow
JSON_AFTER=$(printf '%s\n' "$CTL_OUT" | sed 's/"uptime":[0-9]*,//; s/"description":"[^"]*"//')
# slow may have become RUNNING meanwhile: compare it without its state
assert_eq "$(printf '%s\n' "$JSON_BEFORE" | sed 's/"state":"[A-Z]*",//')" \
	"$(printf '%s\n' "$JSON_AFTER" | sed 's/"state":"[A-Z]*",//')" \
	"pids, start times, restarts and exit statuses after 20 re-execs"

# slow: RUNNING 6 s after its spawn (its deadline crossed every exec), not
# 6 s after the last exec
wait_state slow RUNNING 20
secs() { awk '{ split($2, t, /[:,]/); print t[1] * 3600 + t[2] * 60 + t[3] + t[4] / 1000; exit }'; }
SPAWNED=$(grep -F "spawned: 'slow' with pid" "$LOGFILE" | secs)
RUNNING=$(grep -F "success: slow entered RUNNING" "$LOGFILE" | secs)
# (the timer counts from the loop's time when it was armed, which may be
# a little before the spawn's log line: hence 5.5; a deadline restarted
# by an exec would come at least 6 s after the last exec, seconds later)
awk -v a="$SPAWNED" -v b="$RUNNING" -v k="$TIMEOUT_SCALE" \
	'BEGIN { d = b - a; exit !(d >= 5.5 && d < 6 + 0.8 * k) }' ||
	fail "slow became RUNNING $SPAWNED -> $RUNNING, not 6 s after its spawn"

# flappy: BACKOFF across the execs, its count of failed starts kept:
# 1 + startretries spawns, then FATAL
wait_state flappy FATAL 30
log_count "spawned: 'flappy'"
assert_eq 4 "$COUNT" "flappy's spawns (1 + startretries)"

# the writer: stop it, and read its log and the rotated ones, oldest
# first, without a copy: each at most maxbytes and cut at a line end
: >"$T/stop"
wait_state writer EXITED 30
N=0
while [ -e "$T/writer.log.$((N + 1))" ]; do
	N=$((N + 1))
done
[ "$N" -lt 500 ] || fail "all 500 backups used: cannot tell loss from rotation"
K=$N
while [ "$K" -ge 1 ]; do
	SIZE=$(wc -c <"$T/writer.log.$K")
	[ "$SIZE" -le 4194304 ] || fail "writer.log.$K has $SIZE bytes, more than maxbytes"
	[ "$(tail -c 1 "$T/writer.log.$K" | od -An -c | tr -d ' ')" = '\n' ] ||
		fail "writer.log.$K does not end at a line boundary"
	K=$((K - 1))
done
K=$N
while [ "$K" -ge 1 ]; do
	cat "$T/writer.log.$K"
	K=$((K - 1))
done | cat - "$T/writer.log" |
	awk 'NR != $0 { printf "line %d is \"%s\"\n", NR, $0; bad = 1; exit 1 }
		END { if (!bad) print NR }' >"$T/check.out" ||
	fail "writer.log and its backups are not 1..N in order: $(cat "$T/check.out")"
LINES=$(cat "$T/check.out")
[ "$(tail -c 1 "$T/writer.log" | od -An -c | tr -d ' ')" = '\n' ] ||
	fail "writer.log does not end with a whole line"
[ "$LINES" -ge 20000 ] || fail "the writer wrote only $LINES lines"
note "writer: $LINES lines in $((N + 1)) files, each once and in order, across 20 re-execs"
[ -z "$(zombies_of "$TENDD_PID")" ] || fail "zombies after the re-execs"

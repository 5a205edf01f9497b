#!/bin/sh
# shellcheck disable=SC2016,SC2034,SC2119 # conditions are eval'd later by wait_until
# L1: one crashing child (/bin/false, startsecs=0, autorestart=true)
# restarted STRESS_RESTARTS times (default 100 000) with the restart floor
# off (TEND_RESTART_FLOOR=0: supervisord's immediate restart). tendd's RSS
# and fd count are printed near the start (after 1 000 restarts) and at the
# end, and may not grow beyond a small constant; the log has one "exited"
# line per restart; no zombie (N1); idle once stopped (N7).
# shellcheck source=tests/integration/lib.sh disable=SC1091
. "${TEND_SRCDIR:-.}/tests/integration/lib.sh"

N=${STRESS_RESTARTS:-100000}
GLOBAL_EXTRA="loglevel=info"
TEND_RESTART_FLOOR=0
export TEND_RESTART_FLOOR
# loglevel=info: tend_config's [tend] has loglevel=debug; replace it.
tend_config <<EOF
[program:crash]
command=/bin/false
startsecs=0
autorestart=true
EOF
sed -i '/^loglevel=debug$/d' "$CONF" || hard_error "sed $CONF"
ms() { MS=$(($(date +%s%N) / 1000000)); }
spawns() {
	SPAWNS=$(grep -c "spawned: 'crash'" "$LOGFILE" 2>/dev/null)
}
tend_start
wait_until 120 'spawns; [ "$SPAWNS" -ge 1000 ]' "1000 restarts"
# Samples are taken with the program stopped: mid-spawn, tendd holds a
# few short-lived fds (pipes, error pipe, pidfd) that are not leaks.
ctl stop crash
assert_eq 0 "$CTL_RC" "stop crash (baseline)"
tendd_rss
RSS0=$RSS_KB
tendd_fd_count
FD0=$FDS
ms
T0=$MS
S0=$SPAWNS
note "FIGURE restarts_start spawns=$S0 rss_kb=$RSS0 fds=$FD0"
ctl start crash
# Checked once a second: grep over a log of 100 000 lines is not free.
END=$((T0 + (N / 100 + 600) * 1000 * TIMEOUT_SCALE))
while spawns; [ "$SPAWNS" -lt $N ]; do
	ms
	[ "$MS" -lt "$END" ] || fail "only $SPAWNS restarts within the deadline"
	tendd_alive || fail "tendd died after $SPAWNS restarts"
	sleep 1
done
ms
ctl stop crash
assert_eq 0 "$CTL_RC" "stop crash"
tendd_rss
tendd_fd_count
note "FIGURE restarts_end spawns=$SPAWNS rss_kb=$RSS_KB fds=$FDS restarts_per_s=$(((SPAWNS - S0) * 1000 / (MS - T0)))"
log_count "exited: crash (exit status 1; not expected)"
spawns
[ "$COUNT" -ge $((SPAWNS - 2)) ] && [ "$COUNT" -le "$SPAWNS" ] ||
	fail "$SPAWNS spawns but $COUNT 'exited' lines"
# Growth: none for fds; RSS by 512 KiB (allocator noise, not per restart).
[ "$FDS" -le "$FD0" ] || fail "fds grew from $FD0 to $FDS over $N restarts"
[ "$RSS_KB" -le $((RSS0 + 512)) ] || fail "RSS grew from $RSS0 KiB to $RSS_KB KiB over $N restarts"
wait_until 10 '[ -z "$(zombies_of "$TENDD_PID")" ]' "no zombie"
assert_idle 2 "after stop"
exit 0

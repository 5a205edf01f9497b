#!/bin/sh
# shellcheck disable=SC2016,SC2034,SC2119 # conditions are eval'd later by wait_until
# L2: 1 000 programs started at once (autostart), then a status of all of
# them: every one RUNNING, one line each, and the time it took. Prints
# FIGURE lines for the benchmark issue. N1, N5, N7 once settled.
# STRESS_PROGS scales the count down (default 1000).
# shellcheck source=tests/integration/lib.sh disable=SC1091
. "${TEND_SRCDIR:-.}/tests/integration/lib.sh"

N=${STRESS_PROGS:-1000}
GLOBAL_EXTRA="minfds=$((N * 4 + 256))"
i=0
while [ $i -lt $N ]; do
	printf '[program:p%04d]\ncommand=/bin/sleep 1000000\nstartsecs=0\nredirect_stderr=true\n\n' $i
	i=$((i + 1))
done | tend_config
ms() { MS=$(($(date +%s%N) / 1000000)); }
ms
T0=$MS
tend_start
running() {
	ctl status
	R=$(printf '%s\n' "$CTL_OUT" | grep -c ' RUNNING ')
	[ "$R" -eq $N ]
}
wait_until 120 running "$N programs RUNNING"
ms
note "FIGURE start_all_ms=$((MS - T0)) programs=$N (tendd start to all RUNNING)"
ms
T1=$MS
ctl status
ms
assert_eq 0 "$CTL_RC" "status of all: exit code"
assert_eq $N "$(printf '%s\n' "$CTL_OUT" | wc -l)" "status lines"
note "FIGURE status_all_ms=$((MS - T1)) programs=$N"
assert_eq $N "$(marker_pids | wc -l)" "processes with the marker (one per program)"
tendd_fd_count
tendd_rss
note "FIGURE fds=$FDS rss_kb=$RSS_KB programs=$N"
[ -z "$(zombies_of "$TENDD_PID")" ] || fail "N1: zombies"
assert_idle 3 "with $N sleeping programs"
ms
T2=$MS
ctl stop all
ms
assert_eq 0 "$CTL_RC" "stop all"
note "FIGURE stop_all_ms=$((MS - T2)) programs=$N"
exit 0

#!/bin/sh
# shellcheck disable=SC2016,SC2034,SC2119 # conditions are eval'd later by wait_until
# L1/S13 shape: 100 programs crash-looping (startsecs=0, autorestart=true,
# /bin/false) for 60 s. The restart floor (1 s by default,
# TEND_RESTART_FLOOR) spaces their restarts, so tendd's CPU stays low
# (printed; under 50% of a core). Meanwhile a status is asked every 0.1 s:
# each must answer within 100 ms (the maximum is printed; at most 1% may be
# slower, for a loaded shared machine). Then stop all, no zombie (N1), idle
# again (N7). STRESS_SECS / STRESS_CRASHERS scale it.
# shellcheck source=tests/integration/lib.sh disable=SC1091
. "${TEND_SRCDIR:-.}/tests/integration/lib.sh"

N=${STRESS_CRASHERS:-100}
SECS=${STRESS_SECS:-60}
LIMIT_MS=${STRESS_LATENCY_MS:-100}
GLOBAL_EXTRA="minfds=$((N * 8 + 256))"
i=0
while [ $i -lt $N ]; do
	printf '[program:c%03d]\ncommand=/bin/false\nstartsecs=0\nautorestart=true\nstdout_logfile=NONE\nstderr_logfile=NONE\n\n' $i
	i=$((i + 1))
done | tend_config
tend_start
ms() { MS=$(($(date +%s%N) / 1000000)); }
# The probe: bash, so that measuring needs no fork per request
# ($EPOCHREALTIME); it speaks the wire protocol (tendctl.1 PROTOCOL) through
# a reply FIFO of its own in the reply directory, held open read-write.
mkfifo -m 0600 "$T/reply/probe" || hard_error "mkfifo"
cat >"$T/probe.bash" <<'EOF'
# probe.bash CONTROL REPLYFIFO SECS LIMIT_US: "status c000" every 0.1 s for
# SECS s; prints "requests max_us sum_us over_limit"; exit 1 on a
# malformed or missing reply.
ctl=$1 reply=$2 secs=$3 limit_us=$4
exec 3<>"$reply" 4>"$ctl"
us() { local t=${EPOCHREALTIME/./}; REPLY_US=$((10#$t)); }
us; end=$((REPLY_US + secs * 1000000))
n=0 max=0 sum=0 over=0
while us; [ $REPLY_US -lt $end ]; do
	t0=$REPLY_US
	printf '\036tend2\tprobe\tstatus\tc000\n' >&4
	got=
	while IFS= read -r -t 30 line <&3; do
		case $line in
		'$ '*) got=1; break ;;
		'+' | '1 c000 '*) ;;
		*) echo "bad reply line: [$line]" >&2; exit 1 ;;
		esac
	done
	[ -n "$got" ] || { echo "no reply within 30 s" >&2; exit 1; }
	us; l=$((REPLY_US - t0))
	n=$((n + 1)); sum=$((sum + l))
	[ $l -gt $max ] && max=$l
	[ $l -gt $limit_us ] && over=$((over + 1))
	# A 0.1 s pause without a fork: nothing comes on the idle reply FIFO.
	read -r -t 0.1 _ <&3
done
echo "$n $max $sum $over"
EOF
tendd_cpu
C0=$TICKS
ms
START=$MS
command -v bash >/dev/null 2>&1 || skip "no bash for the latency probe"
timeout -s KILL $((SECS + 60)) bash "$T/probe.bash" "$CONTROL" "$T/reply/probe" "$SECS" \
	$((LIMIT_MS * 1000)) >"$T/probe.out" 2>"$T/probe.err" ||
	fail "the status probe failed: $(cat "$T/probe.err")"
read -r NREQ MAX_US SUM_US SLOW <"$T/probe.out"
MAX=$((MAX_US / 1000))
tendd_cpu
ms
ELAPSED=$((MS - START))
HZ=$(getconf CLK_TCK)
CPU_PCT=$(( (TICKS - C0) * 100 * 1000 / HZ / ELAPSED ))
log_count "spawned: "
SPAWNS=$COUNT
tendd_rss
note "FIGURE crashloop programs=$N secs=$((ELAPSED / 1000)) spawns=$SPAWNS spawns_per_s=$((SPAWNS * 1000 / ELAPSED)) tendd_cpu_pct=$CPU_PCT rss_kb=$RSS_KB"
note "FIGURE crashloop status_requests=$NREQ max_latency_ms=$MAX mean_latency_us=$((SUM_US / NREQ)) over_${LIMIT_MS}ms=$SLOW"
# On a shared, loaded machine the scheduler alone can delay one request:
# at most 1% may be over the limit, none over 10 times the limit.
[ $((SLOW * 100)) -le "$NREQ" ] ||
	fail "$SLOW of $NREQ status requests took over $LIMIT_MS ms while $N programs crash-looped (max $MAX ms)"
[ "$MAX" -le $((LIMIT_MS * 10 * TIMEOUT_SCALE)) ] ||
	fail "a status took $MAX ms while $N programs crash-looped"
[ "$CPU_PCT" -le 50 ] || fail "tendd used $CPU_PCT% of a core while $N programs crash-looped"
ctl stop all
wait_until 30 '[ -z "$(zombies_of "$TENDD_PID")" ]' "no zombie"
assert_idle 2 "after stop all"
exit 0

#!/bin/sh
# shellcheck disable=SC2016,SC2034,SC2119 # conditions are eval'd later by wait_until
# L5: 50 tendctl clients in parallel, 200 requests each (STRESS_CLIENTS,
# STRESS_REQUESTS scale it), alternating "status" (5 lines) and "pid": every
# reply complete and correct (never interleaved with another client's), no
# client hangs, no reply FIFO left, fds back to the baseline (N3), idle
# afterwards (N7). Prints requests per second.
# shellcheck source=tests/integration/lib.sh disable=SC1091
. "${TEND_SRCDIR:-.}/tests/integration/lib.sh"

C=${STRESS_CLIENTS:-50}
R=${STRESS_REQUESTS:-200}
GLOBAL_EXTRA="loglevel=info"
{
	for i in 1 2 3 4 5; do
		printf '[program:p%s]\ncommand=/bin/sleep 1000\nstartsecs=0\n\n' "$i"
	done
} | tend_config
sed -i '/^loglevel=debug$/d' "$CONF" || hard_error "sed $CONF"
tend_start
for i in 1 2 3 4 5; do
	wait_state "p$i" RUNNING
done
ctl status
assert_eq 0 "$CTL_RC" "status"
printf '%s\n' "$CTL_OUT" | sed 's/uptime .*//' >"$T/want.status"
fd_baseline

# client K: R requests; writes the number of bad replies to $T/bad.K.
cat >"$T/client.sh" <<'EOF'
k=$1 r=$2 tendctl=$3 conf=$4 t=$5 tpid=$6
bad=0 i=0
while [ $i -lt $r ]; do
	if [ $((i % 2)) = 0 ]; then
		out=$(timeout -s KILL 30 "$tendctl" -c "$conf" status 2>&1)
		rc=$?
		if [ $rc != 0 ] || [ "$(printf '%s\n' "$out" | sed 's/uptime .*//')" != "$(cat "$t/want.status")" ]; then
			bad=$((bad + 1)); printf '%s\n' "client $k status: rc $rc: $out" >>"$t/bad.log"
		fi
	else
		out=$(timeout -s KILL 30 "$tendctl" -c "$conf" pid 2>&1)
		rc=$?
		if [ $rc != 0 ] || [ "$out" != "$tpid" ]; then
			bad=$((bad + 1)); printf '%s\n' "client $k pid: rc $rc: $out" >>"$t/bad.log"
		fi
	fi
	i=$((i + 1))
done
echo $bad >"$t/bad.$k"
EOF
ms() { MS=$(($(date +%s%N) / 1000000)); }
ms
T0=$MS
k=0
PIDS=
while [ $k -lt $C ]; do
	sh "$T/client.sh" $k $R "$TENDCTL" "$CONF" "$T" "$TENDD_PID" &
	PIDS="$PIDS $!"
	k=$((k + 1))
done
for p in $PIDS; do
	wait "$p"
done
ms
ELAPSED=$((MS - T0))
BAD=0
k=0
while [ $k -lt $C ]; do
	[ -f "$T/bad.$k" ] || fail "client $k did not finish"
	BAD=$((BAD + $(cat "$T/bad.$k")))
	k=$((k + 1))
done
note "FIGURE clients=$C requests=$((C * R)) secs=$((ELAPSED / 1000)) requests_per_s=$((C * R * 1000 / ELAPSED)) bad=$BAD"
[ "$BAD" = 0 ] || fail "$BAD bad replies: $(head -n 5 "$T/bad.log")"
assert_eq "" "$(ls -A "$T/reply")" "reply directory after the clients"
assert_fds_back 10 "after $((C * R)) requests"
assert_idle 2 "after the clients"
exit 0

#!/bin/sh
# shellcheck disable=SC2016,SC2034,SC2119 # conditions are eval'd later by wait_until
# Children and their output pipes:
#  - one closes its stdout and stderr early and keeps running: tendd sees
#    EOF, stops watching the pipes and stays idle (no EOF busy loop, N7);
#  - one writes 1 MiB at once (16 pipe buffers) and then never exits: every
#    byte reaches its log;
#  - one floods its pipe without end (yes): tendd stays responsive, each
#    status answers (the maximum latency is printed; over 5 s counts as a stall), stopping it works.
# shellcheck source=tests/integration/lib.sh disable=SC1091
. "${TEND_SRCDIR:-.}/tests/integration/lib.sh"

tend_config <<EOF
[program:closer]
command=/bin/sh -c 'echo before; exec >&- 2>&-; exec /bin/sleep 1000'
startsecs=0

[program:filler]
command=/bin/sh -c 'head -c 1048576 /dev/zero; exec /bin/sleep 1000'
startsecs=0

[program:flood]
command=/usr/bin/yes flood
startsecs=0
autostart=false
stdout_logfile=/dev/null
EOF
tend_start
wait_state closer RUNNING
wait_state filler RUNNING
wait_until 10 'grep -q before "$T/log/closer-stdout.log"' "closer's first line in its log"
wait_until 20 '[ "$(wc -c <"$T/log/filler-stdout.log")" = 1048576 ]' \
	"all 1048576 bytes of filler in its log"
child_pid closer
CLOSER=$CPID
# Both pipes of closer are closed: tendd holds no pipe for it any more, and
# it is not spinning on the EOF.
assert_idle 2 "with a child whose stdout is closed"
state_of closer
assert_eq RUNNING "$STATE" "closer still RUNNING"
child_pid closer
assert_eq "$CLOSER" "$CPID" "closer's pid (not restarted)"

# One start/stop cycle first: a program keeps its log files open once it
# has run, so the baseline is taken in the same state as the check.
ctl start flood
ctl stop flood
assert_eq 0 "$CTL_RC" "stop flood (first cycle)"
fd_baseline
ctl start flood
assert_eq 0 "$CTL_RC" "start flood"
ms() { MS=$(($(date +%s%N) / 1000000)); }
MAX=0
i=0
while [ $i -lt 20 ]; do
	ms
	M0=$MS
	ctl status
	ms
	assert_eq 0 "$CTL_RC" "status during the flood: exit code"
	[ $((MS - M0)) -gt $MAX ] && MAX=$((MS - M0))
	i=$((i + 1))
done
note "max status latency during an output flood: $MAX ms"
[ "$MAX" -le $((5000 * TIMEOUT_SCALE)) ] ||
	fail "status took $MAX ms during an output flood (limit 5000: a stall, not a slow answer)"
ctl stop flood
assert_eq 0 "$CTL_RC" "stop flood"
assert_fds_back 10 "after the flood stopped"
assert_idle 2 "after the flood stopped"
exit 0

#!/bin/sh
# shellcheck disable=SC2016,SC2034,SC2119,SC2317 # conditions are eval'd later by wait_until
# A listener that never says READY: its pool keeps buffer_size events and
# drops the oldest when more come, logged with supervisord's line at most
# once a second, the next line saying how many went unlogged since.
# shellcheck source=tests/integration/lib.sh disable=SC1091
. "${TEND_SRCDIR:-.}/tests/integration/lib.sh"

tend_config <<EOF
[program:w]
command=/bin/sleep 1000
autostart=false
startsecs=0

[eventlistener:mute]
command=/bin/sleep 1000
events=PROCESS_STATE
buffer_size=2
EOF
tend_start
wait_state mute RUNNING
# mute's STARTING (0) and RUNNING (1) fill the buffer
ctl start w
assert_eq 0 "$CTL_RC" "start w"
wait_log "pool mute event buffer overflowed, discarding event 0"
# more drops, until one is logged after the others were held back
cycle() {
	ctl start w
	ctl stop w
	log_has "more since the last such line)"
}
wait_until 30 cycle "an overflow line with a count"
# the oldest go, in order: the line for event S counts S + 1 drops in all
grep "pool mute event buffer overflowed" "$LOGFILE" | awk '
	{
		match($0, /discarding event [0-9]+/)
		s = substr($0, RSTART + 17, RLENGTH - 17) + 0
		held = 0
		if (match($0, /and [0-9]+ more/))
			held = substr($0, RSTART + 4, RLENGTH - 9) + 0
		total += 1 + held
		if (total != s + 1) {
			print "event " s ": " total " drops counted"
			bad = 1
		}
	}
	END { exit bad }' >"$T/count" || fail "overflow lines: $(cat "$T/count")"
exit 0

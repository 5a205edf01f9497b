#!/bin/sh
# shellcheck disable=SC2016,SC2034,SC2119,SC2317 # conditions are eval'd later by wait_until
# A listener that never says READY: its pool keeps buffer_size events and
# drops the oldest when more come, each drop logged as supervisord does.
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
wait_log "pool mute event buffer overflowed, discarding event 1"
ctl stop w
assert_eq 0 "$CTL_RC" "stop w"
wait_log "pool mute event buffer overflowed, discarding event 3"
log_has "discarding event 4" && fail "event 4 dropped: the buffer keeps 2"
exit 0

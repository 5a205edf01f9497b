#!/bin/sh
# shellcheck disable=SC2016,SC2034,SC2119 # conditions are eval'd later by wait_until
# SIGHUP re-reads the config and applies the difference like `update`:
# unchanged programs keep their pid, changed ones restart with the new
# settings, removed ones stop and disappear, added ones start; a config that
# does not parse changes nothing and its errors (file:line) are logged.
# shellcheck source=tests/integration/lib.sh disable=SC1091
. "${TEND_SRCDIR:-.}/tests/integration/lib.sh"

programs() {
	cat <<EOF
[program:keep]
command=/bin/sleep 1000
startsecs=0

[program:change]
command=/bin/sleep $1
startsecs=0

EOF
}

{ programs 1000; cat <<EOF
[program:gone]
command=/bin/sleep 1000
startsecs=0
EOF
} | tend_config
tend_start
wait_state keep RUNNING
wait_state change RUNNING
wait_state gone RUNNING
child_pid keep;   KEEP_PID=$CPID
child_pid change; CHANGE_PID=$CPID
child_pid gone;   GONE_PID=$CPID

# 1. A broken config: nothing changes.
{ programs 1000; cat <<EOF
[program:gone]
command=/bin/sleep 1000
startsecs=zero
EOF
} | tend_config
BAD_LINE=$(grep -n '^startsecs=zero' "$CONF" | cut -d: -f1)
kill -HUP "$TENDD_PID"
wait_log "$CONF:$BAD_LINE: [program:gone] startsecs:"
wait_log "configuration not reloaded"
child_pid keep;   assert_eq "$KEEP_PID" "$CPID" "keep's pid after a bad reload"
child_pid change; assert_eq "$CHANGE_PID" "$CPID" "change's pid after a bad reload"
child_pid gone;   assert_eq "$GONE_PID" "$CPID" "gone's pid after a bad reload"

# 2. A good config: change one, drop one, add one.
{ programs 999; cat <<EOF
[program:new]
command=/bin/sleep 1000
startsecs=0
EOF
} | tend_config
kill -HUP "$TENDD_PID"
wait_until 20 'ctl status gone; [ "$CTL_RC" = 4 ]' "gone to disappear"
wait_until 20 '! proc_alive "$GONE_PID"' "gone's process to be stopped"
wait_state new RUNNING
wait_until 20 'ctl pid change; [ "$CTL_RC" = 0 ] && [ "$CTL_OUT" != "$CHANGE_PID" ]' \
	"change to be restarted"
child_pid change
assert_match "^/bin/sleep 999\$" "$(tr '\0' ' ' <"/proc/$CPID/cmdline" | sed 's/ $//')" \
	"change runs the new command"
child_pid keep
assert_eq "$KEEP_PID" "$CPID" "keep's pid is unchanged by the update"
ctl status gone
assert_eq "gone: ERROR (no such process)" "$CTL_OUT" "status of a removed program"
exit 0

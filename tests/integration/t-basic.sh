#!/bin/sh
# shellcheck disable=SC2016,SC2034,SC2119 # conditions are eval'd later by wait_until
# start/stop/restart/status/pid/version: output and exit codes, byte for byte
# those of supervisorctl 4.2 (peers-features.md section 2).
# shellcheck source=tests/integration/lib.sh disable=SC1091
. "${TEND_SRCDIR:-.}/tests/integration/lib.sh"

tend_config <<EOF
[program:web]
command=/bin/sleep 1000
startsecs=1

[program:manual]
command=/bin/sleep 1000
autostart=false
startsecs=1
EOF
tend_start

# Expected status line: name padded to 33, state to 10, then the description.
line() {
	printf '%-33s%-10s%s' "$1" "$2" "$3"
}
UPTIME_RE='uptime 0:00:[0-5][0-9]'

wait_state web RUNNING
child_pid web
WEB_PID=$CPID

# ---- status
ctl status web
assert_eq 0 "$CTL_RC" "status web (RUNNING): exit code"
assert_match "^$(line web RUNNING "pid $WEB_PID, ")$UPTIME_RE\$" "$CTL_OUT" \
	"status web: line format"
assert_eq 1 "$(printf '%s\n' "$CTL_OUT" | wc -l)" "status web: one line"

ctl status manual
assert_ctl 3 "$(line manual STOPPED 'Not started')" "status manual (never started)"

ctl status
assert_eq 3 "$CTL_RC" "status (all) with one STOPPED program: exit code"
assert_match "^$(line manual STOPPED 'Not started')\$" "$CTL_OUT" "status: manual line"
assert_match "^$(line web RUNNING "pid $WEB_PID, ")$UPTIME_RE\$" "$CTL_OUT" "status: web line"
assert_eq "manual web" "$(printf '%s\n' "$CTL_OUT" | awk '{print $1}' | tr '\n' ' ' | sed 's/ $//')" \
	"status: lexical order"

ctl status nosuch
assert_ctl 4 "nosuch: ERROR (no such process)" "status nosuch"

# Errors for unknown names come first, then the status lines.
ctl status web nosuch
assert_eq 4 "$CTL_RC" "status web nosuch: exit code"
assert_eq "nosuch: ERROR (no such process)" "$(printf '%s\n' "$CTL_OUT" | head -n 1)" \
	"status web nosuch: first line"
assert_match "^$(line web RUNNING "pid $WEB_PID, ")$UPTIME_RE\$" \
	"$(printf '%s\n' "$CTL_OUT" | sed -n 2p)" "status web nosuch: second line"

# ---- start
ctl start web
assert_ctl 0 "web: ERROR (already started)" "start web (running)"

ctl start nosuch
assert_ctl 1 "nosuch: ERROR (no such process)" "start nosuch"

ctl start
assert_eq 2 "$CTL_RC" "start (no name): exit code"
assert_eq "Error: start requires a process name" \
	"$(printf '%s\n' "$CTL_OUT" | head -n 1)" "start (no name): first line of stdout"

# ---- pid
ctl pid manual
assert_ctl 7 0 "pid manual (not running)"

ctl pid nosuch
assert_ctl 1 "No such process nosuch" "pid nosuch"

ctl pid
assert_ctl 0 "$TENDD_PID" "pid (daemon)"

ctl pid web
assert_ctl 0 "$WEB_PID" "pid web"

# start waits until the program is RUNNING (startsecs), as supervisorctl does.
ctl start manual
assert_ctl 0 "manual: started" "start manual"
state_of manual
assert_eq RUNNING "$STATE" "manual right after 'manual: started'"
child_pid manual
MANUAL_PID=$CPID
assert_ne "$WEB_PID" "$MANUAL_PID" "manual and web pids"

ctl status
assert_eq 0 "$CTL_RC" "status (all) with every program RUNNING: exit code"
assert_match "^$(line manual RUNNING "pid $MANUAL_PID, ")$UPTIME_RE\$" "$CTL_OUT" \
	"status: manual line"

# ---- stop
ctl stop manual
assert_ctl 0 "manual: stopped" "stop manual"
wait_until 10 '! proc_alive "$MANUAL_PID"' "manual's old process to be gone"
status_line manual
assert_eq 3 "$CTL_RC" "status manual (STOPPED after a run): exit code"
# The description of a stopped program that ran is its stop time.
assert_match "^$(line manual STOPPED '')[A-Z][a-z][a-z] [0-9][0-9] [0-9][0-9]:[0-9][0-9] [AP]M\$" \
	"$LINE" "status manual: STOPPED with the stop date"

ctl stop manual
assert_ctl 0 "manual: ERROR (not running)" "stop manual (already stopped)"

ctl stop nosuch
assert_ctl 1 "nosuch: ERROR (no such process)" "stop nosuch"

ctl stop
assert_eq 1 "$CTL_RC" "stop (no name): exit code"
assert_eq "Error: stop requires a process name" \
	"$(printf '%s\n' "$CTL_OUT" | head -n 1)" "stop (no name): first line of stdout"

ctl pid manual
assert_ctl 7 0 "pid manual after stop"

# ---- restart
ctl restart web
assert_ctl 0 "web: stopped
web: started" "restart web"
child_pid web
assert_ne "$WEB_PID" "$CPID" "web pid after restart"
proc_alive "$WEB_PID" && fail "web's old process $WEB_PID survived restart"
state_of web
assert_eq RUNNING "$STATE" "web right after restart"

ctl restart
assert_eq 1 "$CTL_RC" "restart (no name): exit code"
assert_eq "Error: restart requires a process name" \
	"$(printf '%s\n' "$CTL_OUT" | head -n 1)" "restart (no name): first line of stdout"

# restart = stop + start, so the error comes twice.
ctl restart nosuch
assert_ctl 1 "nosuch: ERROR (no such process)
nosuch: ERROR (no such process)" "restart nosuch"

# ---- version
ctl version
assert_eq 0 "$CTL_RC" "version: exit code"
assert_match '^[0-9]+\.[0-9]+(\.[0-9]+)?' "$CTL_OUT" "version: a version number"
VERSION=$CTL_OUT
TENDD_V=$("$TENDD" -v 2>&1)
assert_match "$VERSION" "$TENDD_V" "tendd -v shows the version tendctl reports"

ctl version extra
assert_eq 1 "$CTL_RC" "version extra: exit code"
assert_eq "Error: version accepts no arguments" \
	"$(printf '%s\n' "$CTL_OUT" | head -n 1)" "version extra: first line"

exit 0

#!/bin/sh
# shellcheck disable=SC2016,SC2034 # conditions are eval'd later by wait_until
# avail, reread, update, add, remove and reload: every output line and exit
# status; update applies exactly the difference (within a changed group
# the unchanged processes keep their pid); a config with errors changes
# nothing and its errors reach tendctl with file:line.
# shellcheck source=tests/integration/lib.sh disable=SC1091
. "${TEND_SRCDIR:-.}/tests/integration/lib.sh"

# programs B_SLEEP W_NUMPROCS WITH_GONE
programs() {
	cat <<EOF2
[group:web]
programs=a,b

[program:a]
command=/bin/sleep 1000
startsecs=0

[program:b]
command=/bin/sleep $1
startsecs=0

[program:keep]
command=/bin/sleep 1000
startsecs=0

[program:w]
command=/bin/sleep 1000
startsecs=0
numprocs=$2
process_name=w%(process_num)d
EOF2
	if [ "$3" = 1 ]; then
		printf '\n[program:gone]\ncommand=/bin/sleep 1000\nstartsecs=0\n'
	else
		printf '\n[program:new]\ncommand=/bin/sleep 1000\nstartsecs=0\n'
		printf 'autostart=false\n'
	fi
}

programs 1000 3 1 | tend_config
tend_start
for p in web:a web:b keep gone w:w0 w:w1 w:w2; do
	wait_state "$p" RUNNING
done
child_pid web:a; A_PID=$CPID
child_pid web:b; B_PID=$CPID
child_pid keep;  KEEP_PID=$CPID
child_pid w:w0;  W0_PID=$CPID
child_pid w:w1;  W1_PID=$CPID

# nothing changed yet
ctl reread
assert_ctl 0 "No config updates to processes" "reread, unchanged"
ctl update
assert_ctl 0 "" "update, unchanged"
ctl update nosuch
assert_ctl 1 "ERROR: no such group: nosuch" "update nosuch"
ctl reread extra
assert_ctl 1 "$(printf 'Error: reread accepts no arguments\nreread \t\t\tReload the daemon'"'"'s configuration files without add/remove')" \
	"reread extra"
ctl avail extra
assert_ctl 1 "$(printf 'Error: avail accepts no arguments\navail\t\t\tDisplay all configured processes')" \
	"avail extra"
ctl avail
assert_ctl 0 "$(printf '%-32s %-9s %-9s %s\n' \
	web:a 'in use' auto 999:999 web:b 'in use' auto 999:999 \
	gone 'in use' auto 999:999 keep 'in use' auto 999:999 \
	w:w0 'in use' auto 999:999 w:w1 'in use' auto 999:999 \
	w:w2 'in use' auto 999:999)" "avail"

# change b, shrink w, drop gone, add new (autostart=false)
programs 999 2 0 | tend_config
ctl reread
assert_ctl 0 "gone: disappeared
new: available
w: changed
web: changed" "reread after the edit"
ctl reread
assert_ctl 0 "gone: disappeared
new: available
w: changed
web: changed" "reread twice"
ctl avail
assert_match "^new +avail +manual +999:999\$" "$CTL_OUT" "avail shows the new program"
assert_no_match "^gone " "$CTL_OUT"
ctl status gone
assert_eq 0 "$CTL_RC" "reread changes nothing that runs"

# update one group: only its changed process restarts
ctl update web
assert_ctl 0 "web: stopped
web: updated process group" "update web"
wait_state web:b RUNNING
child_pid web:a
assert_eq "$A_PID" "$CPID" "web:a (unchanged) keeps its pid"
child_pid web:b
assert_ne "$B_PID" "$CPID" "web:b (changed) restarted"
assert_match "^/bin/sleep 999\$" "$(tr '\0' ' ' <"/proc/$CPID/cmdline" | sed 's/ $//')" \
	"web:b runs its new command"
ctl status gone
assert_eq 0 "$CTL_RC" "update web leaves gone alone"

# update the rest: removed, then changed, then added
ctl update
assert_ctl 0 "gone: stopped
gone: removed process group
w: stopped
w: updated process group
new: added process group" "update"
ctl status gone
assert_ctl 4 "gone: ERROR (no such process)" "gone is removed"
ctl status w:w2
assert_ctl 4 "w:w2: ERROR (no such process)" "w:w2 is removed"
child_pid w:w0
assert_eq "$W0_PID" "$CPID" "w:w0 keeps its pid"
child_pid w:w1
assert_eq "$W1_PID" "$CPID" "w:w1 keeps its pid"
child_pid keep
assert_eq "$KEEP_PID" "$CPID" "keep keeps its pid"
child_pid web:a
assert_eq "$A_PID" "$CPID" "web:a keeps its pid"
ctl status new
assert_match "^new +STOPPED +Not started\$" "$CTL_OUT" "new is added, not started"
ctl update
assert_ctl 0 "" "update with nothing left to do"

# add and remove
ctl remove keep
assert_ctl 1 "ERROR: process/group still running: keep" "remove keep"
ctl remove new
assert_ctl 0 "new: removed process group" "remove new"
ctl remove new
assert_ctl 1 "ERROR: no such process/group: new" "remove new again"
ctl avail
assert_match "^new +avail +manual +999:999\$" "$CTL_OUT" "removed: avail again"
ctl add new
assert_ctl 0 "new: added process group" "add new"
ctl add new
assert_ctl 0 "ERROR: process group already active" "add new again"
ctl add nosuch
assert_ctl 1 "ERROR: no such process/group: nosuch" "add nosuch"
ctl add
assert_ctl 0 "" "add without names"
ctl remove
assert_ctl 0 "" "remove without names"

# a config with an error changes nothing, and says where the error is
{ programs 999 2 0; printf '[program:bad]\ncommand=/bin/true\nstartsecs=soon\n'; } |
	tend_config
BAD_LINE=$(grep -n '^startsecs=soon' "$CONF" | cut -d: -f1)
WANT="ERROR: CANT_REREAD: $CONF:$BAD_LINE: [program:bad] startsecs: \"soon\" is not a number"
ctl reread
assert_ctl 1 "$WANT" "reread of a bad config"
ctl update
assert_ctl 1 "$WANT" "update with a bad config"
ctl reload
assert_ctl 1 "$WANT" "reload with a bad config"
wait_log "$CONF:$BAD_LINE: [program:bad] startsecs:"
ctl avail
assert_no_match "^bad " "$CTL_OUT" "the bad config is not used"
child_pid web:a
assert_eq "$A_PID" "$CPID" "web:a survives a bad config"

# reload: everything restarts, tendd keeps its pid
programs 999 2 0 | tend_config
ctl reload extra
assert_ctl 1 "$(printf 'Error: reload accepts no arguments\nreload \t\tRestart the remote tendd.')" \
	"reload extra"
ctl pid; DAEMON_PID=$CTL_OUT
ctl reload
assert_ctl 0 "Restarted supervisord" "reload"
wait_until 30 'ctl pid web:a; [ "$CTL_RC" = 0 ] && [ "$CTL_OUT" != "$A_PID" ]' \
	"web:a to run again after reload"
wait_state keep RUNNING
ctl pid
assert_eq "$DAEMON_PID" "$CTL_OUT" "tendd keeps its pid across reload"
assert_eq "$TENDD_PID" "$CTL_OUT" "the pid of the tendd we started"
ctl status new
assert_match "^new +STOPPED +Not started\$" "$CTL_OUT" "reload starts afresh"
exit 0

#!/bin/sh
# shellcheck disable=SC2016,SC2034,SC2119 # conditions are eval'd later by wait_until
# tendd -c with a relative path, started from another directory: the
# daemon moves to / but keeps reading the same file (issue 12: reread and
# update said "No such file"). Includes, environment_file= and %(here)s
# stay relative to the file's directory; reload re-executes tendd with
# the absolute path; a relative path that does not exist is refused at
# once, naming it.
# shellcheck source=tests/integration/lib.sh disable=SC1091
. "${TEND_SRCDIR:-.}/tests/integration/lib.sh"

mkdir -p "$T/etc/conf.d" "$T/elsewhere" || hard_error "cannot make directories"
tend_config <<EOF
[include]
files = conf.d/*.ini

[program:web]
command=/bin/sleep 1000
startsecs=0
environment_file=web.env
stdout_logfile=%(here)s/web.log
EOF
mv "$CONF" "$T/etc/tend.ini" || hard_error "cannot move $CONF"
CONF=$T/etc/tend.ini		# what ctl hands tendctl
echo "FROM_ENV_FILE=yes" >"$T/etc/web.env"
cat >"$T/etc/conf.d/inc.ini" <<EOF
[program:inc]
command=/bin/sleep 1001
startsecs=0
environment=INC_HERE="%(here)s"
EOF

# -t names the file by its absolute path
OUT=$(cd "$T/elsewhere" && timeout -s KILL 30 "$TENDD" -t -c ../etc/tend.ini 2>&1 </dev/null)
assert_eq 0 "$?" "tendd -t -c ../etc/tend.ini: exit code ($OUT)"
assert_match "^configuration OK: $T/etc/tend\.ini\$" "$(printf '%s\n' "$OUT" | head -n 1)" \
	"tendd -t names the file by its absolute path"

# a relative path that does not exist
OUT=$(cd "$T/elsewhere" && timeout -s KILL 30 "$TENDD" -c nope.ini 2>&1 </dev/null)
assert_eq 1 "$?" "tendd -c nope.ini: exit code"
assert_eq "tendd: cannot read the configuration: nope.ini: No such file or directory" "$OUT" \
	"tendd -c nope.ini: message"

# daemonized, from another directory, with a relative path
(cd "$T/elsewhere" && timeout -s KILL 30 "$TENDD" -c ../etc/tend.ini \
	>"$T/launch.out" 2>"$T/launch.err" </dev/null)
RC=$?
[ "$RC" = 137 ] && fail "tendd -c ../etc/tend.ini did not return within 30 s"
assert_eq 0 "$RC" "tendd -c ../etc/tend.ini (daemonize): exit code ($(cat "$T/launch.err"))"
ctl pid
assert_eq 0 "$CTL_RC" "tendctl pid: exit code ($CTL_ERR)"
case $CTL_OUT in
'' | *[!0-9]*) fail "tendctl pid gave '$CTL_OUT'" ;;
esac
TENDD_PID=$CTL_OUT		# teardown stops it
TENDD_IS_CHILD=0
D=$TENDD_PID
assert_eq / "$(readlink "/proc/$D/cwd")" "the daemon's cwd"

wait_state web RUNNING
wait_state inc RUNNING
child_pid web
tr '\0' '\n' <"/proc/$CPID/environ" >"$T/web.environ"
assert_match "^FROM_ENV_FILE=yes\$" "$(grep FROM_ENV_FILE "$T/web.environ")" \
	"web has what etc/web.env sets"
[ -f "$T/etc/web.log" ] || fail "no $T/etc/web.log: %(here)s is not etc/"
child_pid inc
tr '\0' '\n' <"/proc/$CPID/environ" >"$T/inc.environ"
assert_eq "INC_HERE=$T/etc/conf.d" "$(grep INC_HERE "$T/inc.environ")" \
	"%(here)s of the included file"

# reread and update read the same files from /
ctl reread
assert_ctl 0 "No config updates to processes" "reread, unchanged"
cat >"$T/etc/conf.d/more.ini" <<EOF
[program:added]
command=/bin/sleep 1002
startsecs=0
EOF
ctl reread
assert_ctl 0 "added: available" "reread sees a new included file"
ctl update
assert_ctl 0 "added: added process group" "update adds it"
wait_state added RUNNING

# reload: the new tendd reads the file by its absolute path
ctl reload
assert_ctl 0 "Restarted supervisord" "reload"
wait_state added RUNNING 30
wait_state web RUNNING
ctl pid
assert_eq "$D" "$CTL_OUT" "tendd keeps its pid across reload"
ctl reread
assert_ctl 0 "No config updates to processes" "reread after reload"

tend_stop
exit 0

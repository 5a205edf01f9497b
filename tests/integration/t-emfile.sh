#!/bin/sh
# shellcheck disable=SC2016,SC2034,SC2119 # conditions are eval'd later by wait_until
# F9: fd exhaustion inside tendd. tendd runs with "ulimit -n 40" and is
# asked to run 12 programs (5 fds each): the ones that do not fit fail with
# supervisord's "too many open files to spawn 'NAME'" and go FATAL, while
# the daemon keeps serving status (it keeps a reserve fd for the reply
# FIFO); stopping programs frees fds and lets a failed one start.
# shellcheck source=tests/integration/lib.sh disable=SC1091
. "${TEND_SRCDIR:-.}/tests/integration/lib.sh"

NOFILE=40
cat >"$T/lowfd" <<EOF || hard_error "cannot write $T/lowfd"
#!/bin/sh
ulimit -n $NOFILE || exit 99
exec "\$@"
EOF
chmod +x "$T/lowfd" || hard_error "chmod"
TENDD_WRAPPER="$T/lowfd ${TENDD_WRAPPER:-}"
# below the limit: a minfds above a hard limit tendd cannot raise stops it
GLOBAL_EXTRA="minfds=32"

PROGS=
i=10
while [ $i -lt 22 ]; do
	PROGS="$PROGS p$i"
	printf '[program:p%s]\ncommand=/bin/sleep 1000\nstartsecs=0\nstartretries=0\n\n' "$i"
	i=$((i + 1))
done | tend_config
tend_start
LIMIT=$(awk '$1 == "Max" && $2 == "open" && $3 == "files" { print $4 }' "/proc/$TENDD_PID/limits")
assert_eq "$NOFILE" "$LIMIT" "tendd's open-file limit"

# Every program settles: RUNNING, or FATAL for lack of fds.
settled() {
	ctl status
	[ -z "$(printf '%s\n' "$CTL_OUT" | awk '$2 != "RUNNING" && $2 != "FATAL"')" ] &&
		[ "$(printf '%s\n' "$CTL_OUT" | wc -l)" = 12 ]
}
wait_until 20 settled "every program RUNNING or FATAL"
FATAL=$(printf '%s\n' "$CTL_OUT" | awk '$2 == "FATAL" { print $1 }')
RUNNING=$(printf '%s\n' "$CTL_OUT" | awk '$2 == "RUNNING" { print $1 }')
[ -n "$FATAL" ] || fail "no program failed with $NOFILE fds: $CTL_OUT"
[ -n "$RUNNING" ] || fail "no program runs with $NOFILE fds: $CTL_OUT"
# supervisord's message, for the programs whose pipes or log files could
# not be opened (which one runs out first depends on the fds tendd inherits).
wait_log "spawnerr: too many open files to spawn '"
FIRST=$(sed -n "s/.*spawnerr: too many open files to spawn '\\([^']*\\)'.*/\\1/p" "$LOGFILE" | head -n 1)
case " $(echo $FATAL) " in
*" $FIRST "*) ;;
*) fail "$FIRST failed to spawn but is not FATAL: $CTL_OUT" ;;
esac
assert_eq 3 "$CTL_RC" "status exit code with FATAL programs"

# The daemon keeps serving, again and again, while it is out of fds.
i=0
while [ $i -lt 10 ]; do
	ctl status "$FIRST"
	assert_eq 3 "$CTL_RC" "status $FIRST at EMFILE (try $i)"
	assert_match "^$FIRST +FATAL" "$CTL_OUT" "status line of $FIRST"
	i=$((i + 1))
done
ctl pid
assert_ctl 0 "$TENDD_PID" "tendctl pid at EMFILE"

# Stop the running programs: the fds they held come back and the failed
# program starts.
for p in $RUNNING; do
	ctl stop "$p"
	assert_eq 0 "$CTL_RC" "stop $p"
done
ctl start "$FIRST"
assert_eq 0 "$CTL_RC" "start $FIRST once fds are free (${CTL_OUT}${CTL_ERR})"
wait_state "$FIRST" RUNNING
assert_idle 2 "after EMFILE"
exit 0

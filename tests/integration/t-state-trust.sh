#!/bin/sh
# shellcheck disable=SC2016,SC2034,SC2119 # conditions are eval'd later by wait_until
# The state file names processes root kills at start-up, so it is trusted
# only as tendd's own (issue 12, finding 4): a file another user could have
# written (mode 0644, owned by another user, a symbolic link) is logged and
# ignored, and an entry is acted on only for a process group tendd made
# (pid == recorded pgid == its pgid now, and the recorded start time).
# Every victim here is a live process with the right start time: tendd
# before the fix killed the ones marked (old).
# shellcheck source=tests/integration/lib.sh disable=SC1091
. "${TEND_SRCDIR:-.}/tests/integration/lib.sh"

STATEFILE=$CONTROL.state
VICTIMS=

# starttime PID: sets START to field 22 of /proc/PID/stat.
starttime() {
	START=$(awk '{ s = $0; sub(/.*\) /, "", s); split(s, a, " "); print a[20] }' \
		"/proc/$1/stat" 2>/dev/null)
	[ -n "$START" ] || hard_error "no start time for pid $1"
}

# pgid_of PID: sets PGID.
pgid_of() {
	PGID=$(awk '{ s = $0; sub(/.*\) /, "", s); split(s, a, " "); print a[3] }' \
		"/proc/$1/stat" 2>/dev/null)
}

# leader: start a sleep that leads a session and process group of its own,
# as tendd's children do; sets VPID. It carries the test marker, so the
# teardown kills it if the test fails.
leader() {
	TEND_TEST_TAG=$TAG setsid /bin/sleep 1000 &
	VPID=$!
	VICTIMS="$VICTIMS $VPID"
	wait_until 10 'pgid_of "$VPID"; [ "$PGID" = "$VPID" ] && [ "$(readlink "/proc/$VPID/exe")" = "$(readlink -f /bin/sleep)" ]' \
		"victim $VPID to lead its group"
}

# member: a process group led by a shell, with a sleep in it; sets VPID to
# the sleep (pid != pgid) and VPGID to the group.
member() {
	TEND_TEST_TAG=$TAG setsid /bin/sh -c '/bin/sleep 1000 & wait' &
	VPGID=$!
	VICTIMS="$VICTIMS $VPGID"
	wait_until 10 '[ -n "$(children_of "$VPGID")" ]' "the group's sleep"
	VPID=$(children_of "$VPGID")
	VICTIMS="$VICTIMS $VPID"
	pgid_of "$VPID"
	assert_eq "$VPGID" "$PGID" "pgid of the member"
}

# entry PID PGID START: one line of a state file.
entry() {
	printf '%s %s %s victim\n' "$1" "$2" "$3"
}

# survives: start tendd (it reads the state file, and any orphan it kills
# is dead before it answers), check every victim lives, stop tendd.
survives() {
	tend_start
	wait_state web RUNNING
	for v in $VICTIMS; do
		proc_alive "$v" || fail "$1: tendd killed pid $v"
	done
	log_has "killing orphan" && fail "$1: tendd says it killed an orphan"
	tend_stop
	mv "$LOGFILE" "$LOGFILE.$2"
}

tend_config <<EOF
[program:web]
command=/bin/sleep 1000
startsecs=0
EOF

# 1. A process in another's group, named with that group (old: killed
#    the whole group, leader and all).
member
starttime "$VPID"
{ echo "tend-state 1"; entry "$VPID" "$VPGID" "$START"; } >"$STATEFILE"
chmod 600 "$STATEFILE"
survives "pid != pgid" 1
grep -qF "is not the leader of process group $VPGID: not killed" "$LOGFILE.1" ||
	fail "no log line about pid $VPID not leading its group"

# 2. A group leader with another start time (a recycled pid).
leader
starttime "$VPID"
{ echo "tend-state 1"; entry "$VPID" "$VPID" $((START + 1)); } >"$STATEFILE"
chmod 600 "$STATEFILE"
survives "wrong start time" 2

# 3. The file is readable and writable by others: mode 0644 (old: killed).
leader
starttime "$VPID"
{ echo "tend-state 1"; entry "$VPID" "$VPID" "$START"; } >"$STATEFILE"
chmod 644 "$STATEFILE"
survives "mode 0644" 3
grep -qF "ignoring the state file: $STATEFILE is readable or writable by others" "$LOGFILE.3" ||
	fail "no log line about the 0644 state file: $(grep -F 'state file' "$LOGFILE.3")"

# 4. Owned by another user (old: killed).
if [ "$(id -u)" = 0 ] && id nobody >/dev/null 2>&1; then
	{ echo "tend-state 1"; entry "$VPID" "$VPID" "$START"; } >"$STATEFILE"
	chmod 600 "$STATEFILE"
	chown nobody "$STATEFILE"
	survives "owned by nobody" 4
	grep -qF "ignoring the state file: $STATEFILE is owned by uid $(id -u nobody)" "$LOGFILE.4" ||
		fail "no log line about nobody's state file"
else
	note "not root: the other user's file is not tried"
fi

# 5. A symbolic link to a file that would be trusted; the link is replaced,
#    its target left alone.
{ echo "tend-state 1"; entry "$VPID" "$VPID" "$START"; } >"$T/elsewhere"
chmod 600 "$T/elsewhere"
rm -f "$STATEFILE"
ln -s "$T/elsewhere" "$STATEFILE"
cp "$T/elsewhere" "$T/elsewhere.copy"
tend_start
wait_state web RUNNING
proc_alive "$VPID" || fail "symbolic link: tendd killed pid $VPID"
log_has "ignoring the state file: $STATEFILE is a symbolic link" ||
	fail "no log line about the linked state file"
# tendd's own file replaces the link (its target is left alone): private,
# and trusted next time.
wait_until 10 '[ -f "$STATEFILE" ] && [ ! -L "$STATEFILE" ]' "tendd's own state file"
assert_eq 600 "$(stat -c %a "$STATEFILE")" "mode of the state file"
cmp -s "$T/elsewhere" "$T/elsewhere.copy" || fail "the link's target was written"
tend_stop

for v in $VICTIMS; do
	kill -KILL "$v" 2>/dev/null
done
for v in $VICTIMS; do
	wait "$v" 2>/dev/null
done
exit 0

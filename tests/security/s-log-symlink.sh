#!/bin/sh
# shellcheck disable=SC2016,SC2034,SC2015,SC2119,SC2317 # conditions are eval'd later by wait_until
# Issue 12, finding 1: a root tendd never follows a user's symbolic link,
# nor writes into a user's file, when it opens a log.
#
# A: a program with user=U logs to a directory U owns. U replaces the log
#    with a link to a root-only file (the victim); then, each from a clean
#    start: "tendctl reopen"; a size rotation (maxbytes 2 KB, no backups:
#    the log is emptied); "tendctl clear" while U keeps putting the link
#    back in a tight loop (the unlink + open race). The victim keeps its
#    content and size, tendd answers, the program runs on with the same pid.
# B: the AUTO log names in a sticky world-writable childlogdir (as /tmp):
#    U pre-plants a link to the victim at one program's name and a 0666
#    file of his own at another's. The victim is untouched and tendd writes
#    nothing into U's file.
# shellcheck source=tests/security/lib-sec.sh disable=SC1091
. "${TEND_SRCDIR:-.}/tests/security/lib-sec.sh"

[ -n "$SEC_PY" ] || skip "no python3 that $SEC_USER can run (the link race loop)"
sec_victim
note "kernel: $SEC_SYSCTL"

U=$T/u
mkdir "$U" && chown "$SEC_USER:$SEC_GROUP" "$U" && chmod 0755 "$U" ||
	hard_error "cannot make $U"
OUT=$U/out.log

# --------------------------------------------------------------- A
# (SEC_PARTS="A1 A2 A3 B" runs only the parts named.)
if part A1 || part A2 || part A3; then
tend_config <<EOF
[program:b]
command=/bin/sh -c 'i=0; while :; do i=\$((i+1)); echo "b line \$i ..................................................."; sleep 0.05; done'
user=$SEC_USER
startsecs=0
stdout_logfile=$OUT
stdout_logfile_maxbytes=2KB
stdout_logfile_backups=0
EOF
tend_start
wait_state b RUNNING
child_pid b
BPID=$CPID
wait_until 20 '[ -f "$OUT" ] && [ -s "$OUT" ]' "b's log $OUT to fill"

# link_victim: U (atomically) replaces his log by a link to the victim.
link_victim() {
	as_user ln -sfn "$VICTIM" "$U/.swap" &&
		as_user mv -fT "$U/.swap" "$OUT" ||
		hard_error "$SEC_USER could not replace $OUT by a link"
	[ -L "$OUT" ] || hard_error "$OUT is not a link after the swap"
}

# fresh_log: U removes the link; tendd reopens; wait for a regular log
# being written again.
fresh_log() {
	as_user rm -f "$OUT"
	ctl_within 20 reopen
	[ "$CTL_RC" != 137 ] || fail "tendctl reopen hung"
	wait_until 20 '[ -f "$OUT" ] && [ ! -L "$OUT" ] && [ -s "$OUT" ]' \
		"a regular $OUT being written again"
}

# handled WHAT LINES0 DROPPED0 SECS: the victim is intact after tendd has
# dealt with b's output following the attack: fail at once if the victim
# changes; done when tendd shows it handled the log (a new line of its log
# naming it, or more bytes counted as dropped), or after SECS of
# continuous output with nothing to show either way.
handled() {
	_h_what=$1
	_h_l0=$2
	_h_d0=$3
	now_cs
	_h_end=$((NOW + $4 * 100 * TIMEOUT_SCALE))
	while :; do
		assert_victim "$_h_what"
		if log_since "$_h_l0" "$OUT"; then
			break
		fi
		dropped b stdout
		[ "$DROPPED" -gt "$_h_d0" ] && break
		now_cs
		[ "$NOW" -ge "$_h_end" ] && break
		sleep 0.05
	done
	assert_victim "$_h_what"
}

# still_fine WHAT: tendd answers, b runs on, same pid, as U.
still_fine() {
	assert_answers "$1"
	wait_state b RUNNING
	child_pid b
	assert_eq "$BPID" "$CPID" "b's pid $1 (the program must keep running)"
	proc_field "$CPID" Uid
	assert_eq "$SEC_UID" "${FIELD_VAL%% *}" "b's uid $1"
}

# A1: tendctl reopen with the log a link to the victim.
if part A1; then
dropped b stdout
D0=$DROPPED
link_victim
log_lines
L0=$LINES
ctl_within 20 reopen
[ "$CTL_RC" != 137 ] || fail "tendctl reopen hung"
handled "by tendctl reopen on a link" "$L0" "$D0" 5
still_fine "after the reopen on a link"
fi

# A2: a size rotation (the log is emptied: backups=0) with the log a link.
if part A2; then
fresh_log
dropped b stdout
D0=$DROPPED
log_lines
L0=$LINES
link_victim
# b writes 2 KB in about 2 s: a rotation is due within that.
handled "by a size rotation onto a link" "$L0" "$D0" 8
still_fine "after a rotation onto a link"
fi

# A3: tendctl clear while U keeps putting the link back (the race of
# unlink + open(O_CREAT|O_TRUNC)): 100 clears (the unfixed tendd lost the race within 3).
if part A3; then
fresh_log
cat >"$T/relink.py" <<'EOF'
import os, sys
victim, path = sys.argv[1], sys.argv[2]
tmp = os.path.join(os.path.dirname(path), ".relink")
parent, n = os.getppid(), 0
while True:
    n += 1
    if n % 1000 == 0 and os.getppid() != parent:
        sys.exit(0)  # the test is gone
    try:
        os.unlink(tmp)
    except FileNotFoundError:
        pass
    os.symlink(victim, tmp)
    os.rename(tmp, path)
EOF
chmod 0644 "$T/relink.py"
as_user_bg "$SEC_PY" "$T/relink.py" "$VICTIM" "$OUT"
RELINK=$BG_PID
wait_until 10 '[ -L "$OUT" ]' "$SEC_USER's relink loop to start"
i=0
while [ "$i" -lt 100 ]; do
	ctl_within 20 clear b
	[ "$CTL_RC" != 137 ] || fail "tendctl clear b hung (clear $i)"
	assert_victim "by tendctl clear b racing a link (clear $((i + 1)))"
	i=$((i + 1))
done
bg_stop "$RELINK"
assert_victim "by tendctl clear b racing a link"
still_fine "after 100 clears racing a link"
fi
tend_stop
fi

# --------------------------------------------------------------- B
part B || exit 0
STICKY=$T/sticky
mkdir "$STICKY" && chmod 1777 "$STICKY" || hard_error "cannot make $STICKY"
tend_config <<EOF
[program:c]
command=/bin/sh -c 'while :; do echo c-output; sleep 0.05; done'
startsecs=0

[program:d]
command=/bin/sh -c 'while :; do echo d-output; sleep 0.05; done'
startsecs=0
EOF
sed -i "s|^childlogdir=.*|childlogdir=$STICKY|" "$CONF"
CLOG=$STICKY/c-stdout.log
DLOG=$STICKY/d-stdout.log
as_user ln -s "$VICTIM" "$CLOG" || hard_error "cannot plant $CLOG"
as_user sh -c 'umask 0; printf "mine\n" >"$1"' sh "$DLOG" ||
	hard_error "cannot plant $DLOG"
assert_eq "666 $SEC_USER" "$(stat -c '%a %U' "$DLOG")" "mode and owner of U's planted file"
# tendd must not refuse this directory: sticky, like /tmp. Whether c and d
# run (their output dropped) or fail to spawn (a log tendd will not open)
# is tendd's choice: wait until they are past STARTING.
tend_start
settled() {
	state_of "$1"
	case $STATE in RUNNING | BACKOFF | FATAL | EXITED) return 0 ;; esac
	return 1
}
wait_until 30 'settled c && settled d' "c and d to be past STARTING"
# Both print 20 lines a second from the start; tendd dealt with them when
# its log names the files or counts their output as dropped (else 5 s).
now_cs
END=$((NOW + 500 * TIMEOUT_SCALE))
while :; do
	assert_victim "through a link planted at the AUTO name $CLOG"
	[ "$(cat "$DLOG")" = mine ] ||
		fail "tendd wrote into $SEC_USER's own file $DLOG planted at d's AUTO log name:
$(head -c 300 "$DLOG")"
	dropped c stdout
	DC=$DROPPED
	dropped d stdout
	if { log_has "$CLOG" || [ "$DC" -gt 0 ]; } &&
	    { log_has "$DLOG" || [ "$DROPPED" -gt 0 ]; }; then
		break
	fi
	now_cs
	[ "$NOW" -ge "$END" ] && break
	sleep 0.05
done
assert_victim "through a link planted at the AUTO name $CLOG"
assert_eq mine "$(cat "$DLOG")" "content of $SEC_USER's file at d's AUTO log name"
assert_eq "$SEC_UID" "$(stat -c %u "$DLOG")" "owner of $DLOG"
assert_answers "with planted AUTO logs"
exit 0

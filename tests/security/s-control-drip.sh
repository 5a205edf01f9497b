#!/bin/sh
# shellcheck disable=SC2016,SC2034,SC2015,SC2119 # conditions are eval'd later by wait_until
# Issue 12, finding 6: one control_group member cannot corrupt the others'
# requests, nor flood tendd's log. U (in control_group) drips unterminated
# garbage into the control FIFO, one byte every 0.5 ms, while root runs 40
# tendctl commands one after the other: all 40 succeed with the right
# answer, and tendd's log gets a bounded number of WARN lines (rate-limited:
# at most 20 plus 2 a second of dripping; unlimited, it was thousands).
# shellcheck source=tests/security/lib-sec.sh disable=SC1091
. "${TEND_SRCDIR:-.}/tests/security/lib-sec.sh"

[ -n "$SEC_PY" ] || skip "no python3 that $SEC_USER can run (the drip loop)"

cat >"$T/drip.py" <<'EOF'
import errno, os, sys, time
path = sys.argv[1]
fd = os.open(path, os.O_WRONLY | os.O_NONBLOCK)
parent = os.getppid()
n = 0
due = time.monotonic()
while True:
    try:
        os.write(fd, b"x")  # one byte, one write, no newline
    except BlockingIOError:
        pass
    n += 1
    if n % 200 == 0:
        if os.getppid() != parent:
            sys.exit(0)  # the test is gone
        # say how far it got: the test waits for the drip to be going
        with open(sys.argv[2], "w") as f:
            f.write("%d\n" % n)
    # one write every 0.5 ms on average: a late wake-up catches up
    due += 0.0005
    delay = due - time.monotonic()
    if delay > 0:
        time.sleep(delay)
    elif delay < -0.05:
        due = time.monotonic()
EOF
chmod 0644 "$T/drip.py"
D=$T/drip
mkdir "$D" && chown "$SEC_USER:$SEC_GROUP" "$D" || hard_error "cannot make $D"

GLOBAL_EXTRA="control_mode=0660
control_group=$SEC_GROUP"
start_web

# warn_count: WARN lines of the tendd log after its first L0 lines.
warn_count() {
	WARNS=$(tail -n +"$((L0 + 1))" "$LOGFILE" | grep -c ' WARN ')
}

log_lines
L0=$LINES
now_cs
T0=$NOW
as_user_bg "$SEC_PY" "$T/drip.py" "$CONTROL" "$D/count"
DRIP=$BG_PID
wait_until 20 '[ "$(cat "$D/count" 2>/dev/null || echo 0)" -ge 1000 ]' \
	"$SEC_USER's drip to be going (1000 bytes)"
proc_alive "$DRIP" || fail "the drip loop died"

FAILS=0
WHY=
i=1
while [ "$i" -le 40 ]; do
	if [ $((i % 2)) = 0 ]; then
		ctl_within 30 pid
		want=$TENDD_PID
		got=$CTL_OUT
	else
		ctl_within 30 status web
		want=RUNNING
		got=$(printf '%s\n' "$CTL_OUT" | awk '$1 == "web" { print $2 }')
	fi
	if [ "$CTL_RC" != 0 ] || [ "$got" != "$want" ]; then
		FAILS=$((FAILS + 1))
		WHY="$WHY
  command $i: exit $CTL_RC, [$got] instead of [$want]: $CTL_ERR"
	fi
	i=$((i + 1))
done
proc_alive "$DRIP" || fail "the drip loop died during the commands"
BYTES=$(cat "$D/count")
bg_stop "$DRIP"
now_cs
SECS=$(((NOW - T0 + 99) / 100))
warn_count
LIMIT=$((20 + 2 * SECS))
note "$BYTES bytes dripped in about $SECS s; $FAILS of 40 commands failed; $WARNS WARN lines"
[ "$FAILS" = 0 ] || fail "$FAILS of 40 tendctl commands failed while $SEC_USER dripped garbage into the control FIFO:$WHY"

assert_answers "after the drip"
warn_count
[ "$WARNS" -le "$LIMIT" ] ||
	fail "$WARNS WARN lines in tendd's log for $SECS s of dripping (at most $LIMIT: bad requests must be rate-limited); the first ones:
$(tail -n +"$((L0 + 1))" "$LOGFILE" | grep ' WARN ' | head -n 5)"
exit 0

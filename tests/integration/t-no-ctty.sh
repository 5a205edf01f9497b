#!/bin/sh
# shellcheck disable=SC2016,SC2034,SC2119 # conditions are eval'd later by wait_until
# A child of `tendd -n` started from a terminal has no controlling terminal
# (issue 12, finding 5): it is the leader of a session of its own, so it
# cannot open /dev/tty and push input into root's terminal (TIOCSTI). Its
# process group is still its pid, so stopasgroup keeps working.
# shellcheck source=tests/integration/lib.sh disable=SC1091
. "${TEND_SRCDIR:-.}/tests/integration/lib.sh"

command -v python3 >/dev/null 2>&1 || skip "python3 is needed to give tendd a terminal"

# withtty.py CMD...: become a session leader with a new pseudo-terminal as
# controlling terminal (and standard input), then exec CMD; the master
# stays open in CMD so the terminal never hangs up under it.
cat >"$T/withtty.py" <<'EOF'
import fcntl, os, sys, termios
os.setsid()
master, slave = os.openpty()
fcntl.ioctl(slave, termios.TIOCSCTTY, 0)
os.dup2(slave, 0)
os.close(slave)
os.set_inheritable(master, True)
os.execv(sys.argv[1], sys.argv[1:])
EOF

# stat_field PID N: sets STAT_VAL to field N of /proc/PID/stat.
stat_field() {
	STAT_VAL=$(awk -v n="$2" '{ s = $0; sub(/.*\) /, "", s); split(s, a, " "); print a[n - 2] }' \
		"/proc/$1/stat" 2>/dev/null)
}

tend_config <<EOF
[program:probe]
command=/bin/sh -c "if (exec 3</dev/tty) 2>/dev/null; then echo tty; else echo notty; fi >$T/probe.tty; exec /bin/sleep 1000"
startsecs=0

[program:family]
command=/bin/sh -c "/bin/sleep 1000 & wait"
startsecs=0
stopasgroup=true
EOF
TENDD_WRAPPER="python3 $T/withtty.py" tend_start

# The test means something only if tendd has a terminal.
stat_field "$TENDD_PID" 7
if [ -z "$STAT_VAL" ] || [ "$STAT_VAL" = 0 ]; then
	hard_error "tendd has no controlling terminal (tty_nr '$STAT_VAL')"
fi
TENDD_SID_TTY=$STAT_VAL

wait_state probe RUNNING
child_pid probe
PROBE=$CPID
wait_until 10 '[ -s "$T/probe.tty" ]' "the probe's answer"
assert_eq notty "$(cat "$T/probe.tty")" "could the child open /dev/tty"
stat_field "$PROBE" 7
assert_eq 0 "$STAT_VAL" "tty_nr of the child (tendd's is $TENDD_SID_TTY)"
stat_field "$PROBE" 6
assert_eq "$PROBE" "$STAT_VAL" "session of the child"
stat_field "$PROBE" 5
assert_eq "$PROBE" "$STAT_VAL" "process group of the child"
assert_eq "?" "$(ps -o tty= -p "$PROBE" | tr -d ' ')" "ps -o tty= of the child"

# stopasgroup still reaches the whole group (pgid == pid).
wait_state family RUNNING
child_pid family
FAMILY=$CPID
wait_until 10 '[ -n "$(children_of "$FAMILY")" ]' "family's grandchild"
GRAND=$(children_of "$FAMILY")
stat_field "$GRAND" 5
assert_eq "$FAMILY" "$STAT_VAL" "process group of family's grandchild"
ctl stop family
assert_eq 0 "$CTL_RC" "stop family"
wait_until 10 '! proc_alive "$GRAND"' "family's grandchild to be stopped with the group"

exit 0

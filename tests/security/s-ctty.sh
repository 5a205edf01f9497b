#!/bin/sh
# shellcheck disable=SC2016,SC2034,SC2015,SC2119 # conditions are eval'd later by wait_until
# Issue 12, finding 5: a child never shares tendd's controlling terminal.
# "tendd -n" runs on a terminal (a pty made here: tendd is a session
# leader with that pty as its controlling terminal and its stdin, as in
# an interactive root shell); a program with user=U opens /dev/tty: that
# fails with ENXIO (no controlling terminal), since the child runs in a
# session of its own (setsid): its session id and process group are its
# pid. The same for a root program.
# shellcheck source=tests/security/lib-sec.sh disable=SC1091
. "${TEND_SRCDIR:-.}/tests/security/lib-sec.sh"

[ -n "$SEC_PY" ] || skip "no python3 that $SEC_USER can run (the /dev/tty probe)"

# ttyprobe.py: open /dev/tty, say how it went, then sleep (so the session
# can be looked at).
cat >"$T/ttyprobe.py" <<'EOF'
import errno, os, sys, time
try:
    fd = os.open("/dev/tty", os.O_RDWR | os.O_NOCTTY)
except OSError as e:
    print("tty: %s" % errno.errorcode.get(e.errno, e.errno), flush=True)
else:
    os.close(fd)
    print("tty: opened", flush=True)
time.sleep(1000)
EOF
# onpty.py PROG ARGS: exec PROG as the leader of a new session whose
# controlling terminal (and stdin) is a new pty; a detached helper holds
# the master, reading it, until the session's terminal is closed.
cat >"$T/onpty.py" <<'EOF'
import fcntl, os, select, sys, termios
master, slave = os.openpty()
leader = os.getpid()
pid = os.fork()
if pid == 0:
    if os.fork() != 0:
        os._exit(0)
    os.close(slave)
    os.closerange(3, master)
    os.closerange(master + 1, 1024)
    while True:
        try:
            r, _, _ = select.select([master], [], [], 1.0)
            if r and not os.read(master, 4096):
                break
        except OSError:
            break
        try:
            os.kill(leader, 0)
        except OSError:
            break
    os._exit(0)
os.waitpid(pid, 0)
os.close(master)
os.setsid()
fcntl.ioctl(slave, termios.TIOCSCTTY, 0)
os.dup2(slave, 0)
if slave != 0:
    os.close(slave)
os.execv(sys.argv[1], sys.argv[1:])
EOF
chmod 0644 "$T/ttyprobe.py" "$T/onpty.py"

tend_config <<EOF
[program:probe]
command=$SEC_PY $T/ttyprobe.py
user=$SEC_USER
startsecs=0
stdout_logfile=$T/log/probe.out
redirect_stderr=true

[program:rootprobe]
command=$SEC_PY $T/ttyprobe.py
startsecs=0
stdout_logfile=$T/log/rootprobe.out
redirect_stderr=true
EOF
TENDD_WRAPPER="$SEC_PY $T/onpty.py ${TENDD_WRAPPER:-}" tend_start
# tendd itself got the terminal (else the test proves nothing).
proc_sid "$TENDD_PID"
assert_eq "$TENDD_PID" "$SID" "session of tendd (the pty's session leader)"
TTYNR=$(awk '{ s = $0; sub(/.*\) /, "", s); split(s, a, " "); print a[5] }' "/proc/$TENDD_PID/stat")
assert_ne 0 "$TTYNR" "tendd's controlling terminal (tty_nr)"

for p in probe rootprobe; do
	wait_state "$p" RUNNING
	wait_until 20 'grep -q "^tty: " "$T/log/$p.out" 2>/dev/null' "$p to try /dev/tty"
	child_pid "$p"
	assert_eq "tty: ENXIO" "$(grep '^tty: ' "$T/log/$p.out")" \
		"$p (pid $CPID) opening /dev/tty under tendd -n on a terminal"
	proc_sid "$CPID"
	assert_eq "$CPID" "$SID" "session id of $p (its own session)"
	proc_pgid "$CPID"
	assert_eq "$CPID" "$PGID" "process group of $p"
done
child_pid probe
proc_field "$CPID" Uid
assert_eq "$SEC_UID" "${FIELD_VAL%% *}" "probe's uid"
exit 0

#!/bin/sh
# shellcheck disable=SC2016,SC2034,SC2119 # conditions are eval'd later by wait_until
# notification_fd= (s6's readiness notification): the program gets a pipe
# as fd N (and nothing else beyond 0-2); it stays STARTING, whatever
# startsecs says, until it writes a line there, then it is RUNNING and
# "tendctl start" returns; a program that exits before its line is a
# failed start (BACKOFF, then FATAL), even after a long run; one that
# closes the fd without a line stays STARTING until it is stopped; a
# descriptor above 9 and one that lands on tendd's own low descriptors
# work alike. sd_notify=true (systemd's Type=notify): the program gets a
# NOTIFY_SOCKET (the others do not) and is RUNNING on READY=1 sent from
# its process group, while a READY=1 from a stranger is ignored. Idle
# afterwards, fds back to the baseline.
# shellcheck source=tests/integration/lib.sh disable=SC1091
. "${TEND_SRCDIR:-.}/tests/integration/lib.sh"

command -v bash >/dev/null 2>&1 || skip "bash is needed for fd 12"
command -v python3 >/dev/null 2>&1 || skip "python3 is needed for sd_notify"
mkfifo "$T/go-web" "$T/go-high" "$T/go-never" "$T/go-sd" ||
	hard_error "mkfifo"
# sd_notify(3) in a few lines: its arguments, one per line, to
# $NOTIFY_SOCKET.
cat >"$T/notify.py" <<'EOF' || hard_error "cannot write notify.py"
import os, socket, sys
a = os.environ["NOTIFY_SOCKET"]
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.sendto("\n".join(sys.argv[1:]).encode(),
         "\0" + a[1:] if a[0] == "@" else a)
EOF

tend_config <<EOF
[program:web]
command=/bin/sh -c 'read x <"$T/go-web"; echo ready >&3; exec /bin/sleep 1000'
notification_fd=3
startsecs=0

[program:high]
command=/bin/bash -c 'read x <"$T/go-high"; echo >&12; exec 12>&-; exec /bin/sleep 1000'
notification_fd=12

[program:never]
command=/bin/sh -c 'read x <"$T/go-never"; exit 0'
notification_fd=4
startretries=0

[program:sd]
command=/bin/sh -c 'read x <"$T/go-sd"; python3 "$T/notify.py" STATUS=up READY=1; exec /bin/sleep 1000'
sd_notify=true
startsecs=0

[program:mute]
command=/bin/sh -c 'exec 5>&-; exec /bin/sleep 1000'
notification_fd=5
startsecs=0
EOF
tend_start

# 1. STARTING until the line, though startsecs=0 would say RUNNING at once.
wait_log "spawned: 'web'"
state_of web
assert_eq STARTING "$STATE" "web before its line"
child_pid web
assert_eq "0 1 2 3" "$(ls "/proc/$CPID/fd" | sort -n | tr '\n' ' ' | sed 's/ $//')" \
	"web's descriptors"
assert_match '^pipe:' "$(readlink "/proc/$CPID/fd/3")" "web's fd 3"
# a live re-exec while web waits: its pipe crosses the exec (tendd.8)
ctl reexec
assert_eq 0 "$CTL_RC" "reexec while web is STARTING (stderr: $CTL_ERR)"
state_of web
assert_eq STARTING "$STATE" "web after the reexec"
echo go >"$T/go-web"
wait_state web RUNNING
log_has "success: web entered RUNNING state, process is ready (notification_fd)" ||
	fail "no readiness line in the log"

# 2. tendctl start waits for the line (fd 12: above 9, past tendd's low fds).
wait_log "spawned: 'high'"
ctl stop high
assert_ctl 0 "high: stopped" "stop high"
"$TENDCTL" -c "$CONF" start high >"$T/start.out" 2>&1 &
START=$!
wait_state high STARTING
proc_alive "$START" || fail "tendctl start returned before high was ready: $(cat "$T/start.out")"
echo go >"$T/go-high"
wait_until 20 '! proc_alive "$START"' "tendctl start to return"
wait "$START"
assert_eq 0 $? "tendctl start high exit code"
assert_eq "high: started" "$(cat "$T/start.out")" "tendctl start high"
wait_state high RUNNING

# 3. An exit before the line is a failed start: FATAL with startretries=0.
wait_log "spawned: 'never'"
echo go >"$T/go-never"
wait_state never FATAL
ctl status never
assert_match "Exited too quickly" "$CTL_OUT" "never's status"

# 4. The fd closed without a line: STARTING until stopped.
wait_log "spawned: 'mute'"
state_of mute
assert_eq STARTING "$STATE" "mute after closing its fd"
ctl stop mute
assert_ctl 0 "mute: stopped" "stop mute"

# 5. sd_notify: NOTIFY_SOCKET for sd only; a stranger's READY=1 is
# ignored, the program's (sent by a child of its shell) counts.
wait_log "spawned: 'sd'"
child_pid sd
SOCK=$(tr '\0' '\n' <"/proc/$CPID/environ" | sed -n 's/^NOTIFY_SOCKET=//p')
assert_match '^@.' "$SOCK" "sd's NOTIFY_SOCKET"
child_pid web
assert_no_match 'NOTIFY_SOCKET=' "$(tr '\0' '\n' <"/proc/$CPID/environ")" \
	"web's environment"
NOTIFY_SOCKET=$SOCK python3 "$T/notify.py" READY=1 ||
	fail "cannot send to $SOCK"
wait_log "which is no sd_notify program's: ignored"
state_of sd
assert_eq STARTING "$STATE" "sd after a stranger's READY=1"
# a live re-exec while sd waits: the NOTIFY_SOCKET crosses the exec
ctl reexec
assert_eq 0 "$CTL_RC" "reexec while sd is STARTING (stderr: $CTL_ERR)"
echo go >"$T/go-sd"
wait_state sd RUNNING
log_has "success: sd entered RUNNING state, process is ready (READY=1)" ||
	fail "no READY=1 line in the log"
ctl stop sd
assert_eq 0 "$CTL_RC" "stop sd"

# 6. No descriptor is left behind by a readiness pipe: a ready start, and
# an exit before the line, with everything else stopped.
ctl stop web high
assert_eq 0 "$CTL_RC" "stop web high"
fd_baseline
start_through_fifo web web "$T/go-web"
wait_state web RUNNING
ctl stop web
assert_eq 0 "$CTL_RC" "stop web again"
start_through_fifo never never "$T/go-never"
wait_state never FATAL
assert_fds_back 10 "after the readiness pipes"
assert_idle 2 "after readiness"
exit 0

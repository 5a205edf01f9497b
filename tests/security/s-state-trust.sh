#!/bin/sh
# shellcheck disable=SC2016,SC2034,SC2015,SC2119 # conditions are eval'd later by wait_until
# Issue 12, finding 4: tendd never trusts a control directory or a state
# file another user controls, and never kills a process group on the word
# of the state file alone.
#
# A: control= in a directory U owns. U writes control.state there naming a
#    root "sleep 1000" (its own process group, pid, pgid and start time
#    right). tendd refuses to start (a configuration error naming the
#    directory); the root process lives.
# B: control= in a root-owned sticky 1777 directory (as /tmp): U plants a
#    control.state of his own there naming a root process. Whether tendd
#    starts or refuses, the root process lives and no orphan is killed.
# C: the state file is tendd's own (root, 0600, a root 0700 directory) but
#    names a live root process A with the process group of another root
#    process B. tendd kills a group only when getpgid(pid) == pgid == pid:
#    A and B both live.
# shellcheck source=tests/security/lib-sec.sh disable=SC1091
. "${TEND_SRCDIR:-.}/tests/security/lib-sec.sh"

# try_start: start tendd -n in the background and wait until it answers
# (STARTED=1) or exits (STARTED=0, status in TENDD_STATUS, TENDD_PID empty).
try_start() {
	# shellcheck disable=SC2086 # the wrapper is a word list on purpose
	${TENDD_WRAPPER:-} "$TENDD" -n -c "$CONF" >"$T/tendd.out" 2>"$ERRFILE" </dev/null &
	TENDD_PID=$!
	TENDD_IS_CHILD=1
	STARTED=
	wait_until 30 '
		if "$TENDCTL" -c "$CONF" pid >/dev/null 2>&1; then
			STARTED=1
		elif ! tendd_alive; then
			STARTED=0
		fi
		[ -n "$STARTED" ]' "tendd to answer or to exit"
	if [ "$STARTED" = 0 ]; then
		wait "$TENDD_PID"
		TENDD_STATUS=$?
		TENDD_PID=
	fi
}

# state_line PID PGID START NAME: the state file's text (src/state.h).
state_text() {
	printf 'tend-state 1\n%s %s %s %s\n' "$1" "$2" "$3" "$4"
}

# all_text: what tendd said (stderr and its log).
all_text() {
	cat "$ERRFILE" "$LOGFILE" 2>/dev/null
}

PROGRAMS='[program:web]
command=/bin/sleep 1000
startsecs=0'

# --------------------------------------------------------------- A
if part A; then
CD=$T/userctl
mkdir "$CD" && chown "$SEC_USER:$SEC_GROUP" "$CD" && chmod 0755 "$CD" ||
	hard_error "cannot make $CD"
root_sleeper
VPID=$SLEEPER
state_text "$VPID" "$VPID" "$START" web >"$T/forged"
chmod 0644 "$T/forged"
as_user sh -c 'umask 077; cat "$1" >"$2"' sh "$T/forged" "$CD/control.state" ||
	hard_error "$SEC_USER could not write $CD/control.state"
CONTROL=$CD/control
tend_config <<EOF
$PROGRAMS
EOF
try_start
# The root process first: that is the harm.
if [ "$STARTED" = 1 ]; then
	proc_alive "$VPID" ||
		fail "tendd killed the root process $VPID named by the state file $SEC_USER wrote in $CD"
	fail "tendd started with its control directory $CD owned by $SEC_USER (expected: refused, as sshd's StrictModes)"
fi
proc_alive "$VPID" ||
	fail "the root process $VPID died although tendd did not start"
assert_ne 0 "$TENDD_STATUS" "exit status of tendd refusing $CD"
assert_match "$CD([^/]|\$)" "$(all_text)" \
	"tendd's error names the directory $CD"
assert_match "$CD.*(own|uid|user|writ|trust|unsafe|refus|permission|mode)|(own|uid|user|writ|trust|unsafe|refus|permission|mode).*$CD" \
	"$(all_text)" "tendd's error says why $CD is refused"
bg_stop "$VPID"
fi

# --------------------------------------------------------------- B
if part B; then
CD=$T/sticky
mkdir "$CD" && chmod 1777 "$CD" || hard_error "cannot make $CD"
root_sleeper
VPID=$SLEEPER
state_text "$VPID" "$VPID" "$START" web >"$T/forged"
chmod 0644 "$T/forged"
as_user sh -c 'umask 077; cat "$1" >"$2"' sh "$T/forged" "$CD/control.state" ||
	hard_error "$SEC_USER could not write $CD/control.state"
CONTROL=$CD/control
tend_config <<EOF
$PROGRAMS
EOF
: >"$LOGFILE"
try_start
proc_alive "$VPID" ||
	fail "tendd killed the root process $VPID named by the state file $SEC_USER planted in the sticky $CD"
assert_no_match "killing orphan" "$(all_text)" "tendd's log with $SEC_USER's state file"
if [ "$STARTED" = 1 ]; then
	# It says it does not trust that file (once, with the path).
	assert_match "$CD/control.state" "$(all_text)" \
		"tendd's log names the state file it ignores"
	wait_state web RUNNING
	proc_alive "$VPID" || fail "the root process $VPID died after tendd started"
	tend_stop
fi
bg_stop "$VPID"
fi

# --------------------------------------------------------------- C
if part C; then
CD=$T/rootctl
mkdir "$CD" && chmod 0700 "$CD" || hard_error "cannot make $CD"
root_sleeper
APID=$SLEEPER
ASTART=$START
root_sleeper
BPID=$SLEEPER
(umask 077 && state_text "$APID" "$BPID" "$ASTART" web >"$CD/control.state") ||
	hard_error "cannot write $CD/control.state"
CONTROL=$CD/control
tend_config <<EOF
$PROGRAMS
EOF
: >"$LOGFILE"
try_start
[ "$STARTED" = 1 ] || fail "tendd did not start with a root 0700 control directory (status $TENDD_STATUS):
$(all_text | tail -n 5)"
wait_state web RUNNING
proc_alive "$BPID" ||
	fail "tendd killed process group $BPID, named as the group of pid $APID (whose group is $APID) by the state file"
proc_alive "$APID" ||
	fail "tendd killed pid $APID although its process group is not the one the state file gives"
tend_stop
bg_stop "$APID"
bg_stop "$BPID"
fi
exit 0

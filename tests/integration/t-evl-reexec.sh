#!/bin/sh
# shellcheck disable=SC2016,SC2034,SC2119 # conditions are eval'd later by wait_until
# Event listeners across a live re-exec (issue 16): a listener records
# every event it gets (PROCESS_STATE of a program restarting in a loop,
# and TICK_5), answering each after a short random wait so that it is
# often BUSY with one when tendd re-execs itself, five times in a row.
# The listener keeps its pid and is never restarted, never sees EOF or a
# broken event; the serials it gets strictly increase and its pool
# serials follow each other (no event lost, none twice); events made
# during the re-execs come after them, a TICK_5 too. A second pool gets
# PROCESS_COMMUNICATION events of 200 kB (more than a pipe holds) from a
# program that sends one after another, read slowly: an event half
# written at the exec is finished by the new image, never cut or sent
# twice, and a message being captured keeps what it has.
# shellcheck source=tests/integration/lib.sh disable=SC1091
. "${TEND_SRCDIR:-.}/tests/integration/lib.sh"

PY=/usr/bin/python3
[ -x "$PY" ] || skip "$PY is missing"
D=${TEND_SRCDIR:-.}/tests/integration
tend_config <<EOF
[program:flap]
command=/bin/sh -c 'sleep 0.1; exit 1'
process_name=%(program_name)s_%(process_num)d
numprocs=5
startsecs=0
autorestart=true

[program:talker]
command=/bin/sh -c 'while :; do printf "<!--XSUPERVISOR:BEGIN-->"; head -c 200000 /dev/zero | tr "\\000" x; printf "<!--XSUPERVISOR:END-->"; sleep 0.2; done'
stdout_capture_maxbytes=1MB
stdout_logfile=NONE

[eventlistener:rec]
command=$PY $D/evl_reexec.py $T/got
events=PROCESS_STATE,TICK_5
buffer_size=1000

[eventlistener:big]
command=$PY $D/evl_reexec.py $T/big --slow
events=PROCESS_COMMUNICATION_STDOUT
buffer_size=1000
EOF
tend_start
wait_state rec RUNNING
wait_state big RUNNING
ctl pid rec
LPID=$CTL_OUT
ctl pid big
BPID=$CTL_OUT

# COUNT, TICKS: events and TICK_5 recorded so far, checked (fails on a
# broken stream)
got() {
	if [ ! -e "$T/got" ]; then
		COUNT=0
		TICKS=0
		return 0
	fi
	R=$("$PY" "$D/evl_reexec_check.py" "$T/got") ||
		fail "the listener's record is wrong: $R"
	COUNT=${R%% *}
	R=${R#* }
	TICKS=${R%% *}
}
# BIG: events of pool big so far, checked likewise
big() {
	if [ ! -e "$T/big" ]; then
		BIG=0
		return 0
	fi
	R=$("$PY" "$D/evl_reexec_check.py" "$T/big") ||
		fail "the big listener's record is wrong: $R"
	BIG=${R%% *}
}
wait_until 10 'got; [ "$COUNT" -ge 20 ]' "20 events before the re-execs"
wait_until 10 'big; [ "$BIG" -ge 2 ]' "2 big events before the re-execs"

for g in 1 2 3 4 5; do
	ctl reexec "$TENDD"
	assert_eq 0 "$CTL_RC" "reexec $g (stderr: $CTL_ERR)"
	assert_match "generation $g," "$CTL_OUT" "reexec $g's answer"
	ctl pid rec
	assert_eq "$LPID" "$CTL_OUT" "the listener's pid after reexec $g"
	ctl pid big
	assert_eq "$BPID" "$CTL_OUT" "the big listener's pid after reexec $g"
	got
	BEFORE=$COUNT
	big
	BIG_BEFORE=$BIG
	# events flow between two re-execs
	wait_until 10 'got; [ "$COUNT" -ge $((BEFORE + 5)) ]' \
		"events after reexec $g"
	wait_until 10 'big; [ "$BIG" -ge $((BIG_BEFORE + 1)) ]' \
		"a big event after reexec $g"
done

# after the last one: more events, and a TICK_5 among them
got
AFTER=$COUNT
T0=$TICKS
wait_until 15 'got; [ "$TICKS" -gt "$T0" ] && [ "$COUNT" -ge $((AFTER + 20)) ]' \
	"a TICK_5 and 20 events after the re-execs"
ctl pid rec
assert_eq "$LPID" "$CTL_OUT" "the listener's pid at the end"
assert_eq "$LPID" "$(cat "$T/got.pid")" "the listener started once"
assert_eq "$BPID" "$(cat "$T/big.pid")" "the big listener started once"
big
state_of rec
assert_eq RUNNING "$STATE" "the listener at the end"
if log_has "rebuffering event"; then
	fail "an event was given back (the protocol broke)"
fi
if log_has "UNKNOWN state"; then
	fail "the listener broke the protocol"
fi
N=$COUNT
log_count "BUSY with event"
BUSY=$COUNT
log_count "events buffered in the pools"
BUF=$COUNT
HALF=$(grep 'bytes of it left to write' "$LOGFILE" | grep -vc ', 0 bytes of it')
note "$N events, $TICKS TICK_5, $BIG big events across 5 re-execs (a listener BUSY at $BUSY crossings, $HALF of them half written; events buffered at $BUF re-execs)"
tend_stop

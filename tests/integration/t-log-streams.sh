#!/bin/sh
# shellcheck disable=SC2016,SC2034 # conditions are eval'd later by wait_until
# stdout_logfile/stderr_logfile AUTO and NONE, redirect_stderr, tail (with
# supervisorctl's exact outputs), clear, reopen and SIGUSR2 after an
# external rotation, the tendd log's line format, and AUTO files of
# processes of one name in two groups (GROUP:NAME, never one shared file).
# shellcheck source=tests/integration/lib.sh disable=SC1091
. "${TEND_SRCDIR:-.}/tests/integration/lib.sh"

tend_config <<EOF2
[program:both]
command=/bin/sh -c "echo out1; echo err1 >&2; exec /bin/sleep 1000"
startsecs=0

[program:redir]
command=/bin/sh -c "echo out2; echo err2 >&2; exec /bin/sleep 1000"
redirect_stderr=true
startsecs=0

[program:none]
command=/bin/sh -c "echo lost; echo lost >&2; exec /bin/sleep 1000"
stdout_logfile=NONE
stderr_logfile=NONE
startsecs=0

[program:dupa]
command=/bin/sh -c "echo from-a; exec /bin/sleep 1000"
process_name=dup
startsecs=0

[program:dup]
command=/bin/sh -c "echo from-dup; exec /bin/sleep 1000"
startsecs=0

[program:ticker]
command=/bin/sh -c "i=0; while :; do i=\$((i+1)); echo tick\$i; sleep 0.1; done"
stdout_logfile=$T/ticker.log
startsecs=0
EOF2
tend_start
wait_state both RUNNING
wait_state redir RUNNING
wait_state none RUNNING
wait_state ticker RUNNING

file_has() { grep -qx -- "$2" "$1" 2>/dev/null; }

# ---- AUTO: one file per stream in childlogdir
wait_until 10 'file_has "$T/log/both-stdout.log" out1'
wait_until 10 'file_has "$T/log/both-stderr.log" err1'
assert_eq out1 "$(cat "$T/log/both-stdout.log")" "both-stdout.log"
assert_eq err1 "$(cat "$T/log/both-stderr.log")" "both-stderr.log"

# ---- redirect_stderr: both streams in the stdout file, no stderr file
wait_until 10 'file_has "$T/log/redir-stdout.log" err2'
assert_eq "out2
err2" "$(sort "$T/log/redir-stdout.log" | sort -r)" "redir-stdout.log"
[ ! -e "$T/log/redir-stderr.log" ] || fail "redirect_stderr created redir-stderr.log"

# ---- one process name in two groups: dupa's AUTO files are named
# dupa:dup, the name status shows; dup keeps its own
wait_state dupa:dup RUNNING
wait_state dup RUNNING
wait_until 10 'file_has "$T/log/dupa:dup-stdout.log" from-a'
wait_until 10 'file_has "$T/log/dup-stdout.log" from-dup'
assert_eq from-a "$(cat "$T/log/dupa:dup-stdout.log")" "dupa:dup-stdout.log"
assert_eq from-dup "$(cat "$T/log/dup-stdout.log")" "dup-stdout.log"
ctl tail dupa:dup
assert_ctl 0 "from-a" "tail dupa:dup"

# ---- NONE: no file, the child writes to /dev/null
child_pid none
[ ! -e "$T/log/none-stdout.log" ] && [ ! -e "$T/log/none-stderr.log" ] ||
	fail "NONE created a log file"
assert_eq /dev/null "$(readlink "/proc/$CPID/fd/1")" "NONE: fd 1 of the child"

# ---- tail, byte for byte supervisorctl's
ctl tail both
assert_ctl 0 "out1" "tail both"
[ "$(od -An -c "$T/ctl.out" | tr -d ' \n')" = 'out1\n\n' ] ||
	fail "tail both: expected 'out1\\n\\n', got $(od -An -c "$T/ctl.out")"
ctl tail both stderr
[ "$(od -An -c "$T/ctl.out" | tr -d ' \n')" = 'err1\n\n' ] ||
	fail "tail both stderr: got $(od -An -c "$T/ctl.out")"
ctl tail -3 both
[ "$(od -An -c "$T/ctl.out" | tr -d ' \n')" = 't1\n\n' ] ||
	fail "tail -3 both: got $(od -An -c "$T/ctl.out")"
ctl tail redir stderr
assert_ctl 1 "redir: ERROR (no log file)" "tail redir stderr"
ctl tail none
assert_ctl 1 "none: ERROR (no log file)" "tail none"
ctl tail nosuch
assert_ctl 1 "nosuch: ERROR (no such process name)" "tail nosuch"
ctl tail both bogus
assert_ctl 1 "Error: bad channel 'bogus'" "tail bad channel"
ctl tail -x both
assert_ctl 1 "Error: bad argument -x" "tail bad argument"
ctl tail
assert_eq 1 "$CTL_RC" "tail without a name: exit code"
assert_eq "Error: too few arguments" "$(head -n 1 "$T/ctl.out")" "tail without a name"

# ---- clear
ctl clear both
assert_ctl 0 "both: cleared" "clear both"
[ -e "$T/log/both-stdout.log" ] && [ ! -s "$T/log/both-stdout.log" ] ||
	fail "clear both: both-stdout.log is not an empty file"
[ ! -s "$T/log/both-stderr.log" ] || fail "clear both: stderr log not empty"
ctl tail both
[ "$(od -An -c "$T/ctl.out" | tr -d ' \n')" = '\n' ] ||
	fail "tail after clear: got $(od -An -c "$T/ctl.out")"
ctl clear nosuch
assert_ctl 1 "nosuch: ERROR (no such process)" "clear nosuch"
ctl clear
assert_eq 1 "$CTL_RC" "clear without a name: exit code"
ctl clear all
assert_eq 0 "$CTL_RC" "clear all: exit code"
assert_eq "both: cleared
dup: cleared
dupa:dup: cleared
none: cleared
redir: cleared
ticker: cleared" "$CTL_OUT" "clear all"
wait_until 10 '[ -s "$T/ticker.log" ]' "ticker.log written again after clear all"

# ---- external rotation: mv + reopen, mv + SIGUSR2
mv "$T/ticker.log" "$T/ticker.log.old"
ctl reopen
assert_ctl 0 "Reopened the log files" "reopen"
wait_until 10 '[ -s "$T/ticker.log" ]' "ticker.log recreated after reopen"
mv "$T/ticker.log" "$T/ticker.log.old2"
kill -USR2 "$TENDD_PID"
wait_until 10 '[ -s "$T/ticker.log" ]' "ticker.log recreated after SIGUSR2"
wait_log "received SIGUSR2 indicating log reopen request"
# copytruncate: the file is emptied under us; we go on at its new end
cp "$T/ticker.log" "$T/ticker.log.copy"
: >"$T/ticker.log"
wait_until 10 '[ -s "$T/ticker.log" ]' "ticker.log written after truncation"
[ "$(head -c 1 "$T/ticker.log" | od -An -c | tr -d ' ')" = t ] ||
	fail "after copytruncate the file starts with a hole or garbage"

# ---- the tendd log: supervisord's format
assert_match '^[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}:[0-9]{2},[0-9]{3} INFO spawned: .both. with pid [0-9]+$' \
	"$(cat "$LOGFILE")" "tendd log line format"
ctl maintail -200
assert_eq 0 "$CTL_RC" "maintail: exit code"
assert_match "INFO " "$CTL_OUT" "maintail shows the tendd log"

# ---- nothing dropped: status shows no count
ctl status both
assert_no_match "dropped" "$CTL_OUT" "status without drops"

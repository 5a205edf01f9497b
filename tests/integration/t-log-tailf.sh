#!/bin/sh
# shellcheck disable=SC2016,SC2034 # conditions are eval'd later by wait_until
# tail -f streams until Ctrl-C and goes on across many rotations without a
# gap; a reader that stops reading never stalls tendd: it is skipped ahead
# and told how many bytes it missed; maintail -f follows tendd's own log.
# shellcheck source=tests/integration/lib.sh disable=SC1091
. "${TEND_SRCDIR:-.}/tests/integration/lib.sh"

tend_config <<EOF2
[program:rot]
command=/bin/sh -c "echo start; while [ ! -e $T/go ]; do sleep 0.05; done; seq 1 20000; exec sleep 1000"
stdout_logfile=$T/rot.log
stdout_logfile_maxbytes=4KB
stdout_logfile_backups=200
startsecs=0

[program:big]
command=/bin/sh -c "echo start; while [ ! -e $T/gobig ]; do sleep 0.05; done; head -c 20000000 /dev/zero | tr '\\\\0' x | fold -w 99; exec sleep 1000"
stdout_logfile=$T/big.log
stdout_logfile_maxbytes=0
startsecs=0
EOF2
tend_start
wait_state rot RUNNING
wait_until 10 'grep -qx start "$T/rot.log"'

# ---- tail -f across 20+ rotations
"$TENDCTL" -c "$CONF" tail -f rot >"$T/follow.out" 2>"$T/follow.err" &
FPID=$!
wait_until 10 'grep -qx start "$T/follow.out"' "tail -f shows the start line"
touch "$T/go"
wait_until 30 'grep -qx 20000 "$T/follow.out"' "tail -f reaches line 20000"
[ -e "$T/rot.log.20" ] || fail "expected at least 20 rotations"
kill -INT "$FPID"
wait "$FPID"
rc=$?
assert_eq 0 "$rc" "tail -f exit status after Ctrl-C"
assert_eq "==> Press Ctrl-C to exit <==" "$(head -n 1 "$T/follow.out")" "tail -f banner"
{ echo start; seq 1 20000; echo; } >"$T/follow.expected"
tail -n +2 "$T/follow.out" >"$T/follow.got"
cmp -s "$T/follow.expected" "$T/follow.got" ||
	fail "tail -f across rotations lost or repeated lines: $(diff "$T/follow.expected" "$T/follow.got" | head -5)"

# ---- a stopped reader: tendd stays responsive, the reader is skipped ahead
wait_state big RUNNING
mkfifo "$T/slow"
# the reader opens the FIFO but reads nothing until $T/read exists
( exec 3<"$T/slow"; while [ ! -e "$T/read" ]; do sleep 0.05; done; cat <&3 >"$T/slow.out" ) &
RPID=$!
"$TENDCTL" -c "$CONF" tail -f big >"$T/slow" 2>"$T/slow.err" &
FPID=$!
touch "$T/gobig"
wait_until 60 '[ "$(wc -c <"$T/big.log")" -ge 20200000 ]' "big wrote 20 MB"
# tendd answers at once while the reader sleeps
ctl status big
assert_match "^big +RUNNING" "$CTL_OUT" "status while a tail -f reader is stopped"
touch "$T/read"
wait_until 30 'grep -q "skipped" "$T/slow.err"' "the reader is told it was skipped ahead"
assert_match "^==> skipped [0-9]+ bytes \\(the reader was too slow\\) <==\$" "$(cat "$T/slow.err")" "skip message"
kill -INT "$FPID"
wait "$FPID"
wait "$RPID"
size=$(wc -c <"$T/slow.out")
[ "$size" -lt 20000000 ] || fail "the slow reader got all $size bytes: nothing was skipped"

# ---- maintail -f
"$TENDCTL" -c "$CONF" maintail -f >"$T/main.out" 2>&1 &
FPID=$!
wait_until 10 'grep -q "Press Ctrl-C" "$T/main.out"'
ctl stop rot
wait_until 10 'grep -q "stopped: rot" "$T/main.out"' "maintail -f shows new lines"
kill -INT "$FPID"
wait "$FPID"
assert_eq 0 "$?" "maintail -f exit status after Ctrl-C"

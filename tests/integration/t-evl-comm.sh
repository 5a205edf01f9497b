#!/bin/sh
# shellcheck disable=SC2016,SC2034,SC2119,SC2317 # conditions are eval'd later by wait_until
# Capture mode: a program with stdout_capture_maxbytes writes a message
# between <!--XSUPERVISOR:BEGIN--> and <!--XSUPERVISOR:END-->; a listener on
# PROCESS_COMMUNICATION (and PROCESS_LOG) gets it as one
# PROCESS_COMMUNICATION_STDOUT event, and what is around it as
# PROCESS_LOG_STDOUT.
# shellcheck source=tests/integration/lib.sh disable=SC1091
. "${TEND_SRCDIR:-.}/tests/integration/lib.sh"

PY=/usr/bin/python3
[ -x "$PY" ] || skip "$PY is missing"
"$PY" -c 'import supervisor.childutils' 2>/dev/null ||
	skip "$PY cannot import supervisor.childutils (install python3-supervisor)"

REC=$T/events.txt
: >"$REC"
mkfifo "$T/go" || hard_error "mkfifo"
# a message, output around it; then a message larger than a pipe holds,
# which reaches the listener in several writes
cat >"$T/talk.sh" <<EOF
#!/bin/sh
read a <"$T/go"
printf 'before <!--XSUPERVISOR:BEGIN-->hello\\nlistener<!--XSUPERVISOR:END--> after, long enough to pass\\n'
printf '<!--XSUPERVISOR:BEGIN-->'
head -c 300000 /dev/zero | tr '\\0' b
printf '<!--XSUPERVISOR:END-->\\n'
exec sleep 1000
EOF
chmod +x "$T/talk.sh" || hard_error "chmod"
tend_config <<EOF
[program:talk]
command=$T/talk.sh
startsecs=0
stdout_capture_maxbytes=1MB
stdout_events_enabled=true

[eventlistener:rec]
command=$PY ${TEND_SRCDIR:-.}/tests/integration/evl_recorder.py $REC
events=PROCESS_COMMUNICATION,PROCESS_LOG
EOF
tend_start
wait_state rec RUNNING
wait_state talk RUNNING
child_pid talk
PID=$CPID
echo go >"$T/go"
has() { grep -q -- "$1" "$REC"; }
wait_until 20 'has "^PROCESS_COMMUNICATION_STDOUT .* || processname:talk groupname:talk pid:$PID\\\\nhello\\\\nlistener\$"' \
	"the PROCESS_COMMUNICATION_STDOUT event"
wait_until 20 'has "^PROCESS_LOG_STDOUT .* || processname:talk groupname:talk pid:$PID channel:stdout\\\\nbefore \$"' \
	"PROCESS_LOG_STDOUT of what came before the message"
wait_until 20 'has "^PROCESS_COMMUNICATION_STDOUT .* lenok:1 || processname:talk groupname:talk pid:$PID\\\\nbbbbbbbbbb"' \
	"the large PROCESS_COMMUNICATION_STDOUT event"
LEN=$(grep "^PROCESS_COMMUNICATION_STDOUT .*nbbbbbbbbbb" "$REC" | sed 's/.* len:\([0-9]*\) .*/\1/')
assert_eq $((300000 + ${#PID} + 37)) "$LEN" "the large message's length"
grep -q "PROCESS_LOG_STDOUT.*hello" "$REC" && fail "the message came as PROCESS_LOG too: $(cat "$REC")"
exit 0

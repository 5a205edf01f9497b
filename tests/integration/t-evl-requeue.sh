#!/bin/sh
# shellcheck disable=SC2016,SC2034,SC2119,SC2317 # conditions are eval'd later by wait_until
# A listener that dies with an event (read, no RESULT) gives it back: the
# restarted listener gets the same event (same serial). A listener that
# writes anything but READY enters the UNKNOWN state, logged, and is sent
# nothing.
# shellcheck source=tests/integration/lib.sh disable=SC1091
. "${TEND_SRCDIR:-.}/tests/integration/lib.sh"

mkfifo "$T/go-x" || hard_error "mkfifo"
cat >"$T/dies-once.sh" <<EOF
#!/bin/sh
while :; do
	printf 'READY\n'
	read -r header || exit 0
	len=\${header##*len:}
	dd bs=1 count="\$len" of=/dev/null 2>/dev/null
	if [ ! -e "$T/died" ]; then
		: >"$T/died"
		exit 1
	fi
	printf '%s\n' "\$header" >>"$T/got"
	printf 'RESULT 2\nOK'
done
EOF
chmod +x "$T/dies-once.sh" || hard_error "chmod"

tend_config <<EOF
[program:x]
command=/bin/sh -c 'read a <"$T/go-x"; exit 0'
autorestart=false
startsecs=0

[eventlistener:once]
command=$T/dies-once.sh
events=PROCESS_STATE_EXITED
startsecs=0
autorestart=true

[eventlistener:rude]
command=/bin/sh -c 'printf "HELLO THERE\n"; exec sleep 1000'
events=PROCESS_STATE_EXITED
startsecs=0
EOF
tend_start
wait_state once RUNNING
wait_state rude RUNNING
wait_state x RUNNING
wait_log "rude: has entered the UNKNOWN state and will no longer receive events, this usually indicates the process violated the eventlistener protocol (it wrote 'HELLO THERE\\x0a')"
echo go >"$T/go-x"

wait_until 20 '[ -e "$T/died" ]' "the listener to take the event and die"
wait_until 20 'grep -q "eventname:PROCESS_STATE_EXITED" "$T/got" 2>/dev/null' \
	"the restarted listener to get the event again"
assert_match "^ver:3.0 server:supervisor serial:0 pool:once poolserial:0 eventname:PROCESS_STATE_EXITED len:[0-9]+\$" \
	"$(head -1 "$T/got")" "the same event (serial 0) came again"
log_has "rebuffering event 0 for pool once" || fail "no rebuffering log line"
log_has "event 0 sent to listener rude" && fail "rude (UNKNOWN) was sent an event"
exit 0

#!/bin/sh
# shellcheck disable=SC2016,SC2034,SC2119,SC2317 # conditions are eval'd later by wait_until
# A pool of two listeners (numprocs=2): both are shown by status as
# programs of group p, and every event of the pool is taken by one of
# them, once; what they say is logged to stdout_logfile. With no TICK in
# any pool, an idle tendd never wakes up.
# shellcheck source=tests/integration/lib.sh disable=SC1091
. "${TEND_SRCDIR:-.}/tests/integration/lib.sh"

cat >"$T/rec.sh" <<EOF
#!/bin/sh
while :; do
	printf 'READY\n'
	read -r header || exit 0
	len=\${header##*len:}
	dd bs=1 count="\$len" of=/dev/null 2>/dev/null
	printf '%s %s\n' "\$SUPERVISOR_PROCESS_NAME" "\$header" >>"$T/got"
	printf 'RESULT 2\nOK'
done
EOF
chmod +x "$T/rec.sh" || hard_error "chmod"
tend_config <<EOF
[program:w]
command=/bin/sleep 1000
autostart=false
startsecs=0

[eventlistener:p]
command=$T/rec.sh
process_name=%(program_name)s_%(process_num)d
numprocs=2
events=PROCESS_STATE_RUNNING,PROCESS_STATE_STOPPED
startsecs=0
stdout_logfile=$T/%(program_name)s_%(process_num)d.out
EOF
tend_start
wait_state p:p_0 RUNNING
wait_state p:p_1 RUNNING
for i in 1 2 3; do
	ctl start w
	assert_eq 0 "$CTL_RC" "start w ($i)"
	ctl stop w
	assert_eq 0 "$CTL_RC" "stop w ($i)"
done
# p_0 and p_1 RUNNING (2), w RUNNING and STOPPED three times (6)
wait_until 20 '[ "$(wc -l <"$T/got")" -ge 8 ]' "8 events recorded"
assert_eq 8 "$(wc -l <"$T/got")" "events recorded"
assert_eq 8 "$(awk '{ print $4 }' "$T/got" | sort -u | wc -l)" "each event once"
assert_eq 0 "$(grep -cv '^p_[01] ver:3.0 server:supervisor serial:[0-9]* pool:p poolserial:[0-9]* eventname:PROCESS_STATE_\(RUNNING\|STOPPED\) len:[0-9]*$' "$T/got")" \
	"every line is a header of pool p: $(cat "$T/got")"
# the protocol is logged to stdout_logfile, as supervisord logs it
wait_until 20 '[ "$(cat "$T"/p_0.out "$T"/p_1.out | grep -c "RESULT 2")" -ge 8 ]' \
	"8 results in the listeners' stdout logs"
assert_eq 8 "$(cat "$T"/p_0.out "$T"/p_1.out | grep -c "RESULT 2")" \
	"results logged: $(cat "$T"/p_0.out "$T"/p_1.out)"
assert_match "^READY" "$(head -n 1 "$T/p_0.out")" "p_0's log starts with READY"
assert_idle 2 "two listeners waiting for events, no TICK subscribed"
exit 0

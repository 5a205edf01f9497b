#!/bin/sh
# shellcheck disable=SC2016,SC2034,SC2317 # conditions are eval'd later by wait_until
# `tendctl metrics` and metrics_file= speak the Prometheus text exposition
# format (checked by a strict parser, and by promtool when installed), with
# the values `tendctl status` shows; the file is replaced atomically on
# every state change and says tend_up 0 once tendd has exited; a file that
# cannot be written is logged and changes nothing else. FIFOs planted at
# the names a temporary file could have (issue 12, finding 3: PATH.tmp hung
# tendd in open()) are never opened: tendd keeps answering and the file is
# still written.
# shellcheck source=tests/integration/lib.sh disable=SC1091
. "${TEND_SRCDIR:-.}/tests/integration/lib.sh"

command -v python3 >/dev/null 2>&1 || skip "python3 is needed for the format checker"
CHECKER=$TEND_SRCDIR/tests/integration/promcheck.py
PROM=$T/tend.prom

# check_format FILE: strict parse; sets SAMPLES to the normalized samples.
check_format() {
	SAMPLES=$(python3 "$CHECKER" "$1" 2>"$T/promcheck.err") ||
		fail "$1 is not valid exposition format: $(cat "$T/promcheck.err")
$(cat "$1")"
	if command -v promtool >/dev/null 2>&1; then
		promtool check metrics <"$1" >"$T/promtool.out" 2>&1 ||
			fail "promtool check metrics: $(cat "$T/promtool.out")"
	fi
}

# sample LINE: a normalized sample of the last check_format.
has_sample() {
	printf '%s\n' "$SAMPLES" | grep -qxF -- "$1"
}

# metrics_now: tendctl metrics, checked; sets SAMPLES.
metrics_now() {
	ctl metrics
	assert_eq 0 "$CTL_RC" "tendctl metrics exit code"
	printf '%s\n' "$CTL_OUT" >"$T/ctl.prom"
	check_format "$T/ctl.prom"
}

# file_has LINE: metrics_file is valid and holds the sample.
file_has() {
	[ -f "$PROM" ] || return 1
	cp "$PROM" "$T/snap.prom"
	check_format "$T/snap.prom"
	has_sample "$1"
}

# The likely temporary names, as FIFOs that block whoever opens them for
# writing.
PLANTED="tend.prom.tmp .tend.prom.tmp tend.prom~ .tend.prom tend.prom.new .tend.prom.swp"
for f in $PLANTED; do
	mkfifo "$T/$f" || hard_error "mkfifo $T/$f"
done

GLOBAL_EXTRA="metrics_file=$PROM" tend_config <<EOF
[program:up]
command=/bin/sleep 1000
startsecs=0

[program:crash]
command=/bin/sh -c 'exit 3'
startsecs=0
autorestart=false

[program:manual]
command=/bin/sleep 1000
autostart=false
EOF
tend_start
wait_state up RUNNING
wait_state crash EXITED

metrics_now
for s in \
	'tend_up 1' \
	'tend_process_state{name="up",group="up",state="RUNNING"} 1' \
	'tend_process_state{name="up",group="up",state="STOPPED"} 0' \
	'tend_process_state{name="crash",group="crash",state="EXITED"} 1' \
	'tend_process_state{name="manual",group="manual",state="STOPPED"} 1' \
	'tend_process_exit_status{name="crash",group="crash"} 3' \
	'tend_process_restarts_total{name="up",group="up"} 0' \
	'tend_process_start_time_seconds{name="manual",group="manual"} 0' \
	'tend_log_dropped_bytes_total{name="up",group="up",stream="stdout"} 0' \
	'tend_log_dropped_bytes_total{name="up",group="up",stream="stderr"} 0'
do
	has_sample "$s" || fail "tendctl metrics lacks: $s
$SAMPLES"
done
has_sample "tend_build_info{version=\"$("$TENDD" -v | cut -d' ' -f2)\"} 1" ||
	fail "tend_build_info does not carry tendd -v's version"
assert_no_match '^tend_process_exit_status\{name="up"' "$SAMPLES" \
	"an exit status for a process that never exited"
# One state sample per state and process, exactly one of them 1.
assert_eq 1 "$(printf '%s\n' "$SAMPLES" | grep -c '^tend_process_state{name="up".* 1$')" \
	"states of up at 1"
# The start time is the spawn's, in Unix seconds.
START=$(printf '%s\n' "$SAMPLES" | sed -n 's/^tend_process_start_time_seconds{name="up",group="up"} //p')
NOW_S=$(date +%s)
if [ "$START" -gt "$NOW_S" ] || [ "$START" -le $((NOW_S - 600)) ]; then
	fail "start time of up is $START, now is $NOW_S"
fi

ctl metrics extra
assert_eq 1 "$CTL_RC" "tendctl metrics with an argument"

# The file follows every state change.
wait_until 20 'file_has "tend_process_state{name=\"up\",group=\"up\",state=\"RUNNING\"} 1"' \
	"metrics_file to show up RUNNING"
# A second link keeps the first file (and its inode) alive: rewriting in
# place would change it, a rename leaves it as it was.
ln "$PROM" "$T/first.prom"
cp "$PROM" "$T/first.copy"
ctl restart up
wait_until 20 'file_has "tend_process_restarts_total{name=\"up\",group=\"up\"} 1"' \
	"metrics_file to count the restart"
ctl stop up
wait_until 20 'file_has "tend_process_state{name=\"up\",group=\"up\",state=\"STOPPED\"} 1"' \
	"metrics_file to show up STOPPED"
# Replaced by rename, never rewritten in place, and no temporary left.
cmp -s "$T/first.prom" "$T/first.copy" || fail "metrics_file was rewritten in place"
assert_ne "$(stat -c %i "$T/first.prom")" "$(stat -c %i "$PROM")" "inode of metrics_file"
assert_eq "" "$(find "$T" -maxdepth 1 -type f -name '.tend.prom.*')" "temporary files left in $T"
# The planted FIFOs were left alone.
for f in $PLANTED; do
	[ -p "$T/$f" ] || fail "$T/$f is no longer a FIFO"
done
# It says what tendctl says.
metrics_now
cmp -s "$T/ctl.prom" "$PROM" || fail "metrics_file and tendctl metrics differ:
$(diff "$T/ctl.prom" "$PROM")"

# An unwritable metrics_file (after a reload): logged, nothing else changes.
sed -i "s|^metrics_file=.*|metrics_file=$T/nodir/tend.prom|" "$CONF"
kill -HUP "$TENDD_PID"
ctl start manual
assert_eq 0 "$CTL_RC" "start with an unwritable metrics_file"
wait_log "metrics_file: cannot write $T/nodir/tend.prom"
sed -i "s|^metrics_file=.*|metrics_file=$PROM|" "$CONF"
kill -HUP "$TENDD_PID"
ctl stop manual
wait_log "metrics_file: $PROM written again"

# After tendd exits: tend_up 0, every process STOPPED.
tend_stop
check_format "$PROM"
has_sample 'tend_up 0' || fail "tend_up is not 0 after tendd exited"
has_sample 'tend_process_state{name="manual",group="manual",state="STOPPED"} 1' ||
	fail "manual is not STOPPED in the last metrics_file"
exit 0

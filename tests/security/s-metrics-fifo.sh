#!/bin/sh
# shellcheck disable=SC2016,SC2034,SC2015,SC2119 # conditions are eval'd later by wait_until
# Issue 12, finding 3: a FIFO at metrics_file.tmp never blocks tendd. The
# metrics directory is writable by U (node_exporter's textfile directory);
# U makes a FIFO at PATH.tmp (and, for good measure, a link to a root-only
# file at PATH.new); then states change, so the metrics are due: tendd keeps
# answering "tendctl status" within a deadline, the metrics file is
# written (and follows the change), nothing is written through the link,
# and tendd exits cleanly on SIGTERM (its last write is due then too).
# shellcheck source=tests/security/lib-sec.sh disable=SC1091
. "${TEND_SRCDIR:-.}/tests/security/lib-sec.sh"

sec_victim
M=$T/metrics
mkdir "$M" && chown "$SEC_USER:$SEC_GROUP" "$M" && chmod 0755 "$M" ||
	hard_error "cannot make $M"
PROM=$M/tend.prom
FIFO=$PROM.tmp

# At exit, whatever happened: open the FIFO for reading, so that a tendd
# stuck in open() on it is released and can be stopped (O_RDWR: this open
# never waits itself).
SEC_CLEANUP='[ -p "$FIFO" ] && timeout 5 sh -c "exec 3<>\"\$1\"; sleep 2" sh "$FIFO" &'

GLOBAL_EXTRA="metrics_file=$PROM" tend_config <<EOF
[program:up]
command=/bin/sleep 1000
startsecs=0

[program:manual]
command=/bin/sleep 1000
startsecs=0
autostart=false
EOF
tend_start
wait_state up RUNNING
wait_until 20 'grep -q "^tend_process_state{name=\"up\",group=\"up\",state=\"RUNNING\"} 1" "$PROM" 2>/dev/null' \
	"$PROM to show up RUNNING"

# The attack: U's FIFO where tendd writes its temporary, a link beside it.
as_user mkfifo "$FIFO" || hard_error "$SEC_USER could not make $FIFO"
as_user ln -s "$VICTIM" "$PROM.new" || hard_error "cannot link $PROM.new"

# A state change: the metrics are due. "start" may wait for the file
# write, so it is a background job of its own; status must answer anyway.
timeout -s KILL $((30 * TIMEOUT_SCALE)) "$TENDCTL" -c "$CONF" start manual \
	</dev/null >"$T/start.out" 2>&1 &
STARTJOB=$!
SEC_BG="$SEC_BG $STARTJOB"
i=0
while [ "$i" -lt 5 ]; do
	ctl_within 15 status
	# 0, or 3 (LSB: not every process runs) while manual is starting.
	case $CTL_RC in 0 | 3) [ -n "$CTL_OUT" ] ;; *) false ;; esac ||
		fail "tendd does not answer after the metrics were due with a FIFO at $FIFO: tendctl status $i exited $CTL_RC: $CTL_ERR"
	i=$((i + 1))
done
wait_state manual RUNNING
wait "$STARTJOB"
RC=$?
bg_forget "$STARTJOB"
assert_eq 0 "$RC" "tendctl start manual ($(cat "$T/start.out"))"

# The file is still written, and follows the change.
wait_until 20 'grep -q "^tend_process_state{name=\"manual\",group=\"manual\",state=\"RUNNING\"} 1" "$PROM" 2>/dev/null' \
	"$PROM to show manual RUNNING (written in spite of the FIFO at $FIFO)"
[ -f "$PROM" ] && [ ! -L "$PROM" ] || fail "$PROM is not a regular file"
ctl stop manual
wait_until 20 'grep -q "^tend_process_state{name=\"manual\",group=\"manual\",state=\"STOPPED\"} 1" "$PROM" 2>/dev/null' \
	"$PROM to show manual STOPPED"
assert_answers "after the metrics writes"
assert_victim "through a link at $PROM.new"

# SIGTERM: the last metrics (tend_up 0) are due; tendd must still exit.
tend_stop
assert_victim "at exit"
grep -q '^tend_up 0$' "$PROM" || fail "$PROM does not say tend_up 0 after tendd exited"
exit 0

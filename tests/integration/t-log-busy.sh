#!/bin/sh
# shellcheck disable=SC2016,SC2034 # conditions are eval'd later by wait_until
# A busy stream is read on ticks (a timerfd, only while it streams), not at
# every write, and that loses nothing: a child that never stops writing
# gets a timerfd; once it is stopped the timerfd is closed and tendd wakes
# up no more. A child writing bursts of lines with
# pauses between them (busy, quiet, busy again ...) into a rotating 1MB
# log: the files hold exactly what it wrote, in order, each at most
# maxbytes and ending at a line boundary.
# shellcheck source=tests/integration/lib.sh disable=SC1091
. "${TEND_SRCDIR:-.}/tests/integration/lib.sh"

tend_config <<EOF2
[program:stream]
command=/usr/bin/yes 0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef
stdout_logfile=$T/stream.log
stdout_logfile_maxbytes=1MB
stdout_logfile_backups=1
startsecs=0
autostart=false
autorestart=false

[program:bursts]
command=/bin/sh -c "i=0; while [ \$i -lt 20 ]; do seq \$((i * 100000 + 1)) \$((i * 100000 + 100000)); sleep 0.02; i=\$((i + 1)); done"
stdout_logfile=$T/bursts.log
stdout_logfile_maxbytes=1MB
stdout_logfile_backups=40
startsecs=0
autostart=false
autorestart=false
EOF2
tend_start

# timerfds: sets TFDS to the number of timerfds tendd holds now.
timerfds() {
	TFDS=$(ls -l "/proc/$TENDD_PID/fd/" 2>/dev/null | grep -c 'timerfd')
}
timerfds
TFD_BASE=$TFDS

# ---- a stream that does not stop is read on ticks, until it stops
ctl start stream
wait_state stream RUNNING
wait_until 20 'timerfds; [ "$TFDS" -gt "$TFD_BASE" ]' \
	"a timerfd for the busy stream"
ctl stop stream
wait_state stream STOPPED 20
wait_until 10 'timerfds; [ "$TFDS" = "$TFD_BASE" ]' \
	"the timerfd closed once the stream ended"
IDLE_WAKEUPS=0 assert_idle 2 "after a busy stream"
note "busy stream: read on a timerfd, closed when it ended, idle after"

# ---- bursts and pauses through a rotating log: nothing lost or reordered
ctl start bursts
wait_state bursts EXITED 120
assert_rotated_seq "$T/bursts.log" 1048576 2000000
note "1..2000000 in bursts, $ROT_FILES files, none over 1MB, nothing lost"
wait_until 10 'timerfds; [ "$TFDS" = "$TFD_BASE" ]' \
	"no timerfd once the bursts ended"
IDLE_WAKEUPS=0 assert_idle 2 "after the bursts"

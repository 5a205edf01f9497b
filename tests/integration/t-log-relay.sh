#!/bin/sh
# shellcheck disable=SC2016,SC2034 # conditions are eval'd later by wait_until
# A busy stream goes through a relay pipe (child's pipe -> a private pipe
# -> file) that tendd holds only while the stream is busy, and gives back
# for a stream that writes a little every few ticks. Near maxbytes the
# relay's content is cut at a line end and the rest goes to the next file:
# rotations of a busy stream happen while the relay holds data (at least
# one is asserted), and every line is kept once, in order. An external
# rotation (mv + reopen) in the middle of the stream loses and repeats
# nothing. On a full disk (an 8 MB tmpfs, when root may mount one) the
# relay's write fails, what it held is dropped and counted: file + dropped
# = every byte written, and the file holds the first bytes as written.
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

[program:count]
command=/usr/bin/seq 1 3000000
stdout_logfile=$T/count.log
stdout_logfile_maxbytes=1MB
stdout_logfile_backups=39
startsecs=0
autostart=false
autorestart=false

[program:heartbeat]
command=/bin/sh -c "while :; do printf a; printf b; sleep 0.02; done"
stdout_logfile=$T/heartbeat.log
stdout_logfile_maxbytes=0
startsecs=0
autostart=false
autorestart=false

[program:moved]
command=/bin/sh -c "i=0; while :; do seq \$((i * 20000 + 1)) \$((i * 20000 + 20000)); i=\$((i + 1)); sleep 0.005; done"
stdout_logfile=$T/moved.log
stdout_logfile_maxbytes=0
startsecs=0
autostart=false
autorestart=false
stopsignal=KILL
stopasgroup=true
killasgroup=true

[program:full]
command=/usr/bin/seq 1 3000000
stdout_logfile=$T/disk/full.log
stdout_logfile_maxbytes=0
startsecs=0
autostart=false
autorestart=false
EOF2
mkdir "$T/disk"
MOUNTED=0
if [ "$(id -u)" = 0 ] && mount -t tmpfs -o size=8m tmpfs "$T/disk" 2>/dev/null; then
	MOUNTED=1
fi
unmount() { [ "$MOUNTED" = 1 ] && umount -l "$T/disk" 2>/dev/null; MOUNTED=0; }
TEARDOWN_HOOK=unmount
tend_start

# relays: sets RELAYS to the number of pipes tendd holds both ends of
# (a child's pipe has only its read end in tendd).
relays() {
	RELAYS=$(ls -l "/proc/$TENDD_PID/fd/" 2>/dev/null |
		sed -n 's/.*-> pipe:\[\([0-9]*\)\]$/\1/p' | sort | uniq -d | wc -l)
}
# timerfds: sets TFDS to the number of timerfds tendd holds.
timerfds() {
	TFDS=$(ls -l "/proc/$TENDD_PID/fd/" 2>/dev/null | grep -c 'timerfd')
}
relays
[ "$RELAYS" = 0 ] || fail "tendd holds $RELAYS relay pipes before any stream is busy"

# ---- a busy stream takes a relay, and gives it back when it stops
ctl start stream
wait_state stream RUNNING
wait_until 20 'relays; [ "$RELAYS" -gt 0 ]' "a relay pipe for the busy stream"
ctl stop stream
wait_state stream STOPPED 20
wait_until 10 'relays; [ "$RELAYS" = 0 ]' "the relay closed once the stream ended"
IDLE_WAKEUPS=0 assert_idle 2 "after a busy stream"
note "busy stream: a relay while it streamed, none after, idle"

# ---- a few bytes every 20 ms (two writes within a millisecond, which
# looks busy): never a relay, checked at ten points of its run
ctl start heartbeat
wait_state heartbeat RUNNING
k=0
while [ "$k" -lt 10 ]; do
	k=$((k + 1))
	wait_until 10 '[ "$(wc -c <"$T/heartbeat.log")" -ge $((k * 20)) ]' \
		"the heartbeat's bytes in its log"
	relays
	[ "$RELAYS" = 0 ] || fail "a relay for a stream of a few bytes every 20 ms"
done
ctl stop heartbeat
wait_state heartbeat STOPPED 20
wait_until 10 'timerfds; [ "$TFDS" = 0 ]' "no timerfd once the heartbeat stopped"
note "a heartbeat writer never takes a relay"

# ---- rotations while the relay holds data: each line once, in order
ctl start count
wait_state count EXITED 120
assert_rotated_seq "$T/count.log" 1048576 3000000
grep -q "count: .* bytes of the stdout relay cross a rotation point" "$LOGFILE" ||
	fail "no rotation happened while the relay held data (tendd's debug log says none)"
note "1..3000000 through the relay into $ROT_FILES files of 1MB, cut at line ends"

# ---- external rotation (mv + reopen) of a busy stream, five times
ctl start moved
wait_state moved RUNNING
moves=0
while [ "$moves" -lt 5 ]; do
	wait_until 30 '[ "$(wc -c <"$T/moved.log" 2>/dev/null || echo 0)" -gt 1048576 ]' \
		"the moved log growing again"
	moves=$((moves + 1))
	mv "$T/moved.log" "$T/moved.log.$moves"
	ctl reopen
	[ "$CTL_RC" = 0 ] || fail "reopen: rc $CTL_RC: $CTL_OUT $CTL_ERR"
done
ctl stop moved
wait_state moved STOPPED 20
# the writer was killed: its last line may be unfinished. Every whole
# line, across the files in order, is the next number.
files=""
i=1
while [ "$i" -le "$moves" ]; do
	files="$files $T/moved.log.$i"
	i=$((i + 1))
done
# shellcheck disable=SC2086 # the list of files
n=$(cat $files "$T/moved.log" | tr -cd '\n' | wc -c)
[ "$n" -gt 100000 ] || fail "only $n lines captured"
# shellcheck disable=SC2086
cat $files "$T/moved.log" | head -n "$n" |
	awk '$0 != NR { print "line " NR ": " $0; bad = 1; exit } END { exit bad }' ||
	fail "the moved logs do not hold exactly 1..$n in order"
note "moved and reopened $moves times while busy: 1..$n, none lost or repeated"

# ---- a full disk under a busy stream: dropped and counted, byte for byte
if [ "$MOUNTED" = 1 ]; then
	total=$(seq 1 3000000 | wc -c)
	ctl start full
	wait_state full EXITED 60
	accounted() {
		ctl status full
		DROPPED=$(printf '%s\n' "$CTL_OUT" | sed -n 's/.*\[dropped \([0-9]*\) bytes of output\]$/\1/p')
		SIZE=$(wc -c <"$T/disk/full.log")
		[ -n "$DROPPED" ] && [ $((SIZE + DROPPED)) -eq "$total" ]
	}
	poll_until 20 accounted ||
		fail "file ($SIZE) + dropped (${DROPPED:-none}) is not the $total bytes written"
	seq 1 3000000 | head -c "$SIZE" | cmp -s - "$T/disk/full.log" ||
		fail "the full disk's file is not the first $SIZE bytes written"
	grep -q "full: .* bytes of the stdout relay cannot be written" "$LOGFILE" ||
		fail "the disk did not fill under the relay (tendd's debug log says not)"
	ctl stop full
	tend_stop
	unmount
	note "full disk: $SIZE bytes kept, $DROPPED dropped and counted, $total in all"
else
	note "no tmpfs (not root, or mount refused): full-disk part not run"
fi

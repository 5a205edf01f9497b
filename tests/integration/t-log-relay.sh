#!/bin/sh
# shellcheck disable=SC2016,SC2034 # conditions are eval'd later by wait_until
# A busy stream goes through a relay pipe (child's pipe -> a private pipe
# -> file) that tendd holds only while the stream is busy. Near maxbytes
# the relay's content is cut at a line end and the rest goes to the next
# file: every rotation of a busy stream happens while the relay holds
# data, and every line is kept once, in order. An external rotation
# (mv + reopen) in the middle of the stream loses and repeats nothing. On
# a full disk (a 1 MB tmpfs, when root may mount one) what the relay held
# is dropped and counted: file + dropped = every byte written, and the
# file holds the first bytes as written.
# shellcheck source=tests/integration/lib.sh disable=SC1091
. "${TEND_SRCDIR:-.}/tests/integration/lib.sh"

tend_config <<EOF2
[program:stream]
command=/usr/bin/yes 0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef
stdout_logfile=$T/stream.log
stdout_logfile_maxbytes=0
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

[program:moved]
command=/usr/bin/seq 1 100000000
stdout_logfile=$T/moved.log
stdout_logfile_maxbytes=0
startsecs=0
autostart=false
autorestart=false
stopsignal=KILL

[program:full]
command=/usr/bin/seq 1 2000000
stdout_logfile=$T/disk/full.log
stdout_logfile_maxbytes=0
startsecs=0
autostart=false
autorestart=false
EOF2
mkdir "$T/disk"
MOUNTED=0
if [ "$(id -u)" = 0 ] && mount -t tmpfs -o size=1m tmpfs "$T/disk" 2>/dev/null; then
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
: >"$T/moved.joined"
i=1
while [ "$i" -le "$moves" ]; do
	cat "$T/moved.log.$i" >>"$T/moved.joined"
	i=$((i + 1))
done
cat "$T/moved.log" >>"$T/moved.joined"
# seq was killed: drop a last line it did not finish
last=$(tail -c 1 "$T/moved.joined" | od -An -c | tr -d ' ')
if [ "$last" != '\n' ]; then
	head -n -1 "$T/moved.joined" >"$T/moved.whole"
else
	cp "$T/moved.joined" "$T/moved.whole"
fi
n=$(wc -l <"$T/moved.whole")
[ "$n" -gt 1000000 ] || fail "only $n lines captured"
seq 1 "$n" | cmp -s - "$T/moved.whole" ||
	fail "the moved logs do not hold exactly 1..$n in order"
note "moved and reopened $moves times while busy: 1..$n, none lost or repeated"

# ---- a full disk under a busy stream: dropped and counted, byte for byte
if [ "$MOUNTED" = 1 ]; then
	total=$(seq 1 2000000 | wc -c)
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
	seq 1 2000000 | head -c "$SIZE" | cmp -s - "$T/disk/full.log" ||
		fail "the full disk's file is not the first $SIZE bytes written"
	ctl stop full
	tend_stop
	unmount
	note "full disk: $SIZE bytes kept, $DROPPED dropped and counted, $total in all"
else
	note "no tmpfs (not root, or mount refused): full-disk part not run"
fi

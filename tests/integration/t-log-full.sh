#!/bin/sh
# shellcheck disable=SC2016,SC2034 # conditions are eval'd later by wait_until
# A full disk (a 256 KB tmpfs, or a file-size rlimit on tendd where mounting
# is not allowed): the child keeps running, tendd keeps answering, the lost
# bytes are counted (status shows them) and warned about, and once there is
# room again the file is reopened and written.
# shellcheck source=tests/integration/lib.sh disable=SC1091
. "${TEND_SRCDIR:-.}/tests/integration/lib.sh"

DISK=$T/disk
mkdir "$DISK"
MOUNTED=0
if [ "$(id -u)" = 0 ] && mount -t tmpfs -o size=256k tmpfs "$DISK" 2>/dev/null; then
	MOUNTED=1
	# fill all but about 64 KB
	dd if=/dev/zero of="$DISK/filler" bs=4096 count=48 2>/dev/null
else
	# 64 KB files for tendd (and whatever this shell starts later)
	ulimit -S -f 128 2>/dev/null || skip "neither a tmpfs nor RLIMIT_FSIZE is available"
fi
# lazily: it works while tendd still holds the file open
unmount() { [ "$MOUNTED" = 1 ] && umount -l "$DISK" 2>/dev/null; MOUNTED=0; }

tend_config <<EOF2
[program:chatty]
command=/bin/sh -c "while :; do seq 1 2000; sleep 0.05; done"
stdout_logfile=$DISK/chatty.log
stdout_logfile_maxbytes=0
startsecs=0
EOF2
tend_start
wait_state chatty RUNNING
child_pid chatty
PID1=$CPID

dropped() {
	ctl status chatty
	DROPPED=$(printf '%s\n' "$CTL_OUT" | sed -n 's/.*\[dropped \([0-9]*\) bytes of output\]$/\1/p')
	[ -n "$DROPPED" ] && [ "$DROPPED" -gt 0 ]
}
if ! poll_until 30 dropped; then
	unmount
	fail "status never showed dropped bytes: $CTL_OUT"
fi
assert_match "^chatty +RUNNING +pid $PID1, uptime [0-9:]+ \\[dropped [0-9]+ bytes of output\\]\$" \
	"$CTL_OUT" "status line with drops"
wait_log "cannot write stdout log $DISK/chatty.log"
FIRST=$DROPPED
poll_until 10 'dropped && [ "$DROPPED" -gt "$FIRST" ]' || { unmount; fail "drops are not counted as output goes on"; }
child_pid chatty
assert_eq "$PID1" "$CPID" "the child keeps running on a full disk"
log_count "cannot write stdout log"
[ "$COUNT" -le 3 ] || { unmount; fail "the drop warning is not rate-limited ($COUNT lines)"; }

# room again: the file is reopened and written
if [ "$MOUNTED" = 1 ]; then
	rm -f "$DISK/filler"
	size0=$(wc -c <"$DISK/chatty.log")
	poll_until 20 '[ "$(wc -c <"$DISK/chatty.log")" -gt "$size0" ]' ||
		{ unmount; fail "chatty.log was not written again after space came back"; }
	wait_log "is writable again"
fi
ctl stop chatty
tend_stop
unmount

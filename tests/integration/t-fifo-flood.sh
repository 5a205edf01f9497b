#!/bin/sh
# shellcheck disable=SC2016,SC2034,SC2119 # conditions are eval'd later by wait_until
# B1-B3 at scale (t-fifo-garbage has the small cases): a 1 MiB line, a
# burst of 10 000 requests written at once (every one answered, in full),
# the burst ending in a request without newline (discarded, never glued to
# the next one); the daemon keeps serving, its fds come back to the baseline
# (N3), and it is idle afterwards (N7).
# shellcheck source=tests/integration/lib.sh disable=SC1091
. "${TEND_SRCDIR:-.}/tests/integration/lib.sh"

start_web
fd_baseline

to_fifo() {
	timeout -s KILL 60 sh -c 'cat >"$1"' sh "$CONTROL" ||
		fail "writing to the control FIFO failed or blocked"
}
status_ok() {
	ctl status
	assert_eq 0 "$CTL_RC" "status after $1"
	assert_match "^web +RUNNING +pid [0-9]+" "$CTL_OUT" "status after $1"
}

# 1. One 1 MiB line (cat writes it in pieces: tendd drops what is over
#    PIPE_BUF, and what is unterminated when the FIFO runs dry).
junk_count() {
	COUNT=$(grep -cE 'control: [0-9 ]*bad requests? ' "$LOGFILE")
}
junk_count
D0=$COUNT
{ head -c 1048576 /dev/zero | tr '\0' x; echo; } >"$T/data"
to_fifo <"$T/data"
wait_until 20 'junk_count; [ "$COUNT" -gt "$D0" ]' "a warning about the 1 MiB line"
status_ok "a 1 MiB line"

# 2. 10 000 requests in one burst, all naming one reply FIFO in the reply
#    directory that the test reads (held open read-write, so it never sees
#    EOF between two replies), then a partial request.
N=10000
R=$T/reply/burst
mkfifo -m 0600 "$R" || hard_error "mkfifo $R"
exec 4<>"$R"
cat <&4 >"$T/burst.out" &
CATPID=$!
exec 4>&-
# One write(2) per request, as tendctl does (a request is atomic).
timeout -s KILL 60 awk -v n=$N 'BEGIN {
	for (i = 0; i < n; i++) { printf "\036tend2\tburst\tpid\n"; fflush() }
	printf "\036tend2\tburst\tpi"; fflush()
}' >"$CONTROL" || fail "writing the burst failed or blocked"
replies() {
	REPLIES=$(grep -c '^\$ 0$' "$T/burst.out")
}
wait_until 60 'replies; [ "$REPLIES" -ge $N ]' "$N replies (got ${REPLIES:-0})"
# Every reply complete: ack, the pid, exit status; nothing else.
assert_eq $N "$(grep -c '^+$' "$T/burst.out")" "acks in the burst replies"
assert_eq $N "$(grep -cx "1 $TENDD_PID" "$T/burst.out")" "pid lines in the burst replies"
assert_eq $((3 * N)) "$(wc -l <"$T/burst.out")" "lines of the burst replies"
kill "$CATPID" 2>/dev/null
wait "$CATPID" 2>/dev/null
rm -f "$R"
# The trailing "RS tend2 TAB burst TAB pi" was discarded, not prefixed to
# the next request.
wait_log "unterminated"
status_ok "a burst of $N requests"
ctl pid
assert_ctl 0 "$TENDD_PID" "the same tendd after the burst"
assert_fds_back 10 "after the burst"
assert_idle 2 "after the burst"
exit 0

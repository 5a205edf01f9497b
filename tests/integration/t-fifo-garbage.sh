#!/bin/sh
# shellcheck disable=SC2016,SC2034,SC2119 # conditions are eval'd later by wait_until
# Garbage on the control FIFO (binary bytes, an unterminated request, an
# over-long line, an unknown verb, an empty write) never kills tendd, never
# poisons the next request, and leaves no busy loop behind.
# shellcheck source=tests/integration/lib.sh disable=SC1091
. "${TEND_SRCDIR:-.}/tests/integration/lib.sh"

start_web

# Warnings tendd logs for discarded input (any of these words).
GARBAGE_RE='discard|drop|garbage|unterminated|partial|incomplete|too long|over-?long|invalid|malformed|bad request|cannot reply|not a fifo'
garbage_count() {
	GCOUNT=$(grep -ciE -- "$GARBAGE_RE" "$LOGFILE" 2>/dev/null)
	[ -n "$GCOUNT" ] || GCOUNT=0
}
# status_ok WHAT: tendctl status works at the first try and tendd is the same.
status_ok() {
	ctl status
	assert_eq 0 "$CTL_RC" "status after $1: exit code"
	assert_match "^web {30}RUNNING   pid [0-9]+, uptime " "$CTL_OUT" "status after $1"
	tendd_alive || fail "tendd died after $1"
}

# to_fifo <FILE: copy stdin to the control FIFO; never block the test (a
# FIFO without reader would block the open forever). Not in a pipeline, so
# that fail exits the test itself.
to_fifo() {
	timeout -s KILL 20 sh -c 'cat >"$1"' sh "$CONTROL" ||
		fail "writing to the control FIFO failed or blocked"
}

[ -p "$CONTROL" ] || fail "$CONTROL is not a FIFO"
status_ok "start-up"

# 1. Binary garbage, newline-terminated (so nothing can be glued to the next
#    request whatever the timing).
{ head -c 3000 /dev/urandom; echo; } >"$T/data"
to_fifo <"$T/data"
status_ok "3000 bytes of binary garbage"

# 2. Zero-length write (open + close).
to_fifo </dev/null
status_ok "an empty write"

# 3. An unknown verb without a reply path.
printf 'frobnicate x y\n' >"$T/data"
to_fifo <"$T/data"
status_ok "an unknown verb line"

# 4. A 10 KB line (over PIPE_BUF), newline-terminated.
{ head -c 10240 /dev/zero | tr '\0' a; echo; } >"$T/data"
to_fifo <"$T/data"
status_ok "a 10 KB line"

# 5. A partial request without newline ("stat"): tendd must discard it once
#    the FIFO is drained, with a logged warning, so it cannot prefix the next
#    request ("statstatus").
garbage_count
G0=$GCOUNT
printf 'stat' >"$T/data"
to_fifo <"$T/data"
wait_until 10 'garbage_count; [ "$GCOUNT" -gt "$G0" ]' \
	"a warning in the tendd log about the discarded partial request 'stat'"
status_ok "a partial request 'stat'"

# 6. 100 KB without newline (more than the pipe holds).
garbage_count
G0=$GCOUNT
head -c 102400 /dev/zero | tr '\0' b >"$T/data"
to_fifo <"$T/data"
wait_until 10 'garbage_count; [ "$GCOUNT" -gt "$G0" ]' \
	"a warning in the tendd log about the discarded 100 KB line"
status_ok "100 KB without a newline"

# 7. Requests (wire format "RS tend2 TAB reply-name TAB verb", see protocol.h
#    and tendctl.1) whose reply is not a private FIFO of the reply directory
#    $T/reply: an absolute path, a "../" escape, and, inside the directory,
#    a regular file, a directory, a symlink to a FIFO, a FIFO readable by
#    others, a missing name. Nothing is written or created, a warning is
#    logged for each.
R=$T/reply
printf 'victim\n' >"$T/regular"
printf 'victim\n' >"$R/regular"
mkdir "$R/dir"
mkfifo -m 0600 "$T/outside"
ln -s "$T/outside" "$R/link"
mkfifo -m 0644 "$R/public"
for reply in "$T/regular" "../regular" regular dir link public missing; do
	garbage_count
	G0=$GCOUNT
	printf '\036tend2\t%s\tstatus\n' "$reply" >"$T/data"
	to_fifo <"$T/data"
	# Requests are handled in order: once this answers, the bad one is done.
	status_ok "a request with reply $reply"
	wait_until 10 'garbage_count; [ "$GCOUNT" -gt "$G0" ]' \
		"a warning in the tendd log about the reply $reply"
done
assert_eq victim "$(cat "$T/regular")" "content of a regular file named as reply path"
assert_eq victim "$(cat "$R/regular")" "content of a regular file in the reply directory"
[ -e "$R/missing" ] && fail "tendd created the missing reply $R/missing"
assert_eq "" "$(ls -A "$R/dir")" "content of a directory named as reply"
# The reply directory: owned by tendd, mode 1733 (others may create, not list).
assert_eq "1733" "$(stat -c %a "$R")" "mode of the reply directory"

# 8. Unknown verb through tendctl: supervisorctl's message.
ctl nosuchverb
assert_ctl 1 "*** Unknown syntax: nosuchverb" "tendctl nosuchverb"

# Same daemon, still answering.
ctl pid
assert_ctl 0 "$TENDD_PID" "pid of tendd after the garbage"

# No busy loop once the writers are gone (a reader that sees EOF spins).
cpu_ticks() {
	TICKS=$(awk '{ s = $0; sub(/.*\) /, "", s); split(s, a, " "); print a[12] + a[13] }' \
		"/proc/$TENDD_PID/stat")
}
cpu_ticks
C0=$TICKS
sleep 1
cpu_ticks
[ $((TICKS - C0)) -le 10 ] ||
	fail "tendd used $((TICKS - C0)) clock ticks in 1 s while idle (busy loop?)"

exit 0

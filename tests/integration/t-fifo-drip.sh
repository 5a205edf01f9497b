#!/bin/sh
# shellcheck disable=SC2016,SC2034,SC2119 # conditions are eval'd later by wait_until
# Issue 12, finding 6: one writer of the control FIFO drips garbage bytes
# (one write(2) of one byte every ~0.5 ms, never a whole line: start bytes,
# a forged request start, an LF now and then) while 50 real tendctl
# commands run. Every one of them succeeds with its right answer: a real
# request is one atomic write starting with RS, and tendd keeps only what
# follows the last RS of a line, so the drip glued in front of it is
# thrown away. The log says so at most once a second, with counts that add
# up to exactly the bytes dripped (17 500 WARN lines in one run before).
# shellcheck source=tests/integration/lib.sh disable=SC1091
. "${TEND_SRCDIR:-.}/tests/integration/lib.sh"

command -v python3 >/dev/null 2>&1 || skip "no python3 for the dripping writer"

start_web
child_pid web
WEB_PID=$CPID

bad_lines() {
	BAD_LINES=$(grep -cE 'control: [0-9 ]*bad requests? \(' "$LOGFILE")
}
# The bytes the bad-request lines account for, summed.
bad_bytes() {
	BAD_BYTES=$(sed -n 's/.*control: [0-9 ]*bad requests\{0,1\} (\([0-9]*\) bytes).*/\1/p' \
		"$LOGFILE" | awk '{ s += $1 } END { print s + 0 }')
}
bad_lines
[ "$BAD_LINES" = 0 ] || fail "bad requests logged before the drip: $BAD_LINES"

# The dripper: one byte per write, non-blocking (it never hangs the test
# if tendd stops reading), until $T/drip.stop appears; then it writes the
# number of bytes it wrote to $T/drip.count.
python3 - "$CONTROL" "$T/drip.stop" "$T/drip.count" <<'EOF' &
import errno, os, sys, time
ctl, stop, out = sys.argv[1:4]
junk = b"ju\x1enk\x1etend2\tdrip\tstop\tall\x1e\x1e\nx"
fd = os.open(ctl, os.O_WRONLY | os.O_NONBLOCK)
n = i = 0
while not os.path.exists(stop):
    try:
        os.write(fd, junk[i:i + 1])
        n += 1
        i = (i + 1) % len(junk)
    except OSError as e:
        if e.errno != errno.EAGAIN:
            raise
    time.sleep(0.0005)
os.close(fd)
with open(out + ".tmp", "w") as f:
    f.write("%d\n" % n)
os.rename(out + ".tmp", out)
EOF
DRIP_PID=$!
wait_until 10 'bad_lines; [ "$BAD_LINES" -gt 0 ]' "the first dripped bytes seen by tendd"

now_cs
T0=$NOW
i=0
while [ $i -lt 50 ]; do
	case $((i % 3)) in
	0)
		ctl pid
		assert_ctl 0 "$TENDD_PID" "tendctl pid #$i under the drip"
		;;
	1)
		ctl status web
		assert_eq 0 "$CTL_RC" "tendctl status web #$i under the drip ($CTL_ERR)"
		assert_match "^web +RUNNING +pid $WEB_PID," "$CTL_OUT" "status line #$i under the drip"
		;;
	2)
		# arguments too: a glued byte would change the name
		ctl pid web
		assert_ctl 0 "$WEB_PID" "tendctl pid web #$i under the drip"
		;;
	esac
	i=$((i + 1))
done
now_cs
ELAPSED=$(((NOW - T0 + 99) / 100))

: >"$T/drip.stop"
wait_until 10 '[ -s "$T/drip.count" ]' "the dripper to stop"
wait "$DRIP_PID" || fail "the dripper failed"
DRIPPED=$(cat "$T/drip.count")
# Enough garbage to matter: at least one drip byte per command.
[ "$DRIPPED" -ge 50 ] || fail "only $DRIPPED bytes dripped during 50 commands"

# Every dripped byte is counted once, in lines at most once a second: the
# last count is flushed a second after the drip stops.
wait_until 10 'bad_bytes; [ "$BAD_BYTES" -ge "$DRIPPED" ]' \
	"bad-request lines accounting for all $DRIPPED dripped bytes (${BAD_BYTES:-0} so far)"
assert_eq "$DRIPPED" "$BAD_BYTES" "bytes counted in the bad-request lines"
bad_lines
now_cs
SPAN=$(((NOW - T0 + 99) / 100 + 3))	# the drip began before T0
note "dripped $DRIPPED bytes in about $ELAPSED s; $BAD_LINES bad-request lines"
[ "$BAD_LINES" -le "$SPAN" ] ||
	fail "$BAD_LINES bad-request lines in about $SPAN s: not rate-limited"
[ $((BAD_LINES * 10)) -le "$DRIPPED" ] ||
	fail "$BAD_LINES bad-request lines for $DRIPPED dripped bytes"
if [ "$DRIPPED" -ge 100 ]; then
	assert_match 'control: [0-9]+ bad requests \([0-9]+ bytes\) in the last [0-9.]+ s \(last: ' \
		"$(cat "$LOGFILE")" "a rate-limited bad-request line"
fi
# One line a second at most, looked at second by second.
MAXPS=$(grep -E 'control: [0-9 ]*bad requests? \(' "$LOGFILE" |
	awk '{ print $2 }' | cut -c1-8 | uniq -c | awk '$1 > m { m = $1 } END { print m + 0 }')
[ "$MAXPS" -le 2 ] || fail "$MAXPS bad-request lines within one second"

# The forged "stop all" in the drip was never obeyed.
ctl pid web
assert_ctl 0 "$WEB_PID" "web's pid after the drip"
ctl pid
assert_ctl 0 "$TENDD_PID" "the same tendd after the drip"
exit 0

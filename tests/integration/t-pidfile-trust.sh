#!/bin/sh
# shellcheck disable=SC2016,SC2034,SC2119 # conditions are eval'd later by wait_until
# The pid file is read before it is replaced (is it locked by a live
# tendd?): that read must neither block on a FIFO nor follow a symbolic
# link nor look at a hard link of another file (issue 12, finding 7). Each
# is refused at once with the reason, and the file is left as it was; a
# regular stale pid file is still replaced, and no temporary is left.
# shellcheck source=tests/integration/lib.sh disable=SC1091
. "${TEND_SRCDIR:-.}/tests/integration/lib.sh"

tend_config <<EOF
[program:web]
command=/bin/sleep 1000
startsecs=0
EOF

# refused WHAT REASON: tendd -n exits 1 within the deadline, saying REASON.
refused() {
	timeout -s KILL $((20 * TIMEOUT_SCALE)) "$TENDD" -n -c "$CONF" \
		>"$T/refused.out" 2>"$T/refused.err" </dev/null
	RC=$?
	[ "$RC" = 137 ] && fail "$1: tendd hung reading the pid file"
	assert_eq 1 "$RC" "$1: tendd's exit code ($(cat "$T/refused.err"))"
	grep -qF "pid file refused: $2" "$T/refused.err" ||
		fail "$1: tendd does not say why: $(cat "$T/refused.err")"
	[ -e "$CONTROL" ] && fail "$1: the control FIFO was left"
	: >"$LOGFILE"
}

# A FIFO: open() without O_NONBLOCK would wait for a writer forever.
mkfifo "$PIDFILE" || hard_error "mkfifo"
refused FIFO "$PIDFILE is not a regular file"
[ -p "$PIDFILE" ] || fail "the FIFO was replaced"
rm -f "$PIDFILE"

# A symbolic link to another file: neither read nor replaced.
echo "precious" >"$T/target"
ln -s "$T/target" "$PIDFILE"
refused "symbolic link" "$PIDFILE is a symbolic link"
[ -L "$PIDFILE" ] || fail "the link was replaced"
assert_eq precious "$(cat "$T/target")" "the link's target"
rm -f "$PIDFILE"

# A second name of another file.
ln "$T/target" "$PIDFILE"
refused "hard link" "$PIDFILE has 2 hard links"
assert_eq precious "$(cat "$T/target")" "the linked file"
rm -f "$PIDFILE"

# A stale regular pid file is replaced; no temporary is left beside it.
echo 999999 >"$PIDFILE"
tend_start
assert_eq "$TENDD_PID" "$(cat "$PIDFILE")" "pid file over the stale one"
assert_eq "" "$(find "$T" -maxdepth 1 -name 'tendd.pid?*')" "temporaries beside the pid file"
tend_stop
exit 0

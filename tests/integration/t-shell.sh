#!/bin/sh
# shellcheck disable=SC2016,SC2034 # conditions are eval'd later by wait_until
# tendctl without a command is an interactive shell: through a pseudo-
# terminal (script(1)) it runs status, shows the "tend> " prompt, runs a
# command and leaves on quit; it always exits 0, also when its standard
# input is not a terminal and commands fail.
# shellcheck source=tests/integration/lib.sh disable=SC1091
. "${TEND_SRCDIR:-.}/tests/integration/lib.sh"

command -v script >/dev/null 2>&1 || skip "script(1) is not installed"

tend_config <<'EOF2'
[program:a]
command=/bin/sleep 1000
startsecs=0
EOF2
tend_start
wait_state a RUNNING

# 1. In a pseudo-terminal: status at start, one command, quit.
printf 'status a\nquit\n' >"$T/in"
TERM=dumb timeout -s KILL $((30 * TIMEOUT_SCALE)) \
	script -qfec "$TENDCTL -c $CONF" /dev/null <"$T/in" >"$T/out" 2>&1
rc=$?
out=$(tr -d '\r' <"$T/out")
assert_eq 0 "$rc" "exit status of the shell (output: $out)"
assert_match "tend> " "$out" "the prompt"
assert_eq 2 "$(printf '%s\n' "$out" | grep -c '^\(tend> \)*a  *RUNNING  *pid [0-9]*, uptime ')" \
	"status at start and status a (output: $out)"

# 2. Not a terminal: commands from standard input, exit 0 whatever they
#    return, end of input leaves too.
printf 'status nosuch\nstop a\n' | timeout -s KILL 30 "$TENDCTL" -c "$CONF" \
	>"$T/out" 2>&1
rc=$?
out=$(cat "$T/out")
assert_eq 0 "$rc" "exit status without a terminal"
assert_match "nosuch: ERROR \(no such process\)" "$out"
assert_match "a: stopped" "$out"
state_of a
assert_eq STOPPED "$STATE" "the shell stopped a"

# 3. quit and exit from the command line do nothing, successfully (an
#    empty line, as supervisorctl's), without asking tendd.
ctl quit
assert_ctl 0 "" "tendctl quit"
ctl_raw -s "$T/nothing" exit
assert_ctl 0 "" "tendctl exit without tendd"
[ "$(wc -c <"$T/ctl.out")" -eq 1 ] || fail "exit printed more than a newline"

# 4. help is tendctl's own, from its verb table: also without tendd, and in
#    the shell, which completes the same verbs.
ctl_raw -s "$T/nothing" help stop
assert_eq 0 "$CTL_RC" "help without tendd: exit code"
assert_match "^stop <name>		Stop a process$" "$CTL_OUT" "help stop"
assert_no_match . "$CTL_ERR" "help without tendd: stderr"

# 5. The shell asks before reload and shutdown, but not when tendd is going
#    to refuse their arguments; help and edit run in the shell too.
printf 'shutdown now\nhelp version\nshutdown\nn\nstatus a\n' |
	timeout -s KILL 30 "$TENDCTL" -c "$CONF" >"$T/out" 2>&1
out=$(cat "$T/out")
assert_match "Error: shutdown accepts no arguments" "$out"
assert_match "version			Show the version of the remote tendd process$" "$out"
assert_match "Really shut the remote tendd process down y/N\? " "$out"
assert_eq 1 "$(printf '%s\n' "$out" | grep -c 'Really shut')" \
	"questions asked (output: $out)"
tendd_alive || fail "the shell shut tendd down"
exit 0

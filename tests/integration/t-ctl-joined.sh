#!/bin/sh
# shellcheck disable=SC2016,SC2034 # conditions are eval'd later by wait_until
# tendctl joins its arguments with spaces and reads the line as
# supervisorctl's shell does (its onecmd(" ".join(args))): the verb and
# its arguments may come in one argument, as Ansible's supervisorctl
# module sends `"signal USR1" web`; runs of white space separate, quotes
# are characters; a line that is no verb is an unknown syntax, said by
# tendctl itself; an empty line does nothing. The interactive shell reads
# its lines the same way. edit alone takes its arguments as given (a file
# name with spaces).
# shellcheck source=tests/integration/lib.sh disable=SC1091
. "${TEND_SRCDIR:-.}/tests/integration/lib.sh"

mkdir "$T/conf dir"
tend_config <<EOF
[program:web]
command=/bin/sh -c "trap 'echo USR1 >>$T/got' USR1; while :; do sleep 1000 & wait \$!; done"
startsecs=0
stopasgroup=true

[program:idle]
command=/bin/sleep 1000
autostart=false

[include]
files = conf?dir/*.ini
EOF
cat >"$T/conf dir/late.ini" <<EOF
[program:late]
command=/bin/sleep 1000
autostart=false
EOF
tend_start
wait_state web RUNNING

# 1. The verb and the signal in one argument, the name in another
ctl "signal USR1" web
assert_ctl 0 "web: signalled" 'tendctl "signal USR1" web'
wait_until 10 '[ "$(cat "$T/got" 2>/dev/null)" = USR1 ]' "web to get USR1"
ctl "  signal	USR1   web  "
assert_ctl 0 "web: signalled" "the whole line in one argument, tabs and spaces"
wait_until 10 '[ "$(wc -l <"$T/got")" -eq 2 ]' "web to get the second USR1"

# 2. Every verb: start, stop, status with names in one argument
ctl "start idle"
assert_ctl 0 "idle: started" 'tendctl "start idle"'
ctl stop "idle web" ""
assert_ctl 0 "idle: stopped
web: stopped" 'tendctl stop "idle web" ""'
ctl "status" "idle web"
assert_eq 3 "$CTL_RC" "status of two stopped processes in one argument"
assert_eq 2 "$(printf '%s\n' "$CTL_OUT" | grep -c ' STOPPED ')" \
	"status lines of idle and web ($CTL_OUT)"
# quotes are characters, as in supervisorctl
ctl 'status "web"'
assert_ctl 4 '"web": ERROR (no such process)' "a quoted name"
ctl "start web"
wait_state web RUNNING

# 3. What is not a verb: tendctl says so itself, also without tendd
ctl "nosuch   verb x"
assert_ctl 1 "*** Unknown syntax: nosuch   verb x" "an unknown verb"
ctl_raw -s "$T/nothing" "!ls"
assert_ctl 1 "*** Unknown syntax: !ls" "a line starting with ! without tendd"
ctl_raw -s "$T/nothing" "STATUS"
assert_ctl 1 "*** Unknown syntax: STATUS" "verbs are lowercase"
ctl ""
assert_ctl 0 "" "an empty line"
ctl "   "
assert_ctl 0 "" "a line of spaces"
ctl_raw -s "$T/nothing" "?stop"
assert_eq 0 "$CTL_RC" "?stop: exit code"
assert_match "^stop <name>		Stop a process$" "$CTL_OUT" "?stop is help stop"
ctl_raw -s "$T/nothing" "help signal USR1"
assert_ctl 0 "*** No help on signal USR1" "help takes the rest of the line"

# 4. An unreachable tendd: status in one argument is still status (4)
ctl_raw -s "$T/nothing" "status web"
assert_eq 4 "$CTL_RC" 'tendctl -s NOTHING "status web": exit code'

# supervisorctl's -s takes a URL: unix://PATH is the FIFO at PATH
ctl_raw -s "unix://$CONTROL" "pid"
assert_ctl 0 "$TENDD_PID" "tendctl -s unix://CONTROL pid"

# 5. tail -f in one argument follows, until Ctrl-C
"$TENDCTL" -c "$CONF" "tail -f" web >"$T/tail.out" 2>&1 &
TAILF=$!
wait_until 10 'grep -q "Press Ctrl-C" "$T/tail.out"' "the tail -f banner"
kill -INT "$TAILF"
wait "$TAILF"
assert_eq 0 "$?" "exit status of the joined tail -f after Ctrl-C"

# 6. edit keeps its arguments: a file name with a space
printf '#!/bin/sh\nexec sed -i "s/sleep 1000/sleep 999/" "$1"\n' >"$T/ed"
chmod +x "$T/ed"
EDITOR=$T/ed "$TENDCTL" -c "$CONF" edit -y "$T/conf dir/late.ini" \
	</dev/null >"$T/edit.out" 2>"$T/edit.err"
assert_eq 0 "$?" "edit of a file with a space in its path ($(cat "$T/edit.err"))"
grep -q '^command=/bin/sleep 999$' "$T/conf dir/late.ini" ||
	fail "the edit was not installed: $(cat "$T/edit.out" "$T/edit.err")"

# 7. The interactive shell reads its lines the same way
printf 'signal  USR1\tweb\nstatus "web"\nnosuch x\n\nstatus web\n' |
	timeout -s KILL $((30 * TIMEOUT_SCALE)) "$TENDCTL" -c "$CONF" \
	>"$T/shell.out" 2>&1
assert_eq 0 "$?" "exit status of the shell"
out=$(cat "$T/shell.out")
assert_match "web: signalled" "$out" "signal in the shell"
assert_match '"web": ERROR \(no such process\)' "$out" "a quoted name in the shell"
assert_match '\*\*\* Unknown syntax: nosuch x$' "$out" "an unknown verb in the shell"
wait_until 10 '[ "$(wc -l <"$T/got")" -eq 3 ]' "web to get the shell's USR1"
exit 0

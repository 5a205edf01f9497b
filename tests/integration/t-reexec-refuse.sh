#!/bin/sh
# shellcheck disable=SC2016,SC2034,SC2119 # conditions are eval'd later by wait_until
# Live re-exec refused (issue 16): a missing path, a relative one, a
# directory, a file that is not executable, a program that fails
# --version, one that prints a version but does not read this tendd's
# state (--accepts-state), one that never answers, and configuration
# files edited since they were
# loaded: each is refused with one clear line and a non-zero exit, the
# children untouched, tendd answering; then a good re-exec works, and
# one without a path after the running binary was replaced on disk.
# shellcheck source=tests/integration/lib.sh disable=SC1091
. "${TEND_SRCDIR:-.}/tests/integration/lib.sh"

tend_config <<EOF
[program:sleeper]
command=/bin/sleep 1000

[program:other]
command=/bin/sleep 1001

[eventlistener:rec]
command=/usr/bin/python3 ${TEND_SRCDIR:-.}/tests/integration/evl_recorder.py $T/events.txt
events=PROCESS_STATE
autostart=false
EOF
tend_start
wait_state sleeper RUNNING
wait_state other RUNNING
ctl pid all
PIDS=$CTL_OUT

refused() {	# PATH PART-OF-THE-REASON
	ctl reexec "$1"
	assert_ne 0 "$CTL_RC" "reexec $1: exit status"
	assert_match "reexec refused: .*$2" "$CTL_ERR" "reexec $1: the reason"
	[ "$(printf '%s\n' "$CTL_ERR" | wc -l)" = 1 ] ||
		fail "reexec $1: more than one line: $CTL_ERR"
	ctl pid all
	assert_eq "$PIDS" "$CTL_OUT" "pids after the refused reexec $1"
	ctl pid
	assert_eq "$TENDD_PID" "$CTL_OUT" "tendd's pid after the refused reexec $1"
}

refused "$T/nope" "$T/nope: No such file or directory"
refused "nope" "the path must be absolute"
refused "$T" "not a regular file"
printf '#!/bin/sh\nexit 0\n' >"$T/noexec"
chmod 0644 "$T/noexec"
refused "$T/noexec" "not executable"
printf '#!/bin/sh\necho broken >&2\nexit 3\n' >"$T/broken"
chmod 0755 "$T/broken"
refused "$T/broken" "--version failed .exit status 3.: broken: not a working tendd"
cat >"$T/old" <<'EOF'
#!/bin/sh
case $1 in
--version) echo "tendd 0.0.1" ;;
*) echo "tendd 0.0.1 reads live re-exec state versions 0 to 0" >&2; exit 1 ;;
esac
EOF
chmod 0755 "$T/old"
refused "$T/old" "does not read this tendd's state .handover version [0-9]*.: tendd 0.0.1 reads"
printf '#!/bin/sh\nexec sleep 1000\n' >"$T/hangs"
chmod 0755 "$T/hangs"
refused "$T/hangs" "did not answer --version within 10 s"

# an edit not applied: the new image would not find what runs
cp "$CONF" "$T/tend.ini.orig"
sed -i 's|sleep 1001|sleep 1002|' "$CONF"
refused "$TENDD" "the configuration files changed since they were loaded .program other."
cp "$T/tend.ini.orig" "$CONF"

ctl reexec "$TENDD"
assert_eq 0 "$CTL_RC" "the good reexec (stderr: $CTL_ERR)"
assert_match "generation 1," "$CTL_OUT" "the good reexec's answer"
ctl pid all
assert_eq "$PIDS" "$CTL_OUT" "pids after the good reexec"

# `make install` over the running binary: /proc/self/exe then says
# "(deleted)", and tendctl reexec without a path still finds the path
cp "$TENDD" "$T/tendd-new" || hard_error "cp tendd"
ctl reexec "$T/tendd-new"
assert_eq 0 "$CTL_RC" "reexec to a copy (stderr: $CTL_ERR)"
assert_match "re-executed $T/tendd-new .generation 2," "$CTL_OUT" "the copy answers"
if ! { cp "$TENDD" "$T/tendd-new.tmp" && mv -f "$T/tendd-new.tmp" "$T/tendd-new"; }; then
	hard_error "replacing the copy"
fi
assert_match "(deleted)" "$(readlink "/proc/$TENDD_PID/exe")" "the running binary after the install"
ctl reexec
assert_eq 0 "$CTL_RC" "reexec after the install (stderr: $CTL_ERR)"
assert_match "re-executed $T/tendd-new .generation 3," "$CTL_OUT" "the installed binary answers"
assert_no_match "deleted" "$(readlink "/proc/$TENDD_PID/exe")" "the binary running now"
ctl pid all
assert_eq "$PIDS" "$CTL_OUT" "pids after the re-execs"

# the pid file's lock crossed the execs: a second tendd is refused
timeout -s KILL $((20 * TIMEOUT_SCALE)) "$TENDD" -n -c "$CONF" >"$T/second.out" 2>&1
assert_eq 1 "$?" "a second tendd's exit status"
assert_match "already running" "$(cat "$T/second.out")" "a second tendd's message"
assert_eq "$TENDD_PID" "$(cat "$PIDFILE")" "the pid file"
ctl pid
assert_eq "$TENDD_PID" "$CTL_OUT" "tendd after the second one left"

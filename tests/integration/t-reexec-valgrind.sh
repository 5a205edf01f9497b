#!/bin/sh
# shellcheck disable=SC2016,SC2034,SC2119 # conditions are eval'd later by wait_until
# Live re-exec under valgrind (issue 16): refused with a clear line when
# valgrind does not follow execs (the new image would run without it);
# allowed with --trace-children=yes, and then the children are kept and
# valgrind finds no error in either image.
# shellcheck source=tests/integration/lib.sh disable=SC1091
. "${TEND_SRCDIR:-.}/tests/integration/lib.sh"

command -v valgrind >/dev/null 2>&1 || skip "valgrind is not installed"
# a sanitizer build cannot run under valgrind
if grep -q "__asan_init" "$TENDD" 2>/dev/null; then
	skip "tendd is built with sanitizers"
fi
TIMEOUT_SCALE=$((TIMEOUT_SCALE * 4))

tend_config <<EOF
[program:sleeper]
command=/bin/sleep 1000
EOF

VG="valgrind -q --error-exitcode=99 --log-file=$T/vg.%p"
TENDD_WRAPPER="$VG --trace-children=no" tend_start
wait_state sleeper RUNNING 60
child_pid sleeper
PID=$CPID
ctl reexec
assert_eq 1 "$CTL_RC" "reexec under valgrind without --trace-children"
assert_match "reexec refused: tendd runs under valgrind, which does not follow execs" \
	"$CTL_ERR" "the refusal"
ctl pid sleeper
assert_eq "$PID" "$CTL_OUT" "sleeper's pid after the refusal"
tend_stop 60

TENDD_WRAPPER="$VG --trace-children=yes" tend_start
wait_state sleeper RUNNING 60
child_pid sleeper
PID=$CPID
ctl reexec
assert_eq 0 "$CTL_RC" "reexec under valgrind --trace-children=yes (stderr: $CTL_ERR)"
assert_match "generation 1," "$CTL_OUT" "the new image answers"
ctl pid sleeper
assert_eq "$PID" "$CTL_OUT" "sleeper's pid after the re-exec"
ctl pid
assert_eq "$TENDD_PID" "$CTL_OUT" "tendd's pid after the re-exec"
tend_stop 60
# valgrind's reports: no error ("==PID==" lines; "--PID--" are its own
# warnings, such as a syscall it does not know)
for f in "$T"/vg.*; do
	grep -q '^==' "$f" && fail "valgrind reported errors: $f: $(head -20 "$f")"
done
:

#!/bin/sh
# shellcheck disable=SC2016,SC2034,SC2119 # conditions are eval'd later by wait_until
# rlimit_nofile=SOFT:HARD is applied to the child.
# shellcheck source=tests/integration/lib.sh disable=SC1091
. "${TEND_SRCDIR:-.}/tests/integration/lib.sh"

# A non-root tendd cannot raise a hard limit above its own.
# shellcheck disable=SC3045 # dash has ulimit -H and -S
HARD=$(ulimit -H -n)
if [ "$HARD" != unlimited ] && [ "$HARD" -lt 456 ]; then
	skip "hard RLIMIT_NOFILE is $HARD (< 456)"
fi

tend_config <<EOF
[program:limited]
command=/bin/sleep 1000
startsecs=0
rlimit_nofile=123:456

[program:plain]
command=/bin/sleep 1000
startsecs=0
EOF
tend_start

wait_state limited RUNNING
child_pid limited
LIMITS=$(awk '/^Max open files/ { print $4, $5 }' "/proc/$CPID/limits")
assert_eq "123 456" "$LIMITS" "Max open files (soft hard) of limited"

# Without rlimit_*, a child gets the limits tendd was started with (ours),
# not whatever tendd raised its own soft limit to.
wait_state plain RUNNING
child_pid plain
# shellcheck disable=SC3045
assert_eq "$(ulimit -S -n) $(ulimit -H -n)" \
	"$(awk '/^Max open files/ { print $4, $5 }' "/proc/$CPID/limits")" \
	"Max open files of plain (the limits tendd was started with)"

exit 0

#!/bin/sh
# shellcheck disable=SC2016,SC2034,SC2119 # conditions are eval'd later by wait_until
# tendd -t accepts a configuration of 100 000 [program:] sections, half of
# them in one [group:], and warns of a section given again at its end
# against the first definition (an error with --strict). The loader looks sections up by index (issue 12: a
# linear scan per section made 100 000 programs take 37 s); the time is
# printed, not asserted: the timeout only catches a quadratic loader.
# shellcheck source=tests/integration/lib.sh disable=SC1091
. "${TEND_SRCDIR:-.}/tests/integration/lib.sh"

N=100000
tend_config </dev/null
awk -v n=$N 'BEGIN {
	for (i = 0; i < n; i++)
		printf "[program:p%d]\ncommand=/bin/sleep %d\nautostart=false\n\n", i, i
	printf "[group:half]\npriority=5\nprograms="
	for (i = 0; i < n / 2; i++)
		printf "%sp%d", (i ? "," : ""), i
	printf "\n"
}' >>"$CONF" || hard_error "cannot write $CONF"

# check_t FILE [ARGS]: tendd -t -c FILE ARGS (60 s at most); sets RC, OUT,
# SECS.
check_t() {
	now_cs
	_start=$NOW
	_file=$1
	shift
	timeout -s KILL $((60 * TIMEOUT_SCALE)) "$TENDD" -t -c "$_file" "$@" >"$T/t.out" 2>&1 </dev/null
	RC=$?
	now_cs
	SECS=$(((NOW - _start) / 100)).$(printf '%02d' $(((NOW - _start) % 100)))
	[ "$RC" = 137 ] && fail "tendd -t -c $1 with $N programs took over 60 s"
}

check_t "$CONF"
note "tendd -t with $N programs: $SECS s"
assert_eq 0 "$RC" "tendd -t on $N programs: exit code ($(head -c 2000 "$T/t.out"))"
assert_match "^$N processes, in start order:" "$(grep processes "$T/t.out")" \
	"tendd -t counts $N processes"
assert_match "^  half:p49999 \\(" "$(grep -F "half:p49999 " "$T/t.out")" \
	"p49999 is in [group:half]"
assert_match "^  p50000 \(priority 999" "$(grep -F '  p50000 ' "$T/t.out")" \
	"p50000 is a group of its own"

# A section given again at the very end is merged into the first, with a
# warning that names it; --strict makes it an error.
DUP=$T/dup.ini
cp "$CONF" "$DUP" || hard_error "cannot copy $CONF"
LINES=$(wc -l <"$DUP")
printf '[program:p99999]\ncommand=/bin/true\n' >>"$DUP"
FIRST=$(grep -n '^\[program:p99999\]$' "$DUP" | head -n 1 | cut -d: -f1)
check_t "$DUP"
note "tendd -t with a duplicate: $SECS s"
assert_eq 0 "$RC" "tendd -t on $N programs and a duplicate: exit code"
assert_match "dup\.ini:$((LINES + 1)): \[program:p99999\]: section given again \(first at line $FIRST\)" \
	"$(cat "$T/t.out")" "the duplicate's warning"
assert_match "^    command: /bin/true\$" "$(grep -A1 -F '  p99999 ' "$T/t.out")" \
	"the later command= wins"
check_t "$DUP" --strict
assert_eq 1 "$RC" "tendd -t --strict on $N programs and a duplicate: exit code"

exit 0
